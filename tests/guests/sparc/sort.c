// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Sorting: quicksort, insertion sort and a checksum over pseudo-random
// numbers; byte, halfword and word loads and stores, signed comparisons.
#include "lib.h"

#define N 500

static int32_t a[N], b[N];
static int16_t h[64];
static uint8_t bytes[64];

static uint32_t seed = 12345;

static uint32_t rnd(void)
{
    seed = seed * 1103515245u + 12345u;
    return seed >> 8;
}

static void quicksort(int32_t *v, int lo, int hi)
{
    while (lo < hi) {
        int32_t p = v[(lo + hi) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (v[i] < p)
                i++;
            while (v[j] > p)
                j--;
            if (i <= j) {
                int32_t t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                j--;
            }
        }
        if (j - lo < hi - i) {
            quicksort(v, lo, j);
            lo = i;
        } else {
            quicksort(v, i, hi);
            hi = j;
        }
    }
}

static void insertion(int32_t *v, int n)
{
    for (int i = 1; i < n; i++) {
        int32_t x = v[i];
        int j = i - 1;
        while (j >= 0 && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

int main(void)
{
    for (int i = 0; i < N; i++)
        a[i] = b[i] = (int32_t)(rnd() % 200001) - 100000;
    quicksort(a, 0, N - 1);
    insertion(b, N);
    uint32_t sum = 0;
    int same = 1, sorted = 1;
    for (int i = 0; i < N; i++) {
        sum = sum * 31 + (uint32_t)a[i];
        same &= a[i] == b[i];
        if (i)
            sorted &= a[i - 1] <= a[i];
    }
    printf("min %d max %d median %d\n", a[0], a[N - 1], a[N / 2]);
    printf("sorted %d same %d checksum %08x\n", sorted, same, sum);
    for (int i = 0; i < 64; i++) {
        h[i] = (int16_t)(rnd() & 0xffff);
        bytes[i] = (uint8_t)rnd();
    }
    int32_t hs = 0;
    uint32_t bs = 0;
    for (int i = 0; i < 64; i++) {
        hs += h[i];
        bs = (bs << 1 | bs >> 31) ^ bytes[i];
    }
    printf("halfword sum %d byte mix %08x\n", hs, bs);
    return 0;
}
