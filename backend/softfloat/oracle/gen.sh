#!/bin/sh
# Softfloat oracle driver.
#   gen.sh build             compile oracle/build/oracle (static, freestanding aarch64)
#   gen.sh vectors [SEED]    regenerate tests/data/*.bin from qemu-aarch64
#                            (into $VECTORS_DIR instead if set, so CI can
#                            re-derive them and cmp against the committed ones)
# Needs python3, aarch64-linux-gnu-gcc and qemu-aarch64 (user mode).
# FP16 operations (binary16 arithmetic) run with -cpu max, the rest with
# -cpu cortex-a57 (ARMv8.0).
set -e
here=$(cd "$(dirname "$0")" && pwd)
build() {
    mkdir -p "$here/build"
    python3 "$here/gen_ops.py" "$here/build/ops.inc"
    aarch64-linux-gnu-gcc -O1 -static -nostdlib -ffreestanding -fno-builtin \
        -march=armv8.2-a+fp16 -Wall -I"$here/build" -o "$here/build/oracle" "$here/oracle.c"
}
case "$1" in
build)
    build
    ;;
vectors)
    build
    # The committed files were made with the default seed.
    seed=${2:-20240601}
    data=${VECTORS_DIR:-"$here/../tests/data"}
    mkdir -p "$data"
    rm -f "$data"/*.bin
    qemu-aarch64 "$here/build/oracle" list | while read -r name fp16; do
        cpu=cortex-a57
        [ "$fp16" = 1 ] && cpu=max
        # Per-operation counts keep the committed total near 1.4 MB.
        case "$name" in
        *_d|cvt_d_*|cvtxn_d_s|fromint_d) n=1100 ;;
        urecpe|ursqrte) n=1500 ;;
        *) n=1400 ;;
        esac
        qemu-aarch64 -cpu $cpu "$here/build/oracle" "$name" $n "$seed" > "$data/$name.bin"
    done
    du -sh "$data"
    ;;
*)
    echo "usage: $0 build | vectors [SEED]" >&2
    exit 2
    ;;
esac
