#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""Random A64 test programs (integer; FP/SIMD too with --fp) for differential testing against QEMU.

    gen.py SEED [--units N] [--cpu max] [--fp] > body.S

A program is a list of *units*: a unit is one instruction under test together
with the few instructions that set up its operands (a base register pointing
into the scratch buffer, an index register, a special value), so that any unit
can be skipped by a forward branch, or dropped when a difference is minimised,
and every later unit still sees valid addresses.

Registers: X28 holds the middle of a 64 KiB scratch buffer and is never
written; every other X register, SP and NZCV are seeded at random (with many
special values) and are fair game. Memory accesses always recompute their base
from X28, so they stay inside the buffer whatever came before. The generated
file defines `difftest_body` (seed registers, run the units, store X0-X30, SP
and NZCV to `difftest_save`, call `difftest_dump`) plus its subroutines,
literals and the scratch buffer; runtime.c does the rest.

With --fp the program also enables FP/SIMD, seeds V0-V31, FPCR and FPSR,
mixes FP/SIMD units (fpgen.py) into the body and saves V0-V31, FPSR and
FPCR for the dump; without it the programs are exactly what they were before
--fp existed.

Python 3.11 standard library only. The program for a seed is the same for
every `--units`/`keep` choice: the random stream is consumed for all units
first, and only the emission is cut.
"""

import argparse
import random
import sys

from fpgen import FPMixin

SCRATCH_SIZE = 0x10000
SCRATCH_HALF = SCRATCH_SIZE // 2
# Targets of memory accesses stay within +-REACH of X28 (leaving room for a
# pair of 8-byte accesses and writeback).
REACH = SCRATCH_HALF - 0x100

CONDS = ["eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"]

SPECIAL = [
    0, 1, 2, 3, 0xFFFFFFFFFFFFFFFF, 0xFFFFFFFFFFFFFFFE, 0x8000000000000000, 0x7FFFFFFFFFFFFFFF,
    0x80000000, 0x7FFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF80000000, 0x100000000, 0xFFFFFFFF7FFFFFFF,
    31, 32, 33, 63, 64, 65, 0xFF, 0xFFFF, 0x8000, 0x80, 0xFFFFFFFFFFFF8000, 0x00000000FFFF0000,
    0x5555555555555555, 0xAAAAAAAAAAAAAAAA, 0x0123456789ABCDEF,
]

BASE = 28  # the scratch pointer, never written
FPFILL = 1024  # --fp: words of the scratch buffer that get special floats
RESUME_MARK = 0xF9F9  # --fp: MOVZ XZR, #RESUME_MARK before a random word
M64 = (1 << 64) - 1


def decode_bit_masks(n, imms, immr, datasize):
    """DecodeBitMasks() for a logical immediate; None if reserved."""
    combined = (n << 6) | (~imms & 0x3F)
    if combined == 0:
        return None
    length = combined.bit_length() - 1
    if length < 1 or (1 << length) > datasize:
        return None
    levels = (1 << length) - 1
    if imms & levels == levels:
        return None
    s, r = imms & levels, immr & levels
    esize = 1 << length
    welem = (1 << (s + 1)) - 1
    emask = (1 << esize) - 1
    rot = ((welem >> r) | (welem << (esize - r))) & emask if r else welem
    out = 0
    for pos in range(0, datasize, esize):
        out |= rot << pos
    return out


def rn(n, sf):
    """Register name, 31 = zero register."""
    if n == 31:
        return "xzr" if sf else "wzr"
    return f"x{n}" if sf else f"w{n}"


def rs(n, sf):
    """Register name, 31 = stack pointer."""
    if n == 31:
        return "sp" if sf else "wsp"
    return f"x{n}" if sf else f"w{n}"


class Gen(FPMixin):
    def __init__(self, seed, lse=False, fp=False):
        self.r = random.Random(seed)
        self.seed = seed
        self.lse = lse
        self.fp = fp
        self.vlits = []  # 16-byte literals (FP/SIMD programs)
        self.labels = 0
        self.subs = []  # subroutine bodies (lists of lines)
        self.lits = []  # literal quads
        # Branch unit index -> how many units it skips (for label placement).
        self.skips = {}

    # ---- random helpers ----------------------------------------------------

    def chance(self, p):
        return self.r.random() < p

    def value(self):
        """A 64-bit operand value, special ones often."""
        r = self.r
        k = r.random()
        if k < 0.45:
            v = r.choice(SPECIAL)
            if r.random() < 0.2:
                v = (v + r.choice([-1, 1])) & M64
            return v
        if k < 0.6:
            return r.randrange(0, 256)
        if k < 0.75:
            return r.getrandbits(32) | (r.choice([0, M64 ^ 0xFFFFFFFF]) if r.random() < 0.5 else 0)
        return r.getrandbits(64)

    def label(self, prefix="b"):
        """A new assembler-local label (kept out of the disassembly)."""
        self.labels += 1
        return f".L{prefix}{self.labels}"

    def dest(self, avoid, zr=True):
        """A destination register: X0-X27, X29, X30, sometimes XZR."""
        while True:
            if zr and self.chance(0.04):
                return 31
            d = self.r.choice(list(range(28)) + [29, 30])
            if d not in avoid:
                return d

    def src(self):
        """A source register: any X register, sometimes XZR."""
        if self.chance(0.05):
            return 31
        return self.r.randrange(31)

    def sf(self):
        return self.chance(0.6)

    def cond(self):
        return self.r.choice(CONDS)

    # ---- setting a register to an address in the scratch buffer ------------

    def set_addr(self, reg, delta):
        """Lines setting X`reg` (31 = SP) to X28 + delta."""
        name = rs(reg, True)
        op = "add" if delta >= 0 else "sub"
        mag = abs(delta)
        hi, lo = mag >> 12, mag & 0xFFF
        lines = []
        if hi:
            lines.append(f"{op} {name}, x28, #{hi}, lsl #12")
            if lo:
                lines.append(f"{op} {name}, {name}, #{lo}")
        else:
            lines.append(f"{op} {name}, x28, #{lo}")
        return lines

    def target(self, align):
        """A target offset from X28, aligned to `align` most of the time."""
        t = self.r.randrange(-REACH, REACH)
        if self.chance(0.08):
            # Straddle a page boundary (X28 is page aligned).
            return (t & ~0xFFF) - self.r.randrange(1, 16)
        if align > 1 and self.chance(0.8):
            t &= ~(align - 1)
        return t

    def base_reg(self, avoid):
        """The base register of an access: SP sometimes, else a scratch X register."""
        if 31 not in avoid and self.chance(0.15):
            return 31
        while True:
            b = self.r.randrange(28)
            if b not in avoid:
                return b

    # ---- unit generators: each returns a list of lines ----------------------

    def u_addsub_imm(self, avoid):
        sf, s = self.sf(), self.chance(0.5)
        op = self.r.choice(["add", "sub"]) + ("s" if s else "")
        imm = self.r.choice([0, 1, self.r.randrange(4096), 4095])
        sh = ", lsl #12" if self.chance(0.2) else ""
        n = self.r.choice([self.src(), 31]) if self.chance(0.5) else self.src()
        # Register 31 is SP for Rn, and for Rd unless flags are set.
        if s:
            d = self.dest(avoid)
            return [f"{op} {rn(d, sf)}, {rs(n, sf)}, #{imm}{sh}"]
        if self.chance(0.08) and 31 not in avoid:
            d = 31
        else:
            d = self.dest(avoid, zr=False)
        return [f"{op} {rs(d, sf)}, {rs(n, sf)}, #{imm}{sh}"]

    def u_addsub_shifted(self, avoid):
        sf = self.sf()
        op = self.r.choice(["add", "sub", "adds", "subs"])
        kind = self.r.choice(["lsl", "lsr", "asr"])
        amt = self.r.choice([0, 1, self.r.randrange(32 << sf), (32 << sf) - 1])
        d, n, m = self.dest(avoid), self.src(), self.src()
        return [f"{op} {rn(d, sf)}, {rn(n, sf)}, {rn(m, sf)}, {kind} #{amt}"]

    def u_addsub_ext(self, avoid):
        sf = self.sf()
        s = self.chance(0.5)
        op = self.r.choice(["add", "sub"]) + ("s" if s else "")
        ext = self.r.choice(["uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx"])
        amt = self.r.randrange(5)
        m = self.src()
        mreg = rn(m, sf and ext.endswith("x"))
        n = 31 if self.chance(0.3) else self.src()
        if s:
            d = self.dest(avoid)
            dname = rn(d, sf)
        else:
            d = 31 if (self.chance(0.1) and 31 not in avoid) else self.dest(avoid, zr=False)
            dname = rs(d, sf)
        return [f"{op} {dname}, {rs(n, sf)}, {mreg}, {ext} #{amt}"]

    def u_logical_imm(self, avoid):
        sf = self.sf()
        width = 64 if sf else 32
        while True:
            n = self.r.randrange(2) if sf else 0
            imm = decode_bit_masks(n, self.r.randrange(64), self.r.randrange(64), width)
            if imm is not None:
                break
        op = self.r.choice(["and", "orr", "eor", "ands"])
        src = self.src()
        if op != "ands" and self.chance(0.05) and 31 not in avoid:
            dname = rs(31, sf)
        else:
            dname = rn(self.dest(avoid, zr=op == "ands"), sf)
        return [f"{op} {dname}, {rn(src, sf)}, #{imm:#x}"]

    def u_logical_shifted(self, avoid):
        sf = self.sf()
        op = self.r.choice(["and", "orr", "eor", "bic", "orn", "eon", "ands", "bics"])
        kind = self.r.choice(["lsl", "lsr", "asr", "ror"])
        amt = self.r.choice([0, self.r.randrange(32 << sf), (32 << sf) - 1])
        d, n, m = self.dest(avoid), self.src(), self.src()
        return [f"{op} {rn(d, sf)}, {rn(n, sf)}, {rn(m, sf)}, {kind} #{amt}"]

    def u_movewide(self, avoid):
        sf = self.sf()
        op = self.r.choice(["movz", "movn", "movk"])
        hw = self.r.randrange(4 if sf else 2)
        imm = self.r.choice([0, 0xFFFF, 0x8000, self.r.randrange(0x10000)])
        return [f"{op} {rn(self.dest(avoid), sf)}, #{imm:#x}, lsl #{hw * 16}"]

    def u_pcrel(self, avoid):
        d = self.dest(avoid)
        if self.chance(0.5):
            off = self.r.randrange(-(1 << 20), 1 << 20)
            return [f"adr {rn(d, True)}, . + {off}"]
        off = self.r.randrange(-(1 << 20), 1 << 20) * 4096 + self.r.randrange(4096)
        return [f"adrp {rn(d, True)}, . + {off}"]

    def u_bitfield(self, avoid):
        sf = self.sf()
        w = 64 if sf else 32
        d, n = self.dest(avoid), self.src()
        D, N = rn(d, sf), rn(n, sf)
        k = self.r.random()
        if k < 0.5:
            op = self.r.choice(["sbfm", "bfm", "ubfm"])
            r, s = self.r.randrange(w), self.r.randrange(w)
            return [f"{op} {D}, {N}, #{r}, #{s}"]
        if k < 0.65:
            op = self.r.choice(["lsl", "lsr", "asr"])
            return [f"{op} {D}, {N}, #{self.r.randrange(w)}"]
        if k < 0.8:
            op = self.r.choice(["sxtb", "sxth", "uxtb", "uxth"] + (["sxtw"] if sf else []))
            return [f"{op} {D}, {rn(n, False)}"]
        op = self.r.choice(["sbfx", "ubfx", "sbfiz", "ubfiz", "bfi", "bfxil"])
        lsb = self.r.randrange(w)
        width = self.r.randrange(1, w - lsb + 1)
        return [f"{op} {D}, {N}, #{lsb}, #{width}"]

    def u_extr(self, avoid):
        sf = self.sf()
        w = 64 if sf else 32
        d, n, m = self.dest(avoid), self.src(), self.src()
        if self.chance(0.3):
            return [f"ror {rn(d, sf)}, {rn(n, sf)}, #{self.r.randrange(w)}"]
        return [f"extr {rn(d, sf)}, {rn(n, sf)}, {rn(m, sf)}, #{self.r.randrange(w)}"]

    def u_carry(self, avoid):
        sf = self.sf()
        op = self.r.choice(["adc", "adcs", "sbc", "sbcs"])
        d, n, m = self.dest(avoid), self.src(), self.src()
        return [f"{op} {rn(d, sf)}, {rn(n, sf)}, {rn(m, sf)}"]

    def u_ccmp(self, avoid):
        sf = self.sf()
        op = self.r.choice(["ccmp", "ccmn"])
        n = self.src()
        nzcv = self.r.randrange(16)
        if self.chance(0.5):
            return [f"{op} {rn(n, sf)}, #{self.r.randrange(32)}, #{nzcv}, {self.cond()}"]
        return [f"{op} {rn(n, sf)}, {rn(self.src(), sf)}, #{nzcv}, {self.cond()}"]

    def u_csel(self, avoid):
        sf = self.sf()
        op = self.r.choice(["csel", "csinc", "csinv", "csneg"])
        d, n, m = self.dest(avoid), self.src(), self.src()
        return [f"{op} {rn(d, sf)}, {rn(n, sf)}, {rn(m, sf)}, {self.cond()}"]

    def u_mul(self, avoid):
        d = self.dest(avoid)
        k = self.r.random()
        if k < 0.4:
            sf = self.sf()
            op = self.r.choice(["madd", "msub"])
            return [f"{op} {rn(d, sf)}, {rn(self.src(), sf)}, {rn(self.src(), sf)}, {rn(self.src(), sf)}"]
        if k < 0.8:
            op = self.r.choice(["smaddl", "smsubl", "umaddl", "umsubl"])
            return [f"{op} {rn(d, True)}, {rn(self.src(), False)}, {rn(self.src(), False)}, {rn(self.src(), True)}"]
        op = self.r.choice(["smulh", "umulh"])
        return [f"{op} {rn(d, True)}, {rn(self.src(), True)}, {rn(self.src(), True)}"]

    def u_div(self, avoid):
        sf = self.sf()
        op = self.r.choice(["udiv", "sdiv"])
        d, n, m = self.dest(avoid), self.src(), self.src()
        lines = []
        # Often force the corner operands: x/0 and MIN/-1.
        k = self.r.random()
        if k < 0.35 and n not in avoid | {31, BASE} and m not in avoid | {31, BASE} and n != m:
            lines.append(f"ldr {rn(n, True)}, ={(0x8000000000000000 if sf else 0x80000000) if self.chance(0.7) else self.value():#x}")
            lines.append(f"ldr {rn(m, True)}, ={self.r.choice([M64, 0, 1, 0xFFFFFFFF]):#x}")
        return lines + [f"{op} {rn(d, sf)}, {rn(n, sf)}, {rn(m, sf)}"]

    def u_shiftv(self, avoid):
        sf = self.sf()
        op = self.r.choice(["lslv", "lsrv", "asrv", "rorv"])
        d, n, m = self.dest(avoid), self.src(), self.src()
        return [f"{op} {rn(d, sf)}, {rn(n, sf)}, {rn(m, sf)}"]

    def u_onesrc(self, avoid):
        sf = self.sf()
        ops = ["clz", "cls", "rbit", "rev", "rev16"] + (["rev32"] if sf else [])
        return [f"{self.r.choice(ops)} {rn(self.dest(avoid), sf)}, {rn(self.src(), sf)}"]

    def u_special(self, avoid):
        """Load a special value into a register (keeps operands interesting)."""
        d = self.dest(avoid, zr=False)
        return [f"ldr {rn(d, True)}, ={self.value():#x}"]

    def u_nzcv(self, avoid):
        if self.chance(0.5):
            return [f"mrs {rn(self.dest(avoid), True)}, nzcv"]
        return [f"msr nzcv, {rn(self.src(), True)}"]

    def u_misc(self, avoid):
        return [self.r.choice(["nop", "dmb ish", "dsb sy", "isb", "yield", "clrex", "dmb ishld", "prfm pldl1keep, [x28]", "sevl", "sev"])]

    # ---- loads and stores ---------------------------------------------------

    def ldst_single(self):
        """(mnemonic stem, bytes, kind) with kind 'st', 'ld' or 'lds'."""
        return self.r.choice([
            ("strb", 1, "st", False), ("strh", 2, "st", False), ("str", 4, "st", False), ("str", 8, "st", True),
            ("ldrb", 1, "ld", False), ("ldrh", 2, "ld", False), ("ldr", 4, "ld", False), ("ldr", 8, "ld", True),
            ("ldrsb", 1, "lds", False), ("ldrsb", 1, "lds", True), ("ldrsh", 2, "lds", False),
            ("ldrsh", 2, "lds", True), ("ldrsw", 4, "lds", True),
        ])

    def u_ldst(self, avoid):
        stem, size, kind, xreg = self.ldst_single()
        mode = self.r.choice(["uimm", "uimm", "unscaled", "pre", "post", "reg", "reg", "unpriv"])
        wb = mode in ("pre", "post")
        b = self.base_reg(avoid)
        if kind == "st":
            t = self.src()
            while wb and t == b:
                t = self.src()
        else:
            t = self.dest(avoid)
            while t == b:
                t = self.dest(avoid)
        treg = rn(t, xreg)
        bname = rs(b, True)
        tgt = self.target(size)
        lines = []
        if mode == "uimm":
            imm = self.r.choice([0, self.r.randrange(64), self.r.randrange(min(4096, 0x4000 // size))]) * size
            lines += self.set_addr(b, tgt - imm)
            lines.append(f"{stem} {treg}, [{bname}, #{imm}]")
        elif mode in ("unscaled", "unpriv", "pre", "post"):
            imm = self.r.randrange(-256, 256)
            if mode == "post":
                lines += self.set_addr(b, tgt)
                lines.append(f"{stem} {treg}, [{bname}], #{imm}")
            else:
                lines += self.set_addr(b, tgt - imm)
                if mode == "pre":
                    lines.append(f"{stem} {treg}, [{bname}, #{imm}]!")
                else:
                    s = stem.replace("ldr", "ldur").replace("str", "stur") if mode == "unscaled" else stem.replace("ldr", "ldtr").replace("str", "sttr")
                    lines.append(f"{s} {treg}, [{bname}, #{imm}]")
        else:
            # Register offset: index X`i` with random junk above the part the
            # extension reads.
            i = self.base_reg(avoid | {b, 31})
            while kind != "st" and i == t:
                i = self.base_reg(avoid | {b, 31})
            ext = self.r.choice(["uxtw", "sxtw", "lsl", "sxtx"])
            scale = {1: 0, 2: 1, 4: 2, 8: 3}[size]
            sh = self.r.choice([0, scale]) if size > 1 else self.r.choice([0, None])
            s = sh or 0
            if ext == "uxtw":
                e = self.r.randrange(0, 0x3000) >> s << s
                idx = (self.r.getrandbits(32) << 32) | (e >> s)
            elif ext == "sxtw":
                e = self.r.randrange(-0x3000, 0x3000) >> s << s
                idx = (self.r.getrandbits(32) << 32) | ((e >> s) & 0xFFFFFFFF)
            else:
                e = self.r.randrange(-0x3000, 0x3000) >> s << s
                idx = (e >> s) & M64
            lines += self.set_addr(b, tgt - e)
            lines.append(f"ldr {rn(i, True)}, ={idx:#x}")
            ireg = rn(i, ext in ("lsl", "sxtx"))
            amount = "" if sh is None else f" #{sh}"
            if ext == "lsl" and sh is None:
                lines.append(f"{stem} {treg}, [{bname}, {ireg}]")
            else:
                lines.append(f"{stem} {treg}, [{bname}, {ireg}, {ext}{amount}]")
        return lines

    def u_pair(self, avoid):
        op, size, xreg = self.r.choice([
            ("stp", 4, False), ("stp", 8, True), ("ldp", 4, False), ("ldp", 8, True), ("ldpsw", 4, True),
            ("stnp", 4, False), ("stnp", 8, True), ("ldnp", 4, False), ("ldnp", 8, True),
        ])
        np = "np" in op
        mode = "off" if np else self.r.choice(["off", "pre", "post"])
        wb = mode != "off"
        b = self.base_reg(avoid)
        load = op.startswith("ld")
        while True:
            if load:
                t1, t2 = self.dest(avoid), self.dest(avoid)
                if t1 == t2 or (wb and b in (t1, t2)) or 31 in (t1, t2) and b == 31:
                    continue
            else:
                t1, t2 = self.src(), self.src()
                if wb and b in (t1, t2):
                    continue
            break
        imm = self.r.randrange(-64, 64) * size
        tgt = self.target(size)
        bname = rs(b, True)
        regs = f"{rn(t1, xreg)}, {rn(t2, xreg)}"
        if mode == "post":
            return self.set_addr(b, tgt) + [f"{op} {regs}, [{bname}], #{imm}"]
        lines = self.set_addr(b, tgt - imm)
        bang = "!" if mode == "pre" else ""
        return lines + [f"{op} {regs}, [{bname}, #{imm}]{bang}"]

    def u_literal(self, avoid):
        lab = f"lit{len(self.lits)}"
        self.lits.append((lab, self.value() if self.chance(0.5) else self.r.getrandbits(64)))
        d = self.dest(avoid)
        k = self.r.randrange(4)
        if k == 0:
            return [f"ldr {rn(d, True)}, {lab}"]
        if k == 1:
            return [f"ldr {rn(d, False)}, {lab}"]
        if k == 2:
            return [f"ldrsw {rn(d, True)}, {lab}"]
        return [f"prfm pldl1keep, {lab}"]

    def u_acqrel(self, avoid):
        stem, size, xreg = self.r.choice([
            ("ldarb", 1, False), ("ldarh", 2, False), ("ldar", 4, False), ("ldar", 8, True),
            ("stlrb", 1, False), ("stlrh", 2, False), ("stlr", 4, False), ("stlr", 8, True),
        ])
        b = self.base_reg(avoid)
        t = self.dest(avoid) if stem.startswith("ld") else self.src()
        tgt = self.target(size) & ~(size - 1)
        return self.set_addr(b, tgt) + [f"{stem} {rn(t, xreg)}, [{rs(b, True)}]"]

    def u_exclusive(self, avoid):
        """A load-exclusive, a few instructions, maybe a CLREX or a store to the
        location, then a store-exclusive (mostly to the same address)."""
        pair = self.chance(0.25)
        if pair:
            size, xreg = self.r.choice([(4, False), (8, True)])
            lsz = ""
        else:
            size, lsz, xreg = self.r.choice([(1, "b", False), (2, "h", False), (4, "", False), (8, "", True)])
        b = self.base_reg(avoid)
        align = size * (2 if pair else 1)
        tgt = self.target(align) & ~(align - 1)
        lines = self.set_addr(b, tgt)
        ld = self.r.choice(["ldxr", "ldaxr"])
        if pair:
            while True:
                t1, t2 = self.dest(avoid | {b}), self.dest(avoid | {b})
                if t1 != t2:
                    break
            ld = ld.replace("xr", "xp")
            lines.append(f"{ld} {rn(t1, xreg)}, {rn(t2, xreg)}, [{rs(b, True)}]")
        else:
            t = self.dest(avoid | {b})
            lines.append(f"{ld}{lsz} {rn(t, xreg)}, [{rs(b, True)}]")
        for _ in range(self.r.randrange(3)):
            lines += self.u_alu(avoid | {b})
        k = self.r.random()
        if k < 0.1:
            lines.append("clrex")
        elif k < 0.2:
            # A plain store to the monitored location (may or may not change it).
            lines.append(f"str{lsz} {rn(self.src(), xreg)}, [{rs(b, True)}]")
        if not pair and self.chance(0.1):
            # A store-exclusive wider than the load-exclusive. (Not narrower:
            # QEMU 7.2 then compares the truncated value, stores, and yet
            # reports failure from the untruncated one.)
            size, lsz, xreg = self.r.choice([c for c in [(1, "b", False), (2, "h", False), (4, "", False), (8, "", True)] if c[0] >= size])
            tgt &= ~(size - 1)
            align = size
        if self.chance(0.15):
            tgt = self.target(align) & ~(align - 1)
        lines += self.set_addr(b, tgt)
        st = self.r.choice(["stxr", "stlxr"])
        while True:
            s = self.dest(avoid | {b}, zr=False)
            if pair:
                t1, t2 = self.src(), self.src()
                if s not in (t1, t2):
                    break
            else:
                t = self.src()
                if s != t:
                    break
        if pair:
            lines.append(f"{st.replace('xr', 'xp')} {rn(s, False)}, {rn(t1, xreg)}, {rn(t2, xreg)}, [{rs(b, True)}]")
        else:
            lines.append(f"{st}{lsz} {rn(s, False)}, {rn(t, xreg)}, [{rs(b, True)}]")
        return lines

    # ---- ARMv8.1 LSE atomics (--cpu max) -------------------------------------

    LSE_OPS = ["add", "clr", "eor", "set", "smax", "smin", "umax", "umin"]
    LSE_SIZES = [(1, "b", False), (2, "h", False), (4, "", False), (8, "", True)]

    def lse_insn(self, kind, size, b, avoid):
        """(setup lines, instruction) of one LSE atomic of `kind` ('ld', 'st',
        'swp', 'cas', 'casp') on `size` bytes (per register) at [X`b`], with
        every ordering variant. Registers the instruction writes avoid
        `avoid`, X28 and the base."""
        r = self.r
        bname = rs(b, True)
        sz = {1: "b", 2: "h", 4: "", 8: ""}[size]
        x = size == 8
        lines = []
        if kind in ("ld", "swp"):
            order = r.choice(["", "a", "l", "al"])
            op = r.choice(self.LSE_OPS) if kind == "ld" else ""
            mnem = f"ld{op}{order}{sz}" if kind == "ld" else f"swp{order}{sz}"
            t = self.dest(avoid | {b})
            return lines, f"{mnem} {rn(self.src(), x)}, {rn(t, x)}, [{bname}]"
        if kind == "st":
            mnem = f"st{r.choice(self.LSE_OPS)}{r.choice(['', 'l'])}{sz}"
            return lines, f"{mnem} {rn(self.src(), x)}, [{bname}]"
        order = r.choice(["", "a", "l", "al"])
        if kind == "cas":
            s = self.dest(avoid | {b})
            if s != 31 and self.chance(0.5):
                # Expect what memory holds (the swap succeeds), sometimes
                # with junk above the compared bits.
                lines.append(f"ldr{sz} {rn(s, x)}, [{bname}]")
                if size < 8 and self.chance(0.3):
                    lines.append(f"orr {rn(s, True)}, {rn(s, True)}, #{r.choice([1 << 63, 0xFFFFFFFF00000000, 0xFF00]):#x}"
                                 if size < 4 else f"orr {rn(s, True)}, {rn(s, True)}, #0x8000000000000000")
            return lines, f"cas{order}{sz} {rn(s, x)}, {rn(self.src(), x)}, [{bname}]"
        # CASP: Rs and Rt even; Rs, Rs+1 are written.
        while True:
            s = r.randrange(0, 32, 2)
            if not ({s, s + 1} & (avoid | {b, BASE})):
                break
        t = r.randrange(0, 32, 2)
        if self.chance(0.5):
            lines.append(f"ldp {rn(s, x)}, {rn(s + 1, x)}, [{bname}]" if s != 30 else f"ldr {rn(30, x)}, [{bname}]")
            if self.chance(0.2):
                lines.append(f"eor {rn(s + 1 if s != 30 else s, True)}, {rn(s + 1 if s != 30 else s, True)}, #1")
        return lines, f"casp{order} {rn(s, x)}, {rn(s + 1, x)}, {rn(t, x)}, {rn(t + 1, x)}, [{bname}]"

    def u_lse(self, avoid):
        """One LSE atomic on an aligned location of the scratch buffer,
        sometimes after storing a special value there (min/max boundaries)."""
        r = self.r
        kind = r.choice(["ld", "ld", "ld", "st", "swp", "cas", "cas", "casp"])
        if kind == "casp":
            size, suffix, x = r.choice([(4, "", False), (8, "", True)])
            align = 2 * size
        else:
            size, suffix, x = r.choice(self.LSE_SIZES)
            align = size
        b = self.base_reg(avoid)
        tgt = self.target(align) & ~(align - 1)
        lines = self.set_addr(b, tgt)
        if self.chance(0.25):
            lines.append(f"str{suffix} {rn(self.src(), x)}, [{rs(b, True)}]")
        setup, insn = self.lse_insn(kind, size, b, avoid)
        return lines + setup + [insn]

    # ---- control flow -------------------------------------------------------

    def branch_insn(self, lab):
        k = self.r.random()
        if k < 0.35:
            return f"b.{self.cond()} {lab}"
        if k < 0.55:
            sf = self.sf()
            return f"{self.r.choice(['cbz', 'cbnz'])} {rn(self.src(), sf)}, {lab}"
        if k < 0.85:
            sf = self.sf()
            return f"{self.r.choice(['tbz', 'tbnz'])} {rn(self.src(), sf)}, #{self.r.randrange(64 if sf else 32)}, {lab}"
        return f"b {lab}"

    def u_call(self, avoid):
        """BL (or ADR + BLR) to a new straight-line subroutine that ends in
        RET (or copies X30 and returns with RET Xn)."""
        lab = f"sub{len(self.subs)}"
        body, inner = [], avoid | {30}
        k = None
        if self.chance(0.2):
            k = self.dest(inner, zr=False)
            inner = inner | {k}
            body.append(f"mov x{k}, x30")
        for _ in range(self.r.randrange(1, 6)):
            body += self.unit_straight(inner)
        body.append("ret" if k is None else f"ret x{k}")
        self.subs.append((lab, body))
        if self.chance(0.7) or 30 in avoid:
            return [f"bl {lab}"]
        # BLR X30 branches to the old X30.
        t = 30 if self.chance(0.3) else self.dest(avoid | {30}, zr=False)
        return [f"adr {rn(t, True)}, {lab}", f"blr {rn(t, True)}"]

    def u_smc(self, avoid):
        """Self-modifying code done right (ARM ARM B2.4.4): a two-iteration
        loop whose first instruction is rewritten by the first iteration, with
        DC CVAU / DSB / IC IVAU / DSB / ISB before it runs again."""
        regs = []
        while len(regs) < 4:
            x = self.dest(avoid, zr=False)
            if x not in regs and x != 30:
                regs.append(x)
        a, v, c, d = regs
        top, slot = self.label("smc"), self.label("slot")
        if self.chance(0.5):
            new = 0xD2800000 | (self.r.randrange(4) << 21) | (self.r.randrange(0x10000) << 5) | d  # MOVZ Xd
        else:
            new = 0x91000000 | (self.r.randrange(4096) << 10) | (d << 5) | d  # ADD Xd, Xd, #imm
        return [
            f"mov w{c}, #2", f"{top}:", f"{slot}:", f"movz x{d}, #{self.r.randrange(0x10000):#x}",
            f"adr x{a}, {slot}", f"ldr w{v}, ={new:#x}", f"str w{v}, [x{a}]",
            f"dc cvau, x{a}", "dsb ish", f"ic ivau, x{a}", "dsb ish", "isb",
            f"sub w{c}, w{c}, #1", f"cbnz w{c}, {top}",
        ]

    def u_unpredictable(self, avoid):
        """CONSTRAINED UNPREDICTABLE forms where Chimera follows QEMU 7.2 (see
        frontends/aarch64/src/translate/loadstore.rs): LDP with Rt == Rt2,
        loads and stores with writeback and Rt == Rn."""
        b = self.base_reg(avoid | {31})
        tgt = self.target(8)
        imm = self.r.randrange(-32, 32) * 8
        k = self.r.randrange(4)
        if k == 0:
            t = self.dest(avoid | {b, 31}, zr=False)
            op, sz = self.r.choice([("ldp", 8), ("ldp", 4), ("ldpsw", 4)])
            reg = rn(t, op == "ldpsw" or sz == 8)
            return self.set_addr(b, tgt - imm) + [f"{op} {reg}, {reg}, [x{b}, #{imm}]"]
        mode = self.r.choice(["pre", "post"])
        addr = f"[x{b}, #{imm}]!" if mode == "pre" else f"[x{b}], #{imm}"
        lines = self.set_addr(b, tgt - imm if mode == "pre" else tgt)
        if k == 1:
            stem, sf = self.r.choice([("ldrb", False), ("ldrh", False), ("ldr", False), ("ldr", True), ("ldrsw", True), ("ldrsb", True)])
            return lines + [f"{stem} {rn(b, sf)}, {addr}"]
        if k == 2:
            stem, sf = self.r.choice([("strb", False), ("strh", False), ("str", False), ("str", True)])
            return lines + [f"{stem} {rn(b, sf)}, {addr}"]
        other = self.src()
        while other == b:
            other = self.src()
        if self.chance(0.5):
            t1, t2 = (b, other) if self.chance(0.5) else (other, b)
            return lines + [f"stp x{t1}, {rn(t2, True)}, {addr}" if t1 != 31 else f"stp xzr, x{t2}, {addr}"]
        other = self.dest(avoid | {b, 31}, zr=False)
        t1, t2 = (b, other) if self.chance(0.5) else (other, b)
        return lines + [f"ldp x{t1}, x{t2}, {addr}"]

    def u_loop(self, avoid):
        """A counted loop of straight-line units (one-block and multi-block)."""
        c = self.dest(avoid, zr=False)
        n = self.r.randrange(1, 12) if self.chance(0.8) else self.r.randrange(40, 120)
        top = self.label("loop")
        lines = [f"mov {rn(c, False)}, #{n}", f"{top}:"]
        for _ in range(self.r.randrange(1, 5)):
            lines += self.unit_straight(avoid | {c})
        k = self.r.randrange(3)
        if k == 0:
            lines += [f"sub {rn(c, False)}, {rn(c, False)}, #1", f"cbnz {rn(c, False)}, {top}"]
        elif k == 1:
            lines += [f"subs {rn(c, False)}, {rn(c, False)}, #1", f"b.ne {top}"]
        else:
            # Two blocks per iteration: a forward branch inside the loop.
            skip = self.label("in")
            lines += [self.branch_insn(skip)] + self.unit_straight(avoid | {c}) + [f"{skip}:"]
            lines += [f"sub {rn(c, False)}, {rn(c, False)}, #1", f"cbnz {rn(c, False)}, {top}"]
        return lines

    # ---- the faulting unit ------------------------------------------------

    def u_fault(self, align_faults):
        """An instruction that takes a synchronous exception: the handler
        dumps the registers as they were before it, plus ESR/ELR/FAR."""
        r = self.r
        kinds = ["undef", "svc", "brk", "hlt", "pcalign"] + (["align"] * 2 if align_faults else [])
        if self.lse and align_faults:
            kinds += ["lse_align"] * 2
        k = r.choice(kinds)
        if k == "svc":
            return [f"svc #{r.randrange(0x10000):#x}"]
        if k == "brk":
            return [f"brk #{r.randrange(0x10000):#x}"]
        if k == "hlt":
            return [f"hlt #{r.randrange(0x10000):#x}"]
        if k == "pcalign":
            t = self.dest(set(), zr=False)
            lab = self.label("pc")
            return [f"adr {rn(t, True)}, {lab} + {r.randrange(1, 4)}", f"{r.choice(['br', 'blr'])} {rn(t, True)}", f"{lab}:"]
        if k == "lse_align":
            # LSE atomics need natural alignment (CASP: of the pair).
            b = self.base_reg(set())
            kind = r.choice(["ld", "st", "swp", "cas", "casp"])
            size = r.choice([4, 8]) if kind == "casp" else r.choice([2, 4, 8])
            align = 2 * size if kind == "casp" else size
            tgt = self.target(1) | r.randrange(1, align)
            setup, insn = self.lse_insn(kind, size, b, set())
            # The setup loads of CAS/CASP would fault first: drop them.
            return self.set_addr(b, tgt) + [insn]
        if k == "align":
            # Exclusives and acquire/release need natural alignment (ARM ARM B2.5.2).
            b = self.base_reg(set())
            size = r.choice([2, 4, 8, 16])
            tgt = self.target(1) | r.randrange(1, min(size, 8))
            # Not the store-exclusives: QEMU 7.2 checks their alignment only
            # when the monitor matches, and then reports a read (WnR = 0);
            # the architecture (AArch64.ExclusiveMonitorsPass) and Chimera
            # always fault, as a write.
            op = r.choice(["ldxr", "ldaxr", "ldar", "stlr"] if size < 16 else ["ldxp", "ldaxp"])
            x = size >= 8
            suffix = {2: "h", 4: "", 8: "", 16: ""}[size]
            t = self.dest({b}, zr=False)
            if op in ("ldxp", "ldaxp"):
                regs = f"x{t}, x{(t + 1) % 28 if (t + 1) % 28 != b else (t + 2) % 28}"
            else:
                regs = rn(t, x)
            return self.set_addr(b, tgt) + [f"{op}{suffix} {regs}, [{rs(b, True)}]"]
        # UNDEFINED: reserved encodings of the integer classes (ARM ARM C4.1).
        d, n, m = r.randrange(31), r.randrange(32), r.randrange(32)
        rd_rn = d | (n << 5)
        two_source = [0, 1, 4, 5, 6, 7, 13, 14, 15] if self.lse else [0, 1, 4, 5, 6, 7, 12, 13, 14, 15]
        reserved = [
            0x00000000,  # UDF #0
            0x12400000 | (r.randrange(64) << 16) | (r.randrange(64) << 10) | rd_rn,  # AND (imm) W with N=1
            0x92400000 | (r.randrange(64) << 16) | (0x3F << 10) | rd_rn,  # AND (imm) X, imms all ones
            0x52800000 | (r.choice([2, 3]) << 21) | (r.randrange(0x10000) << 5) | d,  # MOVZ W, hw >= 2
            0x93000000 | (r.randrange(64) << 16) | (r.randrange(64) << 10) | rd_rn,  # SBFM X with N=0
            0x13000000 | (r.randrange(32, 64) << 16) | (r.randrange(32) << 10) | rd_rn,  # SBFM W, immr >= 32
            0x13800000 | (m << 16) | (r.randrange(32, 64) << 10) | rd_rn,  # EXTR W, imms >= 32
            0x0A000000 | (m << 16) | (r.randrange(32, 64) << 10) | rd_rn,  # AND (reg) W, imm6 >= 32
            0x0BC00000 | (m << 16) | (r.randrange(32) << 10) | rd_rn,  # ADD (shifted), shift = 3
            0x8B200000 | (m << 16) | (r.randrange(8) << 13) | (r.choice([5, 6, 7]) << 10) | rd_rn,  # ADD (ext), imm3 > 4
            0xF8600800 | (m << 16) | (r.choice([0, 1, 4, 5]) << 13) | rd_rn,  # LDR (reg), option<1> = 0
            0xB9C00000 | (r.randrange(4096) << 10) | rd_rn,  # LDRSW-like, size=10 opc=11
            0xE9400000 | (r.randrange(128) << 15) | (m << 10) | rd_rn,  # LDP, opc = 11
            0x68400000 | (r.randrange(128) << 15) | (m << 10) | rd_rn,  # LDPSW no-allocate
            0xFA400000 | (m << 16) | (r.randrange(16) << 12) | (1 << 10) | (n << 5) | r.randrange(16),  # CCMP o2 = 1
            0x9A800800 | (m << 16) | (r.randrange(16) << 12) | (r.randrange(2) << 10) | rd_rn,  # CSEL op2 = 1x
            # 2-source unallocated; on QEMU's max, opcode 12 is PACGA (pointer
            # authentication, which Chimera's max does not have).
            0x9AC00000 | (m << 16) | (r.choice(two_source) << 10) | rd_rn,
            # 1-source, opcode2 != 0; on QEMU's max, opcode2 = 1 is PAC*/AUT*.
            0xDAC00000 | (r.randrange(2 if self.lse else 1, 32) << 16) | (r.randrange(6) << 10) | rd_rn,
            0x5AC00C00 | rd_rn,  # REV with sf = 0, opc = 11
            0x9B600000 | (m << 16) | (r.randrange(32) << 10) | rd_rn,  # 3-source op31 = 011
        ]
        return [f".inst {r.choice(reserved):#010x}"]

    # ---- unit mix ---------------------------------------------------------

    ALU = [
        ("u_addsub_imm", 6), ("u_addsub_shifted", 5), ("u_addsub_ext", 5), ("u_logical_imm", 5),
        ("u_logical_shifted", 5), ("u_movewide", 3), ("u_pcrel", 1), ("u_bitfield", 6), ("u_extr", 2),
        ("u_carry", 4), ("u_ccmp", 4), ("u_csel", 4), ("u_mul", 4), ("u_div", 3), ("u_shiftv", 3),
        ("u_onesrc", 3), ("u_special", 4), ("u_nzcv", 1),
    ]
    MEM = [("u_ldst", 12), ("u_pair", 5), ("u_literal", 1), ("u_acqrel", 2), ("u_exclusive", 2)]
    MEM_LSE = [("u_lse", 6)]
    # FP/SIMD units (--fp): about two thirds of the straight-line units.
    FP = [
        ("u_fp_sysreg", 3), ("u_fp_flags", 6), ("u_fp_vspecial", 16), ("u_fp_fpcr_loop", 3), ("u_fp_arith", 16), ("u_fp_cvt", 4), ("u_fp_cmp", 6),
        ("u_fp_csel", 2), ("u_fp_fmov", 6), ("u_fp_int", 8), ("u_fp_recip", 4),
        ("u_simd_three_same", 16), ("u_simd_scalar_three", 6), ("u_simd_three_diff", 8), ("u_simd_misc", 14),
        ("u_simd_scalar_misc", 6), ("u_simd_across", 5), ("u_simd_copy", 8), ("u_simd_elem", 7),
        ("u_simd_imm", 4), ("u_simd_shift", 10), ("u_simd_perm", 6), ("u_simd_crypto", 4),
        ("u_fp_ldst", 12), ("u_fp_pair", 5), ("u_fp_struct", 8),
    ]

    def pick(self, table):
        total = sum(w for _, w in table)
        x = self.r.randrange(total)
        for name, w in table:
            if x < w:
                return name
            x -= w
        raise AssertionError

    def u_alu(self, avoid):
        return getattr(self, self.pick(self.ALU))(avoid)

    def unit_straight(self, avoid):
        """A unit without branches (for subroutines, loops)."""
        table = self.ALU + self.MEM + (self.MEM_LSE if self.lse else []) + [("u_misc", 1)] + (self.FP if self.fp else [])
        return getattr(self, self.pick(table))(avoid)

    def unit(self, index, count):
        """Unit `index` of the body: straight-line code or control flow."""
        k = self.r.random()
        if k < 0.08 and index + 1 < count:
            lab = self.label()
            self.skips[index] = (lab, self.r.randrange(1, 5))
            if self.chance(0.1):
                t = self.dest(set(), zr=False)
                return [f"adr {rn(t, True)}, {lab}", f"br {rn(t, True)}"]
            return [self.branch_insn(lab)]
        if k < 0.11:
            return self.u_call(set())
        if k < 0.13:
            return self.u_loop(set())
        if k < 0.135:
            return self.u_smc(set())
        if k < 0.145:
            return self.u_unpredictable(set())
        return self.unit_straight(set())


class Program:
    """The generated program of one seed: its units and initial state."""

    def __init__(self, seed, count, nzcv, init, sp_delta, units, text, vinit=None, fpcr=None):
        self.seed = seed
        self.vinit = vinit
        self.fpcr = fpcr
        self.sp_delta = sp_delta
        self.count = count
        self.nzcv = nzcv
        self.init = init
        self.units = units
        self.text = text


def generate(seed, keep=None, fault_share=0.3, align_faults=True, lse=False, fp=False):
    """The program for `seed`; `keep` (a set of unit indices) drops the other
    units from its text. In a `fault_share` of the programs one unit ends
    with an instruction that takes an exception (`align_faults`: including
    misaligned load-exclusives and acquire/release). `lse` adds the ARMv8.1
    LSE atomics (for `-cpu max` / `--cpu max`), also among the misaligned
    faulting instructions. `fp` enables FP/SIMD, seeds V0-V31 and FPCR and
    mixes FP/SIMD units into the body (fpgen.py); the programs without it
    are the same as before it existed."""
    g = Gen(seed, lse, fp)
    r = g.r
    count = r.randrange(150, 320)
    nzcv = r.randrange(16) << 28
    init = {n: g.value() for n in range(31) if n != BASE}
    sp_delta = r.randrange(-0x4000, 0x4000) & ~0xF
    vinit = [g.vec128() for _ in range(32)] if fp else None
    fpcr = g.fpcr_value() if fp else None
    # --fp: special floats written over random words of the scratch buffer.
    fpfill = [(r.randrange(SCRATCH_SIZE // 8) * 8, g.fp_word64()) for _ in range(FPFILL)] if fp else None
    units = [g.unit(i, count) for i in range(count)]
    # The faulting unit comes from its own stream, so the rest of the program
    # does not depend on the fault options.
    g.r = random.Random(seed * 7919 + 17)
    if g.chance(fault_share):
        j = g.r.randrange(count)
        units[j] = units[j] + g.u_fault(align_faults)
    if fp:
        # Words from the SIMD&FP data-processing space, from a stream of
        # their own: 3-12 random ones (allocated or not) and 0-2 encodings
        # of extensions a Cortex-A57 lacks, each after the marker MOVZ XZR,
        # #RESUME_MARK: the handler logs an UNDEFINED one (ESR, ELR) and
        # resumes after it. Not with `lse` (--cpu max): QEMU's max has those
        # extensions (FP16, RDM, dot product, ...) and Chimera's max does not.
        g.r = random.Random(seed * 104729 + 7)
        if not lse:
            words = [g.fp_random_word() for _ in range(g.r.randrange(3, 13))]
            words += [g.fp_undef_word() for _ in range(g.r.randrange(3))]
            for w in words:
                j = g.r.randrange(count)
                units[j] = units[j] + [f"movz xzr, #{RESUME_MARK:#x}", f".inst {w:#010x}"]
    # Labels a forward branch targets: placed before unit index + skip + 1,
    # or at the end.
    label_at = {}
    for i, (lab, skip) in g.skips.items():
        label_at.setdefault(min(i + skip + 1, count), []).append(lab)

    out = []
    emit = out.append
    emit(f"// difftest program, seed {seed}, {count} units (tests/difftest/aarch64/gen.py{' --cpu max' if lse else ''}{' --fp' if fp else ''})")
    if fp:
        emit("    .arch armv8-a+crypto")
    if lse:
        emit("    .arch_extension lse")
    emit("    .text")
    emit("    .balign 4096")
    emit("    .global difftest_body")
    emit("difftest_body:")
    emit("    adrp x28, difftest_scratch")
    emit("    add x28, x28, :lo12:difftest_scratch")
    emit(f"    add x28, x28, #{SCRATCH_HALF >> 12}, lsl #12")
    emit("    adr x0, difftest_vectors")
    emit("    msr vbar_el1, x0")
    emit("    isb")
    if fp:
        # Enable FP/SIMD (CPACR_EL1.FPEN = 0b11), set FPCR, clear FPSR, load
        # V0-V31, and put special floats into the scratch buffer.
        emit("    mrs x0, cpacr_el1")
        emit("    orr x0, x0, #0x300000")
        emit("    msr cpacr_el1, x0")
        emit("    isb")
        emit(f"    ldr x0, ={fpcr:#x}")
        emit("    msr fpcr, x0")
        emit("    msr fpsr, xzr")
        emit("    adrp x0, difftest_vinit")
        emit("    add x0, x0, :lo12:difftest_vinit")
        for n in range(0, 32, 2):
            emit(f"    ldp q{n}, q{n + 1}, [x0, #{16 * n}]")
        emit("    adrp x0, difftest_fpfill")
        emit("    add x0, x0, :lo12:difftest_fpfill")
        emit(f"    sub x3, x28, #{SCRATCH_HALF >> 12}, lsl #12")
        emit(f"    mov x4, #{FPFILL}")
        emit("1:  ldp x1, x2, [x0], #16")
        emit("    str x2, [x3, x1]")
        emit("    subs x4, x4, #1")
        emit("    b.ne 1b")
    emit(f"    ldr x0, ={nzcv:#x}")
    emit("    msr nzcv, x0")
    for line in g.set_addr(31, sp_delta):
        emit("    " + line)
    for n, v in init.items():
        emit(f"    ldr x{n}, ={v:#x}")
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
            emit(line if line.endswith(":") else "    " + line)
    pending += label_at.get(len(units), [])
    for lab in pending:
        emit(f"{lab}:")
    # Save X0-X30, SP and NZCV at difftest_save = X28 + SCRATCH_HALF, and
    # whether (33) and how (34-38: vector, ESR, ELR, FAR, SPSR) it faulted.
    emit("difftest_end:")
    emit(f"    add x28, x28, #{SCRATCH_HALF >> 12}, lsl #12")
    emit("    str x0, [x28]")
    emit("    str xzr, [x28, #264]")
    emit("difftest_save_rest:")
    for n in range(1, 31):
        if n != BASE:
            emit(f"    str x{n}, [x28, #{8 * n}]")
    emit("    mrs x0, nzcv")
    emit("    str x0, [x28, #256]")
    emit("    mov x0, sp")
    emit("    str x0, [x28, #248]")
    emit(f"    sub x0, x28, #{SCRATCH_SIZE >> 12}, lsl #12")
    emit(f"    str x0, [x28, #{8 * BASE}]")
    if fp:
        # V0-V31 at 512, FPSR at 1024, FPCR at 1032, and 39 = 1: saved.
        for n in range(32):
            emit(f"    str q{n}, [x28, #{512 + 16 * n}]")
        emit("    mrs x0, fpsr")
        emit("    str x0, [x28, #1024]")
        emit("    mrs x0, fpcr")
        emit("    str x0, [x28, #1032]")
        emit("    mov x0, #1")
        emit("    str x0, [x28, #312]")
        emit("difftest_save_done:")
    emit("    adrp x1, __stack_top")
    emit("    add x1, x1, :lo12:__stack_top")
    emit("    mov sp, x1")
    emit("    mov x0, x28")
    emit("    bl difftest_dump")
    emit("    .ltorg")
    for lab, body in g.subs:
        emit("    .balign 16")
        emit(f"{lab}:")
        for line in body:
            emit(line if line.endswith(":") else "    " + line)
        emit("    .ltorg")
    # Every vector saves X0 and its index, then the rest of the state.
    emit("    .balign 2048")
    emit("difftest_vectors:")
    for k in range(16):
        emit("    .balign 128")
        emit(f"    add x28, x28, #{SCRATCH_HALF >> 12}, lsl #12")
        emit("    str x0, [x28]")
        emit(f"    mov x0, #{k}")
        emit("    b difftest_fault")
    emit("difftest_fault:")
    emit("    str x0, [x28, #272]")
    if fp:
        # An exception while the FP/SIMD state is being saved (an emulator
        # that traps FP/SIMD) comes here with X28 already at difftest_save,
        # so the vector moved it 0x8000 further: record ESR and ELR in
        # 40-42 and print what was saved.
        emit("    adrp x0, difftest_save")
        emit("    add x0, x0, :lo12:difftest_save")
        emit("    cmp x0, x28")
        emit("    b.eq 1f")
        emit("    mov x28, x0")
        emit("    mov x0, #1")
        emit("    str x0, [x28, #320]")
        emit("    mrs x0, esr_el1")
        emit("    str x0, [x28, #328]")
        emit("    mrs x0, elr_el1")
        emit("    str x0, [x28, #336]")
        emit("    b difftest_save_done")
        # An UNDEFINED instruction right after the marker: log ESR and ELR
        # (count at 344, up to 32 entries from 1536) and resume after it.
        emit("1:  str x1, [x28, #8]")
        emit("    mrs x0, esr_el1")
        emit("    lsr x1, x0, #26")
        emit("    cbnz x1, 2f")
        emit("    mrs x0, elr_el1")
        emit("    ldur w1, [x0, #-4]")
        emit(f"    ldr w0, ={0xD2800000 | (RESUME_MARK << 5) | 31:#x}")
        emit("    cmp w1, w0")
        emit("    b.ne 2f")
        emit("    ldr x0, [x28, #344]")
        emit("    add x1, x0, #1")
        emit("    str x1, [x28, #344]")
        emit("    cmp x0, #32")
        emit("    b.hs 3f")
        emit("    add x1, x28, x0, lsl #4")
        emit("    mrs x0, esr_el1")
        emit("    str x0, [x1, #1536]")
        emit("    mrs x0, elr_el1")
        emit("    str x0, [x1, #1544]")
        emit("3:  mrs x0, elr_el1")
        emit("    add x0, x0, #4")
        emit("    msr elr_el1, x0")
        emit("    ldr x1, [x28, #8]")
        emit("    ldr x0, [x28]")
        emit(f"    sub x28, x28, #{SCRATCH_HALF >> 12}, lsl #12")
        emit("    eret")
        emit("2:  ldr x1, [x28, #8]")
    emit("    mov x0, #1")
    emit("    str x0, [x28, #264]")
    for k, reg in enumerate(["esr_el1", "elr_el1", "far_el1", "spsr_el1"]):
        emit(f"    mrs x0, {reg}")
        emit(f"    str x0, [x28, #{280 + 8 * k}]")
    emit("    b difftest_save_rest")
    emit("    .balign 8")
    for lab, v in g.lits:
        emit(f"{lab}: .quad {v:#x}")
    if fp:
        emit("    .balign 16")
        for lab, v in g.vlits:
            emit(f"{lab}: .quad {v & M64:#x}, {v >> 64:#x}")
    emit("    .data")
    emit("    .balign 8")
    emit("    .global difftest_fill_seed")
    emit(f"difftest_fill_seed: .quad {(seed * 0x9E3779B97F4A7C15 + 1) & M64:#x}")
    if fp:
        emit("    .balign 16")
        emit("difftest_vinit:")
        for v in vinit:
            emit(f"    .quad {v & M64:#x}, {v >> 64:#x}")
        emit("difftest_fpfill:")
        for off, v in fpfill:
            emit(f"    .quad {off:#x}, {v:#x}")
    emit("    .bss")
    emit("    .balign 4096")
    emit("    .global difftest_scratch")
    emit(f"difftest_scratch: .skip {SCRATCH_SIZE}")
    # (--fp: 0x8000 more, where a nested exception's vector stores X0.)
    emit(f"difftest_save: .skip {0x8400 if fp else 512}")
    return Program(seed, count, nzcv, init, sp_delta, units, "\n".join(out) + "\n", vinit, fpcr)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("seed", type=int)
    ap.add_argument("--units", type=int, help="emit only the first N units")
    ap.add_argument("--cpu", choices=["cortex-a57", "max"], default="cortex-a57",
                    help="max: also LSE atomics (CAS, CASP, LD<op>, ST<op>, SWP)")
    ap.add_argument("--fp", action="store_true", help="FP/SIMD programs (see fpgen.py)")
    args = ap.parse_args()
    keep = None if args.units is None else set(range(args.units))
    sys.stdout.write(generate(args.seed, keep, lse=args.cpu == "max", fp=args.fp).text)


if __name__ == "__main__":
    main()
