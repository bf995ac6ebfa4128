// SPDX-License-Identifier: MIT OR Apache-2.0
//
// The GICv2 of the `virt` board (ARM IHI 0048B, "ARM Generic Interrupt
// Controller Architecture Specification, versions 1.0 and 2.0"): register
// reset values and read-back masks, the pending/active state machine
// driven through the distributor, acknowledge (GICC_IAR) in priority order
// with the running priority (GICC_RPR) and the highest pending interrupt
// (GICC_HPPIR), priority masking, binary point, SGIs, interrupt groups, and
// IRQ and FIQ exceptions with preemption.  One CPU interface, no Security
// Extensions.  Unless a test says otherwise PSTATE.I is set, so interrupts
// are only looked at through the registers.
#include "irq.h"

static void r32(const char *label, uint32_t v)
{
    printf("%s = %08x\n", label, v);
}

// Write `v` to the distributor register at `off`, print what reads back.
static void dist_wr(const char *label, uint32_t off, uint32_t v)
{
    gicd_write(off, v);
    printf("%s: write %08x, read %08x\n", label, v, gicd_read(off));
}

static void cpu_wr(const char *label, uint32_t off, uint32_t v)
{
    gicc_write(off, v);
    printf("%s: write %08x, read %08x\n", label, v, gicc_read(off));
}

// SPIs 40..49, the ones the state tests use: bit i = SPI 40 + i.
static unsigned spi_bits(uint32_t bank1)
{
    return (bank1 >> 8) & 0x3ff;
}

// The CPU interface state in one line: RPR, HPPIR, pending and active.
static void state(const char *label)
{
    uint32_t rpr = gicc_read(GICC_RPR), hppir = gicc_read(GICC_HPPIR);
    printf("  %-28s rpr=%02x hppir=%4u pending(40..49)=%03x active=%03x\n", label, rpr, hppir,
           spi_bits(gicd_read(GICD_ISPENDR + 4)), spi_bits(gicd_read(GICD_ISACTIVER + 4)));
}

static uint32_t ack(const char *label)
{
    uint32_t iar = gicc_read(GICC_IAR);
    printf("  %-28s iar=%08x (id %u)\n", label, iar, iar & 0x3ff);
    return iar;
}

static void eoi(uint32_t iar)
{
    gicc_write(GICC_EOIR, iar);
}

// Synchronous exceptions taken (an unimplemented instruction, skipped).
static uint64_t sync_taken;

// ISR_EL1 (ARM ARM, "ISR_EL1, Interrupt Status Register"): bit 7 = an IRQ
// is pending at the PE, bit 6 = an FIQ, whatever PSTATE's masks.  0xdead
// if the MRS trapped.
static uint64_t isr_read(void)
{
    uint64_t v = 0xdead;
    __asm__ volatile("mrs %0, isr_el1" : "+r"(v));
    return v;
}

// ---------------------------------------------------------------------------
// Exceptions.  The handler acknowledges, prints, runs the test's action for
// the interrupt, and signals end of interrupt.

static uint64_t mark;       // address the interrupt is expected at (ELR)
static volatile int depth;  // interrupt handlers running
static volatile int taken;  // interrupts taken so far
static void (*action)(unsigned id);

