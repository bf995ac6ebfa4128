//! A64 -> IR translation: the block loop and the register/flag plumbing shared
//! by the per-class translators in `translate/`.
//!
//! Every guest instruction starts with `InsnStart`, then does all of its memory
//! accesses, then writes guest registers: a faulting access therefore leaves the
//! registers as they were before the instruction (precise exceptions).

mod atomic;
mod bitfield;
mod branch;
mod crc;
mod data_imm;
mod data_reg;
mod loadstore;
mod simd_fp;
mod simd_ir;
mod system;

use crate::decode::{self, Insn, Visitor};
use crate::exception::{encode_fetch_fault, EXC_SYSREG_TRAP, EXC_FP_TRAP, EXC_ILLEGAL_STATE, EXC_INSN_ABORT, EXC_PC_ALIGN, EXC_UNDEF};
use crate::state::{self, mmu_index, TB_EL_MASK, TB_IL, TB_SPSEL};
use chimera_ir::{eval_bin, BinOp, Block, Builder, Endian, Flags, GuestMemory, MemOp, Terminal, Type, Value};

/// Guest page size: blocks never cross a 4 KiB boundary.
const PAGE_SIZE: u64 = 4096;

/// What translating one instruction decided.
pub(crate) enum Step {
    /// Continue with the next instruction.
    Next,
    /// End the block with this terminal.
    End(Terminal),
}

/// Translate the block at `pc` under the `tb_flags` value `flags` (see
/// [`A64State::tb_flags`](crate::A64State::tb_flags)): at most `max_insns`
/// instructions, never crossing a 4 KiB page.
pub fn translate_block(flags: u32, pc: u64, mem: &mut dyn GuestMemory, max_insns: u32) -> Block {
    let mut t = Translator::new(flags, pc);
    if pc & 3 != 0 {
        return t.b.finish(Terminal::Exception { pc, kind: EXC_PC_ALIGN, arg: pc }, 0, 0);
    }
    if flags & TB_IL != 0 {
        return t.b.finish(Terminal::Exception { pc, kind: EXC_ILLEGAL_STATE, arg: 0 }, 0, 0);
    }
    let fetch = MemOp::fetch(4, Endian::Little, t.mmu);
    let max_insns = max_insns.max(1);
    let mut count = 0u32;
    let term = loop {
        let insn = match mem.load(t.pc, fetch) {
            Ok(w) => w as u32,
            Err(fault) if count == 0 => {
                let arg = encode_fetch_fault(&fault);
                break Terminal::Exception { pc, kind: EXC_INSN_ABORT, arg };
            }
            Err(_) => break Terminal::Jump(t.pc),
        };
        t.b.insn_start(t.pc);
        count += 1;
        match decode::visit(&mut t, insn) {
            Step::End(term) => break term,
            Step::Next => {
                t.pc = t.pc.wrapping_add(4);
                if count >= max_insns || t.pc.is_multiple_of(PAGE_SIZE) {
                    break Terminal::Jump(t.pc);
                }
            }
        }
    };
    t.b.finish(term, count, count * 4)
}

/// Translation state of one block.
pub(crate) struct Translator {
    pub(crate) b: Builder,
    /// PC of the instruction being translated.
    pub(crate) pc: u64,
    /// PSTATE.EL baked into the block.
    pub(crate) el: u8,
    /// PSTATE.SP baked into the block.
    pub(crate) spsel: u8,
    /// The whole `tb_flags` value.
    pub(crate) flags: u32,
    /// The MMU index of the block's accesses (fetches and data).
    pub(crate) mmu: u8,
}

/// The operation of a logical instruction's `opc` field (AND, ORR, EOR, ANDS;
/// ARM ARM C4.1.3 and C4.1.5): ANDS is an AND that also sets the flags.
pub(crate) fn logical_op(opc: u32) -> BinOp {
    match opc {
        1 => BinOp::Or,
        2 => BinOp::Xor,
        _ => BinOp::And,
    }
}

/// The integer type of `bytes` (1, 2, 4; anything else: 8) bytes.
pub(crate) fn int_type(bytes: u32) -> Type {
    Type::int_of_bytes(bytes).unwrap_or(Type::I64)
}

