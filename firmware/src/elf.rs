//! ELF executable loader.
//!
//! Reads the ELF header and the program header table (System V ABI, "ELF
//! header" and "Program header" chapters) and returns the bytes of every
//! `PT_LOAD` segment with the physical address it belongs at. Only the
//! program headers are parsed: section headers, symbols and dynamic tables
//! are irrelevant to loading a bare-metal image or a kernel, and a broken
//! section table must not stop an otherwise loadable file.

use std::fmt;

use goblin::container::{Container, Ctx, Endian};
use goblin::elf::header::{
    self, Header, EI_CLASS, EI_DATA, ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ELFDATA2MSB, ELFMAG,
    EM_AARCH64, EM_SPARC, EM_SPARC32PLUS, SELFMAG,
};
use goblin::elf::program_header::{ProgramHeader, PT_LOAD};
use goblin::elf::Elf;

use crate::{LoadError, LoadedImage, Segment};

/// The guest architecture a loaded image must be built for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Arch {
    /// ARMv8-A in the A64 instruction set: ELF64, little-endian, `EM_AARCH64`.
    Aarch64,
    /// SPARC V8: ELF32, big-endian, `EM_SPARC` (or `EM_SPARC32PLUS`).
    Sparc,
}

impl Arch {
    /// Whether an ELF `e_machine` value names this architecture.
    fn accepts_machine(self, e_machine: u16) -> bool {
        match self {
            Arch::Aarch64 => e_machine == EM_AARCH64,
            Arch::Sparc => e_machine == EM_SPARC || e_machine == EM_SPARC32PLUS,
        }
    }

    /// The ELF class (`EI_CLASS`) this architecture's images use, in bits.
    fn elf_bits(self) -> u8 {
        match self {
            Arch::Aarch64 => 64,
            Arch::Sparc => 32,
        }
    }

    /// Whether this architecture's images are big-endian (`ELFDATA2MSB`).
    fn big_endian(self) -> bool {
        match self {
            Arch::Aarch64 => false,
            Arch::Sparc => true,
        }
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Arch::Aarch64 => "AArch64",
            Arch::Sparc => "SPARC",
        })
    }
}

/// A readable name for an ELF `e_machine` value, used in error messages.
fn machine_name(e_machine: u16) -> String {
    match e_machine {
        EM_AARCH64 => "AArch64".to_string(),
        EM_SPARC => "SPARC".to_string(),
        EM_SPARC32PLUS => "SPARC32PLUS".to_string(),
        other => header::machine_to_str(other).to_string(),
    }
}

/// Loads an ELF executable built for `arch`.
///
/// Every `PT_LOAD` segment with a non-zero `p_memsz` becomes one [`Segment`]
/// placed at its physical address (`p_paddr`), which is where a CPU with its
/// MMU off fetches it from. The caller copies `data` to `addr` and zero-fills
/// up to `mem_size` (the `.bss` part of the segment).
///
/// Both classes (ELF32, ELF64) and both byte orders are parsed; the file must
/// then match `arch` in machine, class and byte order.
pub fn load_elf(bytes: &[u8], arch: Arch) -> Result<LoadedImage, LoadError> {
    if bytes.len() < SELFMAG || &bytes[..SELFMAG] != ELFMAG {
        return Err(LoadError::NotElf);
    }
    let header = Elf::parse_header(bytes).map_err(|e| LoadError::Malformed(e.to_string()))?;

    // The machine is the most telling mismatch, so it is checked first: a
    // SPARC file given to an AArch64 machine is reported as such, not as
    // "wrong class".
    if !arch.accepts_machine(header.e_machine) {
        return Err(LoadError::WrongArch {
            elf: machine_name(header.e_machine),
            e_machine: header.e_machine,
            arch,
        });
    }
    let bits = match header.e_ident[EI_CLASS] {
        ELFCLASS32 => 32,
        ELFCLASS64 => 64,
        other => return Err(LoadError::Malformed(format!("invalid ELF class {other}"))),
    };
    if bits != arch.elf_bits() {
        return Err(LoadError::WrongClass {
            bits,
            arch,
            needed: arch.elf_bits(),
        });
    }
    let big_endian = match header.e_ident[EI_DATA] {
        ELFDATA2LSB => false,
        ELFDATA2MSB => true,
        other => {
            return Err(LoadError::Malformed(format!(
                "invalid ELF data encoding {other}"
            )))
        }
    };
    if big_endian != arch.big_endian() {
        return Err(LoadError::WrongEndian { big_endian, arch });
    }

    let program_headers = read_program_headers(bytes, &header, bits, big_endian)?;
    let mut segments = Vec::new();
    for (index, ph) in program_headers.iter().enumerate() {
        if ph.p_type != PT_LOAD || ph.p_memsz == 0 {
            continue;
        }
        segments.push(read_segment(bytes, index, ph)?);
    }
    if segments.is_empty() {
        return Err(LoadError::NoLoadableSegments);
    }
    Ok(LoadedImage {
        entry: header.e_entry,
        segments,
        big_endian,
    })
}

