//! The ARMv8.1 LSE atomics through translate -> verify -> both tiers
//! (interpreter and compiled, compared), on a CPU model with FEAT_LSE, and
//! their absence without it.
//!
//! Instruction words come from `aarch64-linux-gnu-as` with
//! `.arch_extension lse` (the assembly is in the comment next to each word).

mod common;

use chimera_aarch64::*;
use chimera_ir::{AccessKind, BlockExit, FaultCause};
use common::*;

/// A CPU with LSE running `code` with X2 = [`DATA`] holding `mem` (8 bytes).
fn lse(code: &[u32], mem: u64, setup: impl FnOnce(&mut A64State)) -> Cpu {
    let mut cpu = Cpu::new(code);
    cpu.s.features = FEATURE_LSE;
    cpu.s.x[2] = DATA;
    cpu.mem.write(DATA, 8, mem);
    cpu.mem.write(DATA + 8, 8, 0x5a5a_5a5a_5a5a_5a5a);
    setup(&mut cpu.s);
    cpu.run_ok();
    cpu
}

/// One LD\<op\>: X1 is the operand, X0 receives the old value.
fn ld_op(word: u32, mem: u64, s: u64) -> (u64, u64) {
    let c = lse(&[word], mem, |st| {
        st.x[0] = 0xdead_beef_dead_beef;
        st.x[1] = s;
    });
    assert_eq!(c.s.x[1], s, "{word:#x}: Rs is not written");
    assert_eq!(c.mem.read(DATA + 8, 8), 0x5a5a_5a5a_5a5a_5a5a, "{word:#x}: wrote past the access");
    (c.s.x[0], c.mem.read(DATA, 8))
}

#[test]
fn every_operation_64_bit() {
    let (m, s) = (0xf0f0_0000_ffff_0001u64, 0x0ff0_1234_0000_ffffu64);
    let cases: [(u32, u64); 9] = [
        (0xf821_0040 /* ldadd x1, x0, [x2] */, m.wrapping_add(s)),
        (0xf821_1040 /* ldclr x1, x0, [x2] */, m & !s),
        (0xf821_2040 /* ldeor x1, x0, [x2] */, m ^ s),
        (0xf821_3040 /* ldset x1, x0, [x2] */, m | s),
        (0xf821_4040 /* ldsmax x1, x0, [x2] */, s),
        (0xf821_5040 /* ldsmin x1, x0, [x2] */, m),
        (0xf821_6040 /* ldumax x1, x0, [x2] */, m),
        (0xf821_7040 /* ldumin x1, x0, [x2] */, s),
        (0xf821_8040 /* swp x1, x0, [x2] */, s),
    ];
    for (word, new) in cases {
        assert_eq!(ld_op(word, m, s), (m, new), "{word:#x}");
    }
}

#[test]
fn narrow_sizes_touch_only_their_bytes_and_zero_extend() {
    // ldaddalb: 0xff + 0x01 wraps within the byte; X0 gets 0xff, not -1.
    assert_eq!(ld_op(0x38e1_0040 /* ldaddalb w1, w0, [x2] */, 0x1122_3344_5566_77ff, 0x101), (0xff, 0x1122_3344_5566_7700));
    assert_eq!(ld_op(0x7821_0040 /* ldaddh w1, w0, [x2] */, 0x1122_3344_5566_ffff, 2), (0xffff, 0x1122_3344_5566_0001));
    assert_eq!(ld_op(0x78a1_8040 /* swpah w1, w0, [x2] */, 0x1122_3344_5566_8899, 0xffff_1234), (0x8899, 0x1122_3344_5566_1234));
    assert_eq!(ld_op(0xb821_7040 /* ldumin w1, w0, [x2] */, 0x1122_3344_8000_0000, 0xffff_ffff_0000_0005), (0x8000_0000, 0x1122_3344_0000_0005));
}

