//! `FPRoundBase()` (ARM ARM J1.3 shared/functions/float): rounding an exact
//! nonzero value to a format, with flush-to-zero of tiny results, underflow,
//! overflow and inexact flags, and the alternative half-precision overflow.

use crate::{flags, Arch, Fmt, Fpu, Round};

/// `FPRounding`: the rounding modes of the pseudocode, with von Neumann
/// rounding (`FPRounding_ODD`, FCVTXN) besides the ones of [`Round`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rm {
    /// `FPRounding_TIEEVEN`.
    Even,
    /// `FPRounding_POSINF`.
    Pos,
    /// `FPRounding_NEGINF`.
    Neg,
    /// `FPRounding_ZERO`.
    Zero,
    /// `FPRounding_TIEAWAY`.
    Away,
    /// `FPRounding_ODD`.
    Odd,
}

impl From<Round> for Rm {
    #[inline(always)]
    fn from(r: Round) -> Rm {
        match r {
            Round::NearestEven => Rm::Even,
            Round::PlusInf => Rm::Pos,
            Round::MinusInf => Rm::Neg,
            Round::Zero => Rm::Zero,
            Round::NearestAway => Rm::Away,
        }
    }
}

/// An exact nonzero value `(-1)^sign * (mant + s) * 2^exp`, where `s` is 0
/// when `sticky` is false and lies strictly between 0 and 1 otherwise.
/// With `sticky`, `mant >= 2^62`, so that the sticky bit falls below the
/// rounding and guard positions of every format.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Exact {
    /// The sign.
    pub sign: bool,
    /// The integer significand (nonzero).
    pub mant: u128,
    /// The binary exponent of `mant`'s unit bit.
    pub exp: i32,
    /// Whether nonzero bits below `mant` were dropped.
    pub sticky: bool,
}

impl Exact {
    /// The exact value `(-1)^sign * mant * 2^exp`.
    #[inline(always)]
    pub fn new(sign: bool, mant: u128, exp: i32) -> Exact {
        Exact {
            sign,
            mant,
            exp,
            sticky: false,
        }
    }
}

/// Whether an arithmetic result is tiny when it is below the smallest normal
/// before rounding (ARM: `FPRoundBase()` tests the unrounded exponent), or
/// only if it is still below it after rounding to the format's precision
/// with an unbounded exponent (IEEE 754 "after rounding").
///
/// SPARC: after rounding. The SPARC V8 manual (5.1.7.10, "Floating-point
/// exceptions", underflow) leaves it to the implementation; QEMU 7.2's SPARC
/// CPUs use SoftFloat's default, after rounding: on leon3_generic FdTOs of
/// 2^-126 * (1 - 2^-25) rounds to the smallest normal with NX only, and
/// FMULd of 0x001f_ffff_ffff_ffff by 0.5 (tiny even after rounding to 53
/// bits) raises UF although it also rounds up to the smallest normal.
#[inline(always)]
pub(crate) fn tiny_before_rounding(arch: Arch) -> bool {
    match arch {
        Arch::Arm => true,
        Arch::Sparc => false,
    }
}

/// Whether to increment a truncated magnitude: `lsb` its last bit, `half`
/// the first dropped bit, `rest` whether any later dropped bit is set,
/// `sign` the sign of the value (the case analysis of `FPRoundBase()`).
#[inline(always)]
pub(crate) fn round_up(rm: Rm, sign: bool, lsb: bool, half: bool, rest: bool) -> bool {
    match rm {
        Rm::Even => half && (rest || lsb),
        Rm::Pos => (half || rest) && !sign,
        Rm::Neg => (half || rest) && sign,
        Rm::Zero | Rm::Odd => false,
        Rm::Away => half,
    }
}

/// Split `m` at bit `shift` (`shift >= 1`): the kept high part, the first
/// dropped bit, and whether any further dropped bit is set.
#[inline(always)]
pub(crate) fn split(m: u128, shift: u32) -> (u128, bool, bool) {
    if shift > 128 {
        (0, false, m != 0)
    } else if shift == 128 {
        (0, m >> 127 != 0, m << 1 != 0)
    } else {
        let half = (m >> (shift - 1)) & 1 != 0;
        let rest = m & ((1u128 << (shift - 1)) - 1) != 0;
        (m >> shift, half, rest)
    }
}

