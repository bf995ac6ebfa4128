// SPDX-License-Identifier: MIT OR Apache-2.0
//
// System registers and PSTATE access at EL1 (ARM ARM D17.2 AArch64 system
// register descriptions; C5.2 special-purpose registers; C6.2 MSR
// (immediate) for DAIFSet/DAIFClr/SPSel; C5.3.7 DC ZVA).  Identification
// registers print the values of the `cortex-a57` model of QEMU's `virt`.
// An access that traps is reported by trap.h's handler (the line before)
// and the program goes on.
#include "trap.h"

#define READ(reg)                                                             \
    do {                                                                      \
        uint64_t v = 0, t = conf_taken;                                       \
        __asm__ volatile("adr x16, 1f\n\tstr x16, [%1]\n1: mrs %0, " #reg    \
                         : "+r"(v) : "r"(&conf_mark) : "x16", "memory");      \
        if (conf_taken != t)                                                  \
            printf("mrs " #reg " -> exception\n");                            \
        else                                                                  \
            printf("mrs " #reg " = %016lx\n", v);                             \
    } while (0)

// Write v, read back.
#define RW(reg, val)                                                          \
    do {                                                                      \
        uint64_t v = (val), r = 0, t = conf_taken;                            \
        __asm__ volatile("adr x16, 1f\n\tstr x16, [%2]\n"                     \
                         "1: msr " #reg ", %1\n\tisb\n\tmrs %0, " #reg         \
                         : "+r"(r) : "r"(v), "r"(&conf_mark) : "x16", "memory"); \
        if (conf_taken != t)                                                  \
            printf("msr " #reg ", %016lx -> exception\n", v);                 \
        else                                                                  \
            printf("msr " #reg ", %016lx; mrs = %016lx\n", v, r);             \
    } while (0)

#define DAIF_IMM(op, imm)                                                     \
    do {                                                                      \
        uint64_t r;                                                           \
        __asm__ volatile("msr " #op ", #" #imm "\n\tmrs %0, daif"             \
                         : "=r"(r) : : "memory");                             \
        printf("msr " #op ", #" #imm "; daif = %08lx\n", r);                  \
    } while (0)

// Runs one instruction (operand %0 = an address in zbuf).
#define NOP_OK(insn)                                                          \
    do {                                                                      \
        uint64_t t = conf_taken;                                              \
        __asm__ volatile("adr x16, 1f\n\tstr x16, [%1]\n1: " insn            \
                         : : "r"(zbuf), "r"(&conf_mark) : "x16", "memory");   \
        printf("%s -> %s\n", insn, conf_taken != t ? "exception" : "ok");     \
    } while (0)

static uint8_t zbuf[256] __attribute__((aligned(64)));

static void dc_zva(uint64_t off)
{
    for (unsigned i = 0; i < sizeof zbuf; i++)
        zbuf[i] = (uint8_t)(0xa0 + i);
    __asm__ volatile("dc zva, %0" : : "r"(zbuf + off) : "memory");
    printf("dc zva, zbuf+%lu:", off);
    // One character per 8-byte word: '0' zeroed, '.' untouched, '?' other.
    for (unsigned i = 0; i < sizeof zbuf / 8; i++) {
        int zero = 1, kept = 1;
        for (unsigned j = 8 * i; j < 8 * i + 8; j++) {
            zero &= zbuf[j] == 0;
            kept &= zbuf[j] == (uint8_t)(0xa0 + j);
        }
        putchar(zero ? '0' : kept ? '.' : '?');
    }
    printf("\n");
}

int main(void)
{
    printf("sysregs: begin\n");
    conf_install();
    READ(CurrentEL);
    READ(midr_el1);
    READ(mpidr_el1);
    READ(revidr_el1);
    READ(ctr_el0);
    READ(dczid_el0);
    READ(id_aa64pfr0_el1);
    READ(id_aa64isar0_el1);
    READ(id_aa64mmfr0_el1);
    READ(cntfrq_el0);
    READ(spsel);
    READ(daif);

    RW(tpidr_el0, 0x0123456789abcdefUL);
    RW(tpidr_el0, 0);
    RW(tpidrro_el0, 0xfedcba9876543210UL);
    RW(tpidr_el1, 0x8000000000000001UL);
    RW(sp_el0, 0x4007fff0UL);
    RW(elr_el1, 0x40080004UL);
    RW(spsr_el1, 0x3c5UL);
    RW(far_el1, 0xdeadbeef0000UL);
    RW(esr_el1, 0x56000042UL);
    RW(contextidr_el1, 0x12345678UL);
    RW(mair_el1, 0xff440c0400UL);
    RW(vbar_el1, 0x40000800UL);
    conf_install();

    // NZCV: only bits [31:28] exist.
    RW(nzcv, 0xffffffffffffffffUL);
    RW(nzcv, 0x50000000UL);
    RW(nzcv, 0x0fffffffUL);
    RW(nzcv, 0);
    {
        uint64_t r;
        __asm__ volatile("mov x0, #-1\n\tcmn x0, #1\n\tmrs %0, nzcv" : "=r"(r) : : "x0", "cc");
        printf("cmn -1, #1; nzcv = %08lx\n", r);
    }

    // DAIF: masks in bits [9:6]; MSR DAIFSet/DAIFClr take a 4-bit D:A:I:F.
    DAIF_IMM(daifset, 0xf);
    DAIF_IMM(daifclr, 0x1);
    DAIF_IMM(daifclr, 0x4);
    DAIF_IMM(daifclr, 0x8);
    DAIF_IMM(daifset, 0x2);
    DAIF_IMM(daifclr, 0x2);
    DAIF_IMM(daifset, 0x5);
    RW(daif, 0x3c0UL);
    RW(daif, 0xffffffffffffffffUL);
    RW(daif, 0x0UL);
    RW(daif, 0x3c0UL);

    // SPSel through MSR (register) and MSR (immediate).
    {
        uint64_t a, b, c;
        __asm__ volatile("mov x17, sp\n\t"
                         "msr sp_el0, x17\n\t"
                         "msr spsel, #0\n\tmrs %0, spsel\n\t"
                         "msr spsel, #1\n\tmrs %1, spsel\n\t"
                         "mov x16, #0\n\tmsr spsel, x16\n\tmrs %2, spsel\n\t"
                         "mov x16, #1\n\tmsr spsel, x16\n\t"
                         "mov sp, x17"
                         : "=&r"(a), "=&r"(b), "=&r"(c) : : "x16", "x17", "memory");
        printf("spsel #0 -> %lu, #1 -> %lu, reg 0 -> %lu\n", a, b, c);
    }

    // DC ZVA zeroes the naturally aligned block (DCZID_EL0.BS words) that
    // holds the address.  '0' = zeroed word, '.' = untouched.
    dc_zva(0);
    dc_zva(64);
    dc_zva(100);
    dc_zva(255);

    // Hints, barriers, cache and TLB maintenance: no visible effect here,
    // but each must execute without an exception.
    NOP_OK("nop"); NOP_OK("yield"); NOP_OK("sev"); NOP_OK("sevl");
    NOP_OK("hint #0x7f"); NOP_OK("dmb ish"); NOP_OK("dmb oshld");
    NOP_OK("dsb sy"); NOP_OK("dsb nsh"); NOP_OK("isb"); NOP_OK("clrex");
    NOP_OK("ic iallu"); NOP_OK("ic ialluis"); NOP_OK("ic ivau, %0");
    NOP_OK("dc civac, %0"); NOP_OK("dc cvac, %0"); NOP_OK("dc cvau, %0");
    NOP_OK("dc ivac, %0"); NOP_OK("dc isw, xzr"); NOP_OK("dc cisw, xzr");
    NOP_OK("tlbi vmalle1"); NOP_OK("tlbi vmalle1is"); NOP_OK("tlbi vae1, %0");
    NOP_OK("tlbi aside1, xzr"); NOP_OK("tlbi vaae1is, %0");
    NOP_OK("at s1e1r, %0");
    printf("sysregs: end\n");
    return 0;
}
