//! Instructions, terminals and blocks.

use crate::types::{MemOp, Type};
use std::fmt;

/// An SSA value: the result of one instruction of the block, by index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Value(pub u32);

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}

/// A guest register: a field of the frontend's `#[repr(C)]` CPU state, named by
/// its byte offset and type. The backend may keep it in a host register within a
/// block and writes it back at exits and before helper calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Reg {
    /// Byte offset in the CPU state.
    pub offset: u32,
    /// Type of the field.
    pub ty: Type,
}

/// Two-operand integer operations. Both operands and the result have one type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// Wrapping addition.
    Add,
    /// Wrapping subtraction.
    Sub,
    /// Wrapping multiplication (low half).
    Mul,
    /// High half of the unsigned double-width product.
    MulHiU,
    /// High half of the signed double-width product.
    MulHiS,
    /// Unsigned division; division by zero gives 0 (the guest frontends trap
    /// before it where their architecture says so).
    UDiv,
    /// Signed division truncating toward zero; x / 0 = 0 and MIN / -1 = MIN.
    SDiv,
    /// Unsigned remainder; x % 0 = x.
    URem,
    /// Signed remainder; x % 0 = x and MIN % -1 = 0.
    SRem,
    /// Bitwise and.
    And,
    /// Bitwise or.
    Or,
    /// Bitwise exclusive or.
    Xor,
    /// Shift left; the amount is taken modulo the width.
    Shl,
    /// Logical shift right; the amount is taken modulo the width.
    Lshr,
    /// Arithmetic shift right; the amount is taken modulo the width.
    Ashr,
    /// Rotate right; the amount is taken modulo the width.
    Rotr,
}

/// One-operand integer operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnOp {
    /// Bitwise not.
    Not,
    /// Two's complement negation.
    Neg,
    /// Count leading zeros (width for 0).
    Clz,
    /// Count leading sign bits, excluding the sign bit itself.
    Cls,
    /// Count trailing zeros (width for 0).
    Ctz,
    /// Population count.
    Popcnt,
    /// Reverse the bytes.
    Bswap,
    /// Reverse the bits.
    Bitrev,
}

/// Integer comparison conditions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cmp {
    /// Equal.
    Eq,
    /// Not equal.
    Ne,
    /// Unsigned less than.
    Ult,
    /// Unsigned less or equal.
    Ule,
    /// Unsigned greater than.
    Ugt,
    /// Unsigned greater or equal.
    Uge,
    /// Signed less than.
    Slt,
    /// Signed less or equal.
    Sle,
    /// Signed greater than.
    Sgt,
    /// Signed greater or equal.
    Sge,
}

/// Width conversions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExtOp {
    /// Zero-extend to a wider type.
    Zext,
    /// Sign-extend to a wider type.
    Sext,
    /// Keep the low bits in a narrower type.
    Trunc,
}

/// Lane layout of a 128-bit vector operation: `lanes` integers of `bits` each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lanes {
    /// Sixteen 8-bit lanes.
    B16,
    /// Eight 16-bit lanes.
    H8,
    /// Four 32-bit lanes.
    S4,
    /// Two 64-bit lanes.
    D2,
}

impl Lanes {
    /// Bits per lane.
    pub const fn bits(self) -> u32 {
        match self {
            Lanes::B16 => 8,
            Lanes::H8 => 16,
            Lanes::S4 => 32,
            Lanes::D2 => 64,
        }
    }

    /// The integer type of one lane.
    pub const fn lane_type(self) -> Type {
        match self {
            Lanes::B16 => Type::I8,
            Lanes::H8 => Type::I16,
            Lanes::S4 => Type::I32,
            Lanes::D2 => Type::I64,
        }
    }

    /// The layout of lanes of `bytes` bytes.
    pub const fn of_bytes(bytes: u32) -> Lanes {
        match bytes {
            1 => Lanes::B16,
            2 => Lanes::H8,
            4 => Lanes::S4,
            _ => Lanes::D2,
        }
    }
}

