# SPDX-License-Identifier: MIT OR Apache-2.0
"""FP/SIMD units for gen.py's `--fp` programs (ARMv8.0 scalar FP and
AdvSIMD as on a Cortex-A57, with AES/SHA1/SHA256/PMULL; no FP16
arithmetic, no RDM, dot product, FCMA, FHM, JSCVT, FRINT32/64, BF16).

`FPMixin` is mixed into gen.Gen: its `u_fp_*` methods are units like the
integer ones (they return lines, take `avoid`, the X registers they must not
write, and never write X28). They use only the generator's random stream,
and only when the program is an `--fp` one, so the integer programs of every
seed stay what they were.
"""

import struct

# (exponent bits, fraction bits) of half, single and double precision.
FMT = {16: (5, 10), 32: (8, 23), 64: (11, 52)}
SREG = {8: "b", 16: "h", 32: "s", 64: "d", 128: "q"}
ARR = {(8, 0): "8b", (8, 1): "16b", (16, 0): "4h", (16, 1): "8h", (32, 0): "2s", (32, 1): "4s", (64, 0): "1d", (64, 1): "2d"}
LANES = {8: 16, 16: 8, 32: 4, 64: 2}
CONDS = ["eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"]
# FPSR bits software may write: IOC, DZC, OFC, UFC, IXC, IDC, QC.
FPSR_BITS = [0, 1, 2, 3, 4, 7, 27]


def fbits(bits, sign, exp, mant):
    _, m = FMT[bits]
    return (sign << (bits - 1)) | (exp << m) | mant


def float_bits(bits, v):
    """The bit pattern of v (exactly representable) in the format."""
    code = {16: "<e", 32: "<f", 64: "<d"}[bits]
    return int.from_bytes(struct.pack(code, v), "little")


def xr(n, sf):
    if n == 31:
        return "xzr" if sf else "wzr"
    return f"x{n}" if sf else f"w{n}"


def v(n, arr):
    return f"v{n % 32}.{arr}"


def vlist(n, count, arr):
    return "{" + ", ".join(v(n + k, arr) for k in range(count)) + "}"


