//! SIMD&FP loads, stores and moves between general and vector registers (the
//! IR part of the SIMD&FP translator), checked element by element against the
//! layout rules of the ARM ARM (C7.2 LD1-LD4/ST1-ST4, LDR/STR/LDP (SIMD&FP),
//! DUP/INS/UMOV/SMOV/FMOV (general)).

mod common;

use chimera_aarch64::A64State;
use chimera_ir::BlockExit;
use common::{Cpu, CODE, DATA};

const X4: u64 = 0x1234_5678_9abc_def0;

/// Memory byte at `addr` of the pattern the test fills in.
fn byte(addr: u64) -> u64 {
    (addr - DATA) & 0xff
}

/// Little-endian `n`-byte value at `addr` of the pattern.
fn le(addr: u64, n: u64) -> u64 {
    (0..n).fold(0, |v, k| v | byte(addr + k) << (8 * k))
}

fn fp_cpu(code: &[u32]) -> Cpu {
    let mut cpu = Cpu::new(code);
    for k in 0..0x400 {
        cpu.mem.write(DATA + k, 1, k & 0xff);
    }
    cpu.s.cpacr_el1 = 3 << 20;
    cpu
}

fn v(s: &A64State, n: usize) -> [u64; 2] {
    s.simd.v[n]
}

#[test]
fn loads_stores_and_moves() {
    let code = [
        0x4c40_7020, // ld1 {v0.16b}, [x1]
        0x0cdf_a021, // ld1 {v1.8b, v2.8b}, [x1], #16
        0x4c40_8823, // ld2 {v3.4s, v4.4s}, [x1]
        0x4c00_0445, // st4 {v5.8h-v8.8h}, [x2]
        0x4dc3_9029, // ld1 {v9.s}[3], [x1], x3
        0x0d40_e42a, // ld3r {v10.4h-v12.4h}, [x1]
        0x3dc0_082d, // ldr q13, [x1, #32]
        0xfc1f_8c4e, // str d14, [x2, #-8]!
        0xacc1_402f, // ldp q15, q16, [x1], #32
        0xbc63_7831, // ldr s17, [x1, x3, lsl #2]
        0x4e02_0c92, // dup v18.8h, w4
        0x4e14_1c93, // mov v19.s[2], w4
        0x0e1f_3c05, // umov w5, v0.b[15]
        0x4e1e_2c06, // smov x6, v0.h[7]
        0x9eae_0007, // fmov x7, v0.d[1]
        0x9eaf_0094, // fmov v20.d[1], x4
        0x9e67_0095, // fmov d21, x4
        0x1e61_1c16, // fcsel d22, d0, d1, ne
        0x1e20_c017, // fabs s23, s0
        0x1e61_4018, // fneg d24, d0
        0x9c00_0079, // ldr q25, lit (CODE + 0x5c)
        0x4d00_8440, // st1 {v0.d}[1], [x2]
        0x4c40_003a, // ld4 {v26.16b-v29.16b}, [x1]
    ];
    let mut cpu = fp_cpu(&code);
    // The literal pool after the code.
    cpu.mem.write(CODE + 0x5c, 8, 0x1122_3344_5566_7788);
    cpu.mem.write(CODE + 0x64, 8, 0x99aa_bbcc_ddee_ff00);
    let x2 = DATA + 0x400;
    cpu.s.x[1] = DATA;
    cpu.s.x[2] = x2;
    cpu.s.x[3] = 2;
    cpu.s.x[4] = X4;
    for r in 5..=8u64 {
        let h = |k: u64| (r << 8 | k) << (16 * (k % 4));
        cpu.s.simd.v[r as usize] = [(0..4).map(h).sum(), (4..8).map(h).sum()];
    }
    cpu.s.simd.v[9] = [0xaaaa_aaaa_aaaa_aaaa, 0xbbbb_bbbb_bbbb_bbbb];
    cpu.s.simd.v[14] = [0x0e0e_0e0e_0e0e_0e0e, 0xeeee];
    cpu.s.simd.v[19] = [1, 0x2222_2222_0000_0002];
    cpu.s.simd.v[20] = [3, 4];
    cpu.s.zf = 0;
    cpu.run_ok();
    let s = &cpu.s;
    let q = |addr: u64| [le(addr, 8), le(addr + 8, 8)];
    assert_eq!(v(s, 0), q(DATA));
    assert_eq!(v(s, 1), [le(DATA, 8), 0]);
    assert_eq!(v(s, 2), [le(DATA + 8, 8), 0]);
    // LD2 .4S: even words to v3, odd words to v4.
    let w = |j: u64| le(DATA + 16 + 4 * j, 4);
    assert_eq!(v(s, 3), [w(0) | w(2) << 32, w(4) | w(6) << 32]);
    assert_eq!(v(s, 4), [w(1) | w(3) << 32, w(5) | w(7) << 32]);
    // ST4 .8H: element e of v(5+s) at (4e + s) * 2.
    for e in 0..8u64 {
        for r in 0..4u64 {
            assert_eq!(cpu.mem.read(x2 + (4 * e + r) * 2, 2), (5 + r) << 8 | e, "st4 e{e} r{r}");
        }
    }
    assert_eq!(v(s, 9), [0xaaaa_aaaa_aaaa_aaaa, 0x1312_1110 << 32 | 0xbbbb_bbbb]);
    let rep4 = |h: u64| h * 0x0001_0001_0001_0001;
    assert_eq!(v(s, 10), [rep4(0x1312), 0]);
    assert_eq!(v(s, 11), [rep4(0x1514), 0]);
    assert_eq!(v(s, 12), [rep4(0x1716), 0]);
    assert_eq!(v(s, 13), q(DATA + 18 + 32));
    assert_eq!(s.x[2], x2 - 8);
    assert_eq!(v(s, 15), q(DATA + 18));
    assert_eq!(v(s, 16), q(DATA + 34));
    assert_eq!(s.x[1], DATA + 50);
    assert_eq!(v(s, 17), [le(DATA + 58, 4), 0]);
    assert_eq!(v(s, 18), [rep4(0xdef0), rep4(0xdef0)]);
    assert_eq!(v(s, 19), [1, 0x2222_2222_9abc_def0]);
    assert_eq!(s.x[5], 0x0f);
    assert_eq!(s.x[6], 0x0f0e);
    assert_eq!(s.x[7], le(DATA + 8, 8));
    assert_eq!(v(s, 20), [3, X4]);
    assert_eq!(v(s, 21), [X4, 0]);
    assert_eq!(v(s, 22), [le(DATA, 8), 0]);
    assert_eq!(v(s, 23), [0x0302_0100, 0]);
    assert_eq!(v(s, 24), [le(DATA, 8) ^ 1 << 63, 0]);
    assert_eq!(v(s, 25), [0x1122_3344_5566_7788, 0x99aa_bbcc_ddee_ff00]);
    assert_eq!(cpu.mem.read(x2 - 8, 8), le(DATA + 8, 8));
    for r in 0..4u64 {
        let want: [u64; 2] = [0, 1].map(|h| (0..8u64).map(|e| byte(DATA + 50 + 4 * (8 * h + e) + r) << (8 * e)).sum());
        assert_eq!(v(s, 26 + r as usize), want, "ld4 v{}", 26 + r);
    }
}

