// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Delay slots and the annul bit: every Bicc condition with a = 0 and a = 1,
// taken and not taken (the icc set with WRPSR for each case), then all 16 icc
// values per condition; DCTI couples (a Bicc in the delay slot of a Bicc);
// the delay slots of CALL, JMPL and RETL, `ret; restore`; a trapping
// instruction in an annulled and in an executed delay slot.
#include "lib.h"

// Run `insn 1f` with the given icc; the delay slot ORs 1 into the result and
// the fall-through path ORs 2. Returns bit 0 = delay slot executed, bit 1 =
// not taken.
#define BRANCH(fn, insn)                                                                                   \
    static uint32_t fn(uint32_t icc)                                                                       \
    {                                                                                                      \
        uint32_t r;                                                                                        \
        __asm__ volatile("rd %%psr, %%g1\n\t"                                                              \
                         "sethi %%hi(0xf00000), %%g2\n\t"                                                  \
                         "andn %%g1, %%g2, %%g1\n\t"                                                       \
                         "sll %1, 20, %%g2\n\t"                                                            \
                         "wr %%g1, %%g2, %%psr\n\t"                                                        \
                         "nop\n\tnop\n\tnop\n\t"                                                           \
                         "mov 0, %0\n\t" insn " 1f\n\t"                                                    \
                         " or %0, 1, %0\n\t"                                                               \
                         "or %0, 2, %0\n"                                                                  \
                         "1:\n"                                                                            \
                         : "=&r"(r)                                                                        \
                         : "r"(icc)                                                                        \
                         : "g1", "g2", "cc");                                                              \
        return r;                                                                                          \
    }

#define COND(c) BRANCH(b_##c, "b" #c) BRANCH(b_##c##_a, "b" #c ",a")
COND(a)
COND(n)
COND(ne)
COND(e)
COND(g)
COND(le)
COND(ge)
COND(l)
COND(gu)
COND(leu)
COND(cc)
COND(cs)
COND(pos)
COND(neg)
COND(vc)
COND(vs)

struct cond {
    const char *name;
    uint32_t (*run[2])(uint32_t icc);
};

#define ENTRY(c) {#c, {b_##c, b_##c##_a}}
static const struct cond conds[16] = {
    ENTRY(a),  ENTRY(n),   ENTRY(ne), ENTRY(e),   ENTRY(g),   ENTRY(le),  ENTRY(ge), ENTRY(l),
    ENTRY(gu), ENTRY(leu), ENTRY(cc), ENTRY(cs), ENTRY(pos), ENTRY(neg), ENTRY(vc), ENTRY(vs),
};

// The SPARC V8 condition (same order as conds) for icc = NZVC.
static int holds(int k, uint32_t icc)
{
    int n = (icc >> 3) & 1, z = (icc >> 2) & 1, v = (icc >> 1) & 1, c = icc & 1;
    switch (k) {
    case 0: return 1;
    case 1: return 0;
    case 2: return !z;
    case 3: return z;
    case 4: return !(z | (n ^ v));
    case 5: return z | (n ^ v);
    case 6: return !(n ^ v);
    case 7: return n ^ v;
    case 8: return !(c | z);
    case 9: return c | z;
    case 10: return !c;
    case 11: return c;
    case 12: return !n;
    case 13: return n;
    case 14: return !v;
    default: return v;
    }
}

static void show_icc(uint32_t icc)
{
    printf("%c%c%c%c", icc & 8 ? 'N' : '-', icc & 4 ? 'Z' : '-', icc & 2 ? 'V' : '-', icc & 1 ? 'C' : '-');
}

// "b<cond>" or "b<cond>,a".
static const char *mnemonic(int k, int a)
{
    static char buf[8];
    char *p = buf;
    *p++ = 'b';
    for (const char *s = conds[k].name; *s; s++)
        *p++ = *s;
    if (a) {
        *p++ = ',';
        *p++ = 'a';
    }
    *p = 0;
    return buf;
}

static void one_case(int k, int a, int want_taken)
{
    // The first icc value that makes the condition come out as wanted.
    for (uint32_t icc = 0; icc < 16; icc++) {
        if (holds(k, icc) != want_taken)
            continue;
        uint32_t r = conds[k].run[a](icc);
        printf("%-7s icc ", mnemonic(k, a));
        show_icc(icc);
        printf(": %-9s  delay slot %s\n", (r & 2) ? "not taken" : "taken", (r & 1) ? "executed" : "annulled");
        return;
    }
}

