//! `--log` tracing: each item prints what it promises, to stderr or a file.

#[allow(dead_code)] // the golden-file helpers are for the guest suites
mod common;

use common::{chimera, guest};
use std::time::Duration;

#[test]
fn in_asm_unimp_and_int_on_stderr() {
    let dir = std::env::temp_dir().join(format!("chimera-trace-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let udf = dir.join("udf.bin");
    // mov x0, #1; udf #0
    std::fs::write(&udf, [0x20, 0x00, 0x80, 0xd2, 0, 0, 0, 0]).unwrap();
    let udf = udf.to_string_lossy();
    let out = chimera(&["run", "--kernel", &udf, "--raw-address", "0x40000000", "-d", "in_asm,unimp,int"], Duration::from_secs(20));
    assert_eq!(out.status, Some(3), "{}", out.stderr);
    assert!(out.stderr.contains("IN: 0x40000000"), "{}", out.stderr);
    assert!(out.stderr.contains("mov      x0, #1"), "capstone disassembly:\n{}", out.stderr);
    assert!(out.stderr.contains("unimp: undefined instruction 0x00000000 at pc 0x40000004"), "{}", out.stderr);
    assert!(out.stderr.contains("int: exception at pc 0x40000004 -> vector 0x200"), "{}", out.stderr);
}

#[test]
fn exec_and_out_asm_to_a_log_file() {
    let log = std::env::temp_dir().join(format!("chimera-trace-{}.log", std::process::id()));
    let logs = log.to_string_lossy();
    let elf = guest("guests/aarch64", "hello");
    let out = chimera(&["run", "--kernel", &elf, "-d", "exec,out_asm", "--log-file", &logs, "--jit-hot", "0"], Duration::from_secs(30));
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    assert!(out.stderr.is_empty(), "traces went to stderr:\n{}", out.stderr);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("exec: 0x0000000040080000"), "{}", &text[..text.len().min(2000)]);
    assert!(text.contains("OUT: block 0x40080000"), "{}", &text[..text.len().min(2000)]);
    std::fs::remove_file(&log).unwrap();
}
