// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Self-modifying code through a second virtual alias (4 KiB granule).  One
// physical page, code_page, is mapped at
//   VX, VX2  read-only, executable at EL1 (AP=10, PXN=0)
//   VW       read/write, never executable (AP=00, PXN=1)
// and at its identity address (read/write, executable at EL1).  New
// instructions are written through VW (or the identity map) and run
// through VX, VX2 or the identity map after the sequence of the ARM ARM
// (B2 "Concurrent modification and execution of instructions", D4/D7
// "Ordering and completion of data and instruction cache instructions"):
// DC CVAU over the written lines (by the VA written), DSB ISH, IC IVAU
// over every executable alias, DSB ISH, ISB.  Each check prints what it
// wrote and what the code returned (in x0).
#define GSHIFT 12
#include "mmu.h"

static uint32_t code_page[1024] __attribute__((aligned(4096)));

#define VX 0x0000008000000000UL
#define VX2 0x0000008000001000UL
#define VW 0x0000008000002000UL
#define ID ((uint64_t)code_page)

// A64 encodings (C6.2): MOVZ/MOVK Xd, ADD Xd, Xn, #imm, RET, B, NOP.
#define MOVZ_X0(imm) (0xd2800000u | (uint32_t)(imm) << 5)
#define MOVK_X0_16(imm) (0xf2a00000u | (uint32_t)(imm) << 5)
#define ADD_X0(imm) (0x91000000u | (uint32_t)(imm) << 10)
#define RET 0xd65f03c0u
#define NOP 0xd503201fu
#define B(from, to) (0x14000000u | (((uint32_t)((to) - (from)) >> 2) & 0x3ffffff))

// The self-patching routine, copied into the page: stores w1 at [x0] (the
// slot through VW), makes it visible to fetches at [x2] (the slot through
// VX), then executes the slot.
__asm__(".pushsection .rodata\n"
        ".balign 4\n"
        ".global selfmod_tpl\n"
        "selfmod_tpl:\n"
        "str w1, [x0]\n"
        "dc cvau, x0\n"
        "dsb ish\n"
        "ic ivau, x2\n"
        "dsb ish\n"
        "isb\n"
        ".global selfmod_slot\n"
        "selfmod_slot:\n"
        "movz x0, #0x1111\n"
        "ret\n"
        ".global selfmod_end\n"
        "selfmod_end:\n"
        ".popsection\n");
extern const uint32_t selfmod_tpl[], selfmod_slot[], selfmod_end[];

static struct vm vm0;
static unsigned dline, iline;

// DC CVAU by the written VA, IC IVAU by each executable alias.
static void sync_code(uint64_t written, uint64_t off, uint64_t len)
{
    for (uint64_t a = (written + off) & ~(uint64_t)(dline - 1); a < written + off + len; a += dline)
        __asm__ volatile("dc cvau, %0" : : "r"(a) : "memory");
    __asm__ volatile("dsb ish" ::: "memory");
    static const uint64_t exec[] = {VX, VX2, 0};
    for (int i = 0; i < 3; i++) {
        uint64_t base = exec[i] ? exec[i] : ID;
        for (uint64_t a = (base + off) & ~(uint64_t)(iline - 1); a < base + off + len; a += iline)
            __asm__ volatile("ic ivau, %0" : : "r"(a) : "memory");
    }
    __asm__ volatile("dsb ish\n\tisb" ::: "memory");
}

// Writes n instructions at page offset `off` through `alias`, then syncs.
static void write_code(uint64_t alias, uint64_t off, const uint32_t *insns, unsigned n)
{
    volatile uint32_t *p = (volatile uint32_t *)(alias + off);
    for (unsigned i = 0; i < n; i++)
        p[i] = insns[i];
    sync_code(alias, off, 4 * n);
}

static uint64_t call(uint64_t alias, uint64_t off)
{
    return ((uint64_t(*)(void))(alias + off))();
}

static const char *alias_name(uint64_t a)
{
    return a == VX ? "VX" : a == VX2 ? "VX2" : a == VW ? "VW" : "identity";
}

static void run(const char *what, uint64_t alias, uint64_t off)
{
    uint64_t r = call(alias, off);
    printf("%s: call %s+%03lx -> x0=%016lx\n", what, alias_name(alias), off, r);
}

