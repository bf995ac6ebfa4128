// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Shared by the execution-set guests (benches/guests/NAME.c). Each guest is
// the same C for AArch64 and SPARC V8, built against the bare-metal runtime of
// its architecture (tests/guests/ARCH: start.S, lib.c, lib.h), so only what
// both runtimes offer is used: putchar, puts, a printf without 64-bit
// conversions, memcpy and memset. All arithmetic is 32-bit: a SPARC guest
// never links libgcc (Debian's 32-bit libgcc is V8+), so 64-bit division,
// multiplication or variable shifts would not even link. With the same work
// and no pointer-sized or byte-order-dependent values in the checksums, both
// ISAs print the same output (all but recurse, whose round count differs):
// a cross-check of the two translators beyond each one against QEMU.
#ifndef CHIMERA_BENCH_H
#define CHIMERA_BENCH_H

#include "lib.h"

// Both printfs accept %u/%x of an unsigned int; uint32_t is one on both.
_Static_assert(sizeof(unsigned) == 4, "uint32_t must print with %u/%x");

// The runtimes' link maps put .data and .bss right after the code, so a hot
// array or variable can share a 4 KiB page with translated code, and every
// store to it then takes the emulators' self-modifying-code slow path (QEMU:
// about 20x slower on a heapsort whose root shared the code's page). Aligning
// this .data variable to a page aligns the whole .data output section, and
// .bss follows it: no guest writes to a page holding code.
static uint32_t bench_rng __attribute__((used, aligned(4096))) = 0x9e3779b9u;

static inline void rng_seed(uint32_t s)
{
    // xorshift32 must never hold 0.
    bench_rng = s ? s : 0x9e3779b9u;
}

// Marsaglia's xorshift32: cheap, 32-bit only, the same sequence on both ISAs.
static inline uint32_t rng_next(void)
{
    uint32_t x = bench_rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return bench_rng = x;
}

// Folds v into the running checksum h (FNV-1a step on a whole word plus a
// shift, so the order of the values matters).
static inline uint32_t mix(uint32_t h, uint32_t v)
{
    h ^= v;
    h *= 0x01000193u;
    return h ^ (h >> 15);
}

// The last line of every guest: what QEMU and Chimera must agree on.
static inline void bench_done(const char *name, uint32_t sum)
{
    printf("%s: checksum %08x\n", name, sum);
}

#endif
