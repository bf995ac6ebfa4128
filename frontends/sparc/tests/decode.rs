//! The decoder against the SPARC V8 manual: which visitor method each opcode
//! reaches (appendix F, "Opcodes and Condition Codes"), the fields the
//! translator reads from a word (the instruction formats of chapter 5 and the
//! instruction definitions of appendix B), and what those fields do to a
//! guest when run through both tiers.
//!
//! Mutation testing of `src/decode.rs` (docs/testing.md) found that no test
//! looked at rs2, asi, imm22 or disp30, nor at a simm13 or disp22 wide
//! enough to tell bit 12 (or 21) from bit 11 (or 20) as the sign: the tests
//! below each fail with one of those mutants.

mod common;

use chimera_ir::{verify, BlockExit};
use chimera_sparc::decode::{self, Insn, Visitor};
use chimera_sparc::{translate_block, STATE_SIZE};
use common::{Cpu, CODE, DATA};

const NOP: u32 = 0x0100_0000;
/// `ta 0`: the end of every test program.
const HALT: u32 = 0x91d0_2000;

/// Answers the name of the visitor method a word reaches.
struct Method;

impl Visitor for Method {
    type Output = &'static str;
    fn illegal(&mut self, _: Insn) -> &'static str {
        "illegal"
    }
    fn unimp(&mut self, _: Insn) -> &'static str {
        "unimp"
    }
    fn bicc(&mut self, _: Insn) -> &'static str {
        "bicc"
    }
    fn sethi(&mut self, _: Insn) -> &'static str {
        "sethi"
    }
    fn call(&mut self, _: Insn) -> &'static str {
        "call"
    }
    fn arith(&mut self, _: Insn) -> &'static str {
        "arith"
    }
    fn divide(&mut self, _: Insn) -> &'static str {
        "divide"
    }
    fn shift(&mut self, _: Insn) -> &'static str {
        "shift"
    }
    fn read_state(&mut self, _: Insn) -> &'static str {
        "read_state"
    }
    fn write_state(&mut self, _: Insn) -> &'static str {
        "write_state"
    }
    fn jmpl(&mut self, _: Insn) -> &'static str {
        "jmpl"
    }
    fn rett(&mut self, _: Insn) -> &'static str {
        "rett"
    }
    fn ticc(&mut self, _: Insn) -> &'static str {
        "ticc"
    }
    fn flush(&mut self, _: Insn) -> &'static str {
        "flush"
    }
    fn save_restore(&mut self, _: Insn) -> &'static str {
        "save_restore"
    }
    fn mem(&mut self, _: Insn) -> &'static str {
        "mem"
    }
    fn coproc(&mut self, _: Insn) -> &'static str {
        "coproc"
    }
}

fn method(insn: u32) -> &'static str {
    decode::visit(&mut Method, insn)
}

/// A format 3 word: op, rd, op3, rs1, i, and the low 13 bits.
fn f3(op: u32, rd: u32, op3: u32, rs1: u32, i: bool, low: u32) -> u32 {
    op << 30 | rd << 25 | op3 << 19 | rs1 << 14 | u32::from(i) << 13 | (low & 0x1fff)
}

