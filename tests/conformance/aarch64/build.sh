#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Rebuilds the AArch64 conformance programs into bin/NAME.elf. Each NAME.c
# here is one program (one instruction class); it links with the runtime of
# the test guests (tests/guests/aarch64: start.S, lib.c, link.ld).
#
#   ./build.sh           rebuild every bin/NAME.elf
#   ./build.sh --check   compare a fresh build with the committed bin/ files
#
# Needs aarch64-linux-gnu-gcc. See tests/guests/scripts.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
rt=../../guests/aarch64
# shellcheck source=../../guests/aarch64/env.sh
. "$rt/env.sh"

programs=()
for src in *.c; do
    programs+=("${src%.c}")
done
build_main tests/conformance/aarch64/build.sh "$@"
