//! IEEE 754 arithmetic in software, bit-exact with a guest architecture's
//! rules (rounding modes, cumulative flags, flush-to-zero, NaN propagation).
//!
//! Values travel as raw bit patterns in the low bits of a `u64` (binary16 in
//! bits 15:0, binary32 in 31:0, binary64 in 63:0); bits above the format are
//! ignored on input and zero on output.
//!
//! API CONTRACT (fixed; the bodies are being written): the frontends code
//! against these names and signatures.

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

// Methods of `Fpu` (the contract; `f` is the format of the operands):
//   pub fn arm(fpcr: u32) -> Fpu                       RMode [23:22], FZ 24, DN 25, AHP 26; flags 0
//   pub fn add / sub / mul / div / mulx(&mut self, f: Fmt, a: u64, b: u64) -> u64
//   pub fn max / min / max_num / min_num(&mut self, f: Fmt, a: u64, b: u64) -> u64
//   pub fn sqrt(&mut self, f: Fmt, a: u64) -> u64
//   pub fn mul_add(&mut self, f: Fmt, addend: u64, a: u64, b: u64) -> u64        addend + a*b, one rounding
//   pub fn compare(&mut self, f: Fmt, a: u64, b: u64, signaling: bool) -> Cmp    FCMP (false) / FCMPE (true)
//   pub fn compare_eq(&mut self, f: Fmt, a: u64, b: u64) -> bool                 FCMEQ (quiet)
//   pub fn compare_ge / compare_gt(&mut self, f: Fmt, a: u64, b: u64) -> bool    FCMGE / FCMGT (signaling)
//   pub fn convert(&mut self, from: Fmt, to: Fmt, a: u64) -> u64                  FCVT
//   pub fn to_int(&mut self, f: Fmt, a: u64, round: Round, signed: bool, width: u32, fbits: u32) -> u64
//        FCVT[NPMZA][SU] incl. fixed point; saturating; width 16/32/64; result zero-extended from width
//   pub fn from_int(&mut self, f: Fmt, a: u64, signed: bool, width: u32, fbits: u32) -> u64
//        SCVTF/UCVTF incl. fixed point, rounding per self.round; `a` holds a width-bit integer
//   pub fn round_to_int(&mut self, f: Fmt, a: u64, round: Round, exact: bool) -> u64   FRINT*; exact: IXC if inexact (FRINTX)
//   pub fn recip_estimate / rsqrt_estimate / recip_exponent(&mut self, f: Fmt, a: u64) -> u64  FRECPE / FRSQRTE / FRECPX
//   pub fn recip_step / rsqrt_step(&mut self, f: Fmt, a: u64, b: u64) -> u64      FRECPS / FRSQRTS (fused)
// Free functions:
//   pub fn unsigned_recip_estimate(a: u32) -> u32      URECPE
//   pub fn unsigned_rsqrt_estimate(a: u32) -> u32      URSQRTE
