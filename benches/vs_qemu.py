#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""Run the same guest binaries on QEMU (TCG) and on Chimera in one run.

Two modes. Without --set (the original one): the AArch64 test guests of
tests/guests/aarch64/bin, best-of-N wall time of each, and QEMU / Chimera
(above 1: Chimera is faster).

With --set: the execution set, benches/guests/bin/ARCH (the same C built for
AArch64 and SPARC V8, each guest about 1 s on QEMU; benches/guests/build.sh).
QEMU and Chimera run alternately, N times each, so drifts in the machine's
speed hit both alike; one table per ISA with the median seconds of each,
Chimera / QEMU (below 1: Chimera is faster), the guest instructions (one
extra Chimera run with --stats counts them) and the MIPS of both, and a
geometric-mean row.

In both modes the outputs of QEMU and Chimera must be byte-identical, or the
run stops; --variant adds a column of Chimera with extra flags (A/B
comparisons); --chimera uses a given binary instead of building
target/release/chimera (which the other modes do with cargo first).

    benches/vs_qemu.py                         all aarch64 test guests, best of 5
    benches/vs_qemu.py -n 3 bench_crc bench_sort
    benches/vs_qemu.py --variant "--jit-regalloc single_pass" --variant "--jit-hot 0"
    benches/vs_qemu.py --set                   the execution set, both ISAs, 5 runs each
    benches/vs_qemu.py --set --arch sparc -n 3 hash recurse
    benches/vs_qemu.py --set --chimera /tmp/chimera-base --variant "--jit-hot 0"
"""
import argparse
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QEMU = ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-nographic", "-nic", "none",
        "-monitor", "none", "-serial", "stdio", "-kernel"]
CHIMERA = os.path.join(ROOT, "target", "release", "chimera")

# The execution set's ISAs: the QEMU command up to the kernel image, and
# Chimera's board.
ARCHES = {
    "aarch64": {"qemu": QEMU, "machine": "virt"},
    "sparc": {"qemu": ["qemu-system-sparc", "-M", "leon3_generic", "-nographic", "-monitor", "none",
                       "-serial", "stdio", "-kernel"], "machine": "leon3"},
}
SET_DIR = os.path.join(ROOT, "benches", "guests", "bin")
# The line `chimera run --stats` prints on stderr when the guest stops.
STATS = re.compile(rb"^chimera: (\d+) guest instructions executed", re.M)

TIMEOUT = 300


def run(cmd, timeout=None):
    """Wall seconds, stdout and stderr of one run; stops the script if it
    fails or takes longer than `timeout` seconds (default: --timeout)."""
    limit = timeout or TIMEOUT
    me = os.path.basename(sys.argv[0])
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=limit)
    except subprocess.TimeoutExpired:
        sys.exit(f"{me}: {' '.join(cmd)} did not finish in {limit} s")
    t = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"{me}: {' '.join(cmd)} exited with {p.returncode}:\n{p.stderr.decode(errors='replace')}")
    return t, p.stdout, p.stderr


def best(cmd, n):
    times, out = [], None
    for _ in range(n):
        t, o, _ = run(cmd)
        times.append(t)
        out = o
    return min(times), out


def same_output(guest, who, ref, out):
    """Stops the run, showing the first differing line, if out is not ref (QEMU's)."""
    if out == ref:
        return
    a, b = ref.splitlines(), out.splitlines()
    i = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
    line = lambda v: repr(v[i].decode(errors="replace")) if i < len(v) else "(end of output)"
    sys.exit(f"{os.path.basename(sys.argv[0])}: {guest}: {who} printed something else than QEMU "
             f"({len(out)} bytes against {len(ref)}); first difference at line {i + 1}:\n"
             f"  QEMU:    {line(a)}\n  {who}: {line(b)}")


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values))


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def qemu_version(binary):
    return subprocess.run([binary, "--version"], stdout=subprocess.PIPE, text=True).stdout.splitlines()[0]


def test_guests(args, chimera):
    """The original mode: tests/guests/aarch64/bin, best of N."""
    bindir = os.path.join(ROOT, "tests", "guests", "aarch64", "bin")
    guests = args.guests or sorted(f[:-4] for f in os.listdir(bindir) if f.endswith(".elf"))
    print(f"Machine: {os.cpu_count()} cores, {cpu_name()}; {qemu_version(QEMU[0])}; best of {args.n} runs, wall seconds\n")
    variants = [""] + args.variant
    head = "| guest | QEMU |" + "".join(f" Chimera {v or '(default)'} | QEMU / Chimera |" for v in variants)
    print(head)
    print("|---|---:|" + "---:|---:|" * len(variants))
    for g in guests:
        elf = os.path.join(bindir, g + ".elf")
        tq, oq = best(QEMU + [elf], args.n)
        row = f"| {g} | {tq:.3f} |"
        for v in variants:
            tc, oc = best([chimera, "run", "--machine", "virt", "--kernel", elf] + v.split(), args.n)
            if oc != oq:
                sys.exit(f"vs_qemu.py: {g}: Chimera ({v or 'default'}) printed something else than QEMU")
            row += f" {tc:.3f} | {tq / tc:.2f} |"
        print(row, flush=True)


