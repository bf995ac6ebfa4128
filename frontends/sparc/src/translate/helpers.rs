//! Helpers called from translated code for the instructions whose effects
//! depend on run-time state in ways the IR cannot express without branches:
//! RETT and PSR writes (which change the mode the block was translated
//! for), FPops. Each returns 1 when the instruction traps (having set
//! [`SparcState::trap`] and, for an FPop, FSR.ftt and cexc), else 0.

use crate::state::{SparcState, FP_STATE, NWINDOWS};
use crate::trap::tt;
use chimera_ir::Helper;

/// # Safety
/// Translated code passes the [`SparcState`] the block was translated for.
unsafe fn cpu<'a>(p: *mut u8) -> &'a mut SparcState {
    &mut *(p as *mut SparcState)
}

fn raise(s: &mut SparcState, tt: u32) -> u64 {
    s.trap = tt;
    1
}

/// RETT to `target` (traps disabled and supervisor mode checked at translation).
extern "C" fn rett(p: *mut u8, _env: *mut u8, target: u64, _: u64, _: u64) -> u64 {
    // SAFETY: see `cpu`.
    let s = unsafe { cpu(p) };
    let new = (usize::from(s.cwp) + 1) % NWINDOWS;
    if s.wim >> new & 1 != 0 {
        return raise(s, tt::WINDOW_UNDERFLOW);
    }
    if target & 3 != 0 {
        return raise(s, tt::UNALIGNED);
    }
    s.cwp = new as u8;
    s.s = s.ps;
    s.et = 1;
    0
}

/// WRPSR of `v` (already rs1 ^ operand2).
extern "C" fn wrpsr(p: *mut u8, _env: *mut u8, v: u64, _: u64, _: u64) -> u64 {
    // SAFETY: see `cpu`.
    let s = unsafe { cpu(p) };
    if s.set_psr(v as u32) {
        0
    } else {
        raise(s, tt::ILLEGAL)
    }
}

/// An implemented FPop (`insn` is the instruction word): see
/// [`SparcState::fpop`].
extern "C" fn fpop(p: *mut u8, _env: *mut u8, insn: u64, _: u64, _: u64) -> u64 {
    // SAFETY: see `cpu`.
    let s = unsafe { cpu(p) };
    u64::from(s.fpop(insn as u32))
}

/// RETT.
pub(crate) const RETT: Helper = Helper::new("sparc_rett", rett);
/// WRPSR.
pub(crate) const WRPSR: Helper = Helper::new("sparc_wrpsr", wrpsr);
/// FPops: they touch only the pending trap, FSR, the deferred exceptions and
/// the f registers.
pub(crate) const FPOP: Helper = Helper::touching("sparc_fpop", fpop, FP_STATE.0, FP_STATE.1);
