//! IR -> Cranelift lowering of one block.
//!
//! Guest registers live in Cranelift variables within a block: a register the
//! block reads is loaded once at entry, `Get`/`Set` use and define the
//! variable. Since a block is straight-line code, the registers set before a
//! given point are known at compile time, and exactly those are stored at an
//! exit there (the terminal, the cold fault exits) and before helper calls. A
//! hot block is compiled as a region together with the blocks of its page it
//! branches to: branches between them are host jumps, so guest loops are host
//! loops; such an edge stores the registers the block set and keeps the ones
//! the region reads in host registers. Faults leave the state exactly as before the faulting guest
//! instruction, given the frontend rule that an instruction sets no register
//! before its last memory access.

use crate::env::{exit_code, off, JMP_CACHE_ENTRIES, PAGE_BITS, PAGE_MASK, TLB_ENTRIES};
use crate::softmmu;
use chimera_ir::{BinOp, Block, Cmp, Endian, ExtOp, FLanes, Inst, Lanes, MemOp, Reg, Terminal, Type, UnOp, VecFOp, VecOp, VecShift};
use cranelift_codegen::ir::{
    condcodes::IntCC, types, AbiParam, Block as ClBlock, Endianness, InstBuilder, MemFlagsData, SigRef, Signature,
    Value as ClValue,
};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::{FunctionBuilder, Variable};
use std::collections::{BTreeMap, BTreeSet};

/// Signatures the lowering needs, imported into the function being built.
pub(crate) struct Sigs {
    pub tail: SigRef,
    pub helper: SigRef,
    pub slow_load: SigRef,
    pub slow_store: SigRef,
}

/// The Cranelift signature of a translated region: `(cpu, env, pc) -> exit
/// code`, with the tail calling convention so blocks can chain by tail calls;
/// `pc` is the guest PC of the member block to enter (the region's code is
/// the code of each of its members).
pub(crate) fn block_signature() -> Signature {
    let mut s = Signature::new(CallConv::Tail);
    s.params.push(AbiParam::new(types::I64));
    s.params.push(AbiParam::new(types::I64));
    s.params.push(AbiParam::new(types::I64));
    s.returns.push(AbiParam::new(types::I64));
    s
}

/// A System V signature of `n` i64 parameters and `ret` i64 results.
pub(crate) fn sysv_signature(n: usize, ret: bool) -> Signature {
    let mut s = Signature::new(CallConv::SystemV);
    for _ in 0..n {
        s.params.push(AbiParam::new(types::I64));
    }
    if ret {
        s.returns.push(AbiParam::new(types::I64));
    }
    s
}

fn cl_type(t: Type) -> types::Type {
    match t {
        Type::I8 => types::I8,
        Type::I16 => types::I16,
        Type::I32 => types::I32,
        Type::I64 => types::I64,
        Type::F32 => types::F32,
        Type::F64 => types::F64,
        Type::V128 => types::I8X16,
    }
}

fn int_cc(c: Cmp) -> IntCC {
    match c {
        Cmp::Eq => IntCC::Equal,
        Cmp::Ne => IntCC::NotEqual,
        Cmp::Ult => IntCC::UnsignedLessThan,
        Cmp::Ule => IntCC::UnsignedLessThanOrEqual,
        Cmp::Ugt => IntCC::UnsignedGreaterThan,
        Cmp::Uge => IntCC::UnsignedGreaterThanOrEqual,
        Cmp::Slt => IntCC::SignedLessThan,
        Cmp::Sle => IntCC::SignedLessThanOrEqual,
        Cmp::Sgt => IntCC::SignedGreaterThan,
        Cmp::Sge => IntCC::SignedGreaterThanOrEqual,
    }
}

/// Flags of an access to a guest register of type `ty`: vector registers
/// may sit at 8-byte aligned offsets, so they are not marked aligned (an
/// aligned vector load could be folded into an SSE operand that requires 16).
fn reg_flags(ty: Type) -> MemFlagsData {
    if ty == Type::V128 {
        MemFlagsData::new().with_notrap()
    } else {
        trusted()
    }
}

/// The Cranelift vector type of a lane layout.
fn lane_type(l: Lanes) -> types::Type {
    match l {
        Lanes::B16 => types::I8X16,
        Lanes::H8 => types::I16X8,
        Lanes::S4 => types::I32X4,
        Lanes::D2 => types::I64X2,
    }
}

/// True if the register at `off` of type `ty` overlaps the state bytes `range`.
fn in_range(off: u32, ty: Type, (start, end): (u32, u32)) -> bool {
    off < end && off + ty.bytes() > start
}

/// The Cranelift vector type of an IEEE lane layout.
fn flane_type(l: FLanes) -> types::Type {
    match l {
        FLanes::F32x4 => types::F32X4,
        FLanes::F64x2 => types::F64X2,
    }
}

fn little() -> MemFlagsData {
    MemFlagsData::new().with_endianness(Endianness::Little)
}

fn trusted() -> MemFlagsData {
    MemFlagsData::trusted()
}

/// Most region members a computed branch compares its target with before
/// it looks in the jump cache.
const MAX_INDIRECT_MEMBERS: usize = 2;

