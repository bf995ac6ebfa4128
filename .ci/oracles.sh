#!/usr/bin/env bash
# The committed oracle data are what QEMU gives, re-derived in full:
#   softfloat  backend/softfloat/tests/data/*.bin              oracle/gen.sh vectors
#   AdvSIMD    frontends/aarch64-simd/tests/data/vectors.txt   oracle/run.py regen
#   dp_golden  frontends/aarch64/tests/data/dp_golden.txt      gen_dp_golden.py --check
# then Chimera against bounded live batches of new cases (seeds the committed
# data do not use), so the live oracles run in CI too. One line per oracle;
# exit status 1 on any difference. Installs nothing: .ci/run installs
# qemu-user and gcc-aarch64-linux-gnu before calling this.
set -euo pipefail
cd "$(dirname "$0")/.."

# Live batches: fixed, so a failure reproduces; about a minute on 2 cores.
# The committed data use seed 20240601 (softfloat, AdvSIMD) and 1 (dp_golden).
SF_LIVE_SEED=7
SF_LIVE_COUNT=100000    # per operation
SIMD_LIVE_SEED=7
SIMD_LIVE_COUNT=200000

for tool in qemu-aarch64 aarch64-linux-gnu-gcc aarch64-linux-gnu-as aarch64-linux-gnu-ld python3 cargo cmp comm; do
    if ! command -v "$tool" >/dev/null; then
        echo "oracles: $tool not found (Debian: qemu-user, gcc-aarch64-linux-gnu, python3; .ci/run installs them)" >&2
        exit 1
    fi
done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
status=0

# 93200 -> 93,200
commas() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }

# Runs a cargo test quietly; shows its log if it fails.
cargo_test() {
    local log="$tmp/$1.log"
    shift
    if cargo test "$@" >"$log" 2>&1; then
        return 0
    fi
    tail -n 40 "$log" >&2
    return 1
}

# softfloat: the oracle derives its inputs from the seed, so regenerating with
# the default seed must give every committed file byte for byte.
sf="backend/softfloat/tests/data"
mkdir "$tmp/sf"
VECTORS_DIR="$tmp/sf" sh backend/softfloat/oracle/gen.sh vectors >/dev/null
# A committed file gen.sh does not write counts as differing too.
differ=0
unmatched=$(comm -3 <(cd "$tmp/sf" && printf '%s\n' *.bin) <(cd "$sf" && printf '%s\n' *.bin) | tr -d '\t')
if [ -n "$unmatched" ]; then
    echo "softfloat: written by gen.sh or committed, not both: ${unmatched//$'\n'/ }" >&2
    differ=$(wc -l <<<"$unmatched")
fi
files=0
for f in "$tmp"/sf/*.bin; do
    files=$((files + 1))
    if [ -e "$sf/${f##*/}" ] && ! cmp "$f" "$sf/${f##*/}" >&2; then
        differ=$((differ + 1))
    fi
done
# Records after the header line `CHIMERA-SF op nin isz osz` are 4 + nin*isz + osz bytes.
vectors=$(python3 - "$tmp"/sf/*.bin <<'EOF'
import sys
total = 0
for p in sys.argv[1:]:
    data = open(p, "rb").read()
    nl = data.index(b"\n")
    nin, isz, osz = map(int, data[:nl].split()[2:5])
    total += (len(data) - nl - 1) // (4 + nin * isz + osz)
print(total)
EOF
)
if [ "$differ" -eq 0 ]; then
    echo "softfloat: $files files, $(commas "$vectors") vectors re-derived from qemu-aarch64: identical"
else
    echo "softfloat: $files files, $(commas "$vectors") vectors re-derived from qemu-aarch64: $differ of the files DIFFER from $sf"
    status=1
fi

# AdvSIMD: run.py regen draws every case from a fixed seed.
simd="frontends/aarch64-simd/tests/data/vectors.txt"
python3 frontends/aarch64-simd/oracle/run.py regen --out "$tmp/vectors.txt" >/dev/null
cases=$(wc -l <"$tmp/vectors.txt")
if cmp "$tmp/vectors.txt" "$simd" >&2; then
    echo "aarch64-simd: $(commas "$cases") vectors re-derived from qemu-aarch64: identical"
else
    diff "$tmp/vectors.txt" "$simd" | head -n 8 >&2 || true
    echo "aarch64-simd: $(commas "$cases") vectors re-derived from qemu-aarch64: $simd DIFFERS"
    status=1
fi

# dp_golden: the file's words and seeds re-run on QEMU, every line compared
# (the generator's llvm-objdump filter is not needed for that, and CI may
# not have it).
dp="frontends/aarch64/tests/data/dp_golden.txt"
if out=$(python3 frontends/aarch64/tests/data/gen_dp_golden.py --check "$dp"); then
    echo "aarch64 dp_golden: $(commas "${out%% *}") cases re-run on qemu-aarch64: identical"
else
    echo "aarch64 dp_golden: $dp DIFFERS from qemu-aarch64"
    status=1
fi

# Live softfloat: every operation, new inputs, checked as they come.
unset CHIMERA_SF_OPS
if CHIMERA_SF_SEED="$SF_LIVE_SEED" CHIMERA_SF_COUNT="$SF_LIVE_COUNT" cargo_test sf-live -p chimera-softfloat --release --test live -- --ignored --nocapture \
    && line=$(grep '^live: ' "$tmp/sf-live.log"); then
    # "live: 72 operations, 7200000 vectors, seed 7, 0 mismatches"
    read -r _ ops _ total _ _ seed _ <<<"${line//,/}"
    echo "softfloat live: $ops operations x $(commas "$SF_LIVE_COUNT"), $(commas "$total") vectors (seed $seed) from qemu-aarch64: Chimera identical"
else
    echo "softfloat live: Chimera DIFFERS from qemu-aarch64 (seed $SF_LIVE_SEED, $(commas "$SF_LIVE_COUNT") per operation)"
    status=1
fi

# Live AdvSIMD: new random cases over every group.
python3 frontends/aarch64-simd/oracle/run.py live "$SIMD_LIVE_COUNT" "$SIMD_LIVE_SEED" "$tmp/live.txt" >/dev/null
cases=$(wc -l <"$tmp/live.txt")
if [ "$cases" -ne "$SIMD_LIVE_COUNT" ]; then
    echo "aarch64-simd live: run.py wrote $cases cases, not $SIMD_LIVE_COUNT" >&2
    status=1
elif SIMD_VECTORS="$tmp/live.txt" cargo_test simd-live -p chimera-aarch64-simd --release --test vectors -- --ignored --exact live; then
    echo "aarch64-simd live: $(commas "$cases") vectors (seed $SIMD_LIVE_SEED) from qemu-aarch64: Chimera identical"
else
    echo "aarch64-simd live: Chimera DIFFERS from qemu-aarch64 (seed $SIMD_LIVE_SEED, $(commas "$SIMD_LIVE_COUNT") cases)"
    status=1
fi

exit "$status"
