//! The IR interpreter: executes any block against a CPU state and a memory
//! system. It defines the meaning of every instruction, so the JIT is tested
//! against it, and it can run cold code without compiling it.

use crate::inst::{BinOp, Block, Cmp, ExtOp, FLanes, Inst, Lanes, Reg, Terminal, UnOp, VecFOp, VecOp, VecShift};
use crate::types::{Endian, GuestMemory, MemFault, MemOp, Type};

/// How a block left, as the execution loop sees it. In every case the guest PC
/// register holds the PC to continue at (for exceptions and faults: the PC of the
/// instruction that raised them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockExit {
    /// Reached the terminal; continue at the PC in the state.
    Next,
    /// A `Terminal::Exception`.
    Exception {
        /// Frontend-defined exception kind.
        kind: u32,
        /// Frontend-defined argument.
        arg: u64,
    },
    /// A memory access faulted.
    Fault(MemFault),
}

/// Canonical form: bits above the type's width are zero.
fn canon(ty: Type, v: u64) -> u64 {
    v & ty.mask()
}

fn sext(ty: Type, v: u64) -> i64 {
    let sh = 64 - ty.bits();
    ((v << sh) as i64) >> sh
}

/// Evaluate a binary operation on canonical operands of type `ty`.
pub fn eval_bin(op: BinOp, ty: Type, a: u64, b: u64) -> u64 {
    let bits = ty.bits();
    let (sa, sb) = (sext(ty, a), sext(ty, b));
    let r = match op {
        BinOp::Add => a.wrapping_add(b),
        BinOp::Sub => a.wrapping_sub(b),
        BinOp::Mul => a.wrapping_mul(b),
        BinOp::MulHiU => ((u128::from(a) * u128::from(b)) >> bits) as u64,
        BinOp::MulHiS => ((i128::from(sa) * i128::from(sb)) >> bits) as u64,
        BinOp::UDiv => a.checked_div(b).unwrap_or(0),
        BinOp::URem => a.checked_rem(b).unwrap_or(a),
        BinOp::SDiv => {
            if b == 0 {
                0
            } else if sb == -1 {
                sa.wrapping_neg() as u64
            } else {
                (sa / sb) as u64
            }
        }
        BinOp::SRem => {
            if b == 0 {
                a
            } else if sb == -1 {
                0
            } else {
                (sa % sb) as u64
            }
        }
        BinOp::And => a & b,
        BinOp::Or => a | b,
        BinOp::Xor => a ^ b,
        BinOp::Shl => a << (b % u64::from(bits)),
        BinOp::Lshr => a >> (b % u64::from(bits)),
        BinOp::Ashr => (sa >> (b % u64::from(bits))) as u64,
        BinOp::Rotr => {
            let s = (b % u64::from(bits)) as u32;
            if s == 0 {
                a
            } else {
                (a >> s) | (a << (bits - s))
            }
        }
    };
    canon(ty, r)
}

/// Evaluate a unary operation on a canonical operand of type `ty`.
pub fn eval_un(op: UnOp, ty: Type, a: u64) -> u64 {
    let bits = ty.bits();
    let r = match op {
        UnOp::Not => !a,
        UnOp::Neg => a.wrapping_neg(),
        UnOp::Clz => u64::from((a << (64 - bits)).leading_zeros().min(bits)),
        UnOp::Cls => {
            let s = sext(ty, a);
            let x = (s ^ (s >> 1)) as u64;
            // x has a 1 where a bit differs from the bit above it; its leading
            // zeros within the width count the sign bit and its copies.
            u64::from((x << (64 - bits)).leading_zeros().min(bits)) - 1
        }
        UnOp::Ctz => u64::from(a.trailing_zeros().min(bits)),
        UnOp::Popcnt => u64::from(a.count_ones()),
        UnOp::Bswap => a.swap_bytes() >> (64 - bits),
        UnOp::Bitrev => a.reverse_bits() >> (64 - bits),
    };
    canon(ty, r)
}

/// Evaluate a comparison of canonical operands of type `ty`.
pub fn eval_cmp(cc: Cmp, ty: Type, a: u64, b: u64) -> bool {
    let (sa, sb) = (sext(ty, a), sext(ty, b));
    match cc {
        Cmp::Eq => a == b,
        Cmp::Ne => a != b,
        Cmp::Ult => a < b,
        Cmp::Ule => a <= b,
        Cmp::Ugt => a > b,
        Cmp::Uge => a >= b,
        Cmp::Slt => sa < sb,
        Cmp::Sle => sa <= sb,
        Cmp::Sgt => sa > sb,
        Cmp::Sge => sa >= sb,
    }
}