#[test]
fn signed_and_unsigned_min_max_at_the_boundaries() {
    let m = 0x7777_7777_7777_0000u64;
    // Signed halfword: 0x8000 (-32768) < 0x7fff.
    assert_eq!(ld_op(0x7821_4040 /* ldsmaxh w1, w0, [x2] */, m | 0x8000, 0x7fff), (0x8000, m | 0x7fff));
    // Signed byte: junk above bit 7 of Rs is ignored; 0x80 (-128) < 0x7f.
    assert_eq!(ld_op(0x3821_5040 /* ldsminb w1, w0, [x2] */, m | 0x7f, 0x1234_5680), (0x7f, m | 0x80));
    // Unsigned byte: 0x80 > 0x7f.
    assert_eq!(ld_op(0x3821_6040 /* ldumaxb w1, w0, [x2] */, m | 0x7f, 0xffff_ff80), (0x7f, m | 0x80));
    assert_eq!(ld_op(0x7821_7040 /* lduminh w1, w0, [x2] */, m | 0xffff, 0x8000), (0xffff, m | 0x8000));
    // Signed word: INT32_MIN < 1 whatever the top half of Rs holds.
    assert_eq!(ld_op(0xb821_4040 /* ldsmax w1, w0, [x2] */, 0x8000_0000, 0xffff_ffff_0000_0001), (0x8000_0000, 1));
    // Signed and unsigned doublewords disagree about INT64_MIN.
    let (min, max) = (i64::MIN as u64, i64::MAX as u64);
    assert_eq!(ld_op(0xf821_4040 /* ldsmax x1, x0, [x2] */, min, max), (min, max));
    assert_eq!(ld_op(0xf821_6040 /* ldumax x1, x0, [x2] */, min, max), (min, min));
    assert_eq!(ld_op(0xf821_5040 /* ldsmin x1, x0, [x2] */, u64::MAX, 0), (u64::MAX, u64::MAX));
    assert_eq!(ld_op(0xf821_7040 /* ldumin x1, x0, [x2] */, u64::MAX, 0), (u64::MAX, 0));
    // Equal operands: either is the result.
    assert_eq!(ld_op(0xf821_4040 /* ldsmax x1, x0, [x2] */, 5, 5), (5, 5));
}

#[test]
fn st_aliases_discard_the_old_value() {
    let c = lse(&[0xf821_005f /* stadd x1, [x2] */], 40, |s| s.x[1] = 2);
    assert_eq!(c.mem.read(DATA, 8), 42);
    // SP as the base register.
    let c = lse(&[0x7861_03ff /* staddlh w1, [sp] */], 0xffff_0010, |s| {
        s.sp = DATA;
        s.x[1] = 0x1_0001;
    });
    assert_eq!((c.mem.read(DATA, 8), c.s.sp), (0xffff_0011, DATA));
}

#[test]
fn cas_success_and_failure() {
    // Success: memory takes Rt, Rs receives the old value.
    let c = lse(&[0xc8a1_7c40 /* cas x1, x0, [x2] */], 7, |s| {
        s.x[0] = 99;
        s.x[1] = 7;
    });
    assert_eq!((c.mem.read(DATA, 8), c.s.x[1], c.s.x[0]), (99, 7, 99));
    // Failure: memory keeps its value, Rs receives it.
    let c = lse(&[0x88e1_fc40 /* casal w1, w0, [x2] */], 0x1111_2222_0000_0008, |s| {
        s.x[0] = 99;
        s.x[1] = 7;
    });
    assert_eq!((c.mem.read(DATA, 8), c.s.x[1]), (0x1111_2222_0000_0008, 8));
    // Bytes and halfwords compare only their own width; Rs is zero-extended.
    let c = lse(&[0x08a1_7c40 /* casb w1, w0, [x2] */], 0x1234_5690, |s| {
        s.x[0] = 0x5a;
        s.x[1] = 0xffff_ff90;
    });
    assert_eq!((c.mem.read(DATA, 8), c.s.x[1]), (0x1234_565a, 0x90));
    let c = lse(&[0x48a1_7c40 /* cash w1, w0, [x2] */], 0x1234_8000, |s| {
        s.x[0] = 0x5a;
        s.x[1] = 0x7fff;
    });
    assert_eq!((c.mem.read(DATA, 8), c.s.x[1]), (0x1234_8000, 0x8000));
}

