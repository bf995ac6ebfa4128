// SPDX-License-Identifier: MIT OR Apache-2.0
// guest-variant: fp
//
// Advanced SIMD floating-point instructions (ARM ARM C7.2), vector and
// scalar: three-same arithmetic (FADD ... FMULX, FRECPS, FRSQRTS), the
// pairwise forms (FADDP, FMAXP, FMAXNMP, ...; vector and scalar), the
// across-lane reductions FMAXV/FMINV/FMAXNMV/FMINNMV, compares (FCMEQ,
// FCMGE, FCMGT, FACGE, FACGT, and against #0.0) producing all-ones masks,
// FMLA/FMLS/FMUL/FMULX by element, two-register FABS/FNEG/FSQRT/FRECPE/
// FRSQRTE/FRINT*, conversions (FCVT{N,P,M,Z,A}{S,U}, SCVTF/UCVTF incl.
// fixed point, FCVTL/FCVTN/FCVTXN and their "2" forms).
//
// The operands are fixed vectors of special values (printed first) whose
// lanes mix ordinary numbers, signed zeros, denormals, infinities and
// quiet/signalling NaNs, so one instruction shows the per-lane NaN
// selection (each lane is an independent FPProcessNaNs) and the union of
// the lanes' exception flags in FPSR.  Every check runs under the default
// FPCR and under RP+FZ+DN.  Each line: instruction, operand names ("+X":
// the destination was preloaded with X; otherwise with all ones), FPCR,
// result hi_lo and FPSR.
//
// Subtle points:
//  * The pairwise and across-lane operations combine lanes in a fixed tree
//    (Reduce(): the halves of the vector recursively, ARM ARM pseudocode),
//    which decides which NaN survives.
//  * FMAXNMV/FMINNMV use FPMaxNum/FPMinNum at each step: a quiet NaN lane
//    loses to a number.
//  * FCVTXN rounds to odd (FPRoundingMode "round to odd", for correct
//    double rounding through single precision), whatever FPCR.RMode says,
//    and sets IXC when inexact.
//  * FCVTL/FCVTN convert between half and single or single and double per
//    lane, the "2" forms reading/writing the upper half of the vector; half
//    precision honours FPCR.AHP.
#include "fpconf.h"

enum { SA, SB, SC, SD, DA, DB, DC, DD, IA, IB, HA, ACC, ONES, NV };
static const char *const names[NV] = {"SA", "SB", "SC", "SD", "DA", "DB", "DC",
                                      "DD", "IA", "IB", "HA", "ACC", "ONES"};
static v128 vec[NV] __attribute__((aligned(16))) = {
    // single precision lanes, lane 0 in the low bits
    [SA] = {0x800000003f800000UL, 0x000000017fc00123UL},  // 1, -0, qNaN, min denormal
    [SB] = {0x0000000040400000UL, 0xff8000003f800000UL},  // 3, +0, 1, -inf
    [SC] = {0x7f7fffff7f800789UL, 0x7f800000bfc00000UL},  // sNaN, max, -1.5, +inf
    [SD] = {0x7f7fffff3eaaaaabUL, 0x807fffffffc00456UL},  // 1/3, max, -qNaN, -max denormal
    // double precision lanes
    [DA] = {0x3ff0000000000000UL, 0x7ff8000000000123UL},  // 1, qNaN
    [DB] = {0x4008000000000000UL, 0x8000000000000000UL},  // 3, -0
    [DC] = {0x7ff0000000000789UL, 0x7fefffffffffffffUL},  // sNaN, max
    [DD] = {0x0000000000000001UL, 0xfff0000000000000UL},  // min denormal, -inf
    // integers for SCVTF/UCVTF
    [IA] = {0x800000007fffffffUL, 0xffffffff01000001UL},
    [IB] = {0x7fffffffffffffffUL, 0x0020000000000001UL},
    // half precision lanes for FCVTL: 1, -0, min denormal, inf, qNaN, sNaN, 65504, -2
    [HA] = {0x7c00000180003c00UL, 0xc0007bff7d037e01UL},
    [ACC] = {0x3f8000003f800000UL, 0x3ff0000000000000UL}, // accumulator
    [ONES] = {0xffffffffffffffffUL, 0xffffffffffffffffUL},
};

