// SPDX-License-Identifier: MIT OR Apache-2.0
// guest-variant: fp
//
// Scalar floating-point arithmetic (ARM ARM C7.2: FADD, FSUB, FMUL, FDIV,
// FNMUL, FMULX, FABD, FMAX, FMIN, FMAXNM, FMINNM, FMADD, FMSUB, FNMADD,
// FNMSUB, FSQRT, FABS, FNEG, FMOV) in double and single precision.  Each
// line: the instruction, its operands' bits, the FPCR configuration, the
// result's bits (the whole D register) and FPSR.  See fpconf.h.
//
// Sections:
//  1. every binary operation on every pair of special values (signed zeros,
//     denormals, 1, -1.5, the largest normal, infinities, quiet and
//     signalling NaNs of both signs with distinct payloads) under the
//     default FPCR: NaN selection and quietening (FPProcessNaNs: the first
//     signalling NaN wins over any quiet one, then the first quiet NaN),
//     invalid operations (inf - inf, 0 * inf, 0/0, inf/inf) giving the
//     default NaN 0x7ff8000000000000 with IOC, FMAX/FMIN of zeros of both
//     signs (-0 < +0), FMAXNM/FMINNM taking the number when exactly one
//     operand is a quiet NaN (FPMaxNum/FPMinNum) but still signalling IOC
//     and returning a NaN for a signalling one, FMULX giving +-2.0 for
//     0 * inf (FPMulX), FABD clearing the sign of a NaN result too (FPAbs);
//  2. the fused multiply-adds on triples of a smaller set: the addend is
//     the first operand for NaN selection (FPProcessNaNs3(addend, n, m);
//     section 3 has cases with two NaNs of the same kind), and
//     0 * inf + qNaN is the default NaN with IOC (FPMulAdd: the invalid
//     product is checked before the NaN addend is returned); FMSUB negates
//     the first multiplicand, FNMSUB the addend, FNMADD both, with FPNeg
//     (which flips the sign of a NaN too) before FPMulAdd sees them, so a
//     propagated NaN from a negated operand comes out with its sign flipped;
//  3. the sixteen FPCR configurations (rounding mode x FZ x DN) on chosen
//     cases: ties and directed rounding, overflow to infinity or the largest
//     normal (FPRound: RZ and the mode towards zero return the largest
//     normal), the sign of an exact zero sum (-0 only under RM), tininess
//     detected before rounding (UFC for a result that rounds up to the
//     smallest normal), FZ flushing denormal inputs (IDC, and no IXC) and
//     outputs (UFC), DN replacing every NaN result by the default NaN,
//     FNMUL negating after rounding while FNMADD/FNMSUB negate before the
//     single rounding (so they differ under RP and RM), the fused rounding
//     of FMADD;
//  4. the unary operations on every special value under the default FPCR
//     and under FZ+DN: FABS, FNEG and FMOV never flush a denormal and never
//     signal, even on a signalling NaN (they are not arithmetic);
//  5. the cumulative nature of FPSR, and FPCR/FPSR read-back.
#include "fpconf.h"

// ---- the instruction wrappers ----

// Binary: R2 = op(R0, R1) under FPCR c.  R is "d" or "s", W the matching
// general register width ("x" or "w").
#define BIN(fn, insn, R, W)                                                    \
    static NOINLINE uint64_t fn(uint64_t n, uint64_t m, uint64_t c,             \
                                uint64_t *st, uint64_t *hi)                    \
    {                                                                          \
        uint64_t r, s, h;                                                      \
        __asm__ volatile("fmov " R "0, %" W "[n]\n\t"                          \
                         "fmov " R "1, %" W "[m]\n\t"                          \
                         "movi v2.2d, #0xffffffffffffffff\n\t"                 \
                         "msr fpcr, %[c]\n\t"                                  \
                         "msr fpsr, xzr\n\t" insn " " R "2, " R "0, " R "1\n\t" \
                         "mrs %[s], fpsr\n\t"                                  \
                         "msr fpcr, xzr\n\t"                                   \
                         "fmov %[r], d2\n\t"                                   \
                         "mov %[h], v2.d[1]"                                   \
                         : [r] "=&r"(r), [s] "=&r"(s), [h] "=&r"(h)            \
                         : [n] "r"(n), [m] "r"(m), [c] "r"(c)                  \
                         : "v0", "v1", "v2");                                  \
        *st = s;                                                               \
        *hi = h;                                                               \
        return r;                                                              \
    }

