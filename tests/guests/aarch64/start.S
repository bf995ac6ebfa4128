// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Entry code for the bare-metal AArch64 test guests.
//
// Boot state expected (QEMU `virt` with -kernel ELF): EL1, MMU and caches
// off, entry at _start (0x40080000).  Built as is, this code never touches
// CPACR_EL1, so FP/SIMD stays disabled (the guests are built with
// -mgeneral-regs-only).  Built with -DGUEST_FP (the FP/SIMD variant of
// env.sh, CFLAGS_FP), it first enables FP/SIMD at EL1 and EL0.
//
//  0. (GUEST_FP only) CPACR_EL1.FPEN = 0b11, then ISB: the write must be
//     synchronised before the first FP/SIMD instruction, which may be in the
//     prologue of main() (ARM ARM D17.2.30 CPACR_EL1; D1.2 "Synchronization
//     requirements for System registers"). FPCR is left at its reset value.
//  1. SP = top of the 1 MiB stack (.stack, a NOBITS section after .bss).
//  2. VBAR_EL1 = a small vector table that reports any exception on the
//     UART ("*** EXCEPTION ...") and powers off, so a fault shows up as
//     wrong output instead of a hang.
//  3. Zero .bss.  (GUEST_MMU only) turn the stage 1 MMU on with an
//     identity map (lib.c, __mmu_identity_on).  Call main().
//  4. PSCI SYSTEM_OFF (function id 0x84000008) via HVC, then spin.

    .file   "start.S"

    .section .text.boot, "ax"
    .global _start
    .type   _start, %function
_start:
#ifdef GUEST_FP
    mov     x0, #(3 << 20)      // FPEN, bits [21:20]
    msr     cpacr_el1, x0
    isb
#endif
    adrp    x0, __stack_top
    add     x0, x0, :lo12:__stack_top
    mov     sp, x0

    adrp    x0, __vectors
    add     x0, x0, :lo12:__vectors
    msr     vbar_el1, x0
    isb

    // Zero .bss (both ends are 16-byte aligned by link.ld).
    adrp    x0, __bss_start
    add     x0, x0, :lo12:__bss_start
    adrp    x1, __bss_end
    add     x1, x1, :lo12:__bss_end
1:  cmp     x0, x1
    b.hs    2f
    stp     xzr, xzr, [x0], #16
    b       1b
2:
#ifdef GUEST_MMU
    bl      __mmu_identity_on
#endif
    bl      main

    .global __poweroff
    .type   __poweroff, %function
__poweroff:
    // PSCI SYSTEM_OFF
    movz    x0, #0x0008
    movk    x0, #0x8400, lsl #16
    hvc     #0
3:  b       3b
    .size   __poweroff, . - __poweroff
    .size   _start, . - _start

// Common exception path: x0 = vector index, x1..x3 = ESR/ELR/FAR.
    .type   __exception_common, %function
__exception_common:
    adrp    x4, __stack_top
    add     x4, x4, :lo12:__stack_top
    mov     sp, x4
    bl      __exception_report
    b       __poweroff
    .size   __exception_common, . - __exception_common

    .macro  vector_entry index
    .balign 0x80
    mov     x0, #\index
    mrs     x1, esr_el1
    mrs     x2, elr_el1
    mrs     x3, far_el1
    b       __exception_common
    .endm

    .section .text.vectors, "ax"
    .balign 0x800
    .global __vectors
__vectors:
    vector_entry 0      // current EL, SP_EL0: sync
    vector_entry 1      //                     IRQ
    vector_entry 2      //                     FIQ
    vector_entry 3      //                     SError
    vector_entry 4      // current EL, SP_ELx: sync
    vector_entry 5      //                     IRQ
    vector_entry 6      //                     FIQ
    vector_entry 7      //                     SError
    vector_entry 8      // lower EL, AArch64:  sync
    vector_entry 9      //                     IRQ
    vector_entry 10     //                     FIQ
    vector_entry 11     //                     SError
    vector_entry 12     // lower EL, AArch32:  sync
    vector_entry 13     //                     IRQ
    vector_entry 14     //                     FIQ
    vector_entry 15     //                     SError