impl Fpu {
    /// `FPRoundBase(op, fpcr, rounding)` of the nonzero value `x`. `ahp` selects the alternative
    /// half-precision overflow (binary16 results of `FPRoundCV()` only).
    ///
    /// Under FPCR.FZ (not for binary16) a value below the smallest normal
    /// *before rounding* becomes a signed zero with UFC and no IXC. Otherwise
    /// a tiny, inexact result raises UFC (tininess per
    /// [`tiny_before_rounding`]), overflow gives infinity or the largest
    /// normal (per rounding direction) with OFC and IXC, and inexactness IXC.
    pub(crate) fn round_pack(&mut self, f: Fmt, x: Exact, rm: Rm, ahp: bool) -> u64 {
        let Exact {
            sign,
            mant,
            exp,
            sticky,
        } = x;
        debug_assert!(mant != 0);
        debug_assert!(!sticky || mant >= 1 << 62);
        let p = f.params();
        let lz = mant.leading_zeros();
        // Normalised: m in [2^127, 2^128), value in [2^e, 2^(e+1)).
        let m = (mant << lz) | sticky as u128;
        let e = exp + 127 - lz as i32;
        let emin = p.emin();
        if e < emin && self.fz && f != Fmt::H {
            self.flags |= flags::UFC;
            return p.zero(sign);
        }
        let (mut biased, shift) = if e >= emin {
            ((e - emin + 1) as u64, 127 - p.f)
        } else {
            (0, (127 - p.f as i32 + (emin - e)).min(129) as u32)
        };
        let (im, half, rest) = split(m, shift);
        let mut int_mant = im as u64;
        let mut inexact = half || rest;
        if biased == 0 && inexact {
            let tiny = tiny_before_rounding(self.arch) || e < emin - 1 || {
                // After rounding: not tiny if rounding to F+1 significant
                // bits carries the value up to 2^emin.
                let (nm, nh, nr) = split(m, 127 - p.f);
                let nm = nm as u64;
                !(round_up(rm, sign, nm & 1 != 0, nh, nr) && nm + 1 == 2 << p.f)
            };
            if tiny {
                self.flags |= flags::UFC;
            }
        }
        if round_up(rm, sign, int_mant & 1 != 0, half, rest) {
            int_mant += 1;
            if int_mant == 1 << p.f {
                // Rounded up from denormal to normal.
                biased = 1;
            }
            if int_mant == 2 << p.f {
                // Rounded up to the next binade.
                biased += 1;
                int_mant >>= 1;
            }
        }
        if rm == Rm::Odd && inexact {
            int_mant |= 1;
        }
        let result;
        if !(ahp && f == Fmt::H) {
            if biased >= p.exp_max() {
                let to_inf = match rm {
                    Rm::Even | Rm::Away => true,
                    Rm::Pos => !sign,
                    Rm::Neg => sign,
                    Rm::Zero | Rm::Odd => false,
                };
                result = if to_inf {
                    p.inf(sign)
                } else {
                    p.max_normal(sign)
                };
                self.flags |= flags::OFC;
                inexact = true;
            } else {
                result = p.zero(sign) | (biased << p.f) | (int_mant & p.frac_mask());
            }
        } else if biased > p.exp_max() {
            // Alternative half precision: no infinity; Invalid Operation and
            // the largest magnitude, without Inexact.
            result = p.zero(sign) | (p.mask() >> 1);
            self.flags |= flags::IOC;
            inexact = false;
        } else {
            result = p.zero(sign) | (biased << p.f) | (int_mant & p.frac_mask());
        }
        if inexact {
            self.flags |= flags::IXC;
        }
        result
    }

    /// `FPRound(op, fpcr)`: [`Fpu::round_pack`] with FPCR's rounding mode and
    /// IEEE half precision.
    #[inline(always)]
    pub(crate) fn round(&mut self, f: Fmt, x: Exact) -> u64 {
        let rm = Rm::from(self.round);
        self.round_pack(f, x, rm, false)
    }
}