static void line(const char *insn, int ia, int ib, int id, uint64_t c, uint64_t s, v128 r)
{
    printf("%s  %s", insn, names[ia]);
    if (ib >= 0)
        printf(",%s", names[ib]);
    if (id != ONES)
        printf("+%s", names[id]);
    printf(" %s -> ", fpcr_name(c));
    print_v(r);
    printf(" fpsr=%02lx\n", s);
}

#define EXEC(insn, ia, ib, id, nops, cv)                                       \
    do {                                                                       \
        v128 r_ = vec[id];                                                     \
        uint64_t s_, c_ = (cv);                                                \
        __asm__ volatile("ldr q0, [%[a]]\n\t"                                  \
                         "ldr q1, [%[b]]\n\t"                                  \
                         "ldr q2, [%[d]]\n\t"                                  \
                         "msr fpcr, %[c]\n\t"                                  \
                         "msr fpsr, xzr\n\t" insn "\n\t"                       \
                         "mrs %[s], fpsr\n\t"                                  \
                         "msr fpcr, xzr\n\t"                                   \
                         "str q2, [%[d]]"                                      \
                         : [s] "=&r"(s_)                                       \
                         : [a] "r"(&vec[ia]), [b] "r"(&vec[ib]), [d] "r"(&r_), \
                           [c] "r"(c_)                                         \
                         : "v0", "v1", "v2", "memory");                        \
        line(insn, ia, (nops) > 1 ? (int)(ib) : -1, id, c_, s_, r_);           \
    } while (0)

static const uint64_t cfgs[2] = {0, FPCR_RP | FPCR_FZ | FPCR_DN};
static const uint8_t PS2[][2] = {{SA, SB}, {SB, SA}, {SC, SD}, {SD, SC}, {SA, SC}};
static const uint8_t PD2[][2] = {{DA, DB}, {DB, DA}, {DC, DD}, {DD, DC}, {DA, DC}};
static const uint8_t PS1[] = {SA, SB, SC, SD};
static const uint8_t PD1[] = {DA, DB, DC, DD};
#define N_(x) (sizeof(x) / sizeof(x)[0])

#define LOOP2(list, insn, id)                                                  \
    for (unsigned c_i = 0; c_i < 2; c_i++)                                     \
        for (unsigned p_ = 0; p_ < N_(list); p_++)                             \
    EXEC(insn, list[p_][0], list[p_][1], id, 2, cfgs[c_i])
#define LOOP1(list, insn, id)                                                  \
    for (unsigned c_i = 0; c_i < 2; c_i++)                                     \
        for (unsigned p_ = 0; p_ < N_(list); p_++)                             \
    EXEC(insn, list[p_], ONES, id, 1, cfgs[c_i])

#define V3(op, t) op " v2." t ", v0." t ", v1." t
#define V2(op, t) op " v2." t ", v0." t

// Three-same in 4s, 2s (on the single vectors) and 2d.
#define BIN(op)                                                                \
    LOOP2(PS2, V3(op, "4s"), ONES);                                            \
    LOOP2(PS2, V3(op, "2s"), ONES);                                            \
    LOOP2(PD2, V3(op, "2d"), ONES)
#define BINACC(op)                                                             \
    LOOP2(PS2, V3(op, "4s"), ACC);                                             \
    LOOP2(PD2, V3(op, "2d"), ACC)
#define UN(op)                                                                 \
    LOOP1(PS1, V2(op, "4s"), ONES);                                            \
    LOOP1(PS1, V2(op, "2s"), ONES);                                            \
    LOOP1(PD1, V2(op, "2d"), ONES)

static void three_same(void)
{
    BIN("fadd");
    BIN("fsub");
    BIN("fmul");
    BIN("fdiv");
    BIN("fmax");
    BIN("fmin");
    BIN("fmaxnm");
    BIN("fminnm");
    BIN("fabd");
    BIN("fmulx");
    BIN("frecps");
    BIN("frsqrts");
    BIN("faddp");
    BIN("fmaxp");
    BIN("fminp");
    BIN("fmaxnmp");
    BIN("fminnmp");
    BIN("fcmeq");
    BIN("fcmge");
    BIN("fcmgt");
    BIN("facge");
    BIN("facgt");
    BINACC("fmla");
    BINACC("fmls");
}

