// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Runtime of the SPARC V8 differential-test programs (gen.py writes the
// body, runtime.S the trap table): fills the scratch buffer, runs the
// generated body, and prints on the APBUART the registers the body saved,
// the window trap counts, the trap log and checksums of the scratch buffer,
// so QEMU's and Chimera's outputs can be compared line by line. Links with
// tests/guests/sparc/{start.S,lib.c,link.ld}.
#include "lib.h"

// The region %g7 points into: [0, 256) the save area, [256, 8192) the
// scratch buffer the program's loads and stores use.
#define REGION_WORDS (8192 / 4)
#define SAVE_WORDS (256 / 4)
#define CHUNK_WORDS (1024 / 4)
#define LOG_MAX 1024
#define LOG_PRINT 64

extern uint32_t difftest_region[REGION_WORDS];
extern const uint32_t difftest_fill_seed;
extern uint32_t difftest_trap_count, difftest_overflows, difftest_underflows;
extern uint32_t difftest_trap_log[LOG_MAX * 4];
void difftest_body(void) __attribute__((noreturn));
void difftest_dump(const uint32_t *save) __attribute__((noreturn));

int main(void)
{
    uint32_t x = difftest_fill_seed | 1;
    for (int i = SAVE_WORDS; i < REGION_WORDS; i++) {
        // xorshift32: deterministic, different for every seed.
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        // Some small and some special words, so loads feed interesting values.
        switch (x >> 28) {
        case 0: difftest_region[i] = 0; break;
        case 1: difftest_region[i] = ~0u; break;
        case 2: difftest_region[i] = x & 0xff; break;
        case 3: difftest_region[i] = (x & 1) ? 0x80000000u : 0x7fffffffu; break;
        default: difftest_region[i] = x;
        }
    }
    difftest_body();
}

static uint32_t hash(const uint32_t *p, int n)
{
    uint32_t h = 0x811c9dc5u;
    for (int i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x01000193u;
        h ^= h >> 15;
    }
    return h;
}

// save: %g0-%g7, %o0-%o7, %l0-%l7, %i0-%i7 at [0..31], then Y, PSR, WIM,
// TBR at [32..35] (written by gen.py's difftest_end).
void difftest_dump(const uint32_t *save)
{
    static const char bank[4] = {'g', 'o', 'l', 'i'};
    for (int n = 0; n < 32; n++)
        printf("%c%d %08x\n", bank[n >> 3], n & 7, save[n]);
    printf("y %08x\n", save[32]);
    printf("psr %08x icc %x cwp %u\n", save[33], (save[33] >> 20) & 15, save[33] & 31);
    printf("wim %08x\n", save[34]);
    printf("tbr %08x\n", save[35]);
    printf("window overflows %u underflows %u\n", difftest_overflows, difftest_underflows);
    uint32_t n = difftest_trap_count, logged = n < LOG_MAX ? n : LOG_MAX;
    // Fatal traps anywhere in the log, also beyond the entries printed.
    uint32_t fatal = 0;
    for (uint32_t i = 0; i < logged; i++)
        fatal += (difftest_trap_log[4 * i] & 0x100) != 0;
    printf("traps %u log %08x fatal %u\n", n, hash(difftest_trap_log, 4 * logged), fatal);
    for (uint32_t i = 0; i < logged && i < LOG_PRINT; i++) {
        const uint32_t *e = &difftest_trap_log[4 * i];
        printf("trap %s%02x pc %08x npc %08x psr %08x\n", (e[0] & 0x100) ? "FATAL " : "", e[0] & 0xff, e[1], e[2],
               e[3]);
    }
    for (int c = 0; c < (REGION_WORDS - SAVE_WORDS) / CHUNK_WORDS + 1; c++) {
        int start = SAVE_WORDS + c * CHUNK_WORDS;
        int len = start + CHUNK_WORDS <= REGION_WORDS ? CHUNK_WORDS : REGION_WORDS - start;
        if (len > 0)
            printf("mem%d %08x\n", c, hash(&difftest_region[start], len));
    }
    puts("end");
    __halt();
}
