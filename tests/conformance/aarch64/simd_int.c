// SPDX-License-Identifier: MIT OR Apache-2.0
// guest-variant: fp
//
// Advanced SIMD integer instructions (ARM ARM C7.2), vector and scalar:
// three-same arithmetic, compares, shifts by register, halving, rounding
// and saturating forms; three-different widening/narrowing forms (L, W, HN
// and their "2" upper-half variants); two-register miscellaneous (ABS, NEG,
// saturating ABS/NEG/narrow, CLS/CLZ/CNT/NOT/RBIT/REV, pairwise widening
// adds, compares with zero, SHLL, URECPE/URSQRTE); shifts by immediate
// including the narrowing and saturating ones; by-element multiplies;
// permutes (TBL/TBX with 1-4 table registers, ZIP/UZP/TRN, EXT); DUP, INS,
// UMOV, SMOV, MOVI/MVNI/ORR/BIC (immediate); across-lane reductions.
//
// The operands are a fixed set of 128-bit vectors (printed first) whose
// lanes hold the boundary values of every element size (0, 1, -1, the
// largest and smallest signed values, ...).  Each line: the instruction
// (the exact text assembled), the operand vectors by name ("+H" when the
// destination V2 was preloaded with H, for accumulating forms; otherwise
// V2 is preloaded with all ones, so 64-bit forms must show zeros in bits
// [127:64]), the result as hi_lo, and " QC" when the instruction set
// FPSR.QC (saturation: ARM ARM FPSR.QC, set by the SatQ pseudocode
// functions and sticky until written; FPSR is zeroed before each check).
#include "fpconf.h"

// PMULL with 64-bit elements is FEAT_PMULL (the crypto extension, which
// QEMU's cortex-a57 has); let the assembler accept it.
__asm__(".arch_extension crypto");

enum { A, B, C, D, E, F, G, S, T, H, Z, I, J, K, NV };
static const char names[NV] = "ABCDEFGSTHZIJK";
static v128 vec[NV] __attribute__((aligned(16))) = {
    [A] = {0x7fffffffffffffffUL, 0x8000000000000000UL},
    [B] = {0x0000000000000001UL, 0xffffffffffffffffUL},
    [C] = {0x80017fff40008000UL, 0x7f80ff0181fe3fc0UL},
    [D] = {0x7f7f7f7f80808080UL, 0x0102030405060708UL},
    [E] = {0x0123456789abcdefUL, 0xfedcba9876543210UL},
    [F] = {0xc000c000c000c000UL, 0x4000400040007fffUL},
    [G] = {0x8000800080008000UL, 0x8000000080000000UL},
    // Shift amounts for the shift-by-register forms (the signed low byte
    // of each element): bytes 01 07 09 f8 10 f0 1f 3f 10 20 40 c0 41 ff 00 80.
    [S] = {0x3f1ff010f8090701UL, 0x8000ff41c0402010UL},
    // ... and for 16/32/64-bit elements: 32, -32, 64, -64, 63, -63.
    [T] = {0xffc0004000e00020UL, 0x0000003fffffffc1UL},
    [H] = {0x0011223344556677UL, 0x8899aabbccddeeffUL}, // accumulator
    [Z] = {0xffffffffffffffffUL, 0xffffffffffffffffUL}, // destination preset
    // TBL/TBX indices: in range of 1..4 registers, and out of range.
    [I] = {0x0f000e010d020c03UL, 0x0706050403020100UL},
    [J] = {0x3f2f1f0f30201000UL, 0x0f1e2d3c4b5a6978UL},
    [K] = {0xff80404140301f10UL, 0x00ffc03f20103f3eUL},
};

#define QC_BIT (1UL << 27)

static void line(const char *insn, int ia, int ib, int id, uint64_t s, v128 r)
{
    printf("%s  %c", insn, names[ia]);
    if (ib >= 0)
        printf(",%c", names[ib]);
    if (id != Z)
        printf("+%c", names[id]);
    printf(" -> ");
    print_v(r);
    if (s == QC_BIT)
        printf(" QC");
    else if (s)
        printf(" fpsr=%08lx", s);
    printf("\n");
}