void handle_exception(uint64_t idx, struct frame *f)
{
    if (idx == V_CUR_SPX_SYNC) {
        // An instruction Chimera or QEMU does not implement: skip it.
        uint64_t esr = esr_read();
        printf("  sync exception: esr=%08lx ec=%02lx, skipped\n", esr, ESR_EC(esr));
        sync_taken++;
        f->elr += 4;
        return;
    }
    if (idx != V_CUR_SPX_IRQ && idx != V_CUR_SPX_FIQ) {
        printf("*** EXCEPTION unexpected: vector %lu esr=%08lx elr=%lx\n", idx, esr_read(), f->elr);
        __poweroff();
    }
    uint32_t iar = gicc_read(GICC_IAR);
    unsigned id = iar & 0x3ff;
    int d = ++depth;
    taken++;
    printf("  %*s%s: VBAR+0x%03lx iar=%08x rpr=%02x depth=%d elr=", (d - 1) * 2, "",
           idx == V_CUR_SPX_IRQ ? "irq" : "fiq", idx * 0x80, iar, gicc_read(GICC_RPR), d);
    if (f->elr == mark)
        printf("mark");
    else if (f->elr > mark)
        printf("mark+%lu", f->elr - mark);
    else
        printf("mark-%lu", mark - f->elr);
    printf(" spsr.M/DAIF=%03lx\n", f->spsr & 0x3ff);
    if (id < 1020) {
        if (action)
            action(id);
        eoi(iar);
    }
    printf("  %*send %u: rpr=%02x\n", (d - 1) * 2, "", id, gicc_read(GICC_RPR));
    depth--;
}

// PSTATE.I cleared at `mark` and set again: a pending IRQ is taken with
// ELR = mark (the instruction after MSR DAIFClr).
static void unmask_at_mark(void)
{
    __asm__ volatile("adr x16, 1f\n\t"
                     "str x16, [%0]\n\t"
                     "msr daifclr, #2\n"
                     "1: msr daifset, #2"
                     : : "r"(&mark) : "x16", "memory");
}

static void unmask_fiq_at_mark(void)
{
    __asm__ volatile("adr x16, 1f\n\t"
                     "str x16, [%0]\n\t"
                     "msr daifclr, #1\n"
                     "1: msr daifset, #1"
                     : : "r"(&mark) : "x16", "memory");
}

// The preemption test's action: inside the handler of SPI 46 (priority
// 0xc0), make SPI 47 (0x40, higher) and SPI 48 (0xe0, lower) pending and
// clear PSTATE.I.  47 preempts at once (nested); 48 waits until 46 ends.
static void nest_action(unsigned id)
{
    if (id != 46)
        return;
    gic_pend(47);
    gic_pend(48);
    state("in 46, 47 and 48 pending:");
    uint64_t outer = mark;
    unmask_at_mark();
    mark = outer;
    state("in 46 after unmask:");
}

