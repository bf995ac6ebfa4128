// SPDX-License-Identifier: MIT OR Apache-2.0
//
// The generic timer (ARM ARM D11 "The Generic Timer in AArch64 state",
// and the descriptions of its System registers): the counters, the EL1
// virtual and physical timers' CTL/CVAL/TVAL, their interrupts through the
// GICv2 (PPIs 27 and 30 on `virt`), IMASK, WFI with PSTATE.I set, and
// CNTKCTL_EL1's control of EL0 accesses.  Nothing printed depends on host timing: times are shown as
// comparisons ("yes"/"no") that hold whatever the speed of the run.
#include "irq.h"

#define MRS(reg) ({ uint64_t v_; __asm__ volatile("mrs %0, " #reg : "=r"(v_) : : "memory"); v_; })
#define MSR(reg, v) __asm__ volatile("msr " #reg ", %0\n\tisb" : : "r"((uint64_t)(v)) : "memory")

// CNTV_CTL_EL0 and CNTP_CTL_EL0 bits.
#define CTL_ENABLE  1
#define CTL_IMASK   2
#define CTL_ISTATUS 4

// The counters, read after an ISB so they are not read early (D11.2.1
// "The physical counter", D11.2.2 "The virtual counter").
static inline uint64_t vcount(void)
{
    __asm__ volatile("isb" ::: "memory");
    return MRS(cntvct_el0);
}

static inline uint64_t pcount(void)
{
    __asm__ volatile("isb" ::: "memory");
    return MRS(cntpct_el0);
}

static const char *yn(int c)
{
    return c ? "yes" : "no";
}

// Slack for "about now": far more ticks than any of these checks take
// (1 s at 62.5 MHz), far fewer than the distances they tell apart.
#define SLACK 62500000UL

// ---------------------------------------------------------------------------
// Exceptions: timer IRQs (the handler stops the timer that fired, so its
// level-sensitive output falls) and the way back from EL0.

static uint64_t mark;
static volatile int taken;
static volatile unsigned last_id;
static volatile uint64_t last_elr, seen_ctl, seen_late;
static volatile uint64_t el0_trap_esr; // ESR of the EL0 run's trap, 0 if it ended with SVC

void handle_exception(uint64_t idx, struct frame *f)
{
    if (idx == V_LOW64_SYNC) {
        // From EL0: the SVC ending the snippet, or a trapped access.
        uint64_t esr = esr_read();
        el0_trap_esr = ESR_EC(esr) == EC_SVC64 ? 0 : esr;
        el0_exit(f, f->x[0]);
        return;
    }
    if (idx == V_CUR_SPX_SYNC) {
        // An instruction the emulator does not implement: skip it.
        uint64_t esr = esr_read();
        printf("  sync exception: esr=%08lx ec=%02lx, skipped\n", esr, ESR_EC(esr));
        f->elr += 4;
        return;
    }
    if (idx != V_CUR_SPX_IRQ) {
        printf("*** EXCEPTION unexpected: vector %lu esr=%08lx elr=%lx\n", idx, esr_read(), f->elr);
        __poweroff();
    }
    uint32_t iar = gicc_read(GICC_IAR);
    last_id = iar & 0x3ff;
    last_elr = f->elr;
    if (last_id == INTID_VTIMER) {
        seen_ctl = MRS(cntv_ctl_el0);
        seen_late = vcount() >= MRS(cntv_cval_el0);
        MSR(cntv_ctl_el0, 0);
    } else if (last_id == INTID_PTIMER) {
        seen_ctl = MRS(cntp_ctl_el0);
        seen_late = pcount() >= MRS(cntp_cval_el0);
        MSR(cntp_ctl_el0, 0);
    }
    if (last_id < 1020)
        gicc_write(GICC_EOIR, iar);
    taken++;
}

