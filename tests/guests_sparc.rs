//! The bare-metal SPARC V8 guest programs run on Chimera's leon3 board and
//! print exactly what they print on QEMU's leon3_generic (golden files recorded
//! by tests/guests/sparc/golden.sh). Every guest with a committed binary is
//! run here ([`every_guest_is_tested`]); there are no SPARC benchmarks
//! (benches/vs_qemu.py times the AArch64 guests).

#[macro_use]
mod common;

use common::{check_every_guest_is_listed, check_golden, guest};

/// Each guest runs with the default tiering, with every block compiled at
/// once (in the quick tier, and in the optimising one), and with every block
/// left to the IR interpreter: all must print QEMU's output.
fn run_guest(name: &str) {
    let elf = guest("guests/sparc", name);
    let golden = format!("tests/data/sparc/{name}.golden");
    check_golden(&golden, &["run", "--machine", "leon3", "--kernel", &elf]);
    check_golden(&golden, &["run", "--machine", "leon3", "--kernel", &elf, "--jit-hot", "0"]);
    check_golden(&golden, &["run", "--machine", "leon3", "--kernel", &elf, "--jit-hot", "0", "--jit-promote", "0"]);
    check_golden(&golden, &["run", "--machine", "leon3", "--kernel", &elf, "--jit-hot", "4000000000"]);
}

guest_tests! {
    hello: run_guest("hello"),
    recursion: run_guest("recursion"),
    sort: run_guest("sort"),
    traps: run_guest("traps"),
    annul: run_guest("annul"),
    timer: run_guest("timer"),
    hash: run_guest("hash"),
    pnp: run_guest("pnp"),
    fpu: run_guest("fpu"),
    fpops: run_guest("fpops"),
}

/// Guests with a committed binary that no test runs, each with the reason
/// (none today).
const NOT_RUN: &[(&str, &str)] = &[];

#[test]
fn every_guest_is_tested() {
    check_every_guest_is_listed("guests/sparc", "tests/data/sparc", TESTED, NOT_RUN);
}

#[test]
fn leon3_needs_a_kernel() {
    let out = common::chimera(&["run", "--machine", "leon3"], std::time::Duration::from_secs(30));
    assert_ne!(out.status, Some(0));
    assert!(out.stderr.contains("--kernel"), "{}", out.stderr);
}
