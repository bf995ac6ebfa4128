// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Interrupts for the conformance programs of the `virt` board's interrupt
// controller, timers and UART (gic.c, timer.c, uart_irq.c, tasks.c):
//
//  - the GICv2 registers (ARM IHI 0048B "ARM Generic Interrupt Controller
//    Architecture Specification, versions 1.0 and 2.0", 4.1 Tables 4-1 and
//    4-2) and small helpers for one interrupt ID;
//  - a vector table (ARM ARM D1.10.2: 16 entries of 0x80 bytes, 2 KiB
//    aligned) that saves the whole register state in a `struct frame` on
//    the current stack, calls the program's handle_exception(idx, frame)
//    and returns with ERET from the (possibly changed) frame.  ELR_EL1 and
//    SPSR_EL1 are saved before the call, so a handler may unmask IRQs and
//    be preempted (nested interrupts); the common path masks DAIF again
//    before it restores them;
//  - el0_enter(), which runs code at EL0 until the handler calls
//    el0_exit(), which returns to el0_enter's caller at EL1.
//
// Include once, from the program's only C file, which defines
//   void handle_exception(uint64_t idx, struct frame *f);
// and calls irq_install() first.
#ifndef CHIMERA_CONFORMANCE_IRQ_H
#define CHIMERA_CONFORMANCE_IRQ_H

#include "conf.h"

// ---------------------------------------------------------------------------
// GICv2 of QEMU's `virt` board: distributor and CPU interface.

#define GICD_BASE 0x08000000UL
#define GICC_BASE 0x08010000UL

// Distributor (IHI 0048B 4.1.2, Table 4-1).
#define GICD_CTLR       0x000
#define GICD_TYPER      0x004
#define GICD_IIDR       0x008
#define GICD_IGROUPR    0x080
#define GICD_ISENABLER  0x100
#define GICD_ICENABLER  0x180
#define GICD_ISPENDR    0x200
#define GICD_ICPENDR    0x280
#define GICD_ISACTIVER  0x300
#define GICD_ICACTIVER  0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR  0x800
#define GICD_ICFGR      0xc00
#define GICD_SGIR       0xf00
#define GICD_CPENDSGIR  0xf10
#define GICD_SPENDSGIR  0xf20

// CPU interface (IHI 0048B 4.1.3, Table 4-2).
#define GICC_CTLR  0x000
#define GICC_PMR   0x004
#define GICC_BPR   0x008
#define GICC_IAR   0x00c
#define GICC_EOIR  0x010
#define GICC_RPR   0x014
#define GICC_HPPIR 0x018
#define GICC_ABPR  0x01c
#define GICC_APR0  0x0d0
#define GICC_IIDR  0x0fc

// Interrupt IDs of `virt` (QEMU hw/arm/virt.c): the generic timer's PPIs
// (the device tree's PPI numbers + 16) and the SPIs (+ 32).
#define INTID_VTIMER 27
#define INTID_PTIMER 30
#define INTID_UART   33
#define INTID_RTC    34
#define SPURIOUS     1023

static inline uint32_t gicd_read(uint32_t off)
{
    return *(volatile uint32_t *)(GICD_BASE + off);
}

static inline void gicd_write(uint32_t off, uint32_t v)
{
    *(volatile uint32_t *)(GICD_BASE + off) = v;
}

// Byte accesses: IPRIORITYR, ITARGETSR, CPENDSGIR and SPENDSGIR are byte
// accessible (IHI 0048B 4.1.4).
static inline uint8_t gicd_read8(uint32_t off)
{
    return *(volatile uint8_t *)(GICD_BASE + off);
}

static inline void gicd_write8(uint32_t off, uint8_t v)
{
    *(volatile uint8_t *)(GICD_BASE + off) = v;
}

static inline uint32_t gicc_read(uint32_t off)
{
    return *(volatile uint32_t *)(GICC_BASE + off);
}

static inline void gicc_write(uint32_t off, uint32_t v)
{
    *(volatile uint32_t *)(GICC_BASE + off) = v;
}

// The bit of interrupt `id` in a 1-bit-per-interrupt register bank.
#define BANK(reg, id) ((reg) + (id) / 32 * 4)
#define BIT(id) (1u << ((id) % 32))

