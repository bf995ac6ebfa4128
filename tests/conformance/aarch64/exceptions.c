// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Synchronous exceptions taken to EL1 (ARM ARM D1.10 "Exception entry",
// D17.2.37 ESR_EL1 with the exception classes of D17.2.37.1), caught by the
// vector table of trap.h.  A test that takes no exception prints
// "no exception".
#include "trap.h"

static uint64_t el0_stack[512] __attribute__((aligned(16)));

// Runs `insn` with x16 = address of it recorded in conf_mark.  `setup` may
// use x0, x15, x17 (all clobbered).
#define TRAP(name, setup, insn)                                               \
    do {                                                                      \
        begin(name);                                                          \
        __asm__ volatile(setup "\n\t"                                         \
                         "adr x16, 1f\n\t"                                    \
                         "str x16, [%0]\n"                                    \
                         "1: " insn "\n\t"                                    \
                         : : "r"(&conf_mark)                                  \
                         : "x0", "x15", "x16", "x17", "memory", "cc");        \
        end();                                                                \
    } while (0)

// A load or store at address `addr`; prints the loaded value if it returns.
#define ACCESS(name, insn, addr)                                              \
    do {                                                                      \
        uint64_t v = 0x5a5a5a5a5a5a5a5aUL, a = (addr);                        \
        begin(name);                                                          \
        __asm__ volatile("adr x16, 1f\n\t"                                    \
                         "str x16, [%1]\n"                                    \
                         "1: " insn "\n\t"                                    \
                         : "+r"(v) : "r"(&conf_mark), "r"(a)                  \
                         : "x16", "memory");                                  \
        end();                                                                \
        printf("  value=%016lx\n", v);                                        \
    } while (0)

// Branch (BLR) to `target`, resuming at the next instruction.
#define BRANCH(name, target)                                                  \
    do {                                                                      \
        uint64_t t = (target);                                                \
        begin(name);                                                          \
        __asm__ volatile("adr x16, 2f\n\t"                                    \
                         "str x16, [%1]\n\t"                                  \
                         "str %0, [%2]\n\t"                                   \
                         "blr %0\n"                                           \
                         "2:\n\t"                                             \
                         : "+r"(t) : "r"(&conf_resume), "r"(&conf_mark)       \
                         : "x16", "x30", "memory");                           \
        conf_resume = 0;                                                      \
        end();                                                                \
    } while (0)

static uint64_t data[4] __attribute__((aligned(16))) = {
    0x0011223344556677UL, 0x8899aabbccddeeffUL, 0, 0,
};

