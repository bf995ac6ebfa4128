//! The A64 decoder: one declarative table of encodings (QEMU decodetree /
//! Dynarmic `a64.inc` style) dispatching to a [`Visitor`] with one method per
//! instruction class.
//!
//! Each [`Pattern`] is a 32-character bit string, bit 31 first: `0`/`1` are
//! fixed bits, any other character (a field letter or `-`) is don't-care. The
//! letters name fields for the reader; the visitor reads fields through the
//! typed accessors of [`Insn`]. Patterns are tried in table order, so a more
//! specific pattern that overlaps a general one comes first (the only overlaps
//! are the no-allocate pairs before the indexed pairs and PRFM before the
//! signed loads). Encodings no pattern matches, and those a class method finds
//! reserved in its remaining fields, are UNDEFINED.
//!
//! Field letters used: `s` sf, `N` N, `h` shift/hw, `i` immediate, `r` immr,
//! `x` imms, `n` Rn, `d` Rd, `m` Rm (or CRm), `a` Ra, `t` Rt, `u` Rt2, `w` Rs,
//! `c` cond, `f` nzcv, `z` size, `o` opcode bits, `p` op2, `b` bit number,
//! `e` option, `S` S, `q` the ordering bits of the LSE atomics (A and R, or
//! L and o0).

use chimera_ir::PatternIndex;
use std::sync::OnceLock;

/// One A64 instruction word with typed field accessors (ARM ARM C4.1 field names).
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
    /// Bits `[hi:lo]` sign-extended to 64 bits.
    pub const fn sbits(self, hi: u32, lo: u32) -> i64 {
        let w = hi - lo + 1;
        ((self.bits(hi, lo) as i64) << (64 - w)) >> (64 - w)
    }
    /// Rd / Rt, bits \[4:0\].
    pub const fn rd(self) -> usize {
        self.bits(4, 0) as usize
    }
    /// Rt, bits \[4:0\].
    pub const fn rt(self) -> usize {
        self.rd()
    }
    /// Rn, bits \[9:5\].
    pub const fn rn(self) -> usize {
        self.bits(9, 5) as usize
    }
    /// Rm / Rs, bits \[20:16\].
    pub const fn rm(self) -> usize {
        self.bits(20, 16) as usize
    }
    /// Rs (status register of a store-exclusive), bits \[20:16\].
    pub const fn rs(self) -> usize {
        self.rm()
    }
    /// Ra / Rt2, bits \[14:10\].
    pub const fn ra(self) -> usize {
        self.bits(14, 10) as usize
    }
    /// Rt2, bits \[14:10\].
    pub const fn rt2(self) -> usize {
        self.ra()
    }
    /// sf, bit 31: 64-bit operation.
    pub const fn sf(self) -> bool {
        self.bit(31)
    }
    /// op, bit 30 (subtract / second variant).
    pub const fn op(self) -> bool {
        self.bit(30)
    }
    /// S, bit 29: set flags.
    pub const fn s(self) -> bool {
        self.bit(29)
    }
    /// N, bit 22 (logical and bitfield immediates, EXTR).
    pub const fn n(self) -> bool {
        self.bit(22)
    }
    /// imm12, bits \[21:10\].
    pub const fn imm12(self) -> u32 {
        self.bits(21, 10)
    }
    /// immr, bits \[21:16\].
    pub const fn immr(self) -> u32 {
        self.bits(21, 16)
    }
    /// imms, bits \[15:10\].
    pub const fn imms(self) -> u32 {
        self.bits(15, 10)
    }
    /// imm16, bits \[20:5\].
    pub const fn imm16(self) -> u32 {
        self.bits(20, 5)
    }
    /// hw, bits \[22:21\].
    pub const fn hw(self) -> u32 {
        self.bits(22, 21)
    }
    /// shift type, bits \[23:22\].
    pub const fn shift(self) -> u32 {
        self.bits(23, 22)
    }
    /// imm6, bits \[15:10\].
    pub const fn imm6(self) -> u32 {
        self.bits(15, 10)
    }
    /// option, bits \[15:13\].
    pub const fn option(self) -> u32 {
        self.bits(15, 13)
    }
    /// imm3, bits \[12:10\].
    pub const fn imm3(self) -> u32 {
        self.bits(12, 10)
    }
    /// size, bits \[31:30\].
    pub const fn size(self) -> u32 {
        self.bits(31, 30)
    }
    /// opc of loads/stores, bits \[23:22\].
    pub const fn opc(self) -> u32 {
        self.bits(23, 22)
    }
    /// imm19 (B.cond, CBZ, LDR literal), bits \[23:5\], sign-extended.
    pub const fn imm19(self) -> i64 {
        self.sbits(23, 5)
    }
    /// imm26 (B, BL), bits \[25:0\], sign-extended.
    pub const fn imm26(self) -> i64 {
        self.sbits(25, 0)
    }
    /// imm14 (TBZ), bits \[18:5\], sign-extended.
    pub const fn imm14(self) -> i64 {
        self.sbits(18, 5)
    }
    /// imm9 (unscaled and indexed loads/stores), bits \[20:12\], sign-extended.
    pub const fn imm9(self) -> i64 {
        self.sbits(20, 12)
    }
    /// imm7 (pairs), bits \[21:15\], sign-extended.
    pub const fn imm7(self) -> i64 {
        self.sbits(21, 15)
    }
    /// cond of CSEL/CCMP, bits \[15:12\].
    pub const fn cond(self) -> u32 {
        self.bits(15, 12)
    }
    /// System instruction fields (op0, op1, CRn, CRm, op2).
    pub const fn sys_fields(self) -> (u32, u32, u32, u32, u32) {
        (self.bits(20, 19), self.bits(18, 16), self.bits(15, 12), self.bits(11, 8), self.bits(7, 5))
    }
}

