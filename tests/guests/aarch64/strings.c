// SPDX-License-Identifier: MIT OR Apache-2.0
// guest-variant: fp
//
// String and memory routines on Advanced SIMD, checked against plain byte
// loops at every alignment and length up to a few vectors:
//   * simple loops gcc -O3 vectorises (memset, memcpy, byte sum, to-upper);
//   * hand-written NEON (arm_neon.h) in the style of the AArch64 glibc and
//     Arm optimized-routines string functions: strlen/strchr/memchr find the
//     first matching byte of an aligned 16-byte chunk with CMEQ, a
//     "SHRN #4" nibble mask and RBIT+CLZ (or UMAXV as the any-match test);
//     memcmp compares 16 bytes with CMEQ/UMINV; hex encoding uses TBL; byte
//     counting uses CNT and ADDV.
// Reading a whole aligned 16-byte chunk past the terminator stays inside the
// same chunk, so it never leaves the buffer (the same argument as glibc's).
// Every aligned access is at most 16 bytes and naturally aligned or byte
// sized (-mstrict-align, see env.sh).  Prints one line per routine with the
// number of cases that agreed and a checksum of the results.
#include <arm_neon.h>
#include "lib.h"

#define BUF 512

static uint8_t src[BUF + 64] __attribute__((aligned(16)));
static uint8_t dst[BUF + 64] __attribute__((aligned(16)));
static uint8_t ref[BUF + 64] __attribute__((aligned(16)));

static uint64_t rng = 0x0123456789abcdefULL;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    return (h ^ v) * 0x100000001b3ULL;
}

// ---- references: byte at a time, never vectorised (volatile accesses) ----

static size_t ref_strlen(const char *s)
{
    size_t n = 0;
    while (((const volatile char *)s)[n])
        n++;
    return n;
}

static const char *ref_strchr(const char *s, int c)
{
    for (;; s++) {
        char ch = *(const volatile char *)s;
        if (ch == (char)c)
            return s;
        if (ch == 0)
            return 0;
    }
}

static const void *ref_memchr(const void *p, int c, size_t n)
{
    const volatile uint8_t *s = p;
    for (size_t i = 0; i < n; i++)
        if (s[i] == (uint8_t)c)
            return (const void *)(s + i);
    return 0;
}

static int ref_memcmp(const void *a, const void *b, size_t n)
{
    const volatile uint8_t *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

// ---- loops gcc -O3 vectorises ----

static void __attribute__((noinline)) v_memset(uint8_t *d, uint8_t c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        d[i] = c;
}

static void __attribute__((noinline)) v_memcpy(uint8_t *restrict d, const uint8_t *restrict s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        d[i] = s[i];
}

static uint32_t __attribute__((noinline)) v_bytesum(const uint8_t *s, size_t n)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += s[i];
    return sum;
}

static void __attribute__((noinline)) v_toupper(uint8_t *restrict d, const uint8_t *restrict s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        d[i] = (uint8_t)(c - 'a') < 26 ? c - 32 : c;
    }
}

// ---- hand-written NEON ----

// Bit 4i..4i+3 of the result set iff byte i of the 16-byte compare mask is
// set (SHRN by 4 of the mask viewed as 8 halfwords).
static inline uint64_t nibble_mask(uint8x16_t m)
{
    uint8x8_t n = vshrn_n_u16(vreinterpretq_u16_u8(m), 4);
    return vget_lane_u64(vreinterpret_u64_u8(n), 0);
}

static size_t __attribute__((noinline)) neon_strlen(const char *s)
{
    const uint8_t *p = (const uint8_t *)((uintptr_t)s & ~(uintptr_t)15);
    unsigned skip = (unsigned)((uintptr_t)s & 15);
    uint8x16_t v = vld1q_u8(p);
    uint64_t m = nibble_mask(vceqzq_u8(v)) >> (skip * 4);
    if (m)
        return (size_t)(__builtin_ctzll(m) >> 2);
    for (;;) {
        p += 16;
        v = vld1q_u8(p);
        uint8x16_t z = vceqzq_u8(v);
        if (vmaxvq_u8(z)) {
            m = nibble_mask(z);
            return (size_t)(p - (const uint8_t *)s) + (__builtin_ctzll(m) >> 2);
        }
    }
}

