// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Integer corner cases and the traps the runtime records and skips: division
// (Y:rs1 dividend, saturation and V), division by zero, multiply with Y,
// MULScc, tagged arithmetic and its trapping forms, ADDX/SUBX carries,
// misaligned accesses, software traps, UNIMP, LDSTUB/SWAP, LDD/STD.
#include "lib.h"

static void show_trap(const char *what)
{
    printf("%s: traps %u last %02x\n", what, trap_count, last_trap);
    trap_count = 0;
    last_trap = 0;
}

static uint32_t icc(void)
{
    uint32_t psr;
    __asm__ volatile("rd %%psr, %0" : "=r"(psr));
    return (psr >> 20) & 15;
}

static uint32_t udivcc(uint32_t y, uint32_t a, uint32_t b, uint32_t *flags)
{
    uint32_t r;
    __asm__ volatile("wr %2, %%y\n\tnop\n\tnop\n\tnop\n\tudivcc %3, %4, %0\n\trd %%psr, %1"
                     : "=r"(r), "=r"(*flags)
                     : "r"(y), "r"(a), "r"(b)
                     : "cc");
    *flags = (*flags >> 20) & 15;
    return r;
}

static int32_t sdivcc(uint32_t y, int32_t a, int32_t b, uint32_t *flags)
{
    int32_t r;
    __asm__ volatile("wr %2, %%y\n\tnop\n\tnop\n\tnop\n\tsdivcc %3, %4, %0\n\trd %%psr, %1"
                     : "=r"(r), "=r"(*flags)
                     : "r"(y), "r"(a), "r"(b)
                     : "cc");
    *flags = (*flags >> 20) & 15;
    return r;
}

