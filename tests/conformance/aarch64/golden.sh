#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Regenerates tests/data/conformance/aarch64/NAME.golden by running every
# conformance program (tests/conformance/aarch64/bin/*.elf) on QEMU's `virt`
# board and recording its serial output: exactly the bytes the guest wrote
# to the PL011 UART, no header, no QEMU messages.
#
#   GOLDEN_DIR=DIR ./golden.sh   writes the files to DIR instead (to compare
#                                with the committed ones)
#
# The QEMU command line is the one of tests/guests/aarch64/golden.sh (see
# there why -monitor none).  A program that hits the runtime's fallback
# vector table ("*** EXCEPTION") took a fault it did not expect, and no
# golden file is written for it.  (The `exceptions` program installs its own
# vector table and prints what it catches.)
#
# Needs qemu-system-aarch64 (tested with QEMU 7.2).  Run build.sh first if
# the sources changed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
out_dir="${GOLDEN_DIR:-$repo/tests/data/conformance/aarch64}"
mkdir -p "$out_dir"

QEMU="${QEMU:-qemu-system-aarch64}"

run_program() {
    local elf="$1" golden="$2"
    local tmp status
    tmp="$(mktemp)"
    set +e
    timeout 20 "$QEMU" -M virt -cpu cortex-a57 -nographic -nic none \
        -monitor none -serial stdio -kernel "$elf" </dev/null >"$tmp"
    status=$?
    set -e
    if [ "$status" -ne 0 ]; then
        echo "golden.sh: $elf: QEMU exited with status $status (124 = timeout)" >&2
        rm -f "$tmp"
        return 1
    fi
    if grep -q '\*\*\* EXCEPTION' "$tmp"; then
        echo "golden.sh: $elf: the program took an unexpected exception:" >&2
        cat "$tmp" >&2
        rm -f "$tmp"
        return 1
    fi
    mv "$tmp" "$golden"
    chmod 644 "$golden"
    printf '%-50s %6d bytes, %5d lines\n' "${golden#"$repo"/}" \
        "$(stat -c %s "$golden")" "$(wc -l <"$golden")"
}

failed=0
for elf in "$here"/bin/*.elf; do
    name="$(basename "$elf" .elf)"
    run_program "$elf" "$out_dir/$name.golden" || failed=1
done

exit "$failed"