static inline void gic_enable(unsigned id) { gicd_write(BANK(GICD_ISENABLER, id), BIT(id)); }
static inline void gic_disable(unsigned id) { gicd_write(BANK(GICD_ICENABLER, id), BIT(id)); }
static inline void gic_pend(unsigned id) { gicd_write(BANK(GICD_ISPENDR, id), BIT(id)); }
static inline void gic_unpend(unsigned id) { gicd_write(BANK(GICD_ICPENDR, id), BIT(id)); }
static inline void gic_priority(unsigned id, uint8_t p) { gicd_write8(GICD_IPRIORITYR + id, p); }

static inline int gic_is_pending(unsigned id)
{
    return (gicd_read(BANK(GICD_ISPENDR, id)) & BIT(id)) != 0;
}

static inline int gic_is_active(unsigned id)
{
    return (gicd_read(BANK(GICD_ISACTIVER, id)) & BIT(id)) != 0;
}

// Distributor and CPU interface on (Group 0 only, signalled as IRQ), every
// priority below `pmr` unmasked.
static inline void gic_on(uint32_t pmr)
{
    gicc_write(GICC_PMR, pmr);
    gicc_write(GICC_CTLR, 1);
    gicd_write(GICD_CTLR, 1);
}

// ---------------------------------------------------------------------------
// PSTATE.DAIF.  MSR DAIFSet/DAIFClr are context synchronizing for the
// interrupt masks: a pending IRQ is taken right after DAIFClr.

static inline void irq_unmask(void) { __asm__ volatile("msr daifclr, #2" ::: "memory"); }
static inline void irq_mask(void) { __asm__ volatile("msr daifset, #2" ::: "memory"); }

static inline uint64_t daif_read(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, daif" : "=r"(v));
    return v;
}

// ---------------------------------------------------------------------------
// The vector table.

// Registers at exception entry, as the common path saves them.
struct frame {
    uint64_t x[31];
    uint64_t elr, spsr, sp_el0;
};

#define FRAME_SIZE 272 // sizeof(struct frame), a multiple of 16

// Vector indices (VBAR_EL1 offset / 0x80, ARM ARM D1.10.2).
enum {
    V_CUR_SP0_SYNC = 0, V_CUR_SPX_SYNC = 4, V_CUR_SPX_IRQ = 5, V_CUR_SPX_FIQ = 6,
    V_LOW64_SYNC = 8, V_LOW64_IRQ = 9, V_LOW64_FIQ = 10,
};

void handle_exception(uint64_t idx, struct frame *f);

__asm__(
    ".pushsection .text.irq_vectors, \"ax\"\n"
    ".macro irq_entry idx\n"
    ".balign 0x80\n"
    "sub sp, sp, #272\n"
    "stp x0, x1, [sp]\n"
    "mov x0, #\\idx\n"
    "b irq_common\n"
    ".endm\n"
    ".balign 0x800\n"
    ".global irq_vectors\n"
    "irq_vectors:\n"
    "irq_entry 0\n irq_entry 1\n irq_entry 2\n irq_entry 3\n"
    "irq_entry 4\n irq_entry 5\n irq_entry 6\n irq_entry 7\n"
    "irq_entry 8\n irq_entry 9\n irq_entry 10\n irq_entry 11\n"
    "irq_entry 12\n irq_entry 13\n irq_entry 14\n irq_entry 15\n"
    "irq_common:\n"
    "stp x2, x3, [sp, #16]\n stp x4, x5, [sp, #32]\n stp x6, x7, [sp, #48]\n"
    "stp x8, x9, [sp, #64]\n stp x10, x11, [sp, #80]\n stp x12, x13, [sp, #96]\n"
    "stp x14, x15, [sp, #112]\n stp x16, x17, [sp, #128]\n stp x18, x19, [sp, #144]\n"
    "stp x20, x21, [sp, #160]\n stp x22, x23, [sp, #176]\n stp x24, x25, [sp, #192]\n"
    "stp x26, x27, [sp, #208]\n stp x28, x29, [sp, #224]\n"
    "mrs x2, elr_el1\n"
    "stp x30, x2, [sp, #240]\n"
    "mrs x2, spsr_el1\n"
    "mrs x3, sp_el0\n"
    "stp x2, x3, [sp, #256]\n"
    "mov x1, sp\n"
    "bl handle_exception\n"
    "msr daifset, #0xf\n"
    "ldp x30, x2, [sp, #240]\n"
    "msr elr_el1, x2\n"
    "ldp x2, x3, [sp, #256]\n"
    "msr spsr_el1, x2\n"
    "msr sp_el0, x3\n"
    "ldp x2, x3, [sp, #16]\n ldp x4, x5, [sp, #32]\n ldp x6, x7, [sp, #48]\n"
    "ldp x8, x9, [sp, #64]\n ldp x10, x11, [sp, #80]\n ldp x12, x13, [sp, #96]\n"
    "ldp x14, x15, [sp, #112]\n ldp x16, x17, [sp, #128]\n ldp x18, x19, [sp, #144]\n"
    "ldp x20, x21, [sp, #160]\n ldp x22, x23, [sp, #176]\n ldp x24, x25, [sp, #192]\n"
    "ldp x26, x27, [sp, #208]\n ldp x28, x29, [sp, #224]\n"
    "ldp x0, x1, [sp]\n"
    "add sp, sp, #272\n"
    "eret\n"
    ".popsection\n");

