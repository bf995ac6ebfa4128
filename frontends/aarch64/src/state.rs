//! The AArch64 CPU state: general registers, split NZCV flags, PSTATE and the
//! EL0/EL1 system registers, as one `#[repr(C)]` value that translated code
//! reads and writes by field offset.

use chimera_aarch64_simd::SimdState;
use chimera_ir::{Reg, Type};
use std::mem::{offset_of, size_of};

/// The architectural state of one AArch64 PE implementing EL0 and EL1 (no EL2,
/// no EL3, AArch64 only).
///
/// `sp` is the live stack pointer; `sp_el0`/`sp_el1` hold the banked values of
/// the stack pointers that are *not* selected by (`current_el`, `spsel`).
#[repr(C)]
#[derive(Clone, Debug)]
pub struct A64State {
    /// X0..X30.
    pub x: [u64; 31],
    /// The current stack pointer (SP_EL0 or SP_EL1 per PSTATE.{EL,SP}).
    pub sp: u64,
    /// Program counter.
    pub pc: u64,
    /// Banked SP_EL0 (valid while SP_EL1 is the live stack pointer).
    pub sp_el0: u64,
    /// Banked SP_EL1 (valid while SP_EL0 is the live stack pointer).
    pub sp_el1: u64,
    /// Exception Link Register (EL1).
    pub elr_el1: u64,
    /// Saved Program Status Register (EL1).
    pub spsr_el1: u64,
    /// Exception Syndrome Register (EL1).
    pub esr_el1: u64,
    /// Fault Address Register (EL1).
    pub far_el1: u64,
    /// Vector Base Address Register (EL1).
    pub vbar_el1: u64,
    /// System Control Register (EL1).
    pub sctlr_el1: u64,
    /// Architectural Feature Access Control Register.
    pub cpacr_el1: u64,
    /// EL0 read/write software thread ID register.
    pub tpidr_el0: u64,
    /// EL0 read-only software thread ID register.
    pub tpidrro_el0: u64,
    /// EL1 software thread ID register.
    pub tpidr_el1: u64,
    /// Translation Table Base Register 0 (EL1).
    pub ttbr0_el1: u64,
    /// Translation Table Base Register 1 (EL1).
    pub ttbr1_el1: u64,
    /// Translation Control Register (EL1).
    pub tcr_el1: u64,
    /// Memory Attribute Indirection Register (EL1).
    pub mair_el1: u64,
    /// Context ID Register (EL1).
    pub contextidr_el1: u64,
    /// Physical Address Register (EL1): the result of the last AT.
    pub par_el1: u64,
    /// Cache Size Selection Register (EL1), bits \[3:0\].
    pub csselr_el1: u64,
    /// Monitor Debug System Control Register (EL1, plain storage).
    pub mdscr_el1: u64,
    /// Monitor DCC Interrupt Enable Register (EL1, plain storage).
    pub mdccint_el1: u64,
    /// OS Lock Status Register: OSLM = 0b10 and OSLK, which OSLAR_EL1 writes.
    pub oslsr_el1: u64,
    /// OS Double Lock Register: DLK in bit 0.
    pub osdlr_el1: u64,
    /// Counter-timer Kernel Control Register (EL1, plain storage).
    pub cntkctl_el1: u64,
    /// Counter-timer Frequency Register.
    pub cntfrq_el0: u64,
    /// Counter-timer Virtual Timer Control Register: ENABLE and IMASK.
    pub cntv_ctl_el0: u64,
    /// Counter-timer Virtual Timer CompareValue Register.
    pub cntv_cval_el0: u64,
    /// Counter-timer Physical Timer Control Register: ENABLE and IMASK.
    pub cntp_ctl_el0: u64,
    /// Counter-timer Physical Timer CompareValue Register.
    pub cntp_cval_el0: u64,
    /// Exclusive monitor: address of the last load-exclusive, `u64::MAX` when open.
    pub excl_addr: u64,
    /// Exclusive monitor: value read by the last load-exclusive (first of a pair).
    pub excl_val: u64,
    /// Exclusive monitor: second value read by the last load-exclusive pair.
    pub excl_val_hi: u64,
    /// DBGBVR0..5_EL1, DBGBCR0..5_EL1: the six breakpoints ID_AA64DFR0_EL1
    /// advertises (storage: they do not stop execution).
    pub dbgbvr: [u64; 6],
    /// See [`A64State::dbgbvr`].
    pub dbgbcr: [u64; 6],
    /// DBGWVR0..3_EL1, DBGWCR0..3_EL1: the four watchpoints (storage).
    pub dbgwvr: [u64; 4],
    /// See [`A64State::dbgwvr`].
    pub dbgwcr: [u64; 4],
    /// The writable bits of PMCR_EL0 (E, D, X, DP, LC, LP).
    pub pmcr: u64,
    /// PMCNTENSET/CLR_EL0: counter enables (C bit 31, P0..P5).
    pub pmcnten: u64,
    /// PMOVSSET/CLR_EL0: overflow flags.
    pub pmovs: u64,
    /// PMINTENSET/CLR_EL1: overflow interrupt enables.
    pub pminten: u64,
    /// PMSELR_EL0.SEL.
    pub pmselr: u64,
    /// PMUSERENR_EL0: EL0 access enables.
    pub pmuserenr: u64,
    /// PMCCNTR_EL0 (storage: the counters do not count).
    pub pmccntr: u64,
    /// PMCCFILTR_EL0.
    pub pmccfiltr: u64,
    /// PMEVCNTR0..5_EL0 (storage).
    pub pmevcntr: [u64; 6],
    /// PMEVTYPER0..5_EL0.
    pub pmevtyper: [u64; 6],
    /// PSTATE.N (0 or 1).
    pub nf: u8,
    /// PSTATE.Z (0 or 1).
    pub zf: u8,
    /// PSTATE.C (0 or 1).
    pub cf: u8,
    /// PSTATE.V (0 or 1).
    pub vf: u8,
    /// PSTATE.EL: 0 or 1.
    pub current_el: u8,
    /// PSTATE.SP: 0 selects SP_EL0, 1 selects SP_ELx.
    pub spsel: u8,
    /// PSTATE.{D,A,I,F} in bits \[3:0\].
    pub daif: u8,
    /// PSTATE.IL: set by an illegal exception return (ARM ARM D1.12.4).
    pub il: u8,
    /// Set to 1 by WFI; the execution loop idles until an interrupt and clears it.
    pub halted: u8,
    /// Set by devices and the scheduler to make the execution loop regain
    /// control at the next block boundary.
    pub exit_request: u8,
    /// The optional architecture features of the CPU model ([`FEATURE_LSE`]
    /// ...), set at reset by the board ([`crate::model`]); 0 is the
    /// Cortex-A57.
    pub features: u32,
    /// The CPU model's identification set (an index into
    /// [`crate::model::ID_SETS`]), set at reset by the board.
    pub model_ids: u8,
    /// V0..V31, FPCR and FPSR.
    pub simd: SimdState,
}