static const char *__attribute__((noinline)) neon_strchr(const char *s, int c)
{
    const uint8_t *p = (const uint8_t *)((uintptr_t)s & ~(uintptr_t)15);
    unsigned skip = (unsigned)((uintptr_t)s & 15);
    uint8x16_t vc = vdupq_n_u8((uint8_t)c);
    for (;;) {
        uint8x16_t v = vld1q_u8(p);
        uint8x16_t hit = vceqq_u8(v, vc);
        uint8x16_t end = vceqzq_u8(v);
        uint64_t mh = nibble_mask(hit) >> (skip * 4) << (skip * 4);
        uint64_t me = nibble_mask(end) >> (skip * 4) << (skip * 4);
        if (mh | me) {
            // The first of a match and the terminator (a match of the
            // terminator itself when c == 0 comes first or at the same byte).
            unsigned ih = mh ? (unsigned)__builtin_ctzll(mh) : 64;
            unsigned ie = me ? (unsigned)__builtin_ctzll(me) : 64;
            if (ih <= ie)
                return (const char *)p + (ih >> 2);
            return 0;
        }
        p += 16;
        skip = 0;
    }
}

static const void *__attribute__((noinline)) neon_memchr(const void *s, int c, size_t n)
{
    const uint8_t *p = s;
    uint8x16_t vc = vdupq_n_u8((uint8_t)c);
    // Head: bytes up to the first 16-byte boundary.
    while (n && ((uintptr_t)p & 15)) {
        if (*p == (uint8_t)c)
            return p;
        p++;
        n--;
    }
    for (; n >= 16; p += 16, n -= 16) {
        uint8x16_t hit = vceqq_u8(vld1q_u8(p), vc);
        // Any-match test: UMAXP folds the 16 mask bytes into the low 8.
        uint8x16_t folded = vpmaxq_u8(hit, hit);
        if (vgetq_lane_u64(vreinterpretq_u64_u8(folded), 0))
            return p + (__builtin_ctzll(nibble_mask(hit)) >> 2);
    }
    for (; n; p++, n--)
        if (*p == (uint8_t)c)
            return p;
    return 0;
}

static int __attribute__((noinline)) neon_memcmp(const uint8_t *a, const uint8_t *b, size_t n)
{
    // Vector compares only where both are aligned the same (else bytes).
    if ((((uintptr_t)a ^ (uintptr_t)b) & 15) == 0) {
        while (n && ((uintptr_t)a & 15)) {
            if (*a != *b)
                return *a < *b ? -1 : 1;
            a++, b++, n--;
        }
        for (; n >= 16; a += 16, b += 16, n -= 16) {
            uint8x16_t eq = vceqq_u8(vld1q_u8(a), vld1q_u8(b));
            if (vminvq_u8(eq) != 0xff) {
                unsigned i = (unsigned)__builtin_ctzll(~nibble_mask(eq)) >> 2;
                return a[i] < b[i] ? -1 : 1;
            }
        }
    }
    for (; n; a++, b++, n--)
        if (*a != *b)
            return *a < *b ? -1 : 1;
    return 0;
}

// Hex encoding of 8 bytes at a time: nibbles split with USHR/AND, zipped
// with ZIP1, looked up in a 16-entry table with TBL.
static void __attribute__((noinline)) neon_hex(char *out, const uint8_t *in, size_t n)
{
    static const uint8_t digits[16] __attribute__((aligned(16))) = "0123456789abcdef";
    uint8x16_t table = vld1q_u8(digits);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint8x8_t v = vld1_u8(in + i);
        uint8x16_t hi = vcombine_u8(vshr_n_u8(v, 4), vdup_n_u8(0));
        uint8x16_t lo = vcombine_u8(vand_u8(v, vdup_n_u8(15)), vdup_n_u8(0));
        uint8x16_t z = vzip1q_u8(hi, lo);
        vst1q_u8((uint8_t *)out + 2 * i, vqtbl1q_u8(table, z));
    }
    for (; i < n; i++) {
        out[2 * i] = (char)digits[in[i] >> 4];
        out[2 * i + 1] = (char)digits[in[i] & 15];
    }
}

