//! The host fast path for binary32/binary64 add, sub, mul, div, sqrt,
//! fused multiply-add and conversion between the two.
//!
//! When the rounding mode is to nearest (ties to even) and every operand is
//! a normal number or zero, the host's IEEE 754 arithmetic (x86-64 SSE,
//! default MXCSR: nearest-even, no flush or denormals-are-zero) computes the
//! same bits as `FPRoundBase()` whenever its result is finite and larger in
//! magnitude than the smallest normal: then no overflow, underflow, invalid
//! operation, division by zero or input flush happened, and FZ cannot apply.
//! Exact zeros are accepted where IEEE and ARM agree on their sign (a sum of
//! normals or zeros that is zero is exact, with the nearest-even sign rules;
//! a product or quotient with a zero operand). Everything else returns
//! `None` and takes the exact software path.
//!
//! The only flag such a result can raise is IXC. If IXC is already set it
//! need not be computed; otherwise add/sub/mul/div/sqrt decide it exactly
//! (Fast2Sum's error term for sums; for products, quotients and roots a
//! comparison of the integer significands), and the fused multiply-add
//! requires IXC to be set already.

use crate::{flags, Fmt, Fpu, Round};

/// Whether the rounding mode allows the host path.
#[inline(always)]
fn enabled(u: &Fpu) -> bool {
    u.round == Round::NearestEven
}

/// Whether IXC is already set.
#[inline(always)]
fn have_ixc(u: &Fpu) -> bool {
    u.flags & flags::IXC != 0
}

/// Record an inexact result.
#[inline(always)]
fn inexact(u: &mut Fpu, yes: bool) {
    if yes {
        u.flags |= flags::IXC;
    }
}

/// The integer significand of a normal binary32.
#[inline(always)]
fn sig32(a: u64) -> u128 {
    ((a & 0x7f_ffff) | 0x80_0000) as u128
}

/// The integer significand of a normal binary64.
#[inline(always)]
fn sig64(a: u64) -> u128 {
    ((a & 0xf_ffff_ffff_ffff) | 0x10_0000_0000_0000) as u128
}

/// `v` without its trailing zero bits (`v` nonzero).
#[inline(always)]
fn odd(v: u128) -> u128 {
    v >> v.trailing_zeros()
}

/// Whether the nonzero integer `p` needs more than `prec` significant bits.
#[inline(always)]
fn wider(p: u128, prec: u32) -> bool {
    128 - p.leading_zeros() - p.trailing_zeros() > prec
}

/// Whether `x + y` rounded to `r` was inexact (Fast2Sum: with
/// |big| >= |small| and round to nearest, `small - (r - big)` is the exact
/// rounding error).
#[inline(always)]
fn sum_inexact64(x: f64, y: f64, r: f64) -> bool {
    let (big, small) = if x.abs() >= y.abs() { (x, y) } else { (y, x) };
    small - (r - big) != 0.0
}

#[inline(always)]
fn sum_inexact32(x: f32, y: f32, r: f32) -> bool {
    let (big, small) = if x.abs() >= y.abs() { (x, y) } else { (y, x) };
    small - (r - big) != 0.0
}

/// binary32 normal or zero.
#[inline(always)]
fn ok32(a: u64) -> bool {
    let a = a as u32;
    ((a >> 23) & 0xff).wrapping_sub(1) < 0xfe || a << 1 == 0
}

/// binary64 normal or zero.
#[inline(always)]
fn ok64(a: u64) -> bool {
    ((a >> 52) & 0x7ff).wrapping_sub(1) < 0x7fe || a << 1 == 0
}

#[inline(always)]
fn zero32(a: u64) -> bool {
    (a as u32) << 1 == 0
}

#[inline(always)]
fn zero64(a: u64) -> bool {
    a << 1 == 0
}

/// A finite host result above the smallest normal in magnitude.
#[inline(always)]
fn normal32(r: f32) -> bool {
    let m = r.abs();
    m > f32::MIN_POSITIVE && m <= f32::MAX
}

#[inline(always)]
fn normal64(r: f64) -> bool {
    let m = r.abs();
    m > f64::MIN_POSITIVE && m <= f64::MAX
}

/// `a + b`, or `a - b` when `neg`.
#[inline(always)]
pub(crate) fn add(u: &mut Fpu, f: Fmt, a: u64, b: u64, neg: bool) -> Option<u64> {
    if !enabled(u) {
        return None;
    }
    match f {
        Fmt::S if ok32(a) && ok32(b) => {
            let (x, y) = (f32::from_bits(a as u32), f32::from_bits(b as u32));
            let y = if neg { -y } else { y };
            let r = x + y;
            if !(normal32(r) || r == 0.0) {
                return None;
            }
            if !have_ixc(u) {
                inexact(u, sum_inexact32(x, y, r));
            }
            Some(r.to_bits() as u64)
        }
        Fmt::D if ok64(a) && ok64(b) => {
            let (x, y) = (f64::from_bits(a), f64::from_bits(b));
            let y = if neg { -y } else { y };
            let r = x + y;
            if !(normal64(r) || r == 0.0) {
                return None;
            }
            if !have_ixc(u) {
                inexact(u, sum_inexact64(x, y, r));
            }
            Some(r.to_bits())
        }
        _ => None,
    }
}

