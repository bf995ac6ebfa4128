/* SPDX-License-Identifier: MIT OR Apache-2.0
 *
 * Entry code and trap table of the bare-metal SPARC V8 test guests.
 *
 * Boot state (QEMU leon3_generic with -kernel ELF and no PROM image): QEMU's
 * little loader in PROM has enabled the APBUART transmitter and jumped here in
 * supervisor mode with traps disabled (ET=0), CWP=0, WIM=1.
 *
 *  1. TBR = the trap table below; WIM = window 1 invalid (CWP is 0);
 *     PSR = supervisor, PIL 15 (no interrupts), traps enabled.
 *  2. %sp = top of the stack (.stack, after .bss), zero .bss, call main().
 *  3. Halt: traps off, then `ta 0`: a trap with ET=0 puts the CPU in error
 *     mode, which QEMU's LEON3 turns into a power-off.
 *
 * Traps: 5/6 are the standard window overflow/underflow handlers (SPARC V8
 * manual, appendix on window traps). Illegal instruction (2), misaligned
 * access (7), tag overflow (0x0a), division by zero (0x2a) and software traps
 * 0x81-0xff are recorded in trap_count/last_trap and the trapping instruction
 * is skipped, for the trap tests. Any other trap prints "*** TRAP tt" and halts.
 *
 * The programs of build variant "fpu" (GUEST_FPU, see env.sh) start with the
 * FPU enabled (PSR.EF) and also record and skip fp_disabled (4) and
 * fp_exception (8). QEMU takes fp_exception precisely, at the FPop (it has
 * no deferred traps and no FP queue), so skipping it is `jmp %l2; rett %l2+4`
 * like the others.
 */
#define NWINDOWS 8
#define UART_DATA 0x80000100

    .file   "start.S"

/* One trap table entry: 4 instructions. */
#define TRAP(handler)   mov %psr, %l0; sethi %hi(handler), %l4; jmp %l4 + %lo(handler); rd %tbr, %l3
#define BAD             TRAP(fatal_trap)
#define SKIP            TRAP(record_trap)

    .section .text.traps, "ax"
    .align  4096
    .global __trap_table
__trap_table:
    BAD                         /* 0x00 reset */
    BAD                         /* 0x01 instruction access exception */
    SKIP                        /* 0x02 illegal instruction */
    BAD                         /* 0x03 privileged instruction */
#ifdef GUEST_FPU
    SKIP                        /* 0x04 fp disabled */
#else
    BAD                         /* 0x04 fp disabled */
#endif
    TRAP(window_overflow)       /* 0x05 */
    TRAP(window_underflow)      /* 0x06 */
    SKIP                        /* 0x07 mem address not aligned */
#ifdef GUEST_FPU
    SKIP                        /* 0x08 fp exception */
#else
    BAD                         /* 0x08 fp exception */
#endif
    BAD                         /* 0x09 data access exception */
    SKIP                        /* 0x0a tag overflow */
    .rept 0x2a - 0x0b
    BAD
    .endr
    SKIP                        /* 0x2a division by zero */
    .rept 0x80 - 0x2b
    BAD
    .endr
    BAD                         /* 0x80 ta 0 */
    .rept 0x100 - 0x81
    SKIP                        /* 0x81-0xff software traps */
    .endr

/* Window overflow: trap window = CWP; save window CWP-1 to its stack. */
window_overflow:
    mov     %g1, %l7
    rd      %wim, %l3
    srl     %l3, 1, %g1
    sll     %l3, NWINDOWS - 1, %l4
    or      %l4, %g1, %g1
    save
    wr      %g1, %wim
    nop
    nop
    nop
    std     %l0, [%sp + 0]
    std     %l2, [%sp + 8]
    std     %l4, [%sp + 16]
    std     %l6, [%sp + 24]
    std     %i0, [%sp + 32]
    std     %i2, [%sp + 40]
    std     %i4, [%sp + 48]
    std     %i6, [%sp + 56]
    restore
    mov     %l7, %g1
    jmp     %l1
    rett    %l2

