// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Runtime of the MMU-on differential-test programs (difftest.py --mmu;
// mmugen.py writes the rest, link_mmu.ld places it). It
//
//  1. builds the stage 1 translation tables of the EL1&0 regime that the
//     generated configuration describes (difftest_mmu_config and its
//     records: leaves of a given level over a VA range, table-descriptor
//     attributes, table descriptors with an out-of-range address), with the
//     MMU off, from a pool of tables at 0x40400000;
//  2. turns the MMU on (MAIR, TCR, TTBR0/TTBR1 with the first ASID, TLBI,
//     SCTLR with M, C, I and the generated WXN), fills the data pages
//     (1 MiB at 0x40800000) through their fixed identity mapping, and runs
//     the generated body;
//  3. takes every exception of the body on its own vector table: a Data
//     Abort or an Instruction Abort is logged (ESR, FAR, ELR) and resumed
//     (after the faulting instruction; after an instruction abort, at X30,
//     since only BLR leads to one), anything else ends the run;
//  4. prints the registers, the fault log and checksums of the data pages
//     read through the fixed mapping.
//
// difftest_mmu_write is the routine the body calls to rewrite a
// descriptor: X16 = the index of a prepared (address, value) slot; it
// stores the value and runs DSB ISHST, and changes only X16 and X17 (the
// body then issues the TLBI, DSB and ISB the change needs).
#include "lib.h"

#define POOL_BASE 0x40800000UL
#define POOL_BYTES 0x100000UL
// The last 64 KiB of the pool: only Device windows map them, apart from
// the Normal identity mapping this runtime fills and reads them through.
#define DEV_BASE (POOL_BASE + 0xf0000UL)
#define CHUNK_BYTES 0x10000UL
#define MAX_EVENTS 256
#define MAX_ASIDS 4
#define LOG_MAX 48
// More faults than this ends the run (a program that faults in a loop
// forever would otherwise only end on the harness's timeout).
#define FAULT_LIMIT 100000
// Registers a faulting load would have written are UNKNOWN (ARM ARM: the
// destination registers of a load that takes a synchronous Data Abort);
// the handler sets them to this value so that both runs agree.
#define POISON 0x5afe5afe5afe5afeUL

struct mmu_config {
    uint64_t tcr, mair, sctlr;
    uint64_t asid_ttbr;     // the TTBR that holds the ASID (TCR_EL1.A1)
    uint64_t gshift[2];     // granule of TTBR0's and TTBR1's tables: 12 or 16
    uint64_t tsz[2];        // T0SZ, T1SZ
    uint64_t nomap[2];      // no tables for that half (EPDn = 1)
    uint64_t nmaps, ntattrs, nevents, nasids;
    uint64_t fill_seed;
};

// Leaves of `level` for [va, va_end): descriptor `desc`, plus the output
// address (pa, then pa + the level's size, ...) if desc is valid (bit 0);
// an invalid desc is written as it is.
struct mmu_map {
    uint64_t va, pa, va_end, level, desc;
};

// kind 0: OR `bits` into the table descriptor at `level` on the path of
// `va`. kind 1: make that entry a table descriptor `bits` | `pa` | 0b11
// (an address beyond the output size: an Address size fault).
struct mmu_tattr {
    uint64_t kind, va, level, bits, pa;
};

// A descriptor the body writes later: the leaf of `level` for `va`
// becomes `desc` (| pa if valid).
struct mmu_event {
    uint64_t va, level, desc, pa;
};

extern const struct mmu_config difftest_mmu_config;
extern const struct mmu_map difftest_mmu_maps[];
extern const struct mmu_tattr difftest_mmu_tattrs[];
extern const struct mmu_event difftest_mmu_events[];
extern const uint64_t difftest_mmu_asids[];
extern char __mmu_tables_start[], __mmu_tables_end[];
void difftest_body(void) __attribute__((noreturn));

// Prepared writes, {descriptor address, value} per event; the TTBR value
// (the ASID-holding one) for every ASID; the register frame of the body
// (X28 points to it): X0-X30 at [0..30], SP [31], NZCV [32], then, if [33]
// is 1, the exception that ended the run: vector, ESR, ELR, FAR, SPSR.
uint64_t difftest_mmu_slots[2 * MAX_EVENTS];
uint64_t difftest_mmu_ttbr[MAX_ASIDS];
uint64_t difftest_mmu_frame[64] __attribute__((aligned(16)));

void difftest_mmu_finish(uint64_t *frame) __attribute__((noreturn));
void difftest_mmu_exception(uint64_t *frame, uint64_t vector);

