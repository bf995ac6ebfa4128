// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Shifts and rotates (ARM ARM C6.2 LSLV, LSRV, ASRV, RORV: the amount is
// Rm MOD datasize; LSL/LSR/ASR/ROR immediate, aliases of UBFM/SBFM/EXTR)
// and the shifted-register operand of the add/subtract and logical
// instructions (C6.2 ADD (shifted register) etc.) at the maximum amounts.
#include "conf.h"

static const uint64_t vals[] = {
    0x8000000000000001UL, 0x0123456789abcdefUL, 0xfedcba9876543210UL,
};
static const int64_t amounts[] = {0, 1, 31, 32, 33, 63, 64, 65, -1, 127, 0x100000020L};

#define VAR(name, insn, reg)                                                  \
    static NOINLINE uint64_t name(uint64_t a, uint64_t s)                     \
    {                                                                         \
        uint64_t r;                                                           \
        __asm__ volatile(insn " %" reg "0, %" reg "1, %" reg "2"              \
                         : "=r"(r) : "r"(a), "r"(s));                         \
        return r;                                                             \
    }
VAR(lslv64, "lslv", "x")
VAR(lsrv64, "lsrv", "x")
VAR(asrv64, "asrv", "x")
VAR(rorv64, "rorv", "x")
VAR(lslv32, "lslv", "w")
VAR(lsrv32, "lsrv", "w")
VAR(asrv32, "asrv", "w")
VAR(rorv32, "rorv", "w")

typedef uint64_t (*fn2)(uint64_t, uint64_t);

static void run_var(const char *name, fn2 f, int wide)
{
    for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++)
        for (unsigned j = 0; j < sizeof amounts / sizeof amounts[0]; j++) {
            uint64_t a = wide ? vals[i] : ((uint32_t)vals[i] | HI_GARBAGE);
            printf("%s %lx, %ld -> %016lx\n", name, a, amounts[j],
                   f(a, (uint64_t)amounts[j]));
        }
}

// Immediate shifts: one asm per (op, amount).
#define IMM(insn, reg, amt)                                                   \
    do {                                                                      \
        for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++) {         \
            uint64_t a = vals[i], r;                                          \
            if (reg[0] == 'w')                                                \
                a = (uint32_t)a | HI_GARBAGE;                                 \
            __asm__ volatile(insn " %" reg "0, %" reg "1, #" #amt             \
                             : "=r"(r) : "r"(a));                             \
            printf(insn " " reg ", #" #amt " %lx -> %016lx\n", a, r);         \
        }                                                                     \
    } while (0)

// Shifted-register operand: Rd = Rn op (Rm shift #amt); flags for the S forms.
#define SREG(insn, reg, sh, amt)                                              \
    do {                                                                      \
        for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++) {         \
            uint64_t n = 0x0f0f0f0f0f0f0f0fUL, m = vals[i], r, f;             \
            char fb[5];                                                       \
            if (reg[0] == 'w') {                                              \
                n = (uint32_t)n | HI_GARBAGE;                                 \
                m = (uint32_t)m | HI_GARBAGE;                                 \
            }                                                                 \
            __asm__ volatile("msr nzcv, xzr\n\t" insn " %" reg "0, %" reg     \
                             "2, %" reg "3, " #sh " #" #amt                   \
                             "\n\tmrs %1, nzcv"                               \
                             : "=&r"(r), "=&r"(f) : "r"(n), "r"(m) : "cc");   \
            printf(insn " " reg ", " #sh " #" #amt " %lx, %lx -> %016lx %s\n", \
                   n, m, r, flags_str(f, fb));                                \
        }                                                                     \
    } while (0)

#define SREG_ARITH(reg, sh, amt)                                              \
    do {                                                                      \
        SREG("add", reg, sh, amt);                                            \
        SREG("adds", reg, sh, amt);                                           \
        SREG("sub", reg, sh, amt);                                            \
        SREG("subs", reg, sh, amt);                                           \
    } while (0)

