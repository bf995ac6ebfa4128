// SPDX-License-Identifier: MIT OR Apache-2.0
//
// CRC-32 (bitwise and table-driven) and SHA-256 of fixed buffers.
// Known answers: CRC-32("123456789") = cbf43926,
// SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad.
//
// Portable to every guest architecture (tests/guests/sparc/hash.c is a link
// to this file): 32-bit arithmetic only, and only the printf conversions all
// the guest runtimes have.
#include "lib.h"

// ---- CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) ----

static uint32_t crc32_bitwise(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int b = 0; b < 8; b++)
            crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
    return ~crc;
}

static uint32_t crc_table[256];

static void crc32_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int b = 0; b < 8; b++)
            c = (c & 1) ? (c >> 1) ^ 0xedb88320u : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32_table(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < n; i++)
        crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

// ---- SHA-256 (FIPS 180-4) ----

struct sha256 {
    uint32_t h[8];
    uint8_t block[64];
    uint32_t length; // bytes hashed so far (less than 512 MiB)
    size_t used;     // bytes in block
};

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

static void sha256_init(struct sha256 *s)
{
    static const uint32_t iv[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };
    for (int i = 0; i < 8; i++)
        s->h[i] = iv[i];
    s->length = 0;
    s->used = 0;
}

static void sha256_compress(struct sha256 *s, const uint8_t *blk)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)blk[4 * i] << 24 | (uint32_t)blk[4 * i + 1] << 16 |
               (uint32_t)blk[4 * i + 2] << 8 | blk[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];
    uint32_t e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    s->h[0] += a;
    s->h[1] += b;
    s->h[2] += c;
    s->h[3] += d;
    s->h[4] += e;
    s->h[5] += f;
    s->h[6] += g;
    s->h[7] += h;
}

static void sha256_update(struct sha256 *s, const void *data, size_t n)
{
    const uint8_t *p = data;
    s->length += n;
    while (n > 0) {
        size_t take = 64 - s->used;
        if (take > n)
            take = n;
        memcpy(s->block + s->used, p, take);
        s->used += take;
        p += take;
        n -= take;
        if (s->used == 64) {
            sha256_compress(s, s->block);
            s->used = 0;
        }
    }
}

static void sha256_final(struct sha256 *s, uint8_t out[32])
{
    // The message length in bits, as a 64-bit big-endian number.
    uint32_t bits_hi = s->length >> 29, bits_lo = s->length << 3;
    uint8_t pad = 0x80;
    sha256_update(s, &pad, 1);
    pad = 0;
    while (s->used != 56)
        sha256_update(s, &pad, 1);
    uint8_t len[8];
    for (int i = 0; i < 4; i++) {
        len[i] = (uint8_t)(bits_hi >> (24 - 8 * i));
        len[4 + i] = (uint8_t)(bits_lo >> (24 - 8 * i));
    }
    sha256_update(s, len, 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(s->h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
        out[4 * i + 3] = (uint8_t)s->h[i];
    }
}

static void print_digest(const uint8_t d[32])
{
    for (int i = 0; i < 32; i++)
        printf("%02x", d[i]);
    putchar('\n');
}

static uint8_t pattern[1000];
static uint8_t a_block[1000];

static void hash_one(const char *name, const void *data, size_t n)
{
    struct sha256 s;
    uint8_t d[32];
    sha256_init(&s);
    sha256_update(&s, data, n);
    sha256_final(&s, d);
    printf("%-10s len=%4u crc32(bit)=%08x crc32(table)=%08x\n", name, (unsigned)n,
           crc32_bitwise(data, n), crc32_table(data, n));
    printf("%-10s sha256=", name);
    print_digest(d);
}

int main(void)
{
    puts("hash test");
    crc32_init();
    printf("crc_table[1]=%08x crc_table[128]=%08x crc_table[255]=%08x\n",
           crc_table[1], crc_table[128], crc_table[255]);

    for (int i = 0; i < 1000; i++)
        pattern[i] = (uint8_t)(i * 31 + 7);

    hash_one("empty", "", 0);
    hash_one("abc", "abc", 3);
    hash_one("digits", "123456789", 9);
    hash_one("fox", "The quick brown fox jumps over the lazy dog", 43);
    hash_one("nist448", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56);
    hash_one("pattern", pattern, sizeof(pattern));

    // One million 'a' fed in 1000-byte pieces (FIPS 180-2 test vector).
    memset(a_block, 'a', sizeof(a_block));
    struct sha256 s;
    uint8_t d[32];
    uint32_t crc = 0;
    sha256_init(&s);
    for (int i = 0; i < 1000; i++) {
        sha256_update(&s, a_block, sizeof(a_block));
        crc ^= crc32_table(a_block, (size_t)(i % 1000) + 1);
    }
    sha256_final(&s, d);
    printf("million-a  sha256=");
    print_digest(d);
    printf("crc mix = %08x\n", crc);
    puts("hash done");
    return 0;
}
