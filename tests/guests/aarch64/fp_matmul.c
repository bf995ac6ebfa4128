// SPDX-License-Identifier: MIT OR Apache-2.0
// guest-variant: fp
//
// Double- and single-precision matrix multiply, built with -O3 so gcc
// vectorises the inner loops (FMLA/FMUL on .2d and .4s; the loops are in
// i-k-j order, so the innermost loop runs along a row of B and C).  The
// inputs are pseudo-random values with full 53-bit (24-bit) mantissas, so
// every product and sum rounds; the checksums are printed as exact bit
// patterns, plus a few elements as exact decimals (fp.h).  Odd sizes make
// the vectorised loops run their scalar remainders too.
#include "fp.h"

#define NMAX 64

static double A[NMAX][NMAX], B[NMAX][NMAX], C[NMAX][NMAX];
static float Af[NMAX][NMAX], Bf[NMAX][NMAX], Cf[NMAX][NMAX];

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

// A double in [-1, 1) with 53 random mantissa bits (SCVTF, then FMUL by an
// exact power of two).
static double rand_double(void)
{
    int64_t v = (int64_t)next() >> 10; // 54-bit signed
    return (double)v * 0x1p-53;
}

static float rand_float(void)
{
    int32_t v = (int32_t)(next() >> 32) >> 7; // 25-bit signed
    return (float)v * 0x1p-24f;
}

static void __attribute__((noinline)) matmul(int n, int m, int p)
{
    // C[n][p] = A[n][m] * B[m][p]
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < p; j++)
            C[i][j] = 0.0;
        for (int k = 0; k < m; k++) {
            double a = A[i][k];
            for (int j = 0; j < p; j++)
                C[i][j] += a * B[k][j];
        }
    }
}

static void __attribute__((noinline)) matmul_f(int n, int m, int p)
{
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < p; j++)
            Cf[i][j] = 0.0f;
        for (int k = 0; k < m; k++) {
            float a = Af[i][k];
            for (int j = 0; j < p; j++)
                Cf[i][j] += a * Bf[k][j];
        }
    }
}

// Sum of all elements (vectorised reduction) and an order-sensitive hash of
// the bit patterns.
static void __attribute__((noinline)) checksum(int n, int p, double *sum, uint64_t *hash)
{
    double s = 0.0;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < p; j++) {
            s += C[i][j];
            h = (h ^ f64_bits(C[i][j])) * 0x100000001b3ULL;
        }
    *sum = s;
    *hash = h;
}

static void __attribute__((noinline)) checksum_f(int n, int p, float *sum, uint64_t *hash)
{
    float s = 0.0f;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < p; j++) {
            s += Cf[i][j];
            h = (h ^ f32_bits(Cf[i][j])) * 0x100000001b3ULL;
        }
    *sum = s;
    *hash = h;
}

// Scales A by its largest magnitude element (FABS/FMAX reduction, FDIV)
// and adds the previous product (feedback between rounds).
static void __attribute__((noinline)) feedback(int n)
{
    double mx = 0.0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            mx = __builtin_fmax(mx, __builtin_fabs(C[i][j]));
    double inv = 1.0 / mx;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            A[i][j] = A[i][j] * 0.5 + C[i][j] * inv;
}

int main(void)
{
    static const int shapes[][3] = {{64, 64, 64}, {33, 17, 35}, {8, 64, 7}, {1, 1, 1}, {5, 3, 62}};

    puts("fp_matmul: double and float matrix multiply");
    for (int i = 0; i < NMAX; i++)
        for (int j = 0; j < NMAX; j++) {
            A[i][j] = rand_double();
            B[i][j] = rand_double();
            Af[i][j] = rand_float();
            Bf[i][j] = rand_float();
        }
    print_f64("A[0][0]", A[0][0]);
    print_f64("B[63][63]", B[63][63]);
    print_f32("Af[0][0]", Af[0][0]);

    for (unsigned s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        int n = shapes[s][0], m = shapes[s][1], p = shapes[s][2];
        double sum;
        float sumf;
        uint64_t h, hf;
        matmul(n, m, p);
        checksum(n, p, &sum, &h);
        printf("f64 %dx%dx%d: sum=%016lx hash=%016lx\n", n, m, p, f64_bits(sum), h);
        printf("  C[0][0] = %s\n", f64_dec(C[0][0]));
        matmul_f(n, m, p);
        checksum_f(n, p, &sumf, &hf);
        printf("f32 %dx%dx%d: sum=%08x hash=%016lx\n", n, m, p, f32_bits(sumf), hf);
        printf("  Cf[%d][%d] = %s\n", n - 1, p - 1, f32_dec(Cf[n - 1][p - 1]));
    }

    for (int round = 0; round < 6; round++) {
        double sum;
        uint64_t h;
        matmul(NMAX, NMAX, NMAX);
        checksum(NMAX, NMAX, &sum, &h);
        printf("round %d: sum=%016lx hash=%016lx\n", round, f64_bits(sum), h);
        feedback(NMAX);
    }
    printf("C[63][63] = %s\n", f64_dec(C[NMAX - 1][NMAX - 1]));
    for (int i = 0; i < 4; i++) {
        double c = C[i * 21][63 - i * 21];
        printf("C[%d][%d] = %016lx %s\n", i * 21, 63 - i * 21, f64_bits(c), f64_dec(c));
    }
    uint64_t h = 0;
    for (int i = 0; i < NMAX; i++)
        h = h * 31 + f64_bits(A[i][i]);
    printf("checksum: %016lx\n", h);
    return 0;
}