// Runs `insn` with V0 = vec[ia], V1 = vec[ib], V2 = vec[id] and prints V2.
#define EXEC(insn, ia, ib, id, nops)                                           \
    do {                                                                       \
        v128 r_ = vec[id];                                                     \
        uint64_t s_;                                                           \
        __asm__ volatile("ldr q0, [%[a]]\n\t"                                  \
                         "ldr q1, [%[b]]\n\t"                                  \
                         "ldr q2, [%[d]]\n\t"                                  \
                         "msr fpsr, xzr\n\t" insn "\n\t"                       \
                         "mrs %[s], fpsr\n\t"                                  \
                         "str q2, [%[d]]"                                      \
                         : [s] "=&r"(s_)                                       \
                         : [a] "r"(&vec[ia]), [b] "r"(&vec[ib]), [d] "r"(&r_)  \
                         : "v0", "v1", "v2", "memory");                        \
        line(insn, ia, (nops) > 1 ? (int)(ib) : -1, id, s_, r_);               \
    } while (0)

static const uint8_t P2[][2] = {{A, B}, {B, A}, {C, D}, {E, F}, {G, G}, {C, E}};
static const uint8_t PS[][2] = {{A, S}, {C, S}, {E, S}, {G, T}, {A, T}, {F, T}};
static const uint8_t PL[][2] = {{A, B}, {C, D}, {E, F}, {G, G}};
static const uint8_t P1[] = {A, B, C, E, G};
static const uint8_t PI[] = {A, C, E, G};
#define N_(x) (sizeof(x) / sizeof(x)[0])

#define LOOP2(list, insn, id)                                                  \
    for (unsigned p_ = 0; p_ < N_(list); p_++)                                 \
    EXEC(insn, list[p_][0], list[p_][1], id, 2)
#define LOOP1(list, insn, id)                                                  \
    for (unsigned p_ = 0; p_ < N_(list); p_++)                                 \
    EXEC(insn, list[p_], Z, id, 1)

#define BIN(insn) LOOP2(P2, insn, Z)
#define BINACC(insn) LOOP2(P2, insn, H)
#define SHREG(insn) LOOP2(PS, insn, Z)
#define LONG(insn) LOOP2(PL, insn, Z)
#define LONGACC(insn) LOOP2(PL, insn, H)
#define UN(insn) LOOP1(P1, insn, Z)
#define UNACC(insn) LOOP1(P1, insn, H)
#define IMM(insn) LOOP1(PI, insn, Z)
#define IMMACC(insn) LOOP1(PI, insn, H)

#define V3(op, t) op " v2." t ", v0." t ", v1." t
#define V2(op, t) op " v2." t ", v0." t

#define BIN_BHSD(op, M)                                                        \
    M(V3(op, "16b"));                                                          \
    M(V3(op, "8h"));                                                           \
    M(V3(op, "4s"));                                                           \
    M(V3(op, "2d"));                                                           \
    M(V3(op, "8b"))
#define BIN_BHS(op, M)                                                         \
    M(V3(op, "16b"));                                                          \
    M(V3(op, "8h"));                                                           \
    M(V3(op, "4s"));                                                           \
    M(V3(op, "4h"))
#define BIN_HS(op, M)                                                          \
    M(V3(op, "8h"));                                                           \
    M(V3(op, "4s"));                                                           \
    M(V3(op, "2s"))
#define UN_BHSD(op, M)                                                         \
    M(V2(op, "16b"));                                                          \
    M(V2(op, "8h"));                                                           \
    M(V2(op, "4s"));                                                           \
    M(V2(op, "2d"));                                                           \
    M(V2(op, "4h"))
#define UN_BHS(op, M)                                                          \
    M(V2(op, "16b"));                                                          \
    M(V2(op, "8h"));                                                           \
    M(V2(op, "4s"));                                                           \
    M(V2(op, "8b"))

// Long (L): Vd.<wide>, Vn.<narrow>, Vm.<narrow>, plain and "2".
#define LONG3(op, M)                                                           \
    M(op " v2.8h, v0.8b, v1.8b");                                              \
    M(op " v2.4s, v0.4h, v1.4h");                                              \
    M(op " v2.2d, v0.2s, v1.2s");                                              \
    M(op "2 v2.8h, v0.16b, v1.16b");                                           \
    M(op "2 v2.4s, v0.8h, v1.8h");                                             \
    M(op "2 v2.2d, v0.4s, v1.4s")
