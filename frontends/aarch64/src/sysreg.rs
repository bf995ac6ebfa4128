//! The system registers reachable with MRS/MSR (register), as data: encoding,
//! who may access them, and where their value lives. Encodings from ARM ARM
//! D17 (AArch64 System Register Descriptions); values of the identification
//! registers are those of QEMU's `cortex-a57` model, plus the fields of the
//! optional features a CPU model adds ([`Storage::IdFeature`]).

use crate::state;
use chimera_ir::Reg;

/// Who may access a register at EL0 (EL1 may always access it as its
/// [`Access`] says).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum El0Access {
    /// EL1 only.
    None,
    /// EL0 may read.
    Read,
    /// EL0 may read and write.
    ReadWrite,
    /// EL0 may read (and write, with `write`) when the block's `tb_flags`
    /// has any of the bits of `any_of` (an EL1 control register enables the
    /// access: SCTLR_EL1.UMA for DAIF, SCTLR_EL1.UCT for CTR_EL0,
    /// CNTKCTL_EL1 for the counters and timers); otherwise the access traps
    /// to EL1 (EC 0x18).
    Gated {
        /// The `tb_flags` bits that enable the access.
        any_of: u32,
        /// EL0 may also write.
        write: bool,
    },
}

/// Whether MRS, MSR or both may name a register (at the ELs that may access it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// MRS only: MSR is UNDEFINED.
    ReadOnly,
    /// MSR only: MRS is UNDEFINED (OSLAR_EL1).
    WriteOnly,
    /// MRS and MSR.
    ReadWrite,
}

/// Where a register's value lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    /// A 64-bit field of the CPU state.
    Field(Reg),
    /// A 64-bit field of which a write keeps only the bits of the mask (the
    /// others read as zero).
    Masked(Reg, u64),
    /// A constant: read-only, or RAZ/WI when the register is writable.
    Const(u64),
    /// A read-only identification register whose value depends on the CPU
    /// model: `base`, with the bits of `with` set when the block's
    /// `tb_flags` has `flag` (a feature of the model, e.g. [`state::TB_LSE`]).
    IdFeature {
        /// The value without the feature (the Cortex-A57's).
        base: u64,
        /// The `tb_flags` bit of the feature.
        flag: u32,
        /// The field value(s) that report the feature.
        with: u64,
    },
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
    /// CCSIDR_EL1: the geometry of the cache CSSELR_EL1 selects (the
    /// model's [`IdValues::ccsidr`](crate::model::IdValues::ccsidr)).
    Ccsidr,
    /// An identification value of the CPU model ([`crate::model::IdValues`]).
    Model(ModelField),
    /// OSLAR_EL1: a write sets OSLSR_EL1.OSLK to bit 0 (ARM ARM D17.3.23).
    Oslar,
    /// CNTPCT_EL0 / CNTVCT_EL0: the system counter at CNTFRQ_EL0 (the virtual
    /// offset is 0 without EL2), from the machine's guest time.
    Counter,
    /// CNTx_CTL_EL0 (the control field, and the compare value of the same
    /// timer): ENABLE and IMASK are stored, ISTATUS (bit 2) reads whether the
    /// counter has reached the compare value (ARM ARM D17.8.10).
    TimerCtl(Reg, Reg),
    /// A set-enable view of a bit set (PMCNTENSET, PMOVSSET, PMINTENSET):
    /// reads the field; a write sets the written bits of the mask.
    SetBits(Reg, u64),
    /// The clear-enable view (PMCNTENCLR, PMOVSCLR, PMINTENCLR): reads the
    /// field; a write clears the written bits of the mask.
    ClearBits(Reg, u64),
    /// PMCR_EL0 (ARM ARM D17.5.8): the identification and N fields of QEMU's
    /// Cortex-A57 with the writable E, D, X, DP, LC bits; writing P or C
    /// zeroes the event counters or the cycle counter.
    Pmcr,
    /// PMXEVTYPER_EL0: PMEVTYPER<PMSELR.SEL> (PMCCFILTR for SEL 31; RAZ/WI
    /// for a counter that does not exist).
    PmxEvtyper,
    /// PMXEVCNTR_EL0: PMEVCNTR<PMSELR.SEL> (RAZ/WI for others).
    PmxEvcntr,
    /// ISR_EL1: the pending IRQ and FIQ, which the interrupt controller
    /// knows: a read ends the block with
    /// [`EXC_ISR`](crate::EXC_ISR) for the CPU's owner.
    Isr,
    /// CNTx_TVAL_EL0 (the compare value of its timer): reads the low 32 bits
    /// of CVAL - counter; a write sets CVAL to the counter plus the
    /// sign-extended 32-bit value (ARM ARM D17.8.12).
    TimerTval(Reg),
}

