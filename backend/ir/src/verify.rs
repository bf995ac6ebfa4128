//! The IR verifier: every value defined before use, types consistent, guest
//! register accesses inside the CPU state.

use crate::inst::{BinOp, Block, ExtOp, Inst, Terminal, Value};
use crate::types::Type;
use std::fmt;

/// A verifier finding: the instruction index (or `None` for the terminal) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyError {
    /// Index of the offending instruction; `None` for the terminal.
    pub at: Option<usize>,
    /// What is wrong.
    pub msg: String,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some(i) => write!(f, "inst {i}: {}", self.msg),
            None => write!(f, "terminal: {}", self.msg),
        }
    }
}

impl std::error::Error for VerifyError {}

/// Check `block` against a CPU state of `state_size` bytes.
pub fn verify(block: &Block, state_size: u32) -> Result<(), VerifyError> {
    if block.insts.len() != block.types.len() {
        return Err(VerifyError { at: None, msg: "types and insts differ in length".into() });
    }
    for (i, inst) in block.insts.iter().enumerate() {
        let err = |msg: String| VerifyError { at: Some(i), msg };
        let ty_of = |v: Value| -> Result<Type, VerifyError> {
            if v.0 as usize >= i {
                return Err(err(format!("{v} used before it is defined")));
            }
            block.types[v.0 as usize].ok_or_else(|| err(format!("{v} has no result")))
        };
        let result = block.types[i];
        if inst.has_result() != result.is_some() {
            return Err(err("result type does not match the instruction".into()));
        }
        match inst {
            Inst::InsnStart { .. } => {}
            Inst::Const { ty, imm } => {
                if !ty.is_int() || imm & !ty.mask() != 0 {
                    return Err(err(format!("bad constant {imm:#x}:{ty}")));
                }
            }
            Inst::Get(reg) | Inst::Set(reg, _) => {
                let end = reg.offset + reg.ty.bytes();
                if end > state_size || reg.offset % reg.ty.bytes() != 0 {
                    return Err(err(format!("register at offset {} outside or misaligned", reg.offset)));
                }
                if let Inst::Set(_, v) = inst {
                    if ty_of(*v)? != reg.ty {
                        return Err(err("set of a value of the wrong type".into()));
                    }
                }
            }
            Inst::Bin(op, a, b) => {
                let (ta, tb) = (ty_of(*a)?, ty_of(*b)?);
                if ta != tb || !ta.is_int() || result != Some(ta) {
                    return Err(err(format!("{op:?} on {ta} and {tb}")));
                }
                if matches!(op, BinOp::MulHiU | BinOp::MulHiS) && ta == Type::I8 {
                    return Err(err("mulhi on i8".into()));
                }
            }
            Inst::Un(_, a) => {
                let ta = ty_of(*a)?;
                if !ta.is_int() || result != Some(ta) {
                    return Err(err("unary op type mismatch".into()));
                }
            }
            Inst::Icmp(_, a, b) => {
                let (ta, tb) = (ty_of(*a)?, ty_of(*b)?);
                if ta != tb || !ta.is_int() || result != Some(Type::I8) {
                    return Err(err("icmp type mismatch".into()));
                }
            }
            Inst::Select(c, a, b) => {
                let (tc, ta, tb) = (ty_of(*c)?, ty_of(*a)?, ty_of(*b)?);
                if tc != Type::I8 || ta != tb || result != Some(ta) {
                    return Err(err("select type mismatch".into()));
                }
            }
            Inst::Ext(op, to, a) => {
                let ta = ty_of(*a)?;
                let ok = match op {
                    ExtOp::Zext | ExtOp::Sext => to.bits() > ta.bits(),
                    ExtOp::Trunc => to.bits() < ta.bits(),
                };
                if !ok || !ta.is_int() || !to.is_int() || result != Some(*to) {
                    return Err(err(format!("{op:?} from {ta} to {to}")));
                }
            }
            Inst::Load(op, ty, addr) => {
                if ty_of(*addr)? != Type::I64 {
                    return Err(err("address must be i64".into()));
                }
                if !matches!(op.size, 1 | 2 | 4 | 8) || u32::from(op.size) > ty.bytes() || !ty.is_int() {
                    return Err(err(format!("load of {} bytes into {ty}", op.size)));
                }
                if op.kind.is_write() {
                    return Err(err("load with a write access kind".into()));
                }
                if usize::from(op.mmu) >= crate::MMU_INDICES {
                    return Err(err(format!("load under MMU index {}", op.mmu)));
                }
            }
            Inst::Store(op, addr, val) => {
                if ty_of(*addr)? != Type::I64 {
                    return Err(err("address must be i64".into()));
                }
                let tv = ty_of(*val)?;
                if !matches!(op.size, 1 | 2 | 4 | 8) || u32::from(op.size) > tv.bytes() {
                    return Err(err(format!("store of {} bytes from {tv}", op.size)));
                }
                if !op.kind.is_write() {
                    return Err(err("store with a read access kind".into()));
                }
                if usize::from(op.mmu) >= crate::MMU_INDICES {
                    return Err(err(format!("store under MMU index {}", op.mmu)));
                }
            }
            Inst::VBin(op, lanes, a, b) => {
                if ty_of(*a)? != Type::V128 || ty_of(*b)? != Type::V128 || !op.supports(*lanes) {
                    return Err(err(format!("{op:?} on {lanes:?}")));
                }
            }
            Inst::VShift(_, lanes, a, amount) => {
                if ty_of(*a)? != Type::V128 || *amount >= lanes.bits() {
                    return Err(err(format!("vector shift by {amount} on {lanes:?}")));
                }
            }
            Inst::VSplat(lanes, x) => {
                if ty_of(*x)? != lanes.lane_type() {
                    return Err(err(format!("splat of a {} into {lanes:?}", ty_of(*x)?)));
                }
            }
            Inst::VSelect(m, a, b) => {
                if [ty_of(*m)?, ty_of(*a)?, ty_of(*b)?] != [Type::V128; 3] {
                    return Err(err("vector select of non-vectors".into()));
                }
            }
            Inst::VConcat(lo, hi) => {
                if ty_of(*lo)? != Type::I64 || ty_of(*hi)? != Type::I64 {
                    return Err(err("vector halves must be i64".into()));
                }
            }
            Inst::VHalf(v, _) => {
                if ty_of(*v)? != Type::V128 {
                    return Err(err("half of a non-vector".into()));
                }
            }
            Inst::VFBin(_, _, a, b) => {
                if ty_of(*a)? != Type::V128 || ty_of(*b)? != Type::V128 {
                    return Err(err("float vector op on non-vectors".into()));
                }
            }
            Inst::VFma(_, c, a, b) => {
                if [ty_of(*c)?, ty_of(*a)?, ty_of(*b)?] != [Type::V128; 3] {
                    return Err(err("fused multiply-add on non-vectors".into()));
                }
            }
            Inst::CallIf(c, _, args) => {
                if ty_of(*c)? != Type::I8 || args.len() > 3 {
                    return Err(err("conditional call with a bad condition or arguments".into()));
                }
                for a in args {
                    if ty_of(*a)? != Type::I64 {
                        return Err(err("helper arguments must be i64".into()));
                    }
                }
            }
            Inst::TlbFlush(f, va, asid) => {
                if ty_of(*va)? != Type::I64 || ty_of(*asid)? != Type::I64 {
                    return Err(err("TLB flush operands must be i64".into()));
                }
                if f.mmu_mask >> crate::MMU_INDICES != 0 {
                    return Err(err(format!("TLB flush of MMU indices {:#x}", f.mmu_mask)));
                }
            }
            Inst::GuestTime => {}
            Inst::TrapIf(c, _, arg) => {
                if ty_of(*c)? != Type::I8 || ty_of(*arg)? != Type::I64 {
                    return Err(err("conditional trap with a bad condition or argument".into()));
                }
            }
            Inst::Call(_, args) => {
                if args.len() > 3 {
                    return Err(err("more than three helper arguments".into()));
                }
                for a in args {
                    if ty_of(*a)? != Type::I64 {
                        return Err(err("helper arguments must be i64".into()));
                    }
                }
            }
        }
    }
    let n = block.insts.len();
    let term_ty = |v: Value| -> Result<Type, VerifyError> {
        if v.0 as usize >= n {
            return Err(VerifyError { at: None, msg: format!("{v} is not defined") });
        }
        block.types[v.0 as usize].ok_or(VerifyError { at: None, msg: format!("{v} has no result") })
    };
    match &block.term {
        Terminal::Branch { cond, .. } => {
            if term_ty(*cond)? != Type::I8 {
                return Err(VerifyError { at: None, msg: "branch condition must be i8".into() });
            }
        }
        Terminal::Indirect(v) | Terminal::ExitIndirect(v) => {
            if term_ty(*v)? != Type::I64 {
                return Err(VerifyError { at: None, msg: "indirect target must be i64".into() });
            }
        }
        Terminal::Jump(_) | Terminal::Exception { .. } | Terminal::Exit(_) => {}
    }
    if block.insts.iter().any(|i| matches!(i, Inst::Load(..) | Inst::Store(..) | Inst::Call(..) | Inst::CallIf(..) | Inst::TrapIf(..)))
        && !matches!(block.insts.first(), Some(Inst::InsnStart { .. }))
    {
        return Err(VerifyError { at: Some(0), msg: "a block that can fault or trap must start with InsnStart".into() });
    }
    Ok(())
}
