// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Conditional select and compare (ARM ARM C6.2 CSEL, CSINC, CSINV, CSNEG,
// CCMP/CCMN (immediate and register); conditions per J1.1.3
// ConditionHolds, where AL and NV both mean "always") and B.cond, for each
// of the 16 conditions against each of the 16 NZCV values (set with
// `msr nzcv`).  One line per (NZCV, condition):
//   sel  = CSEL  x, 0x1111, 0x2222        incw = CSINC w (upper garbage)
//   inc  = CSINC x, 0x1111, 0x2222        b    = B.cond taken (1) or not
//   inv  = CSINV x, 0x1111, 0x2222        cmp/cmn/cmpr/cmnr = NZCV after
//   neg  = CSNEG x, 0x1111, 0x2222        CCMP/CCMN imm/reg (see below)
#include "conf.h"

// CCMP x, #5 with x = 5 gives -ZC- when the condition holds; else #0xa (N-C-).
// CCMN x, #1 with x = 0x7fffffffffffffff gives N--V; else #0x3 (--CV).
// CCMP w, w with 0x80000000, 1 gives --CV; else #0xc (NZ--).
// CCMN x, x with -1, 1 gives -ZC-; else #0x0 (----).
#define COND(cc)                                                              \
    static NOINLINE void cond_##cc(uint64_t nzcv)                             \
    {                                                                         \
        uint64_t sel, inc, inv, neg, incw, b, f1, f2, f3, f4;                 \
        uint64_t a = 0x1111, c = 0x2222, aw = 0xa5a5a5a5fffffffeUL;           \
        uint64_t cw = HI_GARBAGE | 0x2222;                                    \
        uint64_t p5 = 5, pmax = 0x7fffffffffffffffUL, pmin = 0x80000000;      \
        uint64_t one = 1, mone = 0xffffffffffffffffUL;                        \
        __asm__ volatile(                                                     \
            "msr nzcv, %[n]\n\t"                                              \
            "csel %[sel], %[a], %[c], " #cc "\n\t"                            \
            "csinc %[inc], %[a], %[c], " #cc "\n\t"                           \
            "csinv %[inv], %[a], %[c], " #cc "\n\t"                           \
            "csneg %[neg], %[a], %[c], " #cc "\n\t"                           \
            "csinc %w[incw], %w[aw], %w[cw], " #cc "\n\t"                     \
            "mov %[b], #1\n\t"                                                \
            "b." #cc " 1f\n\t"                                                \
            "mov %[b], #0\n"                                                  \
            "1:\n\t"                                                          \
            "ccmp %[p5], #5, #0xa, " #cc "\n\t"                               \
            "mrs %[f1], nzcv\n\t"                                             \
            "msr nzcv, %[n]\n\t"                                              \
            "ccmn %[pmax], #1, #0x3, " #cc "\n\t"                             \
            "mrs %[f2], nzcv\n\t"                                             \
            "msr nzcv, %[n]\n\t"                                              \
            "ccmp %w[pmin], %w[one], #0xc, " #cc "\n\t"                       \
            "mrs %[f3], nzcv\n\t"                                             \
            "msr nzcv, %[n]\n\t"                                              \
            "ccmn %[mone], %[one], #0x0, " #cc "\n\t"                         \
            "mrs %[f4], nzcv"                                                 \
            : [sel] "=&r"(sel), [inc] "=&r"(inc), [inv] "=&r"(inv),           \
              [neg] "=&r"(neg), [incw] "=&r"(incw), [b] "=&r"(b),             \
              [f1] "=&r"(f1), [f2] "=&r"(f2), [f3] "=&r"(f3), [f4] "=&r"(f4)  \
            : [n] "r"(nzcv), [a] "r"(a), [c] "r"(c), [aw] "r"(aw),            \
              [cw] "r"(cw), [p5] "r"(p5), [pmax] "r"(pmax), [pmin] "r"(pmin), \
              [one] "r"(one), [mone] "r"(mone)                                \
            : "cc");                                                          \
        char fb[5], b1[5], b2[5], b3[5], b4[5];                               \
        printf("[%s] " #cc " sel=%lx inc=%lx inv=%lx neg=%lx incw=%lx b=%lu " \
               "cmp=%s cmn=%s cmpr=%s cmnr=%s\n",                             \
               flags_str(nzcv, fb), sel, inc, inv, neg, incw, b,              \
               flags_str(f1, b1), flags_str(f2, b2), flags_str(f3, b3),       \
               flags_str(f4, b4));                                            \
    }

COND(eq) COND(ne) COND(cs) COND(cc) COND(mi) COND(pl) COND(vs) COND(vc)
COND(hi) COND(ls) COND(ge) COND(lt) COND(gt) COND(le) COND(al) COND(nv)

static void (*const conds[16])(uint64_t) = {
    cond_eq, cond_ne, cond_cs, cond_cc, cond_mi, cond_pl, cond_vs, cond_vc,
    cond_hi, cond_ls, cond_ge, cond_lt, cond_gt, cond_le, cond_al, cond_nv,
};

// CSET/CSETM (aliases with both sources ZR and the condition inverted).
#define CSET(cc)                                                              \
    do {                                                                      \
        uint64_t s, m;                                                        \
        __asm__ volatile("msr nzcv, %2\n\tcset %0, " #cc "\n\tcsetm %1, " #cc \
                         : "=&r"(s), "=&r"(m) : "r"(n) : "cc");               \
        printf("[%s] cset " #cc " = %lx csetm = %lx\n", flags_str(n, fb), s, m); \
    } while (0)

int main(void)
{
    printf("condsel: begin\n");
    for (uint64_t f = 0; f < 16; f++)
        for (int c = 0; c < 16; c++)
            conds[c](f << 28);
    for (uint64_t f = 0; f < 16; f += 5) {
        uint64_t n = f << 28;
        char fb[5];
        CSET(eq); CSET(hi); CSET(ge); CSET(gt);
    }
    printf("condsel: end\n");
    return 0;
}