/// The identification values that differ between CPU models.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelField {
    /// MIDR_EL1.
    Midr,
    /// CTR_EL0.
    Ctr,
    /// ID_AA64MMFR0_EL1.
    Aa64Mmfr0,
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
    /// MRS, MSR or both (TPIDRRO_EL0 is read-only at EL0 only: see `el0`).
    pub access: Access,
    /// A write changes state the execution loop or the translator must see, so
    /// the block ends after it.
    pub ends_block: bool,
    /// A write changes the translation of every address of the EL1&0 regime
    /// (SCTLR_EL1, TCR_EL1): it flushes the regime's TLBs.
    pub flushes_tlb: bool,
    /// A write reprograms a generic timer: the block ends with
    /// [`EXC_TIMER`](crate::EXC_TIMER) so the CPU's owner updates the
    /// timer's output and event.
    pub timer: bool,
    /// An access is an FP/AdvSIMD instruction: it takes the FP access trap
    /// while CPACR_EL1.FPEN disables FP (FPCR, FPSR; ARM ARM D13.2.30).
    pub fp: bool,
    /// Where the value lives.
    pub storage: Storage,
}

/// ID_AA64ISAR0_EL1 of the Cortex-A57: AES + PMULL, SHA1, SHA256, CRC32.
pub const ID_AA64ISAR0: u64 = 0x0001_1120;
/// ID_AA64ISAR0_EL1.Atomic = 0b0010: FEAT_LSE.
pub const ID_AA64ISAR0_ATOMIC: u64 = 0b0010 << 20;

/// MPIDR_EL1: uniprocessor affinity 0, RES1 bit 31.
pub const MPIDR: u64 = 0x8000_0000;
/// DCZID_EL0.BS: DC ZVA zeroes 2^4 words = 64 bytes.
pub const DCZID_BS: u64 = 4;
/// Bytes zeroed by DC ZVA.
pub const DC_ZVA_BYTES: u64 = 4 << DCZID_BS;
/// CLIDR_EL1: separate L1 I and D caches, unified L2 (LoUU 1, LoC 2, LoUIS 1).
pub const CLIDR: u64 = 0x0a20_0023;

const fn r(
    name: &'static str,
    enc: (u32, u32, u32, u32, u32),
    el0: El0Access,
    access: Access,
    ends_block: bool,
    storage: Storage,
) -> SysReg {
    SysReg { name, enc, el0, access, ends_block, flushes_tlb: false, timer: false, fp: false, storage }
}

/// An EL1-only register of the ID space (op0 = 3, op1 = 0, CRn = 0) with its value.
const fn id(name: &'static str, crm: u32, op2: u32, value: u64) -> SysReg {
    r(name, (3, 0, 0, crm, op2), A::None, RO, false, S::Const(value))
}

/// A timer register: EL0 may use it when `el0_flag` (a CNTKCTL_EL1 bit in
/// the flags) is set; a write ends the block for the board ([`SysReg::timer`]).
const fn timer(name: &'static str, enc: (u32, u32, u32, u32, u32), el0_flag: u32, storage: Storage) -> SysReg {
    SysReg { timer: true, ..r(name, enc, A::Gated { any_of: el0_flag, write: true }, RW, true, storage) }
}

/// An EL1-only read/write register kept in a state field.
const fn el1(name: &'static str, enc: (u32, u32, u32, u32, u32), reg: Reg) -> SysReg {
    r(name, enc, A::None, RW, false, S::Field(reg))
}

use Access::{ReadOnly as RO, ReadWrite as RW, WriteOnly as WO};
use El0Access as A;
use Storage as S;