__asm__(
    "    .text\n"
    "    .global difftest_mmu_write\n"
    "    .type difftest_mmu_write, %function\n"
    "difftest_mmu_write:\n"
    "    adrp x17, difftest_mmu_slots\n"
    "    add x17, x17, :lo12:difftest_mmu_slots\n"
    "    add x17, x17, x16, lsl #4\n"
    "    ldr x16, [x17, #8]\n"
    "    ldr x17, [x17]\n"
    "    str x16, [x17]\n"
    "    dsb ishst\n"
    "    ret\n"
    "    .size difftest_mmu_write, . - difftest_mmu_write\n"
    // Every vector stores X0 in the frame and passes its index; the
    // common entry saves X1-X30 and SP, calls difftest_mmu_exception on the
    // runtime's stack, and returns to what it left in ELR_EL1 with the
    // registers of the frame (which it may have changed; X28, the frame
    // pointer, is not reloaded).
    "    .balign 2048\n"
    "    .global difftest_mmu_vectors\n"
    "difftest_mmu_vectors:\n"
    "    .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\n"
    "    .balign 128\n"
    "    str x0, [x28]\n"
    "    mov x0, #\\n\n"
    "    b difftest_mmu_entry\n"
    "    .endr\n"
    "difftest_mmu_entry:\n"
    "    str x1, [x28, #8]\n"
    "    stp x2, x3, [x28, #16]\n"
    "    stp x4, x5, [x28, #32]\n"
    "    stp x6, x7, [x28, #48]\n"
    "    stp x8, x9, [x28, #64]\n"
    "    stp x10, x11, [x28, #80]\n"
    "    stp x12, x13, [x28, #96]\n"
    "    stp x14, x15, [x28, #112]\n"
    "    stp x16, x17, [x28, #128]\n"
    "    stp x18, x19, [x28, #144]\n"
    "    stp x20, x21, [x28, #160]\n"
    "    stp x22, x23, [x28, #176]\n"
    "    stp x24, x25, [x28, #192]\n"
    "    stp x26, x27, [x28, #208]\n"
    "    stp x28, x29, [x28, #224]\n"
    "    str x30, [x28, #240]\n"
    "    mov x1, sp\n"
    "    str x1, [x28, #248]\n"
    "    mov x1, x0\n"
    "    mov x0, x28\n"
    "    adrp x2, __stack_top\n"
    "    add x2, x2, :lo12:__stack_top\n"
    "    mov sp, x2\n"
    "    bl difftest_mmu_exception\n"
    "    ldr x1, [x28, #248]\n"
    "    mov sp, x1\n"
    "    ldr x1, [x28, #8]\n"
    "    ldp x2, x3, [x28, #16]\n"
    "    ldp x4, x5, [x28, #32]\n"
    "    ldp x6, x7, [x28, #48]\n"
    "    ldp x8, x9, [x28, #64]\n"
    "    ldp x10, x11, [x28, #80]\n"
    "    ldp x12, x13, [x28, #96]\n"
    "    ldp x14, x15, [x28, #112]\n"
    "    ldp x16, x17, [x28, #128]\n"
    "    ldp x18, x19, [x28, #144]\n"
    "    ldp x20, x21, [x28, #160]\n"
    "    ldp x22, x23, [x28, #176]\n"
    "    ldp x24, x25, [x28, #192]\n"
    "    ldp x26, x27, [x28, #208]\n"
    "    ldr x29, [x28, #232]\n"
    "    ldr x30, [x28, #240]\n"
    "    ldr x0, [x28]\n"
    "    eret\n");

static void fail(const char *what, uint64_t a, uint64_t b)
{
    // No final "end": the harness reports an incomplete dump.
    printf("mmu runtime: %s (%016lx %016lx)\n", what, a, b);
    __poweroff();
}

// ---- building the tables ---------------------------------------------------

struct half {
    uint64_t *root;
    unsigned g;        // granule shift
    unsigned start;    // initial lookup level
    unsigned insize;   // 64 - TnSZ
};

static struct half halves[2];
static uint64_t tables_next;

static unsigned level_shift(unsigned g, unsigned level)
{
    return g + (3 - level) * (g - 3);
}

// Output address bits [47:g] of a descriptor (ARMv8.0, no FEAT_LPA).
static uint64_t oa_mask(unsigned g)
{
    return ((1UL << 48) - 1) & ~((1UL << g) - 1);
}

