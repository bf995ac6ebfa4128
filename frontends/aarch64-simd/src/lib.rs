//! The AArch64 AdvSIMD data-processing instructions (ARM ARM C4.1.6),
//! executed on the vector register file.
//!
//! The instruction set is ARMv8.0-A as implemented by the Cortex-A57: FP,
//! AdvSIMD, AES, PMULL/PMULL2 (including the 64-bit form), SHA1 and SHA256;
//! no FP16 arithmetic, RDM, dot product, FCMA, SHA512, SHA3, SM3 or SM4.
//! [`execute`] decodes one instruction word of the AdvSIMD and crypto groups
//! (C4.1.6, "Data Processing -- Scalar Floating-Point and Advanced SIMD",
//! every group but the scalar floating-point ones) and runs it on a
//! [`SimdState`], bit-exact with the instruction pseudocode of ARM ARM C7.
//!
//! Modules, one per family of groups:
//! - [`int`]: the integer lanes of three same, three different, two-register
//!   miscellaneous, across lanes, by element and shift by immediate (vector
//!   and scalar);
//! - [`perm`]: copy (DUP/INS element), modified immediate, TBL/TBX,
//!   ZIP/UZP/TRN and EXT;
//! - [`crypto`]: AES, SHA1 and SHA256;
//! - [`fp`]: the floating-point lanes, on `chimera-softfloat`.
//!
//! Vectors travel as `u128` values (bit 0 = bit 0 of the register), so
//! element `k` of `s` bits occupies bits `[k*s + s-1 : k*s]`, as the
//! pseudocode function `Elem[]` (shared/functions/vector) numbers them.
//!
//! Testing: oracle/ holds an instruction-level oracle (oracle.c, stub.S) run
//! under `qemu-aarch64 -cpu cortex-a57`, and oracle/run.py, which generates
//! random instruction words per encoding group with random register and
//! FPCR contents, records QEMU's results, and regenerates the committed
//! vectors in tests/data/vectors.txt (`python3 oracle/run.py regen`) that
//! tests/vectors.rs replays; `run.py live N SEED FILE` makes larger sets
//! for the ignored `live` test.

pub mod crypto;
pub mod fp;
pub mod int;
pub mod perm;

/// V0..V31 and the FP control/status registers, embedded in the CPU state (#[repr(C)]).
#[repr(C, align(16))]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SimdState {
    /// V0..V31: `[0]` holds bits 63:0, `[1]` bits 127:64 (little-endian lanes: element k of size s bytes is at byte k*s).
    pub v: [[u64; 2]; 32],
    /// FPCR (AHP 26, DN 25, FZ 24, RMode 23:22, ...).
    pub fpcr: u32,
    /// FPSR (QC 27, IDC 7, IXC 4, UFC 3, OFC 2, DZC 1, IOC 0): flags are OR-ed in.
    pub fpsr: u32,
}

/// The outcome of [`execute`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exec {
    /// The instruction ran: the destination register and FPSR are updated.
    Done,
    /// Not this crate's: the copy-group forms that touch general registers
    /// (DUP (general), INS (general), UMOV, SMOV), and every encoding outside
    /// the AdvSIMD data-processing space (scalar FP, loads and stores, ...).
    /// The state is unchanged.
    NotHandled,
    /// An unallocated encoding of the AdvSIMD space (UNDEFINED). The state
    /// is unchanged.
    Undefined,
}

/// FPSR.QC, the cumulative saturation bit (ARM ARM C5.2.8).
pub const FPSR_QC: u32 = 1 << 27;

impl SimdState {
    /// The 128 bits of register `n` (the pseudocode `V[n]` getter).
    #[inline]
    pub fn vreg(&self, n: usize) -> u128 {
        let r = self.v[n & 31];
        (u128::from(r[1]) << 64) | u128::from(r[0])
    }

    /// Writes the low `width` bits of `val` to register `d` and clears the
    /// bits above them (the pseudocode `V[n] = value` setter, which
    /// zero-extends a value narrower than the register).
    #[inline]
    pub fn set_vreg(&mut self, d: usize, val: u128, width: u32) {
        let val = val & ones128(width);
        self.v[d & 31] = [val as u64, (val >> 64) as u64];
    }

