//! Arithmetic: `FPAdd()`, `FPSub()`, `FPMul()`, `FPMulX()`, `FPDiv()`,
//! `FPSqrt()`, `FPMulAdd()`, `FPRecipStepFused()`, `FPRSqrtStepFused()`,
//! `FPMax()`, `FPMin()`, `FPMaxNum()`, `FPMinNum()`, `FPCompare()`,
//! `FPCompareEQ()`, `FPCompareGE()` and `FPCompareGT()` (ARM ARM J1.3
//! shared/functions/float), computed exactly on integer significands and
//! rounded once by `FPRoundBase()`.

use crate::fast;
use crate::round::Exact;
use crate::unpack::{Kind, Unp};
use crate::{flags, Cmp, Fmt, Fpu, Round};

/// The exact sum of two nonzero values `(-1)^sx * mx * 2^ex` and
/// `(-1)^sy * my * 2^ey` with `mx, my < 2^107`: `None` if it is exactly
/// zero.
///
/// The operand with the larger leading bit is placed with its leading bit at
/// bit 125 of a `u128`; the other is aligned to it, exactly unless the
/// leading bits are more than 19 positions apart, when the bits shifted out
/// form the sticky bit. Cancellation can then remove at most one leading
/// bit, so a sticky result keeps at least 124 significant bits.
#[inline]
pub(crate) fn add_exact(sx: bool, mx: u128, ex: i32, sy: bool, my: u128, ey: i32) -> Option<Exact> {
    let tx = ex - mx.leading_zeros() as i32;
    let ty = ey - my.leading_zeros() as i32;
    let ((sx, mx, ex), (sy, my, ey)) = if tx >= ty {
        ((sx, mx, ex), (sy, my, ey))
    } else {
        ((sy, my, ey), (sx, mx, ex))
    };
    let lz = mx.leading_zeros() - 2;
    let x = mx << lz;
    let e = ex - lz as i32;
    let sh = ey - e;
    let (y, sticky) = if sh >= 0 {
        (my << sh, false)
    } else {
        let r = (-sh) as u32;
        if r >= 128 {
            (0, true)
        } else {
            (my >> r, my & ((1u128 << r) - 1) != 0)
        }
    };
    if sx == sy {
        Some(Exact {
            sign: sx,
            mant: x + y,
            exp: e,
            sticky,
        })
    } else if x > y {
        // x - (y + s) = (x - y - 1) + (1 - s) for 0 < s < 1.
        Some(Exact {
            sign: sx,
            mant: x - y - sticky as u128,
            exp: e,
            sticky,
        })
    } else if x == y && !sticky {
        None
    } else {
        Some(Exact::new(sy, y - x, e))
    }
}

/// `floor(sqrt(n))` for `2^124 <= n < 2^126`, and whether it is inexact.
#[inline]
fn isqrt(n: u128) -> (u64, bool) {
    let approx = (n as f64).sqrt() as u64;
    let mut r = ((approx as u128 + n / approx as u128) >> 1) as u64;
    while (r as u128) * (r as u128) > n {
        r -= 1;
    }
    while ((r + 1) as u128) * ((r + 1) as u128) <= n {
        r += 1;
    }
    (r, (r as u128) * (r as u128) != n)
}

impl Fpu {
    /// The sign of an exact zero sum of opposite-signed operands: negative
    /// only when rounding toward minus infinity.
    #[inline(always)]
    fn exact_zero_sign(&self) -> bool {
        self.round == Round::MinusInf
    }

    /// Round an exact sum from [`add_exact`], or give the exact zero.
    #[inline(always)]
    fn round_sum(&mut self, f: Fmt, s: Option<Exact>, exp_adjust: i32) -> u64 {
        match s {
            None => f.params().zero(self.exact_zero_sign()),
            Some(x) => self.round(
                f,
                Exact {
                    exp: x.exp + exp_adjust,
                    ..x
                },
            ),
        }
    }

