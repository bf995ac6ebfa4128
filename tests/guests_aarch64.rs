//! The bare-metal AArch64 guest programs run on Chimera and print exactly what
//! they print on QEMU (golden files recorded by tests/guests/aarch64/golden.sh).

mod common;

use common::{check_golden, guest};

fn check(name: &str, args: &[&str]) {
    check_golden(&format!("tests/data/aarch64/{name}.golden"), args);
}

/// Each guest runs with the default tiering, with every block compiled at
/// once, and with every block left to the IR interpreter: all three must print
/// QEMU's output.
fn run_guest(name: &str) {
    let elf = guest("guests/aarch64", name);
    check(name, &["run", "--machine", "virt", "--kernel", &elf]);
    check(name, &["run", "--machine", "virt", "--kernel", &elf, "--jit-hot", "0"]);
    check(name, &["run", "--machine", "virt", "--kernel", &elf, "--jit-hot", "4000000000"]);
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
fn hash() {
    run_guest("hash");
}

#[test]
fn divmul() {
    run_guest("divmul");
}

#[test]
fn self_modifying_code() {
    run_guest("smc");
}

/// Built with FP/SIMD enabled and -O3 (the "fp" variant of env.sh): the
/// matrix multiplies run vectorised FMLA/FMUL on .2d and .4s.
#[test]
fn fp_matmul() {
    run_guest("fp_matmul");
}

/// The "fp" variant too: vectorised loops and hand-written NEON string
/// routines (CMEQ/SHRN/UMAXV/UMINV/UMAXP/TBL/CNT/UADDLV).
#[test]
fn strings() {
    run_guest("strings");
}

#[test]
fn demo_is_the_default_guest() {
    check("demo", &["run", "--machine", "virt"]);
}

#[test]
fn unchained_and_optimised_code_agree() {
    // The same guest through the other code-generation settings.
    let elf = guest("guests/aarch64", "hash");
    check("hash", &["run", "--kernel", &elf, "--no-chain", "--jit-hot", "0"]);
    check("hash", &["run", "--kernel", &elf, "--jit-opt", "none", "--jit-regalloc", "single_pass", "--jit-hot", "0"]);
    check("hash", &["run", "--kernel", &elf, "--jit-verify", "--jit-hot", "0"]);
}

#[test]
fn large_memory_is_reserved_lazily() {
    let elf = guest("guests/aarch64", "hello");
    check("hello", &["run", "--kernel", &elf, "--memory", "8G"]);
}
