// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Stage 1 translation of the EL1&0 regime for the MMU conformance programs
// (ARM ARM D5 "The AArch64 Virtual Memory System Architecture"):
// translation tables built in a pool in .bss, MMU on/off, TLB maintenance,
// and accesses that report what they did: loads and stores at EL1,
// LDTR/STTR (checked with EL0's permissions), real EL0 code
// entered with ERET and coming back with SVC, instruction fetches.
//
// Exceptions go to trap.h's handler, which prints them; report() then
// decodes the fault status code of the ESR (D17.2.37, ISS encoding for an
// exception from a Data Abort / Instruction Abort).
//
// A "stub page" (mmu_stub below, one 4 KiB page of position-independent
// code) is mapped at extra VAs: through TTBR1 at STUB_VA, where its probe
// routine can run with TTBR0 or SCTLR set to values under which the
// program's own code would not be executable (EPD0, WXN, a bad TTBR0), and
// in the TTBR0 test area with various permissions, as code for EL0 and as
// an execute target.
//
// Define GSHIFT (12: 4 KiB granule, 16: 64 KiB granule) before including.
#ifndef CHIMERA_CONFORMANCE_MMU_H
#define CHIMERA_CONFORMANCE_MMU_H

#include "trap.h"

#ifndef GSHIFT
#define GSHIFT 12
#endif
#ifndef PT_POOL_TABLES
#define PT_POOL_TABLES 24
#endif

// Granule geometry (D5.2 "The VMSAv8-64 address translation system"): each
// level resolves GSHIFT-3 bits of the VA.
#define GSIZE (1UL << GSHIFT)
#define STRIDE (GSHIFT - 3)
#define LEVEL_SHIFT(l) (GSHIFT + (3 - (l)) * STRIDE)
#define LEVEL_SIZE(l) (1UL << LEVEL_SHIFT(l))
// Output address bits [47:GSHIFT] of a descriptor (D5.3, no FEAT_LPA).
#define OA_MASK (((1UL << 48) - 1) & ~(GSIZE - 1))

// Descriptor fields (D5.3 "VMSAv8-64 translation table format descriptors").
#define D_INVALID 0UL
#define D_BLOCK 1UL                        // bits[1:0] of a block
#define D_TABLE 3UL                        // table (levels 0-2) or page (level 3)
#define D_ATTR(i) ((uint64_t)(i) << 2)     // AttrIndx[2:0], index into MAIR_EL1
#define D_AP(x) ((uint64_t)(x) << 6)       // AP[2:1] (D5.4 "Memory access control")
#define D_SH(x) ((uint64_t)(x) << 8)       // SH[1:0]
#define D_AF (1UL << 10)                   // access flag
#define D_NG (1UL << 11)                   // not global
#define D_PXN (1UL << 53)
#define D_UXN (1UL << 54)
#define T_PXN (1UL << 59)                  // PXNTable (table descriptors, D5.4)
#define T_UXN (1UL << 60)                  // UXNTable (XNTable)
#define T_AP(x) ((uint64_t)(x) << 61)      // APTable[1:0]

// MAIR_EL1 (D5.5 "Memory region attributes"): the AttrIndx values used.
#define MT_NORMAL 0   // 0xff Normal, Inner/Outer Write-Back RW-allocate
#define MT_DEVICE 1   // 0x04 Device-nGnRE
#define MT_NC 2       // 0x44 Normal Inner/Outer Non-cacheable
#define MT_NGNRNE 3   // 0x00 Device-nGnRnE
#define MT_WT 4       // 0xbb Normal Inner/Outer Write-Through RW-allocate
#define MAIR_VALUE 0x000000bb004404ffUL

#define NORMAL (D_ATTR(MT_NORMAL) | D_SH(3) | D_AF)
#define DEVICE (D_ATTR(MT_DEVICE) | D_AF)