/// Lane-wise operations on two 128-bit vectors. Comparisons give all-ones
/// lanes where they hold and zero lanes elsewhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VecOp {
    /// Wrapping addition.
    Add,
    /// Wrapping subtraction.
    Sub,
    /// Wrapping multiplication (low half); `H8` and `S4` only.
    Mul,
    /// Bitwise and (lanes irrelevant).
    And,
    /// Bitwise or.
    Or,
    /// Bitwise exclusive or.
    Xor,
    /// `a & !b`.
    AndNot,
    /// Signed saturating addition; `B16` and `H8` only.
    AddSatS,
    /// Unsigned saturating addition; `B16` and `H8` only.
    AddSatU,
    /// Signed saturating subtraction; `B16` and `H8` only.
    SubSatS,
    /// Unsigned saturating subtraction; `B16` and `H8` only.
    SubSatU,
    /// Signed minimum; not on `D2`.
    MinS,
    /// Unsigned minimum; not on `D2`.
    MinU,
    /// Signed maximum; not on `D2`.
    MaxS,
    /// Unsigned maximum; not on `D2`.
    MaxU,
    /// Equal.
    Eq,
    /// Signed greater than.
    GtS,
    /// Signed greater or equal.
    GeS,
    /// Unsigned greater than; not on `D2`.
    GtU,
    /// Unsigned greater or equal; not on `D2`.
    GeU,
}

impl VecOp {
    /// True if the operation exists for `lanes` (what the hosts' vector
    /// units do directly; the frontends fall back to helpers otherwise).
    pub fn supports(self, lanes: Lanes) -> bool {
        match self {
            VecOp::AddSatS | VecOp::AddSatU | VecOp::SubSatS | VecOp::SubSatU => matches!(lanes, Lanes::B16 | Lanes::H8),
            VecOp::Mul => matches!(lanes, Lanes::H8 | Lanes::S4),
            VecOp::MinS | VecOp::MinU | VecOp::MaxS | VecOp::MaxU | VecOp::GtU | VecOp::GeU => lanes != Lanes::D2,
            _ => true,
        }
    }
}

/// Lane layout of a 128-bit floating-point vector operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FLanes {
    /// Four IEEE binary32 lanes.
    F32x4,
    /// Two IEEE binary64 lanes.
    F64x2,
}

/// Lane-wise IEEE 754 arithmetic, rounding to nearest-even. These are the
/// host's operations: a lane whose result is a NaN holds the canonical quiet
/// NaN (positive, zero payload), and no exception flags are kept, so a
/// frontend uses them only where it has checked that its architecture's
/// rules give the same bits (normal operands and results, say).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VecFOp {
    /// a + b.
    Add,
    /// a - b.
    Sub,
    /// a * b.
    Mul,
}

/// Lane-wise shifts by an immediate smaller than the lane width.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VecShift {
    /// Shift left.
    Shl,
    /// Logical shift right.
    Lshr,
    /// Arithmetic shift right.
    Ashr,
}

/// A host function callable from translated code. Every helper has the same
/// signature: the CPU state, the runtime environment (opaque to the IR), and up
/// to three integer arguments; it returns one 64-bit value.
///
/// A helper may read and write the bytes `state.0 .. state.1` of the CPU
/// state (all of it unless it says less): the backend writes back the guest
/// registers there before the call and reloads them after. A helper that
/// needs to stop the block (an exception, a halt) records it in the
/// environment and returns; blocks that call such helpers end right after
/// the call.
#[derive(Clone, Copy)]
pub struct Helper {
    /// Name for traces and IR dumps.
    pub name: &'static str,
    /// The function.
    pub func: HelperFn,
    /// The byte range of the CPU state it may read or write.
    pub state: (u32, u32),
}

impl Helper {
    /// A helper that may read and write all of the CPU state.
    pub const fn new(name: &'static str, func: HelperFn) -> Helper {
        Helper { name, func, state: (0, u32::MAX) }
    }

    /// A helper that reads and writes only the state bytes `start .. end`.
    pub const fn touching(name: &'static str, func: HelperFn, start: u32, end: u32) -> Helper {
        Helper { name, func, state: (start, end) }
    }