/// Size of [`A64State`] in bytes, for `chimera_ir::verify`.
pub const STATE_SIZE: u32 = size_of::<A64State>() as u32;

/// Open state of the exclusive monitor.
pub const EXCL_NONE: u64 = u64::MAX;

/// Reset value of SCTLR_EL1 on the Cortex-A57 QEMU models (RES1 bits and the
/// alignment/barrier enables).
pub const SCTLR_RESET: u64 = 0x00c5_0838;

/// Reset value of OSLSR_EL1 (ARM ARM D17.3.24): OSLM = 0b10 (the OS Lock is
/// implemented), OSLK = 1 (locked), as QEMU resets it.
pub const OSLSR_RESET: u64 = 0b1010;

/// Reset value of CNTFRQ_EL0: the 62.5 MHz system counter of QEMU's `virt`.
pub const CNTFRQ_RESET: u64 = 62_500_000;

/// CPACR_EL1.FPEN, bits \[21:20\] (ARM ARM D17.2.30).
pub const CPACR_FPEN_SHIFT: u32 = 20;

/// SCTLR_EL1.UMA: EL0 may access PSTATE.DAIF.
pub const SCTLR_UMA: u64 = 1 << 9;
/// SCTLR_EL1.DZE: EL0 may execute DC ZVA.
pub const SCTLR_DZE: u64 = 1 << 14;
/// SCTLR_EL1.UCT: EL0 may read CTR_EL0.
pub const SCTLR_UCT: u64 = 1 << 15;
/// SCTLR_EL1.UCI: EL0 may execute DC CVAU/CIVAC/CVAC and IC IVAU.
pub const SCTLR_UCI: u64 = 1 << 26;