// TCR_EL1 fields.
#define TCR_T0SZ(n) ((uint64_t)(n))
#define TCR_EPD0 (1UL << 7)
#define TCR_T1SZ(n) ((uint64_t)(n) << 16)
#define TCR_A1 (1UL << 22)
#define TCR_EPD1 (1UL << 23)
#define TCR_IPS(n) ((uint64_t)(n) << 32)   // 0: 32 bits, 1: 36, 2: 40, 3: 42, 4: 44, 5: 48
#define TCR_AS (1UL << 36)
#define TCR_TBI0 (1UL << 37)
#define TCR_TBI1 (1UL << 38)
// Walks Inner/Outer Write-Back cacheable, Inner Shareable, both halves.
#define TCR_WALK ((1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 24) | (1UL << 26) | (3UL << 28))
#if GSHIFT == 12
#define TCR_TG ((0UL << 14) | (2UL << 30))  // TG0 = 4 KiB (0b00), TG1 = 4 KiB (0b10)
#else
#define TCR_TG ((1UL << 14) | (3UL << 30))  // TG0 = 64 KiB (0b01), TG1 = 64 KiB (0b11)
#endif

// SCTLR_EL1 bits.
#define SCTLR_M (1UL << 0)
#define SCTLR_C (1UL << 2)
#define SCTLR_I (1UL << 12)
#define SCTLR_WXN (1UL << 19)

#define POISON 0x5a5a5a5a5a5a5a5aUL
// Physical RAM of the virt board and the part of it mapped (QEMU's default
// 128 MiB).
#define RAM_BASE 0x40000000UL
#define RAM_SIZE 0x08000000UL
// The TTBR1 VA of the stub page: the top 64 KiB of the address space, in
// range for every T1SZ up to 39 (D5.2).
#define STUB_VA 0xffffffffffff0000UL

// ---------------------------------------------------------------------------
// Translation tables.

static uint8_t pt_pool[PT_POOL_TABLES][GSIZE] __attribute__((aligned(GSIZE)));
static unsigned pt_used;

// A zeroed table (every entry invalid).  Tables are granule-sized and
// granule-aligned, enough for any start level (TTBRn_EL1.BADDR alignment).
static uint64_t *pt_alloc(void)
{
    if (pt_used == PT_POOL_TABLES) {
        printf("pt_alloc: pool exhausted\n");
        __poweroff();
    }
    uint64_t *t = (uint64_t *)pt_pool[pt_used++];
    memset(t, 0, GSIZE);
    return t;
}

// One half of the VA space: TnSZ and its root table.
struct vm {
    unsigned tsz;
    uint64_t *root;
};

// The initial lookup level (D5.2; pseudocode AArch64.TranslationTableWalk):
// 4 - ceil((64 - TnSZ - GSHIFT) / STRIDE).
static unsigned vm_start(const struct vm *vm)
{
    return 4 - (64 - vm->tsz - GSHIFT + STRIDE - 1) / STRIDE;
}

static void vm_init(struct vm *vm, unsigned tsz)
{
    vm->tsz = tsz;
    vm->root = pt_alloc();
}

// The descriptor that translates `va` at `level`, making the tables on the
// way (a table descriptor without attributes) where there are none.
static uint64_t *vm_slot(const struct vm *vm, uint64_t va, unsigned level)
{
    uint64_t *t = vm->root;
    uint64_t v = va & ((1UL << (64 - vm->tsz)) - 1);
    for (unsigned l = vm_start(vm);; l++) {
        uint64_t *d = &t[(v >> LEVEL_SHIFT(l)) & ((1UL << STRIDE) - 1)];
        if (l == level)
            return d;
        if ((*d & 3) != D_TABLE)
            *d = (uint64_t)pt_alloc() | D_TABLE;
        t = (uint64_t *)(*d & OA_MASK);
    }
}

// A block (levels 1-2) or page (level 3) descriptor.
static void vm_map(const struct vm *vm, uint64_t va, uint64_t pa, unsigned level, uint64_t attrs)
{
    *vm_slot(vm, va, level) = pa | attrs | (level == 3 ? D_TABLE : D_BLOCK);
}

static void vm_map_range(const struct vm *vm, uint64_t va, uint64_t pa, uint64_t size,
                         unsigned level, uint64_t attrs)
{
    for (uint64_t off = 0; off < size; off += LEVEL_SIZE(level))
        vm_map(vm, va + off, pa + off, level, attrs);
}

// The highest level with blocks (D5.3: 4 KiB granule, levels 1 and 2; 64 KiB
// granule, level 2 only without FEAT_LPA).
#if GSHIFT == 12
#define TOP_BLOCK_LEVEL 1
#else
#define TOP_BLOCK_LEVEL 2
#endif

