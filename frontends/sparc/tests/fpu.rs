//! The FPU through the translator in both tiers (interpreter and compiled): FPops with special
//! values and rounding directions, fcc and every FBfcc condition, FP loads
//! and stores, FSR, and the fp_disabled and fp_exception traps. Expected
//! values are QEMU 7.2's (qemu-system-sparc -M leon3_generic).

mod common;

use chimera_ir::verify;
use chimera_sparc::{translate_block, STATE_SIZE, TB_TEM};
use common::{Cpu, CODE, DATA};

const NOP: u32 = 0x0100_0000;
/// `ta 0`: the end of every test program.
const HALT: u32 = 0x91d0_2000;

/// FPop1 `opf` with registers rd, rs1, rs2.
fn fpop1(opf: u32, rd: u32, rs1: u32, rs2: u32) -> u32 {
    0x81a0_0000 | rd << 25 | rs1 << 14 | opf << 5 | rs2
}

/// FPop2 (the comparisons).
fn fpop2(opf: u32, rs1: u32, rs2: u32) -> u32 {
    0x81a8_0000 | rs1 << 14 | opf << 5 | rs2
}

/// An op=3 load/store `op3` of f register / FSR `rd` at [%g2 + off].
fn fmem(op3: u32, rd: u32, off: i32) -> u32 {
    0xc000_0000 | rd << 25 | op3 << 19 | 2 << 14 | 0x2000 | (off as u32 & 0x1fff)
}

/// FBfcc `cond` (annul bit `a`) to PC + 4 * disp.
fn fb(cond: u32, a: bool, disp: u32) -> u32 {
    0x0180_0000 | u32::from(a) << 29 | cond << 25 | disp
}

/// A CPU with the FPU enabled, FSR `fsr`, f registers from `f` (index,
/// value) and %g2 = DATA.
fn cpu(code: &[u32], fsr: u32, f: &[(usize, u32)]) -> Cpu {
    let mut c = Cpu::new(code);
    c.s.ef = 1;
    c.s.fsr = fsr;
    c.s.g[2] = DATA as u32;
    for &(r, v) in f {
        c.s.f[r] = v;
    }
    c
}

/// Run one FPop1 on single operands f1, f2 into f3; (result, FSR, traps).
fn single(opf: u32, fsr: u32, a: u32, b: u32) -> (u32, u32, Vec<u32>) {
    let mut c = cpu(&[fpop1(opf, 3, 1, 2), HALT], fsr, &[(1, a), (2, b), (3, 0xdead_beef)]);
    c.run(true, 10);
    (c.s.f[3], c.s.fsr, c.traps)
}

/// Run one FPop1 on double operands f4:f5, f6:f7 into f8:f9.
fn double(opf: u32, fsr: u32, a: u64, b: u64) -> (u64, u32, Vec<u32>) {
    let mut c = cpu(&[fpop1(opf, 8, 4, 6), HALT], fsr, &[(8, 0xdead_beef), (9, 0xcafe_f00d)]);
    c.s.set_fd(4, a);
    c.s.set_fd(6, b);
    c.run(true, 10);
    (c.s.fd(8), c.s.fsr, c.traps)
}

const ONE: u32 = 0x3f80_0000;
const TWO: u32 = 0x4000_0000;
const D_ONE: u64 = 0x3ff0_0000_0000_0000;

#[test]
fn single_arithmetic() {
    assert_eq!(single(0x41, 0, ONE, ONE), (TWO, 0, vec![0x80]));
    assert_eq!(single(0x45, 0, ONE, TWO).0, 0xbf80_0000);
    assert_eq!(single(0x49, 0, TWO, TWO).0, 0x4080_0000);
    // 1/3 rounds up: inexact in cexc and aexc (nx = bit 0, bit 5).
    assert_eq!(single(0x4d, 0, ONE, 0x4040_0000), (0x3eaa_aaab, 0x21, vec![0x80]));
    assert_eq!(single(0x29, 0, 0, TWO).0, 0x3fb5_04f3);
    // FMOVs, FNEGs, FABSs copy bits (a signalling NaN stays one) and clear cexc.
    assert_eq!(single(0x01, 0x1f, 0, 0x7f80_0001), (0x7f80_0001, 0, vec![0x80]));
    assert_eq!(single(0x05, 0, 0, 0x7f80_0001).0, 0xff80_0001);
    assert_eq!(single(0x09, 0, 0, 0xff80_0001).0, 0x7f80_0001);
}