macro_rules! classes {
    ($( $(#[$doc:meta])* $variant:ident => $method:ident, )*) => {
        /// An instruction class: the visitor method a pattern dispatches to.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Class {
            $( $(#[$doc])* $variant, )*
        }

        /// Receives decoded instructions, one method per instruction class.
        pub trait Visitor {
            /// What visiting one instruction produces.
            type Output;
            /// An encoding that no pattern matches (UNDEFINED).
            fn unallocated(&mut self, insn: Insn) -> Self::Output;
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
    /// ADR, ADRP (C6.2.10, C6.2.11).
    PcRel => pc_rel,
    /// ADD/ADDS/SUB/SUBS (immediate).
    AddSubImm => add_sub_imm,
    /// AND/ORR/EOR/ANDS (immediate).
    LogicalImm => logical_imm,
    /// MOVN/MOVZ/MOVK.
    MoveWide => move_wide,
    /// SBFM/BFM/UBFM.
    Bitfield => bitfield,
    /// EXTR.
    Extract => extract,
    /// B, BL.
    BranchImm => branch_imm,
    /// CBZ, CBNZ.
    CompareBranch => compare_branch,
    /// TBZ, TBNZ.
    TestBranch => test_branch,
    /// B.cond.
    CondBranch => cond_branch,
    /// SVC, HVC, SMC, BRK, HLT.
    ExceptionGen => exception_gen,
    /// HINT space (NOP, YIELD, WFE, WFI, SEV, SEVL, ...).
    Hint => hint,
    /// CLREX, DSB, DMB, ISB.
    Barrier => barrier,
    /// MSR (immediate) to PSTATE fields.
    Pstate => pstate,
    /// SYS: DC, IC, AT, TLBI.
    Sys => sys,
    /// MSR/MRS (register).
    SysReg => sysreg,
    /// BR, BLR, RET.
    BranchReg => branch_reg,
    /// ERET.
    Eret => eret,
    /// LDXR/STXR/LDAXR/STLXR and their pair forms.
    Exclusive => exclusive,
    /// LDAR, STLR.
    AcquireRelease => acquire_release,
    /// LSE atomic memory operations: LDADD/LDCLR/LDEOR/LDSET/LDSMAX/LDSMIN/
    /// LDUMAX/LDUMIN (and their ST\<op\> aliases), SWP.
    AtomicMemory => atomic_memory,
    /// LDAPR, LDAPRB, LDAPRH (FEAT_LRCPC).
    LoadAcquirePc => load_acquire_pc,
    /// LSE CAS{A}{L}{B,H}.
    CompareSwap => compare_swap,
    /// LSE CASP{A}{L} (W and X pairs).
    CompareSwapPair => compare_swap_pair,
    /// LDR/LDRSW/PRFM (literal).
    LoadLiteral => load_literal,
    /// LDP/STP/LDPSW/LDNP/STNP.
    LoadStorePair => load_store_pair,
    /// LDR/STR (unsigned immediate offset).
    LoadStoreUimm => load_store_uimm,
    /// LDUR/STUR, pre/post-indexed and unprivileged forms (imm9).
    LoadStoreImm9 => load_store_imm9,
    /// LDR/STR (register offset).
    LoadStoreReg => load_store_reg,
    /// AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS (shifted register).
    LogicalShifted => logical_shifted,
    /// ADD/ADDS/SUB/SUBS (shifted register).
    AddSubShifted => add_sub_shifted,
    /// ADD/ADDS/SUB/SUBS (extended register).
    AddSubExtended => add_sub_extended,
    /// ADC/ADCS/SBC/SBCS.
    AddSubCarry => add_sub_carry,
    /// CCMN/CCMP (register and immediate).
    CondCompare => cond_compare,
    /// CSEL/CSINC/CSINV/CSNEG.
    CondSelect => cond_select,
    /// UDIV/SDIV/LSLV/LSRV/ASRV/RORV.
    DataProc2 => data_proc_2src,
    /// CRC32B/H/W/X, CRC32CB/H/W/X.
    Crc32 => crc32,
    /// RBIT/REV16/REV32/REV/CLZ/CLS.
    DataProc1 => data_proc_1src,
    /// SIMD&FP loads and stores (V = 1), including the AdvSIMD structure
    /// loads and stores ([`crate::simd_fp::load_store_allocated`]).
    SimdFpLoadStore => simd_fp_load_store,
    /// Data processing - SIMD&FP, including the crypto extension
    /// ([`crate::simd_fp::data_allocated`]).
    SimdFpData => simd_fp_data,
    /// MADD/MSUB/SMADDL/SMSUBL/UMADDL/UMSUBL/SMULH/UMULH.
    DataProc3 => data_proc_3src,
}

/// One encoding of the table.
pub type Pattern = chimera_ir::Pattern<Class>;

const fn pat(name: &'static str, bits: &'static str, class: Class) -> Pattern {
    Pattern::new(name, bits, class)
}

use Class::*;

/// The A64 encodings Chimera implements (ARMv8.0 integer and system subset,
/// CRC32, the ARMv8.1 LSE atomics, and the SIMD&FP space as two coarse
/// groups), ARM ARM C4.1 "A64 instruction set encoding".
pub static PATTERNS: &[Pattern] = &[
    // C4.1.2 Data processing - immediate.
    pat("ADR", "0ii10000iiiiiiiiiiiiiiiiiiiddddd", PcRel),
    pat("ADRP", "1ii10000iiiiiiiiiiiiiiiiiiiddddd", PcRel),
    pat("ADD_imm", "s00100010hiiiiiiiiiiiinnnnnddddd", AddSubImm),
    pat("ADDS_imm", "s01100010hiiiiiiiiiiiinnnnnddddd", AddSubImm),
    pat("SUB_imm", "s10100010hiiiiiiiiiiiinnnnnddddd", AddSubImm),
    pat("SUBS_imm", "s11100010hiiiiiiiiiiiinnnnnddddd", AddSubImm),
    pat("AND_imm", "s00100100Nrrrrrrxxxxxxnnnnnddddd", LogicalImm),
    pat("ORR_imm", "s01100100Nrrrrrrxxxxxxnnnnnddddd", LogicalImm),
    pat("EOR_imm", "s10100100Nrrrrrrxxxxxxnnnnnddddd", LogicalImm),
    pat("ANDS_imm", "s11100100Nrrrrrrxxxxxxnnnnnddddd", LogicalImm),
    pat("MOVN", "s00100101hhiiiiiiiiiiiiiiiiddddd", MoveWide),
    pat("MOVZ", "s10100101hhiiiiiiiiiiiiiiiiddddd", MoveWide),
    pat("MOVK", "s11100101hhiiiiiiiiiiiiiiiiddddd", MoveWide),
    pat("SBFM", "s00100110Nrrrrrrxxxxxxnnnnnddddd", Bitfield),
    pat("BFM", "s01100110Nrrrrrrxxxxxxnnnnnddddd", Bitfield),
    pat("UBFM", "s10100110Nrrrrrrxxxxxxnnnnnddddd", Bitfield),
    pat("EXTR", "s00100111N0mmmmmxxxxxxnnnnnddddd", Extract),
    // C4.1.3 Branches, exception generating and system instructions.
    pat("B", "000101iiiiiiiiiiiiiiiiiiiiiiiiii", BranchImm),
    pat("BL", "100101iiiiiiiiiiiiiiiiiiiiiiiiii", BranchImm),
    pat("CBZ", "s0110100iiiiiiiiiiiiiiiiiiittttt", CompareBranch),
    pat("CBNZ", "s0110101iiiiiiiiiiiiiiiiiiittttt", CompareBranch),
    pat("TBZ", "b0110110bbbbbiiiiiiiiiiiiiittttt", TestBranch),
    pat("TBNZ", "b0110111bbbbbiiiiiiiiiiiiiittttt", TestBranch),
    pat("B_cond", "01010100iiiiiiiiiiiiiiiiiii0cccc", CondBranch),
    pat("SVC", "11010100000iiiiiiiiiiiiiiii00001", ExceptionGen),
    pat("HVC", "11010100000iiiiiiiiiiiiiiii00010", ExceptionGen),
    pat("SMC", "11010100000iiiiiiiiiiiiiiii00011", ExceptionGen),
    pat("BRK", "11010100001iiiiiiiiiiiiiiii00000", ExceptionGen),
    pat("HLT", "11010100010iiiiiiiiiiiiiiii00000", ExceptionGen),
    pat("HINT", "11010101000000110010mmmmppp11111", Hint),
    pat("CLREX", "11010101000000110011mmmm01011111", Barrier),
    pat("DSB", "11010101000000110011mmmm10011111", Barrier),
    pat("DMB", "11010101000000110011mmmm10111111", Barrier),
    pat("ISB", "11010101000000110011mmmm11011111", Barrier),
    pat("MSR_imm", "1101010100000ooo0100mmmmppp11111", Pstate),
    pat("SYS", "1101010100001ooonnnnmmmmpppttttt", Sys),
    pat("MSR_reg", "110101010001oooonnnnmmmmpppttttt", SysReg),
    pat("MRS", "110101010011oooonnnnmmmmpppttttt", SysReg),
    pat("BR", "1101011000011111000000nnnnn00000", BranchReg),
    pat("BLR", "1101011000111111000000nnnnn00000", BranchReg),
    pat("RET", "1101011001011111000000nnnnn00000", BranchReg),
    pat("ERET", "11010110100111110000001111100000", Eret),
    // C4.1.4 Loads and stores.
    pat("STXR", "zz001000000wwwww0uuuuunnnnnttttt", Exclusive),
    pat("STLXR", "zz001000000wwwww1uuuuunnnnnttttt", Exclusive),
    pat("LDXR", "zz001000010wwwww0uuuuunnnnnttttt", Exclusive),
    pat("LDAXR", "zz001000010wwwww1uuuuunnnnnttttt", Exclusive),
    pat("STXP", "1z001000001wwwww0uuuuunnnnnttttt", Exclusive),
    pat("STLXP", "1z001000001wwwww1uuuuunnnnnttttt", Exclusive),
    pat("LDXP", "1z001000011wwwww0uuuuunnnnnttttt", Exclusive),
    pat("LDAXP", "1z001000011wwwww1uuuuunnnnnttttt", Exclusive),
    pat("STLR", "zz001000100wwwww1uuuuunnnnnttttt", AcquireRelease),
    pat("LDAR", "zz001000110wwwww1uuuuunnnnnttttt", AcquireRelease),
    // ARMv8.1 LSE (C4.1.4 "Compare and swap", "Compare and swap pair",
    // "Atomic memory operations"): UNDEFINED on CPU models without
    // FEAT_LSE, which the class methods check.
    pat("CAS", "zz0010001q1wwwwwq11111nnnnnttttt", CompareSwap),
    pat("CASP", "0z0010000q1wwwwwq11111nnnnnttttt", CompareSwapPair),
    pat("LDADD", "zz111000qq1wwwww000000nnnnnttttt", AtomicMemory),
    pat("LDCLR", "zz111000qq1wwwww000100nnnnnttttt", AtomicMemory),
    pat("LDEOR", "zz111000qq1wwwww001000nnnnnttttt", AtomicMemory),
    pat("LDSET", "zz111000qq1wwwww001100nnnnnttttt", AtomicMemory),
    pat("LDSMAX", "zz111000qq1wwwww010000nnnnnttttt", AtomicMemory),
    pat("LDSMIN", "zz111000qq1wwwww010100nnnnnttttt", AtomicMemory),
    pat("LDUMAX", "zz111000qq1wwwww011000nnnnnttttt", AtomicMemory),
    pat("LDUMIN", "zz111000qq1wwwww011100nnnnnttttt", AtomicMemory),
    pat("SWP", "zz111000qq1wwwww100000nnnnnttttt", AtomicMemory),
    // C6.2.119 LDAPR: the atomic-memory encoding with A = 1, R = 0, Rs = 31,
    // o3 = 1, opc = 100 (before the general LD<op> forms it would not match).
    pat("LDAPR", "zz11100010111111110000nnnnnttttt", LoadAcquirePc),
    pat("LDR_lit_w", "00011000iiiiiiiiiiiiiiiiiiittttt", LoadLiteral),
    pat("LDR_lit_x", "01011000iiiiiiiiiiiiiiiiiiittttt", LoadLiteral),
    pat("LDRSW_lit", "10011000iiiiiiiiiiiiiiiiiiittttt", LoadLiteral),
    pat("PRFM_lit", "11011000iiiiiiiiiiiiiiiiiiittttt", LoadLiteral),
    pat("STNP_w", "0010100000iiiiiiiuuuuunnnnnttttt", LoadStorePair),
    pat("LDNP_w", "0010100001iiiiiiiuuuuunnnnnttttt", LoadStorePair),
    pat("STNP_x", "1010100000iiiiiiiuuuuunnnnnttttt", LoadStorePair),
    pat("LDNP_x", "1010100001iiiiiiiuuuuunnnnnttttt", LoadStorePair),
    pat("STP_w", "0010100pp0iiiiiiiuuuuunnnnnttttt", LoadStorePair),
    pat("LDP_w", "0010100pp1iiiiiiiuuuuunnnnnttttt", LoadStorePair),
    pat("LDPSW", "0110100pp1iiiiiiiuuuuunnnnnttttt", LoadStorePair),
    pat("STP_x", "1010100pp0iiiiiiiuuuuunnnnnttttt", LoadStorePair),
    pat("LDP_x", "1010100pp1iiiiiiiuuuuunnnnnttttt", LoadStorePair),
    pat("STR_uimm", "zz11100100iiiiiiiiiiiinnnnnttttt", LoadStoreUimm),
    pat("LDR_uimm", "zz11100101iiiiiiiiiiiinnnnnttttt", LoadStoreUimm),
    pat("PRFM_uimm", "1111100110iiiiiiiiiiiinnnnnttttt", LoadStoreUimm),
    pat("LDRS_uimm", "zz1110011oiiiiiiiiiiiinnnnnttttt", LoadStoreUimm),
    pat("STUR", "zz111000000iiiiiiiii00nnnnnttttt", LoadStoreImm9),
    pat("LDUR", "zz111000010iiiiiiiii00nnnnnttttt", LoadStoreImm9),
    pat("PRFUM", "11111000100iiiiiiiii00nnnnnttttt", LoadStoreImm9),
    pat("LDURS", "zz1110001o0iiiiiiiii00nnnnnttttt", LoadStoreImm9),
    pat("STR_post", "zz111000000iiiiiiiii01nnnnnttttt", LoadStoreImm9),
    pat("LDR_post", "zz111000010iiiiiiiii01nnnnnttttt", LoadStoreImm9),
    pat("LDRS_post", "zz1110001o0iiiiiiiii01nnnnnttttt", LoadStoreImm9),
    pat("STTR", "zz111000000iiiiiiiii10nnnnnttttt", LoadStoreImm9),
    pat("LDTR", "zz111000010iiiiiiiii10nnnnnttttt", LoadStoreImm9),
    pat("LDTRS", "zz1110001o0iiiiiiiii10nnnnnttttt", LoadStoreImm9),
    pat("STR_pre", "zz111000000iiiiiiiii11nnnnnttttt", LoadStoreImm9),
    pat("LDR_pre", "zz111000010iiiiiiiii11nnnnnttttt", LoadStoreImm9),
    pat("LDRS_pre", "zz1110001o0iiiiiiiii11nnnnnttttt", LoadStoreImm9),
    pat("STR_reg", "zz111000001mmmmmeeeS10nnnnnttttt", LoadStoreReg),
    pat("LDR_reg", "zz111000011mmmmmeeeS10nnnnnttttt", LoadStoreReg),
    pat("PRFM_reg", "11111000101mmmmmeeeS10nnnnnttttt", LoadStoreReg),
    pat("LDRS_reg", "zz1110001o1mmmmmeeeS10nnnnnttttt", LoadStoreReg),
    // C4.1.4 SIMD&FP loads and stores (op0 = x1x0 with V = 1) and C4.1.6
    // Data processing - SIMD&FP (op0 = x111): one pattern each; the class
    // methods find the reserved encodings in the remaining fields.
    pat("SIMD_FP_ldst", "----110-------------------------", SimdFpLoadStore),
    pat("SIMD_FP_data", "----111-------------------------", SimdFpData),
    // C4.1.5 Data processing - register.
    pat("AND_reg", "s0001010hh0mmmmmiiiiiinnnnnddddd", LogicalShifted),
    pat("BIC_reg", "s0001010hh1mmmmmiiiiiinnnnnddddd", LogicalShifted),
    pat("ORR_reg", "s0101010hh0mmmmmiiiiiinnnnnddddd", LogicalShifted),
    pat("ORN_reg", "s0101010hh1mmmmmiiiiiinnnnnddddd", LogicalShifted),
    pat("EOR_reg", "s1001010hh0mmmmmiiiiiinnnnnddddd", LogicalShifted),
    pat("EON_reg", "s1001010hh1mmmmmiiiiiinnnnnddddd", LogicalShifted),
    pat("ANDS_reg", "s1101010hh0mmmmmiiiiiinnnnnddddd", LogicalShifted),
    pat("BICS_reg", "s1101010hh1mmmmmiiiiiinnnnnddddd", LogicalShifted),
    pat("ADD_sreg", "s0001011hh0mmmmmiiiiiinnnnnddddd", AddSubShifted),
    pat("ADDS_sreg", "s0101011hh0mmmmmiiiiiinnnnnddddd", AddSubShifted),
    pat("SUB_sreg", "s1001011hh0mmmmmiiiiiinnnnnddddd", AddSubShifted),
    pat("SUBS_sreg", "s1101011hh0mmmmmiiiiiinnnnnddddd", AddSubShifted),
    pat("ADD_ext", "s0001011001mmmmmeeeiiinnnnnddddd", AddSubExtended),
    pat("ADDS_ext", "s0101011001mmmmmeeeiiinnnnnddddd", AddSubExtended),
    pat("SUB_ext", "s1001011001mmmmmeeeiiinnnnnddddd", AddSubExtended),
    pat("SUBS_ext", "s1101011001mmmmmeeeiiinnnnnddddd", AddSubExtended),
    pat("ADC", "s0011010000mmmmm000000nnnnnddddd", AddSubCarry),
    pat("ADCS", "s0111010000mmmmm000000nnnnnddddd", AddSubCarry),
    pat("SBC", "s1011010000mmmmm000000nnnnnddddd", AddSubCarry),
    pat("SBCS", "s1111010000mmmmm000000nnnnnddddd", AddSubCarry),
    pat("CCMN_reg", "s0111010010mmmmmcccc00nnnnn0ffff", CondCompare),
    pat("CCMN_imm", "s0111010010iiiiicccc10nnnnn0ffff", CondCompare),
    pat("CCMP_reg", "s1111010010mmmmmcccc00nnnnn0ffff", CondCompare),
    pat("CCMP_imm", "s1111010010iiiiicccc10nnnnn0ffff", CondCompare),
    pat("CSEL", "s0011010100mmmmmcccc00nnnnnddddd", CondSelect),
    pat("CSINC", "s0011010100mmmmmcccc01nnnnnddddd", CondSelect),
    pat("CSINV", "s1011010100mmmmmcccc00nnnnnddddd", CondSelect),
    pat("CSNEG", "s1011010100mmmmmcccc01nnnnnddddd", CondSelect),
    pat("UDIV", "s0011010110mmmmm000010nnnnnddddd", DataProc2),
    pat("SDIV", "s0011010110mmmmm000011nnnnnddddd", DataProc2),
    pat("LSLV", "s0011010110mmmmm001000nnnnnddddd", DataProc2),
    pat("LSRV", "s0011010110mmmmm001001nnnnnddddd", DataProc2),
    pat("ASRV", "s0011010110mmmmm001010nnnnnddddd", DataProc2),
    pat("RORV", "s0011010110mmmmm001011nnnnnddddd", DataProc2),
    pat("CRC32B", "00011010110mmmmm010000nnnnnddddd", Crc32),
    pat("CRC32H", "00011010110mmmmm010001nnnnnddddd", Crc32),
    pat("CRC32W", "00011010110mmmmm010010nnnnnddddd", Crc32),
    pat("CRC32X", "10011010110mmmmm010011nnnnnddddd", Crc32),
    pat("CRC32CB", "00011010110mmmmm010100nnnnnddddd", Crc32),
    pat("CRC32CH", "00011010110mmmmm010101nnnnnddddd", Crc32),
    pat("CRC32CW", "00011010110mmmmm010110nnnnnddddd", Crc32),
    pat("CRC32CX", "10011010110mmmmm010111nnnnnddddd", Crc32),
    pat("RBIT", "s101101011000000000000nnnnnddddd", DataProc1),
    pat("REV16", "s101101011000000000001nnnnnddddd", DataProc1),
    pat("REV32_REVw", "s101101011000000000010nnnnnddddd", DataProc1),
    pat("REV_x", "1101101011000000000011nnnnnddddd", DataProc1),
    pat("CLZ", "s101101011000000000100nnnnnddddd", DataProc1),
    pat("CLS", "s101101011000000000101nnnnnddddd", DataProc1),
    pat("MADD", "s0011011000mmmmm0aaaaannnnnddddd", DataProc3),
    pat("MSUB", "s0011011000mmmmm1aaaaannnnnddddd", DataProc3),
    pat("SMADDL", "10011011001mmmmm0aaaaannnnnddddd", DataProc3),
    pat("SMSUBL", "10011011001mmmmm1aaaaannnnnddddd", DataProc3),
    pat("SMULH", "10011011010mmmmm0aaaaannnnnddddd", DataProc3),
    pat("UMADDL", "10011011101mmmmm0aaaaannnnnddddd", DataProc3),
    pat("UMSUBL", "10011011101mmmmm1aaaaannnnnddddd", DataProc3),
    pat("UMULH", "10011011110mmmmm0aaaaannnnnddddd", DataProc3),
];

/// The first pattern of the table that `insn` matches. The table is indexed
/// by instruction bits \[31:21\] (2048 buckets).
pub fn decode(insn: u32) -> Option<&'static Pattern> {
    static INDEX: OnceLock<PatternIndex> = OnceLock::new();
    INDEX.get_or_init(|| PatternIndex::new(PATTERNS, 0xffe0_0000)).decode(PATTERNS, insn)
}

/// Name of the pattern `insn` matches (for traces and `--log unimp`), without
/// disassembling it.
pub fn decode_name(insn: u32) -> Option<&'static str> {
    decode(insn).map(|p| p.name)
}

/// Decode `insn` and call the visitor method of its class (or `unallocated`).
pub fn visit<V: Visitor + ?Sized>(v: &mut V, insn: u32) -> V::Output {
    match decode(insn) {
        Some(p) => p.class.visit(v, Insn(insn)),
        None => v.unallocated(Insn(insn)),
    }
}

/// `DecodeBitMasks()` (ARM ARM J1.1.3 shared/functions/bitmasks): the `(wmask,
/// tmask)` pair of a logical immediate (`immediate` true) or a bitfield
/// operation, for a `datasize` of 32 or 64. `None` where the pseudocode says
/// UNDEFINED (reserved encodings).
pub fn decode_bit_masks(n: bool, imms: u32, immr: u32, immediate: bool, datasize: u32) -> Option<(u64, u64)> {
    // len = HighestSetBit(immN:NOT(imms)).
    let combined = (u32::from(n) << 6) | (!imms & 0x3f);
    if combined == 0 {
        return None;
    }
    let len = 31 - combined.leading_zeros();
    if len < 1 || (1 << len) > datasize {
        return None;
    }
    let levels = (1u32 << len) - 1;
    if immediate && imms & levels == levels {
        return None;
    }
    let s = imms & levels;
    let r = immr & levels;
    let d = s.wrapping_sub(r) & levels;
    let esize = 1u32 << len;
    let ones = |k: u32| if k >= 64 { u64::MAX } else { (1u64 << k) - 1 };
    let emask = ones(esize);
    let welem = ones(s + 1);
    let telem = ones(d + 1);
    // ROR(welem, R) within esize bits.
    let rot = if r == 0 { welem } else { ((welem >> r) | (welem << (esize - r))) & emask };
    let replicate = |e: u64| {
        let mut out = 0u64;
        let mut pos = 0;
        while pos < datasize {
            out |= e << pos;
            pos += esize;
        }
        out & ones(datasize)
    };
    Some((replicate(rot), replicate(telem)))
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
    fn every_pattern_decodes_to_itself_or_a_listed_overlap() {
        for p in PATTERNS {
            let got = decode_name(p.value).unwrap();
            let ok = got == p.name || matches!((got, p.name), ("PRFM_uimm", "LDRS_uimm") | ("PRFUM", "LDURS") | ("PRFM_reg", "LDRS_reg"));
            // The no-allocate pairs are the type=000 corner of the indexed pairs.
            let ok = ok || (got.contains("NP") && p.name.contains('P'));
            assert!(ok, "{} decodes as {got}", p.name);
        }
    }

    #[test]
    fn names() {
        assert_eq!(decode_name(0x9100_0420), Some("ADD_imm")); // add x0, x1, #1
        assert_eq!(decode_name(0xd65f_03c0), Some("RET"));
        assert_eq!(decode_name(0xd503_201f), Some("HINT")); // nop
        assert_eq!(decode_name(0xa9bf_7bfd), Some("STP_x")); // stp x29, x30, [sp, #-16]!
        assert_eq!(decode_name(0x1e60_4000), Some("SIMD_FP_data")); // fmov d0, d0
        assert_eq!(decode_name(0), None);
    }

    #[test]
    fn bit_masks() {
        // orr x0, xzr, #0x5555555555555555: N=0 immr=0 imms=0b111100.
        assert_eq!(decode_bit_masks(false, 0b111100, 0, true, 64).unwrap().0, 0x5555_5555_5555_5555);
        // and w0, w0, #0xff: N=0 immr=0 imms=7.
        assert_eq!(decode_bit_masks(false, 7, 0, true, 32).unwrap().0, 0xff);
        // mov x0, #0xffff0000ffff0000: N=0, esize 32, 16 ones rotated by 16.
        assert_eq!(decode_bit_masks(false, 15, 16, true, 64).unwrap().0, 0xffff_0000_ffff_0000);
        // All ones is reserved for logical immediates.
        assert_eq!(decode_bit_masks(true, 0x3f, 0, true, 64), None);
        assert_eq!(decode_bit_masks(false, 0x3f, 0, true, 32), None);
        // ...but not for bitfields (ASR #63 style masks).
        assert!(decode_bit_masks(true, 0x3f, 0x3f, false, 64).is_some());
    }
}
