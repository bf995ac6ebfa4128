// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Integer division, remainder and wide multiplication at the edges.
// All operands are read through volatile objects so gcc emits the real
// instructions (sdiv, udiv, msub, madd, umulh, smulh, umull, smull, ...)
// instead of folding constants.  AArch64 division never traps: x / 0 == 0,
// and INT_MIN / -1 == INT_MIN.  (Both are undefined in C; the volatile
// operands make gcc emit the plain instruction, whose result we record.)
#include "lib.h"

#define NOINLINE __attribute__((noinline, noipa))

static volatile int32_t s32_pairs[][2] = {
    {7, 2}, {-7, 2}, {7, -2}, {-7, -2}, {0, 5}, {1, 1},
    {INT32_MIN, -1}, {INT32_MIN, 1}, {INT32_MIN, 2}, {INT32_MAX, -1},
    {INT32_MAX, INT32_MIN}, {INT32_MIN, INT32_MAX}, {INT32_MAX, 3},
    {-1, INT32_MAX}, {12345, 0}, {INT32_MIN, 0}, {-1, 0}, {1000000007, 97},
};

static volatile uint32_t u32_pairs[][2] = {
    {7, 2}, {0xffffffffu, 1}, {0xffffffffu, 0xffffffffu}, {0xffffffffu, 2},
    {0x80000000u, 3}, {1, 0xffffffffu}, {0xfffffffeu, 0xffffffffu},
    {0xffffffffu, 0}, {0, 0}, {123456789, 10}, {0xdeadbeefu, 0x1234u},
};

static volatile int64_t s64_pairs[][2] = {
    {7, 2}, {-7, 2}, {7, -2}, {-7, -2},
    {INT64_MIN, -1}, {INT64_MIN, 1}, {INT64_MIN, 2}, {INT64_MAX, -1},
    {INT64_MAX, INT64_MIN}, {INT64_MIN, INT64_MAX}, {INT64_MAX, 3},
    {-1, INT64_MAX}, {INT64_MIN, 0}, {42, 0}, {-42, 0},
    {0x123456789abcdefLL, -0x12345LL}, {-0x7edcba9876543210LL, 1000000007LL},
};

static volatile uint64_t u64_pairs[][2] = {
    {7, 2}, {UINT64_MAX, 1}, {UINT64_MAX, UINT64_MAX}, {UINT64_MAX, 2},
    {0x8000000000000000ULL, 3}, {1, UINT64_MAX}, {UINT64_MAX - 1, UINT64_MAX},
    {UINT64_MAX, 0}, {0, 0}, {0xfedcba9876543210ULL, 0x100000000ULL},
    {0xfedcba9876543210ULL, 0xffffffffULL}, {0xdeadbeefcafebabeULL, 0x12345ULL},
};