    /// A helper that depends only on its arguments.
    pub const fn pure(name: &'static str, func: HelperFn) -> Helper {
        Helper { name, func, state: (0, 0) }
    }
}

/// Signature of every helper: `(cpu, env, a, b, c) -> result`.
pub type HelperFn = extern "C" fn(*mut u8, *mut u8, u64, u64, u64) -> u64;

impl fmt::Debug for Helper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl PartialEq for Helper {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && std::ptr::fn_addr_eq(self.func, other.func)
    }
}

/// One IR instruction. Instructions that produce a value define the value whose
/// index is the instruction's position in the block.
#[derive(Clone, Debug, PartialEq)]
pub enum Inst {
    /// Marks the first IR instruction of the guest instruction at `pc`. Faults
    /// raised by the instructions that follow are reported at this PC, with the
    /// guest registers as they were before it.
    InsnStart {
        /// Guest virtual address of the instruction.
        pc: u64,
    },
    /// An integer constant (truncated to the type).
    Const {
        /// Type of the constant.
        ty: Type,
        /// Value; bits above the type's width are ignored.
        imm: u64,
    },
    /// Read a guest register.
    Get(Reg),
    /// Write a guest register. Defines no value.
    Set(Reg, Value),
    /// `a op b`.
    Bin(BinOp, Value, Value),
    /// `op a`.
    Un(UnOp, Value),
    /// Compare two values of one type; the result is an `I8` holding 0 or 1.
    Icmp(Cmp, Value, Value),
    /// `if cond != 0 { a } else { b }`; `cond` is an `I8`.
    Select(Value, Value, Value),
    /// Change width.
    Ext(ExtOp, Type, Value),
    /// Guest memory load at a 64-bit virtual address, extended to `Type`.
    Load(MemOp, Type, Value),
    /// Guest memory store of `value` (second) at the address (first). Defines no value.
    Store(MemOp, Value, Value),
    /// Call a helper with up to three `I64` arguments; the result is `I64`.
    Call(Helper, Vec<Value>),
    /// `a op b` lane by lane on two `V128` values.
    VBin(VecOp, Lanes, Value, Value),
    /// Shift every lane of a `V128` by `amount` (less than the lane width).
    VShift(VecShift, Lanes, Value, u32),
    /// A `V128` with the scalar (of the lane type) in every lane.
    VSplat(Lanes, Value),
    /// Bitwise select: `(a & mask) | (b & !mask)`, all three `V128`.
    VSelect(Value, Value, Value),
    /// A `V128` from its low and high `I64` halves.
    VConcat(Value, Value),
    /// The low (`false`) or high (`true`) `I64` half of a `V128`.
    VHalf(Value, bool),
    /// `a op b` lane by lane on IEEE lanes of two `V128` values ([`VecFOp`]).
    VFBin(VecFOp, FLanes, Value, Value),
    /// `acc + a * b` lane by lane with a single rounding (fused), on `V128`
    /// values; NaN results as for [`VecFOp`]. Only where
    /// [`host_has_fma`](crate::host_has_fma) says the host has it.
    VFma(FLanes, Value, Value, Value),
    /// Call a helper (as [`Inst::Call`], result discarded) only if the `I8`
    /// condition is non-zero: the cold path of an inline fast path.
    CallIf(Value, Helper, Vec<Value>),
    /// Drop cached translations: the virtual address (first, `I64`) and the
    /// ASID (second, `I64`) are the operands the scope names (see
    /// [`FlushScope`](crate::FlushScope)). Defines no value. The frontend
    /// ends the block after it where the architecture requires the next
    /// instruction to see the change.
    TlbFlush(crate::TlbFlush, Value, Value),
    /// The machine's guest time in nanoseconds (`I64`), the base of the
    /// architecture's counters.
    GuestTime,
    /// Raise a synchronous exception for the current guest instruction (the
    /// last [`Inst::InsnStart`]) if the `I8` condition is non-zero: the
    /// block ends there, the guest registers as before the instruction (the
    /// frontend puts it before the instruction's first register write), the
    /// PC the instruction's, `kind` the frontend's and `arg` (an `I64`) its
    /// argument, as [`Terminal::Exception`] reports them. Traps decided at
    /// run time (a zero divisor, a window overflow, a taken trap
    /// instruction) leave compiled code here, on a cold path, instead of
    /// ending every block that might trap. Defines no value.
    TrapIf(Value, u32, Value),
}

