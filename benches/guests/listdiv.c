// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Execution set: pointer chasing with division. A singly linked list of 16K
// nodes linked in a random order (each load depends on the previous one, and
// successive nodes are far apart), with an unsigned division and remainder by
// a per-node divisor at every node (UDIV + MSUB on AArch64; WR %y + UDIV +
// UMUL on SPARC V8). Every walk rewrites the values, so no walk repeats.
#include "bench.h"

#define ROUNDS 2800
#define NODES 16384

struct node {
    struct node *next;
    uint32_t val;
    uint32_t div;
};

static struct node nodes[NODES];
static uint32_t order[NODES];

// Links the nodes in a random permutation (Fisher-Yates); returns the head.
static struct node *link_shuffled(void)
{
    for (uint32_t i = 0; i < NODES; i++)
        order[i] = i;
    for (uint32_t i = NODES - 1; i > 0; i--) {
        uint32_t j = rng_next() % (i + 1);
        uint32_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (uint32_t i = 0; i + 1 < NODES; i++)
        nodes[order[i]].next = &nodes[order[i + 1]];
    nodes[order[NODES - 1]].next = 0;
    return &nodes[order[0]];
}

static uint32_t __attribute__((noinline)) walk(struct node *p, uint32_t k)
{
    uint32_t h = k;
    for (; p; p = p->next) {
        uint32_t q = p->val / p->div;
        uint32_t r = p->val % p->div;
        h = h * 31 + (q ^ r);
        p->val = p->val * 1103515245u + 12345u + q;
    }
    return h;
}

int main(void)
{
    uint32_t sum = 0;
    puts("listdiv: a shuffled linked list with a division per node");
    rng_seed(2024);
    for (uint32_t i = 0; i < NODES; i++) {
        nodes[i].val = rng_next();
        // Divisors of every size: small ones give big quotients, and a few
        // exceed most values.
        uint32_t d = rng_next();
        nodes[i].div = (d >> (d & 31)) | 1;
    }
    struct node *head = link_shuffled();

    for (uint32_t round = 0; round < ROUNDS; round++) {
        // Relink now and then: a new walk order through the same nodes.
        if (round % 16 == 15)
            head = link_shuffled();
        uint32_t h = walk(head, round);
        sum = mix(sum, h);
        if (round % 700 == 0)
            printf("round %u: %08x\n", round, h);
    }
    bench_done("listdiv", sum);
    return 0;
}