def execution_set(args, chimera):
    """The execution set: per ISA, QEMU and Chimera alternately, medians."""
    arches = list(ARCHES) if args.arch == "both" else [args.arch]
    versions = "; ".join(qemu_version(ARCHES[a]["qemu"][0]) for a in arches)
    print(f"Machine: {os.cpu_count()} cores, {cpu_name()}; {versions}; Chimera {chimera}; "
          f"median of {args.n} runs each, QEMU and Chimera alternately, wall seconds")
    variants = args.variant
    for arch in arches:
        bindir = os.path.join(SET_DIR, arch)
        if not os.path.isdir(bindir):
            sys.exit(f"vs_qemu.py: no {bindir} (run benches/guests/build.sh)")
        available = sorted(f[:-4] for f in os.listdir(bindir) if f.endswith(".elf"))
        guests = args.guests or available
        missing = [g for g in guests if g not in available]
        if missing:
            sys.exit(f"vs_qemu.py: no {arch} guest {', '.join(missing)} in {bindir}")
        qemu, machine = ARCHES[arch]["qemu"], ARCHES[arch]["machine"]

        print(f"\n{arch} ({machine}):\n")
        head = "| guest | QEMU s | Chimera s | Chimera / QEMU | guest insns (M) | QEMU MIPS | Chimera MIPS |"
        rule = "|---|---:|---:|---:|---:|---:|---:|"
        for v in variants:
            head += f" Chimera {v} s | / QEMU |"
            rule += "---:|---:|"
        print(head)
        print(rule, flush=True)
        cols = []  # per guest: [QEMU s, Chimera s, ratio, insns, QEMU MIPS, Chimera MIPS, (variant s, ratio)...]
        for g in guests:
            elf = os.path.join(bindir, g + ".elf")
            cmd_q = qemu + [elf]
            cmd_c = [chimera, "run", "--machine", machine, "--kernel", elf]
            # The reference output, then Chimera's instruction count (outside
            # the timed runs; they also warm the page cache).
            _, ref, _ = run(cmd_q)
            _, out, err = run(cmd_c + ["--stats"])
            same_output(f"{arch}/{g}", "Chimera", ref, out)
            m = STATS.search(err)
            insns = int(m.group(1)) if m else None
            tq, tc, tv = [], [], [[] for _ in variants]
            for _ in range(args.n):
                t, out, _ = run(cmd_q)
                same_output(f"{arch}/{g}", "QEMU (again)", ref, out)
                tq.append(t)
                t, out, _ = run(cmd_c)
                same_output(f"{arch}/{g}", "Chimera", ref, out)
                tc.append(t)
                for i, v in enumerate(variants):
                    t, out, _ = run(cmd_c + v.split())
                    same_output(f"{arch}/{g}", f"Chimera {v}", ref, out)
                    tv[i].append(t)
            q, c = statistics.median(tq), statistics.median(tc)
            row = [q, c, c / q]
            row += [insns / 1e6, insns / q / 1e6, insns / c / 1e6] if insns else [None] * 3
            for times in tv:
                s = statistics.median(times)
                row += [s, s / q]
            cols.append(row)
            print(format_row(g, row), flush=True)
        # Geometric means of every column (over the guests that have it).
        means = []
        for i in range(len(cols[0])):
            values = [r[i] for r in cols if r[i] is not None]
            means.append(geomean(values) if values else None)
        print(format_row("**geometric mean**", means), flush=True)


def format_row(name, row):
    # Seconds, ratio, insns, MIPS, MIPS, then (seconds, ratio) per variant.
    fmts = ["{:.3f}", "{:.3f}", "{:.2f}", "{:.0f}", "{:.0f}", "{:.0f}"] + ["{:.3f}", "{:.2f}"] * ((len(row) - 6) // 2)
    cells = ["n/a" if v is None else f.format(v) for f, v in zip(fmts, row)]
    return f"| {name} | " + " | ".join(cells) + " |"


def main():
    global TIMEOUT
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("guests", nargs="*",
                    help="guest names (default: all) under tests/guests/aarch64/bin, or with --set under benches/guests/bin/ARCH")
    ap.add_argument("-n", type=int, default=5, help="runs per measurement (without --set the best is kept, with --set the median)")
    ap.add_argument("--variant", action="append", default=[], help="extra Chimera flags for another column")
    ap.add_argument("--set", action="store_true", help="run the execution set (benches/guests) instead of the test guests")
    ap.add_argument("--arch", choices=["aarch64", "sparc", "both"],
                    help="the execution set's ISA (implies --set; default both)")
    ap.add_argument("--chimera", metavar="PATH", help="this Chimera binary instead of building target/release/chimera")
    ap.add_argument("--timeout", type=int, default=TIMEOUT, help="seconds one run may take (default %(default)s)")
    args = ap.parse_args()
    if args.n < 1:
        ap.error("-n must be at least 1")
    TIMEOUT = args.timeout

    if args.chimera:
        chimera = os.path.abspath(args.chimera)
        if not os.access(chimera, os.X_OK):
            sys.exit(f"vs_qemu.py: {args.chimera} is not an executable")
    else:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        chimera = CHIMERA
    if args.set or args.arch:
        args.arch = args.arch or "both"
        execution_set(args, chimera)
    else:
        test_guests(args, chimera)


if __name__ == "__main__":
    main()
