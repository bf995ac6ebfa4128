#!/usr/bin/env python3
"""Random test cases for chimera-aarch64-simd, checked against QEMU.

Generates random instruction words per AdvSIMD encoding group (ARM ARM
C4.1.6) with random register contents (a share of integer and FP special
values) and random FPCR settings, runs them on the oracle (oracle.c +
stub.S under `qemu-aarch64 -cpu cortex-a57`) and writes one line per case:

    GROUP INSN FPCR rN=HEX32 ... -> d=HEX32 fpsr=HEX8     (executed)
    GROUP INSN FPCR rN=HEX32 ... -> undef                 (SIGILL)

Registers not listed hold fill(N) (see `fill`, mirrored in
tests/vectors.rs). The instruction writes Vd only.

Usage:
    run.py regen [--out PATH]     rewrite tests/data/vectors.txt (fixed seed),
                                  or write PATH instead (CI compares the two)
    run.py live N SEED OUT [G,..] N random cases to OUT (only groups G if
                                  given), then check them with
        SIMD_VECTORS=OUT cargo test -p chimera-aarch64-simd --release \
            --test vectors -- --ignored live
"""
import os
import random
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CRATE = os.path.dirname(HERE)

# (name, value, mask, weight): the groups in the decode order of src/lib.rs.
GROUPS = [
    ("three_same", 0x0E200400, 0x9F200400, 8),
    ("three_diff", 0x0E200000, 0x9F200C00, 4),
    ("two_misc", 0x0E200800, 0x9F3E0C00, 8),
    ("across", 0x0E300800, 0x9F3E0C00, 2),
    ("copy", 0x0E000400, 0x9FE08400, 2),
    ("indexed", 0x0F000000, 0x9F000400, 4),
    ("modimm", 0x0F000400, 0x9FF80400, 1),
    ("shift_imm", 0x0F000400, 0x9F800400, 5),
    ("tbl", 0x0E000000, 0xBF208C00, 1),
    ("permute", 0x0E000800, 0xBF208C00, 1),
    ("ext", 0x2E000000, 0xBF208400, 1),
    ("s_three_same", 0x5E200400, 0xDF200400, 4),
    ("s_three_diff", 0x5E200000, 0xDF200C00, 1),
    ("s_two_misc", 0x5E200800, 0xDF3E0C00, 4),
    ("s_pairwise", 0x5E300800, 0xDF3E0C00, 1),
    ("s_copy", 0x5E000400, 0xDFE08400, 1),
    ("s_indexed", 0x5F000000, 0xDF000400, 2),
    ("s_shift_imm", 0x5F000400, 0xDF800400, 3),
    ("aes", 0x4E280800, 0xFF3E0C00, 1),
    ("sha3", 0x5E000000, 0xFF208C00, 1),
    ("sha2", 0x5E280800, 0xFF3E0C00, 1),
]


def classify(w):
    """The group `execute` dispatches `w` to, or None."""
    if (w >> 25) & 7 != 7 or ((w >> 28) & 1 and not (w >> 30) & 1):
        return None
    for name, value, mask, _ in GROUPS:
        if w & mask == value:
            return name
    return "unallocated"


def fill(n):
    """The content of a register the case does not list."""
    return int.from_bytes(bytes(((0x40 + 7 * n + 13 * k) & 0xFF) for k in range(16)), "little")


