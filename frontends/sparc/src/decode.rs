//! The SPARC V8 decoder: one declarative table of encodings (QEMU decodetree
//! `target/sparc/insns.decode` style) dispatching to a [`Visitor`] with one
//! method per instruction class.
//!
//! Each [`Pattern`] is a 32-character bit string, bit 31 first: `0`/`1` are
//! fixed bits, any other character (a field letter or `-`) is don't-care. The
//! letters name fields for the reader (`d` rd, `s` rs1, `i` the i bit or an
//! immediate, `x` rs2/simm13/asi, `a` annul, `c` cond); the visitor reads
//! fields through the typed accessors of [`Insn`]. Patterns are tried in table
//! order, so the special cases of an opcode (STBAR, RDY, WRY) come before the
//! general form. Encodings no pattern matches are illegal instructions
//! (SPARC V8 manual appendix F, "Opcodes and Condition Codes").

use chimera_ir::PatternIndex;
use std::sync::OnceLock;

/// One SPARC instruction word with typed field accessors (SPARC V8 manual B.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Insn(pub u32);

impl Insn {
    /// Bits `[hi:lo]`, right-aligned.
    pub const fn bits(self, hi: u32, lo: u32) -> u32 {
        (self.0 >> lo) & (u32::MAX >> (31 - (hi - lo)))
    }
    /// Bit `n`.
    pub const fn bit(self, n: u32) -> bool {
        (self.0 >> n) & 1 != 0
    }
    /// Bits `[hi:lo]` sign-extended to 32 bits.
    pub const fn sbits(self, hi: u32, lo: u32) -> i32 {
        let w = hi - lo + 1;
        ((self.bits(hi, lo) as i32) << (32 - w)) >> (32 - w)
    }
    /// op, bits \[31:30\].
    pub const fn op(self) -> u32 {
        self.bits(31, 30)
    }
    /// op2 of format 2, bits \[24:22\].
    pub const fn op2(self) -> u32 {
        self.bits(24, 22)
    }
    /// op3 of format 3, bits \[24:19\].
    pub const fn op3(self) -> u32 {
        self.bits(24, 19)
    }
    /// rd, bits \[29:25\].
    pub const fn rd(self) -> usize {
        self.bits(29, 25) as usize
    }
    /// rs1, bits \[18:14\].
    pub const fn rs1(self) -> usize {
        self.bits(18, 14) as usize
    }
    /// rs2, bits \[4:0\].
    pub const fn rs2(self) -> usize {
        self.bits(4, 0) as usize
    }
    /// i, bit 13: the second operand is `simm13` rather than rs2.
    pub const fn i(self) -> bool {
        self.bit(13)
    }
    /// simm13, bits \[12:0\], sign-extended.
    pub const fn simm13(self) -> i32 {
        self.sbits(12, 0)
    }
    /// asi, bits \[12:5\].
    pub const fn asi(self) -> u32 {
        self.bits(12, 5)
    }
    /// a, bit 29: annul the delay slot.
    pub const fn a(self) -> bool {
        self.bit(29)
    }
    /// cond, bits \[28:25\].
    pub const fn cond(self) -> u32 {
        self.bits(28, 25)
    }
    /// disp22, bits \[21:0\], sign-extended (words).
    pub const fn disp22(self) -> i32 {
        self.sbits(21, 0)
    }
    /// imm22 of SETHI, bits \[21:0\].
    pub const fn imm22(self) -> u32 {
        self.bits(21, 0)
    }
    /// disp30 of CALL, bits \[29:0\] (words; wraps around the address space).
    pub const fn disp30(self) -> u32 {
        self.bits(29, 0)
    }
}