/// Every implemented system register. The identification registers hold
/// the values QEMU's `virt` board shows for its `cortex-a57` (which clears the
/// EL2/EL3 and security fields, since the board has neither EL2 nor EL3);
/// the rest of the ID space reads as zero ([`lookup`]).
pub static SYSREGS: &[SysReg] = &[
    r("NZCV", (3, 3, 4, 2, 0), A::ReadWrite, RW, false, S::Nzcv),
    r("DAIF", (3, 3, 4, 2, 1), A::Gated { any_of: state::TB_UMA, write: true }, RW, true, S::Daif),
    r("SPSel", (3, 0, 4, 2, 0), A::None, RW, true, S::SpSel),
    r("CurrentEL", (3, 0, 4, 2, 2), A::None, RO, false, S::CurrentEl),
    r("SP_EL0", (3, 0, 4, 1, 0), A::None, RW, false, S::SpEl0),
    el1("SPSR_EL1", (3, 0, 4, 0, 0), state::SPSR_EL1),
    el1("ELR_EL1", (3, 0, 4, 0, 1), state::ELR_EL1),
    el1("ESR_EL1", (3, 0, 5, 2, 0), state::ESR_EL1),
    el1("FAR_EL1", (3, 0, 6, 0, 0), state::FAR_EL1),
    // QEMU keeps bits [10:5] of VBAR_EL1 (RES0 in the ARM ARM).
    r("VBAR_EL1", (3, 0, 12, 0, 0), A::None, RW, true, S::Masked(state::VBAR_EL1, !0x1f)),
    SysReg { flushes_tlb: true, ..r("SCTLR_EL1", (3, 0, 1, 0, 0), A::None, RW, true, S::Field(state::SCTLR_EL1)) },
    r("CPACR_EL1", (3, 0, 1, 0, 2), A::None, RW, true, S::Field(state::CPACR_EL1)),
    r("TPIDR_EL0", (3, 3, 13, 0, 2), A::ReadWrite, RW, false, S::Field(state::TPIDR_EL0)),
    r("TPIDRRO_EL0", (3, 3, 13, 0, 3), A::Read, RW, false, S::Field(state::TPIDRRO_EL0)),
    el1("TPIDR_EL1", (3, 0, 13, 0, 4), state::TPIDR_EL1),
    // FPCR keeps AHP, DN, FZ, RMode, Stride and Len (no FZ16, no trap
    // enables on the Cortex-A57: ARM ARM C5.2.7); FPSR keeps the AArch32
    // NZCV, QC and the cumulative flags (C5.2.8), as QEMU 7.2 reads them back.
    SysReg { fp: true, ..r("FPCR", (3, 3, 4, 4, 0), A::ReadWrite, RW, false, S::Masked(state::FPCR, 0x07f7_0000)) },
    SysReg { fp: true, ..r("FPSR", (3, 3, 4, 4, 1), A::ReadWrite, RW, false, S::Masked(state::FPSR, 0xf800_009f)) },
    // D17.2 identification registers.
    r("MIDR_EL1", (3, 0, 0, 0, 0), A::None, RO, false, S::Model(ModelField::Midr)),
    id("MPIDR_EL1", 0, 5, MPIDR),
    id("REVIDR_EL1", 0, 6, 0),
    id("ID_PFR0_EL1", 1, 0, 0x0000_0131),
    id("ID_PFR1_EL1", 1, 1, 0x0001_0001),
    id("ID_DFR0_EL1", 1, 2, 0x0301_0006),
    id("ID_AFR0_EL1", 1, 3, 0),
    id("ID_MMFR0_EL1", 1, 4, 0x1010_1105),
    id("ID_MMFR1_EL1", 1, 5, 0x4000_0000),
    id("ID_MMFR2_EL1", 1, 6, 0x0126_0000),
    id("ID_MMFR3_EL1", 1, 7, 0x0210_2211),
    id("ID_ISAR0_EL1", 2, 0, 0x0210_1110),
    id("ID_ISAR1_EL1", 2, 1, 0x1311_2111),
    id("ID_ISAR2_EL1", 2, 2, 0x2123_2042),
    id("ID_ISAR3_EL1", 2, 3, 0x0111_2131),
    id("ID_ISAR4_EL1", 2, 4, 0x0001_1142),
    id("ID_ISAR5_EL1", 2, 5, 0x0001_1121),
    id("MVFR0_EL1", 3, 0, 0x1011_0222),
    id("MVFR1_EL1", 3, 1, 0x1211_1111),
    id("MVFR2_EL1", 3, 2, 0x0000_0043),
    // EL0 and EL1 AArch64 only (no EL2, no EL3), FP and AdvSIMD implemented.
    id("ID_AA64PFR0_EL1", 4, 0, 0x22),
    id("ID_AA64PFR1_EL1", 4, 1, 0),
    id("ID_AA64DFR0_EL1", 5, 0, 0x1030_5106),
    id("ID_AA64DFR1_EL1", 5, 1, 0),
    id("ID_AA64AFR0_EL1", 5, 4, 0),
    id("ID_AA64AFR1_EL1", 5, 5, 0),
    // AES + PMULL, SHA1, SHA256, CRC32; Atomic (bits [23:20]) = 0b0010 on
    // the models with LSE (ARM ARM D17.2.61).
    r("ID_AA64ISAR0_EL1", (3, 0, 0, 6, 0), A::None, RO, false, S::IdFeature { base: ID_AA64ISAR0, flag: state::TB_LSE, with: ID_AA64ISAR0_ATOMIC }),
    // LRCPC [23:20] = 1 when the model has LDAPR.
    r("ID_AA64ISAR1_EL1", (3, 0, 0, 6, 1), A::None, RO, false, S::IdFeature { base: 0, flag: state::TB_LRCPC, with: 1 << 20 }),
    // The model's PA size (44 bits A57, 40 bits A53), 16-bit ASID, 4K and 64K granules.
    r("ID_AA64MMFR0_EL1", (3, 0, 0, 7, 0), A::None, RO, false, S::Model(ModelField::Aa64Mmfr0)),
    id("ID_AA64MMFR1_EL1", 7, 1, 0),
    id("ID_AA64MMFR2_EL1", 7, 2, 0),
    r("CCSIDR_EL1", (3, 1, 0, 0, 0), A::None, RO, false, S::Ccsidr),
    r("CLIDR_EL1", (3, 1, 0, 0, 1), A::None, RO, false, S::Const(CLIDR)),
    r("AIDR_EL1", (3, 1, 0, 0, 7), A::None, RO, false, S::Const(0)),
    r("CSSELR_EL1", (3, 2, 0, 0, 0), A::None, RW, false, S::Masked(state::CSSELR_EL1, 0xf)),
    r("CTR_EL0", (3, 3, 0, 0, 1), A::Gated { any_of: state::TB_UCT, write: false }, RO, false, S::Model(ModelField::Ctr)),
    r("DCZID_EL0", (3, 3, 0, 0, 7), A::Read, RO, false, S::Dczid),
    // D17.2 VMSA registers. A write ends the block, so the next one sees
    // the new regime: a TTBRn write that changes the ASID makes the loop
    // flush the TLBs (`A64State::asid`), a TCR write flushes them itself.
    r("TTBR0_EL1", (3, 0, 2, 0, 0), A::None, RW, true, S::Field(state::TTBR0_EL1)),
    r("TTBR1_EL1", (3, 0, 2, 0, 1), A::None, RW, true, S::Field(state::TTBR1_EL1)),
    SysReg { flushes_tlb: true, ..r("TCR_EL1", (3, 0, 2, 0, 2), A::None, RW, true, S::Field(state::TCR_EL1)) },
    r("MAIR_EL1", (3, 0, 10, 2, 0), A::None, RW, true, S::Field(state::MAIR_EL1)),
    el1("CONTEXTIDR_EL1", (3, 0, 13, 0, 1), state::CONTEXTIDR_EL1),
    el1("PAR_EL1", (3, 0, 7, 4, 0), state::PAR_EL1),
    // IMPLEMENTATION DEFINED, RAZ/WI on QEMU's cortex-a57.
    r("AMAIR_EL1", (3, 0, 10, 3, 0), A::None, RW, false, S::Const(0)),
    r("AFSR0_EL1", (3, 0, 5, 1, 0), A::None, RW, false, S::Const(0)),
    r("AFSR1_EL1", (3, 0, 5, 1, 1), A::None, RW, false, S::Const(0)),
    // D17.3 debug registers the kernel writes at boot: storage only.
    el1("MDSCR_EL1", (2, 0, 0, 2, 2), state::MDSCR_EL1),
    el1("MDCCINT_EL1", (2, 0, 0, 2, 0), state::MDCCINT_EL1),
    r("OSLAR_EL1", (2, 0, 1, 0, 4), A::None, WO, false, S::Oslar),
    r("OSLSR_EL1", (2, 0, 1, 1, 4), A::None, RO, false, S::Field(state::OSLSR_EL1)),
    r("OSDLR_EL1", (2, 0, 1, 3, 4), A::None, RW, false, S::Masked(state::OSDLR_EL1, 1)),
    // D17.8 generic timer registers. EL0 access is what CNTKCTL_EL1 enables
    // (D11.2.4): EL0PCTEN the physical counter, EL0VCTEN the virtual one
    // (either gives CNTFRQ_EL0), EL0VTEN and EL0PTEN the timers. A write
    // to a timer register ends the block with `EXC_TIMER`, so the board
    // reprograms the timer's event.
    // CNTFRQ_EL0 is writable at the highest EL (here EL1), as on QEMU.
    r("CNTFRQ_EL0", (3, 3, 14, 0, 0), A::Gated { any_of: state::TB_EL0PCTEN | state::TB_EL0VCTEN, write: false }, RW, false, S::Field(state::CNTFRQ_EL0)),
    r("CNTPCT_EL0", (3, 3, 14, 0, 1), A::Gated { any_of: state::TB_EL0PCTEN, write: false }, RO, false, S::Counter),
    r("CNTVCT_EL0", (3, 3, 14, 0, 2), A::Gated { any_of: state::TB_EL0VCTEN, write: false }, RO, false, S::Counter),
    // A write changes which EL0 accesses trap: the flags change.
    r("CNTKCTL_EL1", (3, 0, 14, 1, 0), A::None, RW, true, S::Field(state::CNTKCTL_EL1)),
    timer("CNTV_CTL_EL0", (3, 3, 14, 3, 1), state::TB_EL0VTEN, S::TimerCtl(state::CNTV_CTL_EL0, state::CNTV_CVAL_EL0)),
    timer("CNTV_CVAL_EL0", (3, 3, 14, 3, 2), state::TB_EL0VTEN, S::Field(state::CNTV_CVAL_EL0)),
    timer("CNTV_TVAL_EL0", (3, 3, 14, 3, 0), state::TB_EL0VTEN, S::TimerTval(state::CNTV_CVAL_EL0)),
    timer("CNTP_CTL_EL0", (3, 3, 14, 2, 1), state::TB_EL0PTEN, S::TimerCtl(state::CNTP_CTL_EL0, state::CNTP_CVAL_EL0)),
    timer("CNTP_CVAL_EL0", (3, 3, 14, 2, 2), state::TB_EL0PTEN, S::Field(state::CNTP_CVAL_EL0)),
    timer("CNTP_TVAL_EL0", (3, 3, 14, 2, 0), state::TB_EL0PTEN, S::TimerTval(state::CNTP_CVAL_EL0)),
    // D17.3 debug registers present on QEMU's cortex-a57 that Chimera keeps
    // as plain storage (the breakpoints and watchpoints are in [`DEBUG_REGS`]).
    r("MDRAR_EL1", (2, 0, 1, 0, 0), A::None, RO, false, S::Const(0)),
    r("MDCCSR_EL0", (2, 3, 0, 1, 0), A::Read, RO, false, S::Const(0)),
    // IMPLEMENTATION DEFINED registers of the Cortex-A57 as QEMU models
    // them: RAZ/WI, CBAR_EL1 the base of the GIC's peripheral region on
    // `virt`, L2CTLR_EL1 the number of cores less one.
    r("ACTLR_EL1", (3, 0, 1, 0, 1), A::None, RW, false, S::Const(0)),
    r("RVBAR_EL1", (3, 0, 12, 0, 1), A::None, RO, false, S::Const(0)),
    r("ISR_EL1", (3, 0, 12, 1, 0), A::None, RO, false, S::Isr),
    r("L2CTLR_EL1", (3, 1, 11, 0, 2), A::None, RW, false, S::Const(0)),
    r("L2ECTLR_EL1", (3, 1, 11, 0, 3), A::None, RW, false, S::Const(0)),
    r("L2ACTLR_EL1", (3, 1, 15, 0, 0), A::None, RW, false, S::Const(0)),
    r("CPUACTLR_EL1", (3, 1, 15, 2, 0), A::None, RW, false, S::Const(0)),
    r("CPUECTLR_EL1", (3, 1, 15, 2, 1), A::None, RW, false, S::Const(0)),
    r("CPUMERRSR_EL1", (3, 1, 15, 2, 2), A::None, RW, false, S::Const(0)),
    r("L2MERRSR_EL1", (3, 1, 15, 2, 3), A::None, RW, false, S::Const(0)),
    r("CBAR_EL1", (3, 1, 15, 3, 0), A::None, RO, false, S::Const(0x0800_0000)),
    // D17.5 Performance Monitors (PMUv3, as ID_AA64DFR0_EL1.PMUVer says),
    // six event counters as QEMU's: the registers, their set/clear views
    // and PMSELR indirection; the counters hold what is written and do not
    // count. EL0 may use them when PMUSERENR_EL0.EN is set.
    r("PMINTENSET_EL1", (3, 0, 9, 14, 1), A::None, RW, false, S::SetBits(state::PMINTEN, PMU_BITS)),
    r("PMINTENCLR_EL1", (3, 0, 9, 14, 2), A::None, RW, false, S::ClearBits(state::PMINTEN, PMU_BITS)),
    pmu("PMCR_EL0", (3, 3, 9, 12, 0), RW, S::Pmcr),
    pmu("PMCNTENSET_EL0", (3, 3, 9, 12, 1), RW, S::SetBits(state::PMCNTEN, PMU_BITS)),
    pmu("PMCNTENCLR_EL0", (3, 3, 9, 12, 2), RW, S::ClearBits(state::PMCNTEN, PMU_BITS)),
    pmu("PMOVSCLR_EL0", (3, 3, 9, 12, 3), RW, S::ClearBits(state::PMOVS, PMU_BITS)),
    pmu("PMSWINC_EL0", (3, 3, 9, 12, 4), WO, S::Const(0)),
    pmu("PMSELR_EL0", (3, 3, 9, 12, 5), RW, S::Masked(state::PMSELR, 0x1f)),
    // The common events QEMU 7.2 reports without icount: SW_INCR (0x00) and
    // CPU_CYCLES (0x11) (read from it).
    pmu("PMCEID0_EL0", (3, 3, 9, 12, 6), RO, S::Const(1 << 0x00 | 1 << 0x11)),
    pmu("PMCEID1_EL0", (3, 3, 9, 12, 7), RO, S::Const(0)),
    pmu("PMCCNTR_EL0", (3, 3, 9, 13, 0), RW, S::Field(state::PMCCNTR)),
    pmu("PMXEVTYPER_EL0", (3, 3, 9, 13, 1), RW, S::PmxEvtyper),
    pmu("PMXEVCNTR_EL0", (3, 3, 9, 13, 2), RW, S::PmxEvcntr),
    r("PMUSERENR_EL0", (3, 3, 9, 14, 0), A::Read, RW, true, S::Masked(state::PMUSERENR, 0xf)),
    pmu("PMOVSSET_EL0", (3, 3, 9, 14, 3), RW, S::SetBits(state::PMOVS, PMU_BITS)),
    pmu("PMCCFILTR_EL0", (3, 3, 14, 15, 7), RW, S::Masked(state::PMCCFILTR, PMCCFILTR_BITS)),
];

