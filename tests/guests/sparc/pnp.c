// SPDX-License-Identifier: MIT OR Apache-2.0
//
// The AMBA plug&play areas of the LEON3 board (GRLIB IP Core User's Manual,
// "AMBA Plug&Play"): the AHB area at 0xFFFFF000 (masters, then slaves at
// +0x800, 8 words per entry) and the APB area of the AHB/APB bridge at
// 0x800FF000 (2 words per entry). Prints every non-empty entry.
#include "lib.h"

static uint32_t rd(uint32_t a)
{
    return *(volatile uint32_t *)a;
}

int main(void)
{
    puts("pnp: AMBA plug&play areas");
    for (uint32_t e = 0; e < 128; e++) {
        uint32_t base = 0xfffff000u + e * 32;
        uint32_t w[8], any = 0;
        for (int k = 0; k < 8; k++) {
            w[k] = rd(base + 4 * k);
            any |= w[k];
        }
        if (!any)
            continue;
        printf("ahb %s %2u:", e < 64 ? "master" : "slave ", e % 64);
        for (int k = 0; k < 8; k++)
            printf(" %08x", w[k]);
        printf("\n");
    }
    for (uint32_t e = 0; e < 512; e++) {
        uint32_t base = 0x800ff000u + e * 8;
        uint32_t a = rd(base), b = rd(base + 4);
        if (a | b)
            printf("apb %3u: %08x %08x\n", e, a, b);
    }
    puts("end");
    return 0;
}