#define LONG3_HS(op, M)                                                        \
    M(op " v2.4s, v0.4h, v1.4h");                                              \
    M(op " v2.2d, v0.2s, v1.2s");                                              \
    M(op "2 v2.4s, v0.8h, v1.8h");                                             \
    M(op "2 v2.2d, v0.4s, v1.4s")
#define WIDE3(op, M)                                                           \
    M(op " v2.8h, v0.8h, v1.8b");                                              \
    M(op " v2.4s, v0.4s, v1.4h");                                              \
    M(op " v2.2d, v0.2d, v1.2s");                                              \
    M(op "2 v2.8h, v0.8h, v1.16b");                                            \
    M(op "2 v2.4s, v0.4s, v1.8h");                                             \
    M(op "2 v2.2d, v0.2d, v1.4s")
// High narrow: the "2" forms keep the low half of the destination.
#define NARROW3(op)                                                            \
    LONG(op " v2.8b, v0.8h, v1.8h");                                           \
    LONG(op " v2.4h, v0.4s, v1.4s");                                           \
    LONG(op " v2.2s, v0.2d, v1.2d");                                           \
    LONGACC(op "2 v2.16b, v0.8h, v1.8h");                                      \
    LONGACC(op "2 v2.8h, v0.4s, v1.4s");                                       \
    LONGACC(op "2 v2.4s, v0.2d, v1.2d")
#define NARROW2(op)                                                            \
    UN(op " v2.8b, v0.8h");                                                    \
    UN(op " v2.4h, v0.4s");                                                    \
    UN(op " v2.2s, v0.2d");                                                    \
    UNACC(op "2 v2.16b, v0.8h");                                               \
    UNACC(op "2 v2.8h, v0.4s");                                                \
    UNACC(op "2 v2.4s, v0.2d")

// Shift by immediate: each size with the smallest and largest amounts.
#define SHL_IMM(op, M)                                                         \
    M(op " v2.16b, v0.16b, #0");                                               \
    M(op " v2.16b, v0.16b, #7");                                               \
    M(op " v2.8h, v0.8h, #1");                                                 \
    M(op " v2.8h, v0.8h, #15");                                                \
    M(op " v2.4s, v0.4s, #9");                                                 \
    M(op " v2.4s, v0.4s, #31");                                                \
    M(op " v2.2d, v0.2d, #0");                                                 \
    M(op " v2.2d, v0.2d, #63");                                                \
    M(op " v2.8b, v0.8b, #3")
#define SHR_IMM(op, M)                                                         \
    M(op " v2.16b, v0.16b, #1");                                               \
    M(op " v2.16b, v0.16b, #8");                                               \
    M(op " v2.8h, v0.8h, #1");                                                 \
    M(op " v2.8h, v0.8h, #16");                                                \
    M(op " v2.4s, v0.4s, #7");                                                 \
    M(op " v2.4s, v0.4s, #32");                                                \
    M(op " v2.2d, v0.2d, #1");                                                 \
    M(op " v2.2d, v0.2d, #64");                                                \
    M(op " v2.4h, v0.4h, #3")
#define NARROW_IMM(op)                                                         \
    IMM(op " v2.8b, v0.8h, #1");                                               \
    IMM(op " v2.8b, v0.8h, #8");                                               \
    IMM(op " v2.4h, v0.4s, #1");                                               \
    IMM(op " v2.4h, v0.4s, #16");                                              \
    IMM(op " v2.2s, v0.2d, #1");                                               \
    IMM(op " v2.2s, v0.2d, #32");                                              \
    IMMACC(op "2 v2.16b, v0.8h, #3");                                          \
    IMMACC(op "2 v2.8h, v0.4s, #5");                                           \
    IMMACC(op "2 v2.4s, v0.2d, #17")

// By element (the index selects a lane of V1).
#define ELEM(op, M)                                                            \
    M(op " v2.8h, v0.8h, v1.h[0]");                                            \
    M(op " v2.4h, v0.4h, v1.h[7]");                                            \
    M(op " v2.4s, v0.4s, v1.s[3]");                                            \
    M(op " v2.2s, v0.2s, v1.s[1]")