#[test]
fn casp_success_and_failure() {
    let code = [0x4824_7c46 /* casp x4, x5, x6, x7, [x2] */];
    let setup = |lo: u64, hi: u64| {
        move |s: &mut A64State| {
            s.x[4] = lo;
            s.x[5] = hi;
            s.x[6] = 0x6666;
            s.x[7] = 0x7777;
        }
    };
    let mut cpu = Cpu::new(&code);
    cpu.s.features = FEATURE_LSE;
    cpu.s.x[2] = DATA;
    cpu.mem.write(DATA, 8, 1);
    cpu.mem.write(DATA + 8, 8, 2);
    setup(1, 2)(&mut cpu.s);
    cpu.run_ok();
    assert_eq!((cpu.mem.read(DATA, 8), cpu.mem.read(DATA + 8, 8), cpu.s.x[4], cpu.s.x[5]), (0x6666, 0x7777, 1, 2));
    // One half differs: nothing changes in memory.
    let mut cpu = Cpu::new(&code);
    cpu.s.features = FEATURE_LSE;
    cpu.s.x[2] = DATA;
    cpu.mem.write(DATA, 8, 1);
    cpu.mem.write(DATA + 8, 8, 3);
    setup(1, 2)(&mut cpu.s);
    cpu.run_ok();
    assert_eq!((cpu.mem.read(DATA, 8), cpu.mem.read(DATA + 8, 8), cpu.s.x[4], cpu.s.x[5]), (1, 3, 1, 3));
    // W pair: 32-bit halves, junk above them in Rs ignored, results zero-extended.
    let c = lse(&[0x0864_fc46 /* caspal w4, w5, w6, w7, [x2] */], 0x8000_0002_8000_0001, setup(0xffff_ffff_8000_0001, 0x1_8000_0002));
    assert_eq!((c.mem.read(DATA, 8), c.s.x[4], c.s.x[5]), (0x7777_0000_6666, 0x8000_0001, 0x8000_0002));
    // Rs = X30: the second register is XZR, compared as zero.
    let c = lse(&[0x483e_7c46 /* casp x30, xzr, x6, x7, [x2] */], 0x30, |s| {
        s.x[30] = 0x30;
        s.x[6] = 0x6666;
        s.x[7] = 0x7777;
    });
    assert_eq!((c.mem.read(DATA, 8), c.mem.read(DATA + 8, 8), c.s.x[30]), (0x30, 0x5a5a_5a5a_5a5a_5a5a, 0x30));
    let mut cpu = Cpu::new(&[0x483e_7c46 /* casp x30, xzr, x6, x7, [x2] */]);
    cpu.s.features = FEATURE_LSE;
    cpu.s.x[2] = DATA;
    cpu.s.x[30] = 0x30;
    cpu.s.x[6] = 0x6666;
    cpu.s.x[7] = 0x7777;
    cpu.mem.write(DATA, 8, 0x30);
    cpu.run_ok();
    assert_eq!((cpu.mem.read(DATA, 8), cpu.mem.read(DATA + 8, 8)), (0x6666, 0x7777));
}

/// The whole access (both registers of CASP) must be aligned; the fault is
/// precise and, as the load comes first, reports a read.
#[test]
fn misaligned_atomics_fault() {
    let cases: [(u32, u64); 6] = [
        (0xf821_0040 /* ldadd x1, x0, [x2] */, DATA + 4),
        (0x7821_4040 /* ldsmaxh w1, w0, [x2] */, DATA + 1),
        (0xf821_005f /* stadd x1, [x2] */, DATA + 2),
        (0x48a1_7c40 /* cash w1, w0, [x2] */, DATA + 3),
        (0x4824_7c46 /* casp x4, x5, x6, x7, [x2] */, DATA + 8),
        (0x0864_fc46 /* caspal w4, w5, w6, w7, [x2] */, DATA + 4),
    ];
    for (word, addr) in cases {
        let mut cpu = Cpu::new(&[0x9100_0463 /* add x3, x3, #1 */, word]);
        cpu.s.features = FEATURE_LSE;
        cpu.s.x[2] = addr;
        for r in [0, 1, 4, 5] {
            cpu.s.x[r] = 0x1000 + r as u64;
        }
        cpu.mem.write(DATA, 8, 0x0102_0304_0506_0708);
        cpu.mem.write(DATA + 8, 8, 0x1112_1314_1516_1718);
        let exit = cpu.run();
        let BlockExit::Fault(f) = exit else { panic!("{word:#x}: {exit:?}") };
        assert_eq!((f.vaddr, f.kind, f.cause), (addr, AccessKind::Read, FaultCause::Alignment), "{word:#x}");
        assert_eq!((cpu.s.pc, cpu.s.x[3]), (CODE + 4, 1), "{word:#x}");
        for r in [0, 1, 4, 5] {
            assert_eq!(cpu.s.x[r], 0x1000 + r as u64, "{word:#x}");
        }
        assert_eq!((cpu.mem.read(DATA, 8), cpu.mem.read(DATA + 8, 8)), (0x0102_0304_0506_0708, 0x1112_1314_1516_1718));
    }
    // Bytes never fault; a W pair needs only 8-byte alignment.
    let c = lse(&[0x3821_0040 /* ldaddb w1, w0, [x2] */], 0x0102, |s| {
        s.x[2] = DATA + 1;
        s.x[1] = 1;
    });
    assert_eq!((c.s.x[0], c.mem.read(DATA, 8)), (1, 0x0202));
    let c = lse(&[0x0864_fc46 /* caspal w4, w5, w6, w7, [x2] */], 0, |s| s.x[2] = DATA + 8);
    assert_eq!(c.s.x[4], 0x5a5a_5a5a);
}

