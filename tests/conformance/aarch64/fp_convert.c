// SPDX-License-Identifier: MIT OR Apache-2.0
// guest-variant: fp
//
// Floating-point conversions and roundings (ARM ARM C7.2): FCVT between
// every pair of half, single and double precision; FCVT{N,P,M,Z,A}{S,U}
// to W and X, and FCVTZS/FCVTZU with fixed-point fraction bits; SCVTF and
// UCVTF from W and X, also fixed point; FRINT{N,P,M,Z,A,I,X}; the estimates
// FRECPE, FRSQRTE, FRECPX and the Newton-Raphson steps FRECPS, FRSQRTS;
// FMOV between general and FP registers and FMOV (immediate).  Each line:
// instruction, operand bits, FPCR configuration, result bits and FPSR (see
// fpconf.h; an integer result is the whole X register, preset to garbage).
//
// Subtle points (ARM ARM pseudocode):
//  * Narrowing FCVT rounds per FPCR.RMode, detects tininess before
//    rounding, and with FZ flushes single/double denormal inputs and
//    outputs; half-precision values are never flushed (FPConvert ignores
//    FZ16 and FZ for the half side).  A NaN keeps the top bits of its
//    payload and is quietened (FPConvertNaN), or is the default NaN with DN.
//  * FPCR.AHP selects the alternative half-precision format (no infinities
//    or NaNs, largest 131008): converting a NaN to it gives +-0 with IOC, an
//    infinity or an out-of-range value gives the largest magnitude with IOC;
//    converting from it, exponent 31 is an ordinary number.
//  * Float-to-integer conversions saturate at the bounds of the destination
//    and set IOC (FPToFixed); NaN gives 0 with IOC; an inexact in-range
//    result sets IXC.  FCVTA rounds ties away from zero, FCVTN to even.
//  * FRINTX signals IXC for an inexact result, FRINTI and the others do
//    not; FRINTI and FRINTX round per FPCR.RMode.
//  * FRECPE/FRSQRTE are table-driven estimates (FPRecipEstimate,
//    FPRSqrtEstimate): zero gives an infinity with DZC, a very small input
//    overflows (OFC+IXC; under RZ or the mode away from the sign's infinity
//    the largest normal instead), a large input underflows to a denormal or,
//    with FZ, zero (UFC); FRSQRTE of a negative number is the default NaN.
//  * FRECPS/FRSQRTS compute 2 - n*m and (3 - n*m)/2 fused; 0 * inf gives
//    exactly 2.0 and 1.5 with no exception.
#include "fpconf.h"

#define GARBAGE 0xdeadbeefdeadbeefUL

// FP -> FP, one source: `load` puts n in V0, `insn` writes V2.
#define FF(fn, load, insn)                                                     \
    static NOINLINE uint64_t fn(uint64_t n, uint64_t c, uint64_t *st,          \
                                uint64_t *hi)                                  \
    {                                                                          \
        uint64_t r, s, h;                                                      \
        __asm__ volatile(load "\n\t"                                           \
                         "movi v2.2d, #0xffffffffffffffff\n\t"                 \
                         "msr fpcr, %[c]\n\t"                                  \
                         "msr fpsr, xzr\n\t" insn "\n\t"                       \
                         "mrs %[s], fpsr\n\t"                                  \
                         "msr fpcr, xzr\n\t"                                   \
                         "fmov %[r], d2\n\t"                                   \
                         "mov %[h], v2.d[1]"                                   \
                         : [r] "=&r"(r), [s] "=&r"(s), [h] "=&r"(h)            \
                         : [n] "r"(n), [c] "r"(c)                              \
                         : "v0", "v2");                                        \
        *st = s;                                                               \
        *hi = h;                                                               \
        return r;                                                              \
    }

