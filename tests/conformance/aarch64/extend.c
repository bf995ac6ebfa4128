// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Add/subtract (extended register) (ARM ARM C6.2 ADD/ADDS/SUB/SUBS
// (extended register), J1.1.3 ExtendReg): every extend type with left
// shifts 0-4, in 64- and 32-bit forms, and the forms that read or write
// SP (Rn = SP, Rd = SP, CMP/CMN with SP).  The SP tests save SP in a
// scratch register and restore it inside the same asm statement.
#include "conf.h"

static const uint64_t nval = 0x1000000000000000UL;
static const uint64_t mvals[] = {
    0x8899aabbccddeeffUL, 0x0123456789ab7f7fUL, 0xfedcba9880008000UL,
};

#define EX(insn, reg, mreg, ext, sh)                                          \
    do {                                                                      \
        for (unsigned i = 0; i < sizeof mvals / sizeof mvals[0]; i++) {       \
            uint64_t r, f, m = mvals[i];                                      \
            char fb[5];                                                       \
            __asm__ volatile("msr nzcv, xzr\n\t" insn " %" reg "0, %" reg     \
                             "2, %" mreg "3, " #ext " #" #sh                  \
                             "\n\tmrs %1, nzcv"                               \
                             : "=&r"(r), "=&r"(f) : "r"(nval), "r"(m) : "cc"); \
            printf(insn " " reg ", " mreg " " #ext " #" #sh                   \
                   " %lx, %lx -> %016lx %s\n", nval, m, r, flags_str(f, fb)); \
        }                                                                     \
    } while (0)

#define SHIFTS(insn, reg, mreg, ext)                                          \
    do {                                                                      \
        EX(insn, reg, mreg, ext, 0); EX(insn, reg, mreg, ext, 1);             \
        EX(insn, reg, mreg, ext, 2); EX(insn, reg, mreg, ext, 3);             \
        EX(insn, reg, mreg, ext, 4);                                          \
    } while (0)

#define ALL_EXT64(insn)                                                       \
    do {                                                                      \
        SHIFTS(insn, "x", "w", uxtb); SHIFTS(insn, "x", "w", uxth);           \
        SHIFTS(insn, "x", "w", uxtw); SHIFTS(insn, "x", "x", uxtx);           \
        SHIFTS(insn, "x", "w", sxtb); SHIFTS(insn, "x", "w", sxth);           \
        SHIFTS(insn, "x", "w", sxtw); SHIFTS(insn, "x", "x", sxtx);           \
    } while (0)

#define ALL_EXT32(insn)                                                       \
    do {                                                                      \
        SHIFTS(insn, "w", "w", uxtb); SHIFTS(insn, "w", "w", uxth);           \
        SHIFTS(insn, "w", "w", uxtw); SHIFTS(insn, "w", "w", uxtx);           \
        SHIFTS(insn, "w", "w", sxtb); SHIFTS(insn, "w", "w", sxth);           \
        SHIFTS(insn, "w", "w", sxtw); SHIFTS(insn, "w", "w", sxtx);           \
    } while (0)

// Rn = SP: Xd = SP op ext(Rm); printed relative to SP.
#define FROM_SP(insn, reg, spr, mreg, ext, sh)                                     \
    do {                                                                      \
        uint64_t r, s, f, m = 0xfffffff0fffffff0UL;                           \
        char fb[5];                                                           \
        __asm__ volatile("msr nzcv, xzr\n\tmov %1, sp\n\t" insn " %" reg      \
                         "0, " spr ", %" mreg "3, " #ext " #" #sh           \
                         "\n\tmrs %2, nzcv"                                   \
                         : "=&r"(r), "=&r"(s), "=&r"(f) : "r"(m) : "cc");     \
        if (reg[0] == 'w')                                                    \
            s = (uint32_t)s;                                                  \
        printf(insn " " reg ", " spr ", " mreg " " #ext " #" #sh            \
               " %lx -> sp+(%ld) %s\n", m, (int64_t)(r - s), flags_str(f, fb)); \
    } while (0)

// Rd = SP: SP = Xn op ext(Rm), read back with `mov`, then SP restored.
#define TO_SP(insn, reg, spr, mreg, ext, sh, nv, mv)                               \
    do {                                                                      \
        uint64_t r, n = nv, m = mv;                                           \
        __asm__ volatile("mov x9, sp\n\t" insn " " spr ", %" reg "1, %"     \
                         mreg "2, " #ext " #" #sh "\n\tmov %0, sp\n\t"        \
                         "mov sp, x9"                                         \
                         : "=&r"(r) : "r"(n), "r"(m) : "x9", "memory");       \
        printf(insn " " spr ", " reg ", " mreg " " #ext " #" #sh            \
               " %lx, %lx -> sp=%016lx\n", n, m, r);                          \
    } while (0)

