// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Chimera's built-in demo guest: a banner, some number sequences and an
// ASCII Mandelbrot set drawn with integer fixed-point arithmetic (the
// guests never touch the FP/SIMD unit).  Powers off when done.
#include "lib.h"

#define FRAC 16
#define ONE (1L << FRAC)

static void primes(int count)
{
    printf("First %d primes:", count);
    int found = 0;
    for (uint32_t n = 2; found < count; n++) {
        int prime = 1;
        for (uint32_t d = 2; d * d <= n; d++) {
            if (n % d == 0) {
                prime = 0;
                break;
            }
        }
        if (prime) {
            printf(" %u", n);
            found++;
        }
    }
    putchar('\n');
}

static void fibonacci(int count)
{
    printf("First %d Fibonacci numbers:", count);
    uint64_t a = 0, b = 1;
    for (int i = 0; i < count; i++) {
        printf(" %lu", a);
        uint64_t t = a + b;
        a = b;
        b = t;
    }
    putchar('\n');
}

static void mandelbrot(int width, int height, int max_iter)
{
    // Escape speed, fast to slow; points inside the set print as '@'.
    static const char shades[] = " .,:;-=+*%#";
    // View: real part -2.2 .. 0.8, imaginary part -1.2 .. 1.2.
    const int64_t re_min = -22 * ONE / 10, re_max = 8 * ONE / 10;
    const int64_t im_min = -12 * ONE / 10, im_max = 12 * ONE / 10;

    for (int row = 0; row < height; row++) {
        int64_t ci = im_max - (im_max - im_min) * row / (height - 1);
        for (int col = 0; col < width; col++) {
            int64_t cr = re_min + (re_max - re_min) * col / (width - 1);
            int64_t zr = 0, zi = 0;
            int iter = 0;
            while (iter < max_iter) {
                int64_t zr2 = (zr * zr) >> FRAC;
                int64_t zi2 = (zi * zi) >> FRAC;
                if (zr2 + zi2 > 4 * ONE)
                    break;
                zi = ((2 * zr * zi) >> FRAC) + ci;
                zr = zr2 - zi2 + cr;
                iter++;
            }
            if (iter >= max_iter)
                putchar('@');
            else
                putchar(shades[iter / 3 < 10 ? iter / 3 : 10]);
        }
        putchar('\n');
    }
}

int main(void)
{
    puts("========================================================");
    puts("  Chimera demo guest: AArch64 on the virt board");
    puts("========================================================");
    primes(20);
    fibonacci(20);
    puts("Mandelbrot set (16.16 fixed point):");
    mandelbrot(72, 28, 64);
    puts("Demo finished, powering off. Bye!");
    return 0;
}
