//! CPU models: which optional architecture features a PE has. The board puts
//! the model's [`CpuModel::features`] into [`A64State::features`] at reset;
//! `tb_flags` carries them into translation (an encoding of a feature the
//! model lacks is UNDEFINED) and the ID registers report them
//! ([`crate::sysreg`]).
//!
//! [`A64State::features`]: crate::A64State::features

use crate::state::{FEATURE_LRCPC, FEATURE_LSE};

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
}

/// The models, the default first.
pub static CPU_MODELS: &[CpuModel] = &[
    CpuModel { name: "cortex-a57", summary: "ARM Cortex-A57 r1p0 as QEMU models it: ARMv8.0-A with CRC32 (the default)", features: 0, dt_compatible: "arm,cortex-a57" },
    CpuModel {
        name: "max",
        summary: "cortex-a57 plus every extension Chimera implements: ARMv8.1 LSE atomics (CAS, CASP, LD<op>, ST<op>, SWP), ARMv8.3 LDAPR",
        features: FEATURE_LSE | FEATURE_LRCPC,
        dt_compatible: "arm,arm-v8",
    },
];

/// The model called `name`.
pub fn cpu_model(name: &str) -> Option<&'static CpuModel> {
    CPU_MODELS.iter().find(|m| m.name == name)
}
