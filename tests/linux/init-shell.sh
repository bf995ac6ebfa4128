#!/bin/busybox sh
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# /init of tests/linux/interactive.py's initramfs: a shell on the console.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo "init: shell"
exec setsid cttyhack sh