/// Without FEAT_LSE (the Cortex-A57 model) every LSE encoding is UNDEFINED;
/// with it, CASP with an odd Rs or Rt and the unallocated o3:opc values
/// still are.
#[test]
fn undefined_without_the_feature_or_when_reserved() {
    let words = [
        0xf821_0040 /* ldadd x1, x0, [x2] */,
        0x38e1_0040 /* ldaddalb w1, w0, [x2] */,
        0xf821_8040 /* swp x1, x0, [x2] */,
        0xf821_005f /* stadd x1, [x2] */,
        0xc8a1_7c40 /* cas x1, x0, [x2] */,
        0x4824_7c46 /* casp x4, x5, x6, x7, [x2] */,
    ];
    for w in words {
        let mut cpu = Cpu::new(&[w]);
        cpu.s.x[2] = DATA;
        assert!(matches!(cpu.run(), BlockExit::Exception { kind: EXC_UNDEF, .. }), "{w:#x}");
    }
    let reserved = [
        0x4825_7c46 /* casp with Rs = x5 */,
        0x4824_7c47 /* casp with Rt = x7 */,
        0xf8a1_c040 /* ldapr-like o3:opc = 1100 (FEAT_LRCPC, not implemented) */,
        0xf821_9040 /* o3:opc = 1001 */,
        0xc8a1_7840 /* cas with Rt2 != 11111 */,
    ];
    for w in reserved {
        let mut cpu = Cpu::new(&[w]);
        cpu.s.features = FEATURE_LSE;
        cpu.s.x[2] = DATA;
        assert!(matches!(cpu.run(), BlockExit::Exception { kind: EXC_UNDEF, .. }), "{w:#x}");
    }
}

/// ID_AA64ISAR0_EL1.Atomic reports the feature.
#[test]
fn id_aa64isar0_follows_the_model() {
    let mut cpu = Cpu::new(&[0xd538_0601 /* mrs x1, id_aa64isar0_el1 */]);
    cpu.run_ok();
    assert_eq!(cpu.s.x[1], 0x11120);
    let mut cpu = Cpu::new(&[0xd538_0601 /* mrs x1, id_aa64isar0_el1 */]);
    cpu.s.features = cpu_model("max").unwrap().features;
    cpu.run_ok();
    assert_eq!(cpu.s.x[1], 0x21_1120);
    assert_eq!(cpu_model("cortex-a57").unwrap().features, 0);
    assert_eq!(CPU_MODELS[0].name, "cortex-a57");
}

/// LDAPR/LDAPRH/LDAPRB (FEAT_LRCPC, on `max`): zero-extending loads with no
/// alignment requirement (as QEMU 7.2's `-cpu max`); UNDEFINED without the
/// feature; ID_AA64ISAR1_EL1.LRCPC reports it.
#[test]
fn ldapr_on_the_models_with_lrcpc() {
    let code = [
        0xf8bf_c040 /* ldapr x0, [x2] */,
        0xb8bf_c061 /* ldapr w1, [x3] */,
        0x78bf_c064 /* ldaprh w4, [x3] */,
        0x38bf_c065 /* ldaprb w5, [x3] */,
        0xd538_0626 /* mrs x6, id_aa64isar1_el1 */,
    ];
    let mut cpu = Cpu::new(&code);
    cpu.s.features = FEATURE_LSE | FEATURE_LRCPC;
    cpu.s.x[2] = DATA;
    cpu.s.x[3] = DATA + 1;
    cpu.mem.write(DATA, 8, 0x8877_6655_4433_2211);
    cpu.mem.write(DATA + 8, 8, 0xff);
    cpu.run_ok();
    assert_eq!((cpu.s.x[0], cpu.s.x[1], cpu.s.x[4], cpu.s.x[5]), (0x8877_6655_4433_2211, 0x5544_3322, 0x3322, 0x22));
    assert_eq!(cpu.s.x[6], 1 << 20);
    let mut cpu = Cpu::new(&code[..1]);
    cpu.s.features = FEATURE_LSE;
    assert_eq!(cpu.run(), BlockExit::Exception { kind: EXC_UNDEF, arg: 0xf8bf_c040 });
}