#define ELEML(op, M)                                                           \
    M(op " v2.4s, v0.4h, v1.h[3]");                                            \
    M(op "2 v2.4s, v0.8h, v1.h[6]");                                           \
    M(op " v2.2d, v0.2s, v1.s[0]");                                            \
    M(op "2 v2.2d, v0.4s, v1.s[3]")

static void three_same(void)
{
    BIN_BHSD("add", BIN);
    BIN_BHSD("sub", BIN);
    BIN_BHSD("sqadd", BIN);
    BIN_BHSD("uqadd", BIN);
    BIN_BHSD("sqsub", BIN);
    BIN_BHSD("uqsub", BIN);
    BIN_BHSD("cmeq", BIN);
    BIN_BHSD("cmgt", BIN);
    BIN_BHSD("cmhi", BIN);
    BIN_BHSD("cmge", BIN);
    BIN_BHSD("cmhs", BIN);
    BIN_BHSD("cmtst", BIN);
    BIN_BHSD("addp", BIN);
    BIN_BHSD("sshl", SHREG);
    BIN_BHSD("ushl", SHREG);
    BIN_BHSD("sqshl", SHREG);
    BIN_BHSD("uqshl", SHREG);
    BIN_BHSD("srshl", SHREG);
    BIN_BHSD("urshl", SHREG);
    BIN_BHSD("sqrshl", SHREG);
    BIN_BHSD("uqrshl", SHREG);
    BIN_BHS("shadd", BIN);
    BIN_BHS("uhadd", BIN);
    BIN_BHS("srhadd", BIN);
    BIN_BHS("urhadd", BIN);
    BIN_BHS("shsub", BIN);
    BIN_BHS("uhsub", BIN);
    BIN_BHS("smax", BIN);
    BIN_BHS("umax", BIN);
    BIN_BHS("smin", BIN);
    BIN_BHS("umin", BIN);
    BIN_BHS("smaxp", BIN);
    BIN_BHS("umaxp", BIN);
    BIN_BHS("sminp", BIN);
    BIN_BHS("uminp", BIN);
    BIN_BHS("sabd", BIN);
    BIN_BHS("uabd", BIN);
    BIN_BHS("saba", BINACC);
    BIN_BHS("uaba", BINACC);
    BIN_BHS("mul", BIN);
    BIN_BHS("mla", BINACC);
    BIN_BHS("mls", BINACC);
    BIN_HS("sqdmulh", BIN);
    BIN_HS("sqrdmulh", BIN);
    BIN(V3("pmul", "16b"));
    BIN(V3("pmul", "8b"));
    BIN(V3("and", "16b"));
    BIN(V3("orr", "16b"));
    BIN(V3("eor", "8b"));
    BIN(V3("bic", "16b"));
    BIN(V3("orn", "8b"));
    BINACC(V3("bsl", "16b"));
    BINACC(V3("bit", "16b"));
    BINACC(V3("bif", "8b"));
    BIN("mov v2.16b, v0.16b");
    BIN("mov v2.8b, v1.8b");
}

static void three_different(void)
{
    LONG3("saddl", LONG);
    LONG3("uaddl", LONG);
    LONG3("ssubl", LONG);
    LONG3("usubl", LONG);
    LONG3("sabdl", LONG);
    LONG3("uabdl", LONG);
    LONG3("sabal", LONGACC);
    LONG3("uabal", LONGACC);
    LONG3("smull", LONG);
    LONG3("umull", LONG);
    LONG3("smlal", LONGACC);
    LONG3("umlal", LONGACC);
    LONG3("smlsl", LONGACC);
    LONG3("umlsl", LONGACC);
    LONG3_HS("sqdmull", LONG);
    LONG3_HS("sqdmlal", LONGACC);
    LONG3_HS("sqdmlsl", LONGACC);
    LONG("pmull v2.8h, v0.8b, v1.8b");
    LONG("pmull2 v2.8h, v0.16b, v1.16b");
    LONG("pmull v2.1q, v0.1d, v1.1d"); // FEAT_PMULL (cortex-a57 has it)
    LONG("pmull2 v2.1q, v0.2d, v1.2d");
    WIDE3("saddw", LONG);
    WIDE3("uaddw", LONG);
    WIDE3("ssubw", LONG);
    WIDE3("usubw", LONG);
    NARROW3("addhn");
    NARROW3("raddhn");
    NARROW3("subhn");
    NARROW3("rsubhn");
}