// Population count of a buffer: CNT per byte, UADDLV-style widening sums.
static uint64_t __attribute__((noinline)) neon_popcount(const uint8_t *p, size_t n)
{
    uint64_t total = 0;
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        total += vaddlvq_u8(vcntq_u8(vld1q_u8(p + i)));
    for (; i < n; i++)
        total += (uint64_t)__builtin_popcount(p[i]);
    return total;
}

// ---- driver ----

static void fill(uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t c = (uint8_t)next();
        // Mostly printable letters, some zeros and high bytes.
        b[i] = (c & 0xc0) ? (uint8_t)('a' + c % 26) : (c & 1) ? (uint8_t)(c | 0x80) : 'A' + (c & 15);
    }
}

static void report(const char *name, unsigned ok, unsigned total, uint64_t h)
{
    printf("%-9s %4u/%4u ok  hash=%016lx\n", name, ok, total, h);
}

int main(void)
{
    puts("strings: NEON and vectorised string/memory routines");
    unsigned ok, total;
    uint64_t h;

    // memset / memcpy at every alignment and many lengths; the bytes around
    // the destination must be left alone.
    ok = total = 0;
    h = 0xcbf29ce484222325ULL;
    for (unsigned al = 0; al < 16; al++)
        for (unsigned n = 0; n < 100; n += 1 + n / 8) {
            for (unsigned i = 0; i < BUF; i++)
                dst[i] = ref[i] = (uint8_t)i;
            uint8_t c = (uint8_t)(n * 7 + al);
            v_memset(dst + al, c, n);
            for (unsigned i = 0; i < n; i++)
                ((volatile uint8_t *)ref)[al + i] = c;
            total++;
            ok += ref_memcmp(dst, ref, BUF) == 0;
            h = mix(h, v_bytesum(dst, 128));
        }
    report("memset", ok, total, h);

    ok = total = 0;
    h = 0xcbf29ce484222325ULL;
    fill(src, BUF);
    for (unsigned sa = 0; sa < 16; sa += 3)
        for (unsigned da = 0; da < 16; da++)
            for (unsigned n = 0; n < 200; n += 1 + n / 4) {
                for (unsigned i = 0; i < 256; i++)
                    dst[i] = ref[i] = 0x5a;
                v_memcpy(dst + da, src + sa, n);
                for (unsigned i = 0; i < n; i++)
                    ((volatile uint8_t *)ref)[da + i] = src[sa + i];
                total++;
                ok += ref_memcmp(dst, ref, 256) == 0;
                h = mix(h, v_bytesum(dst + da, n));
            }
    report("memcpy", ok, total, h);

    // strlen / strchr: strings of every length at every alignment.
    ok = total = 0;
    h = 0xcbf29ce484222325ULL;
    for (unsigned al = 0; al < 16; al++)
        for (unsigned len = 0; len < 70; len++) {
            fill(src, BUF);
            for (unsigned i = 0; i < BUF; i++)
                if (src[i] == 0)
                    src[i] = 1;
            src[al + len] = 0;
            const char *s = (const char *)src + al;
            size_t a = neon_strlen(s), b = ref_strlen(s);
            total++;
            ok += a == b;
            h = mix(h, a);
            for (int k = 0; k < 3; k++) {
                int c = k == 0 ? 0 : k == 1 ? s[len / 2] : 'z' + 1;
                const char *x = neon_strchr(s, c), *y = ref_strchr(s, c);
                total++;
                ok += x == y;
                h = mix(h, x ? (uint64_t)(x - s) : 0xffff);
            }
        }
    report("strlen", ok, total, h);

    // memchr and memcmp.
    ok = total = 0;
    h = 0xcbf29ce484222325ULL;
    fill(src, BUF);
    for (unsigned al = 0; al < 16; al++)
        for (unsigned n = 0; n < 300; n += 1 + n / 3) {
            for (int c = 0; c < 256; c += 37) {
                const void *x = neon_memchr(src + al, c, n), *y = ref_memchr(src + al, c, n);
                total++;
                ok += x == y;
                h = mix(h, x ? (uint64_t)((const uint8_t *)x - src) : 0xffff);
            }
        }
    report("memchr", ok, total, h);

    ok = total = 0;
    h = 0xcbf29ce484222325ULL;
    fill(src, BUF);
    for (unsigned al = 0; al < 32; al += 5)
        for (unsigned n = 0; n < 300; n += 1 + n / 3) {
            for (unsigned i = 0; i < BUF; i++)
                dst[i] = src[i];
            for (int k = 0; k < 4; k++) {
                // k = 0: equal; else one byte changed at a position that
                // moves with n, up or down.
                if (k && n) {
                    unsigned pos = (n * k * 13) % n;
                    dst[al + pos] = (uint8_t)(dst[al + pos] + (k == 2 ? -1 : 1));
                }
                int x = neon_memcmp(src + al, dst + al, n);
                int y = ref_memcmp(src + al, dst + al, n);
                int x2 = neon_memcmp(src + al, dst + (al & ~15u) + ((al + 3) & 15), n);
                int y2 = ref_memcmp(src + al, dst + (al & ~15u) + ((al + 3) & 15), n);
                total += 2;
                ok += (x == y) + (x2 == y2);
                h = mix(h, (uint64_t)(x + 1) * 3 + (uint64_t)(x2 + 1));
            }
        }
    report("memcmp", ok, total, h);

    // to-upper (vectorised compare/select), hex (TBL), popcount (CNT).
    ok = total = 0;
    h = 0xcbf29ce484222325ULL;
    fill(src, BUF);
    for (unsigned n = 0; n <= BUF; n += 1 + n / 2) {
        v_toupper(dst, src, n);
        unsigned good = 1;
        for (unsigned i = 0; i < n; i++) {
            uint8_t c = src[i];
            uint8_t u = (c >= 'a' && c <= 'z') ? c - 32 : c;
            good &= ((volatile uint8_t *)dst)[i] == u;
        }
        total++;
        ok += good;
        h = mix(h, v_bytesum(dst, n));
    }
    report("toupper", ok, total, h);

    ok = total = 0;
    h = 0xcbf29ce484222325ULL;
    for (unsigned n = 0; n <= 128; n += 1 + n / 4) {
        static char hex[2 * BUF + 16] __attribute__((aligned(16)));
        neon_hex(hex, src + 3, n);
        unsigned good = 1;
        for (unsigned i = 0; i < n; i++) {
            const char *d = "0123456789abcdef";
            good &= ((volatile char *)hex)[2 * i] == d[src[3 + i] >> 4];
            good &= ((volatile char *)hex)[2 * i + 1] == d[src[3 + i] & 15];
            h = mix(h, (uint64_t)hex[2 * i] << 8 | (uint8_t)hex[2 * i + 1]);
        }
        total++;
        ok += good;
    }
    report("hex", ok, total, h);

    ok = total = 0;
    h = 0xcbf29ce484222325ULL;
    for (unsigned n = 0; n <= BUF; n += 1 + n / 2) {
        uint64_t a = neon_popcount(src, n), b = 0;
        for (unsigned i = 0; i < n; i++)
            for (uint8_t c = ((volatile uint8_t *)src)[i]; c; c &= (uint8_t)(c - 1))
                b++;
        total++;
        ok += a == b;
        h = mix(h, a);
    }
    report("popcount", ok, total, h);

    // A sample of the output itself.
    {
        static char hex[33] __attribute__((aligned(16)));
        neon_hex(hex, src, 16);
        hex[32] = 0;
        printf("hex(src[0..16]) = %s\n", hex);
    }
    return 0;
}
