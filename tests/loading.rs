//! Loading guest ELF files as QEMU's `-kernel` does.

#[allow(dead_code)] // the golden-file helpers are for the guest suites
mod common;

use common::chimera;
use std::time::Duration;

/// An ELF64 AArch64 executable of `segments` (address, bytes) PT_LOAD
/// segments, entered at the first one.
fn elf64(segments: &[(u64, Vec<u8>)]) -> Vec<u8> {
    let phoff = 64u64;
    let mut data_off = phoff + 56 * segments.len() as u64;
    let mut e = vec![0u8; 64];
    e[..4].copy_from_slice(b"\x7fELF");
    e[4] = 2; // ELFCLASS64
    e[5] = 1; // little-endian
    e[6] = 1;
    e[16..18].copy_from_slice(&2u16.to_le_bytes()); // ET_EXEC
    e[18..20].copy_from_slice(&183u16.to_le_bytes()); // EM_AARCH64
    e[20..24].copy_from_slice(&1u32.to_le_bytes());
    e[24..32].copy_from_slice(&segments[0].0.to_le_bytes()); // entry
    e[32..40].copy_from_slice(&phoff.to_le_bytes());
    e[52..54].copy_from_slice(&64u16.to_le_bytes()); // ehsize
    e[54..56].copy_from_slice(&56u16.to_le_bytes()); // phentsize
    e[56..58].copy_from_slice(&(segments.len() as u16).to_le_bytes());
    let mut body = Vec::new();
    for (addr, bytes) in segments {
        let mut ph = vec![0u8; 56];
        ph[0..4].copy_from_slice(&1u32.to_le_bytes()); // PT_LOAD
        ph[4..8].copy_from_slice(&5u32.to_le_bytes()); // R X
        ph[8..16].copy_from_slice(&data_off.to_le_bytes());
        ph[16..24].copy_from_slice(&addr.to_le_bytes()); // vaddr
        ph[24..32].copy_from_slice(&addr.to_le_bytes()); // paddr
        ph[32..40].copy_from_slice(&(bytes.len() as u64).to_le_bytes());
        ph[40..48].copy_from_slice(&(bytes.len() as u64).to_le_bytes());
        ph[48..56].copy_from_slice(&4u64.to_le_bytes());
        e.extend_from_slice(&ph);
        body.extend_from_slice(bytes);
        data_off += bytes.len() as u64;
    }
    e.extend_from_slice(&body);
    e
}

fn words(w: &[u32]) -> Vec<u8> {
    w.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// A segment in the flash at address 0 (as a build-id note linked low makes
/// one) is loaded there, and the program can read it: it prints the byte it
/// finds at 0x1000 and powers off.
#[test]
fn a_segment_in_flash_is_loaded_there() {
    let code = words(&[
        0xd2a1_2001, // movz x1, #0x0900, lsl #16   (UART)
        0xd282_0002, // movz x2, #0x1000
        0x3940_0042, // ldrb w2, [x2]
        0x3900_0022, // strb w2, [x1]
        0xd280_0100, // movz x0, #8
        0xf2b0_8000, // movk x0, #0x8400, lsl #16  (PSCI SYSTEM_OFF)
        0xd400_0002, // hvc #0
    ]);
    let elf = elf64(&[(0x4008_0000, code), (0x1000, b"F".to_vec())]);
    let dir = std::env::temp_dir().join(format!("chimera-loading-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("flash.elf");
    std::fs::write(&path, elf).unwrap();
    let out = chimera(&["run", "-M", "virt", "--kernel", path.to_str().unwrap()], Duration::from_secs(20));
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout, b"F");
}

/// A segment neither in RAM nor in a ROM is refused with a clear error.
#[test]
fn a_segment_outside_memory_is_refused() {
    let elf = elf64(&[(0x4008_0000, words(&[0x1400_0000])), (0x2000_0000, b"x".to_vec())]);
    let dir = std::env::temp_dir().join(format!("chimera-loading2-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("outside.elf");
    std::fs::write(&path, elf).unwrap();
    let out = chimera(&["run", "-M", "virt", "--kernel", path.to_str().unwrap()], Duration::from_secs(20));
    assert_eq!(out.status, Some(1));
    assert!(out.stderr.contains("lies outside RAM"), "{}", out.stderr);
}
