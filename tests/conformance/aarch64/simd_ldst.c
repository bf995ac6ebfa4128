// SPDX-License-Identifier: MIT OR Apache-2.0
// guest-variant: fp
//
// SIMD&FP loads and stores (ARM ARM C3.2.x "AdvSIMD load/store" and C7.2):
//  * LD1-LD4 / ST1-ST4 (multiple structures) for every arrangement, LD1/ST1
//    with one to four registers, without offset and post-indexed by the
//    immediate (the transfer size) or by a register;
//  * LD1-LD4 / ST1-ST4 (single structure) to and from one lane of B, H, S
//    and D elements, the other lanes kept;
//  * LD1R-LD4R (load and replicate to all lanes);
//  * a register list that wraps from V31 to V0 (register numbers modulo 32);
//  * LDR/STR/LDUR/STUR of B, H, S, D and Q registers (all addressing
//    modes), LDP/STP/LDNP/STNP of S, D and Q, LDR (literal) of S, D and Q.
// Loads print every destination register (preset to a distinct pattern,
// so kept lanes show, and a 64-bit arrangement must zero bits [127:64]) and
// how far a written-back base moved.  Stores print the 64 bytes of the
// store buffer after the base, and the guard bytes around it when changed.
// The load buffer holds byte i at offset i (mod 256), so every loaded byte names its
// address.  Every access is naturally aligned for its element size (with
// the MMU off, memory is Device memory: ARM ARM B2.7.2).
#include "fpconf.h"

static uint8_t src[8192] __attribute__((aligned(16)));
static uint8_t dst[128] __attribute__((aligned(16)));
static v128 regs[4] __attribute__((aligned(16)));
static v128 pre[4] __attribute__((aligned(16))) = {
    {0xa0a0a0a0a0a0a0a0UL, 0xa0a0a0a0a0a0a0a0UL},
    {0xa1a1a1a1a1a1a1a1UL, 0xa1a1a1a1a1a1a1a1UL},
    {0xa2a2a2a2a2a2a2a2UL, 0xa2a2a2a2a2a2a2a2UL},
    {0xa3a3a3a3a3a3a3a3UL, 0xa3a3a3a3a3a3a3a3UL},
};
// Store sources: V0 = 00 01 .. 0f, V1 = 10 .. 1f, V2 = 20 .., V3 = 30 ..
static v128 spat[4] __attribute__((aligned(16)));

#define BASE 512 // the base register points at src + BASE / dst + DBASE
#define DBASE 32
#define XM (-32) // the offset register of the register-offset forms

// Prints the instruction text with %[p] as "xn", %[m] as "xm" and %w[m]
// as "wm".
static void label(const char *s)
{
    while (*s) {
        if (s[0] == '%' && s[1] == '[' && s[3] == ']') {
            putchar('x');
            putchar(s[2] == 'p' ? 'n' : 'm');
            s += 4;
        } else if (s[0] == '%' && s[1] == 'w' && s[2] == '[' && s[4] == ']') {
            putchar('w');
            putchar(s[3] == 'p' ? 'n' : 'm');
            s += 5;
        } else {
            putchar(*s++);
        }
    }
}

static void moved_by(long moved)
{
    printf(" base%s%ld", moved < 0 ? "-" : "+", moved < 0 ? -moved : moved);
}

static void show_load(const char *insn, long moved, int n)
{
    label(insn);
    printf("  xm=%d", XM);
    moved_by(moved);
    for (int i = 0; i < n; i++) {
        printf(" v%d=", i);
        print_v(regs[i]);
    }
    printf("\n");
}

// Loads with V0..V3 preset and printed (n of them); xm = XM for the
// register post-index and register-offset forms.
#define LD(insn, n)                                                            \
    do {                                                                       \
        uint8_t *p_ = src + BASE;                                              \
        int64_t m_ = XM;                                                      \
        __asm__ volatile("ldp q0, q1, [%[pre]]\n\t"                            \
                         "ldp q2, q3, [%[pre], #32]\n\t" insn "\n\t"           \
                         "stp q0, q1, [%[o]]\n\t"                              \
                         "stp q2, q3, [%[o], #32]"                             \
                         : [p] "+r"(p_)                                        \
                         : [pre] "r"(pre), [o] "r"(regs), [m] "r"(m_)          \
                         : "v0", "v1", "v2", "v3", "memory");                  \
        show_load(insn, (long)(p_ - (src + BASE)), n);                         \
    } while (0)

