//! Instruction semantics through both tiers (interpreter and compiled): delay slots and
//! annulment, register windows and their traps, run-time traps, icc.

mod common;

use common::{Cpu, CODE, DATA};

const NOP: u32 = 0x0100_0000;
/// `ta 0`: the end of every test program.
const HALT: u32 = 0x91d0_2000;

/// `add %g1, imm, %g1`.
fn inc_g1(imm: u32) -> u32 {
    0x8200_6000 | imm
}

#[test]
fn branch_delay_slot_runs_and_ba_a_annuls() {
    // ba +3 ; add %g1,1 (delay, runs) ; add %g1,0x10 (skipped) ; ba,a +2 ; add %g1,0x100 (annulled) ; nop
    let code = [0x1080_0003, inc_g1(1), inc_g1(0x10), 0x3080_0002, inc_g1(0x100), HALT];
    let mut c = Cpu::new(&code);
    c.run(false, 10);
    assert_eq!((c.traps.as_slice(), c.s.pc), (&[0x80][..], CODE + 20));
    assert_eq!(c.s.g[1], 1);
}

#[test]
fn conditional_annul_only_when_not_taken() {
    // subcc %g0, 1, %g0 (Z=0) ; be,a +3 (not taken: annul) ; add %g1,1 ; add %g1,0x10 ; bne,a +2 (taken) ; add %g1,0x100 ; ta 0
    let code = [0x80a0_2001, 0x2280_0003, inc_g1(1), inc_g1(0x10), 0x3280_0002, inc_g1(0x100), HALT];
    let mut c = Cpu::new(&code);
    c.run(false, 10);
    assert_eq!(c.s.g[1], 0x110);
}

#[test]
fn save_passes_outs_as_ins_and_overflows_on_wim() {
    // mov 7, %o0 ; save %sp, -96, %sp ; add %i0, 1, %l0 ; ta 0
    let code = [0x9010_2007, 0x9de3_bfa0, 0xa006_2001, HALT];
    let mut c = Cpu::new(&code);
    c.s.set_reg(14, 0x9000);
    c.run(true, 10);
    assert_eq!(c.traps, [0x80]);
    assert_eq!((c.s.cwp, c.s.reg(16), c.s.reg(14), c.s.reg(30)), (7, 8, 0x9000 - 96, 0x9000));
    // With window 7 invalid the SAVE traps and changes nothing.
    let mut c = Cpu::new(&code);
    c.s.wim = 1 << 7;
    c.run(true, 10);
    assert_eq!(c.traps, [5]);
    assert_eq!((c.s.cwp, c.s.pc, c.s.npc), (0, CODE + 4, CODE + 8));
}

#[test]
fn division_by_zero_is_precise() {
    // mov 5, %g2 ; udiv %g2, %g3, %g2 (g3 = 0) ; nop
    let code = [0x8410_2005, 0x8470_8003, HALT];
    let mut c = Cpu::new(&code);
    c.run(true, 10);
    assert_eq!(c.traps, [0x2a]);
    assert_eq!((c.s.pc, c.s.npc, c.s.g[2]), (CODE + 4, CODE + 8, 5));
}

#[test]
fn subcc_sets_borrow() {
    // subcc %g0, 1, %g1 ; ta 0
    let code = [0x82a0_2001, HALT];
    let mut c = Cpu::new(&code);
    c.run(true, 10);
    assert_eq!((c.s.g[1], c.s.icc_n, c.s.icc_z, c.s.icc_v, c.s.icc_c), (u32::MAX, 1, 0, 0, 1));
}

#[test]
fn trap_in_delay_slot_records_the_branch_target_as_npc() {
    // ba +4 ; ld [%g2 + 2], %g1 with %g2 = DATA (misaligned, in the delay slot)
    let code = [0x1080_0004, 0xc200_a002, NOP, NOP, HALT];
    let mut c = Cpu::new(&code);
    c.s.g[2] = DATA as u32;
    c.run(true, 10);
    assert_eq!(c.traps, [7]);
    assert_eq!((c.s.pc, c.s.npc), (CODE + 4, CODE + 16));
}

#[test]
fn jmpl_rett_couple_returns_past_the_trap() {
    // `ta 1` whose handler skips it with `jmp %l1 + 4; rett %l1 + 8` (a DCTI
    // couple), then `ta 0`.
    let code = [0x91d0_2001, HALT];
    let mut c = Cpu::new(&code);
    // Handler for tt 0x81 at TBR + 0x810: add %g1, 1, %g1 ; jmp %l1 + 4 ; rett %l1 + 8.
    let handler = [inc_g1(1), 0x81c4_6004, 0x81cc_6008];
    for (i, w) in handler.iter().enumerate() {
        let a = (common::TRAPS + 0x810) as usize + 4 * i;
        c.mem.0[a..a + 4].copy_from_slice(&w.to_be_bytes());
    }
    c.run(false, 20);
    assert_eq!(c.traps, [0x81, 0x80]);
    assert_eq!((c.s.g[1], c.s.cwp, c.s.et, c.s.pc, c.s.npc), (1, 0, 1, CODE + 4, CODE + 8));
}

#[test]
fn misaligned_jmpl_traps_at_the_jmpl_and_writes_nothing() {
    // jmpl %g2, %o7 with %g2 = CODE + 10 (run-time target), then the same
    // with an immediate target: jmpl %g0 + 6, %o7.
    for (word, g2) in [(0x9fc0_8000u32, CODE as u32 + 10), (0x9fc0_2006, 0)] {
        let code = [word, NOP, HALT];
        let mut c = Cpu::new(&code);
        c.s.g[2] = g2;
        c.s.set_reg(15, 0x1234);
        c.run(true, 10);
        assert_eq!(c.traps, [7], "{word:#010x}");
        assert_eq!((c.s.pc, c.s.npc, c.s.reg(15)), (CODE, CODE + 4, 0x1234), "{word:#010x}");
    }
}