int main(void)
{
    printf("exceptions: begin\n");
    conf_install();
    {
        uint64_t vbar, sctlr, daif;
        __asm__ volatile("mrs %0, vbar_el1" : "=r"(vbar));
        __asm__ volatile("mrs %0, daif" : "=r"(daif));
        __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
        printf("vbar_el1 low 11 bits=%03lx daif=%08lx sctlr.M=%lu sctlr.A=%lu sctlr.SA=%lu\n",
               vbar & 0x7ff, daif, sctlr & 1, (sctlr >> 1) & 1, (sctlr >> 3) & 1);
    }

    // Undefined and unallocated encodings.
    TRAP("udf #0 (0x00000000)", "", ".inst 0x00000000");
    TRAP("udf #0xffff", "", ".inst 0x0000ffff");
    TRAP("unallocated 0xffffffff", "", ".inst 0xffffffff");
    TRAP("unallocated 0x04000000 (SVE space, no SVE)", "", ".inst 0x04000000");
    TRAP("unallocated 0xd4a00000 (exception-gen opc=101)", "", ".inst 0xd4a00000");
    TRAP("unallocated 0xd4000000 (svc with LL=00)", "", ".inst 0xd4000000");
    TRAP("fp insn with CPACR_EL1.FPEN=0: fmov d0, x0", "", ".inst 0x9e670000");

    // Exception-generating instructions.
    TRAP("svc #0", "", "svc #0");
    TRAP("svc #0x42", "", "svc #0x42");
    TRAP("svc #0xffff", "", "svc #0xffff");
    TRAP("brk #0", "", "brk #0");
    TRAP("brk #0x1234", "", "brk #0x1234");
    TRAP("brk #0xffff", "", ".inst 0xd4200000 | (0xffff << 5)");
    TRAP("hlt #0x1234", "", "hlt #0x1234");
    TRAP("smc #0 (x0=0; no EL3)", "mov x0, #0", "smc #0");
    // HVC with no EL2 is UNDEFINED (D1.4.x), but QEMU's virt board takes
    // every HVC as a PSCI call (conduit "hvc") and answers unknown function
    // ids with NOT_SUPPORTED (-1) in x0.
    {
        uint64_t r;
        begin("hvc #1 with x0=0 (not a PSCI function id)");
        __asm__ volatile("mov x0, #0\n\tadr x16, 1f\n\tstr x16, [%1]\n"
                         "1: hvc #1\n\tmov %0, x0"
                         : "=r"(r) : "r"(&conf_mark) : "x0", "x1", "x2", "x3", "x16", "memory");
        end();
        printf("  x0=%016lx\n", r);
        begin("hvc #0 with x0=PSCI_VERSION (0x84000000)");
        __asm__ volatile("mov x0, #0x84000000\n\thvc #0\n\tmov %0, x0"
                         : "=r"(r) : : "x0", "x1", "x2", "x3", "memory");
        end();
        printf("  x0=%016lx\n", r);
        begin("hvc #0 with x0=PSCI_FEATURES(PSCI_VERSION)");
        __asm__ volatile("mov x0, #0x000a\n\tmovk x0, #0x8400, lsl #16\n\t"
                         "mov x1, #0x84000000\n\thvc #0\n\tmov %0, x0"
                         : "=r"(r) : : "x0", "x1", "x2", "x3", "memory");
        end();
        printf("  x0=%016lx\n", r);
    }

    // Flags survive an exception and return (SPSR_EL1 round trip).
    {
        uint64_t f;
        begin("nzcv across svc");
        __asm__ volatile("mov x0, #0xa0000000\n\tmsr nzcv, x0\n\t"
                         "adr x16, 1f\n\tstr x16, [%1]\n"
                         "1: svc #1\n\tmrs %0, nzcv"
                         : "=r"(f) : "r"(&conf_mark) : "x0", "x16", "memory", "cc");
        end();
        printf("  nzcv after=%08lx\n", f);
    }

    // System register accesses that do not exist at EL1.
    TRAP("mrs hcr_el2 (no EL2)", "", "mrs x0, hcr_el2");
    TRAP("mrs s3_0_c15_c15_7 (unallocated)", "", "mrs x0, s3_0_c15_c15_7");
    TRAP("msr midr_el1 (read-only)", "", "msr s3_0_c0_c0_0, x0");
    TRAP("mrs scr_el3 (no EL3)", "", "mrs x0, scr_el3");
    TRAP("eret at EL1 with ELR=next and SPSR=EL1h",
         "adr x0, 1f + 4\n\tmsr elr_el1, x0\n\tmov x0, #0x3c5\n\tmsr spsr_el1, x0",
         "eret");

    // Data aborts.
    ACCESS("ldr x, [0x0] (flash on QEMU virt)", "ldr %0, [%2]", 0x0UL);
    ACCESS("ldr x, [0x100000000] (unmapped)", "ldr %0, [%2]", 0x100000000UL);
    ACCESS("ldrb w, [0x100000003] (unmapped)", "ldrb %w0, [%2]", 0x100000003UL);
    ACCESS("str x, [0x100000000] (unmapped)", "str %0, [%2]", 0x100000000UL);
    ACCESS("ldr x, [0x7fff00000000] (unmapped, high)", "ldr %0, [%2]", 0x7fff00000000UL);
    ACCESS("ldr x, [1 << 48] (beyond the PA size)", "ldr %0, [%2]", 1UL << 48);
    ACCESS("ldr x, [0xffff000040000000] (top bits set)", "ldr %0, [%2]",
           0xffff000040000000UL);
    ACCESS("ldp x, x, [0x100000000] (unmapped)", "ldp %0, xzr, [%2]", 0x100000000UL);

    // Alignment: ordinary accesses (MMU off: Device memory, D5.2.9) and
    // exclusives/acquires (always checked, B2.5.2).
    ACCESS("ldr x, [data+1] (unaligned)", "ldr %0, [%2]", (uint64_t)data + 1);
    ACCESS("ldr w, [data+2] (unaligned)", "ldr %w0, [%2]", (uint64_t)data + 2);
    ACCESS("ldrh w, [data+1] (unaligned)", "ldrh %w0, [%2]", (uint64_t)data + 1);
    ACCESS("str x, [data+4+8] (unaligned)", "str %0, [%2]", (uint64_t)data + 12);
    ACCESS("ldxr x, [data+4] (unaligned)", "ldxr %0, [%2]", (uint64_t)data + 4);
    ACCESS("ldar w, [data+2] (unaligned)", "ldar %w0, [%2]", (uint64_t)data + 2);
    ACCESS("ldaxr x, [data+8] (aligned)", "ldaxr %0, [%2]", (uint64_t)data + 8);
    ACCESS("ldxp x, x, [data+8] (16-byte pair at 8)", "ldxp %0, xzr, [%2]", (uint64_t)data + 8);
    ACCESS("stlr w, [data+1] (unaligned)", "stlr %w0, [%2]", (uint64_t)data + 1);
    __asm__ volatile("clrex" ::: "memory");

    // Instruction aborts and PC alignment.
    BRANCH("blr 0x100000000 (unmapped)", 0x100000000UL);
    BRANCH("blr 0x0 (flash on QEMU virt, erased: reads as 0 = udf)", 0x0UL);
    {
        uint64_t target;
        __asm__ volatile("adr %0, 1f\n\tb 2f\n1: ret\n2:" : "=r"(target));
        BRANCH("blr to a ret, +2 (PC alignment)", target + 2);
        BRANCH("blr to a ret, +1 (PC alignment)", target + 1);
        BRANCH("blr to a ret (aligned, returns)", target);
    }

    // SP alignment: SCTLR_EL1.SA is set, but QEMU does not check it.
    {
        uint64_t v, sp_after;
        data[2] = 0x1122334455667788UL;
        begin("ldr x, [sp] with sp 8 mod 16");
        __asm__ volatile("mov x17, sp\n\t"
                         "add x15, %2, #0\n\t"
                         "mov sp, x15\n\t"
                         "adr x16, 1f\n\t"
                         "str x16, [%3]\n"
                         "1: ldr %0, [sp]\n\t"
                         "mov %1, sp\n\t"
                         "mov sp, x17"
                         : "=&r"(v), "=&r"(sp_after)
                         : "r"((uint64_t)&data[2] - 8 + 8), "r"(&conf_mark)
                         : "x15", "x16", "x17", "memory");
        end();
        printf("  value=%016lx sp moved %ld\n", v, (int64_t)(sp_after - (uint64_t)&data[2]));
        begin("add sp, sp, #8 then sub: no access");
        __asm__ volatile("add sp, sp, #8\n\tsub sp, sp, #8" ::: "memory");
        end();
    }

    // SPSel: run on SP_EL0 at EL1, take an SVC.  The exception uses the
    // "current EL with SP_EL0" vector, runs on SP_EL1 (D1.10.2), and ERET
    // restores SPSel from SPSR.M[0].
    {
        uint64_t sp_in, sp_out, spsel_in, spsel_out;
        begin("svc #7 with spsel=0");
        __asm__ volatile("mov x17, sp\n\t"
                         "str x17, [%4]\n\t"
                         "add x16, %6, #4096\n\t"
                         "str x16, [%5]\n\t"
                         "msr sp_el0, x16\n\t"
                         "msr spsel, #0\n\t"
                         "mrs %2, spsel\n\t"
                         "mov %0, sp\n\t"
                         "adr x16, 1f\n\t"
                         "str x16, [%7]\n"
                         "1: svc #7\n\t"
                         "mov %1, sp\n\t"
                         "mrs %3, spsel\n\t"
                         "msr spsel, #1\n\t"
                         "mov sp, x17"
                         : "=&r"(sp_in), "=&r"(sp_out), "=&r"(spsel_in), "=&r"(spsel_out)
                         : "r"(&conf_sp_el1), "r"(&conf_sp_el0), "r"(el0_stack),
                           "r"(&conf_mark)
                         : "x16", "x17", "memory");
        end();
        printf("  before svc: spsel=%lu sp=%s; after: spsel=%lu sp=%s\n", spsel_in,
               sp_in == conf_sp_el0 ? "sp_el0" : "other", spsel_out,
               sp_out == conf_sp_el0 ? "sp_el0" : "other");
        uint64_t back;
        __asm__ volatile("mov %0, sp" : "=r"(back));
        printf("  back on sp_el1: %s\n", back == conf_sp_el1 ? "yes" : "no");
    }
    printf("exceptions: end\n");
    return 0;
}