/// Per-region facts the lowering embeds in code.
pub(crate) struct BlockCtx {
    /// The guest PC register.
    pub pc_reg: Reg,
    /// CPU mode flags each member block was translated under, in member
    /// order (what it continues under is its `exit_flags`, or these).
    pub flags: Vec<u32>,
    /// Addresses of the region's exit slots, two per member block (for
    /// `Jump`/`Branch` chaining); empty when chaining is off.
    pub slots: Vec<u64>,
    /// Address of the quick tier's execution counter (0: none): every
    /// member's prologue decrements it, and the one that brings it to zero
    /// returns [`exit_code::PROMOTE`] with its address in the environment.
    pub counter: u64,
}

struct Lower<'a, 'b> {
    b: &'a mut FunctionBuilder<'b>,
    sigs: &'a Sigs,
    ctx: &'a BlockCtx,
    /// The member block being lowered.
    ir: &'a Block,
    /// Its index among the members (selects its exit slots).
    member: usize,
    /// Guest PC of the region's first block (the page all members share).
    head_pc: u64,
    /// Guest PC, CPU mode flags and budget-check block of every member: a
    /// branch to a member (same PC, and the flags the branch continues
    /// under) jumps straight there, so guest loops inside the region are
    /// host loops.
    members: Vec<(u64, u32, ClBlock)>,
    cpu: ClValue,
    env: ClValue,
    vals: Vec<Option<ClValue>>,
    /// Guest registers held in variables: offset -> (variable, type, read by the block).
    regs: BTreeMap<u32, (Variable, Type, bool)>,
    /// Registers set so far in the block (in this iteration of a loop).
    set_so_far: BTreeSet<u32>,
    cur_pc: u64,
    /// The instruction budget, kept in a host register within the region
    /// and stored at its exits (a load and a store per block entry formed a
    /// chain through memory across the blocks of a guest loop).
    budget: Variable,
}

/// The members a region's code can be entered at, by index: the head, then
/// the first member of each other PC (a PC is all the entry names).
pub(crate) fn entry_members(blocks: &[&Block]) -> Vec<usize> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for (i, blk) in blocks.iter().enumerate() {
        if !seen.contains(&blk.pc) {
            seen.push(blk.pc);
            out.push(i);
        }
    }
    out
}

/// Compare the guest PC `pc` with each member's and jump to the header of
/// the first that matches; the builder is left where none matched.
fn branch_to_members(b: &mut FunctionBuilder<'_>, pc: ClValue, members: &[(u64, ClBlock)]) {
    for &(member_pc, header) in members {
        let hit = b.ins().icmp_imm_s(IntCC::Equal, pc, member_pc as i64);
        let next = b.create_block();
        b.ins().brif(hit, header, &[], next, &[]);
        b.switch_to_block(next);
    }
}

/// Lower a region into the function under construction in `b` (whose
/// signature is [`block_signature`]): `blocks[0]` is its head, the others are
/// blocks of the same guest page that it (transitively) branches to. The
/// function enters the member whose PC it is given, the first of that PC
/// (see [`entry_members`]); any other PC enters the head.
pub(crate) fn lower_region(b: &mut FunctionBuilder<'_>, sigs: &Sigs, ctx: &BlockCtx, blocks: &[&Block]) {
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    let cpu = b.block_params(entry)[0];
    let env = b.block_params(entry)[1];
    let entry_pc = b.block_params(entry)[2];
    // Every register the region touches, with its type; a field accessed with
    // two types is left in memory (each access loads or stores it), and so are
    // 128-bit registers: a vector load or store of the state is as cheap as a
    // register move, while keeping them in variables makes every exit and
    // helper call of the region write back and reload them (measured: half
    // the compile time and run time of vectorised guest loops).
    let mut seen: BTreeMap<u32, (Type, bool, bool)> = BTreeMap::new();
    let mut widest: BTreeMap<u32, u32> = BTreeMap::new();
    for inst in blocks.iter().flat_map(|blk| blk.insts.iter()) {
        let (reg, read) = match inst {
            Inst::Get(r) => (r, true),
            Inst::Set(r, _) => (r, false),
            _ => continue,
        };
        let w = widest.entry(reg.offset).or_insert(0);
        *w = (*w).max(reg.ty.bytes());
        let e = seen.entry(reg.offset).or_insert((reg.ty, false, false));
        e.1 |= read;
        e.2 |= e.0 != reg.ty || reg.ty == Type::V128;
    }
    // Fields that overlap another access (a lane of a vector register and
    // the whole register, say) are left in memory too.
    let spans: Vec<(u32, u32)> = widest.iter().map(|(o, w)| (*o, *o + w)).collect();
    for (i, &(start, end)) in spans.iter().enumerate() {
        for &(s2, _) in &spans[i + 1..] {
            if s2 >= end {
                break;
            }
            if let Some(e) = seen.get_mut(&start) {
                e.2 = true;
            }
            if let Some(e) = seen.get_mut(&s2) {
                e.2 = true;
            }
        }
    }
    let mut regs = BTreeMap::new();
    for (off, (ty, read, conflict)) in seen {
        if conflict {
            continue;
        }
        let var = b.declare_var(cl_type(ty));
        if read {
            let v = b.ins().load(cl_type(ty), reg_flags(ty), cpu, off as i32);
            b.def_var(var, v);
        }
        regs.insert(off, (var, ty, read));
    }
    let members: Vec<(u64, u32, ClBlock)> = blocks.iter().zip(&ctx.flags).map(|(blk, &f)| (blk.pc, f, b.create_block())).collect();
    // Before the dispatch: every entry starts with the budget loaded.
    let budget = b.declare_var(types::I64);
    let bud = b.ins().load(types::I64, trusted(), env, off::BUDGET);
    b.def_var(budget, bud);
    let entries: Vec<(u64, ClBlock)> = entry_members(blocks).iter().skip(1).map(|&i| (members[i].0, members[i].2)).collect();
    branch_to_members(b, entry_pc, &entries);
    b.ins().jump(members[0].2, &[]);
    let mut l = Lower {
        b,
        sigs,
        ctx,
        ir: blocks[0],
        member: 0,
        head_pc: blocks[0].pc,
        members,
        cpu,
        env,
        vals: Vec::new(),
        regs,
        set_so_far: BTreeSet::new(),
        cur_pc: blocks[0].pc,
        budget,
    };
    for (i, ir) in blocks.iter().enumerate() {
        l.ir = ir;
        l.member = i;
        l.vals = vec![None; ir.insts.len()];
        l.set_so_far.clear();
        l.cur_pc = ir.pc;
        let header = l.members[i].2;
        l.b.switch_to_block(header);
        l.prologue();
        for (k, inst) in ir.insts.iter().enumerate() {
            let v = l.inst(inst, ir.types[k]);
            l.vals[k] = v;
        }
        l.terminal();
    }
    l.b.seal_all_blocks();
}

