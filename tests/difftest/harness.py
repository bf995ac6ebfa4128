# SPDX-License-Identifier: MIT OR Apache-2.0
"""What the differential testers of every architecture share (imported by
tests/difftest/ARCH/difftest.py): building a generated program with the
guest runtime, running it on QEMU and on Chimera, comparing the dumps,
running many seeds in parallel, shrinking a difference to a minimal set of
units, and keeping the reproducer.

QEMU's run is the reference: two runs agree only if QEMU printed a complete
dump (non-empty, and the architecture's `incomplete` check passes), both runs
exited normally within the timeout, and their outputs are identical. Anything
else is a `Difference` whose message names the side at fault, so a broken
QEMU or Chimera (an empty output, a timeout, an error exit) never passes as
"equal"."""
import concurrent.futures
import contextlib
import difflib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


class Output:
    """One run of a program: its standard output (`text`, the dump), why it
    did not end normally (`failure`: "timed out after N s", "exited with
    status N", or None) and the end of its standard error (`stderr`)."""

    def __init__(self, text, failure, stderr):
        self.text = text
        self.failure = failure
        self.stderr = stderr

    def kept(self):
        """The text of qemu.txt/chimera.txt: the output, then how the run failed."""
        if self.failure is None:
            return self.text
        return self.text + f"\n[{self.failure}]\n{self.stderr}"


class Difference:
    """Why two runs of a program do not agree: `message` (one line, naming
    the side at fault) and `reference` (QEMU's run is at fault: there is
    no reference dump to shrink a program against)."""

    def __init__(self, message, reference=False):
        self.message = message
        self.reference = reference


class Runner:
    """Builds and runs programs in a work directory.

    `arch` describes the architecture: `cc`, `cflags`, `ldflags` (lists),
    `link_cflags` (the flags of the final link, default `cflags`),
    `runtime` (source files compiled once), `qemu` (the QEMU command up to
    the kernel path), `machine` and `cpu_args` (Chimera's board and extra
    `run` flags), `timeout` (seconds a run may take), `incomplete(out)`
    (why a QEMU output is not a complete dump, or None) and
    `generate(seed, keep)` (the program of a seed, with only the units in
    `keep` if it is not None)."""

    def __init__(self, work, chimera, chimera_args, arch):
        self.work = work
        self.chimera = chimera
        self.chimera_args = chimera_args
        self.arch = arch
        # What the messages call the compared run.
        self.other = "Chimera" if chimera is not None else "the second QEMU run"
        self.running = set()  # the Popen of every run under way
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
        """The `Output` of `cmd`. It runs in a session of its own so that a
        timeout kills all it started (a wrapper script's children would
        otherwise keep the output pipe open). The terminal's Ctrl-C then
        does not reach it: an interrupted run is killed here, and
        `kill_running` kills those of the other threads."""
        timeout = self.arch["timeout"]
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             start_new_session=True)
        self.running.add(p)
        try:
            out, err = p.communicate(timeout=timeout)
            if p.returncode == 0:
                failure = None
            elif p.returncode > 0:
                failure = f"exited with status {p.returncode}"
            else:
                failure = f"was killed by signal {-p.returncode} ({signal.strsignal(-p.returncode)})"
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            out, err = p.communicate()
            failure = f"timed out after {timeout} s"
        finally:
            if p.returncode is None:
                os.killpg(p.pid, signal.SIGKILL)
            self.running.discard(p)
        return Output(out.decode(errors="replace"), failure, err.decode(errors="replace")[-2000:])

    def kill_running(self):
        """Kill every run under way and what it started (on Ctrl-C)."""
        for p in list(self.running):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)

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


def failure_message(name, run):
    """`run`'s failure as a message naming the side, with the first line
    of its standard error (a panic's message, say), or None."""
    if run.failure is None:
        return None
    err = next((l.strip() for l in run.stderr.splitlines() if l.strip()), None)
    return f"{name} {run.failure}" + (f": {err[:200]}" if err else "")


def reference_problem(runner, q):
    """Why QEMU's run `q` gives no reference dump, or None."""
    failed = failure_message("QEMU", q)
    if failed is not None:
        return failed
    why = "nothing printed" if not q.text.strip() else runner.arch["incomplete"](q.text)
    return None if why is None else f"QEMU's output is incomplete: {why}"