// Identity map of the device space and the RAM: a block at the top block
// level for the first 1 GiB (4 KiB) / 512 MiB (64 KiB), Device-nGnRE; the
// RAM in pages (4 KiB: the first 2 MiB, then 2 MiB blocks; 64 KiB: all in
// pages), Normal WB.  EL1 only (AP=00), not executable at EL0.
static void map_identity(const struct vm *vm)
{
    vm_map(vm, 0, 0, TOP_BLOCK_LEVEL, DEVICE | D_PXN | D_UXN);
#if GSHIFT == 12
    vm_map_range(vm, RAM_BASE, RAM_BASE, LEVEL_SIZE(2), 3, NORMAL | D_UXN);
    vm_map_range(vm, RAM_BASE + LEVEL_SIZE(2), RAM_BASE + LEVEL_SIZE(2),
                 RAM_SIZE - LEVEL_SIZE(2), 2, NORMAL | D_UXN);
#else
    vm_map_range(vm, RAM_BASE, RAM_BASE, RAM_SIZE, 3, NORMAL | D_UXN);
#endif
}

// ---------------------------------------------------------------------------
// System registers and maintenance (D5 "TLB maintenance requirements and the
// TLB maintenance instructions", including break-before-make; B2 DSB, ISB).

static inline uint64_t sctlr_read(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(v));
    return v;
}

static inline void sctlr_write(uint64_t v)
{
    __asm__ volatile("msr sctlr_el1, %0\n\tisb" : : "r"(v) : "memory");
}

// All stage 1 EL1&0 entries, every ASID (the descriptors written before
// are complete first).
static inline void tlb_flush_all(void)
{
    __asm__ volatile("dsb ishst\n\ttlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory");
}

// A TCR_EL1 field may be held in a TLB: write, then invalidate (TCR_EL1).
static inline void tcr_write(uint64_t v)
{
    __asm__ volatile("msr tcr_el1, %0\n\tisb" : : "r"(v) : "memory");
    tlb_flush_all();
}

static inline void ttbr0_write(uint64_t v)
{
    __asm__ volatile("msr ttbr0_el1, %0\n\tisb" : : "r"(v) : "memory");
}

static inline void ttbr1_write(uint64_t v)
{
    __asm__ volatile("msr ttbr1_el1, %0\n\tisb" : : "r"(v) : "memory");
}

static inline uint64_t tcr_read(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, tcr_el1" : "=r"(v));
    return v;
}

// Stage 1 on, caches on (the program's RAM is identity-mapped, so the PC
// stays valid across the write; D5.2 for the MMU-off behaviour).  Emulators have
// no caches: on hardware the tables written with the MMU off would need a
// clean/invalidate first.
static void mmu_enable(uint64_t tcr, uint64_t ttbr0, uint64_t ttbr1)
{
    __asm__ volatile("dsb ish\n\t"
                     "msr mair_el1, %0\n\t"
                     "msr tcr_el1, %1\n\t"
                     "msr ttbr0_el1, %2\n\t"
                     "msr ttbr1_el1, %3\n\t"
                     "isb\n\t"
                     "tlbi vmalle1\n\t"
                     "dsb ish\n\t"
                     "isb"
                     : : "r"(MAIR_VALUE), "r"(tcr), "r"(ttbr0), "r"(ttbr1) : "memory");
    sctlr_write(sctlr_read() | SCTLR_M | SCTLR_C | SCTLR_I);
}

static void mmu_disable(void)
{
    sctlr_write(sctlr_read() & ~(SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_WXN));
    tlb_flush_all();
}

static inline uint64_t par_read(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, par_el1" : "=r"(v));
    return v;
}

