// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Loads and stores (ARM ARM C3.3 addressing modes; C6.2 LDR/STR of every
// size with unsigned offset, unscaled (LDUR/STUR), pre- and post-index,
// register offset with LSL/UXTW/SXTW/SXTX; LDRS* sign extension to W and
// X; LDP/STP/LDPSW/LDNP/STNP; LDR/LDRSW (literal); LDTR/STTR; PRFM).
// Loads print the value (destinations are preset with garbage, so a W
// load must zero bits [63:32]) and how far a written-back base moved.
// Stores print every 64-bit word of the store buffer that changed, as
// "offset:value" from the base register.  Every access is naturally
// aligned: with the MMU off, memory is Device memory (ARM ARM B2.7.2).
// The last section executes writeback forms with Rn == Rt, which the
// architecture makes CONSTRAINED UNPREDICTABLE (K1.2.5); it records
// QEMU's choice.
#include "conf.h"

#define GARBAGE 0xdeadbeefdeadbeefUL
#define FILL 0xeeeeeeeeeeeeeeeeUL

static uint8_t ldbuf[512] __attribute__((aligned(16)));
static uint64_t stbuf[64];
static uint64_t big[4096];  // for the maximum unsigned offsets

// Base of the load buffer, in its middle so negative offsets stay inside.
#define LDP_ (ldbuf + 256)

#define LD(insn, reg, mode, text, idxv)                                       \
    do {                                                                      \
        uint64_t r = GARBAGE, idx = (idxv);                                   \
        uint8_t *base = LDP_;                                                 \
        __asm__ volatile(insn " %" reg "0, " mode                             \
                         : "+r"(r), "+r"(base) : "r"(idx) : "memory");        \
        printf(insn " " reg ", " text " -> %016lx base+(%d)\n", r,              \
               (int)(base - LDP_));                                           \
    } while (0)

static void stbuf_fill(void)
{
    for (unsigned i = 0; i < 64; i++)
        stbuf[i] = FILL;
}

// Prints the words of stbuf that the store changed, offsets from stbuf+32.
static void stbuf_report(void)
{
    for (unsigned i = 0; i < 64; i++)
        if (stbuf[i] != FILL)
            printf(" %d:%016lx", (int)(i - 32) * 8, stbuf[i]);
    printf("\n");
}

#define ST(insn, reg, mode, text, idxv)                                       \
    do {                                                                      \
        uint64_t v = 0x8192a3b4c5d6e7f8UL, idx = (idxv);                      \
        uint64_t *base = stbuf + 32;                                          \
        stbuf_fill();                                                         \
        __asm__ volatile(insn " %" reg "1, " mode                             \
                         : "+r"(base) : "r"(v), "r"(idx) : "memory");         \
        printf(insn " " reg ", " text " base+(%d):",                            \
               (int)((uint8_t *)base - (uint8_t *)(stbuf + 32)));             \
        stbuf_report();                                                       \
    } while (0)

// A load of every size/sign in one addressing mode (scale = size).
#define LD_ALL(...) LD_ALL_(__VA_ARGS__)
#define LD_ALL_(modeb, modeh, modew, modex, textb, texth, textw, textx, idx)   \
    do {                                                                      \
        LD("ldrb", "w", modeb, textb, idx);                                   \
        LD("ldrsb", "w", modeb, textb, idx);                                  \
        LD("ldrsb", "x", modeb, textb, idx);                                  \
        LD("ldrh", "w", modeh, texth, idx);                                   \
        LD("ldrsh", "w", modeh, texth, idx);                                  \
        LD("ldrsh", "x", modeh, texth, idx);                                  \
        LD("ldr", "w", modew, textw, idx);                                    \
        LD("ldrsw", "x", modew, textw, idx);                                  \
        LD("ldr", "x", modex, textx, idx);                                    \
    } while (0)

#define LDU_ALL(...) LDU_ALL_(__VA_ARGS__)
#define LDU_ALL_(modeb, modeh, modew, modex, textb, texth, textw, textx, idx)  \
    do {                                                                      \
        LD("ldurb", "w", modeb, textb, idx);                                  \
        LD("ldursb", "w", modeb, textb, idx);                                 \
        LD("ldursb", "x", modeb, textb, idx);                                 \
        LD("ldurh", "w", modeh, texth, idx);                                  \
        LD("ldursh", "w", modeh, texth, idx);                                 \
        LD("ldursh", "x", modeh, texth, idx);                                 \
        LD("ldur", "w", modew, textw, idx);                                   \
        LD("ldursw", "x", modew, textw, idx);                                 \
        LD("ldur", "x", modex, textx, idx);                                   \
    } while (0)

