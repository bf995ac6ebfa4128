//! Conversions: `FPConvert()` (with `FPUnpackCV()`/`FPRoundCV()` and the
//! alternative half-precision format), `FPToFixed()`, `FixedToFP()` and
//! `FPRoundInt()` (ARM ARM J1.3 shared/functions/float).

use crate::nan::convert_nan;
use crate::round::{round_up, split, Exact, Rm};
use crate::unpack::Kind;
use crate::{flags, Arch, Fmt, Fpu, Round};

impl Fpu {
    /// `FPConvert(op, fpcr, rounding)`: binary16 operands and results
    /// observe FPCR.AHP; binary16 is never flushed. To alternative half
    /// precision a NaN becomes a signed zero and an infinity the largest
    /// magnitude, both with IOC, and overflow saturates with IOC.
    fn convert_rm(&mut self, from: Fmt, to: Fmt, a: u64, rm: Rm) -> u64 {
        let u = self.unpack_cv(from, a);
        let pt = to.params();
        let alt_hp = to == Fmt::H && self.ahp;
        match u.kind {
            Kind::QNaN | Kind::SNaN => {
                let r = if alt_hp {
                    pt.zero(u.sign)
                } else if self.dn {
                    self.default_nan(to)
                } else {
                    convert_nan(from, to, u.bits)
                };
                if u.kind == Kind::SNaN || alt_hp {
                    self.flags |= flags::IOC;
                }
                r
            }
            Kind::Inf => {
                if alt_hp {
                    self.flags |= flags::IOC;
                    pt.zero(u.sign) | (pt.mask() >> 1)
                } else {
                    pt.inf(u.sign)
                }
            }
            Kind::Zero => pt.zero(u.sign),
            Kind::Finite => {
                self.round_pack(to, Exact::new(u.sign, u.mant as u128, u.exp), rm, alt_hp)
            }
        }
    }

    /// FCVT: `FPConvert(a, fpcr)` from format `from` to format `to`, rounding
    /// per FPCR.RMode.
    pub fn convert(&mut self, from: Fmt, to: Fmt, a: u64) -> u64 {
        if let Some(r) = crate::fast::convert(self, from, to, a) {
            return r;
        }
        let rm = Rm::from(self.round);
        self.convert_rm(from, to, a, rm)
    }

    /// FCVTXN: `FPConvert(a, fpcr, FPRounding_ODD)` (von Neumann rounding:
    /// truncate, then set the last bit if inexact), normally binary64 to
    /// binary32.
    pub fn convert_odd(&mut self, from: Fmt, to: Fmt, a: u64) -> u64 {
        self.convert_rm(from, to, a, Rm::Odd)
    }

    /// FCVT{N,P,M,Z,A}{S,U} and the fixed-point FCVTZ{S,U}:
    /// `FPToFixed(a, fbits, !signed, fpcr, round)` to a `width`-bit integer
    /// (16, 32 or 64), zero-extended from `width`. A NaN gives 0 with IOC
    /// (SPARC: the most positive integer, as QEMU 7.2's FsTOi/FdTOi);
    /// out-of-range values (infinities included) saturate with IOC and no
    /// IXC; otherwise IXC if inexact.
    pub fn to_int(
        &mut self,
        f: Fmt,
        a: u64,
        round: Round,
        signed: bool,
        width: u32,
        fbits: u32,
    ) -> u64 {
        let u = self.unpack(f, a);
        let wmask = u64::MAX >> (64 - width);
        // The most positive and, as a magnitude, most negative results.
        let (max_pos, max_neg) = if signed {
            (wmask >> 1, (wmask >> 1) + 1)
        } else {
            (wmask, 0)
        };
        let (mag, inexact) = match u.kind {
            Kind::QNaN | Kind::SNaN => {
                self.flags |= flags::IOC;
                return match self.arch {
                    Arch::Arm => 0,
                    Arch::Sparc => max_pos,
                };
            }
            Kind::Zero => return 0,
            Kind::Inf => (u128::MAX, false),
            Kind::Finite => {
                let e = u.exp + fbits as i32;
                if e >= 0 {
                    if e > 64 {
                        (u128::MAX, false)
                    } else {
                        ((u.mant as u128) << e, false)
                    }
                } else {
                    let (q, half, rest) = split(u.mant as u128, (-e) as u32);
                    let up = round_up(Rm::from(round), u.sign, q & 1 != 0, half, rest);
                    (q + up as u128, half || rest)
                }
            }
        };
        let limit = if u.sign { max_neg } else { max_pos };
        if mag > limit as u128 {
            self.flags |= flags::IOC;
            return if u.sign {
                max_neg.wrapping_neg() & wmask
            } else {
                max_pos
            };
        }
        if inexact {
            self.flags |= flags::IXC;
        }
        let m = mag as u64;
        (if u.sign { m.wrapping_neg() } else { m }) & wmask
    }

    /// SCVTF/UCVTF incl. fixed point: `FixedToFP(a, fbits, !signed, fpcr,
    /// rounding)` of the `width`-bit integer in `a`, i.e. `a / 2^fbits`,
    /// rounded per FPCR.RMode (flushed under FZ if tiny). Zero is +0.
    pub fn from_int(&mut self, f: Fmt, a: u64, signed: bool, width: u32, fbits: u32) -> u64 {
        let wmask = u64::MAX >> (64 - width);
        let v = a & wmask;
        let neg = signed && (v >> (width - 1)) & 1 != 0;
        let mag = if neg {
            (wmask - v) as u128 + 1
        } else {
            v as u128
        };
        if mag == 0 {
            return 0;
        }
        let rm = Rm::from(self.round);
        self.round_pack(f, Exact::new(neg, mag, -(fbits as i32)), rm, false)
    }

    /// FRINT{N,P,M,Z,A,X,I}: `FPRoundInt(a, fpcr, round, exact)`. Results
    /// that round to zero keep the operand's sign; IXC only when `exact`
    /// (FRINTX) and the result differs from the operand.
    pub fn round_to_int(&mut self, f: Fmt, a: u64, round: Round, exact: bool) -> u64 {
        let u = self.unpack(f, a);
        let p = f.params();
        match u.kind {
            Kind::QNaN | Kind::SNaN => self.process_nan(f, &u),
            Kind::Inf => p.inf(u.sign),
            Kind::Zero => p.zero(u.sign),
            Kind::Finite if u.exp >= 0 => u.bits,
            Kind::Finite => {
                let (q, half, rest) = split(u.mant as u128, (-u.exp) as u32);
                let q = q + round_up(Rm::from(round), u.sign, q & 1 != 0, half, rest) as u128;
                if (half || rest) && exact {
                    self.flags |= flags::IXC;
                }
                if q == 0 {
                    p.zero(u.sign)
                } else {
                    // The integer is exactly representable: no flags.
                    self.round_pack(f, Exact::new(u.sign, q, 0), Rm::Zero, false)
                }
            }
        }
    }
}