// ---------------------------------------------------------------------------
// The stub page.  Offsets 0-0x7ff: code; 0x800: the probe's vector table.
//
// mmu_probe(struct probe *p) installs p->sctlr, p->tcr, p->ttbr0 and a
// VBAR pointing at its own vectors (all through the stub page's TTBR1
// alias), invalidates the TLB, does one access (op 0: LDR, 1: STR, 2: BLR),
// records the exception if one is taken, restores everything and returns.
// It uses no stack and no memory between the two switches.
__asm__(
    ".pushsection .text.mmu_stub, \"ax\"\n"
    ".balign 4096\n"
    ".global mmu_stub\n"
    "mmu_stub:\n"
    "mmu_probe:\n"
    "ldp x2, x3, [x0, #0]\n"        // sctlr, tcr
    "ldp x4, x5, [x0, #16]\n"       // ttbr0, vbar
    "ldp x6, x7, [x0, #32]\n"       // addr, op
    "ldr x8, [x0, #48]\n"           // value
    "mrs x9, sctlr_el1\n"
    "mrs x10, tcr_el1\n"
    "mrs x11, ttbr0_el1\n"
    "mrs x12, vbar_el1\n"
    "mov x13, #0\n mov x14, #0\n mov x15, #0\n mov x16, #0\n"
    "mov x17, x30\n"
    "msr vbar_el1, x5\n"
    "msr ttbr0_el1, x4\n"
    "msr tcr_el1, x3\n"
    "msr sctlr_el1, x2\n"
    "isb\n"
    "tlbi vmalle1\n dsb ish\n isb\n"
    "cbz x7, 1f\n"
    "cmp x7, #1\n"
    "b.eq 2f\n"
    "blr x6\n"
    "b mmu_probe_resume\n"
    ".global mmu_probe_access\n"
    "mmu_probe_access:\n"
    "1: ldr x8, [x6]\n"
    "b mmu_probe_resume\n"
    "2: str x8, [x6]\n"
    "mmu_probe_resume:\n"
    "msr sctlr_el1, x9\n"
    "msr tcr_el1, x10\n"
    "msr ttbr0_el1, x11\n"
    "isb\n"
    "tlbi vmalle1\n dsb ish\n isb\n"
    "msr vbar_el1, x12\n"
    "isb\n"
    "stp x13, x14, [x0, #56]\n"     // esr, far
    "stp x15, x16, [x0, #72]\n"     // elr, taken
    "str x8, [x0, #88]\n"           // value after
    "ret x17\n"
    // Execute targets.  At EL1: x1 = 0xe1, return.  At EL0: x1 = 0xe0, SVC.
    ".balign 64\n"
    ".global stub_el1_ret\n"
    "stub_el1_ret:\n"
    "mov x1, #0xe1\n"
    "ret\n"
    ".global stub_el0_svc\n"
    "stub_el0_svc:\n"
    "mov x1, #0xe0\n"
    "svc #0\n"
    // EL0 accesses: x0 = address, x1 = value.
    ".global stub_el0_load\n"
    "stub_el0_load:\n"
    "ldr x1, [x0]\n"
    "svc #0\n"
    ".global stub_el0_store\n"
    "stub_el0_store:\n"
    "str x1, [x0]\n"
    "svc #0\n"
    // The probe's vectors: every exception records ESR/FAR/ELR, counts
    // itself and resumes at mmu_probe_resume.
    ".balign 0x800\n"
    ".global mmu_probe_vectors\n"
    "mmu_probe_vectors:\n"
    ".rept 16\n"
    ".balign 0x80\n"
    "mrs x13, esr_el1\n"
    "mrs x14, far_el1\n"
    "mrs x15, elr_el1\n"
    "add x16, x16, #1\n"
    "adr x1, mmu_probe_resume\n"
    "msr elr_el1, x1\n"
    "eret\n"
    ".endr\n"
    ".popsection\n");

extern char mmu_stub[], mmu_probe[], mmu_probe_access[], mmu_probe_vectors[];
extern char stub_el1_ret[], stub_el0_svc[], stub_el0_load[], stub_el0_store[];

// Physical (= identity) address of the granule-sized page holding the stub.
#define STUB_PAGE ((uint64_t)mmu_stub & ~(GSIZE - 1))

// The address of stub symbol `sym` in the alias of the stub page at `va`.
static inline uint64_t stub_at(uint64_t va, const char *sym)
{
    return va + ((uint64_t)sym - STUB_PAGE);
}

struct probe {
    uint64_t sctlr, tcr, ttbr0, vbar, addr, op, value;
    uint64_t esr, far, elr, taken, result;
};

// ---------------------------------------------------------------------------
// Reporting.

static const char *fsc_name(unsigned fsc)
{
    switch (fsc & 0x3c) {
    case 0x00: return "address size";
    case 0x04: return "translation";
    case 0x08: return "access flag";
    case 0x0c: return "permission";
    case 0x14: return "external abort on walk";
    }
    switch (fsc) {
    case 0x10: return "external abort";
    case 0x21: return "alignment";
    case 0x30: return "TLB conflict";
    }
    return "other";
}

