// SPDX-License-Identifier: MIT OR Apache-2.0
//
// ASIDs, TLB maintenance and address translation instructions of the EL1&0
// regime, 4 KiB granule, T0SZ = T1SZ = 16 (ARM ARM D5 "Translation
// Lookaside Buffers (TLBs)" and "TLB maintenance requirements and the TLB
// maintenance instructions"; C5 TLBI and AT; PAR_EL1).
//
// Only what the architecture guarantees is printed: a non-global entry of
// one ASID is never used for another ASID, and after a descriptor change,
// the TLBI covering it, DSB and ISB, the new descriptor is used.  Nothing
// depends on a stale entry surviving (or not) without invalidation.
// Descriptors of valid mappings change with break-before-make (D5):
// invalid entry, TLBI, then the new entry; an access in between must take
// a Translation fault.
#define GSHIFT 12
#include "mmu.h"

static uint64_t tpage[11][512] __attribute__((aligned(4096)));
static volatile uint64_t marker = 0x6d61726b65723032UL;  // "marker02"

#define PA(p) ((uint64_t)(p))
#define NG (NORMAL | D_NG)
// Test VAs: TTBR0 root entry 1 (the identity map is entry 0).
#define V(i) (0x0000008000000000UL + (uint64_t)(i) * GSIZE)
#define W 0x0000008000200000UL   // level 2 entry 1: a table changed as a whole
#define W2 0x0000008000400000UL  // level 2 entry 2: a 2 MiB block

// Spaces A and B (TTBR0 roots), R (the identity map only: TTBR0 while the
// ASID changes with TCR.A1=1), and TTBR1's tables.
static struct vm vmA, vmB, vmR, vm1;
static uint64_t tcr, *w_table[2];

static uint64_t ttbr(const struct vm *vm, uint64_t asid)
{
    return (uint64_t)vm->root | asid << 48;
}

static void setup(void)
{
    for (unsigned n = 0; n < 11; n++)
        for (unsigned i = 0; i < 512; i++)
            tpage[n][i] = 0x7000000000000000UL | (uint64_t)n << 40 | 8 * i;
    vm_init(&vmA, 16);
    vm_init(&vmB, 16);
    vm_init(&vmR, 16);
    vm_init(&vm1, 16);
    map_identity(&vmA);
    vmB.root[0] = vmR.root[0] = vmA.root[0];
    // A: V(0), V(1) nG; V(2) nG and V(3) global, remapped by the TLBI tests.
    vm_map(&vmA, V(0), PA(tpage[0]), 3, NG);
    vm_map(&vmA, V(1), PA(tpage[1]), 3, NG);
    vm_map(&vmA, V(2), PA(tpage[5]), 3, NG);
    vm_map(&vmA, V(3), PA(tpage[7]), 3, NORMAL);
    // B: the same VAs, other pages.
    vm_map(&vmB, V(0), PA(tpage[2]), 3, NG);
    vm_map(&vmB, V(1), PA(tpage[3]), 3, NG);
    // W: a level 3 table, and a second one to swap in.
    vm_map(&vmA, W, PA(tpage[9]), 3, NG);
    w_table[0] = (uint64_t *)(*vm_slot(&vmA, W, 2) & OA_MASK);
    w_table[1] = pt_alloc();
    w_table[1][(W >> 12) & 511] = PA(tpage[10]) | NG | D_TABLE;
    // AT targets.
    for (unsigned ap = 0; ap < 4; ap++)
        vm_map(&vmA, V(16 + ap), PA(tpage[4]), 3, NG | D_AP(ap));
    vm_map(&vmA, V(20), PA(tpage[4]), 3, NG | D_AP(1) | D_UXN | D_PXN);
    vm_map(&vmA, V(21), UART0_BASE, 3, D_ATTR(MT_DEVICE) | D_AF);
    vm_map(&vmA, V(22), UART0_BASE, 3, D_ATTR(MT_NGNRNE) | D_AF);
    vm_map(&vmA, V(23), PA(tpage[4]), 3, D_ATTR(MT_NC) | D_SH(3) | D_AF);
    vm_map(&vmA, V(24), PA(tpage[4]), 3, D_ATTR(MT_WT) | D_SH(3) | D_AF);
    vm_map(&vmA, V(25), PA(tpage[4]), 3, D_ATTR(MT_NORMAL) | D_SH(0) | D_AF);
    vm_map(&vmA, V(26), PA(tpage[4]), 3, D_ATTR(MT_NORMAL) | D_SH(2) | D_AF);
    vm_map(&vmA, V(27), PA(tpage[4]), 3, NG & ~D_AF);
    vm_map(&vmA, V(29), 1UL << 40, 3, NG);
    vm_map(&vmA, W2, PA(&marker) & ~(LEVEL_SIZE(2) - 1), 2, NORMAL);
    vm_map(&vm1, -(1UL << 48), PA(tpage[4]), 3, NG | D_AP(1));
    tcr = TCR_T0SZ(16) | TCR_T1SZ(16) | TCR_TG | TCR_WALK | TCR_IPS(2) | TCR_AS;
    mmu_enable(tcr, ttbr(&vmA, 1), ttbr(&vm1, 0));
}

