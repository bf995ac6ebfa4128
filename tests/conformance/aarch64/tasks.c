// SPDX-License-Identifier: MIT OR Apache-2.0
//
// A tiny preemptive kernel: EL0 tasks in separate address spaces, system
// calls, and a virtual-timer tick that switches tasks.
//
//  - MMU on, 4 KiB granule, 39-bit VAs from TTBR0 (ARM ARM D5.2
//    "The VMSAv8-64 address translation system", D5.3 descriptor formats).
//    Every task's tables map the kernel's RAM and the devices as 1 GiB
//    blocks, global and EL1-only (AP = 00, UXN), and its own three pages,
//    non-global (nG = 1): code at 0x8000_0000 (EL0 read-only, executable),
//    data at 0x8000_1000 and stack at 0x8000_2000.  Each task's pages are
//    different physical pages holding the same code, and each task has its
//    own ASID in TTBR0_EL1[63:48] (D5.9 "Translation Lookaside Buffers"),
//    so no TLB maintenance is needed on a switch.
//  - System calls by SVC (ESR_EL1.ISS[15:0] = the immediate): #1 write
//    (x0 = string, x1 = length; the kernel keeps the text), #2 exit
//    (x0 = code).  Any other exception from EL0 kills the task.
//  - The virtual timer (D11.2.4) interrupts every TICK counts through the
//    GIC (PPI 27); each tick switches to the next runnable task.
//
// Output does not depend on timing: the tasks compute for many ticks,
// the kernel prints what they wrote, in task order, after they have all
// finished, and shows the tick counts only as "at least" booleans.
#include "irq.h"

#define NTASKS 4
#define TICK 62500           // counts of the 62.5 MHz counter: 1 ms
#define ITERATIONS 100000000 // of the computing tasks' loop
#define MIN_TICKS 10         // preemptions each computing task must see

#define TASK_CODE  0x80000000UL
#define TASK_DATA  0x80001000UL
#define TASK_STACK 0x80002000UL
#define TASK_PAGES 3

#define SYS_WRITE 1
#define SYS_EXIT  2

// ---------------------------------------------------------------------------
// The task: one page of position-independent code, copied into each
// task's code page.  It must not touch anything outside its own pages: no
// calls and no literals in .rodata (see the disassembly of task_main; a
// reference to kernel memory would kill the task).

static inline __attribute__((always_inline)) uint64_t sys_write(const char *s, uint64_t n)
{
    register uint64_t x0 __asm__("x0") = (uint64_t)s;
    register uint64_t x1 __asm__("x1") = n;
    __asm__ volatile("svc #1" : "+r"(x0) : "r"(x1) : "memory");
    return x0;
}

static inline __attribute__((always_inline, noreturn)) void sys_exit(uint64_t code)
{
    register uint64_t x0 __asm__("x0") = code;
    __asm__ volatile("svc #2" : : "r"(x0) : "memory");
    __builtin_unreachable();
}

