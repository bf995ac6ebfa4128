//! SPARC V8 -> IR translation: the block loop, delay slots, and the
//! register/flag plumbing shared by the per-class translators in `translate/`.
//!
//! A block is keyed on (PC, `tb_flags`); CWP is part of the flags, so every
//! windowed register is a fixed offset of the state. SAVE and RESTORE move
//! the window by one, a constant given the block's CWP: the block goes on in
//! the new window and its chainable exits name the new flags
//! ([`Block::exit_flags`](chimera_ir::Block::exit_flags)), so calls and
//! returns stay in compiled code unless WIM makes them trap. A block normally starts
//! with nPC = PC+4; when it does not ([`TB_NPC`]: a delay slot entered from
//! the loop, a DCTI couple, a trap return) the block is the one instruction at
//! PC and continues at the nPC read from the state.
//!
//! During translation the nPC of the current instruction is a constant, a
//! two-way choice on a condition (after a conditional branch) or a run-time
//! value ([`Loc`]). Each instruction that may trap or fault starts by storing
//! its nPC (a variable definition within a block, stored at exits), so traps
//! and faults see the exact PC/nPC pair; the others (integer operations,
//! branches) store nothing, a third of the IR of integer code. A branch and its delay slot are translated together;
//! the block then ends in a chainable terminal whenever nPC = PC+4 holds for
//! the successor, and with an exit to the loop otherwise. The exception is an
//! annulling conditional branch: taken, it continues at its delay slot with
//! nPC = the target, a block of its own under [`TB_NPC`] (which chains on to
//! the target); not taken, after the delay slot.
//!
//! Every instruction does its memory accesses, and decides the traps it
//! raises at run time ([`chimera_ir::Inst::TrapIf`]), before it writes any
//! register (other than nPC), so a trap or a faulting access leaves the
//! state as before it.

mod alu;
mod control;
mod fpu;
mod helpers;
mod mem;
mod state_regs;

use crate::decode::{self, is_dcti, Insn, Visitor};
use crate::state::{self, ireg, TB_CWP_MASK, TB_EF, TB_ET, TB_NPC, TB_S, TB_TEM};
use crate::trap::{tt, EXC_PENDING, EXC_TRAP};
use chimera_ir::{BinOp, Block, Builder, Cmp, Endian, Flags, GuestMemory, MemOp, Terminal, Type, Value};

/// Guest page size: blocks never cross a 4 KiB boundary.
const PAGE_SIZE: u64 = 4096;

/// A program counter during translation.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Loc {
    /// Known at translation time.
    Const(u64),
    /// Computed at run time (an `I32`).
    Dyn(Value),
    /// `t` if the `I8` condition holds, else `f`.
    Cond {
        /// Condition.
        cond: Value,
        /// Value when it holds.
        t: u64,
        /// Value otherwise.
        f: u64,
    },
}

/// What translating one instruction decided.
pub(crate) enum Step {
    /// The instruction completed (the translator's `next`, `exit` and
    /// `trap_if` say what follows).
    Next,
    /// End the block with this terminal (a trap known at translation time).
    End(Terminal),
}

/// The PC and nPC after an instruction.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Successor {
    pub(crate) pc: Loc,
    pub(crate) npc: Loc,
    /// nPC = PC + 4 by construction.
    pub(crate) seq: bool,
}

/// Translation state of one block.
pub(crate) struct Translator {
    pub(crate) b: Builder,
    /// PC of the instruction being translated.
    pub(crate) pc: u64,
    /// nPC of the instruction being translated.
    pub(crate) npc: Loc,
    /// CWP baked into the block.
    pub(crate) cwp: usize,
    /// The whole `tb_flags` value.
    pub(crate) flags: u32,
    /// Set by control transfers: where execution continues.
    pub(crate) next: Option<Successor>,
    /// The instruction changed state baked into the flags at run time (S,
    /// ET, EF, FSR.TEM, a CWP a helper chose): the block must return to the
    /// loop after it.
    pub(crate) exit: bool,
}

