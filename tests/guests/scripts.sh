# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Shared by the build and golden scripts of the bare-metal guest programs of
# every architecture (tests/guests/ARCH, tests/conformance/ARCH); sourced, not
# run, after the architecture's env.sh has set:
#
#   CC, CFLAGS     the cross compiler and its flags
#   CFLAGS_V       (optional) the flags of the programs of build variant V:
#                  those whose source has a line "// guest-variant: v"
#   QEMU_RUN       the QEMU command line, up to (not including) the kernel
#   FATAL          the line the runtime prints on an unexpected exception
#   rt             the directory holding start.S, lib.c, link.ld
#
#   build_main SCRIPT_NAME "$@"      build every NAME in $programs from NAME.c
#                                    with the runtime in $rt into bin/, or with
#                                    --check compare a fresh build with bin/
#   record_golden ELF GOLDEN         run ELF on QEMU and write its serial
#                                    output to GOLDEN; its serial input is
#                                    NAME.input beside NAME.c (the directory
#                                    above bin/) if there is one, else none
#
# Builds are byte-reproducible: no debug info, no build id, fixed relative
# paths. A program that reaches the runtime's fallback exception handler
# ($FATAL) took a fault it did not expect: no golden file is written.

# The build variant of NAME.c: VARIANT from a line "// guest-variant: VARIANT"
# in the source, or nothing.
variant_of() {
    sed -n 's|^// guest-variant: *\([A-Za-z0-9_]*\).*|\1|p' "$1" | head -n 1
}

build_into() {
    local out="$1" name variant
    mkdir -p "$out"
    for name in "${programs[@]}"; do
        # A program of variant V builds with the array CFLAGS_V (upper case)
        # of env.sh instead of CFLAGS.
        variant="$(variant_of "$name.c")"
        if ! declare -p "CFLAGS${variant:+_${variant^^}}" >/dev/null 2>&1; then
            echo "$name.c: build variant '$variant' has no CFLAGS_${variant^^} in env.sh" >&2
            return 1
        fi
        local -n flags="CFLAGS${variant:+_${variant^^}}"
        "$CC" "${flags[@]}" -I. -I"$rt" -T "$rt/link.ld" "$rt/start.S" "$rt/lib.c" "$name.c" -o "$out/$name.elf"
        unset -n flags
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
    local elf="$1" golden="$2" tmp status input
    input="$(dirname "$elf")/../$(basename "$elf" .elf).input"
    [ -f "$input" ] || input=/dev/null
    tmp="$(mktemp)"
    set +e
    timeout 20 "${QEMU_RUN[@]}" -kernel "$elf" <"$input" >"$tmp"
    status=$?
    set -e
    if [ "$status" -ne 0 ]; then
        echo "golden.sh: $elf: QEMU exited with status $status (124 = timeout)" >&2
        rm -f "$tmp"
        return 1
    fi
    if grep -qF "$FATAL" "$tmp"; then
        echo "golden.sh: $elf: the program took an unexpected exception:" >&2
        cat "$tmp" >&2
        rm -f "$tmp"
        return 1
    fi
    mv "$tmp" "$golden"
    chmod 644 "$golden"
    printf '%-50s %6d bytes\n' "$(basename "$golden")" "$(stat -c %s "$golden")"
}