// One line decoding an abort's ESR (D17.2.37): the fault, its level, WnR.
static void decode_esr(uint64_t esr)
{
    unsigned ec = (unsigned)(esr >> 26) & 0x3f, fsc = (unsigned)esr & 0x3f;
    if (ec == 0x15) {
        printf("  svc from EL0\n");
        return;
    }
    if (ec != 0x20 && ec != 0x21 && ec != 0x24 && ec != 0x25) {
        printf("  ec=%02x\n", ec);
        return;
    }
    printf("  %s abort from %s: %s fault", ec < 0x24 ? "instruction" : "data",
           (ec & 1) ? "EL1" : "EL0", fsc_name(fsc));
    if ((fsc & 0x30) == 0 || (fsc & 0x3c) == 0x14)
        printf(" level %u", fsc & 3);
    printf(" (fsc=%02x", fsc);
    if (ec >= 0x24)
        printf(" wnr=%lu", (esr >> 6) & 1);
    printf(")\n");
}

// After an access: "no exception", or the decoded ESR of the exception
// trap.h printed.
static void report(void)
{
    if (conf_taken == taken_before)
        printf("  no exception\n");
    else
        decode_esr(conf_esr);
}

// ---------------------------------------------------------------------------
// Accesses.  Each returns the loaded value (POISON if the load faulted).

static NOINLINE uint64_t el1_load(uint64_t va)
{
    uint64_t v = POISON;
    __asm__ volatile("adr x16, 1f\n\tstr x16, [%2]\n1: ldr %0, [%1]"
                     : "+r"(v) : "r"(va), "r"(&conf_mark) : "x16", "memory");
    return v;
}

static NOINLINE void el1_store(uint64_t va, uint64_t v)
{
    __asm__ volatile("adr x16, 1f\n\tstr x16, [%2]\n1: str %0, [%1]"
                     : : "r"(v), "r"(va), "r"(&conf_mark) : "x16", "memory");
}

// LDTR/STTR at EL1: the permission checks of EL0 (D5.4, C6.2 LDTR/STTR).
static NOINLINE uint64_t el1_ldtr(uint64_t va)
{
    uint64_t v = POISON;
    __asm__ volatile("adr x16, 1f\n\tstr x16, [%2]\n1: ldtr %0, [%1]"
                     : "+r"(v) : "r"(va), "r"(&conf_mark) : "x16", "memory");
    return v;
}

static NOINLINE void el1_sttr(uint64_t va, uint64_t v)
{
    __asm__ volatile("adr x16, 1f\n\tstr x16, [%2]\n1: sttr %0, [%1]"
                     : : "r"(v), "r"(va), "r"(&conf_mark) : "x16", "memory");
}

// BLR to an execute target (stub_el1_ret in some alias); returns its x1.
static NOINLINE uint64_t el1_exec(uint64_t target)
{
    uint64_t r = POISON;
    conf_mark = target;
    __asm__ volatile("adr x16, 1f\n\t"
                     "str x16, [%2]\n\t"
                     "mov x1, %0\n\t"
                     "blr %1\n"
                     "1: mov %0, x1"
                     : "+r"(r) : "r"(target), "r"(&conf_resume)
                     : "x1", "x16", "x30", "memory");
    conf_resume = 0;
    return r;
}

// Runs stub code at EL0 from `pc` with x0 = a, x1 = b (ERET with SPSR =
// EL0t, D1.10).  The first exception (the SVC ending it, or an abort)
// comes back here at EL1 through conf_resume/conf_resume_spsr; returns the
// x1 of EL0 at that point.
static NOINLINE uint64_t el0_run(uint64_t pc, uint64_t a, uint64_t b)
{
    register uint64_t x0 __asm__("x0") = a;
    register uint64_t x1 __asm__("x1") = b;
    uint64_t daif;
    __asm__ volatile("mrs %0, daif" : "=r"(daif));
    conf_mark = pc;
    conf_resume_spsr = daif | 0x5;  // EL1h, DAIF as now
    __asm__ volatile("adr x16, 1f\n\t"
                     "str x16, [%2]\n\t"
                     "msr elr_el1, %3\n\t"
                     "mov x16, #0x3c0\n\t"  // EL0t, DAIF masked
                     "msr spsr_el1, x16\n\t"
                     "eret\n"
                     "1:"
                     : "+r"(x0), "+r"(x1) : "r"(&conf_resume), "r"(pc)
                     : "x16", "memory", "cc");
    conf_resume = 0;
    conf_resume_spsr = 0;
    return x1;
}

