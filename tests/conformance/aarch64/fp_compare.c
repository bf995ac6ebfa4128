// SPDX-License-Identifier: MIT OR Apache-2.0
// guest-variant: fp
//
// Floating-point compares and conditional selects (ARM ARM C7.2 FCMP,
// FCMPE, FCCMP, FCCMPE, FCSEL) in double and single precision.  Each line:
// the instruction, operand bits, the NZCV before (for the conditional
// forms), NZCV after (as letters, see conf.h) and FPSR.
//
//  * FCMP sets NZCV to 0110 (equal), 1000 (less), 0010 (greater) or 0011
//    (unordered) (FPCompare).  FCMP signals IOC only for a signalling NaN
//    operand; FCMPE signals it for any NaN (the "signalling compare").
//  * -0 and +0 compare equal; denormals are flushed under FZ (IDC).
//  * FCCMP/FCCMPE compare only if the condition holds on the incoming NZCV,
//    else set NZCV to the immediate and signal nothing, even for NaNs.
//  * FCSEL copies a register without any FP processing: NaNs (even
//    signalling ones) and denormals pass through unchanged, FPSR and NZCV
//    untouched.
#include "fpconf.h"

// FCMP/FCMPE Rn, Rm (or #0.0); NZCV preset to `in`.
#define CMP(fn, insn, R, W, second)                                            \
    static NOINLINE uint64_t fn(uint64_t n, uint64_t m, uint64_t c, uint64_t in, \
                                uint64_t *st)                                  \
    {                                                                          \
        uint64_t f, s;                                                         \
        __asm__ volatile("fmov " R "0, %" W "[n]\n\t"                          \
                         "fmov " R "1, %" W "[m]\n\t"                          \
                         "msr nzcv, %[in]\n\t"                                 \
                         "msr fpcr, %[c]\n\t"                                  \
                         "msr fpsr, xzr\n\t" insn " " R "0, " second "\n\t"    \
                         "mrs %[f], nzcv\n\t"                                  \
                         "mrs %[s], fpsr\n\t"                                  \
                         "msr fpcr, xzr"                                       \
                         : [f] "=&r"(f), [s] "=&r"(s)                          \
                         : [n] "r"(n), [m] "r"(m), [c] "r"(c), [in] "r"(in)    \
                         : "v0", "v1", "cc");                                  \
        *st = s;                                                               \
        return f;                                                              \
    }
CMP(fcmp_d, "fcmp", "d", "x", "d1")
CMP(fcmpe_d, "fcmpe", "d", "x", "d1")
CMP(fcmp_s, "fcmp", "s", "w", "s1")
CMP(fcmpe_s, "fcmpe", "s", "w", "s1")
CMP(fcmpz_d, "fcmp", "d", "x", "#0.0")
CMP(fcmpez_d, "fcmpe", "d", "x", "#0.0")
CMP(fcmpz_s, "fcmp", "s", "w", "#0.0")
CMP(fcmpez_s, "fcmpe", "s", "w", "#0.0")

// FCCMP/FCCMPE Rn, Rm, #nzcv, cond.
#define CCMP(fn, insn, R, W, imm, cond)                                        \
    CMP(fn, insn, R, W, R "1, #" #imm ", " #cond)
CCMP(fccmp_d_eq, "fccmp", "d", "x", 0, eq)
CCMP(fccmp_d_ne, "fccmp", "d", "x", 15, ne)
CCMP(fccmpe_d_eq, "fccmpe", "d", "x", 2, eq)
CCMP(fccmpe_d_vs, "fccmpe", "d", "x", 4, vs)
CCMP(fccmp_s_ge, "fccmp", "s", "w", 8, ge)
CCMP(fccmpe_s_hi, "fccmpe", "s", "w", 3, hi)
CCMP(fccmp_d_al, "fccmp", "d", "x", 5, al)
CCMP(fccmp_s_nv, "fccmp", "s", "w", 10, nv)

typedef uint64_t (*cmp_fn)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t *);

static void run(const char *name, cmp_fn f, int w, uint64_t n, uint64_t m, uint64_t c, uint64_t in,
                int show_in)
{
    uint64_t st;
    char a[5], b[5];
    uint64_t r = f(n, m, c, in, &st);
    printf("%s %0*lx %0*lx", name, w, n, w, m);
    if (show_in)
        printf(" in=%s", flags_str(in, a));
    if (c)
        printf(" %s", fpcr_name(c));
    printf(" -> %s fpsr=%02lx\n", flags_str(r, b), st);
}

