//! The host fast path for binary32/binary64 add, sub, mul, div, sqrt and
//! fused multiply-add.
//!
//! When the rounding mode is to nearest (ties to even), IXC is already set
//! (so whether this operation is inexact does not matter), and every operand
//! is a normal number or zero, the host's IEEE 754 arithmetic (x86-64 SSE,
//! default MXCSR: nearest-even, no flush or denormals-are-zero) computes the
//! same bits as `FPRoundBase()` whenever its result is finite and larger in
//! magnitude than the smallest normal: then no overflow, underflow, invalid
//! operation, division by zero or input flush happened, and FZ cannot apply.
//! Exact zeros are accepted where IEEE and ARM agree on their sign (a sum of
//! normals or zeros that is zero is exact, with the nearest-even sign rules;
//! a product or quotient with a zero operand). Everything else returns
//! `None` and takes the exact software path.

use crate::{flags, Fmt, Fpu, Round};

/// Whether the preconditions on the controls hold.
#[inline(always)]
fn enabled(u: &Fpu) -> bool {
    u.round == Round::NearestEven && u.flags & flags::IXC != 0
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
pub(crate) fn add(u: &Fpu, f: Fmt, a: u64, b: u64, neg: bool) -> Option<u64> {
    if !enabled(u) {
        return None;
    }
    match f {
        Fmt::S if ok32(a) && ok32(b) => {
            let (x, y) = (f32::from_bits(a as u32), f32::from_bits(b as u32));
            let r = if neg { x - y } else { x + y };
            (normal32(r) || r == 0.0).then(|| r.to_bits() as u64)
        }
        Fmt::D if ok64(a) && ok64(b) => {
            let (x, y) = (f64::from_bits(a), f64::from_bits(b));
            let r = if neg { x - y } else { x + y };
            (normal64(r) || r == 0.0).then(|| r.to_bits())
        }
        _ => None,
    }
}

/// `a * b` (also FMULX: infinities never reach the host).
#[inline(always)]
pub(crate) fn mul(u: &Fpu, f: Fmt, a: u64, b: u64) -> Option<u64> {
    if !enabled(u) {
        return None;
    }
    match f {
        Fmt::S if ok32(a) && ok32(b) => {
            let r = f32::from_bits(a as u32) * f32::from_bits(b as u32);
            (normal32(r) || zero32(a) || zero32(b)).then(|| r.to_bits() as u64)
        }
        Fmt::D if ok64(a) && ok64(b) => {
            let r = f64::from_bits(a) * f64::from_bits(b);
            (normal64(r) || zero64(a) || zero64(b)).then(|| r.to_bits())
        }
        _ => None,
    }
}

/// `a / b` for a nonzero divisor.
#[inline(always)]
pub(crate) fn div(u: &Fpu, f: Fmt, a: u64, b: u64) -> Option<u64> {
    if !enabled(u) {
        return None;
    }
    match f {
        Fmt::S if ok32(a) && ok32(b) && !zero32(b) => {
            let r = f32::from_bits(a as u32) / f32::from_bits(b as u32);
            (normal32(r) || zero32(a)).then(|| r.to_bits() as u64)
        }
        Fmt::D if ok64(a) && ok64(b) && !zero64(b) => {
            let r = f64::from_bits(a) / f64::from_bits(b);
            (normal64(r) || zero64(a)).then(|| r.to_bits())
        }
        _ => None,
    }
}

/// `sqrt(a)`: a positive normal (or zero) operand.
#[inline(always)]
pub(crate) fn sqrt(u: &Fpu, f: Fmt, a: u64) -> Option<u64> {
    if !enabled(u) {
        return None;
    }
    match f {
        Fmt::S if ok32(a) => {
            let r = f32::from_bits(a as u32).sqrt();
            (normal32(r) || zero32(a)).then(|| r.to_bits() as u64)
        }
        Fmt::D if ok64(a) => {
            let r = f64::from_bits(a).sqrt();
            (normal64(r) || zero64(a)).then(|| r.to_bits())
        }
        _ => None,
    }
}

/// `c + a*b` with one rounding (the host's correctly rounded fused
/// multiply-add); zero results take the software path.
#[inline(always)]
pub(crate) fn mul_add(u: &Fpu, f: Fmt, c: u64, a: u64, b: u64) -> Option<u64> {
    if !enabled(u) {
        return None;
    }
    match f {
        Fmt::S if ok32(a) && ok32(b) && ok32(c) => {
            let r = f32::from_bits(a as u32).mul_add(f32::from_bits(b as u32), f32::from_bits(c as u32));
            normal32(r).then(|| r.to_bits() as u64)
        }
        Fmt::D if ok64(a) && ok64(b) && ok64(c) => {
            let r = f64::from_bits(a).mul_add(f64::from_bits(b), f64::from_bits(c));
            normal64(r).then(|| r.to_bits())
        }
        _ => None,
    }
}
