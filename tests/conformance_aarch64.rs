//! The AArch64 conformance programs (tests/conformance/aarch64, one per
//! instruction class) print exactly what they print on QEMU: the golden files
//! in tests/data/conformance/aarch64 were recorded by
//! tests/conformance/aarch64/golden.sh. Each program runs with the default
//! tiering, with every block compiled at once in the quick tier
//! (`--jit-hot 0`) and in the optimising one (`--jit-promote 0`).

#[macro_use]
mod common;

use common::{check_every_guest_is_listed, check_golden, guest};

fn check(name: &str, extra: &[&str]) {
    let elf = guest("conformance/aarch64", name);
    let mut args = vec!["run", "--machine", "virt", "--kernel", &elf];
    args.extend_from_slice(extra);
    check_golden(&format!("tests/data/conformance/aarch64/{name}.golden"), &args);
}

fn run_program(name: &str) {
    check(name, &[]);
    check(name, &["--jit-hot", "0"]);
    check(name, &["--jit-hot", "0", "--jit-promote", "0"]);
}

guest_tests! {
    alu_flags: run_program("alu_flags"),
    shifts: run_program("shifts"),
    muldiv: run_program("muldiv"),
    bitfield: run_program("bitfield"),
    extend: run_program("extend"),
    condsel: run_program("condsel"),
    loadstore: run_program("loadstore"),
    exclusive: run_program("exclusive"),
    exceptions: run_program("exceptions"),
    sysregs: run_program("sysregs"),
    fp_arith: run_program("fp_arith"),
    fp_convert: run_program("fp_convert"),
    fp_compare: run_program("fp_compare"),
    simd_int: run_program("simd_int"),
    simd_fp: run_program("simd_fp"),
    simd_ldst: run_program("simd_ldst"),
    /// VMSAv8-64 stage 1 with the 4 KiB granule: every start level, blocks,
    /// every fault kind and level, AP/UXN/PXN and the table controls, WXN,
    /// TBI, EPD, EL0 code.
    mmu_4k: run_program("mmu_4k"),
    /// The same with the 64 KiB granule.
    mmu_64k: run_program("mmu_64k"),
    /// ASIDs, TTBR0 switches, every TLBI form, AT and PAR_EL1.
    tlb_asid: run_program("tlb_asid"),
    /// Self-modifying code through a second virtual alias of a code page.
    smc_alias: run_program("smc_alias"),
    /// The GICv2: registers, priorities, SGIs, groups, IRQ/FIQ, preemption.
    gic: run_program("gic"),
    /// The generic timer: counters, CTL/CVAL/TVAL, PPIs 27/30, WFI, CNTKCTL.
    timer: run_program("timer"),
    /// PL011 receive interrupts on scripted input (uart_irq.input).
    uart_irq: run_program("uart_irq"),
    /// A tiny kernel: EL0 tasks in their own address spaces, SVCs, timer preemption.
    tasks: run_program("tasks"),
}

/// Every program in the directory has its binary, a golden file and a test
/// above.
#[test]
fn every_program_is_tested() {
    check_every_guest_is_listed("conformance/aarch64", "tests/data/conformance/aarch64", TESTED, &[]);
}