enum op { EL1_LD, EL1_ST, EL1_LDTR, EL1_STTR, EL0_LD, EL0_ST, EL1_X, EL0_X };
static const char *const op_names[] = {
    "EL1 ldr", "EL1 str", "EL1 ldtr", "EL1 sttr", "EL0 ldr", "EL0 str", "EL1 exec", "EL0 exec",
};

// The VA of the stub page's EL0 code (set up by the program; 0: none).
static uint64_t el0_code_va;
static uint64_t store_seq;

// One access of kind `op` at `va` labelled `what`, printed as
//   OP WHAT [VA]
//     <trap.h's line if an exception was taken>
//     <"no exception", or the decoded ESR>
//     value=... (loads, fetches) or memory=... (stores, read at `backing`)
static uint64_t access(enum op op, const char *what, uint64_t va, volatile uint64_t *backing)
{
    uint64_t v = POISON, st = 0x5700000000000000UL | ++store_seq;
    printf("%s %s [%016lx]\n", op_names[op], what, va);
    taken_before = conf_taken;
    switch (op) {
    case EL1_LD: v = el1_load(va); break;
    case EL1_ST: el1_store(va, st); break;
    case EL1_LDTR: v = el1_ldtr(va); break;
    case EL1_STTR: el1_sttr(va, st); break;
    case EL0_LD: v = el0_run(stub_at(el0_code_va, stub_el0_load), va, POISON); break;
    case EL0_ST: el0_run(stub_at(el0_code_va, stub_el0_store), va, st); break;
    case EL1_X: v = el1_exec(va); break;
    case EL0_X: v = el0_run(va, 0, POISON); break;
    }
    report();
    if (op == EL1_ST || op == EL1_STTR || op == EL0_ST)
        if (backing)
            printf("  stored %016lx, memory=%016lx\n", st, *backing);
        else
            printf("  stored %016lx\n", st);
    else
        printf("  value=%016lx\n", v);
    return v;
}

// mmu_probe through the stub's TTBR1 alias: one access with SCTLR/TCR/TTBR0
// replaced, printed like access().
static __attribute__((unused)) void probe(const char *what, uint64_t sctlr, uint64_t tcr,
                                          uint64_t ttbr0, unsigned op, uint64_t va)
{
    struct probe p = {
        .sctlr = sctlr, .tcr = tcr, .ttbr0 = ttbr0,
        .vbar = stub_at(STUB_VA, mmu_probe_vectors),
        .addr = va, .op = op, .value = 0x5800000000000000UL | ++store_seq,
    };
    static const char *const names[] = {"ldr", "str", "exec"};
    printf("probe %s %s [%016lx]\n", names[op], what, va);
    ((void (*)(struct probe *))stub_at(STUB_VA, mmu_probe))(&p);
    if (p.taken) {
        uint64_t base = stub_at(STUB_VA, mmu_stub);
        printf("  exception: esr=%08lx ec=%02lx iss=%07lx elr=", p.esr, p.esr >> 26 & 0x3f,
               p.esr & 0x1ffffff);
        if (p.elr - base < 0x800)
            printf("stub+%lx", p.elr - base);
        else
            printf("%lx", p.elr);
        printf(" far=%016lx\n", p.far);
        decode_esr(p.esr);
    } else {
        printf("  no exception\n");
    }
    printf("  x8=%016lx\n", p.result);
}

// AT (C5 A64 system instructions for address translation): PAR_EL1 after one
// of them.
#define AT(kind, va)                                                          \
    ({                                                                        \
        __asm__ volatile("at " kind ", %0\n\tisb" : : "r"(va) : "memory");    \
        par_read();                                                           \
    })

// PAR_EL1 decoded: F=0: PA, ATTR, SH, NS; F=1: FST, PTW, S.
static __attribute__((unused)) void show_par(const char *what, uint64_t va, uint64_t par)
{
    printf("%s [%016lx] par=%016lx", what, va, par);
    if (par & 1)
        printf(" F=1 fst=%02lx (%s level %lu) ptw=%lu s=%lu\n", (par >> 1) & 0x3f,
               fsc_name((par >> 1) & 0x3f), (par >> 1) & 3, (par >> 8) & 1, (par >> 9) & 1);
    else
        printf(" F=0 pa=%012lx attr=%02lx sh=%lu ns=%lu\n", par & 0xfffffffff000UL, par >> 56,
               (par >> 7) & 3, (par >> 9) & 1);
}

#endif
