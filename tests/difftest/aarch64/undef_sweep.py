#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""Random-word sweep of the A64 encoding space, against QEMU.

Every seed makes one guest program that executes a few thousand random 32-bit
words, one at a time, each from a fixed code slot with all general registers
pointing into a scratch buffer, and records what happened: the exception
class, syndrome, return offset and fault address if it trapped, and a hash
of the registers and NZCV afterwards (and of V0-V31, FPSR and FPCR with
`--space fp`). The same ELF runs on
`qemu-system-aarch64 -M virt -cpu cortex-a57` (128 MiB, QEMU's default) and on
Chimera with the same RAM size; any differing word is reported with its
disassembly. Both must print one line per word, for every word swept. This
shows that Chimera raises UNDEF exactly where QEMU's Cortex-A57 does, and
otherwise behaves the same, over the space swept:

  --space int (default)  the data-processing and load/store groups, without
                         the SIMD&FP ones (CPACR_EL1.FPEN is 0).
  --space fp             SIMD&FP data processing (op0 = x111) and SIMD&FP
                         loads/stores (op0 = x1x0, V = 1) with CPACR_EL1.FPEN
                         = 0b11, V0-V31 loaded with special and random values
                         and FPCR varied (RMode, FZ, DN, AHP) from word to word.
                         Left out: LDP/LDNP of SIMD&FP registers with Rt ==
                         Rt2, CONSTRAINED UNPREDICTABLE, where Chimera takes
                         the UNDEFINED choice and QEMU loads.
  --space sys            the system instruction class (bits 31:22 =
                         1101010100): hints, barriers, MSR (immediate),
                         SYS/SYSL, MRS and MSR (register); half the words name
                         an encoding of tests/data/aarch64/system_a57_el1.txt.
                         An MSR runs as MRS then MSR of the value read (so it
                         changes nothing), or, where that MRS is UNDEFINED,
                         as an MSR of XZR. QEMU's verdict on every word must
                         be the file's; Chimera's differs only on the file's
                         gaps (counted, not failures); the values read from
                         the registers the file tags clock or keeps-rt are not
                         compared. Left out: WFI (waits for an interrupt that
                         never comes) and MSR SPSel, #imm (would move the C
                         runtime's stack to SP_EL0). With --all, each seed
                         runs every encoding of the class once (those two
                         with an Rt that makes them UNDEFINED), which checks
                         the whole file against QEMU.

Left out of every space: branches and exception generation (op0 = 101x
outside the system class: random branches leave the sandbox, HVC/SMC would
reach the board's firmware).

    tests/difftest/aarch64/undef_sweep.py --seeds 1-20          (4096 words each)
    tests/difftest/aarch64/undef_sweep.py --seeds 1-5 --words 20000 --chimera-args "--jit-hot 0"
    tests/difftest/aarch64/undef_sweep.py --space fp --seeds 1-8
    tests/difftest/aarch64/undef_sweep.py --space sys --seeds 1-8
    tests/difftest/aarch64/undef_sweep.py --space sys --all --seeds 1-2
"""
import argparse
import concurrent.futures
import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from difftest import CC, CFLAGS, GUEST, LDFLAGS, OBJDUMP, QEMU, REPO  # noqa: E402

SYSTEM_TABLE = os.path.join(REPO, "tests", "data", "aarch64", "system_a57_el1.txt")

RUNTIME_C = r"""
#include "lib.h"
#define N_WORDS %(n)d
#define FP %(fp)d
#define SYS %(sys)d
extern const unsigned int sweep_words[N_WORDS];
extern unsigned long sweep_regs[34];     /* x0-x30, sp, nzcv, spare */
extern unsigned long sweep_vregs[66];    /* v0-v31 (low, high), fpsr, fpcr */
extern unsigned long sweep_vinit[64];
extern unsigned long sweep_trap[4];      /* esr, elr, far, taken */
extern unsigned char sweep_scratch[0x40000];
extern void sweep_one(unsigned int word, unsigned int word2, unsigned long nzcv, unsigned long fpcr);
extern char sweep_slot[];

static unsigned long xorshift(unsigned long *x)
{
    *x ^= *x << 13; *x ^= *x >> 7; *x ^= *x << 17;
    return *x;
}

/* Special doubles, singles and halves: zeros, infinities, NaNs (quiet and
   signalling), +-1, the smallest and largest denormals and normals, 0.5,
   2.5, 2^31 or 2^63. */
static const unsigned long special_d[] = {
    0, 0x8000000000000000UL, 0x7ff0000000000000UL, 0xfff0000000000000UL, 0x7ff8000000000000UL,
    0x7ff4000000000000UL, 0x3ff0000000000000UL, 0xbff0000000000000UL, 1, 0x000fffffffffffffUL,
    0x0010000000000000UL, 0x7fefffffffffffffUL, 0x43e0000000000000UL, 0x3fe0000000000000UL,
    0x4004000000000000UL, 0xfff8000000000001UL,
};
static const unsigned int special_s[] = {
    0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00000, 0x3f800000, 0xbf800000,
    1, 0x007fffff, 0x00800000, 0x7f7fffff, 0x4f000000, 0x3f000000, 0x40200000, 0xffc00001,
};
static const unsigned short special_h[] = {
    0, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x7d00, 0x3c00, 0xbc00,
    1, 0x03ff, 0x0400, 0x7bff, 0x7800, 0x3800, 0x4100, 0xfe01,
};

/* Runs word (and word2 after it) from the slot; 1 if it trapped as UNDEFINED
   at the slot itself. */
static int run(unsigned int word, unsigned int word2, int i)
{
    sweep_trap[3] = 0;
    sweep_one(word, word2, (unsigned long)(i * 7 & 15) << 28, (unsigned long)(i * 13 & 31) << 22);
    return sweep_trap[3] && sweep_trap[0] >> 26 == 0 && sweep_trap[1] == (unsigned long)sweep_slot;
}

int main(void)
{
    unsigned long x = 0x9e3779b97f4a7c15UL;
    for (int i = 0; i < 0x40000; i++)
        sweep_scratch[i] = (unsigned char)(xorshift(&x) >> 24);
    for (int k = 0; k < 64; k++) {
        unsigned long r = xorshift(&x), v = xorshift(&x);
        switch (r & 7) {
        case 4: v = special_d[(r >> 8) & 15]; break;
        case 5: v = special_s[(r >> 8) & 15] | (unsigned long)special_s[(r >> 12) & 15] << 32; break;
        case 6:
            v = 0;
            for (int h = 0; h < 4; h++)
                v |= (unsigned long)special_h[(r >> (8 + 4 * h)) & 15] << (16 * h);
            break;
        case 7: v >>= 60; break;
        }
        sweep_vinit[k] = v;
    }
    if (FP)
        __asm__ volatile("msr cpacr_el1, %%0\n\tisb" : : "r"(3UL << 20));
    for (int i = 0; i < N_WORDS; i++) {
        unsigned int w = sweep_words[i];
        const char *how = "";
        if (SYS && (w & 0xfff00000u) == 0xd5100000u) {
            /* MSR (register): write back what MRS of the same register
               reads; where that MRS is UNDEFINED, write XZR. */
            how = " via-mrs";
            if (run(w | 1u << 21, w, i)) {
                how = " with-xzr";
                run(w | 31, 0xd503201f, i);
            }
        } else {
            run(w, 0xd503201f, i);
        }
        unsigned long h = 0xcbf29ce484222325UL;
        for (int r = 0; r < 33; r++) {
            h ^= sweep_regs[r];
            h *= 0x100000001b3UL;
        }
        for (int r = 0; FP && r < 66; r++) {
            h ^= sweep_vregs[r];
            h *= 0x100000001b3UL;
        }
        if (sweep_trap[3]) {
            unsigned long esr = sweep_trap[0], ec = esr >> 26;
            int abort = ec == 0x20 || ec == 0x21 || ec == 0x22 || ec == 0x24 || ec == 0x25;
            unsigned long far = abort ? sweep_trap[2] : 0;
            printf("%%d %%08x%%s trap esr=%%08lx elr=slot+%%lx far=%%lx h=%%016lx\n", i, w, how, esr,
                   sweep_trap[1] - (unsigned long)sweep_slot, far, h);
        } else {
            printf("%%d %%08x%%s ok h=%%016lx\n", i, w, how, h);
        }
    }
    return 0;
}
"""

# The word runs at sweep_slot (word2 after it) with x0-x30 = scratch +
# 0x10000 + 0x80 * n, SP = scratch + 0x18000, the given NZCV and (--space
# fp) FPCR, FPSR = 0 and V0-V31 from sweep_vinit; ESR/ELR/SPSR/FAR_EL1 and
# TPIDR_EL0/EL1 (the handler's and sweep_after's scratch) are zeroed first,
# so that what a word reads of them does not depend on the words before it. The registers after it (or after its
# exception: the handler clobbers nothing but x0-x3, which it saves first)
# are stored to sweep_regs (and sweep_vregs).
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
    msr esr_el1, xzr
    msr elr_el1, xzr
    msr spsr_el1, xzr
    msr far_el1, xzr
    msr tpidr_el0, xzr
    msr tpidr_el1, xzr
    adr x10, sweep_slot
    stp w0, w1, [x10]
    dc cvau, x10
    dsb ish
    ic ivau, x10
    dsb ish
    isb
    clrex
%(fp_load)s    msr nzcv, x2
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
%(fp_save)s    adrp x9, sweep_save
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
    .global sweep_regs, sweep_vregs, sweep_vinit, sweep_trap
sweep_regs: .skip 34 * 8
sweep_vregs: .skip 66 * 8
sweep_vinit: .skip 64 * 8
sweep_trap: .skip 6 * 8
    .bss
    .balign 16
    .global sweep_scratch
sweep_scratch: .skip 0x40000
    .section .rodata
    .balign 4
    .global sweep_words
sweep_words:
"""

# --space fp: V0-V31 from sweep_vinit, FPCR from x3, FPSR = 0 (x9 is free
# until the general registers are set), and V0-V31, FPSR, FPCR saved after.
FP_LOAD = ("    msr fpcr, x3\n    msr fpsr, xzr\n    adrp x9, sweep_vinit\n    add x9, x9, :lo12:sweep_vinit\n"
           + "".join(f"    ldp q{n}, q{n + 1}, [x9, #{n * 16}]\n" for n in range(0, 32, 2)))
FP_SAVE = ("    adrp x1, sweep_vregs\n    add x1, x1, :lo12:sweep_vregs\n"
           + "".join(f"    stp q{n}, q{n + 1}, [x1, #{n * 16}]\n" for n in range(0, 32, 2))
           + "    mrs x2, fpsr\n    mrs x3, fpcr\n    add x1, x1, #512\n    stp x2, x3, [x1]\n")


def in_int_space(w):
    """Data-processing (immediate, register) and non-FP load/store words."""
    op0 = (w >> 25) & 0xf
    if op0 in (0b1010, 0b1011):  # branches, exception generation, system
        return False
    if op0 & 0b0111 == 0b0111:  # data processing, SIMD & FP
        return False
    if op0 & 0b0101 == 0b0100 and (w >> 26) & 1:  # loads/stores of SIMD&FP registers
        return False
    return True


def in_fp_space(w):
    """SIMD&FP data processing and loads/stores (bits 27:26 = 11)."""
    if (w >> 26) & 3 != 3:
        return False
    # LDP/LDNP (SIMD&FP), any indexing, with Rt == Rt2: CONSTRAINED
    # UNPREDICTABLE; Chimera takes the UNDEFINED choice, QEMU loads.
    if (w >> 25) & 0x1f == 0b10110 and (w >> 22) & 1 and w & 31 == (w >> 10) & 31:
        return False
    return True


def parse_system_table():
    """tests/data/aarch64/system_a57_el1.txt: (name, field ranges, access, tag) per line."""
    limits = (3, 7, 15, 15, 7)
    table = []
    with open(SYSTEM_TABLE) as f:
        for line in f:
            cols = line.split()
            if not cols or cols[0].startswith("#"):
                continue
            fields = []
            for text, top in zip(cols[1:6], limits):
                lo, _, hi = text.partition("-")
                fields.append((0, top) if text == "*" else (int(lo), int(hi or lo)))
            table.append((cols[0], fields, cols[6], cols[7] if len(cols) > 7 else None))
    return table


def sys_fields(w):
    return ((w >> 19) & 3, (w >> 16) & 7, (w >> 12) & 15, (w >> 8) & 15, (w >> 5) & 7)


def sys_entry(table, w):
    f = sys_fields(w)
    return next((e for e in table if all(lo <= v <= hi for v, (lo, hi) in zip(f, e[1]))), None)


def sys_allows(entry, w):
    """The file says QEMU executes w (MRS if L = 1, else MSR, SYS or an op0 = 0 instruction)."""
    if entry is None:
        return False
    read, access = (w >> 21) & 1, entry[2]
    if access == "x31":
        return not read and w & 31 == 31
    return {"r": read, "w": not read, "rw": True, "x": not read}[access]


def sys_unsafe(w):
    """WFI (waits forever) and MSR SPSel, #imm (moves the C runtime's stack)."""
    return w & 0xffffffff == 0xd503207f or w & 0xfffff0ff == 0xd50040bf


def sys_word(rng, table):
    """A word of the system class: half of them an encoding the table lists."""
    while True:
        if rng.random() < 0.5:
            entry = rng.choice(table)
            f = [rng.randint(lo, hi) for lo, hi in entry[1]]
            read = rng.random() < 0.1 if entry[2].startswith("x") else rng.getrandbits(1)
        else:
            f = [rng.getrandbits(b) for b in (2, 3, 4, 4, 3)]
            read = rng.getrandbits(1)
        op0 = f[0]
        w = 0xd5000000 | read << 21 | op0 << 19 | f[1] << 16 | f[2] << 12 | f[3] << 8 | f[4] << 5 | sys_rt(rng, op0, read)
        if not sys_unsafe(w):
            return w


def sys_rt(rng, op0, read):
    """Rt for a system-class word: mostly XZR for op0 = 0 (else UNDEFINED);
    not XZR for SYS (DC ZVA of address 0) and MSR (its pair writes back)."""
    if op0 == 0:
        return 31 if rng.random() < 0.75 else rng.randrange(32)
    return rng.randrange(31) if op0 == 1 or not read else rng.randrange(32)


def every_sys_word(rng):
    """Every encoding of the system class (L, op0, op1, CRn, CRm, op2) once,
    in random order; the unsafe ones with an Rt that makes them UNDEFINED."""
    out = []
    for fields in range(1 << 17):
        read, op0 = fields >> 16, (fields >> 14) & 3
        w = 0xd5000000 | fields << 5 | sys_rt(rng, op0, read)
        out.append(w if not sys_unsafe(w) else w & ~31 | rng.randrange(31))
    rng.shuffle(out)
    return out


def words_for(seed, n, space, table):
    rng = random.Random(seed)
    if n is None:
        return every_sys_word(rng)
    out = []
    while len(out) < n:
        if space == "sys":
            out.append(sys_word(rng, table))
            continue
        w = rng.getrandbits(32)
        if (in_fp_space if space == "fp" else in_int_space)(w):
            out.append(w)
    return out


def build(work, seed, words, space):
    n = len(words)
    c = os.path.join(work, f"sweep{seed}.c")
    s = os.path.join(work, f"sweep{seed}.S")
    elf = os.path.join(work, f"sweep{seed}.elf")
    with open(c, "w") as f:
        f.write(RUNTIME_C % {"n": n, "fp": int(space == "fp"), "sys": int(space == "sys")})
    with open(s, "w") as f:
        f.write(RUNTIME_S % {
            "setregs": "".join(f"    add x{n}, x0, #{n * 0x80}\n" for n in range(1, 31)),
            "saveregs": "".join(f"    stp x{n}, x{n + 1}, [x0, #{n * 8}]\n" for n in range(1, 29, 2)),
            "fp_load": FP_LOAD if space == "fp" else "",
            "fp_save": FP_SAVE if space == "fp" else "",
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


LINE = re.compile(r"(\d+) ([0-9a-f]{8})( via-mrs| with-xzr)? (ok|trap esr=([0-9a-f]{8}) elr=slot\+([0-9a-f]+) far=[0-9a-f]+) h=[0-9a-f]{16}$")


def per_word(out, words, who):
    """The output's line for each word, checked to be exactly one per word
    in order; raises ValueError naming the first missing or stray line."""
    lines = out.splitlines()
    for k, w in enumerate(words):
        m = LINE.match(lines[k]) if k < len(lines) else None
        if not m or int(m.group(1)) != k or int(m.group(2), 16) != w:
            got = repr(lines[k]) if k < len(lines) else "nothing more"
            raise ValueError(f"{who} printed {len(lines)} lines for {len(words)} words; "
                             f"line {k + 1} should be word {k} ({w:08x}), is {got}")
    if len(lines) != len(words):
        raise ValueError(f"{who} printed {len(lines)} lines for {len(words)} words")
    return lines


def undefined_at(line, offset):
    """The line is a trap with EC 0 (UNDEFINED) at slot + offset."""
    m = LINE.match(line)
    return m.group(5) is not None and int(m.group(5), 16) >> 26 == 0 and int(m.group(6), 16) == offset


def sys_verdicts(line, w):
    """{word: defined} for what the line shows: the MRS and the MSR of an
    MSR word's pair, else the word itself."""
    how = LINE.match(line).group(3)
    if how == " via-mrs":
        return {w | 1 << 21: True, w: not undefined_at(line, 4)}
    if how == " with-xzr":
        return {w | 1 << 21: False, w: not undefined_at(line, 0)}
    return {w: not undefined_at(line, 0)}


def check(seed, n, space, chimera, extra, table):
    """(seed, words, QEMU's lines, QEMU's traps, differences, known gaps,
    problem or None); n None: every encoding of the system class."""
    words = words_for(seed, n, space, table)
    with tempfile.TemporaryDirectory(prefix="undef-sweep-") as work:
        elf = build(work, seed, words, space)
        q = run([QEMU, "-M", "virt", "-cpu", "cortex-a57", "-nographic", "-nic", "none", "-monitor", "none",
                 "-serial", "stdio", "-kernel", elf])
        c = run([chimera, "run", "--machine", "virt", "--memory", "128M", "--kernel", elf, *extra])
    try:
        ql = per_word(q, words, "QEMU")
    except ValueError as e:
        return seed, len(words), 0, 0, [], 0, f"{e}\n{q[-800:]}"
    traps = sum(" trap " in line for line in ql)
    cl = c.splitlines()
    diffs, gaps = [], 0
    for k, w in enumerate(words):
        a = ql[k]
        b = cl[k] if k < len(cl) else "<missing>"
        if space == "sys":
            entry = sys_entry(table, w)
            wrong = [v for v, ok in sys_verdicts(a, w).items() if ok != sys_allows(sys_entry(table, v), v)]
            if wrong:
                diffs.append((w, a, "The file", f"{os.path.relpath(SYSTEM_TABLE, REPO)} says "
                              f"{' '.join(f'{v:08x}' for v in wrong)} {'is' if sys_allows(entry, wrong[0]) else 'is not'} defined"))
                continue
            if a == b:
                continue
            if entry and entry[3] == "gap" and LINE.match(b) and not any(sys_verdicts(b, w).values()):
                gaps += 1
                continue
            if entry and entry[3] in ("clock", "keeps-rt") and a[:-19] == b[:-19]:
                continue
        elif a == b:
            continue
        diffs.append((w, a, "Chimera", b))
    if len(cl) != len(words) and not diffs:
        diffs.append((words[-1], f"{len(words)} lines", "Chimera", f"{len(cl)} lines"))
    return seed, len(words), len(ql), traps, diffs, gaps, None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default="1-10", help="A-B (inclusive)")
    ap.add_argument("--words", type=int, default=4096, help="words per seed")
    ap.add_argument("--space", choices=("int", "fp", "sys"), default="int", help="encoding space (see above)")
    ap.add_argument("--all", action="store_true",
                    help="--space sys: every encoding of the class once per seed (2^17 words) instead of --words")
    ap.add_argument("--chimera-args", default="", help="extra flags for chimera")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    a, b = (int(x) for x in args.seeds.split("-"))
    chimera = os.path.join(REPO, "target", "release", "chimera")
    if not os.path.exists(chimera):
        sys.exit("undef_sweep.py: build Chimera first (cargo build --release)")
    if args.all and args.space != "sys":
        sys.exit("undef_sweep.py: --all is for --space sys")
    table = parse_system_table() if args.space == "sys" else None
    swept = total = trapped = gaps = 0
    bad, problems = [], []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
        futs = [ex.submit(check, s, None if args.all else args.words, args.space, chimera, args.chimera_args.split(), table)
                for s in range(a, b + 1)]
        for f in concurrent.futures.as_completed(futs):
            seed, words, lines, traps, diffs, known, problem = f.result()
            swept += words
            total += lines
            trapped += traps
            gaps += known
            if problem:
                problems.append(f"seed {seed}: {problem}")
            for w, qa, who, other in diffs[:20]:
                bad.append(f"seed {seed}: {w:08x} {disasm(w)}\n  QEMU:     {qa}\n  {who + ':':9} {other}")
    known = f", {gaps} on the gaps of {os.path.relpath(SYSTEM_TABLE, REPO)}" if args.space == "sys" else ""
    print(f"{b - a + 1} seeds, {total} of {swept} words ({trapped} trapped on QEMU), "
          f"{len(bad)} differences{known}")
    for line in problems + bad[:60]:
        print(line)
    sys.exit(1 if bad or problems or total != swept else 0)


if __name__ == "__main__":
    main()
