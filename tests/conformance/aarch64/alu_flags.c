// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Flag-setting add/subtract (ARM ARM C6.2 ADDS, SUBS, ADCS, SBCS, CMN, CMP,
// NEGS, NGCS; flags per J1.1.3 AddWithCarry) on 64- and 32-bit operands
// around the signed and unsigned overflow boundaries.  Each line prints the
// result register (all 64 bits: a W-form must zero the upper half) and NZCV
// as read by `mrs x, nzcv`.  Before each instruction NZCV is preset, so a
// flag the instruction fails to write shows up.
#include "conf.h"

static const uint64_t vals64[] = {
    0, 1, 0x7fffffffffffffffUL, 0x8000000000000000UL,
    0xffffffffffffffffUL, 0x8000000000000001UL, 0x0000000100000000UL,
};
static const uint64_t vals32[] = {
    0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x80000001, 0xfffffffe,
};
#define N64 (sizeof vals64 / sizeof vals64[0])
#define N32 (sizeof vals32 / sizeof vals32[0])

// Two-operand flag-setting op with preset NZCV `in`; returns result, *fl = NZCV.
#define OP2(name, insn, reg)                                                  \
    static NOINLINE uint64_t name(uint64_t a, uint64_t b, uint64_t in,        \
                                  uint64_t *fl)                               \
    {                                                                         \
        uint64_t r, f;                                                        \
        __asm__ volatile("msr nzcv, %3\n\t" insn " %" reg "0, %" reg "2, %" reg \
                         "4\n\tmrs %1, nzcv"                                  \
                         : "=&r"(r), "=&r"(f)                                 \
                         : "r"(a), "r"(in), "r"(b)                            \
                         : "cc");                                             \
        *fl = f;                                                              \
        return r;                                                             \
    }
OP2(adds64, "adds", "x")
OP2(subs64, "subs", "x")
OP2(adcs64, "adcs", "x")
OP2(sbcs64, "sbcs", "x")
OP2(adc64, "adc", "x")
OP2(sbc64, "sbc", "x")
OP2(adds32, "adds", "w")
OP2(subs32, "subs", "w")
OP2(adcs32, "adcs", "w")
OP2(sbcs32, "sbcs", "w")
OP2(adc32, "adc", "w")
OP2(sbc32, "sbc", "w")
OP2(ands64, "ands", "x")
OP2(bics64, "bics", "x")
OP2(ands32, "ands", "w")
OP2(bics32, "bics", "w")

// Compare ops: only flags.
#define CMP2(name, insn, reg)                                                 \
    static NOINLINE uint64_t name(uint64_t a, uint64_t b, uint64_t in)        \
    {                                                                         \
        uint64_t f;                                                           \
        __asm__ volatile("msr nzcv, %1\n\t" insn " %" reg "2, %" reg          \
                         "3\n\tmrs %0, nzcv"                                  \
                         : "=&r"(f)                                           \
                         : "r"(in), "r"(a), "r"(b)                            \
                         : "cc");                                             \
        return f;                                                             \
    }
CMP2(cmp64, "cmp", "x")
CMP2(cmn64, "cmn", "x")
CMP2(cmp32, "cmp", "w")
CMP2(cmn32, "cmn", "w")

// One-operand ops (NEGS, NGCS and their non-flag forms).
#define OP1(name, insn, reg)                                                  \
    static NOINLINE uint64_t name(uint64_t a, uint64_t in, uint64_t *fl)      \
    {                                                                         \
        uint64_t r, f;                                                        \
        __asm__ volatile("msr nzcv, %3\n\t" insn " %" reg "0, %" reg          \
                         "2\n\tmrs %1, nzcv"                                  \
                         : "=&r"(r), "=&r"(f)                                 \
                         : "r"(a), "r"(in)                                    \
                         : "cc");                                             \
        *fl = f;                                                              \
        return r;                                                             \
    }
OP1(negs64, "negs", "x")
OP1(ngcs64, "ngcs", "x")
OP1(ngc64, "ngc", "x")
OP1(negs32, "negs", "w")
OP1(ngcs32, "ngcs", "w")
OP1(ngc32, "ngc", "w")

