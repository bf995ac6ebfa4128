// SPDX-License-Identifier: MIT OR Apache-2.0
//
// VMSAv8-64 stage 1 translation of the EL1&0 regime with the 4 KiB granule
// (ARM ARM D5.2 "The VMSAv8-64 address translation system", D5.3 "VMSAv8-64
// translation table format descriptors", D5.4 "Memory access control").
// 48-bit VAs start at level 0; 39-bit (T0SZ=25) at level 1, 30-bit
// (T1SZ=34) and 25-bit (T1SZ=39) at level 2, 31-bit (T0SZ=33) at level 1
// with a two-entry table.  Blocks: 1 GiB (level 1), 2 MiB (level 2).  The
// checks are those of mmu_suite.h.
#define GSHIFT 12
#define PT_POOL_TABLES 32
#include "mmu_suite.h"

int main(void)
{
    printf("mmu_4k: begin\n");
    conf_install();
    fill_pages();
    ranges(16, 16);
    ranges(25, 34);
    ranges(33, 39);
    main_suite();
    printf("mmu_4k: end\n");
    return 0;
}
