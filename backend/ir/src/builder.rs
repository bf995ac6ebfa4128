//! A thin builder for IR blocks, with the flag computations the frontends share.

use crate::inst::{BinOp, Block, Cmp, ExtOp, FLanes, Helper, Inst, Lanes, Reg, Terminal, UnOp, Value, VecFOp, VecOp, VecShift};
use crate::types::{MemOp, Type};

/// Builds one [`Block`].
///
/// ```
/// use chimera_ir::{Builder, Reg, Terminal, Type};
/// let x0 = Reg { offset: 0, ty: Type::I64 };
/// let mut b = Builder::new(0x4000_0000);
/// b.insn_start(0x4000_0000);
/// let v = b.get(x0);
/// let one = b.iconst(Type::I64, 1);
/// let sum = b.add(v, one);
/// b.set(x0, sum);
/// let block = b.finish(Terminal::Jump(0x4000_0004), 1, 4);
/// assert!(chimera_ir::verify(&block, 8).is_ok());
/// ```
pub struct Builder {
    block: Block,
}

/// The four condition flags of an arithmetic result, each an `I8` holding 0 or 1.
#[derive(Clone, Copy, Debug)]
pub struct Flags {
    /// Negative: the sign bit of the result.
    pub n: Value,
    /// Zero: the result is zero.
    pub z: Value,
    /// Carry: unsigned carry out (for subtraction: no borrow).
    pub c: Value,
    /// Overflow: signed overflow.
    pub v: Value,
}

impl Builder {
    /// Start a block at guest PC `pc`.
    pub fn new(pc: u64) -> Builder {
        Builder {
            block: Block {
                pc,
                guest_insns: 0,
                guest_bytes: 0,
                insts: Vec::new(),
                types: Vec::new(),
                term: Terminal::Exit(pc),
                exit_flags: [None; 2],
            },
        }
    }

    fn push(&mut self, inst: Inst, ty: Option<Type>) -> Value {
        let v = Value(self.block.insts.len() as u32);
        self.block.insts.push(inst);
        self.block.types.push(ty);
        v
    }

    /// The type of a value built so far.
    pub fn ty(&self, v: Value) -> Type {
        self.block.ty(v)
    }

    /// Number of IR instructions so far.
    pub fn len(&self) -> usize {
        self.block.insts.len()
    }

    /// True if nothing has been emitted.
    pub fn is_empty(&self) -> bool {
        self.block.insts.is_empty()
    }

    /// Mark the start of the guest instruction at `pc`.
    pub fn insn_start(&mut self, pc: u64) {
        self.push(Inst::InsnStart { pc }, None);
    }

    /// Integer constant.
    pub fn iconst(&mut self, ty: Type, imm: u64) -> Value {
        self.push(Inst::Const { ty, imm: imm & ty.mask() }, Some(ty))
    }

    /// If `v` is a constant, its value.
    pub fn const_value(&self, v: Value) -> Option<u64> {
        match self.block.insts[v.0 as usize] {
            Inst::Const { imm, .. } => Some(imm),
            _ => None,
        }
    }

    /// Read a guest register.
    pub fn get(&mut self, reg: Reg) -> Value {
        self.push(Inst::Get(reg), Some(reg.ty))
    }

    /// Write a guest register.
    pub fn set(&mut self, reg: Reg, v: Value) {
        self.push(Inst::Set(reg, v), None);
    }

    /// `a op b` lane by lane on `V128` values.
    pub fn vbin(&mut self, op: VecOp, lanes: Lanes, a: Value, b: Value) -> Value {
        self.push(Inst::VBin(op, lanes, a, b), Some(Type::V128))
    }

    /// Shift every lane of a `V128` by an immediate.
    pub fn vshift(&mut self, op: VecShift, lanes: Lanes, a: Value, amount: u32) -> Value {
        self.push(Inst::VShift(op, lanes, a, amount), Some(Type::V128))
    }

    /// A `V128` with `x` (of the lane type) in every lane.
    pub fn vsplat(&mut self, lanes: Lanes, x: Value) -> Value {
        self.push(Inst::VSplat(lanes, x), Some(Type::V128))
    }

    /// Bitwise select `(a & mask) | (b & !mask)` on `V128` values.
    pub fn vselect(&mut self, mask: Value, a: Value, b: Value) -> Value {
        self.push(Inst::VSelect(mask, a, b), Some(Type::V128))
    }

    /// A `V128` from two `I64` halves.
    pub fn vconcat(&mut self, lo: Value, hi: Value) -> Value {
        self.push(Inst::VConcat(lo, hi), Some(Type::V128))
    }

    /// The low or high `I64` half of a `V128`.
    pub fn vhalf(&mut self, v: Value, hi: bool) -> Value {
        self.push(Inst::VHalf(v, hi), Some(Type::I64))
    }

