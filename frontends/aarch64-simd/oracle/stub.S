// The code template the oracle copies into an RWX page: x0 points to the
// state buffer (V0..V31 at 0, FPSR stored at 512), w1 holds the FPCR to set.
// The instruction under test replaces the word at stub_slot.
    .text
    .global stub_start, stub_slot, stub_end
    .p2align 2
stub_start:
    stp d8, d9, [sp, #-80]!
    stp d10, d11, [sp, #16]
    stp d12, d13, [sp, #32]
    stp d14, d15, [sp, #48]
    mrs x3, fpcr
    str x3, [sp, #64]
    msr fpcr, x1
    msr fpsr, xzr
    ldp q0, q1, [x0, #0]
    ldp q2, q3, [x0, #32]
    ldp q4, q5, [x0, #64]
    ldp q6, q7, [x0, #96]
    ldp q8, q9, [x0, #128]
    ldp q10, q11, [x0, #160]
    ldp q12, q13, [x0, #192]
    ldp q14, q15, [x0, #224]
    ldp q16, q17, [x0, #256]
    ldp q18, q19, [x0, #288]
    ldp q20, q21, [x0, #320]
    ldp q22, q23, [x0, #352]
    ldp q24, q25, [x0, #384]
    ldp q26, q27, [x0, #416]
    ldp q28, q29, [x0, #448]
    ldp q30, q31, [x0, #480]
stub_slot:
    nop
    stp q0, q1, [x0, #0]
    stp q2, q3, [x0, #32]
    stp q4, q5, [x0, #64]
    stp q6, q7, [x0, #96]
    stp q8, q9, [x0, #128]
    stp q10, q11, [x0, #160]
    stp q12, q13, [x0, #192]
    stp q14, q15, [x0, #224]
    stp q16, q17, [x0, #256]
    stp q18, q19, [x0, #288]
    stp q20, q21, [x0, #320]
    stp q22, q23, [x0, #352]
    stp q24, q25, [x0, #384]
    stp q26, q27, [x0, #416]
    stp q28, q29, [x0, #448]
    stp q30, q31, [x0, #480]
    mrs x2, fpsr
    str w2, [x0, #512]
    ldr x3, [sp, #64]
    msr fpcr, x3
    ldp d14, d15, [sp, #48]
    ldp d12, d13, [sp, #32]
    ldp d10, d11, [sp, #16]
    ldp d8, d9, [sp], #80
    ret
stub_end:

// Process entry (no libc): call oracle_main with the initial stack, then
// exit with its return value.
    .global _start
_start:
    mov x29, #0
    bl oracle_main
    mov x8, #93
    svc #0

// Signal return trampoline for rt_sigaction's sa_restorer.
    .global sig_restorer
sig_restorer:
    mov x8, #139
    svc #0

// long raw_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
    .global raw_syscall
raw_syscall:
    mov x8, x0
    mov x0, x1
    mov x1, x2
    mov x2, x3
    mov x3, x4
    mov x4, x5
    mov x5, x6
    svc #0
    ret
