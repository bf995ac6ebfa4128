//! ELF loader tests on small images written byte by byte here, following the
//! System V ABI "ELF header" and "Program header" layouts.

use chimera_firmware::{detect_and_load, load_elf, Arch, LoadError, Segment};

const PT_LOAD: u32 = 1;
const PT_NOTE: u32 = 4;
const EM_SPARC: u16 = 2;
const EM_SPARC32PLUS: u16 = 18;
const EM_AARCH64: u16 = 183;

/// One program header of a test image.
#[derive(Clone, Copy)]
struct Ph {
    ty: u32,
    offset: u64,
    vaddr: u64,
    paddr: u64,
    filesz: u64,
    memsz: u64,
}

/// A test image: header fields, program headers, and bytes after them.
#[derive(Clone)]
struct TestElf {
    bits64: bool,
    big: bool,
    machine: u16,
    entry: u64,
    phentsize: Option<u16>,
    phoff: Option<u64>,
    phdrs: Vec<Ph>,
    payload: Vec<u8>,
}

impl TestElf {
    fn ehsize(&self) -> u64 {
        if self.bits64 {
            64
        } else {
            52
        }
    }

    fn phsize(&self) -> u64 {
        if self.bits64 {
            56
        } else {
            32
        }
    }

    /// Offset of the payload: right after the header and program headers.
    fn payload_offset(&self) -> u64 {
        self.ehsize() + self.phsize() * self.phdrs.len() as u64
    }

    fn put(&self, out: &mut Vec<u8>, value: u64, size: usize) {
        let bytes = value.to_le_bytes();
        let mut field = bytes[..size].to_vec();
        if self.big {
            field.reverse();
        }
        out.extend_from_slice(&field);
    }

    /// A 64-bit field in ELF64, a 32-bit one in ELF32.
    fn word(&self, out: &mut Vec<u8>, value: u64) {
        self.put(out, value, if self.bits64 { 8 } else { 4 });
    }

    fn bytes(&self) -> Vec<u8> {
        let mut out = vec![0x7f, b'E', b'L', b'F'];
        out.push(if self.bits64 { 2 } else { 1 });
        out.push(if self.big { 2 } else { 1 });
        out.push(1);
        out.resize(16, 0);
        self.put(&mut out, 2, 2); // e_type: ET_EXEC
        self.put(&mut out, u64::from(self.machine), 2);
        self.put(&mut out, 1, 4); // e_version
        self.word(&mut out, self.entry);
        self.word(&mut out, self.phoff.unwrap_or(self.ehsize()));
        self.word(&mut out, 0); // e_shoff
        self.put(&mut out, 0, 4); // e_flags
        self.put(&mut out, self.ehsize(), 2);
        self.put(
            &mut out,
            u64::from(self.phentsize.unwrap_or(self.phsize() as u16)),
            2,
        );
        self.put(&mut out, self.phdrs.len() as u64, 2);
        self.put(&mut out, if self.bits64 { 64 } else { 40 }, 2); // e_shentsize
        self.put(&mut out, 0, 2); // e_shnum
        self.put(&mut out, 0, 2); // e_shstrndx
        assert_eq!(out.len() as u64, self.ehsize());
        for ph in &self.phdrs {
            self.put(&mut out, u64::from(ph.ty), 4);
            if self.bits64 {
                self.put(&mut out, 5, 4); // p_flags: R+X
            }
            self.word(&mut out, ph.offset);
            self.word(&mut out, ph.vaddr);
            self.word(&mut out, ph.paddr);
            self.word(&mut out, ph.filesz);
            self.word(&mut out, ph.memsz);
            if !self.bits64 {
                self.put(&mut out, 5, 4); // p_flags
            }
            self.word(&mut out, 0x1000); // p_align
        }
        assert_eq!(out.len() as u64, self.payload_offset());
        out.extend_from_slice(&self.payload);
        out
    }
}

/// An AArch64 image: code and data segments (the second with .bss), a note
/// and an empty PT_LOAD that must both be skipped.
fn aarch64_elf() -> TestElf {
    let mut elf = TestElf {
        bits64: true,
        big: false,
        machine: EM_AARCH64,
        entry: 0x4008_0010,
        phentsize: None,
        phoff: None,
        phdrs: Vec::new(),
        payload: (0u8..24).collect(),
    };
    let base = elf.ehsize() + elf.phsize() * 4;
    elf.phdrs = vec![
        Ph {
            ty: PT_LOAD,
            offset: base,
            vaddr: 0xffff_0000_0000_0000,
            paddr: 0x4008_0000,
            filesz: 16,
            memsz: 16,
        },
        Ph {
            ty: PT_NOTE,
            offset: base,
            vaddr: 0,
            paddr: 0,
            filesz: 4,
            memsz: 0,
        },
        Ph {
            ty: PT_LOAD,
            offset: base + 16,
            vaddr: 0,
            paddr: 0x4009_0000,
            filesz: 8,
            memsz: 0x100,
        },
        Ph {
            ty: PT_LOAD,
            offset: base,
            vaddr: 0,
            paddr: 0x5000_0000,
            filesz: 0,
            memsz: 0,
        },
    ];
    assert_eq!(elf.payload_offset(), base);
    elf
}

