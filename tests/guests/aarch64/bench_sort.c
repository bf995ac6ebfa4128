// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Benchmark: quicksort of a 1M-element array of 32-bit numbers
// (branchy, recursive, memory heavy).  Verifies the result and prints a
// checksum.
#include "lib.h"

#ifndef ROUNDS
#define ROUNDS 5
#endif
#define N (1u << 20)

static uint32_t v[N];

static uint32_t rng = 0x9e3779b9u;

static uint32_t xorshift32(void)
{
    uint32_t x = rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng = x;
}

static void insertion_sort(uint32_t *a, long lo, long hi)
{
    for (long i = lo + 1; i <= hi; i++) {
        uint32_t x = a[i];
        long j = i - 1;
        while (j >= lo && a[j] > x) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = x;
    }
}

static void quicksort(uint32_t *a, long lo, long hi)
{
    while (hi - lo > 16) {
        long mid = lo + (hi - lo) / 2;
        uint32_t t;
        if (a[mid] < a[lo]) { t = a[mid]; a[mid] = a[lo]; a[lo] = t; }
        if (a[hi] < a[lo]) { t = a[hi]; a[hi] = a[lo]; a[lo] = t; }
        if (a[hi] < a[mid]) { t = a[hi]; a[hi] = a[mid]; a[mid] = t; }
        uint32_t pivot = a[mid];
        long i = lo - 1, j = hi + 1;
        for (;;) {
            do i++; while (a[i] < pivot);
            do j--; while (a[j] > pivot);
            if (i >= j)
                break;
            t = a[i]; a[i] = a[j]; a[j] = t;
        }
        if (j - lo < hi - j) {
            quicksort(a, lo, j);
            lo = j + 1;
        } else {
            quicksort(a, j + 1, hi);
            hi = j;
        }
    }
    insertion_sort(a, lo, hi);
}

int main(void)
{
    puts("bench_sort: quicksort of 1M 32-bit values");
    uint64_t total = 0;
    for (int round = 0; round < ROUNDS; round++) {
        for (uint32_t i = 0; i < N; i++)
            v[i] = xorshift32();
        quicksort(v, 0, N - 1);

        int sorted = 1;
        uint64_t h = 0xcbf29ce484222325ULL;
        for (uint32_t i = 0; i < N; i++) {
            if (i > 0 && v[i - 1] > v[i])
                sorted = 0;
            h = (h ^ v[i]) * 0x100000001b3ULL;
        }
        printf("round %d: sorted=%d min=%08x median=%08x max=%08x hash=%016lx\n",
               round, sorted, v[0], v[N / 2], v[N - 1], h);
        total ^= h + (uint64_t)round;
    }
    printf("checksum: %016lx\n", total);
    return 0;
}