static volatile uint64_t mul_ops[] = {
    0, 1, 2, 3, 0x7fffffffffffffffULL, 0x8000000000000000ULL, 0xffffffffffffffffULL,
    0x00000000ffffffffULL, 0x0000000100000000ULL, 0x123456789abcdef0ULL,
    0xfedcba9876543210ULL, 0x9e3779b97f4a7c15ULL,
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

NOINLINE static int32_t sdiv32(int32_t a, int32_t b) { return a / b; }
NOINLINE static int32_t srem32(int32_t a, int32_t b) { return a % b; }
NOINLINE static uint32_t udiv32(uint32_t a, uint32_t b) { return a / b; }
NOINLINE static uint32_t urem32(uint32_t a, uint32_t b) { return a % b; }
NOINLINE static int64_t sdiv64(int64_t a, int64_t b) { return a / b; }
NOINLINE static int64_t srem64(int64_t a, int64_t b) { return a % b; }
NOINLINE static uint64_t udiv64(uint64_t a, uint64_t b) { return a / b; }
NOINLINE static uint64_t urem64(uint64_t a, uint64_t b) { return a % b; }

NOINLINE static uint64_t umulh(uint64_t a, uint64_t b)
{
    return (uint64_t)(((unsigned __int128)a * b) >> 64);
}

NOINLINE static int64_t smulh(int64_t a, int64_t b)
{
    return (int64_t)(((__int128)a * b) >> 64);
}

NOINLINE static uint64_t madd64(uint64_t a, uint64_t b, uint64_t c) { return a * b + c; }
NOINLINE static uint64_t msub64(uint64_t a, uint64_t b, uint64_t c) { return c - a * b; }
NOINLINE static uint32_t madd32(uint32_t a, uint32_t b, uint32_t c) { return a * b + c; }
NOINLINE static uint32_t msub32(uint32_t a, uint32_t b, uint32_t c) { return c - a * b; }
NOINLINE static uint64_t mneg64(uint64_t a, uint64_t b) { return -(a * b); }
NOINLINE static uint64_t umull(uint32_t a, uint32_t b) { return (uint64_t)a * b; }
NOINLINE static int64_t smull(int32_t a, int32_t b) { return (int64_t)a * b; }
NOINLINE static uint64_t umaddl(uint32_t a, uint32_t b, uint64_t c) { return (uint64_t)a * b + c; }
NOINLINE static int64_t smsubl(int32_t a, int32_t b, int64_t c) { return c - (int64_t)a * b; }

int main(void)
{
    puts("divmul test");

    puts("-- signed 32-bit: a / b, a % b");
    for (unsigned i = 0; i < COUNT(s32_pairs); i++) {
        int32_t a = s32_pairs[i][0], b = s32_pairs[i][1];
        printf("%08x / %08x = %08x rem %08x\n", (uint32_t)a, (uint32_t)b,
               (uint32_t)sdiv32(a, b), (uint32_t)srem32(a, b));
    }

    puts("-- unsigned 32-bit");
    for (unsigned i = 0; i < COUNT(u32_pairs); i++) {
        uint32_t a = u32_pairs[i][0], b = u32_pairs[i][1];
        printf("%08x / %08x = %08x rem %08x\n", a, b, udiv32(a, b), urem32(a, b));
    }

    puts("-- signed 64-bit");
    for (unsigned i = 0; i < COUNT(s64_pairs); i++) {
        int64_t a = s64_pairs[i][0], b = s64_pairs[i][1];
        printf("%016lx / %016lx = %016lx rem %016lx\n", (uint64_t)a, (uint64_t)b,
               (uint64_t)sdiv64(a, b), (uint64_t)srem64(a, b));
    }

    puts("-- unsigned 64-bit");
    for (unsigned i = 0; i < COUNT(u64_pairs); i++) {
        uint64_t a = u64_pairs[i][0], b = u64_pairs[i][1];
        printf("%016lx / %016lx = %016lx rem %016lx\n", a, b, udiv64(a, b), urem64(a, b));
    }

    puts("-- inline division through volatile (INT_MIN / -1, x / 0)");
    {
        volatile int32_t min32 = INT32_MIN, m1 = -1, zero32 = 0;
        volatile int64_t min64 = INT64_MIN, m1_64 = -1, zero64 = 0;
        volatile uint64_t big = UINT64_MAX;
        int32_t q32 = min32 / m1;
        int32_t r32 = min32 % m1;
        int64_t q64 = min64 / m1_64;
        int64_t r64 = min64 % m1_64;
        printf("INT32_MIN / -1 = %08x rem %08x\n", (uint32_t)q32, (uint32_t)r32);
        printf("INT64_MIN / -1 = %016lx rem %016lx\n", (uint64_t)q64, (uint64_t)r64);
        printf("77 / 0 (s32) = %08x, UINT64_MAX / 0 = %016lx, INT64_MIN / 0 = %016lx\n",
               (uint32_t)(77 / zero32), big / (uint64_t)zero64, (uint64_t)(min64 / zero64));
    }

    puts("-- 64x64 -> 128 multiply: lo, umulh, smulh");
    uint64_t acc = 0;
    for (unsigned i = 0; i < COUNT(mul_ops); i++) {
        for (unsigned j = i; j < COUNT(mul_ops); j++) {
            uint64_t a = mul_ops[i], b = mul_ops[j];
            uint64_t lo = a * b, hi = umulh(a, b);
            int64_t shi = smulh((int64_t)a, (int64_t)b);
            printf("%016lx * %016lx = lo %016lx uh %016lx sh %016lx\n", a, b, lo, hi, (uint64_t)shi);
            acc = madd64(acc, 0x100000001b3ULL, hi ^ lo ^ (uint64_t)shi);
        }
    }
    printf("multiply accumulator = %016lx\n", acc);

    puts("-- multiply-accumulate family");
    for (unsigned i = 0; i + 2 < COUNT(mul_ops); i++) {
        uint64_t a = mul_ops[i], b = mul_ops[i + 1], c = mul_ops[i + 2];
        printf("a=%016lx b=%016lx c=%016lx\n", a, b, c);
        printf("  madd64 %016lx msub64 %016lx mneg64 %016lx\n",
               madd64(a, b, c), msub64(a, b, c), mneg64(a, b));
        printf("  madd32 %08x msub32 %08x umull %016lx smull %016lx\n",
               madd32((uint32_t)a, (uint32_t)b, (uint32_t)c), msub32((uint32_t)a, (uint32_t)b, (uint32_t)c),
               umull((uint32_t)a, (uint32_t)b), (uint64_t)smull((int32_t)a, (int32_t)b));
        printf("  umaddl %016lx smsubl %016lx\n",
               umaddl((uint32_t)a, (uint32_t)b, c), (uint64_t)smsubl((int32_t)a, (int32_t)b, (int64_t)c));
    }

    // Long-division loop: digits of 1/7 .. 1/13 in base 10 via udiv + msub.
    puts("-- long division");
    for (volatile uint32_t d = 7; d <= 13; d++) {
        uint32_t r = 1;
        printf("1/%u = 0.", (uint32_t)d);
        for (int k = 0; k < 24; k++) {
            r *= 10;
            printf("%u", r / d);
            r %= d;
        }
        putchar('\n');
    }

    puts("divmul done");
    return 0;
}