/// Translate the block at `pc` under the `tb_flags` value `flags` (see
/// [`SparcState::tb_flags`](crate::SparcState::tb_flags)): at most
/// `max_insns` instructions, never crossing a 4 KiB page.
pub fn translate_block(flags: u32, pc: u64, mem: &mut dyn GuestMemory, max_insns: u32) -> Block {
    let mut t = Translator::new(flags, pc);
    if pc & 3 != 0 {
        return t.b.finish(Terminal::Exception { pc, kind: EXC_TRAP, arg: u64::from(tt::UNALIGNED) }, 0, 0);
    }
    let single = flags & TB_NPC != 0;
    let max_insns = max_insns.max(2);
    let mut count = 0u32;
    let mut branch_flags = None;
    let term = loop {
        let insn = match fetch(mem, t.pc, t.mmu()) {
            Ok(w) => w,
            Err(arg) if count == 0 => break Terminal::Exception { pc, kind: EXC_TRAP, arg },
            Err(_) => break t.end_before(),
        };
        t.b.insn_start(t.pc);
        count += 1;
        // The state's nPC is the instruction's own wherever it can trap or
        // fault; an instruction that cannot leaves it to the next one or to
        // the block's end, which store theirs.
        let npc_stored = if count == 1 && single {
            let npc = t.b.get(state::NPC);
            t.npc = Loc::Dyn(t.b.trunc(Type::I32, npc));
            true
        } else if may_trap(insn) {
            let npc = t.loc64(t.npc);
            t.b.set(state::NPC, npc);
            true
        } else {
            false
        };
        t.next = None;
        t.exit = false;
        if let Step::End(term) = decode::visit(&mut t, insn) {
            if !npc_stored {
                let npc = t.loc64(t.npc);
                t.b.set(state::NPC, npc);
            }
            break term;
        }
        let succ = match t.next.take() {
            Some(s) => s,
            None => {
                let npc = t.npc;
                Successor { pc: npc, npc: t.add4(npc), seq: true }
            }
        };
        let npc_v = t.loc64(succ.npc);
        // A block entered with a non-sequential nPC is this one instruction
        // (it read nPC from the state); it chains on like any other when
        // its successor is sequential.
        if t.exit || (single && !succ.seq) {
            t.b.set(state::NPC, npc_v);
            break t.exit_to(succ.pc);
        }
        let fallthrough = t.pc.wrapping_add(4);
        let can_continue = !single && count < max_insns && !fallthrough.is_multiple_of(PAGE_SIZE);
        match (succ.pc, succ.npc) {
            (Loc::Const(p), _) if p == fallthrough && can_continue && (succ.seq || fetch(mem, p, t.mmu()).is_ok_and(|w| !is_dcti(w))) => {
                t.pc = p;
                t.npc = succ.npc;
            }
            (Loc::Const(p), _) if succ.seq => {
                t.b.set(state::NPC, npc_v);
                break Terminal::Jump(p);
            }
            (Loc::Cond { cond, t: a, f }, _) if succ.seq => {
                t.b.set(state::NPC, npc_v);
                break Terminal::Branch { cond, taken: a, not_taken: f };
            }
            // An annulling conditional branch (B.21): taken, its delay slot
            // runs with nPC = the target; not taken, execution skips it.
            // Both are chainable: the delay slot as a block entered with a
            // non-sequential nPC (the flags say so), the other as usual.
            (Loc::Cond { cond, t: a, f }, Loc::Cond { cond: c2, t: na, f: nf }) if c2 == cond => {
                t.b.set(state::NPC, npc_v);
                let base = t.flags & !TB_NPC;
                let at = |pc: u64, npc: u64| if npc == pc.wrapping_add(4) & 0xffff_ffff { base } else { base | TB_NPC };
                branch_flags = Some((at(a, na), at(f, nf)));
                break Terminal::Branch { cond, taken: a, not_taken: f };
            }
            (Loc::Dyn(_), _) if succ.seq => {
                t.b.set(state::NPC, npc_v);
                let v = t.loc64(succ.pc);
                break Terminal::Indirect(v);
            }
            (other, _) => {
                t.b.set(state::NPC, npc_v);
                break t.exit_to(other);
            }
        }
    };
    // What the chainable exits continue under: the window SAVE/RESTORE left,
    // with a sequential nPC unless an annulling branch said otherwise.
    match branch_flags {
        Some((taken, not_taken)) => t.b.set_branch_exit_flags(taken, not_taken),
        None if t.flags & !TB_NPC != flags => t.b.set_exit_flags(t.flags & !TB_NPC),
        None => {}
    }
    t.b.finish(term, count, count * 4)
}