/// `f` applied to each pair of lanes of `a` and `b` (the lanes zero-extended;
/// each result truncated to the lane).
fn lanewise(lanes: Lanes, a: u128, b: u128, f: impl Fn(u64, u64) -> u64) -> u128 {
    let bits = lanes.bits();
    let m = lanes.lane_type().mask();
    (0..128 / bits).fold(0, |r, k| {
        let lane = |v: u128| (v >> (k * bits)) as u64 & m;
        r | u128::from(f(lane(a), lane(b)) & m) << (k * bits)
    })
}

/// Evaluate a lane-wise vector operation.
pub fn eval_vec(op: VecOp, lanes: Lanes, a: u128, b: u128) -> u128 {
    match op {
        VecOp::And => return a & b,
        VecOp::Or => return a | b,
        VecOp::Xor => return a ^ b,
        VecOp::AndNot => return a & !b,
        _ => {}
    }
    let ty = lanes.lane_type();
    let m = ty.mask();
    let smax = i64::MAX >> (64 - lanes.bits());
    let smin = !smax;
    let ones = |c: bool| if c { m } else { 0 };
    lanewise(lanes, a, b, |x, y| {
        let (sx, sy) = (sext(ty, x), sext(ty, y));
        match op {
            VecOp::Add => x.wrapping_add(y),
            VecOp::Sub => x.wrapping_sub(y),
            VecOp::Mul => x.wrapping_mul(y),
            VecOp::AddSatS => sx.saturating_add(sy).clamp(smin, smax) as u64,
            VecOp::SubSatS => sx.saturating_sub(sy).clamp(smin, smax) as u64,
            VecOp::AddSatU => x.saturating_add(y).min(m),
            VecOp::SubSatU => x.saturating_sub(y),
            VecOp::MinS => sx.min(sy) as u64,
            VecOp::MaxS => sx.max(sy) as u64,
            VecOp::MinU => x.min(y),
            VecOp::MaxU => x.max(y),
            VecOp::Eq => ones(x == y),
            VecOp::GtS => ones(sx > sy),
            VecOp::GeS => ones(sx >= sy),
            VecOp::GtU => ones(x > y),
            VecOp::GeU => ones(x >= y),
            VecOp::And | VecOp::Or | VecOp::Xor | VecOp::AndNot => unreachable!(),
        }
    })
}

/// One IEEE lane format of [`eval_vfloat`].
trait IeeeLane: Copy {
    const BITS: u32;
    const CANONICAL_NAN: u64;
    fn from_raw(x: u64) -> Self;
    fn to_raw(self) -> u64;
    fn apply(op: Option<VecFOp>, x: Self, y: Self, z: Self) -> Self;
}

macro_rules! ieee_lane {
    ($t:ty, $bits:expr, $nan:expr, $raw:ty) => {
        impl IeeeLane for $t {
            const BITS: u32 = $bits;
            const CANONICAL_NAN: u64 = $nan;
            fn from_raw(x: u64) -> Self {
                <$t>::from_bits(x as $raw)
            }
            fn to_raw(self) -> u64 {
                if self.is_nan() {
                    Self::CANONICAL_NAN
                } else {
                    u64::from(self.to_bits())
                }
            }
            fn apply(op: Option<VecFOp>, x: Self, y: Self, z: Self) -> Self {
                match op {
                    Some(VecFOp::Add) => x + y,
                    Some(VecFOp::Sub) => x - y,
                    Some(VecFOp::Mul) => x * y,
                    None => x.mul_add(y, z),
                }
            }
        }
    };
}

ieee_lane!(f32, 32, 0x7fc0_0000, u32);
ieee_lane!(f64, 64, 0x7ff8_0000_0000_0000, u64);

fn lanes_of<L: IeeeLane>(op: Option<VecFOp>, a: u128, b: u128, c: u128) -> u128 {
    let mask = u64::MAX >> (64 - L::BITS);
    (0..128 / L::BITS).fold(0u128, |r, k| {
        let lane = |x: u128| L::from_raw((x >> (L::BITS * k)) as u64 & mask);
        let v = L::apply(op, lane(a), lane(b), lane(c));
        r | u128::from(v.to_raw()) << (L::BITS * k)
    })
}