# Special lane values per lane type.
def int_specials(es):
    m = (1 << es) - 1
    h = 1 << (es - 1)
    return [0, 1, 2, m, m - 1, h, h - 1, h + 1, h >> 1, (h >> 1) - 1, 0x55 & m, 3, 5, 7, (1 << (es // 2)) - 1, 1 << (es // 2), m ^ (h >> 1)]


FP = {16: (5, 10), 32: (8, 23), 64: (11, 52)}


def fp_make(es, sign, exp, frac):
    e, f = FP[es]
    return (sign << (es - 1)) | (exp << f) | frac


def fp_special(es, rnd):
    e, f = FP[es]
    emax = (1 << e) - 1
    bias = emax >> 1
    sign = rnd.getrandbits(1)
    kind = rnd.randrange(18)
    if kind == 0:
        return fp_make(es, sign, 0, 0)
    if kind == 1:
        return fp_make(es, sign, emax, 0)
    if kind == 2:  # quiet NaN with payload
        return fp_make(es, sign, emax, (1 << (f - 1)) | rnd.getrandbits(f - 1) * rnd.getrandbits(1))
    if kind == 3:  # signalling NaN
        return fp_make(es, sign, emax, max(1, rnd.getrandbits(f - 1)))
    if kind == 4:  # denormal
        return fp_make(es, sign, 0, rnd.choice([1, (1 << f) - 1, rnd.getrandbits(f) or 1]))
    if kind == 5:  # min normal / max normal
        return fp_make(es, sign, rnd.choice([1, emax - 1]), rnd.choice([0, (1 << f) - 1]))
    if kind == 6:  # small integers and halves
        v = rnd.choice([0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, -0.5, -1.5, -2.5, 0.25, 0.75, 100.0, 255.5, 65535.5, 1e6 + 0.5])
        if es == 16:
            v = min(v, 65504.0)
            return struct.unpack("<H", struct.pack("<e", v))[0] ^ (sign << 15)
        if es == 32:
            return struct.unpack("<I", struct.pack("<f", v))[0] ^ (sign << 31)
        return struct.unpack("<Q", struct.pack("<d", v))[0] ^ (sign << 63)
    if kind == 7:  # around the integer conversion limits 2^15, 2^31, 2^63, 2^64
        k = rnd.choice([7, 8, 15, 16, 31, 32, 63, 64]) + bias
        k = min(k, emax - 1)
        return fp_make(es, sign, k + rnd.choice([-1, 0, 0, 1]) if k + 1 < emax else k, rnd.choice([0, (1 << f) - 1, rnd.getrandbits(f)]))
    if kind == 8:  # near 1.0 (estimates), tiny and huge exponents
        return fp_make(es, sign, rnd.choice([bias, bias - 1, 1, 2, emax - 2, bias + 1]), rnd.getrandbits(f))
    if kind == 9:  # results near the underflow threshold
        return fp_make(es, sign, rnd.randrange(1, min(emax, f + 4)), rnd.getrandbits(f))
    if kind == 10 and es == 64:  # doubles near the single range limits (FCVTN, FCVTXN)
        return fp_make(es, sign, rnd.choice([1023 + 127, 1023 + 128, 1023 - 126, 1023 - 127, 1023 - 149, 1023 - 150, 1023 - 140]), rnd.choice([0, (1 << 52) - 1, rnd.getrandbits(52), 1 << 28, (1 << 29) - 1]))
    if kind == 10 and es == 32:  # singles near the half range limits
        return fp_make(es, sign, rnd.choice([127 + 15, 127 + 16, 127 - 14, 127 - 15, 127 - 24, 127 - 25]), rnd.choice([0, (1 << 23) - 1, rnd.getrandbits(23), 1 << 12, (1 << 13) - 1]))
    if kind in (11, 12):  # ties and near-ties at every rounding position: (k + 1/2) * 2^j
        j = rnd.randrange(0, f + 2)
        frac = ((rnd.getrandbits(f) >> j) << j) | (1 << j >> 1)
        if kind == 12:
            frac ^= rnd.choice([1, 1 << j >> 2, 0])
        return fp_make(es, sign, bias + rnd.randrange(0, f + 1), frac & ((1 << f) - 1))
    # random exponent, mantissa with few bits (exact results)
    return fp_make(es, sign, rnd.randrange(0, emax + 1), rnd.getrandbits(f) & ~((1 << rnd.randrange(f + 1)) - 1))


def rand_reg(rnd, hint_es):
    flavor = rnd.randrange(10)
    if flavor == 0:
        return rnd.getrandbits(128)
    if flavor <= 3:
        es = hint_es
        fp = False
    elif flavor <= 5:
        es, fp = 32, True
    elif flavor <= 7:
        es, fp = 64, True
    elif flavor == 8:
        es, fp = 16, True
    else:
        es, fp = rnd.choice([8, 16, 32, 64]), False
    v = 0
    for k in range(128 // es):
        if rnd.random() < 0.45:
            x = rnd.getrandbits(es)
        elif fp:
            x = fp_special(es, rnd)
        else:
            x = rnd.choice(int_specials(es))
            if rnd.random() < 0.1:
                x = rnd.randrange(0, 72) if rnd.random() < 0.5 else (-rnd.randrange(0, 72)) & ((1 << es) - 1)
        v |= x << (k * es)
    return v


def rand_fpcr(rnd):
    fpcr = rnd.randrange(4) << 22
    if rnd.random() < 0.3:
        fpcr |= 1 << 24
    if rnd.random() < 0.3:
        fpcr |= 1 << 25
    if rnd.random() < 0.2:
        fpcr |= 1 << 26
    return fpcr


def reads(w, group):
    """The registers the case lists (every register the instruction may read)."""
    d, n, m = w & 31, (w >> 5) & 31, (w >> 16) & 31
    regs = [d, n, m]
    if group == "tbl":
        regs += [(n + k) % 32 for k in range(1, 4)]
    out = []
    for r in regs:
        if r not in out:
            out.append(r)
    return out


def setf(w, hi, lo, v):
    """Sets bits hi:lo of w to v."""
    m = ((1 << (hi - lo + 1)) - 1) << lo
    return (w & ~m) | ((v << lo) & m)


def bias(rnd, name, w):
    """Steers the fields of a group with few allocated encodings toward them."""
    if name in ("aes", "sha2", "sha3", "tbl", "ext"):
        w = setf(w, 23, 22, 0)
    if name == "aes":
        w = setf(w, 16, 12, rnd.randrange(4, 8))
    elif name == "sha2":
        w = setf(w, 16, 12, rnd.randrange(0, 3))
    elif name == "ext" and not (w >> 30) & 1:
        w = setf(w, 14, 14, 0)
    elif name == "s_copy":
        w = setf(setf(w, 14, 11, 0), 29, 29, 0)
    elif name == "copy":
        w = setf(w, 14, 11, rnd.choice([0, rnd.getrandbits(4)])) | (1 << 30) * rnd.getrandbits(1)
    elif name == "s_three_diff":
        w = setf(setf(setf(w, 15, 12, rnd.choice([9, 11, 13])), 29, 29, 0), 23, 22, rnd.choice([1, 2]))
    elif name in ("s_three_same", "s_two_misc", "s_shift_imm") and rnd.random() < 0.5:
        w = setf(w, 23, 22, 3) if name != "s_shift_imm" else setf(w, 22, 22, 1)
    elif name == "s_indexed":
        w = setf(w, 15, 12, rnd.choice([1, 3, 5, 7, 9, 11, 12, 13]))
    return w


def gen_word(rnd, name, value, mask):
    w = (rnd.getrandbits(32) & ~mask) | value
    if name in ("three_same", "s_three_same") and rnd.random() < 0.4:
        w = (w & ~(0x18 << 11)) | (0x18 << 11)  # FP opcodes 0x18..0x1f
    if name in ("two_misc", "s_two_misc") and rnd.random() < 0.4:
        w |= 0x10 << 12  # opcodes 0x10..0x1f (narrowing, FP conversions)
    if name in ("shift_imm", "s_shift_imm") and (w >> 19) & 15 == 0:
        w |= 1 << rnd.randrange(19, 23)
    if rnd.random() < 0.7:
        w = bias(rnd, name, w)
    if name == "across" and rnd.random() < 0.8:
        w = (w & ~(31 << 12)) | (rnd.choice([0x03, 0x0A, 0x1A, 0x1B, 0x0C, 0x0F]) << 12)
        if (w >> 12) & 31 in (0x0C, 0x0F) and rnd.random() < 0.8:
            w |= (1 << 29) | (1 << 30)
            w &= ~(1 << 22)
    if name == "s_pairwise" and rnd.random() < 0.8:
        w = (w & ~(31 << 12)) | (rnd.choice([0x1B, 0x0C, 0x0D, 0x0F]) << 12)
        w |= (w >> 12 & 31 != 0x1B) << 29
    if name in ("indexed", "s_indexed") and rnd.random() < 0.5:
        w = (w & ~(0x3 << 22)) | (rnd.choice([1, 2]) << 22)
    return w


def is_general_copy(w):
    """DUP (general), INS (general), SMOV, UMOV: left to the translator."""
    return w & 0x9FE08400 == 0x0E000400 and not (w >> 29) & 1 and (w >> 11) & 15 in (1, 3, 5, 7)


def make_cases(rnd, count, weights=None):
    ws = [g[3] for g in GROUPS] if weights is None else weights
    cases = []
    while len(cases) < count:
        gi = rnd.choices(range(len(GROUPS)), ws)[0]
        name, value, mask, _ = GROUPS[gi]
        w = gen_word(rnd, name, value, mask)
        group = classify(w)
        if group is None or is_general_copy(w):
            continue
        es = 8 << ((w >> 22) & 3)
        regs = {r: rand_reg(rnd, es) for r in reads(w, group)}
        cases.append((group, w, rand_fpcr(rnd), regs))
    return cases


def oracle_binary():
    out = os.path.join(tempfile.gettempdir(), "chimera-simd-oracle")
    src = [os.path.join(HERE, "oracle.c"), os.path.join(HERE, "stub.S")]
    if not os.path.exists(out) or any(os.path.getmtime(s) > os.path.getmtime(out) for s in src):
        subprocess.run(["aarch64-linux-gnu-gcc", "-O2", "-static", "-nostdlib", "-ffreestanding", "-fno-builtin", "-o", out] + src, check=True)
    return out


def run_oracle(cases, jobs=2):
    exe = oracle_binary()
    chunks = [cases[i : i + 20000] for i in range(0, len(cases), 20000)]
    results = []
    procs = []

    def start(chunk):
        buf = bytearray()
        for _, w, fpcr, regs in chunk:
            buf += struct.pack("<II", w, fpcr)
            for r in range(32):
                buf += regs.get(r, fill(r)).to_bytes(16, "little")
        f = tempfile.TemporaryFile()
        f.write(buf)
        f.seek(0)
        return subprocess.Popen(["qemu-aarch64", "-cpu", "cortex-a57", exe], stdin=f, stdout=subprocess.PIPE)

    pending = list(chunks)
    outs = {}
    idx = 0
    running = []
    while pending or running:
        while pending and len(running) < jobs:
            running.append((idx, start(pending.pop(0))))
            idx += 1
        k, p = running.pop(0)
        data, _ = p.communicate()
        if p.returncode != 0:
            raise SystemExit("oracle failed with status %d" % p.returncode)
        outs[k] = data
    for k in range(idx):
        data = outs[k]
        for i in range(len(data) // 520):
            rec = data[i * 520 : (i + 1) * 520]
            status, fpsr = struct.unpack("<II", rec[:8])
            v = [int.from_bytes(rec[8 + 16 * r : 24 + 16 * r], "little") for r in range(32)]
            results.append((status, fpsr, v))
    if len(results) != len(cases):
        raise SystemExit("oracle returned %d results for %d cases" % (len(results), len(cases)))
    return results


def write_cases(path, cases, results, compact=False):
    """One line per case; `compact` drops the (irrelevant) inputs of
    undefined cases."""
    with open(path, "w") as f:
        for (group, w, fpcr, regs), (status, fpsr, v) in zip(cases, results):
            ins = " ".join("r%d=%032x" % (r, x) for r, x in regs.items())
            if status:
                out = "undef"
                if compact:
                    ins = ""
            else:
                out = "d=%032x fpsr=%08x" % (v[w & 31], fpsr)
            f.write("%s %08x %08x %s -> %s\n" % (group, w, fpcr, ins, out))


def main():
    if sys.argv[1:2] == ["regen"] and (len(sys.argv) == 2 or (len(sys.argv) == 4 and sys.argv[2] == "--out")):
        rnd = random.Random(20240601)
        cases = make_cases(rnd, 13000)
        # Every group gets a floor of cases whatever its weight.
        for gi in range(len(GROUPS)):
            w = [0] * len(GROUPS)
            w[gi] = 1
            cases += make_cases(rnd, 250, w)
        results = run_oracle(cases)
        # Keep one undefined case in five.
        keep = [k for k, r in enumerate(results) if not r[0] or rnd.random() < 0.2]
        cases = [cases[k] for k in keep]
        results = [results[k] for k in keep]
        path = sys.argv[3] if len(sys.argv) == 4 else os.path.join(CRATE, "tests", "data", "vectors.txt")
        write_cases(path, cases, results, compact=True)
        print("wrote %d cases to %s (%d bytes)" % (len(cases), path, os.path.getsize(path)))
    elif len(sys.argv) in (5, 6) and sys.argv[1] == "live":
        count, seed, out = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
        rnd = random.Random(seed)
        weights = None
        if len(sys.argv) == 6:
            only = sys.argv[5].split(",")
            weights = [1 if g[0] in only else 0 for g in GROUPS]
        cases = make_cases(rnd, count, weights)
        results = run_oracle(cases)
        write_cases(out, cases, results)
        print("wrote %d cases to %s" % (len(cases), out))
    else:
        print(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()