/// Whether the instruction word may trap or fault at run time (a memory
/// access, a trap decided by its operands or by state, a helper): every
/// other one is an integer operation, SETHI, a branch or CALL (the traps an
/// instruction raises whatever its operands end the block at translation).
fn may_trap(w: u32) -> bool {
    let i = Insn(w);
    match i.op() {
        0 | 1 => false,
        2 => !matches!(i.op3(), 0x00..=0x0c | 0x10..=0x1c | 0x20 | 0x21 | 0x24..=0x27),
        _ => true,
    }
}

/// Fetch the instruction word at `pc` under MMU index `mmu`, or the trap
/// type of the fetch fault.
fn fetch(mem: &mut dyn GuestMemory, pc: u64, mmu: u8) -> Result<u32, u64> {
    let op = MemOp::fetch(4, Endian::Big, mmu);
    mem.load(pc, op).map(|w| w as u32).map_err(|f| u64::from(crate::trap::fault_trap_type(&f)))
}

impl Translator {
    fn new(flags: u32, pc: u64) -> Translator {
        Translator {
            b: Builder::new(pc),
            pc,
            npc: Loc::Const(pc.wrapping_add(4) & 0xffff_ffff),
            cwp: (flags & TB_CWP_MASK) as usize,
            flags,
            next: None,
            exit: false,
        }
    }

    /// End the block before the instruction at `self.pc` (whose nPC is `self.npc`).
    fn end_before(&mut self) -> Terminal {
        let npc = self.loc64(self.npc);
        self.b.set(state::NPC, npc);
        match self.npc {
            Loc::Const(n) if n == self.pc.wrapping_add(4) & 0xffff_ffff => Terminal::Jump(self.pc),
            _ => Terminal::Exit(self.pc),
        }
    }

    /// Return to the loop at `pc` (nPC already stored).
    fn exit_to(&mut self, pc: Loc) -> Terminal {
        match pc {
            Loc::Const(p) => Terminal::Exit(p),
            other => {
                let v = self.loc64(other);
                Terminal::ExitIndirect(v)
            }
        }
    }

    /// The MMU index of the block's instruction fetches and data accesses.
    pub(crate) fn mmu(&self) -> u8 {
        state::mmu_index(self.flags)
    }

    /// PSR.S baked into the block.
    pub(crate) fn supervisor(&self) -> bool {
        self.flags & TB_S != 0
    }

    /// PSR.ET baked into the block.
    pub(crate) fn traps_enabled(&self) -> bool {
        self.flags & TB_ET != 0
    }

    /// PSR.EF baked into the block.
    pub(crate) fn fpu_enabled(&self) -> bool {
        self.flags & TB_EF != 0
    }

    /// Whether FSR.TEM was nonzero when the block was translated.
    pub(crate) fn ieee_traps_enabled(&self) -> bool {
        self.flags & TB_TEM != 0
    }

    /// End the block with trap `tt` at this instruction.
    pub(crate) fn trap(&self, tt: u32) -> Step {
        Step::End(Terminal::Exception { pc: self.pc, kind: EXC_TRAP, arg: u64::from(tt) })
    }