// Immediate forms, with the 12-bit immediate shifted by 0 or 12.
#define OPI(name, insn, reg, imm)                                             \
    static NOINLINE uint64_t name(uint64_t a, uint64_t in, uint64_t *fl)      \
    {                                                                         \
        uint64_t r, f;                                                        \
        __asm__ volatile("msr nzcv, %3\n\t" insn " %" reg "0, %" reg          \
                         "2, " imm "\n\tmrs %1, nzcv"                         \
                         : "=&r"(r), "=&r"(f)                                 \
                         : "r"(a), "r"(in)                                    \
                         : "cc");                                             \
        *fl = f;                                                              \
        return r;                                                             \
    }
OPI(addsi64_1, "adds", "x", "#1")
OPI(subsi64_1, "subs", "x", "#1")
OPI(addsi64_fff000, "adds", "x", "#0xfff, lsl #12")
OPI(subsi64_fff000, "subs", "x", "#0xfff, lsl #12")
OPI(addsi32_1, "adds", "w", "#1")
OPI(subsi32_1, "subs", "w", "#1")
OPI(addsi32_fff000, "adds", "w", "#0xfff, lsl #12")
OPI(subsi32_fff000, "subs", "w", "#0xfff, lsl #12")

typedef uint64_t (*op2_fn)(uint64_t, uint64_t, uint64_t, uint64_t *);
typedef uint64_t (*cmp_fn)(uint64_t, uint64_t, uint64_t);
typedef uint64_t (*op1_fn)(uint64_t, uint64_t, uint64_t *);

// Flags preset before an instruction: all clear, all set, or only C.
static const uint64_t presets[] = {0x00000000, 0xf0000000, 0x20000000};

static void run_op2(const char *name, op2_fn f, int wide, uint64_t preset)
{
    const uint64_t *v = wide ? vals64 : vals32;
    unsigned n = wide ? N64 : N32;
    char fb[5], pb[5];
    for (unsigned i = 0; i < n; i++)
        for (unsigned j = 0; j < n; j++) {
            uint64_t a = v[i], b = v[j], fl;
            if (!wide) {
                a |= HI_GARBAGE;
                b |= HI_GARBAGE;
            }
            uint64_t r = f(a, b, preset, &fl);
            printf("%s [%s] %lx, %lx -> %016lx %s\n", name,
                   flags_str(preset, pb), v[i], v[j], r, flags_str(fl, fb));
        }
}

static void run_cmp(const char *name, cmp_fn f, int wide)
{
    const uint64_t *v = wide ? vals64 : vals32;
    unsigned n = wide ? N64 : N32;
    char fb[5];
    for (unsigned i = 0; i < n; i++)
        for (unsigned j = 0; j < n; j++) {
            uint64_t a = v[i], b = v[j];
            if (!wide) {
                a |= HI_GARBAGE;
                b |= HI_GARBAGE;
            }
            printf("%s %lx, %lx -> %s\n", name, v[i], v[j],
                   flags_str(f(a, b, 0x90000000), fb));
        }
}

static void run_op1(const char *name, op1_fn f, int wide, uint64_t preset)
{
    const uint64_t *v = wide ? vals64 : vals32;
    unsigned n = wide ? N64 : N32;
    char fb[5], pb[5];
    for (unsigned i = 0; i < n; i++) {
        uint64_t a = wide ? v[i] : (v[i] | HI_GARBAGE), fl;
        uint64_t r = f(a, preset, &fl);
        printf("%s [%s] %lx -> %016lx %s\n", name, flags_str(preset, pb), v[i],
               r, flags_str(fl, fb));
    }
}