/// `tb_flags` bits \[1:0\]: PSTATE.EL.
pub const TB_EL_MASK: u32 = 0b11;
/// `tb_flags` bit: PSTATE.SP.
pub const TB_SPSEL: u32 = 1 << 2;
/// `tb_flags` bit: PSTATE.IL.
pub const TB_IL: u32 = 1 << 3;
/// `tb_flags` bit (EL0 only): SCTLR_EL1.UMA.
pub const TB_UMA: u32 = 1 << 4;
/// `tb_flags` bit (EL0 only): SCTLR_EL1.UCT.
pub const TB_UCT: u32 = 1 << 5;
/// `tb_flags` bit (EL0 only): SCTLR_EL1.DZE.
pub const TB_DZE: u32 = 1 << 6;
/// `tb_flags` bit (EL0 only): SCTLR_EL1.UCI.
pub const TB_UCI: u32 = 1 << 7;

/// `tb_flags` bit: FP/AdvSIMD instructions and registers are enabled at the
/// current EL by CPACR_EL1.FPEN (without it they take the FP access trap).
pub const TB_FP: u32 = 1 << 8;

/// `tb_flags` bit: the CPU model has the ARMv8.1 Large System Extensions
/// atomics ([`FEATURE_LSE`]); without it their encodings are UNDEFINED.
pub const TB_LSE: u32 = 1 << 9;

/// `tb_flags` bit: the CPU model has FEAT_LRCPC ([`FEATURE_LRCPC`]).
pub const TB_LRCPC: u32 = 1 << 10;

/// `tb_flags` bit (EL0 only): CNTKCTL_EL1.EL0PCTEN, EL0 may read the
/// physical counter (ARM ARM D17.8.1).
pub const TB_EL0PCTEN: u32 = 1 << 12;
/// `tb_flags` bit (EL0 only): CNTKCTL_EL1.EL0VCTEN, the virtual counter.
pub const TB_EL0VCTEN: u32 = 1 << 13;
/// `tb_flags` bit (EL0 only): CNTKCTL_EL1.EL0VTEN, the virtual timer registers.
pub const TB_EL0VTEN: u32 = 1 << 14;
/// `tb_flags` bit (EL0 only): CNTKCTL_EL1.EL0PTEN, the physical timer registers.
pub const TB_EL0PTEN: u32 = 1 << 15;

/// `tb_flags` bit (EL0 only): PMUSERENR_EL0.EN, EL0 may use the
/// Performance Monitors registers (ARM ARM D17.5.20).
pub const TB_PMUEN: u32 = 1 << 16;

/// `tb_flags` bits \[18:17\]: the CPU model's identification set
/// ([`A64State::model_ids`]), which the ID registers read.
pub const TB_MODEL_SHIFT: u32 = 17;

/// `tb_flags` bit: SCTLR_EL1.M, the EL1&0 stage 1 translation is enabled;
/// it selects the MMU index of every access ([`A64State::mmu_index`]).
pub const TB_MMU: u32 = 1 << 11;

/// SCTLR_EL1.M: EL1&0 stage 1 address translation enabled (ARM ARM D17.2.118).
pub const SCTLR_M: u64 = 1 << 0;