/// A SPARC V8 image with one segment.
fn sparc_elf() -> TestElf {
    let mut elf = TestElf {
        bits64: false,
        big: true,
        machine: EM_SPARC,
        entry: 0x4000_0000,
        phentsize: None,
        phoff: None,
        phdrs: Vec::new(),
        payload: vec![0x01, 0x00, 0x00, 0x00, 0x81, 0xc3, 0xe0, 0x08],
    };
    let base = elf.ehsize() + elf.phsize();
    elf.phdrs = vec![Ph {
        ty: PT_LOAD,
        offset: base,
        vaddr: 0xf000_0000,
        paddr: 0x4000_0000,
        filesz: 8,
        memsz: 0x2000,
    }];
    elf
}

#[test]
fn loads_aarch64_elf64_le() {
    let image = load_elf(&aarch64_elf().bytes(), Arch::Aarch64).unwrap();
    assert_eq!(image.entry, 0x4008_0010);
    assert!(!image.big_endian);
    assert_eq!(
        image.segments,
        vec![
            Segment {
                addr: 0x4008_0000,
                data: (0u8..16).collect(),
                mem_size: 16
            },
            Segment {
                addr: 0x4009_0000,
                data: (16u8..24).collect(),
                mem_size: 0x100
            },
        ]
    );
}

#[test]
fn loads_sparc_elf32_be() {
    let image = load_elf(&sparc_elf().bytes(), Arch::Sparc).unwrap();
    assert_eq!(image.entry, 0x4000_0000);
    assert!(image.big_endian);
    assert_eq!(
        image.segments,
        vec![Segment {
            addr: 0x4000_0000,
            data: vec![0x01, 0x00, 0x00, 0x00, 0x81, 0xc3, 0xe0, 0x08],
            mem_size: 0x2000
        }]
    );
}

#[test]
fn accepts_sparc32plus() {
    let mut elf = sparc_elf();
    elf.machine = EM_SPARC32PLUS;
    assert!(load_elf(&elf.bytes(), Arch::Sparc).is_ok());
}

#[test]
fn detect_and_load_takes_elf() {
    let bytes = sparc_elf().bytes();
    assert_eq!(
        detect_and_load(&bytes, Arch::Sparc),
        load_elf(&bytes, Arch::Sparc)
    );
}

#[test]
fn every_truncation_is_an_error() {
    for (elf, arch) in [(aarch64_elf(), Arch::Aarch64), (sparc_elf(), Arch::Sparc)] {
        let bytes = elf.bytes();
        for len in 0..bytes.len() {
            let result = load_elf(&bytes[..len], arch);
            assert!(
                result.is_err(),
                "{arch} file cut at {len} bytes loaded: {result:?}"
            );
            let message = result.unwrap_err().to_string();
            assert!(!message.contains('\n'), "multi-line message: {message}");
        }
    }
}

#[test]
fn bad_magic() {
    let mut bytes = aarch64_elf().bytes();
    bytes[1] = b'F';
    assert_eq!(load_elf(&bytes, Arch::Aarch64), Err(LoadError::NotElf));
    assert_eq!(
        detect_and_load(&bytes, Arch::Aarch64)
            .unwrap_err()
            .to_string(),
        "not an ELF file (raw binaries need --raw-address)"
    );
    assert_eq!(load_elf(b"", Arch::Sparc), Err(LoadError::NotElf));
}

#[test]
fn wrong_arch_both_ways() {
    let err = load_elf(&sparc_elf().bytes(), Arch::Aarch64).unwrap_err();
    assert_eq!(
        err.to_string(),
        "ELF is for SPARC (e_machine 2), but the machine is AArch64"
    );
    let err = load_elf(&aarch64_elf().bytes(), Arch::Sparc).unwrap_err();
    assert_eq!(
        err.to_string(),
        "ELF is for AArch64 (e_machine 183), but the machine is SPARC"
    );
    let mut x86 = aarch64_elf();
    x86.machine = 62;
    let err = load_elf(&x86.bytes(), Arch::Aarch64).unwrap_err();
    assert!(
        matches!(err, LoadError::WrongArch { e_machine: 62, .. }),
        "{err}"
    );
}

