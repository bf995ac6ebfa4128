// SPDX-License-Identifier: MIT OR Apache-2.0
// guest-variant: fpu
//
// The FPU (SPARC V8 manual chapter 4 and appendix B): a small numerical
// workload in float and double, special values (infinities, NaN payloads,
// signed zeros, denormals), the four rounding directions, conversions,
// comparisons through every FBfcc condition, FSR (fcc, aexc, cexc, ftt), and
// the traps: an IEEE exception enabled in FSR.TEM (fp_exception, tt 8), an
// unimplemented quad FPop and STDFQ (tt 8 with other ftt values), and an FP
// instruction with PSR.EF = 0 (fp_disabled, tt 4). Results are printed as
// bit patterns. Built as variant "fpu": start.S enables the FPU and records
// and skips traps 4 and 8.
#include "lib.h"

typedef union {
    float f;
    uint32_t u;
} f32;

typedef union {
    double d;
    uint32_t u[2];
    uint64_t x;
} f64;

static uint32_t fbits(float f)
{
    f32 v = {.f = f};
    return v.u;
}

static float ffrom(uint32_t u)
{
    f32 v = {.u = u};
    return v.f;
}

static double dfrom(uint32_t hi, uint32_t lo)
{
    f64 v = {.u = {hi, lo}};
    return v.d;
}

static void ps(const char *what, float f)
{
    printf("%-22s %08x\n", what, fbits(f));
}

static void pd(const char *what, double d)
{
    f64 v = {.d = d};
    printf("%-22s %08x %08x\n", what, v.u[0], v.u[1]);
}

static uint32_t get_fsr(void)
{
    uint32_t v;
    __asm__ volatile("st %%fsr, %0" : "=m"(v));
    return v;
}

static void set_fsr(uint32_t v)
{
    __asm__ volatile("ld %0, %%fsr" : : "m"(v) : "memory");
}

static void show_fsr(const char *what)
{
    printf("%-22s fsr %08x traps %u last %02x\n", what, get_fsr(), trap_count, last_trap);
    trap_count = 0;
    last_trap = 0;
}

// Keep values opaque to the compiler so every operation runs on the FPU.
static float hide_f(float f)
{
    __asm__ volatile("" : "+f"(f));
    return f;
}

static double hide_d(double d)
{
    __asm__ volatile("" : "+e"(d));
    return d;
}

static double fsqrtd(double d)
{
    double r;
    __asm__ volatile("fsqrtd %1, %0" : "=e"(r) : "e"(d));
    return r;
}

static float fsqrts(float f)
{
    float r;
    __asm__ volatile("fsqrts %1, %0" : "=f"(r) : "f"(f));
    return r;
}

static double fsmuld(float a, float b)
{
    double r;
    __asm__ volatile("fsmuld %1, %2, %0" : "=e"(r) : "f"(a), "f"(b));
    return r;
}

// A numerical workload: Newton square roots, a Leibniz series, a 4x4
// single-precision matrix product and Horner evaluation of exp's series.
static void workload(void)
{
    double x = 2.0, r = 1.0;
    for (int i = 0; i < 6; i++)
        r = 0.5 * (r + x / r);
    pd("newton sqrt 2", r);
    pd("fsqrtd 2", fsqrtd(hide_d(2.0)));
    ps("fsqrts 2", fsqrts(hide_f(2.0f)));

    double pi4 = 0.0;
    for (int k = 0; k < 2000; k++)
        pi4 += (k & 1 ? -1.0 : 1.0) / (2 * k + 1);
    pd("leibniz pi", 4.0 * pi4);

    float a[4][4], b[4][4], c[4][4];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            a[i][j] = hide_f((float)(i + 1) / (float)(j + 3));
            b[i][j] = hide_f((float)(i - j) * 0.37f);
        }
    uint32_t sum = 0;
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            float s = 0.0f;
            for (int k = 0; k < 4; k++)
                s += a[i][k] * b[k][j];
            c[i][j] = s;
            sum = sum * 31 + fbits(s);
        }
    printf("%-22s %08x %08x %08x\n", "matmul c00 c33 hash", fbits(c[0][0]), fbits(c[3][3]), sum);

    double e = 1.0;
    for (int n = 17; n > 0; n--)
        e = 1.0 + e * hide_d(1.0) / n;
    pd("exp(1) horner", e);
    pd("fsmuld", fsmuld(hide_f(1.1f), hide_f(3.3f)));
    ps("float/3", hide_f(1.0f) / 3.0f);
    pd("double*1e300", hide_d(1e300) * 1e-310);
}

