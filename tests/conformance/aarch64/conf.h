// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Shared helpers of the AArch64 conformance programs.  Every program prints
// one line per check: a label naming the instruction and its operands, then
// the results in hex, so a difference between QEMU and Chimera is readable
// from the diff alone.  Operands always pass through inline asm, so gcc
// never folds the instruction under test into a constant.
#ifndef CHIMERA_CONFORMANCE_H
#define CHIMERA_CONFORMANCE_H

#include "lib.h"

#define NOINLINE __attribute__((noinline, noipa))
#define STR_(x) #x
#define STR(x) STR_(x)

// Upper-half garbage for 32-bit operands: a W-register instruction must
// ignore bits [63:32] of its sources and write zeros there.
#define HI_GARBAGE 0xa5a5a5a500000000UL

static inline uint64_t nzcv_read(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, nzcv" : "=r"(v));
    return v;
}

static inline void nzcv_write(uint64_t v)
{
    __asm__ volatile("msr nzcv, %0" : : "r"(v) : "cc");
}

// NZCV (bits [31:28] of the register) as four letters, '-' for a clear flag.
static inline const char *flags_str(uint64_t nzcv, char buf[5])
{
    buf[0] = (nzcv & (1UL << 31)) ? 'N' : '-';
    buf[1] = (nzcv & (1UL << 30)) ? 'Z' : '-';
    buf[2] = (nzcv & (1UL << 29)) ? 'C' : '-';
    buf[3] = (nzcv & (1UL << 28)) ? 'V' : '-';
    buf[4] = 0;
    return buf;
}

// "label = value" with the value as 16 hex digits.
static inline void show(const char *label, uint64_t v)
{
    printf("%s = %016lx\n", label, v);
}

// Hex dump of n 64-bit words, one line.
static inline void show_words(const char *label, const volatile uint64_t *p, int n)
{
    printf("%s =", label);
    for (int i = 0; i < n; i++)
        printf(" %016lx", p[i]);
    printf("\n");
}

#endif