#[test]
fn every_op2_and_op3_reaches_its_class() {
    // Format 2 by op2 (appendix F, op = 0): UNIMP, -, Bicc, -, SETHI, -,
    // FBfcc, CBccc. op2 = 1, 3 and 5 are V9's BPcc, BPr and FBPfcc.
    let op2 = ["unimp", "illegal", "bicc", "illegal", "sethi", "illegal", "coproc", "coproc"];
    for (n, want) in op2.iter().enumerate() {
        for rest in [0, 0x3f_ffff, 0x2a_5a5a] {
            let insn = 0x2a00_0000 | (n as u32) << 22 | rest;
            assert_eq!(method(insn), *want, "{insn:#010x}");
        }
    }
    // Format 1: CALL whatever disp30 holds.
    for insn in [0x4000_0000, 0x7fff_ffff, 0x5555_5555] {
        assert_eq!(method(insn), "call", "{insn:#010x}");
    }
    // op = 2 by op3 (appendix F). The unused op3 values are V9's (MULX,
    // UDIVX, MOVcc, SDIVX, POPC, MOVr, DONE/RETRY...) or unassigned.
    use std::iter::repeat_n;
    let op2_op3: Vec<&str> = [
        (9, "arith"), // ADD AND OR XOR SUB ANDN ORN XNOR ADDX
        (1, "illegal"),
        (3, "arith"), // UMUL SMUL SUBX
        (1, "illegal"),
        (2, "divide"), // UDIV SDIV
        (9, "arith"),  // the cc forms of the first nine
        (1, "illegal"),
        (3, "arith"), // UMULcc SMULcc SUBXcc
        (1, "illegal"),
        (2, "divide"), // UDIVcc SDIVcc
        (5, "arith"),  // TADDcc TSUBcc TADDccTV TSUBccTV MULScc
        (3, "shift"),  // SLL SRL SRA
        (4, "read_state"),
        (4, "illegal"),
        (4, "write_state"),
        (4, "coproc"), // FPop1 FPop2 CPop1 CPop2
        (1, "jmpl"),
        (1, "rett"),
        (1, "ticc"),
        (1, "flush"),
        (2, "save_restore"),
        (2, "illegal"),
    ]
    .iter()
    .flat_map(|&(n, m)| repeat_n(m, n))
    .collect();
    // op = 3 by op3 (appendix F). 0x22 is V9's LDQF, which QEMU's LEON3 takes
    // to the FPU as an unimplemented quad operation: so does the table.
    let op3_op3: Vec<&str> = [
        (8, "mem"), // LD LDUB LDUH LDD ST STB STH STD
        (1, "illegal"),
        (2, "mem"), // LDSB LDSH
        (2, "illegal"),
        (1, "mem"), // LDSTUB
        (1, "illegal"),
        (1, "mem"), // SWAP
        (8, "mem"), // the alternate-space forms of the first eight
        (1, "illegal"),
        (2, "mem"),
        (2, "illegal"),
        (1, "mem"),
        (1, "illegal"),
        (1, "mem"),
        (8, "coproc"), // LDF LDFSR (LDQF) LDDF STF STFSR STDFQ STDF
        (8, "illegal"),
        (2, "coproc"), // LDC LDCSR
        (1, "illegal"),
        (5, "coproc"), // LDDC STC STCSR STDCQ STDC
        (8, "illegal"),
    ]
    .iter()
    .flat_map(|&(n, m)| repeat_n(m, n))
    .collect();
    assert_eq!((op2_op3.len(), op3_op3.len()), (64, 64));
    for (op, table) in [(2, &op2_op3), (3, &op3_op3)] {
        for (op3, want) in table.iter().enumerate() {
            for (rd, rs1, i, low) in [(1, 2, true, 0x123), (0, 0, false, 0), (31, 31, true, 0x1fff), (8, 15, false, 0x0a5)] {
                let insn = f3(op, rd, op3 as u32, rs1, i, low);
                assert_eq!(method(insn), *want, "op {op} op3 {op3:#04x}: {insn:#010x}");
            }
        }
    }
}

#[test]
fn format_3_register_fields() {
    // add %g1, %g5, %g2: rs2 is bits [4:0] when i = 0 (chapter 5, format 3).
    let i = Insn(0x8400_4005);
    assert_eq!((i.op(), i.rd(), i.op3(), i.rs1(), i.i(), i.rs2()), (2, 2, 0x00, 1, false, 5));
    // or %g0, %i7, %o0 (mov %i7, %o0).
    let i = Insn(0x9010_001f);
    assert_eq!((i.rd(), i.op3(), i.rs1(), i.i(), i.rs2()), (8, 0x02, 0, false, 31));
    // add %g0, 2, %g1: the low bits of simm13 are not a register.
    assert_eq!(Insn(0x8200_2002).simm13(), 2);
}