static void show_store(const char *insn, long moved)
{
    label(insn);
    printf("  xm=%d", XM);
    moved_by(moved);
    printf(" mem=");
    for (int i = DBASE; i < DBASE + 64; i++)
        printf("%02x", dst[i]);
    int guard = 1;
    for (int i = 0; i < 128; i++)
        if ((i < DBASE || i >= DBASE + 64) && dst[i] != 0xee)
            guard = 0;
    if (!guard) {
        printf(" guard=");
        for (int i = 0; i < 128; i++)
            if (i < DBASE || i >= DBASE + 64)
                printf("%02x", dst[i]);
    }
    printf("\n");
}

#define ST(insn)                                                               \
    do {                                                                       \
        for (int i_ = 0; i_ < 128; i_++)                                       \
            ((volatile uint8_t *)dst)[i_] = 0xee;                              \
        uint8_t *p_ = dst + DBASE;                                             \
        int64_t m_ = XM;                                                      \
        __asm__ volatile("ldp q0, q1, [%[s]]\n\t"                              \
                         "ldp q2, q3, [%[s], #32]\n\t" insn                    \
                         : [p] "+r"(p_)                                        \
                         : [s] "r"(spat), [m] "r"(m_)                          \
                         : "v0", "v1", "v2", "v3", "memory");                  \
        show_store(insn, (long)(p_ - (dst + DBASE)));                          \
    } while (0)