#define ST_ALL(...) ST_ALL_(__VA_ARGS__)
#define ST_ALL_(modeb, modeh, modew, modex, textb, texth, textw, textx, idx)   \
    do {                                                                      \
        ST("strb", "w", modeb, textb, idx);                                   \
        ST("strh", "w", modeh, texth, idx);                                   \
        ST("str", "w", modew, textw, idx);                                    \
        ST("str", "x", modex, textx, idx);                                    \
    } while (0)

#define SAME(m, t) m, m, m, m, t, t, t, t

static NOINLINE void literals(void)
{
    uint64_t w, x, sw, sw2, back, prf = 1;
    __asm__ volatile(
        "b 2f\n\t"
        ".balign 8\n"
        "1: .quad 0xf1e2d3c4b5a69788\n"
        "2: ldr %4, 1b\n\t"
        "ldr %w0, 3f\n\t"
        "ldr %1, 4f\n\t"
        "ldrsw %2, 3f\n\t"
        "ldrsw %3, 5f\n\t"
        "prfm pldl1keep, 3f\n\t"
        "b 6f\n\t"
        ".balign 8\n"
        "3: .word 0x80000001\n"
        "5: .word 0x7ffffffe\n"
        "4: .quad 0x8877665544332211\n"
        "6:\n\t"
        : "=&r"(w), "=&r"(x), "=&r"(sw), "=&r"(sw2), "=&r"(back), "+r"(prf));
    printf("ldr w, literal -> %016lx\n", w);
    printf("ldr x, literal -> %016lx\n", x);
    printf("ldrsw x, literal (0x80000001) -> %016lx\n", sw);
    printf("ldrsw x, literal (0x7ffffffe) -> %016lx\n", sw2);
    printf("ldr x, literal backwards -> %016lx\n", back);
    printf("prfm literal -> ok\n");
}

static NOINLINE void pairs(void)
{
    // LDP/LDPSW/LDNP: two destinations preset with garbage.
#define LDPAIR(insn, reg, mode, text)                                         \
    do {                                                                      \
        uint64_t a = GARBAGE, b = GARBAGE;                                    \
        uint8_t *base = LDP_;                                                 \
        __asm__ volatile(insn " %" reg "0, %" reg "1, " mode                  \
                         : "+r"(a), "+r"(b), "+r"(base) : : "memory");        \
        printf(insn " " reg ", " text " -> %016lx %016lx base+(%d)\n", a, b,    \
               (int)(base - LDP_));                                           \
    } while (0)
#define STPAIR(insn, reg, mode, text)                                         \
    do {                                                                      \
        uint64_t a = 0x0102030405060708UL, b = 0xa1a2a3a4a5a6a7a8UL;          \
        uint64_t *base = stbuf + 32;                                          \
        stbuf_fill();                                                         \
        __asm__ volatile(insn " %" reg "1, %" reg "2, " mode                  \
                         : "+r"(base) : "r"(a), "r"(b) : "memory");           \
        printf(insn " " reg ", " text " base+(%d):",                            \
               (int)((uint8_t *)base - (uint8_t *)(stbuf + 32)));             \
        stbuf_report();                                                       \
    } while (0)
    LDPAIR("ldp", "w", "[%2]", "[xn]");
    LDPAIR("ldp", "w", "[%2, #-256]", "[xn, #-256]");
    LDPAIR("ldp", "w", "[%2, #252]", "[xn, #252]");
    LDPAIR("ldp", "w", "[%2, #8]!", "[xn, #8]!");
    LDPAIR("ldp", "w", "[%2], #-8", "[xn], #-8");
    LDPAIR("ldp", "x", "[%2]", "[xn]");
    LDPAIR("ldp", "x", "[%2, #-256]", "[xn, #-256]");
    LDPAIR("ldp", "x", "[%2, #240]", "[xn, #240]");
    LDPAIR("ldp", "x", "[%2, #-16]!", "[xn, #-16]!");
    LDPAIR("ldp", "x", "[%2], #16", "[xn], #16");
    LDPAIR("ldpsw", "x", "[%2]", "[xn]");
    LDPAIR("ldpsw", "x", "[%2, #-256]", "[xn, #-256]");
    LDPAIR("ldpsw", "x", "[%2, #8]!", "[xn, #8]!");
    LDPAIR("ldpsw", "x", "[%2], #-8", "[xn], #-8");
    LDPAIR("ldnp", "w", "[%2, #-8]", "[xn, #-8]");
    LDPAIR("ldnp", "x", "[%2, #16]", "[xn, #16]");
    STPAIR("stp", "w", "[%0]", "[xn]");
    STPAIR("stp", "w", "[%0, #-256]", "[xn, #-256]");
    STPAIR("stp", "w", "[%0, #248]", "[xn, #248]");
    STPAIR("stp", "w", "[%0, #8]!", "[xn, #8]!");
    STPAIR("stp", "w", "[%0], #-8", "[xn], #-8");
    STPAIR("stp", "x", "[%0]", "[xn]");
    STPAIR("stp", "x", "[%0, #-256]", "[xn, #-256]");
    STPAIR("stp", "x", "[%0, #240]", "[xn, #240]");
    STPAIR("stp", "x", "[%0, #-16]!", "[xn, #-16]!");
    STPAIR("stp", "x", "[%0], #16", "[xn], #16");
    STPAIR("stnp", "w", "[%0, #-8]", "[xn, #-8]");
    STPAIR("stnp", "x", "[%0, #16]", "[xn, #16]");
}