// ---------------------------------------------------------------------------
// TLBI (C5): the operand of the by-VA forms is ASID[63:48] | VA[55:12].

enum tlbi { VMALLE1, VAE1, VALE1, VAAE1, VAALE1, ASIDE1 };
static const char *const tlbi_names[] = {"vmalle1", "vae1", "vale1", "vaae1", "vaale1", "aside1"};

// The descriptor written before is complete (DSB ISHST), then the TLBI,
// DSB ISH, ISB.
static void tlbi(enum tlbi op, int is, uint64_t va, uint64_t asid)
{
    uint64_t xva = asid << 48 | ((va >> 12) & 0xfffffffffffUL), xa = (va >> 12) & 0xfffffffffffUL;
    __asm__ volatile("dsb ishst" ::: "memory");
    switch (op * 2 + is) {
    case 0: __asm__ volatile("tlbi vmalle1" ::: "memory"); break;
    case 1: __asm__ volatile("tlbi vmalle1is" ::: "memory"); break;
    case 2: __asm__ volatile("tlbi vae1, %0" : : "r"(xva) : "memory"); break;
    case 3: __asm__ volatile("tlbi vae1is, %0" : : "r"(xva) : "memory"); break;
    case 4: __asm__ volatile("tlbi vale1, %0" : : "r"(xva) : "memory"); break;
    case 5: __asm__ volatile("tlbi vale1is, %0" : : "r"(xva) : "memory"); break;
    case 6: __asm__ volatile("tlbi vaae1, %0" : : "r"(xa) : "memory"); break;
    case 7: __asm__ volatile("tlbi vaae1is, %0" : : "r"(xa) : "memory"); break;
    case 8: __asm__ volatile("tlbi vaale1, %0" : : "r"(xa) : "memory"); break;
    case 9: __asm__ volatile("tlbi vaale1is, %0" : : "r"(xa) : "memory"); break;
    case 10: __asm__ volatile("tlbi aside1, %0" : : "r"(asid << 48) : "memory"); break;
    case 11: __asm__ volatile("tlbi aside1is, %0" : : "r"(asid << 48) : "memory"); break;
    }
    __asm__ volatile("dsb ish\n\tisb" ::: "memory");
}

static void sync_desc(void)
{
    __asm__ volatile("dsb ishst\n\tisb" ::: "memory");
}

static void show_ttbr(void)
{
    uint64_t t0, t1;
    __asm__ volatile("mrs %0, ttbr0_el1\n\tmrs %1, ttbr1_el1" : "=r"(t0), "=r"(t1));
    printf("ttbr0.asid=%04lx ttbr1.asid=%04lx tcr.A1=%lu tcr.AS=%lu\n", t0 >> 48, t1 >> 48,
           (tcr_read() >> 22) & 1, (tcr_read() >> 36) & 1);
}

// ---------------------------------------------------------------------------