/// `a * b` (also FMULX: infinities never reach the host).
#[inline(always)]
pub(crate) fn mul(u: &mut Fpu, f: Fmt, a: u64, b: u64) -> Option<u64> {
    if !enabled(u) {
        return None;
    }
    match f {
        Fmt::S if ok32(a) && ok32(b) => {
            let r = f32::from_bits(a as u32) * f32::from_bits(b as u32);
            if zero32(a) || zero32(b) {
                return Some(r.to_bits() as u64);
            }
            if !normal32(r) {
                return None;
            }
            if !have_ixc(u) {
                inexact(u, wider(sig32(a) * sig32(b), 24));
            }
            Some(r.to_bits() as u64)
        }
        Fmt::D if ok64(a) && ok64(b) => {
            let r = f64::from_bits(a) * f64::from_bits(b);
            if zero64(a) || zero64(b) {
                return Some(r.to_bits());
            }
            if !normal64(r) {
                return None;
            }
            if !have_ixc(u) {
                inexact(u, wider(sig64(a) * sig64(b), 53));
            }
            Some(r.to_bits())
        }
        _ => None,
    }
}

/// `a / b` for a nonzero divisor.
///
/// Exactness: the quotient `r` (normal) is exact iff `r * b == a`; as `r`
/// is within an ulp of `a / b` the exponents then agree, so it suffices that
/// the significand product and `a`'s significand have the same odd part.
#[inline(always)]
pub(crate) fn div(u: &mut Fpu, f: Fmt, a: u64, b: u64) -> Option<u64> {
    if !enabled(u) {
        return None;
    }
    match f {
        Fmt::S if ok32(a) && ok32(b) && !zero32(b) => {
            let r = f32::from_bits(a as u32) / f32::from_bits(b as u32);
            if zero32(a) {
                return Some(r.to_bits() as u64);
            }
            if !normal32(r) {
                return None;
            }
            let r = r.to_bits() as u64;
            if !have_ixc(u) {
                inexact(u, odd(sig32(r) * sig32(b)) != odd(sig32(a)));
            }
            Some(r)
        }
        Fmt::D if ok64(a) && ok64(b) && !zero64(b) => {
            let r = f64::from_bits(a) / f64::from_bits(b);
            if zero64(a) {
                return Some(r.to_bits());
            }
            if !normal64(r) {
                return None;
            }
            let r = r.to_bits();
            if !have_ixc(u) {
                inexact(u, odd(sig64(r) * sig64(b)) != odd(sig64(a)));
            }
            Some(r)
        }
        _ => None,
    }
}

/// `sqrt(a)`: a positive normal (or zero) operand.
/// Exactness as for [`div`]: `r * r == a`.
#[inline(always)]
pub(crate) fn sqrt(u: &mut Fpu, f: Fmt, a: u64) -> Option<u64> {
    if !enabled(u) {
        return None;
    }
    match f {
        Fmt::S if ok32(a) => {
            let r = f32::from_bits(a as u32).sqrt();
            if zero32(a) {
                return Some(r.to_bits() as u64);
            }
            if !normal32(r) {
                return None;
            }
            let r = r.to_bits() as u64;
            if !have_ixc(u) {
                inexact(u, odd(sig32(r) * sig32(r)) != odd(sig32(a)));
            }
            Some(r)
        }
        Fmt::D if ok64(a) => {
            let r = f64::from_bits(a).sqrt();
            if zero64(a) {
                return Some(r.to_bits());
            }
            if !normal64(r) {
                return None;
            }
            let r = r.to_bits();
            if !have_ixc(u) {
                inexact(u, odd(sig64(r) * sig64(r)) != odd(sig64(a)));
            }
            Some(r)
        }
        _ => None,
    }
}

/// `c + a*b` with one rounding (the host's correctly rounded fused
/// multiply-add); zero results take the software path.
#[inline(always)]
pub(crate) fn mul_add(u: &Fpu, f: Fmt, c: u64, a: u64, b: u64) -> Option<u64> {
    if !enabled(u) || !have_ixc(u) {
        return None;
    }
    match f {
        Fmt::S if ok32(a) && ok32(b) && ok32(c) => {
            let r = f32::from_bits(a as u32)
                .mul_add(f32::from_bits(b as u32), f32::from_bits(c as u32));
            normal32(r).then(|| r.to_bits() as u64)
        }
        Fmt::D if ok64(a) && ok64(b) && ok64(c) => {
            let r = f64::from_bits(a).mul_add(f64::from_bits(b), f64::from_bits(c));
            normal64(r).then(|| r.to_bits())
        }
        _ => None,
    }
}

/// FCVT between binary32 and binary64: widening a normal or zero is exact;
/// narrowing gives the host's nearest-even conversion when that is normal,
/// inexact iff it does not widen back to the operand.
#[inline(always)]
pub(crate) fn convert(u: &mut Fpu, from: Fmt, to: Fmt, a: u64) -> Option<u64> {
    if !enabled(u) {
        return None;
    }
    match (from, to) {
        (Fmt::S, Fmt::D) if ok32(a) => Some((f32::from_bits(a as u32) as f64).to_bits()),
        (Fmt::D, Fmt::S) if ok64(a) => {
            let x = f64::from_bits(a);
            let r = x as f32;
            if zero64(a) {
                return Some(r.to_bits() as u64);
            }
            if !normal32(r) {
                return None;
            }
            if !have_ixc(u) {
                inexact(u, r as f64 != x);
            }
            Some(r.to_bits() as u64)
        }
        _ => None,
    }
}
