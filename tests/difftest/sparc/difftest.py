#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""Random differential testing of Chimera's SPARC V8 ISA against QEMU.

    tests/difftest/sparc/difftest.py --seeds 1-300
    tests/difftest/sparc/difftest.py --count 1000 --start 5000 --chimera-args "--jit-hot 0"
    tests/difftest/sparc/difftest.py --seeds 1-300 --qemu-only

For each seed, gen.py writes a random program; it is linked with the guest
runtime (tests/guests/sparc/{start.S,lib.c,link.ld}, runtime.S and runtime.c)
and run on `qemu-system-sparc -M leon3_generic` and on `target/release/chimera
run --machine leon3`. Both print every visible register, Y, PSR, WIM, TBR, the
window trap counts, the trap log and checksums of the scratch buffer; the
outputs must be identical, QEMU's must be a complete dump (ending in `end`,
without a fatal trap), and both runs must exit normally within --timeout
seconds: an empty or incomplete QEMU output, a timeout or an error exit of
either side is a failure that names the side. `--qemu-only` runs each
program twice on QEMU instead (no Chimera) and checks that both runs print
the same complete dump.

On the first difference it prints the seed and the first differing line (or
the failure), then, unless QEMU's run is at fault, shrinks the program
(bisects the number of units, then drops earlier units while the outputs
still differ) and prints the minimal reproducer: its assembly, its
disassembly, and both outputs. The reproducer is kept in a
directory it names; everything else lives in a temporary directory.
Exit status: 0 if every seed agreed, 1 on a difference or failure, 2 on a
setup error.
"""

import argparse
import os
import shlex
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
GUEST = os.path.join(REPO, "tests", "guests", "sparc")
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import gen  # noqa: E402
import harness  # noqa: E402

CC = os.environ.get("CC", "sparc64-linux-gnu-gcc")
OBJDUMP = os.environ.get("OBJDUMP", "sparc64-linux-gnu-objdump")
QEMU = os.environ.get("QEMU", "qemu-system-sparc")
# Pure V8 and never libgcc (Debian's 32-bit libgcc is V8+), as tests/guests/sparc/env.sh.
CFLAGS = [
    "-m32", "-mcpu=v8", "-mno-fpu", "-O2", "-ffreestanding", "-fno-builtin", "-fno-tree-loop-distribute-patterns",
    "-nostdlib", "-nostartfiles", "-static", "-fno-pic", "-no-pie", "-fno-stack-protector", "-I", GUEST,
]
LDFLAGS = ["-Wl,--build-id=none", "-Wl,-n", "-Wl,--no-warn-rwx-segments", "-T", os.path.join(GUEST, "link.ld")]


def arch(exclude, timeout):
    """The SPARC description for `harness.Runner`."""
    return {
        "cc": CC, "cflags": CFLAGS, "ldflags": LDFLAGS, "timeout": timeout,
        # -mno-fpu is for the C code; the body's FPU instructions test "fp disabled".
        "link_cflags": [f for f in CFLAGS if f != "-mno-fpu"],
        "runtime": [os.path.join(GUEST, "start.S"), os.path.join(GUEST, "lib.c"), os.path.join(HERE, "runtime.S"),
                    os.path.join(HERE, "runtime.c")],
        "qemu": [QEMU, "-M", "leon3_generic", "-nographic", "-monitor", "none", "-serial", "stdio", "-kernel"],
        "machine": "leon3",
        "incomplete": incomplete,
        "generate": lambda seed, keep: gen.generate(seed, keep, exclude),
    }


def incomplete(out):
    """Why a QEMU output is not a complete dump, or None."""
    lines = out.splitlines()
    if not lines or lines[-1] != "end":
        return "no final 'end' line"
    if "trap FATAL" in out or any(l.startswith("traps ") and not l.endswith(" fatal 0") for l in lines):
        return "a fatal trap"
    return None


# Lines shrink_lines keeps: the windows stay balanced, subroutines return,
# and self-modifying code still leaves its translation block (gen.u_smc).
KEEP_LINES = ("save", "restore", "add %fp, -96, %sp", "ret", "retl", ".balign", "jmp ")


def body_ranges(lines):
    """Index ranges (start, end) of the units and of the subroutines in a program text."""
    start = next(k for k, l in enumerate(lines) if l.startswith("    set difftest_region + 4096, %g7"))
    end = next(k for k, l in enumerate(lines) if l == "difftest_end:")
    subs = next(k for k, l in enumerate(lines) if l.startswith("    add %g7, -4096, %o0"))
    data = next(k for k, l in enumerate(lines) if l == "    .data")
    return (start + 1, end), (subs + 1, data)


def shrink_lines(runner, text, key):
    """Drop single lines of the units and subroutines of `text` while QEMU
    still prints a complete dump and the first differing line still starts
    with `key`. Keeps labels, SAVE/RESTORE (the windows stay balanced) and
    returns. Returns the smaller text and the number of runs."""
    lines = text.split("\n")
    (a, b), (c, d) = body_ranges(lines)

    def removable(k):
        l = lines[k]
        if not l.startswith("    "):
            return False
        op = l.strip()
        if op.startswith(KEEP_LINES) or op.startswith(".") or (op.startswith("jmpl") and op.endswith("+ 8, %g0")):
            return False
        # What sets the icc for an ADDXcc/SUBXcc stays (see gen.u_addx).
        if k + 1 < len(lines) and lines[k + 1].strip().startswith(("addxcc", "subxcc")):
            return False
        return True

    cand = [k for k in list(range(a, b)) + list(range(c, d)) if removable(k)]
    trials = [0]

    def still(removed):
        trials[0] += 1
        t = "\n".join(l for k, l in enumerate(lines) if k not in removed)
        try:
            _, q, c = runner.both("shrinkl", t)
        except RuntimeError:
            return False
        if harness.reference_problem(runner, q) is not None:
            return False
        diff = harness.first_difference(q.text, c.text)
        return diff is not None and diff[1].split(" ")[0] == key

    removed = set()
    chunk = max(1, len(cand) // 4)
    while True:
        k = 0
        while k < len(cand):
            trial = set(cand[k:k + chunk])
            if still(removed | trial):
                removed |= trial
                cand = cand[:k] + cand[k + chunk:]
            else:
                k += chunk
        if chunk == 1:
            break
        chunk = max(1, chunk // 2)
    return "\n".join(l for k, l in enumerate(lines) if k not in removed), trials[0]


def report(runner, seed, diff):
    print(f"\nDIFFERENCE at seed {seed}: {diff.message}")
    if diff.reference:
        print("QEMU's run gives no reference dump: nothing to shrink against")
        return
    print("shrinking (bisect the unit count, then drop units)...", flush=True)
    keep, trials = harness.shrink(runner, seed)
    prog = runner.program(seed, set(keep))
    units = prog.units
    elf, qo, co = runner.both("repro", prog.text)
    d = harness.first_difference(qo.text, co.text)
    text, ltrials = prog.text, 0
    if d is not None and harness.reference_problem(runner, qo) is None:
        text, ltrials = shrink_lines(runner, prog.text, d[1].split(" ")[0])
        elf, qo, co = runner.both("repro", text)
    keep_dir = harness.keep_reproducer(runner, elf, qo, co, f"difftest-sparc-seed{seed}-")
    print(f"minimal reproducer ({len(keep)} of {len(units)} units, {trials} runs; then single lines dropped, {ltrials} runs): units {keep}")
    print(f"kept in {keep_dir} (repro.S, repro.elf, qemu.txt, chimera.txt)")
    harness.print_output_difference(qo, co)
    print(f"initial state: icc {prog.icc:x}, y {prog.y:#x}, %g7 = scratch buffer + 0xf00")
    print("  " + "  ".join(f"g{n}={prog.ginit[n]:#x}" for n in range(1, 7)))
    print("  window w (w SAVEs below the body's window; w = 0: the body's %l/%o, w = 7: its %i):")
    for w, vals in enumerate(prog.winit):
        print(f"  w{w}: " + " ".join(f"{v:08x}" for v in vals))
    print("the reproducer's units and subroutines (after dropping lines):")
    t = text.split("\n")
    (a, b), (c, e) = body_ranges(t)
    for l in t[a:b] + t[c:e]:
        if not l.startswith("    .") and not l.startswith(".Lb"):
            print("  " + l)
    harness.print_body_disassembly([OBJDUMP, "-d"], elf)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    harness.add_common_args(ap, timeout=30)
    ap.add_argument("--exclude", default="",
                    help="comma-separated instruction forms to leave out of the programs: " + ", ".join(gen.EXCLUDABLE))
    args = ap.parse_args()
    seeds = harness.parse_seeds(args)
    exclude = gen.parse_exclude(args.exclude)
    status = harness.check_setup(args, (CC, OBJDUMP, QEMU))
    if status is not None:
        return status

    with tempfile.TemporaryDirectory(prefix="difftest-sparc-") as work:
        runner = harness.Runner(work, args.chimera, shlex.split(args.chimera_args), arch(exclude, args.timeout))
        done, bad = harness.run_seeds(runner, seeds, args)
        flags = f" ({'chimera ' + args.chimera_args if args.chimera_args else 'default chimera flags'}{', QEMU twice' if args.qemu_only else ''}{', --exclude ' + args.exclude if exclude else ''})"
        print(f"{done} seeds, {len(bad)} differences{flags}")
        if not bad:
            return 0
        if args.keep_going:
            print("differing seeds:", " ".join(str(s) for s, _ in bad))
        else:
            seed, diff = bad[0]
            report(runner, seed, diff)
        return 1


if __name__ == "__main__":
    sys.exit(main())