#[test]
fn asi_is_bits_12_to_5() {
    // Appendix B, load and store integer instructions: the alternate-space
    // forms take their ASI from bits [12:5] (with i = 0).
    for (insn, asi, rs2) in [
        (0xc280_8160u32, 0x0b, 0), // lda [%g2] 0x0b, %g1
        (0xc680_8380, 0x1c, 0),    // lda [%g2] 0x1c, %g3
        (0xc8a0_8165, 0x0b, 5),    // sta %g4, [%g2 + %g5] 0x0b
        (0xc280_9fe0, 0xff, 0),    // lda [%g2] 0xff, %g1
    ] {
        let i = Insn(insn);
        assert_eq!((method(insn), i.i(), i.asi(), i.rs2()), ("mem", false, asi, rs2), "{insn:#010x}");
    }
}

#[test]
fn simm13_is_signed_from_bit_12() {
    // simm13 is bits [12:0] sign-extended: -4096..=4095. Bit 11 is a value
    // bit, not the sign.
    for (low, want) in [(1, 1), (0x7ff, 2047), (0x800, 2048), (0xfff, 4095), (0x1000, -4096), (0x1800, -2048), (0x1fff, -1)] {
        let i = Insn(f3(2, 1, 0, 0, true, low));
        assert_eq!(i.simm13(), want, "{low:#x}");
    }
}

#[test]
fn disp22_is_signed_from_bit_21() {
    // Bicc (appendix B): disp22 is a signed word displacement, bits [21:0].
    for (disp, want) in [(1, 1), (0x0f_ffff, 0x0f_ffff), (0x10_0000, 0x10_0000), (0x1f_ffff, 0x1f_ffff), (0x20_0000, -0x20_0000), (0x30_0000, -0x10_0000), (0x3f_ffff, -1)] {
        let insn = 0x1080_0000 | disp; // ba
        assert_eq!((method(insn), Insn(insn).cond(), Insn(insn).disp22()), ("bicc", 8, want), "{insn:#010x}");
    }
}

#[test]
fn imm22_and_disp30_are_whole_fields() {
    // SETHI (appendix B): imm22, bits [21:0].
    for (insn, rd, imm22) in [(0x0304_8d15u32, 1, 0x4_8d15), (0x053f_ffff, 2, 0x3f_ffff), (0x0100_0000, 0, 0)] {
        assert_eq!((method(insn), Insn(insn).rd(), Insn(insn).imm22()), ("sethi", rd, imm22), "{insn:#010x}");
    }
    // CALL (appendix B): disp30, bits [29:0].
    for (insn, disp30) in [(0x4000_0003u32, 3), (0x7fff_ffff, 0x3fff_ffff), (0x6000_0000, 0x2000_0000)] {
        assert_eq!((method(insn), Insn(insn).disp30()), ("call", disp30), "{insn:#010x}");
    }
}

// What the guest sees of those fields, through both tiers.

#[test]
fn register_second_operand_reads_rs2() {
    // add %g1, %g5, %g2 ; mov %i7, %o0 ; ta 0
    let code = [0x8400_4005, 0x9010_001f, HALT];
    let mut c = Cpu::new(&code);
    c.s.g[1] = 0x12;
    c.s.g[5] = 0x30;
    c.s.set_reg(31, 0xdead_beef);
    c.run(true, 10);
    assert_eq!(c.traps, [0x80]);
    assert_eq!((c.s.g[2], c.s.reg(8)), (0x42, 0xdead_beef));
}

