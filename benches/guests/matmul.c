// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Execution set: integer matrix work. 64x64 32-bit matrix products in i-k-j
// order (a multiply-accumulate stream along rows, 48 KiB of operands), a
// transpose and an element-wise feedback step between rounds so every round
// multiplies new matrices. Wrapping 32-bit arithmetic: the same results on
// both ISAs.
#include "bench.h"

#define ROUNDS 640
#define N 64

static uint32_t A[N][N], B[N][N], C[N][N];

static void __attribute__((noinline)) matmul(void)
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++)
            C[i][j] = 0;
        for (int k = 0; k < N; k++) {
            uint32_t a = A[i][k];
            for (int j = 0; j < N; j++)
                C[i][j] += a * B[k][j];
        }
    }
}

// B = transpose(C) rotated, A = A xor C shifted: the next round's operands.
static void __attribute__((noinline)) feedback(void)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            uint32_t c = C[j][i];
            B[i][j] = (c << 7 | c >> 25) & 0xffff;
            A[i][j] = (A[i][j] ^ (C[i][j] >> 9)) & 0xffff;
        }
}

static uint32_t checksum(void)
{
    uint32_t h = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            h = mix(h, C[i][j]);
    return h;
}

int main(void)
{
    uint32_t sum = 0;
    puts("matmul: 64x64 integer matrix multiply");
    rng_seed(777);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            A[i][j] = rng_next() & 0xffff;
            B[i][j] = rng_next() & 0xffff;
        }
    for (uint32_t round = 0; round < ROUNDS; round++) {
        matmul();
        uint32_t h = checksum();
        sum = mix(sum, h);
        if (round % 160 == 0)
            printf("round %u: C[0][0] %08x C[63][63] %08x hash %08x\n", round, C[0][0], C[N - 1][N - 1], h);
        feedback();
    }
    bench_done("matmul", sum);
    return 0;
}
