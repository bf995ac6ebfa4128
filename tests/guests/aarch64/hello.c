// SPDX-License-Identifier: MIT OR Apache-2.0
//
// The smallest guest: a greeting and a few formatted numbers.
#include "lib.h"

int main(void)
{
    puts("Hello from Chimera guest!");
    printf("answer=%d neg=%d hex=0x%08x big=%lu\n", 42, -17, 0xbeefu, 1234567890123UL);
    printf("[%5d] [%-5d] [%05d] [%016lx] [%s] [%c] [100%%]\n",
           42, 42, -42, 0x0123456789abcdefUL, "ok", 'Z');
    return 0;
}
