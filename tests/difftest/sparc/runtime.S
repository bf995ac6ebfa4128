/* SPDX-License-Identifier: MIT OR Apache-2.0
 *
 * Trap table and trap handlers of the SPARC V8 differential-test programs
 * (gen.py writes difftest_body, which installs this table in TBR).
 *
 *  - 5/6: the standard window overflow/underflow handlers (as in
 *    tests/guests/sparc/start.S), which also count how often they ran.
 *  - 0x01 and 0x21 (instruction access exception/error) and the interrupts
 *    0x11-0x1f: fatal. Recorded in the trap log (tt | 0x100), then the
 *    handler returns to difftest_end in the trapped window, which saves the
 *    registers and prints the dump. A second fatal trap halts at once (the
 *    dump then has no final "end" line).
 *  - Every other tt: recorded in the trap log as (tt, PC, nPC, PSR at trap
 *    time), the PSR (icc) restored, and execution resumed after the trapping
 *    instruction (`jmp %l2; rett %l2 + 4`).
 *
 * The handlers run in the trap window with traps disabled and touch only its
 * locals, the trap log and the counters: no global, no Y, and the icc come
 * back from %l0.
 */
#define NWINDOWS 8
#define LOG_MAX 1024

#define TRAP(handler)   rd %psr, %l0; sethi %hi(handler), %l4; jmp %l4 + %lo(handler); rd %tbr, %l3
#define FATAL           TRAP(difftest_fatal)
#define SKIP            TRAP(difftest_skip)

    .file   "runtime.S"
    .text
    .balign 4096
    .global difftest_traps
difftest_traps:
    FATAL                       /* 0x00 reset */
    FATAL                       /* 0x01 instruction access exception */
    SKIP                        /* 0x02 illegal instruction */
    SKIP                        /* 0x03 privileged instruction */
    SKIP                        /* 0x04 fp disabled */
    TRAP(difftest_overflow)     /* 0x05 */
    TRAP(difftest_underflow)    /* 0x06 */
    .rept 0x11 - 0x07
    SKIP                        /* 0x07 misaligned, 0x08 fp exception, 0x09 data access, 0x0a tag overflow, ... */
    .endr
    .rept 0x20 - 0x11
    FATAL                       /* 0x11-0x1f interrupts */
    .endr
    SKIP                        /* 0x20 register access error */
    FATAL                       /* 0x21 instruction access error */
    .rept 0x100 - 0x22
    SKIP                        /* 0x24 cp disabled, 0x29 data access error, 0x2a division by zero, 0x80-0xff Ticc, ... */
    .endr

/* Window overflow: trap window = CWP; save window CWP-1 to its stack. */
difftest_overflow:
    sethi   %hi(difftest_overflows), %l4
    ld      [%l4 + %lo(difftest_overflows)], %l5
    add     %l5, 1, %l5
    st      %l5, [%l4 + %lo(difftest_overflows)]
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
difftest_underflow:
    sethi   %hi(difftest_underflows), %l4
    ld      [%l4 + %lo(difftest_underflows)], %l5
    add     %l5, 1, %l5
    st      %l5, [%l4 + %lo(difftest_underflows)]
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

/* Append (tt | %l6, PC, nPC, PSR) to the trap log; %l3 = TBR. Called with
 * jmpl into %l7 (not call: the trap window's %o7 may be the oldest live
 * window's %i7 when the trap window is the invalid one). Clobbers %l3-%l6
 * and the icc. */
difftest_log:
    srl     %l3, 4, %l3
    and     %l3, 0xff, %l3
    or      %l3, %l6, %l3
    sethi   %hi(difftest_trap_count), %l4
    ld      [%l4 + %lo(difftest_trap_count)], %l5
    add     %l5, 1, %l6
    st      %l6, [%l4 + %lo(difftest_trap_count)]
    cmp     %l5, LOG_MAX
    bgeu    1f
    sll     %l5, 4, %l5
    sethi   %hi(difftest_trap_log), %l4
    or      %l4, %lo(difftest_trap_log), %l4
    add     %l4, %l5, %l4
    st      %l3, [%l4]
    st      %l1, [%l4 + 4]
    st      %l2, [%l4 + 8]
    st      %l0, [%l4 + 12]
1:  jmpl    %l7 + 8, %g0
    nop

/* Record the trap and skip the trapping instruction. */
difftest_skip:
    sethi   %hi(difftest_log), %l4
    jmpl    %l4 + %lo(difftest_log), %l7
    mov     0, %l6
    wr      %l0, %psr
    nop
    nop
    nop
    jmp     %l2
    rett    %l2 + 4

/* Record the trap and go to difftest_end (the dump) in the trapped window. */
difftest_fatal:
    sethi   %hi(difftest_fatal_seen), %l4
    ld      [%l4 + %lo(difftest_fatal_seen)], %l5
    tst     %l5
    bne     2f
    mov     1, %l5
    st      %l5, [%l4 + %lo(difftest_fatal_seen)]
    sethi   %hi(difftest_log), %l4
    jmpl    %l4 + %lo(difftest_log), %l7
    mov     0x100, %l6
    wr      %l0, %psr
    nop
    nop
    nop
    sethi   %hi(difftest_end), %l1
    or      %l1, %lo(difftest_end), %l1
    jmp     %l1
    rett    %l1 + 4
2:  ta      0                   /* ET = 0: error mode, the board powers off */

    .bss
    .balign 8
    .global difftest_trap_count, difftest_overflows, difftest_underflows, difftest_trap_log
difftest_trap_count:  .skip 4
difftest_overflows:   .skip 4
difftest_underflows:  .skip 4
difftest_fatal_seen:  .skip 4
difftest_trap_log:    .skip 16 * LOG_MAX

    .section .note.GNU-stack, "", @progbits
