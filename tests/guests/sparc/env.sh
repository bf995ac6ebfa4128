# SPDX-License-Identifier: MIT OR Apache-2.0
#
# The SPARC V8 guests' toolchain and reference, for tests/guests/scripts.sh
# (sourced). Pure V8, never libgcc (Debian's 32-bit libgcc is V8+). The guests
# halt with `ta 0` and traps disabled: error mode, which QEMU's LEON3 turns
# into a clean power-off (exit status 0).

CC="${CC:-sparc64-linux-gnu-gcc}"
CFLAGS=(
    -m32 -mcpu=v8 -mno-fpu -O2 -ffreestanding -fno-builtin
    -fno-tree-loop-distribute-patterns
    -nostdlib -nostartfiles -static -fno-pic -no-pie -fno-stack-protector
    -Wall -Wextra
    -Wl,--build-id=none -Wl,-n -Wl,--no-warn-rwx-segments
)
# Build variant "fpu" (a source line "// guest-variant: fpu"): the FPU is
# used and enabled at start-up, and its traps are recorded (start.S).
CFLAGS_FPU=("${CFLAGS[@]/-mno-fpu/-mhard-float}" -DGUEST_FPU)
QEMU_RUN=("${QEMU:-qemu-system-sparc}" -M leon3_generic -nographic -monitor none -serial stdio)
FATAL='*** TRAP'
# shellcheck source=../scripts.sh
. "$(dirname "${BASH_SOURCE[0]}")/../scripts.sh"
