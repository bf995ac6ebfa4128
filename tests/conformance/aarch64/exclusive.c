// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Exclusive and acquire/release accesses (ARM ARM B2.9 "Synchronization and
// semaphores"; C6.2 LDXR/STXR, LDXP/STXP, LDAXR/STLXR, LDAXP/STLXP, CLREX,
// LDAR/STLR).  Each line prints the status register Ws of the store
// exclusive (0 = success, 1 = failure; the X register is preset with
// garbage, so the write must zero bits [63:32]), the loaded value(s) and
// the memory afterwards.  Whether a normal store by the same PE to the
// monitored address clears the local monitor is IMPLEMENTATION DEFINED
// (B2.9.5); those lines record QEMU's behaviour.  Not tested: an STXR of
// another size than its LDXR, where QEMU 7.2 writes memory and still
// returns status 1, an outcome the architecture does not allow.
#include "conf.h"

#define GARBAGE 0xdeadbeefdeadbeefUL

static uint64_t mem[8] __attribute__((aligned(64)));

static void reset(void)
{
    for (unsigned i = 0; i < 8; i++)
        mem[i] = 0x1111111111111111UL * (i + 1);
    __asm__ volatile("clrex" ::: "memory");
}

static void report(const char *what, uint64_t st, uint64_t ld)
{
    printf("%s: status=%016lx loaded=%016lx mem=%016lx %016lx\n", what, st, ld,
           mem[0], mem[1]);
}

// LDXR then STXR of `new` at the same address, per size.
#define PLAIN(ldx, stx, reg, name)                                            \
    do {                                                                      \
        uint64_t st = GARBAGE, ld = GARBAGE, nv = 0x0123456789abcdefUL;       \
        reset();                                                              \
        __asm__ volatile(ldx " %" reg "1, [%2]\n\t" stx " %w0, %" reg "3, [%2]" \
                         : "+&r"(st), "+&r"(ld) : "r"(mem), "r"(nv) : "memory"); \
        report(name, st, ld);                                                 \
    } while (0)