int main(void)
{
    uint64_t ctr;
    printf("smc_alias: begin\n");
    conf_install();
    __asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
    dline = 4u << ((ctr >> 16) & 15);
    iline = 4u << (ctr & 15);
    printf("ctr_el0=%016lx dminline=%u iminline=%u\n", ctr, dline, iline);

    vm_init(&vm0, 16);
    map_identity(&vm0);
    vm_map(&vm0, VX, ID, 3, NORMAL | D_AP(2) | D_UXN);
    vm_map(&vm0, VX2, ID, 3, NORMAL | D_AP(2) | D_UXN);
    vm_map(&vm0, VW, ID, 3, NORMAL | D_AP(0) | D_UXN | D_PXN);
    mmu_enable(TCR_T0SZ(16) | TCR_T1SZ(16) | TCR_TG | TCR_WALK | TCR_IPS(2) | TCR_EPD1,
               (uint64_t)vm0.root, 0);
    printf("mmu on: VX=%016lx VX2=%016lx VW=%016lx -> code_page\n", VX, VX2, VW);

    // 1. The same two instructions rewritten eight times, run through VX
    //    and VX2 in turn.
    printf("\n== movz x0, #k; ret at +000, written through VW ==\n");
    for (unsigned i = 0; i < 8; i++) {
        uint32_t code[2] = {MOVZ_X0(0x1111 * (i + 1)), RET};
        write_code(VW, 0, code, 2);
        printf("wrote %08x %08x; read through VX: %08x\n", code[0], code[1],
               *(volatile uint32_t *)VX);
        run("  k", i & 1 ? VX2 : VX, 0);
    }

    // 2. A function growing, then shrinking: movz x0, #0; n x add x0, x0,
    //    #1; ret.  The ret moves over code that ran before.
    printf("\n== movz; n x add #1; ret at +100 ==\n");
    static const unsigned ns[] = {1, 2, 5, 9, 16, 3, 1, 0, 12};
    for (unsigned k = 0; k < sizeof ns / sizeof ns[0]; k++) {
        uint32_t code[18];
        unsigned n = ns[k];
        code[0] = MOVZ_X0(0);
        for (unsigned i = 0; i < n; i++)
            code[1 + i] = ADD_X0(1);
        code[n + 1] = RET;
        write_code(VW, 0x100, code, n + 2);
        printf("n=%u", n);
        run("", k % 3 == 2 ? ID : VX, 0x100);
    }

    // 3. One instruction in the middle of code that already ran.
    printf("\n== patch one instruction of movz #1; add #2; add #4; add #8; ret ==\n");
    {
        uint32_t code[5] = {MOVZ_X0(1), ADD_X0(2), ADD_X0(4), ADD_X0(8), RET};
        write_code(VW, 0x200, code, 5);
        run("original", VX, 0x200);
        static const uint32_t patches[] = {ADD_X0(0x100), NOP, ADD_X0(0xfff), ADD_X0(4)};
        for (unsigned i = 0; i < 4; i++) {
            write_code(VW, 0x208, &patches[i], 1);
            printf("+208 = %08x", patches[i]);
            run("", i & 1 ? VX2 : VX, 0x200);
        }
        // Sub-word writes: bits [15:8] of the movz at +200 hold imm16[10:3].
        for (unsigned b = 1; b <= 3; b++) {
            *(volatile uint8_t *)(VW + 0x201) = (uint8_t)(b << 3);
            sync_code(VW, 0x200, 4);
            printf("byte +201 = %02x, movz now %08x", b << 3, *(volatile uint32_t *)(VX + 0x200));
            run("", VX, 0x200);
        }
        // Two instructions with one 64-bit store: movk #0xbeef, lsl #16;
        // ret over the two adds at +208.
        *(volatile uint64_t *)(VW + 0x208) = (uint64_t)MOVK_X0_16(0xbeef) | (uint64_t)RET << 32;
        sync_code(VW, 0x208, 8);
        run("str x: movk #0xbeef, lsl #16; ret at +208", VX, 0x200);
    }

    // 4. Branches: +300: b +380; +380: movz; ret.  The target is rewritten,
    //    then the branch itself.
    printf("\n== branch at +300 to code rewritten later ==\n");
    {
        uint32_t br[1] = {B(0x300, 0x380)}, t1[2] = {MOVZ_X0(0xaaaa), RET},
                 t2[2] = {MOVZ_X0(0xbbbb), RET}, t3[2] = {MOVZ_X0(0xcccc), RET};
        write_code(VW, 0x380, t1, 2);
        write_code(VW, 0x3c0, t3, 2);
        write_code(VW, 0x300, br, 1);
        run("b +380 -> movz #0xaaaa", VX, 0x300);
        write_code(VW, 0x380, t2, 2);
        run("target rewritten -> movz #0xbbbb", VX, 0x300);
        br[0] = B(0x300, 0x3c0);
        write_code(VW, 0x300, br, 1);
        run("branch rewritten to +3c0", VX, 0x300);
        br[0] = B(0x300, 0x380);
        write_code(ID, 0x300, br, 1);
        run("branch back to +380 (written through the identity map)", VX2, 0x300);
    }

    // 5. Code that patches itself: the routine at +400 (selfmod_tpl) stores
    //    a new instruction into its own slot through VW and executes it.
    printf("\n== self-patching routine at +400 ==\n");
    {
        unsigned n = (unsigned)(selfmod_end - selfmod_tpl);
        uint64_t slot = 0x400 + 4 * (uint64_t)(selfmod_slot - selfmod_tpl);
        write_code(VW, 0x400, selfmod_tpl, n);
        run("slot as written (movz #0x1111)", VX, slot);
        for (unsigned i = 0; i < 5; i++) {
            uint32_t insn = MOVZ_X0(0x2000 + 0x111 * i);
            uint64_t r = ((uint64_t(*)(uint64_t, uint32_t, uint64_t))(VX + 0x400))(VW + slot, insn,
                                                                                VX + slot);
            printf("patch slot to %08x from inside -> x0=%016lx\n", insn, r);
        }
        run("slot run directly", VX, slot);
    }

    // 6. The writable alias is not executable (PXN): an instruction abort.
    printf("\n== execute through VW (PXN) ==\n");
    access(EL1_X, "VW+000", VW, 0);
    run("VX+000 still runs", VX, 0);

    mmu_disable();
    printf("smc_alias: end\n");
    return 0;
}