    /// The instruction traps with `tt` (an `I32`) when the `I8` `cond`
    /// holds: compiled code leaves the block there, on a cold path.
    pub(crate) fn trap_when(&mut self, cond: Value, tt: Value) {
        let tt = self.b.zext(Type::I64, tt);
        self.b.trap_if(cond, EXC_TRAP, tt);
    }

    /// The instruction traps with the constant `tt` when `cond` holds.
    pub(crate) fn trap_when_const(&mut self, cond: Value, tt: u32) {
        let tt = self.b.iconst(Type::I64, u64::from(tt));
        self.b.trap_if(cond, EXC_TRAP, tt);
    }

    /// A helper returned `r`: non-zero if it raised a trap, whose type it
    /// left in [`SparcState::trap`](crate::SparcState::trap) (having
    /// changed nothing else, or for an FPop what QEMU changes: FSR.ftt and
    /// cexc, a double result).
    pub(crate) fn trap_if_helper_raised(&mut self, r: Value) {
        let trapped = self.nonzero(r);
        let zero = self.b.iconst(Type::I64, 0);
        self.b.trap_if(trapped, EXC_PENDING, zero);
    }

    /// Move to window `cwp` for the rest of the block (SAVE, RESTORE).
    pub(crate) fn set_window(&mut self, cwp: usize) {
        self.cwp = cwp;
        self.flags = (self.flags & !TB_CWP_MASK) | cwp as u32;
    }

    // ---- program counters ------------------------------------------------

    /// A PC as an `I32`.
    pub(crate) fn loc32(&mut self, l: Loc) -> Value {
        match l {
            Loc::Const(c) => self.b.iconst(Type::I32, c),
            Loc::Dyn(v) => v,
            Loc::Cond { cond, t, f } => {
                let a = self.b.iconst(Type::I32, t);
                let b = self.b.iconst(Type::I32, f);
                self.b.select(cond, a, b)
            }
        }
    }

    /// A PC as an `I64` (for the PC/nPC fields and terminals).
    pub(crate) fn loc64(&mut self, l: Loc) -> Value {
        match l {
            Loc::Const(c) => self.b.iconst(Type::I64, c),
            Loc::Cond { cond, t, f } => {
                let a = self.b.iconst(Type::I64, t);
                let b = self.b.iconst(Type::I64, f);
                self.b.select(cond, a, b)
            }
            Loc::Dyn(v) => self.b.zext(Type::I64, v),
        }
    }

    /// `l + 4` (32-bit wrapping).
    pub(crate) fn add4(&mut self, l: Loc) -> Loc {
        match l {
            Loc::Const(c) => Loc::Const(c.wrapping_add(4) & 0xffff_ffff),
            Loc::Cond { cond, t, f } => Loc::Cond { cond, t: t.wrapping_add(4) & 0xffff_ffff, f: f.wrapping_add(4) & 0xffff_ffff },
            Loc::Dyn(v) => Loc::Dyn(self.bin_imm(BinOp::Add, v, 4)),
        }
    }

    // ---- constants and folding arithmetic -------------------------------

    pub(crate) fn c32(&mut self, imm: u64) -> Value {
        self.b.iconst(Type::I32, imm)
    }

    /// `a op b`, folded when both are constants.
    pub(crate) fn bin(&mut self, op: BinOp, a: Value, b: Value) -> Value {
        let ty = self.b.ty(a);
        if let (Some(x), Some(y)) = (self.b.const_value(a), self.b.const_value(b)) {
            return self.b.iconst(ty, chimera_ir::eval_bin(op, ty, x, y));
        }
        self.b.bin(op, a, b)
    }

    /// `a op imm` with the constant in `a`'s type.
    pub(crate) fn bin_imm(&mut self, op: BinOp, a: Value, imm: u64) -> Value {
        let ty = self.b.ty(a);
        let c = self.b.iconst(ty, imm);
        self.bin(op, a, c)
    }

    // ---- integer registers --------------------------------------------------

