//! Decoder sweep: 32-bit words through the AArch64 frontend at EL1 of the
//! `cortex-a57` model. It never panics, every block verifies, and its
//! defined/undefined verdict is that of QEMU's cortex-a57:
//!
//! - outside the system instruction class, random words (and as many again
//!   from the SIMD&FP space) against capstone, which decodes the later
//!   architecture versions too: the encodings of the features the
//!   Cortex-A57 lacks ([`ABSENT`], by encoding; [`LISTED`], by capstone's
//!   mnemonic) must be UNDEFINED, and the few where capstone, not QEMU, is the
//!   odd one out are explained ([`explained_chimera_only`]);
//! - every SIMD&FP word once more with FP disabled (CPACR_EL1.FPEN = 0): an
//!   allocated one takes the FP access trap, an unallocated one is UNDEFINED;
//! - the system instruction class (hints, barriers, MSR immediate, SYS/SYSL,
//!   MRS/MSR), where capstone names every encoding, exhaustively against the
//!   table of what QEMU's cortex-a57 executes there
//!   (tests/data/aarch64/system_a57_el1.txt).

use capstone::prelude::*;
use chimera_aarch64::{translate_block, EXC_FP_TRAP, EXC_UNDEF, STATE_SIZE, TB_FP, TB_LSE, TB_SPSEL};
use chimera_ir::{AccessKind, FaultCause, GuestMemory, MemFault, MemOp, Terminal};
use std::collections::BTreeMap;

/// Memory holding one instruction word at `BASE`.
struct OneWord(u32);

const BASE: u64 = 0x4000_0000;

/// EL1 with SP_EL1 selected, as the guests run; FP/SIMD disabled.
const EL1: u32 = 1 | TB_SPSEL;

impl GuestMemory for OneWord {
    fn load(&mut self, vaddr: u64, op: MemOp) -> Result<u64, MemFault> {
        if vaddr == BASE && op.size == 4 {
            Ok(u64::from(self.0))
        } else {
            Err(MemFault { vaddr, kind: AccessKind::Fetch, size: op.size, cause: FaultCause::Unmapped })
        }
    }
    fn store(&mut self, vaddr: u64, _: u64, op: MemOp) -> Result<(), MemFault> {
        Err(MemFault { vaddr, kind: op.kind, size: op.size, cause: FaultCause::Unmapped })
    }
}

/// The exception the word itself raises (UNDEF, the FP access trap, SVC...),
/// if any.
fn exception_at_word(word: u32, flags: u32) -> Option<u32> {
    let block = translate_block(flags, BASE, &mut OneWord(word), 1);
    chimera_ir::verify(&block, STATE_SIZE).unwrap_or_else(|e| panic!("{word:#010x}: {e}\n{block}"));
    match block.term {
        Terminal::Exception { kind, pc: BASE, .. } => Some(kind),
        _ => None,
    }
}

/// Chimera's verdict: false if the word raises UNDEF.
fn chimera_defines(word: u32, flags: u32) -> bool {
    exception_at_word(word, flags) != Some(EXC_UNDEF)
}

fn xorshift(s: &mut u64) -> u32 {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    (*s >> 16) as u32
}

fn capstone() -> Capstone {
    Capstone::new().arm64().mode(arch::arm64::ArchMode::Arm).build().unwrap()
}

/// Capstone's mnemonic for the word, or None if it rejects it.
fn capstone_mnemonic(cs: &Capstone, word: u32) -> Option<String> {
    let insns = cs.disasm_count(&word.to_le_bytes(), BASE, 1).ok()?;
    let insn = insns.iter().next()?;
    Some(insn.mnemonic().unwrap_or("").to_string())
}

/// The system instruction class (ARM ARM C4.1.3, bits 31:22 = 1101010100),
/// checked by [`system_class_is_qemus`] instead of against capstone.
fn system_class(w: u32) -> bool {
    w >> 22 == 0b11_0101_0100
}

/// The SIMD&FP space: data processing (op0 = x111) and the loads and stores
/// of SIMD&FP registers (op0 = x1x0 with V = 1), i.e. bits 27:26 = 11.
fn simd_fp(w: u32) -> bool {
    (w >> 26) & 3 == 3
}