// FP -> FP, two sources (V0, V1).
#define FF2(fn, load, insn)                                                    \
    static NOINLINE uint64_t fn(uint64_t n, uint64_t m, uint64_t c,             \
                                uint64_t *st, uint64_t *hi)                    \
    {                                                                          \
        uint64_t r, s, h;                                                      \
        __asm__ volatile(load "\n\t"                                           \
                         "movi v2.2d, #0xffffffffffffffff\n\t"                 \
                         "msr fpcr, %[c]\n\t"                                  \
                         "msr fpsr, xzr\n\t" insn "\n\t"                       \
                         "mrs %[s], fpsr\n\t"                                  \
                         "msr fpcr, xzr\n\t"                                   \
                         "fmov %[r], d2\n\t"                                   \
                         "mov %[h], v2.d[1]"                                   \
                         : [r] "=&r"(r), [s] "=&r"(s), [h] "=&r"(h)            \
                         : [n] "r"(n), [m] "r"(m), [c] "r"(c)                  \
                         : "v0", "v1", "v2");                                  \
        *st = s;                                                               \
        *hi = h;                                                               \
        return r;                                                              \
    }

// FP -> general register: `insn` writes %[r], preset to garbage.
#define FI(fn, load, insn)                                                     \
    static NOINLINE uint64_t fn(uint64_t n, uint64_t c, uint64_t *st,          \
                                uint64_t *hi)                                  \
    {                                                                          \
        uint64_t r = GARBAGE, s;                                               \
        __asm__ volatile(load "\n\t"                                           \
                         "msr fpcr, %[c]\n\t"                                  \
                         "msr fpsr, xzr\n\t" insn "\n\t"                       \
                         "mrs %[s], fpsr\n\t"                                  \
                         "msr fpcr, xzr"                                       \
                         : [r] "+&r"(r), [s] "=&r"(s)                          \
                         : [n] "r"(n), [c] "r"(c)                              \
                         : "v0");                                              \
        *st = s;                                                               \
        *hi = 0;                                                               \
        return r;                                                              \
    }

// General register -> FP: `insn` reads %[n], writes V2.
#define IF(fn, insn) FF(fn, "", insn)

typedef uint64_t (*un_fn)(uint64_t, uint64_t, uint64_t *, uint64_t *);
typedef uint64_t (*bin_fn)(uint64_t, uint64_t, uint64_t, uint64_t *, uint64_t *);

struct op {
    const char *name;
    un_fn fn;
    int in_w, out_w; // hex digits of the operand and of the result
};

static void run(const struct op *op, uint64_t n, uint64_t c)
{
    uint64_t st, hi;
    uint64_t r = op->fn(n, c, &st, &hi);
    printf("%s %0*lx %s -> %0*lx fpsr=%02lx", op->name, op->in_w, n, fpcr_name(c), op->out_w, r, st);
    if (hi)
        printf(" hi=%016lx", hi);
    printf("\n");
}

#define LD_D "fmov d0, %x[n]"
#define LD_S "fmov s0, %w[n]"
#define LD_H "fmov s0, %w[n]" // FMOV to H needs FEAT_FP16; the high bits are 0

// ---- FCVT between precisions ----
FF(fcvt_sd, LD_D, "fcvt s2, d0")
FF(fcvt_hd, LD_D, "fcvt h2, d0")
FF(fcvt_hs, LD_S, "fcvt h2, s0")
FF(fcvt_ds, LD_S, "fcvt d2, s0")
FF(fcvt_dh, LD_H, "fcvt d2, h0")
FF(fcvt_sh, LD_H, "fcvt s2, h0")