    /// `Vpart[d, part] = val` for a 64-bit `val` (the narrowing "2" forms):
    /// part 0 writes the low half and clears the high one, part 1 writes the
    /// high half and keeps the low one.
    #[inline]
    pub fn set_vpart(&mut self, d: usize, upper: bool, val: u64) {
        if upper {
            self.v[d & 31][1] = val;
        } else {
            self.v[d & 31] = [val, 0];
        }
    }

    /// Sets FPSR.QC if `sat` (the pseudocode `FPSR.QC = '1'` after a
    /// saturating operation saturated).
    #[inline]
    pub(crate) fn qc(&mut self, sat: bool) {
        if sat {
            self.fpsr |= FPSR_QC;
        }
    }
}

/// A mask of the low `bits` bits (0..=64).
#[inline]
pub(crate) const fn ones(bits: u32) -> u64 {
    if bits >= 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    }
}

/// A mask of the low `bits` bits (0..=128).
#[inline]
pub(crate) const fn ones128(bits: u32) -> u128 {
    if bits >= 128 {
        u128::MAX
    } else {
        (1u128 << bits) - 1
    }
}

/// `Elem[v, i, es]`: element `i` of `es` bits, zero-extended.
#[inline]
pub(crate) fn elem(v: u128, i: u32, es: u32) -> u64 {
    (v >> (i * es)) as u64 & ones(es)
}

/// `Elem[v, i, es] = x`: replaces element `i` of `es` bits with the low bits of `x`.
#[inline]
pub(crate) fn set_elem(v: &mut u128, i: u32, es: u32, x: u64) {
    let m = u128::from(ones(es)) << (i * es);
    *v = (*v & !m) | ((u128::from(x) << (i * es)) & m);
}

/// Sign-extends the low `es` bits of `x`.
#[inline]
pub(crate) fn sext(x: u64, es: u32) -> i64 {
    ((x << (64 - es)) as i64) >> (64 - es)
}

/// `Int(x<es-1:0>, unsigned)`: the element as an integer.
#[inline]
pub(crate) fn int_of(x: u64, es: u32, unsigned: bool) -> i128 {
    if unsigned {
        i128::from(x & ones(es))
    } else {
        i128::from(sext(x, es))
    }
}

/// `SatQ(i, N, unsigned)` (shared/functions/integer): `i` saturated to an
/// `n`-bit signed or unsigned integer; the flag tells whether it saturated.
#[inline]
pub(crate) fn sat_q(i: i128, n: u32, unsigned: bool) -> (u64, bool) {
    let (lo, hi) = if unsigned { (0i128, (1i128 << n) - 1) } else { (-(1i128 << (n - 1)), (1i128 << (n - 1)) - 1) };
    if i > hi {
        (hi as u64 & ones(n), true)
    } else if i < lo {
        (lo as u64 & ones(n), true)
    } else {
        (i as u64 & ones(n), false)
    }
}

/// The fields every group shares: Rd, Rn, Rm, Q (bit 30), U (bit 29), size (bits 23:22).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields {
    pub d: usize,
    pub n: usize,
    pub m: usize,
    pub q: bool,
    pub u: bool,
    pub size: u32,
}

impl Fields {
    #[inline]
    pub(crate) fn of(insn: u32) -> Fields {
        Fields {
            d: (insn & 31) as usize,
            n: ((insn >> 5) & 31) as usize,
            m: ((insn >> 16) & 31) as usize,
            q: insn & (1 << 30) != 0,
            u: insn & (1 << 29) != 0,
            size: (insn >> 22) & 3,
        }
    }

    /// The vector width in bits: 128 if Q, else 64.
    #[inline]
    pub(crate) fn datasize(&self) -> u32 {
        if self.q {
            128
        } else {
            64
        }
    }
}

/// Bits `[hi:lo]` of `insn`, right-aligned.
#[inline]
pub(crate) const fn bits(insn: u32, hi: u32, lo: u32) -> u32 {
    (insn >> lo) & (u32::MAX >> (31 - (hi - lo)))
}