#[test]
fn double_arithmetic() {
    assert_eq!(double(0x42, 0, D_ONE, D_ONE).0, 0x4000_0000_0000_0000);
    assert_eq!(double(0x46, 0, D_ONE, D_ONE).0, 0);
    assert_eq!(double(0x4a, 0, 0x4008_0000_0000_0000, 0x4008_0000_0000_0000).0, 0x4022_0000_0000_0000);
    assert_eq!(double(0x4e, 0, D_ONE, 0x4008_0000_0000_0000), (0x3fd5_5555_5555_5555, 0x21, vec![0x80]));
    assert_eq!(double(0x2a, 0, 0, 0x4000_0000_0000_0000).0, 0x3ff6_a09e_667f_3bcd);
    // An odd register number names the even pair (QEMU's DFPREG).
    let mut c = cpu(&[fpop1(0x42, 9, 5, 7), HALT], 0, &[]);
    c.s.set_fd(4, D_ONE);
    c.s.set_fd(6, D_ONE);
    c.run(true, 10);
    assert_eq!(c.s.fd(8), 0x4000_0000_0000_0000);
}

#[test]
fn fsmuld_is_exact() {
    // 1.1f * 3.3f in double.
    let mut c = cpu(&[fpop1(0x69, 8, 1, 2), HALT], 0, &[(1, 0x3f8c_cccd), (2, 0x4053_3333)]);
    c.run(true, 10);
    assert_eq!((c.s.fd(8), c.s.fsr), (0x400d_0a3d_7428_f5c0, 0));
}

#[test]
fn invalid_operations_give_the_default_nan() {
    // 0/0, inf-inf, sqrt(-1): 0x7fffffff with nv (bit 4) and aexc nv (bit 9).
    assert_eq!(single(0x4d, 0, 0, 0), (0x7fff_ffff, 0x210, vec![0x80]));
    assert_eq!(single(0x45, 0, 0x7f80_0000, 0x7f80_0000).0, 0x7fff_ffff);
    assert_eq!(single(0x29, 0, 0, 0xbf80_0000).0, 0x7fff_ffff);
    assert_eq!(double(0x4a, 0, 0, 0x7ff0_0000_0000_0000).0, 0x7fff_ffff_ffff_ffff);
    // Division by zero: dz (bit 1).
    assert_eq!(single(0x4d, 0, ONE, 0), (0x7f80_0000, 0x42, vec![0x80]));
}

#[test]
fn nan_operand_selection() {
    // (a, b, result, FSR) from FADDs on QEMU's LEON3.
    let cases = [
        (ONE, 0x7f80_0001, 0x7fc0_0001, 0x210),         // one SNaN: quietened
        (0x7fc0_0000, 0x7f80_0001, 0x7fc0_0000, 0x210), // QNaN beats SNaN, nv all the same
        (0x7f80_0001, 0x7fc1_2345, 0x7fc1_2345, 0x210),
        (0x7fc0_0000, 0x7fc1_2345, 0x7fc1_2345, 0), // two QNaNs: larger fraction
        (0x7fc1_2345, 0xffc0_0001, 0x7fc1_2345, 0),
        (0xffc0_0001, 0x7fc0_0001, 0x7fc0_0001, 0), // equal fractions: the positive one
        (0x7fc0_0001, 0xffc0_0001, 0x7fc0_0001, 0),
        (0x7f80_0001, 0xff81_2345, 0xffc1_2345, 0x210), // two SNaNs: larger fraction
        (0xffc1_2345, ONE, 0xffc1_2345, 0),
    ];
    for (a, b, r, fsr) in cases {
        assert_eq!(single(0x41, 0, a, b), (r, fsr, vec![0x80]), "{a:#x} + {b:#x}");
    }
    // FsMULd widens both operands first: two quiet NaNs, the larger payload.
    let mut c = cpu(&[fpop1(0x69, 8, 1, 2), HALT], 0, &[(1, 0x7f80_0001), (2, 0x7fc0_0002)]);
    c.run(true, 10);
    assert_eq!((c.s.fd(8), c.s.fsr), (0x7ff8_0000_4000_0000, 0x210));
}