#[test]
fn store_register_pre_index() {
    let mut cpu = fp_cpu(&[0xfc1f_8c4e /* str d14, [x2, #-8]! */]);
    cpu.s.x[2] = DATA + 0x100;
    cpu.s.simd.v[14] = [0x0e0e_0e0e_0e0e_0e0e, 0xeeee];
    cpu.run_ok();
    assert_eq!((cpu.mem.read(DATA + 0xf8, 8), cpu.mem.read(DATA + 0x100, 1)), (0x0e0e_0e0e_0e0e_0e0e, 0));
    assert_eq!(cpu.s.x[2], DATA + 0xf8);
}

#[test]
fn faulting_structure_load_changes_no_register() {
    // ld1 {v0.16b-v3.16b}, [x1], #64 with the last register's bytes unmapped.
    let mut cpu = fp_cpu(&[0x4cdf_2020]);
    cpu.s.x[1] = common::MEM_SIZE as u64 - 56;
    cpu.s.simd.v[0] = [5, 6];
    let exit = cpu.run();
    assert!(matches!(exit, BlockExit::Fault(_)), "{exit:?}");
    assert_eq!((cpu.s.simd.v[0], cpu.s.x[1], cpu.s.pc), ([5, 6], common::MEM_SIZE as u64 - 56, CODE));
}

#[test]
fn fpcr_and_fpsr_keep_their_implemented_bits() {
    // msr fpcr, x0; mrs x1, fpcr; msr fpsr, x0; mrs x2, fpsr
    let mut cpu = fp_cpu(&[0xd51b_4400, 0xd53b_4401, 0xd51b_4420, 0xd53b_4422]);
    cpu.s.x[0] = u64::MAX;
    cpu.run_ok();
    assert_eq!((cpu.s.x[1], cpu.s.x[2]), (0x07f7_0000, 0xf800_009f));
}
