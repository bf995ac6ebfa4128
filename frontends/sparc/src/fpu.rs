//! The FPU's arithmetic: FPop1 and FPop2 (SPARC V8 manual 4.4 "FSR", B.12
//! to B.16 and appendix B's FPop tables) computed with `chimera-softfloat`
//! under SPARC rules, with the FSR updates and IEEE exception traps of
//! QEMU 7.2's LEON3:
//!
//! * every FPop (even FMOVs, and encodings that turn out illegal or
//!   unimplemented) first clears FSR.cexc and FSR.ftt;
//! * the exceptions an operation raised become cexc; if one of them is
//!   enabled in TEM the FPop traps (fp_exception, ftt = IEEE_754_exception)
//!   precisely at itself, without writing fcc, aexc or a single-precision
//!   destination; a double-precision destination is written all the same
//!   (QEMU computes into the register pair before its check); otherwise the
//!   exceptions are also OR-ed into aexc;
//! * underflow needs an inexact tiny result even when its trap is enabled
//!   (SoftFloat's rule, not IEEE 754's trapped underflow);
//! * FMOVs, FNEGs, FABSs, FiTOd and FsTOd do not look at the exceptions;
//!   FsTOd of a signalling NaN leaves its invalid operation for the next
//!   FPop that does ([`SparcState::fp_deferred`]).
//!
//! Quad-precision FPops are unimplemented_FPop on the LEON3 (no FLOAT128 in
//! QEMU's model); the translator raises those without calling in here.

use crate::state::{fsr, SparcState};
use crate::trap::tt;
use chimera_softfloat::{flags, Arch, Cmp, Fmt, Fpu, Round};

/// What an FPop opcode (op3 0x34 FPop1 or 0x35 FPop2, and opf) is on the
/// LEON3 (SPARC V8 manual table F-5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FpopKind {
    /// Implemented.
    Implemented,
    /// A quad-precision operation: fp_exception with ftt = unimplemented_FPop.
    Quad,
    /// Not a V8 FPop: illegal_instruction.
    Illegal,
}

/// Classify FPop `opf` of FPop1 (`op3` 0x34) or FPop2 (0x35).
pub fn fpop_kind(op3: u32, opf: u32) -> FpopKind {
    use FpopKind::*;
    match (op3, opf) {
        (0x34, 0x01 | 0x05 | 0x09 | 0x29 | 0x2a) => Implemented,
        (0x34, 0x41 | 0x42 | 0x45 | 0x46 | 0x49 | 0x4a | 0x4d | 0x4e | 0x69) => Implemented,
        (0x34, 0xc4 | 0xc6 | 0xc8 | 0xc9 | 0xd1 | 0xd2) => Implemented,
        (0x34, 0x2b | 0x43 | 0x47 | 0x4b | 0x4f | 0x6e | 0xc7 | 0xcb | 0xcc | 0xcd | 0xce | 0xd3) => Quad,
        (0x35, 0x51 | 0x52 | 0x55 | 0x56) => Implemented,
        (0x35, 0x53 | 0x57) => Quad,
        _ => Illegal,
    }
}

/// The softfloat flags at their SPARC cexc positions (nv of uf dz nx).
fn sparc_flags(f: u32) -> u32 {
    [(flags::IOC, fsr::NV), (flags::OFC, fsr::OF), (flags::UFC, fsr::UF), (flags::DZC, fsr::DZ), (flags::IXC, fsr::NX)]
        .iter()
        .filter(|(arm, _)| f & arm != 0)
        .fold(0, |acc, (_, sparc)| acc | sparc)
}

/// Where an FPop's result goes.
enum Dest {
    /// A single f register.
    S(u64),
    /// An even/odd f register pair.
    D(u64),
    /// fcc.
    Fcc(Cmp),
}

impl SparcState {
    /// Single-precision register `r`.
    pub fn fs(&self, r: usize) -> u64 {
        u64::from(self.f[r])
    }

    /// Double-precision register `r`: the pair at `r & 0x1e`, as QEMU
    /// reads an odd register number (no trap).
    pub fn fd(&self, r: usize) -> u64 {
        let r = r & 0x1e;
        u64::from(self.f[r]) << 32 | u64::from(self.f[r + 1])
    }

    /// Write double-precision register `r` (the pair at `r & 0x1e`).
    pub fn set_fd(&mut self, r: usize, v: u64) {
        let r = r & 0x1e;
        self.f[r] = (v >> 32) as u32;
        self.f[r + 1] = v as u32;
    }

    /// The rounding direction of FSR.RD.
    fn fsr_round(&self) -> Round {
        match self.fsr >> fsr::RD_SHIFT {
            0 => Round::NearestEven,
            1 => Round::Zero,
            2 => Round::PlusInf,
            _ => Round::MinusInf,
        }
    }

