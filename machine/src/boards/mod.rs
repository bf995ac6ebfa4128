//! Boards: functions that build a [`crate::Machine`] from a configuration.

pub mod leon3;
pub mod virt;

use crate::trace::Tracer;
use std::io::Write;

/// One line per board, for `chimera machines`.
pub const BOARDS: &[(&str, &str)] =
    &[("virt", "AArch64 'virt' board as QEMU lays it out: Cortex-A57-class CPU at EL1, RAM at 0x40000000, PL011 UART, PSCI over HVC"),
      ("leon3", "SPARC V8 LEON3 board as QEMU's leon3_generic lays it out: RAM at 0x40000000, APBUART, IRQMP, GPTIMER; needs --kernel")];

/// What every board is built from.
pub struct BoardConfig {
    /// Guest RAM size in bytes.
    pub memory: u64,
    /// CPU model (see [`cpu_models`]); `None` is the board's default.
    pub cpu: Option<String>,
    /// Kernel image bytes; `None` boots the board's built-in demo guest.
    pub kernel: Option<Vec<u8>>,
    /// Load the kernel as a raw binary at this guest physical address (and
    /// start there) instead of parsing it as an ELF.
    pub raw_address: Option<u64>,
    /// The initial RAM disk for a Linux kernel.
    pub initrd: Option<Vec<u8>>,
    /// The kernel command line for a Linux kernel.
    pub append: Option<String>,
    /// A device tree blob to give a Linux kernel instead of the board's own
    /// (its `/memory`, `/chosen` and `/psci` set to the board's, as QEMU's
    /// `-dtb`).
    pub dtb: Option<Vec<u8>>,
    /// Where the guest's serial output goes.
    pub serial_out: Box<dyn Write>,
    /// Tracing.
    pub tracer: Tracer,
    /// Code generation settings.
    pub jit: chimera_jit::JitConfig,
}

/// Host-side failures building a board.
#[derive(Debug, thiserror::Error)]
pub enum BoardError {
    /// No such board.
    #[error("unknown machine '{0}' (use 'chimera machines' to list them)")]
    UnknownBoard(String),
    /// The board has no CPU model of that name.
    #[error("unknown CPU '{cpu}' for machine '{machine}' (use --cpu help to list them)")]
    UnknownCpu {
        /// The name asked for.
        cpu: String,
        /// The board.
        machine: &'static str,
    },
    /// The board has no built-in guest: a kernel must be given.
    #[error("machine '{0}' has no built-in guest: give one with --kernel")]
    NoKernel(&'static str),
    /// The kernel image could not be loaded.
    #[error(transparent)]
    Load(#[from] chimera_firmware::LoadError),
    /// Guest RAM could not be set up.
    #[error(transparent)]
    Ram(#[from] crate::ram::RamError),
    /// Devices overlap (a board bug).
    #[error(transparent)]
    Bus(#[from] crate::bus::BusError),
    /// A segment of the image lies outside guest RAM.
    #[error("kernel segment {start:#x}..{end:#x} lies outside RAM {ram_start:#x}..{ram_end:#x}")]
    OutsideRam {
        /// First byte of the segment.
        start: u64,
        /// End of the segment.
        end: u64,
        /// RAM start.
        ram_start: u64,
        /// RAM end.
        ram_end: u64,
    },
    /// The arm64 Image is a big-endian kernel (its header's flags bit 0).
    #[error("the kernel is a big-endian arm64 Image; the virt CPUs run little-endian kernels")]
    BigEndianKernel,
    /// Linux boot options given with a kernel that is not a Linux image.
    #[error("{0} needs a Linux kernel image (an arm64 Image on virt)")]
    NotLinux(&'static str),
    /// The JIT could not start.
    #[error(transparent)]
    Jit(#[from] chimera_jit::JitError),
}

/// The CPU models of the board called `name` (name and summary, the default
/// first), or `None` if there is no such board.
pub fn cpu_models(name: &str) -> Option<Vec<(&'static str, &'static str)>> {
    match name {
        "virt" => Some(virt::cpu_models()),
        "leon3" => Some(leon3::cpu_models()),
        _ => None,
    }
}

/// Build the board called `name`.
pub fn build(name: &str, cfg: BoardConfig) -> Result<crate::Machine, BoardError> {
    match name {
        "virt" => virt::build(cfg),
        "leon3" => leon3::build(cfg),
        other => Err(BoardError::UnknownBoard(other.to_string())),
    }
}