// FCSEL Rd, Rn, Rm, cond under NZCV `in`.
#define SEL(fn, R, W, cond)                                                    \
    static NOINLINE uint64_t fn(uint64_t n, uint64_t m, uint64_t in, uint64_t *st, \
                                uint64_t *fl, uint64_t *hi)                    \
    {                                                                          \
        uint64_t r, s, f, h;                                                   \
        __asm__ volatile("fmov " R "0, %" W "[n]\n\t"                          \
                         "fmov " R "1, %" W "[m]\n\t"                          \
                         "movi v2.2d, #0xffffffffffffffff\n\t"                 \
                         "msr nzcv, %[in]\n\t"                                 \
                         "msr fpcr, %[c]\n\t"                                  \
                         "msr fpsr, xzr\n\t"                                   \
                         "fcsel " R "2, " R "0, " R "1, " #cond "\n\t"         \
                         "mrs %[s], fpsr\n\t"                                  \
                         "mrs %[f], nzcv\n\t"                                  \
                         "msr fpcr, xzr\n\t"                                   \
                         "fmov %[r], d2\n\t"                                   \
                         "mov %[h], v2.d[1]"                                   \
                         : [r] "=&r"(r), [s] "=&r"(s), [f] "=&r"(f), [h] "=&r"(h) \
                         : [n] "r"(n), [m] "r"(m), [in] "r"(in),               \
                           [c] "r"(FPCR_FZ | FPCR_DN)                          \
                         : "v0", "v1", "v2", "cc");                            \
        *st = s;                                                               \
        *fl = f;                                                               \
        *hi = h;                                                               \
        return r;                                                              \
    }
#define SEL2(cond) SEL(fcsel_d_##cond, "d", "x", cond) SEL(fcsel_s_##cond, "s", "w", cond)
SEL2(eq)
SEL2(ne)
SEL2(cs)
SEL2(cc)
SEL2(mi)
SEL2(pl)
SEL2(vs)
SEL2(vc)
SEL2(hi)
SEL2(ls)
SEL2(ge)
SEL2(lt)
SEL2(gt)
SEL2(le)
SEL2(al)
SEL2(nv)
typedef uint64_t (*sel_fn)(uint64_t, uint64_t, uint64_t, uint64_t *, uint64_t *, uint64_t *);
static const struct {
    const char *cond;
    sel_fn d, s;
} sels[16] = {
#define SELE(c) {#c, fcsel_d_##c, fcsel_s_##c}
    SELE(eq), SELE(ne), SELE(cs), SELE(cc), SELE(mi), SELE(pl), SELE(vs), SELE(vc),
    SELE(hi), SELE(ls), SELE(ge), SELE(lt), SELE(gt), SELE(le), SELE(al), SELE(nv),
};

