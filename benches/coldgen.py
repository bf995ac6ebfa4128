#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""The cold-code benchmark: translation cost, not steady-state speed.

Generates, per ISA (AArch64 on `virt`, SPARC V8 on `leon3`) and from a seed,
a bare-metal guest whose code is ~100,000 distinct basic blocks (--blocks),
each 3-8 simple integer instructions (add/sub/logic/shifts, 32-bit constants,
a load or store to a 4 KiB scratch buffer) ending in a branch to the next
block of the chain. The blocks are laid out in a shuffled order (--layout
linear keeps them in chain order), so every branch goes somewhere else than
the next instruction. An outer loop runs the whole chain a few times
(--rounds, default 3) while a register accumulates a checksum; the guest
prints it as "cold: <hex>" on the board's UART and powers off. Most of the
wall time is spent translating code that runs only a few times: what a boot
looks like.

Both ISAs are lowered from the same abstract program (same seed, same
32-bit semantics, word-sized memory accesses only), so they print the same
checksum, and the script checks it against its own Python model of the
program before timing anything.

The guest is the bare-metal runtime of tests/guests/ARCH (start.S, lib.c,
link.ld, the CFLAGS of env.sh) plus a generated main.c calling
`uint32_t cold_chain(uint32_t seed)` of a generated cold.S; it is built into
target/coldgen/ (not committed) with aarch64-linux-gnu-gcc or
sparc64-linux-gnu-gcc. QEMU and Chimera then run it alternately, -n times
each; their outputs must be byte-identical (a difference is a Chimera bug:
the run stops). One more Chimera run with --stats, untimed, gives the blocks
and guest instructions Chimera translated. Per ISA a Markdown table shows the
median wall seconds of both, Chimera / QEMU (below 1: Chimera is faster),
and the microseconds per translated guest instruction of both (wall time /
the instructions Chimera translated: an upper bound, since the wall time
also holds start-up and the few runs of every block). --variant adds a
column of Chimera with extra flags.

    benches/coldgen.py                                   both ISAs, 3 runs each
    benches/coldgen.py --arch sparc --blocks 20000 -n 1
    benches/coldgen.py --chimera /tmp/chimera-base --variant "--jit-sync" --variant "--jit-hot 50"
    benches/coldgen.py --arch aarch64 --emit-only        build only; print the ELF's path