macro_rules! classes {
    ($( $(#[$doc:meta])* $variant:ident => $method:ident, )*) => {
        /// The instruction classes: one visitor method each.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Class {
            $( $(#[$doc])* $variant, )*
        }

        /// Receives decoded instructions, one method per [`Class`].
        pub trait Visitor {
            /// What a visit produces.
            type Output;
            /// An encoding no pattern matches.
            fn illegal(&mut self, insn: Insn) -> Self::Output;
            $( $(#[$doc])* fn $method(&mut self, insn: Insn) -> Self::Output; )*
        }

        impl Class {
            /// Call the visitor method of this class.
            pub fn visit<V: Visitor + ?Sized>(self, v: &mut V, insn: Insn) -> V::Output {
                match self {
                    $( Class::$variant => v.$method(insn), )*
                }
            }
        }
    };
}

classes! {
    /// UNIMP (illegal instruction trap).
    Unimp => unimp,
    /// Bicc.
    Bicc => bicc,
    /// SETHI (and NOP).
    Sethi => sethi,
    /// CALL.
    Call => call,
    /// Integer arithmetic and logic, multiply, MULScc, tagged arithmetic.
    Arith => arith,
    /// UDIV, SDIV and their cc forms.
    Divide => divide,
    /// SLL, SRL, SRA.
    Shift => shift,
    /// RDY, RDASR, STBAR, RDPSR, RDWIM, RDTBR.
    ReadState => read_state,
    /// WRY, WRASR, WRPSR, WRWIM, WRTBR.
    WriteState => write_state,
    /// JMPL.
    Jmpl => jmpl,
    /// RETT.
    Rett => rett,
    /// Ticc.
    Ticc => ticc,
    /// FLUSH.
    Flush => flush,
    /// SAVE, RESTORE.
    SaveRestore => save_restore,
    /// Integer loads, stores, LDSTUB and SWAP, and their alternate-space forms.
    Mem => mem,
    /// FPU and coprocessor instructions (FBfcc, CBccc, FPop, CPop, FP/CP loads and stores).
    Coproc => coproc,
}

/// One encoding of the table.
pub type Pattern = chimera_ir::Pattern<Class>;

const fn pat(name: &'static str, bits: &'static str, class: Class) -> Pattern {
    Pattern::new(name, bits, class)
}

use Class::*;

/// The encoding table (SPARC V8 manual appendix F, tables F-1 to F-5).
pub static PATTERNS: &[Pattern] = &[
    // Format 2 (SPARC V8 manual B.1 and appendix F): SETHI, branches, UNIMP.
    pat("UNIMP", "00-----000iiiiiiiiiiiiiiiiiiiiii", Unimp),
    pat("Bicc", "00acccc010iiiiiiiiiiiiiiiiiiiiii", Bicc),
    pat("SETHI", "00ddddd100iiiiiiiiiiiiiiiiiiiiii", Sethi),
    pat("FBfcc", "00acccc110iiiiiiiiiiiiiiiiiiiiii", Coproc),
    pat("CBccc", "00acccc111iiiiiiiiiiiiiiiiiiiiii", Coproc),
    // Format 1: CALL.
    pat("CALL", "01iiiiiiiiiiiiiiiiiiiiiiiiiiiiii", Call),
    // Format 3, op=2: arithmetic, logical, shift, control and state registers.
    pat("ADD", "10ddddd000000sssssixxxxxxxxxxxxx", Arith),
    pat("AND", "10ddddd000001sssssixxxxxxxxxxxxx", Arith),
    pat("OR", "10ddddd000010sssssixxxxxxxxxxxxx", Arith),
    pat("XOR", "10ddddd000011sssssixxxxxxxxxxxxx", Arith),
    pat("SUB", "10ddddd000100sssssixxxxxxxxxxxxx", Arith),
    pat("ANDN", "10ddddd000101sssssixxxxxxxxxxxxx", Arith),
    pat("ORN", "10ddddd000110sssssixxxxxxxxxxxxx", Arith),
    pat("XNOR", "10ddddd000111sssssixxxxxxxxxxxxx", Arith),
    pat("ADDX", "10ddddd001000sssssixxxxxxxxxxxxx", Arith),
    pat("UMUL", "10ddddd001010sssssixxxxxxxxxxxxx", Arith),
    pat("SMUL", "10ddddd001011sssssixxxxxxxxxxxxx", Arith),
    pat("SUBX", "10ddddd001100sssssixxxxxxxxxxxxx", Arith),
    pat("ADDcc", "10ddddd010000sssssixxxxxxxxxxxxx", Arith),
    pat("ANDcc", "10ddddd010001sssssixxxxxxxxxxxxx", Arith),
    pat("ORcc", "10ddddd010010sssssixxxxxxxxxxxxx", Arith),
    pat("XORcc", "10ddddd010011sssssixxxxxxxxxxxxx", Arith),
    pat("SUBcc", "10ddddd010100sssssixxxxxxxxxxxxx", Arith),
    pat("ANDNcc", "10ddddd010101sssssixxxxxxxxxxxxx", Arith),
    pat("ORNcc", "10ddddd010110sssssixxxxxxxxxxxxx", Arith),
    pat("XNORcc", "10ddddd010111sssssixxxxxxxxxxxxx", Arith),
    pat("ADDXcc", "10ddddd011000sssssixxxxxxxxxxxxx", Arith),
    pat("UMULcc", "10ddddd011010sssssixxxxxxxxxxxxx", Arith),
    pat("SMULcc", "10ddddd011011sssssixxxxxxxxxxxxx", Arith),
    pat("SUBXcc", "10ddddd011100sssssixxxxxxxxxxxxx", Arith),
    pat("UDIV", "10ddddd001110sssssixxxxxxxxxxxxx", Divide),
    pat("SDIV", "10ddddd001111sssssixxxxxxxxxxxxx", Divide),
    pat("UDIVcc", "10ddddd011110sssssixxxxxxxxxxxxx", Divide),
    pat("SDIVcc", "10ddddd011111sssssixxxxxxxxxxxxx", Divide),
    pat("TADDcc", "10ddddd100000sssssixxxxxxxxxxxxx", Arith),
    pat("TSUBcc", "10ddddd100001sssssixxxxxxxxxxxxx", Arith),
    pat("TADDccTV", "10ddddd100010sssssixxxxxxxxxxxxx", Arith),
    pat("TSUBccTV", "10ddddd100011sssssixxxxxxxxxxxxx", Arith),
    pat("MULScc", "10ddddd100100sssssixxxxxxxxxxxxx", Arith),
    pat("SLL", "10ddddd100101sssssixxxxxxxxxxxxx", Shift),
    pat("SRL", "10ddddd100110sssssixxxxxxxxxxxxx", Shift),
    pat("SRA", "10ddddd100111sssssixxxxxxxxxxxxx", Shift),
    pat("STBAR", "100000010100001111ixxxxxxxxxxxxx", ReadState),
    pat("RDY", "10ddddd10100000000ixxxxxxxxxxxxx", ReadState),
    pat("RDASR", "10ddddd101000sssssixxxxxxxxxxxxx", ReadState),
    pat("RDPSR", "10ddddd101001sssssixxxxxxxxxxxxx", ReadState),
    pat("RDWIM", "10ddddd101010sssssixxxxxxxxxxxxx", ReadState),
    pat("RDTBR", "10ddddd101011sssssixxxxxxxxxxxxx", ReadState),
    pat("WRY", "1000000110000sssssixxxxxxxxxxxxx", WriteState),
    pat("WRASR", "10ddddd110000sssssixxxxxxxxxxxxx", WriteState),
    pat("WRPSR", "10ddddd110001sssssixxxxxxxxxxxxx", WriteState),
    pat("WRWIM", "10ddddd110010sssssixxxxxxxxxxxxx", WriteState),
    pat("WRTBR", "10ddddd110011sssssixxxxxxxxxxxxx", WriteState),
    pat("FPop1", "10ddddd110100sssssixxxxxxxxxxxxx", Coproc),
    pat("FPop2", "10ddddd110101sssssixxxxxxxxxxxxx", Coproc),
    pat("CPop1", "10ddddd110110sssssixxxxxxxxxxxxx", Coproc),
    pat("CPop2", "10ddddd110111sssssixxxxxxxxxxxxx", Coproc),
    pat("JMPL", "10ddddd111000sssssixxxxxxxxxxxxx", Jmpl),
    pat("RETT", "10ddddd111001sssssixxxxxxxxxxxxx", Rett),
    pat("Ticc", "10-cccc111010sssssixxxxxxxxxxxxx", Ticc),
    pat("FLUSH", "10ddddd111011sssssixxxxxxxxxxxxx", Flush),
    pat("SAVE", "10ddddd111100sssssixxxxxxxxxxxxx", SaveRestore),
    pat("RESTORE", "10ddddd111101sssssixxxxxxxxxxxxx", SaveRestore),
    // Format 3, op=3: loads and stores.
    pat("LD", "11ddddd000000sssssixxxxxxxxxxxxx", Mem),
    pat("LDUB", "11ddddd000001sssssixxxxxxxxxxxxx", Mem),
    pat("LDUH", "11ddddd000010sssssixxxxxxxxxxxxx", Mem),
    pat("LDD", "11ddddd000011sssssixxxxxxxxxxxxx", Mem),
    pat("ST", "11ddddd000100sssssixxxxxxxxxxxxx", Mem),
    pat("STB", "11ddddd000101sssssixxxxxxxxxxxxx", Mem),
    pat("STH", "11ddddd000110sssssixxxxxxxxxxxxx", Mem),
    pat("STD", "11ddddd000111sssssixxxxxxxxxxxxx", Mem),
    pat("LDSB", "11ddddd001001sssssixxxxxxxxxxxxx", Mem),
    pat("LDSH", "11ddddd001010sssssixxxxxxxxxxxxx", Mem),
    pat("LDSTUB", "11ddddd001101sssssixxxxxxxxxxxxx", Mem),
    pat("SWAP", "11ddddd001111sssssixxxxxxxxxxxxx", Mem),
    pat("LDA", "11ddddd010000sssssixxxxxxxxxxxxx", Mem),
    pat("LDUBA", "11ddddd010001sssssixxxxxxxxxxxxx", Mem),
    pat("LDUHA", "11ddddd010010sssssixxxxxxxxxxxxx", Mem),
    pat("LDDA", "11ddddd010011sssssixxxxxxxxxxxxx", Mem),
    pat("STA", "11ddddd010100sssssixxxxxxxxxxxxx", Mem),
    pat("STBA", "11ddddd010101sssssixxxxxxxxxxxxx", Mem),
    pat("STHA", "11ddddd010110sssssixxxxxxxxxxxxx", Mem),
    pat("STDA", "11ddddd010111sssssixxxxxxxxxxxxx", Mem),
    pat("LDSBA", "11ddddd011001sssssixxxxxxxxxxxxx", Mem),
    pat("LDSHA", "11ddddd011010sssssixxxxxxxxxxxxx", Mem),
    pat("LDSTUBA", "11ddddd011101sssssixxxxxxxxxxxxx", Mem),
    pat("SWAPA", "11ddddd011111sssssixxxxxxxxxxxxx", Mem),
    pat("LDF", "11ddddd100000sssssixxxxxxxxxxxxx", Coproc),
    pat("LDFSR", "11ddddd100001sssssixxxxxxxxxxxxx", Coproc),
    // V9's LDQF: QEMU's LEON3 decodes it as an unimplemented quad FPop.
    pat("LDQF", "11ddddd100010sssssixxxxxxxxxxxxx", Coproc),
    pat("LDDF", "11ddddd100011sssssixxxxxxxxxxxxx", Coproc),
    pat("STF", "11ddddd100100sssssixxxxxxxxxxxxx", Coproc),
    pat("STFSR", "11ddddd100101sssssixxxxxxxxxxxxx", Coproc),
    pat("STDFQ", "11ddddd100110sssssixxxxxxxxxxxxx", Coproc),
    pat("STDF", "11ddddd100111sssssixxxxxxxxxxxxx", Coproc),
    pat("LDC", "11ddddd110000sssssixxxxxxxxxxxxx", Coproc),
    pat("LDCSR", "11ddddd110001sssssixxxxxxxxxxxxx", Coproc),
    pat("LDDC", "11ddddd110011sssssixxxxxxxxxxxxx", Coproc),
    pat("STC", "11ddddd110100sssssixxxxxxxxxxxxx", Coproc),
    pat("STCSR", "11ddddd110101sssssixxxxxxxxxxxxx", Coproc),
    pat("STDCQ", "11ddddd110110sssssixxxxxxxxxxxxx", Coproc),
    pat("STDC", "11ddddd110111sssssixxxxxxxxxxxxx", Coproc),
];

/// The first pattern of the table that `insn` matches. The table is indexed
/// by op (bits \[31:30\]) and op3 (bits \[24:19\], which also hold op2 for
/// format 2): 256 buckets.
pub fn decode(insn: u32) -> Option<&'static Pattern> {
    static INDEX: OnceLock<PatternIndex> = OnceLock::new();
    INDEX.get_or_init(|| PatternIndex::new(PATTERNS, 0xc000_0000 | 0x3f << 19)).decode(PATTERNS, insn)
}

/// Name of the pattern `insn` matches (for traces and `--log unimp`).
pub fn decode_name(insn: u32) -> Option<&'static str> {
    decode(insn).map(|p| p.name)
}

/// Decode `insn` and call the visitor method of its class (or `illegal`).
pub fn visit<V: Visitor + ?Sized>(v: &mut V, insn: u32) -> V::Output {
    match decode(insn) {
        Some(p) => p.class.visit(v, Insn(insn)),
        None => v.illegal(Insn(insn)),
    }
}

/// True for the delayed control-transfer instructions (SPARC V8 manual 5.1.5):
/// Bicc, FBfcc, CBccc, CALL, JMPL, RETT.
pub fn is_dcti(insn: u32) -> bool {
    let i = Insn(insn);
    match i.op() {
        0 => matches!(i.op2(), 2 | 6 | 7),
        1 => true,
        2 => matches!(i.op3(), 0x38 | 0x39),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_agrees_with_a_linear_scan() {
        let mut x = 0x1234_5678_9abc_def0u64;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let insn = x as u32;
            let linear = PATTERNS.iter().find(|p| p.matches(insn)).map(|p| p.name);
            assert_eq!(decode_name(insn), linear, "{insn:#010x}");
        }
    }

    #[test]
    fn names() {
        assert_eq!(decode_name(0x0100_0000), Some("SETHI")); // nop
        assert_eq!(decode_name(0x9de3_bfa0), Some("SAVE")); // save %sp, -96, %sp
        assert_eq!(decode_name(0x81c7_e008), Some("JMPL")); // ret
        assert_eq!(decode_name(0x81e8_0000), Some("RESTORE"));
        assert_eq!(decode_name(0x9140_0000), Some("RDY")); // rd %y, %o0
        assert_eq!(decode_name(0x8143_c000), Some("STBAR"));
        assert_eq!(decode_name(0x9144_4000), Some("RDASR")); // rd %asr17, %o0
        assert_eq!(decode_name(0x91d0_2000), Some("Ticc")); // ta 0
        assert_eq!(decode_name(0x4000_0001), Some("CALL"));
        assert_eq!(decode_name(0xc200_4000), Some("LD")); // ld [%g1], %g1
        assert_eq!(decode_name(0x8148_0000), Some("RDPSR"));
        assert_eq!(decode_name(0x8048_0000), None); // op3 0x09 is not V8
    }

    #[test]
    fn dcti() {
        assert!(is_dcti(0x1080_0002)); // ba
        assert!(is_dcti(0x81c7_e008)); // ret
        assert!(is_dcti(0x4000_0001));
        assert!(!is_dcti(0x0100_0000));
        assert!(!is_dcti(0x91d0_2000));
    }
}
