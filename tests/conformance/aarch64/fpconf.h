// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Shared helpers of the FP/SIMD conformance programs (fp_*.c, simd_*.c),
// which are built as the "fp" variant of the guest runtime (a source line
// "// guest-variant: fp": -O3 with FP/SIMD, and start.S sets
// CPACR_EL1.FPEN = 0b11 first; see tests/guests/aarch64/env.sh).
//
// Conventions:
//  * The instruction under test runs inside one asm statement that loads
//    its operands from X registers or memory into fixed V registers, writes
//    FPCR (the configuration under test) and zeroes FPSR right before it,
//    and reads FPSR right after it, then writes FPCR back to 0 (the reset
//    value) so that the surrounding compiled C code always runs under the
//    default configuration.  FPCR and FPSR are special-purpose registers: a
//    direct MSR write to them is visible to the instructions after it in
//    program order without an ISB (ARM ARM, "Synchronization requirements
//    for AArch64 System registers").
//  * Destination V registers are preset to all-ones, so an instruction that
//    fails to zero the bits above its result shows up (a scalar FP or SIMD
//    write of V[d] zero-extends to 128 bits, and a 64-bit vector form zeroes
//    bits [127:64]: the V[] accessor of the ARM ARM pseudocode): scalar
//    results are printed as the whole 64-bit D register, and bits [127:64]
//    are printed (" hi=...") only when nonzero, which QEMU never does.
//  * FPSR is printed in hex: IOC 0x01, DZC 0x02, OFC 0x04, UFC 0x08,
//    IXC 0x10, IDC 0x80, QC 0x08000000 (ARM ARM, FPSR register description).
#ifndef CHIMERA_FPCONF_H
#define CHIMERA_FPCONF_H

#include "conf.h"
#include "fp.h"

// FPCR fields (ARM ARM, FPCR register description).
#define FPCR_AHP (1UL << 26)
#define FPCR_DN (1UL << 25)
#define FPCR_FZ (1UL << 24)
#define FPCR_RMODE(m) ((uint64_t)(m) << 22) // 0 RN, 1 RP, 2 RM, 3 RZ
#define FPCR_RN FPCR_RMODE(0)
#define FPCR_RP FPCR_RMODE(1)
#define FPCR_RM FPCR_RMODE(2)
#define FPCR_RZ FPCR_RMODE(3)

// "rn", "rp+fz", "rz+fz+dn+ahp", ...
static inline const char *fpcr_name(uint64_t c)
{
    static char buf[24];
    static const char *const modes[4] = {"rn", "rp", "rm", "rz"};
    char *p = buf;
    for (const char *s = modes[(c >> 22) & 3]; *s;)
        *p++ = *s++;
    if (c & FPCR_FZ)
        for (const char *s = "+fz"; *s;)
            *p++ = *s++;
    if (c & FPCR_DN)
        for (const char *s = "+dn"; *s;)
            *p++ = *s++;
    if (c & FPCR_AHP)
        for (const char *s = "+ahp"; *s;)
            *p++ = *s++;
    *p = 0;
    return buf;
}

// The sixteen combinations of the four rounding modes with FZ and DN.
static const uint64_t fpcr_configs[16] = {
    FPCR_RN, FPCR_RP, FPCR_RM, FPCR_RZ,
    FPCR_RN | FPCR_FZ, FPCR_RP | FPCR_FZ, FPCR_RM | FPCR_FZ, FPCR_RZ | FPCR_FZ,
    FPCR_RN | FPCR_DN, FPCR_RP | FPCR_DN, FPCR_RM | FPCR_DN, FPCR_RZ | FPCR_DN,
    FPCR_RN | FPCR_FZ | FPCR_DN, FPCR_RP | FPCR_FZ | FPCR_DN,
    FPCR_RM | FPCR_FZ | FPCR_DN, FPCR_RZ | FPCR_FZ | FPCR_DN,
};

// Special values, IEEE binary64 and binary32.  The NaNs carry distinct
// payloads and signs so the printed result shows which operand propagated
// (ARM ARM FPProcessNaNs: the first signalling NaN in operand order, else
// the first quiet NaN; a signalling NaN is quietened by setting the top
// fraction bit).
static const uint64_t dspecial[] = {
    0x0000000000000000UL, // +0
    0x8000000000000000UL, // -0
    0x0000000000000001UL, // smallest denormal
    0x800fffffffffffffUL, // -largest denormal
    0x3ff0000000000000UL, // 1
    0xbff8000000000000UL, // -1.5
    0x7fefffffffffffffUL, // largest normal
    0x7ff0000000000000UL, // +inf
    0xfff0000000000000UL, // -inf
    0x7ff8000000000123UL, // qNaN, payload 0x123
    0xfff8000000000456UL, // -qNaN, payload 0x456
    0x7ff0000000000789UL, // sNaN, payload 0x789
    0xfff4000000000abcUL, // -sNaN, payload 0x4000000000abc
};
static const uint64_t sspecial[] = {
    0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x3f800000, 0xbfc00000,
    0x7f7fffff, 0x7f800000, 0xff800000, 0x7fc00123, 0xffc00456, 0x7f800789,
    0xffa00abc,
};
#define NSPECIAL (sizeof dspecial / sizeof dspecial[0])

// A 128-bit vector, lane 0 in the low bits of lo.
typedef struct {
    uint64_t lo, hi;
} v128;

static inline void print_v(v128 v)
{
    printf("%016lx_%016lx", v.hi, v.lo);
}

#endif