"""
import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vs_qemu  # noqa: E402  (the shared runner)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHIMERA = os.path.join(ROOT, "target", "release", "chimera")
OUT_DIR = os.path.join(ROOT, "target", "coldgen")

ARCHES = {
    "aarch64": {
        "qemu": ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-nographic", "-nic", "none",
                 "-monitor", "none", "-serial", "stdio", "-kernel"],
        "machine": "virt",
    },
    "sparc": {
        "qemu": ["qemu-system-sparc", "-M", "leon3_generic", "-nographic", "-monitor", "none",
                 "-serial", "stdio", "-kernel"],
        "machine": "leon3",
    },
}

# The line `chimera run --stats` prints on stderr when the guest stops, e.g.
# "chimera: 2093 guest instructions executed; 117 blocks (455 guest insns)
# translated in 0.8 ms; ...".
STATS = re.compile(rb"^chimera: (\d+) guest instructions executed; (\d+) blocks \((\d+) guest insns\) "
                   rb"translated in ([0-9.]+) ms", re.M)

TIMEOUT = 300
M32 = 0xFFFFFFFF

# ---------------------------------------------------------------------------
# The abstract program.
#
# Registers: 0 is the checksum C (the seed on entry, the result on return),
# 1..6 are temporaries. Memory: SCRATCH_WORDS 32-bit words. Operations
# (tuples), all on 32-bit values:
#   ("add"|"sub"|"xor"|"or"|"and", d, a, b)   d = a OP b
#   ("addi"|"subi", d, a, imm)                d = a OP imm, 1 <= imm <= 4095
#   ("shl"|"shr"|"sar", d, a, sh)             shifts by 1..31
#   ("const", d, value)                       d = value (two instructions)
#   ("ld", d, word) / ("st", s, word)         scratch[word] (word-aligned)
# ---------------------------------------------------------------------------

TEMPS = range(1, 7)
SCRATCH_WORDS = 1024
# Instructions each operation takes (the same on both ISAs).
SIZE = {"const": 2}


def gen_block(rng):
    """One block's operations: 2-7 instructions (with the branch, 3-8); the
    last one mixes a temporary or an immediate into the checksum."""
    want = rng.randint(2, 7)
    ops, n = [], 0
    while n < want - 1:
        r = rng.random()
        d = rng.choice(TEMPS)
        if r < 0.30:
            op = (rng.choice(["add", "sub", "xor", "xor", "or", "and"]), d, rng.choice(range(0, 7)), rng.choice(TEMPS))
        elif r < 0.45:
            op = (rng.choice(["addi", "subi"]), d, rng.choice(range(0, 7)), rng.randint(1, 4095))
        elif r < 0.60:
            op = (rng.choice(["shl", "shr", "sar"]), d, rng.choice(range(0, 7)), rng.randint(1, 31))
        elif r < 0.75:
            if n + 2 > want - 1:
                continue
            op = ("const", d, rng.getrandbits(32))
        elif r < 0.88:
            op = ("ld", d, rng.randrange(SCRATCH_WORDS))
        else:
            op = ("st", rng.choice(range(0, 7)), rng.randrange(SCRATCH_WORDS))
        ops.append(op)
        n += SIZE.get(op[0], 1)
    if rng.random() < 0.8:
        ops.append((rng.choice(["add", "sub", "xor"]), 0, 0, rng.choice(TEMPS)))
    else:
        ops.append((rng.choice(["addi", "subi"]), 0, 0, rng.randint(1, 4095)))
    return ops


def gen_program(seed, blocks):
    """(prologue, [block ops...], layout, slots): the prologue seeds the
    temporaries from C; layout is the order the blocks are placed in; slots
    says which SPARC blocks put their last instruction in the delay slot of
    their branch (the others put a nop there)."""
    rng = random.Random(seed)
    prologue = []
    for t in TEMPS:
        prologue.append(("const", t, rng.getrandbits(32)))
        prologue.append(("xor", t, t, 0))
    chain = [gen_block(rng) for _ in range(blocks)]
    layout = list(range(1, blocks))
    rng.shuffle(layout)
    slots = [rng.random() < 0.5 for _ in range(blocks)]
    return prologue, chain, [0] + layout, slots


def run_ops(ops, r, mem):
    for op in ops:
        k = op[0]
        if k == "add":
            r[op[1]] = (r[op[2]] + r[op[3]]) & M32
        elif k == "sub":
            r[op[1]] = (r[op[2]] - r[op[3]]) & M32
        elif k == "xor":
            r[op[1]] = r[op[2]] ^ r[op[3]]
        elif k == "or":
            r[op[1]] = r[op[2]] | r[op[3]]
        elif k == "and":
            r[op[1]] = r[op[2]] & r[op[3]]
        elif k == "addi":
            r[op[1]] = (r[op[2]] + op[3]) & M32
        elif k == "subi":
            r[op[1]] = (r[op[2]] - op[3]) & M32
        elif k == "shl":
            r[op[1]] = (r[op[2]] << op[3]) & M32
        elif k == "shr":
            r[op[1]] = r[op[2]] >> op[3]
        elif k == "sar":
            v = r[op[2]]
            r[op[1]] = ((v - (1 << 32) if v & 0x80000000 else v) >> op[3]) & M32
        elif k == "const":
            r[op[1]] = op[2]
        elif k == "ld":
            r[op[1]] = mem[op[2]]
        elif k == "st":
            mem[op[2]] = r[op[1]]
        else:
            raise ValueError(op)


def model(prog, seed, rounds):
    """The checksum cold_chain(seed) returns."""
    prologue, chain = prog[0], prog[1]
    r = [seed & M32] + [0] * 6
    mem = [0] * SCRATCH_WORDS
    run_ops(prologue, r, mem)
    for _ in range(rounds):
        for ops in chain:
            run_ops(ops, r, mem)
    return r[0]


def insn_count(ops):
    return sum(SIZE.get(op[0], 1) for op in ops)


# ---------------------------------------------------------------------------
# Lowering to assembly.
# ---------------------------------------------------------------------------

A64_REG = ["w0", "w1", "w2", "w3", "w4", "w5", "w6"]  # x7: scratch base, w8: round counter
A64_ALU = {"add": "add", "sub": "sub", "xor": "eor", "or": "orr", "and": "and",
           "addi": "add", "subi": "sub", "shl": "lsl", "shr": "lsr", "sar": "asr"}
SPARC_REG = ["%i0", "%l0", "%l1", "%l2", "%l3", "%l4", "%l5"]  # %l6: scratch base, %l7: round counter
SPARC_ALU = {"add": "add", "sub": "sub", "xor": "xor", "or": "or", "and": "and",
             "addi": "add", "subi": "sub", "shl": "sll", "shr": "srl", "sar": "sra"}


def a64_op(op):
    k, R = op[0], A64_REG
    if k == "const":
        v = op[2]
        return [f"movz {R[op[1]]}, #0x{v & 0xffff:x}", f"movk {R[op[1]]}, #0x{v >> 16:x}, lsl #16"]
    if k == "ld":
        return [f"ldr {R[op[1]]}, [x7, #{op[2] * 4}]"]
    if k == "st":
        return [f"str {R[op[1]]}, [x7, #{op[2] * 4}]"]
    if k in ("add", "sub", "xor", "or", "and"):
        return [f"{A64_ALU[k]} {R[op[1]]}, {R[op[2]]}, {R[op[3]]}"]
    return [f"{A64_ALU[k]} {R[op[1]]}, {R[op[2]]}, #{op[3]}"]


def sparc_op(op):
    k, R = op[0], SPARC_REG
    if k == "const":
        v = op[2]
        return [f"sethi %hi(0x{v:x}), {R[op[1]]}", f"or {R[op[1]]}, %lo(0x{v:x}), {R[op[1]]}"]
    if k == "ld":
        return [f"ld [%l6 + {op[2] * 4}], {R[op[1]]}"]
    if k == "st":
        return [f"st {R[op[1]]}, [%l6 + {op[2] * 4}]"]
    if k in ("add", "sub", "xor", "or", "and"):
        return [f"{SPARC_ALU[k]} {R[op[2]]}, {R[op[3]]}, {R[op[1]]}"]
    return [f"{SPARC_ALU[k]} {R[op[2]]}, {op[3]}, {R[op[1]]}"]


def emit(arch, prog, rounds, layout_shuffled):
    """The generated cold.S and its instruction count in the chain."""
    prologue, chain, layout, slots = prog
    if not layout_shuffled:
        layout = list(range(len(chain)))
    n = len(chain)
    target = lambda i: f".Lb{i + 1}" if i + 1 < n else ".Ltail"
    lines = ["/* SPDX-License-Identifier: MIT OR Apache-2.0 */",
             f"/* Generated by benches/coldgen.py: {n} blocks, {rounds} rounds. */"]
    total = 0
    if arch == "aarch64":
        lines += ["\t.text", "\t.global cold_chain", "\t.type cold_chain, %function", "\t.balign 16",
                  "cold_chain:",
                  "\tadrp x7, cold_scratch", "\tadd x7, x7, :lo12:cold_scratch",
                  f"\tmovz w8, #0x{rounds & 0xffff:x}", f"\tmovk w8, #0x{rounds >> 16:x}, lsl #16"]
        for op in prologue:
            lines += ["\t" + s for s in a64_op(op)]
        lines += ["\tb .Lb0",
                  ".Ltail:", "\tsub w8, w8, #1", "\tcbz w8, .Ldone", "\tb .Lb0",
                  ".Ldone:", "\tret"]
        for i in layout:
            lines.append(f".Lb{i}:")
            for op in chain[i]:
                lines += ["\t" + s for s in a64_op(op)]
            lines.append(f"\tb {target(i)}")
            total += insn_count(chain[i]) + 1
        lines += ["\t.size cold_chain, . - cold_chain",
                  "\t.bss", "\t.balign 16", "\t.type cold_scratch, %object",
                  f"cold_scratch:", f"\t.space {SCRATCH_WORDS * 4}", ""]
    else:
        # A leaf with its own register window: the checksum lives in %i0,
        # which `restore` hands back as the caller's %o0. Every branch has a
        # delay slot: the block's last instruction when it is a single one
        # (for half of the blocks, slots), else a nop.
        lines += ["\t.text", "\t.global cold_chain", "\t.type cold_chain, #function", "\t.align 4",
                  "cold_chain:",
                  "\tsave %sp, -96, %sp",
                  "\tsethi %hi(cold_scratch), %l6", "\tor %l6, %lo(cold_scratch), %l6",
                  f"\tsethi %hi(0x{rounds:x}), %l7", f"\tor %l7, %lo(0x{rounds:x}), %l7"]
        for op in prologue:
            lines += ["\t" + s for s in sparc_op(op)]
        # The tail jumps back through a register: no displacement limit.
        lines += ["\tba .Lb0", "\t nop",
                  ".Ltail:", "\tsubcc %l7, 1, %l7", "\tbe .Ldone", "\t nop",
                  "\tsethi %hi(.Lb0), %g1", "\tjmp %g1 + %lo(.Lb0)", "\t nop",
                  ".Ldone:", "\tret", "\t restore"]
        for i in layout:
            lines.append(f".Lb{i}:")
            body = [s for op in chain[i] for s in sparc_op(op)]
            if chain[i][-1][0] != "const" and slots[i]:
                lines += ["\t" + s for s in body[:-1]]
                lines += [f"\tba {target(i)}", "\t " + body[-1]]
                total += len(body) + 1
            else:
                lines += ["\t" + s for s in body]
                lines += [f"\tba {target(i)}", "\t nop"]
                total += len(body) + 2
        lines += ["\t.size cold_chain, . - cold_chain",
                  "\t.section \".bss\"", "\t.align 8", "\t.type cold_scratch, #object",
                  "cold_scratch:", f"\t.skip {SCRATCH_WORDS * 4}", ""]
    return "\n".join(lines), total


MAIN_C = """// SPDX-License-Identifier: MIT OR Apache-2.0
// Generated by benches/coldgen.py: runs the generated chain and prints its checksum.
#include "lib.h"