/// The integer type of a 32-bit (`sf` false) or 64-bit operation.
pub(crate) fn ty_of(sf: bool) -> Type {
    if sf {
        Type::I64
    } else {
        Type::I32
    }
}

impl Translator {
    fn new(flags: u32, pc: u64) -> Translator {
        Translator {
            b: Builder::new(pc),
            pc,
            el: (flags & TB_EL_MASK) as u8,
            spsel: u8::from(flags & TB_SPSEL != 0),
            flags,
            mmu: mmu_index(flags, (flags & TB_EL_MASK) as u8),
        }
    }

    /// The identification values of the CPU model the block is translated for.
    pub(crate) fn id_values(&self) -> &'static crate::model::IdValues {
        crate::model::id_set((self.flags >> state::TB_MODEL_SHIFT & 3) as u8)
    }

    /// A data load at the current EL's MMU index.
    pub(crate) fn load(&mut self, op: MemOp, ty: Type, addr: Value) -> Value {
        self.b.load(op.with_mmu(self.mmu), ty, addr)
    }

    /// A data store at the current EL's MMU index.
    pub(crate) fn store(&mut self, op: MemOp, addr: Value, value: Value) {
        self.b.store(op.with_mmu(self.mmu), addr, value);
    }

    /// The PC of the next instruction.
    pub(crate) fn next_pc(&self) -> u64 {
        self.pc.wrapping_add(4)
    }

    /// End the block with an UNDEFINED instruction exception.
    pub(crate) fn undef(&self, insn: Insn) -> Step {
        Step::End(Terminal::Exception { pc: self.pc, kind: EXC_UNDEF, arg: u64::from(insn.0) })
    }

    /// End the block with the FP access trap (CPACR_EL1.FPEN disables FP/AdvSIMD).
    /// End the block with the trap of an EL0 system register or system
    /// instruction access that SCTLR_EL1 disables (ESR EC 0x18, ISS from the
    /// encoding: Op0, Op2, Op1, CRn, Rt, CRm, and 1 for a read).
    pub(crate) fn sysreg_trap(&self, insn: Insn) -> Step {
        let (op0, op1, crn, crm, op2) = insn.sys_fields();
        let read = u32::from(insn.bit(21));
        let iss = op0 << 20 | op2 << 17 | op1 << 14 | crn << 10 | (insn.rt() as u32) << 5 | crm << 1 | read;
        Step::End(Terminal::Exception { pc: self.pc, kind: EXC_SYSREG_TRAP, arg: u64::from(iss) })
    }

    pub(crate) fn fp_trap(&self) -> Step {
        Step::End(Terminal::Exception { pc: self.pc, kind: EXC_FP_TRAP, arg: 0 })
    }

    /// End the block after this instruction, returning to the execution loop.
    pub(crate) fn exit_next(&self) -> Step {
        Step::End(Terminal::Exit(self.next_pc()))
    }

    // ---- constants and folding arithmetic -------------------------------

    pub(crate) fn iconst(&mut self, ty: Type, imm: u64) -> Value {
        self.b.iconst(ty, imm)
    }

    pub(crate) fn c64(&mut self, imm: u64) -> Value {
        self.b.iconst(Type::I64, imm)
    }

    /// `a op b`, folded when both are constants or `b` is an identity.
    pub(crate) fn bin(&mut self, op: BinOp, a: Value, b: Value) -> Value {
        let ty = self.b.ty(a);
        match (self.b.const_value(a), self.b.const_value(b)) {
            (Some(x), Some(y)) => return self.b.iconst(ty, eval_bin(op, ty, x, y)),
            (_, Some(0)) if matches!(op, BinOp::Add | BinOp::Sub | BinOp::Or | BinOp::Xor | BinOp::Shl | BinOp::Lshr | BinOp::Ashr | BinOp::Rotr) => {
                return a
            }
            (_, Some(0)) if op == BinOp::And => return b,
            (_, Some(m)) if op == BinOp::And && m == ty.mask() => return a,
            (Some(0), _) if matches!(op, BinOp::Add | BinOp::Or | BinOp::Xor) => return b,
            (Some(0), _) if matches!(op, BinOp::And | BinOp::Shl | BinOp::Lshr | BinOp::Ashr | BinOp::Mul) => return a,
            _ => {}
        }
        self.b.bin(op, a, b)
    }

    /// `a op imm` with the constant in `a`'s type.
    pub(crate) fn bin_imm(&mut self, op: BinOp, a: Value, imm: u64) -> Value {
        let ty = self.b.ty(a);
        let c = self.b.iconst(ty, imm);
        self.bin(op, a, c)
    }

    /// The address and base writeback of an indexed load/store (the
    /// `post_index`/`wback` decode shared by the immediate and pair forms):
    /// `mode` 1 post-indexed (access at `base`, write back `base + offset`),
    /// 3 pre-indexed (access at and write back `base + offset`), anything
    /// else a plain offset without writeback.
    pub(crate) fn indexed(&mut self, base: Value, offset: u64, mode: u32) -> (Value, Option<Value>) {
        let moved = self.bin_imm(BinOp::Add, base, offset);
        match mode {
            1 => (base, Some(moved)),
            3 => (moved, Some(moved)),
            _ => (moved, None),
        }
    }

    // ---- general registers -------------------------------------------------

    /// X`n` as an `I64`, register 31 reading as zero (XZR).
    pub(crate) fn x(&mut self, n: usize) -> Value {
        if n == 31 {
            self.c64(0)
        } else {
            self.b.get(state::xreg(n))
        }
    }

    /// X`n` as an `I64`, register 31 being SP.
    pub(crate) fn x_sp(&mut self, n: usize) -> Value {
        if n == 31 {
            self.b.get(state::SP)
        } else {
            self.b.get(state::xreg(n))
        }
    }

    /// X`n` or W`n` per `sf` (XZR for 31).
    pub(crate) fn reg(&mut self, sf: bool, n: usize) -> Value {
        if n == 31 {
            return self.iconst(ty_of(sf), 0);
        }
        let v = self.x(n);
        self.b.trunc(ty_of(sf), v)
    }

    /// X`n` or W`n` per `sf` (SP/WSP for 31).
    pub(crate) fn reg_sp(&mut self, sf: bool, n: usize) -> Value {
        let v = self.x_sp(n);
        self.b.trunc(ty_of(sf), v)
    }

    /// Write X`n` (32-bit values are zero-extended); writes to 31 (XZR) vanish.
    pub(crate) fn set_x(&mut self, n: usize, v: Value) {
        if n != 31 {
            let v = self.b.zext(Type::I64, v);
            self.b.set(state::xreg(n), v);
        }
    }

    /// Write X`n` (32-bit values are zero-extended), 31 being SP.
    pub(crate) fn set_x_sp(&mut self, n: usize, v: Value) {
        let v = self.b.zext(Type::I64, v);
        if n == 31 {
            self.b.set(state::SP, v);
        } else {
            self.b.set(state::xreg(n), v);
        }
    }

    // ---- flags ---------------------------------------------------------

    pub(crate) fn set_flags(&mut self, f: Flags) {
        self.b.set(state::NF, f.n);
        self.b.set(state::ZF, f.z);
        self.b.set(state::CF, f.c);
        self.b.set(state::VF, f.v);
    }

    /// Set NZCV to the constant `nzcv` (bits \[3:0\] = N,Z,C,V).
    pub(crate) fn flags_const(&mut self, nzcv: u32) -> Flags {
        let bit = |t: &mut Self, k: u32| t.iconst(Type::I8, u64::from((nzcv >> k) & 1));
        Flags { n: bit(self, 3), z: bit(self, 2), c: bit(self, 1), v: bit(self, 0) }
    }

    /// `ConditionHolds(cond)` (ARM ARM J1.1.3 shared/functions/system) as an `I8` 0/1.
    /// Returns `None` for AL/NV (always true).
    pub(crate) fn cond_holds(&mut self, cond: u32) -> Option<Value> {
        let base = match cond >> 1 {
            0 => self.b.get(state::ZF),
            1 => self.b.get(state::CF),
            2 => self.b.get(state::NF),
            3 => self.b.get(state::VF),
            4 => {
                // HI: C == 1 && Z == 0.
                let c = self.b.get(state::CF);
                let z = self.b.get(state::ZF);
                let nz = self.bin_imm(BinOp::Xor, z, 1);
                self.bin(BinOp::And, c, nz)
            }
            5 | 6 => {
                // GE: N == V; GT: N == V && Z == 0.
                let n = self.b.get(state::NF);
                let v = self.b.get(state::VF);
                let ne = self.bin(BinOp::Xor, n, v);
                let ge = self.bin_imm(BinOp::Xor, ne, 1);
                if cond >> 1 == 5 {
                    ge
                } else {
                    let z = self.b.get(state::ZF);
                    let nz = self.bin_imm(BinOp::Xor, z, 1);
                    self.bin(BinOp::And, ge, nz)
                }
            }
            _ => return None,
        };
        Some(if cond & 1 != 0 { self.bin_imm(BinOp::Xor, base, 1) } else { base })
    }

    // ---- shifts and extends ---------------------------------------------

    /// `ShiftReg()`: `v` shifted by the constant `amount` (type 0 LSL, 1 LSR,
    /// 2 ASR, 3 ROR).
    pub(crate) fn shift_imm(&mut self, v: Value, kind: u32, amount: u32) -> Value {
        let op = match kind {
            0 => BinOp::Shl,
            1 => BinOp::Lshr,
            2 => BinOp::Ashr,
            _ => BinOp::Rotr,
        };
        self.bin_imm(op, v, u64::from(amount))
    }

    /// `ExtendReg()` (ARM ARM C6.2.5 shared decode): the low 8/16/32/64 bits of
    /// X`m` per `option`, zero- or sign-extended to `ty`, shifted left by `shift`.
    pub(crate) fn extend_reg(&mut self, m: usize, option: u32, shift: u32, ty: Type) -> Value {
        let x = self.x(m);
        let from = match option & 3 {
            0 => Type::I8,
            1 => Type::I16,
            2 => Type::I32,
            _ => Type::I64,
        };
        let part = self.b.trunc(from, x);
        let v = if from.bits() >= ty.bits() {
            self.b.trunc(ty, part)
        } else if option & 4 != 0 {
            self.b.sext(ty, part)
        } else {
            self.b.zext(ty, part)
        };
        self.bin_imm(BinOp::Shl, v, u64::from(shift))
    }
}