/* Window underflow: reload window CWP+2 (the caller of the restoring frame). */
window_underflow:
    rd      %wim, %l3
    sll     %l3, 1, %l4
    srl     %l3, NWINDOWS - 1, %l5
    or      %l5, %l4, %l5
    wr      %l5, %wim
    nop
    nop
    nop
    restore
    restore
    ldd     [%sp + 0], %l0
    ldd     [%sp + 8], %l2
    ldd     [%sp + 16], %l4
    ldd     [%sp + 24], %l6
    ldd     [%sp + 32], %i0
    ldd     [%sp + 40], %i2
    ldd     [%sp + 48], %i4
    ldd     [%sp + 56], %i6
    save
    save
    jmp     %l1
    rett    %l2

/* Record tt (TBR bits 11:4, in %l3) and skip the trapping instruction.
 * The PSR (with the icc the guest had) is restored since the handler's own
 * arithmetic clobbers the condition codes. */
record_trap:
    srl     %l3, 4, %l3
    and     %l3, 0xff, %l3
    sethi   %hi(last_trap), %l4
    st      %l3, [%l4 + %lo(last_trap)]
    sethi   %hi(trap_count), %l4
    ld      [%l4 + %lo(trap_count)], %l5
    add     %l5, 1, %l5
    st      %l5, [%l4 + %lo(trap_count)]
    wr      %l0, %psr
    nop
    nop
    nop
    jmp     %l2
    rett    %l2 + 4

/* Print "*** TRAP tt at pc" and halt (traps are already disabled). */
fatal_trap:
    set     UART_DATA, %l4
    set     fatal_msg, %l5
1:  ldub    [%l5], %l6
    tst     %l6
    be      2f
    inc     %l5
    ba      1b
    st      %l6, [%l4]
2:  srl     %l3, 4, %l3
    and     %l3, 0xff, %l3
    sll     %l3, 24, %l3
    mov     2, %l7
    call    fatal_hex
    nop
    mov     %l1, %l3
    mov     8, %l7
    mov     ' ', %l6
    st      %l6, [%l4]
    call    fatal_hex
    nop
    mov     '\n', %l6
    st      %l6, [%l4]
    ta      0

/* Print the top %l7 nibbles of %l3 in hex; clobbers %l3, %l5, %l6, %l7. */
fatal_hex:
    srl     %l3, 28, %l6
    cmp     %l6, 10
    bl      3f
    add     %l6, '0', %l6
    add     %l6, 'a' - '0' - 10, %l6
3:  st      %l6, [%l4]
    sll     %l3, 4, %l3
    deccc   %l7
    bne     fatal_hex
    nop
    retl
    nop

    .section .rodata
fatal_msg:
    .asciz  "*** TRAP "

    .section .text.boot, "ax"
    .global _start
    .type   _start, #function
_start:
    set     __trap_table, %g1
    wr      %g1, %tbr
    wr      %g0, 2, %wim
#ifdef GUEST_FPU
    set     0x1fa0, %g1
    wr      %g1, %psr               /* EF, PIL 15, S, ET; CWP 0 */
#else
    wr      %g0, 0xfa0, %psr        /* PIL 15, S, ET; CWP 0 */
#endif
    nop
    nop
    nop
    set     __stack_top - 96, %sp
    mov     %g0, %fp

    set     __bss_start, %g1
    set     __bss_end, %g2
1:  cmp     %g1, %g2
    bgeu    2f
    nop
    st      %g0, [%g1]
    st      %g0, [%g1 + 4]
    ba      1b
    add     %g1, 8, %g1
2:
    call    main
    nop

    .global __halt
    .type   __halt, #function
__halt:
    rd      %psr, %g1
    andn    %g1, 0x20, %g1
    wr      %g1, %psr
    nop
    nop
    nop
    ta      0
3:  ba      3b
    nop

    .section .note.GNU-stack, "", @progbits