/// An optional feature the Cortex-A57 lacks, by its encodings (ARM ARM C4.1):
/// a word matching one of `encodings` (mask, value) is UNDEFINED on QEMU's
/// cortex-a57, and capstone names it with a mnemonic starting with one of
/// `mnemonics` (none listed: a space reserved to the feature, any mnemonic).
struct Absent {
    feature: &'static str,
    encodings: &'static [(u32, u32)],
    mnemonics: &'static [&'static str],
}

/// The features capstone decodes and the Cortex-A57 (ARMv8.0 with FP,
/// AdvSIMD, AES, PMULL, SHA1, SHA256 and CRC32) does not have, each by its
/// own encodings so that the ARMv8.0 instructions around them stay checked.
static ABSENT: &[Absent] = &[
    Absent { feature: "FEAT_SVE: the SVE encodings (op0 = 0010)", encodings: &[(0x1e00_0000, 0x0400_0000)], mnemonics: &[] },
    Absent { feature: "FEAT_SME: the SME encodings (op0 = 0000 with bit 31 set)", encodings: &[(0x9e00_0000, 0x8000_0000)], mnemonics: &[] },
    Absent {
        feature: "FEAT_FP16 (ARMv8.2): half-precision arithmetic (FCVT between H and S/D is ARMv8.0 and stays checked)",
        encodings: &[
            // Scalar FP with ftype = 11: FMADD group, conversions to and from
            // fixed point and integers (sf free), FCMP, the 1-source
            // operations except FCVT (opcodes 0000xx and 001xxx), FMOV
            // immediate, FCCMP, 2-source, FCSEL.
            (0xffc0_0000, 0x1fc0_0000),
            (0x7fe0_0000, 0x1ec0_0000),
            (0x7fe0_fc00, 0x1ee0_0000),
            (0xffe0_fc00, 0x1ee0_2000),
            (0xfffe_7c00, 0x1ee0_4000),
            (0xfffc_7c00, 0x1ee4_4000),
            (0xffe0_1c00, 0x1ee0_1000),
            (0xffe0_0c00, 0x1ee0_0400),
            (0xffe0_0c00, 0x1ee0_0800),
            (0xffe0_0c00, 0x1ee0_0c00),
            // AdvSIMD three same FP16 and two-register misc FP16, vector and scalar.
            (0x9f60_c400, 0x0e40_0400),
            (0xdf60_c400, 0x5e40_0400),
            (0x9f7e_0c00, 0x0e78_0800),
            (0xdf7e_0c00, 0x5e78_0800),
            // Across lanes FMAXNMV/FMINNMV, FMAXV/FMINV with U = 0; scalar
            // pairwise FMAXNMP/FMINNMP, FADDP, FMAXP/FMINP with U = 0.
            (0xbf7f_fc00, 0x0e30_c800),
            (0xbf7f_fc00, 0x0e30_f800),
            (0xff7f_fc00, 0x5e30_c800),
            (0xff7f_fc00, 0x5e30_d800),
            (0xff7f_fc00, 0x5e30_f800),
            // FMLA/FMLS/FMUL/FMULX by element with size = 00, vector and scalar.
            (0xbfc0_f400, 0x0f00_1000),
            (0xbfc0_f400, 0x0f00_5000),
            (0xbfc0_f400, 0x0f00_9000),
            (0xbfc0_f400, 0x2f00_9000),
            (0xffc0_f400, 0x5f00_1000),
            (0xffc0_f400, 0x5f00_5000),
            (0xffc0_f400, 0x5f00_9000),
            (0xffc0_f400, 0x7f00_9000),
            // SCVTF/UCVTF, FCVTZS/FCVTZU (fixed point) with immh = 001x, vector and scalar.
            (0x9ff0_fc00, 0x0f10_e400),
            (0x9ff0_fc00, 0x0f10_fc00),
            (0xdff0_fc00, 0x5f10_e400),
            (0xdff0_fc00, 0x5f10_fc00),
            // FMOV (vector, immediate) half: op = 0, cmode = 1111, o2 = 1.
            (0xbff8_fc00, 0x0f00_fc00),
        ],
        mnemonics: &["f", "scvtf", "ucvtf"],
    },
    Absent {
        feature: "FEAT_FCMA (ARMv8.3): FCMLA (vector, by element), FCADD",
        encodings: &[(0xbf20_e400, 0x2e00_c400), (0xbf20_ec00, 0x2e00_e400), (0xbf00_9400, 0x2f00_1000)],
        mnemonics: &["fcmla", "fcadd"],
    },
    Absent {
        feature: "FEAT_RDM (ARMv8.1): SQRDMLAH/SQRDMLSH (vector, scalar, by element)",
        encodings: &[(0xbf20_f400, 0x2e00_8400), (0xff20_f400, 0x7e00_8400), (0xbf00_d400, 0x2f00_d000), (0xff00_d400, 0x7f00_d000)],
        mnemonics: &["sqrdmlah", "sqrdmlsh"],
    },
    Absent {
        feature: "FEAT_DotProd (ARMv8.2): SDOT/UDOT (vector, by element)",
        encodings: &[(0x9fe0_fc00, 0x0e80_9400), (0x9fc0_f400, 0x0f80_e000)],
        mnemonics: &["sdot", "udot"],
    },
    Absent {
        feature: "FEAT_I8MM (ARMv8.6): USDOT, SUDOT, SMMLA, UMMLA, USMMLA",
        encodings: &[(0xbfe0_fc00, 0x0e80_9c00), (0xdfe0_fc00, 0x4e80_a400), (0xffe0_fc00, 0x4e80_ac00), (0xbf40_f400, 0x0f00_f000)],
        mnemonics: &["usdot", "sudot", "smmla", "ummla", "usmmla"],
    },
    Absent {
        feature: "FEAT_BF16 (ARMv8.6): BFCVT, BFCVTN(2), BFDOT, BFMLALB/T, BFMMLA",
        encodings: &[
            (0xffff_fc00, 0x1e63_4000),
            (0xbfff_fc00, 0x0ea1_6800),
            (0xbfe0_fc00, 0x2e40_fc00),
            (0xbfe0_fc00, 0x2ec0_fc00),
            (0xffe0_fc00, 0x6e40_ec00),
            (0xbfc0_f400, 0x0f40_f000),
            (0xbfc0_f400, 0x0fc0_f000),
        ],
        mnemonics: &["bf"],
    },
    Absent {
        feature: "FEAT_FHM (ARMv8.2): FMLAL(2)/FMLSL(2) (vector, by element)",
        encodings: &[(0xbf60_fc00, 0x0e20_ec00), (0xbf60_fc00, 0x2e20_cc00), (0xbfc0_b400, 0x0f80_0000), (0xbfc0_b400, 0x2f80_8000)],
        mnemonics: &["fmlal", "fmlsl"],
    },
    Absent { feature: "FEAT_JSCVT (ARMv8.3): FJCVTZS", encodings: &[(0xffff_fc00, 0x1e7e_0000)], mnemonics: &["fjcvtzs"] },
    Absent {
        feature: "FEAT_FRINTTS (ARMv8.5): FRINT32Z/X, FRINT64Z/X (scalar, vector)",
        encodings: &[(0xffbe_7c00, 0x1e28_4000), (0x9fbf_ec00, 0x0e21_e800)],
        mnemonics: &["frint32", "frint64"],
    },
    Absent {
        feature: "FEAT_SHA3, FEAT_SHA512, FEAT_SM3, FEAT_SM4 (ARMv8.2): the crypto groups at bits 31:25 = 1100111",
        encodings: &[(0xfe00_0000, 0xce00_0000)],
        mnemonics: &["eor3", "bcax", "rax1", "xar", "sha512", "sm3", "sm4"],
    },
];

