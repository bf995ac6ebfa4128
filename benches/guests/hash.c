// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Execution set: hashing. FNV-1a (a byte-serial multiply chain) and
// MurmurHash3 (words assembled from bytes, rotates, multiplies) over a 16 KiB
// buffer, then an open-addressing hash table: inserts, hits and misses with
// linear probing (data-dependent loads and short unpredictable loops). Words
// are assembled little-endian from bytes so both ISAs hash the same values.
#include "bench.h"

#define ROUNDS 540
#define BUF_BYTES 16384
#define TABLE_BITS 14
#define TABLE_SIZE (1u << TABLE_BITS)
#define KEYS 11000 // about two thirds full: probe runs of a few slots

static uint8_t buf[BUF_BYTES] __attribute__((aligned(8)));
static uint32_t table_key[TABLE_SIZE], table_val[TABLE_SIZE];
static uint32_t keys[KEYS];

static uint32_t fnv1a(const uint8_t *p, uint32_t n, uint32_t h)
{
    for (uint32_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x01000193u;
    return h;
}

static inline uint32_t rotl(uint32_t x, unsigned r)
{
    return (x << r) | (x >> (32 - r));
}

static uint32_t murmur3(const uint8_t *p, uint32_t n, uint32_t seed)
{
    const uint32_t c1 = 0xcc9e2d51u, c2 = 0x1b873593u;
    uint32_t h = seed;
    uint32_t i;
    for (i = 0; i + 4 <= n; i += 4) {
        uint32_t k = p[i] | (uint32_t)p[i + 1] << 8 | (uint32_t)p[i + 2] << 16 | (uint32_t)p[i + 3] << 24;
        k *= c1;
        k = rotl(k, 15);
        k *= c2;
        h ^= k;
        h = rotl(h, 13);
        h = h * 5 + 0xe6546b64u;
    }
    uint32_t k = 0;
    switch (n & 3) {
    case 3:
        k ^= (uint32_t)p[i + 2] << 16;
        // fall through
    case 2:
        k ^= (uint32_t)p[i + 1] << 8;
        // fall through
    case 1:
        k ^= p[i];
        k *= c1;
        k = rotl(k, 15);
        k *= c2;
        h ^= k;
    }
    h ^= n;
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

// The slot hash of a key: Fibonacci hashing, the top TABLE_BITS bits.
static inline uint32_t slot_of(uint32_t key)
{
    return (key * 0x9e3779b1u) >> (32 - TABLE_BITS);
}

// Key 0 marks an empty slot. Returns 1 if the key was new.
static int table_insert(uint32_t key, uint32_t val)
{
    uint32_t s = slot_of(key);
    for (;;) {
        if (table_key[s] == 0) {
            table_key[s] = key;
            table_val[s] = val;
            return 1;
        }
        if (table_key[s] == key) {
            table_val[s] += val;
            return 0;
        }
        s = (s + 1) & (TABLE_SIZE - 1);
    }
}

// The value of key, or 0 when absent.
static uint32_t table_find(uint32_t key)
{
    uint32_t s = slot_of(key);
    while (table_key[s] != 0) {
        if (table_key[s] == key)
            return table_val[s];
        s = (s + 1) & (TABLE_SIZE - 1);
    }
    return 0;
}

int main(void)
{
    uint32_t sum = 0;
    puts("hash: FNV-1a, MurmurHash3, open-addressing table");
    rng_seed(12345);
    for (uint32_t i = 0; i < BUF_BYTES; i++)
        buf[i] = (uint8_t)rng_next();

    for (uint32_t round = 0; round < ROUNDS; round++) {
        // The buffer changes a little every round so no result repeats.
        buf[round % BUF_BYTES] ^= (uint8_t)(round + 1);
        uint32_t f = fnv1a(buf, BUF_BYTES, 0x811c9dc5u);
        // Odd lengths and offsets exercise the tail and the byte loads.
        uint32_t m = murmur3(buf + (round & 3), BUF_BYTES - 7, round);
        sum = mix(sum, f);
        sum = mix(sum, m);

        memset(table_key, 0, sizeof table_key);
        rng_seed(f ^ m);
        uint32_t fresh = 0;
        for (uint32_t i = 0; i < KEYS; i++) {
            // Keys from a small range, so some repeat (update path).
            uint32_t k = (rng_next() & 0x3ffffu) + 1;
            keys[i] = k;
            fresh += table_insert(k, i + 1);
        }
        uint32_t hits = 0, misses = 0;
        for (uint32_t i = 0; i < KEYS; i++) {
            hits += table_find(keys[i]);
            // Keys above the range are never present: full-run misses.
            misses += table_find(keys[i] + 0x40000u) == 0;
        }
        sum = mix(sum, fresh);
        sum = mix(sum, hits);
        sum = mix(sum, misses);
        if (round % 135 == 0)
            printf("round %u: fnv %08x murmur %08x fresh %u hits %08x misses %u\n",
                   round, f, m, fresh, hits, misses);
    }
    bench_done("hash", sum);
    return 0;
}