/// MMU index of the EL1&0 translation regime for EL0 accesses (and LDTR/STTR
/// at EL1): the EL0 permissions of stage 1.
pub const MMU_EL0: u8 = 0;
/// MMU index of the EL1&0 translation regime for EL1 accesses.
pub const MMU_EL1: u8 = 1;
/// MMU index of every access while stage 1 is disabled (SCTLR_EL1.M = 0):
/// the flat map of ARM ARM D5.2.9, the same for EL0 and EL1.
pub const MMU_OFF: u8 = 2;
/// The MMU indices whose translations the EL1&0 TLB maintenance
/// instructions invalidate (ARM ARM D5.10: stage 1 of the EL1&0 regime).
pub const MMU_MASK_EL10: u16 = 1 << MMU_EL0 | 1 << MMU_EL1;

/// The MMU index of accesses made under `tb_flags` value `flags` at EL
/// `el` (the current EL, or 0 for LDTR/STTR): with stage 1 off there is
/// one flat map for both.
pub const fn mmu_index(flags: u32, el: u8) -> u8 {
    if flags & TB_MMU == 0 {
        MMU_OFF
    } else if el == 0 {
        MMU_EL0
    } else {
        MMU_EL1
    }
}

/// [`A64State::features`] bit: FEAT_LSE, the ARMv8.1 atomic instructions
/// (CAS, CASP, LD\<op\>, ST\<op\>, SWP; ARM ARM C3.2.12).
pub const FEATURE_LSE: u32 = 1 << 0;

/// [`A64State::features`] bit: FEAT_LRCPC, the ARMv8.3 load-acquire RCpc
/// instructions LDAPR, LDAPRB, LDAPRH (ARM ARM C6.2.119).
pub const FEATURE_LRCPC: u32 = 1 << 1;

const fn field(offset: usize, ty: Type) -> Reg {
    Reg { offset: offset as u32, ty }
}

const X_BASE: usize = offset_of!(A64State, x);

/// The IR register of X`n` (`n` < 31; register 31 is XZR or SP, never a field).
pub fn xreg(n: usize) -> Reg {
    assert!(n < 31, "X{n} is not a general register");
    field(X_BASE + 8 * n, Type::I64)
}

/// Program counter.
pub const PC: Reg = field(offset_of!(A64State, pc), Type::I64);
/// The live stack pointer.
pub const SP: Reg = field(offset_of!(A64State, sp), Type::I64);
/// PSTATE.N.
pub const NF: Reg = field(offset_of!(A64State, nf), Type::I8);
/// PSTATE.Z.
pub const ZF: Reg = field(offset_of!(A64State, zf), Type::I8);
/// PSTATE.C.
pub const CF: Reg = field(offset_of!(A64State, cf), Type::I8);
/// PSTATE.V.
pub const VF: Reg = field(offset_of!(A64State, vf), Type::I8);
/// PSTATE.{D,A,I,F}.
pub const DAIF: Reg = field(offset_of!(A64State, daif), Type::I8);
/// The WFI halt flag.
pub const HALTED: Reg = field(offset_of!(A64State, halted), Type::I8);
/// Banked SP_EL0.
pub const SP_EL0: Reg = field(offset_of!(A64State, sp_el0), Type::I64);
/// ELR_EL1.
pub const ELR_EL1: Reg = field(offset_of!(A64State, elr_el1), Type::I64);
/// SPSR_EL1.
pub const SPSR_EL1: Reg = field(offset_of!(A64State, spsr_el1), Type::I64);
/// ESR_EL1.
pub const ESR_EL1: Reg = field(offset_of!(A64State, esr_el1), Type::I64);
/// FAR_EL1.
pub const FAR_EL1: Reg = field(offset_of!(A64State, far_el1), Type::I64);
/// VBAR_EL1.
pub const VBAR_EL1: Reg = field(offset_of!(A64State, vbar_el1), Type::I64);
/// SCTLR_EL1.
pub const SCTLR_EL1: Reg = field(offset_of!(A64State, sctlr_el1), Type::I64);
/// CPACR_EL1.
pub const CPACR_EL1: Reg = field(offset_of!(A64State, cpacr_el1), Type::I64);
/// TPIDR_EL0.
pub const TPIDR_EL0: Reg = field(offset_of!(A64State, tpidr_el0), Type::I64);
/// TPIDRRO_EL0.
pub const TPIDRRO_EL0: Reg = field(offset_of!(A64State, tpidrro_el0), Type::I64);
/// TPIDR_EL1.
pub const TPIDR_EL1: Reg = field(offset_of!(A64State, tpidr_el1), Type::I64);
/// FPCR.
pub const FPCR: Reg = field(offset_of!(A64State, simd) + offset_of!(SimdState, fpcr), Type::I32);
/// FPSR.
pub const FPSR: Reg = field(offset_of!(A64State, simd) + offset_of!(SimdState, fpsr), Type::I32);

