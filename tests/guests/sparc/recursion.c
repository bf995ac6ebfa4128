// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Deep and mutual recursion: far more frames than the 8 register windows, so
// every call chain overflows and underflows windows through the trap handlers.
#include "lib.h"

static int __attribute__((noinline)) fib(int n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static int __attribute__((noinline)) ackermann(int m, int n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

static int is_odd(int n);

static int __attribute__((noinline)) is_even(int n)
{
    return n == 0 ? 1 : is_odd(n - 1);
}

static int __attribute__((noinline)) is_odd(int n)
{
    return n == 0 ? 0 : is_even(n - 1);
}

// Many live values across the call: the window keeps them in locals.
static uint32_t __attribute__((noinline)) deep(uint32_t depth, uint32_t a, uint32_t b, uint32_t c)
{
    if (depth == 0)
        return a ^ b ^ c;
    uint32_t x = a * 3 + depth, y = b ^ (depth << 3), z = c + a;
    uint32_t r = deep(depth - 1, y, z, x);
    return r + x - y + z;
}

int main(void)
{
    for (int i = 0; i <= 20; i += 4)
        printf("fib(%d) = %d\n", i, fib(i));
    printf("ackermann(2, 3) = %d\n", ackermann(2, 3));
    printf("ackermann(3, 3) = %d\n", ackermann(3, 3));
    printf("is_even(1001) = %d, is_odd(777) = %d\n", is_even(1001), is_odd(777));
    printf("deep(200) = %08x\n", deep(200, 1, 2, 3));
    printf("deep(1000) = %08x\n", deep(1000, 0x1234, 0x5678, 0x9abc));
    return 0;
}
