//! Helpers called from translated code for the instructions whose effects
//! depend on run-time state in ways the IR cannot express without branches:
//! window changes checked against WIM, PSR writes, division, FPops. Each
//! returns 1 when the instruction traps (having set [`SparcState::trap`] and,
//! for an FPop, FSR.ftt and cexc), else 0.

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

/// SAVE (`how` bit 8 clear) or RESTORE: `a` is the sum computed in the old
/// window, written to rd (`how` bits 4:0) of the new one.
extern "C" fn save_restore(p: *mut u8, _env: *mut u8, sum: u64, how: u64, _: u64) -> u64 {
    // SAFETY: see `cpu`.
    let s = unsafe { cpu(p) };
    let restore = how & 0x100 != 0;
    let cwp = usize::from(s.cwp);
    let new = if restore { (cwp + 1) % NWINDOWS } else { (cwp + NWINDOWS - 1) % NWINDOWS };
    if s.wim >> new & 1 != 0 {
        return raise(s, if restore { tt::WINDOW_UNDERFLOW } else { tt::WINDOW_OVERFLOW });
    }
    s.cwp = new as u8;
    s.set_reg((how & 0x1f) as usize, sum as u32);
    0
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

/// UDIV/SDIV(cc) (SPARC V8 manual B.19): `how` holds op3 (bit 0: signed, bit
/// 4: cc) and rd in bits 12:8. Overflow saturates and sets V, as in QEMU.
extern "C" fn divide(p: *mut u8, _env: *mut u8, a: u64, b: u64, how: u64) -> u64 {
    // SAFETY: see `cpu`.
    let s = unsafe { cpu(p) };
    let divisor = b as u32;
    if divisor == 0 {
        return raise(s, tt::DIV_ZERO);
    }
    let dividend = u64::from(s.y) << 32 | (a & 0xffff_ffff);
    let signed = how & 1 != 0;
    let (q, overflow) = if signed {
        let x = dividend as i64;
        let d = i64::from(divisor as i32);
        if x == i64::MIN && d == -1 {
            (i32::MAX as u32, true)
        } else {
            let q = x / d;
            if q > i64::from(i32::MAX) {
                (i32::MAX as u32, true)
            } else if q < i64::from(i32::MIN) {
                (i32::MIN as u32, true)
            } else {
                (q as u32, false)
            }
        }
    } else {
        let q = dividend / u64::from(divisor);
        if q > u64::from(u32::MAX) {
            (u32::MAX, true)
        } else {
            (q as u32, false)
        }
    };
    if how & 0x10 != 0 {
        s.icc_n = (q >> 31) as u8;
        s.icc_z = u8::from(q == 0);
        s.icc_v = u8::from(overflow);
        s.icc_c = 0;
    }
    s.set_reg(((how >> 8) & 0x1f) as usize, q);
    0
}

/// An implemented FPop (`insn` is the instruction word): see
/// [`SparcState::fpop`].
extern "C" fn fpop(p: *mut u8, _env: *mut u8, insn: u64, _: u64, _: u64) -> u64 {
    // SAFETY: see `cpu`.
    let s = unsafe { cpu(p) };
    u64::from(s.fpop(insn as u32))
}

/// SAVE/RESTORE.
pub(crate) const SAVE_RESTORE: Helper = Helper::new("sparc_save_restore", save_restore);
/// RETT.
pub(crate) const RETT: Helper = Helper::new("sparc_rett", rett);
/// WRPSR.
pub(crate) const WRPSR: Helper = Helper::new("sparc_wrpsr", wrpsr);
/// UDIV/SDIV.
pub(crate) const DIVIDE: Helper = Helper::new("sparc_divide", divide);
/// FPops: they touch only the pending trap, FSR, the deferred exceptions and
/// the f registers.
pub(crate) const FPOP: Helper = Helper::touching("sparc_fpop", fpop, FP_STATE.0, FP_STATE.1);
