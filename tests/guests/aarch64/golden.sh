#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Regenerates the golden output files tests/data/aarch64/NAME.golden by
# running every guest ELF (bin/*.elf, the bench_* benchmarks too, plus the
# demo firmware/guests/demo/demo.elf as demo.golden) on QEMU's `virt` board
# and recording its serial output: exactly the bytes the guest wrote to the
# PL011 UART. The test harness compares bytes exactly.
#
#   GOLDEN_DIR=DIR ./golden.sh   writes the files to DIR instead (CI compares
#                                them with the committed ones)
#
# Needs qemu-system-aarch64 (QEMU 7.2). Run build.sh first if sources changed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
# shellcheck source=env.sh
. "$here/env.sh"
out_dir="${GOLDEN_DIR:-$repo/tests/data/aarch64}"
mkdir -p "$out_dir"

failed=0
for elf in "$here"/bin/*.elf; do
    record_golden "$elf" "$out_dir/$(basename "$elf" .elf).golden" || failed=1
done
record_golden "$repo/firmware/guests/demo/demo.elf" "$out_dir/demo.golden" || failed=1
exit "$failed"
