//! Estimates: `FPRecipEstimate()`/`RecipEstimate()`,
//! `FPRSqrtEstimate()`/`RecipSqrtEstimate()`, `FPRecpX()`,
//! `UnsignedRecipEstimate()` and `UnsignedRSqrtEstimate()` (ARM ARM J1.3
//! shared/functions/float and shared/functions/vector), in their ARMv8.0
//! 8-bit forms (no FEAT_RPRES).

use crate::unpack::Kind;
use crate::{flags, Fmt, Fpu, Round};

/// `RecipEstimate(a)` for `a` in 256..512 (a fixed-point value in [0.5, 1)
/// in steps of 1/512): the reciprocal in 256..512 ([1, 2) in steps of
/// 1/256), indexed by `a - 256`.
const RECIP: [u16; 256] = {
    let mut t = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        let a = (i as u32 + 256) * 2 + 1;
        let b = (1u32 << 19) / a;
        t[i] = b.div_ceil(2) as u16;
        i += 1;
    }
    t
};

/// `RecipSqrtEstimate(a)` for `a` in 128..512 (a fixed-point value in
/// [0.25, 1) in steps of 1/512): the reciprocal square root in 256..512,
/// indexed by `a - 128`.
const RSQRT: [u16; 384] = {
    let mut t = [0u16; 384];
    let mut i = 0;
    while i < 384 {
        let mut a = i as u64 + 128;
        if a < 256 {
            a = a * 2 + 1;
        } else {
            a = (a >> 1) << 1;
            a = (a + 1) * 2;
        }
        let mut b = 512u64;
        while a * (b + 1) * (b + 1) < (1 << 28) {
            b += 1;
        }
        t[i] = b.div_ceil(2) as u16;
        i += 1;
    }
    t
};

/// `RecipEstimate()`.
#[inline(always)]
fn recip_estimate(a: u32) -> u32 {
    RECIP[(a - 256) as usize] as u32
}

/// `RecipSqrtEstimate()`.
#[inline(always)]
fn rsqrt_estimate(a: u32) -> u32 {
    RSQRT[(a - 128) as usize] as u32
}

/// URECPE: `UnsignedRecipEstimate()` of a 32-bit fixed-point value in
/// [0, 1); operands below 0.5 give 0xFFFF_FFFF.
pub fn unsigned_recip_estimate(a: u32) -> u32 {
    if a >> 31 == 0 {
        u32::MAX
    } else {
        recip_estimate(a >> 23) << 23
    }
}

/// URSQRTE: `UnsignedRSqrtEstimate()` of a 32-bit fixed-point value in
/// [0, 1); operands below 0.25 give 0xFFFF_FFFF.
pub fn unsigned_rsqrt_estimate(a: u32) -> u32 {
    if a >> 30 == 0 {
        u32::MAX
    } else {
        rsqrt_estimate(a >> 23) << 23
    }
}

