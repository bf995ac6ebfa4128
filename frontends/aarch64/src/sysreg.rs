//! The system registers reachable with MRS/MSR (register), as data: encoding,
//! who may access them, and where their value lives. Encodings from ARM ARM
//! D17 (AArch64 System Register Descriptions); values of the identification
//! registers are those of QEMU's `cortex-a57` model.

use crate::state;
use chimera_ir::Reg;

/// Who may access a register at EL0 (EL1 may always read it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum El0Access {
    /// EL1 only.
    None,
    /// EL0 may read.
    Read,
    /// EL0 may read and write.
    ReadWrite,
    /// EL0 may read and write when SCTLR_EL1.UMA is set (DAIF).
    ReadWriteIfUma,
    /// EL0 may read when SCTLR_EL1.UCT is set (CTR_EL0).
    ReadIfUct,
}

/// Where a register's value lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    /// A 64-bit field of the CPU state.
    Field(Reg),
    /// A read-only constant.
    Const(u64),
    /// NZCV, from the split flags.
    Nzcv,
    /// PSTATE.DAIF in bits \[9:6\].
    Daif,
    /// PSTATE.EL in bits \[3:2\].
    CurrentEl,
    /// PSTATE.SP in bit 0.
    SpSel,
    /// SP_EL0 (accessible only while SP_EL1 is selected).
    SpEl0,
    /// DCZID_EL0: block size 2^4 words, DZP from SCTLR_EL1.DZE at EL0.
    Dczid,
}

/// One system register.
#[derive(Clone, Copy, Debug)]
pub struct SysReg {
    /// Architectural name.
    pub name: &'static str,
    /// Encoding (op0, op1, CRn, CRm, op2).
    pub enc: (u32, u32, u32, u32, u32),
    /// EL0 access.
    pub el0: El0Access,
    /// Writable (at the ELs that may access it; TPIDRRO_EL0 is read-only at EL0).
    pub writable: bool,
    /// A write changes state the execution loop or the translator must see, so
    /// the block ends after it.
    pub ends_block: bool,
    /// Where the value lives.
    pub storage: Storage,
}

/// MIDR_EL1 of the Cortex-A57 r1p0.
pub const MIDR: u64 = 0x411f_d070;
/// MPIDR_EL1: uniprocessor affinity 0, RES1 bit 31.
pub const MPIDR: u64 = 0x8000_0000;
/// CTR_EL0 of QEMU's cortex-a57.
pub const CTR: u64 = 0x8444_c004;
/// DCZID_EL0.BS: DC ZVA zeroes 2^4 words = 64 bytes.
pub const DCZID_BS: u64 = 4;
/// Bytes zeroed by DC ZVA.
pub const DC_ZVA_BYTES: u64 = 4 << DCZID_BS;

const fn r(
    name: &'static str,
    enc: (u32, u32, u32, u32, u32),
    el0: El0Access,
    writable: bool,
    ends_block: bool,
    storage: Storage,
) -> SysReg {
    SysReg { name, enc, el0, writable, ends_block, storage }
}

use El0Access as A;
use Storage as S;

/// Every implemented system register.
pub static SYSREGS: &[SysReg] = &[
    r("NZCV", (3, 3, 4, 2, 0), A::ReadWrite, true, false, S::Nzcv),
    r("DAIF", (3, 3, 4, 2, 1), A::ReadWriteIfUma, true, true, S::Daif),
    r("SPSel", (3, 0, 4, 2, 0), A::None, true, true, S::SpSel),
    r("CurrentEL", (3, 0, 4, 2, 2), A::None, false, false, S::CurrentEl),
    r("SP_EL0", (3, 0, 4, 1, 0), A::None, true, false, S::SpEl0),
    r("SPSR_EL1", (3, 0, 4, 0, 0), A::None, true, false, S::Field(state::SPSR_EL1)),
    r("ELR_EL1", (3, 0, 4, 0, 1), A::None, true, false, S::Field(state::ELR_EL1)),
    r("ESR_EL1", (3, 0, 5, 2, 0), A::None, true, false, S::Field(state::ESR_EL1)),
    r("FAR_EL1", (3, 0, 6, 0, 0), A::None, true, false, S::Field(state::FAR_EL1)),
    r("VBAR_EL1", (3, 0, 12, 0, 0), A::None, true, true, S::Field(state::VBAR_EL1)),
    r("SCTLR_EL1", (3, 0, 1, 0, 0), A::None, true, true, S::Field(state::SCTLR_EL1)),
    r("CPACR_EL1", (3, 0, 1, 0, 2), A::None, true, true, S::Field(state::CPACR_EL1)),
    r("TPIDR_EL0", (3, 3, 13, 0, 2), A::ReadWrite, true, false, S::Field(state::TPIDR_EL0)),
    r("TPIDRRO_EL0", (3, 3, 13, 0, 3), A::Read, true, false, S::Field(state::TPIDRRO_EL0)),
    r("TPIDR_EL1", (3, 0, 13, 0, 4), A::None, true, false, S::Field(state::TPIDR_EL1)),
    r("FPCR", (3, 3, 4, 4, 0), A::ReadWrite, true, false, S::Field(state::FPCR)),
    r("FPSR", (3, 3, 4, 4, 1), A::ReadWrite, true, false, S::Field(state::FPSR)),
    r("MIDR_EL1", (3, 0, 0, 0, 0), A::None, false, false, S::Const(MIDR)),
    r("MPIDR_EL1", (3, 0, 0, 0, 5), A::None, false, false, S::Const(MPIDR)),
    r("CTR_EL0", (3, 3, 0, 0, 1), A::ReadIfUct, false, false, S::Const(CTR)),
    r("DCZID_EL0", (3, 3, 0, 0, 7), A::Read, false, false, S::Dczid),
];

/// The register with encoding (op0, op1, CRn, CRm, op2).
pub fn lookup(enc: (u32, u32, u32, u32, u32)) -> Option<&'static SysReg> {
    SYSREGS.iter().find(|r| r.enc == enc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_unique() {
        for (k, a) in SYSREGS.iter().enumerate() {
            assert!(SYSREGS[k + 1..].iter().all(|b| b.enc != a.enc), "{}", a.name);
        }
        assert_eq!(lookup((3, 0, 4, 2, 2)).unwrap().name, "CurrentEL");
    }
}
