// SPDX-License-Identifier: MIT OR Apache-2.0
// guest-variant: fpu
//
// FPop test vectors: every implemented SPARC V8 FPop (SPARC V8 manual
// appendix B) on pseudo-random operands biased toward special values
// (zeros, infinities, NaNs, denormals, the edges of the normal range and of
// the integer range), under random rounding directions, TEM and aexc. Each
// line is "op fsr_in a b -> result fsr_out trap": operands and results as
// the double register pairs f4:f5, f8:f9, f12:f13 (single operands in the
// first word, f13 holding its initial 0xcafef00d), the trap type taken
// (0 for none: fp_exception 8 is recorded and skipped by start.S).
#include "lib.h"

struct io {
    uint32_t fsr_in, pad, a[2], b[2], r[2], fsr_out, pad2;
} __attribute__((aligned(8)));

// One FPop: FSR, f4:f5 = a, f8:f9 = b, f12:f13 = r, then the FPop, then r
// and FSR stored back.
#define FPOP(name, insn)                                                                        \
    static void name(struct io *p)                                                              \
    {                                                                                           \
        __asm__ volatile("ld [%0], %%fsr\n\tldd [%0 + 8], %%f4\n\tldd [%0 + 16], %%f8\n\t"      \
                         "ldd [%0 + 24], %%f12\n\t" insn "\n\tstd %%f12, [%0 + 24]\n\t"         \
                         "st %%fsr, [%0 + 32]"                                                  \
                         :                                                                      \
                         : "r"(p)                                                               \
                         : "memory", "f4", "f5", "f8", "f9", "f12", "f13");                     \
    }

FPOP(fsqrts, "fsqrts %%f8, %%f12")
FPOP(fsqrtd, "fsqrtd %%f8, %%f12")
FPOP(fadds, "fadds %%f4, %%f8, %%f12")
FPOP(faddd, "faddd %%f4, %%f8, %%f12")
FPOP(fsubs, "fsubs %%f4, %%f8, %%f12")
FPOP(fsubd, "fsubd %%f4, %%f8, %%f12")
FPOP(fmuls, "fmuls %%f4, %%f8, %%f12")
FPOP(fmuld, "fmuld %%f4, %%f8, %%f12")
FPOP(fdivs, "fdivs %%f4, %%f8, %%f12")
FPOP(fdivd, "fdivd %%f4, %%f8, %%f12")
FPOP(fsmuld, "fsmuld %%f4, %%f8, %%f12")
FPOP(fitos, "fitos %%f8, %%f12")
FPOP(fdtos, "fdtos %%f8, %%f12")
FPOP(fitod, "fitod %%f8, %%f12")
FPOP(fstod, "fstod %%f8, %%f12")
FPOP(fstoi, "fstoi %%f8, %%f12")
FPOP(fdtoi, "fdtoi %%f8, %%f12")
FPOP(fcmps, "fcmps %%f4, %%f8")
FPOP(fcmpd, "fcmpd %%f4, %%f8")
FPOP(fcmpes, "fcmpes %%f4, %%f8")
FPOP(fcmped, "fcmped %%f4, %%f8")
FPOP(fmovs, "fmovs %%f8, %%f12")
FPOP(fnegs, "fnegs %%f8, %%f12")
FPOP(fabss, "fabss %%f8, %%f12")

// Operand kinds: 's' single, 'd' double, 'i' a 32-bit integer in b.
static const struct {
    const char *name;
    void (*run)(struct io *);
    char kind;
} ops[] = {
    {"fsqrts", fsqrts, 's'}, {"fsqrtd", fsqrtd, 'd'}, {"fadds", fadds, 's'},   {"faddd", faddd, 'd'},
    {"fsubs", fsubs, 's'},   {"fsubd", fsubd, 'd'},   {"fmuls", fmuls, 's'},   {"fmuld", fmuld, 'd'},
    {"fdivs", fdivs, 's'},   {"fdivd", fdivd, 'd'},   {"fsmuld", fsmuld, 's'}, {"fitos", fitos, 'i'},
    {"fdtos", fdtos, 'd'},   {"fitod", fitod, 'i'},   {"fstod", fstod, 's'},   {"fstoi", fstoi, 's'},
    {"fdtoi", fdtoi, 'd'},   {"fcmps", fcmps, 's'},   {"fcmpd", fcmpd, 'd'},   {"fcmpes", fcmpes, 's'},
    {"fcmped", fcmped, 'd'}, {"fmovs", fmovs, 's'},   {"fnegs", fnegs, 's'},   {"fabss", fabss, 's'},
};

