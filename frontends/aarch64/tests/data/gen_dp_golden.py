#!/usr/bin/env python3
"""Regenerate dp_golden.txt: random A64 data-processing instructions run under
QEMU user mode (the reference), one instruction per case.

Needs aarch64-linux-gnu-as/ld, llvm-objdump and qemu-aarch64. Run from this
directory:  python3 gen_dp_golden.py > dp_golden.txt

    python3 gen_dp_golden.py --check FILE

re-runs the words and seeds of FILE (dp_golden.txt) on qemu-aarch64 and compares every line
(header included); it needs no llvm-objdump, so CI re-derives every QEMU result
whatever disassembler it has. The disassembler's choice itself is checked as far
as it can be without one: the words must be the seeded candidates in their
order, one per seed 0..3999.

Each case: initial X0..X30 and NZCV derived from the case seed (see `init`,
mirrored in tests/golden.rs), one instruction, then X0..X30 and NZCV stored.
Encodings are random fillings of the data-processing patterns of
src/decode.rs that llvm-objdump accepts as valid and that do not name SP.
"""
import os, random, re, subprocess, sys, tempfile

CASES = 4000
CLASSES = {"AddSubImm", "LogicalImm", "MoveWide", "Bitfield", "Extract", "LogicalShifted",
           "AddSubShifted", "AddSubExtended", "AddSubCarry", "CondCompare", "CondSelect",
           "DataProc2", "DataProc1", "DataProc3"}
M64 = (1 << 64) - 1

def splitmix(x):
    x = (x + 0x9E3779B97F4A7C15) & M64
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)

def init(seed):
    """Initial registers and NZCV of a case."""
    regs = []
    for r in range(31):
        v = splitmix(seed * 64 + r)
        shape = v & 7
        v >>= 3
        regs.append([v & 0xff, 0, M64, 0x80000000 | (v & 1), 0x7fffffff, (-(v & 0xffff)) & M64,
                     v & 0xffffffff, v | (1 << 63)][shape])
    nzcv = (splitmix(seed * 64 + 40) & 0xf) << 28
    return regs, nzcv

def patterns():
    src = open(os.path.join(os.path.dirname(__file__), "../../src/decode.rs")).read()
    out = []
    for name, bits, cls in re.findall(r'pat\("(\w+)", "([01a-zA-Z-]{32})", (\w+)\)', src):
        if cls in CLASSES:
            mask = int("".join("1" if c in "01" else "0" for c in bits), 2)
            value = int("".join(c if c in "01" else "0" for c in bits), 2)
            out.append((name, mask, value))
    return out

def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout

def candidates():
    """The seeded random fillings the disassembler filters, in order."""
    rng = random.Random(1)
    pats = patterns()
    cands = []
    for _ in range(CASES * 3):
        _, mask, value = rng.choice(pats)
        cands.append((rng.getrandbits(32) & ~mask & 0xffffffff) | value)
    return cands

def select(cands, d):
    """The first CASES candidates llvm-objdump accepts that do not name SP."""
    open(f"{d}/c.s", "w").write("".join(f".inst {w:#010x}\n" for w in cands))
    run(["aarch64-linux-gnu-as", f"{d}/c.s", "-o", f"{d}/c.o"])
    dis = [l for l in run(["llvm-objdump", "-d", "--mattr=+v8a", f"{d}/c.o"]).splitlines()
           if re.match(r"\s+[0-9a-f]+:", l)]
    assert len(dis) == len(cands)
    words = []
    for w, line in zip(cands, dis):
        text = line.split("\t", 1)[-1]
        if "unknown" in text or re.search(r"\b(w?sp)\b", text):
            continue
        words.append(w)
        if len(words) == CASES:
            break
    return words

