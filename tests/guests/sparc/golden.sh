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
# the guest's serial output (see tests/guests/aarch64/scripts.sh). The guests
# halt with `ta 0` and traps disabled: error mode, which QEMU's LEON3 turns into
# a clean power-off (exit status 0); any other error-mode entry aborts QEMU.
# A program that reached the runtime's fatal trap handler ("*** TRAP") took a
# trap it did not expect: no golden file is written.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
QEMU="${QEMU:-qemu-system-sparc}"
out_dir="${GOLDEN_DIR:-$repo/tests/data/sparc}"
mkdir -p "$out_dir"

failed=0
for elf in "$here"/bin/*.elf; do
    name="$(basename "$elf" .elf)"
    golden="$out_dir/$name.golden"
    tmp="$(mktemp)"
    set +e
    timeout 20 "$QEMU" -M leon3_generic -nographic -monitor none -serial stdio \
        -kernel "$elf" </dev/null >"$tmp"
    status=$?
    set -e
    if [ "$status" -ne 0 ]; then
        echo "golden.sh: $elf: QEMU exited with status $status (124 = timeout)" >&2
        rm -f "$tmp"
        failed=1
        continue
    fi
    if grep -q '\*\*\* TRAP' "$tmp"; then
        echo "golden.sh: $elf: the program took an unexpected trap:" >&2
        cat "$tmp" >&2
        rm -f "$tmp"
        failed=1
        continue
    fi
    mv "$tmp" "$golden"
    chmod 644 "$golden"
    printf '%-30s %6d bytes\n' "$(basename "$golden")" "$(stat -c %s "$golden")"
done
exit "$failed"
