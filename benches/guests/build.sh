#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Rebuilds the execution-set guests (benches/vs_qemu.py --set) for both ISAs:
# every NAME.c here, unchanged, into bin/aarch64/NAME.elf and
# bin/sparc/NAME.elf, with the bare-metal runtime and flags of
# tests/guests/aarch64 and tests/guests/sparc (their env.sh and
# ../scripts.sh).
#
#   ./build.sh           rebuild every bin/ARCH/NAME.elf
#   ./build.sh --check   build into a temporary directory and compare
#                        byte-for-byte with the committed bin/ files;
#                        exits 1 naming the files that differ
#
# Needs aarch64-linux-gnu-gcc and sparc64-linux-gnu-gcc (with the -m32
# multilib); see tests/guests/*/build.sh. Builds are byte-reproducible (no
# debug info, no build id, fixed relative paths). CC from the environment is
# ignored: one compiler cannot build both.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

arches=(aarch64 sparc)
programs=()
for src in *.c; do
    programs+=("${src%.c}")
done

# Builds every program for ARCH into OUT/ARCH. A subshell, since each env.sh
# sets the same variable names.
build_arch() {
    local arch="$1" out="$2"
    (
        unset CC
        rt="../../tests/guests/$arch"
        # shellcheck source=../../tests/guests/aarch64/env.sh
        . "$rt/env.sh"
        # The FP guests say "// guest-variant: fpu", the SPARC name of the FP
        # build; on AArch64 that is the runtime's FP/SIMD variant "fp".
        if [ "$arch" = aarch64 ]; then
            CFLAGS_FPU=("${CFLAGS_FP[@]}")
        fi
        # No fused multiply-add: SPARC V8 has none, and with separate
        # roundings both ISAs compute (and print) the same FP results.
        CFLAGS_FPU+=(-ffp-contract=off)
        build_into "$out/$arch"
    )
}

case "${1:-}" in
"")
    for arch in "${arches[@]}"; do
        build_arch "$arch" bin
        for name in "${programs[@]}"; do
            printf '%-26s %6d bytes\n' "$arch/$name.elf" "$(stat -c %s "bin/$arch/$name.elf")"
        done
    done
    ;;
--check)
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    differ=()
    for arch in "${arches[@]}"; do
        build_arch "$arch" "$tmp"
        for name in "${programs[@]}"; do
            cmp -s "$tmp/$arch/$name.elf" "bin/$arch/$name.elf" || differ+=("bin/$arch/$name.elf")
        done
    done
    if [ "${#differ[@]}" -ne 0 ]; then
        echo "build.sh --check: these ELFs differ from a fresh build (run benches/guests/build.sh):" >&2
        printf '  %s\n' "${differ[@]}" >&2
        exit 1
    fi
    echo "build.sh --check: all $((${#programs[@]} * ${#arches[@]})) ELFs match their sources"
    ;;
*)
    echo "usage: benches/guests/build.sh [--check]" >&2
    exit 2
    ;;
esac
