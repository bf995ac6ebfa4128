#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Runs the same guest binaries on QEMU (TCG) and on Chimera in one run and
# prints a Markdown table of wall times and the ratio (QEMU time / Chimera
# time: above 1 means Chimera is faster). Each figure is the best of N runs.
# Outputs of the two are compared; a difference aborts the run.
#
#   benches/vs_qemu.sh            all guests, best of 3
#   RUNS=5 benches/vs_qemu.sh bench_crc
#   JIT_FLAGS="--jit-opt speed" benches/vs_qemu.sh   (other Cranelift settings)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-3}"
JIT_FLAGS="${JIT_FLAGS:-}"
cargo build --release --quiet
CHIMERA=target/release/chimera
QEMU=(qemu-system-aarch64 -M virt -cpu cortex-a57 -nographic -nic none -monitor none -serial stdio)

guests=("$@")
if [ "${#guests[@]}" -eq 0 ]; then
    for f in tests/guests/aarch64/bin/*.elf; do guests+=("$(basename "$f" .elf)"); done
fi

# best_time OUTFILE CMD... : best wall time in seconds over RUNS runs.
best_time() {
    local out="$1"; shift
    local best=""
    for _ in $(seq "$RUNS"); do
        local t0 t1 t
        t0=$(date +%s.%N)
        "$@" </dev/null >"$out"
        t1=$(date +%s.%N)
        t=$(echo "$t1 - $t0" | bc -l)
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
    done
    printf '%.3f' "$best"
}

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(qemu-system-aarch64 --version | head -1)"
echo "Chimera flags: ${JIT_FLAGS:-default}; best of $RUNS runs"
echo
echo "| guest | QEMU (s) | Chimera (s) | QEMU / Chimera |"
echo "|---|---:|---:|---:|"
q_out=$(mktemp); c_out=$(mktemp)
for g in "${guests[@]}"; do
    elf="tests/guests/aarch64/bin/$g.elf"
    tq=$(best_time "$q_out" timeout 120 "${QEMU[@]}" -kernel "$elf")
    # shellcheck disable=SC2086
    tc=$(best_time "$c_out" timeout 120 "$CHIMERA" run --machine virt --kernel "$elf" $JIT_FLAGS)
    if ! cmp -s "$q_out" "$c_out"; then
        echo "vs_qemu.sh: $g: Chimera's output differs from QEMU's" >&2
        diff "$q_out" "$c_out" | head -20 >&2
        exit 1
    fi
    printf '| %s | %s | %s | %.2f |\n' "$g" "$tq" "$tc" "$(echo "$tq / $tc" | bc -l)"
done
rm -f "$q_out" "$c_out"