static void two_reg(void)
{
    UN("fabs");
    UN("fneg");
    UN("fsqrt");
    UN("frecpe");
    UN("frsqrte");
    UN("frintn");
    UN("frintp");
    UN("frintm");
    UN("frintz");
    UN("frinta");
    UN("frinti");
    UN("frintx");
    UN("fcvtns");
    UN("fcvtnu");
    UN("fcvtps");
    UN("fcvtmu");
    UN("fcvtzs");
    UN("fcvtzu");
    UN("fcvtas");
    UN("fcvtau");
    LOOP1(PS1, "fcmeq v2.4s, v0.4s, #0.0", ONES);
    LOOP1(PS1, "fcmge v2.4s, v0.4s, #0.0", ONES);
    LOOP1(PD1, "fcmgt v2.2d, v0.2d, #0.0", ONES);
    LOOP1(PD1, "fcmle v2.2d, v0.2d, #0.0", ONES);
    LOOP1(PS1, "fcmlt v2.2s, v0.2s, #0.0", ONES);
    LOOP1(PS1, "fcvtzs v2.4s, v0.4s, #8", ONES);
    LOOP1(PS1, "fcvtzu v2.4s, v0.4s, #32", ONES);
    LOOP1(PD1, "fcvtzs v2.2d, v0.2d, #64", ONES);
    LOOP1(PD1, "fcvtzu v2.2d, v0.2d, #1", ONES);
}

static void conversions(void)
{
    static const uint8_t ints[] = {IA, IB, SA, DC};
    LOOP1(ints, "scvtf v2.4s, v0.4s", ONES);
    LOOP1(ints, "ucvtf v2.4s, v0.4s", ONES);
    LOOP1(ints, "scvtf v2.2d, v0.2d", ONES);
    LOOP1(ints, "ucvtf v2.2d, v0.2d", ONES);
    LOOP1(ints, "scvtf v2.2s, v0.2s, #1", ONES);
    LOOP1(ints, "ucvtf v2.4s, v0.4s, #32", ONES);
    LOOP1(ints, "scvtf v2.2d, v0.2d, #64", ONES);
    LOOP1(ints, "scvtf s2, s0", ONES);
    LOOP1(ints, "ucvtf d2, d0, #3", ONES);
    static const uint8_t halves[] = {HA, SA, SC};
    LOOP1(halves, "fcvtl v2.4s, v0.4h", ONES);
    LOOP1(halves, "fcvtl2 v2.4s, v0.8h", ONES);
    LOOP1(PS1, "fcvtl v2.2d, v0.2s", ONES);
    LOOP1(PS1, "fcvtl2 v2.2d, v0.4s", ONES);
    LOOP1(PS1, "fcvtn v2.4h, v0.4s", ONES);
    LOOP1(PS1, "fcvtn2 v2.8h, v0.4s", ACC);
    LOOP1(PD1, "fcvtn v2.2s, v0.2d", ONES);
    LOOP1(PD1, "fcvtn2 v2.4s, v0.2d", ACC);
    LOOP1(PD1, "fcvtxn v2.2s, v0.2d", ONES);
    LOOP1(PD1, "fcvtxn2 v2.4s, v0.2d", ACC);
    LOOP1(PD1, "fcvtxn s2, d0", ONES);
    // Half precision with FPCR.AHP: FCVTL/FCVTN use the alternative format.
    for (unsigned i = 0; i < 3; i++)
        EXEC("fcvtl v2.4s, v0.4h", halves[i], ONES, ONES, 1, FPCR_AHP);
    for (unsigned i = 0; i < 4; i++)
        EXEC("fcvtn v2.4h, v0.4s", PS1[i], ONES, ONES, 1, FPCR_AHP);
    // FCVTXN rounds to odd whatever the mode: 1 + 2^-30 (inexact, odd
    // already), 1 + 2^-24 + 2^-40, 2^-149 * 1.5 (denormal), and a value
    // just below the largest float + half an ulp.
    static v128 xn __attribute__((aligned(16)));
    static const uint64_t xv[][2] = {
        {0x3ff0000004000000UL, 0x3ff0000010000100UL},
        {0x36a8000000000000UL, 0x47efffffefffffffUL},
        {0x47effffff0000000UL, 0xc7f0000000000000UL},
    };
    for (unsigned i = 0; i < 3; i++)
        for (unsigned m = 0; m < 4; m++) {
            v128 r = vec[ONES];
            uint64_t s;
            xn.lo = xv[i][0];
            xn.hi = xv[i][1];
            __asm__ volatile("ldr q0, [%[a]]\n\t"
                             "ldr q2, [%[d]]\n\t"
                             "msr fpcr, %[c]\n\t"
                             "msr fpsr, xzr\n\t"
                             "fcvtxn v2.2s, v0.2d\n\t"
                             "mrs %[s], fpsr\n\t"
                             "msr fpcr, xzr\n\t"
                             "str q2, [%[d]]"
                             : [s] "=&r"(s)
                             : [a] "r"(&xn), [d] "r"(&r), [c] "r"(FPCR_RMODE(m))
                             : "v0", "v2", "memory");
            printf("fcvtxn v2.2s, v0.2d  %016lx_%016lx %s -> ", xn.hi, xn.lo, fpcr_name(FPCR_RMODE(m)));
            print_v(r);
            printf(" fpsr=%02lx\n", s);
        }
}

