#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Regenerates the golden output files tests/data/aarch64/NAME.golden by
# running every non-benchmark guest ELF (tests/guests/aarch64/bin/*.elf
# except bench_*, plus the demo firmware/guests/demo/demo.elf as
# demo.golden) on QEMU's `virt` board and recording its serial output.
#
# A golden file holds exactly the bytes the guest wrote to the PL011 UART:
# no header, no QEMU messages.  The test harness compares bytes exactly.
#
# QEMU command line notes: `-nographic` alone would multiplex the monitor
# onto stdio, and `-nographic -serial stdio` then fails with "cannot use
# stdio by multiple character devices"; `-monitor none` avoids that, and
# the combination below prints only the guest's serial output.  stdin is
# /dev/null so QEMU never touches the terminal.
#
# Needs qemu-system-aarch64 (tested with QEMU 7.2).  Run build.sh first if
# the sources changed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
# GOLDEN_DIR=DIR writes the files there instead (CI compares them with the committed ones).
out_dir="${GOLDEN_DIR:-$repo/tests/data/aarch64}"
mkdir -p "$out_dir"

QEMU="${QEMU:-qemu-system-aarch64}"

run_guest() {
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
        echo "golden.sh: $elf: the guest took an exception:" >&2
        cat "$tmp" >&2
        rm -f "$tmp"
        return 1
    fi
    mv "$tmp" "$golden"
    chmod 644 "$golden"
    printf '%-40s %6d bytes\n' "${golden#"$repo"/}" "$(stat -c %s "$golden")"
}

failed=0
for elf in "$here"/bin/*.elf; do
    name="$(basename "$elf" .elf)"
    case "$name" in bench_*) continue ;; esac
    run_guest "$elf" "$out_dir/$name.golden" || failed=1
done
run_guest "$repo/firmware/guests/demo/demo.elf" "$out_dir/demo.golden" || failed=1

exit "$failed"
