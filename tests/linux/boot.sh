#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Boots Debian's own arm64 Linux kernel (the current linux-image-arm64 of
# Debian 12) with an initramfs holding busybox-static:arm64 on Chimera's
# `virt` board, runs a fixed list of commands in /init (tests/linux/init.sh)
# and checks what they print. Nothing downloaded is committed: the packages
# are fetched with apt into a cache ($CHIMERA_CACHE, default
# ~/.cache/chimera) and reused.
#
#   tests/linux/boot.sh                 build the release binary, boot, check
#   tests/linux/boot.sh --cpu cortex-a53
#   tests/linux/boot.sh --qemu          the same boot on qemu-system-aarch64
#   tests/linux/boot.sh --prepare DIR --init FILE
#                                       only fetch the kernel and build an
#                                       initramfs with /init = FILE into DIR
#                                       (DIR/Image, DIR/initrd.gz); used by
#                                       tests/linux/interactive.py
#
# Needs root (or sudo) once to add the arm64 architecture to dpkg, and cpio.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache="${CHIMERA_CACHE:-$HOME/.cache/chimera}/debian-arm64"
cpu=cortex-a57
runner=chimera
init="$here/init.sh"
prepare=""
while [ $# -gt 0 ]; do
    case "$1" in
    --cpu) cpu="$2"; shift 2 ;;
    --qemu) runner=qemu; shift ;;
    --init) init="$2"; shift 2 ;;
    --prepare) prepare="$2"; shift 2 ;;
    *) echo "usage: $0 [--cpu MODEL] [--qemu] [--prepare DIR --init FILE]" >&2; exit 2 ;;
    esac
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# The kernel and busybox, from Debian's packages (cached).
fetch() {
    mkdir -p "$cache"
    cd "$cache"
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        $SUDO dpkg --add-architecture arm64
        $SUDO apt-get update -qq
    fi
    if ! ls linux-image-arm64_*.deb >/dev/null 2>&1; then
        apt-get download linux-image-arm64:arm64 busybox-static:arm64 ||
            { $SUDO apt-get update -qq && apt-get download linux-image-arm64:arm64 busybox-static:arm64; }
    fi
    # The meta package names the kernel of the current ABI.
    local abi
    abi="$(dpkg-deb -f linux-image-arm64_*.deb Depends | sed -n 's/.*\(linux-image-[0-9][^ ,]*-arm64\).*/\1/p')"
    if [ ! -f "$abi.Image" ]; then
        apt-get download "$abi:arm64"
        rm -rf kx && dpkg -x "$abi"_*.deb kx
        cp kx/boot/vmlinuz-* "$abi.Image"
        rm -rf kx
    fi
    if [ ! -f busybox ]; then
        rm -rf bx && dpkg -x busybox-static_*.deb bx && cp bx/bin/busybox busybox && rm -rf bx
    fi
    echo "$cache/$abi.Image"
}

image="$(fetch | tail -n 1)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root/bin" "$work/root/proc" "$work/root/sys" "$work/root/dev" "$work/root/tmp"
cp "$cache/busybox" "$work/root/bin/busybox"
cp "$init" "$work/root/init"
chmod +x "$work/root/init"
(cd "$work/root" && find . | cpio -o -H newc 2>/dev/null | gzip -9 > "$work/initrd.gz")
if [ -n "$prepare" ]; then
    mkdir -p "$prepare"
    cp "$image" "$prepare/Image"
    cp "$work/initrd.gz" "$prepare/initrd.gz"
    exit 0
fi

append="console=ttyAMA0"
start=$(date +%s.%N)
case "$runner" in
chimera)
    (cd "$repo" && cargo build --release -q)
    set +e
    timeout 300 "$repo/target/release/chimera" run -M virt --cpu "$cpu" -m 512M --kernel "$image" \
        --initrd "$work/initrd.gz" --append "$append" --no-reboot --stats </dev/null >"$work/out" 2>"$work/err"
    status=$?
    set -e
    ;;
qemu)
    set +e
    timeout 300 qemu-system-aarch64 -M virt -cpu "$cpu" -nographic -nic none -monitor none -serial stdio -m 512M \
        -kernel "$image" -initrd "$work/initrd.gz" -append "$append" -no-reboot </dev/null >"$work/out" 2>"$work/err"
    status=$?
    set -e
    ;;
esac
end=$(date +%s.%N)
# The guest's terminal ends lines with CR LF.
tr -d '\r' <"$work/out" >"$work/lines"
mv "$work/lines" "$work/out"
cat "$work/out"
cat "$work/err" >&2
printf '%s: %s s to power off, status %d\n' "$runner" "$(awk "BEGIN { printf \"%.2f\", $end - $start }")" "$status" >&2

fail() {
    echo "tests/linux/boot.sh: FAILED: $*" >&2
    exit 1
}
[ "$status" -eq 0 ] || fail "$runner exited with status $status"
# What /init prints (see init.sh), with the values the host computes.
want_sha="$(seq 1 20000 | sha256sum | cut -d' ' -f1)"
grep -q "^init: start$" "$work/out" || fail "/init did not start"
grep -q "^uname: Linux .* aarch64 GNU/Linux$" "$work/out" || fail "uname -a"
grep -q "^pipeline: 5050$" "$work/out" || fail "the pipeline"
grep -q "^forks: 200$" "$work/out" || fail "fork/exec of 200 processes"
grep -q "^sha256: $want_sha$" "$work/out" || fail "sha256sum of a generated file"
grep -Eq "^sleep: ok [0-9]+$" "$work/out" || fail "sleep 1 took about a second of guest time"
grep -q "^cpuinfo: CPU implementer	: 0x41$" "$work/out" || fail "/proc/cpuinfo"
grep -q "^interrupts: arch_timer uart-pl011$" "$work/out" || fail "/proc/interrupts"
grep -q "^dmesg: pl011 pl031$" "$work/out" || fail "dmesg shows the devices"
grep -q "^rtc: 20[0-9][0-9]$" "$work/out" || fail "the RTC gives the year"
grep -q "^init: done$" "$work/out" || fail "/init did not finish"
grep -q "reboot: Power down" "$work/out" || fail "no power-off"
echo "tests/linux/boot.sh: $runner ($cpu): every check passed" >&2
