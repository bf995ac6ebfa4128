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
outputs must be identical. `--qemu-only` runs each program twice on QEMU
instead (no Chimera) and checks that both runs print the same complete dump.

On the first difference it prints the seed and the first differing line, then
shrinks the program (bisects the number of units, then drops earlier units
while the outputs still differ) and prints the minimal reproducer: its
assembly, its disassembly, and both outputs. The reproducer is kept in a
directory it names; everything else lives in a temporary directory.
Exit status: 0 if every seed agreed, 1 on a difference, 2 on a setup error.
"""

import argparse
import concurrent.futures
import difflib
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
GUEST = os.path.join(REPO, "tests", "guests", "sparc")
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import gen  # noqa: E402

CC = os.environ.get("CC", "sparc64-linux-gnu-gcc")
OBJDUMP = os.environ.get("OBJDUMP", "sparc64-linux-gnu-objdump")
QEMU = os.environ.get("QEMU", "qemu-system-sparc")
# Pure V8 and never libgcc (Debian's 32-bit libgcc is V8+), as tests/guests/sparc/env.sh.
CFLAGS = [
    "-m32", "-mcpu=v8", "-mno-fpu", "-O2", "-ffreestanding", "-fno-builtin", "-fno-tree-loop-distribute-patterns",
    "-nostdlib", "-nostartfiles", "-static", "-fno-pic", "-no-pie", "-fno-stack-protector", "-I", GUEST,
]
LDFLAGS = ["-Wl,--build-id=none", "-Wl,-n", "-Wl,--no-warn-rwx-segments", "-T", os.path.join(GUEST, "link.ld")]
TIMEOUT = 30


class Runner:
    """Builds and runs programs in a work directory."""

    def __init__(self, work, chimera, chimera_args, exclude=frozenset()):
        self.exclude = exclude
        self.work = work
        self.chimera = chimera
        self.chimera_args = chimera_args
        self.runtime = []
        for src in (os.path.join(GUEST, "start.S"), os.path.join(GUEST, "lib.c"), os.path.join(HERE, "runtime.S"),
                    os.path.join(HERE, "runtime.c")):
            obj = os.path.join(work, os.path.basename(src) + ".o")
            subprocess.run([CC, *CFLAGS, "-c", src, "-o", obj], check=True)
            self.runtime.append(obj)

    def build(self, name, text):
        """Assemble and link `text`; returns the ELF path."""
        asm = os.path.join(self.work, name + ".S")
        elf = os.path.join(self.work, name + ".elf")
        with open(asm, "w") as f:
            f.write(text)
        # -mno-fpu is for the C code; the body's FPU instructions test "fp disabled".
        p = subprocess.run([CC, *[f for f in CFLAGS if f != "-mno-fpu"], *LDFLAGS, *self.runtime, asm, "-o", elf],
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"building {asm} failed:\n{p.stderr}")
        return elf

    @staticmethod
    def _run(cmd):
        try:
            p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT)
            out = p.stdout.decode(errors="replace")
            if p.returncode != 0:
                out += f"\n[exit status {p.returncode}]\n{p.stderr.decode(errors='replace')[-2000:]}"
            return out
        except subprocess.TimeoutExpired as e:
            return (e.stdout or b"").decode(errors="replace") + f"\n[timeout after {TIMEOUT} s]\n"

    def qemu(self, elf):
        return self._run([QEMU, "-M", "leon3_generic", "-nographic", "-monitor", "none", "-serial", "stdio",
                          "-kernel", elf])

    def chimera_run(self, elf):
        if self.chimera is None:  # --qemu-only: QEMU again
            return self.qemu(elf)
        return self._run([self.chimera, "run", "--machine", "leon3", "--kernel", elf, *self.chimera_args])

    def program(self, seed, keep=None):
        return gen.generate(seed, keep, self.exclude)

    def both(self, name, text):
        elf = self.build(name, text)
        return elf, self.qemu(elf), self.chimera_run(elf)


def first_difference(a, b):
    """(line number, qemu line, chimera line) of the first differing line, or None."""
    la, lb = a.splitlines(), b.splitlines()
    for k in range(max(len(la), len(lb))):
        x = la[k] if k < len(la) else "<missing>"
        y = lb[k] if k < len(lb) else "<missing>"
        if x != y:
            return k, x, y
    return None


def incomplete(out):
    """Why a QEMU output is not a complete dump, or None."""
    lines = out.splitlines()
    if not lines or lines[-1] != "end":
        return "no final 'end' line"
    if "trap FATAL" in out:
        return "a fatal trap"
    return None


def check_seed(runner, seed):
    elf, q, c = runner.both(f"s{seed}", runner.program(seed).text)
    os.unlink(elf)
    os.unlink(os.path.join(runner.work, f"s{seed}.S"))
    diff = first_difference(q, c)
    if runner.chimera is None and diff is None:
        why = incomplete(q)
        if why is not None:
            diff = (len(q.splitlines()), why, why)
    return seed, diff, q, c


def shrink(runner, seed):
    """Minimal set of units of `seed`'s program whose outputs still differ."""
    units = runner.program(seed).units
    trials = [0]

    def differs(keep):
        trials[0] += 1
        elf, q, c = runner.both("shrink", runner.program(seed, set(keep)).text)
        return first_difference(q, c) is not None

    # Bisect the prefix length: the first unit after which the dumps differ.
    lo, hi = 0, len(units)  # differs(range(lo)) is False (assumed), differs(range(hi)) True
    if differs([]):
        return [], trials[0]
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if differs(range(mid)):
            hi = mid
        else:
            lo = mid
    last = hi - 1
    keep = list(range(last))
    # Drop earlier units in shrinking chunks while the difference stays.
    chunk = max(1, len(keep) // 2)
    while chunk >= 1 and keep:
        k = 0
        while k < len(keep):
            trial = keep[:k] + keep[k + chunk:]
            if differs(trial + [last]):
                keep = trial
            else:
                k += chunk
        if chunk == 1:
            break
        chunk = max(1, chunk // 2)
    return keep + [last], trials[0]


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
        if incomplete(q) is not None:
            return False
        diff = first_difference(q, c)
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
    line, q, c = diff
    print(f"\nDIFFERENCE at seed {seed}: output line {line + 1}")
    print(f"  qemu:    {q}")
    print(f"  chimera: {c}")
    print("shrinking (bisect the unit count, then drop units)...", flush=True)
    keep, trials = shrink(runner, seed)
    prog = runner.program(seed, set(keep))
    units = prog.units
    elf, qo, co = runner.both("repro", prog.text)
    d = first_difference(qo, co)
    text, ltrials = prog.text, 0
    if d is not None and incomplete(qo) is None:
        text, ltrials = shrink_lines(runner, prog.text, d[1].split(" ")[0])
        elf, qo, co = runner.both("repro", text)
    keep_dir = tempfile.mkdtemp(prefix=f"difftest-sparc-seed{seed}-")
    shutil.copy(os.path.join(runner.work, "repro.S"), os.path.join(keep_dir, "repro.S"))
    shutil.copy(elf, os.path.join(keep_dir, "repro.elf"))
    with open(os.path.join(keep_dir, "qemu.txt"), "w") as f:
        f.write(qo)
    with open(os.path.join(keep_dir, "chimera.txt"), "w") as f:
        f.write(co)
    print(f"minimal reproducer ({len(keep)} of {len(units)} units, {trials} runs; then single lines dropped, {ltrials} runs): units {keep}")
    print(f"kept in {keep_dir} (repro.S, repro.elf, qemu.txt, chimera.txt)")
    print("output difference (- qemu, + chimera):")
    for l in difflib.unified_diff(qo.splitlines(), co.splitlines(), "qemu", "chimera", n=0, lineterm=""):
        if not l.startswith(("---", "+++", "@@")):
            print("  " + l)
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
    dis = subprocess.run([OBJDUMP, "-d", elf], capture_output=True, text=True).stdout
    body = dis[dis.find("<difftest_body>:"):]
    end = body.find("<difftest_end>:")
    print("disassembly of the reproducer's body (after the register seeding):")
    lines = body[:body.rfind("\n", 0, end)].splitlines()
    start = next((k for k, l in enumerate(lines) if "<u" in l and l.endswith(">:")), 0)
    for l in lines[start:]:
        print("  " + l)


def parse_seeds(args):
    if args.seeds:
        a, _, b = args.seeds.partition("-")
        a = int(a)
        b = int(b) if b else a
        return range(a, b + 1)
    return range(args.start, args.start + args.count)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", help="inclusive range A-B (or one seed)")
    ap.add_argument("--count", type=int, default=100, help="number of seeds (with --start)")
    ap.add_argument("--start", type=int, default=1, help="first seed (with --count)")
    ap.add_argument("--chimera", default=os.path.join(REPO, "target", "release", "chimera"))
    ap.add_argument("--chimera-args", default="", help='extra flags for chimera run, e.g. "--jit-hot 0"')
    ap.add_argument("--jobs", type=int, default=2, help="seeds run in parallel (default 2)")
    ap.add_argument("--qemu-only", action="store_true",
                    help="no Chimera: run every program twice on QEMU and check that both runs print the same complete dump")
    ap.add_argument("--exclude", default="",
                    help="comma-separated instruction forms to leave out of the programs: " + ", ".join(gen.EXCLUDABLE))
    ap.add_argument("--keep-going", action="store_true", help="run every seed and list all differing ones (no shrinking)")
    args = ap.parse_args()
    seeds = parse_seeds(args)
    exclude = gen.parse_exclude(args.exclude)
    for tool in (CC, OBJDUMP, QEMU):
        if shutil.which(tool) is None:
            print(f"difftest: {tool} not found", file=sys.stderr)
            return 2
    if args.qemu_only:
        args.chimera = None
        args.keep_going = True
    elif not os.access(args.chimera, os.X_OK):
        print(f"difftest: {args.chimera} missing: run cargo build --release", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="difftest-sparc-") as work:
        runner = Runner(work, args.chimera, shlex.split(args.chimera_args), exclude)
        t0 = time.time()
        done, bad = 0, []
        lock = threading.Lock()
        stop = threading.Event()

        def job(seed):
            if stop.is_set():
                return None
            return check_seed(runner, seed)

        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            futures = [pool.submit(job, s) for s in seeds]
            for fut in concurrent.futures.as_completed(futures):
                res = fut.result()
                if res is None:
                    continue
                seed, diff, _, _ = res
                with lock:
                    done += 1
                    if diff is not None:
                        bad.append((seed, diff))
                        print(f"seed {seed}: DIFFERENT (line {diff[0] + 1}: qemu {diff[1]!r}, {'qemu again' if args.qemu_only else 'chimera'} {diff[2]!r})", flush=True)
                        if not args.keep_going:
                            stop.set()
                    if done % 100 == 0:
                        print(f"{done} seeds, {len(bad)} differences ({time.time() - t0:.0f} s)", flush=True)
        flags = f" ({'chimera ' + args.chimera_args if args.chimera_args else 'default chimera flags'}{', QEMU twice' if args.qemu_only else ''}{', --exclude ' + args.exclude if exclude else ''})"
        print(f"{done} seeds, {len(bad)} differences{flags}")
        if not bad:
            return 0
        if args.keep_going:
            print("differing seeds:", " ".join(str(s) for s, _ in sorted(bad)))
        else:
            seed, diff = min(bad)
            report(runner, seed, diff)
        return 1


if __name__ == "__main__":
    sys.exit(main())
