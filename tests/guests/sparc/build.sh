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
# 32-bit libgcc is V8+). See env.sh and ../scripts.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

rt=.
# shellcheck source=env.sh
. ./env.sh

programs=()
for src in *.c; do
    [ "$src" = lib.c ] && continue
    programs+=("${src%.c}")
done
build_main tests/guests/sparc/build.sh "$@"
