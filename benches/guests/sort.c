// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Execution set: sorting. Quicksort (median of three, recursion on the
// smaller part, insertion sort below 16 elements) and heapsort (sift-down with
// unpredictable branches) of 32K random 32-bit keys, each result checked and
// folded into the checksum. Compare-and-branch heavy; the quicksort partition
// loops are the hot, hard-to-predict inner loops.
#include "bench.h"

#define ROUNDS 60
#define N 32768

static uint32_t a[N];

static void insertion_sort(uint32_t *v, int lo, int hi)
{
    for (int i = lo + 1; i <= hi; i++) {
        uint32_t x = v[i];
        int j = i - 1;
        while (j >= lo && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

static void quicksort(uint32_t *v, int lo, int hi)
{
    while (hi - lo > 16) {
        int mid = lo + (hi - lo) / 2;
        uint32_t t;
        if (v[mid] < v[lo]) { t = v[mid]; v[mid] = v[lo]; v[lo] = t; }
        if (v[hi] < v[lo]) { t = v[hi]; v[hi] = v[lo]; v[lo] = t; }
        if (v[hi] < v[mid]) { t = v[hi]; v[hi] = v[mid]; v[mid] = t; }
        uint32_t pivot = v[mid];
        int i = lo - 1, j = hi + 1;
        for (;;) {
            do i++; while (v[i] < pivot);
            do j--; while (v[j] > pivot);
            if (i >= j)
                break;
            t = v[i]; v[i] = v[j]; v[j] = t;
        }
        // Recurse into the smaller half, loop on the larger: bounded depth.
        if (j - lo < hi - j) {
            quicksort(v, lo, j);
            lo = j + 1;
        } else {
            quicksort(v, j + 1, hi);
            hi = j;
        }
    }
    insertion_sort(v, lo, hi);
}

static void sift_down(uint32_t *v, uint32_t root, uint32_t n)
{
    uint32_t x = v[root];
    for (;;) {
        uint32_t child = 2 * root + 1;
        if (child >= n)
            break;
        if (child + 1 < n && v[child + 1] > v[child])
            child++;
        if (v[child] <= x)
            break;
        v[root] = v[child];
        root = child;
    }
    v[root] = x;
}

static void heapsort(uint32_t *v, uint32_t n)
{
    for (uint32_t i = n / 2; i-- > 0;)
        sift_down(v, i, n);
    for (uint32_t end = n - 1; end > 0; end--) {
        uint32_t t = v[0];
        v[0] = v[end];
        v[end] = t;
        sift_down(v, 0, end);
    }
}

// Checks the order and hashes a sample of the sorted keys; a disorder shows up
// as a count in the output.
static uint32_t verify(const uint32_t *v, uint32_t *disorder)
{
    uint32_t h = 0;
    for (uint32_t i = 1; i < N; i++)
        *disorder += v[i - 1] > v[i];
    for (uint32_t i = 0; i < N; i += 61)
        h = mix(h, v[i]);
    return h;
}

static void fill(uint32_t seed, uint32_t mask)
{
    rng_seed(seed);
    for (uint32_t i = 0; i < N; i++)
        a[i] = rng_next() & mask;
}

int main(void)
{
    uint32_t sum = 0, disorder = 0;
    puts("sort: quicksort and heapsort of 32K keys");
    for (uint32_t round = 0; round < ROUNDS; round++) {
        // Every third round has many duplicate keys (a small key range).
        uint32_t mask = round % 3 == 2 ? 0x3ffu : 0xffffffffu;
        fill(round * 7919 + 1, mask);
        quicksort(a, 0, N - 1);
        uint32_t hq = verify(a, &disorder);
        fill(round * 7919 + 1, mask);
        heapsort(a, N);
        uint32_t hh = verify(a, &disorder);
        sum = mix(mix(sum, hq), hh);
        if (round % 20 == 0)
            printf("round %u: quicksort %08x heapsort %08x min %08x max %08x\n",
                   round, hq, hh, a[0], a[N - 1]);
    }
    printf("out of order: %u\n", disorder);
    bench_done("sort", sum);
    return 0;
}