/// The state bytes of V0-V31, FPCR and FPSR (all that the FP/SIMD helpers touch).
pub const SIMD_START: u32 = offset_of!(A64State, simd) as u32;
/// End of [`SIMD_START`]'s range.
pub const SIMD_END: u32 = SIMD_START + size_of::<SimdState>() as u32;

/// Byte offset of V`n` in the state.
pub const fn vreg_offset(n: u32) -> u32 {
    (offset_of!(A64State, simd) + offset_of!(SimdState, v)) as u32 + 16 * n
}

/// Element `idx` of `ty` of V`n` (lanes are little-endian: element k of a
/// size-s arrangement is bytes k*s .. k*s+s of the register).
pub const fn vlane(n: u32, ty: Type, idx: u32) -> Reg {
    Reg { offset: vreg_offset(n) + idx * ty.bytes(), ty }
}
/// TTBR0_EL1.
pub const TTBR0_EL1: Reg = field(offset_of!(A64State, ttbr0_el1), Type::I64);
/// TTBR1_EL1.
pub const TTBR1_EL1: Reg = field(offset_of!(A64State, ttbr1_el1), Type::I64);
/// TCR_EL1.
pub const TCR_EL1: Reg = field(offset_of!(A64State, tcr_el1), Type::I64);
/// MAIR_EL1.
pub const MAIR_EL1: Reg = field(offset_of!(A64State, mair_el1), Type::I64);
/// CONTEXTIDR_EL1.
pub const CONTEXTIDR_EL1: Reg = field(offset_of!(A64State, contextidr_el1), Type::I64);
/// PAR_EL1.
pub const PAR_EL1: Reg = field(offset_of!(A64State, par_el1), Type::I64);
/// CSSELR_EL1.
pub const CSSELR_EL1: Reg = field(offset_of!(A64State, csselr_el1), Type::I64);
/// MDSCR_EL1.
pub const MDSCR_EL1: Reg = field(offset_of!(A64State, mdscr_el1), Type::I64);
/// MDCCINT_EL1.
pub const MDCCINT_EL1: Reg = field(offset_of!(A64State, mdccint_el1), Type::I64);
/// OSLSR_EL1.
pub const OSLSR_EL1: Reg = field(offset_of!(A64State, oslsr_el1), Type::I64);
/// OSDLR_EL1.
pub const OSDLR_EL1: Reg = field(offset_of!(A64State, osdlr_el1), Type::I64);
/// CNTKCTL_EL1.
pub const CNTKCTL_EL1: Reg = field(offset_of!(A64State, cntkctl_el1), Type::I64);
/// CNTFRQ_EL0.
pub const CNTFRQ_EL0: Reg = field(offset_of!(A64State, cntfrq_el0), Type::I64);
/// CNTV_CTL_EL0.
pub const CNTV_CTL_EL0: Reg = field(offset_of!(A64State, cntv_ctl_el0), Type::I64);
/// CNTV_CVAL_EL0.
pub const CNTV_CVAL_EL0: Reg = field(offset_of!(A64State, cntv_cval_el0), Type::I64);
/// CNTP_CTL_EL0.
pub const CNTP_CTL_EL0: Reg = field(offset_of!(A64State, cntp_ctl_el0), Type::I64);
/// CNTP_CVAL_EL0.
pub const CNTP_CVAL_EL0: Reg = field(offset_of!(A64State, cntp_cval_el0), Type::I64);
/// Exclusive monitor address.
pub const EXCL_ADDR: Reg = field(offset_of!(A64State, excl_addr), Type::I64);
/// Exclusive monitor value.
pub const EXCL_VAL: Reg = field(offset_of!(A64State, excl_val), Type::I64);
/// Exclusive monitor second value (pairs).
pub const EXCL_VAL_HI: Reg = field(offset_of!(A64State, excl_val_hi), Type::I64);
/// A 64-bit field of the state at byte `offset` (elements of the register arrays).
pub const fn u64_at(offset: usize) -> Reg {
    field(offset, Type::I64)
}
/// Byte offsets of the debug and PMU register arrays.
pub const DBGBVR: usize = offset_of!(A64State, dbgbvr);
/// See [`DBGBVR`].
pub const DBGBCR: usize = offset_of!(A64State, dbgbcr);
/// See [`DBGBVR`].
pub const DBGWVR: usize = offset_of!(A64State, dbgwvr);
/// See [`DBGBVR`].
pub const DBGWCR: usize = offset_of!(A64State, dbgwcr);
/// See [`DBGBVR`].
pub const PMEVCNTR: usize = offset_of!(A64State, pmevcntr);
/// See [`DBGBVR`].
pub const PMEVTYPER: usize = offset_of!(A64State, pmevtyper);
/// PMCR_EL0's writable bits.
pub const PMCR: Reg = field(offset_of!(A64State, pmcr), Type::I64);
/// PMCNTENSET/CLR_EL0.
pub const PMCNTEN: Reg = field(offset_of!(A64State, pmcnten), Type::I64);
/// PMOVSSET/CLR_EL0.
pub const PMOVS: Reg = field(offset_of!(A64State, pmovs), Type::I64);
/// PMINTENSET/CLR_EL1.
pub const PMINTEN: Reg = field(offset_of!(A64State, pminten), Type::I64);
/// PMSELR_EL0.
pub const PMSELR: Reg = field(offset_of!(A64State, pmselr), Type::I64);
/// PMUSERENR_EL0.
pub const PMUSERENR: Reg = field(offset_of!(A64State, pmuserenr), Type::I64);
/// PMCCNTR_EL0.
pub const PMCCNTR: Reg = field(offset_of!(A64State, pmccntr), Type::I64);
/// PMCCFILTR_EL0.
pub const PMCCFILTR: Reg = field(offset_of!(A64State, pmccfiltr), Type::I64);

