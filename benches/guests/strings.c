// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Execution set: string and memory routines, written here in C (the runtimes
// only have byte-loop memcpy/memset): strlen, strcpy, strcmp, strchr, a naive
// strstr, in-place reversal, number formatting and parsing (division by 10),
// and memcpy/memset/memcmp that go word by word when both pointers are
// aligned and byte by byte otherwise, over lines of generated text. Byte
// loads and stores, short data-dependent loops, many calls.
#include "bench.h"

#define ROUNDS 1500
#define TEXT_BYTES 8192
#define MAX_LINES 256

static char text[TEXT_BYTES];
static char *lines[MAX_LINES];
static uint32_t nlines;
static char copy[TEXT_BYTES + 16] __attribute__((aligned(4)));
static char tmp[128];

static uint32_t s_strlen(const char *s)
{
    const char *p = s;
    while (*p)
        p++;
    return (uint32_t)(p - s);
}

static char *s_strcpy(char *d, const char *s)
{
    char *r = d;
    while ((*d++ = *s++) != 0)
        ;
    return r;
}

static int s_strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

static const char *s_strchr(const char *s, int c)
{
    for (; *s; s++)
        if (*s == (char)c)
            return s;
    return 0;
}

static const char *s_strstr(const char *h, const char *n)
{
    for (; *h; h++) {
        const char *a = h, *b = n;
        while (*b && *a == *b) {
            a++;
            b++;
        }
        if (!*b)
            return h;
    }
    return 0;
}

static void s_reverse(char *s, uint32_t n)
{
    for (uint32_t i = 0, j = n; i + 1 < j; i++, j--) {
        char t = s[i];
        s[i] = s[j - 1];
        s[j - 1] = t;
    }
}

// Word copies only when both are 4-byte aligned: AArch64 guests run with
// strict alignment and SPARC traps on misaligned words.
static void s_memcpy(void *dst, const void *src, uint32_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 3) == 0) {
        for (; n >= 4; n -= 4, d += 4, s += 4)
            *(uint32_t *)d = *(const uint32_t *)s;
    }
    for (; n > 0; n--)
        *d++ = *s++;
}

static void s_memset(void *dst, int c, uint32_t n)
{
    unsigned char *d = dst;
    for (; n > 0 && ((uintptr_t)d & 3); n--)
        *d++ = (unsigned char)c;
    uint32_t w = (unsigned char)c * 0x01010101u;
    for (; n >= 4; n -= 4, d += 4)
        *(uint32_t *)d = w;
    for (; n > 0; n--)
        *d++ = (unsigned char)c;
}

static int s_memcmp(const void *a, const void *b, uint32_t n)
{
    const unsigned char *x = a, *y = b;
    for (uint32_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

// Decimal digits of v into buf; returns the length.
static uint32_t s_utoa(uint32_t v, char *buf)
{
    char t[12];
    uint32_t n = 0, i = 0;
    do {
        t[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        buf[i++] = t[--n];
    buf[i] = 0;
    return i;
}

static uint32_t s_atou(const char *s)
{
    uint32_t v = 0;
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (uint32_t)(*s++ - '0');
    return v;
}

// Lines of words of 1 to 8 letters (a small alphabet, so comparisons and
// searches find matches), 40 to 100 characters each.
static void make_text(void)
{
    static const char letters[] = "etaoinshrdlucmfw";
    uint32_t pos = 0;
    nlines = 0;
    while (nlines < MAX_LINES && pos + 110 < TEXT_BYTES) {
        uint32_t target = 40 + rng_next() % 61;
        lines[nlines++] = &text[pos];
        uint32_t len = 0;
        while (len < target) {
            uint32_t w = 1 + (rng_next() & 7);
            for (uint32_t i = 0; i < w; i++)
                text[pos + len++] = letters[rng_next() & 15];
            text[pos + len++] = ' ';
        }
        text[pos + len - 1] = 0;
        pos += len;
    }
}

int main(void)
{
    uint32_t sum = 0;
    puts("strings: string and memory routines over generated text");
    rng_seed(31337);
    make_text();
    printf("%u lines\n", nlines);

    for (uint32_t round = 0; round < ROUNDS; round++) {
        uint32_t h = round;
        // Per line: length, copy, reversal (a palindrome check against the
        // original), a comparison with the next line, and searches.
        for (uint32_t i = 0; i < nlines; i++) {
            const char *line = lines[i];
            uint32_t len = s_strlen(line);
            s_strcpy(tmp, line);
            s_reverse(tmp, len);
            h = mix(h, len);
            h = mix(h, (uint32_t)s_strcmp(tmp, line));
            h = mix(h, (uint32_t)s_strcmp(line, lines[(i + 1) % nlines]));
            uint32_t es = 0;
            for (const char *p = s_strchr(line, 'e'); p; p = s_strchr(p + 1, 'e'))
                es++;
            static const char *const pats[4] = {"te", "ash", "oo", "dlu"};
            const char *f = s_strstr(line, pats[(i + round) & 3]);
            h = mix(h, es);
            h = mix(h, f ? (uint32_t)(f - line) : 0xffffffffu);
        }
        // Numbers to text and back.
        for (uint32_t i = 0; i < 400; i++) {
            uint32_t v = rng_next() >> (i & 31);
            char buf[12];
            uint32_t n = s_utoa(v, buf);
            h = mix(h, n);
            h = mix(h, s_atou(buf) ^ v);
        }
        // Block moves: aligned then misaligned, a fill, and comparisons.
        uint32_t off = round & 7;
        s_memcpy(copy, text, TEXT_BYTES);
        h = mix(h, (uint32_t)s_memcmp(copy, text, TEXT_BYTES));
        s_memcpy(copy + off, text + 3, TEXT_BYTES - 3);
        h = mix(h, (uint32_t)s_memcmp(copy + off, text + 3, TEXT_BYTES - 3));
        s_memset(copy + off, 'x', TEXT_BYTES / 2 + round);
        h = mix(h, (uint32_t)s_memcmp(copy, text, TEXT_BYTES));
        sum = mix(sum, h);
        if (round % 500 == 0)
            printf("round %u: %08x\n", round, h);
    }
    bench_done("strings", sum);
    return 0;
}