/// The counter bits of the PMU's enable, overflow and interrupt registers:
/// the cycle counter (C, bit 31) and event counters 0..5.
pub const PMU_BITS: u64 = 1 << 31 | 0x3f;
/// PMEVTYPER<n>_EL0's writable bits as QEMU keeps them: P, U, NSK, NSU, NSH,
/// M, MT and evtCount.
pub const PMEVTYPER_BITS: u64 = 0xfe00_ffff;
/// PMCCFILTR_EL0's writable bits: P, U, NSK, NSU, NSH, M.
pub const PMCCFILTR_BITS: u64 = 0xfc00_0000;

/// A Performance Monitors register EL0 may use when PMUSERENR_EL0.EN is set.
const fn pmu(name: &'static str, enc: (u32, u32, u32, u32, u32), access: Access, storage: Storage) -> SysReg {
    r(name, enc, A::Gated { any_of: state::TB_PMUEN, write: true }, access, false, storage)
}

/// DBGB{V,C}R<n>_EL1 (n < 6) and DBGW{V,C}R<n>_EL1 (n < 4) (ARM ARM
/// D17.3.2 to D17.3.5) as storage, and PMEV{CNTR,TYPER}<n>_EL0 (n < 6,
/// D17.5.12 and D17.5.13).
pub static ARRAY_REGS: [SysReg; 32] = array_regs();