impl Default for A64State {
    /// The state QEMU's `virt` board gives a `-kernel` ELF at reset: EL1h, all of
    /// DAIF masked, SCTLR_EL1 at its reset value, everything else zero, the
    /// exclusive monitor open.
    fn default() -> Self {
        A64State {
            x: [0; 31],
            sp: 0,
            pc: 0,
            sp_el0: 0,
            sp_el1: 0,
            elr_el1: 0,
            spsr_el1: 0,
            esr_el1: 0,
            far_el1: 0,
            vbar_el1: 0,
            sctlr_el1: SCTLR_RESET,
            cpacr_el1: 0,
            tpidr_el0: 0,
            tpidrro_el0: 0,
            tpidr_el1: 0,
            ttbr0_el1: 0,
            ttbr1_el1: 0,
            tcr_el1: 0,
            mair_el1: 0,
            contextidr_el1: 0,
            par_el1: 0,
            csselr_el1: 0,
            mdscr_el1: 0,
            mdccint_el1: 0,
            oslsr_el1: OSLSR_RESET,
            osdlr_el1: 0,
            cntkctl_el1: 0,
            cntfrq_el0: CNTFRQ_RESET,
            cntv_ctl_el0: 0,
            cntv_cval_el0: 0,
            cntp_ctl_el0: 0,
            cntp_cval_el0: 0,
            excl_addr: EXCL_NONE,
            excl_val: 0,
            excl_val_hi: 0,
            dbgbvr: [0; 6],
            dbgbcr: [0; 6],
            dbgwvr: [0; 4],
            dbgwcr: [0; 4],
            pmcr: 0,
            pmcnten: 0,
            pmovs: 0,
            pminten: 0,
            pmselr: 0,
            pmuserenr: 0,
            pmccntr: 0,
            pmccfiltr: 0,
            pmevcntr: [0; 6],
            pmevtyper: [0; 6],
            nf: 0,
            zf: 0,
            cf: 0,
            vf: 0,
            current_el: 1,
            spsel: 1,
            daif: 0xf,
            il: 0,
            halted: 0,
            exit_request: 0,
            features: 0,
            model_ids: 0,
            simd: SimdState::default(),
        }
    }
}