int main(void)
{
    printf("gic: begin\n");
    irq_install();

    // --- Identification and reset state (IHI 0048B 4.3.1-4.3.3, 4.3.18;
    // 4.4.1-4.4.3, 4.4.6-4.4.8, 4.4.14).
    r32("GICD_CTLR", gicd_read(GICD_CTLR));
    r32("GICD_TYPER", gicd_read(GICD_TYPER));
    printf("  ITLinesNumber=%u (%u interrupts) CPUNumber=%u SecurityExtn=%u\n",
           gicd_read(GICD_TYPER) & 0x1f, 32 * ((gicd_read(GICD_TYPER) & 0x1f) + 1),
           (gicd_read(GICD_TYPER) >> 5) & 7, (gicd_read(GICD_TYPER) >> 10) & 1);
    r32("GICD_IIDR", gicd_read(GICD_IIDR));
    printf("GICD ID registers 0xfd0..0xffc =");
    for (uint32_t off = 0xfd0; off < 0x1000; off += 4)
        printf(" %02x", gicd_read(off));
    printf("\n");
    r32("GICC_CTLR", gicc_read(GICC_CTLR));
    r32("GICC_PMR", gicc_read(GICC_PMR));
    r32("GICC_BPR", gicc_read(GICC_BPR));
    r32("GICC_ABPR", gicc_read(GICC_ABPR));
    r32("GICC_RPR", gicc_read(GICC_RPR));
    r32("GICC_HPPIR", gicc_read(GICC_HPPIR));
    r32("GICC_IIDR", gicc_read(GICC_IIDR));
    r32("GICD_ISENABLER0 (SGIs and PPIs)", gicd_read(GICD_ISENABLER));
    r32("GICD_ISENABLER1", gicd_read(GICD_ISENABLER + 4));
    r32("GICD_IGROUPR0", gicd_read(GICD_IGROUPR));
    r32("GICD_IGROUPR1", gicd_read(GICD_IGROUPR + 4));
    r32("GICD_ICFGR0 (SGIs)", gicd_read(GICD_ICFGR));
    r32("GICD_ICFGR1 (PPIs)", gicd_read(GICD_ICFGR + 4));
    r32("GICD_ICFGR2 (SPIs 32-47)", gicd_read(GICD_ICFGR + 8));
    r32("GICD_IPRIORITYR0 (SGIs 0-3)", gicd_read(GICD_IPRIORITYR));
    r32("GICD_IPRIORITYR8 (SPIs 32-35)", gicd_read(GICD_IPRIORITYR + 32));

    // --- Distributor read-back (4.3.1, 4.3.4, 4.3.5, 4.3.6).  GICD_CTLR
    // has EnableGrp0 and EnableGrp1 when grouping is implemented.
    dist_wr("GICD_CTLR", GICD_CTLR, 0xffffffff);
    dist_wr("GICD_CTLR", GICD_CTLR, 0);
    dist_wr("GICD_IGROUPR1", GICD_IGROUPR + 4, 0xffffffff);
    dist_wr("GICD_IGROUPR1", GICD_IGROUPR + 4, 0);
    // SGIs: whether their enable bits are fixed is IMPLEMENTATION DEFINED
    // (4.3.5).
    gicd_write(GICD_ICENABLER, 0xffffffff);
    r32("ICENABLER0 <- ffffffff, then ISENABLER0", gicd_read(GICD_ISENABLER));
    gicd_write(GICD_ISENABLER, 0xffffffff);
    r32("ISENABLER0 <- ffffffff, then ISENABLER0", gicd_read(GICD_ISENABLER));
    r32("  ICENABLER0 reads the same", gicd_read(GICD_ICENABLER));
    gicd_write(GICD_ICENABLER, 0xffffffff);
    r32("ICENABLER0 <- ffffffff, then ISENABLER0", gicd_read(GICD_ISENABLER));
    gicd_write(GICD_ISENABLER + 4, 0x0000ff00);
    r32("ISENABLER1 <- 0000ff00, then ISENABLER1", gicd_read(GICD_ISENABLER + 4));
    gicd_write(GICD_ICENABLER + 4, 0x00000f00);
    r32("ICENABLER1 <- 00000f00, then ICENABLER1", gicd_read(GICD_ICENABLER + 4));
    gicd_write(GICD_ICENABLER + 4, 0xffffffff);
    r32("ICENABLER1 <- ffffffff, then ISENABLER1", gicd_read(GICD_ISENABLER + 4));
    // Beyond ITLinesNumber: RAZ/WI (4.3.5 and 4.1.2).
    dist_wr("GICD_ISENABLER9 (INTIDs 288-319)", GICD_ISENABLER + 36, 0xffffffff);

    // Priorities (4.3.11): byte accessible; unimplemented low-order bits
    // are RAZ/WI, so writing 0xff shows how many bits there are.
    gicd_write8(GICD_IPRIORITYR + 32, 0xff);
    gicd_write8(GICD_IPRIORITYR + 33, 0x80);
    gicd_write8(GICD_IPRIORITYR + 34, 0x5a);
    gicd_write8(GICD_IPRIORITYR + 35, 0x01);
    r32("IPRIORITYR bytes 32..35 <- ff 80 5a 01, word", gicd_read(GICD_IPRIORITYR + 32));
    gicd_write(GICD_IPRIORITYR + 36, 0x12345678);
    printf("IPRIORITYR word 36..39 <- 12345678, bytes = %02x %02x %02x %02x\n",
           gicd_read8(GICD_IPRIORITYR + 36), gicd_read8(GICD_IPRIORITYR + 37),
           gicd_read8(GICD_IPRIORITYR + 38), gicd_read8(GICD_IPRIORITYR + 39));
    gicd_write8(GICD_IPRIORITYR + 0, 0xff);
    gicd_write8(GICD_IPRIORITYR + 27, 0xa7);
    printf("IPRIORITYR SGI 0 <- ff: %02x, PPI 27 <- a7: %02x\n", gicd_read8(GICD_IPRIORITYR + 0),
           gicd_read8(GICD_IPRIORITYR + 27));
    r32("IPRIORITYR for INTID 288 (none)", gicd_read(GICD_IPRIORITYR + 288));

    // Targets (4.3.12): on a uniprocessor GIC "all interrupts target the
    // one processor, and the GICD_ITARGETSRs are RAZ/WI"; otherwise the
    // SGI/PPI bytes read as this CPU's bit.
    r32("ITARGETSR0 (SGIs 0-3)", gicd_read(GICD_ITARGETSR));
    r32("ITARGETSR7 (PPIs 28-31)", gicd_read(GICD_ITARGETSR + 28));
    r32("ITARGETSR8 (SPIs 32-35)", gicd_read(GICD_ITARGETSR + 32));
    dist_wr("ITARGETSR8", GICD_ITARGETSR + 32, 0x01010101);
    gicd_write8(GICD_ITARGETSR + 33, 0xff);
    r32("ITARGETSR byte 33 <- ff, word 8", gicd_read(GICD_ITARGETSR + 32));

    // Configuration (4.3.13): two bits per interrupt, bit 1 edge-triggered,
    // bit 0 reserved in GICv2; SGIs read-only; PPIs IMPLEMENTATION DEFINED.
    dist_wr("GICD_ICFGR0 (SGIs)", GICD_ICFGR, 0);
    uint32_t ppi_cfg = gicd_read(GICD_ICFGR + 4);
    dist_wr("GICD_ICFGR1 (PPIs)", GICD_ICFGR + 4, 0xffffffff);
    dist_wr("GICD_ICFGR1 (PPIs)", GICD_ICFGR + 4, ppi_cfg);
    dist_wr("GICD_ICFGR2 (SPIs 32-47)", GICD_ICFGR + 8, 0x55555555);
    dist_wr("GICD_ICFGR2 (SPIs 32-47)", GICD_ICFGR + 8, 0xffffffff);
    dist_wr("GICD_ICFGR2 (SPIs 32-47)", GICD_ICFGR + 8, 0);

    // --- CPU interface read-back (4.4.1-4.4.3, 4.4.8, 4.4.12).
    cpu_wr("GICC_PMR", GICC_PMR, 0xff);
    cpu_wr("GICC_PMR", GICC_PMR, 0x5a);
    cpu_wr("GICC_PMR", GICC_PMR, 0x1ff);
    cpu_wr("GICC_PMR", GICC_PMR, 0);
    cpu_wr("GICC_BPR", GICC_BPR, 7);
    cpu_wr("GICC_BPR", GICC_BPR, 0xff);
    cpu_wr("GICC_BPR", GICC_BPR, 0);
    cpu_wr("GICC_ABPR", GICC_ABPR, 0);
    cpu_wr("GICC_ABPR", GICC_ABPR, 7);
    cpu_wr("GICC_ABPR", GICC_ABPR, 0);
    cpu_wr("GICC_CTLR", GICC_CTLR, 0xffffffff);
    cpu_wr("GICC_CTLR", GICC_CTLR, 0);
    r32("GICC_APR0", gicc_read(GICC_APR0));

    // --- Pending and active state through the distributor (4.3.7-4.3.10).
    // The SPIs used from here on: 40..49, priorities set per test.
    for (unsigned id = 40; id < 50; id++)
        gic_priority(id, 0x80);
    gicd_write(GICD_ISPENDR + 4, 1u << 8);
    printf("ISPENDR1 <- SPI 40: ISPENDR1=%08x ICPENDR1=%08x\n", gicd_read(GICD_ISPENDR + 4),
           gicd_read(GICD_ICPENDR + 4));
    gicd_write(GICD_ICPENDR + 4, 1u << 8);
    r32("ICPENDR1 <- SPI 40: ISPENDR1", gicd_read(GICD_ISPENDR + 4));
    gicd_write(GICD_ISACTIVER + 4, 3u << 8);
    printf("ISACTIVER1 <- SPIs 40,41: ISACTIVER1=%08x ICACTIVER1=%08x\n",
           gicd_read(GICD_ISACTIVER + 4), gicd_read(GICD_ICACTIVER + 4));
    gicd_write(GICD_ICACTIVER + 4, 1u << 8);
    r32("ICACTIVER1 <- SPI 40: ISACTIVER1", gicd_read(GICD_ISACTIVER + 4));
    gicd_write(GICD_ICACTIVER + 4, 0xffffffff);
    r32("ICACTIVER1 <- all: ISACTIVER1", gicd_read(GICD_ISACTIVER + 4));
    // SGI pending bits are not set by GICD_ISPENDR (4.3.7) but by
    // GICD_SGIR and GICD_SPENDSGIR, one bit per source CPU (4.3.15-4.3.17).
    gicd_write(GICD_ISPENDR, 0x0000ffff);
    r32("ISPENDR0 <- 0000ffff: ISPENDR0", gicd_read(GICD_ISPENDR));
    gicd_write8(GICD_SPENDSGIR + 2, 0x01);
    printf("SPENDSGIR byte 2 <- 01: ISPENDR0=%08x SPENDSGIR0=%08x\n", gicd_read(GICD_ISPENDR),
           gicd_read(GICD_SPENDSGIR));
    gicd_write8(GICD_CPENDSGIR + 2, 0x01);
    printf("CPENDSGIR byte 2 <- 01: ISPENDR0=%08x SPENDSGIR0=%08x\n", gicd_read(GICD_ISPENDR),
           gicd_read(GICD_SPENDSGIR));

    // --- SGIs (4.3.15 GICD_SGIR: TargetListFilter [25:24], CPUTargetList
    // [23:16], SGIINTID [3:0]).
    gicd_write(GICD_SGIR, (2u << 24) | 3);
    printf("SGIR filter=10 (self) id 3: ISPENDR0=%08x SPENDSGIR0=%08x\n", gicd_read(GICD_ISPENDR),
           gicd_read(GICD_SPENDSGIR));
    gicd_write(GICD_SGIR, (1u << 24) | 4);
    r32("SGIR filter=01 (all others) id 4: ISPENDR0", gicd_read(GICD_ISPENDR));
    gicd_write(GICD_SGIR, (0u << 24) | (0x02u << 16) | 6);
    r32("SGIR filter=00 list=02 (no such CPU) id 6: ISPENDR0", gicd_read(GICD_ISPENDR));
    gicd_write(GICD_SGIR, (0u << 24) | (0x01u << 16) | 5);
    r32("SGIR filter=00 list=01 id 5: ISPENDR0", gicd_read(GICD_ISPENDR));
    gicd_write8(GICD_IPRIORITYR + 3, 0x80);
    gicd_write8(GICD_IPRIORITYR + 5, 0x80);
    gic_on(0xf0);
    printf("SGIs 3 and 5 pending at priority 80, CPU interface on:\n");
    uint32_t a = ack("IAR:");
    eoi(a);
    a = ack("IAR:");
    eoi(a);
    ack("IAR:");
    r32("  ISPENDR0", gicd_read(GICD_ISPENDR));

    // --- Acknowledge in priority order (3.2.4 "Interrupt handling state
    // machine", 3.3 "Interrupt prioritization", 4.4.4-4.4.7).  Enabled
    // SPIs 40 (a0), 41 (40), 42 (80); PSTATE.I is set, so nothing is taken.
    for (unsigned id = 40; id < 50; id++)
        gic_enable(id);
    gic_priority(40, 0xa0);
    gic_priority(41, 0x40);
    gic_priority(42, 0x80);
    printf("SPIs 40 (a0), 41 (40), 42 (80) pending together:\n");
    gic_pend(40);
    gic_pend(41);
    gic_pend(42);
    state("pending:");
    uint32_t i41 = ack("IAR:");
    state("41 active:");
    ack("IAR (42 is not higher):");
    eoi(i41);
    state("EOIR 41:");
    uint32_t i42 = ack("IAR:");
    state("42 active:");
    eoi(i42);
    uint32_t i40 = ack("IAR:");
    eoi(i40);
    state("EOIR 40:");
    ack("IAR (none):");

    printf("preemption by acknowledge: 40, then 41, then 42 pending:\n");
    gic_pend(40);
    i40 = ack("IAR:");
    gic_pend(41);
    i41 = ack("IAR (41 preempts 40):");
    gic_pend(42);
    state("40, 41 active; 42 pending:");
    printf("  APR0..3 = %08x %08x %08x %08x\n", gicc_read(GICC_APR0), gicc_read(GICC_APR0 + 4),
           gicc_read(GICC_APR0 + 8), gicc_read(GICC_APR0 + 12));
    ack("IAR (42 is below 41):");
    eoi(i41);
    state("EOIR 41:");
    i42 = ack("IAR (42 preempts 40):");
    eoi(i42);
    state("EOIR 42:");
    eoi(i40);
    state("EOIR 40:");
    printf("  APR0..3 = %08x %08x %08x %08x\n", gicc_read(GICC_APR0), gicc_read(GICC_APR0 + 4),
           gicc_read(GICC_APR0 + 8), gicc_read(GICC_APR0 + 12));

    // Binary point (3.3 "Priority grouping", 4.4.3): preemption compares
    // group priorities only.  40 at 4c active, 41 at 44 pending: with
    // BPR=0 (group = bits [7:1]) 41 preempts; with BPR=3 (bits [7:4]) both
    // are group 40 and it does not.
    gic_priority(40, 0x4c);
    gic_priority(41, 0x44);
    for (uint32_t bpr = 0; bpr <= 3; bpr += 3) {
        gicc_write(GICC_BPR, bpr);
        printf("BPR=%u: 40 (4c) active, 41 (44) pending:\n", bpr);
        gic_pend(40);
        i40 = ack("IAR:");
        gic_pend(41);
        state("40 active, 41 pending:");
        i41 = ack("IAR:");
        if ((i41 & 0x3ff) != SPURIOUS)
            eoi(i41);
        eoi(i40);
        if ((i41 & 0x3ff) == SPURIOUS) {
            i41 = ack("IAR after EOIR 40:");
            eoi(i41);
        }
        state("done:");
    }
    gicc_write(GICC_BPR, 0);

    // Priority mask (3.3, 4.4.2): only priorities numerically below PMR are
    // signalled.  ISR_EL1.I shows the IRQ line at the PE.
    gic_priority(43, 0x80);
    gic_pend(43);
    gicc_write(GICC_PMR, 0x80);
    printf("SPI 43 (80) pending, PMR=80:\n");
    state("masked:");
    printf("  ISR_EL1=%03lx\n", isr_read());
    ack("IAR:");
    gicc_write(GICC_PMR, 0x81);
    printf("PMR=81:\n");
    state("unmasked:");
    printf("  ISR_EL1=%03lx\n", isr_read());
    uint32_t i43 = ack("IAR:");
    printf("  ISR_EL1 with 43 active=%03lx\n", isr_read());
    eoi(i43);
    gicc_write(GICC_PMR, 0xf0);

    // Groups (3.4 "The effect of interrupt grouping on interrupt handling",
    // 4.4.1 GICC_CTLR.AckCtl, 4.4.4): without AckCtl a Group 1 interrupt is
    // acknowledged as 1022.
    gicd_write(GICD_IGROUPR + 4, 1u << 12);
    gicd_write(GICD_CTLR, 3);
    gicc_write(GICC_CTLR, 3);
    gic_pend(44);
    printf("SPI 44 in Group 1, pending; GICC_CTLR=3 (AckCtl=0):\n");
    state("pending:");
    ack("IAR:");
    gicc_write(GICC_CTLR, 7);
    printf("GICC_CTLR=7 (AckCtl=1):\n");
    state("pending:");
    uint32_t i44 = ack("IAR:");
    eoi(i44);
    state("EOIR:");
    gicd_write(GICD_IGROUPR + 4, 0);
    gicd_write(GICD_CTLR, 1);
    gicc_write(GICC_CTLR, 1);

    // --- IRQ exceptions (ARM ARM D1.10.2 vector offsets; IHI 0048B 3.2
    // "General handling of interrupts").
    gic_pend(45);
    uint64_t isr = isr_read();
    printf("SPI 45 pending, PSTATE.I set: taken=%d ISR_EL1=%03lx\n", taken, isr);
    printf("clear PSTATE.I:\n");
    unmask_at_mark();
    printf("  taken=%d\n", taken);

    gicc_write(GICC_CTLR, 0);
    gic_pend(45);
    printf("SPI 45 pending, GICC_CTLR=0, PSTATE.I clear: ");
    unmask_at_mark();
    printf("taken=%d ISR_EL1=%03lx\n", taken, isr_read());
    printf("GICC_CTLR=1 with PSTATE.I clear, then DSB, ISB:\n");
    irq_unmask();
    __asm__ volatile("adr x16, 1f\n\t"
                     "str x16, [%0]\n\t"
                     "str %w1, [%2]\n\t"
                     "dsb sy\n\t"
                     "isb\n"
                     "1: msr daifset, #2"
                     : : "r"(&mark), "r"(1), "r"(GICC_BASE + GICC_CTLR) : "x16", "memory");
    printf("  taken=%d\n", taken);

    // Preemption (3.3 "Interrupt prioritization"): a higher priority
    // interrupt preempts an active one once PSTATE.I is clear in its
    // handler; a lower one waits for the end of the first.
    gic_priority(46, 0xc0);
    gic_priority(47, 0x40);
    gic_priority(48, 0xe0);
    action = nest_action;
    printf("SPI 46 (c0) pending; its handler pends 47 (40) and 48 (e0):\n");
    gic_pend(46);
    unmask_at_mark();
    action = 0;
    state("after:");

    // Edge-triggered SPI: pending latched; ICPENDR removes it before it is
    // taken (4.3.8).
    gicd_write(GICD_ICFGR + 12, 2u << 2); // SPI 49 edge-triggered
    gic_pend(49);
    gic_unpend(49);
    printf("SPI 49 (edge) pended then cleared, PSTATE.I clear: ");
    unmask_at_mark();
    printf("taken=%d\n", taken);

    // FIQ: with GICC_CTLR.FIQEn, Group 0 interrupts are signalled as FIQ
    // (IHI 0048B 4.4.1); taken at VBAR+0x300.
    gicc_write(GICC_CTLR, 9);
    gic_pend(49);
    printf("GICC_CTLR=9 (FIQEn), SPI 49 pending: ISR_EL1=%03lx\n", isr_read());
    printf("clear PSTATE.I only: ");
    unmask_at_mark();
    printf("taken=%d\n", taken);
    printf("clear PSTATE.F:\n");
    unmask_fiq_at_mark();
    printf("  taken=%d\n", taken);
    gicc_write(GICC_CTLR, 1);

    printf("sync exceptions skipped: %lu\n", sync_taken);
    printf("gic: end\n");
    return 0;
}