#[test]
fn rounding_directions() {
    // 1/3 and -1/3 under RD = nearest, zero, +inf, -inf (FSR bits 31:30).
    let expect = [(0x3eaa_aaab, 0xbeaa_aaab), (0x3eaa_aaaa, 0xbeaa_aaaa), (0x3eaa_aaab, 0xbeaa_aaaa), (0x3eaa_aaaa, 0xbeaa_aaab)];
    for (rd, (pos, neg)) in expect.into_iter().enumerate() {
        let fsr = (rd as u32) << 30;
        assert_eq!(single(0x4d, fsr, ONE, 0x4040_0000).0, pos, "RD {rd}");
        assert_eq!(single(0x4d, fsr, 0xbf80_0000, 0x4040_0000).0, neg, "RD {rd}");
    }
    // Overflow: infinity or the largest finite number, of nx (0x09).
    assert_eq!(single(0x49, 0, 0x7f00_0000, 0x7f00_0000), (0x7f80_0000, 0x129, vec![0x80]));
    assert_eq!(single(0x49, 1 << 30, 0x7f00_0000, 0x7f00_0000).0, 0x7f7f_ffff);
}

#[test]
fn tininess_is_detected_after_rounding() {
    // FdTOs of 2^-126 * (1 - 2^-25) rounds to the smallest normal: nx only.
    let fdtos = |fsr, a: u64| {
        let mut c = cpu(&[fpop1(0xc6, 3, 0, 4), HALT], fsr, &[]);
        c.s.set_fd(4, a);
        c.run(true, 10);
        (c.s.f[3], c.s.fsr)
    };
    assert_eq!(fdtos(0, 0x380f_ffff_f000_0000), (0x0080_0000, 0x21));
    // Toward zero it stays denormal: uf and nx.
    assert_eq!(fdtos(1 << 30, 0x380f_ffff_f000_0000), (0x007f_ffff, 0x4000_00a5));
    // Tiny even with an unbounded exponent, though it rounds up to the smallest normal.
    assert_eq!(double(0x4a, 0, 0x001f_ffff_ffff_ffff, 0x3fe0_0000_0000_0000), (0x0010_0000_0000_0000, 0xa5, vec![0x80]));
}

#[test]
fn conversions() {
    // FiTOs rounds per RD; FsTOi and FdTOi always toward zero.
    assert_eq!(single(0xc4, 0, 0, 0x7fff_ffff), (0x4f00_0000, 0x21, vec![0x80]));
    assert_eq!(single(0xc4, 1 << 30, 0, 0x7fff_ffff).0, 0x4eff_ffff);
    assert_eq!(single(0xd1, 2 << 30, 0, 0x3fc0_0000), (1, 0x8000_0021, vec![0x80]));
    assert_eq!(single(0xd1, 0, 0, 0xc020_0000).0, 0xffff_fffe);
    // NaNs of either sign give the largest integer, overflow saturates; nv.
    assert_eq!(single(0xd1, 0, 0, 0xffc0_0000), (0x7fff_ffff, 0x210, vec![0x80]));
    assert_eq!(single(0xd1, 0, 0, 0xcf00_0001), (0x8000_0000, 0x210, vec![0x80]));
    assert_eq!(single(0xd1, 0, 0, 0xcf00_0000), (0x8000_0000, 0, vec![0x80]));
    let mut c = cpu(&[fpop1(0xd2, 3, 0, 4), fpop1(0xc8, 6, 0, 3), HALT], 0, &[]);
    c.s.set_fd(4, 0x41e0_0000_0000_0000);
    c.run(true, 10);
    // FiTOd clears the cexc of FdTOi (every FPop does); aexc keeps nv.
    assert_eq!((c.s.f[3], c.s.fd(6), c.s.fsr), (0x7fff_ffff, 0x41df_ffff_ffc0_0000, 0x200));
    // FdTOs keeps the top of a NaN's payload, quietened.
    let mut c = cpu(&[fpop1(0xc6, 3, 0, 4), HALT], 0, &[]);
    c.s.set_fd(4, 0xfff0_0001_2345_6789);
    c.run(true, 10);
    assert_eq!((c.s.f[3], c.s.fsr), (0xffc0_0009, 0x210));
}

#[test]
fn fstod_defers_its_invalid_operation_to_the_next_checked_fpop() {
    // FsTOd of an SNaN: quiet result, no exception; the FADDs after it
    // (1 + 1, exact) reports nv; FiTOd in between does not look.
    let code = [fpop1(0xc9, 4, 0, 1), fpop1(0xc8, 6, 0, 2), fpop1(0x41, 3, 2, 2), HALT];
    let mut c = cpu(&code, 0, &[(1, 0xff81_2345), (2, ONE)]);
    c.run(true, 10);
    assert_eq!((c.s.fd(4), c.s.f[3], c.s.fsr, c.s.fp_deferred), (0xfff8_2468_a000_0000, TWO, 0x210, 0));
    // With TEM.nv the checked FPop traps.
    let mut c = cpu(&code, 0x0800_0000, &[(1, 0xff81_2345), (2, ONE)]);
    c.run(true, 10);
    assert_eq!((c.traps.as_slice(), c.s.pc, c.s.fsr), (&[8][..], CODE + 8, 0x0800_4010));
}

