//! The AdvSIMD instructions the translator turns into IR vector operations
//! must give exactly what the executor of `chimera_aarch64_simd` gives (which
//! is itself checked against QEMU): random encodings of those classes, random
//! register values, both paths, the whole register file compared.

mod common;

use chimera_aarch64::simd_fp::data_allocated;
use chimera_aarch64::decode::Insn;
use chimera_aarch64_simd::{execute, Exec};
use common::{Cpu, Rng};

/// A lane value with a share of boundary patterns and of FP numbers.
fn value(rng: &mut Rng) -> u64 {
    let f32s = |rng: &mut Rng| -> u64 {
        let lane = |rng: &mut Rng| -> u64 {
            match rng.below(8) {
                0 => 0,
                1 => 0x0000_0001,
                2 => 0x7f80_0000,
                3 => 0x7fc0_0001,
                4 => 0x0080_0000 | (rng.next() & 0x7f_ffff),
                _ => (rng.next() & 0x8000_0000) | (120 + rng.below(16)) << 23 | (rng.next() & 0x7f_ffff),
            }
        };
        lane(rng) | lane(rng) << 32
    };
    match rng.below(10) {
        6 | 7 => return f32s(rng),
        8 | 9 => {
            return match rng.below(6) {
                0 => 0x0010_0000_0000_0000 | (rng.next() & 0xf_ffff_ffff_ffff),
                1 => 0x7ff0_0000_0000_0000,
                _ => (rng.next() & (1 << 63)) | (1020 + rng.below(8)) << 52 | (rng.next() & 0xf_ffff_ffff_ffff),
            };
        }
        _ => {}
    }
    match rng.below(6) {
        0 => 0,
        1 => u64::MAX,
        2 => 0x8080_8080_8080_8080 >> rng.below(8),
        3 => 0x7f7f_7f7f_7f7f_7f7f,
        _ => rng.next(),
    }
}

/// Random words of the classes `translate::simd_ir` handles: three same,
/// modified immediate, shift by immediate, DUP (element).
fn word(rng: &mut Rng) -> u32 {
    let r = rng.next() as u32;
    let regs = r & 0x1f_03ff;
    let q = (r >> 30 & 1) << 30;
    let u = (r >> 29 & 1) << 29;
    match rng.below(7) {
        6 => {
            // FMUL, FMLA, FMLS (by element).
            let op = [0b1001, 0b0001, 0b0101][rng.below(3) as usize];
            0x0f80_0000 | q | (r & 0x007f_0800) | op << 12 | (r & 0x3ff)
        }
        5 => {
            // Scalar FADD/FSUB/FMUL (S, D) and FMADD/FMSUB/FNMADD/FNMSUB.
            let ty = (r >> 22 & 1) << 22;
            if rng.below(2) == 0 {
                let op = [0, 2, 3][rng.below(3) as usize];
                0x1e20_0800 | ty | op << 12 | regs
            } else {
                0x1f00_0000 | ty | (r & 0x0020_8000) | (r & 0x7c00) | regs
            }
        }
        4 => {
            // FADD, FSUB, FMUL, FMLA, FMLS (vector).
            let (u, hi, op) = [(0, 0, 0x1a), (0, 1, 0x1a), (1, 0, 0x1b), (0, 0, 0x19), (0, 1, 0x19)][rng.below(5) as usize];
            0x0e20_0400 | q | u << 29 | hi << 23 | (r & 0x0040_0000) | op << 11 | regs
        }
        0 => {
            let ops = [0x10, 0x13, 0x11, 0x06, 0x07, 0x0c, 0x0d, 0x03];
            let op = ops[rng.below(ops.len() as u64) as usize];
            0x0e20_0400 | q | u | (r & 0x00c0_0000) | op << 11 | regs
        }
        1 => 0x0f00_0400 | q | u | (r & 0x0007_f3e0 & !0x800) | (r & 0x1f),
        2 => {
            let ops = [0x00, 0x02, 0x0a];
            let op = ops[rng.below(3) as usize];
            let immhb = 1 + rng.below(127) as u32;
            0x0f00_0400 | q | u | immhb << 16 | op << 11 | (r & 0x3ff)
        }
        _ => 0x0e00_0400 | q | (r & 0x001f_0000) | (r & 0x3ff),
    }
}

#[test]
fn inline_vector_ops_match_the_executor() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let (mut checked, mut fp_checked, mut by_element) = (0, 0, 0);
    for _ in 0..30_000 {
        let w = word(&mut rng);
        if !data_allocated(Insn(w)) {
            continue;
        }
        let mut cpu = Cpu::new(&[w]);
        cpu.s.cpacr_el1 = 3 << 20;
        for reg in cpu.s.simd.v.iter_mut() {
            *reg = [value(&mut rng), value(&mut rng)];
        }
        // RMode, FZ, DN at random; IXC set in most runs (the fast path's condition).
        cpu.s.simd.fpcr = (rng.next() as u32) & 0x03c0_0000 & if rng.below(2) == 0 { 0 } else { !0 };
        cpu.s.simd.fpsr = if rng.below(4) == 0 { 0 } else { 0x10 };
        let mut want = cpu.s.simd.clone();
        if w & 0x5f00_0000 == 0x1e00_0000 || w & 0x5f00_0000 == 0x1f00_0000 {
            chimera_aarch64::fp::data(&mut want, w);
        } else if execute(&mut want, w) != Exec::Done {
            continue;
        }
        cpu.run_ok();
        assert_eq!(cpu.s.simd, want, "{w:#010x}");
        checked += 1;
        if w & 0x9f20_c400 == 0x0e20_c400 || w & 0x5e00_0000 == 0x1e00_0000 {
            fp_checked += 1;
        }
        if w & 0x9f80_0400 == 0x0f80_0000 {
            by_element += 1;
        }
    }
    assert!(checked > 10_000, "only {checked} encodings checked");
    assert!(fp_checked > 3_000, "only {fp_checked} FP encodings checked");
    assert!(by_element > 1_000, "only {by_element} by-element encodings checked");
}