static void two_reg_misc(void)
{
    UN_BHSD("abs", UN);
    UN_BHSD("neg", UN);
    UN_BHSD("sqabs", UN);
    UN_BHSD("sqneg", UN);
    UN_BHSD("suqadd", UNACC);
    UN_BHSD("usqadd", UNACC);
    UN_BHS("cls", UN);
    UN_BHS("clz", UN);
    UN(V2("cnt", "16b"));
    UN(V2("cnt", "8b"));
    UN(V2("not", "16b"));
    UN(V2("rbit", "8b"));
    UN(V2("rbit", "16b"));
    UN(V2("rev16", "16b"));
    UN(V2("rev32", "16b"));
    UN(V2("rev32", "4h"));
    UN(V2("rev64", "16b"));
    UN(V2("rev64", "8h"));
    UN(V2("rev64", "2s"));
    NARROW2("xtn");
    NARROW2("sqxtn");
    NARROW2("uqxtn");
    NARROW2("sqxtun");
    UN("saddlp v2.8h, v0.16b");
    UN("saddlp v2.2s, v0.4h");
    UN("uaddlp v2.2d, v0.4s");
    UN("uaddlp v2.4h, v0.8b");
    UNACC("sadalp v2.4s, v0.8h");
    UNACC("sadalp v2.1d, v0.2s");
    UNACC("uadalp v2.8h, v0.16b");
    UNACC("uadalp v2.2d, v0.4s");
    UN("cmeq v2.16b, v0.16b, #0");
    UN("cmge v2.8h, v0.8h, #0");
    UN("cmgt v2.4s, v0.4s, #0");
    UN("cmle v2.2d, v0.2d, #0");
    UN("cmlt v2.8b, v0.8b, #0");
    UN("shll v2.8h, v0.8b, #8");
    UN("shll2 v2.4s, v0.8h, #16");
    UN("shll v2.2d, v0.2s, #32");
    // Unsigned reciprocal (square root) estimates: table lookups on the top
    // bits, a lane below 0x80000000 (resp. 0x40000000) gives all ones
    // (UnsignedRecipEstimate, UnsignedRSqrtEstimate).
    UN("urecpe v2.4s, v0.4s");
    UN("ursqrte v2.4s, v0.4s");
    UN("urecpe v2.2s, v0.2s");
}

static void shift_imm(void)
{
    SHL_IMM("shl", IMM);
    SHL_IMM("sqshl", IMM);
    SHL_IMM("uqshl", IMM);
    SHL_IMM("sqshlu", IMM);
    SHL_IMM("sli", IMMACC);
    SHR_IMM("sshr", IMM);
    SHR_IMM("ushr", IMM);
    SHR_IMM("srshr", IMM);
    SHR_IMM("urshr", IMM);
    SHR_IMM("ssra", IMMACC);
    SHR_IMM("usra", IMMACC);
    SHR_IMM("srsra", IMMACC);
    SHR_IMM("ursra", IMMACC);
    SHR_IMM("sri", IMMACC);
    NARROW_IMM("shrn");
    NARROW_IMM("rshrn");
    NARROW_IMM("sqshrn");
    NARROW_IMM("uqshrn");
    NARROW_IMM("sqrshrn");
    NARROW_IMM("uqrshrn");
    NARROW_IMM("sqshrun");
    NARROW_IMM("sqrshrun");
    IMM("sshll v2.8h, v0.8b, #0");
    IMM("sshll v2.4s, v0.4h, #15");
    IMM("ushll2 v2.2d, v0.4s, #31");
    IMM("ushll v2.8h, v0.8b, #7");
    IMM("sshll2 v2.8h, v0.16b, #3");
}

static void by_element(void)
{
    ELEM("mul", LONG);
    ELEM("mla", LONGACC);
    ELEM("mls", LONGACC);
    ELEM("sqdmulh", LONG);
    ELEM("sqrdmulh", LONG);
    ELEML("smull", LONG);
    ELEML("umull", LONG);
    ELEML("smlal", LONGACC);
    ELEML("umlal", LONGACC);
    ELEML("smlsl", LONGACC);
    ELEML("umlsl", LONGACC);
    ELEML("sqdmull", LONG);
    ELEML("sqdmlal", LONGACC);
    ELEML("sqdmlsl", LONGACC);
}