    /// `FPAdd()`/`FPSub()`: `neg` negates the second operand's value (not
    /// the NaN it may supply).
    fn add_soft(&mut self, f: Fmt, a: u64, b: u64, neg: bool) -> u64 {
        let ua = self.unpack(f, a);
        let ub = self.unpack(f, b);
        if let Some(r) = self.process_nans(f, &ua, &ub) {
            return r;
        }
        let p = f.params();
        let sb = ub.sign ^ neg;
        match (ua.kind, ub.kind) {
            (Kind::Inf, Kind::Inf) if ua.sign != sb => self.invalid(f),
            (Kind::Inf, _) => p.inf(ua.sign),
            (_, Kind::Inf) => p.inf(sb),
            (Kind::Zero, Kind::Zero) => p.zero(if ua.sign == sb {
                ua.sign
            } else {
                self.exact_zero_sign()
            }),
            // FPRound() of one operand's value is that operand, exactly.
            (Kind::Zero, _) => ub.bits ^ if neg { p.sign() } else { 0 },
            (_, Kind::Zero) => ua.bits,
            _ => {
                let s = add_exact(
                    ua.sign,
                    ua.mant as u128,
                    ua.exp,
                    sb,
                    ub.mant as u128,
                    ub.exp,
                );
                self.round_sum(f, s, 0)
            }
        }
    }

    /// FADD: `FPAdd(a, b)`.
    pub fn add(&mut self, f: Fmt, a: u64, b: u64) -> u64 {
        if let Some(r) = fast::add(self, f, a, b, false) {
            return r;
        }
        self.add_soft(f, a, b, false)
    }

    /// FSUB: `FPSub(a, b)`.
    pub fn sub(&mut self, f: Fmt, a: u64, b: u64) -> u64 {
        if let Some(r) = fast::add(self, f, a, b, true) {
            return r;
        }
        self.add_soft(f, a, b, true)
    }

    /// `FPMul()` (`x` false) and `FPMulX()` (`x` true: infinity times zero is
    /// 2.0 with the product's sign instead of the default NaN with IOC).
    fn mul_soft(&mut self, f: Fmt, a: u64, b: u64, x: bool) -> u64 {
        let ua = self.unpack(f, a);
        let ub = self.unpack(f, b);
        if let Some(r) = self.process_nans(f, &ua, &ub) {
            return r;
        }
        let p = f.params();
        let s = ua.sign ^ ub.sign;
        match (ua.kind, ub.kind) {
            (Kind::Inf, Kind::Zero) | (Kind::Zero, Kind::Inf) => {
                if x {
                    p.pow2(s, 1)
                } else {
                    self.invalid(f)
                }
            }
            (Kind::Inf, _) | (_, Kind::Inf) => p.inf(s),
            (Kind::Zero, _) | (_, Kind::Zero) => p.zero(s),
            _ => self.round(
                f,
                Exact::new(s, ua.mant as u128 * ub.mant as u128, ua.exp + ub.exp),
            ),
        }
    }

    /// FMUL: `FPMul(a, b)`.
    pub fn mul(&mut self, f: Fmt, a: u64, b: u64) -> u64 {
        if let Some(r) = fast::mul(self, f, a, b) {
            return r;
        }
        self.mul_soft(f, a, b, false)
    }

    /// FMULX: `FPMulX(a, b)`.
    pub fn mulx(&mut self, f: Fmt, a: u64, b: u64) -> u64 {
        if let Some(r) = fast::mul(self, f, a, b) {
            return r;
        }
        self.mul_soft(f, a, b, true)
    }