def compare(runner, q, c):
    """None if QEMU's run `q` printed a complete dump and the other run `c`
    (Chimera's; with `--qemu-only` QEMU's second) printed the same, both
    ending normally; else the `Difference`. Equal outputs thus imply a
    complete Chimera dump; one that stops early is named as such."""
    ref = reference_problem(runner, q)
    problems = [p for p in (ref, failure_message(runner.other, c)) if p is not None]
    if problems:
        return Difference("; ".join(problems), ref is not None)
    diff = first_difference(q.text, c.text)
    if diff is None:
        return None
    k, x, y = diff
    if not c.text.strip():
        return Difference(f"{runner.other} printed nothing")
    if k >= len(c.text.splitlines()):
        return Difference(f"{runner.other}'s output ends early at line {k + 1} (QEMU {x!r})")
    if k >= len(q.text.splitlines()):
        return Difference(f"{runner.other}'s output goes on after QEMU's last line {k}: {y!r}")
    return Difference(f"line {k + 1}: QEMU {x!r}, {runner.other} {y!r}")


def check_seed(runner, seed):
    """(seed, `Difference` or None)."""
    elf, q, c = runner.both(f"s{seed}", runner.program(seed).text)
    os.unlink(elf)
    os.unlink(os.path.join(runner.work, f"s{seed}.S"))
    return seed, compare(runner, q, c)


def shrink(runner, seed):
    """Minimal set of units of `seed`'s program whose runs still differ,
    and the number of runs it took. A program on which QEMU prints no
    complete dump does not count as differing (both sides failing is no
    reproducer): the difference must be Chimera's."""
    units = runner.program(seed).units
    trials = [0]

    def differs(keep):
        trials[0] += 1
        _, q, c = runner.both("shrink", runner.program(seed, set(keep)).text)
        diff = compare(runner, q, c)
        return diff is not None and not diff.reference

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


def add_common_args(ap, timeout):
    """The options every tester has; `timeout` is the default of --timeout."""
    ap.add_argument("--seeds", help="inclusive range A-B (or one seed)")
    ap.add_argument("--count", type=int, default=100, help="number of seeds (with --start)")
    ap.add_argument("--start", type=int, default=1, help="first seed (with --count)")
    ap.add_argument("--chimera", default=os.path.join(REPO, "target", "release", "chimera"))
    ap.add_argument("--chimera-args", default="", help='extra flags for chimera run, e.g. "--jit-hot 0"')
    ap.add_argument("--jobs", type=int, default=2, help="seeds run in parallel (default 2)")
    ap.add_argument("--qemu-only", action="store_true",
                    help="no Chimera: run every program twice on QEMU and check that both runs print the same complete dump")
    ap.add_argument("--keep-going", action="store_true", help="run every seed and list all differing ones (no shrinking)")
    ap.add_argument("--timeout", type=int, default=timeout,
                    help=f"seconds a run of QEMU or Chimera may take before it counts as a failure (default {timeout})")


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


def run_seeds(runner, seeds, args):
    """Check `seeds` on `args.jobs` threads, printing progress and every
    difference; stops at the first one unless `--keep-going`. Returns the
    number of seeds run and the list of (seed, `Difference`) sorted by seed."""
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
        try:
            for fut in concurrent.futures.as_completed(futures):
                res = fut.result()
                if res is None:
                    continue
                seed, diff = res
                with lock:
                    done += 1
                    if diff is not None:
                        bad.append((seed, diff))
                        print(f"seed {seed}: DIFFERENT ({diff.message})", flush=True)
                        if not args.keep_going:
                            stop.set()
                    if done % 100 == 0:
                        print(f"{done} seeds, {len(bad)} differences ({time.time() - t0:.0f} s)", flush=True)
        except KeyboardInterrupt:
            # Leaving the pool waits for its threads: skip the seeds not
            # started, end the runs under way.
            stop.set()
            runner.kill_running()
            raise
    return done, sorted(bad)


def keep_reproducer(runner, elf, qo, co, prefix):
    """Copy repro.S, the ELF and both runs' `Output.kept` to a new
    directory. Returns the directory."""
    keep_dir = tempfile.mkdtemp(prefix=prefix)
    shutil.copy(os.path.join(runner.work, "repro.S"), os.path.join(keep_dir, "repro.S"))
    shutil.copy(elf, os.path.join(keep_dir, "repro.elf"))
    with open(os.path.join(keep_dir, "qemu.txt"), "w") as f:
        f.write(qo.kept())
    with open(os.path.join(keep_dir, "chimera.txt"), "w") as f:
        f.write(co.kept())
    return keep_dir


def print_output_difference(qo, co):
    """The diff of the outputs of the runs `qo` and `co`, then how each failed."""
    print("output difference (- qemu, + chimera):")
    for l in difflib.unified_diff(qo.text.splitlines(), co.text.splitlines(), "qemu", "chimera", n=0, lineterm=""):
        if not l.startswith(("---", "+++", "@@")):
            print("  " + l)
    for name, run in (("qemu", qo), ("chimera", co)):
        if run.failure is not None:
            print(f"{name} {run.failure}" + ("; the end of its standard error:" if run.stderr.strip() else ""))
            for l in run.stderr.splitlines()[-10:]:
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
