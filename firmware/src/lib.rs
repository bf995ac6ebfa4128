//! Guest image loaders for Chimera.
//!
//! A loader turns the bytes of a file into a [`LoadedImage`]: an entry point
//! and a list of [`Segment`]s, each a run of bytes to copy to a guest
//! physical address followed by zero fill. The board owns guest memory and
//! does the copying, so loaders never touch a machine.
//!
//! - [`load_elf`]: ELF executables (32- and 64-bit, either byte order),
//!   checked against the machine's [`Arch`].
//! - [`load_raw`]: flat binaries at a given address.
//! - [`parse_arm64_image`]: the header of an arm64 Linux `Image`.
//! - [`detect_and_load`]: picks the loader from the file's first bytes.
//! - [`place_arm64_linux`], [`arm64_boot_stub`], [`virt_dtb`]: booting an
//!   arm64 Linux `Image` on `virt` without firmware, as QEMU's `-kernel`;
//!   [`patch_dtb`]: a user's device tree with `/memory` and `/chosen` set,
//!   as QEMU's `-dtb`.
//! - [`Fdt`]: reading and writing flattened device trees.
//!
//! ```
//! use chimera_firmware::{detect_and_load, Arch, LoadError};
//!
//! let err = detect_and_load(b"\x00\x00\x00\x14", Arch::Aarch64).unwrap_err();
//! assert_eq!(err, LoadError::UnknownFormat);
//! ```

mod dtb;
mod elf;
mod image;
mod linux;
mod raw;

pub use dtb::{fdt_name_matches, Fdt, FdtNode, FdtProperty, FdtReserveEntry, FDT_MAGIC, FDT_MAX_DEPTH};
pub use elf::{load_elf, Arch};
pub use image::{parse_arm64_image, Arm64Image, ARM64_IMAGE_HEADER_SIZE, ARM64_IMAGE_MAGIC};
pub use linux::{arm64_boot_stub, check_dtb, is_arm64_image, patch_dtb, place_arm64_linux, virt_dtb, Arm64LinuxLayout, DtbPatch, VirtDescription};
pub use raw::load_raw;

/// A guest image ready to be copied into guest memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadedImage {
    /// Guest address of the first instruction to execute.
    pub entry: u64,
    /// The parts of the image to place in memory, in file order.
    pub segments: Vec<Segment>,
    /// Whether the image's data is big-endian.
    pub big_endian: bool,
}

/// One contiguous piece of a guest image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Guest physical address of the first byte (`p_paddr` for ELF).
    pub addr: u64,
    /// The bytes stored in the file for this segment.
    pub data: Vec<u8>,
    /// Size of the segment in memory, at least `data.len()`; the caller
    /// zero-fills the bytes after `data`.
    pub mem_size: u64,
}

/// Why a guest image could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// The file does not start with the ELF magic `\x7fELF`.
    #[error("not an ELF file (bad magic)")]
    NotElf,
    /// The file is neither an ELF nor another format recognised by
    /// [`detect_and_load`].
    #[error("not an ELF file (raw binaries need --raw-address)")]
    UnknownFormat,
    /// The ELF headers are truncated or inconsistent.
    #[error("truncated or malformed ELF: {0}")]
    Malformed(String),
    /// A segment's bytes lie (partly) beyond the end of the file.
    #[error(
        "truncated or malformed ELF: segment {index} file bytes {offset:#x}..+{filesz:#x} lie outside the file ({file_len:#x} bytes)"
    )]
    SegmentOutsideFile {
        /// Index of the segment in the program header table.
        index: usize,
        /// The segment's `p_offset`.
        offset: u64,
        /// The segment's `p_filesz`.
        filesz: u64,
        /// Length of the file.
        file_len: u64,
    },
    /// The ELF is for another processor than the machine's.
    #[error("ELF is for {elf} (e_machine {e_machine}), but the machine is {arch}")]
    WrongArch {
        /// Name of the ELF's machine.
        elf: String,
        /// The ELF's `e_machine` value.
        e_machine: u16,
        /// The machine's architecture.
        arch: Arch,
    },
    /// The ELF class (32/64-bit) does not fit the architecture.
    #[error("ELF is {bits}-bit, but {arch} needs an ELF{needed} file")]
    WrongClass {
        /// The file's class in bits.
        bits: u8,
        /// The machine's architecture.
        arch: Arch,
        /// The class the architecture needs, in bits.
        needed: u8,
    },
    /// The ELF byte order does not fit the architecture.
    #[error("ELF is {}-endian, but {arch} needs {}-endian", if *big_endian { "big" } else { "little" }, if *big_endian { "little" } else { "big" })]
    WrongEndian {
        /// Whether the file is big-endian.
        big_endian: bool,
        /// The machine's architecture.
        arch: Arch,
    },
    /// The ELF has no `PT_LOAD` segment with memory to fill.
    #[error("ELF has no loadable (PT_LOAD) segments")]
    NoLoadableSegments,
    /// A segment claims more file bytes than memory bytes.
    #[error(
        "malformed ELF: segment {index} has p_filesz {filesz:#x} greater than p_memsz {memsz:#x}"
    )]
    FileSizeExceedsMemSize {
        /// Index of the segment in the program header table.
        index: usize,
        /// The segment's `p_filesz`.
        filesz: u64,
        /// The segment's `p_memsz`.
        memsz: u64,
    },
    /// The file is shorter than an arm64 `Image` header.
    #[error("arm64 Image is too short: {len} bytes, the header needs 64")]
    ImageTooShort {
        /// Length of the file.
        len: usize,
    },
    /// The kernel, initrd and device tree do not fit in guest RAM.
    #[error("the kernel, initrd and device tree need {need:#x} bytes of RAM, the board has {ram:#x} (use --memory)")]
    LinuxDoesNotFit {
        /// Bytes of RAM needed from its start.
        need: u64,
        /// RAM size.
        ram: u64,
    },
    /// A device tree blob is malformed.
    #[error("bad device tree: {0}")]
    BadDtb(String),
    /// The arm64 `Image` magic is missing.
    #[error("not an arm64 Image: magic at offset 56 is {found:#010x}, expected 0x644d5241 (\"ARM\\x64\")")]
    ImageBadMagic {
        /// The little-endian word found at offset 56.
        found: u32,
    },
}

/// Loads a guest image whose format is recognised from its first bytes.
///
/// Only ELF is recognised; anything else is an error telling the user that
/// a raw binary needs an explicit load address.
pub fn detect_and_load(bytes: &[u8], arch: Arch) -> Result<LoadedImage, LoadError> {
    if bytes.starts_with(b"\x7fELF") {
        load_elf(bytes, arch)
    } else {
        Err(LoadError::UnknownFormat)
    }
}

/// The built-in AArch64 demo guest for the `virt` board: an ELF built from
/// `firmware/guests/demo/demo.c` by `firmware/guests/demo/build.sh`.
pub const DEMO_AARCH64_ELF: &[u8] = include_bytes!("../guests/demo/demo.elf");