// TBL/TBX: tables V4..V7 = C, D, E, F; indices in V0.
#define TBL(insn, ii, id)                                                      \
    do {                                                                       \
        v128 r_ = vec[id];                                                     \
        __asm__ volatile("ldr q4, [%[t]]\n\t"                                  \
                         "ldr q5, [%[t], #16]\n\t"                             \
                         "ldr q6, [%[t], #32]\n\t"                             \
                         "ldr q7, [%[t], #48]\n\t"                             \
                         "ldr q0, [%[a]]\n\t"                                  \
                         "ldr q2, [%[d]]\n\t" insn "\n\t"                      \
                         "str q2, [%[d]]"                                      \
                         :                                                     \
                         : [a] "r"(&vec[ii]), [t] "r"(&vec[C]), [d] "r"(&r_)   \
                         : "v0", "v2", "v4", "v5", "v6", "v7", "memory");      \
        line(insn, ii, -1, id, 0, r_);                                         \
    } while (0)
#define TBLS(insn, id)                                                         \
    TBL(insn, I, id);                                                          \
    TBL(insn, J, id);                                                          \
    TBL(insn, K, id)

static void permute(void)
{
#define PERM(op)                                                               \
    LONG(V3(op, "16b"));                                                       \
    LONG(V3(op, "8h"));                                                        \
    LONG(V3(op, "4s"));                                                        \
    LONG(V3(op, "2d"));                                                        \
    LONG(V3(op, "8b"));                                                        \
    LONG(V3(op, "4h"));                                                        \
    LONG(V3(op, "2s"))
    PERM("zip1");
    PERM("zip2");
    PERM("uzp1");
    PERM("uzp2");
    PERM("trn1");
    PERM("trn2");
    LONG("ext v2.16b, v0.16b, v1.16b, #0");
    LONG("ext v2.16b, v0.16b, v1.16b, #1");
    LONG("ext v2.16b, v0.16b, v1.16b, #8");
    LONG("ext v2.16b, v0.16b, v1.16b, #15");
    LONG("ext v2.8b, v0.8b, v1.8b, #3");
    TBLS("tbl v2.16b, {v4.16b}, v0.16b", Z);
    TBLS("tbl v2.8b, {v4.16b}, v0.8b", Z);
    TBLS("tbl v2.16b, {v4.16b, v5.16b}, v0.16b", Z);
    TBLS("tbl v2.16b, {v4.16b, v5.16b, v6.16b}, v0.16b", Z);
    TBLS("tbl v2.16b, {v4.16b, v5.16b, v6.16b, v7.16b}, v0.16b", Z);
    TBLS("tbl v2.8b, {v4.16b, v5.16b, v6.16b, v7.16b}, v0.8b", Z);
    TBLS("tbx v2.16b, {v4.16b}, v0.16b", H);
    TBLS("tbx v2.8b, {v4.16b}, v0.8b", H);
    TBLS("tbx v2.16b, {v4.16b, v5.16b}, v0.16b", H);
    TBLS("tbx v2.16b, {v4.16b, v5.16b, v6.16b}, v0.16b", H);
    TBLS("tbx v2.16b, {v4.16b, v5.16b, v6.16b, v7.16b}, v0.16b", H);
    TBLS("tbx v2.8b, {v4.16b, v5.16b, v6.16b, v7.16b}, v0.8b", H);
    // Table registers wrapping from V31 to V0 (the register list is modulo
    // 32).
    {
        v128 r = vec[Z];
        __asm__ volatile("ldr q31, [%[t]]\n\t"
                         "ldr q0, [%[t], #16]\n\t"
                         "ldr q1, [%[i]]\n\t"
                         "ldr q2, [%[d]]\n\t"
                         "tbl v2.16b, {v31.16b, v0.16b}, v1.16b\n\t"
                         "str q2, [%[d]]"
                         :
                         : [t] "r"(&vec[C]), [i] "r"(&vec[J]), [d] "r"(&r)
                         : "v0", "v1", "v2", "v31", "memory");
        line("tbl v2.16b, {v31.16b, v0.16b}, v1.16b", J, -1, Z, 0, r);
    }
}

