// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Interrupts and timers of the LEON3 board: GPTIMER timer 1 (irq 7) ticking
// through the IRQMP into the CPU's interrupt traps (tt 0x10 + level), PIL
// masking (an interrupt is taken above PIL, or at level 15), the IRQMP's
// priority levels, force registers and acknowledge, LEON power-down (%asr19)
// woken by the timer, and the registers' read-back behaviour.
//
// The interrupt handler (irq_entry below) is installed in the trap table of
// start.S for tt 0x11-0x1f at run time; it counts interrupts per level and
// records their order. Nothing printed depends on host timing: tick counts
// are compared with thresholds. QEMU takes a pending interrupt when its CPU
// loop regains control, which a WRPSR always causes, so every point where
// an interrupt is expected goes through set_pil() (settle()) a few times.
#include "lib.h"

#define REG(a) (*(volatile uint32_t *)(a))

#define IRQMP 0x80000200UL
#define IRQ_LEVEL REG(IRQMP + 0x00)
#define IRQ_PENDING REG(IRQMP + 0x04)
#define IRQ_FORCE REG(IRQMP + 0x08)
#define IRQ_CLEAR REG(IRQMP + 0x0c)
#define IRQ_MPSTAT REG(IRQMP + 0x10)
#define IRQ_MASK REG(IRQMP + 0x40)
#define IRQ_FORCE0 REG(IRQMP + 0x80)

#define GPT 0x80000300UL
#define GPT_SCALER REG(GPT + 0x00)
#define GPT_SRELOAD REG(GPT + 0x04)
#define GPT_CONFIG REG(GPT + 0x08)
#define T_COUNTER(n) REG(GPT + 0x10 + 0x10 * (n))
#define T_RELOAD(n) REG(GPT + 0x14 + 0x10 * (n))
#define T_CTRL(n) REG(GPT + 0x18 + 0x10 * (n))
#define EN 1u
#define RS 2u
#define LD 4u
#define IE 8u
#define IP 16u

#define TIMEOUT 100000000u

volatile uint32_t irq_count[16];
volatile uint32_t irq_order[16];
volatile uint32_t irq_seen;

extern uint32_t __trap_table[];
void irq_entry(void);

// The trap table entry jumps here with %l0 = PSR, %l3 = TBR (start.S); %l1
// and %l2 are the interrupted PC and nPC. Only the trap window's locals are
// used; the PSR (icc) is restored before returning to the interrupted
// instruction.
__asm__(
    "    .text\n"
    "    .align 4\n"
    "    .global irq_entry\n"
    "irq_entry:\n"
    "    srl %l3, 4, %l3\n"
    "    and %l3, 15, %l3\n"
    "    sethi %hi(irq_seen), %l4\n"
    "    ld [%l4 + %lo(irq_seen)], %l5\n"
    "    and %l5, 15, %l6\n"
    "    sll %l6, 2, %l6\n"
    "    set irq_order, %l7\n"
    "    st %l3, [%l7 + %l6]\n"
    "    add %l5, 1, %l5\n"
    "    st %l5, [%l4 + %lo(irq_seen)]\n"
    "    sll %l3, 2, %l6\n"
    "    set irq_count, %l7\n"
    "    ld [%l7 + %l6], %l5\n"
    "    add %l5, 1, %l5\n"
    "    st %l5, [%l7 + %l6]\n"
    "    wr %l0, %psr\n"
    "    nop\n"
    "    nop\n"
    "    nop\n"
    "    jmp %l1\n"
    "    rett %l2\n");

// Trap table entries 0x11-0x1f: mov %psr, %l0; sethi %hi(irq_entry), %l4;
// jmp %l4 + %lo(irq_entry); rd %tbr, %l3.
static void install_handler(void)
{
    uint32_t a = (uint32_t)irq_entry;
    for (int tt = 0x11; tt <= 0x1f; tt++) {
        volatile uint32_t *e = &__trap_table[tt * 4];
        e[0] = 0xa1480000;
        e[1] = 0x29000000 | a >> 10;
        e[2] = 0x81c52000 | (a & 0x3ff);
        e[3] = 0xa7580000;
        __asm__ volatile("flush %0" : : "r"(e) : "memory");
    }
}