static uint64_t *table_alloc(unsigned g)
{
    uint64_t size = 1UL << g;
    uint64_t a = (tables_next + size - 1) & ~(size - 1);
    if (a + size > (uint64_t)__mmu_tables_end)
        fail("page-table pool exhausted", a, size);
    tables_next = a + size;
    uint64_t *t = (uint64_t *)a;
    for (uint64_t i = 0; i < size / 8; i++)
        t[i] = 0;
    return t;
}

// The entry of `level` on the walk of `va` (a table at that level must
// exist; with `create`, missing tables above it are made).
static uint64_t *entry(uint64_t va, unsigned level, int create)
{
    struct half *h = &halves[(va >> 55) & 1];
    if (!h->root)
        fail("no tables for this half", va, level);
    if (level < h->start || level > 3)
        fail("level outside the walk", va, level);
    uint64_t *t = h->root;
    for (unsigned l = h->start;; l++) {
        unsigned sh = level_shift(h->g, l);
        unsigned bits = l == h->start ? h->insize - sh : h->g - 3;
        uint64_t *e = &t[(va >> sh) & ((1UL << bits) - 1)];
        if (l == level)
            return e;
        if ((*e & 3) != 3) {
            if (*e != 0 || !create)
                fail("no table on the walk", va, l);
            uint64_t *n = table_alloc(h->g);
            *e = (uint64_t)n | 3;
            t = n;
        } else {
            t = (uint64_t *)(*e & oa_mask(h->g));
        }
    }
}

static void build_tables(const struct mmu_config *c)
{
    tables_next = (uint64_t)__mmu_tables_start;
    for (int n = 0; n < 2; n++) {
        struct half *h = &halves[n];
        h->g = c->gshift[n];
        h->insize = 64 - c->tsz[n];
        // Levels of lookup: enough (g - 3)-bit steps above the page offset.
        unsigned levels = (h->insize - h->g + (h->g - 3) - 1) / (h->g - 3);
        h->start = 4 - levels;
        h->root = c->nomap[n] ? 0 : table_alloc(h->g);
    }
    for (uint64_t i = 0; i < c->nmaps; i++) {
        const struct mmu_map *m = &difftest_mmu_maps[i];
        struct half *h = &halves[(m->va >> 55) & 1];
        uint64_t span = 1UL << level_shift(h->g, m->level);
        uint64_t pa = m->pa;
        for (uint64_t va = m->va; va != m->va_end; va += span, pa += span) {
            uint64_t *e = entry(va, m->level, 1);
            if (*e != 0)
                fail("two mappings of one entry", va, *e);
            *e = m->desc & 1 ? m->desc | pa : m->desc;
        }
    }
    for (uint64_t i = 0; i < c->ntattrs; i++) {
        const struct mmu_tattr *t = &difftest_mmu_tattrs[i];
        uint64_t *e = entry(t->va, t->level, t->kind == 1);
        if (t->kind == 1) {
            if (*e != 0)
                fail("bad table over a mapping", t->va, *e);
            *e = t->bits | t->pa | 3;
        } else {
            if ((*e & 3) != 3)
                fail("table attributes on a non-table", t->va, *e);
            *e |= t->bits;
        }
    }
    if (c->nevents > MAX_EVENTS || c->nasids > MAX_ASIDS || c->nasids == 0)
        fail("too many events or ASIDs", c->nevents, c->nasids);
    for (uint64_t i = 0; i < c->nevents; i++) {
        const struct mmu_event *ev = &difftest_mmu_events[i];
        uint64_t *e = entry(ev->va, ev->level, 0);
        difftest_mmu_slots[2 * i] = (uint64_t)e;
        difftest_mmu_slots[2 * i + 1] = ev->desc & 1 ? ev->desc | ev->pa : ev->desc;
    }
    for (uint64_t i = 0; i < c->nasids; i++)
        difftest_mmu_ttbr[i] = (uint64_t)halves[c->asid_ttbr].root | difftest_mmu_asids[i] << 48;
}

// DC CIVAC over [lo, hi), then DSB: what the runtime wrote through a
// cacheable mapping reaches memory, and no stale line stays in a cache.
static void clean_invalidate(uint64_t lo, uint64_t hi)
{
    uint64_t ctr;
    __asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
    uint64_t line = 4UL << ((ctr >> 16) & 15);
    for (uint64_t a = lo & ~(line - 1); a < hi; a += line)
        __asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
    __asm__ volatile("dsb sy" ::: "memory");
}