// DCTI couples. The first branch goes to 1f, the second (in its delay slot)
// to 2f; the marks say what ran: x1/x2 after the couple, t1/t1+4 at the first
// target, t2 at the second. Run with Z = 1 (be taken, bne not taken). Only
// couples whose first branch is BA/BN or has the annul bit: QEMU 7.2 (the
// reference) gets the others wrong (a conditional first branch without annul:
// it loses the second branch's delay slot or aborts), see
// tests/difftest/sparc/README.md.
#define COUPLE(fn, b1, b2)                                                                                 \
    static uint32_t fn(void)                                                                               \
    {                                                                                                      \
        uint32_t r;                                                                                        \
        __asm__ volatile("mov 0, %0\n\t"                                                                   \
                         "cmp %%g0, 0\n\t" b1 " 1f\n\t" b2 " 2f\n\t"                                       \
                         "or %0, 1, %0\n\t"                                                                \
                         "or %0, 2, %0\n\t"                                                                \
                         "ba,a 3f\n\t"                                                                     \
                         "nop\n"                                                                           \
                         "1:\tor %0, 4, %0\n\t"                                                            \
                         "or %0, 8, %0\n\t"                                                                \
                         "ba,a 3f\n\t"                                                                     \
                         "nop\n"                                                                           \
                         "2:\tor %0, 16, %0\n"                                                             \
                         "3:\n"                                                                            \
                         : "=&r"(r)                                                                        \
                         :                                                                                 \
                         : "cc");                                                                          \
        return r;                                                                                          \
    }