static void multiple(void)
{
    // LD1, one to four registers, every arrangement.
    LD("ld1 {v0.16b}, [%[p]]", 1);
    LD("ld1 {v0.8b}, [%[p]]", 1);
    LD("ld1 {v0.8h}, [%[p]]", 1);
    LD("ld1 {v0.4h}, [%[p]]", 1);
    LD("ld1 {v0.4s}, [%[p]]", 1);
    LD("ld1 {v0.2s}, [%[p]]", 1);
    LD("ld1 {v0.2d}, [%[p]]", 1);
    LD("ld1 {v0.1d}, [%[p]]", 1);
    LD("ld1 {v0.16b, v1.16b}, [%[p]]", 2);
    LD("ld1 {v0.4h, v1.4h}, [%[p]]", 2);
    LD("ld1 {v0.8h, v1.8h, v2.8h}, [%[p]]", 3);
    LD("ld1 {v0.1d, v1.1d, v2.1d}, [%[p]]", 3);
    LD("ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [%[p]]", 4);
    LD("ld1 {v0.2s, v1.2s, v2.2s, v3.2s}, [%[p]]", 4);
    // LD2..LD4 de-interleave elements.
#define LDN(n, regs4)                                                          \
    LD("ld" #n " {" regs4("16b") "}, [%[p]]", n);                              \
    LD("ld" #n " {" regs4("8b") "}, [%[p]]", n);                               \
    LD("ld" #n " {" regs4("8h") "}, [%[p]]", n);                               \
    LD("ld" #n " {" regs4("4h") "}, [%[p]]", n);                               \
    LD("ld" #n " {" regs4("4s") "}, [%[p]]", n);                               \
    LD("ld" #n " {" regs4("2s") "}, [%[p]]", n);                               \
    LD("ld" #n " {" regs4("2d") "}, [%[p]]", n)
#define R2(t) "v0." t ", v1." t
#define R3(t) "v0." t ", v1." t ", v2." t
#define R4(t) "v0." t ", v1." t ", v2." t ", v3." t
    LDN(2, R2);
    LDN(3, R3);
    LDN(4, R4);
    // Post-index, immediate (= bytes transferred) and register.
    LD("ld1 {v0.16b}, [%[p]], #16", 1);
    LD("ld1 {v0.8b}, [%[p]], #8", 1);
    LD("ld1 {v0.2d, v1.2d, v2.2d, v3.2d}, [%[p]], #64", 4);
    LD("ld2 {v0.8h, v1.8h}, [%[p]], #32", 2);
    LD("ld3 {v0.2s, v1.2s, v2.2s}, [%[p]], #24", 3);
    LD("ld4 {v0.2d, v1.2d, v2.2d, v3.2d}, [%[p]], #64", 4);
    LD("ld1 {v0.4s, v1.4s}, [%[p]], %[m]", 2);
    LD("ld4 {v0.8b, v1.8b, v2.8b, v3.8b}, [%[p]], %[m]", 4);
    LD("ld3 {v0.16b, v1.16b, v2.16b}, [%[p]], %[m]", 3);

    // Stores.
    ST("st1 {v0.16b}, [%[p]]");
    ST("st1 {v0.8b}, [%[p]]");
    ST("st1 {v0.4h}, [%[p]]");
    ST("st1 {v0.1d}, [%[p]]");
    ST("st1 {v0.16b, v1.16b}, [%[p]]");
    ST("st1 {v0.2s, v1.2s, v2.2s}, [%[p]]");
    ST("st1 {v0.2d, v1.2d, v2.2d, v3.2d}, [%[p]]");
    ST("st1 {v0.4h, v1.4h, v2.4h, v3.4h}, [%[p]]");
#define STN(n, regs4)                                                          \
    ST("st" #n " {" regs4("16b") "}, [%[p]]");                                 \
    ST("st" #n " {" regs4("8b") "}, [%[p]]");                                  \
    ST("st" #n " {" regs4("8h") "}, [%[p]]");                                  \
    ST("st" #n " {" regs4("4h") "}, [%[p]]");                                  \
    ST("st" #n " {" regs4("4s") "}, [%[p]]");                                  \
    ST("st" #n " {" regs4("2s") "}, [%[p]]");                                  \
    ST("st" #n " {" regs4("2d") "}, [%[p]]")
    STN(2, R2);
    STN(3, R3);
    STN(4, R4);
    ST("st1 {v0.16b, v1.16b, v2.16b}, [%[p]], #48");
    ST("st2 {v0.4s, v1.4s}, [%[p]], #32");
    ST("st4 {v0.4h, v1.4h, v2.4h, v3.4h}, [%[p]], #32");
    ST("st1 {v0.2d}, [%[p]], %[m]");
    ST("st3 {v0.8b, v1.8b, v2.8b}, [%[p]], %[m]");
}

static void single(void)
{
    LD("ld1 {v0.b}[0], [%[p]]", 1);
    LD("ld1 {v0.b}[15], [%[p]]", 1);
    LD("ld1 {v0.h}[3], [%[p]]", 1);
    LD("ld1 {v0.h}[7], [%[p]]", 1);
    LD("ld1 {v0.s}[1], [%[p]]", 1);
    LD("ld1 {v0.s}[3], [%[p]]", 1);
    LD("ld1 {v0.d}[0], [%[p]]", 1);
    LD("ld1 {v0.d}[1], [%[p]]", 1);
    LD("ld2 {v0.b, v1.b}[7], [%[p]]", 2);
    LD("ld2 {v0.h, v1.h}[4], [%[p]]", 2);
    LD("ld2 {v0.s, v1.s}[2], [%[p]]", 2);
    LD("ld2 {v0.d, v1.d}[1], [%[p]]", 2);
    LD("ld3 {v0.b, v1.b, v2.b}[15], [%[p]]", 3);
    LD("ld3 {v0.h, v1.h, v2.h}[1], [%[p]]", 3);
    LD("ld3 {v0.s, v1.s, v2.s}[0], [%[p]]", 3);
    LD("ld3 {v0.d, v1.d, v2.d}[0], [%[p]]", 3);
    LD("ld4 {v0.b, v1.b, v2.b, v3.b}[3], [%[p]]", 4);
    LD("ld4 {v0.h, v1.h, v2.h, v3.h}[6], [%[p]]", 4);
    LD("ld4 {v0.s, v1.s, v2.s, v3.s}[3], [%[p]]", 4);
    LD("ld4 {v0.d, v1.d, v2.d, v3.d}[1], [%[p]]", 4);
    LD("ld1 {v0.s}[1], [%[p]], #4", 1);
    LD("ld4 {v0.b, v1.b, v2.b, v3.b}[9], [%[p]], #4", 4);
    LD("ld3 {v0.d, v1.d, v2.d}[1], [%[p]], #24", 3);
    LD("ld2 {v0.h, v1.h}[2], [%[p]], %[m]", 2);

    ST("st1 {v0.b}[0], [%[p]]");
    ST("st1 {v0.b}[13], [%[p]]");
    ST("st1 {v0.h}[5], [%[p]]");
    ST("st1 {v0.s}[2], [%[p]]");
    ST("st1 {v0.d}[1], [%[p]]");
    ST("st2 {v0.b, v1.b}[6], [%[p]]");
    ST("st2 {v0.d, v1.d}[0], [%[p]]");
    ST("st3 {v0.h, v1.h, v2.h}[7], [%[p]]");
    ST("st3 {v0.s, v1.s, v2.s}[1], [%[p]]");
    ST("st4 {v0.b, v1.b, v2.b, v3.b}[15], [%[p]]");
    ST("st4 {v0.s, v1.s, v2.s, v3.s}[3], [%[p]]");
    ST("st4 {v0.d, v1.d, v2.d, v3.d}[1], [%[p]]");
    ST("st1 {v0.h}[1], [%[p]], #2");
    ST("st3 {v0.b, v1.b, v2.b}[4], [%[p]], #3");
    ST("st2 {v0.s, v1.s}[3], [%[p]], %[m]");
}

static void replicate(void)
{
    LD("ld1r {v0.16b}, [%[p]]", 1);
    LD("ld1r {v0.8b}, [%[p]]", 1);
    LD("ld1r {v0.8h}, [%[p]]", 1);
    LD("ld1r {v0.4h}, [%[p]]", 1);
    LD("ld1r {v0.4s}, [%[p]]", 1);
    LD("ld1r {v0.2s}, [%[p]]", 1);
    LD("ld1r {v0.2d}, [%[p]]", 1);
    LD("ld1r {v0.1d}, [%[p]]", 1);
    LD("ld2r {v0.16b, v1.16b}, [%[p]]", 2);
    LD("ld2r {v0.4h, v1.4h}, [%[p]]", 2);
    LD("ld2r {v0.2d, v1.2d}, [%[p]]", 2);
    LD("ld3r {v0.8b, v1.8b, v2.8b}, [%[p]]", 3);
    LD("ld3r {v0.4s, v1.4s, v2.4s}, [%[p]]", 3);
    LD("ld3r {v0.1d, v1.1d, v2.1d}, [%[p]]", 3);
    LD("ld4r {v0.8h, v1.8h, v2.8h, v3.8h}, [%[p]]", 4);
    LD("ld4r {v0.2s, v1.2s, v2.2s, v3.2s}, [%[p]]", 4);
    LD("ld4r {v0.2d, v1.2d, v2.2d, v3.2d}, [%[p]]", 4);
    LD("ld4r {v0.1d, v1.1d, v2.1d, v3.1d}, [%[p]]", 4);
    LD("ld1r {v0.4s}, [%[p]], #4", 1);
    LD("ld4r {v0.16b, v1.16b, v2.16b, v3.16b}, [%[p]], #4", 4);
    LD("ld3r {v0.2d, v1.2d, v2.2d}, [%[p]], %[m]", 3);
}

// The register list wraps from V31 to V0.
static void wrap(void)
{
    uint8_t *p = src + BASE;
    __asm__ volatile("ldp q30, q31, [%[pre]]\n\t"
                     "ldp q0, q1, [%[pre], #32]\n\t"
                     "ld4 {v30.4s, v31.4s, v0.4s, v1.4s}, [%[p]]\n\t"
                     "stp q30, q31, [%[o]]\n\t"
                     "stp q0, q1, [%[o], #32]"
                     :
                     : [p] "r"(p), [pre] "r"(pre), [o] "r"(regs)
                     : "v0", "v1", "v30", "v31", "memory");
    printf("ld4 {v30.4s, v31.4s, v0.4s, v1.4s}, [xn]  v30=");
    print_v(regs[0]);
    printf(" v31=");
    print_v(regs[1]);
    printf(" v0=");
    print_v(regs[2]);
    printf(" v1=");
    print_v(regs[3]);
    printf("\n");
    for (int i = 0; i < 128; i++)
        ((volatile uint8_t *)dst)[i] = 0xee;
    p = dst + DBASE;
    __asm__ volatile("ldp q31, q0, [%[s]]\n\t"
                     "ldr q1, [%[s], #32]\n\t"
                     "st3 {v31.8h, v0.8h, v1.8h}, [%[p]]"
                     :
                     : [p] "r"(p), [s] "r"(spat)
                     : "v0", "v1", "v31", "memory");
    show_store("st3 {v31.8h, v0.8h, v1.8h}, [%[p]]", 0);
}

// LDR/STR and pairs of B/H/S/D/Q registers.
static void scalar_regs(void)
{
    LD("ldr b0, [%[p], #4095]", 1); // the largest scaled offset for B
    LD("ldr h0, [%[p], #-2]!", 1);
    LD("ldr s0, [%[p]], #-4", 1);
    LD("ldr d0, [%[p], #8]", 1);
    LD("ldr q0, [%[p], #16]", 1);
    LD("ldr q0, [%[p], #-64]!", 1);
    LD("ldr q0, [%[p]], #32", 1);
    LD("ldur q0, [%[p], #-48]", 1);
    LD("ldur d0, [%[p], #-8]", 1);
    LD("ldur s0, [%[p], #4]", 1);
    LD("ldur h0, [%[p], #-2]", 1);
    LD("ldr q0, [%[p], %[m]]", 1);
    LD("ldr d0, [%[p], %w[m], sxtw #3]", 1);
    LD("ldr s0, [%[p], %w[m], sxtw]", 1);
    LD("ldr h0, [%[p], %[m], lsl #1]", 1);
    LD("ldr b0, [%[p], %[m]]", 1);
    LD("ldp q0, q1, [%[p], #-64]", 2);
    LD("ldp q0, q1, [%[p], #32]!", 2);
    LD("ldp d0, d1, [%[p]], #-16", 2);
    LD("ldp s0, s1, [%[p], #252]", 2);
    LD("ldnp q0, q1, [%[p], #-32]", 2);
    LD("ldnp d0, d1, [%[p], #504]", 2);

    ST("str b0, [%[p], #63]");
    ST("str h0, [%[p], #2]!");
    ST("str s0, [%[p]], #4");
    ST("str d0, [%[p], #16]");
    ST("str q1, [%[p], #32]");
    ST("str q2, [%[p], #-16]!");
    ST("stur q3, [%[p], #16]");
    ST("stur d1, [%[p], #-8]");
    ST("str s2, [%[p], %[m]]");
    ST("str q0, [%[p], %w[m], sxtw]");
    ST("stp q0, q1, [%[p]]");
    ST("stp q2, q3, [%[p], #32]!");
    ST("stp d0, d1, [%[p]], #-16");
    ST("stp s2, s3, [%[p], #56]");
    ST("stnp q0, q3, [%[p]]");
    ST("stnp d2, d3, [%[p], #48]");

    // Literal loads (PC-relative).
    uint64_t r[4];
    __asm__ volatile("movi v0.2d, #0xffffffffffffffff\n\t"
                     "movi v1.2d, #0xffffffffffffffff\n\t"
                     "movi v2.2d, #0xffffffffffffffff\n\t"
                     "ldr q0, 1f\n\t"
                     "ldr d1, 2f\n\t"
                     "ldr s2, 3f\n\t"
                     "b 4f\n\t"
                     ".balign 16\n"
                     "1: .quad 0x0123456789abcdef, 0xfedcba9876543210\n"
                     "2: .quad 0x1122334455667788\n"
                     "3: .word 0x99aabbcc\n"
                     "4:\n\t"
                     "str q0, [%[o]]\n\t"
                     "stp d1, d2, [%[o], #16]"
                     :
                     : [o] "r"(r)
                     : "v0", "v1", "v2", "memory");
    printf("ldr q0/d1/s2, literal  q0=%016lx_%016lx d1=%016lx s2=%016lx\n", r[1], r[0], r[2], r[3]);
}

int main(void)
{
    puts("simd_ldst: begin");
    for (int i = 0; i < 8192; i++)
        src[i] = (uint8_t)i;
    for (int r = 0; r < 4; r++) {
        uint64_t lo = 0, hi = 0;
        for (int b = 0; b < 8; b++) {
            lo |= (uint64_t)(r * 16 + b) << (8 * b);
            hi |= (uint64_t)(r * 16 + 8 + b) << (8 * b);
        }
        spat[r].lo = lo;
        spat[r].hi = hi;
    }
    printf("load buffer: byte i at offset i (mod 256); base = buffer+%d\n", BASE);
    multiple();
    single();
    replicate();
    wrap();
    scalar_regs();
    puts("simd_ldst: end");
    return 0;
}
