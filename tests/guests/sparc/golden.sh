#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Regenerates the golden output files tests/data/sparc/NAME.golden by running
# every guest ELF in bin/ on QEMU's leon3_generic board and recording its
# serial output: exactly the bytes the guest wrote to the APBUART. The test
# harness compares bytes exactly.
#
#   GOLDEN_DIR=DIR ./golden.sh   writes the files to DIR instead (CI compares
#                                them with the committed ones)
#
# Needs qemu-system-sparc (QEMU 7.2). Run build.sh first if sources changed.
#
# QEMU command line: `-monitor none -serial stdio` with `-nographic` prints only
# the guest's serial output (see tests/guests/aarch64/env.sh). The guests
# halt with `ta 0` and traps disabled: error mode, which QEMU's LEON3 turns into
# a clean power-off (exit status 0); any other error-mode entry aborts QEMU.
# A program that reached the runtime's fatal trap handler ("*** TRAP") took a
# trap it did not expect: no golden file is written.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
# shellcheck source=env.sh
. "$here/env.sh"
out_dir="${GOLDEN_DIR:-$repo/tests/data/sparc}"
mkdir -p "$out_dir"

failed=0
for elf in "$here"/bin/*.elf; do
    record_golden "$elf" "$out_dir/$(basename "$elf" .elf).golden" || failed=1
done
exit "$failed"
