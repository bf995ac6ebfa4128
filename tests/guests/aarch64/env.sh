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
QEMU_RUN=("${QEMU:-qemu-system-aarch64}" -M virt -cpu cortex-a57 -nographic -nic none -monitor none -serial stdio)
FATAL='*** EXCEPTION'
# shellcheck source=../scripts.sh
. "$(dirname "${BASH_SOURCE[0]}")/../scripts.sh"