/// Mnemonic families capstone decodes that Chimera, like QEMU's Cortex-A57,
/// leaves UNDEFINED: later architecture versions and optional features this
/// CPU does not have, with the reason. The sweep translates under the
/// `cortex-a57` model's flags; the LSE atomics exist on the `max` model
/// ([`lse_is_defined_exactly_on_max`]).
const LISTED: &[(&str, &str)] = &[
    ("cas", "ARMv8.1 LSE compare-and-swap (CAS*, CASP*): not in Cortex-A57 (only in --cpu max)"),
    ("ldadd", "ARMv8.1 LSE atomics (only in --cpu max)"),
    ("ldclr", "ARMv8.1 LSE atomics"),
    ("ldeor", "ARMv8.1 LSE atomics"),
    ("ldset", "ARMv8.1 LSE atomics"),
    ("ldsmax", "ARMv8.1 LSE atomics"),
    ("ldsmin", "ARMv8.1 LSE atomics"),
    ("ldumax", "ARMv8.1 LSE atomics"),
    ("ldumin", "ARMv8.1 LSE atomics"),
    ("stadd", "ARMv8.1 LSE atomics"),
    ("stclr", "ARMv8.1 LSE atomics"),
    ("steor", "ARMv8.1 LSE atomics"),
    ("stset", "ARMv8.1 LSE atomics"),
    ("stsmax", "ARMv8.1 LSE atomics"),
    ("stsmin", "ARMv8.1 LSE atomics"),
    ("stumax", "ARMv8.1 LSE atomics"),
    ("stumin", "ARMv8.1 LSE atomics"),
    ("ldlar", "ARMv8.1 LOR"),
    ("stllr", "ARMv8.1 LOR"),
    ("ldapr", "ARMv8.3 LRCPC"),
    ("ldapur", "ARMv8.4 LRCPC2"),
    ("stlur", "ARMv8.4 LRCPC2"),
    ("ldraa", "ARMv8.3 pointer authentication"),
    ("ldrab", "ARMv8.3 pointer authentication"),
    ("ldg", "ARMv8.5 MTE"),
    ("stg", "ARMv8.5 MTE"),
    ("st2g", "ARMv8.5 MTE"),
    ("stzg", "ARMv8.5 MTE"),
    ("stz2g", "ARMv8.5 MTE"),
    ("swp", "ARMv8.1 LSE swap"),
    ("bc.", "ARMv8.8 HBC hinted conditional branches"),
    ("cpy", "ARMv8.8 MOPS memory copy"),
    ("setp", "ARMv8.8 MOPS memory set"),
    ("setm", "ARMv8.8 MOPS memory set"),
    ("sete", "ARMv8.8 MOPS memory set"),
    ("setg", "ARMv8.8 MOPS memory set (MTE)"),
    ("pac", "ARMv8.3 pointer authentication (PACGA)"),
    ("blra", "ARMv8.3 pointer authentication branches"),
    ("braa", "ARMv8.3 pointer authentication branches"),
    ("addg", "ARMv8.5 MTE"),
    ("subg", "ARMv8.5 MTE"),
    ("subp", "ARMv8.5 MTE"),
    ("irg", "ARMv8.5 MTE"),
    ("gmi", "ARMv8.5 MTE"),
    ("rmif", "ARMv8.4 FlagM"),
    ("setf", "ARMv8.4 FlagM"),
    ("tcancel", "TME transactional memory"),
    ("dcps", "DCPS1-3 are UNDEFINED outside Debug state"),
    ("udf", "UDF is permanently UNDEFINED; capstone prints it as an instruction"),
];