#[test]
fn wrong_class() {
    let mut elf = sparc_elf();
    elf.machine = EM_AARCH64;
    elf.big = false;
    let err = load_elf(&elf.bytes(), Arch::Aarch64).unwrap_err();
    assert_eq!(
        err.to_string(),
        "ELF is 32-bit, but AArch64 needs an ELF64 file"
    );
    let mut elf = aarch64_elf();
    elf.machine = EM_SPARC;
    elf.big = true;
    let err = load_elf(&elf.bytes(), Arch::Sparc).unwrap_err();
    assert_eq!(
        err,
        LoadError::WrongClass {
            bits: 64,
            arch: Arch::Sparc,
            needed: 32
        }
    );
}

#[test]
fn wrong_endianness() {
    let mut elf = aarch64_elf();
    elf.big = true;
    let err = load_elf(&elf.bytes(), Arch::Aarch64).unwrap_err();
    assert_eq!(
        err.to_string(),
        "ELF is big-endian, but AArch64 needs little-endian"
    );
    let mut elf = sparc_elf();
    elf.big = false;
    let err = load_elf(&elf.bytes(), Arch::Sparc).unwrap_err();
    assert_eq!(
        err,
        LoadError::WrongEndian {
            big_endian: false,
            arch: Arch::Sparc
        }
    );
}

#[test]
fn segment_offset_beyond_file() {
    let mut elf = aarch64_elf();
    elf.phdrs[0].offset = 0x10_0000;
    let bytes = elf.bytes();
    let err = load_elf(&bytes, Arch::Aarch64).unwrap_err();
    assert_eq!(
        err,
        LoadError::SegmentOutsideFile {
            index: 0,
            offset: 0x10_0000,
            filesz: 16,
            file_len: bytes.len() as u64
        }
    );
    elf.phdrs[0].offset = u64::MAX - 4;
    assert!(matches!(
        load_elf(&elf.bytes(), Arch::Aarch64),
        Err(LoadError::SegmentOutsideFile { index: 0, .. })
    ));
}

#[test]
fn filesz_greater_than_memsz() {
    let mut elf = sparc_elf();
    elf.phdrs[0].memsz = 4;
    let err = load_elf(&elf.bytes(), Arch::Sparc).unwrap_err();
    assert_eq!(
        err,
        LoadError::FileSizeExceedsMemSize {
            index: 0,
            filesz: 8,
            memsz: 4
        }
    );
}

#[test]
fn no_loadable_segments() {
    let mut elf = aarch64_elf();
    elf.phdrs.retain(|ph| ph.ty != PT_LOAD || ph.memsz == 0);
    elf.payload.clear();
    assert_eq!(
        load_elf(&elf.bytes(), Arch::Aarch64),
        Err(LoadError::NoLoadableSegments)
    );
    elf.phdrs.clear();
    assert_eq!(
        load_elf(&elf.bytes(), Arch::Aarch64),
        Err(LoadError::NoLoadableSegments)
    );
}

#[test]
fn bad_program_header_table() {
    let mut elf = aarch64_elf();
    elf.phentsize = Some(32);
    assert!(matches!(
        load_elf(&elf.bytes(), Arch::Aarch64),
        Err(LoadError::Malformed(_))
    ));
    let mut elf = aarch64_elf();
    elf.phoff = Some(u64::MAX - 8);
    assert!(matches!(
        load_elf(&elf.bytes(), Arch::Aarch64),
        Err(LoadError::Malformed(_))
    ));
}

#[test]
fn segment_wrapping_the_address_space() {
    let mut elf = aarch64_elf();
    elf.phdrs[2].paddr = u64::MAX - 0x10;
    assert!(matches!(
        load_elf(&elf.bytes(), Arch::Aarch64),
        Err(LoadError::Malformed(_))
    ));
}

#[test]
fn corrupted_bytes_never_panic() {
    for (elf, arch) in [(aarch64_elf(), Arch::Aarch64), (sparc_elf(), Arch::Sparc)] {
        let bytes = elf.bytes();
        for position in 0..bytes.len() {
            for value in [0x00, 0x01, 0x7f, 0x80, 0xff] {
                let mut corrupt = bytes.clone();
                corrupt[position] = value;
                let _ = load_elf(&corrupt, arch);
            }
        }
    }
}
