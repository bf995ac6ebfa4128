// SPDX-License-Identifier: MIT OR Apache-2.0
//
// bench_sort with the MMU on (an identity map; see lib.c, __mmu_identity_on):
// the same computation and output through stage 1 translation.
// guest-variant: mmu
#include "bench_sort.c"