    /// FDIV: `FPDiv(a, b)`. A finite nonzero dividend over zero gives a
    /// signed infinity with DZC.
    pub fn div(&mut self, f: Fmt, a: u64, b: u64) -> u64 {
        if let Some(r) = fast::div(self, f, a, b) {
            return r;
        }
        let ua = self.unpack(f, a);
        let ub = self.unpack(f, b);
        if let Some(r) = self.process_nans(f, &ua, &ub) {
            return r;
        }
        let p = f.params();
        let s = ua.sign ^ ub.sign;
        match (ua.kind, ub.kind) {
            (Kind::Inf, Kind::Inf) | (Kind::Zero, Kind::Zero) => self.invalid(f),
            (Kind::Inf, _) => p.inf(s),
            (_, Kind::Zero) => {
                self.flags |= flags::DZC;
                p.inf(s)
            }
            (Kind::Zero, _) | (_, Kind::Inf) => p.zero(s),
            _ => {
                // Both significands normalised to bit 63: the quotient of
                // (x << 64) / y lies in (2^63, 2^65), the remainder is sticky.
                let (lx, ly) = (ua.mant.leading_zeros(), ub.mant.leading_zeros());
                let x = (ua.mant << lx) as u128;
                let y = (ub.mant << ly) as u128;
                let q = (x << 64) / y;
                let r = (x << 64) - q * y;
                let e = (ua.exp - lx as i32) - (ub.exp - ly as i32) - 64;
                self.round(
                    f,
                    Exact {
                        sign: s,
                        mant: q,
                        exp: e,
                        sticky: r != 0,
                    },
                )
            }
        }
    }

    /// FSQRT: `FPSqrt(a)`. Negative nonzero operands (including -infinity)
    /// are invalid; -0 gives -0.
    pub fn sqrt(&mut self, f: Fmt, a: u64) -> u64 {
        if let Some(r) = fast::sqrt(self, f, a) {
            return r;
        }
        let u = self.unpack(f, a);
        let p = f.params();
        match u.kind {
            Kind::QNaN | Kind::SNaN => self.process_nan(f, &u),
            Kind::Zero => p.zero(u.sign),
            _ if u.sign => self.invalid(f),
            Kind::Inf => p.inf(false),
            Kind::Finite => {
                // m * 2^e with e even and m's leading bit at 124 or 125.
                let m = u.mant as u128;
                let mut sh = m.leading_zeros() as i32 - 2;
                if (u.exp - sh) & 1 != 0 {
                    sh -= 1;
                }
                let (r, inexact) = isqrt(m << sh);
                self.round(
                    f,
                    Exact {
                        sign: false,
                        mant: r as u128,
                        exp: (u.exp - sh) / 2,
                        sticky: inexact,
                    },
                )
            }
        }
    }

    /// FMADD: `FPMulAdd(addend, a, b)` = addend + a*b with one rounding.
    /// NaNs are chosen by `FPProcessNaNs3(addend, a, b)`, except that a quiet
    /// NaN addend with infinity times zero gives the default NaN with IOC.
    /// (FMSUB, FNMADD and FNMSUB negate operands before the call.)
    pub fn mul_add(&mut self, f: Fmt, addend: u64, a: u64, b: u64) -> u64 {
        if let Some(r) = fast::mul_add(self, f, addend, a, b) {
            return r;
        }
        let uc = self.unpack(f, addend);
        let u1 = self.unpack(f, a);
        let u2 = self.unpack(f, b);
        let inf_zero = (u1.is_inf() && u2.is_zero()) || (u1.is_zero() && u2.is_inf());
        let nan = self.process_nans3(f, &uc, &u1, &u2);
        if uc.kind == Kind::QNaN && inf_zero {
            return self.invalid(f);
        }
        if let Some(r) = nan {
            return r;
        }
        let p = f.params();
        let sp = u1.sign ^ u2.sign;
        let inf_p = u1.is_inf() || u2.is_inf();
        let zero_p = u1.is_zero() || u2.is_zero();
        if inf_zero || (uc.is_inf() && inf_p && uc.sign != sp) {
            return self.invalid(f);
        }
        if (uc.is_inf() && !uc.sign) || (inf_p && !sp) {
            return p.inf(false);
        }
        if uc.is_inf() || inf_p {
            return p.inf(true);
        }
        if zero_p {
            return if !uc.is_zero() {
                uc.bits
            } else if uc.sign == sp {
                p.zero(sp)
            } else {
                p.zero(self.exact_zero_sign())
            };
        }
        let prod = u1.mant as u128 * u2.mant as u128;
        if uc.is_zero() {
            return self.round(f, Exact::new(sp, prod, u1.exp + u2.exp));
        }
        let s = add_exact(uc.sign, uc.mant as u128, uc.exp, sp, prod, u1.exp + u2.exp);
        self.round_sum(f, s, 0)
    }

