// SPDX-License-Identifier: MIT OR Apache-2.0
// guest-variant: fp
//
// Benchmark: vectorised loops (gcc -O3 auto-vectorisation, Advanced SIMD):
//   * single-precision SAXPY and dot product (FMLA .4s, FADDP/FADD),
//   * the double-precision logistic map u -> 3.9 u (1 - u), chaotic, so
//     every rounding matters (FMUL/FSUB .2d),
//   * an integer loop: sum of absolute differences of bytes and a 16-bit
//     multiply-accumulate (UABAL/UABDL/UADALP-style widening, MLA .8h).
// Prints a line per pass with the results as bit patterns, then a checksum.
#include "fp.h"

#ifndef PASSES
#define PASSES 144
#endif
#define N 8192

static float x[N], y[N];
static double u[N], v[N];
static uint8_t p8[N], q8[N];
static uint16_t a16[N], b16[N];

static void __attribute__((noinline)) saxpy(float a, const float *restrict xs, float *restrict ys)
{
    for (int i = 0; i < N; i++)
        ys[i] = a * xs[i] + ys[i];
}

static float __attribute__((noinline)) dot(const float *xs, const float *ys)
{
    // -O3 without -ffast-math does not reassociate a float sum; four
    // explicit partial sums let it vectorise as one .4s accumulator.
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (int i = 0; i < N; i += 4) {
        s0 += xs[i] * ys[i];
        s1 += xs[i + 1] * ys[i + 1];
        s2 += xs[i + 2] * ys[i + 2];
        s3 += xs[i + 3] * ys[i + 3];
    }
    return (s0 + s1) + (s2 + s3);
}

static void __attribute__((noinline)) logistic(double *restrict out, const double *restrict in)
{
    for (int i = 0; i < N; i++)
        out[i] = 3.9 * in[i] * (1.0 - in[i]);
}

static uint32_t __attribute__((noinline)) sad(const uint8_t *a, const uint8_t *b)
{
    uint32_t s = 0;
    for (int i = 0; i < N; i++) {
        int d = a[i] - b[i];
        s += (uint32_t)(d < 0 ? -d : d);
    }
    return s;
}

static void __attribute__((noinline)) mac16(uint16_t *restrict acc, const uint16_t *restrict b, uint16_t k)
{
    for (int i = 0; i < N; i++)
        acc[i] = (uint16_t)(acc[i] * k + b[i] + (acc[i] >> 3));
}

int main(void)
{
    puts("bench_simd: saxpy, dot, logistic map (FP) and SAD, MAC (integer) over 8192 elements");
    uint64_t r = 0x243f6a8885a308d3ULL;
    for (int i = 0; i < N; i++) {
        r ^= r << 13;
        r ^= r >> 7;
        r ^= r << 17;
        x[i] = (float)((int32_t)(r >> 40) - (1 << 23)) * 0x1p-23f;
        y[i] = (float)((int32_t)(r & 0xffffff) - (1 << 23)) * 0x1p-24f;
        u[i] = (double)(r >> 11) * 0x1p-53;
        p8[i] = (uint8_t)(r >> 3);
        q8[i] = (uint8_t)(r >> 29);
        a16[i] = (uint16_t)(r >> 17);
        b16[i] = (uint16_t)(r >> 47);
    }

    uint64_t sum = 0;
    for (int pass = 0; pass < PASSES; pass++) {
        float d = 0;
        uint32_t s = 0;
        for (int rep = 0; rep < 16; rep++) {
            saxpy(-0.0625f, x, y);
            d = dot(x, y);
            saxpy(0.0625f, y, x); // with the one above: a rotation, bounded
            logistic(v, u);
            logistic(u, v);
            s += sad(p8, q8);
            mac16(a16, b16, (uint16_t)(pass * 16 + rep + 3));
            p8[(pass * 131 + rep) % N] ^= (uint8_t)s;
        }
        uint64_t h = 0;
        for (int i = 0; i < N; i += 97)
            h = h * 31 + a16[i];
        printf("pass %2d: dot=%08x u[%d]=%016lx sad=%08x mac=%016lx\n", pass, f32_bits(d), pass,
               f64_bits(u[pass]), s, h);
        sum = sum * 0x100000001b3ULL + f32_bits(d) + s + h + f64_bits(u[pass]);
    }
    printf("checksum: %016lx\n", sum);
    return 0;
}
