//! CPU models: which optional architecture features a PE has. The board puts
//! the model's [`CpuModel::features`] into [`A64State::features`] at reset;
//! `tb_flags` carries them into translation (an encoding of a feature the
//! model lacks is UNDEFINED) and the ID registers report them
//! ([`crate::sysreg`]).
//!
//! [`A64State::features`]: crate::A64State::features

use crate::state::{FEATURE_LRCPC, FEATURE_LSE};

/// The identification values that differ between the CPU models QEMU has
/// (read from QEMU 7.2's `virt` with each `-cpu`); everything else in the ID
/// space is the same for the Cortex-A57 and the Cortex-A53.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdValues {
    /// MIDR_EL1.
    pub midr: u64,
    /// CTR_EL0.
    pub ctr: u64,
    /// ID_AA64MMFR0_EL1.
    pub aa64mmfr0: u64,
    /// CCSIDR_EL1 for CSSELR_EL1 = 0 (L1 data), 1 (L1 instruction), 2 (L2).
    pub ccsidr: [u64; 3],
    /// PMCR_EL0's read-only fields (IMP, IDCODE, N).
    pub pmcr_id: u64,
    /// The physical address size (ID_AA64MMFR0_EL1.PARange) in bits.
    pub pa_bits: u8,
}

/// The Cortex-A57 r1p0: 44-bit PAs, 48 KiB L1 instruction cache, 2 MiB L2.
pub static CORTEX_A57: IdValues = IdValues {
    midr: 0x411f_d070,
    ctr: 0x8444_c004,
    aa64mmfr0: 0x1124,
    ccsidr: [0x701f_e00a, 0x201f_e012, 0x70ff_e07a],
    pmcr_id: 0x4101_3000,
    pa_bits: 44,
};

/// The Cortex-A53 r0p4: 40-bit PAs, 32 KiB L1 caches, 1 MiB L2.
pub static CORTEX_A53: IdValues = IdValues {
    midr: 0x410f_d034,
    ctr: 0x8444_8004,
    aa64mmfr0: 0x1122,
    ccsidr: [0x700f_e01a, 0x201f_e00a, 0x707f_e07a],
    pmcr_id: 0x4103_3000,
    pa_bits: 40,
};

/// The identification sets, by the index [`CpuModel::ids`] names and
/// `tb_flags` carries ([`crate::state::TB_MODEL_SHIFT`]).
pub static ID_SETS: [&IdValues; 2] = [&CORTEX_A57, &CORTEX_A53];

/// The identification set of index `k` (a model's [`CpuModel::ids`], as
/// `tb_flags` and the CPU state carry it); an index beyond the table is the
/// first set.
pub fn id_set(k: u8) -> &'static IdValues {
    ID_SETS.get(usize::from(k)).copied().unwrap_or(ID_SETS[0])
}

/// One CPU model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CpuModel {
    /// Name, as `--cpu` takes it (QEMU's `-cpu` names).
    pub name: &'static str,
    /// One line for `--cpu help`.
    pub summary: &'static str,
    /// [`A64State::features`](crate::A64State::features) bits.
    pub features: u32,
    /// The `compatible` of the CPU node a device tree gives it (QEMU's).
    pub dt_compatible: &'static str,
    /// Index of its identification values in [`ID_SETS`].
    pub ids: u8,
}

impl CpuModel {
    /// The model's identification values.
    pub fn id_values(&self) -> &'static IdValues {
        id_set(self.ids)
    }
}

/// The models, the default first.
pub static CPU_MODELS: &[CpuModel] = &[
    CpuModel { name: "cortex-a57", summary: "ARM Cortex-A57 r1p0 as QEMU models it: ARMv8.0-A with CRC32 (the default)", features: 0, dt_compatible: "arm,cortex-a57", ids: 0 },
    CpuModel {
        name: "cortex-a53",
        summary: "ARM Cortex-A53 r0p4 as QEMU models it: ARMv8.0-A with CRC32, 40-bit physical addresses",
        features: 0,
        dt_compatible: "arm,cortex-a53",
        ids: 1,
    },
    CpuModel {
        name: "max",
        summary: "cortex-a57 plus every extension Chimera implements: ARMv8.1 LSE atomics (CAS, CASP, LD<op>, ST<op>, SWP), ARMv8.3 LDAPR",
        features: FEATURE_LSE | FEATURE_LRCPC,
        dt_compatible: "arm,arm-v8",
        ids: 0,
    },
];

/// The model called `name`.
pub fn cpu_model(name: &str) -> Option<&'static CpuModel> {
    CPU_MODELS.iter().find(|m| m.name == name)
}