macro_rules! delegate {
    ($( $method:ident => $module:ident, )*) => {
        impl Visitor for Translator {
            type Output = Step;
            fn unallocated(&mut self, insn: Insn) -> Step {
                self.undef(insn)
            }
            $( fn $method(&mut self, insn: Insn) -> Step { $module::$method(self, insn) } )*
        }
    };
}

delegate! {
    pc_rel => data_imm,
    add_sub_imm => data_imm,
    logical_imm => data_imm,
    move_wide => data_imm,
    bitfield => bitfield,
    extract => bitfield,
    branch_imm => branch,
    compare_branch => branch,
    test_branch => branch,
    cond_branch => branch,
    branch_reg => branch,
    exception_gen => system,
    hint => system,
    barrier => system,
    pstate => system,
    sys => system,
    sysreg => system,
    eret => system,
    exclusive => loadstore,
    acquire_release => loadstore,
    load_acquire_pc => loadstore,
    atomic_memory => atomic,
    compare_swap => atomic,
    compare_swap_pair => atomic,
    load_literal => loadstore,
    load_store_pair => loadstore,
    load_store_uimm => loadstore,
    load_store_imm9 => loadstore,
    load_store_reg => loadstore,
    logical_shifted => data_reg,
    add_sub_shifted => data_reg,
    add_sub_extended => data_reg,
    add_sub_carry => data_reg,
    cond_compare => data_reg,
    cond_select => data_reg,
    data_proc_2src => data_reg,
    data_proc_1src => data_reg,
    crc32 => crc,
    data_proc_3src => data_reg,
    simd_fp_load_store => simd_fp,
    simd_fp_data => simd_fp,
}