// DUP/INS/MOVI..., with a general-register source where needed.
#define GEN(insn, xv)                                                          \
    do {                                                                       \
        v128 r_ = vec[H];                                                      \
        uint64_t x_ = (xv);                                                    \
        __asm__ volatile("ldr q0, [%[a]]\n\t"                                  \
                         "ldr q2, [%[d]]\n\t" insn "\n\t"                      \
                         "str q2, [%[d]]"                                      \
                         :                                                     \
                         : [a] "r"(&vec[E]), [d] "r"(&r_), [x] "r"(x_)         \
                         : "v0", "v2", "memory");                              \
        printf("%s  E+H x=%016lx -> ", insn, x_);                              \
        print_v(r_);                                                           \
        printf("\n");                                                          \
    } while (0)
// UMOV/SMOV (and scalar results moved to a general register).
#define TOGEN(insn, ia)                                                        \
    do {                                                                       \
        uint64_t r_ = 0xdeadbeefdeadbeefUL;                                    \
        __asm__ volatile("ldr q0, [%[a]]\n\t" insn                             \
                         : [r] "+r"(r_)                                        \
                         : [a] "r"(&vec[ia])                                   \
                         : "v0", "memory");                                    \
        printf("%s  %c -> %016lx\n", insn, names[ia], r_);                     \
    } while (0)

static void moves(void)
{
    GEN("dup v2.16b, %w[x]", 0x12345678abUL);
    GEN("dup v2.4h, %w[x]", 0x12345678abcdUL);
    GEN("dup v2.4s, %w[x]", 0x123456789abcdef0UL);
    GEN("dup v2.2d, %x[x]", 0x123456789abcdef0UL);
    GEN("dup v2.16b, v0.b[15]", 0);
    GEN("dup v2.8h, v0.h[3]", 0);
    GEN("dup v2.2s, v0.s[2]", 0);
    GEN("dup v2.2d, v0.d[1]", 0);
    GEN("dup b2, v0.b[9]", 0);
    GEN("dup h2, v0.h[5]", 0);
    GEN("dup d2, v0.d[1]", 0);
    GEN("ins v2.b[15], %w[x]", 0x1234567890UL);
    GEN("ins v2.h[0], %w[x]", 0x1234567890UL);
    GEN("ins v2.s[2], %w[x]", 0x1234567890UL);
    GEN("ins v2.d[1], %x[x]", 0x1234567890UL);
    GEN("ins v2.b[3], v0.b[12]", 0);
    GEN("ins v2.h[7], v0.h[0]", 0);
    GEN("ins v2.s[0], v0.s[3]", 0);
    GEN("ins v2.d[0], v0.d[1]", 0);
    GEN("movi v2.16b, #0xa5", 0);
    GEN("movi v2.8b, #0x5a", 0);
    GEN("movi v2.4h, #0x12, lsl #8", 0);
    GEN("movi v2.4s, #0x34, lsl #24", 0);
    GEN("movi v2.4s, #0x56, msl #16", 0);
    GEN("movi v2.2d, #0xff00ff0000ffff00", 0);
    GEN("movi d2, #0x00ffff0000ff00ff", 0);
    GEN("mvni v2.8h, #0x12, lsl #8", 0);
    GEN("mvni v2.2s, #0x34, msl #8", 0);
    GEN("orr v2.4s, #0x77, lsl #16", 0);
    GEN("orr v2.4h, #0x81", 0);
    GEN("bic v2.8h, #0xff, lsl #8", 0);
    GEN("bic v2.2s, #0xee", 0);
    TOGEN("umov %w[r], v0.b[15]", E);
    TOGEN("umov %w[r], v0.h[5]", E);
    TOGEN("umov %w[r], v0.s[3]", E);
    TOGEN("umov %x[r], v0.d[1]", E);
    TOGEN("smov %w[r], v0.b[15]", E);
    TOGEN("smov %x[r], v0.b[7]", C);
    TOGEN("smov %w[r], v0.h[1]", C);
    TOGEN("smov %x[r], v0.h[0]", G);
    TOGEN("smov %x[r], v0.s[3]", G);
    TOGEN("smov %x[r], v0.s[1]", A);
}

