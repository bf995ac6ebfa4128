// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Benchmark: the cost of a system call round trip with the MMU on: SVC
// taken to EL1 (ARM ARM D1.10 "Exception entry"; here from EL1 itself, at
// the current-EL SP_ELx synchronous vector, VBAR_EL1 + 0x200), a handler
// that counts the call by its immediate in ESR_EL1 and returns with ERET
// (D1.11).  Prints the counts.
// guest-variant: mmu
#include "lib.h"

#define CALLS 4000000

static volatile uint64_t counts[4];

// A vector table whose current-EL SP_ELx synchronous entry handles SVC and
// returns; everything else goes to the runtime's reporting table.
__asm__(
    ".section .text.svc_vectors, \"ax\"\n"
    ".balign 0x800\n"
    "svc_vectors:\n"
    ".skip 0x200\n"
    "stp x0, x1, [sp, #-16]!\n"
    "mrs x0, esr_el1\n"
    "and x0, x0, #3\n"                     // ISS imm16, low bits: which counter
    "adrp x1, counts\n"
    "add x1, x1, :lo12:counts\n"
    "add x1, x1, x0, lsl #3\n"
    "ldr x0, [x1]\n"
    "add x0, x0, #1\n"
    "str x0, [x1]\n"
    "ldp x0, x1, [sp], #16\n"
    "eret\n"
    ".text\n");

extern char svc_vectors[];

int main(void)
{
    uint64_t old;
    __asm__ volatile("mrs %0, vbar_el1\n\tmsr vbar_el1, %1\n\tisb" : "=&r"(old) : "r"(svc_vectors));
    for (uint32_t i = 0; i < CALLS; i++) {
        if (i & 1)
            __asm__ volatile("svc #1" ::: "memory");
        else
            __asm__ volatile("svc #2" ::: "memory");
    }
    __asm__ volatile("msr vbar_el1, %0\n\tisb" : : "r"(old));
    printf("svc #1: %lu calls, svc #2: %lu calls\n", counts[1], counts[2]);
    return 0;
}
