//! The AArch64 conformance programs (tests/conformance/aarch64, one per
//! instruction class) print exactly what they print on QEMU: the golden files
//! in tests/data/conformance/aarch64 were recorded by
//! tests/conformance/aarch64/golden.sh. Each program runs with the default
//! tiering and with every block compiled at once (`--jit-hot 0`).

mod common;

use common::{check_golden, guest, root};

fn check(name: &str, extra: &[&str]) {
    let elf = guest("conformance/aarch64", name);
    let mut args = vec!["run", "--machine", "virt", "--kernel", &elf];
    args.extend_from_slice(extra);
    check_golden(&format!("tests/data/conformance/aarch64/{name}.golden"), &args);
}

fn run_program(name: &str) {
    check(name, &[]);
    check(name, &["--jit-hot", "0"]);
}

#[test]
fn alu_flags() {
    run_program("alu_flags");
}

#[test]
fn shifts() {
    run_program("shifts");
}

#[test]
fn muldiv() {
    run_program("muldiv");
}

#[test]
fn bitfield() {
    run_program("bitfield");
}

#[test]
fn extend() {
    run_program("extend");
}

#[test]
fn condsel() {
    run_program("condsel");
}

#[test]
fn loadstore() {
    run_program("loadstore");
}

#[test]
fn exclusive() {
    run_program("exclusive");
}

#[test]
fn exceptions() {
    run_program("exceptions");
}

#[test]
fn sysregs() {
    run_program("sysregs");
}

#[test]
fn fp_arith() {
    run_program("fp_arith");
}

#[test]
fn fp_convert() {
    run_program("fp_convert");
}

#[test]
fn fp_compare() {
    run_program("fp_compare");
}

#[test]
fn simd_int() {
    run_program("simd_int");
}

#[test]
fn simd_fp() {
    run_program("simd_fp");
}

#[test]
fn simd_ldst() {
    run_program("simd_ldst");
}

/// Every program in the directory has a golden file and a test above.
#[test]
fn every_program_is_tested() {
    let listed = [
        "alu_flags", "bitfield", "condsel", "exceptions", "exclusive", "extend", "fp_arith", "fp_compare",
        "fp_convert", "loadstore", "muldiv", "shifts", "simd_fp", "simd_int", "simd_ldst", "sysregs",
    ];
    let mut found: Vec<String> = std::fs::read_dir(root().join("tests/conformance/aarch64"))
        .expect("conformance sources")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".c").map(str::to_owned)
        })
        .collect();
    found.sort();
    assert_eq!(found, listed, "add a #[test] for each new program");
    for name in listed {
        assert!(
            root().join(format!("tests/data/conformance/aarch64/{name}.golden")).exists(),
            "{name}: no golden file (run tests/conformance/aarch64/golden.sh)"
        );
    }
}
