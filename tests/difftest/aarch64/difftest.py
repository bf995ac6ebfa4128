#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""Random differential testing of Chimera's AArch64 ISA (integer; FP/SIMD with --fp) against QEMU.

    tests/difftest/aarch64/difftest.py --seeds 1-300
    tests/difftest/aarch64/difftest.py --count 1000 --start 5000 --chimera-args "--jit-hot 0"
    tests/difftest/aarch64/difftest.py --seeds 1-300 --cpu max
    tests/difftest/aarch64/difftest.py --seeds 1-300 --fp
    tests/difftest/aarch64/difftest.py --seeds 1-300 --fp --qemu-only
    tests/difftest/aarch64/difftest.py --seeds 1-300 --mmu

For each seed, gen.py writes a random program; it is linked with the guest
runtime (tests/guests/aarch64/{start.S,lib.c,link.ld} and runtime.c) and run
on `qemu-system-aarch64 -M virt -cpu cortex-a57` and on
`target/release/chimera run --machine virt`. With `--cpu max` the programs
also use the ARMv8.1 LSE atomics and run on QEMU's and Chimera's `max`. With
`--fp` they mix FP/SIMD instructions in and also print V0-V31, FPSR and FPCR.
With `--mmu` (mmugen.py, runtime_mmu.c, link_mmu.ld) they run with the MMU
on under random translation tables, rewrite descriptors mid-run, and also
print the log of the faults they took and checksums of the data pages.
Both print every X register, SP, NZCV and checksums of the scratch buffer;
the outputs must be identical, QEMU's must be a complete dump (ending in
`end`), and both runs must exit normally within --timeout seconds: an empty
or incomplete QEMU output, a timeout or an error exit of either side is a
failure that names the side. `--qemu-only` runs each program twice on QEMU
instead (no Chimera) and checks that both runs print the same complete dump.

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
GUEST = os.path.join(REPO, "tests", "guests", "aarch64")
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import gen  # noqa: E402
import harness  # noqa: E402
import mmugen  # noqa: E402

CC = os.environ.get("CC", "aarch64-linux-gnu-gcc")
OBJDUMP = os.environ.get("OBJDUMP", "aarch64-linux-gnu-objdump")
QEMU = os.environ.get("QEMU", "qemu-system-aarch64")
CFLAGS = [
    "-O2", "-mgeneral-regs-only", "-mstrict-align", "-ffreestanding", "-fno-tree-loop-distribute-patterns",
    "-nostdlib", "-nostartfiles", "-static", "-fno-pic", "-no-pie", "-fno-stack-protector", "-I", GUEST,
]
LDFLAGS_BASE = ["-Wl,--build-id=none", "-Wl,-n", "-Wl,--no-warn-rwx-segments"]
LDFLAGS = LDFLAGS_BASE + ["-T", os.path.join(GUEST, "link.ld")]


def arch(args):
    """The AArch64 description for `harness.Runner` under these options."""
    description = {
        "cc": CC, "cflags": CFLAGS, "ldflags": LDFLAGS, "timeout": args.timeout,
        "runtime": [os.path.join(GUEST, "start.S"), os.path.join(GUEST, "lib.c"), os.path.join(HERE, "runtime.c")],
        "qemu": [QEMU, "-M", "virt", "-cpu", args.cpu, "-nographic", "-nic", "none",
                 "-monitor", "none", "-serial", "stdio", "-kernel"],
        "machine": "virt", "cpu_args": ["--cpu", args.cpu],
        "incomplete": lambda out: incomplete(out, args.fp),
        "generate": lambda seed, keep: gen.generate(seed, keep, align_faults=args.align_faults,
                                                    lse=args.cpu == "max", fp=args.fp),
    }
    if args.mmu:
        description.update({
            "ldflags": LDFLAGS_BASE + ["-T", os.path.join(HERE, "link_mmu.ld")],
            "runtime": [os.path.join(GUEST, "start.S"), os.path.join(GUEST, "lib.c"), os.path.join(HERE, "runtime_mmu.c")],
            "incomplete": incomplete_mmu,
            "generate": lambda seed, keep: mmugen.generate(seed, keep, lse=args.cpu == "max"),
        })
    return description


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


def incomplete_mmu(out):
    """Why a QEMU output of an --mmu program is not a complete dump, or None."""
    lines = out.splitlines()
    if not lines or lines[-1] != "end":
        return "no final 'end' line" + (f" ({lines[0]})" if lines and lines[0].startswith("mmu runtime") else "")
    if not any(l.startswith("faults ") for l in lines):
        return "no fault log"
    return None


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
    keep_dir = harness.keep_reproducer(runner, elf, qo, co, f"difftest-aarch64-seed{seed}-")
    print(f"minimal reproducer ({len(keep)} of {len(units)} units, {trials} runs): units {keep}")
    print(f"kept in {keep_dir} (repro.S, repro.elf, qemu.txt, chimera.txt)")
    harness.print_output_difference(qo, co)
    if hasattr(prog, "summary"):
        print("translation configuration (--mmu):")
        for line in prog.summary:
            print("  " + line)
        print(f"initial state: nzcv {prog.nzcv >> 28:x}, SP = {prog.sp:#x}, X28 = the register frame")
    else:
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
    harness.print_body_disassembly([OBJDUMP, "-d", "--no-show-raw-insn"], elf)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    harness.add_common_args(ap, timeout=60)
    ap.add_argument("--no-align-faults", dest="align_faults", action="store_false",
                    help="no misaligned load-exclusives or acquire/release among the faulting instructions")
    ap.add_argument("--cpu", choices=["cortex-a57", "max"], default="cortex-a57",
                    help="CPU model of both QEMU and Chimera; max adds LSE atomics to the programs")
    ap.add_argument("--fp", action="store_true",
                    help="FP/SIMD programs: FP/SIMD enabled, V0-V31, FPCR and FPSR seeded and dumped, FP/SIMD units mixed in")
    ap.add_argument("--mmu", action="store_true",
                    help="MMU-on programs (mmugen.py): random translation tables, descriptor rewrites with TLBI, faults logged and resumed")
    args = ap.parse_args()
    if args.mmu and args.fp:
        ap.error("--mmu and --fp do not combine (the FP/SIMD units address the MMU-off scratch buffer)")
    seeds = harness.parse_seeds(args)
    status = harness.check_setup(args, (CC, OBJDUMP, QEMU))
    if status is not None:
        return status

    with tempfile.TemporaryDirectory(prefix="difftest-aarch64-") as work:
        runner = harness.Runner(work, args.chimera, shlex.split(args.chimera_args), arch(args))
        done, bad = harness.run_seeds(runner, seeds, args)
        flags = f" (--cpu {args.cpu}{' --fp' if args.fp else ''}{' --mmu' if args.mmu else ''}{', chimera ' + args.chimera_args if args.chimera_args else ''}{', QEMU twice' if args.qemu_only else ''})"
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