fn listed(mnemonic: &str) -> Option<&'static str> {
    LISTED.iter().find(|(l, _)| mnemonic.starts_with(l)).map(|(_, why)| *why)
}

/// Encodings Chimera executes and capstone rejects, with the reason: the
/// CONSTRAINED UNPREDICTABLE cases where QEMU's Cortex-A57 (the reference the
/// guests are checked against) executes the instruction, and capstone
/// defects.
fn explained_chimera_only(cs: &Capstone, w: u32) -> Option<&'static str> {
    let (rt, rn, rt2) = (w & 31, (w >> 5) & 31, (w >> 10) & 31);
    // Load/store pair (ARM ARM C4.1.66): bits 29:27 = 101, V = 0.
    if (w >> 27) & 7 == 5 && (w >> 26) & 1 == 0 {
        let writeback = matches!((w >> 23) & 3, 1 | 3);
        let load = (w >> 22) & 1 == 1;
        if writeback && rn != 31 && (rt == rn || rt2 == rn) {
            return Some("pair with writeback into a transfer register (CONSTRAINED UNPREDICTABLE, ARM ARM K1.2.5)");
        }
        if load && rt == rt2 {
            return Some("load pair into one register twice (CONSTRAINED UNPREDICTABLE)");
        }
    }
    // Load/store register, immediate pre/post-index: bits 29:27 = 111, 25:24 = 00, 21 = 0.
    if (w >> 27) & 7 == 7 && (w >> 24) & 3 == 0 && (w >> 21) & 1 == 0 {
        match (w >> 10) & 3 {
            1 | 3 if rt == rn && rn != 31 => {
                return Some("single register with writeback into the transfer register (CONSTRAINED UNPREDICTABLE)")
            }
            2 => return Some("LDTR*/STTR* with Rt == Rn or other fields capstone rejects (capstone defect)"),
            _ => {}
        }
    }
    // Load/store exclusive and ordered (C4.1.4, bits 29:24 = 001000; o2, L,
    // o1 = bits 23, 22, 21). Capstone rejects the should-be-one fields
    // (Rs, Rt2) of the forms that do not use them when they are not all
    // ones, and LDXP/LDAXP with Rt == Rt2 (CONSTRAINED UNPREDICTABLE); QEMU
    // ignores the former and loads the latter. Explained only if capstone
    // takes the same word with exactly those fields repaired.
    if (w >> 24) & 0x3f == 0x08 {
        const RS: u32 = 31 << 16;
        const RT2: u32 = 31 << 10;
        let sbo = match ((w >> 23) & 1, (w >> 22) & 1, (w >> 21) & 1) {
            (0, 0, 0) => RT2,       // STXR, STLXR: Rs is the status register
            (0, 0, 1) => 0,         // STXP, STLXP (or CASP: LSE)
            (0, 1, 1) => RS,        // LDXP, LDAXP (or CASP: LSE)
            _ => RS | RT2,          // LDXR, LDAXR, STLR, LDAR (and CAS, LDLAR, STLLR)
        };
        let ldxp_same = w >> 31 == 1 && (w >> 21) & 7 == 0b011 && rt == rt2;
        let repaired = (w | sbo) ^ if ldxp_same { 1 << 10 } else { 0 };
        if capstone_mnemonic(cs, repaired).is_some() {
            return Some(if ldxp_same {
                "LDXP/LDAXP with Rt == Rt2 (CONSTRAINED UNPREDICTABLE; QEMU loads)"
            } else {
                "exclusive or ordered access with its should-be-one Rs/Rt2 fields not all ones (QEMU ignores them)"
            });
        }
    }
    None
}

