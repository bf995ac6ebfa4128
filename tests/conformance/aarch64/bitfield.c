// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Bitfield moves (ARM ARM C6.2 SBFM, UBFM, BFM; J1.1.3 DecodeBitMasks) with
// immr/imms at the edges, all their aliases (SBFX, UBFX, SBFIZ, UBFIZ, BFI,
// BFXIL, SXTB/SXTH/SXTW, UXTB/UXTH) at lsb 0/31/63 and width 1/32/64,
// EXTR at every edge rotation, and the one-source data-processing
// instructions that rearrange bits (RBIT, REV, REV16, REV32, CLZ, CLS).
#include "conf.h"

static const uint64_t src[] = {0x8123456789abcdefUL, 0x7edcba9876543210UL};
// Destination preset: BFM keeps the bits it does not insert.
#define DST 0x5555aaaa5555aaaaUL

#define BF(insn, reg, immr, imms)                                             \
    do {                                                                      \
        for (unsigned i = 0; i < 2; i++) {                                    \
            uint64_t r = DST, a = src[i];                                     \
            if (reg[0] == 'w')                                                \
                a = (uint32_t)a | HI_GARBAGE;                                 \
            __asm__ volatile(insn " %" reg "0, %" reg "1, #" #immr ", #" #imms \
                             : "+r"(r) : "r"(a));                             \
            printf(insn " " reg " #" #immr ", #" #imms " %lx -> %016lx\n", a, r); \
        }                                                                     \
    } while (0)

#define BF3(reg, immr, imms)                                                  \
    do {                                                                      \
        BF("sbfm", reg, immr, imms);                                          \
        BF("ubfm", reg, immr, imms);                                          \
        BF("bfm", reg, immr, imms);                                           \
    } while (0)

#define ROW64(immr)                                                           \
    do {                                                                      \
        BF3("x", immr, 0); BF3("x", immr, 1); BF3("x", immr, 30);             \
        BF3("x", immr, 31); BF3("x", immr, 32); BF3("x", immr, 62);           \
        BF3("x", immr, 63);                                                   \
    } while (0)

#define ROW32(immr)                                                           \
    do {                                                                      \
        BF3("w", immr, 0); BF3("w", immr, 1); BF3("w", immr, 15);             \
        BF3("w", immr, 30); BF3("w", immr, 31);                               \
    } while (0)

// Aliases with (lsb, width) operands.
#define AL(insn, reg, lsb, width)                                             \
    do {                                                                      \
        for (unsigned i = 0; i < 2; i++) {                                    \
            uint64_t r = DST, a = src[i];                                     \
            if (reg[0] == 'w')                                                \
                a = (uint32_t)a | HI_GARBAGE;                                 \
            __asm__ volatile(insn " %" reg "0, %" reg "1, #" #lsb ", #" #width \
                             : "+r"(r) : "r"(a));                             \
            printf(insn " " reg " #" #lsb ", #" #width " %lx -> %016lx\n", a, r); \
        }                                                                     \
    } while (0)

#define AL4(reg, lsb, width)                                                  \
    do {                                                                      \
        AL("sbfx", reg, lsb, width);                                          \
        AL("ubfx", reg, lsb, width);                                          \
        AL("bfxil", reg, lsb, width);                                         \
        AL("sbfiz", reg, lsb, width);                                         \
        AL("ubfiz", reg, lsb, width);                                         \
        AL("bfi", reg, lsb, width);                                           \
    } while (0)

#define EXTR(reg, lsb)                                                        \
    do {                                                                      \
        uint64_t r, a = src[0], b = src[1];                                   \
        if (reg[0] == 'w') {                                                  \
            a = (uint32_t)a | HI_GARBAGE;                                     \
            b = (uint32_t)b | HI_GARBAGE;                                     \
        }                                                                     \
        __asm__ volatile("extr %" reg "0, %" reg "1, %" reg "2, #" #lsb       \
                         : "=r"(r) : "r"(a), "r"(b));                         \
        printf("extr " reg " #" #lsb " %lx:%lx -> %016lx\n", a, b, r);        \
        __asm__ volatile("extr %" reg "0, %" reg "1, %" reg "1, #" #lsb       \
                         : "=r"(r) : "r"(a));                                 \
        printf("extr " reg " #" #lsb " %lx:%lx -> %016lx\n", a, a, r);        \
    } while (0)

static const uint64_t ext_vals[] = {
    0, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000,
    0xffffffff, 0xdeadbeefcafe8081UL, 0x123456787fff7f7fUL,
};

#define EXT(insn, dreg, sreg)                                                 \
    do {                                                                      \
        for (unsigned i = 0; i < sizeof ext_vals / sizeof ext_vals[0]; i++) { \
            uint64_t r, a = ext_vals[i] | 0x5a5a000000000000UL;               \
            __asm__ volatile(insn " %" dreg "0, %" sreg "1" : "=r"(r) : "r"(a)); \
            printf(insn " " dreg ", " sreg " %lx -> %016lx\n", a, r);         \
        }                                                                     \
    } while (0)

static const uint64_t one_vals[] = {
    0, 1, 0xffffffffffffffffUL, 0x8000000000000000UL, 0x7fffffffffffffffUL,
    0x00000000ffffffffUL, 0x0000000080000000UL, 0x0123456789abcdefUL,
    0xc000000000000001UL, 0x0000000000010000UL, 0x3fffffff00000000UL,
};

#define ONE(insn, reg)                                                        \
    do {                                                                      \
        for (unsigned i = 0; i < sizeof one_vals / sizeof one_vals[0]; i++) { \
            uint64_t r, a = one_vals[i];                                      \
            __asm__ volatile(insn " %" reg "0, %" reg "1" : "=r"(r) : "r"(a)); \
            printf(insn " " reg " %lx -> %016lx\n", a, r);                    \
        }                                                                     \
    } while (0)

int main(void)
{
    printf("bitfield: begin\n");
    ROW64(0); ROW64(1); ROW64(31); ROW64(32); ROW64(63);
    ROW32(0); ROW32(1); ROW32(16); ROW32(31);

    AL4("x", 0, 1); AL4("x", 0, 32); AL4("x", 0, 64); AL4("x", 0, 63);
    AL4("x", 31, 1); AL4("x", 31, 32); AL4("x", 31, 33);
    AL4("x", 32, 32); AL4("x", 63, 1); AL4("x", 1, 63);
    AL4("w", 0, 1); AL4("w", 0, 32); AL4("w", 0, 31); AL4("w", 31, 1);
    AL4("w", 16, 16); AL4("w", 1, 31);

    EXTR("x", 0); EXTR("x", 1); EXTR("x", 31); EXTR("x", 32); EXTR("x", 63);
    EXTR("w", 0); EXTR("w", 1); EXTR("w", 16); EXTR("w", 31);

    EXT("sxtb", "x", "w"); EXT("sxth", "x", "w"); EXT("sxtw", "x", "w");
    EXT("sxtb", "w", "w"); EXT("sxth", "w", "w");
    EXT("uxtb", "w", "w"); EXT("uxth", "w", "w");

    ONE("rbit", "x"); ONE("rbit", "w");
    ONE("rev", "x"); ONE("rev", "w");
    ONE("rev16", "x"); ONE("rev16", "w");
    ONE("rev32", "x");
    ONE("clz", "x"); ONE("clz", "w");
    ONE("cls", "x"); ONE("cls", "w");
    printf("bitfield: end\n");
    return 0;
}
