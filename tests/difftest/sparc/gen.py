#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""Random SPARC V8 test programs for differential testing against QEMU.

    gen.py SEED [--units N] > body.S

A program is a list of *units*: a unit is one instruction under test together
with the few instructions that set up its operands (an index register, a
value in Y, ...), or a self-contained piece of control flow (a loop, a nest of
SAVEs and RESTOREs, a call), so that any unit can be skipped by a forward
branch, or dropped when a difference is minimised, and every later unit still
works.

Registers: %g7 points into an 8 KiB region (save area + scratch buffer) and
is never written; %sp (%o6) and %fp (%i6) always hold valid stack pointers
(the window overflow/underflow handlers spill to them). Every other register
of every window, Y and the icc are seeded at random (with many special
values) and are fair game. Memory accesses compute their address from %g7,
so they stay inside the scratch buffer whatever came before. The generated
file defines `difftest_body` (install runtime.S's trap table, seed the
registers, run the units), `difftest_end` (store the visible registers, Y,
PSR, WIM and TBR to the save area and call `difftest_dump`), its subroutines
and data; runtime.c does the rest.

Python 3.11 standard library only. The program for a seed is the same for
every `--units`/`keep` choice: the random stream is consumed for all units
first, and only the emission is cut.
"""

import argparse
import random
import sys

REG_NAMES = [f"%{b}{n}" for b in "goli" for n in range(8)]
G7, SP, O7, FP, I7 = 7, 14, 15, 30, 31
# Never written: %g7 (the region pointer), %sp and %fp.
FIXED = {G7, SP, FP}
WRITABLE = [n for n in range(1, 32) if n not in FIXED]
# Even registers LDD can load (the pair must be writable; %g0 is allowed: its
# half is discarded).
LDD_RD = [n for n in range(0, 32, 2) if n + 1 not in FIXED and (n == 0 or n not in FIXED)]

CONDS = ["a", "n", "ne", "e", "g", "le", "ge", "l", "gu", "leu", "cc", "cs", "pos", "neg", "vc", "vs"]

SPECIAL = [
    0, 1, 2, 3, 4, 0xFFFFFFFF, 0xFFFFFFFE, 0x80000000, 0x7FFFFFFF, 0x80000001, 0x7FFFFFFE,
    31, 32, 33, 0xFF, 0xFFFF, 0x8000, 0x80, 0xFFFF8000, 0xFFFF0000, 0x10000,
    0x55555555, 0xAAAAAAAA, 0x01234567, 0xFFFFFFFC, 0x3FFFFFFF, 0x40000000, 0xC0000000,
]
M32 = 0xFFFFFFFF

# The region: save area [0, 256), scratch buffer [256, 8192); %g7 = region + 4096.
REGION = 8192
SAVE = 256
LO = SAVE - 4096  # lowest scratch offset from %g7
HI = REGION - 4096  # one past the highest
STACK = 0x4000  # the body's stack (the window handlers spill to it)
LOG_MAX = 1024

# ADDXcc and SUBXcc are in u_addx only (see there).
ALU = ["add", "addcc", "addx", "sub", "subcc", "subx", "and", "andcc", "andn", "andncc",
       "or", "orcc", "orn", "orncc", "xor", "xorcc", "xnor", "xnorcc"]
SHIFT = ["sll", "srl", "sra"]
MUL = ["umul", "umulcc", "smul", "smulcc"]
DIV = ["udiv", "udivcc", "sdiv", "sdivcc"]
TAG = ["taddcc", "tsubcc", "taddcctv", "tsubcctv"]
LOADS = {"ldsb": 1, "ldsh": 2, "ldub": 1, "lduh": 2, "ld": 4, "ldd": 8}
STORES = {"stb": 1, "sth": 2, "st": 4, "std": 8}
# Words that are illegal instructions on a LEON3 (V8 plus CASA; no FPU use
# here): UNIMP, and reserved op2/op3 values (V9 encodings). op2 = 7 (CBccc)
# is "coprocessor disabled" (tt 0x24).
ILLEGAL = [
    0x00000000 | 0x123,  # unimp 0x123
    0x00400000,  # op2 = 1 (V9 BPcc)
    0x00C00000,  # op2 = 3 (V9 BPr)
    0x01400000,  # op2 = 5 (V9 FBPfcc)
    0x01C00000,  # op2 = 7 (CBccc: coprocessor disabled)
    0x80480000,  # op3 = 0x09 (V9 MULX)
    0x80680000,  # op3 = 0x0d (V9 UDIVX)
    0x80C80000,  # op3 = 0x19 (unused)
    0x80E80000,  # op3 = 0x1d (unused)
    0x81600000,  # op3 = 0x2c (V9 MOVcc)
    0x81680000,  # op3 = 0x2d (V9 SDIVX)
    0x81700000,  # op3 = 0x2e (V9 POPC)
    0x81780000,  # op3 = 0x2f (V9 MOVr)
    0x81F00000,  # op3 = 0x3e (V9 DONE/RETRY)
    0x81F80000,  # op3 = 0x3f (unused)
]


def reg(n):
    return REG_NAMES[n]


class Gen:
    def __init__(self, seed, exclude=frozenset()):
        self.exclude = exclude
        self.r = random.Random(seed)
        self.seed = seed
        self.labels = 0
        self.subs = []  # (unit index, lines) of subroutines
        self.cur = 0  # the unit being generated (owner of new subroutines)
        # Branch unit index -> (label, how many units it skips).
        self.skips = {}

    # ---- random helpers ----------------------------------------------------

    def chance(self, p):
        return self.r.random() < p

    def value(self):
        """A 32-bit operand value, special ones often."""
        r = self.r
        k = r.random()
        if k < 0.45:
            v = r.choice(SPECIAL)
            if r.random() < 0.2:
                v = (v + r.choice([-1, 1])) & M32
            return v
        if k < 0.65:
            return r.randrange(0, 256)
        return r.getrandbits(32)

    def simm13(self):
        r = self.r
        k = r.random()
        if k < 0.3:
            return r.choice([0, 1, -1, 2, 31, 32, 33, 4095, -4096, 0xFF, -2, 3, 4, 8])
        if k < 0.6:
            return r.randrange(-64, 64)
        return r.randrange(-4096, 4096)

    def label(self, prefix="b"):
        self.labels += 1
        return f".L{prefix}{self.labels}"

    def dest(self, avoid):
        """A destination register, sometimes %g0."""
        if 0 not in avoid and self.chance(0.03):
            return 0
        while True:
            d = self.r.choice(WRITABLE)
            if d not in avoid:
                return d

    def src(self):
        if self.chance(0.05):
            return 0
        return self.r.randrange(32)

    def op2(self):
        """The second operand: a register or a simm13."""
        if self.chance(0.5):
            return reg(self.src())
        return str(self.simm13())

    def cond(self):
        return self.r.choice(CONDS)

    def scratch_offset(self, size, misalign=0.08):
        """An offset from %g7 of a `size`-byte access inside the scratch buffer."""
        off = self.r.randrange(LO, HI - 8)
        if size > 1 and self.chance(misalign):
            return (off & ~(size - 1)) + self.r.randrange(1, size)
        return off & ~(size - 1)

    # ---- single instructions (also used in delay slots) ---------------------

    def alu(self, avoid):
        op = self.r.choice(ALU)
        return f"{op} {reg(self.src())}, {self.op2()}, {reg(self.dest(avoid))}"

    def u_addx(self, avoid):
        """ADDXcc/SUBXcc after an ADDcc/SUBcc: QEMU 7.2 computes
        wrong icc for them when the last icc-setting instruction was a
        logical one, UMULcc/SMULcc or UDIVcc/SDIVcc (see README.md)."""
        first = self.r.choice(["addcc", "subcc"])
        lines = [f"{first} {reg(self.src())}, {self.op2()}, {reg(self.dest(avoid))}"]
        for _ in range(self.r.choice([1, 1, 2, 3])):
            op = self.r.choice(["addxcc", "subxcc", "addx", "subx"])
            lines.append(f"{op} {reg(self.src())}, {self.op2()}, {reg(self.dest(avoid))}")
        return lines

    def shift(self, avoid):
        op = self.r.choice(SHIFT)
        if self.chance(0.5):
            b = reg(self.src())
        else:
            b = str(self.r.choice([0, 1, 31, self.r.randrange(32)]))
        return f"{op} {reg(self.src())}, {b}, {reg(self.dest(avoid))}"

    def sethi(self, avoid):
        v = self.r.choice([0, self.r.getrandbits(22), 0x3FFFFF, 0x200000]) << 10
        return f"sethi %hi({v:#x}), {reg(self.dest(avoid))}"

    def mul(self, avoid):
        return f"{self.r.choice(MUL)} {reg(self.src())}, {self.op2()}, {reg(self.dest(avoid))}"

    def div(self, avoid):
        """A division with whatever Y holds (by zero too, which traps)."""
        op = self.r.choice(DIV)
        if self.chance(0.1):
            b = self.r.choice(["%g0", "0"])
        else:
            b = self.op2()
        return f"{op} {reg(self.src())}, {b}, {reg(self.dest(avoid))}"

    def tagged(self, avoid):
        return f"{self.r.choice(TAG)} {reg(self.src())}, {self.op2()}, {reg(self.dest(avoid))}"

    def ticc(self, avoid):
        """Ticc, `t<cond> imm`, `rs1 + imm` or `%g0 + rs2` (see u_ticc for
        rs1 + rs2)."""
        c = self.cond()
        k = self.r.random()
        if k < 0.4:
            return f"t{c} {self.r.randrange(128)}"
        if k < 0.8:
            return f"t{c} {reg(self.src())} + {self.r.randrange(-64, 128)}"
        return f"t{c} %g0 + {reg(self.src())}"

    def u_ticc(self, avoid):
        """Ticc rs1 + rs2, then a new value in rs1: QEMU 7.2 writes rs1 + rs2
        into rs1 when the trap is taken (see README.md)."""
        a = self.dest(set(avoid) | FIXED | {0})
        return [f"t{self.cond()} {reg(a)} + {reg(self.src())}", f"set {self.value():#x}, {reg(a)}"]

    def mem_single(self, avoid):
        """A load or store at %g7 + simm13 (misaligned sometimes)."""
        r = self.r
        k = r.random()
        if k < 0.45:
            op = r.choice(list(LOADS))
            size = LOADS[op]
            rd = r.choice([d for d in LDD_RD if d not in avoid and d + 1 not in avoid]) if op == "ldd" else self.dest(avoid)
            return f"{op} [%g7 + {self.scratch_offset(size)}], {reg(rd)}"
        if k < 0.85:
            op = r.choice(list(STORES))
            size = STORES[op]
            rd = r.randrange(0, 32, 2) if op == "std" else self.src()
            return f"{op} {reg(rd)}, [%g7 + {self.scratch_offset(size)}]"
        if k < 0.93:
            return f"ldstub [%g7 + {self.scratch_offset(1)}], {reg(self.dest(avoid))}"
        return f"swap [%g7 + {self.scratch_offset(4)}], {reg(self.dest(avoid))}"

    def rdspecial(self, avoid):
        sr = self.r.choice(["%y", "%y", "%y", "%psr", "%wim", "%tbr"])
        return f"rd {sr}, {reg(self.dest(avoid))}"

    def single(self, avoid, traps=True):
        """One instruction that is not a CTI and does not need setting up:
        what delay slots hold."""
        k = self.r.random()
        if k < 0.35:
            return self.alu(avoid)
        if k < 0.45:
            return self.shift(avoid)
        if k < 0.5:
            return self.sethi(avoid)
        if k < 0.58:
            return self.mul(avoid)
        if k < 0.64:
            return self.rdspecial(avoid)
        if k < 0.68:
            return "nop"
        if k < 0.85:
            return self.mem_single(avoid)
        if not traps:
            return self.alu(avoid)
        if k < 0.9:
            return self.div(avoid)
        if k < 0.95:
            return self.tagged(avoid)
        if k < 0.99:
            return self.ticc(avoid)
        return f".word {self.r.choice(ILLEGAL):#010x}"

    # ---- straight units: each returns a list of lines -----------------------

    def u_set(self, avoid):
        """A special value into a register."""
        return [f"set {self.value():#x}, {reg(self.dest(avoid))}"]

    def u_cmp(self, avoid):
        return [f"cmp {reg(self.src())}, {self.op2()}"]

    def u_wry(self, avoid):
        """WRY (rs1 XOR operand 2) and the three delay instructions."""
        if self.chance(0.5):
            t = self.dest(avoid | {0})
            return [f"set {self.value():#x}, {reg(t)}", f"wr {reg(t)}, %y", "nop", "nop", "nop"]
        return [f"wr {reg(self.src())}, {self.op2()}, %y", "nop", "nop", "nop"]

    def u_div(self, avoid):
        """A division with Y set up first: random, overflowing, or of a
        sign-extended dividend."""
        r = self.r
        t = self.dest(avoid | {0})
        a = self.dest(avoid | {0, t})
        lines = []
        k = r.random()
        if k < 0.3:
            y = self.value()
        elif k < 0.6:
            y = r.choice([0, M32])  # the usual sign/zero extension
        else:
            y = r.choice([1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, r.getrandbits(32)])
        lines.append(f"set {y:#x}, {reg(t)}")
        lines += [f"wr {reg(t)}, %y", "nop", "nop", "nop"]
        lines.append(f"set {self.value():#x}, {reg(a)}")
        op = r.choice(DIV)
        if self.chance(0.15):
            b = r.choice(["%g0", "0"])
        elif self.chance(0.4):
            b = str(r.choice([1, -1, 2, -2, 3, 7, -4096, 4095, r.randrange(-4096, 4096)]))
        else:
            b = reg(self.src())
        lines.append(f"{op} {reg(a)}, {b}, {reg(self.dest(avoid))}")
        return lines

    def u_mulscc(self, avoid):
        """A run of MULScc steps (the V7 multiply), Y set up first."""
        r = self.r
        t = self.dest(avoid | {0})
        lines = [f"set {self.value():#x}, {reg(t)}", f"wr {reg(t)}, %y", "nop", "nop", "nop"]
        if self.chance(0.5):
            lines.append(f"andcc {reg(t)}, 0, {reg(t)}")
        d = self.dest(avoid)
        b = reg(self.src()) if self.chance(0.6) else str(self.simm13())
        n = r.choice([1, 2, r.randrange(1, 34), 32, 33])
        for _ in range(n):
            s = reg(d) if self.chance(0.85) else reg(self.src())
            lines.append(f"mulscc {s}, {b}, {reg(d)}")
        if self.chance(0.6):
            lines.append(f"rd %y, {reg(self.dest(avoid))}")
        return lines

    def u_mem(self, avoid):
        """A load or store of any size, with a register base or index."""
        r = self.r
        k = r.random()
        if k < 0.4:
            op = r.choice(list(LOADS))
            size = LOADS[op]
        elif k < 0.8:
            op = r.choice(list(STORES))
            size = STORES[op]
        elif k < 0.9:
            op, size = "ldstub", 1
        else:
            op, size = "swap", 4
        off = self.scratch_offset(size, 0.1)
        x = self.dest(avoid | {0})
        form = r.random()
        if form < 0.35:
            # base = %g7 + delta, then [base + simm13]
            imm = r.randrange(max(-4096, off - 4000), min(4096, off + 4000))
            lines = [f"set {off - imm}, {reg(x)}", f"add %g7, {reg(x)}, {reg(x)}"]
            addr = f"{reg(x)} + {imm}" if imm else reg(x)
        elif form < 0.7:
            lines = [f"set {off}, {reg(x)}"]
            addr = f"%g7 + {reg(x)}" if self.chance(0.5) else f"{reg(x)} + %g7"
        else:
            # [base + index] with base = %g7 + delta
            y = self.dest(avoid | {0, x})
            idx = r.randrange(-8192, 8192)
            lines = [f"set {off - idx}, {reg(x)}", f"add %g7, {reg(x)}, {reg(x)}", f"set {idx & M32:#x}, {reg(y)}"]
            addr = f"{reg(x)} + {reg(y)}"
        if op == "ldd":
            if self.chance(0.03):
                # LDD with an odd rd: an illegal instruction (the assembler
                # refuses it, so it is encoded by hand).
                rd = r.randrange(1, 32, 2)
                lines.append(f".word {self.ldst_word(3, rd, addr):#010x} ! ldd [{addr}], {reg(rd)}")
                return lines
            rd = r.choice([d for d in LDD_RD if d not in avoid and d + 1 not in avoid])
            lines.append(f"ldd [{addr}], {reg(rd)}")
        elif op == "std":
            if self.chance(0.03):
                rd = r.randrange(1, 32, 2)
                lines.append(f".word {self.ldst_word(7, rd, addr):#010x} ! std {reg(rd)}, [{addr}]")
                return lines
            lines.append(f"std {reg(r.randrange(0, 32, 2))}, [{addr}]")
        elif op in LOADS or op in ("ldstub", "swap"):
            lines.append(f"{op} [{addr}], {reg(self.dest(avoid))}")
        else:
            lines.append(f"{op} {reg(self.src())}, [{addr}]")
        return lines

    @staticmethod
    def ldst_word(op3, rd, addr):
        """Encode op=3 `op3` rd, [addr] for addr 'rA + rB' or 'rA + imm' or 'rA'."""
        parts = [p.strip() for p in addr.split("+")]
        rs1 = REG_NAMES.index(parts[0])
        w = (3 << 30) | (rd << 25) | (op3 << 19) | (rs1 << 14)
        if len(parts) == 1:
            return w | (1 << 13)
        if parts[1].startswith("%"):
            return w | REG_NAMES.index(parts[1])
        return w | (1 << 13) | (int(parts[1]) & 0x1FFF)

    def u_icc(self, avoid):
        """Set the icc with WRPSR (and the three delay instructions)."""
        t = self.dest(avoid | {0})
        u = self.dest(avoid | {0, t})
        icc = self.r.randrange(16)
        return [f"rd %psr, {reg(t)}", f"sethi %hi(0xf00000), {reg(u)}", f"andn {reg(t)}, {reg(u)}, {reg(t)}",
                f"sethi %hi({icc << 20:#x}), {reg(u)}", f"wr {reg(t)}, {reg(u)}, %psr", "nop", "nop", "nop"]

    def u_flush(self, avoid):
        return [f"flush %g7 + {self.scratch_offset(4)}"] if self.chance(0.7) else ["stbar"]

    def u_fp(self, avoid):
        """An FPU instruction with PSR.EF = 0: fp disabled (tt 4)."""
        return [self.r.choice(["fadds %f0, %f1, %f2", f"ld [%g7 + {self.scratch_offset(4)}], %f3",
                               f"st %f4, [%g7 + {self.scratch_offset(4)}]", "fcmps %f0, %f1", "fitos %f5, %f6"])]

    def u_illegal(self, avoid):
        return [f".word {self.r.choice(ILLEGAL):#010x}"]

    def quiet(self, avoid):
        """One instruction that cannot trap and touches no memory."""
        k = self.r.random()
        if k < 0.55:
            return self.alu(avoid)
        if k < 0.7:
            return self.shift(avoid)
        if k < 0.8:
            return self.sethi(avoid)
        if k < 0.9:
            return self.mul(avoid)
        return self.rdspecial(avoid)

    def u_asi(self, avoid):
        """A load, store, LDSTUB or SWAP with an address space identifier:
        user/supervisor data (0x0a/0x0b), LEON's MMU bypass (0x1c) and the
        SPARC reference MMU's bypass (0x20), all plain RAM with the MMU off.
        Alternate space accesses exist only as [rs1 + rs2]."""
        r = self.r
        asi = r.choice([0x0A, 0x0B, 0x1C, 0x20])
        ops = {"lda": 4, "ldsba": 1, "ldsha": 2, "lduba": 1, "lduha": 2, "ldda": 8, "sta": 4, "stba": 1, "stha": 2,
               "stda": 8, "ldstuba": 1, "swapa": 4}
        op = r.choice(list(ops))
        x = self.dest(set(avoid) | {0})
        lines = [f"set {self.scratch_offset(ops[op], 0.1)}, {reg(x)}"]
        addr = f"[%g7 + {reg(x)}] {asi:#x}" if self.chance(0.5) else f"[{reg(x)} + %g7] {asi:#x}"
        if op == "ldda":
            rd = r.choice([d for d in LDD_RD if d not in avoid and d + 1 not in avoid])
            lines.append(f"ldda {addr}, {reg(rd)}")
        elif op == "stda":
            lines.append(f"stda {reg(r.randrange(0, 32, 2))}, {addr}")
        elif op.startswith("st"):
            lines.append(f"{op} {reg(self.src())}, {addr}")
        else:
            lines.append(f"{op} {addr}, {reg(self.dest(avoid))}")
        if self.chance(0.05):
            # The immediate form (i = 1) is an illegal instruction in V8.
            op3 = {"lda": 0x10, "lduba": 0x11, "sta": 0x14, "swapa": 0x1F}[r.choice(["lda", "lduba", "sta", "swapa"])]
            rd = self.dest(set(avoid) | {0})
            w = (3 << 30) | (rd << 25) | (op3 << 19) | (7 << 14) | (1 << 13) | (r.randrange(0, 64) * 4)
            lines.append(f".word {w:#010x} ! alternate space access with i = 1")
        return lines

    def u_cwp(self, avoid):
        """WRPSR to another window (CWP XOR 1-7), a few instructions there
        that cannot trap, and WRPSR back (which also restores the icc)."""
        t = self.r.choice([n for n in range(1, 7) if n not in avoid])
        # Only the globals and that window's locals are written: its ins and
        # outs are the neighbours' outs and ins, which may hold live return
        # addresses (%i7/%o7 of a subroutine or a recursion) or a loop
        # counter.
        av = set(avoid) | FIXED | {t} | set(range(8, 16)) | set(range(24, 32))
        lines = [f"rd %psr, {reg(t)}", f"wr {reg(t)}, {self.r.randrange(1, 8)}, %psr", "nop", "nop", "nop"]
        for _ in range(self.r.randrange(1, 5)):
            lines.append(self.quiet(av))
        return lines + [f"wr {reg(t)}, 0, %psr", "nop", "nop", "nop"]

    def u_badcwp(self, avoid):
        """WRPSR with CWP >= NWINDOWS: an illegal instruction trap, PSR unchanged."""
        t = self.dest(set(avoid) | FIXED | {0})
        return [f"rd %psr, {reg(t)}", f"wr {reg(t)}, {self.r.choice([8, 16, 24])}, %psr", "nop", "nop", "nop"]

    def u_smc(self, avoid):
        """Self-modifying code: a loop stores a new `add rd, n, rd` (n = the
        counter) over an instruction of its own, FLUSHes it, and jumps to it
        with JMP: QEMU 7.2 (no precise SMC on SPARC) runs the stale
        instruction if it is in the translation block of the store, however
        many instructions follow the FLUSH (see README.md)."""
        r = self.r
        c, t, a, d = r.sample([n for n in WRITABLE if n not in avoid], 4)
        lab, ins = self.label("smc"), self.label("smci")
        base = (2 << 30) | (d << 25) | (0x00 << 19) | (d << 14) | (1 << 13)
        n = r.choice([1, 2, r.randrange(1, 10), r.randrange(30, 60)])
        return [f"set {n}, {reg(c)}", f"{lab}:", f"set {base:#x}, {reg(t)}", f"or {reg(t)}, {reg(c)}, {reg(t)}",
                f"set {ins}, {reg(a)}", f"st {reg(t)}, [{reg(a)}]", f"flush {reg(a)}", f"jmp {reg(a)}", "nop",
                f"{ins}:", "nop", f"subcc {reg(c)}, 1, {reg(c)}", f"bne {lab}", "nop"]

    def pick(self, table):
        total = sum(w for w, _ in table)
        k = self.r.random() * total
        for w, f in table:
            k -= w
            if k < 0:
                return f
        return table[-1][1]

    def unit_straight(self, avoid):
        f = self.pick([
            (30, lambda a: [self.alu(a)]),
            (4, self.u_addx),
            (6, lambda a: [self.shift(a)]),
            (3, lambda a: [self.sethi(a)]),
            (6, self.u_set),
            (4, self.u_cmp),
            (5, lambda a: [self.mul(a)]),
            (5, self.u_div),
            (2, lambda a: [self.div(a)]),
            (2, self.u_mulscc),
            (3, self.u_wry),
            (2, lambda a: [self.rdspecial(a)]),
            (4, lambda a: [self.tagged(a)]),
            (12, self.u_mem),
            (6, lambda a: [self.mem_single(a)]),
            (2, lambda a: [self.ticc(a)]),
            (1, self.u_ticc),
            (2, self.u_icc),
            (0.5, self.u_flush),
            (0.3, self.u_fp),
            (0.5, self.u_illegal),
            (1.5, self.u_asi),
            (1, self.u_cwp),
            (0.3, self.u_badcwp),
        ])
        return f(set(avoid) | FIXED)

    # ---- control flow units --------------------------------------------------

    def u_branch(self, index, count):
        """Bicc forward over 1-4 units; the outcome is whatever the icc say."""
        lab = self.label()
        lines = [self.u_cmp(set())[0]] if self.chance(0.3) else []
        a = ",a" if self.chance(0.5) else ""
        lines += [f"b{self.cond()}{a} {lab}", self.single(FIXED)]
        self.skips[index] = (lab, self.r.randrange(1, 5))
        return lines

    def u_backward(self, avoid):
        """A backward Bicc with a random outcome: taken, it runs one
        instruction and rejoins."""
        l1, l2, l3 = self.label(), self.label(), self.label()
        a = ",a" if self.chance(0.5) else ""
        av = set(avoid) | FIXED
        return [f"ba,a {l2}", f"{l1}:", self.single(av), f"ba {l3}", self.single(av), f"{l2}:",
                f"b{self.cond()}{a} {l1}", self.single(av), f"{l3}:"]

    def u_dcti(self, avoid):
        """A DCTI couple: a Bicc in the delay slot of a Bicc (when both are
        taken, one instruction at the first target runs, as the "delay slot"
        of the second, then the second target). Every path rejoins at the end.

        The first branch is BA or BN, or has the annul bit: QEMU 7.2 gets the
        other couples wrong (a conditional first branch without annul: the
        second branch's delay slot is lost, or QEMU aborts on an assertion in
        sparc_tr_insn_start; see README.md)."""
        t1, t2, j = self.label(), self.label(), self.label()
        av = set(avoid) | FIXED
        c1 = self.cond()
        a1 = ",a" if c1 not in ("a", "n") or self.chance(0.4) else ""
        a2 = ",a" if self.chance(0.4) else ""
        return [f"b{c1}{a1} {t1}", f"b{self.cond()}{a2} {t2}", self.single(av), self.single(av),
                f"ba,a {j}", "nop", f"{t1}:", self.single(av), self.single(av), f"ba,a {j}", "nop",
                f"{t2}:", self.single(av), f"{j}:"]

    def u_loop(self, avoid):
        """A counted loop around 1-4 straight units, closed by a backward Bicc
        (with or without annul) that tests the counter."""
        r = self.r
        c = self.dest(set(avoid) | FIXED | {0})
        inner = set(avoid) | {c}
        lab = self.label("loop")
        n = r.choice([1, 2, 3, r.randrange(1, 12), r.randrange(30, 80)])
        a = ",a" if self.chance(0.4) else ""
        body = []
        for _ in range(r.randrange(1, 5)):
            body += self.unit_straight(inner)
        delay = self.single(inner | FIXED) if self.chance(0.7) else "nop"
        if self.chance(0.6):
            # Count down: every condition here loops while the counter > 0
            # (or >= 0: one more time).
            cond = r.choice(["ne", "g", "gu", "pos", "cc", "ge"])
            return [f"set {n}, {reg(c)}", f"{lab}:", *body, f"subcc {reg(c)}, 1, {reg(c)}", f"b{cond}{a} {lab}", delay]
        cond = r.choice(["l", "ne", "leu", "lu", "le", "cs"])
        limit = n if cond not in ("leu", "le") else n - 1
        return [f"mov 0, {reg(c)}", f"{lab}:", *body, f"add {reg(c)}, 1, {reg(c)}", f"cmp {reg(c)}, {limit}",
                f"b{cond}{a} {lab}", delay]

    def sub_body(self, avoid, units):
        lines = []
        for _ in range(units):
            lines += self.unit_straight(avoid)
        return lines

    def u_call(self, avoid):
        """CALL or JMPL to a subroutine: a leaf that returns with retl / jmpl
        through its link register, or one with its own window (save ... ret;
        restore)."""
        r = self.r
        lab = self.label("sub")
        av = set(avoid) | FIXED
        save_in_delay = False
        if self.chance(0.6):
            link = O7
            save_in_delay = self.chance(0.2)
            lines = [f"call {lab}", "save %sp, -96, %sp" if save_in_delay else self.single(av | {O7})]
        else:
            x = self.dest(av | {0})
            link = self.dest(av | {0})
            off = r.choice([0, 0, 0, 4, -4, 8, 16])
            mis = r.choice([1, 2, 3]) if self.chance(0.05) else 0
            # A misaligned target (mis): the JMPL traps (tt 7) and is skipped.
            # Its rd is %g0: QEMU 7.2 writes rd before it checks the
            # alignment (see README.md).
            if "misaligned-jmpl" in self.exclude:
                mis = 0
            if mis:
                link = 0
            lines = [f"set {lab} + {mis - off}, {reg(x)}"]
            lines.append(f"jmpl {reg(x)} + {off}, {reg(link)}" if off else f"jmpl {reg(x)}, {reg(link)}")
            lines.append(self.single(av | {link}))
        body = [f"{lab}:"]
        if save_in_delay:
            # The SAVE ran in the CALL's delay slot.
            body += self.sub_body(av | {I7}, r.randrange(0, 5))
            body += ["ret", self.restore(av)]
        elif link == O7 and self.chance(0.4):
            # Its own window: the caller's %o7 is the callee's %i7.
            body.append("save %sp, -96, %sp")
            body += self.sub_body(av | {I7}, r.randrange(0, 5))
            body += ["ret", self.restore(av)]
        else:
            body += self.sub_body(av | {link}, r.randrange(0, 5))
            body += [f"jmpl {reg(link)} + 8, %g0", self.single(av | {link})]
        self.subs.append((self.cur, body))
        return lines

    def save(self, avoid):
        """A SAVE whose new window has a valid %sp."""
        r = self.r
        k = r.random()
        if k < 0.7:
            return ["save %sp, -96, %sp"]
        if k < 0.85:
            return [f"save %sp, {-96 - 8 * r.randrange(0, 8)}, %sp"]
        # Any operands and destination (written in the new window), then a
        # valid %sp.
        d = self.dest(set(avoid) | FIXED)
        return [f"save {reg(self.src())}, {self.op2()}, {reg(d)}", "add %fp, -96, %sp"]

    def restore(self, avoid):
        """A RESTORE: operands from the inner window, rd in the outer one."""
        k = self.r.random()
        if k < 0.3:
            return "restore"
        return f"restore {reg(self.src())}, {self.op2()}, {reg(self.dest(set(avoid) | FIXED))}"

    def u_nest(self, avoid):
        """Balanced SAVEs and RESTOREs, 1-12 deep (the windows overflow and
        underflow), with straight units (and calls) at every level."""
        r = self.r
        depth = r.choice([1, 2, 3, r.randrange(1, 13), r.randrange(6, 13)])
        lines = []
        for _ in range(depth):
            lines += self.save(set())
            for _ in range(r.randrange(0, 3)):
                lines += self.unit_straight(set()) if self.chance(0.9) else self.u_call(set())
        for _ in range(depth):
            lines.append(self.restore(set()))
            for _ in range(r.randrange(0, 3)):
                lines += self.unit_straight(set())
        return lines

    def u_recursion(self, avoid):
        """Call a recursive subroutine (its own window per level) 1-20 deep."""
        r = self.r
        lab = self.label("rec")
        depth = r.choice([1, 2, r.randrange(1, 21), r.randrange(8, 21)])
        out = self.label()
        lines = [f"mov {depth}, %o0", f"call {lab}", self.single({O7, 8} | FIXED)]
        av = FIXED | {I7}
        body = [f"{lab}:", "save %sp, -96, %sp"]
        body += self.sub_body(av | {24}, r.randrange(0, 3))
        body += ["subcc %i0, 1, %o0", f"ble {out}", self.single(av | {8, 24}, traps=False), f"call {lab}",
                 self.single(av | {8, O7})]
        body += self.sub_body(av, r.randrange(0, 3))
        body += [f"{out}:", "ret", self.restore(av)]
        self.subs.append((self.cur, body))
        return lines

    def unit(self, index, count):
        self.cur = index
        k = self.r.random()
        if k < 0.09:
            return self.u_branch(index, count)
        if k < 0.12:
            return self.u_backward(set())
        if k < 0.14:
            return self.u_dcti(set())
        if k < 0.17:
            return self.u_loop(set())
        if k < 0.21:
            return self.u_call(set())
        if k < 0.25:
            return self.u_nest(set())
        if k < 0.265:
            return self.u_recursion(set())
        if k < 0.272:
            return self.u_smc(FIXED)
        return self.unit_straight(set())


class Program:
    """The generated program of one seed: its units and initial state."""

    def __init__(self, seed, count, icc, y, ginit, winit, units, subs, text):
        self.seed = seed
        self.count = count
        self.icc = icc
        self.y = y
        self.ginit = ginit
        self.winit = winit
        self.units = units
        self.subs = subs
        self.text = text


# What --exclude can leave out (Chimera differences not yet fixed).
EXCLUDABLE = ["misaligned-jmpl"]


def generate(seed, keep=None, exclude=frozenset()):
    """The program for `seed`; `keep` (a set of unit indices) drops the other
    units (and their subroutines) from its text; `exclude` (names from
    EXCLUDABLE) leaves some instruction forms out."""
    g = Gen(seed, exclude)
    r = g.r
    count = r.randrange(120, 260)
    icc = r.randrange(16)
    y = g.value()
    ginit = [0] + [g.value() for _ in range(1, 7)]
    # 8 windows x (%l0-%l7, %o0-%o7): every windowed register.
    winit = [[g.value() for _ in range(16)] for _ in range(8)]
    units = [g.unit(i, count) for i in range(count)]
    label_at = {}
    for i, (lab, skip) in g.skips.items():
        label_at.setdefault(min(i + skip + 1, count), []).append(lab)

    out = []
    emit = out.append
    emit(f"! difftest program, seed {seed}, {count} units (tests/difftest/sparc/gen.py)")
    emit("    .text")
    emit("    .balign 4")
    emit("    .global difftest_body")
    emit("difftest_body:")
    emit("    set difftest_traps, %g1")
    emit("    wr %g1, %tbr")
    emit("    wr %g0, %wim")
    emit("    nop")
    emit("    nop")
    emit("    nop")
    # Seed the locals and outs of all 8 windows (the ins are the outs of the
    # next one): 8 SAVEs with WIM = 0 come back to the starting window.
    emit("    set difftest_winit, %g1")
    emit("    .rept 8")
    for k in range(0, 16, 2):
        emit(f"    ldd [%g1 + {4 * k}], {reg(16 + k) if k < 8 else reg(8 + k - 8)}")
    emit("    add %g1, 64, %g1")
    emit("    save")
    emit("    .endr")
    emit(f"    set difftest_stack + {STACK - 96}, %sp")
    # WIM: the window above the current one is invalid (7 usable windows).
    emit("    rd %psr, %g1")
    emit("    and %g1, 0x1f, %g1")
    emit("    add %g1, 1, %g1")
    emit("    and %g1, 7, %g1")
    emit("    mov 1, %g2")
    emit("    sll %g2, %g1, %g2")
    emit("    wr %g2, %wim")
    emit(f"    set {y:#x}, %g1")
    emit("    wr %g1, %y")
    emit("    rd %psr, %g1")
    emit("    sethi %hi(0xf00000), %g2")
    emit("    andn %g1, %g2, %g1")
    emit(f"    sethi %hi({icc << 20:#x}), %g2")
    emit("    wr %g1, %g2, %psr")
    emit("    nop")
    emit("    nop")
    emit("    nop")
    emit("    set difftest_ginit, %g7")
    for n in range(1, 7):
        emit(f"    ld [%g7 + {4 * n}], %g{n}")
    emit("    set difftest_region + 4096, %g7")
    pending = []
    for i, lines in enumerate(units):
        pending += label_at.get(i, [])
        if keep is not None and i not in keep:
            continue
        for lab in pending:
            emit(f"{lab}:")
        pending = []
        emit(f"u{i}:")
        for line in lines:
            emit(line if line.endswith(":") else "    " + line.replace("+ -", "- "))
    pending += label_at.get(len(units), [])
    for lab in pending:
        emit(f"{lab}:")
    # Save every visible register, Y, PSR, WIM and TBR at %g7 - 4096 (the
    # fatal trap handler comes here too, in the trapped window).
    emit("    .global difftest_end")
    emit("difftest_end:")
    for n in range(32):
        emit(f"    st {reg(n)}, [%g7 - {4096 - 4 * n}]")
    for k, sr in enumerate(["%y", "%psr", "%wim", "%tbr"]):
        emit(f"    rd {sr}, %g1")
        emit(f"    st %g1, [%g7 - {4096 - 4 * (32 + k)}]")
    # The dump runs with WIM = 0 (no window traps) on a stack of its own.
    emit("    wr %g0, %wim")
    emit("    nop")
    emit("    nop")
    emit("    nop")
    emit("    set difftest_dump_stack + 0x2000 - 96, %sp")
    emit("    call difftest_dump")
    emit("    add %g7, -4096, %o0")
    for i, body in g.subs:
        if keep is not None and i not in keep:
            continue
        emit("    .balign 16")
        for line in body:
            emit(line if line.endswith(":") else "    " + line.replace("+ -", "- "))
    emit("    .data")
    emit("    .balign 8")
    emit("    .global difftest_fill_seed")
    emit(f"difftest_fill_seed: .word {(seed * 0x9E3779B9 + 1) & M32:#x}")
    emit("difftest_ginit:")
    emit("    .word " + ", ".join(f"{v:#x}" for v in ginit))
    emit("    .balign 8")
    emit("difftest_winit:")
    for w in winit:
        emit("    .word " + ", ".join(f"{v:#x}" for v in w))
    emit("    .bss")
    emit("    .balign 8")
    emit("    .global difftest_region")
    emit(f"difftest_region: .skip {REGION}")
    emit(f"difftest_stack: .skip {STACK}")
    emit("difftest_dump_stack: .skip 0x2000")
    return Program(seed, count, icc, y, ginit, winit, units, g.subs, "\n".join(out) + "\n")


def parse_exclude(text):
    names = frozenset(n for n in text.split(",") if n)
    bad = names - set(EXCLUDABLE)
    if bad:
        raise SystemExit(f"unknown --exclude name(s): {', '.join(sorted(bad))} (known: {', '.join(EXCLUDABLE)})")
    return names


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("seed", type=int)
    ap.add_argument("--units", type=int, help="emit only the first N units")
    ap.add_argument("--exclude", default="", help="comma-separated forms to leave out: " + ", ".join(EXCLUDABLE))
    args = ap.parse_args()
    keep = None if args.units is None else set(range(args.units))
    sys.stdout.write(generate(args.seed, keep, parse_exclude(args.exclude)).text)


if __name__ == "__main__":
    main()
