//! Bad input gets a one-line error and a non-zero exit, never a panic.

#[allow(dead_code)] // the golden-file helpers are for the guest suites
mod common;

use common::{chimera, guest};
use std::time::Duration;

fn expect_error(args: &[&str], needle: &str) {
    let out = chimera(args, Duration::from_secs(20));
    assert!(matches!(out.status, Some(c) if c != 0), "{args:?}: status {:?}", out.status);
    assert!(!out.stderr.contains("panicked"), "{args:?} panicked:\n{}", out.stderr);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert!(!lines.is_empty(), "{args:?}: no error message");
    assert!(out.stderr.contains(needle), "{args:?}: expected '{needle}' in:\n{}", out.stderr);
    if !needle.starts_with("error:") {
        assert_eq!(lines.len(), 1, "{args:?}: the error should be one line:\n{}", out.stderr);
    }
}

fn temp_file(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("chimera-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.to_string_lossy().into_owned()
}

/// A minimal big-endian ELF32 executable for SPARC (e_machine 2) with one PT_LOAD.
fn sparc_elf() -> Vec<u8> {
    let mut e = vec![0u8; 52 + 32 + 4];
    e[..4].copy_from_slice(b"\x7fELF");
    e[4] = 1; // ELFCLASS32
    e[5] = 2; // ELFDATA2MSB
    e[6] = 1;
    e[16..18].copy_from_slice(&2u16.to_be_bytes()); // ET_EXEC
    e[18..20].copy_from_slice(&2u16.to_be_bytes()); // EM_SPARC
    e[20..24].copy_from_slice(&1u32.to_be_bytes());
    e[24..28].copy_from_slice(&0x4000_0000u32.to_be_bytes()); // entry
    e[28..32].copy_from_slice(&52u32.to_be_bytes()); // phoff
    e[40..42].copy_from_slice(&52u16.to_be_bytes()); // ehsize
    e[42..44].copy_from_slice(&32u16.to_be_bytes()); // phentsize
    e[44..46].copy_from_slice(&1u16.to_be_bytes()); // phnum
    let ph = 52;
    e[ph..ph + 4].copy_from_slice(&1u32.to_be_bytes()); // PT_LOAD
    e[ph + 4..ph + 8].copy_from_slice(&84u32.to_be_bytes()); // offset
    e[ph + 8..ph + 12].copy_from_slice(&0x4000_0000u32.to_be_bytes());
    e[ph + 12..ph + 16].copy_from_slice(&0x4000_0000u32.to_be_bytes());
    e[ph + 16..ph + 20].copy_from_slice(&4u32.to_be_bytes());
    e[ph + 20..ph + 24].copy_from_slice(&4u32.to_be_bytes());
    e[84..88].copy_from_slice(&0x0100_0000u32.to_be_bytes()); // nop
    e
}

#[test]
fn missing_kernel_file() {
    expect_error(&["run", "--machine", "virt", "--kernel", "/nonexistent/kernel.elf"], "cannot read kernel");
}

#[test]
fn truncated_elf() {
    let full = std::fs::read(guest("guests/aarch64", "hello")).unwrap();
    for cut in [3usize, 20, 63, 100, 300] {
        let p = temp_file(&format!("trunc{cut}.elf"), &full[..cut]);
        let out = chimera(&["run", "--kernel", &p], Duration::from_secs(20));
        assert_eq!(out.status, Some(1), "cut at {cut}: {}", out.stderr);
        assert!(!out.stderr.contains("panicked"), "cut at {cut}: {}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "cut at {cut}: {}", out.stderr);
    }
}

#[test]
fn sparc_elf_on_virt() {
    let p = temp_file("sparc.elf", &sparc_elf());
    expect_error(&["run", "--machine", "virt", "--kernel", &p], "SPARC");
}

#[test]
fn not_an_elf() {
    let p = temp_file("junk.bin", b"this is not a kernel");
    expect_error(&["run", "--kernel", &p], "ELF");
}

#[test]
fn unknown_machine() {
    expect_error(&["run", "--machine", "pdp11"], "unknown machine 'pdp11'");
}

#[test]
fn unknown_cpu() {
    expect_error(&["run", "--machine", "virt", "--cpu", "cortex-a72"], "unknown CPU 'cortex-a72' for machine 'virt'");
    expect_error(&["run", "--machine", "leon3", "--cpu", "max"], "unknown CPU 'max' for machine 'leon3'");
}

#[test]
fn cpu_help_lists_the_models() {
    let out = chimera(&["run", "--machine", "virt", "--cpu", "help"], Duration::from_secs(20));
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    let s = String::from_utf8_lossy(&out.stdout);
    let names: Vec<&str> = s.lines().filter_map(|l| l.split_whitespace().next()).collect();
    assert_eq!(names, ["cortex-a57", "cortex-a53", "max"], "{s}");
}

#[test]
fn bad_flags() {
    expect_error(&["run", "--memory", "12Q"], "error:");
    expect_error(&["run", "--log", "everything"], "error:");
    expect_error(&["frobnicate"], "error:");
}

#[test]
fn machines_lists_virt() {
    let out = chimera(&["machines"], Duration::from_secs(20));
    assert_eq!(out.status, Some(0));
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.lines().any(|l| l.starts_with("virt ")), "{s}");
}

/// A raw image at the start of RAM whose first instruction is undefined and
/// whose vector table is absent: the exception can never be handled, so the
/// run stops with status 3 and a register dump instead of spinning.
#[test]
fn guest_without_vectors_crashes_cleanly() {
    // UDF #0 (0x00000000): UNDEFINED; VBAR_EL1 is 0, in the empty flash,
    // which reads as UDF too.
    let p = temp_file("udf.bin", &[0, 0, 0, 0]);
    let out = chimera(&["run", "--kernel", &p, "--raw-address", "0x40000000"], Duration::from_secs(20));
    assert_eq!(out.status, Some(3), "{}", out.stderr);
    assert!(out.stderr.contains("exception at exception vector 0x200"), "{}", out.stderr);
    assert!(out.stderr.contains("ESR_EL1 0000000002000000"), "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
}

#[test]
fn raw_address_needs_a_kernel() {
    expect_error(&["run", "--raw-address", "0x40000000"], "needs --kernel");
}

/// A minimal arm64 `Image`: its 64-byte header (text_offset 0, image size
/// 64 KiB, 4 KiB pages, little-endian) and a branch-to-self.
fn tiny_image(flags: u64) -> Vec<u8> {
    let mut b = vec![0u8; 128];
    b[0..4].copy_from_slice(&0x1400_0000u32.to_le_bytes());
    b[16..24].copy_from_slice(&0x1_0000u64.to_le_bytes());
    b[24..32].copy_from_slice(&flags.to_le_bytes());
    b[56..60].copy_from_slice(b"ARM\x64");
    b
}

#[test]
fn linux_options_need_a_linux_kernel() {
    let elf = guest("guests/aarch64", "hello");
    expect_error(&["run", "--kernel", &elf, "--append", "console=ttyAMA0"], "--append needs a Linux kernel image");
    expect_error(&["run", "--kernel", &elf, "--initrd", &elf], "--initrd needs a Linux kernel image");
    let image = temp_file("tiny.Image", &tiny_image(0b10));
    expect_error(&["run", "--kernel", &image, "--initrd", "/nonexistent/initrd"], "cannot read initrd");
    let junk = temp_file("junk.dtb", b"not a device tree at all, no");
    expect_error(&["run", "--kernel", &image, "--dtb", &junk], "bad device tree");
    let be = temp_file("be.Image", &tiny_image(0b11));
    expect_error(&["run", "--kernel", &be], "big-endian");
    let big = temp_file("big.initrd", &vec![0u8; 40 << 20]);
    expect_error(&["run", "--kernel", &image, "--initrd", &big, "--memory", "32M"], "use --memory");
}

#[test]
fn dump_dtb_writes_the_boards_tree() {
    let image = temp_file("dump.Image", &tiny_image(0b10));
    let out_path = temp_file("virt.dtb", b"");
    let out = chimera(&["run", "--kernel", &image, "--append", "console=ttyAMA0 quiet", "--dump-dtb", &out_path], Duration::from_secs(20));
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    let dtb = std::fs::read(&out_path).unwrap();
    assert_eq!(&dtb[..4], &[0xd0, 0x0d, 0xfe, 0xed]);
    assert!(String::from_utf8_lossy(&dtb).contains("console=ttyAMA0 quiet"));
    let elf = guest("guests/aarch64", "hello");
    expect_error(&["run", "--kernel", &elf, "--dump-dtb", &out_path], "not a Linux kernel");
}
