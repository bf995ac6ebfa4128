//! The bare-metal AArch64 guest programs run on Chimera and print exactly what
//! they print on QEMU (golden files recorded by tests/guests/aarch64/golden.sh),
//! the benchmarks of benches/vs_qemu.py included. Every guest with a committed
//! binary is run here ([`every_guest_is_tested`]).

#[macro_use]
mod common;

use common::{check_every_guest_is_listed, check_golden, guest};

fn check(name: &str, args: &[&str]) {
    check_golden(&format!("tests/data/aarch64/{name}.golden"), args);
}

/// Each guest runs with the default tiering, with every block compiled at
/// once (in the quick tier, and in the optimising one), and with every block
/// left to the IR interpreter: all must print QEMU's output.
fn run_guest(name: &str) {
    let elf = guest("guests/aarch64", name);
    check(name, &["run", "--machine", "virt", "--kernel", &elf]);
    check(name, &["run", "--machine", "virt", "--kernel", &elf, "--jit-hot", "0"]);
    check(name, &["run", "--machine", "virt", "--kernel", &elf, "--jit-hot", "0", "--jit-promote", "0"]);
    check(name, &["run", "--machine", "virt", "--kernel", &elf, "--jit-hot", "4000000000"]);
}

/// A benchmark guest prints its results and a `checksum:` line, which must
/// be QEMU's (the whole output is compared). It runs with the default tiering
/// (what benches/vs_qemu.py times) and with every block compiled at once,
/// 2-3 s each in a debug build as in a release one, since the compiled
/// loops dominate; not in the IR interpreter, where one bench takes 1.5 to
/// over 2 minutes.
fn run_bench(name: &str) {
    let elf = guest("guests/aarch64", name);
    check(name, &["run", "--machine", "virt", "--kernel", &elf]);
    check(name, &["run", "--machine", "virt", "--kernel", &elf, "--jit-hot", "0"]);
}

guest_tests! {
    hello: run_guest("hello"),
    recursion: run_guest("recursion"),
    sort: run_guest("sort"),
    hash: run_guest("hash"),
    divmul: run_guest("divmul"),
    self_modifying_code: run_guest("smc"),
    /// Built with FP/SIMD enabled and -O3 (the "fp" variant of env.sh): the
    /// matrix multiplies run vectorised FMLA/FMUL on .2d and .4s.
    fp_matmul: run_guest("fp_matmul"),
    /// The "fp" variant too: vectorised loops and hand-written NEON string
    /// routines (CMEQ/SHRN/UMAXV/UMINV/UMAXP/TBL/CNT/UADDLV).
    strings: run_guest("strings"),
    /// CRC-32 over 4 MiB, 48 passes.
    bench_crc: run_bench("bench_crc"),
    /// 256x256 integer matrix multiplies.
    bench_matmul: run_bench("bench_matmul"),
    /// The "fp" variant: auto-vectorised float, double and byte loops.
    bench_simd: run_bench("bench_simd"),
    /// Quicksort of 1M 32-bit values, 5 rounds.
    bench_sort: run_bench("bench_sort"),
    /// The "mmu" variant (start.S turns on an identity map of 1 GiB blocks
    /// before main): the same benchmarks through stage 1 translation.
    bench_crc_mmu: run_bench("bench_crc_mmu"),
    bench_matmul_mmu: run_bench("bench_matmul_mmu"),
    bench_sort_mmu: run_bench("bench_sort_mmu"),
    /// 4M SVC + ERET round trips with the MMU on.
    bench_svc: run_bench("bench_svc"),
    /// 60,000 rounds of TLBI VMALLE1 then 64 reads that each need a walk.
    bench_tlbmiss: run_bench("bench_tlbmiss"),
}

/// Guests with a committed binary that no test runs, each with the reason
/// (none today).
const NOT_RUN: &[(&str, &str)] = &[];

#[test]
fn every_guest_is_tested() {
    check_every_guest_is_listed("guests/aarch64", "tests/data/aarch64", TESTED, NOT_RUN);
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
