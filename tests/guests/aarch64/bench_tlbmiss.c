// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Benchmark: the cost of TLB misses with the MMU on: each round invalidates
// every translation (TLBI VMALLE1, DSB, ISB: ARM ARM D5.10) and then reads
// one word from each of 64 pages, each of which needs a table walk.  Prints
// a checksum of what it read.
// guest-variant: mmu
#include "lib.h"

#define ROUNDS 60000
#define PAGES 64

static uint32_t data[PAGES][1024] __attribute__((aligned(4096)));

int main(void)
{
    for (uint32_t p = 0; p < PAGES; p++)
        for (uint32_t w = 0; w < 1024; w += 64)
            data[p][w] = p * 2654435761u + w;
    uint32_t sum = 0;
    for (uint32_t r = 0; r < ROUNDS; r++) {
        __asm__ volatile("tlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory");
        for (uint32_t p = 0; p < PAGES; p++)
            sum = sum * 31 + ((volatile uint32_t *)data[p])[(r * 64) & 1023];
    }
    printf("%u rounds of %u page walks, checksum %08x\n", ROUNDS, PAGES, sum);
    return 0;
}
