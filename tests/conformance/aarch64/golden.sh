#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Regenerates tests/data/conformance/aarch64/NAME.golden by running every
# conformance program (bin/*.elf) on QEMU's `virt` board and recording its
# serial output. (The `exceptions` program installs its own vector table and
# prints what it catches; anything reaching the runtime's fallback table is an
# unexpected fault and writes no golden file.)
#
#   GOLDEN_DIR=DIR ./golden.sh   writes the files to DIR instead
#
# Needs qemu-system-aarch64 (QEMU 7.2). See tests/guests/scripts.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
# shellcheck source=../../guests/aarch64/env.sh
. "$repo/tests/guests/aarch64/env.sh"
out_dir="${GOLDEN_DIR:-$repo/tests/data/conformance/aarch64}"
mkdir -p "$out_dir"

failed=0
for elf in "$here"/bin/*.elf; do
    record_golden "$elf" "$out_dir/$(basename "$elf" .elf).golden" || failed=1
done
exit "$failed"
