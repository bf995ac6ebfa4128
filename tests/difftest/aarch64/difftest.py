#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""Random differential testing of Chimera's AArch64 ISA (integer; FP/SIMD with --fp) against QEMU.

    tests/difftest/aarch64/difftest.py --seeds 1-300
    tests/difftest/aarch64/difftest.py --count 1000 --start 5000 --chimera-args "--jit-hot 0"
    tests/difftest/aarch64/difftest.py --seeds 1-300 --cpu max
    tests/difftest/aarch64/difftest.py --seeds 1-300 --fp
    tests/difftest/aarch64/difftest.py --seeds 1-300 --fp --qemu-only

For each seed, gen.py writes a random program; it is linked with the guest
runtime (tests/guests/aarch64/{start.S,lib.c,link.ld} and runtime.c) and run
on `qemu-system-aarch64 -M virt -cpu cortex-a57` and on
`target/release/chimera run --machine virt`. With `--cpu max` the programs
also use the ARMv8.1 LSE atomics and run on QEMU's and Chimera's `max`. With
`--fp` they mix FP/SIMD instructions in and also print V0-V31, FPSR and FPCR.
Both print every X register, SP, NZCV and checksums of the scratch buffer;
the outputs must be identical. `--qemu-only` runs each program twice on QEMU
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
GUEST = os.path.join(REPO, "tests", "guests", "aarch64")
sys.path.insert(0, HERE)
import gen  # noqa: E402

CC = os.environ.get("CC", "aarch64-linux-gnu-gcc")
OBJDUMP = os.environ.get("OBJDUMP", "aarch64-linux-gnu-objdump")
QEMU = os.environ.get("QEMU", "qemu-system-aarch64")
CFLAGS = [
    "-O2", "-mgeneral-regs-only", "-mstrict-align", "-ffreestanding", "-fno-tree-loop-distribute-patterns",
    "-nostdlib", "-nostartfiles", "-static", "-fno-pic", "-no-pie", "-fno-stack-protector", "-I", GUEST,
]
LDFLAGS = ["-Wl,--build-id=none", "-Wl,-n", "-Wl,--no-warn-rwx-segments", "-T", os.path.join(GUEST, "link.ld")]
TIMEOUT = 60


class Runner:
    """Builds and runs programs in a work directory."""

    def __init__(self, work, chimera, chimera_args, align_faults=True, cpu="cortex-a57", fp=False):
        self.work = work
        self.fp = fp
        self.cpu = cpu
        self.align_faults = align_faults
        self.chimera = chimera
        self.chimera_args = chimera_args
        self.runtime = []
        for src in (os.path.join(GUEST, "start.S"), os.path.join(GUEST, "lib.c"), os.path.join(HERE, "runtime.c")):
            obj = os.path.join(work, os.path.basename(src) + ".o")
            subprocess.run([CC, *CFLAGS, "-c", src, "-o", obj], check=True)
            self.runtime.append(obj)

    def build(self, name, text):
        """Assemble and link `text`; returns the ELF path."""
        asm = os.path.join(self.work, name + ".S")
        elf = os.path.join(self.work, name + ".elf")
        with open(asm, "w") as f:
            f.write(text)
        p = subprocess.run([CC, *CFLAGS, *LDFLAGS, *self.runtime, asm, "-o", elf], capture_output=True, text=True)
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
        return self._run([QEMU, "-M", "virt", "-cpu", self.cpu, "-nographic", "-nic", "none",
                          "-monitor", "none", "-serial", "stdio", "-kernel", elf])

    def chimera_run(self, elf):
        if self.chimera is None:  # --qemu-only: QEMU again
            return self.qemu(elf)
        return self._run([self.chimera, "run", "--machine", "virt", "--cpu", self.cpu, "--kernel", elf, *self.chimera_args])

    def program(self, seed, keep=None):
        """The generated program of `seed` for this runner's options."""
        return gen.generate(seed, keep, align_faults=self.align_faults, lse=self.cpu == "max", fp=self.fp)

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


def incomplete(out, fp):
    """Why a QEMU output is not a complete dump, or None."""
    lines = out.splitlines()
    if not lines or lines[-1] != "end":
        return "no final 'end' line"
    if fp and not any(l.startswith("v31 ") for l in lines):
        return "no FP/SIMD state"
    if "exception while saving" in out:
        return "exception while saving the FP/SIMD state"
    return None