static const uint64_t d_narrow[] = {
    0x0000000000000000UL, 0x8000000000000000UL, 0x0000000000000001UL, 0x3ff0000000000000UL,
    0xbff8000000000000UL, 0x7ff0000000000000UL, 0xfff0000000000000UL,
    0x7ff8000000000123UL, // qNaN, payload only in low bits: lost
    0xfff4123456789abcUL, // -sNaN with a high payload
    0x7ff0000020000000UL, // sNaN whose payload is exactly bit 29
    0x47efffffe0000000UL, // FLT_MAX
    0x47efffffefffffffUL, // just below FLT_MAX + half an ulp
    0x47effffff0000000UL, // FLT_MAX + half an ulp: tie
    0x3ff0000010000000UL, // 1 + 2^-24: tie
    0x3ff0000030000000UL, // 1 + 3 * 2^-24: tie
    0xbff0000010000001UL, // -(1 + 2^-24 + tiny)
    0x3810000000000000UL, // FLT_MIN
    0x380fffffffffffffUL, // just below FLT_MIN
    0x36a0000000000000UL, // smallest float denormal
    0x3690000000000000UL, // half of it: tie with 0
    0x3698000000000000UL, // 1.5 x it
    0x40effc0000000000UL, // 65504, largest half
    0x40effdffffffffffUL, // just below 65520
    0x40effe0000000000UL, // 65520: tie between 65504 and 65536
    0x40fffe0000000000UL, // 131040 (AHP: above the largest 131008)
    0x40ffdc0000000000UL, // 131008, largest AHP value
    0x3f10000000000000UL, // 2^-14, smallest normal half
    0x3e70000000000000UL, // 2^-24, smallest denormal half
    0x3e60000000000000UL, // 2^-25: tie with 0
    0x3e68000000000000UL, // 1.5 * 2^-25
    0x3ff0020000000000UL, // 1 + 2^-11: tie
};
static const uint64_t s_narrow[] = {
    0x00000000, 0x80000000, 0x00000001, 0x3f800000, 0xbfc00000, 0x7f800000, 0xff800000,
    0x7fc00123, 0xffa12345, 0x7f801000,
    0x477fe000, // 65504
    0x477fefff, // just below 65520
    0x477ff000, // 65520
    0x47fff000, // 131040
    0x47ffe000, // 131008
    0x38800000, // 2^-14
    0x33800000, // 2^-24
    0x33000000, // 2^-25
    0x33400000, // 1.5 * 2^-25
    0x3f801000, // 1 + 2^-11
    0x3f803000, // 1 + 3 * 2^-11
    0x00800000, // FLT_MIN (a float normal, a half zero)
};
static const uint64_t s_widen[] = {
    0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x00800000, 0x3f800000, 0xbfc00000,
    0x7f7fffff, 0x7f800000, 0xff800000, 0x7fc00123, 0xffc00456, 0x7f800789, 0xffa00abc,
};
static const uint64_t h_widen[] = {
    0x0000, 0x8000, 0x0001, 0x83ff, 0x0400, 0x3c00, 0xbe00, 0x7bff,
    0x7c00, 0xfc00, // +-inf in IEEE, +-65536 in AHP
    0x7e01, 0xfe02, 0x7d03, 0xfc01, // NaNs (AHP: numbers)
    0x7fff, 0xffff, // qNaN (AHP: +-131008)
};

