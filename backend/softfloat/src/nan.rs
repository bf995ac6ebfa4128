//! NaN handling: `FPDefaultNaN()`, `FPProcessNaN()`, `FPProcessNaNs()`,
//! `FPProcessNaNs3()` and `FPConvertNaN()` (ARM ARM J1.3
//! shared/functions/float), with the architecture-dependent choices behind
//! [`Arch`].

use crate::unpack::{Kind, Unp};
use crate::{flags, Arch, Fmt, Fpu};

/// `FPDefaultNaN()`: the NaN produced by invalid operations and by any NaN
/// result under FPCR.DN.
///
/// * ARM: sign 0, exponent all ones, only the top fraction bit set
///   (0x7E00 / 0x7FC0_0000 / 0x7FF8_0000_0000_0000).
/// * SPARC: sign 0, exponent and fraction all ones (0x7FFF_FFFF and
///   0x7FFF_FFFF_FFFF_FFFF).
#[inline(always)]
pub(crate) fn default_nan(arch: Arch, f: Fmt) -> u64 {
    let p = f.params();
    match arch {
        Arch::Arm => p.inf(false) | p.quiet(),
        Arch::Sparc => p.mask() >> 1,
    }
}

/// Which operand of two NaN-carrying operands supplies the result
/// (`FPProcessNaNs()`): 0 for `a`, 1 for `b`; called only when one is a NaN.
///
/// ARM: a signalling NaN in `a`, then one in `b`, then a quiet NaN in `a`,
/// then `b`.
///
/// SPARC: the SPARC V8 manual (B.2, table B-1 "Untrapped Floating-Point
/// Results") leaves the choice between two NaN operands open; these are the
/// rules QEMU 7.2 applies to its SPARC CPUs (SoftFloat's x87-style default),
/// established by running FADDs on every pair of NaN kinds on qemu-sparc
/// and qemu-system-sparc -M leon3_generic:
/// * one NaN: that one;
/// * a signalling and a quiet NaN: the quiet one;
/// * two of the same kind: the larger fraction (the quiet bit excluded, as
///   both have it or neither), and for equal fractions the positive one
///   (`b` if both signs are equal).
#[inline(always)]
fn pick2(arch: Arch, f: Fmt, a: &Unp, b: &Unp) -> usize {
    match arch {
        Arch::Arm => {
            if a.kind == Kind::SNaN {
                0
            } else if b.kind == Kind::SNaN {
                1
            } else if a.kind == Kind::QNaN {
                0
            } else {
                1
            }
        }
        Arch::Sparc => match (a.kind, b.kind) {
            (Kind::SNaN, Kind::SNaN) | (Kind::QNaN, Kind::QNaN) => {
                let frac = f.params().frac_mask();
                match (a.bits & frac).cmp(&(b.bits & frac)) {
                    std::cmp::Ordering::Greater => 0,
                    std::cmp::Ordering::Less => 1,
                    // Equal fractions: `a` only if it is the positive one.
                    std::cmp::Ordering::Equal => usize::from(a.sign || !b.sign),
                }
            }
            (Kind::SNaN, Kind::QNaN) => 1,
            (Kind::SNaN | Kind::QNaN, _) => 0,
            _ => 1,
        },
    }
}

/// As [`pick2`] for three operands, in the order given
/// (`FPProcessNaNs3(type1, type2, type3)`): signalling NaNs first, in operand
/// order, then quiet NaNs. SPARC (no fused multiply-add in V8) shares the
/// ARM order.
#[inline(always)]
fn pick3(_arch: Arch, k: [Kind; 3]) -> usize {
    for (i, &x) in k.iter().enumerate() {
        if x == Kind::SNaN {
            return i;
        }
    }
    for (i, &x) in k.iter().enumerate() {
        if x == Kind::QNaN {
            return i;
        }
    }
    unreachable!("pick3 without a NaN")
}

impl Fpu {
    /// `FPDefaultNaN()` of format `f` for this architecture.
    #[inline(always)]
    pub(crate) fn default_nan(&self, f: Fmt) -> u64 {
        default_nan(self.arch, f)
    }

    /// An invalid operation: IOC and the default NaN.
    #[inline(always)]
    pub(crate) fn invalid(&mut self, f: Fmt) -> u64 {
        self.flags |= flags::IOC;
        self.default_nan(f)
    }

    /// `FPProcessNaN()`: a signalling NaN is quietened (top fraction bit
    /// set) with IOC; under FPCR.DN the result is the default NaN.
    #[inline(always)]
    pub(crate) fn process_nan(&mut self, f: Fmt, u: &Unp) -> u64 {
        let mut r = u.bits;
        if u.kind == Kind::SNaN {
            r |= f.params().quiet();
            self.flags |= flags::IOC;
        }
        if self.dn {
            r = self.default_nan(f);
        }
        r
    }

    /// `FPProcessNaNs()`: `Some(result)` if either operand is a NaN. On
    /// SPARC a signalling NaN raises IOC even when the quiet NaN of the
    /// other operand is chosen (QEMU 7.2).
    #[inline(always)]
    pub(crate) fn process_nans(&mut self, f: Fmt, a: &Unp, b: &Unp) -> Option<u64> {
        if !a.is_nan() && !b.is_nan() {
            return None;
        }
        if self.arch == Arch::Sparc && (a.kind == Kind::SNaN || b.kind == Kind::SNaN) {
            self.flags |= flags::IOC;
        }
        let u = if pick2(self.arch, f, a, b) == 0 { a } else { b };
        Some(self.process_nan(f, u))
    }

    /// `FPProcessNaNs3()`: `Some(result)` if any operand is a NaN.
    #[inline(always)]
    pub(crate) fn process_nans3(&mut self, f: Fmt, a: &Unp, b: &Unp, c: &Unp) -> Option<u64> {
        if !a.is_nan() && !b.is_nan() && !c.is_nan() {
            return None;
        }
        let u = [a, b, c][pick3(self.arch, [a.kind, b.kind, c.kind])];
        Some(self.process_nan(f, u))
    }
}

/// `FPConvertNaN()`: the NaN `a` of format `from` as a quiet NaN of format
/// `to`, keeping the sign and the most significant payload bits.
#[inline(always)]
pub(crate) fn convert_nan(from: Fmt, to: Fmt, a: u64) -> u64 {
    let (pf, pt) = (from.params(), to.params());
    let sign = a & pf.sign() != 0;
    // The 51 payload bits below the quiet bit, left-aligned as in binary64.
    let payload = ((a & (pf.quiet() - 1)) << (52 - pf.f)) & ((1 << 51) - 1);
    pt.zero(sign) | pt.inf(false) | pt.quiet() | (payload >> (52 - pt.f))
}