#define COUPLES(n1, b1)                                                                                    \
    COUPLE(c_##n1##_then_ba, b1, "ba")                                                                     \
    COUPLE(c_##n1##_then_ba_a, b1, "ba,a")                                                                 \
    COUPLE(c_##n1##_then_bn, b1, "bn")                                                                     \
    COUPLE(c_##n1##_then_bn_a, b1, "bn,a")                                                                 \
    COUPLE(c_##n1##_then_be, b1, "be")                                                                     \
    COUPLE(c_##n1##_then_be_a, b1, "be,a")                                                                 \
    COUPLE(c_##n1##_then_bne, b1, "bne")                                                                   \
    COUPLE(c_##n1##_then_bne_a, b1, "bne,a")
COUPLES(ba, "ba")
COUPLES(ba_a, "ba,a")
COUPLES(bn, "bn")
COUPLES(bn_a, "bn,a")
COUPLES(be_a, "be,a")
COUPLES(bne_a, "bne,a")

struct couple {
    const char *first;
    uint32_t (*run[8])(void);
};

#define CROW(n1, text)                                                                                     \
    {                                                                                                      \
        text, {                                                                                            \
            c_##n1##_then_ba, c_##n1##_then_ba_a, c_##n1##_then_bn, c_##n1##_then_bn_a, c_##n1##_then_be,  \
                c_##n1##_then_be_a, c_##n1##_then_bne, c_##n1##_then_bne_a                                 \
        }                                                                                                  \
    }
static const struct couple couples[] = {
    CROW(ba, "ba"), CROW(ba_a, "ba,a"), CROW(bn, "bn"), CROW(bn_a, "bn,a"), CROW(be_a, "be,a"), CROW(bne_a, "bne,a"),
};
static const char *const seconds[8] = {"ba", "ba,a", "bn", "bn,a", "be", "be,a", "bne", "bne,a"};

static void show_marks(uint32_t r)
{
    static const char *const names[5] = {"x1", "x2", "t1", "t1+4", "t2"};
    int any = 0;
    for (int i = 0; i < 5; i++) {
        if (r & (1u << i)) {
            printf("%s%s", any ? " " : "", names[i]);
            any = 1;
        }
    }
    if (!any)
        printf("nothing");
    putchar('\n');
}

static uint32_t leaf_marks;

// CALL, JMPL and RETL delay slots: mark 1 in the delay slot of the call, 2
// in the callee, 4 in the delay slot of its return, 8 after the return.
static uint32_t call_delay(void)
{
    uint32_t r;
    __asm__ volatile("mov 0, %0\n\t"
                     "call 1f\n\t"
                     " or %0, 1, %0\n\t"
                     "ba 2f\n\t"
                     " or %0, 8, %0\n"
                     "1:\tor %0, 2, %0\n\t"
                     "retl\n\t"
                     " or %0, 4, %0\n"
                     "2:\n"
                     : "=&r"(r)
                     :
                     : "o7");
    return r;
}

static uint32_t jmpl_delay(void)
{
    uint32_t r, t;
    __asm__ volatile("mov 0, %0\n\t"
                     "set 1f, %1\n\t"
                     "jmpl %1, %%g3\n\t"
                     " or %0, 1, %0\n\t"
                     "ba 2f\n\t"
                     " or %0, 8, %0\n"
                     "1:\tor %0, 2, %0\n\t"
                     "jmpl %%g3 + 8, %%g0\n\t"
                     " or %0, 4, %0\n"
                     "2:\n"
                     : "=&r"(r), "=&r"(t)
                     :
                     : "g3");
    return r;
}

// `ret; restore` (the RESTORE in the delay slot of the return) and a SAVE in
// the delay slot of the CALL: returns what the callee computed in its window
// plus 0x100 if %sp came back unchanged.
static uint32_t save_restore_delay(void)
{
    uint32_t r, sp0, sp1;
    __asm__ volatile("mov %%sp, %1\n\t"
                     "mov 5, %%o0\n\t"
                     "call 1f\n\t"
                     " save %%sp, -96, %%sp\n\t"
                     "ba 2f\n\t"
                     " mov %%o0, %0\n"
                     "1:\tadd %%i0, 10, %%l0\n\t"
                     "ret\n\t"
                     " restore %%l0, 20, %%o0\n"
                     "2:\tmov %%sp, %2\n"
                     : "=&r"(r), "=&r"(sp0), "=&r"(sp1)
                     :
                     : "o0", "o1", "o2", "o3", "o4", "o5", "o7", "memory");
    return r + (sp0 == sp1 ? 0x100 : 0);
}

// A software trap in the delay slot: annulled (bne,a not taken) it must not
// trap; executed (be,a taken) it must, and the trap returns to the branch
// target.
static void trap_in_delay(void)
{
    uint32_t r;
    trap_count = 0;
    last_trap = 0;
    __asm__ volatile("mov 0, %0\n\t"
                     "cmp %%g0, 0\n\t"
                     "bne,a 1f\n\t"
                     " ta 5\n\t"
                     "or %0, 1, %0\n"
                     "1:\n"
                     : "=&r"(r)
                     :
                     : "cc");
    printf("bne,a not taken, ta 5 in the delay slot: traps %u, fell through %u\n", trap_count, r);
    trap_count = 0;
    __asm__ volatile("mov 0, %0\n\t"
                     "cmp %%g0, 0\n\t"
                     "be,a 1f\n\t"
                     " ta 6\n\t"
                     "or %0, 1, %0\n"
                     "1:\n"
                     : "=&r"(r)
                     :
                     : "cc");
    printf("be,a taken, ta 6 in the delay slot: traps %u last %02x, fell through %u\n", trap_count, last_trap, r);
    trap_count = 0;
    __asm__ volatile("mov 0, %0\n\t"
                     "ba,a 1f\n\t"
                     " ta 7\n\t"
                     "or %0, 1, %0\n"
                     "1:\n"
                     : "=&r"(r));
    printf("ba,a, ta 7 in the delay slot: traps %u, fell through %u\n", trap_count, r);
    trap_count = 0;
    last_trap = 0;
}

int main(void)
{
    puts("Bicc: one case per condition, annul bit and outcome");
    for (int k = 0; k < 16; k++)
        for (int a = 0; a < 2; a++)
            for (int t = 1; t >= 0; t--)
                if (!(k == 0 && !t) && !(k == 1 && t))
                    one_case(k, a, t);

    puts("Bicc over all 16 icc NZVC = 0..f: T taken + delay slot, t taken + annulled,");
    puts("N not taken + delay slot, n not taken + annulled; '!' where the V8 rules differ");
    for (int k = 0; k < 16; k++) {
        for (int a = 0; a < 2; a++) {
            printf("%-7s ", mnemonic(k, a));
            int bad = 0;
            for (uint32_t icc = 0; icc < 16; icc++) {
                uint32_t r = conds[k].run[a](icc);
                int taken = !(r & 2), delay = r & 1;
                char ch = taken ? (delay ? 'T' : 't') : (delay ? 'N' : 'n');
                // V8: a = 0 always runs the delay slot; a = 1 runs it only
                // for a taken conditional branch (never for ba,a or bn,a).
                int want_delay = !a || (taken && k != 0);
                if (taken != holds(k, icc) || delay != want_delay)
                    bad = 1;
                putchar(ch);
            }
            puts(bad ? " !" : "");
        }
    }

    puts("DCTI couples (Z = 1: be taken, bne not taken); what ran:");
    for (unsigned i = 0; i < sizeof couples / sizeof couples[0]; i++) {
        for (int j = 0; j < 8; j++) {
            printf("%-5s then %-5s: ", couples[i].first, seconds[j]);
            show_marks(couples[i].run[j]());
        }
    }

    leaf_marks = call_delay();
    printf("call: marks %x (1 call delay, 2 callee, 4 retl delay, 8 after)\n", leaf_marks);
    printf("jmpl: marks %x (1 jmpl delay, 2 target, 4 return delay, 8 after)\n", jmpl_delay());
    printf("save in call delay, ret; restore: %x\n", save_restore_delay());
    trap_in_delay();
    return 0;
}