int main(void)
{
    puts("fp_compare: begin");
    char a[5];

    // 1. FCMP/FCMPE on every pair of special values, NZCV preset to 0000
    // and to 1111 (all four flags are written).
    static const struct {
        const char *name;
        cmp_fn d, s;
    } cmps[] = {{"fcmp", fcmp_d, fcmp_s}, {"fcmpe", fcmpe_d, fcmpe_s}};
    for (unsigned o = 0; o < 2; o++)
        for (int dbl = 1; dbl >= 0; dbl--)
            for (unsigned i = 0; i < NSPECIAL; i++)
                for (unsigned j = 0; j < NSPECIAL; j++) {
                    const uint64_t *v = dbl ? dspecial : sspecial;
                    run(dbl ? (o ? "fcmpe d" : "fcmp d") : (o ? "fcmpe s" : "fcmp s"),
                        dbl ? cmps[o].d : cmps[o].s, dbl ? 16 : 8, v[i], v[j], 0,
                        ((i + j) & 1) ? 0xf0000000UL : 0, 0);
                }
    // Compare with #0.0, and under FZ (a denormal equals zero, IDC).
    for (unsigned i = 0; i < NSPECIAL; i++) {
        run("fcmp d #0", fcmpz_d, 16, dspecial[i], 0, 0, 0, 0);
        run("fcmpe d #0", fcmpez_d, 16, dspecial[i], 0, 0, 0, 0);
        run("fcmp s #0", fcmpz_s, 8, sspecial[i], 0, 0, 0, 0);
        run("fcmpe s #0", fcmpez_s, 8, sspecial[i], 0, 0, 0, 0);
    }
    for (unsigned i = 0; i < 4; i++) {
        run("fcmp d", fcmp_d, 16, dspecial[i], dspecial[3 - i], FPCR_FZ, 0, 0);
        run("fcmpe s", fcmpe_s, 8, sspecial[i], sspecial[3 - i], FPCR_FZ, 0, 0);
        run("fcmp d #0", fcmpz_d, 16, dspecial[i], 0, FPCR_FZ, 0, 0);
        run("fcmp s #0", fcmpz_s, 8, sspecial[i], 0, FPCR_FZ | FPCR_DN, 0, 0);
    }

    // 2. FCCMP/FCCMPE: each condition true and false on chosen NZCV inputs,
    // with ordered, equal and NaN operands.
    static const struct {
        const char *name;
        cmp_fn f;
        int dbl;
    } ccmps[] = {
        {"fccmp d,#0,eq", fccmp_d_eq, 1}, {"fccmp d,#15,ne", fccmp_d_ne, 1},
        {"fccmpe d,#2,eq", fccmpe_d_eq, 1}, {"fccmpe d,#4,vs", fccmpe_d_vs, 1},
        {"fccmp s,#8,ge", fccmp_s_ge, 0}, {"fccmpe s,#3,hi", fccmpe_s_hi, 0},
        {"fccmp d,#5,al", fccmp_d_al, 1}, {"fccmp s,#10,nv", fccmp_s_nv, 0},
    };
    static const int pairs[][2] = {{4, 5}, {5, 4}, {0, 1}, {9, 4}, {4, 11}, {7, 7}};
    for (unsigned o = 0; o < sizeof ccmps / sizeof ccmps[0]; o++)
        for (uint64_t in = 0; in < 16; in += 3)
            for (unsigned p = 0; p < sizeof pairs / sizeof pairs[0]; p++) {
                const uint64_t *v = ccmps[o].dbl ? dspecial : sspecial;
                run(ccmps[o].name, ccmps[o].f, ccmps[o].dbl ? 16 : 8, v[pairs[p][0]], v[pairs[p][1]], 0,
                    in << 28, 1);
            }

    // 3. FCSEL: all sixteen conditions under every NZCV, then NaN and
    // denormal operands (copied untouched even under FZ and DN).
    for (unsigned c = 0; c < 16; c++) {
        printf("fcsel d,%s:", sels[c].cond);
        for (uint64_t in = 0; in < 16; in++) {
            uint64_t st, fl, hi;
            uint64_t r = sels[c].d(0x3ff0000000000000UL, 0x4000000000000000UL, in << 28, &st, &fl, &hi);
            printf(" %s=%c", flags_str(in << 28, a), r == 0x3ff0000000000000UL ? 'n' : r == 0x4000000000000000UL ? 'm' : '?');
            if (st || fl != in << 28 || hi)
                printf("(fpsr=%lx nzcv=%lx hi=%lx)", st, fl, hi);
        }
        printf("\n");
    }
    for (unsigned i = 0; i < NSPECIAL; i++) {
        uint64_t st, fl, hi, r;
        r = sels[0].d(dspecial[i], dspecial[NSPECIAL - 1 - i], 0x40000000UL, &st, &fl, &hi);
        printf("fcsel d,eq %016lx %016lx in=-Z-- -> %016lx fpsr=%02lx nzcv=%s", dspecial[i],
               dspecial[NSPECIAL - 1 - i], r, st, flags_str(fl, a));
        printf(hi ? " hi=%016lx\n" : "\n", hi);
        r = sels[0].s(sspecial[i], sspecial[NSPECIAL - 1 - i], 0, &st, &fl, &hi);
        printf("fcsel s,eq %08lx %08lx in=---- -> %016lx fpsr=%02lx nzcv=%s", sspecial[i],
               sspecial[NSPECIAL - 1 - i], r, st, flags_str(fl, a));
        printf(hi ? " hi=%016lx\n" : "\n", hi);
    }
    puts("fp_compare: end");
    return 0;
}