// Two address spaces, nG pages, TTBR0 switched with the ASID in it.
static void asid_switch(void)
{
    printf("\n== ASIDs in TTBR0 (TCR.A1=0), 16-bit (TCR.AS=1) ==\n");
    for (int round = 0; round < 2; round++) {
        ttbr0_write(ttbr(&vmA, 1));
        show_ttbr();
        access(EL1_LD, "A: V0", V(0) + 8 * round, 0);
        access(EL1_LD, "A: V1", V(1) + 8 * round, 0);
        ttbr0_write(ttbr(&vmB, 2));
        show_ttbr();
        access(EL1_LD, "B: V0", V(0) + 8 * round, 0);
        access(EL1_LD, "B: V1", V(1) + 8 * round, 0);
    }
    access(EL1_ST, "B: V0", V(0) + 0x100, &tpage[2][0x20]);
    ttbr0_write(ttbr(&vmA, 1));
    access(EL1_LD, "A: V0", V(0) + 0x100, 0);
    access(EL1_ST, "A: V0", V(0) + 0x100, &tpage[0][0x20]);
    ttbr0_write(ttbr(&vmB, 2));
    access(EL1_LD, "B: V0", V(0) + 0x100, 0);

    // ASIDs 0x0105 and 0x0205 differ only in bits [15:8]: distinct with
    // 16-bit ASIDs.
    printf("\n== ASIDs 0x0105 / 0x0205, TCR.AS=1 ==\n");
    for (int round = 0; round < 2; round++) {
        ttbr0_write(ttbr(&vmA, 0x0105));
        show_ttbr();
        access(EL1_LD, "A: V0", V(0) + 0x10, 0);
        ttbr0_write(ttbr(&vmB, 0x0205));
        show_ttbr();
        access(EL1_LD, "B: V0", V(0) + 0x10, 0);
    }
    // With 8-bit ASIDs (TCR.AS=0) the upper byte is ignored except when the
    // register is read (TCR_EL1.AS): both are ASID 0x05, so moving to B
    // is a change of tables within one ASID and needs a TLBI.
    printf("\n== ASIDs 0x0105 / 0x0205, TCR.AS=0 (both are ASID 0x05) ==\n");
    tcr_write(tcr & ~TCR_AS);
    ttbr0_write(ttbr(&vmA, 0x0105));
    show_ttbr();
    access(EL1_LD, "A: V0", V(0) + 0x18, 0);
    ttbr0_write(ttbr(&vmB, 0x0205));
    tlbi(ASIDE1, 0, 0, 0x05);
    show_ttbr();
    access(EL1_LD, "B after tlbi aside1 0x05: V0", V(0) + 0x18, 0);
    ttbr0_write(ttbr(&vmA, 0x0105));
    tlbi(ASIDE1, 0, 0, 0x05);
    access(EL1_LD, "A after tlbi aside1 0x05: V0", V(0) + 0x18, 0);
    tcr_write(tcr);

    // TCR.A1=1: the ASID is TTBR1's; TTBR0's ASID field is ignored.  The
    // ASID changes while TTBR0 points at R (global entries only), so no
    // entry of one space is ever tagged with the other's ASID.
    printf("\n== ASIDs in TTBR1 (TCR.A1=1) ==\n");
    tcr_write(tcr | TCR_A1);
    for (int round = 0; round < 2; round++) {
        ttbr0_write(ttbr(&vmR, 0));
        ttbr1_write(ttbr(&vm1, 7));
        ttbr0_write(ttbr(&vmA, 0xff));
        show_ttbr();
        access(EL1_LD, "A: V0", V(0) + 0x28, 0);
        access(EL1_LD, "A: V1", V(1) + 0x28, 0);
        ttbr0_write(ttbr(&vmR, 0));
        ttbr1_write(ttbr(&vm1, 8));
        ttbr0_write(ttbr(&vmB, 0xff));
        show_ttbr();
        access(EL1_LD, "B: V0", V(0) + 0x28, 0);
        access(EL1_LD, "B: V1", V(1) + 0x28, 0);
    }
    access(EL1_LD, "TTBR1 page (ASID 8)", -(1UL << 48) + 0x30, 0);
    // A1=1: TLBI ASIDE1 takes TTBR1's ASID.
    uint64_t *d = vm_slot(&vmB, V(1), 3), saved = *d;
    *d = 0;
    tlbi(ASIDE1, 0, 0, 8);
    access(EL1_LD, "B: V1 after invalid + tlbi aside1 8", V(1) + 0x28, 0);
    *d = saved;
    sync_desc();
    access(EL1_LD, "B: V1 restored", V(1) + 0x28, 0);
    ttbr0_write(ttbr(&vmR, 0));
    ttbr1_write(ttbr(&vm1, 0));
    tcr_write(tcr);
    ttbr0_write(ttbr(&vmA, 1));
    show_ttbr();
}

