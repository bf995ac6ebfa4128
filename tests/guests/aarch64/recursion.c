// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Deep and branchy recursion: exercises BL/RET, stack frames and the
// return-address handling of the emulator.
#include "lib.h"

#define NOINLINE __attribute__((noinline, noipa))

static unsigned long calls;

NOINLINE static uint32_t fib(uint32_t n)
{
    calls++;
    if (n < 2)
        return n;
    return fib(n - 1) + fib(n - 2);
}

NOINLINE static uint64_t ackermann(uint64_t m, uint64_t n)
{
    calls++;
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

NOINLINE static uint64_t factorial(uint64_t n)
{
    if (n <= 1)
        return 1;
    return n * factorial(n - 1);
}

NOINLINE static int is_odd(uint32_t n);

NOINLINE static int is_even(uint32_t n)
{
    calls++;
    if (n == 0)
        return 1;
    return is_odd(n - 1);
}

NOINLINE static int is_odd(uint32_t n)
{
    calls++;
    if (n == 0)
        return 0;
    return is_even(n - 1);
}

// Sum of a binary tree of depth d whose nodes carry (depth * 31 + index).
NOINLINE static uint64_t tree_sum(uint32_t depth, uint64_t index)
{
    uint64_t v = depth * 31u + index;
    if (depth == 0)
        return v;
    return v + tree_sum(depth - 1, index * 2) + 3 * tree_sum(depth - 1, index * 2 + 1);
}

// Recursion with many live values across calls (callee-saved registers).
NOINLINE static uint64_t mix(uint32_t n, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    if (n == 0)
        return a ^ (b << 1) ^ (c << 2) ^ (d << 3);
    uint64_t r = mix(n - 1, b + 1, c * 3, d ^ a, a + b + c);
    return r * 0x9e3779b97f4a7c15ULL + a - b + c - d;
}

int main(void)
{
    puts("recursion test");

    calls = 0;
    printf("fib(25) = %u (calls %lu)\n", fib(25), calls);

    calls = 0;
    printf("ackermann(2,3) = %lu (calls %lu)\n", ackermann(2, 3), calls);
    calls = 0;
    printf("ackermann(3,5) = %lu (calls %lu)\n", ackermann(3, 5), calls);

    for (uint64_t n = 0; n <= 25; n += 5)
        printf("factorial(%lu) = %lu (0x%016lx)\n", n, factorial(n), factorial(n));

    calls = 0;
    printf("is_even(1001) = %d, is_odd(1001) = %d, is_even(5000) = %d (calls %lu)\n",
           is_even(1001), is_odd(1001), is_even(5000), calls);

    printf("tree_sum(12) = %lu\n", tree_sum(12, 1));
    printf("mix(40) = 0x%016lx\n", mix(40, 1, 2, 3, 4));

    puts("recursion done");
    return 0;
}