    /// IEEE `a op b` lane by lane.
    pub fn vfbin(&mut self, op: VecFOp, lanes: FLanes, a: Value, b: Value) -> Value {
        self.push(Inst::VFBin(op, lanes, a, b), Some(Type::V128))
    }

    /// IEEE fused `acc + a * b` lane by lane.
    pub fn vfma(&mut self, lanes: FLanes, acc: Value, a: Value, b: Value) -> Value {
        self.push(Inst::VFma(lanes, acc, a, b), Some(Type::V128))
    }

    /// Drop cached translations (see [`Inst::TlbFlush`]).
    pub fn tlb_flush(&mut self, flush: crate::TlbFlush, vaddr: Value, asid: Value) {
        self.push(Inst::TlbFlush(flush, vaddr, asid), None);
    }

    /// The machine's guest time in nanoseconds.
    pub fn guest_time(&mut self) -> Value {
        self.push(Inst::GuestTime, Some(Type::I64))
    }

    /// Raise exception `kind` with argument `arg` (an `I64`) for the current
    /// guest instruction if `cond` (an `I8`) is non-zero (see [`Inst::TrapIf`]).
    pub fn trap_if(&mut self, cond: Value, kind: u32, arg: Value) {
        self.push(Inst::TrapIf(cond, kind, arg), None);
    }

    /// The block's chainable exits continue under other CPU mode flags (see
    /// [`Block::exit_flags`](crate::Block::exit_flags)).
    pub fn set_exit_flags(&mut self, flags: u32) {
        self.block.exit_flags = [Some(flags); 2];
    }

    /// A `Branch` continues under `taken` flags at its taken target and
    /// `not_taken` at the other.
    pub fn set_branch_exit_flags(&mut self, taken: u32, not_taken: u32) {
        self.block.exit_flags = [Some(taken), Some(not_taken)];
    }

    /// Call `helper` only if `cond` (an `I8`) is non-zero.
    pub fn call_if(&mut self, cond: Value, helper: Helper, args: &[Value]) {
        self.push(Inst::CallIf(cond, helper, args.to_vec()), None);
    }

    /// Any binary operation.
    pub fn bin(&mut self, op: BinOp, a: Value, b: Value) -> Value {
        let ty = self.ty(a);
        self.push(Inst::Bin(op, a, b), Some(ty))
    }

    /// Any unary operation.
    pub fn un(&mut self, op: UnOp, a: Value) -> Value {
        let ty = self.ty(a);
        self.push(Inst::Un(op, a), Some(ty))
    }

    /// `a + b`.
    pub fn add(&mut self, a: Value, b: Value) -> Value {
        self.bin(BinOp::Add, a, b)
    }
    /// `a - b`.
    pub fn sub(&mut self, a: Value, b: Value) -> Value {
        self.bin(BinOp::Sub, a, b)
    }
    /// `a & b`.
    pub fn and(&mut self, a: Value, b: Value) -> Value {
        self.bin(BinOp::And, a, b)
    }
    /// `a | b`.
    pub fn or(&mut self, a: Value, b: Value) -> Value {
        self.bin(BinOp::Or, a, b)
    }
    /// `a ^ b`.
    pub fn xor(&mut self, a: Value, b: Value) -> Value {
        self.bin(BinOp::Xor, a, b)
    }
    /// `a << b`.
    pub fn shl(&mut self, a: Value, b: Value) -> Value {
        self.bin(BinOp::Shl, a, b)
    }
    /// `a >> b` (logical).
    pub fn lshr(&mut self, a: Value, b: Value) -> Value {
        self.bin(BinOp::Lshr, a, b)
    }
    /// `a >> b` (arithmetic).
    pub fn ashr(&mut self, a: Value, b: Value) -> Value {
        self.bin(BinOp::Ashr, a, b)
    }
    /// `!a`.
    pub fn not(&mut self, a: Value) -> Value {
        self.un(UnOp::Not, a)
    }

    /// `a op imm`, with the constant in `a`'s type.
    pub fn bin_imm(&mut self, op: BinOp, a: Value, imm: u64) -> Value {
        let ty = self.ty(a);
        let c = self.iconst(ty, imm);
        self.bin(op, a, c)
    }

    /// Compare; the result is an `I8` 0/1.
    pub fn icmp(&mut self, cc: Cmp, a: Value, b: Value) -> Value {
        self.push(Inst::Icmp(cc, a, b), Some(Type::I8))
    }

    /// Compare with a constant of `a`'s type.
    pub fn icmp_imm(&mut self, cc: Cmp, a: Value, imm: u64) -> Value {
        let ty = self.ty(a);
        let c = self.iconst(ty, imm);
        self.icmp(cc, a, c)
    }