impl A64State {
    /// The state the translator bakes into code: PSTATE.{EL,SP,IL}, SCTLR_EL1.M
    /// (which selects the MMU index of every access), whether
    /// CPACR_EL1.FPEN lets the current EL use FP/AdvSIMD, the optional
    /// features of the CPU model, and, at EL0, the
    /// SCTLR_EL1 bits that decide whether EL0 may use DAIF, CTR_EL0, DC ZVA and
    /// cache maintenance. Blocks are cached under these flags.
    pub fn tb_flags(&self) -> u32 {
        let mut f = u32::from(self.current_el) & TB_EL_MASK;
        if self.spsel != 0 {
            f |= TB_SPSEL;
        }
        if self.il != 0 {
            f |= TB_IL;
        }
        if self.fp_enabled() {
            f |= TB_FP;
        }
        if self.features & FEATURE_LSE != 0 {
            f |= TB_LSE;
        }
        if self.sctlr_el1 & SCTLR_M != 0 {
            f |= TB_MMU;
        }
        f |= u32::from(self.model_ids & 3) << TB_MODEL_SHIFT;
        if self.features & FEATURE_LRCPC != 0 {
            f |= TB_LRCPC;
        }
        if self.current_el == 0 {
            for (bit, flag) in [(SCTLR_UMA, TB_UMA), (SCTLR_UCT, TB_UCT), (SCTLR_DZE, TB_DZE), (SCTLR_UCI, TB_UCI)] {
                if self.sctlr_el1 & bit != 0 {
                    f |= flag;
                }
            }
            if self.pmuserenr & 1 != 0 {
                f |= TB_PMUEN;
            }
            // CNTKCTL_EL1: EL0PCTEN bit 0, EL0VCTEN bit 1, EL0VTEN bit 8, EL0PTEN bit 9.
            for (bit, flag) in [(0, TB_EL0PCTEN), (1, TB_EL0VCTEN), (8, TB_EL0VTEN), (9, TB_EL0PTEN)] {
                if self.cntkctl_el1 >> bit & 1 != 0 {
                    f |= flag;
                }
            }
        }
        f
    }