const fn array_regs() -> [SysReg; 32] {
    let mut out = [r("", (0, 0, 0, 0, 0), A::None, RW, false, S::Const(0)); 32];
    let mut n = 0;
    while n < 6 {
        // QEMU keeps every bit of DBGBVR<n> and clears DBGWVR<n>[1:0] (read from it).
        out[n] = r("DBGBVRn_EL1", (2, 0, 0, n as u32, 4), A::None, RW, false, S::Field(state::u64_at(state::DBGBVR + 8 * n)));
        out[6 + n] = r("DBGBCRn_EL1", (2, 0, 0, n as u32, 5), A::None, RW, false, S::Field(state::u64_at(state::DBGBCR + 8 * n)));
        out[20 + n] = pmu("PMEVCNTRn_EL0", (3, 3, 14, 8, n as u32), RW, S::Field(state::u64_at(state::PMEVCNTR + 8 * n)));
        out[26 + n] = pmu("PMEVTYPERn_EL0", (3, 3, 14, 12, n as u32), RW, S::Masked(state::u64_at(state::PMEVTYPER + 8 * n), PMEVTYPER_BITS));
        if n < 4 {
            out[12 + n] = r("DBGWVRn_EL1", (2, 0, 0, n as u32, 6), A::None, RW, false, S::Masked(state::u64_at(state::DBGWVR + 8 * n), !3));
            out[16 + n] = r("DBGWCRn_EL1", (2, 0, 0, n as u32, 7), A::None, RW, false, S::Field(state::u64_at(state::DBGWCR + 8 * n)));
        }
        n += 1;
    }
    out
}