    /// `FPRecipStepFused()` (`rsqrt` false): 2 - a*b, and
    /// `FPRSqrtStepFused()` (`rsqrt` true): (3 - a*b) / 2, each with one
    /// rounding. `a` is negated before NaN selection, so a NaN from `a` comes
    /// back with its sign flipped.
    fn step(&mut self, f: Fmt, a: u64, b: u64, rsqrt: bool) -> u64 {
        let p = f.params();
        let u1 = self.unpack(f, a ^ p.sign());
        let u2 = self.unpack(f, b);
        if let Some(r) = self.process_nans(f, &u1, &u2) {
            return r;
        }
        let s = u1.sign ^ u2.sign;
        // 2.0 for FRECPS, 1.5 for FRSQRTS.
        let constant = if rsqrt {
            p.pow2(false, 0) | p.quiet()
        } else {
            p.pow2(false, 1)
        };
        match (u1.kind, u2.kind) {
            (Kind::Inf, Kind::Zero) | (Kind::Zero, Kind::Inf) => constant,
            (Kind::Inf, _) | (_, Kind::Inf) => p.inf(s),
            (Kind::Zero, _) | (_, Kind::Zero) => constant,
            _ => {
                let prod = u1.mant as u128 * u2.mant as u128;
                let e = u1.exp + u2.exp;
                let sum = if rsqrt {
                    add_exact(false, 3, 0, s, prod, e)
                } else {
                    add_exact(false, 1, 1, s, prod, e)
                };
                self.round_sum(f, sum, if rsqrt { -1 } else { 0 })
            }
        }
    }

    /// FRECPS: `FPRecipStepFused(a, b)` = 2 - a*b.
    pub fn recip_step(&mut self, f: Fmt, a: u64, b: u64) -> u64 {
        self.step(f, a, b, false)
    }

    /// FRSQRTS: `FPRSqrtStepFused(a, b)` = (3 - a*b) / 2.
    pub fn rsqrt_step(&mut self, f: Fmt, a: u64, b: u64) -> u64 {
        self.step(f, a, b, true)
    }

    /// `FPMax()` (`max`) / `FPMin()` on unpacked operands: NaNs propagate;
    /// between zeros the maximum is -0 only if both are, the minimum +0 only
    /// if both are.
    fn max_min(&mut self, f: Fmt, ua: &Unp, ub: &Unp, max: bool) -> u64 {
        if let Some(r) = self.process_nans(f, ua, ub) {
            return r;
        }
        let (ka, kb) = (ua.order_key(), ub.order_key());
        let u = if (max && ka > kb) || (!max && ka < kb) {
            ua
        } else {
            ub
        };
        let p = f.params();
        match u.kind {
            Kind::Inf => p.inf(u.sign),
            Kind::Zero => p.zero(if max {
                ua.sign && ub.sign
            } else {
                ua.sign || ub.sign
            }),
            // FPRound() of an operand's own value is exact.
            _ => u.bits,
        }
    }

