#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""Run the same guest binaries on QEMU (TCG) and on Chimera in one run.

Prints a Markdown table: best-of-N wall time of each, and QEMU / Chimera
(above 1: Chimera is faster). The outputs of the two must be identical, or
the run stops. Extra Chimera flags (e.g. Cranelift settings) can be compared
side by side as further columns.

    benches/vs_qemu.py                         all aarch64 guests, best of 5
    benches/vs_qemu.py -n 3 bench_crc bench_sort
    benches/vs_qemu.py --variant "--jit-regalloc single_pass" --variant "--jit-hot 0"
"""
import argparse
import os
import platform
import resource
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QEMU = ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-nographic", "-nic", "none",
        "-monitor", "none", "-serial", "stdio", "-kernel"]
CHIMERA = os.path.join(ROOT, "target", "release", "chimera")


def run(cmd):
    """Wall seconds and stdout of one run."""
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    t = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"vs_qemu.py: {' '.join(cmd)} exited with {p.returncode}:\n{p.stderr.decode(errors='replace')}")
    return t, p.stdout


def best(cmd, n):
    times, out = [], None
    for _ in range(n):
        t, o = run(cmd)
        times.append(t)
        out = o
    return min(times), out


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("guests", nargs="*", help="guest names under tests/guests/aarch64/bin (default: all)")
    ap.add_argument("-n", type=int, default=5, help="runs per measurement (best is kept)")
    ap.add_argument("--variant", action="append", default=[], help="extra Chimera flags for another column")
    args = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    bindir = os.path.join(ROOT, "tests", "guests", "aarch64", "bin")
    guests = args.guests or sorted(f[:-4] for f in os.listdir(bindir) if f.endswith(".elf"))
    qv = subprocess.run(["qemu-system-aarch64", "--version"], stdout=subprocess.PIPE, text=True).stdout.splitlines()[0]
    print(f"Machine: {os.cpu_count()} cores, {cpu_name()}; {qv}; best of {args.n} runs, wall seconds\n")
    variants = [""] + args.variant
    head = "| guest | QEMU |" + "".join(f" Chimera {v or '(default)'} | QEMU / Chimera |" for v in variants)
    print(head)
    print("|---|---:|" + "---:|---:|" * len(variants))
    for g in guests:
        elf = os.path.join(bindir, g + ".elf")
        tq, oq = best(QEMU + [elf], args.n)
        row = f"| {g} | {tq:.3f} |"
        for v in variants:
            tc, oc = best([CHIMERA, "run", "--machine", "virt", "--kernel", elf] + v.split(), args.n)
            if oc != oq:
                sys.exit(f"vs_qemu.py: {g}: Chimera ({v or 'default'}) printed something else than QEMU")
            row += f" {tc:.3f} | {tq / tc:.2f} |"
        print(row, flush=True)


if __name__ == "__main__":
    main()
