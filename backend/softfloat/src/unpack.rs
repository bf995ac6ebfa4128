//! `FPUnpackBase()`, `FPUnpack()` and `FPUnpackCV()` (ARM ARM J1.3
//! shared/functions/float): the class, sign and exact value of an operand,
//! with input flush-to-zero (FPCR.FZ, cumulative flag IDC).

use crate::{flags, Fmt, Fpu};

/// `FPType`: the class of an unpacked operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `FPType_Zero`, including a denormal flushed by FZ.
    Zero,
    /// `FPType_Nonzero`: a normal or (unflushed) denormal number.
    Finite,
    /// `FPType_Infinity`.
    Inf,
    /// `FPType_QNaN`.
    QNaN,
    /// `FPType_SNaN`.
    SNaN,
}

/// An unpacked operand. For `Kind::Finite` its value is
/// `(-1)^sign * mant * 2^exp` exactly, with `0 < mant < 2^(F+1)`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Unp {
    /// The class.
    pub kind: Kind,
    /// The sign bit.
    pub sign: bool,
    /// The integer significand (finite numbers only).
    pub mant: u64,
    /// The binary exponent of `mant`'s unit bit (finite numbers only).
    pub exp: i32,
    /// The operand's bits, masked to the format.
    pub bits: u64,
    /// The operand's bits without the sign.
    pub mag: u64,
}

impl Unp {
    /// A quiet or signalling NaN.
    #[inline(always)]
    pub fn is_nan(&self) -> bool {
        matches!(self.kind, Kind::QNaN | Kind::SNaN)
    }
    /// An infinity.
    #[inline(always)]
    pub fn is_inf(&self) -> bool {
        self.kind == Kind::Inf
    }
    /// A zero (or a flushed denormal).
    #[inline(always)]
    pub fn is_zero(&self) -> bool {
        self.kind == Kind::Zero
    }
    /// The position of the most significant bit of the value: the value
    /// lies in `[2^top, 2^(top+1))` (finite numbers only).
    #[inline(always)]
    pub fn top(&self) -> i32 {
        self.exp + 63 - self.mant.leading_zeros() as i32
    }
    /// A total order key of the value for comparisons: the magnitude bits
    /// (0 for any zero, flushed denormals included) with the sign applied;
    /// infinities order beyond every finite number. Not meaningful for NaNs.
    #[inline(always)]
    pub fn order_key(&self) -> i64 {
        if self.kind == Kind::Zero {
            0
        } else if self.sign {
            -(self.mag as i64)
        } else {
            self.mag as i64
        }
    }
}

impl Fpu {
    /// `FPUnpackBase(fpval, fpcr)` with the given AHP setting: IEEE half
    /// unless `ahp`, when an all-ones exponent is an ordinary number
    /// (alternative half precision has no infinities or NaNs). Denormal
    /// binary32/binary64 inputs flush to zero under FZ with IDC; binary16
    /// never flushes (no FZ16 in ARMv8.0).
    #[inline(always)]
    pub(crate) fn unpack_base(&mut self, f: Fmt, a: u64, ahp: bool) -> Unp {
        let p = f.params();
        let bits = a & p.mask();
        let sign = bits & p.sign() != 0;
        let e = (bits >> p.f) & p.exp_max();
        let frac = bits & p.frac_mask();
        let mag = bits & !p.sign();
        let mut u = Unp {
            kind: Kind::Finite,
            sign,
            mant: 0,
            exp: 0,
            bits,
            mag,
        };
        if e == 0 {
            if frac == 0 {
                u.kind = Kind::Zero;
            } else if self.fz && f != Fmt::H {
                self.flags |= flags::IDC;
                u.kind = Kind::Zero;
            } else {
                u.mant = frac;
                u.exp = p.emin() - p.f as i32;
            }
        } else if e == p.exp_max() && !(ahp && f == Fmt::H) {
            u.kind = if frac == 0 {
                Kind::Inf
            } else if frac & p.quiet() != 0 {
                Kind::QNaN
            } else {
                Kind::SNaN
            };
        } else {
            u.mant = frac | (1 << p.f);
            u.exp = e as i32 - p.bias - p.f as i32;
        }
        u
    }

    /// `FPUnpack()`: arithmetic operands; binary16 is always IEEE half.
    #[inline(always)]
    pub(crate) fn unpack(&mut self, f: Fmt, a: u64) -> Unp {
        self.unpack_base(f, a, false)
    }

    /// `FPUnpackCV()`: operands of floating-point conversions, where
    /// binary16 observes FPCR.AHP.
    #[inline(always)]
    pub(crate) fn unpack_cv(&mut self, f: Fmt, a: u64) -> Unp {
        self.unpack_base(f, a, self.ahp)
    }
}