static void set_pil(uint32_t pil)
{
    uint32_t psr;
    __asm__ volatile("rd %%psr, %0" : "=r"(psr));
    psr = (psr & ~0xf00u) | pil << 8;
    __asm__ volatile("wr %0, %%psr\n\tnop\n\tnop\n\tnop" : : "r"(psr) : "memory");
}

static uint32_t pil(void)
{
    uint32_t psr;
    __asm__ volatile("rd %%psr, %0" : "=r"(psr));
    return psr >> 8 & 15;
}

// Let QEMU take whatever is pending and allowed (each WRPSR returns to its
// CPU loop); on Chimera it is already taken.
static void settle(void)
{
    for (int i = 0; i < 4; i++)
        set_pil(pil());
}

static void power_down(void)
{
    __asm__ volatile("wr %%g0, %%asr19" : : : "memory");
}

static void reset_counts(void)
{
    for (int i = 0; i < 16; i++) {
        irq_count[i] = 0;
        irq_order[i] = 0;
    }
    irq_seen = 0;
}

static void show_order(const char *what)
{
    printf("%s:", what);
    for (uint32_t i = 0; i < irq_seen && i < 16; i++)
        printf(" %u", irq_order[i]);
    printf("\n");
}

static void registers(void)
{
    printf("gptimer config %03x scaler reload %u\n", GPT_CONFIG, GPT_SRELOAD);
    // QEMU's counter of timer 0 reads 0 until its host timer callback has
    // reloaded it, which takes a host-dependent time: not printed.
    printf("timer 0 (PROM loader): reload %08x control %x\n", T_RELOAD(0), T_CTRL(0));
    printf("irqmp level %x pending %x force %x mask %x mp status %x\n", IRQ_LEVEL, IRQ_PENDING, IRQ_FORCE,
           IRQ_MASK, IRQ_MPSTAT);

    IRQ_PENDING = 0xfffe;
    IRQ_MPSTAT = 0xffffffff;
    IRQ_LEVEL = 0xffffffff;
    IRQ_MASK = 0xffffffff;
    printf("written all ones: pending %x mp status %x level %x mask %x\n", IRQ_PENDING, IRQ_MPSTAT, IRQ_LEVEL,
           IRQ_MASK);
    IRQ_MASK = 0;
    IRQ_LEVEL = 0;
    IRQ_FORCE = 0xffff0201;
    printf("force 0xffff0201: force %x cpu 0 force %x\n", IRQ_FORCE, IRQ_FORCE0);
    IRQ_FORCE0 = 1u << (16 + 9) | 1u << 4;
    printf("cpu 0 force set 4 clear 9: force %x\n", IRQ_FORCE);
    IRQ_CLEAR = 0xffff;
    printf("clear 0xffff: force %x pending %x clear reads %x\n", IRQ_FORCE, IRQ_PENDING, IRQ_CLEAR);

    GPT_SCALER = 0x12345;
    printf("gptimer scaler 0x12345 reads %x\n", GPT_SCALER);
    T_RELOAD(1) = 999999;
    T_CTRL(1) = LD | EN;
    uint32_t c1 = T_COUNTER(1);
    for (volatile int i = 0; i < 1000; i++)
        ;
    uint32_t c2 = T_COUNTER(1);
    printf("timer 1 loaded: control %x counts down %s\n", T_CTRL(1),
           c1 <= 1000000 && c1 > 500000 && c2 <= c1 ? "yes" : "no");
    T_COUNTER(1) = 5;
    T_CTRL(1) = 0;
    printf("timer 1 control 0: control %x reload %u\n", T_CTRL(1), T_RELOAD(1));
}