    /// `cond ? a : b`.
    pub fn select(&mut self, cond: Value, a: Value, b: Value) -> Value {
        let ty = self.ty(a);
        self.push(Inst::Select(cond, a, b), Some(ty))
    }

    /// Zero-extend (or pass through if already `ty`).
    pub fn zext(&mut self, ty: Type, a: Value) -> Value {
        self.resize(ExtOp::Zext, ty, a)
    }

    /// Sign-extend (or pass through if already `ty`).
    pub fn sext(&mut self, ty: Type, a: Value) -> Value {
        self.resize(ExtOp::Sext, ty, a)
    }

    /// Truncate (or pass through if already `ty`).
    pub fn trunc(&mut self, ty: Type, a: Value) -> Value {
        self.resize(ExtOp::Trunc, ty, a)
    }

    fn resize(&mut self, op: ExtOp, ty: Type, a: Value) -> Value {
        if self.ty(a) == ty {
            a
        } else {
            self.push(Inst::Ext(op, ty, a), Some(ty))
        }
    }

    /// Load from guest memory at a 64-bit address, extended to `ty`.
    pub fn load(&mut self, op: MemOp, ty: Type, addr: Value) -> Value {
        self.push(Inst::Load(op, ty, addr), Some(ty))
    }

    /// Store to guest memory.
    pub fn store(&mut self, op: MemOp, addr: Value, value: Value) {
        self.push(Inst::Store(op, addr, value), None);
    }

    /// Call a helper with up to three `I64` arguments.
    pub fn call(&mut self, helper: Helper, args: &[Value]) -> Value {
        self.push(Inst::Call(helper, args.to_vec()), Some(Type::I64))
    }

    /// Flags of `a + b + carry_in` (carry_in an `I8` 0/1, or none): the result and NZCV
    /// as the ARM ARM pseudocode `AddWithCarry()` defines them (shared by SPARC icc).
    pub fn add_with_carry(&mut self, a: Value, b: Value, carry_in: Option<Value>) -> (Value, Flags) {
        let ty = self.ty(a);
        let sum = self.add(a, b);
        let (r, c) = match carry_in {
            None => {
                let c = self.icmp(Cmp::Ult, sum, a);
                (sum, c)
            }
            Some(cin) => {
                let cin_w = self.zext(ty, cin);
                let r = self.add(sum, cin_w);
                // Carry out of a+b, or of (a+b)+cin.
                let c1 = self.icmp(Cmp::Ult, sum, a);
                let c2 = self.icmp(Cmp::Ult, r, sum);
                let c = self.bin(BinOp::Or, c1, c2);
                (r, c)
            }
        };
        // Signed overflow: the operands agree in sign and the result does not.
        let ar = self.xor(a, r);
        let br = self.xor(b, r);
        let both = self.and(ar, br);
        let zero = self.iconst(ty, 0);
        let v = self.icmp(Cmp::Slt, both, zero);
        let n = self.icmp(Cmp::Slt, r, zero);
        let z = self.icmp(Cmp::Eq, r, zero);
        (r, Flags { n, z, c, v })
    }

    /// Flags of `a - b` computed as `a + !b + 1` (`AddWithCarry(a, NOT(b), 1)`),
    /// or `a + !b + carry_in` when a carry is given (SBC).
    pub fn sub_with_carry(&mut self, a: Value, b: Value, carry_in: Option<Value>) -> (Value, Flags) {
        let nb = self.not(b);
        match carry_in {
            Some(cin) => self.add_with_carry(a, nb, Some(cin)),
            None => {
                let ty = self.ty(a);
                let r = self.sub(a, b);
                let c = self.icmp(Cmp::Uge, a, b);
                let ar = self.xor(a, r);
                let ab = self.xor(a, b);
                let both = self.and(ar, ab);
                let zero = self.iconst(ty, 0);
                let v = self.icmp(Cmp::Slt, both, zero);
                let n = self.icmp(Cmp::Slt, r, zero);
                let z = self.icmp(Cmp::Eq, r, zero);
                (r, Flags { n, z, c, v })
            }
        }
    }

    /// N and Z of a logical result; C and V are constant 0.
    pub fn logic_flags(&mut self, r: Value) -> Flags {
        let ty = self.ty(r);
        let zero = self.iconst(ty, 0);
        let n = self.icmp(Cmp::Slt, r, zero);
        let z = self.icmp(Cmp::Eq, r, zero);
        let c = self.iconst(Type::I8, 0);
        Flags { n, z, c, v: c }
    }

    /// End the block.
    pub fn finish(mut self, term: Terminal, guest_insns: u32, guest_bytes: u32) -> Block {
        self.block.term = term;
        self.block.guest_insns = guest_insns;
        self.block.guest_bytes = guest_bytes;
        self.block
    }
}
