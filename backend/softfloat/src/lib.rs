//! IEEE 754 arithmetic in software, bit-exact with a guest architecture's
//! rules (rounding modes, cumulative flags, flush-to-zero, NaN propagation).
//!
//! Values travel as raw bit patterns in the low bits of a `u64` (binary16 in
//! bits 15:0, binary32 in 31:0, binary64 in 63:0); bits above the format are
//! ignored on input and zero on output.
//!
//! The operations follow the ARM ARM pseudocode library
//! (`shared/functions/float`, ARM DDI 0487 J1.3): every value is unpacked by
//! `FPUnpack()`/`FPUnpackCV()` into an exact integer mantissa and a binary
//! exponent, the exact result is computed on `u64`/`u128` integers (with a
//! sticky bit where the exact result does not fit), and `FPRoundBase()`
//! rounds it once. What depends on the guest architecture (NaN propagation,
//! the default NaN, tininess detection) goes through functions of [`Arch`].
//!
//! For binary32 and binary64 the common case (round to nearest, normal or
//! zero operands, normal result) of add, sub, mul, div and sqrt runs on the
//! host's own IEEE arithmetic, whose result is then bit-identical; fused
//! multiply-add does so when IXC is already set (see `fast`).
//!
//! Constructors [`Fpu::arm`], [`Fpu::arm_with_flags`], [`Fpu::new`]; methods of
//! [`Fpu`] (`f` is the format of the operands):
//! [`Fpu::add`], [`Fpu::sub`], [`Fpu::mul`], [`Fpu::div`], [`Fpu::mulx`],
//! [`Fpu::max`], [`Fpu::min`], [`Fpu::max_num`], [`Fpu::min_num`],
//! [`Fpu::sqrt`], [`Fpu::mul_add`], [`Fpu::compare`], [`Fpu::compare_eq`],
//! [`Fpu::compare_ge`], [`Fpu::compare_gt`], [`Fpu::convert`],
//! [`Fpu::convert_odd`], [`Fpu::to_int`], [`Fpu::from_int`],
//! [`Fpu::round_to_int`], [`Fpu::recip_estimate`], [`Fpu::rsqrt_estimate`],
//! [`Fpu::recip_exponent`], [`Fpu::recip_step`], [`Fpu::rsqrt_step`]; free
//! functions [`unsigned_recip_estimate`] and [`unsigned_rsqrt_estimate`].

#![deny(missing_docs)]

/// Cumulative exception flags, at the bit positions of the AArch64 FPSR
/// (ARM ARM C5.2.8); other architectures map them.
pub mod flags {
    /// Invalid operation.
    pub const IOC: u32 = 1 << 0;
    /// Division by zero.
    pub const DZC: u32 = 1 << 1;
    /// Overflow.
    pub const OFC: u32 = 1 << 2;
    /// Underflow.
    pub const UFC: u32 = 1 << 3;
    /// Inexact.
    pub const IXC: u32 = 1 << 4;
    /// Input denormal (an input was flushed to zero).
    pub const IDC: u32 = 1 << 7;
}

/// A floating-point format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fmt {
    /// binary16 (IEEE half precision, or ARM's alternative half with `ahp`).
    H,
    /// binary32.
    S,
    /// binary64.
    D,
}

/// Rounding direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Round {
    /// To nearest, ties to even.
    NearestEven,
    /// Toward +infinity.
    PlusInf,
    /// Toward -infinity.
    MinusInf,
    /// Toward zero.
    Zero,
    /// To nearest, ties away from zero (FRINTA, FCVTA*).
    NearestAway,
}

/// Whose rules: NaN propagation and default NaN, tininess detection.
///
/// `Arch::Sparc` shares the ARM code paths except where marked
/// (`nan::pick2`, `nan::default_nan`, `round::tiny_before_rounding`, the NaN
/// result of [`Fpu::to_int`]); its rules are those of QEMU 7.2's SPARC CPUs,
/// established by experiment on qemu-system-sparc -M leon3_generic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    /// ARMv8-A (ARM ARM pseudocode library, shared/functions/float).
    Arm,
    /// SPARC V8.
    Sparc,
}

/// Result of a comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    /// a < b.
    Less,
    /// a == b.
    Equal,
    /// a > b.
    Greater,
    /// At least one NaN.
    Unordered,
}

/// The control settings of one operation and the flags it raised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fpu {
    /// Whose rules.
    pub arch: Arch,
    /// Rounding direction of arithmetic and of `from_int`.
    pub round: Round,
    /// Flush denormal binary32/binary64 inputs (IDC) and outputs (UFC) to
    /// zero (FPCR.FZ); never applies to binary16 (ARMv8.0 has no FZ16).
    pub fz: bool,
    /// Any NaN result is the default NaN (FPCR.DN).
    pub dn: bool,
    /// binary16 is ARM's alternative half-precision format (FPCR.AHP).
    pub ahp: bool,
    /// Flags raised so far ([`flags`]), OR-ed in by every operation.
    pub flags: u32,
}

mod arith;
mod convert;
mod estimate;
mod fast;
mod fmt;
mod nan;
mod round;
mod unpack;

pub use estimate::{unsigned_recip_estimate, unsigned_rsqrt_estimate};

impl Fpu {
    /// The controls of an AArch64 FPCR value (ARM ARM C5.2.7): RMode
    /// \[23:22\], FZ 24, DN 25, AHP 26; no flags raised yet.
    pub fn arm(fpcr: u32) -> Fpu {
        let round = match (fpcr >> 22) & 3 {
            0 => Round::NearestEven,
            1 => Round::PlusInf,
            2 => Round::MinusInf,
            _ => Round::Zero,
        };
        Fpu {
            arch: Arch::Arm,
            round,
            fz: fpcr & (1 << 24) != 0,
            dn: fpcr & (1 << 25) != 0,
            ahp: fpcr & (1 << 26) != 0,
            flags: 0,
        }
    }

    /// [`Fpu::arm`] with `flags` preloaded from the cumulative bits of an
    /// FPSR value. OR-ing the resulting `flags` back into FPSR gives the same
    /// FPSR as starting from zero, but with IXC already set the host fast
    /// path skips the exactness test (and fused multiply-add can use it at
    /// all): prefer this in emulation loops.
    pub fn arm_with_flags(fpcr: u32, fpsr: u32) -> Fpu {
        let mut u = Fpu::arm(fpcr);
        u.flags =
            fpsr & (flags::IOC | flags::DZC | flags::OFC | flags::UFC | flags::IXC | flags::IDC);
        u
    }

    /// Plain IEEE controls for `arch`: rounding `round`, no flush-to-zero,
    /// NaN propagation (no default NaN), IEEE half precision, no flags.
    pub fn new(arch: Arch, round: Round) -> Fpu {
        Fpu {
            arch,
            round,
            fz: false,
            dn: false,
            ahp: false,
            flags: 0,
        }
    }
}
