// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Runtime of the AArch64 differential-test programs (gen.py writes the
// rest): fills the scratch buffer, runs the generated body, and prints the
// register state the body saved plus checksums of the scratch buffer on the
// PL011, so QEMU's and Chimera's outputs can be compared line by line.
// Links with tests/guests/aarch64/{start.S,lib.c,link.ld}.
#include "lib.h"

#define SCRATCH_WORDS (0x10000 / 8)
#define CHUNK_WORDS (0x1000 / 8)

extern uint64_t difftest_scratch[SCRATCH_WORDS];
extern const uint64_t difftest_fill_seed;
void difftest_body(void) __attribute__((noreturn));
void difftest_dump(const uint64_t *save) __attribute__((noreturn));

int main(void)
{
    uint64_t x = difftest_fill_seed | 1;
    for (int i = 0; i < SCRATCH_WORDS; i++) {
        // xorshift64: deterministic, different for every seed.
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        // Some small and some special words, so loads feed interesting values.
        switch (x >> 60) {
        case 0: difftest_scratch[i] = 0; break;
        case 1: difftest_scratch[i] = ~0ULL; break;
        case 2: difftest_scratch[i] = x & 0xff; break;
        case 3: difftest_scratch[i] = 0x8000000000000000ULL >> (x & 32); break;
        default: difftest_scratch[i] = x;
        }
    }
    difftest_body();
}

// save: X0-X30 at [0..30], SP at [31], NZCV at [32], then (if [33] is 1,
// the body took an exception) vector, ESR, ELR, FAR, SPSR at [34..38]
// (written by gen.py's code); FP/SIMD state (--fp) from [39] on.
void difftest_dump(const uint64_t *save)
{
    if (save[33]) {
        uint64_t esr = save[35], ec = esr >> 26;
        // SPSR.BTYPE (bits [11:10]) is left out: QEMU's `-cpu max` has
        // FEAT_BTI and records there the BR/BLR that led to the faulting
        // instruction; Chimera implements BTI on no model (it reads 0 on
        // cortex-a57 anyway).
        printf("exception vector %lu esr %08lx elr %016lx spsr %08lx\n",
               save[34], esr, save[36], save[38] & ~0xc00UL);
        // FAR is UNKNOWN except for aborts and PC alignment faults.
        if (ec == 0x20 || ec == 0x21 || ec == 0x22 || ec == 0x24 || ec == 0x25)
            printf("far %016lx\n", save[37]);
    }
    for (int n = 0; n < 31; n++)
        printf("x%02d %016lx\n", n, save[n]);
    printf("sp  %016lx\n", save[31]);
    // After an exception, NZCV as it was is in SPSR: QEMU 7.2 clears PSTATE.NZCV
    // on exception entry, which the architecture leaves unchanged.
    printf("nzcv %lx\n", (save[33] ? save[38] : save[32]) >> 28);
    // --fp programs: V0-V31 (as 128-bit numbers), FPSR and FPCR, saved at
    // [64..129] by gen.py's code, which sets [39]. [40..42]: an exception
    // taken while saving them (FP/SIMD trapped), with its ESR and ELR.
    if (save[40])
        printf("exception while saving the FP/SIMD state: esr %08lx elr %016lx\n", save[41], save[42]);
    if (save[39]) {
        for (int n = 0; n < 32; n++)
            printf("v%02d %016lx%016lx\n", n, save[64 + 2 * n + 1], save[64 + 2 * n]);
        printf("fpsr %08lx\n", save[128]);
        printf("fpcr %08lx\n", save[129]);
    }
    // --fp: UNDEFINED random words the handler logged and skipped: their
    // number at [43], ESR and ELR of the first 32 from [192] on.
    if (save[43]) {
        printf("skipped undefined %lu\n", save[43]);
        for (uint64_t i = 0; i < save[43] && i < 32; i++)
            printf("undefined esr %08lx elr %016lx\n", save[192 + 2 * i], save[193 + 2 * i]);
    }
    for (int c = 0; c < SCRATCH_WORDS / CHUNK_WORDS; c++) {
        uint64_t h = 0xcbf29ce484222325ULL;
        for (int i = 0; i < CHUNK_WORDS; i++) {
            h ^= difftest_scratch[c * CHUNK_WORDS + i];
            h *= 0x100000001b3ULL;
            h ^= h >> 29;
        }
        printf("mem%02d %016lx\n", c, h);
    }
    puts("end");
    __poweroff();
}
