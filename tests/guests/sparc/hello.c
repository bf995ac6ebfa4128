// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Hello from a bare-metal SPARC V8 guest: UART output, printf formatting,
// the processor state registers the boot left behind.
#include "lib.h"

int main(void)
{
    uint32_t psr, wim, tbr, asr17;
    __asm__ volatile("rd %%psr, %0" : "=r"(psr));
    __asm__ volatile("rd %%wim, %0" : "=r"(wim));
    __asm__ volatile("rd %%tbr, %0" : "=r"(tbr));
    __asm__ volatile("rd %%asr17, %0" : "=r"(asr17));
    puts("Hello from SPARC V8 on LEON3!");
    printf("psr impl/ver %02x, S %u, ET %u, PIL %u, CWP %u\n", psr >> 24, (psr >> 7) & 1, (psr >> 5) & 1,
           (psr >> 8) & 15, psr & 31);
    printf("wim %08x tbr %08x asr17 %08x\n", wim, tbr, asr17);
    printf("[%5d] [%-5d] [%05d] [%x] [%X] [%s] [%c] [%u] [%d]\n", 42, -7, -42, 0xbeef, 0xcafe, "str", 'z',
           4000000000u, -2147483647 - 1);
    return 0;
}