static NOINLINE void sp_base(void)
{
    uint64_t a = 0x1111222233334444UL, b = 0x5555666677778888UL, c, d, e, s0, s1;
    __asm__ volatile(
        "mov %4, sp\n\t"
        "str %5, [sp, #-16]!\n\t"
        "stp %5, %6, [sp, #-16]!\n\t"
        "ldr %0, [sp, #16]\n\t"
        "ldp %1, %2, [sp], #16\n\t"
        "ldr %3, [sp], #16\n\t"
        "mov x9, sp\n\t"
        "sub %4, %4, x9"
        : "=&r"(c), "=&r"(d), "=&r"(e), "=&r"(s1), "=&r"(s0)
        : "r"(a), "r"(b)
        : "x9", "memory");
    printf("sp base: %016lx %016lx %016lx %016lx sp moved %ld\n", c, d, e, s1,
           (int64_t)s0);
}

// Writeback with Rn == Rt (CONSTRAINED UNPREDICTABLE; records QEMU).
static NOINLINE void same_reg(void)
{
    uint64_t r, r2;
    r = (uint64_t)LDP_;
    __asm__ volatile("ldr %0, [%0], #8" : "+r"(r) : : "memory");
    printf("ldr xn, [xn], #8 -> base+(%ld)\n", (int64_t)(r - (uint64_t)LDP_));
    r = (uint64_t)LDP_;
    __asm__ volatile("ldr %0, [%0, #8]!" : "+r"(r) : : "memory");
    printf("ldr xn, [xn, #8]! -> base+(%ld)\n", (int64_t)(r - (uint64_t)LDP_));
    r = (uint64_t)(stbuf + 32);
    stbuf_fill();
    __asm__ volatile("str %0, [%0], #8" : "+r"(r) : : "memory");
    printf("str xn, [xn], #8 -> xn=base+(%ld) stored=base+(%ld)\n",
           (int64_t)(r - (uint64_t)(stbuf + 32)),
           (int64_t)(stbuf[32] - (uint64_t)(stbuf + 32)));
    r = (uint64_t)(stbuf + 32);
    stbuf_fill();
    __asm__ volatile("str %0, [%0, #-8]!" : "+r"(r) : : "memory");
    printf("str xn, [xn, #-8]! -> xn=base+(%ld) stored=base+(%ld)\n",
           (int64_t)(r - (uint64_t)(stbuf + 32)),
           (int64_t)(stbuf[31] - (uint64_t)(stbuf + 32)));
    r = (uint64_t)LDP_;
    r2 = GARBAGE;
    __asm__ volatile("ldp %0, %1, [%0], #16" : "+r"(r), "+r"(r2) : : "memory");
    printf("ldp xn, x, [xn], #16 -> xn=base+(%ld) x=%016lx\n",
           (int64_t)(r - (uint64_t)LDP_), r2);
    r = GARBAGE;
    __asm__ volatile("ldp %0, %0, [%1]" : "+r"(r) : "r"(LDP_) : "memory");
    printf("ldp xt, xt, [xn] -> %016lx\n", r);
}

