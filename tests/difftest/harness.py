# SPDX-License-Identifier: MIT OR Apache-2.0
"""What the differential testers of every architecture share (imported by
tests/difftest/ARCH/difftest.py): building a generated program with the
guest runtime, running it on QEMU and on Chimera, comparing the dumps,
running many seeds in parallel, shrinking a difference to a minimal set of
units, and keeping the reproducer."""
import concurrent.futures
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


class Runner:
    """Builds and runs programs in a work directory.

    `arch` describes the architecture: `cc`, `cflags`, `ldflags` (lists),
    `link_cflags` (the flags of the final link, default `cflags`),
    `runtime` (source files compiled once), `qemu` (the QEMU command up to
    the kernel path), `machine` and `cpu_args` (Chimera's board and extra
    `run` flags), `timeout` (seconds) and `generate(seed, keep)` (the
    program of a seed, with only the units in `keep` if it is not None)."""

    def __init__(self, work, chimera, chimera_args, arch):
        self.work = work
        self.chimera = chimera
        self.chimera_args = chimera_args
        self.arch = arch
        self.runtime = []
        for src in arch["runtime"]:
            obj = os.path.join(work, os.path.basename(src) + ".o")
            subprocess.run([arch["cc"], *arch["cflags"], "-c", src, "-o", obj], check=True)
            self.runtime.append(obj)

    def build(self, name, text):
        """Assemble and link `text`; returns the ELF path."""
        asm = os.path.join(self.work, name + ".S")
        elf = os.path.join(self.work, name + ".elf")
        with open(asm, "w") as f:
            f.write(text)
        flags = self.arch.get("link_cflags", self.arch["cflags"])
        p = subprocess.run([self.arch["cc"], *flags, *self.arch["ldflags"], *self.runtime, asm, "-o", elf],
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"building {asm} failed:\n{p.stderr}")
        return elf

    def _run(self, cmd):
        timeout = self.arch["timeout"]
        try:
            p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
            out = p.stdout.decode(errors="replace")
            if p.returncode != 0:
                out += f"\n[exit status {p.returncode}]\n{p.stderr.decode(errors='replace')[-2000:]}"
            return out
        except subprocess.TimeoutExpired as e:
            return (e.stdout or b"").decode(errors="replace") + f"\n[timeout after {timeout} s]\n"

    def qemu(self, elf):
        return self._run([*self.arch["qemu"], elf])

    def chimera_run(self, elf):
        if self.chimera is None:  # --qemu-only: QEMU again
            return self.qemu(elf)
        return self._run([self.chimera, "run", "--machine", self.arch["machine"], *self.arch.get("cpu_args", []),
                          "--kernel", elf, *self.chimera_args])

    def program(self, seed, keep=None):
        """The generated program of `seed` for this runner's options."""
        return self.arch["generate"](seed, keep)

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


def check_seed(runner, seed, incomplete):
    """(seed, difference or None, QEMU output, Chimera output). With
    `--qemu-only`, an incomplete dump (`incomplete(out)` names why) counts
    as a difference too."""
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
    """Minimal set of units of `seed`'s program whose outputs still differ,
    and the number of runs it took."""
    units = runner.program(seed).units
    trials = [0]

    def differs(keep):
        trials[0] += 1
        _, q, c = runner.both("shrink", runner.program(seed, set(keep)).text)
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


def add_common_args(ap):
    """The options every tester has."""
    ap.add_argument("--seeds", help="inclusive range A-B (or one seed)")
    ap.add_argument("--count", type=int, default=100, help="number of seeds (with --start)")
    ap.add_argument("--start", type=int, default=1, help="first seed (with --count)")
    ap.add_argument("--chimera", default=os.path.join(REPO, "target", "release", "chimera"))
    ap.add_argument("--chimera-args", default="", help='extra flags for chimera run, e.g. "--jit-hot 0"')
    ap.add_argument("--jobs", type=int, default=2, help="seeds run in parallel (default 2)")
    ap.add_argument("--qemu-only", action="store_true",
                    help="no Chimera: run every program twice on QEMU and check that both runs print the same complete dump")
    ap.add_argument("--keep-going", action="store_true", help="run every seed and list all differing ones (no shrinking)")


def parse_seeds(args):
    if args.seeds:
        a, _, b = args.seeds.partition("-")
        a = int(a)
        b = int(b) if b else a
        return range(a, b + 1)
    return range(args.start, args.start + args.count)


def check_setup(args, tools):
    """None if the tools and Chimera are there (with `--qemu-only`: no
    Chimera, and every seed is checked); else the exit status 2, reported."""
    for tool in tools:
        if shutil.which(tool) is None:
            print(f"difftest: {tool} not found", file=sys.stderr)
            return 2
    if args.qemu_only:
        args.chimera = None
        args.keep_going = True
    elif not os.access(args.chimera, os.X_OK):
        print(f"difftest: {args.chimera} missing: run cargo build --release", file=sys.stderr)
        return 2
    return None


def run_seeds(runner, seeds, args, incomplete):
    """Check `seeds` on `args.jobs` threads, printing progress and every
    difference; stops at the first one unless `--keep-going`. Returns the
    number of seeds run and the sorted list of (seed, difference)."""
    t0 = time.time()
    done, bad = 0, []
    lock = threading.Lock()
    stop = threading.Event()

    def job(seed):
        if stop.is_set():
            return None
        return check_seed(runner, seed, incomplete)

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
                    other = "qemu again" if args.qemu_only else "chimera"
                    print(f"seed {seed}: DIFFERENT (line {diff[0] + 1}: qemu {diff[1]!r}, {other} {diff[2]!r})", flush=True)
                    if not args.keep_going:
                        stop.set()
                if done % 100 == 0:
                    print(f"{done} seeds, {len(bad)} differences ({time.time() - t0:.0f} s)", flush=True)
    return done, sorted(bad)


def keep_reproducer(runner, elf, qo, co, prefix):
    """Copy repro.S, the ELF and both outputs to a new directory; print the
    output difference. Returns the directory."""
    keep_dir = tempfile.mkdtemp(prefix=prefix)
    shutil.copy(os.path.join(runner.work, "repro.S"), os.path.join(keep_dir, "repro.S"))
    shutil.copy(elf, os.path.join(keep_dir, "repro.elf"))
    with open(os.path.join(keep_dir, "qemu.txt"), "w") as f:
        f.write(qo)
    with open(os.path.join(keep_dir, "chimera.txt"), "w") as f:
        f.write(co)
    return keep_dir


def print_output_difference(qo, co):
    print("output difference (- qemu, + chimera):")
    for l in difflib.unified_diff(qo.splitlines(), co.splitlines(), "qemu", "chimera", n=0, lineterm=""):
        if not l.startswith(("---", "+++", "@@")):
            print("  " + l)


def print_body_disassembly(objdump_cmd, elf):
    """The disassembly of the units (from the first `<uN>:` label to `difftest_end`)."""
    dis = subprocess.run([*objdump_cmd, elf], capture_output=True, text=True).stdout
    body = dis[dis.find("<difftest_body>:"):]
    end = body.find("<difftest_end>:")
    print("disassembly of the reproducer's body (after the register seeding):")
    lines = body[:body.rfind("\n", 0, end)].splitlines()
    start = next((k for k, l in enumerate(lines) if "<u" in l and l.endswith(">:")), 0)
    for l in lines[start:]:
        print("  " + l)