#define SREG_LOGIC(reg, sh, amt)                                              \
    do {                                                                      \
        SREG("and", reg, sh, amt);                                            \
        SREG("ands", reg, sh, amt);                                           \
        SREG("bic", reg, sh, amt);                                            \
        SREG("bics", reg, sh, amt);                                           \
        SREG("orr", reg, sh, amt);                                            \
        SREG("orn", reg, sh, amt);                                            \
        SREG("eor", reg, sh, amt);                                            \
        SREG("eon", reg, sh, amt);                                            \
    } while (0)

// NEG/MVN with shifted operand (aliases of SUB/ORN with Rn = ZR).
#define UN(insn, reg, sh, amt)                                                \
    do {                                                                      \
        for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++) {         \
            uint64_t m = vals[i], r;                                          \
            __asm__ volatile(insn " %" reg "0, %" reg "1, " #sh " #" #amt     \
                             : "=r"(r) : "r"(m));                             \
            printf(insn " " reg ", " #sh " #" #amt " %lx -> %016lx\n", m, r); \
        }                                                                     \
    } while (0)

int main(void)
{
    printf("shifts: begin\n");
    run_var("lslv x", lslv64, 1);
    run_var("lsrv x", lsrv64, 1);
    run_var("asrv x", asrv64, 1);
    run_var("rorv x", rorv64, 1);
    run_var("lslv w", lslv32, 0);
    run_var("lsrv w", lsrv32, 0);
    run_var("asrv w", asrv32, 0);
    run_var("rorv w", rorv32, 0);

    IMM("lsl", "x", 0); IMM("lsl", "x", 1); IMM("lsl", "x", 31); IMM("lsl", "x", 32); IMM("lsl", "x", 63);
    IMM("lsr", "x", 0); IMM("lsr", "x", 1); IMM("lsr", "x", 31); IMM("lsr", "x", 32); IMM("lsr", "x", 63);
    IMM("asr", "x", 0); IMM("asr", "x", 1); IMM("asr", "x", 31); IMM("asr", "x", 32); IMM("asr", "x", 63);
    IMM("ror", "x", 0); IMM("ror", "x", 1); IMM("ror", "x", 31); IMM("ror", "x", 32); IMM("ror", "x", 63);
    IMM("lsl", "w", 0); IMM("lsl", "w", 1); IMM("lsl", "w", 16); IMM("lsl", "w", 31);
    IMM("lsr", "w", 0); IMM("lsr", "w", 1); IMM("lsr", "w", 16); IMM("lsr", "w", 31);
    IMM("asr", "w", 0); IMM("asr", "w", 1); IMM("asr", "w", 16); IMM("asr", "w", 31);
    IMM("ror", "w", 0); IMM("ror", "w", 1); IMM("ror", "w", 16); IMM("ror", "w", 31);

    SREG_ARITH("x", lsl, 0); SREG_ARITH("x", lsl, 1); SREG_ARITH("x", lsl, 63);
    SREG_ARITH("x", lsr, 1); SREG_ARITH("x", lsr, 63);
    SREG_ARITH("x", asr, 1); SREG_ARITH("x", asr, 63);
    SREG_ARITH("w", lsl, 0); SREG_ARITH("w", lsl, 31);
    SREG_ARITH("w", lsr, 31); SREG_ARITH("w", asr, 31); SREG_ARITH("w", asr, 1);
    SREG_LOGIC("x", lsl, 0); SREG_LOGIC("x", lsl, 63); SREG_LOGIC("x", lsr, 63);
    SREG_LOGIC("x", asr, 63); SREG_LOGIC("x", ror, 1); SREG_LOGIC("x", ror, 63);
    SREG_LOGIC("w", lsl, 31); SREG_LOGIC("w", lsr, 31); SREG_LOGIC("w", asr, 31);
    SREG_LOGIC("w", ror, 1); SREG_LOGIC("w", ror, 31);
    UN("neg", "x", lsl, 63); UN("neg", "x", asr, 63); UN("neg", "w", lsr, 31);
    UN("negs", "x", lsr, 1);
    UN("mvn", "x", ror, 32); UN("mvn", "x", asr, 63); UN("mvn", "w", ror, 16);
    printf("shifts: end\n");
    return 0;
}