int main(void)
{
    printf("alu_flags: begin\n");
    run_op2("adds x", adds64, 1, 0xf0000000);
    run_op2("subs x", subs64, 1, 0x00000000);
    run_op2("adcs x", adcs64, 1, 0x00000000);
    run_op2("adcs x", adcs64, 1, 0x20000000);
    run_op2("sbcs x", sbcs64, 1, 0xd0000000);
    run_op2("sbcs x", sbcs64, 1, 0x20000000);
    run_op2("adds w", adds32, 0, 0xf0000000);
    run_op2("subs w", subs32, 0, 0x00000000);
    run_op2("adcs w", adcs32, 0, 0x00000000);
    run_op2("adcs w", adcs32, 0, 0x20000000);
    run_op2("sbcs w", sbcs32, 0, 0xd0000000);
    run_op2("sbcs w", sbcs32, 0, 0x20000000);
    for (unsigned p = 0; p < 3; p++) {
        run_op1("negs x", negs64, 1, presets[p]);
        run_op1("ngcs x", ngcs64, 1, presets[p]);
        run_op1("ngc x", ngc64, 1, presets[p]);
        run_op1("negs w", negs32, 0, presets[p]);
        run_op1("ngcs w", ngcs32, 0, presets[p]);
        run_op1("ngc w", ngc32, 0, presets[p]);
    }
    // Non-flag-setting carry forms must leave NZCV alone.
    for (unsigned p = 1; p < 3; p++) {
        uint64_t fl;
        char fb[5], pb[5];
        static const uint64_t ab[][2] = {
            {0xffffffffffffffffUL, 0}, {0x7fffffffffffffffUL, 0}, {0, 0},
            {0x8000000000000000UL, 0x7fffffffffffffffUL},
        };
        for (unsigned i = 0; i < 4; i++) {
            uint64_t r = adc64(ab[i][0], ab[i][1], presets[p], &fl);
            printf("adc x [%s] %lx, %lx -> %016lx %s\n", flags_str(presets[p], pb),
                   ab[i][0], ab[i][1], r, flags_str(fl, fb));
            r = sbc64(ab[i][0], ab[i][1], presets[p], &fl);
            printf("sbc x [%s] %lx, %lx -> %016lx %s\n", flags_str(presets[p], pb),
                   ab[i][0], ab[i][1], r, flags_str(fl, fb));
            r = adc32(ab[i][0], ab[i][1] | HI_GARBAGE, presets[p], &fl);
            printf("adc w [%s] %lx, %lx -> %016lx %s\n", flags_str(presets[p], pb),
                   ab[i][0], ab[i][1] | HI_GARBAGE, r, flags_str(fl, fb));
            r = sbc32(ab[i][0], ab[i][1] | HI_GARBAGE, presets[p], &fl);
            printf("sbc w [%s] %lx, %lx -> %016lx %s\n", flags_str(presets[p], pb),
                   ab[i][0], ab[i][1] | HI_GARBAGE, r, flags_str(fl, fb));
        }
    }
    run_cmp("cmp x", cmp64, 1);
    run_cmp("cmn x", cmn64, 1);
    run_cmp("cmp w", cmp32, 0);
    run_cmp("cmn w", cmn32, 0);
    // Logical flag setters: N and Z from the result, C and V cleared.
    run_op2("ands x", ands64, 1, 0x30000000);
    run_op2("bics x", bics64, 1, 0x30000000);
    run_op2("ands w", ands32, 0, 0x30000000);
    run_op2("bics w", bics32, 0, 0x30000000);
    // Immediate forms.
    {
        static const struct {
            const char *name;
            op1_fn f;
            int wide;
        } imm[] = {
            {"adds x, #1", addsi64_1, 1},
            {"subs x, #1", subsi64_1, 1},
            {"adds x, #0xfff000", addsi64_fff000, 1},
            {"subs x, #0xfff000", subsi64_fff000, 1},
            {"adds w, #1", addsi32_1, 0},
            {"subs w, #1", subsi32_1, 0},
            {"adds w, #0xfff000", addsi32_fff000, 0},
            {"subs w, #0xfff000", subsi32_fff000, 0},
        };
        for (unsigned k = 0; k < sizeof imm / sizeof imm[0]; k++)
            run_op1(imm[k].name, imm[k].f, imm[k].wide, 0x50000000);
    }
    printf("alu_flags: end\n");
    return 0;
}