impl Fpu {
    /// FRECPE: `FPRecipEstimate(a)`. Zero gives a signed infinity with DZC,
    /// infinity a signed zero; a magnitude below 2^-(bias+1) overflows
    /// (infinity or the largest normal per FPCR.RMode, OFC and IXC); under FZ
    /// (binary32/binary64) a magnitude of at least 2^(bias-1) gives a signed
    /// zero with UFC; otherwise the 8-bit estimate.
    pub fn recip_estimate(&mut self, f: Fmt, a: u64) -> u64 {
        let u = self.unpack(f, a);
        let p = f.params();
        match u.kind {
            Kind::QNaN | Kind::SNaN => return self.process_nan(f, &u),
            Kind::Inf => return p.zero(u.sign),
            Kind::Zero => {
                self.flags |= flags::DZC;
                return p.inf(u.sign);
            }
            Kind::Finite => {}
        }
        let top = u.top();
        if top < -(p.bias + 1) {
            let to_inf = match self.round {
                Round::NearestEven | Round::NearestAway => true,
                Round::PlusInf => !u.sign,
                Round::MinusInf => u.sign,
                Round::Zero => false,
            };
            self.flags |= flags::OFC | flags::IXC;
            return if to_inf {
                p.inf(u.sign)
            } else {
                p.max_normal(u.sign)
            };
        }
        if self.fz && f != Fmt::H && top >= p.bias - 1 {
            self.flags |= flags::UFC;
            return p.zero(u.sign);
        }
        // The fraction left-aligned in 52 bits, as in binary64.
        let mut fraction = (u.bits & p.frac_mask()) << (52 - p.f);
        let mut exp = ((u.bits >> p.f) & p.exp_max()) as i32;
        const M52: u64 = (1 << 52) - 1;
        if exp == 0 {
            if fraction >> 51 == 0 {
                exp = -1;
                fraction = (fraction << 2) & M52;
            } else {
                fraction = (fraction << 1) & M52;
            }
        }
        let scaled = 256 | ((fraction >> 44) & 0xff) as u32;
        let mut result_exp = 2 * p.bias - 1 - exp;
        let estimate = recip_estimate(scaled);
        let mut fraction = ((estimate & 0xff) as u64) << 44;
        if result_exp == 0 {
            fraction = (1 << 51) | (fraction >> 1);
        } else if result_exp == -1 {
            fraction = (1 << 50) | (fraction >> 2);
            result_exp = 0;
        }
        p.zero(u.sign) | ((result_exp as u64) << p.f) | (fraction >> (52 - p.f))
    }

    /// FRSQRTE: `FPRSqrtEstimate(a)`. Zero gives a signed infinity with
    /// DZC, a negative nonzero operand the default NaN with IOC, +infinity
    /// +0; otherwise the 8-bit estimate.
    pub fn rsqrt_estimate(&mut self, f: Fmt, a: u64) -> u64 {
        let u = self.unpack(f, a);
        let p = f.params();
        match u.kind {
            Kind::QNaN | Kind::SNaN => return self.process_nan(f, &u),
            Kind::Zero => {
                self.flags |= flags::DZC;
                return p.inf(u.sign);
            }
            _ if u.sign => return self.invalid(f),
            Kind::Inf => return p.zero(false),
            Kind::Finite => {}
        }
        let mut fraction = (u.bits & p.frac_mask()) << (52 - p.f);
        let mut exp = ((u.bits >> p.f) & p.exp_max()) as i32;
        const M52: u64 = (1 << 52) - 1;
        if exp == 0 {
            while fraction >> 51 == 0 {
                fraction = (fraction << 1) & M52;
                exp -= 1;
            }
            fraction = (fraction << 1) & M52;
        }
        // '1':fraction<51:44> for an even exponent (value in [0.5, 1)),
        // '01':fraction<51:45> for an odd one ([0.25, 0.5)).
        let scaled = if exp & 1 == 0 {
            0x100 | (fraction >> 44) as u32
        } else {
            0x80 | (fraction >> 45) as u32
        };
        // (3*bias - 1 - exp) DIV 2, with exp possibly negative (denormals):
        // the dividend stays positive.
        let result_exp = (3 * p.bias - 1 - exp) / 2;
        let estimate = rsqrt_estimate(scaled);
        ((result_exp as u64) << p.f) | (((estimate & 0xff) as u64) << (p.f - 8))
    }

    /// FRECPX: `FPRecpX(a)`: the sign, the bitwise inverse of the exponent
    /// (the largest normal exponent for zeros and denormals) and a zero
    /// fraction; NaNs are processed.
    pub fn recip_exponent(&mut self, f: Fmt, a: u64) -> u64 {
        let u = self.unpack(f, a);
        let p = f.params();
        if u.is_nan() {
            return self.process_nan(f, &u);
        }
        let exp = (u.bits >> p.f) & p.exp_max();
        let e = if exp == 0 {
            p.exp_max() - 1
        } else {
            !exp & p.exp_max()
        };
        p.zero(u.sign) | (e << p.f)
    }
}
