#!/bin/busybox sh
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# /init of tests/linux/boot.sh's initramfs: a fixed list of commands, each
# printing one line that boot.sh checks, then power off.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo "init: start"
echo "uname: $(uname -a)"
echo "pipeline: $(seq 1 100 | grep -v x | awk '{s += $1} END {print s}')"
n=0
while [ $n -lt 200 ]; do
    /bin/true
    n=$((n + 1))
done
echo "forks: $n"
seq 1 20000 > /tmp/numbers
echo "sha256: $(sha256sum /tmp/numbers | cut -d' ' -f1)"
t0=$(cut -d' ' -f1 /proc/uptime | tr -d .)
sleep 1
t1=$(cut -d' ' -f1 /proc/uptime | tr -d .)
d=$((t1 - t0))
if [ $d -ge 95 ] && [ $d -le 300 ]; then echo "sleep: ok $d"; else echo "sleep: $d centiseconds"; fi
echo "cpuinfo: $(grep 'CPU implementer' /proc/cpuinfo)"
echo "interrupts: $(grep -o 'arch_timer\|uart-pl011' /proc/interrupts | tr '\n' ' ' | sed 's/ $//')"
echo "dmesg: $(dmesg | grep -o 'pl011\|pl031' | sort -u | tr '\n' ' ' | sed 's/ $//')"
echo "rtc: $(date +%Y)"
echo "init: done"
poweroff -f