// ISR_EL1 ("Interrupt Status Register"): bit 7 = an IRQ is pending at the
// PE, whatever PSTATE.I.  0xdead if the MRS trapped.
static uint64_t isr_read(void)
{
    uint64_t v = 0xdead;
    __asm__ volatile("mrs %0, isr_el1" : "+r"(v));
    return v;
}

static void unmask_at_mark(void)
{
    __asm__ volatile("adr x16, 1f\n\t"
                     "str x16, [%0]\n\t"
                     "msr daifclr, #2\n"
                     "1: msr daifset, #2"
                     : : "r"(&mark) : "x16", "memory");
}

// Sleep until an interrupt is taken: WFI with PSTATE.I set (it still
// wakes: ARM ARM "Wait for Interrupt"), then unmask so the interrupt is
// taken, and again.
static void wait_irq(void)
{
    int before = taken;
    while (taken == before) {
        __asm__ volatile("wfi" ::: "memory");
        irq_unmask();
        irq_mask();
    }
}

static void pending_ppis(const char *label)
{
    uint32_t p = gicd_read(GICD_ISPENDR);
    printf("  %s: PPI 27 pending=%u PPI 30 pending=%u\n", label, (p >> 27) & 1, (p >> 30) & 1);
}

// ---------------------------------------------------------------------------
// EL0 accesses (D11.2 and the descriptions of CNTKCTL_EL1 and of each
// register's "Accessibility").  Each snippet does one access and an SVC;
// a trapped access comes back as EC 0x18 (D17.2.37 ESR_EL1).

__asm__(".text\n"
        ".balign 8\n"
        "el0_cntvct: mrs x0, cntvct_el0\n svc #0\n"
        "el0_cntpct: mrs x0, cntpct_el0\n svc #0\n"
        "el0_cntfrq: mrs x0, cntfrq_el0\n svc #0\n"
        "el0_cntv_ctl: mrs x0, cntv_ctl_el0\n svc #0\n"
        "el0_cntv_cval: mrs x0, cntv_cval_el0\n svc #0\n"
        "el0_cntv_tval: mrs x0, cntv_tval_el0\n svc #0\n"
        "el0_cntv_ctl_w: msr cntv_ctl_el0, xzr\n mov x0, #0\n svc #0\n"
        "el0_cntp_ctl: mrs x0, cntp_ctl_el0\n svc #0\n"
        "el0_cntp_cval_w: msr cntp_cval_el0, x1\n mov x0, #0\n svc #0\n"
        "el0_cntkctl: mrs x0, cntkctl_el1\n svc #0\n");

extern char el0_cntvct[], el0_cntpct[], el0_cntfrq[], el0_cntv_ctl[], el0_cntv_cval[];
extern char el0_cntv_tval[], el0_cntv_ctl_w[], el0_cntp_ctl[], el0_cntp_cval_w[], el0_cntkctl[];

static const struct {
    const char *name;
    char *code;
    int show_value; // the value read is deterministic: print it
} el0_accesses[] = {
    {"mrs cntvct_el0", el0_cntvct, 0},
    {"mrs cntpct_el0", el0_cntpct, 0},
    {"mrs cntfrq_el0", el0_cntfrq, 1},
    {"mrs cntv_ctl_el0", el0_cntv_ctl, 1},
    {"mrs cntv_cval_el0", el0_cntv_cval, 1},
    {"mrs cntv_tval_el0", el0_cntv_tval, 0},
    {"msr cntv_ctl_el0", el0_cntv_ctl_w, 0},
    {"mrs cntp_ctl_el0", el0_cntp_ctl, 1},
    {"msr cntp_cval_el0", el0_cntp_cval_w, 0},
    {"mrs cntkctl_el1", el0_cntkctl, 0},
};

