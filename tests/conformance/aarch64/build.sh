#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Rebuilds the AArch64 conformance programs into bin/NAME.elf.  Each NAME.c
# here is one program (one instruction class); it links with the runtime of
# the test guests (tests/guests/aarch64: start.S, lib.c, link.ld).
#
#   ./build.sh           rebuild every bin/NAME.elf from NAME.c
#   ./build.sh --check   build into a temporary directory and compare
#                        byte-for-byte with the committed bin/ files;
#                        exits 1 naming the files that differ
#
# Needs aarch64-linux-gnu-gcc (Debian: gcc-aarch64-linux-gnu).  The output
# is byte-reproducible: no debug info, no build id, fixed relative paths.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

rt=../../guests/aarch64
CC="${CC:-aarch64-linux-gnu-gcc}"
CFLAGS=(
    -O2 -mgeneral-regs-only -mstrict-align -ffreestanding
    -fno-tree-loop-distribute-patterns
    -nostdlib -nostartfiles -static -fno-pic -no-pie -fno-stack-protector
    -Wall -Wextra
    -I. -I"$rt"
    -Wl,--build-id=none -Wl,-n -Wl,--no-warn-rwx-segments
    -T "$rt/link.ld"
)

programs=()
for src in *.c; do
    programs+=("${src%.c}")
done

build_into() {
    local out="$1"
    mkdir -p "$out"
    for name in "${programs[@]}"; do
        "$CC" "${CFLAGS[@]}" "$rt/start.S" "$rt/lib.c" "$name.c" -o "$out/$name.elf"
    done
}

case "${1:-}" in
"")
    build_into bin
    for name in "${programs[@]}"; do
        printf '%-18s %6d bytes\n' "$name.elf" "$(stat -c %s "bin/$name.elf")"
    done
    ;;
--check)
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    build_into "$tmp"
    differ=()
    for name in "${programs[@]}"; do
        if ! cmp -s "$tmp/$name.elf" "bin/$name.elf"; then
            differ+=("bin/$name.elf")
        fi
    done
    if [ "${#differ[@]}" -ne 0 ]; then
        echo "build.sh --check: these ELFs differ from a fresh build (run tests/conformance/aarch64/build.sh):" >&2
        printf '  %s\n' "${differ[@]}" >&2
        exit 1
    fi
    echo "build.sh --check: all ${#programs[@]} conformance ELFs match their sources"
    ;;
*)
    echo "usage: $0 [--check]" >&2
    exit 2
    ;;
esac