/// Checks `n` random words (each passed through `shape`, which may force
/// fields) outside the system class and returns what disagrees, one line per
/// kind of disagreement, with a count and an example.
fn sweep(seed: u64, n: usize, shape: impl Fn(u32) -> u32) -> String {
    let cs = capstone();
    let mut seed = seed;
    let mut bad: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut note = |what: String, w: u32| bad.entry(what).or_insert((0, w)).0 += 1;
    let mut swept = 0;
    while swept < n {
        let w = shape(xorshift(&mut seed));
        if system_class(w) {
            continue;
        }
        swept += 1;
        let ours = chimera_defines(w, EL1 | TB_FP);
        let mnemonic = capstone_mnemonic(&cs, w);
        if simd_fp(w) {
            let want = if ours { EXC_FP_TRAP } else { EXC_UNDEF };
            let got = exception_at_word(w, EL1);
            if got != Some(want) {
                note(format!("with FP disabled: {got:?} where {want} is due ({mnemonic:?})"), w);
            }
        }
        if let Some(a) = ABSENT.iter().find(|a| a.encodings.iter().any(|&(mask, value)| w & mask == value)) {
            if ours {
                note(format!("defined, but the Cortex-A57 lacks {} ({mnemonic:?})", a.feature), w);
            }
            if let Some(m) = mnemonic.filter(|m| !a.mnemonics.is_empty() && !a.mnemonics.iter().any(|p| m.starts_with(p))) {
                note(format!("capstone decodes {m} among the encodings of {}", a.feature), w);
            }
            continue;
        }
        match (mnemonic, ours) {
            (Some(m), false) if listed(&m).is_none() => note(format!("capstone only: {m}"), w),
            (Some(m), true) => {
                if let Some(why) = listed(&m) {
                    note(format!("defined, but the Cortex-A57 lacks {m}: {why}"), w);
                }
            }
            (None, true) if explained_chimera_only(&cs, w).is_none() => {
                note(format!("chimera only: {:?}", chimera_aarch64::decode::decode_name(w)), w);
            }
            _ => {}
        }
    }
    bad.iter().map(|(what, (count, w))| format!("{what} x{count}, e.g. {w:#010x}\n")).collect()
}

