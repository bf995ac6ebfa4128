# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Shared by the build and golden scripts of the bare-metal AArch64 programs
# (tests/guests/aarch64, tests/conformance/aarch64); sourced, not run.
#
#   build_main SCRIPT_NAME "$@"      build every NAME in $programs from NAME.c
#                                    with the runtime in $rt into bin/, or with
#                                    --check compare a fresh build with bin/
#   record_golden ELF GOLDEN         run ELF on QEMU's virt board and write its
#                                    serial output to GOLDEN
#
# Builds are byte-reproducible: no debug info, no build id, fixed relative paths.
# QEMU command line: `-nographic` alone would multiplex the monitor onto stdio,
# and `-nographic -serial stdio` then fails with "cannot use stdio by multiple
# character devices"; `-monitor none` avoids that, and the combination prints
# only the guest's serial output. stdin is /dev/null so QEMU never touches the
# terminal. A program that reaches the runtime's fallback vector table
# ("*** EXCEPTION") took a fault it did not expect: no golden file is written.

CC="${CC:-aarch64-linux-gnu-gcc}"
QEMU="${QEMU:-qemu-system-aarch64}"
CFLAGS=(
    -O2 -mgeneral-regs-only -mstrict-align -ffreestanding
    -fno-tree-loop-distribute-patterns
    -nostdlib -nostartfiles -static -fno-pic -no-pie -fno-stack-protector
    -Wall -Wextra
    -Wl,--build-id=none -Wl,-n -Wl,--no-warn-rwx-segments
)

build_into() {
    local out="$1"
    mkdir -p "$out"
    for name in "${programs[@]}"; do
        "$CC" "${CFLAGS[@]}" -I. -I"$rt" -T "$rt/link.ld" "$rt/start.S" "$rt/lib.c" "$name.c" -o "$out/$name.elf"
    done
}

build_main() {
    local script="$1"
    shift
    case "${1:-}" in
    "")
        build_into bin
        for name in "${programs[@]}"; do
            printf '%-18s %6d bytes\n' "$name.elf" "$(stat -c %s "bin/$name.elf")"
        done
        ;;
    --check)
        local tmp differ=()
        tmp="$(mktemp -d)"
        build_into "$tmp"
        for name in "${programs[@]}"; do
            cmp -s "$tmp/$name.elf" "bin/$name.elf" || differ+=("bin/$name.elf")
        done
        rm -rf "$tmp"
        if [ "${#differ[@]}" -ne 0 ]; then
            echo "build.sh --check: these ELFs differ from a fresh build (run $script):" >&2
            printf '  %s\n' "${differ[@]}" >&2
            exit 1
        fi
        echo "build.sh --check: all ${#programs[@]} ELFs match their sources"
        ;;
    *)
        echo "usage: $script [--check]" >&2
        exit 2
        ;;
    esac
}

record_golden() {
    local elf="$1" golden="$2" tmp status
    tmp="$(mktemp)"
    set +e
    timeout 20 "$QEMU" -M virt -cpu cortex-a57 -nographic -nic none \
        -monitor none -serial stdio -kernel "$elf" </dev/null >"$tmp"
    status=$?
    set -e
    if [ "$status" -ne 0 ]; then
        echo "golden.sh: $elf: QEMU exited with status $status (124 = timeout)" >&2
        rm -f "$tmp"
        return 1
    fi
    if grep -q '\*\*\* EXCEPTION' "$tmp"; then
        echo "golden.sh: $elf: the program took an unexpected exception:" >&2
        cat "$tmp" >&2
        rm -f "$tmp"
        return 1
    fi
    mv "$tmp" "$golden"
    chmod 644 "$golden"
    printf '%-50s %6d bytes\n' "$(basename "$golden")" "$(stat -c %s "$golden")"
}