def golden(words, d):
    """The lines of dp_golden.txt for `words` (case seed = index), from QEMU."""
    asm = [".text", ".global _start", "_start:", "adrp x0, buf", "add x0, x0, :lo12:buf", "mov sp, x0"]
    for seed, w in enumerate(words):
        regs, nzcv = init(seed)
        asm += [f"movz x0, #{nzcv >> 16}, lsl #16", "msr nzcv, x0"]
        for r, v in enumerate(regs):
            asm.append(f"movz x{r}, #{v & 0xffff}")
            for k in (1, 2, 3):
                asm.append(f"movk x{r}, #{(v >> (16 * k)) & 0xffff}, lsl #{16 * k}")
        asm.append(f".inst {w:#010x}")
        asm += [f"stp x{r}, x{r + 1}, [sp, #{8 * r}]" for r in range(0, 30, 2)]
        asm += ["str x30, [sp, #240]", "mrs x0, nzcv", "str x0, [sp, #248]", "add sp, sp, #256"]
    asm += ["mov x0, #1", "adrp x1, buf", "add x1, x1, :lo12:buf",
            f"movz x2, #{(len(words) * 256) & 0xffff}", f"movk x2, #{(len(words) * 256) >> 16}, lsl #16",
            "mov x8, #64", "svc #0", "mov x0, #0", "mov x8, #93", "svc #0",
            ".bss", ".balign 16", f"buf: .skip {len(words) * 256}"]
    open(f"{d}/p.s", "w").write("\n".join(asm) + "\n")
    run(["aarch64-linux-gnu-as", f"{d}/p.s", "-o", f"{d}/p.o"])
    run(["aarch64-linux-gnu-ld", "-static", "-nostdlib", f"{d}/p.o", "-o", f"{d}/p"])
    out = subprocess.run(["qemu-aarch64", "-cpu", "cortex-a57", f"{d}/p"], check=True, capture_output=True).stdout
    assert len(out) == len(words) * 256
    lines = ["# A64 data-processing golden results from qemu-aarch64 -cpu cortex-a57.",
             "# Regenerate: python3 gen_dp_golden.py > dp_golden.txt (see its docstring).",
             "# word seed nzcv_out [xN=value for every register that changed]"]
    for seed, w in enumerate(words):
        regs, _ = init(seed)
        vals = [int.from_bytes(out[seed * 256 + 8 * r: seed * 256 + 8 * r + 8], "little") for r in range(32)]
        changed = " ".join(f"x{r}={vals[r]:x}" for r in range(31) if vals[r] != regs[r])
        lines.append(f"{w:08x} {seed} {vals[31] >> 28:x} {changed}".rstrip())
    return lines

def check(path):
    """Exit status 1 unless `path` is what QEMU gives for its words."""
    have = open(path).read().splitlines()
    cases = [l.split() for l in have if l.strip() and not l.startswith("#")]
    words = [int(c[0], 16) for c in cases]
    if [c[1] for c in cases] != [str(k) for k in range(CASES)]:
        sys.exit(f"{path}: want one case per seed 0..{CASES - 1} in order, have {len(cases)} cases")
    it = iter(candidates())
    if not all(w in it for w in words):
        sys.exit(f"{path}: the words are not the seeded candidates in their order")
    with tempfile.TemporaryDirectory() as d:
        want = golden(words, d)
    diff = [(k + 1, h, w) for k, (h, w) in enumerate(zip(have, want)) if h != w]
    for line, h, w in diff[:10]:
        print(f"{path}:{line}: have {h}\n{' ' * len(f'{path}:{line}:')} qemu {w}", file=sys.stderr)
    if diff or len(have) != len(want):
        sys.exit(f"{path}: {len(diff)} of {len(want)} lines differ from qemu-aarch64")
    print(f"{len(words)} cases re-run on qemu-aarch64: identical")

def main():
    if sys.argv[1:2] == ["--check"] and len(sys.argv) == 3:
        check(sys.argv[2])
        return
    if len(sys.argv) != 1:
        sys.exit(__doc__)
    with tempfile.TemporaryDirectory() as d:
        print("\n".join(golden(select(candidates(), d), d)))

main()