/// Bit `n` of `insn`.
#[inline]
pub(crate) const fn bit(insn: u32, n: u32) -> bool {
    (insn >> n) & 1 != 0
}

/// Execute one instruction of the AdvSIMD data-processing space (op0 bits 28:25 = x111 with bit 28 = 0, or bit 30 = 1: the vector and scalar AdvSIMD groups and the crypto groups).
///
/// The groups are those of ARM ARM C4.1.6 with their fixed bits, tried in
/// the order of the table there (modified immediate before shift by
/// immediate, of which it is the immh = 0 corner). Never panics: any word
/// returns [`Exec::Done`], [`Exec::NotHandled`] or [`Exec::Undefined`], and
/// only `Done` changes the state.
pub fn execute(s: &mut SimdState, insn: u32) -> Exec {
    if bits(insn, 27, 25) != 0b111 || (bit(insn, 28) && !bit(insn, 30)) {
        return Exec::NotHandled;
    }
    let ok = match insn {
        // AdvSIMD three same.
        w if w & 0x9f20_0400 == 0x0e20_0400 => int::three_same(s, w, false),
        // AdvSIMD three different.
        w if w & 0x9f20_0c00 == 0x0e20_0000 => int::three_different(s, w, false),
        // AdvSIMD two-register miscellaneous.
        w if w & 0x9f3e_0c00 == 0x0e20_0800 => int::two_reg_misc(s, w, false),
        // AdvSIMD across lanes.
        w if w & 0x9f3e_0c00 == 0x0e30_0800 => int::across_lanes(s, w),
        // AdvSIMD copy.
        w if w & 0x9fe0_8400 == 0x0e00_0400 => return perm::copy(s, w, false),
        // AdvSIMD vector x indexed element.
        w if w & 0x9f00_0400 == 0x0f00_0000 => int::indexed(s, w, false),
        // AdvSIMD modified immediate.
        w if w & 0x9ff8_0400 == 0x0f00_0400 => perm::modified_immediate(s, w),
        // AdvSIMD shift by immediate.
        w if w & 0x9f80_0400 == 0x0f00_0400 => int::shift_immediate(s, w, false),
        // AdvSIMD table lookup.
        w if w & 0xbf20_8c00 == 0x0e00_0000 => perm::table_lookup(s, w),
        // AdvSIMD permute.
        w if w & 0xbf20_8c00 == 0x0e00_0800 => perm::permute(s, w),
        // AdvSIMD extract.
        w if w & 0xbf20_8400 == 0x2e00_0000 => perm::extract(s, w),
        // AdvSIMD scalar three same.
        w if w & 0xdf20_0400 == 0x5e20_0400 => int::three_same(s, w, true),
        // AdvSIMD scalar three different.
        w if w & 0xdf20_0c00 == 0x5e20_0000 => int::three_different(s, w, true),
        // AdvSIMD scalar two-register miscellaneous.
        w if w & 0xdf3e_0c00 == 0x5e20_0800 => int::two_reg_misc(s, w, true),
        // AdvSIMD scalar pairwise.
        w if w & 0xdf3e_0c00 == 0x5e30_0800 => int::scalar_pairwise(s, w),
        // AdvSIMD scalar copy.
        w if w & 0xdfe0_8400 == 0x5e00_0400 => return perm::copy(s, w, true),
        // AdvSIMD scalar x indexed element.
        w if w & 0xdf00_0400 == 0x5f00_0000 => int::indexed(s, w, true),
        // AdvSIMD scalar shift by immediate.
        w if w & 0xdf80_0400 == 0x5f00_0400 => int::shift_immediate(s, w, true),
        // Cryptographic AES.
        w if w & 0xff3e_0c00 == 0x4e28_0800 => crypto::aes(s, w),
        // Cryptographic three-register SHA.
        w if w & 0xff20_8c00 == 0x5e00_0000 => crypto::sha_three_reg(s, w),
        // Cryptographic two-register SHA.
        w if w & 0xff3e_0c00 == 0x5e28_0800 => crypto::sha_two_reg(s, w),
        _ => false,
    };
    if ok {
        Exec::Done
    } else {
        Exec::Undefined
    }
}