static void pairwise_across(void)
{
    LOOP1(PS1, "faddp s2, v0.2s", ONES);
    LOOP1(PD1, "faddp d2, v0.2d", ONES);
    LOOP1(PS1, "fmaxp s2, v0.2s", ONES);
    LOOP1(PD1, "fminp d2, v0.2d", ONES);
    LOOP1(PS1, "fmaxnmp s2, v0.2s", ONES);
    LOOP1(PD1, "fminnmp d2, v0.2d", ONES);
    LOOP1(PS1, "fmaxv s2, v0.4s", ONES);
    LOOP1(PS1, "fminv s2, v0.4s", ONES);
    LOOP1(PS1, "fmaxnmv s2, v0.4s", ONES);
    LOOP1(PS1, "fminnmv s2, v0.4s", ONES);
}

static void by_element(void)
{
    LOOP2(PS2, "fmul v2.4s, v0.4s, v1.s[0]", ONES);
    LOOP2(PS2, "fmul v2.2s, v0.2s, v1.s[3]", ONES);
    LOOP2(PD2, "fmul v2.2d, v0.2d, v1.d[1]", ONES);
    LOOP2(PS2, "fmulx v2.4s, v0.4s, v1.s[1]", ONES);
    LOOP2(PD2, "fmulx v2.2d, v0.2d, v1.d[0]", ONES);
    LOOP2(PS2, "fmla v2.4s, v0.4s, v1.s[2]", ACC);
    LOOP2(PD2, "fmla v2.2d, v0.2d, v1.d[1]", ACC);
    LOOP2(PS2, "fmls v2.4s, v0.4s, v1.s[3]", ACC);
    LOOP2(PD2, "fmls v2.2d, v0.2d, v1.d[0]", ACC);
    LOOP2(PS2, "fmla s2, s0, v1.s[1]", ACC);
    LOOP2(PD2, "fmul d2, d0, v1.d[1]", ONES);
    LOOP2(PS2, "fmulx s2, s0, v1.s[2]", ONES);
}

static void scalar(void)
{
    LOOP2(PS2, "fcmeq s2, s0, s1", ONES);
    LOOP2(PD2, "fcmge d2, d0, d1", ONES);
    LOOP2(PS2, "fcmgt s2, s0, s1", ONES);
    LOOP2(PD2, "facge d2, d0, d1", ONES);
    LOOP2(PS2, "facgt s2, s0, s1", ONES);
    LOOP1(PD1, "fcmeq d2, d0, #0.0", ONES);
    LOOP1(PS1, "fcmlt s2, s0, #0.0", ONES);
    LOOP2(PD2, "frecps d2, d0, d1", ONES);
    LOOP2(PS2, "frsqrts s2, s0, s1", ONES);
    LOOP1(PD1, "frecpe d2, d0", ONES);
    LOOP1(PS1, "frsqrte s2, s0", ONES);
    LOOP1(PD1, "fcvtzs d2, d0", ONES);
    LOOP1(PS1, "fcvtnu s2, s0", ONES);
    LOOP1(PD1, "fcvtzu d2, d0, #10", ONES);
}

int main(void)
{
    puts("simd_fp: begin");
    for (int i = 0; i < NV; i++) {
        printf("%s = ", names[i]);
        print_v(vec[i]);
        printf("\n");
    }
    three_same();
    two_reg();
    conversions();
    pairwise_across();
    by_element();
    scalar();
    puts("simd_fp: end");
    return 0;
}