/// Evaluate an IEEE vector operation (`c` is the addend of a fused
/// multiply-add, `op` `None`); NaN results are the canonical quiet NaN.
pub fn eval_vfloat(op: Option<VecFOp>, lanes: FLanes, a: u128, b: u128, c: u128) -> u128 {
    match lanes {
        FLanes::F32x4 => lanes_of::<f32>(op, a, b, c),
        FLanes::F64x2 => lanes_of::<f64>(op, a, b, c),
    }
}

/// Shift every lane by `amount` (less than the lane width).
fn eval_vshift(op: VecShift, lanes: Lanes, a: u128, amount: u32) -> u128 {
    let ty = lanes.lane_type();
    lanewise(lanes, a, 0, |x, _| match op {
        VecShift::Shl => x << amount,
        VecShift::Lshr => x >> amount,
        VecShift::Ashr => (sext(ty, x) >> amount) as u64,
    })
}

/// Byte-swap a loaded or stored value of `size` bytes when the access order
/// differs from the host's (little-endian) order.
pub fn host_order(op: MemOp, v: u64) -> u64 {
    match (op.endian, op.size) {
        (Endian::Big, 2) => u64::from((v as u16).swap_bytes()),
        (Endian::Big, 4) => u64::from((v as u32).swap_bytes()),
        (Endian::Big, 8) => v.swap_bytes(),
        _ => v,
    }
}

/// Extend the raw `size`-byte value of a load per its signedness, into `ty`.
pub fn extend_load(op: MemOp, ty: Type, raw: u64) -> u64 {
    let raw_ty = Type::int_of_bytes(u32::from(op.size)).unwrap_or(Type::I64);
    let v = canon(raw_ty, raw);
    if op.signed {
        canon(ty, sext(raw_ty, v) as u64)
    } else {
        v
    }
}

/// Read a guest register from the state.
///
/// # Safety
/// `state` must point to a CPU state that contains `reg` (as the verifier checks).
unsafe fn read_reg(state: *mut u8, reg: Reg) -> u64 {
    let p = state.add(reg.offset as usize);
    match reg.ty.bytes() {
        1 => u64::from(p.read()),
        2 => u64::from((p as *const u16).read_unaligned()),
        4 => u64::from((p as *const u32).read_unaligned()),
        _ => (p as *const u64).read_unaligned(),
    }
}

/// Write a guest register into the state.
///
/// # Safety
/// As for [`read_reg`].
unsafe fn write_reg(state: *mut u8, reg: Reg, v: u64) {
    let p = state.add(reg.offset as usize);
    match reg.ty.bytes() {
        1 => p.write(v as u8),
        2 => (p as *mut u16).write_unaligned(v as u16),
        4 => (p as *mut u32).write_unaligned(v as u32),
        _ => (p as *mut u64).write_unaligned(v),
    }
}

/// Execute `block`. `pc` is the guest PC register; it is written on every exit.
///
/// # Safety
/// `state` must point to a CPU state the block was verified against, and `env`
/// must be what the block's helpers expect.
pub unsafe fn interpret(block: &Block, state: *mut u8, env: *mut u8, mem: &mut dyn GuestMemory, pc: Reg) -> BlockExit {
    // SAFETY: the caller's contract.
    unsafe { interpret_with(block, state, env, mem, pc, &mut Vec::new()) }
}