uint32_t cold_chain(uint32_t seed);

int main(void)
{{
    printf("cold: %x\\n", cold_chain(0x{seed:x}u));
    return 0;
}}
"""


def env_cflags(arch):
    """CC and CFLAGS of tests/guests/ARCH/env.sh (sourced in bash)."""
    rt = os.path.join(ROOT, "tests", "guests", arch)
    script = 'unset CC; . ./env.sh; printf "%s\\n" "$CC" "${CFLAGS[@]}"'
    out = subprocess.run(["bash", "-c", script], cwd=rt, stdout=subprocess.PIPE, text=True, check=True).stdout
    words = out.splitlines()
    return rt, words[0], words[1:]


def build(arch, seed, blocks, rounds, shuffled, prog):
    """Builds the guest into target/coldgen/; returns (ELF path, chain insns)."""
    tag = f"{arch}-s{seed}-b{blocks}-r{rounds}{'' if shuffled else '-linear'}"
    out = os.path.join(OUT_DIR, tag)
    os.makedirs(out, exist_ok=True)
    asm, insns = emit(arch, prog, rounds, shuffled)
    if arch == "sparc" and insns > (1 << 21) - 64:
        sys.exit(f"coldgen.py: {insns} SPARC instructions: beyond the +-8 MiB reach of ba; use fewer --blocks")
    with open(os.path.join(out, "cold.S"), "w") as f:
        f.write(asm)
    with open(os.path.join(out, "main.c"), "w") as f:
        f.write(MAIN_C.format(seed=seed & M32))
    rt, cc, cflags = env_cflags(arch)
    elf = os.path.join(out, "cold.elf")
    cmd = ([cc] + cflags + ["-I", rt, "-T", os.path.join(rt, "link.ld"), os.path.join(rt, "start.S"),
                            os.path.join(rt, "lib.c"), "main.c", "cold.S", "-o", elf])
    p = subprocess.run(cmd, cwd=out, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        sys.exit(f"coldgen.py: building {elf} failed:\n{p.stdout}")
    return elf, insns


# ---------------------------------------------------------------------------
# Running.
# ---------------------------------------------------------------------------

def run(cmd):
    """Wall seconds, stdout and stderr of one run (vs_qemu.py's runner)."""
    return vs_qemu.run(cmd, TIMEOUT)


def same_output(what, who, ref, out, seed):
    """Stops the run if out is not ref (QEMU's), showing where they differ."""
    vs_qemu.same_output(f"{what} (seed {seed})", who, ref, out)


def bench(arch, args, chimera, prog, expected):
    elf, chain_insns = build(arch, args.seed, args.blocks, args.rounds, args.layout == "shuffled", prog)
    want = f"cold: {expected:x}\n".encode()
    qemu, machine = ARCHES[arch]["qemu"], ARCHES[arch]["machine"]
    cmd_q = qemu + [elf]
    cmd_c = [chimera, "run", "--machine", machine, "--kernel", elf]
    what = f"{arch} cold-code guest"
    # Untimed: QEMU's output against the model, then Chimera's translation
    # counts (these runs also warm the page cache).
    _, ref, _ = run(cmd_q)
    if ref != want:
        sys.exit(f"coldgen.py: {what} (seed {args.seed}): QEMU printed {ref!r}, the model expects {want!r} "
                 f"(a bug of the generator, or of QEMU)")
    _, out, err = run(cmd_c + ["--stats"])
    same_output(what, "Chimera --stats", ref, out, args.seed)
    m = STATS.search(err)
    if not m:
        sys.exit(f"coldgen.py: no statistics line in Chimera's stderr:\n{err.decode(errors='replace')}")
    tblocks, tinsns = int(m.group(2)), int(m.group(3))
    tq, tc, tv = [], [], [[] for _ in args.variant]
    for _ in range(args.n):
        t, out, _ = run(cmd_q)
        same_output(what, "QEMU (again)", ref, out, args.seed)
        tq.append(t)
        t, out, _ = run(cmd_c)
        same_output(what, "Chimera", ref, out, args.seed)
        tc.append(t)
        for i, v in enumerate(args.variant):
            t, out, _ = run(cmd_c + v.split())
            same_output(what, f"Chimera {v}", ref, out, args.seed)
            tv[i].append(t)
    q, c = statistics.median(tq), statistics.median(tc)
    us = lambda s: s / tinsns * 1e6

    print(f"\n{arch} ({machine}), seed {args.seed}, {args.rounds} rounds, {args.layout} layout, "
          f"{chain_insns} instructions in the chain; output {ref.decode().strip()!r}:\n")
    head = ("| blocks | blocks translated | guest insns translated | QEMU s | Chimera s | Chimera / QEMU "
            "| QEMU us/insn | Chimera us/insn |")
    rule = "|---:|---:|---:|---:|---:|---:|---:|---:|"
    row = (f"| {args.blocks} | {tblocks} | {tinsns} | {q:.3f} | {c:.3f} | {c / q:.2f} "
           f"| {us(q):.2f} | {us(c):.2f} |")
    for v, times in zip(args.variant, tv):
        s = statistics.median(times)
        head += f" Chimera {v} s | / QEMU | us/insn |"
        rule += "---:|---:|---:|"
        row += f" {s:.3f} | {s / q:.2f} | {us(s):.2f} |"
    print(head)
    print(rule)
    print(row)
    line = err[m.start():].split(b"\n", 1)[0].decode(errors="replace")
    print(f"\nThe untimed `--stats` run: `{line}`", flush=True)


def main():
    global TIMEOUT
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", choices=["aarch64", "sparc", "both"], default="both")
    ap.add_argument("--seed", type=int, default=1, help="generator seed (default %(default)s)")
    ap.add_argument("--blocks", type=int, default=100_000, help="distinct blocks (default %(default)s)")
    ap.add_argument("--rounds", type=int, default=3, help="runs of the whole chain (default %(default)s)")
    ap.add_argument("--layout", choices=["shuffled", "linear"], default="shuffled",
                    help="block placement: shuffled (default) or in chain order")
    ap.add_argument("-n", type=int, default=3, help="timed runs of each (default %(default)s); the median is kept")
    ap.add_argument("--variant", action="append", default=[], help="extra Chimera flags for another column")
    ap.add_argument("--chimera", metavar="PATH", help="this Chimera binary instead of target/release/chimera")
    ap.add_argument("--timeout", type=int, default=TIMEOUT, help="seconds one run may take (default %(default)s)")
    ap.add_argument("--emit-only", action="store_true", help="build the guest(s), print the ELF paths, run nothing")
    # `--variant "--jit-sync"`: argparse takes a value starting with "--" for
    # an option, unless it is glued on with "=".
    argv, i = [], 1
    while i < len(sys.argv):
        if sys.argv[i] == "--variant" and i + 1 < len(sys.argv):
            argv.append("--variant=" + sys.argv[i + 1])
            i += 2
        else:
            argv.append(sys.argv[i])
            i += 1
    args = ap.parse_args(argv)
    if args.n < 1 or args.blocks < 1 or args.rounds < 1:
        ap.error("-n, --blocks and --rounds must be at least 1")
    TIMEOUT = args.timeout
    arches = list(ARCHES) if args.arch == "both" else [args.arch]

    prog = gen_program(args.seed, args.blocks)
    if args.emit_only:
        for arch in arches:
            elf, insns = build(arch, args.seed, args.blocks, args.rounds, args.layout == "shuffled", prog)
            print(f"{elf} ({insns} instructions in the chain)")
        return
    chimera = os.path.abspath(args.chimera or CHIMERA)
    if not os.access(chimera, os.X_OK):
        sys.exit(f"coldgen.py: {chimera} is not an executable (build it with cargo build --release, or use --chimera)")
    expected = model(prog, args.seed, args.rounds)
    versions = "; ".join(vs_qemu.qemu_version(ARCHES[a]["qemu"][0]) for a in arches)
    print(f"Machine: {os.cpu_count()} cores, {vs_qemu.cpu_name()}; {versions}; Chimera {chimera}; "
          f"median of {args.n} runs each, QEMU and Chimera alternately, wall seconds")
    for arch in arches:
        bench(arch, args, chimera, prog, expected)


if __name__ == "__main__":
    main()