// Ternary: R3 = op(R0, R1, R2) (FMADD d, n, m, a: a is the addend).
#define TER(fn, insn, R, W)                                                    \
    static NOINLINE uint64_t fn(uint64_t n, uint64_t m, uint64_t a, uint64_t c, \
                                uint64_t *st, uint64_t *hi)                    \
    {                                                                          \
        uint64_t r, s, h;                                                      \
        __asm__ volatile("fmov " R "0, %" W "[n]\n\t"                          \
                         "fmov " R "1, %" W "[m]\n\t"                          \
                         "fmov " R "2, %" W "[a]\n\t"                          \
                         "movi v3.2d, #0xffffffffffffffff\n\t"                 \
                         "msr fpcr, %[c]\n\t"                                  \
                         "msr fpsr, xzr\n\t" insn " " R "3, " R "0, " R "1, " R \
                         "2\n\t"                                               \
                         "mrs %[s], fpsr\n\t"                                  \
                         "msr fpcr, xzr\n\t"                                   \
                         "fmov %[r], d3\n\t"                                   \
                         "mov %[h], v3.d[1]"                                   \
                         : [r] "=&r"(r), [s] "=&r"(s), [h] "=&r"(h)            \
                         : [n] "r"(n), [m] "r"(m), [a] "r"(a), [c] "r"(c)      \
                         : "v0", "v1", "v2", "v3");                            \
        *st = s;                                                               \
        *hi = h;                                                               \
        return r;                                                              \
    }

// Unary: R2 = op(R0).
#define UN(fn, insn, R, W)                                                     \
    static NOINLINE uint64_t fn(uint64_t n, uint64_t c, uint64_t *st,          \
                                uint64_t *hi)                                  \
    {                                                                          \
        uint64_t r, s, h;                                                      \
        __asm__ volatile("fmov " R "0, %" W "[n]\n\t"                          \
                         "movi v2.2d, #0xffffffffffffffff\n\t"                 \
                         "msr fpcr, %[c]\n\t"                                  \
                         "msr fpsr, xzr\n\t" insn " " R "2, " R "0\n\t"        \
                         "mrs %[s], fpsr\n\t"                                  \
                         "msr fpcr, xzr\n\t"                                   \
                         "fmov %[r], d2\n\t"                                   \
                         "mov %[h], v2.d[1]"                                   \
                         : [r] "=&r"(r), [s] "=&r"(s), [h] "=&r"(h)            \
                         : [n] "r"(n), [c] "r"(c)                              \
                         : "v0", "v2");                                        \
        *st = s;                                                               \
        *hi = h;                                                               \
        return r;                                                              \
    }

typedef uint64_t (*bin_fn)(uint64_t, uint64_t, uint64_t, uint64_t *, uint64_t *);
typedef uint64_t (*ter_fn)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t *, uint64_t *);
typedef uint64_t (*un_fn)(uint64_t, uint64_t, uint64_t *, uint64_t *);

