#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Rebuilds the bare-metal AArch64 test guests into bin/NAME.elf.
#
#   ./build.sh           rebuild every bin/NAME.elf from NAME.c
#   ./build.sh --check   build into a temporary directory and compare
#                        byte-for-byte with the committed bin/ files;
#                        exits 1 naming the files that differ
#
# Needs aarch64-linux-gnu-gcc (Debian: gcc-aarch64-linux-gnu). See env.sh and
# ../scripts.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
rt=.
# shellcheck source=env.sh
. ./env.sh

# Every NAME.c except the runtime is one guest.
programs=()
for src in *.c; do
    [ "$src" = lib.c ] && continue
    programs+=("${src%.c}")
done
build_main tests/guests/aarch64/build.sh "$@"