impl Lower<'_, '_> {
    fn v(&self, x: chimera_ir::Value) -> ClValue {
        self.vals[x.0 as usize].expect("IR value without a lowering")
    }

    fn iconst(&mut self, ty: types::Type, imm: u64) -> ClValue {
        self.b.ins().iconst(ty, imm as i64)
    }

    /// Budget and exit-request check at block entry: long guest loops cannot
    /// starve interrupts or the loop's housekeeping.
    fn prologue(&mut self) {
        if self.ctx.counter != 0 {
            // Before the budget is charged: the block has not run when it
            // leaves for promotion.
            let addr = self.iconst(types::I64, self.ctx.counter);
            let n = self.b.ins().load(types::I64, trusted(), addr, 0);
            let n = self.b.ins().iadd_imm_s(n, -1);
            self.b.ins().store(trusted(), n, addr, 0);
            let due = self.b.ins().icmp_imm_s(IntCC::Equal, n, 0);
            let go = self.b.create_block();
            let promote = self.b.create_block();
            self.b.set_cold_block(promote);
            self.b.ins().brif(due, promote, &[], go, &[]);
            self.b.switch_to_block(promote);
            self.b.ins().store(trusted(), addr, self.env, off::PROMOTE);
            let pc = self.iconst(types::I64, self.ir.pc);
            self.exit_to_loop(pc, exit_code::PROMOTE);
            self.b.switch_to_block(go);
        }
        let er = self.b.ins().load(types::I32, trusted(), self.env, off::EXIT_REQUEST);
        let bud = self.b.use_var(self.budget);
        let nb = self.b.ins().iadd_imm_s(bud, -i64::from(self.ir.guest_insns));
        let c1 = self.b.ins().icmp_imm_s(IntCC::NotEqual, er, 0);
        let c2 = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, nb, 0);
        let c = self.b.ins().bor(c1, c2);
        // The budget is charged even when the block exits here, so a budget that
        // cannot cover the block makes the loop regain control instead of
        // re-entering the block forever.
        self.b.def_var(self.budget, nb);
        let body = self.b.create_block();
        let out = self.b.create_block();
        self.b.set_cold_block(out);
        self.b.ins().brif(c, out, &[], body, &[]);
        self.b.switch_to_block(out);
        let pc = self.iconst(types::I64, self.ir.pc);
        self.exit_to_loop(pc, exit_code::NEXT);
        self.b.switch_to_block(body);
    }

    /// Store the registers set so far (their variables hold the values of the
    /// completed guest instructions; the others are current in memory).
    fn writeback(&mut self) {
        self.writeback_range((0, u32::MAX));
    }

    /// [`Self::writeback`] of the registers inside the state bytes `range`.
    fn writeback_range(&mut self, range: (u32, u32)) {
        let written: Vec<(u32, Variable, Type)> = self
            .set_so_far
            .iter()
            .filter(|o| in_range(**o, self.regs[*o].1, range))
            .map(|o| (*o, self.regs[o].0, self.regs[o].1))
            .collect();
        for (o, var, ty) in written {
            let v = self.b.use_var(var);
            self.b.ins().store(reg_flags(ty), v, self.cpu, o as i32);
        }
    }

    /// After a helper call, which may change any of the state: reload the
    /// register variables that hold values.
    fn reload(&mut self, range: (u32, u32)) {
        let live: Vec<(u32, Variable, Type)> = self
            .regs
            .iter()
            .filter(|(o, r)| (r.2 || self.set_so_far.contains(o)) && in_range(**o, r.1, range))
            .map(|(o, r)| (*o, r.0, r.1))
            .collect();
        for (o, var, ty) in live {
            let v = self.b.ins().load(cl_type(ty), reg_flags(ty), self.cpu, o as i32);
            self.b.def_var(var, v);
        }
    }

    /// Store the budget for the code or loop that runs next.
    fn store_budget(&mut self) {
        let b = self.b.use_var(self.budget);
        self.b.ins().store(trusted(), b, self.env, off::BUDGET);
    }

    /// The CPU mode flags the member being lowered continues under at its
    /// chainable exit `k` (0: `Jump`, `Indirect`, `Branch` taken; 1: not taken).
    fn exit_flags(&self, k: usize) -> u32 {
        self.ir.flags_at_exit(k, self.ctx.flags[self.member])
    }

    /// Leave for the loop with exception `kind`, argument `arg`, raised by
    /// the instruction at `pc`.
    fn raise(&mut self, pc: u64, kind: u32, arg: ClValue) {
        let k = self.iconst(types::I64, u64::from(kind));
        self.b.ins().store(trusted(), k, self.env, off::EXC_KIND);
        self.b.ins().store(trusted(), arg, self.env, off::EXC_ARG);
        let p = self.iconst(types::I64, pc);
        self.exit_to_loop(p, exit_code::EXCEPTION);
    }

    /// Write back, set the guest PC, return `code`.
    fn exit_to_loop(&mut self, pc: ClValue, code: u64) {
        self.exit_to_loop_linked(pc, None, code);
    }

    /// [`Self::exit_to_loop`] through an exit slot: `link` is the slot's
    /// address and the flags the successor runs under, recorded for the loop
    /// to chain the slot to it.
    fn exit_to_loop_linked(&mut self, pc: ClValue, link: Option<(u64, u32)>, code: u64) {
        self.writeback();
        self.store_budget();
        self.b.ins().store(trusted(), pc, self.cpu, self.ctx.pc_reg.offset as i32);
        let slot = self.iconst(types::I64, link.map_or(0, |l| l.0));
        self.b.ins().store(trusted(), slot, self.env, off::LINK_SLOT);
        if let Some((_, flags)) = link {
            let fl = self.iconst(types::I64, u64::from(flags));
            self.b.ins().store(trusted(), fl, self.env, off::LINK_FLAGS);
        }
        let c = self.iconst(types::I64, code);
        self.b.ins().return_(&[c]);
    }

    fn get(&mut self, reg: Reg) -> ClValue {
        match self.regs.get(&reg.offset) {
            Some(r) => self.b.use_var(r.0),
            None => self.b.ins().load(cl_type(reg.ty), reg_flags(reg.ty), self.cpu, reg.offset as i32),
        }
    }

    fn inst(&mut self, inst: &Inst, ty: Option<Type>) -> Option<ClValue> {
        Some(match inst {
            Inst::InsnStart { pc } => {
                self.cur_pc = *pc;
                return None;
            }
            Inst::Const { ty, imm } => self.iconst(cl_type(*ty), *imm),
            Inst::Get(reg) => self.get(*reg),
            Inst::Set(reg, x) => {
                let v = self.v(*x);
                match self.regs.get(&reg.offset) {
                    Some(r) => {
                        self.b.def_var(r.0, v);
                        self.set_so_far.insert(reg.offset);
                    }
                    // A field left in memory: storing at once is precise, since
                    // an instruction sets registers only after its last access.
                    None => {
                        self.b.ins().store(reg_flags(reg.ty), v, self.cpu, reg.offset as i32);
                    }
                }
                return None;
            }
            Inst::Bin(op, a, b) => {
                let (a, b) = (self.v(*a), self.v(*b));
                self.bin(*op, a, b, ty.unwrap())
            }
            Inst::Un(op, a) => {
                let a = self.v(*a);
                let ins = self.b.ins();
                match op {
                    UnOp::Not => ins.bnot(a),
                    UnOp::Neg => ins.ineg(a),
                    UnOp::Clz => ins.clz(a),
                    UnOp::Cls => ins.cls(a),
                    UnOp::Ctz => ins.ctz(a),
                    UnOp::Popcnt => ins.popcnt(a),
                    UnOp::Bswap if ty == Some(Type::I8) => a,
                    UnOp::Bswap => ins.bswap(a),
                    UnOp::Bitrev => ins.bitrev(a),
                }
            }
            Inst::Icmp(cc, a, b) => {
                let (a, b) = (self.v(*a), self.v(*b));
                self.b.ins().icmp(int_cc(*cc), a, b)
            }
            Inst::Select(c, a, b) => {
                let (c, a, b) = (self.v(*c), self.v(*a), self.v(*b));
                self.b.ins().select(c, a, b)
            }
            Inst::Ext(op, to, a) => {
                let a = self.v(*a);
                let t = cl_type(*to);
                match op {
                    ExtOp::Zext => self.b.ins().uextend(t, a),
                    ExtOp::Sext => self.b.ins().sextend(t, a),
                    ExtOp::Trunc => self.b.ins().ireduce(t, a),
                }
            }
            Inst::Load(op, lty, addr) => {
                let addr = self.v(*addr);
                self.load(*op, *lty, addr)
            }
            Inst::TlbFlush(f, va, asid) => {
                let desc = self.iconst(types::I64, softmmu::pack_flush(*f));
                let (va, asid) = (self.v(*va), self.v(*asid));
                self.call_runtime(softmmu::rt_tlb_flush, &[desc, va, asid]);
                return None;
            }
            Inst::GuestTime => self.call_runtime(softmmu::rt_guest_time, &[]),
            Inst::TrapIf(c, kind, arg) => {
                let (c, arg) = (self.v(*c), self.v(*arg));
                let trap = self.b.create_block();
                let cont = self.b.create_block();
                self.b.set_cold_block(trap);
                self.b.ins().brif(c, trap, &[], cont, &[]);
                self.b.switch_to_block(trap);
                self.raise(self.cur_pc, *kind, arg);
                self.b.switch_to_block(cont);
                return None;
            }
            Inst::Store(op, addr, val) => {
                let (addr, val) = (self.v(*addr), self.v(*val));
                self.store(*op, addr, val);
                return None;
            }
            Inst::VBin(op, lanes, a, b) => {
                let (a, b) = (self.v(*a), self.v(*b));
                self.vbin(*op, *lanes, a, b)
            }
            Inst::VShift(op, lanes, a, amount) => {
                let t = lane_type(*lanes);
                let a = self.v(*a);
                let a = self.b.ins().bitcast(t, little(), a);
                let n = self.iconst(types::I32, u64::from(*amount));
                let r = match op {
                    VecShift::Shl => self.b.ins().ishl(a, n),
                    VecShift::Lshr => self.b.ins().ushr(a, n),
                    VecShift::Ashr => self.b.ins().sshr(a, n),
                };
                self.b.ins().bitcast(types::I8X16, little(), r)
            }
            Inst::VSplat(lanes, x) => {
                let x = self.v(*x);
                let r = self.b.ins().splat(lane_type(*lanes), x);
                self.b.ins().bitcast(types::I8X16, little(), r)
            }
            Inst::VSelect(m, a, b) => {
                let (m, a, b) = (self.v(*m), self.v(*a), self.v(*b));
                self.b.ins().bitselect(m, a, b)
            }
            Inst::VConcat(lo, hi) => {
                let (lo, hi) = (self.v(*lo), self.v(*hi));
                let v = self.b.ins().scalar_to_vector(types::I64X2, lo);
                let v = self.b.ins().insertlane(v, hi, 1u8);
                self.b.ins().bitcast(types::I8X16, little(), v)
            }
            Inst::VHalf(x, hi) => {
                let x = self.v(*x);
                let v = self.b.ins().bitcast(types::I64X2, little(), x);
                self.b.ins().extractlane(v, u8::from(*hi))
            }
            Inst::VFBin(op, lanes, a, b) => {
                let t = flane_type(*lanes);
                let (a, b) = (self.v(*a), self.v(*b));
                let a = self.b.ins().bitcast(t, little(), a);
                let b = self.b.ins().bitcast(t, little(), b);
                let r = match op {
                    VecFOp::Add => self.b.ins().fadd(a, b),
                    VecFOp::Sub => self.b.ins().fsub(a, b),
                    VecFOp::Mul => self.b.ins().fmul(a, b),
                };
                self.b.ins().bitcast(types::I8X16, little(), r)
            }
            Inst::VFma(lanes, acc, a, b) => {
                let t = flane_type(*lanes);
                let (c, a, b) = (self.v(*acc), self.v(*a), self.v(*b));
                let c = self.b.ins().bitcast(t, little(), c);
                let a = self.b.ins().bitcast(t, little(), a);
                let b = self.b.ins().bitcast(t, little(), b);
                let r = self.b.ins().fma(a, b, c);
                self.b.ins().bitcast(types::I8X16, little(), r)
            }
            Inst::CallIf(c, h, args) => {
                let c = self.v(*c);
                let call = self.b.create_block();
                let cont = self.b.create_block();
                self.b.set_cold_block(call);
                self.b.ins().brif(c, call, &[], cont, &[]);
                self.b.switch_to_block(call);
                self.call_helper(h, args);
                self.b.ins().jump(cont, &[]);
                self.b.switch_to_block(cont);
                return None;
            }
            Inst::Call(h, args) => self.call_helper(h, args),
        })
    }

    /// A lane-wise operation on two vectors (kept as `i8x16` between
    /// instructions, bitcast to the lane layout for the operation).
    fn vbin(&mut self, op: VecOp, lanes: Lanes, a: ClValue, b: ClValue) -> ClValue {
        let t = lane_type(lanes);
        let a = self.b.ins().bitcast(t, little(), a);
        let b = self.b.ins().bitcast(t, little(), b);
        let ins = self.b.ins();
        let r = match op {
            VecOp::Add => ins.iadd(a, b),
            VecOp::Sub => ins.isub(a, b),
            VecOp::Mul => ins.imul(a, b),
            VecOp::And => ins.band(a, b),
            VecOp::Or => ins.bor(a, b),
            VecOp::Xor => ins.bxor(a, b),
            VecOp::AndNot => ins.band_not(a, b),
            VecOp::AddSatS => ins.sadd_sat(a, b),
            VecOp::AddSatU => ins.uadd_sat(a, b),
            VecOp::SubSatS => ins.ssub_sat(a, b),
            VecOp::SubSatU => ins.usub_sat(a, b),
            VecOp::MinS => ins.smin(a, b),
            VecOp::MinU => ins.umin(a, b),
            VecOp::MaxS => ins.smax(a, b),
            VecOp::MaxU => ins.umax(a, b),
            VecOp::Eq => ins.icmp(IntCC::Equal, a, b),
            VecOp::GtS => ins.icmp(IntCC::SignedGreaterThan, a, b),
            VecOp::GeS => ins.icmp(IntCC::SignedGreaterThanOrEqual, a, b),
            VecOp::GtU => ins.icmp(IntCC::UnsignedGreaterThan, a, b),
            VecOp::GeU => ins.icmp(IntCC::UnsignedGreaterThanOrEqual, a, b),
        };
        self.b.ins().bitcast(types::I8X16, little(), r)
    }

    /// Call a helper: the registers go to memory before and come back after.
    fn call_helper(&mut self, h: &chimera_ir::Helper, args: &[chimera_ir::Value]) -> ClValue {
        let func = h.func as *const () as u64;
        self.writeback_range(h.state);
        let mut a = vec![self.cpu, self.env];
        for x in args {
            a.push(self.v(*x));
        }
        while a.len() < 5 {
            a.push(self.iconst(types::I64, 0));
        }
        let f = self.iconst(types::I64, func);
        let call = self.b.ins().call_indirect(self.sigs.helper, f, &a);
        let r = self.b.inst_results(call)[0];
        self.reload(h.state);
        r
    }

    /// Call a runtime function of the softmmu (helper signature) that touches
    /// no guest register.
    fn call_runtime(&mut self, func: chimera_ir::HelperFn, args: &[ClValue]) -> ClValue {
        let mut a = vec![self.cpu, self.env];
        a.extend_from_slice(args);
        while a.len() < 5 {
            a.push(self.iconst(types::I64, 0));
        }
        let f = self.iconst(types::I64, func as *const () as u64);
        let call = self.b.ins().call_indirect(self.sigs.helper, f, &a);
        self.b.inst_results(call)[0]
    }

    fn bin(&mut self, op: BinOp, a: ClValue, b: ClValue, ty: Type) -> ClValue {
        let t = cl_type(ty);
        match op {
            BinOp::Add => self.b.ins().iadd(a, b),
            BinOp::Sub => self.b.ins().isub(a, b),
            BinOp::Mul => self.b.ins().imul(a, b),
            BinOp::MulHiU => self.b.ins().umulhi(a, b),
            BinOp::MulHiS => self.b.ins().smulhi(a, b),
            BinOp::And => self.b.ins().band(a, b),
            BinOp::Or => self.b.ins().bor(a, b),
            BinOp::Xor => self.b.ins().bxor(a, b),
            BinOp::Shl => self.b.ins().ishl(a, b),
            BinOp::Lshr => self.b.ins().ushr(a, b),
            BinOp::Ashr => self.b.ins().sshr(a, b),
            BinOp::Rotr => self.b.ins().rotr(a, b),
            // Host division traps on zero and on MIN / -1; the IR defines both.
            BinOp::UDiv | BinOp::URem => {
                let zero = self.b.ins().icmp_imm_s(IntCC::Equal, b, 0);
                let one = self.iconst(t, 1);
                let sb = self.b.ins().select(zero, one, b);
                if op == BinOp::UDiv {
                    let q = self.b.ins().udiv(a, sb);
                    let z = self.iconst(t, 0);
                    self.b.ins().select(zero, z, q)
                } else {
                    let r = self.b.ins().urem(a, sb);
                    self.b.ins().select(zero, a, r)
                }
            }
            BinOp::SDiv | BinOp::SRem => {
                let zero = self.b.ins().icmp_imm_s(IntCC::Equal, b, 0);
                let min = self.iconst(t, 1u64 << (ty.bits() - 1));
                let amin = self.b.ins().icmp(IntCC::Equal, a, min);
                let bm1 = self.b.ins().icmp_imm_s(IntCC::Equal, b, -1);
                let ovf = self.b.ins().band(amin, bm1);
                let bad = self.b.ins().bor(zero, ovf);
                let one = self.iconst(t, 1);
                let sb = self.b.ins().select(bad, one, b);
                if op == BinOp::SDiv {
                    let q = self.b.ins().sdiv(a, sb);
                    let z = self.iconst(t, 0);
                    self.b.ins().select(zero, z, q)
                } else {
                    let r = self.b.ins().srem(a, sb);
                    self.b.ins().select(zero, a, r)
                }
            }
        }
    }

    /// Compute the TLB entry address and compare its tag for an inline access.
    /// Returns (hit condition, entry address).
    fn tlb_probe(&mut self, addr: ClValue, op: MemOp, write: bool) -> (ClValue, ClValue) {
        // Accesses misaligned for their size (or their required alignment) keep
        // low bits set and miss: the slow path handles page crossing and faults.
        let low = u64::from(op.size.max(op.align)) - 1;
        let page = self.b.ins().ushr_imm_s(addr, i64::from(PAGE_BITS));
        let idx = self.b.ins().band_imm_s(page, (TLB_ENTRIES - 1) as i64);
        let byte_off = self.b.ins().ishl_imm_s(idx, 5);
        debug_assert_eq!(std::mem::size_of::<crate::env::TlbEntry>(), 32);
        let entry = self.b.ins().iadd(self.env, byte_off);
        // The TLB of the access's MMU index: a constant offset.
        let base = i32::from(op.mmu) * off::TLB_STRIDE;
        let tag = self.b.ins().load(types::I64, trusted(), entry, base + if write { off::TLB_WRITE } else { off::TLB_READ });
        let masked = self.b.ins().band_imm_s(addr, (PAGE_MASK | low) as i64);
        let hit = self.b.ins().icmp(IntCC::Equal, masked, tag);
        (hit, entry)
    }

    fn host_addr(&mut self, entry: ClValue, addr: ClValue, mmu: u8) -> ClValue {
        let addend = self.b.ins().load(types::I64, trusted(), entry, i32::from(mmu) * off::TLB_STRIDE + off::TLB_ADDEND);
        self.b.ins().iadd(addr, addend)
    }

    /// Cold exit for a faulting access at the current guest instruction.
    fn fault_exit(&mut self) -> ClBlock {
        let blk = self.b.create_block();
        self.b.set_cold_block(blk);
        blk
    }

    /// Fill the fault exit block; the caller switches to its continuation next.
    fn emit_fault_exit(&mut self, blk: ClBlock) {
        self.b.switch_to_block(blk);
        let pc = self.iconst(types::I64, self.cur_pc);
        self.exit_to_loop(pc, exit_code::FAULT);
    }

    /// A guest load: the TLB probed inline, the slow path on a miss. Both
    /// tiers probe inline: with compilation on its own thread the probe's
    /// compile cost is off the guest's path (Debian's kernel boot, one run
    /// each on a noisy machine: 12.7 s without it in quick-tier code, 8.9 s
    /// with it).
    fn load(&mut self, op: MemOp, ty: Type, addr: ClValue) -> ClValue {
        let narrow = cl_type(Type::int_of_bytes(u32::from(op.size)).expect("load size"));
        let join = self.b.create_block();
        self.b.append_block_param(join, narrow);
        let slow = self.b.create_block();
        self.b.set_cold_block(slow);
        let (hit, entry) = self.tlb_probe(addr, op, false);
        let fast = self.b.create_block();
        self.b.ins().brif(hit, fast, &[], slow, &[]);
        self.b.switch_to_block(fast);
        let host = self.host_addr(entry, addr, op.mmu);
        let mut v = self.b.ins().load(narrow, MemFlagsData::new().with_notrap(), host, 0);
        if op.endian == Endian::Big && op.size > 1 {
            v = self.b.ins().bswap(v);
        }
        self.b.ins().jump(join, &[v.into()]);
        self.b.switch_to_block(slow);
        let f = self.iconst(types::I64, softmmu::slow_load as *const () as u64);
        let desc = self.iconst(types::I64, softmmu::pack(op));
        let call = self.b.ins().call_indirect(self.sigs.slow_load, f, &[self.env, addr, desc]);
        let raw = self.b.inst_results(call)[0];
        let st = self.b.ins().load(types::I32, trusted(), self.env, off::STATUS);
        let v = if narrow == types::I64 { raw } else { self.b.ins().ireduce(narrow, raw) };
        let fault = self.fault_exit();
        self.b.ins().brif(st, fault, &[], join, &[v.into()]);
        self.emit_fault_exit(fault);
        self.b.switch_to_block(join);
        let v = self.b.block_params(join)[0];
        let t = cl_type(ty);
        if t == narrow {
            v
        } else if op.signed {
            self.b.ins().sextend(t, v)
        } else {
            self.b.ins().uextend(t, v)
        }
    }

    /// A guest store; TLB probed inline, as [`Self::load`].
    fn store(&mut self, op: MemOp, addr: ClValue, val: ClValue) {
        let narrow = cl_type(Type::int_of_bytes(u32::from(op.size)).expect("store size"));
        let vt = self.b.func.dfg.value_type(val);
        let join = self.b.create_block();
        let slow = self.b.create_block();
        self.b.set_cold_block(slow);
        let (hit, entry) = self.tlb_probe(addr, op, true);
        let fast = self.b.create_block();
        self.b.ins().brif(hit, fast, &[], slow, &[]);
        self.b.switch_to_block(fast);
        let host = self.host_addr(entry, addr, op.mmu);
        let mut v = if vt == narrow { val } else { self.b.ins().ireduce(narrow, val) };
        if op.endian == Endian::Big && op.size > 1 {
            v = self.b.ins().bswap(v);
        }
        self.b.ins().store(MemFlagsData::new().with_notrap(), v, host, 0);
        self.b.ins().jump(join, &[]);
        self.b.switch_to_block(slow);
        let f = self.iconst(types::I64, softmmu::slow_store as *const () as u64);
        let desc = self.iconst(types::I64, softmmu::pack(op));
        let wide = if vt == types::I64 { val } else { self.b.ins().uextend(types::I64, val) };
        self.b.ins().call_indirect(self.sigs.slow_store, f, &[self.env, addr, wide, desc]);
        let st = self.b.ins().load(types::I32, trusted(), self.env, off::STATUS);
        let fault = self.fault_exit();
        self.b.ins().brif(st, fault, &[], join, &[]);
        self.emit_fault_exit(fault);
        self.b.switch_to_block(join);
    }

    /// Continue at a constant PC: through the block's exit slot when the target
    /// is in the same guest page (the mapping of a page cannot change under a
    /// running block), else through the jump cache.
    fn goto_const(&mut self, target: u64, slot_index: usize) {
        let slot = self.ctx.slots.get(2 * self.member + slot_index).copied().unwrap_or(0);
        let flags = self.exit_flags(slot_index);
        let member = self.members.iter().find(|m| m.0 == target && m.1 == flags).map(|m| m.2);
        if let (Some(header), true) = (member, slot != 0) {
            // A block of this region: the registers set so far go to memory
            // (the ones the region reads stay in host registers), then the
            // member's budget check.
            self.writeback();
            self.b.ins().jump(header, &[]);
        } else if slot == 0 {
            // Chaining is off: every block returns to the loop.
            let pc = self.iconst(types::I64, target);
            self.exit_to_loop(pc, exit_code::NEXT);
        } else if target & PAGE_MASK == self.head_pc & PAGE_MASK {
            self.writeback();
            let slot_addr = self.iconst(types::I64, slot);
            let code = self.b.ins().load(types::I64, MemFlagsData::new().with_notrap(), slot_addr, 0);
            let pc = self.iconst(types::I64, target);
            let go = self.b.create_block();
            let miss = self.b.create_block();
            self.b.set_cold_block(miss);
            self.b.ins().brif(code, go, &[], miss, &[]);
            self.b.switch_to_block(go);
            self.store_budget();
            self.b.ins().return_call_indirect(self.sigs.tail, code, &[self.cpu, self.env, pc]);
            self.b.switch_to_block(miss);
            self.exit_to_loop_linked(pc, Some((slot, flags)), exit_code::NEXT);
        } else {
            let t = self.iconst(types::I64, target);
            self.goto_indirect(t);
        }
    }

    /// Continue at a computed PC through the jump cache.
    fn goto_indirect(&mut self, target: ClValue) {
        if self.ctx.slots.is_empty() {
            self.exit_to_loop(target, exit_code::NEXT);
            return;
        }
        self.writeback();
        // A member of the region (a loop closed by a computed branch, as
        // SPARC's delay-slot blocks end): a compare and a host jump, for the
        // first few members that run under the flags this exit continues under.
        let flags = self.exit_flags(0);
        let near: Vec<(u64, ClBlock)> = self.members.iter().filter(|m| m.1 == flags).take(MAX_INDIRECT_MEMBERS).map(|m| (m.0, m.2)).collect();
        branch_to_members(self.b, target, &near);
        let idx = self.b.ins().ushr_imm_s(target, 2);
        let idx = self.b.ins().band_imm_s(idx, (JMP_CACHE_ENTRIES - 1) as i64);
        debug_assert_eq!(std::mem::size_of::<crate::env::JmpEntry>(), 32);
        let byte_off = self.b.ins().ishl_imm_s(idx, 5);
        let e = self.b.ins().iadd(self.env, byte_off);
        let pc = self.b.ins().load(types::I64, trusted(), e, off::JMP_CACHE + off::JC_PC);
        let fl = self.b.ins().load(types::I64, trusted(), e, off::JMP_CACHE + off::JC_FLAGS);
        let c1 = self.b.ins().icmp(IntCC::Equal, pc, target);
        let want = i64::from(self.exit_flags(0));
        let c2 = self.b.ins().icmp_imm_s(IntCC::Equal, fl, want);
        let hit = self.b.ins().band(c1, c2);
        let go = self.b.create_block();
        let miss = self.b.create_block();
        self.b.ins().brif(hit, go, &[], miss, &[]);
        self.b.switch_to_block(go);
        let code = self.b.ins().load(types::I64, trusted(), e, off::JMP_CACHE + off::JC_CODE);
        self.store_budget();
        self.b.ins().return_call_indirect(self.sigs.tail, code, &[self.cpu, self.env, target]);
        self.b.switch_to_block(miss);
        self.exit_to_loop(target, exit_code::NEXT);
    }

    fn terminal(&mut self) {
        match self.ir.term.clone() {
            Terminal::Jump(t) => self.goto_const(t, 0),
            Terminal::Branch { cond, taken, not_taken } => {
                let c = self.v(cond);
                let a = self.b.create_block();
                let nb = self.b.create_block();
                self.b.ins().brif(c, a, &[], nb, &[]);
                self.b.switch_to_block(a);
                self.goto_const(taken, 0);
                self.b.switch_to_block(nb);
                self.goto_const(not_taken, 1);
            }
            Terminal::Indirect(v) => {
                let t = self.v(v);
                self.goto_indirect(t);
            }
            Terminal::Exception { pc, kind, arg } => {
                let a = self.iconst(types::I64, arg);
                self.raise(pc, kind, a);
            }
            Terminal::Exit(t) => {
                let p = self.iconst(types::I64, t);
                self.exit_to_loop(p, exit_code::NEXT);
            }
            Terminal::ExitIndirect(v) => {
                let p = self.v(v);
                self.exit_to_loop(p, exit_code::NEXT);
            }
        }
    }
}