#[test]
fn sweep_agrees_with_capstone() {
    let report = sweep(0x1234_5678_9abc_def1, 400_000, |w| w);
    assert!(report.is_empty(), "400000 words:\n{report}");
}

/// The SIMD&FP space on its own (a quarter of the words above): bits 27:26
/// forced to 11.
#[test]
fn simd_fp_sweep_agrees_with_capstone() {
    let report = sweep(0x5eed_f00d_0123_4567, 400_000, |w| w | 3 << 26);
    assert!(report.is_empty(), "400000 SIMD&FP words:\n{report}");
}

/// One line of tests/data/aarch64/system_a57_el1.txt: encodings of the
/// system class QEMU's cortex-a57 executes at EL1.
struct SysEntry {
    name: String,
    /// Inclusive ranges of op0, op1, CRn, CRm, op2.
    fields: [(u32, u32); 5],
    access: String,
    /// Why Chimera lacks it (then Chimera must UNDEF it).
    gap: Option<String>,
}

impl SysEntry {
    fn parse(line: &str) -> SysEntry {
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert!(cols.len() >= 7, "system_a57_el1.txt: {line}");
        let field = |s: &str| -> (u32, u32) {
            let num = |t: &str| t.parse().unwrap_or_else(|_| panic!("system_a57_el1.txt: {s} in {line}"));
            match s.split_once('-') {
                _ if s == "*" => (0, 15),
                Some((a, b)) => (num(a), num(b)),
                None => (num(s), num(s)),
            }
        };
        let fields = [field(cols[1]), field(cols[2]), field(cols[3]), field(cols[4]), field(cols[5])];
        let access = cols[6].to_string();
        assert!(["r", "w", "rw", "x", "x31"].contains(&access.as_str()), "system_a57_el1.txt: access in {line}");
        let gap = (cols.get(7) == Some(&"gap")).then(|| cols[8..].join(" "));
        SysEntry { name: cols[0].to_string(), fields, access, gap }
    }

    fn matches(&self, w: u32) -> bool {
        let f = [(w >> 19) & 3, (w >> 16) & 7, (w >> 12) & 15, (w >> 8) & 15, (w >> 5) & 7];
        f.iter().zip(&self.fields).all(|(v, (lo, hi))| (lo..=hi).contains(&v))
    }

    /// QEMU executes `w` (which [`Self::matches`]): MRS (L = 1) of a readable
    /// register, MSR of a writable one, SYS, or a hint/barrier/PSTATE
    /// write with Rt = 31.
    fn allows(&self, w: u32) -> bool {
        let read = (w >> 21) & 1 == 1;
        match self.access.as_str() {
            "r" => read,
            "w" | "x" => !read,
            "rw" => true,
            _ => !read && w & 31 == 31,
        }
    }
}

fn system_table() -> Vec<SysEntry> {
    include_str!("data/aarch64/system_a57_el1.txt")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(SysEntry::parse)
        .collect()
}