// Rd = SP and Rn = SP at once: SP = SP op ext(Rm).
#define SP_SP(insn, mreg, ext, sh, mv)                                        \
    do {                                                                      \
        uint64_t r, s, m = mv;                                                \
        __asm__ volatile("mov x9, sp\n\tmov %1, sp\n\t" insn " sp, sp, %"     \
                         mreg "2, " #ext " #" #sh "\n\tmov %0, sp\n\t"        \
                         "mov sp, x9"                                         \
                         : "=&r"(r), "=&r"(s) : "r"(m) : "x9", "memory");     \
        printf(insn " sp, sp, " mreg " " #ext " #" #sh " %lx -> sp+(%ld)\n",    \
               m, (int64_t)(r - s));                                          \
    } while (0)

// CMP/CMN with Rn = SP (SUBS/ADDS with Rd = ZR).
#define CMP_SP(insn, mreg, ext, sh, delta)                                    \
    do {                                                                      \
        uint64_t f, m;                                                        \
        char fb[5];                                                           \
        __asm__ volatile("mov %1, sp\n\tadd %1, %1, #" #delta "\n\t"          \
                         "msr nzcv, xzr\n\t" insn " sp, %" mreg "1, " #ext    \
                         " #" #sh "\n\tmrs %0, nzcv"                          \
                         : "=&r"(f), "=&r"(m) : : "cc");                      \
        printf(insn " sp, " mreg " " #ext " #" #sh " (sp+" #delta ") -> %s\n", \
               flags_str(f, fb));                                             \
    } while (0)

int main(void)
{
    printf("extend: begin\n");
    ALL_EXT64("add");
    ALL_EXT64("adds");
    ALL_EXT64("sub");
    ALL_EXT64("subs");
    ALL_EXT32("add");
    ALL_EXT32("subs");

    FROM_SP("add", "x", "sp", "w", uxtw, 0); FROM_SP("add", "x", "sp", "w", uxtw, 4);
    FROM_SP("add", "x", "sp", "w", sxtw, 2); FROM_SP("add", "x", "sp", "w", sxtb, 3);
    FROM_SP("add", "x", "sp", "x", uxtx, 0); FROM_SP("add", "x", "sp", "x", lsl, 1);
    FROM_SP("sub", "x", "sp", "w", sxth, 1); FROM_SP("sub", "x", "sp", "x", sxtx, 4);
    FROM_SP("adds", "x", "sp", "w", uxtb, 0); FROM_SP("subs", "x", "sp", "w", sxtw, 0);
    FROM_SP("add", "w", "wsp", "w", uxth, 2); FROM_SP("subs", "w", "wsp", "w", sxtb, 0);

    TO_SP("add", "x", "sp", "w", uxtw, 0, 0x40000000UL, 0x80001230UL);
    TO_SP("add", "x", "sp", "w", sxtw, 4, 0x48000000UL, 0xffffff00UL);
    TO_SP("add", "x", "sp", "x", lsl, 3, 0x40000000UL, 0x1234UL);
    TO_SP("sub", "x", "sp", "w", uxtb, 2, 0x40000000UL, 0x12345678ffUL);
    TO_SP("sub", "x", "sp", "x", sxtx, 1, 0x40000000UL, 0xfffffffffffffff0UL);
    TO_SP("add", "w", "wsp", "w", uxth, 1, 0xa5a5a5a5f0000000UL, 0x1ffffUL);
    TO_SP("sub", "w", "wsp", "w", sxtb, 0, 0x0000000100000000UL, 0x80UL);

    SP_SP("add", "w", uxtw, 4, 0x100UL);
    SP_SP("sub", "w", sxtw, 0, 0xfffffff0UL);
    SP_SP("sub", "x", uxtx, 4, 0x3UL);
    SP_SP("add", "w", sxth, 2, 0x8000UL);

    CMP_SP("cmp", "x", uxtx, 0, 0); CMP_SP("cmp", "x", uxtx, 0, 16);
    CMP_SP("cmn", "x", uxtx, 0, 0); CMP_SP("cmp", "w", uxtw, 0, 0);
    CMP_SP("cmp", "w", sxtw, 0, 0);
    printf("extend: end\n");
    return 0;
}