#[test]
fn compare_sets_fcc() {
    let fcmp = |opf, fsr, a, b| {
        let mut c = cpu(&[fpop2(opf, 1, 2), HALT], fsr, &[(1, a), (2, b)]);
        c.run(true, 10);
        c.s.fsr
    };
    assert_eq!(fcmp(0x51, 0xc00, 0, 0x8000_0000), 0); // +0 = -0
    assert_eq!(fcmp(0x51, 0, 0, ONE), 0x400);
    assert_eq!(fcmp(0x51, 0, ONE, 0), 0x800);
    // Unordered: FCMPs is quiet on a QNaN, FCMPEs and an SNaN signal nv.
    assert_eq!(fcmp(0x51, 0, 0x7fc0_0000, 0), 0xc00);
    assert_eq!(fcmp(0x55, 0, 0x7fc0_0000, 0), 0xe10);
    assert_eq!(fcmp(0x51, 0, 0x7f80_0001, 0), 0xe10);
    let mut c = cpu(&[fpop2(0x56, 4, 6), HALT], 0, &[]);
    c.s.set_fd(4, D_ONE);
    c.s.set_fd(6, 0x4000_0000_0000_0000);
    c.run(true, 10);
    assert_eq!(c.s.fsr, 0x400);
}

#[test]
fn fbfcc_all_conditions() {
    // Per fcc (=, <, >, unordered), the conditions that branch and those
    // whose annulled delay slot does not run, as on QEMU.
    let expect = [(0xff00, 0x01ff), (0xe11e, 0x1fe1), (0x9966, 0x6799), (0x55aa, 0xab55)];
    for (fcc, (taken_set, annulled_set)) in expect.into_iter().enumerate() {
        let (mut taken, mut annulled) = (0u32, 0u32);
        for cond in 0..16 {
            for a in [false, true] {
                // fbX +3 ; add %g1,1 (delay) ; ta 0 ; add %g1,0x10 ; ta 0
                let code = [fb(cond, a, 3), 0x8200_6001, HALT, 0x8200_6010, HALT];
                let mut c = cpu(&code, (fcc as u32) << 10, &[]);
                c.run(true, 10);
                if !a && c.s.g[1] & 0x10 != 0 {
                    taken |= 1 << cond;
                }
                if a && c.s.g[1] & 1 == 0 {
                    annulled |= 1 << cond;
                }
            }
        }
        assert_eq!((taken, annulled), (taken_set, annulled_set), "fcc {fcc}");
    }
}

#[test]
fn loads_and_stores() {
    // LDF, LDDF (word alignment suffices), STF, STDF, LDFSR, STFSR.
    let code = [fmem(0x20, 1, 0), fmem(0x23, 4, 4), fmem(0x24, 1, 16), fmem(0x27, 4, 20), fmem(0x21, 0, 28), fmem(0x25, 0, 32), HALT];
    let mut c = cpu(&code, 3 << 14, &[]);
    for (k, w) in [0x1111_1111u32, 0x2222_2222, 0x3333_3333, 0, 0, 0, 0, 0xffff_ffff].iter().enumerate() {
        c.mem.0[DATA as usize + 4 * k..][..4].copy_from_slice(&w.to_be_bytes());
    }
    c.run(true, 10);
    assert_eq!((c.s.f[1], c.s.f[4], c.s.f[5]), (0x1111_1111, 0x2222_2222, 0x3333_3333));
    let words: Vec<u32> = (4..9).map(|k| c.mem.word(DATA + 4 * k)).collect();
    // LDFSR writes RD, TEM, NS, fcc, aexc, cexc and keeps ftt (3 here).
    assert_eq!(words, [0x1111_1111, 0x2222_2222, 0x3333_3333, 0xffff_ffff, 0xcfc0_cfff]);
    // A misaligned LDF is mem_address_not_aligned.
    let mut c = cpu(&[fmem(0x20, 1, 2), HALT], 0, &[]);
    c.run(true, 10);
    assert_eq!(c.traps, [7]);
}

#[test]
fn fp_disabled_when_ef_is_clear() {
    for insn in [fpop1(0x41, 3, 1, 2), fb(9, false, 2), fmem(0x20, 1, 0), fmem(0x25, 0, 0), fpop1(0x1ff, 0, 0, 0)] {
        let mut c = cpu(&[insn, NOP, HALT], 0x1f, &[]);
        c.s.ef = 0;
        c.run(true, 10);
        assert_eq!((c.traps.as_slice(), c.s.pc, c.s.fsr), (&[4][..], CODE, 0x1f), "{insn:#010x}");
    }
}