/// Every encoding of the system class (L, op0, op1, CRn, CRm, op2; Rt = 31
/// and another register) is defined exactly where QEMU's cortex-a57 defines
/// it, but for the listed gaps, which must be UNDEFINED.
#[test]
fn system_class_is_qemus() {
    let table = system_table();
    let mut report = Vec::new();
    let mut gaps = 0;
    for fields in 0..1u32 << 17 {
        for rt in [5, 31] {
            let w = 0xd500_0000 | fields << 5 | rt;
            let entry = table.iter().find(|e| e.matches(w));
            let qemu = entry.is_some_and(|e| e.allows(w));
            let ours = chimera_defines(w, EL1);
            let gap = entry.filter(|_| qemu).and_then(|e| e.gap.as_deref());
            let name = entry.map_or("-", |e| e.name.as_str());
            let what = ["MSR", "MRS"][(w >> 21) as usize & 1];
            let enc = format!("{w:#010x} {what} S{}_{}_C{}_C{}_{} ({name})", (w >> 19) & 3, (w >> 16) & 7, (w >> 12) & 15, (w >> 8) & 15, (w >> 5) & 7);
            match gap {
                Some(_) if ours => report.push(format!("{enc}: listed as a gap, yet Chimera defines it (remove the gap)")),
                Some(_) => gaps += 1,
                None if ours != qemu => report.push(format!("{enc}: QEMU {}, Chimera {}", verdict(qemu), verdict(ours))),
                None => {}
            }
        }
    }
    // Every gap the table lists must have been met (and none is listed
    // since Chimera implements all of QEMU's cortex-a57 system registers).
    let listed = table.iter().filter(|e| e.gap.is_some()).count();
    assert_eq!((listed, gaps > 0), (listed, listed > 0), "gap encodings met: {gaps}");
    let shown: Vec<&String> = report.iter().take(40).collect();
    assert!(report.is_empty(), "{} encodings differ from QEMU's:\n{shown:#?}", report.len());
}

fn verdict(defined: bool) -> &'static str {
    if defined {
        "defines it"
    } else {
        "UNDEFINED"
    }
}

/// Capstone's mnemonic names an LSE atomic (CAS*, SWP*, LD<op>*, ST<op>*;
/// not LDAPR, which is FEAT_LRCPC).
fn is_lse(mnemonic: &str) -> bool {
    let ops = ["add", "clr", "eor", "set", "smax", "smin", "umax", "umin"];
    let op_after = |prefix: &str| mnemonic.strip_prefix(prefix).is_some_and(|rest| ops.iter().any(|o| rest.starts_with(o)));
    mnemonic.starts_with("cas") || mnemonic.starts_with("swp") || op_after("ld") || op_after("st")
}

/// With the `max` model's LSE flag, exactly the words capstone names as LSE
/// atomics become defined (random words forced into the LSE encoding space,
/// bits 29:24 = 111000 or 001000, so that each form is hit often).
#[test]
fn lse_is_defined_exactly_on_max() {
    let cs = capstone();
    let mut seed = 0x0bad_cafe_f00d_1234u64;
    let mut report = String::new();
    let mut lse_seen = 0;
    for k in 0..100_000 {
        let w = xorshift(&mut seed);
        let w = if k % 2 == 0 { (w & !(0x3f << 24)) | (0x38 << 24) } else { (w & !(0x3f << 24)) | (0x08 << 24) };
        let a57 = chimera_defines(w, EL1);
        let max = chimera_defines(w, EL1 | TB_LSE);
        let mnem = capstone_mnemonic(&cs, w);
        let lse = mnem.as_deref().is_some_and(is_lse);
        lse_seen += usize::from(lse);
        if lse && (a57 || !max) {
            report.push_str(&format!("{w:#010x} {mnem:?}: cortex-a57 {a57}, max {max}\n"));
        }
        if !lse && a57 != max {
            report.push_str(&format!("{w:#010x} {mnem:?}: not LSE, yet cortex-a57 {a57}, max {max}\n"));
        }
    }
    assert!(lse_seen > 1000, "only {lse_seen} LSE words");
    assert!(report.is_empty(), "{report}");
}