static void mmu_on(const struct mmu_config *c)
{
    // The tables were written with the MMU off (Non-cacheable); the walks
    // are Write-Back cacheable: clean and invalidate them to the PoC first.
    clean_invalidate((uint64_t)__mmu_tables_start, tables_next);
    uint64_t ttbr0 = (uint64_t)halves[0].root, ttbr1 = (uint64_t)halves[1].root;
    if (c->asid_ttbr)
        ttbr1 = difftest_mmu_ttbr[0];
    else
        ttbr0 = difftest_mmu_ttbr[0];
    __asm__ volatile(
        "dsb sy\n"
        "msr mair_el1, %0\n"
        "msr tcr_el1, %1\n"
        "msr ttbr0_el1, %2\n"
        "msr ttbr1_el1, %3\n"
        "isb\n"
        "tlbi vmalle1\n"
        "ic iallu\n"
        "dsb nsh\n"
        "isb\n"
        "msr sctlr_el1, %4\n"
        "isb\n" ::"r"(c->mair),
        "r"(c->tcr), "r"(ttbr0), "r"(ttbr1), "r"(c->sctlr)
        : "memory");
}

static void fill_pool(uint64_t seed)
{
    volatile uint64_t *p = (volatile uint64_t *)POOL_BASE;
    uint64_t x = seed | 1;
    for (uint64_t i = 0; i < POOL_BYTES / 8; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        switch (x >> 60) {
        case 0: p[i] = 0; break;
        case 1: p[i] = ~0UL; break;
        case 2: p[i] = x & 0xff; break;
        default: p[i] = x;
        }
    }
}

int main(void)
{
    const struct mmu_config *c = &difftest_mmu_config;
    build_tables(c);
    mmu_on(c);
    fill_pool(c->fill_seed);
    // The Device windows' pages were filled through the Write-Back
    // identity mapping.
    clean_invalidate(DEV_BASE, POOL_BASE + POOL_BYTES);
    difftest_body();
}

// ---- the fault log -----------------------------------------------------------

static uint64_t fault_count;
static uint64_t fault_hash = 0xcbf29ce484222325UL;
static uint64_t fault_log[LOG_MAX][3];
static int in_handler;

// ESR_EL1 of a Data Abort taken to EL1 without ISS[24:14]: whether ISV is
// set (with SAS, SSE, SRT, SF, AR) is IMPLEMENTATION DEFINED for aborts
// reported in ESR_EL1 (QEMU never sets it, a Cortex-A57 does).
static uint64_t esr_kept(uint64_t esr)
{
    if ((esr >> 26) == 0x25)
        esr &= ~(0x7ffUL << 14);
    return esr;
}

// The bytes `insn` accesses if it is a load/store pair of general-purpose
// registers (LDP, STP, LDPSW, LDNP, STNP; bits 29:26 = 1010), else 0.
static int pair_bytes(uint32_t insn)
{
    if ((insn & 0x3c000000) != 0x28000000)
        return 0;
    return insn >> 31 ? 16 : 8;
}

// A faulting load leaves its destination registers UNKNOWN: set them to
// POISON. Loads of general-purpose registers: the single-register
// classes (bits 29:27 = 111, V = 0), pairs (101, V = 0) and the
// exclusive / acquire-release class (bits 29:24 = 001000).
static void poison(uint32_t insn, uint64_t *frame)
{
    unsigned rt = insn & 31, rt2 = (insn >> 10) & 31;
    int load = 0, pair = 0;
    if ((insn & 0x3c000000) == 0x38000000) {
        unsigned opc = (insn >> 22) & 3, size = insn >> 30;
        load = opc != 0 && !(opc == 2 && size == 3);  // not PRFM
    } else if ((insn & 0x3c000000) == 0x28000000) {
        load = (insn >> 22) & 1;
        pair = 1;
    } else if ((insn & 0x3f000000) == 0x08000000) {
        load = (insn >> 22) & 1;
        pair = !((insn >> 23) & 1) && ((insn >> 21) & 1);
    }
    if (!load)
        return;
    if (rt != 31)
        frame[rt] = POISON;
    if (pair && rt2 != 31)
        frame[rt2] = POISON;
}