/// The reserved part of the ID space, op0 = 3, op1 = 0, CRn = 0, CRm = 1..7
/// (ARM ARM D17.2 "Reserved encodings in the ID space"): RAZ at EL1.
static RESERVED_ID: SysReg = r("ID space (reserved)", (3, 0, 0, 1, 0), A::None, RO, false, S::Const(0));

/// The register with encoding (op0, op1, CRn, CRm, op2).
pub fn lookup(enc: (u32, u32, u32, u32, u32)) -> Option<&'static SysReg> {
    SYSREGS.iter().chain(ARRAY_REGS.iter()).find(|r| r.enc == enc).or(match enc {
        (3, 0, 0, 1..=7, _) => Some(&RESERVED_ID),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_unique() {
        let all: Vec<&SysReg> = SYSREGS.iter().chain(ARRAY_REGS.iter()).collect();
        for (k, a) in all.iter().enumerate() {
            assert!(all[k + 1..].iter().all(|b| b.enc != a.enc), "{} {:?}", a.name, a.enc);
        }
        assert_eq!(lookup((3, 0, 4, 2, 2)).unwrap().name, "CurrentEL");
        assert_eq!(
            lookup((3, 0, 0, 6, 0)).unwrap().storage,
            Storage::IdFeature { base: 0x11120, flag: state::TB_LSE, with: 0x20_0000 }
        );
        assert_eq!(lookup((3, 0, 0, 3, 7)).unwrap().storage, Storage::Const(0));
        assert!(lookup((3, 0, 0, 0, 1)).is_none());
    }
}
