// SPDX-License-Identifier: MIT OR Apache-2.0
//
// VMSAv8-64 stage 1 translation of the EL1&0 regime with the 64 KiB granule
// (ARM ARM D5.2, D5.3): 48-bit VAs start at
// level 1 (a 64-entry table), 42-bit (T0SZ=22) and 39-bit (T1SZ=25) at
// level 2, 31-bit (T0SZ=33) at level 2 with four entries, 25-bit
// (T1SZ=39) at level 3.  Blocks: 512 MiB at level 2 only (no level 1
// blocks without FEAT_LPA).  The checks are those of mmu_suite.h.
#define GSHIFT 16
#define PT_POOL_TABLES 16
#include "mmu_suite.h"

int main(void)
{
    printf("mmu_64k: begin\n");
    conf_install();
    fill_pages();
    ranges(16, 16);
    ranges(22, 25);
    ranges(33, 39);
    main_suite();
    printf("mmu_64k: end\n");
    return 0;
}