int main(void)
{
    printf("loadstore: begin\n");
    // A pseudo-random fill (LCG), so no two offsets read the same bytes.
    uint32_t seed = 12345;
    for (unsigned i = 0; i < sizeof ldbuf; i++) {
        seed = seed * 1103515245u + 12345u;
        ldbuf[i] = (uint8_t)(seed >> 16);
    }
    for (unsigned i = 0; i < 4096; i++)
        big[i] = 0x1000000000000000UL * (i & 15) + 0x8070605040302010UL + i;

    // Unsigned offset (scaled).
    LD_ALL(SAME("[%1]", "[xn]"), 0);
    LD_ALL("[%1, #3]", "[%1, #6]", "[%1, #12]", "[%1, #24]",
           "[xn, #3]", "[xn, #6]", "[xn, #12]", "[xn, #24]", 0);
    LD_ALL("[%1, #255]", "[%1, #254]", "[%1, #252]", "[%1, #248]",
           "[xn, #255]", "[xn, #254]", "[xn, #252]", "[xn, #248]", 0);
    {
        uint64_t r;
        uint64_t *bb = big;
        __asm__ volatile("ldrb %w0, [%1, #4095]" : "=r"(r) : "r"(bb) : "memory");
        printf("ldrb w, [big, #4095] -> %016lx\n", r);
        __asm__ volatile("ldrsh %0, [%1, #8190]" : "=r"(r) : "r"(bb) : "memory");
        printf("ldrsh x, [big, #8190] -> %016lx\n", r);
        __asm__ volatile("ldr %w0, [%1, #16380]" : "=r"(r) : "r"(bb) : "memory");
        printf("ldr w, [big, #16380] -> %016lx\n", r);
        __asm__ volatile("ldr %0, [%1, #32760]" : "=r"(r) : "r"(bb) : "memory");
        printf("ldr x, [big, #32760] -> %016lx\n", r);
    }
    // Unscaled.
    LDU_ALL(SAME("[%1, #-256]", "[xn, #-256]"), 0);
    LDU_ALL("[%1, #-1]", "[%1, #-2]", "[%1, #-4]", "[%1, #-8]",
            "[xn, #-1]", "[xn, #-2]", "[xn, #-4]", "[xn, #-8]", 0);
    LDU_ALL("[%1, #255]", "[%1, #254]", "[%1, #252]", "[%1, #248]",
            "[xn, #255]", "[xn, #254]", "[xn, #252]", "[xn, #248]", 0);
    // Pre- and post-index.
    LD_ALL("[%1, #-1]!", "[%1, #-2]!", "[%1, #-4]!", "[%1, #-8]!",
           "[xn, #-1]!", "[xn, #-2]!", "[xn, #-4]!", "[xn, #-8]!", 0);
    LD_ALL(SAME("[%1, #-256]!", "[xn, #-256]!"), 0);
    LD_ALL("[%1, #255]!", "[%1, #254]!", "[%1, #252]!", "[%1, #248]!",
           "[xn, #255]!", "[xn, #254]!", "[xn, #252]!", "[xn, #248]!", 0);
    LD_ALL(SAME("[%1], #1", "[xn], #1"), 0);
    LD_ALL(SAME("[%1], #-256", "[xn], #-256"), 0);
    LD_ALL(SAME("[%1], #255", "[xn], #255"), 0);
    // Register offset.
    LD_ALL(SAME("[%1, %2]", "[xn, xm]"), 8);
    LD_ALL("[%1, %2, lsl #0]", "[%1, %2, lsl #1]", "[%1, %2, lsl #2]",
           "[%1, %2, lsl #3]", "[xn, xm, lsl #0]", "[xn, xm, lsl #1]",
           "[xn, xm, lsl #2]", "[xn, xm, lsl #3]", 5);
    LD_ALL(SAME("[%1, %w2, uxtw]", "[xn, wm, uxtw]"), 0xffffffff00000007UL);
    LD_ALL("[%1, %w2, uxtw #0]", "[%1, %w2, uxtw #1]", "[%1, %w2, uxtw #2]",
           "[%1, %w2, uxtw #3]", "[xn, wm, uxtw #0]", "[xn, wm, uxtw #1]",
           "[xn, wm, uxtw #2]", "[xn, wm, uxtw #3]", 0x1234567800000003UL);
    LD_ALL(SAME("[%1, %w2, sxtw]", "[xn, wm, sxtw]"), 0x00000000fffffff0UL);
    LD_ALL("[%1, %w2, sxtw #0]", "[%1, %w2, sxtw #1]", "[%1, %w2, sxtw #2]",
           "[%1, %w2, sxtw #3]", "[xn, wm, sxtw #0]", "[xn, wm, sxtw #1]",
           "[xn, wm, sxtw #2]", "[xn, wm, sxtw #3]", 0x00000001fffffffdUL);
    LD_ALL(SAME("[%1, %2, sxtx]", "[xn, xm, sxtx]"), 0xfffffffffffffff8UL);
    LD_ALL("[%1, %2, sxtx #0]", "[%1, %2, sxtx #1]", "[%1, %2, sxtx #2]",
           "[%1, %2, sxtx #3]", "[xn, xm, sxtx #0]", "[xn, xm, sxtx #1]",
           "[xn, xm, sxtx #2]", "[xn, xm, sxtx #3]", 0xfffffffffffffffeUL);
    // Unprivileged (at EL1 with the MMU off: as ordinary loads).
    LD("ldtrb", "w", "[%1, #1]", "[xn, #1]", 0);
    LD("ldtrsb", "x", "[%1, #-1]", "[xn, #-1]", 0);
    LD("ldtrsh", "w", "[%1, #2]", "[xn, #2]", 0);
    LD("ldtrsw", "x", "[%1, #4]", "[xn, #4]", 0);
    LD("ldtr", "x", "[%1, #-8]", "[xn, #-8]", 0);
    {
        uint64_t x = 16;
        __asm__ volatile("prfm pldl1keep, [%0, #8]\n\t"
                         "prfm pstl2strm, [%0, %1]\n\t"
                         "prfum pldl3keep, [%0, #-3]\n\t"
                         "prfm #0x1f, [%0]"
                         : : "r"(LDP_), "r"(x) : "memory");
        printf("prfm/prfum -> ok\n");
    }

    // Stores.
    ST_ALL(SAME("[%0]", "[xn]"), 0);
    ST_ALL("[%0, #1]", "[%0, #2]", "[%0, #4]", "[%0, #8]",
           "[xn, #1]", "[xn, #2]", "[xn, #4]", "[xn, #8]", 0);
    ST_ALL("[%0, #255]", "[%0, #254]", "[%0, #252]", "[%0, #248]",
           "[xn, #255]", "[xn, #254]", "[xn, #252]", "[xn, #248]", 0);
    ST("sturb", "w", "[%0, #-1]", "[xn, #-1]", 0);
    ST("sturh", "w", "[%0, #-2]", "[xn, #-2]", 0);
    ST("stur", "w", "[%0, #-4]", "[xn, #-4]", 0);
    ST("stur", "x", "[%0, #-256]", "[xn, #-256]", 0);
    ST_ALL(SAME("[%0, #-16]!", "[xn, #-16]!"), 0);
    ST_ALL(SAME("[%0, #16]!", "[xn, #16]!"), 0);
    ST_ALL(SAME("[%0], #-256", "[xn], #-256"), 0);
    ST_ALL(SAME("[%0], #255", "[xn], #255"), 0);
    ST_ALL(SAME("[%0, %2]", "[xn, xm]"), 0xfffffffffffffff0UL);
    ST_ALL("[%0, %2, lsl #0]", "[%0, %2, lsl #1]", "[%0, %2, lsl #2]",
           "[%0, %2, lsl #3]", "[xn, xm, lsl #0]", "[xn, xm, lsl #1]",
           "[xn, xm, lsl #2]", "[xn, xm, lsl #3]", 3);
    ST_ALL("[%0, %w2, uxtw #0]", "[%0, %w2, uxtw #1]", "[%0, %w2, uxtw #2]",
           "[%0, %w2, uxtw #3]", "[xn, wm, uxtw #0]", "[xn, wm, uxtw #1]",
           "[xn, wm, uxtw #2]", "[xn, wm, uxtw #3]", 0xffffffff00000002UL);
    ST_ALL("[%0, %w2, sxtw #0]", "[%0, %w2, sxtw #1]", "[%0, %w2, sxtw #2]",
           "[%0, %w2, sxtw #3]", "[xn, wm, sxtw #0]", "[xn, wm, sxtw #1]",
           "[xn, wm, sxtw #2]", "[xn, wm, sxtw #3]", 0x00000000fffffffcUL);
    ST_ALL(SAME("[%0, %2, sxtx]", "[xn, xm, sxtx]"), 0xfffffffffffffff8UL);
    ST("sttrb", "w", "[%0, #3]", "[xn, #3]", 0);
    ST("sttrh", "w", "[%0, #-2]", "[xn, #-2]", 0);
    ST("sttr", "w", "[%0, #4]", "[xn, #4]", 0);
    ST("sttr", "x", "[%0, #-8]", "[xn, #-8]", 0);

    pairs();
    literals();
    sp_base();
    same_reg();
    printf("loadstore: end\n");
    return 0;
}
