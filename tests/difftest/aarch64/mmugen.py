#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""Random A64 programs that run with the MMU on (difftest.py --mmu).

    mmugen.py SEED [--units N] [--cpu max] > body.S

Each seed gives a random but valid stage 1 configuration of the EL1&0
regime and a body of units (as in gen.py) that run under it:

- Configuration: a granule per half (4 KiB or 64 KiB for TTBR0 and for
  TTBR1), T0SZ 16-33 (the identity map of the image needs 31 bits), T1SZ
  16-39, IPS (32-48 bits; 48 is more than the CPU's 44 and acts as 44),
  TCR_EL1.A1 and AS, one to three ASIDs, SCTLR_EL1.WXN, sometimes EPD1.
  The runtime (runtime_mmu.c) builds the tables from records this file
  writes and turns the MMU on.
- The identity map: code and stub pages (RX), data/bss/stack, the table
  pool and the data pages (RW, execute-never), the UART (Device), as pages
  or 2 MiB blocks.
- Windows: page windows (1-6 pages, 4 KiB or 64 KiB, in TTBR0's or
  TTBR1's half) onto random pages of the 1 MiB of data pages; block
  windows (1 GiB or 2 MiB blocks with 4 KiB, 512 MiB with 64 KiB) over the
  data pages; Device-nGnRE windows onto the last 64 KiB of the data pages
  (no Normal window maps those); exec windows onto two pages of stub
  routines (`MOVZ X17, #id; RET` at four entries). Each leaf has random
  AP, UXN, PXN, AF, nG and software bits, or is invalid (with junk bits),
  the reserved level 3 encoding, or has an output address beyond the PA
  size. Table descriptors above window leaves get random
  APTable/UXNTable/PXNTable, any table descriptor random IGNORED bits.
  Also: a table descriptor with an out-of-range address (an Address size
  fault at its level), unmapped gaps, addresses outside both ranges and
  non-canonical ones.
- Events: a leaf is rewritten mid-run by a unit that calls the runtime's
  difftest_mmu_write and then issues a TLBI that is sufficient for the
  change (VMALLE1(IS); VAAE1/VAALE1(IS); VAE1/VALE1(IS) for every ASID in
  use, or any ASID when every cacheable state of the leaf is global;
  ASIDE1(IS) for every ASID when none is global), DSB and ISB; a change of
  output address or nG goes through break-before-make. Exec leaves also
  get IC IALLU. Other units switch the ASID (MSR TTBRn_EL1 + ISB).
- Accesses: the integer loads and stores of gen.py (every size and mode,
  LDTR/STTR, pairs, acquire/release, exclusives, LSE with --cpu max) and
  DC ZVA at window addresses. An access that may fault (its page may deny
  it in some state the events can leave it in) is naturally aligned (a
  pair: to twice its element size) so that it is one translation: the
  fault it takes and its FAR are defined. Unaligned and page-crossing
  accesses only go where they can never fault; exclusives and LSE atomics
  only where the page is always writable; nothing unaligned and no DC ZVA
  on Device memory (Alignment faults that QEMU 7.2 does not raise).
- AT S1E1R/S1E1W/S1E0R/S1E0W with PAR_EL1 read into a register (F and
  FST, or the PA: ATTR, SH, NS and the IMPLEMENTATION DEFINED bits are
  masked). BLR into exec windows (an Instruction Abort resumes at X30).
- With TCR_EL1.TBI0/TBI1 (30% each), data addresses of that half carry a
  random tag half of the time (FAR[63:56] of their faults is UNKNOWN in
  ARMv8.0 and not logged).

See README.md for what is avoided and why.

The program for a seed does not depend on `keep`: the random stream is
consumed for all units first, and only the emission is cut.
"""

import argparse
import random
import sys

from gen import BASE, Gen, Program, rn, rs

M64 = (1 << 64) - 1

POOL_PA = 0x40800000  # link_mmu.ld: .mmu_pool
POOL_SIZE = 0x100000
# The last 64 KiB of the data pages: only Device windows map them (no
# Normal alias: mismatched memory attributes are not what is tested).
DEV_PA = POOL_PA + 0xF0000
STUB_PA = (0x40100000, 0x40110000)  # link_mmu.ld: .mmu_stubs, one 64 KiB slot each
STUB_ENTRIES = (0x0, 0x40, 0x80, 0xC0)
UART_PA = 0x09000000
CODE = (0x40080000, 0x40120000)
RW = (0x40120000, 0x40400000)
TABLES = (0x40400000, 0x40800000)
MAIR = 0xFF | 0x04 << 8 | 0x44 << 16  # 0 Normal WB, 1 Device-nGnRE, 2 Normal NC
SCTLR = 0x30D00800 | 1 | 1 << 2 | 1 << 12  # RES1 bits, M, C, I
PAR_PA = 0x0000FFFFFFFFF000

IPS_BITS = [32, 36, 40, 42, 44, 48]
PA_BITS = 44  # cortex-a57 ID_AA64MMFR0_EL1.PARange

TLBI_VA = ["vae1", "vae1is", "vale1", "vale1is"]
TLBI_VAA = ["vaae1", "vaae1is", "vaale1", "vaale1is"]
TLBI_ASID = ["aside1", "aside1is"]
TLBI_ALL = ["vmalle1", "vmalle1is"]


def leaf_bits(level, ap, uxn, pxn, af, ng, sw=0, attr=0, sh=3):
    """Descriptor bits of a valid page (level 3) or block, without the OA."""
    return (1 | (2 if level == 3 else 0) | attr << 2 | ap << 6 | sh << 8 | af << 10 | ng << 11
            | pxn << 53 | uxn << 54 | sw << 55)


class State:
    """One value a leaf descriptor can hold: `desc` (bit 0 clear: written
    as is; else OR'ed with `pa`), whether a translation through it
    succeeds (`ok`: valid, AF set, OA within the PA size), its AP and nG,
    and a short description."""

    def __init__(self, desc, pa, ok, what):
        self.desc = desc
        self.pa = pa
        self.ok = ok
        self.ap = desc >> 6 & 3
        self.ng = desc >> 11 & 1
        self.what = what


class Half:
    """The TTBR0 (n = 0) or TTBR1 (n = 1) half of the VA space."""

    def __init__(self, n, g, tsz, nomap):
        self.n, self.g, self.tsz, self.nomap = n, g, tsz, nomap
        self.insize = 64 - tsz
        self.stride = g - 3
        levels = -(-(self.insize - g) // self.stride)
        self.start = 4 - levels
        self.base = 0 if n == 0 else (1 << 64) - (1 << self.insize)
        self.top = self.base + (1 << self.insize)
        self.used = []  # [lo, hi) ranges of leaves and reserved table entries

    def shift(self, level):
        return self.g + (3 - level) * self.stride

    def span(self, level):
        return 1 << self.shift(level)

    def block_levels(self):
        """Levels where ARMv8.0 has blocks (4 KiB: 1 and 2; 64 KiB: 2)."""
        return [l for l in (1, 2) if l >= self.start and (l == 2 or self.g == 12)]

    def free(self, lo, hi):
        return self.base <= lo < hi <= self.top and all(hi <= a or lo >= b for a, b in self.used)

    def reserve(self, lo, hi):
        self.used.append((lo, hi))

    def name(self):
        return f"TTBR{self.n}"


class Leaf:
    """A leaf descriptor of a window: its VA and level, the states it can
    be in (the first is the initial one), what it maps ('data', 'block',
    'exec', 'ident') and the table-level restrictions above it."""

    def __init__(self, half, va, level, kind, state):
        self.half, self.va, self.level, self.kind = half, va, level, kind
        self.states = [state]
        # The addresses accesses through it use (a block: its data pages).
        self.lo, self.hi = va, va + half.span(level)
        self.nowrite = False  # some APTable[1] on the walk
        self.noel0 = False  # some APTable[0] on the walk

    def allows(self, st, acc):
        """Whether state `st` lets an access `acc` ('r1', 'w1', 'r0', 'w0':
        read/write at EL1/EL0) through (ARM ARM D5.4.4 and D5.4.7)."""
        if not st.ok:
            return False
        ro = bool(st.ap & 2) or self.nowrite
        el0 = bool(st.ap & 1) and not self.noel0
        return {"r1": True, "w1": not ro, "r0": el0, "w0": el0 and not ro}[acc]

    def safe(self, acc):
        """`acc` succeeds in every state the events can leave the leaf in."""
        return all(self.allows(s, acc) for s in self.states)

    def span(self):
        return self.half.span(self.level)


class Region:
    """Addresses the accesses aim at: [lo, hi), split into pieces
    (lo, hi, leaf) where `leaf` is None if every access there faults."""

    def __init__(self, kind, pieces):
        self.kind = kind
        self.pieces = pieces
        self.lo = pieces[0][0]
        self.hi = pieces[-1][1]

    def leaves(self, a, size):
        """The leaves under [a, a + size), None for a faulting piece."""
        return [leaf for lo, hi, leaf in self.pieces if lo < a + size and a < hi]


class Event:
    """A descriptor rewrite: `leaf` becomes `state`. `slot` is the index
    of its record (and `brk` that of the break record before it, or
    None)."""

    def __init__(self, leaf, state):
        self.leaf = leaf
        self.state = state
        self.slot = None
        self.brk = None


class MMUGen(Gen):
    """gen.py's generator with memory units that aim at the windows of a
    random translation configuration, AT units, descriptor rewrites,
    ASID switches and BLRs into exec windows."""

    def __init__(self, seed, lse=False):
        super().__init__(seed, lse, False)
        # A stream of its own: the integer programs stay what they are.
        self.r = random.Random(f"mmu{seed}")
        self.plan = {}

    # ---- the configuration ------------------------------------------------------

    def configure(self):
        r = self.r
        g0, g1 = r.choice([12, 16]), r.choice([12, 16])
        t0 = r.choice([16, 20, 24, 25, 28, 32, 33, r.randrange(16, 34)])
        t1 = r.choice([16, 25, 33, 34, 36, 39, r.randrange(16, 40)])
        self.halves = [Half(0, g0, t0, False), Half(1, g1, t1, self.chance(0.15))]
        # With --cpu max, QEMU's `max` has a 52-bit PA (FEAT_LPA) and
        # Chimera's the Cortex-A57's 44 bits: IPS at most 44 bits, so that
        # the output size (the smaller of IPS and the PA size) is the same.
        self.ips = r.choice([0, 1, 2, 3, 4, 4] if self.lse else [0, 1, 2, 3, 4, 4, 5])
        self.pabits = min(IPS_BITS[self.ips], PA_BITS)
        self.a1 = r.randrange(2)
        self.as16 = r.randrange(2)
        n = r.choice([1, 1, 2, 3])
        self.asids = r.sample(range(1 << (16 if self.as16 and self.chance(0.5) else 8)), n)
        self.wxn = self.chance(0.3)
        # TCR_EL1.TBI0/TBI1: data addresses of that half then often carry a tag.
        self.tbi = [self.chance(0.3), self.chance(0.3)]
        self.maps = []  # (va, pa, va_end, level, desc)
        self.tattrs = []  # (kind, va, level, bits, pa)
        self.leaves = []
        self.regions = []
        self.holes = []
        # Pages of the data pool the page windows use (a few, so that
        # windows alias each other).
        self.pool_pages = {12: [POOL_PA + 0x1000 * i for i in r.sample(range(240), 8)],
                           16: [POOL_PA + 0x10000 * i for i in r.sample(range(15), 6)]}
        self.dev_pages = {12: [DEV_PA + 0x1000 * i for i in r.sample(range(16), 3)], 16: [DEV_PA]}
        self.identity()
        for _ in range(r.randrange(3, 7)):
            self.page_window()
        for _ in range(r.choice([0, 1, 1, 2])):
            self.block_window()
        for _ in range(r.choice([1, 1, 2])):
            self.exec_window()
        for _ in range(r.choice([0, 1, 1, 2])):
            self.page_window("dev")
        if self.chance(0.35):
            self.bad_table()
        # No block descriptors at a level without blocks (4 KiB level 0,
        # 64 KiB level 1): a Translation fault in the ARM ARM, but QEMU 7.2
        # maps them as 512 GiB / 4 TiB blocks (see README.md).
        self.hole_regions()
        self.table_attributes()
        self.make_events()

    def pick_half(self, p1=0.35):
        h = self.halves[1]
        return h if not h.nomap and self.chance(p1) else self.halves[0]

    def place(self, half, size, align, near=0.5):
        """A free VA for [va, va + size) in `half`, aligned to `align`, often
        near what is already mapped (so that tables are shared); reserved.
        None if none was found."""
        r = self.r
        for _ in range(200):
            if half.used and self.chance(near):
                lo, _ = r.choice(half.used)
                dist = r.choice([size, 16 * size, 1 << 21, 1 << 30, 1 << 39])
                va = (lo + r.randrange(-dist, dist + 1)) & ~(align - 1)
            else:
                va = half.base + (r.randrange(0, 1 << half.insize) & ~(align - 1))
            if half.free(va, va + size):
                half.reserve(va, va + size)
                return va
        return None

    def identity(self):
        """The runtime's identity map in TTBR0: code and stubs RX, the rest
        RW and execute-never, the UART as Device memory."""
        h = self.halves[0]
        r = self.r
        sw = lambda: r.randrange(16) if self.chance(0.3) else 0  # noqa: E731
        code_ap = r.choice([2, 3] if self.wxn else [0, 2, 3])
        self.ident = []
        self.ident.append((CODE[0], CODE[1], 3, leaf_bits(3, code_ap, r.randrange(2), 0, 1, 0, sw())))
        self.ident.append((RW[0], RW[1], 3, leaf_bits(3, r.choice([0, 1]), r.randrange(2), 1, 1, 0, sw())))
        lvl = 2 if h.g == 12 and self.chance(0.5) else 3
        self.ident.append((TABLES[0], TABLES[1], lvl, leaf_bits(lvl, 0, 1, 1, 1, 0, sw())))
        pool_ap = r.choice([0, 1])
        if h.g == 12 and self.chance(0.4):
            pool = (POOL_PA, POOL_PA + 0x200000, 2, leaf_bits(2, pool_ap, 1, 1, 1, 0, sw()))
        else:
            pool = (POOL_PA, POOL_PA + POOL_SIZE, 3, leaf_bits(3, pool_ap, 1, 1, 1, 0, sw()))
        self.ident.append(pool)
        self.ident.append((UART_PA, UART_PA + (1 << h.g), 3, leaf_bits(3, 0, 1, 1, 1, 0, 0, attr=1, sh=0)))
        for lo, hi, lvl, desc in self.ident:
            self.maps.append((lo, lo, hi, lvl, desc))
            h.reserve(lo, hi)
        # The fixed mapping of the data pages is a target too (never rewritten).
        leaf = Leaf(h, POOL_PA, pool[2], "ident", State(pool[3], POOL_PA, True, "identity"))
        self.regions.append(Region("ident", [(POOL_PA, DEV_PA, leaf)]))

    def random_state(self, level, pa, kind, ng=None):
        """A random state of a leaf of `level` whose valid states map `pa`
        (with nG = `ng` unless None); Device-nGnRE for kind 'dev'."""
        r = self.r
        k = r.random()
        sw = r.randrange(16) if self.chance(0.3) else 0
        ng = r.randrange(2) if ng is None else ng
        if k < 0.08:
            junk = 0 if self.chance(0.5) else r.getrandbits(64) & ~1
            return State(junk, 0, False, "invalid")
        if k < 0.11 and level == 3:
            return State(leaf_bits(3, r.randrange(4), 0, 0, 1, ng) & ~2, pa, False, "reserved level 3")
        attr, sh = (1, 0) if kind == "dev" else (0, 3)
        if k < 0.16:
            bad = pa | 1 << r.randrange(self.pabits, 48)
            return State(leaf_bits(level, r.randrange(4), 0, 0, 1, ng, sw, attr, sh), bad, False, "OA beyond PA size")
        ap = r.randrange(4)
        pxn = int(self.chance(0.3 if kind == "exec" else 0.5))
        uxn = r.randrange(2)
        af = int(self.chance(0.9))
        attr, sh = (1, 0) if kind == "dev" else (0, 3)
        st = State(leaf_bits(level, ap, uxn, pxn, af, ng, sw, attr, sh), pa, bool(af),
                   f"AP={ap} UXN={uxn} PXN={pxn} AF={af} nG={ng}")
        return st

    def add_leaf(self, half, va, level, kind, pa):
        leaf = Leaf(half, va, level, kind, self.random_state(level, pa, kind))
        self.leaves.append(leaf)
        return leaf

    def page_window(self, kind="data"):
        """Pages onto the data pages (kind 'data', Normal Write-Back) or
        onto their Device part (kind 'dev', Device-nGnRE)."""
        h = self.pick_half()
        n = self.r.randrange(1, 7 if kind == "data" else 3)
        size = n << h.g
        va = self.place(h, size, 1 << h.g)
        if va is None:
            return
        pieces = []
        pages = self.pool_pages if kind == "data" else self.dev_pages
        for i in range(n):
            leaf = self.add_leaf(h, va + (i << h.g), 3, kind, self.r.choice(pages[h.g]))
            pieces.append((leaf.va, leaf.va + (1 << h.g), leaf))
        self.regions.append(Region("page" if kind == "data" else "dev", pieces))

    def block_window(self):
        h = self.pick_half()
        levels = h.block_levels()
        if not levels:
            return
        level = self.r.choice(levels)
        span = h.span(level)
        va = self.place(h, span, span, near=0.3)
        if va is None:
            return
        pa = POOL_PA & ~(span - 1)
        leaf = self.add_leaf(h, va, level, "block", pa)
        leaf.lo = va + (POOL_PA - pa)
        leaf.hi = leaf.lo + (DEV_PA - POOL_PA)
        self.regions.append(Region("block", [(leaf.lo, leaf.hi, leaf)]))

    def exec_window(self):
        h = self.pick_half()
        n = self.r.randrange(1, 3)
        va = self.place(h, n << h.g, 1 << h.g)
        if va is None:
            return
        pieces = []
        for i in range(n):
            leaf = self.add_leaf(h, va + (i << h.g), 3, "exec", self.r.choice(STUB_PA))
            pieces.append((leaf.va, leaf.va + (1 << h.g), leaf))
        self.regions.append(Region("exec", pieces))

    def bad_table(self):
        """A table descriptor whose next-level address is beyond the PA
        size: an Address size fault at its level for everything below."""
        h = self.pick_half(0.3)
        levels = list(range(h.start, 3))
        if not levels:
            return
        level = self.r.choice(levels)
        span = h.span(level)
        va = self.place(h, span, span, near=0.3)
        if va is None:
            return
        pa = (self.r.choice(self.pool_pages[h.g]) | 1 << self.r.randrange(self.pabits, 48)) & ~((1 << h.g) - 1)
        self.tattrs.append((1, va, level, self.ignored_table_bits(), pa))
        self.holes.append((va, va + span, f"bad table address at level {level}"))

    def hole_regions(self):
        """Addresses where every access faults: unmapped gaps, outside both
        ranges, non-canonical, in a half without tables."""
        r = self.r
        for h in self.halves:
            for _ in range(3):
                for _ in range(100):
                    va = h.base + (r.randrange(0, 1 << h.insize) & ~0xFFFF)
                    if h.free(va, va + 0x10000):
                        self.holes.append((va, va + 0x10000, f"unmapped in {h.name()}"))
                        break
        h0, h1 = self.halves
        if h0.insize < 55:
            va = r.randrange(h0.top, 1 << 55) & ~0xFFF
            self.holes.append((va, va + 0x1000, "above TTBR0's range"))
        if h1.insize < 55:
            va = r.randrange((1 << 64) - (1 << 55), h1.base) & ~0xFFF
            self.holes.append((va, va + 0x1000, "below TTBR1's range"))
        # Bits [55:48] neither all 0 nor all 1: non-canonical with or without TBI.
        top = r.choice([0x80, 0x7F, 0x01, 0xFE, r.randrange(1, 255)])
        va = top << 56 | r.randrange(1, 255) << 48 | r.getrandbits(36) << 12
        self.holes.append((va, va + 0x1000, "non-canonical"))
        for lo, hi, what in self.holes:
            self.regions.append(Region("hole", [(lo, min(hi, lo + 0x10000), None)]))

    def ignored_table_bits(self):
        """Random IGNORED bits of a table descriptor: [11:2] and [58:52]."""
        r = self.r
        return (r.getrandbits(10) << 2 | r.getrandbits(7) << 52) if self.chance(0.3) else 0

    def table_attributes(self):
        """Table-descriptor records: APTable/UXNTable/PXNTable on tables
        whose span holds no runtime mapping, IGNORED bits on any."""
        keys = {}  # (half, level, index) -> [runtime?, a VA under it, leaves]

        def mark(h, lo, hi, level, runtime, leaf=None):
            for l in range(h.start, level):
                sh = h.shift(l)
                for idx in range((lo - h.base) >> sh, ((hi - 1 - h.base) >> sh) + 1):
                    k = keys.setdefault((h.n, l, idx), [False, h.base + (idx << sh), []])
                    k[0] |= runtime
                    if leaf is not None:
                        k[2].append(leaf)

        h0 = self.halves[0]
        for lo, hi, level, _ in self.ident:
            mark(h0, lo, hi, level, True)
        for leaf in self.leaves:
            mark(leaf.half, leaf.va, leaf.va + leaf.span(), leaf.level, False, leaf)
        for _, va, level, _, _ in list(self.tattrs):
            h = self.halves[va >> 55 & 1]
            mark(h, va, va + 1, level, False)
        r = self.r
        for (n, level, _), (runtime, va, leaves) in sorted(keys.items()):
            bits = self.ignored_table_bits()
            if not runtime:
                if self.chance(0.25):
                    ap = r.randrange(1, 4)
                    bits |= ap << 61
                    for leaf in leaves:
                        leaf.nowrite |= bool(ap & 2)
                        leaf.noel0 |= bool(ap & 1)
                if self.chance(0.2):
                    bits |= 1 << 59  # PXNTable
                if self.chance(0.2):
                    bits |= 1 << 60  # UXNTable
            if bits:
                self.tattrs.append((0, va, level, bits, 0))

    # ---- events: descriptor rewrites ----------------------------------------

    def make_events(self):
        r = self.r
        self.events = []
        self.records = []
        self.dynamic = []
        dynamic = list(self.leaves)
        if not dynamic:
            return
        chosen = []
        for _ in range(r.randrange(2, 13)):
            if chosen and self.chance(0.5):
                leaf = r.choice(chosen)
            else:
                leaf = r.choice(dynamic)
                chosen.append(leaf)
            first = leaf.states[0]
            # Mostly the same output address (and nG: a change of
            # permissions only, no break-before-make needed), sometimes
            # another one.
            if leaf.kind == "block":
                pa, same = POOL_PA & ~(leaf.span() - 1), True
            elif first.ok and self.chance(0.65):
                pa, same = first.pa, True
            else:
                pages = {"data": self.pool_pages[leaf.half.g], "dev": self.dev_pages[leaf.half.g], "exec": STUB_PA}
                pa, same = r.choice(pages[leaf.kind]), False
            st = self.random_state(leaf.level, pa, leaf.kind, first.ng if same else None)
            leaf.states.append(st)
            self.events.append(Event(leaf, st))
        self.dynamic = chosen
        # Records: a break (invalid, 0) before a change that needs
        # break-before-make, then the new value.
        for ev in self.events:
            ok = [s for s in ev.leaf.states if s.ok]
            ev.bbm = len({(s.pa, s.ng) for s in ok}) > 1 or self.chance(0.25)
            if ev.bbm:
                ev.brk = len(self.records)
                self.records.append((ev.leaf.va, ev.leaf.level, 0, 0))
            ev.slot = len(self.records)
            self.records.append((ev.leaf.va, ev.leaf.level, ev.state.desc, ev.state.pa))

    def tlbi_lines(self, leaf, avoid):
        """A TLBI sequence that removes every translation of `leaf` a TLB
        can hold, whatever state it was in and whichever ASID was current
        (ARM ARM D5.10.2, TLB maintenance instructions): entries are only
        cached from states whose translation succeeds."""
        r = self.r
        ok = [s for s in leaf.states if s.ok]
        ngs = {s.ng for s in ok}
        h = leaf.half
        va = leaf.va + (r.randrange(leaf.span() >> h.g) << h.g if leaf.level < 3 else 0)
        vapart = (va >> 12) & ((1 << 44) - 1)
        options = ["all", "vaa", "va"] + (["asid"] if 0 not in ngs else [])
        k = r.choice(options)
        t = self.dest(avoid | {16, 17, 30}, zr=False)
        if k == "all":
            return [f"tlbi {r.choice(TLBI_ALL)}"]
        if k == "vaa":
            return [f"ldr x{t}, ={vapart:#x}", f"tlbi {r.choice(TLBI_VAA)}, x{t}"]
        if k == "va":
            if ngs <= {0}:
                # Global entries match a TLBI by VA whatever its ASID.
                asids = [r.randrange(1 << (16 if self.as16 else 8))]
            else:
                asids = self.asids
            lines = []
            for a in asids:
                lines += [f"ldr x{t}, ={a << 48 | vapart:#x}", f"tlbi {r.choice(TLBI_VA)}, x{t}"]
            return lines
        lines = []
        for a in self.asids:
            lines += [f"ldr x{t}, ={a << 48:#x}", f"tlbi {r.choice(TLBI_ASID)}, x{t}"]
        return lines

    def u_remap(self, ev):
        """Rewrite a leaf descriptor (the runtime's difftest_mmu_write:
        X16 = record, clobbers X16, X17, X30) and invalidate: break, TLBI,
        DSB, make for a change of output address or nG; else write, TLBI,
        DSB; then ISB (and IC IALLU for code)."""
        r = self.r
        leaf, st = ev.leaf, ev.state
        lines = [f"// {leaf.half.name()} {leaf.kind} leaf {leaf.va:#x} level {leaf.level} -> {st.what}"
                 + (f" pa {st.pa:#x}" if st.desc & 1 else "")]
        dsb = lambda: r.choice(["dsb ish", "dsb ish", "dsb sy"])  # noqa: E731
        for _ in range(r.choice([0, 1, 1, 2])):
            lines += self.touch(leaf)
        if ev.brk is not None:
            lines += [f"mov x16, #{ev.brk}", "bl difftest_mmu_write"]
            lines += self.tlbi_lines(leaf, set())
            lines.append(dsb())
            lines += [f"mov x16, #{ev.slot}", "bl difftest_mmu_write"]
            if self.chance(0.3):
                lines += self.tlbi_lines(leaf, set())
                lines.append(dsb())
        else:
            lines += [f"mov x16, #{ev.slot}", "bl difftest_mmu_write"]
            lines += self.tlbi_lines(leaf, set())
            lines.append(dsb())
        if leaf.kind == "exec":
            lines += ["ic iallu", "dsb ish"]
        lines.append("isb")
        for _ in range(r.choice([0, 1, 2, 2])):
            lines += self.touch(leaf)
        return lines

    def touch(self, leaf):
        """An access through `leaf` (before a rewrite, so that a TLB may hold
        it; after, to see the new descriptor): a load or store at EL1 or
        EL0 (LDTR/STTR), an AT, or for code a BLR into it."""
        r = self.r
        t = self.dest({16, 17}, zr=False)
        d = self.dest({16, 17, t}, zr=False)
        if leaf.kind == "exec" and self.chance(0.6):
            return [f"ldr x{t}, ={leaf.lo + r.choice(STUB_ENTRIES):#x}", f"blr x{t}"]
        size = r.choice([1, 2, 4, 8])
        va = self.tag(r.randrange(leaf.lo, leaf.hi - 8) & ~(size - 1))
        sfx, reg = {1: ("b", "w"), 2: ("h", "w"), 4: ("", "w"), 8: ("", "x")}[size]
        k = r.random()
        if k < 0.2 and leaf.kind != "exec":
            op = f"str{sfx}" if self.chance(0.6) else f"sttr{sfx}"
            if leaf.kind != "dev" and self.chance(0.2):
                return [f"ldr x{t}, ={va | r.randrange(8):#x}", f"dc zva, x{t}"]
            return [f"ldr x{t}, ={va:#x}", f"{op} {reg}{d}, [x{t}]"]
        if k < 0.8:
            op = f"ldr{sfx}" if self.chance(0.6) else f"ldtr{sfx}"
            return [f"ldr x{t}, ={va:#x}", f"{op} {reg}{d}, [x{t}]"]
        return self.u_at({16, 17}, va)

    def u_asid(self, i):
        """Switch to ASID `i` of the program (TTBRn_EL1 with the same table)."""
        t = self.dest({16, 17}, zr=False)
        return [f"adrp x{t}, difftest_mmu_ttbr", f"add x{t}, x{t}, :lo12:difftest_mmu_ttbr",
                f"ldr x{t}, [x{t}, #{8 * i}]", f"msr ttbr{self.a1}_el1, x{t}", "isb"]

    # ---- targets ----------------------------------------------------------------

    def pick_region(self, kinds):
        regs = [g for g in self.regions if g.kind in kinds]
        weights = {"page": 8, "block": 3, "exec": 1, "ident": 2, "hole": 1, "dev": 2}
        total = sum(weights[g.kind] for g in regs)
        x = self.r.randrange(total)
        for g in regs:
            x -= weights[g.kind]
            if x < 0:
                return g
        raise AssertionError

    def tag(self, va):
        """`va`, with a random top byte half of the time when TBI applies."""
        if self.tbi[va >> 55 & 1] and self.chance(0.5):
            return (va & ((1 << 56) - 1)) | self.r.randrange(256) << 56
        return va

    def target(self, acc, size, align, unaligned=True):
        """An address for an access `acc` of `size` bytes (maybe tagged)."""
        return self.tag(self.untagged_target(acc, size, align, unaligned))

    def untagged_target(self, acc, size, align, unaligned=True):
        """An address for an access `acc` of `size` bytes: aligned to
        `align` where it may fault; unaligned (sometimes across a page
        boundary) only where it never faults."""
        r = self.r
        kinds = ["page", "block", "ident", "hole", "dev"] + (["exec"] if acc[0] == "r" else [])
        dyn = [l for l in self.dynamic if l.kind in kinds]
        if dyn and self.chance(0.3):
            # Leaves that descriptor rewrites change: aligned, they may fault.
            leaf = r.choice(dyn)
            return r.randrange(leaf.lo, leaf.hi - align) & ~(align - 1)
        g = self.pick_region(kinds)
        # Never unaligned on Device memory: an Alignment fault in the ARM
        # ARM, which QEMU 7.2 does not raise (see README.md).
        if unaligned and g.kind != "dev" and self.chance(0.25):
            for _ in range(4):
                if len(g.pieces) > 1 and self.chance(0.5):
                    k = r.randrange(1, len(g.pieces))
                    a = g.pieces[k][0] - r.randrange(1, size) if size > 1 else g.pieces[k][0]
                else:
                    a = r.randrange(g.lo, g.hi - size)
                if g.lo <= a and a + size <= g.hi:
                    leaves = g.leaves(a, size)
                    if all(l is not None and l.safe(acc) for l in leaves):
                        return a
        a = r.randrange(g.lo, g.hi - align) & ~(align - 1)
        return a

    def safe_target(self, acc, align):
        """An aligned address whose page never denies `acc` (exclusives,
        LSE atomics)."""
        r = self.r
        pieces = [(lo, hi) for g in self.regions if g.kind not in ("exec", "dev")
                  for lo, hi, l in g.pieces if l is not None and l.safe(acc)]
        lo, hi = r.choice(pieces)
        return self.tag(r.randrange(lo, hi - align) & ~(align - 1))

    def set_reg(self, reg, value, avoid):
        """Lines setting X`reg` (31: SP, through a scratch register) to `value`."""
        if reg == 31:
            t = self.dest(avoid | {31}, zr=False)
            return [f"ldr x{t}, ={value & M64:#x}", f"mov sp, x{t}"]
        return [f"ldr x{reg}, ={value & M64:#x}"]

    # ---- memory units -----------------------------------------------------------

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
        acc = ("w" if kind == "st" else "r") + ("0" if mode == "unpriv" else "1")
        tgt = self.target(acc, size, size)
        busy = avoid | {b, t}
        if mode == "uimm":
            imm = self.r.choice([0, self.r.randrange(64), self.r.randrange(min(4096, 0x4000 // size))]) * size
            return self.set_reg(b, tgt - imm, busy) + [f"{stem} {treg}, [{bname}, #{imm}]"]
        if mode == "post":
            imm = self.r.randrange(-256, 256)
            return self.set_reg(b, tgt, busy) + [f"{stem} {treg}, [{bname}], #{imm}"]
        if mode in ("unscaled", "unpriv", "pre"):
            imm = self.r.randrange(-256, 256)
            lines = self.set_reg(b, tgt - imm, busy)
            if mode == "pre":
                return lines + [f"{stem} {treg}, [{bname}, #{imm}]!"]
            if mode == "unscaled":
                s = stem.replace("ldr", "ldur").replace("str", "stur")
            else:
                s = stem.replace("ldr", "ldtr").replace("str", "sttr")
            return lines + [f"{s} {treg}, [{bname}, #{imm}]"]
        # Register offset, with junk above what the extension reads.
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
        lines = self.set_reg(b, tgt - e, busy | {i})
        lines.append(f"ldr {rn(i, True)}, ={idx:#x}")
        ireg = rn(i, ext in ("lsl", "sxtx"))
        if ext == "lsl" and sh is None:
            return lines + [f"{stem} {treg}, [{bname}, {ireg}]"]
        amount = "" if sh is None else f" #{sh}"
        return lines + [f"{stem} {treg}, [{bname}, {ireg}, {ext}{amount}]"]

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
        tgt = self.target("r1" if load else "w1", 2 * size, 2 * size)
        bname = rs(b, True)
        regs = f"{rn(t1, xreg)}, {rn(t2, xreg)}"
        busy = avoid | {b, t1, t2}
        if mode == "post":
            return self.set_reg(b, tgt, busy) + [f"{op} {regs}, [{bname}], #{imm}"]
        bang = "!" if mode == "pre" else ""
        return self.set_reg(b, tgt - imm, busy) + [f"{op} {regs}, [{bname}, #{imm}]{bang}"]

    def u_acqrel(self, avoid):
        stem, size, xreg = self.r.choice([
            ("ldarb", 1, False), ("ldarh", 2, False), ("ldar", 4, False), ("ldar", 8, True),
            ("stlrb", 1, False), ("stlrh", 2, False), ("stlr", 4, False), ("stlr", 8, True),
        ])
        b = self.base_reg(avoid)
        load = stem.startswith("ld")
        t = self.dest(avoid) if load else self.src()
        tgt = self.target("r1" if load else "w1", size, size, unaligned=False)
        return self.set_reg(b, tgt, avoid | {b, t}) + [f"{stem} {rn(t, xreg)}, [{rs(b, True)}]"]

    def u_exclusive(self, avoid):
        """LDXR/LDAXR (or the pair forms), a few ALU instructions, maybe
        CLREX, then STXR/STLXR of the same size to the same address, on a
        page that is always writable at EL1. (Not generated: a plain store
        to the location in between, a different address or size for the
        store-exclusive: IMPLEMENTATION DEFINED or CONSTRAINED
        UNPREDICTABLE outcomes.)"""
        pair = self.chance(0.25)
        if pair:
            size, xreg = self.r.choice([(4, False), (8, True)])
            lsz = ""
        else:
            size, lsz, xreg = self.r.choice([(1, "b", False), (2, "h", False), (4, "", False), (8, "", True)])
        b = self.base_reg(avoid)
        align = size * (2 if pair else 1)
        tgt = self.safe_target("w1", align)
        lines = self.set_reg(b, tgt, avoid | {b})
        ld = self.r.choice(["ldxr", "ldaxr"])
        if pair:
            while True:
                t1, t2 = self.dest(avoid | {b}), self.dest(avoid | {b})
                if t1 != t2:
                    break
            lines.append(f"{ld.replace('xr', 'xp')} {rn(t1, xreg)}, {rn(t2, xreg)}, [{rs(b, True)}]")
        else:
            t = self.dest(avoid | {b})
            lines.append(f"{ld}{lsz} {rn(t, xreg)}, [{rs(b, True)}]")
        for _ in range(self.r.randrange(3)):
            lines += self.u_alu(avoid | {b})
        if self.chance(0.1):
            lines.append("clrex")
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

    def u_lse(self, avoid):
        """An LSE atomic (--cpu max) on an aligned location of a page that
        is always writable at EL1."""
        r = self.r
        kind = r.choice(["ld", "ld", "ld", "st", "swp", "cas", "cas", "casp"])
        if kind == "casp":
            size, suffix, x = r.choice([(4, "", False), (8, "", True)])
            align = 2 * size
        else:
            size, suffix, x = r.choice(self.LSE_SIZES)
            align = size
        b = self.base_reg(avoid)
        lines = self.set_reg(b, self.safe_target("w1", align), avoid | {b})
        if self.chance(0.25):
            lines.append(f"str{suffix} {rn(self.src(), x)}, [{rs(b, True)}]")
        setup, insn = self.lse_insn(kind, size, b, avoid)
        return lines + setup + [insn]

    def u_dczva(self, avoid):
        """DC ZVA (a store of the 64-byte block holding the address, for the
        MMU) with any address in a Normal window, the identity-mapped data
        pages or a faulting region: one translation, and FAR of a fault is
        the register's address (ARM ARM, FAR_EL1). Not on Device memory:
        an Alignment fault there, which QEMU 7.2 does not raise."""
        r = self.r
        a = self.dest(avoid, zr=False)
        dyn = [l for l in self.dynamic if l.kind in ("data", "block")]
        if dyn and self.chance(0.3):
            leaf = r.choice(dyn)
            va = r.randrange(leaf.lo, leaf.hi)
        else:
            g = self.pick_region(["page", "block", "ident", "hole"])
            va = r.randrange(g.lo, g.hi)
        return [f"ldr x{a}, ={self.tag(va):#x}", f"dc zva, x{a}"]

    def u_at(self, avoid, va=None):
        """AT S1E1R/S1E1W/S1E0R/S1E0W of a window, hole or runtime address,
        then PAR_EL1 into a register: on success the PA bits [47:12] only
        (ATTR and SH may be the resulting attributes rather than the
        descriptor's, NS is UNKNOWN for a Non-secure regime, bit 10 is
        IMPLEMENTATION DEFINED), on a fault F, FST, PTW and S."""
        r = self.r
        a = self.dest(avoid, zr=False)
        d = self.dest(avoid, zr=False)
        op = r.choice(["s1e1r", "s1e1w", "s1e0r", "s1e0w"])
        k = r.random()
        if va is not None:
            lines = [f"ldr x{a}, ={va:#x}"]
        elif k < 0.85:
            g = self.pick_region(["page", "block", "exec", "ident", "hole", "dev"])
            va = self.tag(r.randrange(g.lo, g.hi))
            lines = [f"ldr x{a}, ={va:#x}"]
        else:
            lines = [f"adr x{a}, {r.choice(['difftest_body', 'difftest_end', 'difftest_mmu_write'])}"]
        fault, done = self.label("atf"), self.label("atd")
        return lines + [f"at {op}, x{a}", "isb", f"mrs x{d}, par_el1", f"tbnz x{d}, #0, {fault}",
                        f"and x{d}, x{d}, #{PAR_PA:#x}", f"b {done}", f"{fault}:",
                        f"and x{d}, x{d}, #0x3ff", f"and x{d}, x{d}, #0xffffffffffffff7f", f"{done}:"]

    def u_exec(self):
        """BLR to an entry of an exec window: the stub there sets X17 and
        returns, or the fetch takes an Instruction Abort and the handler
        resumes at X30."""
        regs = [g for g in self.regions if g.kind == "exec"]
        g = self.r.choice(regs)
        lo, _, _ = self.r.choice(g.pieces)
        t = self.dest({16, 17}, zr=False)
        return [f"ldr x{t}, ={lo + self.r.choice(STUB_ENTRIES):#x}", f"blr x{t}"]

    # ---- unit mix ---------------------------------------------------------------

    MMU_MEM = [("u_ldst", 16), ("u_pair", 7), ("u_literal", 1), ("u_acqrel", 3), ("u_exclusive", 3), ("u_at", 6),
               ("u_dczva", 2)]

    def unit_straight(self, avoid):
        table = self.ALU + self.MMU_MEM + (self.MEM_LSE if self.lse else []) + [("u_misc", 1)]
        return getattr(self, self.pick(table))(avoid)

    def unit(self, index, count):
        if index in self.plan:
            return self.plan[index]()
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
        if k < 0.16 and any(g.kind == "exec" for g in self.regions):
            return self.u_exec()
        return self.unit_straight(set())

    def summary(self):
        """What the configuration is, for the reproducer."""
        h0, h1 = self.halves
        out = [f"TCR: TG0 {4 << (h0.g - 12)} KiB T0SZ {h0.tsz} (start level {h0.start}), "
               f"TG1 {4 << (h1.g - 12)} KiB T1SZ {h1.tsz} (start level {h1.start}){', EPD1' if h1.nomap else ''}, "
               f"IPS {IPS_BITS[self.ips]} bits, A1 {self.a1}, AS {self.as16}, TBI0 {int(self.tbi[0])}, "
               f"TBI1 {int(self.tbi[1])}; ASIDs {self.asids}; WXN {int(self.wxn)}"]
        for leaf in self.leaves:
            out.append(f"{leaf.half.name()} {leaf.kind} leaf {leaf.va:#x} level {leaf.level}: "
                       + "; ".join(f"{s.what}" + (f" pa {s.pa:#x}" if s.desc & 1 else "") for s in leaf.states)
                       + f"{' (APTable no write)' if leaf.nowrite else ''}{' (APTable no EL0)' if leaf.noel0 else ''}")
        for lo, hi, what in self.holes:
            out.append(f"faulting region {lo:#x}: {what}")
        return out


def tcr_value(g):
    h0, h1 = g.halves
    tg0 = {12: 0b00, 16: 0b01}[h0.g]
    tg1 = {12: 0b10, 16: 0b11}[h1.g]
    walk0 = 0b01 << 8 | 0b01 << 10 | 0b11 << 12  # Inner/Outer WB RW-allocate, Inner Shareable
    return (h0.tsz | walk0 | tg0 << 14 | h1.tsz << 16 | g.a1 << 22 | int(h1.nomap) << 23 | walk0 << 16
            | tg1 << 30 | g.ips << 32 | g.as16 << 36 | int(g.tbi[0]) << 37 | int(g.tbi[1]) << 38)


def generate(seed, keep=None, lse=False):
    """The MMU-on program for `seed`; `keep` (a set of unit indices) drops
    the other units from its text."""
    g = MMUGen(seed, lse)
    r = g.r
    g.configure()
    count = r.randrange(150, 320)
    nzcv = r.randrange(16) << 28
    init = {n: g.value() for n in range(31) if n != BASE}
    sp = g.target("r1", 16, 16, unaligned=False)
    # Rewrites and ASID switches at fixed units of the body (never inside
    # loops or subroutines: they clobber X16, X17 and X30).
    switches = r.randrange(1, 5) if len(g.asids) > 1 else 0
    slots = r.sample(range(count), min(count, len(g.events) + switches))
    for ev, i in zip(g.events, slots):
        g.plan[i] = (lambda ev=ev: g.u_remap(ev))
    for i in slots[len(g.events):]:
        g.plan[i] = (lambda: g.u_asid(r.randrange(len(g.asids))))
    units = [g.unit(i, count) for i in range(count)]
    label_at = {}
    for i, (lab, skip) in g.skips.items():
        label_at.setdefault(min(i + skip + 1, count), []).append(lab)

    out = []
    emit = out.append
    emit(f"// difftest program, seed {seed}, {count} units (tests/difftest/aarch64/mmugen.py{' --cpu max' if lse else ''})")
    for line in g.summary():
        emit("// " + line)
    if lse:
        emit("    .arch_extension lse")
    emit("    .text")
    emit("    .balign 4096")
    emit("    .global difftest_body")
    emit("difftest_body:")
    emit("    adrp x28, difftest_mmu_frame")
    emit("    add x28, x28, :lo12:difftest_mmu_frame")
    emit("    adrp x0, difftest_mmu_vectors")
    emit("    add x0, x0, :lo12:difftest_mmu_vectors")
    emit("    msr vbar_el1, x0")
    emit("    isb")
    emit(f"    ldr x0, ={nzcv:#x}")
    emit("    msr nzcv, x0")
    emit(f"    ldr x0, ={sp:#x}")
    emit("    mov sp, x0")
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
    # Save X0-X30, SP and NZCV in the frame (X28) and print.
    emit("difftest_end:")
    emit("    str x0, [x28]")
    for n in range(1, 31):
        emit(f"    str x{n}, [x28, #{8 * n}]")
    emit("    mov x0, sp")
    emit("    str x0, [x28, #248]")
    emit("    mrs x0, nzcv")
    emit("    str x0, [x28, #256]")
    emit("    str xzr, [x28, #264]")
    emit("    adrp x1, __stack_top")
    emit("    add x1, x1, :lo12:__stack_top")
    emit("    mov sp, x1")
    emit("    mov x0, x28")
    emit("    bl difftest_mmu_finish")
    emit("    .ltorg")
    for lab, body in g.subs:
        emit("    .balign 16")
        emit(f"{lab}:")
        for line in body:
            emit(line if line.endswith(":") else "    " + line)
        emit("    .ltorg")
    emit("    .balign 8")
    for lab, v in g.lits:
        emit(f"{lab}: .quad {v:#x}")
    # The stub pages: MOVZ X17, #id; RET at every entry of both.
    emit('    .section .mmu_stubs, "ax"')
    for p in range(2):
        for e, off in enumerate(STUB_ENTRIES):
            emit(f"    .org {p * 0x10000 + off:#x}")
            emit(f"    movz x17, #{0xA000 | p << 8 | e:#x}")
            emit("    ret")
    # The configuration runtime_mmu.c builds the tables from.
    h0, h1 = g.halves
    sctlr = SCTLR | int(g.wxn) << 19
    emit("    .data")
    emit("    .balign 8")
    emit("    .global difftest_mmu_config")
    emit("difftest_mmu_config:")
    emit(f"    .quad {tcr_value(g):#x}, {MAIR:#x}, {sctlr:#x}, {g.a1}")
    emit(f"    .quad {h0.g}, {h1.g}, {h0.tsz}, {h1.tsz}, {int(h0.nomap)}, {int(h1.nomap)}")
    maps = g.maps + [(l.va, l.states[0].pa, l.va + l.span(), l.level, l.states[0].desc) for l in g.leaves]
    emit(f"    .quad {len(maps)}, {len(g.tattrs)}, {len(g.records)}, {len(g.asids)}")
    emit(f"    .quad {(seed * 0x9E3779B97F4A7C15 + 1) & M64:#x}")
    emit("    .global difftest_mmu_maps")
    emit("difftest_mmu_maps:")
    for va, pa, end, level, desc in maps:
        emit(f"    .quad {va:#x}, {pa:#x}, {end & M64:#x}, {level}, {desc:#x}")
    emit("    .global difftest_mmu_tattrs")
    emit("difftest_mmu_tattrs:")
    for kind, va, level, bits, pa in g.tattrs:
        emit(f"    .quad {kind}, {va:#x}, {level}, {bits:#x}, {pa:#x}")
    emit("    .global difftest_mmu_events")
    emit("difftest_mmu_events:")
    for va, level, desc, pa in g.records:
        emit(f"    .quad {va:#x}, {level}, {desc:#x}, {pa:#x}")
    emit("    .global difftest_mmu_asids")
    emit("difftest_mmu_asids:")
    emit("    .quad " + ", ".join(f"{a:#x}" for a in g.asids))
    prog = Program(seed, count, nzcv, init, sp, units, "\n".join(out) + "\n")
    prog.summary = g.summary()
    prog.sp = sp
    return prog


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("seed", type=int)
    ap.add_argument("--units", type=int, help="emit only the first N units")
    ap.add_argument("--cpu", choices=["cortex-a57", "max"], default="cortex-a57",
                    help="max: also LSE atomics")
    args = ap.parse_args()
    keep = None if args.units is None else set(range(args.units))
    sys.stdout.write(generate(args.seed, keep, lse=args.cpu == "max").text)


if __name__ == "__main__":
    main()