impl Inst {
    /// True if the instruction defines a value.
    pub fn has_result(&self) -> bool {
        !matches!(self, Inst::InsnStart { .. } | Inst::Set(..) | Inst::Store(..) | Inst::CallIf(..) | Inst::TlbFlush(..) | Inst::TrapIf(..))
    }
}

/// How a block ends. Every block has exactly one terminal.
#[derive(Clone, Debug, PartialEq)]
pub enum Terminal {
    /// Continue at a constant guest PC (chainable).
    Jump(u64),
    /// Continue at `taken` if the `I8` condition is non-zero, else at `not_taken`.
    Branch {
        /// Condition value (`I8`).
        cond: Value,
        /// Target when the condition holds.
        taken: u64,
        /// Target otherwise.
        not_taken: u64,
    },
    /// Continue at a computed guest PC (`I64`), found through the jump cache.
    Indirect(Value),
    /// Raise a synchronous exception for the instruction at `pc`: the guest
    /// registers are as before that instruction. `kind` and `arg` are the
    /// frontend's own encoding of the exception.
    Exception {
        /// PC of the instruction that raises it.
        pc: u64,
        /// Frontend-defined exception kind.
        kind: u32,
        /// Frontend-defined argument (syndrome, immediate...).
        arg: u64,
    },
    /// Return to the execution loop with the guest PC set to `pc` (after a change
    /// of CPU mode, a halt, a barrier that must be observed).
    Exit(u64),
    /// Return to the execution loop with a computed guest PC.
    ExitIndirect(Value),
}

/// A translated guest block: straight-line IR ending in one terminal.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// Guest virtual PC of the first instruction.
    pub pc: u64,
    /// Number of guest instructions in the block.
    pub guest_insns: u32,
    /// Bytes of guest code covered, from `pc`.
    pub guest_bytes: u32,
    /// The instructions; `Value(i)` is the result of `insts[i]`.
    pub insts: Vec<Inst>,
    /// The type of each value (`None` for instructions without a result).
    pub types: Vec<Option<Type>>,
    /// How the block ends.
    pub term: Terminal,
    /// The CPU mode flags (the `tb_flags` a block is cached under) its
    /// chainable terminals continue under, when the block changes them
    /// itself by a constant amount (a SPARC SAVE moves the window the flags
    /// name; an annulling SPARC branch enters its delay slot with an nPC
    /// that is not PC + 4): `[0]` for `Jump`, `Indirect` and the taken
    /// target of `Branch`, `[1]` for the target not taken; `None`: the
    /// flags it was translated under. A block whose effect on the flags is
    /// decided at run time ends with `Exit` or `ExitIndirect` instead.
    pub exit_flags: [Option<u32>; 2],
}

impl Block {
    /// The flags exit `k` (see [`Block::exit_flags`]) continues under, for
    /// a block translated under `flags`.
    pub fn flags_at_exit(&self, k: usize, flags: u32) -> u32 {
        self.exit_flags[k].unwrap_or(flags)
    }
}

impl Block {
    /// The type of a value.
    pub fn ty(&self, v: Value) -> Type {
        self.types[v.0 as usize].expect("value has no type")
    }
}

impl fmt::Display for Block {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "block {:#x} ({} insns):", self.pc, self.guest_insns)?;
        for (i, inst) in self.insts.iter().enumerate() {
            match (inst, self.types[i]) {
                (Inst::InsnStart { pc }, _) => writeln!(f, "  ---- {pc:#x}")?,
                (_, Some(t)) => writeln!(f, "  v{i}:{t} = {inst:?}")?,
                (_, None) => writeln!(f, "  {inst:?}")?,
            }
        }
        writeln!(f, "  {:?}", self.term)
    }
}