// Break-before-make on the level 3 descriptor of `va` with each TLBI: the
// access between the TLBI and the new descriptor faults, the one after
// sees the new page.  `pages` alternate.
static void bbm_leaf(uint64_t va, uint64_t attrs, const unsigned pages[2], uint64_t asid,
                     const char *kind)
{
    uint64_t *d = vm_slot(&vmA, va, 3);
    unsigned next = 1;
    for (int is = 0; is < 2; is++)
        for (enum tlbi op = VMALLE1; op <= ASIDE1; op++) {
            if (op == ASIDE1 && !(attrs & D_NG))
                continue;  // TLBI by ASID does not cover global entries
            printf("-- tlbi %s%s (%s page, operand asid %lu)\n", tlbi_names[op], is ? "is" : "",
                   kind, asid);
            access(EL1_LD, "before", va + 0x38, 0);
            *d = 0;
            tlbi(op, is, va, asid);
            access(EL1_LD, "invalid + tlbi", va + 0x38, 0);
            *d = PA(tpage[pages[next]]) | attrs | D_TABLE;
            sync_desc();
            access(EL1_LD, "new descriptor", va + 0x38, 0);
            next ^= 1;
        }
}

static void tlbi_tests(void)
{
    static const unsigned ng_pages[2] = {5, 6}, g_pages[2] = {7, 8};
    printf("\n== TLBI after a level 3 descriptor change (ASID 1) ==\n");
    bbm_leaf(V(2), NG, ng_pages, 1, "nG");
    // A global entry matches every ASID (D5): the by-VA TLBIs with any
    // ASID operand cover it.
    printf("\n== TLBI after a level 3 descriptor change, global page ==\n");
    bbm_leaf(V(3), NORMAL, g_pages, 0x1234, "global");

    // An entry of ASID 1 invalidated while ASID 2 is current.
    printf("\n== TLBI of ASID 1 while ASID 2 is current ==\n");
    static const enum tlbi ops[] = {VAE1, VALE1, ASIDE1, VAAE1, VMALLE1};
    uint64_t *d = vm_slot(&vmA, V(0), 3), saved = *d;
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++)
        for (int is = 0; is < 2; is++) {
            printf("-- tlbi %s%s asid 1\n", tlbi_names[ops[i]], is ? "is" : "");
            ttbr0_write(ttbr(&vmA, 1));
            access(EL1_LD, "A: V0", V(0) + 0x40, 0);
            ttbr0_write(ttbr(&vmB, 2));
            access(EL1_LD, "B: V0", V(0) + 0x40, 0);
            *d = 0;
            tlbi(ops[i], is, V(0), 1);
            access(EL1_LD, "B: V0 after A's V0 invalidated", V(0) + 0x40, 0);
            ttbr0_write(ttbr(&vmA, 1));
            access(EL1_LD, "A: V0 invalidated", V(0) + 0x40, 0);
            *d = saved;
            sync_desc();
            access(EL1_LD, "A: V0 restored", V(0) + 0x40, 0);
        }

    // A table descriptor (level 2) replaced: TLBIs that cover every level
    // of the walk (not the "last level" forms such as VALE1).
    printf("\n== TLBI after a level 2 table descriptor change ==\n");
    static const enum tlbi ops2[] = {VAE1, VAAE1, VMALLE1};
    uint64_t *l2 = vm_slot(&vmA, W, 2);
    unsigned cur = 0;
    for (unsigned i = 0; i < sizeof ops2 / sizeof ops2[0]; i++)
        for (int is = 0; is < 2; is++) {
            printf("-- tlbi %s%s\n", tlbi_names[ops2[i]], is ? "is" : "");
            access(EL1_LD, "W", W + 0x48, 0);
            *l2 = 0;
            tlbi(ops2[i], is, W, 1);
            access(EL1_LD, "W, level 2 entry invalid", W + 0x48, 0);
            cur ^= 1;
            *l2 = PA(w_table[cur]) | D_TABLE;
            sync_desc();
            access(EL1_LD, "W, other level 3 table", W + 0x48, 0);
        }
}

// AT S1E1R/W, S1E0R/W (C5) and PAR_EL1.  PAR_EL1.NS is
// UNKNOWN for a Non-secure translation (QEMU: 1).  PAR_EL1.SH is 0b10 for
// any Device memory and for Normal Inner+Outer Non-cacheable memory (the
// pseudocode's PAREncodeShareability); QEMU 7.2 returns the descriptor's
// SH field instead, and the golden records that.
#define SHOW_AT(kind, what, va)                                               \
    do {                                                                      \
        uint64_t va_ = (va);                                                  \
        show_par("at " kind " " what, va_, AT(kind, va_));                    \
    } while (0)