// x0 = task number, x1 = what to do: 0 compute, 1 read `x2` (kernel
// memory), 2 write to the task's own code page.
__attribute__((section(".text.task"), aligned(4096), noinline, used)) void
task_main(uint64_t id, uint64_t mode, uint64_t addr)
{
    volatile uint64_t *data = (volatile uint64_t *)TASK_DATA;
    data[0] = 0x7a5c0000 + id; // same VA in every task, its own page

    if (mode == 1)
        data[1] = *(volatile uint64_t *)addr;
    if (mode == 2)
        *(volatile uint64_t *)TASK_CODE = 0;

    // xorshift64 (Marsaglia), summed.
    uint64_t x = 0x9e3779b97f4a7c15UL * (id + 1), sum = 0;
    for (uint64_t i = 0; i < ITERATIONS; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        sum += x;
    }

    char buf[40];
    int k = 0;
    buf[k++] = 's';
    buf[k++] = 'u';
    buf[k++] = 'm';
    buf[k++] = '=';
    for (int s = 60; s >= 0; s -= 4) {
        unsigned d = (sum >> s) & 15;
        buf[k++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
    }
    buf[k++] = ' ';
    buf[k++] = 'd';
    buf[k++] = 'a';
    buf[k++] = 't';
    buf[k++] = 'a';
    buf[k++] = '=';
    buf[k++] = data[0] == 0x7a5c0000 + id ? 'o' : 'b';
    buf[k++] = data[0] == 0x7a5c0000 + id ? 'k' : 'd';
    sys_write(buf, k);
    sys_exit(100 + id);
}

// ---------------------------------------------------------------------------
// Translation tables (D5.3): level 1 (1 GiB blocks), 2, 3 (4 KiB pages).

#define DESC_BLOCK  0x1UL
#define DESC_TABLE  0x3UL // also a level 3 page
#define ATTR_DEVICE (0UL << 2)  // MAIR index 0: Device-nGnRnE
#define ATTR_NORMAL (1UL << 2)  // MAIR index 1: Normal, write-back
#define AP_EL1_RW   (0UL << 6)
#define AP_RW       (1UL << 6)  // EL1 and EL0 read/write
#define AP_RO       (3UL << 6)  // EL1 and EL0 read-only
#define SH_INNER    (3UL << 8)
#define AF          (1UL << 10)
#define NG          (1UL << 11)
#define PXN         (1UL << 53)
#define UXN         (1UL << 54)
#define MAIR_VALUE  0xff00UL    // attr0 = 0x00, attr1 = 0xff

// TCR_EL1: T0SZ = 25 (39-bit VAs, the walk starts at level 1), TTBR0
// walks inner/outer write-back cacheable, inner shareable, 4 KiB granule;
// EPD1: no TTBR1 walks; IPS = 36 bits; AS = 0: 8-bit ASIDs.
#define TCR_VALUE (25UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 23) | (1UL << 32))

static uint64_t l1[NTASKS + 1][512] __attribute__((aligned(4096)));
static uint64_t l2[NTASKS][512] __attribute__((aligned(4096)));
static uint64_t l3[NTASKS][512] __attribute__((aligned(4096)));
static uint8_t pages[NTASKS][TASK_PAGES][4096] __attribute__((aligned(4096)));

static void map_kernel(uint64_t *t)
{
    t[0] = 0x00000000UL | DESC_BLOCK | ATTR_DEVICE | AP_EL1_RW | AF | PXN | UXN;
    t[1] = 0x40000000UL | DESC_BLOCK | ATTR_NORMAL | AP_EL1_RW | SH_INNER | AF | UXN;
}

static void map_task(int n)
{
    map_kernel(l1[n + 1]);
    l1[n + 1][2] = (uint64_t)l2[n] | DESC_TABLE; // VA 0x8000_0000
    l2[n][0] = (uint64_t)l3[n] | DESC_TABLE;
    uint64_t page = DESC_TABLE | ATTR_NORMAL | SH_INNER | AF | NG | PXN;
    l3[n][0] = (uint64_t)pages[n][0] | page | AP_RO;
    l3[n][1] = (uint64_t)pages[n][1] | page | AP_RW | UXN;
    l3[n][2] = (uint64_t)pages[n][2] | page | AP_RW | UXN;
}

static const char *yn(int c)
{
    return c ? "yes" : "no";
}

// AT ("Address translation instructions"): the page's PA from PAR_EL1,
// or 1 if the translation faulted (PAR_EL1.F).
#define at_pa(kind, va)                                                       \
    ({                                                                        \
        uint64_t par_;                                                        \
        __asm__ volatile("at " kind ", %1\n\tisb\n\tmrs %0, par_el1"         \
                         : "=r"(par_) : "r"(va) : "memory");                  \
        (par_ & 1) ? 1 : par_ & 0xfffffffff000UL;                             \
    })

static inline void ttbr0_write(uint64_t v)
{
    __asm__ volatile("msr ttbr0_el1, %0\n\tisb" : : "r"(v) : "memory");
}

static void mmu_on(void)
{
    uint64_t sctlr;
    __asm__ volatile("msr mair_el1, %0\n\t"
                     "msr tcr_el1, %1\n\t"
                     "msr ttbr0_el1, %2\n\t"
                     "isb\n\t"
                     "tlbi vmalle1\n\t"
                     "dsb ish\n\t"
                     "isb"
                     : : "r"(MAIR_VALUE), "r"(TCR_VALUE), "r"((uint64_t)l1[0]) : "memory");
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    sctlr |= 1 | (1 << 2) | (1 << 12); // M, C, I
    __asm__ volatile("msr sctlr_el1, %0\n\tisb" : : "r"(sctlr) : "memory");
}

// ---------------------------------------------------------------------------
// Tasks and the scheduler.

enum { RUNNABLE, EXITED, KILLED };

struct task {
    struct frame ctx;   // registers while not running
    uint64_t ttbr0;     // tables | ASID << 48
    int state;
    unsigned ticks;     // timer interrupts taken while it ran
    uint64_t exit_code, esr, far;
    char out[64];
    unsigned outlen;
};

static struct task tasks[NTASKS];
static int cur;
static unsigned ticks;

static void switch_to(struct frame *f, int next)
{
    cur = next;
    *f = tasks[next].ctx;
    ttbr0_write(tasks[next].ttbr0);
}

// The next runnable task after the current one, round robin, or -1.
static int next_runnable(void)
{
    for (int i = 1; i <= NTASKS; i++) {
        int n = (cur + i) % NTASKS;
        if (tasks[n].state == RUNNABLE)
            return n;
    }
    return -1;
}

// The current task has stopped: run another, or end the EL0 run.
static void schedule_after_end(struct frame *f)
{
    int n = next_runnable();
    if (n >= 0) {
        switch_to(f, n);
        return;
    }
    __asm__ volatile("msr cntv_ctl_el0, xzr\n\tisb" ::: "memory");
    ttbr0_write((uint64_t)l1[0]);
    el0_exit(f, 0);
}

static void sys_call(struct task *t, unsigned imm, struct frame *f)
{
    if (imm == SYS_WRITE) {
        uint64_t s = f->x[0], n = f->x[1];
        // The string must lie in the task's data or stack pages.
        if (s < TASK_DATA || n > sizeof(t->out) - 1 - t->outlen ||
            s + n > TASK_STACK + 4096) {
            f->x[0] = (uint64_t)-1;
            return;
        }
        memcpy(t->out + t->outlen, (const void *)s, n);
        t->outlen += n;
        t->out[t->outlen] = 0;
        f->x[0] = n;
    } else if (imm == SYS_EXIT) {
        t->state = EXITED;
        t->exit_code = f->x[0];
        schedule_after_end(f);
    } else {
        f->x[0] = (uint64_t)-1;
    }
}

void handle_exception(uint64_t idx, struct frame *f)
{
    struct task *t = &tasks[cur];
    if (idx == V_LOW64_IRQ) {
        uint32_t iar = gicc_read(GICC_IAR);
        if ((iar & 0x3ff) == INTID_VTIMER) {
            ticks++;
            t->ticks++;
            __asm__ volatile("msr cntv_tval_el0, %0\n\tisb" : : "r"((uint64_t)TICK) : "memory");
            int n = next_runnable();
            if (n >= 0 && n != cur) {
                t->ctx = *f;
                switch_to(f, n);
            }
        }
        if ((iar & 0x3ff) < 1020)
            gicc_write(GICC_EOIR, iar);
        return;
    }
    if (idx == V_LOW64_SYNC) {
        uint64_t esr = esr_read();
        if (ESR_EC(esr) == EC_SVC64) {
            sys_call(t, esr & 0xffff, f);
        } else {
            t->state = KILLED;
            t->esr = esr;
            __asm__ volatile("mrs %0, far_el1" : "=r"(t->far));
            t->ctx.elr = f->elr;
            schedule_after_end(f);
        }
        return;
    }
    printf("*** EXCEPTION unexpected: vector %lu esr=%08lx elr=%lx\n", idx, esr_read(), f->elr);
    __poweroff();
}

int main(void)
{
    printf("tasks: begin\n");
    irq_install();

    // Each task: its code page holds a copy of task_main's page; the data
    // and stack pages start zeroed (.bss).
    static const uint64_t modes[NTASKS] = {0, 0, 1, 2};
    map_kernel(l1[0]); // the kernel's own tables, ASID 0
    for (int n = 0; n < NTASKS; n++) {
        memcpy(pages[n][0], (const void *)task_main, 4096);
        map_task(n);
        struct task *t = &tasks[n];
        t->ttbr0 = (uint64_t)l1[n + 1] | ((uint64_t)(n + 1) << 48);
        t->ctx.elr = TASK_CODE;
        t->ctx.spsr = 0; // EL0t, interrupts unmasked
        t->ctx.sp_el0 = TASK_STACK + 4096;
        t->ctx.x[0] = n;
        t->ctx.x[1] = modes[n];
        t->ctx.x[2] = (uint64_t)&ticks; // kernel memory
    }
    // The code pages were written as data: make them visible to
    // instruction fetches ("Cache maintenance requirements" of the ARM ARM;
    // emulators have no caches, hardware would need this).
    for (uint64_t a = (uint64_t)pages; a < (uint64_t)pages + sizeof(pages); a += 64)
        __asm__ volatile("dc cvau, %0" : : "r"(a) : "memory");
    __asm__ volatile("dsb ish\n\tic iallu\n\tdsb ish\n\tisb" ::: "memory");

    mmu_on();
    printf("MMU on: AT S1E1R of the kernel's code: %s\n",
           at_pa("s1e1r", (uint64_t)main) == ((uint64_t)main & ~0xfffUL) ? "PA = VA" : "other");
    printf("AT S1E0R of the kernel's code (EL1 only): %s\n",
           at_pa("s1e0r", (uint64_t)main) == 1 ? "fault" : "no fault");
    // The same VA in each address space: each task's own physical pages.
    for (int n = 0; n < NTASKS; n++) {
        ttbr0_write(tasks[n].ttbr0);
        printf("ASID %d: AT S1E0R code %lx -> task %d's code page: %s, data %lx -> its data page: %s\n",
               n + 1, TASK_CODE, n, yn(at_pa("s1e0r", TASK_CODE) == (uint64_t)pages[n][0]),
               TASK_DATA, yn(at_pa("s1e0r", TASK_DATA) == (uint64_t)pages[n][1]));
    }
    ttbr0_write((uint64_t)l1[0]);

    // The tick: virtual timer, PPI 27 through the GIC.
    gic_priority(INTID_VTIMER, 0x80);
    gic_enable(INTID_VTIMER);
    gic_on(0xf0);
    __asm__ volatile("msr cntv_tval_el0, %0\n\t"
                     "msr cntv_ctl_el0, %1\n\t"
                     "isb"
                     : : "r"((uint64_t)TICK), "r"(1UL) : "memory");

    // Run task 0; el0_enter returns when every task has stopped.
    ttbr0_write(tasks[0].ttbr0);
    el0_enter(tasks[0].ctx.elr, tasks[0].ctx.spsr, tasks[0].ctx.sp_el0, tasks[0].ctx.x[0],
              tasks[0].ctx.x[1]);
    printf("all tasks stopped\n");

    for (int n = 0; n < NTASKS; n++) {
        struct task *t = &tasks[n];
        printf("task %d:", n);
        if (t->state == EXITED) {
            printf(" exit(%lu), wrote \"%s\"\n", t->exit_code, t->out);
        } else {
            printf(" killed: esr=%08lx ec=%02lx dfsc=%02lx wnr=%lu far=%s elr=code+%lx\n", t->esr,
                   ESR_EC(t->esr), t->esr & 0x3f, (t->esr >> 6) & 1,
                   t->far == (uint64_t)&ticks ? "kernel data"
                   : t->far == TASK_CODE      ? "own code page"
                                              : "other",
                   t->ctx.elr - TASK_CODE);
        }
    }
    printf("timer ticks: at least %d: %s; each computing task preempted at least %d times: %s\n",
           2 * MIN_TICKS, yn(ticks >= 2 * MIN_TICKS), MIN_TICKS,
           yn(tasks[0].ticks >= MIN_TICKS && tasks[1].ticks >= MIN_TICKS));
    printf("tasks: end\n");
    __poweroff();
}