    /// `FPMaxNum()` / `FPMinNum()`: a single quiet NaN operand is replaced by
    /// -infinity (max) or +infinity (min) before `FPMax()` / `FPMin()`.
    fn max_min_num(&mut self, f: Fmt, a: u64, b: u64, max: bool) -> u64 {
        let mut ua = self.unpack(f, a);
        let mut ub = self.unpack(f, b);
        let p = f.params();
        let inf = Unp {
            kind: Kind::Inf,
            sign: max,
            mant: 0,
            exp: 0,
            bits: p.inf(max),
            mag: p.inf(false),
        };
        if ua.kind == Kind::QNaN && ub.kind != Kind::QNaN {
            ua = inf;
        } else if ua.kind != Kind::QNaN && ub.kind == Kind::QNaN {
            ub = inf;
        }
        self.max_min(f, &ua, &ub, max)
    }

    /// FMAX: `FPMax(a, b)`.
    pub fn max(&mut self, f: Fmt, a: u64, b: u64) -> u64 {
        let ua = self.unpack(f, a);
        let ub = self.unpack(f, b);
        self.max_min(f, &ua, &ub, true)
    }

    /// FMIN: `FPMin(a, b)`.
    pub fn min(&mut self, f: Fmt, a: u64, b: u64) -> u64 {
        let ua = self.unpack(f, a);
        let ub = self.unpack(f, b);
        self.max_min(f, &ua, &ub, false)
    }

    /// FMAXNM: `FPMaxNum(a, b)`.
    pub fn max_num(&mut self, f: Fmt, a: u64, b: u64) -> u64 {
        self.max_min_num(f, a, b, true)
    }

    /// FMINNM: `FPMinNum(a, b)`.
    pub fn min_num(&mut self, f: Fmt, a: u64, b: u64) -> u64 {
        self.max_min_num(f, a, b, false)
    }

    /// FCMP (`signaling` false) / FCMPE (true): `FPCompare(a, b,
    /// signal_nans)`. Unordered with IOC for a signalling NaN, or for any
    /// NaN when `signaling`.
    pub fn compare(&mut self, f: Fmt, a: u64, b: u64, signaling: bool) -> Cmp {
        let ua = self.unpack(f, a);
        let ub = self.unpack(f, b);
        if ua.is_nan() || ub.is_nan() {
            if ua.kind == Kind::SNaN || ub.kind == Kind::SNaN || signaling {
                self.flags |= flags::IOC;
            }
            return Cmp::Unordered;
        }
        let (ka, kb) = (ua.order_key(), ub.order_key());
        if ka == kb {
            Cmp::Equal
        } else if ka < kb {
            Cmp::Less
        } else {
            Cmp::Greater
        }
    }

    /// FCMEQ: `FPCompareEQ(a, b)`; false for NaNs, IOC only for a
    /// signalling NaN.
    pub fn compare_eq(&mut self, f: Fmt, a: u64, b: u64) -> bool {
        let ua = self.unpack(f, a);
        let ub = self.unpack(f, b);
        if ua.is_nan() || ub.is_nan() {
            if ua.kind == Kind::SNaN || ub.kind == Kind::SNaN {
                self.flags |= flags::IOC;
            }
            return false;
        }
        ua.order_key() == ub.order_key()
    }

    /// Ordered comparison for FCMGE/FCMGT: `None` (with IOC) for any NaN.
    fn compare_signaling(&mut self, f: Fmt, a: u64, b: u64) -> Option<(i64, i64)> {
        let ua = self.unpack(f, a);
        let ub = self.unpack(f, b);
        if ua.is_nan() || ub.is_nan() {
            self.flags |= flags::IOC;
            return None;
        }
        Some((ua.order_key(), ub.order_key()))
    }

    /// FCMGE: `FPCompareGE(a, b)`; false with IOC for any NaN.
    pub fn compare_ge(&mut self, f: Fmt, a: u64, b: u64) -> bool {
        self.compare_signaling(f, a, b).is_some_and(|(x, y)| x >= y)
    }

    /// FCMGT: `FPCompareGT(a, b)`; false with IOC for any NaN.
    pub fn compare_gt(&mut self, f: Fmt, a: u64, b: u64) -> bool {
        self.compare_signaling(f, a, b).is_some_and(|(x, y)| x > y)
    }
}