#define BIN2(name)                                                             \
    BIN(name##_d, #name, "d", "x")                                             \
    BIN(name##_s, #name, "s", "w")
#define TER2(name)                                                             \
    TER(name##_d, #name, "d", "x")                                             \
    TER(name##_s, #name, "s", "w")
#define UN2(name)                                                              \
    UN(name##_d, #name, "d", "x")                                              \
    UN(name##_s, #name, "s", "w")

BIN2(fadd)
BIN2(fsub)
BIN2(fmul)
BIN2(fdiv)
BIN2(fnmul)
BIN2(fmulx)
BIN2(fabd)
BIN2(fmax)
BIN2(fmin)
BIN2(fmaxnm)
BIN2(fminnm)
TER2(fmadd)
TER2(fmsub)
TER2(fnmadd)
TER2(fnmsub)
UN2(fsqrt)
UN2(fabs)
UN2(fneg)
UN2(fmov)

struct bin_op {
    const char *name;
    bin_fn d, s;
};
#define BOP(name) {#name, name##_d, name##_s}
static const struct bin_op bin_ops[] = {
    BOP(fadd), BOP(fsub), BOP(fmul), BOP(fdiv), BOP(fnmul), BOP(fmulx),
    BOP(fabd), BOP(fmax), BOP(fmin), BOP(fmaxnm), BOP(fminnm),
};
struct ter_op {
    const char *name;
    ter_fn d, s;
};
static const struct ter_op ter_ops[] = {
    BOP(fmadd), BOP(fmsub), BOP(fnmadd), BOP(fnmsub),
};
struct un_op {
    const char *name;
    un_fn d, s;
};
static const struct un_op un_ops[] = {
    BOP(fsqrt), BOP(fabs), BOP(fneg), BOP(fmov),
};

// ---- printing ----

static int width_of(int dbl)
{
    return dbl ? 16 : 8;
}

static void tail(uint64_t c, uint64_t r, uint64_t st, uint64_t hi, int dbl)
{
    printf(" %s -> %0*lx fpsr=%02lx", fpcr_name(c), width_of(dbl), r, st);
    if (hi)
        printf(" hi=%016lx", hi);
    printf("\n");
}

static void do_bin(const struct bin_op *op, int dbl, uint64_t a, uint64_t b, uint64_t c)
{
    uint64_t st, hi;
    uint64_t r = (dbl ? op->d : op->s)(a, b, c, &st, &hi);
    int w = width_of(dbl);
    printf("%s %s %0*lx %0*lx", op->name, dbl ? "d" : "s", w, a, w, b);
    tail(c, r, st, hi, dbl);
}

static void do_ter(const struct ter_op *op, int dbl, uint64_t n, uint64_t m, uint64_t a, uint64_t c)
{
    uint64_t st, hi;
    uint64_t r = (dbl ? op->d : op->s)(n, m, a, c, &st, &hi);
    int w = width_of(dbl);
    printf("%s %s %0*lx %0*lx %0*lx", op->name, dbl ? "d" : "s", w, n, w, m, w, a);
    tail(c, r, st, hi, dbl);
}

static void do_un(const struct un_op *op, int dbl, uint64_t a, uint64_t c)
{
    uint64_t st, hi;
    uint64_t r = (dbl ? op->d : op->s)(a, c, &st, &hi);
    printf("%s %s %0*lx", op->name, dbl ? "d" : "s", width_of(dbl), a);
    tail(c, r, st, hi, dbl);
}

// ---- section 3: chosen cases under every configuration ----

enum { ADD, SUB, MUL, DIV, NMUL, MAX, MAXNM, MADD, NMADD, NMSUB, SQRT };

struct cfg_case {
    int op;
    uint64_t a, b, c; // for MADD..NMSUB: n, m, addend
};

static const struct cfg_case dcases[] = {
    {ADD, 0x3ff0000000000000UL, 0x3ca0000000000000UL, 0}, // 1 + 2^-53: a tie
    {ADD, 0x3ff0000000000000UL, 0x3ca8000000000000UL, 0}, // 1 + 1.5 * 2^-53
    {ADD, 0xbff0000000000000UL, 0xbca0000000000000UL, 0}, // -1 - 2^-53
    {SUB, 0x3ff0000000000000UL, 0x3c90000000000000UL, 0}, // 1 - 2^-54
    {ADD, 0x3ff0000000000000UL, 0xbff0000000000000UL, 0}, // 1 + -1: +0 or -0
    {SUB, 0x8000000000000000UL, 0x8000000000000000UL, 0}, // -0 - -0
    {MUL, 0x7fefffffffffffffUL, 0x7fefffffffffffffUL, 0}, // overflow
    {MUL, 0xffefffffffffffffUL, 0x4000000000000000UL, 0}, // -overflow
    {ADD, 0x7fefffffffffffffUL, 0x7c9fffffffffffffUL, 0}, // max + just under half an ulp
    {MUL, 0x0010000000000000UL, 0x3fe0000000000000UL, 0}, // exact denormal result
    {MUL, 0x0010000000000000UL, 0x3fefffffffffffffUL, 0}, // tiny, rounds to min normal
    {MUL, 0x0000000000000003UL, 0x3fe0000000000000UL, 0}, // denormal tie
    {SUB, 0x0018000000000000UL, 0x0010000000000000UL, 0}, // normal - normal = denormal
    {ADD, 0x0000000000000001UL, 0x0000000000000001UL, 0}, // denormal + denormal
    {ADD, 0x3ff0000000000000UL, 0x0000000000000001UL, 0}, // 1 + smallest denormal
    {MUL, 0x8000000000000001UL, 0x7fe0000000000000UL, 0}, // -denormal * 2^1023
    {MAX, 0x0000000000000001UL, 0x8000000000000000UL, 0}, // FZ: max(+0, -0)
    {MAXNM, 0x7ff8000000000123UL, 0x000fffffffffffffUL, 0},
    {DIV, 0x3ff0000000000000UL, 0x4008000000000000UL, 0}, // 1/3
    {DIV, 0xc000000000000000UL, 0x4008000000000000UL, 0}, // -2/3
    {DIV, 0x3ff0000000000000UL, 0x8000000000000000UL, 0}, // 1/-0
    {DIV, 0x0000000000000000UL, 0x0000000000000000UL, 0}, // 0/0
    {DIV, 0x0000000000000001UL, 0x7fefffffffffffffUL, 0}, // underflow to 0
    {DIV, 0x7fefffffffffffffUL, 0x0000000000000001UL, 0}, // overflow (FZ: x/0)
    {ADD, 0x7ff8000000000123UL, 0x3ff0000000000000UL, 0}, // qNaN (DN: default)
    {ADD, 0x3ff0000000000000UL, 0xfff4000000000abcUL, 0}, // sNaN
    {MUL, 0xfff0000000000000UL, 0x0000000000000000UL, 0}, // -inf * 0
    {MUL, 0x3fd5555555555555UL, 0x4008000000000000UL, 0}, // 3 * (1/3)
    {NMUL, 0x3fd5555555555555UL, 0x4008000000000000UL, 0}, // -(3 * (1/3))
    {MADD, 0x3ff0000000000001UL, 0x3fefffffffffffffUL, 0xbff0000000000000UL}, // fused
    {NMADD, 0x3fd5555555555555UL, 0x4008000000000000UL, 0x0000000000000000UL},
    {NMSUB, 0x3fd5555555555555UL, 0x4008000000000000UL, 0x8000000000000000UL},
    {MADD, 0x3ff0000000000000UL, 0x8000000000000000UL, 0x0000000000000000UL}, // +0 + 1*-0
    {MADD, 0x0000000000000000UL, 0x7ff0000000000000UL, 0x7ff8000000000123UL}, // 0*inf + qNaN
    {MADD, 0x0010000000000000UL, 0x3fe0000000000000UL, 0x0000000000000001UL}, // denormal sum
    {MADD, 0x7ff8000000000123UL, 0x3ff0000000000000UL, 0xfff8000000000456UL}, // qNaN n, qNaN a
    {MADD, 0x7ff0000000000789UL, 0x7ff8000000000123UL, 0xfff4000000000abcUL}, // sNaN n, sNaN a
    {NMSUB, 0x3ff0000000000000UL, 0x7ff0000000000789UL, 0xfff8000000000456UL}, // sNaN m, qNaN a
    {NMADD, 0x7ff8000000000123UL, 0x3ff0000000000000UL, 0x3ff0000000000000UL}, // NaN sign
    {SQRT, 0x4000000000000000UL, 0, 0},                   // sqrt 2
    {SQRT, 0x0000000000000002UL, 0, 0},                   // sqrt denormal
    {SQRT, 0xbff0000000000000UL, 0, 0},                   // sqrt -1
    {SQRT, 0x8000000000000000UL, 0, 0},                   // sqrt -0
};

static const struct cfg_case scases[] = {
    {ADD, 0x3f800000, 0x33800000, 0}, // 1 + 2^-24: a tie
    {ADD, 0x3f800000, 0x33c00000, 0}, // 1 + 1.5 * 2^-24
    {ADD, 0xbf800000, 0xb3800000, 0},
    {SUB, 0x3f800000, 0x33000000, 0}, // 1 - 2^-25
    {ADD, 0x3f800000, 0xbf800000, 0}, // 1 + -1
    {SUB, 0x80000000, 0x80000000, 0},
    {MUL, 0x7f7fffff, 0x7f7fffff, 0},
    {MUL, 0xff7fffff, 0x40000000, 0},
    {ADD, 0x7f7fffff, 0x737fffff, 0},
    {MUL, 0x00800000, 0x3f000000, 0},
    {MUL, 0x00800000, 0x3f7fffff, 0},
    {MUL, 0x00000003, 0x3f000000, 0},
    {SUB, 0x00c00000, 0x00800000, 0},
    {ADD, 0x00000001, 0x00000001, 0},
    {ADD, 0x3f800000, 0x00000001, 0},
    {MUL, 0x80000001, 0x7f000000, 0},
    {MAX, 0x00000001, 0x80000000, 0},
    {MAXNM, 0x7fc00123, 0x007fffff, 0},
    {DIV, 0x3f800000, 0x40400000, 0},
    {DIV, 0xc0000000, 0x40400000, 0},
    {DIV, 0x3f800000, 0x80000000, 0},
    {DIV, 0x00000000, 0x00000000, 0},
    {DIV, 0x00000001, 0x7f7fffff, 0},
    {DIV, 0x7f7fffff, 0x00000001, 0},
    {ADD, 0x7fc00123, 0x3f800000, 0},
    {ADD, 0x3f800000, 0xffa00abc, 0},
    {MUL, 0xff800000, 0x00000000, 0},
    {MUL, 0x3eaaaaab, 0x40400000, 0}, // 3 * (1/3 rounded up)
    {NMUL, 0x3eaaaaab, 0x40400000, 0},
    {MADD, 0x3f800001, 0x3f7fffff, 0xbf800000},
    {NMADD, 0x3eaaaaab, 0x40400000, 0x00000000},
    {NMSUB, 0x3eaaaaab, 0x40400000, 0x80000000},
    {MADD, 0x3f800000, 0x80000000, 0x00000000},
    {MADD, 0x00000000, 0x7f800000, 0x7fc00123},
    {MADD, 0x00800000, 0x3f000000, 0x00000001},
    {MADD, 0x7fc00123, 0x3f800000, 0xffc00456},
    {MADD, 0x7f800789, 0x7fc00123, 0xffa00abc},
    {NMSUB, 0x3f800000, 0x7f800789, 0xffc00456},
    {NMADD, 0x7fc00123, 0x3f800000, 0x3f800000},
    {SQRT, 0x40000000, 0, 0},
    {SQRT, 0x00000002, 0, 0},
    {SQRT, 0xbf800000, 0, 0},
    {SQRT, 0x80000000, 0, 0},
};

static void run_case(const struct cfg_case *k, int dbl, uint64_t c)
{
    switch (k->op) {
    case ADD: do_bin(&bin_ops[0], dbl, k->a, k->b, c); break;
    case SUB: do_bin(&bin_ops[1], dbl, k->a, k->b, c); break;
    case MUL: do_bin(&bin_ops[2], dbl, k->a, k->b, c); break;
    case DIV: do_bin(&bin_ops[3], dbl, k->a, k->b, c); break;
    case NMUL: do_bin(&bin_ops[4], dbl, k->a, k->b, c); break;
    case MAX: do_bin(&bin_ops[7], dbl, k->a, k->b, c); break;
    case MAXNM: do_bin(&bin_ops[9], dbl, k->a, k->b, c); break;
    case MADD: do_ter(&ter_ops[0], dbl, k->a, k->b, k->c, c); break;
    case NMADD: do_ter(&ter_ops[2], dbl, k->a, k->b, k->c, c); break;
    case NMSUB: do_ter(&ter_ops[3], dbl, k->a, k->b, k->c, c); break;
    case SQRT: do_un(&un_ops[0], dbl, k->a, c); break;
    }
}

// Indices into dspecial/sspecial of the values used for the triples:
// +0, -0, -1.5, largest normal, +inf, qNaN, -sNaN.
static const int tri_full[] = {0, 1, 5, 6, 7, 9, 12};
// +0, 1, +inf, -qNaN, sNaN.
static const int tri_small[] = {0, 4, 7, 10, 11};

int main(void)
{
    puts("fp_arith: begin");

    // 1. Binary operations x special pairs, default FPCR.
    for (unsigned o = 0; o < sizeof bin_ops / sizeof bin_ops[0]; o++)
        for (int dbl = 1; dbl >= 0; dbl--)
            for (unsigned i = 0; i < NSPECIAL; i++)
                for (unsigned j = 0; j < NSPECIAL; j++) {
                    const uint64_t *v = dbl ? dspecial : sspecial;
                    do_bin(&bin_ops[o], dbl, v[i], v[j], 0);
                }

    // 2. Fused multiply-adds on triples.
    for (unsigned o = 0; o < 4; o++)
        for (int dbl = 1; dbl >= 0; dbl--) {
            const uint64_t *v = dbl ? dspecial : sspecial;
            const int *set = o == 0 ? tri_full : tri_small;
            unsigned n = o == 0 ? sizeof tri_full / sizeof tri_full[0]
                                : sizeof tri_small / sizeof tri_small[0];
            for (unsigned i = 0; i < n; i++)
                for (unsigned j = 0; j < n; j++)
                    for (unsigned k = 0; k < n; k++)
                        do_ter(&ter_ops[o], dbl, v[set[i]], v[set[j]], v[set[k]], 0);
        }

    // 3. Chosen cases under all sixteen configurations.
    for (unsigned c = 0; c < 16; c++) {
        for (unsigned k = 0; k < sizeof dcases / sizeof dcases[0]; k++)
            run_case(&dcases[k], 1, fpcr_configs[c]);
        for (unsigned k = 0; k < sizeof scases / sizeof scases[0]; k++)
            run_case(&scases[k], 0, fpcr_configs[c]);
    }

    // 4. Unary operations, default and FZ+DN.
    static const uint64_t ucfg[2] = {0, FPCR_FZ | FPCR_DN};
    for (unsigned c = 0; c < 2; c++)
        for (unsigned o = 0; o < sizeof un_ops / sizeof un_ops[0]; o++)
            for (int dbl = 1; dbl >= 0; dbl--)
                for (unsigned i = 0; i < NSPECIAL; i++)
                    do_un(&un_ops[o], dbl, (dbl ? dspecial : sspecial)[i], ucfg[c]);

    // 5a. FPSR is cumulative: flags of two instructions accumulate until
    // written (the exception flags are sticky, ARM ARM FPProcessException).
    {
        uint64_t s;
        __asm__ volatile("msr fpsr, xzr\n\t"
                         "fmov d0, #1.0\n\t"
                         "movi d1, #0\n\t"
                         "fdiv d2, d0, d1\n\t"  // DZC
                         "fmov d3, #3.0\n\t"
                         "fdiv d2, d0, d3\n\t"  // IXC
                         "fsub d2, d1, d1\n\t"  // exact: nothing
                         "mrs %0, fpsr"
                         : "=r"(s) : : "v0", "v1", "v2", "v3");
        printf("fpsr after fdiv 1/0, fdiv 1/3, fsub 0-0 = %02lx\n", s);
    }
    // 5b. FPCR and FPSR read back after writing all-ones and each field.
    // (Trap enables IOE..IDE are RAZ/WI where trapping is not implemented;
    // FZ16 is RES0 without FEAT_FP16.)
    {
        static const uint64_t fpcr_w[] = {0xffffffffUL, FPCR_AHP, FPCR_DN, FPCR_FZ, FPCR_RZ,
                                          1UL << 19, 0x9f00UL, 0x370000UL};
        for (unsigned i = 0; i < sizeof fpcr_w / sizeof fpcr_w[0]; i++) {
            uint64_t r;
            __asm__ volatile("msr fpcr, %1\n\tmrs %0, fpcr\n\tmsr fpcr, xzr" : "=&r"(r) : "r"(fpcr_w[i]));
            printf("msr fpcr, %08lx; mrs -> %08lx\n", fpcr_w[i], r);
        }
        static const uint64_t fpsr_w[] = {0xffffffffUL, 0x9fUL, 1UL << 27, 0xf0000000UL};
        for (unsigned i = 0; i < sizeof fpsr_w / sizeof fpsr_w[0]; i++) {
            uint64_t r;
            __asm__ volatile("msr fpsr, %1\n\tmrs %0, fpsr\n\tmsr fpsr, xzr" : "=&r"(r) : "r"(fpsr_w[i]));
            printf("msr fpsr, %08lx; mrs -> %08lx\n", fpsr_w[i], r);
        }
    }
    puts("fp_arith: end");
    return 0;
}
