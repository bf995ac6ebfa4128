// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Execution set: deep recursion. Call-heavy code whose depth swings by tens
// of frames all the time: naive Fibonacci, Ackermann's function (about 250
// frames deep), n-queens by backtracking, and building, summing and mirroring
// a binary tree recursively. On SPARC every swing deeper than the 8 register
// windows is window overflow and underflow traps (the runtime's handlers
// spill and fill 16 registers each); on AArch64 it is stack pushes and pops
// and return-address prediction. Depth stays under 300 frames: the SPARC
// runtime's stack is 64 KiB.
#include "bench.h"

// The same rounds would take SPARC about 7 times as long as AArch64 on QEMU
// (a window trap is far dearer than a stack push), so each ISA gets the
// rounds that make about a second; the two outputs differ in that only.
#ifdef __sparc__
#define ROUNDS 30
#else
#define ROUNDS 200
#endif

static uint32_t __attribute__((noinline)) fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static uint32_t __attribute__((noinline)) ack(uint32_t m, uint32_t n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

// Solutions of n-queens from row `row` on, the columns and diagonals taken
// as bit masks.
static uint32_t __attribute__((noinline)) queens(uint32_t n, uint32_t row, uint32_t cols, uint32_t d1, uint32_t d2)
{
    if (row == n)
        return 1;
    uint32_t count = 0;
    uint32_t free = ~(cols | d1 | d2) & ((1u << n) - 1);
    while (free) {
        uint32_t bit = free & -free;
        free ^= bit;
        count += queens(n, row + 1, cols | bit, (d1 | bit) << 1, (d2 | bit) >> 1);
    }
    return count;
}

// A binary tree in a static pool, built recursively to a given depth.
struct tree {
    struct tree *left, *right;
    uint32_t val;
};

#define TREE_DEPTH 13
static struct tree pool[1u << (TREE_DEPTH + 1)];
static uint32_t pool_used;

static struct tree *__attribute__((noinline)) build(uint32_t depth, uint32_t seed)
{
    struct tree *t = &pool[pool_used++];
    t->val = seed;
    if (depth == 0) {
        t->left = t->right = 0;
    } else {
        t->left = build(depth - 1, seed * 3 + 1);
        t->right = build(depth - 1, seed * 5 + 7);
    }
    return t;
}

// An order-sensitive sum: left subtree, node, right subtree.
static uint32_t __attribute__((noinline)) walk(const struct tree *t, uint32_t h)
{
    if (!t)
        return h;
    h = walk(t->left, h);
    h = h * 33 + t->val;
    return walk(t->right, h);
}

static void __attribute__((noinline)) mirror(struct tree *t)
{
    if (!t)
        return;
    struct tree *l = t->left;
    t->left = t->right;
    t->right = l;
    mirror(t->left);
    mirror(t->right);
}

int main(void)
{
    uint32_t sum = 0;
    puts("recurse: fib, Ackermann, n-queens, binary trees");
    for (uint32_t round = 0; round < ROUNDS; round++) {
        uint32_t f = fib(22 + (round & 1));
        uint32_t a = ack(2, 100 + (round & 15)) + ack(3, 5);
        uint32_t q = queens(8 + (round & 1), 0, 0, 0, 0);
        pool_used = 0;
        struct tree *t = build(TREE_DEPTH, round);
        uint32_t w1 = walk(t, 0);
        mirror(t);
        uint32_t w2 = walk(t, 0);
        sum = mix(sum, f);
        sum = mix(sum, a);
        sum = mix(sum, q);
        sum = mix(sum, w1);
        sum = mix(sum, w2);
        if (round % 15 == 0)
            printf("round %u: fib %u ack %u queens %u tree %08x mirrored %08x\n", round, f, a, q, w1, w2);
    }
    bench_done("recurse", sum);
    return 0;
}