/// Parses the program header table, after checking that its entries have
/// the size this ELF class defines (`e_phentsize`); goblin reads fixed-size
/// entries and would otherwise misread a table with another stride.
fn read_program_headers(
    bytes: &[u8],
    header: &Header,
    bits: u8,
    big_endian: bool,
) -> Result<Vec<ProgramHeader>, LoadError> {
    let container = if bits == 64 {
        Container::Big
    } else {
        Container::Little
    };
    let endian = if big_endian {
        Endian::Big
    } else {
        Endian::Little
    };
    let ctx = Ctx::new(container, endian);
    if header.e_phnum == 0 {
        return Ok(Vec::new());
    }
    let entry_size = ProgramHeader::size(ctx);
    if usize::from(header.e_phentsize) != entry_size {
        return Err(LoadError::Malformed(format!(
            "program header entry size is {} bytes, ELF{bits} needs {entry_size}",
            header.e_phentsize
        )));
    }
    let offset = usize::try_from(header.e_phoff).map_err(|_| {
        LoadError::Malformed(format!(
            "program header offset {:#x} is too large",
            header.e_phoff
        ))
    })?;
    let table_end = usize::from(header.e_phnum)
        .checked_mul(entry_size)
        .and_then(|size| size.checked_add(offset));
    if table_end.is_none_or(|end| end > bytes.len()) {
        return Err(LoadError::Malformed(format!(
            "program header table ({} entries at offset {offset:#x}) extends past the end of the file ({:#x} bytes)",
            header.e_phnum,
            bytes.len()
        )));
    }
    ProgramHeader::parse(bytes, offset, usize::from(header.e_phnum), ctx)
        .map_err(|e| LoadError::Malformed(e.to_string()))
}

/// Copies one `PT_LOAD` segment's file bytes, checking its sizes and that
/// its file range lies inside the file.
fn read_segment(bytes: &[u8], index: usize, ph: &ProgramHeader) -> Result<Segment, LoadError> {
    if ph.p_filesz > ph.p_memsz {
        return Err(LoadError::FileSizeExceedsMemSize {
            index,
            filesz: ph.p_filesz,
            memsz: ph.p_memsz,
        });
    }
    if ph.p_paddr.checked_add(ph.p_memsz).is_none() {
        return Err(LoadError::Malformed(format!(
            "segment {index} at {:#x} with size {:#x} wraps around the address space",
            ph.p_paddr, ph.p_memsz
        )));
    }
    let outside = || LoadError::SegmentOutsideFile {
        index,
        offset: ph.p_offset,
        filesz: ph.p_filesz,
        file_len: bytes.len() as u64,
    };
    let start = usize::try_from(ph.p_offset).map_err(|_| outside())?;
    let len = usize::try_from(ph.p_filesz).map_err(|_| outside())?;
    let end = start.checked_add(len).ok_or_else(outside)?;
    let data = bytes.get(start..end).ok_or_else(outside)?;
    Ok(Segment {
        addr: ph.p_paddr,
        data: data.to_vec(),
        mem_size: ph.p_memsz,
    })
}