// PAR_EL1.SH for Device and Normal non-cacheable memory is 0b10
// (pseudocode PAREncodeShareability); QEMU 7.2 reports the descriptor's SH
// instead.  For those mappings the field is cleared before printing, so the
// rest of PAR is compared; Chimera's own tests check SH = 0b10.
#define SHOW_AT_NO_SH(kind, what, va)                                         \
    do {                                                                      \
        uint64_t va_ = (va);                                                  \
        show_par("at " kind " " what " (SH not shown)", va_, AT(kind, va_) & ~(3UL << 7)); \
    } while (0)

static void at_tests(void)
{
    printf("\n== AT, PAR_EL1 ==\n");
    for (unsigned ap = 0; ap < 4; ap++) {
        uint64_t va = V(16 + ap) + 0x123;
        printf("page AP=%u%u\n", ap >> 1, ap & 1);
        SHOW_AT("s1e1r", "page", va);
        SHOW_AT("s1e1w", "page", va);
        SHOW_AT("s1e0r", "page", va);
        SHOW_AT("s1e0w", "page", va);
    }
    SHOW_AT("s1e1r", "UXN PXN", V(20));
    SHOW_AT("s1e0r", "UXN PXN", V(20));
    SHOW_AT_NO_SH("s1e1r", "Device-nGnRE", V(21));
    SHOW_AT_NO_SH("s1e1r", "Device-nGnRnE", V(22));
    SHOW_AT_NO_SH("s1e1r", "Normal NC", V(23));
    SHOW_AT("s1e1r", "Normal WT", V(24));
    SHOW_AT("s1e1r", "Normal WB SH=00", V(25));
    SHOW_AT("s1e1r", "Normal WB SH=10", V(26));
    SHOW_AT("s1e1r", "nG WB SH=11", V(0) + 0x8);
    SHOW_AT("s1e1r", "2 MiB block", W2 + 0x12345);
    SHOW_AT("s1e1r", "identity marker", PA(&marker));
    SHOW_AT_NO_SH("s1e1r", "identity UART (1 GiB block)", UART0_BASE);
    SHOW_AT("s1e0r", "identity UART (EL1 only)", UART0_BASE);
    SHOW_AT("s1e1r", "AF=0", V(27));
    SHOW_AT("s1e1w", "AF=0", V(27));
    SHOW_AT("s1e1r", "invalid level 3", V(28));
    SHOW_AT("s1e1r", "invalid level 2", V(0) + 7 * LEVEL_SIZE(2));
    SHOW_AT("s1e1r", "invalid level 1", V(0) + 5 * LEVEL_SIZE(1));
    SHOW_AT("s1e1r", "invalid level 0", 3 * LEVEL_SIZE(0));
    SHOW_AT("s1e1r", "OA 1<<40", V(29));
    SHOW_AT("s1e1r", "outside TTBR0's range", 1UL << 48);
    SHOW_AT("s1e0r", "TTBR1 page AP=01", -(1UL << 48) + 0x40);
    SHOW_AT("s1e1w", "TTBR1 page AP=01", -(1UL << 48) + 0x40);
    tcr_write(tcr | TCR_EPD1);
    SHOW_AT("s1e1r", "TTBR1 page, EPD1=1", -(1UL << 48) + 0x40);
    tcr_write(tcr);
    // AT under space B (ASID 2): the translation of the current TTBR0.
    ttbr0_write(ttbr(&vmB, 2));
    SHOW_AT("s1e1r", "B: V0", V(0));
    SHOW_AT("s1e1r", "B: V(16) (unmapped in B)", V(16));
    ttbr0_write(ttbr(&vmA, 1));
    SHOW_AT("s1e1r", "A: V0", V(0));
}

int main(void)
{
    uint64_t mmfr0;
    printf("tlb_asid: begin\n");
    conf_install();
    __asm__ volatile("mrs %0, id_aa64mmfr0_el1" : "=r"(mmfr0));
    printf("id_aa64mmfr0_el1=%016lx PARange=%lu ASIDBits=%lu TGran4=%lu TGran64=%lu\n", mmfr0,
           mmfr0 & 15, (mmfr0 >> 4) & 15, (mmfr0 >> 28) & 15, (mmfr0 >> 24) & 15);
    setup();
    printf("mmu on: tcr=%016lx sctlr.M=%lu\n", tcr_read(), sctlr_read() & 1);
    asid_switch();
    tlbi_tests();
    at_tests();
    mmu_disable();
    printf("tlb_asid: end\n");
    return 0;
}