static inline void irq_install(void)
{
    __asm__ volatile("adr x0, irq_vectors\n\tmsr vbar_el1, x0\n\tisb" ::: "x0");
}

// ---------------------------------------------------------------------------
// Running code at EL0 (ARM ARM "Exception return").
//
// el0_enter(pc, spsr, sp0, a, b) saves the callee-saved registers and SP,
// then ERETs to `pc` with SPSR_EL1 = `spsr` (its M[3:0] = 0: EL0t),
// SP_EL0 = `sp0`, x0 = a and x1 = b.  When a handler decides that the EL0
// run is over it calls el0_exit(frame, value): the exception returns to
// el0_return at EL1 with every interrupt masked, which restores the saved
// state and returns `value` from el0_enter.

uint64_t el0_saved[14];

uint64_t el0_enter(uint64_t pc, uint64_t spsr, uint64_t sp0, uint64_t a, uint64_t b);
void el0_return(void);

__asm__(
    ".text\n"
    ".global el0_enter\n"
    "el0_enter:\n"
    "adrp x9, el0_saved\n"
    "add x9, x9, :lo12:el0_saved\n"
    "stp x19, x20, [x9, #0]\n stp x21, x22, [x9, #16]\n stp x23, x24, [x9, #32]\n"
    "stp x25, x26, [x9, #48]\n stp x27, x28, [x9, #64]\n stp x29, x30, [x9, #80]\n"
    "mov x10, sp\n"
    "str x10, [x9, #96]\n"
    "msr elr_el1, x0\n"
    "msr spsr_el1, x1\n"
    "msr sp_el0, x2\n"
    "mov x0, x3\n"
    "mov x1, x4\n"
    "eret\n"
    ".global el0_return\n"
    "el0_return:\n"
    "adrp x9, el0_saved\n"
    "add x9, x9, :lo12:el0_saved\n"
    "ldp x19, x20, [x9, #0]\n ldp x21, x22, [x9, #16]\n ldp x23, x24, [x9, #32]\n"
    "ldp x25, x26, [x9, #48]\n ldp x27, x28, [x9, #64]\n ldp x29, x30, [x9, #80]\n"
    "ldr x10, [x9, #96]\n"
    "mov sp, x10\n"
    "ret\n");

static inline void el0_exit(struct frame *f, uint64_t value)
{
    f->x[0] = value;
    f->elr = (uint64_t)el0_return;
    f->spsr = 0x3c5; // EL1h, DAIF masked
}

// ESR_EL1 fields (ARM ARM D17.2.37).
#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define ESR_ISS(esr) ((esr) & 0x1ffffff)
#define EC_SVC64 0x15
#define EC_SYSREG 0x18

static inline uint64_t esr_read(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, esr_el1" : "=r"(v));
    return v;
}

#endif