    /// Execute the implemented FPop `insn` (see [`fpop_kind`]). Returns
    /// true if it took an IEEE exception trap: then [`SparcState::trap`] is
    /// fp_exception, FSR.ftt and FSR.cexc are set, a double result is
    /// written and nothing else changed.
    pub fn fpop(&mut self, insn: u32) -> bool {
        self.fsr &= !(fsr::FTT | fsr::CEXC);
        let opf = (insn >> 5) & 0x1ff;
        let (rd, rs1, rs2) = ((insn >> 25) as usize & 31, (insn >> 14) as usize & 31, insn as usize & 31);
        let mut u = Fpu::new(Arch::Sparc, self.fsr_round());
        let (s1, s2, d1, d2) = (self.fs(rs1), self.fs(rs2), self.fd(rs1), self.fd(rs2));
        let dest = match opf {
            // FMOVs, FNEGs, FABSs (B.12): bit copies, no exception check.
            0x01 => return self.write(rd, Dest::S(s2)),
            0x05 => return self.write(rd, Dest::S(s2 ^ 0x8000_0000)),
            0x09 => return self.write(rd, Dest::S(s2 & 0x7fff_ffff)),
            // FiTOd (B.13) is exact and unchecked.
            0xc8 => return self.write(rd, Dest::D(u.from_int(Fmt::D, s2, true, 32, 0))),
            // FsTOd (B.14): exact; a signalling NaN's exception is deferred.
            0xc9 => {
                let r = u.convert(Fmt::S, Fmt::D, s2);
                self.fp_deferred |= sparc_flags(u.flags);
                return self.write(rd, Dest::D(r));
            }
            0x29 => Dest::S(u.sqrt(Fmt::S, s2)),
            0x2a => Dest::D(u.sqrt(Fmt::D, d2)),
            0x41 => Dest::S(u.add(Fmt::S, s1, s2)),
            0x42 => Dest::D(u.add(Fmt::D, d1, d2)),
            0x45 => Dest::S(u.sub(Fmt::S, s1, s2)),
            0x46 => Dest::D(u.sub(Fmt::D, d1, d2)),
            0x49 => Dest::S(u.mul(Fmt::S, s1, s2)),
            0x4a => Dest::D(u.mul(Fmt::D, d1, d2)),
            0x4d => Dest::S(u.div(Fmt::S, s1, s2)),
            0x4e => Dest::D(u.div(Fmt::D, d1, d2)),
            // FsMULd (B.16): both operands widened (a signalling NaN is
            // quietened there, with nv), then one double multiply, as QEMU.
            0x69 => {
                let a = u.convert(Fmt::S, Fmt::D, s1);
                let b = u.convert(Fmt::S, Fmt::D, s2);
                Dest::D(u.mul(Fmt::D, a, b))
            }
            0xc4 => Dest::S(u.from_int(Fmt::S, s2, true, 32, 0)),
            0xc6 => Dest::S(u.convert(Fmt::D, Fmt::S, d2)),
            // FsTOi, FdTOi (B.13) always round toward zero.
            0xd1 => Dest::S(u.to_int(Fmt::S, s2, Round::Zero, true, 32, 0)),
            0xd2 => Dest::S(u.to_int(Fmt::D, d2, Round::Zero, true, 32, 0)),
            // FCMP and FCMPE (B.15): FCMPE signals on a quiet NaN too.
            0x51 => Dest::Fcc(u.compare(Fmt::S, s1, s2, false)),
            0x52 => Dest::Fcc(u.compare(Fmt::D, d1, d2, false)),
            0x55 => Dest::Fcc(u.compare(Fmt::S, s1, s2, true)),
            0x56 => Dest::Fcc(u.compare(Fmt::D, d1, d2, true)),
            _ => unreachable!("FPop opf {opf:#x} is not implemented"),
        };
        let cexc = sparc_flags(u.flags) | std::mem::take(&mut self.fp_deferred);
        if cexc != 0 {
            self.fsr |= cexc;
            if cexc & (self.fsr & fsr::TEM) >> fsr::TEM_SHIFT != 0 {
                self.fsr |= fsr::ftt::IEEE << fsr::FTT_SHIFT;
                self.trap = tt::FP_EXCEPTION;
                if let Dest::D(v) = dest {
                    self.set_fd(rd, v);
                }
                return true;
            }
            self.fsr |= cexc << fsr::AEXC_SHIFT;
        }
        self.write(rd, dest)
    }

    /// Write an FPop's result; false (no trap).
    fn write(&mut self, rd: usize, dest: Dest) -> bool {
        match dest {
            Dest::S(v) => self.f[rd] = v as u32,
            Dest::D(v) => self.set_fd(rd, v),
            Dest::Fcc(c) => {
                let fcc = match c {
                    Cmp::Equal => 0,
                    Cmp::Less => 1,
                    Cmp::Greater => 2,
                    Cmp::Unordered => 3,
                };
                self.fsr = (self.fsr & !fsr::FCC) | fcc << fsr::FCC_SHIFT;
            }
        }
        false
    }
}