#[test]
fn ieee_traps_per_tem() {
    // TEM.dz: the FPop traps at itself; cexc = dz, ftt = IEEE_754_exception,
    // aexc unchanged, the single destination unwritten.
    let (r, fsr, traps) = single(0x4d, 0x0100_03e0, ONE, 0);
    assert_eq!((r, fsr, traps), (0xdead_beef, 0x0100_43e2, vec![8]));
    // Overflow enabled: cexc holds of and nx; a double destination is
    // written all the same.
    let (r, fsr, traps) = double(0x4a, 0x0400_0000, 0x7fe0_0000_0000_0000, 0x4010_0000_0000_0000);
    assert_eq!((r, fsr, traps), (0x7ff0_0000_0000_0000, 0x0400_4009, vec![8]));
    // An exact tiny result raises no underflow, even with TEM.uf.
    assert_eq!(single(0x49, 0x0200_0000, 0x0080_0000, 0x3f00_0000), (0x0040_0000, 0x0200_0000, vec![0x80]));
    assert_eq!(single(0x49, 0x0200_0000, 0x0080_0001, 0x3f00_0000).1, 0x0200_4005);
    // An enabled exception in FCMPEs leaves fcc alone.
    let mut c = cpu(&[fpop2(0x55, 1, 2), HALT], 0x0800_0800, &[(1, 0x7fc0_0000)]);
    c.run(true, 10);
    assert_eq!((c.traps.as_slice(), c.s.fsr), (&[8][..], 0x0800_4810));
    // Disabled exceptions only accrue.
    assert_eq!(single(0x4d, 0x0080_0000, ONE, 0).1, 0x0080_0042);
}

#[test]
fn unimplemented_and_illegal_fpops() {
    // FADDq: unimplemented_FPop (ftt 3), cexc cleared.
    assert_eq!(single(0x43, 0x1f, 0, 0), (0xdead_beef, 0xc000, vec![8]));
    // FMOVd (V9) and undefined opf values: illegal_instruction, cexc and ftt cleared.
    assert_eq!(single(0x02, 0x0000_401f, 0, 0), (0xdead_beef, 0, vec![2]));
    let mut c = cpu(&[fpop2(0x1ff, 0, 0), HALT], 0x1f, &[]);
    c.run(true, 10);
    assert_eq!((c.traps.as_slice(), c.s.fsr), (&[2][..], 0));
    // STDFQ: sequence_error (ftt 4), cexc kept; privileged in user mode.
    let mut c = cpu(&[fmem(0x26, 0, 0), HALT], 0x1f, &[]);
    c.run(true, 10);
    assert_eq!((c.traps.as_slice(), c.s.fsr), (&[8][..], 0x0001_001f));
    let mut c = cpu(&[fmem(0x26, 0, 0), HALT], 0x1f, &[]);
    c.s.s = 0;
    c.run(true, 10);
    assert_eq!(c.traps, [3]);
    // LDQF (V9): unimplemented_FPop.
    let mut c = cpu(&[fmem(0x22, 0, 0), HALT], 0x1f, &[]);
    c.run(true, 10);
    assert_eq!((c.traps.as_slice(), c.s.fsr), (&[8][..], 0x0000_c01f));
}

#[test]
fn tem_is_a_block_flag() {
    // With TEM = 0 FPops cannot trap: no trap checks; LDFSR ends the block.
    let code = [fpop1(0x41, 3, 1, 2), fpop1(0x41, 3, 1, 2), fmem(0x21, 0, 0), fpop1(0x41, 3, 1, 2), HALT];
    let mut c = cpu(&code, 0, &[]);
    let traps = |b: &chimera_ir::Block| b.insts.iter().filter(|i| matches!(i, chimera_ir::Inst::TrapIf(..))).count();
    let block = translate_block(c.s.tb_flags(), CODE, &mut c.mem, 64);
    verify(&block, STATE_SIZE).unwrap();
    assert_eq!((block.guest_insns, traps(&block)), (3, 0));
    // With TEM set every FPop may trap: each is followed by a check that
    // leaves the block, which otherwise runs on.
    c.s.fsr = 0x0100_0000;
    assert_ne!(c.s.tb_flags() & TB_TEM, 0);
    let block = translate_block(c.s.tb_flags(), CODE, &mut c.mem, 64);
    verify(&block, STATE_SIZE).unwrap();
    assert_eq!((block.guest_insns, traps(&block)), (3, 2));
}