/// [`interpret`] with the values kept in `vals`, a buffer the caller
/// reuses from block to block (the execution loop's cold tier).
///
/// # Safety
/// As [`interpret`].
pub unsafe fn interpret_with(block: &Block, state: *mut u8, env: *mut u8, mem: &mut dyn GuestMemory, pc: Reg, vals: &mut Vec<u128>) -> BlockExit {
    vals.clear();
    vals.resize(block.insts.len(), 0);
    let mut cur_pc = block.pc;
    for (i, inst) in block.insts.iter().enumerate() {
        let ty = block.types[i];
        let v = |x: crate::Value| vals[x.0 as usize] as u64;
        let vv = |x: crate::Value| vals[x.0 as usize];
        let tv = |x: crate::Value| block.ty(x);
        let wide = match inst {
            Inst::Get(reg) if reg.ty == Type::V128 => Some((state.add(reg.offset as usize) as *const u128).read_unaligned()),
            Inst::Set(reg, x) if reg.ty == Type::V128 => {
                (state.add(reg.offset as usize) as *mut u128).write_unaligned(vv(*x));
                Some(0)
            }
            Inst::VBin(op, lanes, a, b) => Some(eval_vec(*op, *lanes, vv(*a), vv(*b))),
            Inst::VShift(op, lanes, a, amount) => Some(eval_vshift(*op, *lanes, vv(*a), *amount)),
            Inst::VSplat(lanes, x) => Some(lanewise(*lanes, 0, 0, |_, _| v(*x))),
            Inst::VSelect(m, a, b) => Some((vv(*a) & vv(*m)) | (vv(*b) & !vv(*m))),
            Inst::VConcat(lo, hi) => Some(u128::from(v(*lo)) | u128::from(v(*hi)) << 64),
            Inst::Select(c, a, b) if ty == Some(Type::V128) => Some(if v(*c) != 0 { vv(*a) } else { vv(*b) }),
            Inst::VFBin(op, lanes, a, b) => Some(eval_vfloat(Some(*op), *lanes, vv(*a), vv(*b), 0)),
            // acc + a * b: the product's operands first.
            Inst::VFma(lanes, acc, a, b) => Some(eval_vfloat(None, *lanes, vv(*a), vv(*b), vv(*acc))),
            Inst::CallIf(c, h, args) => {
                if v(*c) != 0 {
                    let a = |k: usize| args.get(k).map_or(0, |x| v(*x));
                    (h.func)(state, env, a(0), a(1), a(2));
                }
                Some(0)
            }
            _ => None,
        };
        if let Some(w) = wide {
            vals[i] = w;
            continue;
        }
        let r = match inst {
            Inst::VHalf(x, hi) => (vv(*x) >> if *hi { 64 } else { 0 }) as u64,
            Inst::VBin(..)
            | Inst::VShift(..)
            | Inst::VSplat(..)
            | Inst::VSelect(..)
            | Inst::VConcat(..)
            | Inst::VFBin(..)
            | Inst::VFma(..)
            | Inst::CallIf(..) => unreachable!(),
            Inst::InsnStart { pc } => {
                cur_pc = *pc;
                0
            }
            Inst::Const { imm, .. } => *imm,
            Inst::Get(reg) => canon(reg.ty, read_reg(state, *reg)),
            Inst::Set(reg, x) => {
                write_reg(state, *reg, v(*x));
                0
            }
            Inst::Bin(op, a, b) => eval_bin(*op, tv(*a), v(*a), v(*b)),
            Inst::Un(op, a) => eval_un(*op, tv(*a), v(*a)),
            Inst::Icmp(cc, a, b) => u64::from(eval_cmp(*cc, tv(*a), v(*a), v(*b))),
            Inst::Select(c, a, b) => {
                if v(*c) != 0 {
                    v(*a)
                } else {
                    v(*b)
                }
            }
            Inst::Ext(op, to, a) => match op {
                ExtOp::Zext => v(*a),
                ExtOp::Sext => canon(*to, sext(tv(*a), v(*a)) as u64),
                ExtOp::Trunc => canon(*to, v(*a)),
            },
            Inst::Load(op, lty, addr) => match mem.load(v(*addr), MemOp { signed: false, ..*op }) {
                Ok(raw) => extend_load(*op, *lty, raw),
                Err(f) => {
                    write_reg(state, pc, cur_pc);
                    return BlockExit::Fault(f);
                }
            },
            Inst::Store(op, addr, val) => {
                if let Err(f) = mem.store(v(*addr), v(*val), *op) {
                    write_reg(state, pc, cur_pc);
                    return BlockExit::Fault(f);
                }
                0
            }
            Inst::Call(h, args) => {
                let a = |k: usize| args.get(k).map_or(0, |x| v(*x));
                (h.func)(state, env, a(0), a(1), a(2))
            }
            Inst::TlbFlush(f, va, asid) => {
                mem.tlb_flush(*f, v(*va), v(*asid));
                0
            }
            Inst::GuestTime => mem.guest_time_ns(),
            Inst::TrapIf(c, kind, arg) => {
                if v(*c) != 0 {
                    write_reg(state, pc, cur_pc);
                    return BlockExit::Exception { kind: *kind, arg: v(*arg) };
                }
                0
            }
        };
        vals[i] = match ty {
            Some(t) => u128::from(canon(t, r)),
            None => 0,
        };
    }
    let next = match &block.term {
        Terminal::Jump(t) | Terminal::Exit(t) => *t,
        Terminal::Branch { cond, taken, not_taken } => {
            if vals[cond.0 as usize] != 0 {
                *taken
            } else {
                *not_taken
            }
        }
        Terminal::Indirect(x) | Terminal::ExitIndirect(x) => vals[x.0 as usize] as u64,
        Terminal::Exception { pc: epc, kind, arg } => {
            write_reg(state, pc, *epc);
            return BlockExit::Exception { kind: *kind, arg: *arg };
        }
    };
    write_reg(state, pc, next);
    BlockExit::Next
}