// Timer 1 ticks every millisecond (1 MHz after the prescaler QEMU's loader
// programmed) with its interrupt enabled.
static void start_ticks(void)
{
    T_RELOAD(1) = 999;
    T_CTRL(1) = EN | RS | LD | IE;
}

// Clear IP and stop reloading (the countdown under way, if any, ends
// without an interrupt since IE is clear), then forget what is pending.
static void stop_ticks(void)
{
    T_CTRL(1) = IP;
    IRQ_CLEAR = 1u << 7;
}

static void ticks(void)
{
    reset_counts();
    IRQ_MASK = 1u << 7;
    start_ticks();
    set_pil(0);
    uint32_t n = 0;
    while (irq_count[7] < 5 && ++n < TIMEOUT)
        ;
    set_pil(15);
    printf("busy wait: 5 ticks %s, other levels %u\n", irq_count[7] >= 5 ? "yes" : "no",
           irq_seen - irq_count[7]);
    printf("timer 1 IP after ticks %u\n", T_CTRL(1) & IP ? 1 : 0);
    stop_ticks();
    printf("timer 1 IP after clear %u control %x\n", T_CTRL(1) & IP ? 1 : 0, T_CTRL(1));

    // Power-down until the next tick, three times.
    reset_counts();
    start_ticks();
    set_pil(0);
    uint32_t waits = 0;
    while (irq_count[7] < 3 && waits < 1000) {
        power_down();
        waits++;
    }
    set_pil(15);
    stop_ticks();
    printf("power-down: 3 ticks %s, one per wait %s\n", irq_count[7] >= 3 ? "yes" : "no",
           waits >= 1 && waits <= irq_count[7] ? "yes" : "no");

    // PIL 15 masks the tick; power-down still ends when it is pending.
    reset_counts();
    start_ticks();
    power_down();
    n = 0;
    while (!(IRQ_PENDING & 1u << 7) && ++n < TIMEOUT)
        ;
    T_CTRL(1) = IP;
    settle();
    printf("PIL 15: pending %x taken %u\n", IRQ_PENDING, irq_count[7]);
    set_pil(7);
    settle();
    printf("PIL 7: taken %u\n", irq_count[7]);
    set_pil(6);
    printf("PIL 6: taken %u pending %x\n", irq_count[7], IRQ_PENDING);
    set_pil(15);
}

static void priorities(void)
{
    reset_counts();
    set_pil(15);
    IRQ_MASK = 1u << 3 | 1u << 5 | 1u << 9 | 1u << 12 | 1u << 15;
    IRQ_LEVEL = 1u << 3;
    IRQ_FORCE = 1u << 5 | 1u << 12;
    IRQ_FORCE0 = 1u << 3;
    settle();
    printf("forced 3 5 12 at PIL 15: force %x taken %u\n", IRQ_FORCE, irq_seen);
    set_pil(0);
    settle();
    show_order("taken in order");
    printf("force after %x\n", IRQ_FORCE);

    reset_counts();
    IRQ_FORCE = 1u << 9;
    settle();
    printf("force 9 at PIL 0: taken %u force %x\n", irq_count[9], IRQ_FORCE);

    reset_counts();
    set_pil(15);
    IRQ_FORCE = 1u << 15;
    settle();
    printf("force 15 at PIL 15: taken %u force %x\n", irq_count[15], IRQ_FORCE);

    // Level 0 below level 1 whatever the numbers; masked ones wait.
    reset_counts();
    IRQ_MASK = 1u << 3 | 1u << 9;
    IRQ_LEVEL = 1u << 9;
    IRQ_FORCE = 1u << 3 | 1u << 9 | 1u << 11;
    set_pil(0);
    settle();
    show_order("level 1 first");
    printf("masked 11 still forced: force %x\n", IRQ_FORCE);
    IRQ_CLEAR = 0xfffe;
    IRQ_LEVEL = 0;
    IRQ_MASK = 0;
    set_pil(15);
}

int main(void)
{
    install_handler();
    registers();
    ticks();
    priorities();
    printf("done\n");
    return 0;
}
