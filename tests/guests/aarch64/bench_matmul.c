// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Benchmark: 32-bit integer matrix multiply (multiply-add heavy),
// C = A * B repeated, feeding the result back into A each round.
#include "lib.h"

#ifndef ROUNDS
#define ROUNDS 16
#endif
#define DIM 256

static uint32_t A[DIM][DIM], B[DIM][DIM], C[DIM][DIM];

static uint64_t matrix_hash(uint32_t (*m)[DIM])
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (int i = 0; i < DIM; i++)
        for (int j = 0; j < DIM; j++)
            h = (h ^ m[i][j]) * 0x100000001b3ULL;
    return h;
}

int main(void)
{
    puts("bench_matmul: 256x256 uint32 matrix multiply");
    uint32_t x = 12345;
    for (int i = 0; i < DIM; i++) {
        for (int j = 0; j < DIM; j++) {
            x = x * 1103515245u + 12345u;
            A[i][j] = x >> 16;
            x = x * 1103515245u + 12345u;
            B[i][j] = x >> 16;
        }
    }

    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < DIM; i++) {
            for (int j = 0; j < DIM; j++) {
                uint32_t s = 0;
                for (int k = 0; k < DIM; k++)
                    s += A[i][k] * B[k][j];
                C[i][j] = s;
            }
        }
        // Feed back (keep values mixed, avoid collapsing to zero).
        for (int i = 0; i < DIM; i++)
            for (int j = 0; j < DIM; j++)
                A[i][j] = (C[i][j] >> 7) ^ (uint32_t)(i * DIM + j);
        printf("round %d: C[0][0]=%08x C[255][255]=%08x hash=%016lx\n",
               round, C[0][0], C[DIM - 1][DIM - 1], matrix_hash(C));
    }
    printf("checksum: %016lx\n", matrix_hash(A));
    return 0;
}