#[test]
fn wide_immediates_keep_their_value() {
    // add %g0, 2048, %g1 ; add %g0, -4096, %g2 ; or %g0, 4095, %g3 ;
    // add %g0, -2048, %g4 ; ta 0
    let code = [0x8200_2800, 0x8400_3000, 0x8610_2fff, 0x8800_3800, HALT];
    let mut c = Cpu::new(&code);
    c.run(true, 10);
    assert_eq!(c.traps, [0x80]);
    assert_eq!(c.s.g[1..5], [2048, -4096i32 as u32, 4095, -2048i32 as u32]);
}

#[test]
fn sethi_sets_the_top_22_bits() {
    // sethi %hi(0x12345400), %g1 ; sethi 0x3fffff, %g2 ; ta 0
    let code = [0x0304_8d15, 0x053f_ffff, HALT];
    let mut c = Cpu::new(&code);
    c.s.g[1] = 0x3ff;
    c.run(true, 10);
    assert_eq!(c.traps, [0x80]);
    assert_eq!((c.s.g[1], c.s.g[2]), (0x1234_5400, 0xffff_fc00));
}

#[test]
fn call_goes_disp30_words_ahead_and_links() {
    // call .+12 ; nop (delay slot) ; add %g1, 1, %g1 (skipped) ; ta 0
    let code = [0x4000_0003, NOP, 0x8200_6001, HALT];
    let mut c = Cpu::new(&code);
    c.run(true, 10);
    assert_eq!(c.traps, [0x80]);
    assert_eq!((c.s.g[1], c.s.reg(15), c.s.pc), (0, CODE as u32, CODE + 12));
}

/// Run the one block at PC and return where it left PC and nPC.
fn one_block(code: &[u32]) -> (u64, u64) {
    let mut c = Cpu::new(code);
    let block = translate_block(c.s.tb_flags(), c.s.pc, &mut c.mem, 64);
    verify(&block, STATE_SIZE).unwrap_or_else(|e| panic!("{e}\n{block}"));
    let exit = common::run_both_tiers(&block, &mut c.s, &mut c.mem);
    assert!(matches!(exit, BlockExit::Next), "{exit:?}");
    (c.s.pc, c.s.npc)
}

#[test]
fn far_branches_and_calls_reach_their_targets() {
    // The targets are outside the test's memory: only PC is looked at, after
    // the block of the branch and its delay slot. Addresses wrap at 2^32.
    let wrap = |d: i64| (CODE as i64 + 4 * d) as u64 & 0xffff_ffff;
    for (insn, words) in [
        (0x1090_0000u32, 0x10_0000i64), // ba .+4M: disp22 bit 20 is a value bit
        (0x10a0_0000, -0x20_0000),      // ba .-8M: bit 21 is the sign
        (0x108f_ffff, 0x0f_ffff),
        (0x7fff_0000, 0x3fff_0000),     // call: disp30 wraps around the space
        (0x4010_0000, 0x10_0000),
    ] {
        let (pc, npc) = one_block(&[insn, NOP]);
        assert_eq!((pc, npc), (wrap(words), wrap(words) + 4), "{insn:#010x}");
    }
}

#[test]
fn alternate_space_memory_accesses() {
    // Supervisor. %g2 = DATA, %g5 = 4, %g4 = 0x5566_7788.
    // lda [%g2] 0x0b, %g1 (supervisor data) ; lda [%g2] 0x1c, %g3 (LEON MMU
    // bypass) ; sta %g4, [%g2 + %g5] 0x0b ; ta 0
    let code = [0xc280_8160, 0xc680_8380, 0xc8a0_8165, HALT];
    let mut c = Cpu::new(&code);
    c.s.g[2] = DATA as u32;
    c.s.g[4] = 0x5566_7788;
    c.s.g[5] = 4;
    c.mem.0[DATA as usize..][..4].copy_from_slice(&0x1122_3344u32.to_be_bytes());
    c.run(true, 10);
    assert_eq!(c.traps, [0x80]);
    assert_eq!((c.s.g[1], c.s.g[3], c.mem.word(DATA + 4)), (0x1122_3344, 0x1122_3344, 0x5566_7788));
}
