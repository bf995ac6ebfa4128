#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""Boot Debian's arm64 kernel with the tests/linux initramfs on QEMU and on
Chimera alternately, several times, in one run, and print a Markdown table:
median wall seconds to the first line /init prints and to power-off, for each
CPU model, and Chimera's --stats of its last run (guest instructions, blocks
translated, time in each tier).

    benches/linux_boot.py                 cortex-a57 and cortex-a53, 3 runs each
    benches/linux_boot.py -n 5 --cpu cortex-a57
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHIMERA = os.path.join(ROOT, "target", "release", "chimera")


def boot(cmd):
    """Wall seconds to the first line of /init and to the end; Chimera's stats line."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = None
    out = b""
    for line in p.stdout:
        out += line
        if first is None and line.startswith(b"init: start"):
            first = time.perf_counter() - t0
    err = p.stderr.read().decode(errors="replace")
    status = p.wait()
    total = time.perf_counter() - t0
    if status != 0 or first is None or b"reboot: Power down" not in out:
        sys.exit(f"linux_boot.py: {' '.join(cmd)}: status {status}\n{out.decode(errors='replace')[-2000:]}\n{err}")
    stats = [l for l in err.splitlines() if l.startswith("chimera: ")]
    return first, total, stats[-1] if stats else ""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=3, help="runs of each (median)")
    ap.add_argument("--cpu", action="append", help="CPU model (default: cortex-a57 and cortex-a53)")
    args = ap.parse_args()
    cpus = args.cpu or ["cortex-a57", "cortex-a53"]
    work = tempfile.mkdtemp()
    subprocess.run([os.path.join(ROOT, "tests/linux/boot.sh"), "--prepare", work], check=True)
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    common = ["-m", "512M"]
    kernel = ["--kernel", f"{work}/Image", "--initrd", f"{work}/initrd.gz"]
    print(f"{os.cpu_count()} host CPUs; {subprocess.run(['qemu-system-aarch64', '--version'], capture_output=True, text=True).stdout.splitlines()[0]}; median of {args.n}\n")
    print("| CPU | QEMU to /init | Chimera to /init | QEMU to power-off | Chimera to power-off | QEMU / Chimera |")
    print("|---|---:|---:|---:|---:|---:|")
    notes = []
    for cpu in cpus:
        q, c = [], []
        stats = ""
        for _ in range(args.n):
            q.append(boot(["qemu-system-aarch64", "-M", "virt", "-cpu", cpu, "-nographic", "-nic", "none", "-monitor", "none",
                           "-serial", "stdio", *common, "-kernel", f"{work}/Image", "-initrd", f"{work}/initrd.gz",
                           "-append", "console=ttyAMA0", "-no-reboot"]))
            r = boot([CHIMERA, "run", "-M", "virt", "--cpu", cpu, *common, *kernel, "--append", "console=ttyAMA0", "--no-reboot", "--stats"])
            c.append(r)
            stats = r[2]
        qi, ci = statistics.median(x[0] for x in q), statistics.median(x[0] for x in c)
        qt, ct = statistics.median(x[1] for x in q), statistics.median(x[1] for x in c)
        print(f"| {cpu} | {qi:.2f} | {ci:.2f} | {qt:.2f} | {ct:.2f} | {qt / ct:.2f} |")
        notes.append(f"- {cpu}, Chimera's last run: {stats.removeprefix('chimera: ')}")
    print()
    print("\n".join(notes))


if __name__ == "__main__":
    main()
