// SPDX-License-Identifier: MIT OR Apache-2.0
// guest-variant: fpu
//
// Execution set: floating-point matrix work in double precision. 48x48
// matrix products (i-k-j order), then a normalisation step with a division
// per element and a max-of-magnitudes reduction, feeding the next round's
// operands. Built as the FP variant of each runtime ("fpu": SPARC's hardware
// FPU, AArch64's FP/SIMD variant at -O3, which vectorises the loops) and
// without fused multiply-add (build.sh), so every product and sum rounds the
// same way on both ISAs and the printed bit patterns agree.
#include "bench.h"

#define ROUNDS 240
#define N 48

static double A[N][N], B[N][N], C[N][N];

// The high and low words of a double's bit pattern, whatever the byte order.
static inline uint32_t word_of(double d, int high)
{
    union {
        double d;
        uint32_t w[2];
    } u = {.d = d};
    int big = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
    return u.w[high == big ? 0 : 1];
}

static void __attribute__((noinline)) matmul(void)
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++)
            C[i][j] = 0.0;
        for (int k = 0; k < N; k++) {
            double a = A[i][k];
            for (int j = 0; j < N; j++)
                C[i][j] += a * B[k][j];
        }
    }
}

// Scales every row of C by 1 / (1 + |its diagonal element|) (a division per
// element), then A = A / 2 + C / max|C| and B = the transpose of C: values
// stay in [-2, 2] round after round.
static void __attribute__((noinline)) feedback(void)
{
    double mx = 0.0;
    for (int i = 0; i < N; i++) {
        double d = 1.0 + __builtin_fabs(C[i][i]);
        for (int j = 0; j < N; j++) {
            C[i][j] = C[i][j] / d;
            double m = __builtin_fabs(C[i][j]);
            mx = m > mx ? m : mx;
        }
    }
    double inv = 1.0 / mx;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            A[i][j] = A[i][j] * 0.5 + C[i][j] * inv;
            B[j][i] = C[i][j];
        }
}

static uint32_t checksum(void)
{
    uint32_t h = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            h = mix(h, word_of(C[i][j], 1));
            h = mix(h, word_of(C[i][j], 0));
        }
    return h;
}

int main(void)
{
    uint32_t sum = 0;
    puts("fpmatmul: 48x48 double matrix multiply and normalisation");
    rng_seed(4242);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            // Exact values in [-1, 1) with 31 significant bits.
            A[i][j] = (double)(int32_t)rng_next() * 0x1p-31;
            B[i][j] = (double)(int32_t)rng_next() * 0x1p-31;
        }
    for (uint32_t round = 0; round < ROUNDS; round++) {
        matmul();
        uint32_t h = checksum();
        sum = mix(sum, h);
        if (round % 80 == 0)
            printf("round %u: C[0][0] %08x%08x C[47][47] %08x%08x hash %08x\n", round,
                   word_of(C[0][0], 1), word_of(C[0][0], 0),
                   word_of(C[N - 1][N - 1], 1), word_of(C[N - 1][N - 1], 0), h);
        feedback();
    }
    printf("A[1][2] %08x%08x\n", word_of(A[1][2], 1), word_of(A[1][2], 0));
    bench_done("fpmatmul", sum);
    return 0;
}
