# SPDX-License-Identifier: MIT OR Apache-2.0
#
# The AArch64 guests' toolchain and reference, for tests/guests/scripts.sh
# (sourced). QEMU command line: `-nographic` alone would multiplex the monitor
# onto stdio, and `-nographic -serial stdio` then fails with "cannot use stdio
# by multiple character devices"; `-monitor none` avoids that, and the
# combination prints only the guest's serial output.

CC="${CC:-aarch64-linux-gnu-gcc}"
CFLAGS=(
    -O2 -mgeneral-regs-only -mstrict-align -ffreestanding
    -fno-tree-loop-distribute-patterns
    -nostdlib -nostartfiles -static -fno-pic -no-pie -fno-stack-protector
    -Wall -Wextra
    -Wl,--build-id=none -Wl,-n -Wl,--no-warn-rwx-segments
)
# The FP/SIMD variant (a source line "// guest-variant: fp"; see scripts.sh):
# FP/SIMD registers allowed, -O3 so gcc vectorises, and -DGUEST_FP, with which
# start.S enables FP/SIMD (CPACR_EL1.FPEN = 0b11) before any C code runs.
# Still -mstrict-align: with the MMU off every access is to Device memory,
# where the architecture makes a misaligned access fault (ARM ARM B2.5.2;
# QEMU 7.2 does not check, hardware does), so the vectoriser must peel loops
# to alignment rather than use unaligned LDR/STR Q.
CFLAGS_FP=(
    -O3 -march=armv8-a -mstrict-align -ffreestanding -DGUEST_FP
    -fno-tree-loop-distribute-patterns
    -nostdlib -nostartfiles -static -fno-pic -no-pie -fno-stack-protector
    -Wall -Wextra
    -Wl,--build-id=none -Wl,-n -Wl,--no-warn-rwx-segments
)
# The MMU variant (a source line "// guest-variant: mmu"): the integer flags
# plus -DGUEST_MMU, with which start.S turns the MMU on with an identity map
# before main() (lib.c), so the same program runs with stage 1 translation.
CFLAGS_MMU=("${CFLAGS[@]}" -DGUEST_MMU)
QEMU_RUN=("${QEMU:-qemu-system-aarch64}" -M virt -cpu cortex-a57 -nographic -nic none -monitor none -serial stdio)
FATAL='*** EXCEPTION'
# shellcheck source=../scripts.sh
. "$(dirname "${BASH_SOURCE[0]}")/../scripts.sh"
