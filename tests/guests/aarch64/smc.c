// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Self-modifying code.  Instruction words are written into a buffer in
// .data, made visible to instruction fetch with the architectural
// sequence (DC CVAU, DSB ISH, IC IVAU, DSB ISH, ISB) and executed.  Every
// call must see the newest instructions, so an emulator that caches
// translated code has to notice the writes.
#include "lib.h"

#define MOVZ_W0(imm) (0x52800000u | ((uint32_t)(imm) << 5)) // movz w0, #imm
#define ADD_W0(imm) (0x11000000u | ((uint32_t)(imm) << 10)) // add w0, w0, #imm
#define SUB_W0(imm) (0x51000000u | ((uint32_t)(imm) << 10)) // sub w0, w0, #imm
#define RET 0xd65f03c0u                                       // ret
#define MOV_W1_W0 0x2a0003e1u                                 // mov w1, w0
#define SUBS_W1_1 0x71000421u                                 // subs w1, w1, #1
#define BNE_BACK2 0x54ffffc1u                                 // b.ne .-8
#define STR_W1_X0 0xb9000001u                                 // str w1, [x0]
#define DC_CVAU_X0 0xd50b7b20u                                // dc cvau, x0
#define DSB_ISH 0xd5033b9fu                                   // dsb ish
#define IC_IVAU_X0 0xd50b7520u                                // ic ivau, x0
#define ISB 0xd5033fdfu                                       // isb

// Code buffers: in .data (the MMU is off, so everything is executable),
// each on its own 64-byte cache line.
static volatile uint32_t code_a[16] __attribute__((section(".data.smc"), aligned(64))) = {RET};
static volatile uint32_t code_b[16] __attribute__((section(".data.smc"), aligned(64))) = {RET};
static volatile uint32_t code_c[16] __attribute__((section(".data.smc"), aligned(64))) = {RET};

typedef uint32_t (*fn0)(void);
typedef uint32_t (*fn1)(uint32_t);
typedef uint32_t (*fn2)(volatile uint32_t *, uint32_t);

// Makes [start, start + len) coherent between data and instruction side.
static void sync_code(volatile void *start, size_t len)
{
    uint64_t ctr;
    __asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
    uintptr_t dline = 4UL << ((ctr >> 16) & 0xf);
    uintptr_t iline = 4UL << (ctr & 0xf);
    uintptr_t s = (uintptr_t)start, e = s + len;

    for (uintptr_t a = s & ~(dline - 1); a < e; a += dline)
        __asm__ volatile("dc cvau, %0" : : "r"(a) : "memory");
    __asm__ volatile("dsb ish" : : : "memory");
    for (uintptr_t a = s & ~(iline - 1); a < e; a += iline)
        __asm__ volatile("ic ivau, %0" : : "r"(a) : "memory");
    __asm__ volatile("dsb ish" : : : "memory");
    __asm__ volatile("isb" : : : "memory");
}

int main(void)
{
    puts("smc test");

    // 1. A two-instruction function, rewritten between calls.
    fn0 f = (fn0)(uintptr_t)code_a;
    code_a[0] = MOVZ_W0(1);
    code_a[1] = RET;
    sync_code(code_a, 8);
    printf("first call: %u\n", f());

    code_a[0] = MOVZ_W0(2);
    sync_code(code_a, 4);
    printf("after patch: %u\n", f());

    for (uint32_t i = 0; i < 5; i++) {
        uint32_t imm = 100 + 37 * i;
        code_a[0] = MOVZ_W0(imm);
        sync_code(code_a, 4);
        printf("patch %u: movz w0, #%u -> %u\n", i, imm, f());
    }

    // 2. Patch an instruction inside a hot loop:
    //      mov w1, w0; movz w0, #0
    //    1: add w0, w0, #K      <- patched
    //      subs w1, w1, #1; b.ne 1b; ret
    fn1 g = (fn1)(uintptr_t)code_b;
    code_b[0] = MOV_W1_W0;
    code_b[1] = MOVZ_W0(0);
    code_b[2] = ADD_W0(1);
    code_b[3] = SUBS_W1_1;
    code_b[4] = BNE_BACK2;
    code_b[5] = RET;
    sync_code(code_b, 6 * 4);
    printf("loop add #1 x 1000 -> %u\n", g(1000));

    uint64_t total = 0;
    for (uint32_t k = 0; k < 20; k++) {
        uint32_t imm = 3 * k + 2;
        code_b[2] = ADD_W0(imm);
        sync_code(&code_b[2], 4);
        uint32_t r = g(1000 + k);
        total += r;
        printf("loop add #%u x %u -> %u\n", imm, 1000 + k, r);
    }
    printf("loop total: %lu\n", total);

    code_b[2] = SUB_W0(7);
    sync_code(&code_b[2], 4);
    printf("loop sub #7 x 3 -> %08x\n", g(3));

    // Patch the loop counter step from within a larger sweep: run the
    // loop 200 times, patching the immediate every call.
    uint32_t mix = 0;
    for (uint32_t k = 0; k < 200; k++) {
        code_b[2] = ADD_W0(k & 0xfff);
        sync_code(&code_b[2], 4);
        mix = mix * 31 + g(50);
    }
    printf("sweep mix: %08x\n", mix);

    // 3. Code that modifies itself: it stores a new instruction (w1) into
    //    a later slot of its own cache line, does the maintenance itself,
    //    then falls through into the freshly written instruction.
    //      str w1, [x0]; dc cvau, x0; dsb ish; ic ivau, x0; dsb ish; isb
    //      <slot>: movz w0, #7   (overwritten)
    //      ret
    fn2 h = (fn2)(uintptr_t)code_c;
    code_c[0] = STR_W1_X0;
    code_c[1] = DC_CVAU_X0;
    code_c[2] = DSB_ISH;
    code_c[3] = IC_IVAU_X0;
    code_c[4] = DSB_ISH;
    code_c[5] = ISB;
    code_c[6] = MOVZ_W0(7);
    code_c[7] = RET;
    sync_code(code_c, 8 * 4);
    for (uint32_t i = 0; i < 5; i++) {
        uint32_t imm = 500 + i * 1111;
        uint32_t r = h(&code_c[6], MOVZ_W0(imm));
        printf("self-patch %u: movz w0, #%u -> %u (slot now %08x)\n", i, imm, r, code_c[6]);
    }

    puts("smc done");
    return 0;
}
