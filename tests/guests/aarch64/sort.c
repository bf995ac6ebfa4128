// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Sorting 2000 pseudo-random 32-bit numbers three ways and checking that
// the results agree.
#include "lib.h"

#define N 2000

static uint32_t orig[N], qs[N], is[N], ms[N], tmp[N];
static uint32_t rng_state = 2463534242u;

static uint32_t xorshift32(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rng_state = x;
    return x;
}

static void swap(uint32_t *a, uint32_t *b)
{
    uint32_t t = *a;
    *a = *b;
    *b = t;
}

// Quicksort on v[lo..hi] (inclusive), Hoare partition, median of three.
static void quicksort(uint32_t *v, long lo, long hi)
{
    while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        if (v[mid] < v[lo])
            swap(&v[mid], &v[lo]);
        if (v[hi] < v[lo])
            swap(&v[hi], &v[lo]);
        if (v[hi] < v[mid])
            swap(&v[hi], &v[mid]);
        uint32_t pivot = v[mid];
        long i = lo - 1, j = hi + 1;
        for (;;) {
            do
                i++;
            while (v[i] < pivot);
            do
                j--;
            while (v[j] > pivot);
            if (i >= j)
                break;
            swap(&v[i], &v[j]);
        }
        // Recurse into the smaller half, loop on the larger one.
        if (j - lo < hi - j) {
            quicksort(v, lo, j);
            lo = j + 1;
        } else {
            quicksort(v, j + 1, hi);
            hi = j;
        }
    }
}

static void insertion_sort(uint32_t *v, long n)
{
    for (long i = 1; i < n; i++) {
        uint32_t x = v[i];
        long j = i - 1;
        while (j >= 0 && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

static void merge_sort(uint32_t *v, uint32_t *t, long n)
{
    if (n < 2)
        return;
    long h = n / 2;
    merge_sort(v, t, h);
    merge_sort(v + h, t, n - h);
    long i = 0, j = h, k = 0;
    while (i < h && j < n)
        t[k++] = v[j] < v[i] ? v[j++] : v[i++];
    while (i < h)
        t[k++] = v[i++];
    while (j < n)
        t[k++] = v[j++];
    memcpy(v, t, n * sizeof(uint32_t));
}

static int is_sorted(const uint32_t *v, long n)
{
    for (long i = 1; i < n; i++)
        if (v[i - 1] > v[i])
            return 0;
    return 1;
}

// Order-dependent checksum (FNV-1a over the words).
static uint64_t checksum(const uint32_t *v, long n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (long i = 0; i < n; i++) {
        h ^= v[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static uint64_t sum(const uint32_t *v, long n)
{
    uint64_t s = 0;
    for (long i = 0; i < n; i++)
        s += v[i];
    return s;
}

static void show(const char *name, const uint32_t *v)
{
    printf("%-9s sorted=%d sum=%lu checksum=%016lx\n", name, is_sorted(v, N),
           sum(v, N), checksum(v, N));
}

int main(void)
{
    puts("sort test: 2000 xorshift32 values");
    for (int i = 0; i < N; i++)
        orig[i] = xorshift32();
    printf("input     sum=%lu checksum=%016lx\n", sum(orig, N), checksum(orig, N));
    printf("input[0..4] = %08x %08x %08x %08x %08x\n", orig[0], orig[1], orig[2], orig[3], orig[4]);

    memcpy(qs, orig, sizeof(orig));
    memcpy(is, orig, sizeof(orig));
    memcpy(ms, orig, sizeof(orig));

    quicksort(qs, 0, N - 1);
    insertion_sort(is, N);
    merge_sort(ms, tmp, N);

    show("quick", qs);
    show("insertion", is);
    show("merge", ms);

    int agree = memcmp(qs, is, sizeof(qs)) == 0 && memcmp(qs, ms, sizeof(qs)) == 0;
    printf("all agree: %s\n", agree ? "yes" : "NO");
    printf("min=%08x max=%08x median=%08x\n", qs[0], qs[N - 1], qs[N / 2]);
    for (int i = 0; i < N; i += 250)
        printf("sorted[%4d] = %10u (0x%08x)\n", i, qs[i], qs[i]);
    puts("sort done");
    return 0;
}