static void across(void)
{
#define ACR(op)                                                                \
    UN(op " b2, v0.16b");                                                      \
    UN(op " b2, v0.8b");                                                       \
    UN(op " h2, v0.8h");                                                       \
    UN(op " h2, v0.4h");                                                       \
    UN(op " s2, v0.4s")
#define ACRL(op)                                                               \
    UN(op " h2, v0.16b");                                                      \
    UN(op " h2, v0.8b");                                                       \
    UN(op " s2, v0.8h");                                                       \
    UN(op " s2, v0.4h");                                                       \
    UN(op " d2, v0.4s")
    ACR("addv");
    ACR("smaxv");
    ACR("sminv");
    ACR("umaxv");
    ACR("uminv");
    ACRL("saddlv");
    ACRL("uaddlv");
    UN("addp d2, v0.2d");
}

static void scalar(void)
{
    LONG("sqadd b2, b0, b1");
    LONG("sqadd h2, h0, h1");
    LONG("uqadd s2, s0, s1");
    LONG("sqsub d2, d0, d1");
    LONG("uqsub b2, b0, b1");
    LONG("add d2, d0, d1");
    LONG("sub d2, d0, d1");
    LONG("cmgt d2, d0, d1");
    LONG("cmhs d2, d0, d1");
    LONG("cmtst d2, d0, d1");
    LONG("sqdmulh h2, h0, h1");
    LONG("sqrdmulh s2, s0, s1");
    LONG("sqdmulh s2, s0, v1.s[3]");
    LONG("sqdmull s2, h0, h1");
    LONG("sqdmull d2, s0, s1");
    LONGACC("sqdmlal d2, s0, s1");
    LONGACC("sqdmlsl s2, h0, v1.h[7]");
    LONG("sshl d2, d0, d1");
    LONG("uqrshl b2, b0, b1");
    LONG("sqrshl h2, h0, h1");
    LONG("srshl d2, d0, d1");
    IMM("shl d2, d0, #63");
    IMM("sshr d2, d0, #64");
    IMM("ushr d2, d0, #1");
    IMM("urshr d2, d0, #64");
    IMMACC("srsra d2, d0, #33");
    IMMACC("sli d2, d0, #5");
    IMMACC("sri d2, d0, #64");
    IMM("sqshl b2, b0, #7");
    IMM("uqshl h2, h0, #3");
    IMM("sqshlu s2, s0, #1");
    IMM("sqshrn b2, h0, #1");
    IMM("uqrshrn s2, d0, #32");
    IMM("sqrshrun h2, s0, #4");
    IMM("sqxtn b2, h0");
    IMM("uqxtn h2, s0");
    IMM("sqxtun s2, d0");
    IMM("abs d2, d0");
    IMM("neg d2, d0");
    IMM("sqabs b2, b0");
    IMM("sqneg s2, s0");
    IMMACC("suqadd h2, h0");
    IMMACC("usqadd d2, d0");
    IMM("cmeq d2, d0, #0");
    IMM("cmlt d2, d0, #0");
    IMM("cmge d2, d0, #0");
}

int main(void)
{
    puts("simd_int: begin");
    for (int i = 0; i < NV; i++) {
        printf("%c = ", names[i]);
        print_v(vec[i]);
        printf("\n");
    }
    three_same();
    three_different();
    two_reg_misc();
    shift_imm();
    by_element();
    permute();
    moves();
    across();
    scalar();
    // QC is sticky: two saturating instructions without clearing FPSR,
    // then a non-saturating one leaves it set.
    {
        uint64_t s;
        __asm__ volatile("msr fpsr, xzr\n\t"
                         "ldr q0, [%1]\n\t"
                         "sqadd v2.4s, v0.4s, v0.4s\n\t"
                         "add v2.4s, v0.4s, v0.4s\n\t"
                         "mrs %0, fpsr\n\t"
                         "msr fpsr, xzr"
                         : "=r"(s) : "r"(&vec[A]) : "v0", "v2", "memory");
        printf("fpsr after sqadd (saturating) then add = %08lx\n", s);
    }
    puts("simd_int: end");
    return 0;
}