static void special_values(void)
{
    float inf = hide_f(ffrom(0x7f800000)), qnan = hide_f(ffrom(0x7fc12345));
    float snan = hide_f(ffrom(0x7f800021)), neg_snan = hide_f(ffrom(0xffa00000));
    float tiny = hide_f(ffrom(0x00000003)), zero = hide_f(0.0f);

    set_fsr(0);
    ps("inf - inf", inf - inf);
    ps("0 / 0", zero / zero);
    ps("1 / -0", 1.0f / -zero);
    ps("qnan + 1", qnan + 1.0f);
    ps("1 + snan", 1.0f + snan);
    ps("snan + qnan", snan + qnan);
    ps("snan + -snan", snan + neg_snan);
    ps("-snan * snan", neg_snan * snan);
    ps("-0 + -0", -zero + -zero);
    ps("-0 + 0", -zero + zero);
    ps("denormal * 0.5", tiny * 0.5f);
    ps("denormal + denormal", tiny + tiny);
    ps("max * 2", hide_f(ffrom(0x7f7fffff)) * 2.0f);
    pd("double nan payload", hide_d(dfrom(0x7ff00000, 0x00000123)) + 1.0);
    pd("inf * 0", hide_d(dfrom(0x7ff00000, 0)) * 0.0);
    pd("sqrt -1", fsqrtd(hide_d(-1.0)));
    pd("sqrt -0", fsqrtd(hide_d(-0.0)));
    show_fsr("after specials");

    // Conversions (FiTOs FiTOd FsTOi FdTOi FsTOd FdTOs) and their limits.
    int big = 0x7fffffff;
    ps("(float)0x7fffffff", (float)*(volatile int *)&big);
    int m7 = -7;
    pd("(double)-7", (double)*(volatile int *)&m7);
    printf("%-22s %08x\n", "(int)-2.5f", (uint32_t)(int)hide_f(-2.5f));
    printf("%-22s %08x\n", "(int)3e9f", (uint32_t)(int)hide_f(3e9f));
    printf("%-22s %08x\n", "(int)nan", (uint32_t)(int)hide_f(qnan));
    printf("%-22s %08x\n", "(int)-1e10", (uint32_t)(int)hide_d(-1e10));
    pd("(double)snan", (double)snan);
    show_fsr("fstod snan (deferred)");
    ps("1 + 1 after", hide_f(1.0f) + 1.0f);
    show_fsr("next fpop reports nv");
    ps("(float)1e-40", (float)hide_d(1e-40));
    ps("(float)1e39", (float)hide_d(1e39));
    ps("(float)dnan", (float)hide_d(dfrom(0xfff80000, 0x12345678)));
    show_fsr("after conversions");
}

static void rounding(void)
{
    static const char *const names[4] = {"nearest", "zero", "+inf", "-inf"};
    for (uint32_t rd = 0; rd < 4; rd++) {
        set_fsr(rd << 30);
        float third = hide_f(1.0f) / 3.0f, mthird = hide_f(-1.0f) / 3.0f;
        double dthird = hide_d(2.0) / 3.0;
        float over = hide_f(ffrom(0x7f000000)) * 4.0f;
        float under = hide_f(ffrom(0x00800001)) * 0.5f;
        f64 dt = {.d = dthird};
        printf("%-8s %08x %08x %08x.%08x %08x %08x %08x\n", names[rd], fbits(third), fbits(mthird), dt.u[0], dt.u[1], fbits(over),
               fbits(under), (uint32_t)(int)hide_f(2.5f));
        show_fsr(names[rd]);
    }
    set_fsr(0);
}

