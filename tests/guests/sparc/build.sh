#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Rebuilds the bare-metal SPARC V8 test guests into bin/NAME.elf.
#
#   ./build.sh           rebuild every bin/NAME.elf from NAME.c
#   ./build.sh --check   build into a temporary directory and compare
#                        byte-for-byte with the committed bin/ files;
#                        exits 1 naming the files that differ
#
# Needs sparc64-linux-gnu-gcc (Debian: gcc-sparc64-linux-gnu and
# gcc-12-multilib-sparc64-linux-gnu for -m32). Pure V8, never libgcc (Debian's
# 32-bit libgcc is V8+). Builds are byte-reproducible: no debug info, no build
# id, fixed relative paths.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

CC="${CC:-sparc64-linux-gnu-gcc}"
CFLAGS=(
    -m32 -mcpu=v8 -mno-fpu -O2 -ffreestanding -fno-builtin
    -fno-tree-loop-distribute-patterns
    -nostdlib -nostartfiles -static -fno-pic -no-pie -fno-stack-protector
    -Wall -Wextra
    -Wl,--build-id=none -Wl,-n -Wl,--no-warn-rwx-segments
)

programs=()
for src in *.c; do
    [ "$src" = lib.c ] && continue
    programs+=("${src%.c}")
done

build_into() {
    local out="$1"
    mkdir -p "$out"
    for name in "${programs[@]}"; do
        "$CC" "${CFLAGS[@]}" -I. -T link.ld start.S lib.c "$name.c" -o "$out/$name.elf"
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
    build_into "$tmp"
    differ=()
    for name in "${programs[@]}"; do
        cmp -s "$tmp/$name.elf" "bin/$name.elf" || differ+=("bin/$name.elf")
    done
    rm -rf "$tmp"
    if [ "${#differ[@]}" -ne 0 ]; then
        echo "build.sh --check: these ELFs differ from a fresh build (run tests/guests/sparc/build.sh):" >&2
        printf '  %s\n' "${differ[@]}" >&2
        exit 1
    fi
    echo "build.sh --check: all ${#programs[@]} ELFs match their sources"
    ;;
*)
    echo "usage: tests/guests/sparc/build.sh [--check]" >&2
    exit 2
    ;;
esac
