#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""Random-word sweep of the A64 integer encoding space, against QEMU.

Every seed makes one guest program that executes a few thousand random 32-bit
words, one at a time, each from a fixed code slot with all general registers
pointing into a scratch buffer, and records what happened: the exception
class, syndrome, return offset and fault address if it trapped, and a hash
of the registers and NZCV afterwards. The same ELF runs on
`qemu-system-aarch64 -M virt -cpu cortex-a57` (128 MiB, QEMU's default) and on
Chimera with the same RAM size; any differing word is reported with its
disassembly. This shows that Chimera raises UNDEF exactly where QEMU's
Cortex-A57 does, and otherwise behaves the same, over the data-processing and
load/store groups.

Left out, with the reason: the branch/exception/system group (op0 = 101x:
random branches leave the sandbox, and MSR/SYS/HVC/WFI would change the
machine or stop it) and the SIMD&FP groups (op0 = x111, and loads/stores with
V = 1): the FP/SIMD issue's scope; CPACR_EL1.FPEN is 0, so they trap.

    tests/difftest/aarch64/undef_sweep.py --seeds 1-20          (4096 words each)
    tests/difftest/aarch64/undef_sweep.py --seeds 1-5 --words 20000 --chimera-args "--jit-hot 0"
"""
import argparse
import concurrent.futures
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from difftest import CC, CFLAGS, GUEST, LDFLAGS, OBJDUMP, QEMU, REPO  # noqa: E402

RUNTIME_C = r"""
#include "lib.h"
#define N_WORDS %(n)d
extern const unsigned int sweep_words[N_WORDS];
extern unsigned long sweep_regs[34];     /* x0-x30, sp, nzcv, spare */
extern unsigned long sweep_trap[4];      /* esr, elr, far, taken */
extern unsigned char sweep_scratch[0x20000];
extern void sweep_one(unsigned int word, unsigned long nzcv);
extern char sweep_slot[];

int main(void)
{
    unsigned long x = 0x9e3779b97f4a7c15UL;
    for (int i = 0; i < 0x20000; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        sweep_scratch[i] = (unsigned char)(x >> 24);
    }
    for (int i = 0; i < N_WORDS; i++) {
        sweep_trap[3] = 0;
        sweep_one(sweep_words[i], (unsigned long)(i * 7 & 15) << 28);
        unsigned long h = 0xcbf29ce484222325UL;
        for (int r = 0; r < 33; r++) {
            h ^= sweep_regs[r];
            h *= 0x100000001b3UL;
        }
        if (sweep_trap[3]) {
            unsigned long esr = sweep_trap[0], ec = esr >> 26;
            int abort = ec == 0x20 || ec == 0x21 || ec == 0x22 || ec == 0x24 || ec == 0x25;
            unsigned long far = abort ? sweep_trap[2] : 0;
            printf("%%d %%08x trap esr=%%08lx elr=slot+%%lx far=%%lx h=%%016lx\n", i, sweep_words[i], esr,
                   sweep_trap[1] - (unsigned long)sweep_slot, far, h);
        } else {
            printf("%%d %%08x ok h=%%016lx\n", i, sweep_words[i], h);
        }
    }
    return 0;
}
"""

# The word runs at sweep_slot with x0-x30 = scratch + 0x10000 + 0x80 * n,
# SP = scratch + 0x18000 and the given NZCV; the registers after it (or
# after its exception: the handler clobbers nothing but x0-x3, which it
# saves first) are stored to sweep_regs.
RUNTIME_S = r"""
    .text
    .balign 2048
sweep_vectors:
    .rept 16
    b sweep_handler
    .balign 128
    .endr

sweep_handler:
    msr tpidr_el1, x0
    adrp x0, sweep_trap
    add x0, x0, :lo12:sweep_trap
    stp x1, x2, [x0, #32]
    mrs x1, esr_el1
    mrs x2, elr_el1
    stp x1, x2, [x0]
    mrs x1, far_el1
    mov x2, #1
    stp x1, x2, [x0, #16]
    ldp x1, x2, [x0, #32]
    mrs x0, tpidr_el1
    msr tpidr_el0, x0
    adr x0, sweep_after
    msr elr_el1, x0
    mrs x0, spsr_el1
    msr spsr_el1, x0
    mrs x0, tpidr_el0
    eret

    .global sweep_one
sweep_one:
    adrp x9, sweep_save
    add x9, x9, :lo12:sweep_save
    stp x19, x20, [x9, #0]
    stp x21, x22, [x9, #16]
    stp x23, x24, [x9, #32]
    stp x25, x26, [x9, #48]
    stp x27, x28, [x9, #64]
    stp x29, x30, [x9, #80]
    mov x10, sp
    str x10, [x9, #96]
    adr x10, sweep_vectors
    msr vbar_el1, x10
    adr x10, sweep_slot
    str w0, [x10]
    dc cvau, x10
    dsb ish
    ic ivau, x10
    dsb ish
    isb
    clrex
    msr nzcv, x1
    adrp x0, sweep_scratch
    add x0, x0, :lo12:sweep_scratch
    add x0, x0, #0x10000
    add x1, x0, #0x8000
    mov sp, x1
%(setregs)s    b sweep_slot

    .balign 64
    .global sweep_slot
sweep_slot:
    .word 0xd503201f
    b sweep_after
    .balign 64

sweep_after:
    msr tpidr_el1, x0
    adrp x0, sweep_regs
    add x0, x0, :lo12:sweep_regs
%(saveregs)s    stp x29, x30, [x0, #(29 * 8)]
    mrs x1, tpidr_el1
    str x1, [x0]
    mov x1, sp
    str x1, [x0, #(31 * 8)]
    mrs x1, nzcv
    str x1, [x0, #(32 * 8)]
    adrp x9, sweep_save
    add x9, x9, :lo12:sweep_save
    ldr x10, [x9, #96]
    mov sp, x10
    ldp x19, x20, [x9, #0]
    ldp x21, x22, [x9, #16]
    ldp x23, x24, [x9, #32]
    ldp x25, x26, [x9, #48]
    ldp x27, x28, [x9, #64]
    ldp x29, x30, [x9, #80]
    ret

    .data
    .balign 16
sweep_save: .skip 112
    .global sweep_regs, sweep_trap
sweep_regs: .skip 34 * 8
sweep_trap: .skip 6 * 8
    .bss
    .balign 16
    .global sweep_scratch
sweep_scratch: .skip 0x20000
    .section .rodata
    .balign 4
    .global sweep_words
sweep_words:
"""


def in_scope(w):
    """Data-processing (immediate, register) and non-FP load/store words."""
    op0 = (w >> 25) & 0xf
    if op0 in (0b1010, 0b1011):  # branches, exception generation, system
        return False
    if op0 & 0b0111 == 0b0111:  # data processing, SIMD & FP
        return False
    if op0 & 0b0101 == 0b0100 and (w >> 26) & 1:  # loads/stores of SIMD&FP registers
        return False
    return True


def words_for(seed, n):
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        w = rng.getrandbits(32)
        if in_scope(w):
            out.append(w)
    return out


def build(work, seed, n):
    words = words_for(seed, n)
    c = os.path.join(work, f"sweep{seed}.c")
    s = os.path.join(work, f"sweep{seed}.S")
    elf = os.path.join(work, f"sweep{seed}.elf")
    with open(c, "w") as f:
        f.write(RUNTIME_C % {"n": n})
    with open(s, "w") as f:
        f.write(RUNTIME_S % {
            "setregs": "".join(f"    add x{n}, x0, #{n * 0x80}\n" for n in range(1, 31)),
            "saveregs": "".join(f"    stp x{n}, x{n + 1}, [x0, #{n * 8}]\n" for n in range(1, 29, 2)),
        })
        for k in range(0, n, 8):
            f.write("    .word " + ", ".join(f"0x{w:08x}" for w in words[k:k + 8]) + "\n")
    rt = [os.path.join(GUEST, "start.S"), os.path.join(GUEST, "lib.c")]
    p = subprocess.run([CC, *CFLAGS, *LDFLAGS, *rt, c, s, "-o", elf], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"undef_sweep.py: building seed {seed} failed:\n{p.stderr}")
    return elf


def run(cmd):
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=300)
    out = p.stdout.decode(errors="replace")
    if p.returncode != 0:
        out += f"\n[exit status {p.returncode}] {p.stderr.decode(errors='replace')[-500:]}"
    return out


def disasm(w):
    with tempfile.NamedTemporaryFile(suffix=".bin", delete=False) as f:
        f.write(w.to_bytes(4, "little"))
    p = subprocess.run([OBJDUMP, "-D", "-b", "binary", "-m", "aarch64", f.name], capture_output=True, text=True)
    os.unlink(f.name)
    return p.stdout.strip().splitlines()[-1].split("\t", 2)[-1] if p.stdout else "?"


def check(seed, n, chimera, extra):
    with tempfile.TemporaryDirectory(prefix="undef-sweep-") as work:
        elf = build(work, seed, n)
        q = run([QEMU, "-M", "virt", "-cpu", "cortex-a57", "-nographic", "-nic", "none", "-monitor", "none",
                 "-serial", "stdio", "-kernel", elf])
        c = run([chimera, "run", "--machine", "virt", "--memory", "128M", "--kernel", elf, *extra])
    diffs = []
    ql, cl = q.splitlines(), c.splitlines()
    for k in range(max(len(ql), len(cl))):
        a = ql[k] if k < len(ql) else "<missing>"
        b = cl[k] if k < len(cl) else "<missing>"
        if a != b:
            diffs.append((a, b))
    traps = sum(" trap " in line for line in ql)
    return seed, len(ql), traps, diffs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default="1-10", help="A-B (inclusive)")
    ap.add_argument("--words", type=int, default=4096, help="words per seed")
    ap.add_argument("--chimera-args", default="", help="extra flags for chimera")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    a, b = (int(x) for x in args.seeds.split("-"))
    chimera = os.path.join(REPO, "target", "release", "chimera")
    if not os.path.exists(chimera):
        sys.exit("undef_sweep.py: build Chimera first (cargo build --release)")
    total = trapped = 0
    bad = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
        futs = [ex.submit(check, s, args.words, chimera, args.chimera_args.split()) for s in range(a, b + 1)]
        for f in concurrent.futures.as_completed(futs):
            seed, lines, traps, diffs = f.result()
            total += lines
            trapped += traps
            for qa, cb in diffs[:20]:
                w = int(qa.split()[1], 16) if len(qa.split()) > 1 else int(cb.split()[1], 16)
                bad.append(f"seed {seed}: {w:08x} {disasm(w)}\n  QEMU:    {qa}\n  Chimera: {cb}")
    print(f"{b - a + 1} seeds, {total} words ({trapped} trapped on QEMU), {len(bad)} differences")
    for line in bad[:60]:
        print(line)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