// ---- float -> integer ----
#define FI4(op)                                                                \
    FI(op##_wd, LD_D, #op " %w[r], d0")                                        \
    FI(op##_xd, LD_D, #op " %x[r], d0")                                        \
    FI(op##_ws, LD_S, #op " %w[r], s0")                                        \
    FI(op##_xs, LD_S, #op " %x[r], s0")
FI4(fcvtns)
FI4(fcvtnu)
FI4(fcvtps)
FI4(fcvtpu)
FI4(fcvtms)
FI4(fcvtmu)
FI4(fcvtzs)
FI4(fcvtzu)
FI4(fcvtas)
FI4(fcvtau)

#define FIOPS(op)                                                              \
    {#op " w,d", op##_wd, 16, 16}, {#op " x,d", op##_xd, 16, 16},              \
    {#op " w,s", op##_ws, 8, 16}, {#op " x,s", op##_xs, 8, 16}
static const struct op fi_ops[] = {
    FIOPS(fcvtns), FIOPS(fcvtnu), FIOPS(fcvtps), FIOPS(fcvtpu), FIOPS(fcvtms),
    FIOPS(fcvtmu), FIOPS(fcvtzs), FIOPS(fcvtzu), FIOPS(fcvtas), FIOPS(fcvtau),
};

static const uint64_t d_toint[] = {
    0x0000000000000000UL, 0x8000000000000000UL, 0x0000000000000001UL,
    0x3fe0000000000000UL, 0xbfe0000000000000UL, // +-0.5
    0x3ff8000000000000UL, 0xbff8000000000000UL, // +-1.5
    0x4004000000000000UL, 0xc004000000000000UL, // +-2.5
    0x3fdfffffffffffffUL,                        // 0.49999999999999994
    0xbfeccccccccccccdUL,                        // -0.9
    0x41dfffffffe00000UL,                        // 2^31 - 0.5
    0x41e0000000000000UL,                        // 2^31
    0xc1e0000000100000UL,                        // -2^31 - 0.5
    0xc1e0000000200000UL,                        // -2^31 - 1
    0x41efffffffe00000UL,                        // 2^32 - 0.5
    0x41f0000000000000UL,                        // 2^32
    0x43dfffffffffffffUL,                        // largest below 2^63
    0x43e0000000000000UL,                        // 2^63
    0xc3e0000000000000UL,                        // -2^63
    0xc3e0000000000001UL,                        // below -2^63
    0x43efffffffffffffUL,                        // largest below 2^64
    0x43f0000000000000UL,                        // 2^64
    0x7ff0000000000000UL, 0xfff0000000000000UL, 0x7ff8000000000123UL, 0xfff4000000000abcUL,
};
static const uint64_t s_toint[] = {
    0x00000000, 0x80000000, 0x00000001, 0x3f000000, 0xbf000000, 0x3fc00000, 0xbfc00000,
    0x40200000, 0xc0200000, 0x3effffff, 0xbf666666,
    0x4effffff, // largest below 2^31
    0x4f000000, // 2^31
    0xcf000000, // -2^31
    0xcf000001, // below -2^31
    0x4f7fffff, // largest below 2^32
    0x4f800000, // 2^32
    0x5effffff, 0x5f000000, 0xdf000000, 0xdf000001, 0x5f7fffff, 0x5f800000,
    0x7f800000, 0xff800000, 0x7fc00123, 0xffa00abc,
};

// Fixed point: FCVTZS/FCVTZU with #fbits (FPToFixed scales by 2^fbits).
FI(zs_w1, LD_D, "fcvtzs %w[r], d0, #1")
FI(zs_w32, LD_D, "fcvtzs %w[r], d0, #32")
FI(zs_x1, LD_D, "fcvtzs %x[r], d0, #1")
FI(zs_x33, LD_D, "fcvtzs %x[r], d0, #33")
FI(zs_x64, LD_D, "fcvtzs %x[r], d0, #64")
FI(zu_w16, LD_D, "fcvtzu %w[r], d0, #16")
FI(zu_w32, LD_D, "fcvtzu %w[r], d0, #32")
FI(zu_x64, LD_D, "fcvtzu %x[r], d0, #64")
FI(zs_ws8, LD_S, "fcvtzs %w[r], s0, #8")
FI(zu_xs40, LD_S, "fcvtzu %x[r], s0, #40")
static const struct op fix_ops[] = {
    {"fcvtzs w,d,#1", zs_w1, 16, 16}, {"fcvtzs w,d,#32", zs_w32, 16, 16},
    {"fcvtzs x,d,#1", zs_x1, 16, 16}, {"fcvtzs x,d,#33", zs_x33, 16, 16},
    {"fcvtzs x,d,#64", zs_x64, 16, 16}, {"fcvtzu w,d,#16", zu_w16, 16, 16},
    {"fcvtzu w,d,#32", zu_w32, 16, 16}, {"fcvtzu x,d,#64", zu_x64, 16, 16},
};
static const uint64_t d_fix[] = {
    0x3ff8000000000000UL, 0xbff8000000000000UL, 0x3fd0000000000000UL, // 1.5 -1.5 0.25
    0x3de0000000000000UL,                                              // 2^-33
    0x3fdfffffffffffffUL, 0xbfe0000000000000UL,                        // 0.4999.. -0.5
    0x3fe0000000000000UL, 0xbff0000000000000UL,                        // 0.5 -1
    0x4170000000000000UL,                                              // 2^24
    0x7ff0000000000000UL, 0x7ff8000000000000UL,
};
static const uint64_t s_fix[] = {0x3fc00000, 0xbfc00000, 0x3b800000, 0x4b000000, 0x3f7fffff, 0x7f800000};

// ---- integer -> float ----
IF(scvtf_sw, "scvtf s2, %w[n]")
IF(scvtf_sx, "scvtf s2, %x[n]")
IF(scvtf_dw, "scvtf d2, %w[n]")
IF(scvtf_dx, "scvtf d2, %x[n]")
IF(ucvtf_sw, "ucvtf s2, %w[n]")
IF(ucvtf_sx, "ucvtf s2, %x[n]")
IF(ucvtf_dw, "ucvtf d2, %w[n]")
IF(ucvtf_dx, "ucvtf d2, %x[n]")
IF(scvtf_dx1, "scvtf d2, %x[n], #1")
IF(scvtf_dx64, "scvtf d2, %x[n], #64")
IF(ucvtf_dx64, "ucvtf d2, %x[n], #64")
IF(scvtf_sw32, "scvtf s2, %w[n], #32")
IF(ucvtf_sw16, "ucvtf s2, %w[n], #16")
IF(ucvtf_dw32, "ucvtf d2, %w[n], #32")
static const struct op if_ops[] = {
    {"scvtf s,w", scvtf_sw, 16, 16}, {"scvtf s,x", scvtf_sx, 16, 16},
    {"scvtf d,w", scvtf_dw, 16, 16}, {"scvtf d,x", scvtf_dx, 16, 16},
    {"ucvtf s,w", ucvtf_sw, 16, 16}, {"ucvtf s,x", ucvtf_sx, 16, 16},
    {"ucvtf d,w", ucvtf_dw, 16, 16}, {"ucvtf d,x", ucvtf_dx, 16, 16},
};
static const struct op iffix_ops[] = {
    {"scvtf d,x,#1", scvtf_dx1, 16, 16}, {"scvtf d,x,#64", scvtf_dx64, 16, 16},
    {"ucvtf d,x,#64", ucvtf_dx64, 16, 16}, {"scvtf s,w,#32", scvtf_sw32, 16, 16},
    {"ucvtf s,w,#16", ucvtf_sw16, 16, 16}, {"ucvtf d,w,#32", ucvtf_dw32, 16, 16},
};
// W forms must ignore bits [63:32] of the source: the garbage above
// the 32-bit values shows it.
static const uint64_t ints[] = {
    0, 1, 0xffffffffffffffffUL, 0xa5a5a5a57fffffffUL, 0xa5a5a5a580000000UL, 0x00000000ffffffffUL,
    0xa5a5a5a501000001UL, 0x0000000001000003UL, 0x7fffffffffffffffUL, 0x8000000000000000UL,
    0x0020000000000001UL, 0x0020000000000003UL, 0x8000000000000401UL, 0x00000001fffffe01UL,
};

// ---- FRINT ----
#define FR2(op)                                                                \
    FF(op##_d, LD_D, #op " d2, d0")                                            \
    FF(op##_s, LD_S, #op " s2, s0")
FR2(frintn)
FR2(frintp)
FR2(frintm)
FR2(frintz)
FR2(frinta)
FR2(frinti)
FR2(frintx)
#define FROPS(op) {#op " d", op##_d, 16, 16}, {#op " s", op##_s, 8, 16}
static const struct op frint_fixed[] = {
    FROPS(frintn), FROPS(frintp), FROPS(frintm), FROPS(frintz), FROPS(frinta),
};
static const struct op frint_fpcr[] = {FROPS(frinti), FROPS(frintx)};
static const uint64_t d_rint[] = {
    0x0000000000000000UL, 0x8000000000000000UL, 0x0000000000000001UL, 0x8000000000000001UL,
    0x3fe0000000000000UL, 0xbfe0000000000000UL, 0x3ff8000000000000UL, 0x4004000000000000UL,
    0xc004000000000000UL, 0x3fdfffffffffffffUL, 0xbfc999999999999aUL, // -0.2 -> -0
    0x4320000000000001UL,                                              // 2^51 + 0.5
    0x4330000000000000UL,                                              // 2^52
    0x7e37e43c8800759cUL,                                              // 1e300
    0x7ff0000000000000UL, 0xfff0000000000000UL, 0x7ff8000000000123UL, 0xfff4000000000abcUL,
};
static const uint64_t s_rint[] = {
    0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x3f000000, 0xbf000000, 0x3fc00000,
    0x40200000, 0xc0200000, 0x3effffff, 0xbe4ccccd, 0x4a800001, 0x4b000000, 0x7f7fffff,
    0x7f800000, 0xff800000, 0x7fc00123, 0xffa00abc,
};

// ---- estimates and steps ----
FR2(frecpe)
FR2(frsqrte)
FR2(frecpx)
static const struct op est_ops[] = {FROPS(frecpe), FROPS(frsqrte), FROPS(frecpx)};
static const uint64_t d_est[] = {
    0x3ff0000000000000UL, 0x4000000000000000UL, 0x4008000000000000UL, 0x3fe0000000000000UL,
    0x3ff8000000000000UL, 0x3fffffffffffffffUL, 0xc01c000000000000UL, // -7
    0x7fefffffffffffffUL, 0x7fd0000000000000UL,                        // large: denormal/zero
    0x0010000000000000UL, 0x0008000000000000UL,                        // min normal, denormal
    0x0000000000000001UL, 0x8000000000000001UL,                        // tiny: overflow
    0x0000000000000000UL, 0x8000000000000000UL, 0x7ff0000000000000UL, 0xfff0000000000000UL,
    0x7ff8000000000123UL, 0xfff4000000000abcUL,
};
static const uint64_t s_est[] = {
    0x3f800000, 0x40000000, 0x40400000, 0x3f000000, 0x3fc00000, 0x3fffffff, 0xc0e00000,
    0x7f7fffff, 0x7e800000, 0x00800000, 0x00400000, 0x00000001, 0x80000001,
    0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00123, 0xffa00abc,
};

FF2(frecps_d, "fmov d0, %x[n]\n\tfmov d1, %x[m]", "frecps d2, d0, d1")
FF2(frecps_s, "fmov s0, %w[n]\n\tfmov s1, %w[m]", "frecps s2, s0, s1")
FF2(frsqrts_d, "fmov d0, %x[n]\n\tfmov d1, %x[m]", "frsqrts d2, d0, d1")
FF2(frsqrts_s, "fmov s0, %w[n]\n\tfmov s1, %w[m]", "frsqrts s2, s0, s1")
static const uint64_t d_step[] = {
    0x0000000000000000UL, 0x8000000000000000UL, 0x3ff0000000000000UL, 0x3ff8000000000000UL,
    0x7ff0000000000000UL, 0xfff0000000000000UL, 0x7ff8000000000123UL, 0x7ff0000000000789UL,
    0x7fefffffffffffffUL,
};
static const uint64_t s_step[] = {
    0x00000000, 0x80000000, 0x3f800000, 0x3fc00000, 0x7f800000, 0xff800000, 0x7fc00123,
    0x7f800789, 0x7f7fffff,
};

static void run2(const char *name, bin_fn f, int w, uint64_t n, uint64_t m, uint64_t c)
{
    uint64_t st, hi;
    uint64_t r = f(n, m, c, &st, &hi);
    printf("%s %0*lx %0*lx %s -> %0*lx fpsr=%02lx", name, w, n, w, m, fpcr_name(c), w, r, st);
    if (hi)
        printf(" hi=%016lx", hi);
    printf("\n");
}

// ---- FMOV ----
static void fmov_checks(void)
{
    uint64_t r, hi;
    uint64_t v = 0x8123456789abcdefUL;
    __asm__ volatile("movi v2.2d, #0xffffffffffffffff\n\tfmov d2, %x2\n\tfmov %0, d2\n\tmov %1, v2.d[1]"
                     : "=&r"(r), "=&r"(hi) : "r"(v) : "v2");
    printf("fmov d,x %016lx -> %016lx hi=%016lx\n", v, r, hi);
    __asm__ volatile("movi v2.2d, #0xffffffffffffffff\n\tfmov s2, %w2\n\tfmov %0, d2\n\tmov %1, v2.d[1]"
                     : "=&r"(r), "=&r"(hi) : "r"(v) : "v2");
    printf("fmov s,w %016lx -> %016lx hi=%016lx\n", v, r, hi);
    __asm__ volatile("movi v2.2d, #0\n\tfmov v2.d[1], %x2\n\tfmov %0, d2\n\tmov %1, v2.d[1]"
                     : "=&r"(r), "=&r"(hi) : "r"(v) : "v2");
    printf("fmov v.d[1],x %016lx -> lo=%016lx hi=%016lx\n", v, r, hi);
    __asm__ volatile("mov x9, #-1\n\tfmov d2, %x1\n\tmov v2.d[1], x9\n\tfmov %w0, s2"
                     : "=&r"(r) : "r"(v) : "v2", "x9");
    printf("fmov w,s %016lx -> %016lx\n", v, r);
    __asm__ volatile("movi v2.2d, #0\n\tmov v2.d[1], %x1\n\tfmov %0, v2.d[1]" : "=&r"(r) : "r"(v) : "v2");
    printf("fmov x,v.d[1] %016lx -> %016lx\n", v, r);
#define FMOVI(R, imm)                                                          \
    do {                                                                       \
        __asm__ volatile("movi v2.2d, #0xffffffffffffffff\n\tfmov " R "2, #" imm \
                         "\n\tfmov %0, d2\n\tmov %1, v2.d[1]"                  \
                         : "=&r"(r), "=&r"(hi) : : "v2");                      \
        printf("fmov " R ", #" imm " -> %016lx hi=%016lx\n", r, hi);           \
    } while (0)
    FMOVI("d", "1.0");
    FMOVI("d", "-0.125");
    FMOVI("d", "31.0");
    FMOVI("d", "0.1328125");
    FMOVI("s", "-1.9375");
    FMOVI("s", "0.5");
}

int main(void)
{
    puts("fp_convert: begin");

    // 1. FCVT narrowing under 4 rounding modes x {-, FZ, DN, AHP}.
    static const uint64_t flags[4] = {0, FPCR_FZ, FPCR_DN, FPCR_AHP};
    static const struct op narrow_d[] = {{"fcvt s,d", fcvt_sd, 16, 16}, {"fcvt h,d", fcvt_hd, 16, 16}};
    static const struct op narrow_s = {"fcvt h,s", fcvt_hs, 8, 16};
    for (unsigned f = 0; f < 4; f++)
        for (unsigned m = 0; m < 4; m++) {
            uint64_t c = flags[f] | FPCR_RMODE(m);
            for (unsigned o = 0; o < 2; o++)
                for (unsigned i = 0; i < sizeof d_narrow / sizeof d_narrow[0]; i++)
                    run(&narrow_d[o], d_narrow[i], c);
            for (unsigned i = 0; i < sizeof s_narrow / sizeof s_narrow[0]; i++)
                run(&narrow_s, s_narrow[i], c);
        }
    // FCVT widening (exact: RN only) x {-, FZ, DN, AHP}.
    static const struct op wide_s = {"fcvt d,s", fcvt_ds, 8, 16};
    static const struct op wide_h[] = {{"fcvt d,h", fcvt_dh, 4, 16}, {"fcvt s,h", fcvt_sh, 4, 16}};
    for (unsigned f = 0; f < 4; f++) {
        for (unsigned i = 0; i < sizeof s_widen / sizeof s_widen[0]; i++)
            run(&wide_s, s_widen[i], flags[f]);
        for (unsigned o = 0; o < 2; o++)
            for (unsigned i = 0; i < sizeof h_widen / sizeof h_widen[0]; i++)
                run(&wide_h[o], h_widen[i], flags[f]);
    }

    // 2. Float -> integer, default FPCR; then the denormal inputs with FZ.
    for (unsigned o = 0; o < sizeof fi_ops / sizeof fi_ops[0]; o++) {
        int dbl = (o & 2) == 0;
        const uint64_t *v = dbl ? d_toint : s_toint;
        unsigned n = dbl ? sizeof d_toint / sizeof d_toint[0] : sizeof s_toint / sizeof s_toint[0];
        for (unsigned i = 0; i < n; i++)
            run(&fi_ops[o], v[i], 0);
    }
    for (unsigned o = 0; o < sizeof fi_ops / sizeof fi_ops[0]; o++)
        run(&fi_ops[o], 1, FPCR_FZ); // smallest denormal
    // FPCR.RMode does not affect FCVT[NPMZA]* (the mode is in the opcode).
    for (unsigned o = 0; o < sizeof fi_ops / sizeof fi_ops[0]; o += 4)
        run(&fi_ops[o], 0x4004000000000000UL, FPCR_RM); // 2.5
    for (unsigned o = 0; o < sizeof fix_ops / sizeof fix_ops[0]; o++)
        for (unsigned i = 0; i < sizeof d_fix / sizeof d_fix[0]; i++)
            run(&fix_ops[o], d_fix[i], 0);
    {
        static const struct op sfix[] = {{"fcvtzs w,s,#8", zs_ws8, 8, 16}, {"fcvtzu x,s,#40", zu_xs40, 8, 16}};
        for (unsigned o = 0; o < 2; o++)
            for (unsigned i = 0; i < sizeof s_fix / sizeof s_fix[0]; i++)
                run(&sfix[o], s_fix[i], 0);
    }

    // 3. Integer -> float under the four rounding modes.
    for (unsigned m = 0; m < 4; m++)
        for (unsigned o = 0; o < sizeof if_ops / sizeof if_ops[0]; o++)
            for (unsigned i = 0; i < sizeof ints / sizeof ints[0]; i++)
                run(&if_ops[o], ints[i], FPCR_RMODE(m));
    for (unsigned o = 0; o < sizeof iffix_ops / sizeof iffix_ops[0]; o++)
        for (unsigned i = 0; i < sizeof ints / sizeof ints[0]; i++)
            run(&iffix_ops[o], ints[i], 0);

    // 4. FRINT*: the fixed-mode ones under RN (and FZ for the denormals),
    // FRINTI/FRINTX under all four modes.
    for (unsigned o = 0; o < sizeof frint_fixed / sizeof frint_fixed[0]; o++) {
        int dbl = (o & 1) == 0;
        const uint64_t *v = dbl ? d_rint : s_rint;
        unsigned n = dbl ? sizeof d_rint / sizeof d_rint[0] : sizeof s_rint / sizeof s_rint[0];
        for (unsigned i = 0; i < n; i++)
            run(&frint_fixed[o], v[i], 0);
        run(&frint_fixed[o], v[3], FPCR_FZ);
        run(&frint_fixed[o], v[4], FPCR_RP); // RMode ignored
    }
    for (unsigned m = 0; m < 4; m++)
        for (unsigned o = 0; o < sizeof frint_fpcr / sizeof frint_fpcr[0]; o++) {
            int dbl = (o & 1) == 0;
            const uint64_t *v = dbl ? d_rint : s_rint;
            unsigned n = dbl ? sizeof d_rint / sizeof d_rint[0] : sizeof s_rint / sizeof s_rint[0];
            for (unsigned i = 0; i < n; i++)
                run(&frint_fpcr[o], v[i], FPCR_RMODE(m));
        }

    // 5. Estimates: RN, then the other modes and FZ (which change the
    // overflow and underflow cases).
    static const uint64_t est_cfg[] = {FPCR_RN, FPCR_RP, FPCR_RM, FPCR_RZ, FPCR_FZ, FPCR_DN};
    for (unsigned c = 0; c < sizeof est_cfg / sizeof est_cfg[0]; c++)
        for (unsigned o = 0; o < sizeof est_ops / sizeof est_ops[0]; o++) {
            if (c > 0 && c < 4 && o >= 2)
                continue; // FRSQRTE/FRECPX do not depend on the mode
            int dbl = (o & 1) == 0;
            const uint64_t *v = dbl ? d_est : s_est;
            unsigned n = dbl ? sizeof d_est / sizeof d_est[0] : sizeof s_est / sizeof s_est[0];
            for (unsigned i = 0; i < n; i++)
                run(&est_ops[o], v[i], est_cfg[c]);
        }
    for (unsigned i = 0; i < sizeof d_step / sizeof d_step[0]; i++)
        for (unsigned j = 0; j < sizeof d_step / sizeof d_step[0]; j++) {
            run2("frecps d", frecps_d, 16, d_step[i], d_step[j], 0);
            run2("frsqrts d", frsqrts_d, 16, d_step[i], d_step[j], 0);
            run2("frecps s", frecps_s, 8, s_step[i], s_step[j], 0);
            run2("frsqrts s", frsqrts_s, 8, s_step[i], s_step[j], 0);
        }
    run2("frecps d", frecps_d, 16, 0x3ff8000000000000UL, 0x3fe5555555555555UL, FPCR_RP);
    run2("frsqrts d", frsqrts_d, 16, 0x3ff8000000000000UL, 0x3fe5555555555555UL, FPCR_RM);
    run2("frecps d", frecps_d, 16, 0x0000000000000001UL, 0x7ff0000000000000UL, FPCR_FZ);
    run2("frecps d", frecps_d, 16, 0x7ff8000000000123UL, 0x3ff0000000000000UL, FPCR_DN);

    // 6. FMOV.
    fmov_checks();
    puts("fp_convert: end");
    return 0;
}