int main(void)
{
    printf("exclusive: begin\n");
    PLAIN("ldxrb", "stxrb", "w", "ldxrb/stxrb");
    PLAIN("ldxrh", "stxrh", "w", "ldxrh/stxrh");
    PLAIN("ldxr", "stxr", "w", "ldxr/stxr w");
    PLAIN("ldxr", "stxr", "x", "ldxr/stxr x");
    PLAIN("ldaxrb", "stlxrb", "w", "ldaxrb/stlxrb");
    PLAIN("ldaxrh", "stlxrh", "w", "ldaxrh/stlxrh");
    PLAIN("ldaxr", "stlxr", "w", "ldaxr/stlxr w");
    PLAIN("ldaxr", "stlxr", "x", "ldaxr/stlxr x");
    PLAIN("ldxr", "stlxr", "x", "ldxr/stlxr x");
    PLAIN("ldaxr", "stxr", "x", "ldaxr/stxr x");

    uint64_t st, ld, nv = 0x0123456789abcdefUL, t;

    // No LDXR at all (the monitor is open after CLREX).
    reset();
    st = GARBAGE;
    __asm__ volatile("stxr %w0, %1, [%2]" : "+&r"(st) : "r"(nv), "r"(mem) : "memory");
    report("stxr without ldxr", st, 0);

    // CLREX between the two.
    reset();
    st = GARBAGE;
    __asm__ volatile("ldxr %1, [%2]\n\tclrex\n\tstxr %w0, %3, [%2]"
                     : "+&r"(st), "=&r"(ld) : "r"(mem), "r"(nv) : "memory");
    report("ldxr, clrex, stxr", st, ld);

    // An ordinary store of a different value to the same address.
    reset();
    st = GARBAGE;
    t = 0x5555555555555555UL;
    __asm__ volatile("ldxr %1, [%2]\n\tstr %4, [%2]\n\tstxr %w0, %3, [%2]"
                     : "+&r"(st), "=&r"(ld) : "r"(mem), "r"(nv), "r"(t) : "memory");
    report("ldxr, str other value, stxr", st, ld);

    // An ordinary store of the same value to the same address.
    reset();
    st = GARBAGE;
    __asm__ volatile("ldxr %1, [%2]\n\tstr %1, [%2]\n\tstxr %w0, %3, [%2]"
                     : "+&r"(st), "=&r"(ld) : "r"(mem), "r"(nv) : "memory");
    report("ldxr, str same value, stxr", st, ld);

    // An ordinary store to another word of the same 64-byte granule.
    reset();
    st = GARBAGE;
    __asm__ volatile("ldxr %1, [%2]\n\tstr %1, [%2, #8]\n\tstxr %w0, %3, [%2]"
                     : "+&r"(st), "=&r"(ld) : "r"(mem), "r"(nv) : "memory");
    report("ldxr, str other word, stxr", st, ld);

    // STXR to a different address than the LDXR.
    reset();
    st = GARBAGE;
    __asm__ volatile("ldxr %1, [%2]\n\tstxr %w0, %3, [%4]"
                     : "+&r"(st), "=&r"(ld) : "r"(mem), "r"(nv), "r"(mem + 1) : "memory");
    report("ldxr [a], stxr [a+8]", st, ld);

    // Two STXRs after one LDXR: the first clears the monitor.
    reset();
    {
        uint64_t st2 = GARBAGE;
        st = GARBAGE;
        __asm__ volatile("ldxr %2, [%3]\n\tstxr %w0, %4, [%3]\n\tstxr %w1, %2, [%3]"
                         : "+&r"(st), "+&r"(st2), "=&r"(ld) : "r"(mem), "r"(nv) : "memory");
        report("ldxr, stxr, stxr (first)", st, ld);
        report("ldxr, stxr, stxr (second)", st2, ld);
    }

    // A second LDXR to another address moves the monitor.
    reset();
    st = GARBAGE;
    __asm__ volatile("ldxr %1, [%2]\n\tldxr %1, [%4]\n\tstxr %w0, %3, [%4]"
                     : "+&r"(st), "=&r"(ld) : "r"(mem), "r"(nv), "r"(mem + 1) : "memory");
    report("ldxr [a], ldxr [a+8], stxr [a+8]", st, ld);
    reset();
    st = GARBAGE;
    __asm__ volatile("ldxr %1, [%2]\n\tldxr %1, [%4]\n\tstxr %w0, %3, [%2]"
                     : "+&r"(st), "=&r"(ld) : "r"(mem), "r"(nv), "r"(mem + 1) : "memory");
    report("ldxr [a], ldxr [a+8], stxr [a]", st, ld);

    // Pairs.
#define PAIR(ldx, stx, reg, name)                                             \
    do {                                                                      \
        uint64_t l1 = GARBAGE, l2 = GARBAGE, n1 = 0xa1a2a3a4a5a6a7a8UL;      \
        uint64_t n2 = 0xb1b2b3b4b5b6b7b8UL;                                   \
        reset();                                                              \
        st = GARBAGE;                                                         \
        __asm__ volatile(ldx " %" reg "1, %" reg "2, [%3]\n\t" stx            \
                         " %w0, %" reg "4, %" reg "5, [%3]"                   \
                         : "+&r"(st), "+&r"(l1), "+&r"(l2)                    \
                         : "r"(mem), "r"(n1), "r"(n2) : "memory");            \
        printf("%s: status=%016lx loaded=%016lx %016lx mem=%016lx %016lx\n",  \
               name, st, l1, l2, mem[0], mem[1]);                             \
    } while (0)
    PAIR("ldxp", "stxp", "w", "ldxp/stxp w");
    PAIR("ldxp", "stxp", "x", "ldxp/stxp x");
    PAIR("ldaxp", "stlxp", "w", "ldaxp/stlxp w");
    PAIR("ldaxp", "stlxp", "x", "ldaxp/stlxp x");
    {
        uint64_t l1, l2, n1 = 1, n2 = 2;
        reset();
        st = GARBAGE;
        __asm__ volatile("ldxp %1, %2, [%3]\n\tclrex\n\tstxp %w0, %4, %5, [%3]"
                         : "+&r"(st), "=&r"(l1), "=&r"(l2)
                         : "r"(mem), "r"(n1), "r"(n2) : "memory");
        printf("ldxp, clrex, stxp: status=%016lx mem=%016lx %016lx\n", st, mem[0],
               mem[1]);
    }

    // Load-acquire / store-release, every size.
#define ACQ(insn, reg)                                                        \
    do {                                                                      \
        uint64_t r = GARBAGE;                                                 \
        reset();                                                              \
        mem[0] = 0xf1e2d3c4b5a69788UL;                                        \
        __asm__ volatile(insn " %" reg "0, [%1]" : "+r"(r) : "r"(mem) : "memory"); \
        printf(insn " " reg " -> %016lx\n", r);                               \
    } while (0)
#define REL(insn, reg)                                                        \
    do {                                                                      \
        uint64_t v = 0x0123456789abcdefUL;                                    \
        reset();                                                              \
        __asm__ volatile(insn " %" reg "0, [%1]" : : "r"(v), "r"(mem) : "memory"); \
        printf(insn " " reg " -> mem=%016lx\n", mem[0]);                      \
    } while (0)
    ACQ("ldarb", "w"); ACQ("ldarh", "w"); ACQ("ldar", "w"); ACQ("ldar", "x");
    REL("stlrb", "w"); REL("stlrh", "w"); REL("stlr", "w"); REL("stlr", "x");

    // A retry loop as compilers emit it (atomic fetch-add).
    reset();
    {
        uint64_t old, tmp, status, tries = 0;
        __asm__ volatile("1: add %3, %3, #1\n\t"
                         "ldaxr %0, [%4]\n\t"
                         "add %1, %0, #5\n\t"
                         "stlxr %w2, %1, [%4]\n\t"
                         "cbnz %w2, 1b"
                         : "=&r"(old), "=&r"(tmp), "=&r"(status), "+&r"(tries)
                         : "r"(mem) : "memory");
        printf("fetch-add loop: old=%016lx new=%016lx tries=%lu\n", old, mem[0], tries);
    }
    printf("exclusive: end\n");
    return 0;
}