static void el0_access_table(uint64_t cntkctl)
{
    MSR(cntkctl_el1, cntkctl);
    printf("CNTKCTL_EL1=%03lx (EL0PTEN=%lu EL0VTEN=%lu EL0VCTEN=%lu EL0PCTEN=%lu):\n", cntkctl,
           (cntkctl >> 9) & 1, (cntkctl >> 8) & 1, (cntkctl >> 1) & 1, cntkctl & 1);
    for (unsigned i = 0; i < sizeof(el0_accesses) / sizeof(el0_accesses[0]); i++) {
        // SPSR = EL0t with DAIF masked; no stack needed.
        uint64_t r = el0_enter((uint64_t)el0_accesses[i].code, 0x3c0, 0, 0, 0x1234);
        printf("  EL0 %-18s ", el0_accesses[i].name);
        uint64_t esr = el0_trap_esr;
        if (esr)
            printf("trap: esr=%08lx ec=%02lx iss=%07lx\n", esr, ESR_EC(esr), ESR_ISS(esr));
        else if (el0_accesses[i].show_value)
            printf("ok: %lx\n", r);
        else
            printf("ok\n");
    }
}

int main(void)
{
    printf("timer: begin\n");
    irq_install();

    // --- Identification and reset state.
    printf("CNTFRQ_EL0 = %lu\n", MRS(cntfrq_el0));
    printf("CNTV_CTL_EL0 = %lx, CNTP_CTL_EL0 = %lx, CNTKCTL_EL1 = %lx\n", MRS(cntv_ctl_el0),
           MRS(cntp_ctl_el0), MRS(cntkctl_el1));

    // --- The counters (D11.2.1, D11.2.2): CNTVCT = CNTPCT - CNTVOFF, and
    // CNTVOFF is 0 without EL2.
    {
        uint64_t p1 = pcount(), v = vcount(), p2 = pcount();
        printf("CNTPCT <= CNTVCT <= CNTPCT read after: %s\n", yn(p1 <= v && v <= p2));
        uint64_t c1 = vcount();
        for (volatile int i = 0; i < 100000; i++)
            ;
        uint64_t c2 = vcount();
        printf("CNTVCT advances over 100000 loop iterations: %s\n", yn(c2 > c1));
    }

    // --- CTL: ENABLE and IMASK are RW, ISTATUS is RO.
    MSR(cntv_cval_el0, ~0UL);
    MSR(cntv_ctl_el0, 0xffffffff);
    printf("CNTV_CTL <- ffffffff (CVAL = max): %lx\n", MRS(cntv_ctl_el0));
    MSR(cntv_ctl_el0, 0);
    printf("CNTV_CTL <- 0: %lx\n", MRS(cntv_ctl_el0));
    MSR(cntv_cval_el0, 0x123456789abcdef0UL);
    printf("CNTV_CVAL <- 123456789abcdef0: %lx\n", MRS(cntv_cval_el0));

    // --- TVAL (D11.2.4 "Timers"): reads (CVAL - count)[31:0], sign-
    // extended view of a 32-bit down-counter; writes CVAL = count +
    // SignExtend(TVAL[31:0]).
    {
        uint64_t p1 = vcount();
        MSR(cntv_cval_el0, p1 + 1000000000UL);
        uint64_t t = MRS(cntv_tval_el0), p2 = vcount();
        printf("CVAL = now + 1000000000: TVAL[63:32]=%lx, 1000000000 - slack <= TVAL <= 1000000000: %s\n",
               t >> 32, yn(t <= 1000000000UL && t >= 1000000000UL - (p2 - p1) - SLACK));

        p1 = vcount();
        MSR(cntv_cval_el0, p1 - 1000);
        t = MRS(cntv_tval_el0);
        p2 = vcount();
        int32_t st = (int32_t)t;
        printf("CVAL = now - 1000: TVAL[63:32]=%lx, TVAL as int32 <= -1000: %s, > -1000 - slack: %s\n",
               t >> 32, yn(st <= -1000), yn(st > -1000 - (int64_t)SLACK));

        uint64_t cval = vcount() + (1UL << 33) + 12345;
        MSR(cntv_cval_el0, cval);
        p1 = vcount();
        t = MRS(cntv_tval_el0);
        p2 = vcount();
        printf("CVAL = now + 2^33 + 12345: TVAL = (CVAL - count)[31:0]: %s\n",
               yn((uint32_t)((uint32_t)(cval - p1) - (uint32_t)t) <= p2 - p1));

        static const struct {
            uint64_t tval;
            int64_t delta;
        } writes[] = {
            {5000, 5000},
            {0xffffffff, -1},
            {0x80000000, -0x80000000L},
            {0x7fffffff, 0x7fffffff},
            {0xffffffff00001000UL, 0x1000},
        };
        for (unsigned i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) {
            p1 = vcount();
            MSR(cntv_tval_el0, writes[i].tval);
            p2 = vcount();
            uint64_t c = MRS(cntv_cval_el0);
            printf("TVAL <- %lx: CVAL = count + %ld: %s\n", writes[i].tval, writes[i].delta,
                   yn(c - writes[i].delta >= p1 && c - writes[i].delta <= p2));
        }
    }

    // --- ISTATUS (D11.2.4): set while ENABLE is set and the condition
    // (count - CVAL >= 0) holds, whatever IMASK; the output is ISTATUS and
    // not IMASK.  The GIC's pending bit for a level-sensitive PPI follows
    // the output (IHI 0048B 4.3.7).
    printf("virtual timer, CVAL = 0 (past):\n");
    MSR(cntv_cval_el0, 0);
    MSR(cntv_ctl_el0, CTL_ENABLE);
    printf("  CTL <- 1: %lx\n", MRS(cntv_ctl_el0));
    pending_ppis("CTL=1");
    MSR(cntv_ctl_el0, CTL_ENABLE | CTL_IMASK);
    printf("  CTL <- 3: %lx\n", MRS(cntv_ctl_el0));
    pending_ppis("CTL=3");
    // With ENABLE clear ISTATUS is UNKNOWN (CNTV_CTL_EL0); QEMU reads 0.
    MSR(cntv_ctl_el0, 0);
    printf("  CTL <- 0: %lx\n", MRS(cntv_ctl_el0));
    pending_ppis("CTL=0");
    MSR(cntv_cval_el0, ~0UL);
    MSR(cntv_ctl_el0, CTL_ENABLE);
    printf("  CVAL = max, CTL <- 1: %lx\n", MRS(cntv_ctl_el0));
    MSR(cntv_ctl_el0, 0);
    printf("physical timer, CVAL = 0 (past):\n");
    MSR(cntp_cval_el0, 0);
    MSR(cntp_ctl_el0, CTL_ENABLE);
    printf("  CTL <- 1: %lx\n", MRS(cntp_ctl_el0));
    pending_ppis("CTL=1");
    MSR(cntp_ctl_el0, CTL_ENABLE | CTL_IMASK);
    printf("  CTL <- 3: %lx\n", MRS(cntp_ctl_el0));
    pending_ppis("CTL=3");
    MSR(cntp_ctl_el0, 0);
    pending_ppis("CTL=0");

    // --- The timers' interrupts through the GIC (PPIs 27 and 30,
    // level-sensitive).  The handler reads CTL, compares the count with
    // CVAL and stops the timer.
    gic_priority(INTID_VTIMER, 0x80);
    gic_priority(INTID_PTIMER, 0x80);
    gic_enable(INTID_VTIMER);
    gic_enable(INTID_PTIMER);
    gic_on(0xf0);

    MSR(cntv_cval_el0, vcount() + 62500); // 1 ms
    MSR(cntv_ctl_el0, CTL_ENABLE);
    wait_irq();
    printf("virtual timer, CVAL = now + 1 ms: irq %u, CTL in handler=%lx, count >= CVAL: %s\n",
           last_id, seen_ctl, yn(seen_late));
    MSR(cntp_cval_el0, pcount() + 62500);
    MSR(cntp_ctl_el0, CTL_ENABLE);
    wait_irq();
    printf("physical timer, CVAL = now + 1 ms: irq %u, CTL in handler=%lx, count >= CVAL: %s\n",
           last_id, seen_ctl, yn(seen_late));
    MSR(cntv_tval_el0, 62500);
    MSR(cntv_ctl_el0, CTL_ENABLE);
    wait_irq();
    printf("virtual timer, TVAL = 1 ms: irq %u, CTL in handler=%lx, count >= CVAL: %s\n", last_id,
           seen_ctl, yn(seen_late));
    printf("interrupts taken: %d\n", taken);

    // --- IMASK: the condition holds but the output stays low; clearing
    // IMASK with PSTATE.I clear takes the interrupt.  Where is not
    // architected (the output reaches the PE through the GIC "in finite
    // time"); QEMU takes it right after the MSR, which ends its translation
    // block.
    MSR(cntv_cval_el0, 0);
    MSR(cntv_ctl_el0, CTL_ENABLE | CTL_IMASK);
    printf("CTL=3 with the condition met: CTL=%lx\n", MRS(cntv_ctl_el0));
    pending_ppis("CTL=3");
    int before = taken;
    unmask_at_mark();
    printf("  PSTATE.I cleared: taken=%d\n", taken - before);
    irq_unmask();
    __asm__ volatile("adr x16, 1f\n\t"
                     "str x16, [%0]\n\t"
                     "msr cntv_ctl_el0, %1\n"
                     "1: isb\n\t"
                     "msr daifset, #2"
                     : : "r"(&mark), "r"((uint64_t)CTL_ENABLE) : "x16", "memory");
    printf("  CTL <- 1 with PSTATE.I clear: taken=%d irq %u elr=%s\n", taken - before, last_id,
           last_elr == mark ? "after the MSR" : last_elr == mark + 4 ? "after the ISB" : "elsewhere");

    // --- WFI with PSTATE.I set (ARM ARM "Wait for Interrupt"): the PE
    // wakes when the interrupt is pending even though it is masked, and does
    // not take it; clearing PSTATE.I then takes it at once.
    before = taken;
    MSR(cntv_cval_el0, vcount() + 62500);
    MSR(cntv_ctl_el0, CTL_ENABLE);
    __asm__ volatile("wfi" ::: "memory");
    uint64_t ctl = MRS(cntv_ctl_el0), isr = isr_read();
    printf("WFI with PSTATE.I set, virtual timer due in 1 ms: woke with CTL=%lx ISR_EL1=%03lx taken=%d\n",
           ctl, isr, taken - before);
    unmask_at_mark();
    printf("  PSTATE.I cleared: taken=%d irq %u elr=%s\n", taken - before, last_id,
           last_elr == mark ? "after the MSR DAIFClr" : "elsewhere");

    // --- EL0 access control by CNTKCTL_EL1 (EL0PCTEN, EL0VCTEN, EL0VTEN,
    // EL0PTEN; CNTFRQ_EL0 needs EL0PCTEN or EL0VCTEN).  With the
    // virtual timer's CTL = 3 and CVAL far away, and its physical one off.
    // (Bits [63:10] are RES0 in ARMv8.0; QEMU 7.2 stores all 64 bits, so
    // only the defined fields are written.)
    MSR(cntkctl_el1, 0x3ff);
    printf("CNTKCTL_EL1 <- 3ff: %lx\n", MRS(cntkctl_el1));
    MSR(cntv_cval_el0, ~0UL);
    MSR(cntv_ctl_el0, CTL_ENABLE | CTL_IMASK);
    MSR(cntp_ctl_el0, 0);
    el0_access_table(0);
    el0_access_table(0x001);
    el0_access_table(0x002);
    el0_access_table(0x100);
    el0_access_table(0x200);
    el0_access_table(0x303);
    printf("  CNTP_CVAL after the EL0 writes: %lx\n", MRS(cntp_cval_el0));
    MSR(cntkctl_el1, 0);
    MSR(cntv_ctl_el0, 0);

    printf("timer: end\n");
    return 0;
}