static uint32_t seed = 12345;

// xorshift32.
static uint32_t rnd(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 17;
    seed ^= seed << 5;
    return seed;
}

static const uint32_t special32[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f7fffff, 0xff7fffff, 0x00800000, 0x80800000,
    0x00000001, 0x807fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc12345, 0x7f800001, 0xffa00001,
    0x00400000, 0x3f000000, 0x4b000000, 0x4f000000, 0xcf000000, 0x3fffffff, 0x00ffffff, 0x0b800000,
};

static uint32_t single(void)
{
    uint32_t k = rnd() % 8;
    if (k < 3)
        return special32[rnd() % (sizeof special32 / sizeof special32[0])];
    if (k == 3)
        return rnd() & 0x807fffff; // denormal
    if (k == 4)
        return (rnd() & 0x80ffffff) | ((rnd() % 48 + 100) << 23); // near 1
    if (k == 5)
        return special32[rnd() % 8] + (rnd() % 5) - 2; // next to an edge
    return rnd();
}

static const uint32_t special64[] = {
    0x00000000, 0x80000000, 0x3ff00000, 0xbff00000, 0x7fefffff, 0x00100000, 0x800fffff, 0x7ff00000,
    0xfff00000, 0x7ff80000, 0xfff81234, 0x7ff40000, 0x41e00000, 0xc1e00000, 0x36a00000, 0x47efffff,
    0x380fffff, 0x03810000,
};

static void dbl(uint32_t *v)
{
    uint32_t k = rnd() % 8;
    v[1] = rnd();
    if (k < 3) {
        v[0] = special64[rnd() % (sizeof special64 / sizeof special64[0])];
        if (rnd() & 1)
            v[1] &= 3;
    } else if (k == 3) {
        v[0] = rnd() & 0x800fffff; // denormal
    } else if (k == 4) {
        v[0] = (rnd() & 0x800fffff) | ((rnd() % 200 + 923) << 20); // near 1
    } else if (k == 5) {
        v[0] = (rnd() & 0x800fffff) | (rnd() & 1 ? (rnd() % 60) << 20 : (0x7ff - rnd() % 60) << 20); // range edges
    } else {
        v[0] = rnd();
    }
}

int main(void)
{
    static struct io io;
    for (int i = 0; i < 2400; i++) {
        uint32_t o = rnd() % (sizeof ops / sizeof ops[0]);
        uint32_t fsr = (rnd() & 3) << 30;
        if (rnd() % 4 == 0)
            fsr |= (rnd() & 0x1f) << 23; // TEM
        if (rnd() % 4 == 0)
            fsr |= rnd() & 0x3ff; // aexc, cexc
        io.fsr_in = fsr;
        if (ops[o].kind == 'd') {
            dbl(io.a);
            dbl(io.b);
        } else {
            io.a[0] = single();
            io.b[0] = single();
            io.a[1] = rnd();
            io.b[1] = rnd();
        }
        if (ops[o].kind == 'i')
            io.b[0] = (rnd() >> (rnd() % 32)) ^ (rnd() & 1 ? 0 : 0x80000000);
        io.r[0] = 0xdeadbeef;
        io.r[1] = 0xcafef00d;
        last_trap = 0;
        ops[o].run(&io);
        printf("%s %08x %08x.%08x %08x.%08x -> %08x.%08x %08x %x\n", ops[o].name, fsr, io.a[0], io.a[1], io.b[0], io.b[1], io.r[0],
               io.r[1], io.fsr_out, last_trap);
    }
    return 0;
}
