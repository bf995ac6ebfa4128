// SPDX-License-Identifier: MIT OR Apache-2.0
//
// A vector table for the conformance programs that take exceptions on
// purpose.  Its handler prints the vector, ESR_EL1, ELR_EL1 (relative to
// the instruction under test, "mark"), FAR_EL1 (only for the classes that
// set it: aborts and PC alignment) and SPSR_EL1, then returns past the
// faulting instruction (ELR += 4; SVC/HVC/SMC already point past it) or,
// for a fault on a branch target, to the resume address the test left in
// `conf_resume` (and, if `conf_resume_spsr` is set, with that SPSR_EL1: the
// way back to EL1 from code run at EL0).  ESR/FAR/ELR of the last exception
// stay in conf_esr/conf_far/conf_elr.  ARM ARM D1.10 "Exception entry",
// D17.2.37 ESR_EL1.
//
// Include once, from the program's only C file; call conf_install() first.
#ifndef CHIMERA_CONFORMANCE_TRAP_H
#define CHIMERA_CONFORMANCE_TRAP_H

#include "conf.h"

uint64_t conf_mark;     // address of the instruction under test
uint64_t conf_resume;   // where to return after an abort on a branch target
uint64_t conf_taken;    // exceptions taken so far
uint64_t conf_sp_el1;   // SP_EL1 as the SPSel test left it
uint64_t conf_sp_el0;   // SP_EL0 as the SPSel test set it
uint64_t conf_resume_spsr; // with conf_resume: SPSR_EL1 to return with (from EL0 back to EL1)
uint64_t conf_esr, conf_far, conf_elr; // ESR/FAR/ELR_EL1 of the last exception taken

// Vector table (D1.10.2: 16 entries of 0x80 bytes, table 2 KiB aligned).
// Each entry saves x0/x1 and jumps to the common path with its index.
__asm__(
    ".section .text.conf_vectors, \"ax\"\n"
    ".macro conf_entry idx\n"
    ".balign 0x80\n"
    "sub sp, sp, #0x100\n"
    "stp x0, x1, [sp]\n"
    "mov x0, #\\idx\n"
    "b conf_common\n"
    ".endm\n"
    ".balign 0x800\n"
    ".global conf_vectors\n"
    "conf_vectors:\n"
    "conf_entry 0\n conf_entry 1\n conf_entry 2\n conf_entry 3\n"
    "conf_entry 4\n conf_entry 5\n conf_entry 6\n conf_entry 7\n"
    "conf_entry 8\n conf_entry 9\n conf_entry 10\n conf_entry 11\n"
    "conf_entry 12\n conf_entry 13\n conf_entry 14\n conf_entry 15\n"
    "conf_common:\n"
    "stp x2, x3, [sp, #16]\n stp x4, x5, [sp, #32]\n stp x6, x7, [sp, #48]\n"
    "stp x8, x9, [sp, #64]\n stp x10, x11, [sp, #80]\n stp x12, x13, [sp, #96]\n"
    "stp x14, x15, [sp, #112]\n stp x16, x17, [sp, #128]\n stp x18, x19, [sp, #144]\n"
    "stp x20, x21, [sp, #160]\n stp x22, x23, [sp, #176]\n stp x24, x25, [sp, #192]\n"
    "stp x26, x27, [sp, #208]\n stp x28, x29, [sp, #224]\n str x30, [sp, #240]\n"
    "mov x1, sp\n"
    "bl conf_exception\n"
    "ldp x2, x3, [sp, #16]\n ldp x4, x5, [sp, #32]\n ldp x6, x7, [sp, #48]\n"
    "ldp x8, x9, [sp, #64]\n ldp x10, x11, [sp, #80]\n ldp x12, x13, [sp, #96]\n"
    "ldp x14, x15, [sp, #112]\n ldp x16, x17, [sp, #128]\n ldp x18, x19, [sp, #144]\n"
    "ldp x20, x21, [sp, #160]\n ldp x22, x23, [sp, #176]\n ldp x24, x25, [sp, #192]\n"
    "ldp x26, x27, [sp, #208]\n ldp x28, x29, [sp, #224]\n ldr x30, [sp, #240]\n"
    "ldp x0, x1, [sp]\n"
    "add sp, sp, #0x100\n"
    "eret\n"
    ".text\n");

static const char *const vector_names[16] = {
    "cur/sp0 sync", "cur/sp0 irq", "cur/sp0 fiq", "cur/sp0 serror",
    "cur/spx sync", "cur/spx irq", "cur/spx fiq", "cur/spx serror",
    "low64 sync", "low64 irq", "low64 fiq", "low64 serror",
    "low32 sync", "low32 irq", "low32 fiq", "low32 serror",
};

static void print_rel(const char *what, uint64_t v, uint64_t base)
{
    int64_t d = (int64_t)(v - base);
    if (d >= -64 && d <= 64)
        printf(" %s=mark%s%ld", what, d < 0 ? "" : "+", d);
    else
        printf(" %s=%lx", what, v);
}

void conf_exception(uint64_t idx, uint64_t *frame)
{
    uint64_t esr, elr, far, spsr, spsel, sp_el0;
    __asm__ volatile("mrs %0, esr_el1" : "=r"(esr));
    __asm__ volatile("mrs %0, elr_el1" : "=r"(elr));
    __asm__ volatile("mrs %0, far_el1" : "=r"(far));
    __asm__ volatile("mrs %0, spsr_el1" : "=r"(spsr));
    __asm__ volatile("mrs %0, spsel" : "=r"(spsel));
    __asm__ volatile("mrs %0, sp_el0" : "=r"(sp_el0));
    unsigned ec = (unsigned)(esr >> 26) & 0x3f;
    conf_taken++;
    conf_esr = esr;
    conf_far = far;
    conf_elr = elr;
    printf("  vector=%lu (%s) esr=%08lx ec=%02x il=%lu iss=%07lx", idx,
           vector_names[idx & 15], esr, ec, (esr >> 25) & 1, esr & 0x1ffffff);
    print_rel("elr", elr, conf_mark);
    if (ec == 0x20 || ec == 0x21 || ec == 0x22 || ec == 0x24 || ec == 0x25)
        print_rel("far", far, conf_mark);
    printf(" spsr=%08lx\n", spsr);
    if (idx == 0) {
        // Taken from SP_EL0: report which stack pointer the handler runs on.
        uint64_t sp = (uint64_t)frame + 0x100;
        printf("  handler sp=%s spsel=%lu sp_el0=%s\n",
               sp == conf_sp_el1 ? "sp_el1" : sp == conf_sp_el0 ? "sp_el0" : "other",
               spsel, sp_el0 == conf_sp_el0 ? "unchanged" : "changed");
    }
    if (conf_resume) {
        elr = conf_resume;
        conf_resume = 0;
        if (conf_resume_spsr) {
            __asm__ volatile("msr spsr_el1, %0" : : "r"(conf_resume_spsr));
            conf_resume_spsr = 0;
        }
    } else if (ec != 0x15 && ec != 0x16 && ec != 0x17) {
        elr += 4;
    }
    __asm__ volatile("msr elr_el1, %0" : : "r"(elr));
}

static uint64_t taken_before;

static inline void conf_install(void)
{
    __asm__ volatile("adr x0, conf_vectors\n\tmsr vbar_el1, x0\n\tisb" ::: "x0");
}

static __attribute__((unused)) void begin(const char *name)
{
    printf("%s\n", name);
    taken_before = conf_taken;
}

static __attribute__((unused)) void end(void)
{
    if (conf_taken == taken_before)
        printf("  no exception\n");
}

#endif