    /// Integer register `r` of the block's window (%g0 reads 0).
    pub(crate) fn reg(&mut self, r: usize) -> Value {
        if r == 0 {
            self.c32(0)
        } else {
            self.b.get(ireg(self.cwp, r))
        }
    }

    /// Write integer register `r` (writes to %g0 vanish).
    pub(crate) fn set_reg(&mut self, r: usize, v: Value) {
        if r != 0 {
            self.b.set(ireg(self.cwp, r), v);
        }
    }

    /// The second operand: `simm13` or rs2.
    pub(crate) fn operand2(&mut self, insn: Insn) -> Value {
        if insn.i() {
            self.c32(insn.simm13() as u32 as u64)
        } else {
            self.reg(insn.rs2())
        }
    }

    /// rs1 + operand2: the effective address of loads, stores, JMPL, RETT,
    /// FLUSH and the result of SAVE/RESTORE.
    pub(crate) fn rs1_plus_op2(&mut self, insn: Insn) -> Value {
        let a = self.reg(insn.rs1());
        let b = self.operand2(insn);
        if self.b.const_value(b) == Some(0) {
            return a;
        }
        if self.b.const_value(a) == Some(0) {
            return b;
        }
        self.bin(BinOp::Add, a, b)
    }

    // ---- condition codes ------------------------------------------------------

    /// Write icc.
    pub(crate) fn set_icc(&mut self, f: Flags) {
        self.b.set(state::ICC_N, f.n);
        self.b.set(state::ICC_Z, f.z);
        self.b.set(state::ICC_V, f.v);
        self.b.set(state::ICC_C, f.c);
    }

    /// Whether branch/trap condition `cond` holds (SPARC V8 manual table F-7),
    /// as an `I8`; `None` for "always" (8) and `Some(const 0)` for "never".
    pub(crate) fn cond_holds(&mut self, cond: u32) -> Option<Value> {
        let base = match cond & 7 {
            0 => {
                if cond == 8 {
                    return None;
                }
                return Some(self.b.iconst(Type::I8, 0));
            }
            1 => self.b.get(state::ICC_Z),
            2 => {
                let z = self.b.get(state::ICC_Z);
                let nv = self.n_xor_v();
                self.bin(BinOp::Or, z, nv)
            }
            3 => self.n_xor_v(),
            4 => {
                let c = self.b.get(state::ICC_C);
                let z = self.b.get(state::ICC_Z);
                self.bin(BinOp::Or, c, z)
            }
            5 => self.b.get(state::ICC_C),
            6 => self.b.get(state::ICC_N),
            _ => self.b.get(state::ICC_V),
        };
        Some(if cond & 8 != 0 { self.bin_imm(BinOp::Xor, base, 1) } else { base })
    }

    fn n_xor_v(&mut self) -> Value {
        let n = self.b.get(state::ICC_N);
        let v = self.b.get(state::ICC_V);
        self.bin(BinOp::Xor, n, v)
    }

    /// `a != 0` as an `I8`.
    pub(crate) fn nonzero(&mut self, a: Value) -> Value {
        let ty = self.b.ty(a);
        let z = self.b.iconst(ty, 0);
        self.b.icmp(Cmp::Ne, a, z)
    }
}

macro_rules! delegate {
    ($( $method:ident => $module:ident, )*) => {
        impl Visitor for Translator {
            type Output = Step;
            fn illegal(&mut self, _insn: Insn) -> Step {
                self.trap(tt::ILLEGAL)
            }
            $( fn $method(&mut self, insn: Insn) -> Step { $module::$method(self, insn) } )*
        }
    };
}

delegate! {
    unimp => control,
    bicc => control,
    sethi => alu,
    call => control,
    arith => alu,
    divide => alu,
    shift => alu,
    read_state => state_regs,
    write_state => state_regs,
    jmpl => control,
    rett => control,
    ticc => control,
    flush => control,
    save_restore => control,
    mem => mem,
    coproc => fpu,
}