class FPMixin:
    # ---- values -------------------------------------------------------------

    def fp_special(self, bits):
        """A float of `bits` (16, 32, 64) with many special values."""
        r = self.r
        e_bits, m_bits = FMT[bits]
        emax = (1 << e_bits) - 1
        bias = emax >> 1
        s = r.randrange(2)
        k = r.randrange(18)
        if k == 0:
            return fbits(bits, s, 0, 0)
        if k == 1:  # denormals: smallest, largest, random
            return fbits(bits, s, 0, r.choice([1, (1 << m_bits) - 1, r.randrange(1, 1 << m_bits)]))
        if k == 2:  # smallest and largest normal
            return fbits(bits, s, r.choice([1, emax - 1]), r.choice([0, (1 << m_bits) - 1]))
        if k == 3:
            return fbits(bits, s, emax, 0)
        if k == 4:  # quiet NaN, random payload
            return fbits(bits, s, emax, (1 << (m_bits - 1)) | r.choice([0, 1, r.getrandbits(m_bits - 1)]))
        if k == 5:  # signalling NaN, random non-zero payload
            return fbits(bits, s, emax, r.choice([1, r.randrange(1, 1 << (m_bits - 1))]))
        if k == 6:
            return float_bits(bits, r.choice([1.0, -1.0, 0.5, -0.5, 2.0, 1.5, -1.5, 2.5, -2.5, 3.0, 0.25, 0.75, -0.75, 255.5, 65535.0]) if bits > 16 else r.choice([1.0, -1.0, 0.5, -0.5, 2.0, 1.5, -1.5, 2.5, -2.5, 3.0]))
        if k == 7:  # near the integer ranges: 2^e and its neighbours
            es = [7, 8, 15, 16] + ([31, 32, 63, 64] if bits > 16 else [])
            e = r.choice(es)
            w = r.randrange(3)
            if w == 0:
                return fbits(bits, s, bias + e, 0)
            if w == 1:
                return fbits(bits, s, bias + e - 1, (1 << m_bits) - 1)
            return fbits(bits, s, bias + e, r.choice([1, 2]))
        if k == 8:  # ties: n + 0.5
            n = r.randrange(0, 64 if bits == 16 else 1 << 20)
            return float_bits(bits, (-1) ** s * (n + 0.5))
        if k == 9:  # near underflow
            return fbits(bits, s, r.randrange(1, 4), r.getrandbits(m_bits))
        if k == 10:  # near overflow
            return fbits(bits, s, r.randrange(emax - 3, emax), r.getrandbits(m_bits))
        if k in (11, 12):  # moderate magnitudes
            return fbits(bits, s, r.randrange(bias - 8, bias + min(24, bias)), r.getrandbits(m_bits) & ~((1 << r.randrange(m_bits)) - 1))
        return r.getrandbits(bits)

    INT_SPECIAL = [0, 1, 2, 0x7F, 0x80, 0x81, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF,
                   0x7FFFFFFFFFFFFFFF, 0x8000000000000000]

    def int_special(self, bits):
        r = self.r
        mask = (1 << bits) - 1
        k = r.random()
        if k < 0.5:
            c = [x for x in self.INT_SPECIAL if x <= mask]
            x = r.choice(c + [mask, mask >> 1, (mask >> 1) + 1, mask - 1])
            if r.random() < 0.2:
                x = (x + r.choice([-1, 1])) & mask
            return x
        if k < 0.65:
            return r.randrange(0, 16)
        return r.getrandbits(bits)

    def vec128(self):
        """A 128-bit register value in a random lane layout."""
        r = self.r
        k = r.randrange(10)
        if k == 9:
            return r.getrandbits(128)
        lb = [8, 16, 32, 64, 16, 32, 64, 32, 64][k]
        fp = k >= 4
        splat = r.random() < 0.15
        out, lane = 0, None
        for i in range(128 // lb):
            if lane is None or not splat:
                if fp and r.random() < 0.8:
                    lane = self.fp_special(lb)
                elif r.random() < 0.8:
                    lane = self.int_special(lb)
                else:
                    lane = r.getrandbits(lb)
            out |= lane << (i * lb)
        if r.random() < 0.1:  # the upper half zero, as after a 64-bit write
            out &= (1 << 64) - 1
        return out

    def fp_word64(self):
        """A 64-bit memory word of one double, two singles or four halves."""
        lb = self.r.choice([64, 64, 32, 16])
        out = 0
        for i in range(64 // lb):
            out |= self.fp_special(lb) << (i * lb)
        return out

    def fpcr_value(self):
        """A random valid FPCR: AHP, DN, FZ, RMode (no FZ16, no trap enables)."""
        r = self.r
        return (r.randrange(4) << 22) | (int(r.random() < 0.3) << 24) | (int(r.random() < 0.3) << 25) | (int(r.random() < 0.3) << 26)

    # ---- register helpers -----------------------------------------------------

    def vr(self):
        return self.r.randrange(32)

    def xsrc(self):
        """A general source register, sometimes the zero register."""
        return 31 if self.chance(0.05) else self.r.randrange(31)

    def vlit(self, value):
        lab = f"vlit{len(self.vlits)}"
        self.vlits.append((lab, value))
        return lab

    # ---- state units ----------------------------------------------------------

    def u_fp_sysreg(self, avoid):
        r = self.r
        k = r.randrange(6)
        if k == 0:
            return [f"mrs {xr(self.dest(avoid), True)}, fpcr"]
        if k == 1:
            return [f"mrs {xr(self.dest(avoid), True)}, fpsr"]
        t = self.dest(avoid, zr=False)
        if k in (2, 3):
            return [f"ldr x{t}, ={self.fpcr_value():#x}", f"msr fpcr, x{t}"]
        if k == 4:
            return ["msr fpsr, xzr"]
        val = sum(1 << b for b in FPSR_BITS if r.random() < 0.3)
        return [f"ldr x{t}, ={val:#x}", f"msr fpsr, x{t}"]

    def u_fp_flags(self, avoid):
        """Store FPSR into the scratch buffer (the checksums see it), then
        usually clear it, so the flags of the next few instructions show."""
        t = self.dest(avoid, zr=False)
        lines = [f"mrs x{t}, fpsr", f"str x{t}, [x28, #{self.r.randrange(0x1000) * 8}]"]
        if self.chance(0.8):
            lines.append("msr fpsr, xzr")
        return lines

    def u_fp_fpcr_loop(self, avoid):
        """A counted loop of FP/SIMD units that flips FPCR bits (RMode, FZ,
        DN, AHP) at the end of every iteration: the same code runs under
        changing FPCR values (a JIT must not bake FPCR into a block)."""
        r = self.r
        c = self.dest(avoid, zr=False)
        t = self.dest(avoid | {c}, zr=False)
        top = self.label("fpcr")
        mask = r.choice([0x400000, 0x800000, 0xC00000, 0x1000000, 0x2000000, 0x4000000, 0x1C00000, 0x3000000, 0x7C00000])
        lines = [f"mov w{c}, #{r.randrange(2, 9)}", f"{top}:"]
        table = [(name, w) for name, w in self.FP if name != "u_fp_fpcr_loop"]
        for _ in range(r.randrange(1, 5)):
            lines += getattr(self, self.pick(table))(avoid | {c, t})
        return lines + [f"mrs x{t}, fpcr", f"eor x{t}, x{t}, #{mask:#x}", f"msr fpcr, x{t}",
                        f"sub w{c}, w{c}, #1", f"cbnz w{c}, {top}"]

    def u_fp_vspecial(self, avoid):
        """A special value into a vector register (literal loads, INS, FMOV)."""
        r = self.r
        d = self.vr()
        k = r.randrange(5)
        if k <= 1:
            return [f"ldr q{d}, {self.vlit(self.vec128())}"]
        if k == 2:
            sz = r.choice([32, 64])
            return [f"ldr {SREG[sz]}{d}, {self.vlit(self.vec128())}"]
        t = self.dest(avoid, zr=False)
        bits = r.choice([16, 32, 64])
        val = self.fp_special(bits)
        if bits == 64:
            ins = r.choice([f"fmov d{d}, x{t}", f"fmov v{d}.d[1], x{t}", f"mov v{d}.d[{r.randrange(2)}], x{t}", f"dup v{d}.2d, x{t}"])
        elif bits == 32:
            ins = r.choice([f"fmov s{d}, w{t}", f"mov v{d}.s[{r.randrange(4)}], w{t}", f"dup v{d}.{r.choice(['2s', '4s'])}, w{t}"])
        else:
            ins = r.choice([f"mov v{d}.h[{r.randrange(8)}], w{t}", f"dup v{d}.{r.choice(['4h', '8h'])}, w{t}"])
        return [f"ldr x{t}, ={val:#x}", ins]

    # ---- scalar floating point -------------------------------------------------

    def fsz(self):
        return self.r.choice([32, 64])

    def u_fp_arith(self, avoid):
        r = self.r
        p = SREG[self.fsz()]
        d, n, m, a = self.vr(), self.vr(), self.vr(), self.vr()
        k = r.randrange(10)
        if k < 5:
            op = r.choice(["fadd", "fsub", "fmul", "fnmul", "fdiv", "fmax", "fmin", "fmaxnm", "fminnm"])
            return [f"{op} {p}{d}, {p}{n}, {p}{m}"]
        if k < 8:
            op = r.choice(["fmadd", "fmsub", "fnmadd", "fnmsub"])
            return [f"{op} {p}{d}, {p}{n}, {p}{m}, {p}{a}"]
        op = r.choice(["fabs", "fneg", "fsqrt", "fmov", "frintn", "frintp", "frintm", "frintz", "frinta", "frintx", "frinti"])
        return [f"{op} {p}{d}, {p}{n}"]

    def u_fp_cvt(self, avoid):
        """FCVT between H, S and D."""
        a, b = self.r.sample([16, 32, 64], 2)
        return [f"fcvt {SREG[a]}{self.vr()}, {SREG[b]}{self.vr()}"]

    def u_fp_cmp(self, avoid):
        r = self.r
        p = SREG[self.fsz()]
        n, m = self.vr(), self.vr()
        k = r.randrange(3)
        if k == 0:
            lines = [f"{r.choice(['fcmp', 'fcmpe'])} {p}{n}, #0.0"]
        elif k == 1:
            lines = [f"{r.choice(['fcmp', 'fcmpe'])} {p}{n}, {p}{m}"]
        else:
            lines = [f"{r.choice(['fccmp', 'fccmpe'])} {p}{n}, {p}{m}, #{r.randrange(16)}, {r.choice(CONDS)}"]
        c = r.randrange(4)
        cond = r.choice(CONDS[:14])
        if c == 0:
            lines.append(f"cset {xr(self.dest(avoid), r.random() < 0.5)}, {cond}")
        elif c == 1:
            sf = r.random() < 0.5
            lines.append(f"csel {xr(self.dest(avoid), sf)}, {xr(self.xsrc(), sf)}, {xr(self.xsrc(), sf)}, {cond}")
        elif c == 2:
            lines.append(f"fcsel {p}{self.vr()}, {p}{self.vr()}, {p}{self.vr()}, {cond}")
        return lines

    def u_fp_csel(self, avoid):
        p = SREG[self.fsz()]
        return [f"fcsel {p}{self.vr()}, {p}{self.vr()}, {p}{self.vr()}, {self.r.choice(CONDS)}"]

    def fp_imm(self):
        """An FMOV immediate: +-n/16 * 2^e, n in 16..31, e in -3..4."""
        r = self.r
        val = r.randrange(16, 32) / 16 * 2.0 ** r.randrange(-3, 5)
        return repr(-val if r.random() < 0.5 else val)

    def u_fp_fmov(self, avoid):
        r = self.r
        k = r.randrange(8)
        d = self.vr()
        if k == 0:
            return [f"fmov {SREG[self.fsz()]}{d}, #{self.fp_imm()}"]
        if k == 1:
            return [f"fmov {xr(self.dest(avoid), False)}, s{self.vr()}"]
        if k == 2:
            return [f"fmov {xr(self.dest(avoid), True)}, d{self.vr()}"]
        if k == 3:
            return [f"fmov s{d}, {xr(self.xsrc(), False)}"]
        if k == 4:
            return [f"fmov d{d}, {xr(self.xsrc(), True)}"]
        if k == 5:
            return [f"fmov {xr(self.dest(avoid), True)}, v{self.vr()}.d[1]"]
        if k == 6:
            return [f"fmov v{d}.d[1], {xr(self.xsrc(), True)}"]
        p = SREG[self.fsz()]
        return [f"fmov {p}{d}, {p}{self.vr()}"]

    def u_fp_int(self, avoid):
        """FP <-> integer conversions, also fixed point."""
        r = self.r
        p = SREG[self.fsz()]
        sf = r.random() < 0.5
        w = 64 if sf else 32
        fixed = r.random() < 0.3
        fb = f", #{r.choice([1, w, r.randrange(1, w + 1)])}" if fixed else ""
        if r.random() < 0.55:
            if fixed:
                op = r.choice(["fcvtzs", "fcvtzu"])
            else:
                op = "fcvt" + r.choice("npmza") + r.choice("su")
            return [f"{op} {xr(self.dest(avoid), sf)}, {p}{self.vr()}{fb}"]
        op = r.choice(["scvtf", "ucvtf"])
        return [f"{op} {p}{self.vr()}, {xr(self.xsrc(), sf)}{fb}"]

    def u_fp_recip(self, avoid):
        """Scalar FRECPE/FRSQRTE/FRECPS/FRSQRTS/FRECPX (and the vector forms)."""
        r = self.r
        p = SREG[self.fsz()]
        d, n, m = self.vr(), self.vr(), self.vr()
        k = r.randrange(4)
        if k == 0:
            return [f"{r.choice(['frecpe', 'frsqrte', 'frecpx'])} {p}{d}, {p}{n}"]
        if k == 1:
            return [f"{r.choice(['frecps', 'frsqrts'])} {p}{d}, {p}{n}, {p}{m}"]
        arr = r.choice(["2s", "4s", "2d"])
        if k == 2:
            return [f"{r.choice(['frecpe', 'frsqrte'])} {v(d, arr)}, {v(n, arr)}"]
        return [f"{r.choice(['frecps', 'frsqrts'])} {v(d, arr)}, {v(n, arr)}, {v(m, arr)}"]

    # ---- AdvSIMD ------------------------------------------------------------------

    def arr(self, sizes, q=None):
        """(esize, arrangement) with esize from `sizes`; 64-bit lanes need Q = 1."""
        r = self.r
        es = r.choice(sizes)
        if q is None:
            q = 1 if es == 64 else r.randrange(2)
        return es, ARR[(es, q)]

    THREE_ALL = ["sqadd", "uqadd", "sqsub", "uqsub", "cmgt", "cmge", "cmhi", "cmhs", "sshl", "ushl", "sqshl", "uqshl",
                 "srshl", "urshl", "sqrshl", "uqrshl", "add", "sub", "cmtst", "cmeq", "addp"]
    THREE_BHS = ["shadd", "uhadd", "srhadd", "urhadd", "shsub", "uhsub", "smax", "umax", "smin", "umin", "sabd", "uabd",
                 "saba", "uaba", "mla", "mls", "mul", "smaxp", "umaxp", "sminp", "uminp"]
    THREE_FP = ["fmaxnm", "fmla", "fadd", "fmulx", "fcmeq", "fmax", "frecps", "fminnm", "fmls", "fsub", "fmin", "frsqrts",
                "fmaxnmp", "faddp", "fmul", "fcmge", "facge", "fmaxp", "fdiv", "fminnmp", "fabd", "fcmgt", "facgt", "fminp"]
    LOGIC = ["and", "bic", "orr", "orn", "eor", "bsl", "bit", "bif"]

    def u_simd_three_same(self, avoid):
        r = self.r
        d, n, m = self.vr(), self.vr(), self.vr()
        k = r.randrange(10)
        if k < 3:
            _, a = self.arr([8, 16, 32, 64])
            op = r.choice(self.THREE_ALL)
        elif k < 5:
            _, a = self.arr([8, 16, 32])
            op = r.choice(self.THREE_BHS)
        elif k < 6:
            es, a = self.arr([16, 32, 8])
            op = "pmul" if es == 8 else r.choice(["sqdmulh", "sqrdmulh"])
        elif k < 7:
            a = r.choice(["8b", "16b"])
            op = r.choice(self.LOGIC)
        else:
            _, a = self.arr([32, 64])
            op = r.choice(self.THREE_FP)
        return [f"{op} {v(d, a)}, {v(n, a)}, {v(m, a)}"]

    def u_simd_scalar_three(self, avoid):
        r = self.r
        d, n, m = self.vr(), self.vr(), self.vr()
        k = r.randrange(4)
        if k == 0:
            p = SREG[r.choice([8, 16, 32, 64])]
            op = r.choice(["sqadd", "uqadd", "sqsub", "uqsub", "sqshl", "uqshl", "sqrshl", "uqrshl"])
        elif k == 1:
            p = "d"
            op = r.choice(["cmgt", "cmge", "cmhi", "cmhs", "sshl", "ushl", "srshl", "urshl", "add", "sub", "cmtst", "cmeq"])
        elif k == 2:
            p = SREG[r.choice([16, 32])]
            op = r.choice(["sqdmulh", "sqrdmulh"])
            if r.random() < 0.4:  # scalar three different
                p2 = SREG[r.choice([16, 32])]
                wide = "s" if p2 == "h" else "d"
                return [f"{r.choice(['sqdmlal', 'sqdmlsl', 'sqdmull'])} {wide}{d}, {p2}{n}, {p2}{m}"]
        else:
            p = SREG[self.fsz()]
            op = r.choice(["fmulx", "fcmeq", "frecps", "frsqrts", "fcmge", "facge", "fabd", "fcmgt", "facgt"])
        return [f"{op} {p}{d}, {p}{n}, {p}{m}"]

    def u_simd_three_diff(self, avoid):
        r = self.r
        d, n, m = self.vr(), self.vr(), self.vr()
        q = r.randrange(2)
        two = "2" if q else ""
        k = r.randrange(10)
        if k < 5:
            if k == 4 and r.random() < 0.5:
                es = r.choice([16, 32])
                op = r.choice(["sqdmlal", "sqdmlsl", "sqdmull"])
            elif k == 3 and r.random() < 0.5:
                es = 8
                op = "pmull"
            else:
                es = r.choice([8, 16, 32])
                op = r.choice(["saddl", "uaddl", "ssubl", "usubl", "sabal", "uabal", "sabdl", "uabdl", "smlal", "umlal",
                               "smlsl", "umlsl", "smull", "umull"])
            return [f"{op}{two} {v(d, ARR[(es * 2, 1)])}, {v(n, ARR[(es, q)])}, {v(m, ARR[(es, q)])}"]
        es = r.choice([8, 16, 32])
        if k < 7:
            op = r.choice(["saddw", "uaddw", "ssubw", "usubw"])
            return [f"{op}{two} {v(d, ARR[(es * 2, 1)])}, {v(n, ARR[(es * 2, 1)])}, {v(m, ARR[(es, q)])}"]
        op = r.choice(["addhn", "subhn", "raddhn", "rsubhn"])
        return [f"{op}{two} {v(d, ARR[(es, q)])}, {v(n, ARR[(es * 2, 1)])}, {v(m, ARR[(es * 2, 1)])}"]

    MISC_ALL = ["suqadd", "usqadd", "sqabs", "sqneg", "abs", "neg"]
    MISC_FP = ["frintn", "frintm", "frintp", "frintz", "frinta", "frintx", "frinti", "fcvtns", "fcvtms", "fcvtas",
               "fcvtps", "fcvtzs", "fcvtnu", "fcvtmu", "fcvtau", "fcvtpu", "fcvtzu", "scvtf", "ucvtf", "fabs", "fneg",
               "fsqrt", "frecpe", "frsqrte"]

    def u_simd_misc(self, avoid):
        r = self.r
        d, n = self.vr(), self.vr()
        q = r.randrange(2)
        two = "2" if q else ""
        k = r.randrange(14)
        if k == 0:
            op, es = r.choice([("rev64", 8), ("rev64", 16), ("rev64", 32), ("rev32", 8), ("rev32", 16), ("rev16", 8)])
            a = ARR[(es, q)]
            return [f"{op} {v(d, a)}, {v(n, a)}"]
        if k == 1:
            es = r.choice([8, 16, 32])
            op = r.choice(["saddlp", "uaddlp", "sadalp", "uadalp"])
            return [f"{op} {v(d, ARR[(es * 2, q)])}, {v(n, ARR[(es, q)])}"]
        if k == 2:
            _, a = self.arr([8, 16, 32, 64])
            return [f"{r.choice(self.MISC_ALL)} {v(d, a)}, {v(n, a)}"]
        if k == 3:
            if r.random() < 0.5:
                _, a = self.arr([8, 16, 32])
                op = r.choice(["cls", "clz"])
            else:
                a = ARR[(8, q)]
                op = r.choice(["cnt", "not", "rbit"])
            return [f"{op} {v(d, a)}, {v(n, a)}"]
        if k == 4:
            _, a = self.arr([8, 16, 32, 64])
            return [f"{r.choice(['cmgt', 'cmeq', 'cmlt', 'cmge', 'cmle'])} {v(d, a)}, {v(n, a)}, #0"]
        if k == 5:
            es = r.choice([8, 16, 32])
            op = r.choice(["xtn", "sqxtn", "uqxtn", "sqxtun"])
            return [f"{op}{two} {v(d, ARR[(es, q)])}, {v(n, ARR[(es * 2, 1)])}"]
        if k == 6:
            es = r.choice([8, 16, 32])
            return [f"shll{two} {v(d, ARR[(es * 2, 1)])}, {v(n, ARR[(es, q)])}, #{es}"]
        if k == 7:
            if r.random() < 0.3:
                return [f"fcvtxn{two} {v(d, ARR[(32, q)])}, {v(n, '2d')}"]
            es = r.choice([16, 32])
            if r.random() < 0.5:
                return [f"fcvtn{two} {v(d, ARR[(es, q)])}, {v(n, ARR[(es * 2, 1)])}"]
            return [f"fcvtl{two} {v(d, ARR[(es * 2, 1)])}, {v(n, ARR[(es, q)])}"]
        if k == 8:
            a = r.choice(["2s", "4s"])
            return [f"{r.choice(['urecpe', 'ursqrte'])} {v(d, a)}, {v(n, a)}"]
        if k == 9:
            _, a = self.arr([32, 64])
            return [f"{r.choice(['fcmgt', 'fcmeq', 'fcmlt', 'fcmge', 'fcmle'])} {v(d, a)}, {v(n, a)}, #0.0"]
        _, a = self.arr([32, 64])
        return [f"{r.choice(self.MISC_FP)} {v(d, a)}, {v(n, a)}"]

    def u_simd_scalar_misc(self, avoid):
        r = self.r
        d, n = self.vr(), self.vr()
        k = r.randrange(7)
        if k == 0:
            p = SREG[r.choice([8, 16, 32, 64])]
            return [f"{r.choice(['suqadd', 'usqadd', 'sqabs', 'sqneg'])} {p}{d}, {p}{n}"]
        if k == 1:
            op = r.choice(["abs", "neg", "cmgt", "cmeq", "cmlt", "cmge", "cmle"])
            return [f"{op} d{d}, d{n}" + (", #0" if op.startswith("cm") else "")]
        if k == 2:
            es = r.choice([8, 16, 32])
            return [f"{r.choice(['sqxtn', 'uqxtn', 'sqxtun'])} {SREG[es]}{d}, {SREG[es * 2]}{n}"]
        if k == 3:
            return [f"fcvtxn s{d}, d{n}"]
        p = SREG[self.fsz()]
        if k == 4:
            return [f"{r.choice(['fcmgt', 'fcmeq', 'fcmlt', 'fcmge', 'fcmle'])} {p}{d}, {p}{n}, #0.0"]
        op = r.choice(["fcvtns", "fcvtms", "fcvtas", "fcvtps", "fcvtzs", "fcvtnu", "fcvtmu", "fcvtau", "fcvtpu", "fcvtzu",
                       "scvtf", "ucvtf", "frecpe", "frsqrte", "frecpx"])
        return [f"{op} {p}{d}, {p}{n}"]

    def u_simd_across(self, avoid):
        r = self.r
        d, n = self.vr(), self.vr()
        k = r.randrange(5)
        if k == 0:
            es, a = r.choice([(8, "8b"), (8, "16b"), (16, "4h"), (16, "8h"), (32, "4s")])
            return [f"{r.choice(['saddlv', 'uaddlv'])} {SREG[es * 2]}{d}, {v(n, a)}"]
        if k <= 2:
            es, a = r.choice([(8, "8b"), (8, "16b"), (16, "4h"), (16, "8h"), (32, "4s")])
            return [f"{r.choice(['smaxv', 'sminv', 'umaxv', 'uminv', 'addv'])} {SREG[es]}{d}, {v(n, a)}"]
        if k == 3:
            return [f"{r.choice(['fmaxnmv', 'fmaxv', 'fminnmv', 'fminv'])} s{d}, {v(n, '4s')}"]
        # Scalar pairwise.
        if r.random() < 0.3:
            return [f"addp d{d}, {v(n, '2d')}"]
        es = self.fsz()
        return [f"{r.choice(['faddp', 'fmaxp', 'fminp', 'fmaxnmp', 'fminnmp'])} {SREG[es]}{d}, {v(n, ARR[(es, 1 if es == 64 else 0)])}"]

    def u_simd_copy(self, avoid):
        r = self.r
        d, n = self.vr(), self.vr()
        es = r.choice([8, 16, 32, 64])
        p = SREG[es][0]
        idx = r.randrange(LANES[es])
        k = r.randrange(8)
        if k == 0:
            _, a = self.arr([es])
            return [f"dup {v(d, a)}, v{n}.{p}[{idx}]"]
        if k == 1:
            _, a = self.arr([es])
            return [f"dup {v(d, a)}, {xr(self.xsrc(), es == 64)}"]
        if k == 2:
            return [f"{r.choice(['ins', 'mov'])} v{d}.{p}[{idx}], {xr(self.xsrc(), es == 64)}"]
        if k == 3:
            return [f"{r.choice(['ins', 'mov'])} v{d}.{p}[{idx}], v{n}.{p}[{r.randrange(LANES[es])}]"]
        if k == 4:
            return [f"umov {xr(self.dest(avoid), es == 64)}, v{n}.{p}[{idx}]"]
        if k == 5:
            es = r.choice([8, 16, 32])
            p = SREG[es]
            sf = es == 32 or r.random() < 0.5
            return [f"smov {xr(self.dest(avoid), sf)}, v{n}.{p}[{r.randrange(LANES[es])}]"]
        if k == 6:
            return [f"{r.choice(['dup', 'mov'])} {SREG[es]}{d}, v{n}.{p}[{idx}]"]
        a = r.choice(["8b", "16b"])
        return [f"mov {v(d, a)}, {v(n, a)}"]

    def u_simd_elem(self, avoid):
        """By element, vector and scalar."""
        r = self.r
        d, n = self.vr(), self.vr()
        k = r.randrange(8)
        if k < 5:
            es = r.choice([16, 32])
            m = r.randrange(16) if es == 16 else self.vr()
            idx = r.randrange(8 if es == 16 else 4)
            el = f"v{m}.{SREG[es]}[{idx}]"
            q = r.randrange(2)
            if k < 2:
                op = r.choice(["mla", "mls", "mul", "sqdmulh", "sqrdmulh"])
                return [f"{op} {v(d, ARR[(es, q)])}, {v(n, ARR[(es, q)])}, {el}"]
            if k < 4:
                op = r.choice(["smlal", "umlal", "smlsl", "umlsl", "smull", "umull", "sqdmlal", "sqdmlsl", "sqdmull"])
                return [f"{op}{'2' if q else ''} {v(d, ARR[(es * 2, 1)])}, {v(n, ARR[(es, q)])}, {el}"]
            wide = SREG[es * 2]
            if r.random() < 0.5:
                return [f"{r.choice(['sqdmulh', 'sqrdmulh'])} {SREG[es]}{d}, {SREG[es]}{n}, {el}"]
            return [f"{r.choice(['sqdmlal', 'sqdmlsl', 'sqdmull'])} {wide}{d}, {SREG[es]}{n}, {el}"]
        es = self.fsz()
        m = self.vr()
        el = f"v{m}.{SREG[es]}[{r.randrange(LANES[es])}]"
        op = r.choice(["fmla", "fmls", "fmul", "fmulx"])
        if k < 7:
            _, a = self.arr([es])
            return [f"{op} {v(d, a)}, {v(n, a)}, {el}"]
        return [f"{op} {SREG[es]}{d}, {SREG[es]}{n}, {el}"]

    def u_simd_imm(self, avoid):
        """Modified immediate: MOVI, MVNI, ORR, BIC, FMOV (vector)."""
        r = self.r
        d = self.vr()
        imm = r.choice([0, 0xFF, 0x80, 0x7F, r.randrange(256)])
        q = r.randrange(2)
        k = r.randrange(7)
        if k == 0:
            return [f"movi {v(d, ARR[(8, q)])}, #{imm:#x}"]
        if k == 1:
            a = ARR[(16, q)]
            op = r.choice(["movi", "mvni", "orr", "bic"])
            return [f"{op} {v(d, a)}, #{imm:#x}, lsl #{r.choice([0, 8])}"]
        if k == 2:
            a = ARR[(32, q)]
            op = r.choice(["movi", "mvni", "orr", "bic"])
            return [f"{op} {v(d, a)}, #{imm:#x}, lsl #{r.choice([0, 8, 16, 24])}"]
        if k == 3:
            a = ARR[(32, q)]
            return [f"{r.choice(['movi', 'mvni'])} {v(d, a)}, #{imm:#x}, msl #{r.choice([8, 16])}"]
        if k == 4:
            mask = sum(0xFF << (8 * i) for i in range(8) if r.random() < 0.5)
            return [f"movi d{d}, #{mask:#x}" if r.random() < 0.5 else f"movi {v(d, '2d')}, #{mask:#x}"]
        _, a = self.arr([32, 64])
        return [f"fmov {v(d, a)}, #{self.fp_imm()}"]

    def u_simd_shift(self, avoid):
        """Shift by immediate, vector and scalar."""
        r = self.r
        d, n = self.vr(), self.vr()
        k = r.randrange(11)
        if k < 2:
            es, a = self.arr([8, 16, 32, 64])
            op = r.choice(["sshr", "ushr", "ssra", "usra", "srshr", "urshr", "srsra", "ursra", "sri"])
            return [f"{op} {v(d, a)}, {v(n, a)}, #{r.choice([1, es, r.randrange(1, es + 1)])}"]
        if k < 4:
            es, a = self.arr([8, 16, 32, 64])
            op = r.choice(["shl", "sli", "sqshl", "uqshl", "sqshlu"])
            return [f"{op} {v(d, a)}, {v(n, a)}, #{r.choice([0, es - 1, r.randrange(es)])}"]
        q = r.randrange(2)
        two = "2" if q else ""
        if k == 4:
            es = r.choice([8, 16, 32])
            op = r.choice(["shrn", "rshrn", "sqshrn", "uqshrn", "sqrshrn", "uqrshrn", "sqshrun", "sqrshrun"])
            return [f"{op}{two} {v(d, ARR[(es, q)])}, {v(n, ARR[(es * 2, 1)])}, #{r.choice([1, es, r.randrange(1, es + 1)])}"]
        if k == 5:
            es = r.choice([8, 16, 32])
            if r.random() < 0.3:
                return [f"{r.choice(['sxtl', 'uxtl'])}{two} {v(d, ARR[(es * 2, 1)])}, {v(n, ARR[(es, q)])}"]
            return [f"{r.choice(['sshll', 'ushll'])}{two} {v(d, ARR[(es * 2, 1)])}, {v(n, ARR[(es, q)])}, #{r.randrange(es)}"]
        if k == 6:
            es, a = self.arr([32, 64])
            op = r.choice(["scvtf", "ucvtf", "fcvtzs", "fcvtzu"])
            return [f"{op} {v(d, a)}, {v(n, a)}, #{r.choice([1, es, r.randrange(1, es + 1)])}"]
        # Scalar.
        if k == 7:
            op = r.choice(["sshr", "ushr", "ssra", "usra", "srshr", "urshr", "srsra", "ursra", "sri"])
            return [f"{op} d{d}, d{n}, #{r.randrange(1, 65)}"]
        if k == 8:
            es = r.choice([8, 16, 32, 64])
            op = r.choice(["sqshl", "uqshl", "sqshlu"] + (["shl", "sli"] if es == 64 else []))
            return [f"{op} {SREG[es]}{d}, {SREG[es]}{n}, #{r.randrange(es)}"]
        if k == 9:
            es = r.choice([8, 16, 32])
            op = r.choice(["sqshrn", "uqshrn", "sqrshrn", "uqrshrn", "sqshrun", "sqrshrun"])
            return [f"{op} {SREG[es]}{d}, {SREG[es * 2]}{n}, #{r.randrange(1, es + 1)}"]
        es = self.fsz()
        op = r.choice(["scvtf", "ucvtf", "fcvtzs", "fcvtzu"])
        return [f"{op} {SREG[es]}{d}, {SREG[es]}{n}, #{r.choice([1, es, r.randrange(1, es + 1)])}"]

    def u_simd_perm(self, avoid):
        """TBL/TBX, ZIP/UZP/TRN, EXT."""
        r = self.r
        d, n, m = self.vr(), self.vr(), self.vr()
        k = r.randrange(4)
        if k == 0:
            a = r.choice(["8b", "16b"])
            lines = []
            if r.random() < 0.6:  # indices mostly in range
                lines.append(f"ushr {v(m, '16b')}, {v(m, '16b')}, #{r.choice([1, 2, 3, 4])}")
            cnt = r.randrange(1, 5)
            return lines + [f"{r.choice(['tbl', 'tbx'])} {v(d, a)}, {vlist(n, cnt, '16b')}, {v(m, a)}"]
        if k == 1:
            a = r.choice(["8b", "16b"])
            return [f"ext {v(d, a)}, {v(n, a)}, {v(m, a)}, #{r.randrange(8 if a == '8b' else 16)}"]
        _, a = self.arr([8, 16, 32, 64])
        op = r.choice(["zip1", "zip2", "uzp1", "uzp2", "trn1", "trn2"])
        return [f"{op} {v(d, a)}, {v(n, a)}, {v(m, a)}"]

    def u_simd_crypto(self, avoid):
        r = self.r
        d, n, m = self.vr(), self.vr(), self.vr()
        k = r.randrange(6)
        if k == 0:
            return [f"{r.choice(['aese', 'aesd', 'aesmc', 'aesimc'])} {v(d, '16b')}, {v(n, '16b')}"]
        if k == 1:
            return [f"{r.choice(['sha1c', 'sha1p', 'sha1m'])} q{d}, s{n}, {v(m, '4s')}"]
        if k == 2:
            op = r.choice(["sha1su0", "sha256su1"])
            return [f"{op} {v(d, '4s')}, {v(n, '4s')}, {v(m, '4s')}"]
        if k == 3:
            return [f"{r.choice(['sha256h', 'sha256h2'])} q{d}, q{n}, {v(m, '4s')}"]
        if k == 4:
            if r.random() < 0.3:
                return [f"sha1h s{d}, s{n}"]
            return [f"{r.choice(['sha1su1', 'sha256su0'])} {v(d, '4s')}, {v(n, '4s')}"]
        if r.random() < 0.5:
            return [f"pmull {v(d, '1q')}, {v(n, '1d')}, {v(m, '1d')}"]
        return [f"pmull2 {v(d, '1q')}, {v(n, '2d')}, {v(m, '2d')}"]

    # ---- SIMD&FP loads and stores ---------------------------------------------------

    def u_fp_ldst(self, avoid):
        """LDR/STR B/H/S/D/Q in every addressing mode."""
        r = self.r
        size = r.choice([1, 2, 4, 8, 16])
        p = SREG[size * 8]
        load = r.random() < 0.5
        stem = "ldr" if load else "str"
        t = self.vr()
        mode = r.choice(["uimm", "uimm", "unscaled", "pre", "post", "reg", "reg"])
        b = self.base_reg(avoid)
        bname = "sp" if b == 31 else f"x{b}"
        tgt = self.target(size)
        if mode == "uimm":
            imm = r.choice([0, r.randrange(64), r.randrange(min(4096, 0x4000 // size))]) * size
            return self.set_addr(b, tgt - imm) + [f"{stem} {p}{t}, [{bname}, #{imm}]"]
        if mode == "post":
            imm = r.randrange(-256, 256)
            return self.set_addr(b, tgt) + [f"{stem} {p}{t}, [{bname}], #{imm}"]
        if mode in ("unscaled", "pre"):
            imm = r.randrange(-256, 256)
            if mode == "pre":
                return self.set_addr(b, tgt - imm) + [f"{stem} {p}{t}, [{bname}, #{imm}]!"]
            return self.set_addr(b, tgt - imm) + [f"{stem.replace('ldr', 'ldur').replace('str', 'stur')} {p}{t}, [{bname}, #{imm}]"]
        # Register offset; the index has junk in the bits the extension ignores.
        i = self.base_reg(avoid | {b, 31})
        ext = r.choice(["uxtw", "sxtw", "lsl", "sxtx"])
        scale = {1: 0, 2: 1, 4: 2, 8: 3, 16: 4}[size]
        sh = r.choice([0, scale]) if size > 1 else r.choice([0, None])
        s = sh or 0
        M64 = (1 << 64) - 1
        if ext == "uxtw":
            e = r.randrange(0, 0x3000) >> s << s
            idx = (r.getrandbits(32) << 32) | (e >> s)
        elif ext == "sxtw":
            e = r.randrange(-0x3000, 0x3000) >> s << s
            idx = (r.getrandbits(32) << 32) | ((e >> s) & 0xFFFFFFFF)
        else:
            e = r.randrange(-0x3000, 0x3000) >> s << s
            idx = (e >> s) & M64
        lines = self.set_addr(b, tgt - e) + [f"ldr x{i}, ={idx:#x}"]
        ireg = f"x{i}" if ext in ("lsl", "sxtx") else f"w{i}"
        amount = "" if sh is None else f" #{sh}"
        if ext == "lsl" and sh is None:
            return lines + [f"{stem} {p}{t}, [{bname}, {ireg}]"]
        return lines + [f"{stem} {p}{t}, [{bname}, {ireg}, {ext}{amount}]"]

    def u_fp_pair(self, avoid):
        r = self.r
        size = r.choice([4, 8, 16])
        p = SREG[size * 8]
        op = r.choice(["ldp", "stp", "ldnp", "stnp"])
        mode = "off" if "np" in op else r.choice(["off", "pre", "post"])
        t1, t2 = self.vr(), self.vr()
        # LDP/LDNP with Rt == Rt2 is CONSTRAINED UNPREDICTABLE.
        while op.startswith("ld") and t2 == t1:
            t2 = self.vr()
        b = self.base_reg(avoid)
        bname = "sp" if b == 31 else f"x{b}"
        imm = r.randrange(-64, 64) * size
        tgt = self.target(size)
        regs = f"{p}{t1}, {p}{t2}"
        if mode == "post":
            return self.set_addr(b, tgt) + [f"{op} {regs}, [{bname}], #{imm}"]
        return self.set_addr(b, tgt - imm) + [f"{op} {regs}, [{bname}, #{imm}]{'!' if mode == 'pre' else ''}"]

    def post_index(self, total):
        """Post-index suffix of a structure load/store: none, #total or a register."""
        r = self.r
        k = r.randrange(4)
        if k == 0:
            return ""
        if k == 1:
            return f", x{r.randrange(31)}"
        return f", #{total}"

    def u_fp_struct(self, avoid):
        """LD1-LD4/ST1-ST4 (multiple and single structures), LD1R-LD4R."""
        r = self.r
        b = self.base_reg(avoid)
        bname = "sp" if b == 31 else f"x{b}"
        t = self.vr()
        k = r.randrange(3)
        if k == 0:
            nstruct = r.choice([1, 1, 2, 3, 4])
            cnt = r.randrange(1, 5) if nstruct == 1 else nstruct
            es = r.choice([8, 16, 32, 64])
            q = r.randrange(2) if (es < 64 or nstruct == 1) else 1
            a = ARR[(es, q)]
            total = cnt * (16 if q else 8)
            op = f"{r.choice(['ld', 'st'])}{nstruct}"
            tgt = self.target(es // 8)
            return self.set_addr(b, tgt) + [f"{op} {vlist(t, cnt, a)}, [{bname}]{self.post_index(total)}"]
        es = r.choice([8, 16, 32, 64])
        nstruct = r.randrange(1, 5)
        total = nstruct * es // 8
        tgt = self.target(es // 8)
        if k == 1:
            op = f"{r.choice(['ld', 'st'])}{nstruct}"
            regs = "{" + ", ".join(f"v{(t + j) % 32}.{SREG[es]}" for j in range(nstruct)) + "}"
            return self.set_addr(b, tgt) + [f"{op} {regs}[{r.randrange(LANES[es])}], [{bname}]{self.post_index(total)}"]
        _, a = self.arr([es], r.randrange(2))
        return self.set_addr(b, tgt) + [f"ld{nstruct}r {vlist(t, nstruct, a)}, [{bname}]{self.post_index(total)}"]

    # ---- the faulting / random-word units ----------------------------------------------

    def fp_undef_word(self):
        """An FP/SIMD encoding that is UNDEFINED on a Cortex-A57 (a feature it
        does not have, or a reserved field)."""
        r = self.r
        d, n, m = r.choice([k for k in range(32) if k != 28]), r.randrange(32), r.randrange(32)
        rdn = d | (n << 5)
        return r.choice([
            0x1EE02800 | (m << 16) | rdn,  # FADD Hd, Hn, Hm (FP16)
            0x1EE01000 | (r.randrange(256) << 13) | d,  # FMOV Hd, #imm (FP16)
            0x1EE60000 | rdn,  # FMOV Wd, Hn (FP16)
            0x0E400400 | (m << 16) | rdn,  # FMAXNM Vd.4H (FP16 three same)
            0x0E809400 | (m << 16) | rdn,  # SDOT Vd.2S (dot product)
            0x6E809400 | (m << 16) | rdn,  # UDOT Vd.4S (dot product)
            0x2E408400 | (m << 16) | rdn,  # SQRDMLAH Vd.4H (RDM)
            0x6E80C400 | (m << 16) | rdn,  # FCMLA Vd.4S (FCMA)
            0x1E7E0000 | rdn,  # FJCVTZS (JSCVT)
            0x0EE08400 | (m << 16) | rdn,  # ADD Vd.1D (size = 11, Q = 0: reserved)
            0xCE608000 | (m << 16) | rdn,  # SHA512H (SHA512)
            0x1E284000 | rdn,  # FRINT32Z Sd, Sn (FRINTTS)
            0x0E20EC00 | (m << 16) | rdn,  # FMLAL (FHM)
            0x1E634000 | rdn,  # BFCVT-space / reserved FP 1-source
        ])

    def fp_random_word(self):
        """A random word from the SIMD&FP data-processing space (op0 = x111),
        which neither accesses memory nor branches. Rd is never X28 (FMOV,
        UMOV, FCVT* write a general register there)."""
        r = self.r
        w = r.getrandbits(32)
        w = (w & ~(0x7 << 25)) | (0x7 << 25)  # bits 27:25 = 111 (bit 28 stays random)
        if w & 0x1F == 28:
            w ^= 1
        return w
