//! The bare-metal SPARC V8 guest programs run on Chimera's leon3 board and
//! print exactly what they print on QEMU's leon3_generic (golden files recorded
//! by tests/guests/sparc/golden.sh).

mod common;

use common::{check_golden, guest};

/// Each guest runs with the default tiering, with every block compiled at
/// once, and with every block left to the IR interpreter: all three must print
/// QEMU's output.
fn run_guest(name: &str) {
    let elf = guest("guests/sparc", name);
    let golden = format!("tests/data/sparc/{name}.golden");
    check_golden(&golden, &["run", "--machine", "leon3", "--kernel", &elf]);
    check_golden(&golden, &["run", "--machine", "leon3", "--kernel", &elf, "--jit-hot", "0"]);
    check_golden(&golden, &["run", "--machine", "leon3", "--kernel", &elf, "--jit-hot", "4000000000"]);
}

#[test]
fn hello() {
    run_guest("hello");
}

#[test]
fn recursion() {
    run_guest("recursion");
}

#[test]
fn sort() {
    run_guest("sort");
}

#[test]
fn traps() {
    run_guest("traps");
}

#[test]
fn annul() {
    run_guest("annul");
}

#[test]
fn timer() {
    run_guest("timer");
}

#[test]
fn hash() {
    run_guest("hash");
}

#[test]
fn pnp() {
    run_guest("pnp");
}

#[test]
fn fpu() {
    run_guest("fpu");
}

#[test]
fn fpops() {
    run_guest("fpops");
}

#[test]
fn leon3_needs_a_kernel() {
    let out = common::chimera(&["run", "--machine", "leon3"], std::time::Duration::from_secs(30));
    assert_ne!(out.status, Some(0));
    assert!(out.stderr.contains("--kernel"), "{}", out.stderr);
}
