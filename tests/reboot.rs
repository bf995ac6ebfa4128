//! A guest reset (PSCI SYSTEM_RESET) starts the board again, as QEMU does;
//! with `--no-reboot` it ends the run with status 0, as QEMU's `-no-reboot`.

#[allow(dead_code)] // the golden-file helpers are for the guest suites
mod common;

use common::chimera;
use std::time::Duration;

/// A raw program for `virt` at 0x4008_0000: print 'R' on the PL011, then
/// PSCI SYSTEM_RESET (function 0x8400_0009) through `hvc #0`.
fn reset_program() -> String {
    let words: [u32; 6] = [
        0xd2a1_2001, // movz x1, #0x0900, lsl #16   (UART data register)
        0x5280_0a42, // movz w2, #'R'
        0x3900_0022, // strb w2, [x1]
        0xd280_0120, // movz x0, #9
        0xf2b0_8000, // movk x0, #0x8400, lsl #16
        0xd400_0002, // hvc #0
    ];
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    let dir = std::env::temp_dir().join(format!("chimera-reboot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("reset.bin");
    std::fs::write(&p, bytes).unwrap();
    p.to_string_lossy().into_owned()
}

#[test]
fn reset_with_no_reboot_exits_zero() {
    let prog = reset_program();
    let out = chimera(&["run", "-M", "virt", "--kernel", &prog, "--raw-address", "0x40080000", "--no-reboot"], Duration::from_secs(20));
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout, b"R");
}

#[test]
fn reset_starts_the_guest_again() {
    let prog = reset_program();
    // The guest resets forever: after a while it has booted many times.
    let out = chimera(&["run", "-M", "virt", "--kernel", &prog, "--raw-address", "0x40080000"], Duration::from_secs(2));
    assert_eq!(out.status, None, "the run ended: {}", out.stderr);
    assert!(out.stdout.len() >= 3 && out.stdout.iter().all(|&b| b == b'R'), "{:?}", String::from_utf8_lossy(&out.stdout));
}
