// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Multiply and divide (ARM ARM C6.2 UDIV, SDIV: division by zero gives 0,
// INT_MIN / -1 gives INT_MIN, rounding toward zero; MADD, MSUB, SMULH,
// UMULH, SMADDL, UMADDL, SMSUBL, UMSUBL and the MUL/MNEG/SMULL/UMULL/
// SMNEGL/UMNEGL aliases) at the corners.  W forms get garbage in the upper
// halves of their sources and must ignore it.
#include "conf.h"

static const uint64_t v64[] = {
    0, 1, 2, 3, 7, 0x7fffffffffffffffUL, 0x8000000000000000UL,
    0xffffffffffffffffUL, 0xfffffffffffffff9UL, 0xfffffffffffffffeUL,
    0x0123456789abcdefUL, 0x00000000ffffffffUL, 0x0000000100000000UL,
};
static const uint32_t v32[] = {
    0, 1, 2, 3, 7, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff9,
    0xfffffffe, 0x89abcdef, 0x0000ffff, 0x00010000,
};
#define N64 (sizeof v64 / sizeof v64[0])
#define N32 (sizeof v32 / sizeof v32[0])

#define BIN(name, insn, reg)                                                  \
    static NOINLINE uint64_t name(uint64_t a, uint64_t b)                     \
    {                                                                         \
        uint64_t r;                                                           \
        __asm__ volatile(insn " %" reg "0, %" reg "1, %" reg "2"              \
                         : "=r"(r) : "r"(a), "r"(b));                         \
        return r;                                                             \
    }
BIN(udiv64, "udiv", "x")
BIN(sdiv64, "sdiv", "x")
BIN(udiv32, "udiv", "w")
BIN(sdiv32, "sdiv", "w")
BIN(mul64, "mul", "x")
BIN(mneg64, "mneg", "x")
BIN(mul32, "mul", "w")
BIN(mneg32, "mneg", "w")
BIN(smulh, "smulh", "x")
BIN(umulh, "umulh", "x")

// Long multiplies: Xd = f(Wn, Wm).
#define LONG(name, insn)                                                      \
    static NOINLINE uint64_t name(uint64_t a, uint64_t b)                     \
    {                                                                         \
        uint64_t r;                                                           \
        __asm__ volatile(insn " %0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b));    \
        return r;                                                             \
    }
LONG(smull, "smull")
LONG(umull, "umull")
LONG(smnegl, "smnegl")
LONG(umnegl, "umnegl")

#define TRI(name, insn, reg, areg)                                            \
    static NOINLINE uint64_t name(uint64_t a, uint64_t b, uint64_t c)         \
    {                                                                         \
        uint64_t r;                                                           \
        __asm__ volatile(insn " %" reg "0, %" areg "1, %" areg "2, %" reg "3" \
                         : "=r"(r) : "r"(a), "r"(b), "r"(c));                 \
        return r;                                                             \
    }
TRI(madd64, "madd", "x", "x")
TRI(msub64, "msub", "x", "x")
TRI(madd32, "madd", "w", "w")
TRI(msub32, "msub", "w", "w")
TRI(smaddl, "smaddl", "x", "w")
TRI(umaddl, "umaddl", "x", "w")
TRI(smsubl, "smsubl", "x", "w")
TRI(umsubl, "umsubl", "x", "w")

typedef uint64_t (*fn2)(uint64_t, uint64_t);
typedef uint64_t (*fn3)(uint64_t, uint64_t, uint64_t);

static void all_pairs(const char *name, fn2 f, int wide)
{
    unsigned n = wide ? N64 : N32;
    for (unsigned i = 0; i < n; i++)
        for (unsigned j = 0; j < n; j++) {
            uint64_t a = wide ? v64[i] : (v32[i] | HI_GARBAGE);
            uint64_t b = wide ? v64[j] : (v32[j] | HI_GARBAGE);
            printf("%s %lx, %lx -> %016lx\n", name, a, b, f(a, b));
        }
}

static const uint64_t accs[] = {0, 1, 0x8000000000000000UL, 0xffffffffffffffffUL};

static void all_triples(const char *name, fn3 f, int wide_sources, int wide_acc)
{
    static const unsigned pick[] = {1, 5, 6, 7, 9, 10};
    for (unsigned i = 0; i < 6; i++)
        for (unsigned j = 0; j < 6; j++)
            for (unsigned k = 0; k < 4; k++) {
                uint64_t a = wide_sources ? v64[pick[i]] : (v32[pick[i]] | HI_GARBAGE);
                uint64_t b = wide_sources ? v64[pick[j]] : (v32[pick[j]] | HI_GARBAGE);
                uint64_t c = wide_acc ? accs[k] : ((uint32_t)accs[k] | HI_GARBAGE);
                printf("%s %lx, %lx, %lx -> %016lx\n", name, a, b, c, f(a, b, c));
            }
}

int main(void)
{
    printf("muldiv: begin\n");
    all_pairs("udiv x", udiv64, 1);
    all_pairs("sdiv x", sdiv64, 1);
    all_pairs("udiv w", udiv32, 0);
    all_pairs("sdiv w", sdiv32, 0);
    all_pairs("mul x", mul64, 1);
    all_pairs("mul w", mul32, 0);
    all_pairs("mneg x", mneg64, 1);
    all_pairs("mneg w", mneg32, 0);
    all_pairs("smulh", smulh, 1);
    all_pairs("umulh", umulh, 1);
    all_pairs("smull", smull, 0);
    all_pairs("umull", umull, 0);
    all_pairs("smnegl", smnegl, 0);
    all_pairs("umnegl", umnegl, 0);
    all_triples("madd x", madd64, 1, 1);
    all_triples("msub x", msub64, 1, 1);
    all_triples("madd w", madd32, 0, 0);
    all_triples("msub w", msub32, 0, 0);
    all_triples("smaddl", smaddl, 0, 1);
    all_triples("umaddl", umaddl, 0, 1);
    all_triples("smsubl", smsubl, 0, 1);
    all_triples("umsubl", umsubl, 0, 1);
    printf("muldiv: end\n");
    return 0;
}