int main(void)
{
    uint32_t f, r, y;
    int32_t s;

    r = udivcc(0, 100, 7, &f);
    printf("udiv 100/7 = %u icc %x\n", r, f);
    r = udivcc(1, 0, 2, &f);
    printf("udiv (1<<32)/2 = %x icc %x\n", r, f);
    r = udivcc(5, 0, 2, &f);
    printf("udiv overflow = %x icc %x\n", r, f);
    s = sdivcc(0xffffffff, -100, 7, &f);
    printf("sdiv -100/7 = %d icc %x\n", s, f);
    s = sdivcc(0, 0x7fffffff, -1, &f);
    printf("sdiv max/-1 = %d icc %x\n", s, f);
    s = sdivcc(0x1, 0, 1, &f);
    printf("sdiv overflow = %x icc %x\n", (uint32_t)s, f);
    s = sdivcc(0xffffffff, 0, 1, &f);
    printf("sdiv underflow = %x icc %x\n", (uint32_t)s, f);

    __asm__ volatile("udiv %1, %%g0, %0" : "=r"(r) : "r"(5));
    show_trap("udiv by zero");

    __asm__ volatile("umul %2, %3, %0\n\trd %%y, %1" : "=r"(r), "=r"(y) : "r"(0xfffffff0u), "r"(0x100u));
    printf("umul lo %08x y %08x\n", r, y);
    __asm__ volatile("smulcc %2, %3, %0\n\trd %%y, %1" : "=r"(r), "=r"(y) : "r"(-5), "r"(0x10000000) : "cc");
    printf("smulcc lo %08x y %08x icc %x\n", r, y, icc());

    // 32 steps of MULScc multiply 0x1234 by 0x5678 (the V7 software multiply).
    __asm__ volatile("wr %2, %%y\n\tnop\n\tnop\n\tnop\n\tandcc %%g0, %%g0, %0\n\t"
                     ".rept 32\n\tmulscc %0, %3, %0\n\t.endr\n\tmulscc %0, %%g0, %0\n\trd %%y, %1"
                     : "=&r"(r), "=r"(y)
                     : "r"(0x5678), "r"(0x1234)
                     : "cc");
    printf("mulscc hi %08x y %08x\n", r, y);

    __asm__ volatile("taddcc %1, %2, %0" : "=r"(r) : "r"(4), "r"(8) : "cc");
    printf("taddcc 4+8 = %u icc %x\n", r, icc());
    __asm__ volatile("taddcc %1, %2, %0" : "=r"(r) : "r"(5), "r"(8) : "cc");
    printf("taddcc 5+8 = %u icc %x\n", r, icc());
    __asm__ volatile("tsubcc %1, %2, %0" : "=r"(r) : "r"(8), "r"(6) : "cc");
    printf("tsubcc 8-6 = %u icc %x\n", r, icc());
    r = 77;
    __asm__ volatile("taddcctv %1, %2, %0" : "+r"(r) : "r"(1), "r"(4) : "cc");
    printf("taddcctv tagged: r %u\n", r);
    show_trap("taddcctv");
    r = 77;
    __asm__ volatile("taddcctv %1, %2, %0" : "+r"(r) : "r"(0x7ffffffc), "r"(4) : "cc");
    printf("taddcctv overflow: r %u\n", r);
    show_trap("taddcctv");

    uint32_t lo, hi;
    __asm__ volatile("addcc %2, %3, %0\n\taddx %4, %5, %1"
                     : "=&r"(lo), "=r"(hi)
                     : "r"(0xffffffffu), "r"(2), "r"(1), "r"(2)
                     : "cc");
    printf("addx %08x:%08x\n", hi, lo);
    __asm__ volatile("subcc %2, %3, %0\n\tsubx %4, %5, %1"
                     : "=&r"(lo), "=r"(hi)
                     : "r"(1), "r"(2), "r"(5), "r"(1)
                     : "cc");
    printf("subx %08x:%08x icc %x\n", hi, lo, icc());
    __asm__ volatile("subcc %1, %2, %0" : "=r"(r) : "r"(0x80000000), "r"(1) : "cc");
    printf("subcc min-1 icc %x\n", icc());
    __asm__ volatile("xnorcc %1, %2, %0" : "=r"(r) : "r"(0xf0f0), "r"(0xff00) : "cc");
    printf("xnorcc %08x icc %x\n", r, icc());
    __asm__ volatile("andncc %1, %2, %0" : "=r"(r) : "r"(0xf0f0), "r"(0xff00) : "cc");
    printf("andncc %08x icc %x\n", r, icc());
    __asm__ volatile("orn %1, %2, %0" : "=r"(r) : "r"(0xf0f0), "r"(0xff00));
    printf("orn %08x\n", r);
    __asm__ volatile("sra %1, %2, %0" : "=r"(r) : "r"(0x80000010), "r"(36));
    printf("sra %08x\n", r);

    static volatile uint32_t words[4] = {0x11223344, 0x55667788, 0, 0};
    volatile uint8_t *p = (volatile uint8_t *)words;
    __asm__ volatile("ld [%1], %0" : "=r"(r) : "r"(p + 2));
    show_trap("misaligned ld");
    __asm__ volatile("sth %1, [%0]" : : "r"(p + 1), "r"(0));
    show_trap("misaligned sth");
    uint32_t b = p[1];
    printf("ldub %x lduh %x ldsb %d ldsh %d\n", b, ((volatile uint16_t *)p)[1], (int8_t)p[0], ((volatile int16_t *)p)[0]);

    __asm__ volatile("ta 5");
    show_trap("ta 5");
    __asm__ volatile("mov 3, %%g1\n\tta %%g1 + 0x7f" : : : "g1");
    show_trap("ta g1+0x7f");
    __asm__ volatile("cmp %%g0, 1\n\tte 9" : : : "cc");
    show_trap("te not taken");
    __asm__ volatile("unimp 0x123");
    show_trap("unimp");

    __asm__ volatile("ldstub [%1], %0" : "=r"(r) : "r"(p + 4));
    printf("ldstub %x then %08x\n", r, words[1]);
    r = 0xabcd;
    __asm__ volatile("swap [%1], %0" : "+r"(r) : "r"(&words[0]) : "memory");
    printf("swap %08x then %08x\n", r, words[0]);
    uint64_t d;
    __asm__ volatile("ldd [%1], %0" : "=r"(d) : "r"(&words[0]));
    printf("ldd %08x %08x\n", (uint32_t)(d >> 32), (uint32_t)d);
    d = ((uint64_t)0xdeadbeef << 32) | 0x01020304;
    __asm__ volatile("std %0, [%1]" : : "r"(d), "r"(&words[2]) : "memory");
    printf("std %08x %08x\n", words[2], words[3]);
    return 0;
}
