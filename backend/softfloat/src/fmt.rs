//! Format parameters of binary16/32/64 (ARM ARM `FPUnpackBase()` and
//! `FPRoundBase()` take E, F and the minimum exponent from N).

use crate::Fmt;

/// The constants of one format.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Params {
    /// Total width N in bits.
    pub n: u32,
    /// Exponent width E.
    pub e: u32,
    /// Fraction width F (the hidden bit excluded).
    pub f: u32,
    /// Exponent bias, 2^(E-1) - 1.
    pub bias: i32,
}

impl Params {
    /// The minimum exponent of a normal number, 1 - bias.
    #[inline(always)]
    pub const fn emin(self) -> i32 {
        1 - self.bias
    }
    /// All N bits.
    #[inline(always)]
    pub const fn mask(self) -> u64 {
        u64::MAX >> (64 - self.n)
    }
    /// The sign bit.
    #[inline(always)]
    pub const fn sign(self) -> u64 {
        1 << (self.n - 1)
    }
    /// The fraction field.
    #[inline(always)]
    pub const fn frac_mask(self) -> u64 {
        (1 << self.f) - 1
    }
    /// The all-ones biased exponent (infinities and NaNs).
    #[inline(always)]
    pub const fn exp_max(self) -> u64 {
        (1 << self.e) - 1
    }
    /// The top fraction bit, set in a quiet NaN.
    #[inline(always)]
    pub const fn quiet(self) -> u64 {
        1 << (self.f - 1)
    }
    /// The infinity of sign `s`, `FPInfinity()`.
    #[inline(always)]
    pub const fn inf(self, s: bool) -> u64 {
        ((s as u64) << (self.n - 1)) | (self.exp_max() << self.f)
    }
    /// The zero of sign `s`, `FPZero()`.
    #[inline(always)]
    pub const fn zero(self, s: bool) -> u64 {
        (s as u64) << (self.n - 1)
    }
    /// The largest finite number of sign `s`, `FPMaxNormal()`.
    #[inline(always)]
    pub const fn max_normal(self, s: bool) -> u64 {
        self.inf(s) - 1
    }
    /// `2^k` for `k` in the normal range, of sign `s`.
    #[inline(always)]
    pub const fn pow2(self, s: bool, k: i32) -> u64 {
        self.zero(s) | (((k + self.bias) as u64) << self.f)
    }
}

impl Fmt {
    /// The constants of this format.
    #[inline(always)]
    pub(crate) const fn params(self) -> Params {
        match self {
            Fmt::H => Params {
                n: 16,
                e: 5,
                f: 10,
                bias: 15,
            },
            Fmt::S => Params {
                n: 32,
                e: 8,
                f: 23,
                bias: 127,
            },
            Fmt::D => Params {
                n: 64,
                e: 11,
                f: 52,
                bias: 1023,
            },
        }
    }
}
