#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Builds Chimera's built-in demo guest, firmware/guests/demo/demo.elf, from
# demo.c plus the test-guest runtime in tests/guests/aarch64 (start.S,
# lib.c, link.ld), with the flags of tests/guests/aarch64/env.sh.
#
#   ./build.sh           rebuild demo.elf
#   ./build.sh --check   build into a temporary file and compare
#                        byte-for-byte with the committed demo.elf
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
# Build from the repository root so the paths gcc sees are fixed.
cd "$repo"

rt=tests/guests/aarch64
# shellcheck source=../../../tests/guests/aarch64/env.sh
. "$rt/env.sh"

build() {
    "$CC" "${CFLAGS[@]}" -I "$rt" -T "$rt/link.ld" "$rt/start.S" "$rt/lib.c" firmware/guests/demo/demo.c -o "$1"
}

case "${1:-}" in
"")
    build firmware/guests/demo/demo.elf
    printf 'demo.elf %d bytes\n' "$(stat -c %s firmware/guests/demo/demo.elf)"
    ;;
--check)
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    build "$tmp/demo.elf"
    if ! cmp -s "$tmp/demo.elf" firmware/guests/demo/demo.elf; then
        echo "build.sh --check: firmware/guests/demo/demo.elf differs from a fresh build (run firmware/guests/demo/build.sh)" >&2
        exit 1
    fi
    echo "build.sh --check: demo.elf matches its sources"
    ;;
*)
    echo "usage: $0 [--check]" >&2
    exit 2
    ;;
esac