def check_seed(runner, seed):
    elf, q, c = runner.both(f"s{seed}", runner.program(seed).text)
    os.unlink(elf)
    os.unlink(os.path.join(runner.work, f"s{seed}.S"))
    diff = first_difference(q, c)
    if runner.chimera is None and diff is None:
        why = incomplete(q, runner.fp)
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


def report(runner, seed, diff, args):
    line, q, c = diff
    print(f"\nDIFFERENCE at seed {seed}: output line {line + 1}")
    print(f"  qemu:    {q}")
    print(f"  chimera: {c}")
    print("shrinking (bisect the unit count, then drop units)...", flush=True)
    keep, trials = shrink(runner, seed)
    prog = runner.program(seed, set(keep))
    units = prog.units
    elf, qo, co = runner.both("repro", prog.text)
    keep_dir = tempfile.mkdtemp(prefix=f"difftest-aarch64-seed{seed}-")
    shutil.copy(os.path.join(runner.work, "repro.S"), os.path.join(keep_dir, "repro.S"))
    shutil.copy(elf, os.path.join(keep_dir, "repro.elf"))
    with open(os.path.join(keep_dir, "qemu.txt"), "w") as f:
        f.write(qo)
    with open(os.path.join(keep_dir, "chimera.txt"), "w") as f:
        f.write(co)
    print(f"minimal reproducer ({len(keep)} of {len(units)} units, {trials} runs): units {keep}")
    print(f"kept in {keep_dir} (repro.S, repro.elf, qemu.txt, chimera.txt)")
    print("output difference (- qemu, + chimera):")
    for l in difflib.unified_diff(qo.splitlines(), co.splitlines(), "qemu", "chimera", n=0, lineterm=""):
        if not l.startswith(("---", "+++", "@@")):
            print("  " + l)
    print(f"initial state: nzcv {prog.nzcv >> 28:x}, SP = X28 {prog.sp_delta:+#x}, X28 = scratch buffer + 0x8000")
    regs = [f"x{n}={v:#x}" for n, v in prog.init.items()]
    for k in range(0, len(regs), 4):
        print("  " + "  ".join(regs[k:k + 4]))
    if prog.vinit is not None:
        print(f"  fpcr={prog.fpcr:#x} fpsr=0")
        for k in range(0, 32, 2):
            print("  " + "  ".join(f"v{n}={prog.vinit[n]:032x}" for n in (k, k + 1)))
    print("the reproducer's units:")
    for i in keep:
        for l in units[i]:
            print(f"  u{i:<4} {l}")
    dis = subprocess.run([OBJDUMP, "-d", "--no-show-raw-insn", elf], capture_output=True, text=True).stdout
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
    ap.add_argument("--no-align-faults", dest="align_faults", action="store_false",
                    help="no misaligned load-exclusives or acquire/release among the faulting instructions")
    ap.add_argument("--cpu", choices=["cortex-a57", "max"], default="cortex-a57",
                    help="CPU model of both QEMU and Chimera; max adds LSE atomics to the programs")
    ap.add_argument("--fp", action="store_true",
                    help="FP/SIMD programs: FP/SIMD enabled, V0-V31, FPCR and FPSR seeded and dumped, FP/SIMD units mixed in")
    ap.add_argument("--qemu-only", action="store_true",
                    help="no Chimera: run every program twice on QEMU and check that both runs print the same complete dump")
    ap.add_argument("--keep-going", action="store_true", help="run every seed and list all differing ones (no shrinking)")
    args = ap.parse_args()
    seeds = parse_seeds(args)
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

    with tempfile.TemporaryDirectory(prefix="difftest-aarch64-") as work:
        runner = Runner(work, args.chimera, shlex.split(args.chimera_args), args.align_faults, args.cpu, args.fp)
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
        flags = f" (--cpu {args.cpu}{' --fp' if args.fp else ''}{', chimera ' + args.chimera_args if args.chimera_args else ''}{', QEMU twice' if args.qemu_only else ''})"
        print(f"{done} seeds, {len(bad)} differences{flags}")
        if not bad:
            return 0
        if args.keep_going:
            print("differing seeds:", " ".join(str(s) for s, _ in sorted(bad)))
        else:
            seed, diff = min(bad)
            report(runner, seed, diff, args)
        return 1


if __name__ == "__main__":
    sys.exit(main())