    /// The CPU model's identification values.
    pub fn id_values(&self) -> &'static crate::model::IdValues {
        crate::model::id_set(self.model_ids)
    }

    /// The MMU index of the current EL's accesses and instruction fetches.
    pub fn mmu_index(&self) -> u8 {
        mmu_index(self.tb_flags(), self.current_el)
    }

    /// The ASID of the EL1&0 regime (ARM ARM D5.9.1): TTBR1_EL1.ASID when
    /// TCR_EL1.A1 is set, else TTBR0_EL1.ASID; 8 bits unless TCR_EL1.AS
    /// selects 16. The softmmu flushes its TLBs when it changes.
    pub fn asid(&self) -> u64 {
        let ttbr = if self.tcr_el1 >> 22 & 1 != 0 { self.ttbr1_el1 } else { self.ttbr0_el1 };
        let bits = if self.tcr_el1 >> 36 & 1 != 0 { 16 } else { 8 };
        ttbr >> 48 & ((1 << bits) - 1)
    }

    /// True if CPACR_EL1.FPEN does not trap FP/AdvSIMD at the current EL
    /// (ARM ARM D17.2.30: 0b01 traps EL0 only, 0b11 traps nothing, 0b00 and
    /// 0b10 trap EL0 and EL1; pseudocode `CheckFPAdvSIMDEnabled64()`).
    pub fn fp_enabled(&self) -> bool {
        match (self.cpacr_el1 >> CPACR_FPEN_SHIFT) & 3 {
            0b11 => true,
            0b01 => self.current_el != 0,
            _ => false,
        }
    }

    /// NZCV in bits \[31:28\], as `MRS Xt, NZCV` reads it.
    pub fn nzcv(&self) -> u32 {
        (u32::from(self.nf & 1) << 31)
            | (u32::from(self.zf & 1) << 30)
            | (u32::from(self.cf & 1) << 29)
            | (u32::from(self.vf & 1) << 28)
    }

    /// Set the split flags from NZCV in bits \[31:28\].
    pub fn set_nzcv(&mut self, nzcv: u32) {
        self.nf = (nzcv >> 31) as u8 & 1;
        self.zf = (nzcv >> 30) as u8 & 1;
        self.cf = (nzcv >> 29) as u8 & 1;
        self.vf = (nzcv >> 28) as u8 & 1;
    }

    /// PSTATE packed as an SPSR value (ARM ARM C5.2.18 SPSR_EL1, AArch64 form):
    /// NZCV \[31:28\], IL \[20\], DAIF \[9:6\], M\[3:0\] = EL:SP.
    pub fn pstate(&self) -> u64 {
        u64::from(self.nzcv())
            | (u64::from(self.il & 1) << 20)
            | (u64::from(self.daif & 0xf) << 6)
            | (u64::from(self.current_el & 3) << 2)
            | u64::from(self.spsel & 1)
    }

    /// Read X`n`, with 31 reading as zero (XZR).
    pub fn xzr(&self, n: usize) -> u64 {
        if n == 31 {
            0
        } else {
            self.x[n]
        }
    }

    /// Save the live SP into its bank slot per the current (EL, SPSel).
    pub(crate) fn save_sp(&mut self) {
        if self.current_el == 0 || self.spsel == 0 {
            self.sp_el0 = self.sp;
        } else {
            self.sp_el1 = self.sp;
        }
    }

    /// Load the live SP from its bank slot per the current (EL, SPSel).
    pub(crate) fn load_sp(&mut self) {
        self.sp = if self.current_el == 0 || self.spsel == 0 { self.sp_el0 } else { self.sp_el1 };
    }

    /// Write PSTATE.SP (`MSR SPSel`), switching the live stack pointer.
    pub fn set_spsel(&mut self, spsel: u8) {
        self.save_sp();
        self.spsel = spsel & 1;
        self.load_sp();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_is_el1h_masked() {
        let s = A64State::default();
        assert_eq!((s.current_el, s.spsel, s.daif), (1, 1, 0xf));
        assert_eq!(s.pstate(), 0x3c5);
        assert_eq!(s.tb_flags(), 1 | TB_SPSEL);
    }

    #[test]
    fn nzcv_round_trip() {
        let mut s = A64State::default();
        s.set_nzcv(0xa000_0000);
        assert_eq!((s.nf, s.zf, s.cf, s.vf), (1, 0, 1, 0));
        assert_eq!(s.nzcv(), 0xa000_0000);
    }

    #[test]
    fn offsets_are_aligned() {
        for r in [PC, SP, NF, DAIF, EXCL_VAL_HI, xreg(30)] {
            assert_eq!(r.offset % r.ty.bytes(), 0);
            assert!(r.offset + r.ty.bytes() <= STATE_SIZE);
        }
        assert_eq!(xreg(1).offset, 8);
    }
}