// Every FBfcc condition (through gcc's comparisons and explicit branches)
// for each of the four fcc results.
static void compare(void)
{
    static const float lhs[4] = {1.0f, 1.0f, 2.0f, 1.0f};
    float rhs[4] = {1.0f, 2.0f, 1.0f, ffrom(0x7fc00000)};
    for (int k = 0; k < 4; k++) {
        float a = hide_f(lhs[k]), b = hide_f(rhs[k]);
        uint32_t taken = 0, fsr;
        __asm__ volatile("fcmps %0, %1\n\tnop" : : "f"(a), "f"(b));
        fsr = get_fsr();
#define FB(n, insn) __asm__ volatile(insn " 1f\n\tnop\n\tba 2f\n\tnop\n1:\tor %0, %1, %0\n2:" : "+r"(taken) : "r"(1u << n))
        FB(0, "fbn");
        FB(1, "fbne");
        FB(2, "fblg");
        FB(3, "fbul");
        FB(4, "fbl");
        FB(5, "fbug");
        FB(6, "fbg");
        FB(7, "fbu");
        FB(8, "fba");
        FB(9, "fbe");
        FB(10, "fbue");
        FB(11, "fbge");
        FB(12, "fbuge");
        FB(13, "fble");
        FB(14, "fbule");
        FB(15, "fbo");
        uint32_t c = (a < b) | (a <= b) << 1 | (a == b) << 2 | (a != b) << 3 | (a > b) << 4 | (a >= b) << 5;
        printf("fcmps %d: fsr %08x taken %04x c %02x\n", k, fsr, taken, c);
    }
    // FBfcc with the annul bit: the delay slot runs only when taken.
    uint32_t n = 0;
    __asm__ volatile("fcmpd %1, %2\n\tnop\n\tfbe,a 1f\n\tadd %0, 1, %0\n\tadd %0, 16, %0\n1:\tfbne,a 2f\n\tadd %0, 256, %0\n2:"
                     : "+r"(n)
                     : "e"(hide_d(1.0)), "e"(hide_d(1.0)));
    printf("annul %03x\n", n);
    show_fsr("after compares");
}

static void traps(void)
{
    // TEM.DZ: the division traps, cexc = dz, aexc unchanged, f2 not written.
    set_fsr(0x01000000);
    float r = hide_f(7.0f);
    __asm__ volatile("fdivs %1, %2, %0" : "+f"(r) : "f"(hide_f(1.0f)), "f"(hide_f(0.0f)));
    ps("fdivs 1/0 trapped", r);
    show_fsr("tem dz");
    // TEM.NX and .OF: overflow raises both; a double result is written.
    set_fsr(0x00800000 | 0x04000000 | 0x3e0);
    double d = hide_d(dfrom(0x7fe00000, 0)) * hide_d(4.0);
    pd("fmuld overflow", d);
    show_fsr("tem of nx");
    // TEM.NV with FCMPEs on a quiet NaN; fcc is not written.
    set_fsr(0x08000000 | 0x800);
    __asm__ volatile("fcmpes %0, %1\n\tnop" : : "f"(hide_f(ffrom(0x7fc00000))), "f"(hide_f(1.0f)));
    show_fsr("tem nv fcmpes");
    // Trapped underflow needs inexactness: 2^-126 * 0.5 is exact.
    set_fsr(0x02000000);
    ps("exact tiny", hide_f(ffrom(0x00800000)) * 0.5f);
    show_fsr("tem uf exact");
    ps("inexact tiny", hide_f(ffrom(0x00800001)) * 0.5f);
    show_fsr("tem uf inexact");
    set_fsr(0x1f);
    // faddq %f0, %f4, %f8: unimplemented_FPop.
    __asm__ volatile(".word 0x91a00864" ::: "memory");
    show_fsr("faddq");
    static uint32_t q[2] __attribute__((aligned(8)));
    __asm__ volatile("std %%fq, [%0]" : : "r"(q) : "memory");
    show_fsr("stdfq");
    // LDDF and STDF need only word alignment on QEMU's LEON3.
    static uint32_t w[4] __attribute__((aligned(8))) = {0x11111111, 0x22222222, 0x33333333, 0x44444444};
    __asm__ volatile("ldd [%0 + 4], %%f4\n\tstd %%f4, [%0 + 4]\n\tst %%f4, [%0]" : : "r"(w) : "memory");
    printf("lddf/stdf at +4 %08x %08x %08x %08x\n", w[0], w[1], w[2], w[3]);
    __asm__ volatile("ld [%0 + 2], %%f4" : : "r"(w) : "memory");
    show_fsr("ldf +2");
    set_fsr(0);
    // PSR.EF = 0: every FP instruction is fp_disabled (then EF back on).
    __asm__ volatile("rd %%psr, %%g1\n\tset 0x1000, %%g2\n\tandn %%g1, %%g2, %%g1\n\twr %%g1, %%psr\n\tnop\n\tnop\n\tnop\n\t"
                     "fadds %%f0, %%f1, %%f2\n\tfbe 1f\n\tnop\n1:\tst %%fsr, [%0]\n\t"
                     "rd %%psr, %%g1\n\tset 0x1000, %%g2\n\tor %%g1, %%g2, %%g1\n\twr %%g1, %%psr\n\tnop\n\tnop\n\tnop"
                     :
                     : "r"(q)
                     : "g1", "g2", "memory");
    show_fsr("ef 0");
}

int main(void)
{
    workload();
    special_values();
    rounding();
    compare();
    traps();
    return 0;
}