void difftest_mmu_exception(uint64_t *frame, uint64_t vector)
{
    uint64_t esr, far, elr, spsr;
    __asm__ volatile("mrs %0, esr_el1" : "=r"(esr));
    __asm__ volatile("mrs %0, far_el1" : "=r"(far));
    __asm__ volatile("mrs %0, elr_el1" : "=r"(elr));
    __asm__ volatile("mrs %0, spsr_el1" : "=r"(spsr));
    uint64_t ec = esr >> 26;
    if (in_handler) {
        printf("mmu runtime: exception in the handler: esr %08lx elr %016lx far %016lx\n", esr, elr, far);
        __poweroff();
    }
    if (vector == 4 && (ec == 0x25 || ec == 0x21) && fault_count < FAULT_LIMIT) {
        in_handler = 1;
        uint64_t resume, elr_logged;
        if (ec == 0x25) {
            uint32_t insn = *(volatile uint32_t *)elr;
            // A pair whose two accesses both fault may report either
            // address (the order of the two accesses is not defined):
            // the log keeps the FAR of the pair's naturally aligned block
            // (the generator only makes faulting pairs that are aligned).
            int pb = pair_bytes(insn);
            if (pb)
                far &= ~(uint64_t)(pb - 1);
            poison(insn, frame);
            resume = elr + 4;
            elr_logged = elr - (uint64_t)difftest_body;
        } else {
            // Instruction Abort: the generated code reaches other pages
            // only with BLR, so X30 is where to go on.
            resume = frame[30];
            elr_logged = elr;
        }
        // With TBI for the half of FAR, FAR[63:56] of a Data Abort is
        // UNKNOWN in ARMv8.0.
        uint64_t tcr;
        __asm__ volatile("mrs %0, tcr_el1" : "=r"(tcr));
        if (ec == 0x25 && ((tcr >> (far >> 55 & 1 ? 38 : 37)) & 1))
            far &= (1UL << 56) - 1;
        esr = esr_kept(esr);
        uint64_t rec[3] = {esr, far, elr_logged};
        for (int k = 0; k < 3; k++) {
            fault_hash ^= rec[k];
            fault_hash *= 0x100000001b3UL;
            fault_hash ^= fault_hash >> 29;
        }
        if (fault_count < LOG_MAX)
            for (int k = 0; k < 3; k++)
                fault_log[fault_count][k] = rec[k];
        fault_count++;
        __asm__ volatile("msr elr_el1, %0" ::"r"(resume));
        in_handler = 0;
        return;
    }
    frame[33] = 1;
    frame[34] = vector;
    frame[35] = esr;
    frame[36] = elr;
    frame[37] = far;
    frame[38] = spsr;
    difftest_mmu_finish(frame);
}

void difftest_mmu_finish(uint64_t *frame)
{
    in_handler = 1;
    if (frame[33]) {
        uint64_t esr = frame[35], ec = esr >> 26;
        printf("exception vector %lu esr %08lx elr %016lx spsr %08lx\n", frame[34], esr_kept(esr),
               frame[36], frame[38]);
        if (ec == 0x20 || ec == 0x21 || ec == 0x22 || ec == 0x24 || ec == 0x25)
            printf("far %016lx\n", frame[37]);
    }
    for (int n = 0; n < 31; n++)
        printf("x%02d %016lx\n", n, frame[n]);
    printf("sp  %016lx\n", frame[31]);
    // After an exception, NZCV as it was is in SPSR (QEMU 7.2 clears
    // PSTATE.NZCV on exception entry).
    printf("nzcv %lx\n", (frame[33] ? frame[38] : frame[32]) >> 28);
    printf("faults %lu hash %016lx\n", fault_count, fault_hash);
    for (uint64_t i = 0; i < fault_count && i < LOG_MAX; i++) {
        uint64_t esr = fault_log[i][0];
        if ((esr >> 26) == 0x21)
            printf("fault esr %08lx far %016lx pc %016lx\n", esr, fault_log[i][1], fault_log[i][2]);
        else
            printf("fault esr %08lx far %016lx at +%lx\n", esr, fault_log[i][1], fault_log[i][2]);
    }
    // The data pages, through the fixed identity mapping (after dropping
    // any line of the Device part a speculative read may have cached).
    clean_invalidate(DEV_BASE, POOL_BASE + POOL_BYTES);
    for (uint64_t c = 0; c < POOL_BYTES / CHUNK_BYTES; c++) {
        const volatile uint64_t *p = (const volatile uint64_t *)(POOL_BASE + c * CHUNK_BYTES);
        uint64_t h = 0xcbf29ce484222325UL;
        for (uint64_t i = 0; i < CHUNK_BYTES / 8; i++) {
            h ^= p[i];
            h *= 0x100000001b3UL;
            h ^= h >> 29;
        }
        printf("pool%02lu %016lx\n", c, h);
    }
    puts("end");
    __poweroff();
}
