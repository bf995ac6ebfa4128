/*
 * Softfloat oracle: runs AArch64 floating-point instructions (under
 * qemu-aarch64) on seeded pseudo-random inputs rich in special values and
 * random FPCR settings, and writes binary test vectors to stdout.
 *
 *   oracle list                      names of the operations (and "fp16" flag)
 *   oracle <op> <count> <seed>       vectors of one operation
 *
 * Output: a header line "CHIMERA-SF <op> <nin> <isz> <osz>\n", then records
 *   fpcr (1 byte: RMode[1:0], FZ 2, DN 3, AHP 4), extra (1), fbits (1),
 *   fpsr (1: IOC 0, DZC 1, OFC 2, UFC 3, IXC 4, IDC 7),
 *   nin inputs of isz bytes (little endian), the output of osz bytes.
 */
#include <stdint.h>

/* ---- Freestanding runtime (no libc for the cross target) ---- */

static long sys3(long n, long a, long b, long c) {
    register long x8 asm("x8") = n, x0 asm("x0") = a, x1 asm("x1") = b, x2 asm("x2") = c;
    asm volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
    return x0;
}
static void sys_exit(int code) {
    sys3(93, code, 0, 0);
    for (;;) {}
}

static unsigned char obuf[1 << 16];
static unsigned long olen;
static void flush(void) {
    unsigned long off = 0;
    while (off < olen) {
        long w = sys3(64, 1, (long)(obuf + off), (long)(olen - off));
        if (w <= 0) sys_exit(3);
        off += (unsigned long)w;
    }
    olen = 0;
}
static void putbyte(int c) {
    if (olen == sizeof obuf) flush();
    obuf[olen++] = (unsigned char)c;
}
static void putstr(const char *s) {
    while (*s) putbyte(*s++);
}
static void putnum(long v) {
    char b[24];
    int n = 0;
    if (v < 0) { putbyte('-'); v = -v; }
    do { b[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n) putbyte(b[--n]);
}
static int streq(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}
static uint64_t parse(const char *s) {
    uint64_t v = 0;
    while (*s >= '0' && *s <= '9') v = v * 10 + (uint64_t)(*s++ - '0');
    return v;
}
static void memcpy8(void *d, const void *s) {
    for (int i = 0; i < 8; i++) ((unsigned char *)d)[i] = ((const unsigned char *)s)[i];
}
/* x * 2^k by exponent arithmetic on normal doubles (generator use only). */
static double ldexp_(double x, int k) {
    uint64_t b;
    memcpy8(&b, &x);
    if ((b << 1) == 0) return x;
    b += (uint64_t)(int64_t)k << 52;
    memcpy8(&x, &b);
    return x;
}
void *memset(void *d, int c, unsigned long n) {
    for (unsigned long i = 0; i < n; i++) ((unsigned char *)d)[i] = (unsigned char)c;
    return d;
}
void *memcpy(void *d, const void *s, unsigned long n) {
    for (unsigned long i = 0; i < n; i++) ((unsigned char *)d)[i] = ((const unsigned char *)s)[i];
    return d;
}

typedef struct {
    uint64_t fpcr;
    uint64_t in[3];
    uint64_t out;
    uint64_t fpsr;
} Rec;

typedef struct {
    void (*fn)(Rec *);
    uint8_t extra, fbits;
} Var;

enum { G_ARITH, G_RECPS, G_RSQRTS, G_UNARY, G_MADD, G_FRINT, G_CVT, G_TOINT, G_FROMINT, G_U32 };

typedef struct {
    const char *name;
    char in_t, out_t;
    int nin, gen;
    const Var *vars;
    int nvars, fp16;
} Op;

#include "ops.inc"

/* xorshift64* */
static uint64_t rs;
static uint64_t rnd(void) {
    rs ^= rs >> 12;
    rs ^= rs << 25;
    rs ^= rs >> 27;
    return rs * 0x2545F4914F6CDD1DULL;
}
static uint64_t rn(uint64_t n) { return rnd() % n; }
static int coin(int pct) { return (int)rn(100) < pct; }

typedef struct { int e, f, bias, n; } Fmt;
static Fmt fmt_of(char t) {
    switch (t) {
    case 'h': return (Fmt){5, 10, 15, 16};
    case 's': return (Fmt){8, 23, 127, 32};
    default: return (Fmt){11, 52, 1023, 64};
    }
}
static uint64_t fmask(Fmt f) { return f.n == 64 ? ~0ULL : (1ULL << f.n) - 1; }
static uint64_t mk(Fmt f, int s, int64_t e, uint64_t frac) {
    uint64_t emax = (1ULL << f.e) - 1;
    if (e < 0) e = 0;
    if ((uint64_t)e > emax) e = emax;
    return ((uint64_t)s << (f.n - 1)) | ((uint64_t)e << f.f) | (frac & ((1ULL << f.f) - 1));
}
static int64_t exp_of(Fmt f, uint64_t v) { return (v >> f.f) & ((1ULL << f.e) - 1); }

/* A fraction with structure: random, sparse (few top bits: halfway cases
 * in products), all ones, low patterns. */
static uint64_t gen_frac(Fmt f) {
    uint64_t m = (1ULL << f.f) - 1;
    switch (rn(8)) {
    case 0: return 0;
    case 1: return m;
    case 2: { int k = rn(f.f + 1); return (rnd() & m) & ~((1ULL << k) - 1) & m; } /* trailing zeros */
    case 3: { int k = rn(f.f + 1); return (rnd() & m) | ((1ULL << k) - 1); }     /* trailing ones */
    case 4: return (1ULL << rn(f.f)) | (coin(50) ? 1 : 0);
    case 5: return m ^ (1ULL << rn(f.f));
    default: return rnd() & m;
    }
}

static uint64_t gen_fp(Fmt f) {
    int s = coin(50);
    int64_t emax = (1LL << f.e) - 1;
    uint64_t m = (1ULL << f.f) - 1;
    switch (rn(32)) {
    case 0: case 1: return mk(f, s, 0, 0);
    case 2: return mk(f, s, 0, 1);
    case 3: return mk(f, s, 0, m);
    case 4: case 5: return mk(f, s, 0, gen_frac(f) | (coin(10) ? 0 : 1 + 0 * rnd()));
    case 6: return mk(f, s, 1, coin(50) ? 0 : gen_frac(f));
    case 7: return mk(f, s, emax - 1, coin(50) ? m : gen_frac(f));
    case 8: case 9: return mk(f, s, emax, 0);
    case 10: case 11: { /* NaN: quiet or signalling, random payload */
        uint64_t q = 1ULL << (f.f - 1), p = rnd() & (q - 1);
        if (coin(50)) return mk(f, s, emax, q | (coin(30) ? 0 : p));
        if (p == 0) p = 1;
        return mk(f, s, emax, p);
    }
    case 12: case 13: case 14: case 15:
        return mk(f, s, f.bias + (int64_t)rn(7) - 3, gen_frac(f));
    case 16: case 17:
        return mk(f, s, 1 + rn(f.f + 3), gen_frac(f));
    case 18:
        return mk(f, s, emax - 1 - rn(f.f + 3), gen_frac(f));
    case 19: case 20: case 21: case 22: case 23:
        return mk(f, s, 1 + rn(emax - 1), gen_frac(f));
    default:
        return rnd() & fmask(f);
    }
}

/* Host conversions with FPCR = 0 (exact when widening). */
static double to_d(char t, uint64_t v) {
    double r;
    if (t == 'h') asm volatile("ins v0.h[0], %w1\n\tfcvt d0, h0\n\tfmov %d0, d0" : "=w"(r) : "r"(v) : "v0");
    else if (t == 's') asm volatile("fmov s0, %w1\n\tfcvt d0, s0\n\tfmov %d0, d0" : "=w"(r) : "r"(v) : "v0");
    else memcpy8(&r, &v);
    return r;
}
static uint64_t from_d(char t, double d) {
    uint64_t r = 0;
    if (t == 'h') asm volatile("fcvt h0, %d1\n\tumov %w0, v0.h[0]" : "+r"(r) : "w"(d) : "v0");
    else if (t == 's') asm volatile("fcvt s0, %d1\n\tfmov %w0, s0" : "+r"(r) : "w"(d) : "v0");
    else memcpy8(&r, &d);
    return r;
}

/* An operand related to a (same value, negated, a few ulps away, same
 * exponent, exponent shifted for alignment), or a fresh one. */
static uint64_t gen_related(Fmt f, uint64_t a) {
    uint64_t sb = 1ULL << (f.n - 1);
    int64_t e = exp_of(f, a);
    switch (rn(12)) {
    case 0: return a;
    case 1: return a ^ sb;
    case 2: return (a ^ (coin(50) ? sb : 0)) + rn(5) - 2;
    case 3: return mk(f, coin(50), e, gen_frac(f));
    case 4: case 5: return mk(f, coin(50), e + (int64_t)rn(2 * f.f + 8) - f.f - 4, gen_frac(f));
    case 6: { /* product/quotient near the underflow or overflow threshold */
        int64_t emax = (1LL << f.e) - 2;
        int64_t target = coin(50) ? 1 + (int64_t)rn(f.f + 4) - 2 : emax - 1 + (int64_t)rn(4);
        /* (ea - bias) + (eb - bias) = target - bias  or  (ea - bias) - (eb - bias) */
        int64_t eb = coin(50) ? target - e + f.bias : e - target + f.bias;
        if (eb < 1) eb = coin(50) ? 0 : 1;
        return mk(f, coin(50), eb, gen_frac(f));
    }
    default: return gen_fp(f);
    }
}

static uint64_t perturb(Fmt f, uint64_t v) {
    if (coin(40)) return v;
    return (v + rn(9) - 4) & fmask(f);
}

/* Inputs for FP -> integer conversion of the given variant. */
static uint64_t gen_toint(char t, int extra, int fbits) {
    Fmt f = fmt_of(t);
    int w = (extra >> 4) & 1 ? 64 : 32;
    int s = coin(50);
    switch (rn(8)) {
    case 0: case 1: return gen_fp(f);
    case 2: case 3: { /* around 2^k for the saturation bounds */
        int ks[] = {w - 1, w, w - 2, w + 1, 15, 16, 0, 1};
        int64_t k = ks[rn(8)] - fbits;
        uint64_t m = (1ULL << f.f) - 1;
        uint64_t fr[] = {0, 1, 2, m, m - 1, rnd() & m};
        int64_t e = k + f.bias - (coin(40) ? 1 : 0);
        return mk(f, s, e, fr[rn(6)]);
    }
    case 4: case 5: { /* halves and near-halves, scaled by 2^-fbits */
        double base = (double)rn(coin(50) ? 8 : 100000);
        double fr[] = {0.5, 0.25, 0.75, 0.0, 0.5 + 1e-9, 0.5 - 1e-9, 0.999999, 1e-7};
        double v = ldexp_(base + fr[rn(8)], -fbits);
        return perturb(f, from_d(t, s ? -v : v));
    }
    default: {
        int64_t e = f.bias + (int64_t)rn(w + 4) - fbits - 2;
        return mk(f, s, e, gen_frac(f));
    }
    }
}

static uint64_t gen_fromint(int extra) {
    int w = (extra >> 4) & 1 ? 64 : 32;
    uint64_t wm = w == 64 ? ~0ULL : (1ULL << w) - 1;
    uint64_t v;
    switch (rn(8)) {
    case 0: { uint64_t c[] = {0, 1, wm, wm >> 1, (wm >> 1) + 1, 2, wm - 1, 3}; v = c[rn(8)]; break; }
    case 1: case 2: { /* 2^k +- small: rounding boundaries */
        int k = rn(w);
        v = (1ULL << k) + rn(9) - 4;
        if (coin(50)) v = -v;
        break;
    }
    case 3: case 4: { /* random top bits, then a rounding pattern */
        int len = 1 + rn(w), low = rn(len);
        v = (rnd() | (1ULL << 63)) >> (64 - len);
        if (low > 0) {
            uint64_t lm = (1ULL << low) - 1, half = 1ULL << (low - 1);
            uint64_t p[] = {half, half - 1, half + 1, 0, lm};
            v = (v & ~lm) | (p[rn(5)] & lm);
        }
        if (coin(30)) v = -v;
        break;
    }
    default: v = rnd() >> rn(64); if (coin(50)) v = -v; break;
    }
    return v & wm;
}

static uint64_t gen_cvt(char from, char to) {
    Fmt f = fmt_of(from), g = fmt_of(to);
    int s = coin(50);
    if (g.n >= f.n || coin(40)) return gen_fp(f);
    /* Narrowing: exponents around the target's limits, fractions with a
     * pattern at the target's rounding position. */
    int64_t emin = 1 - g.bias, emax = g.bias + 1; /* AHP reaches 2^16 */
    int64_t e = coin(50) ? emin - (int64_t)rn(g.f + 4) + 1 : emax - 2 + (int64_t)rn(4);
    if (coin(20)) e = (int64_t)rn(2 * g.bias) - g.bias;
    int d = f.f - g.f;
    uint64_t m = (1ULL << d) - 1, half = 1ULL << (d - 1);
    uint64_t p[] = {half, half - 1, half + 1, 0, m, rnd() & m};
    uint64_t frac = ((rnd() & ((1ULL << g.f) - 1)) << d) | p[rn(6)];
    if (coin(20)) frac = ((1ULL << g.f) - 1) << d | p[rn(6)];
    return mk(f, s, e + f.bias, frac);
}

static void gen_inputs(const Op *op, const Var *v, Rec *r) {
    char t = op->in_t;
    Fmt f = fmt_of(t);
    switch (op->gen) {
    case G_U32:
        switch (rn(4)) {
        case 0: r->in[0] = rnd() & 0xffffffffu; break;
        case 1: r->in[0] = (rnd() >> 32) | 0x80000000u; break;
        case 2: r->in[0] = ((rnd() >> 32) & 0x3fffffff) | 0x40000000u; break;
        default: r->in[0] = (0x80000000u >> rn(4)) + rn(3) - 1; break;
        }
        r->in[0] &= 0xffffffffu;
        break;
    case G_TOINT: r->in[0] = gen_toint(t, v->extra, v->fbits); break;
    case G_FROMINT: r->in[0] = gen_fromint(v->extra); break;
    case G_CVT: r->in[0] = gen_cvt(op->in_t, op->out_t); break;
    case G_FRINT:
        if (coin(50)) {
            double fr[] = {0.5, 0.25, 0.75, 0.0, 0.5 + 1e-6, 0.5 - 1e-6, 0.999, 1e-3};
            double d = (double)rn(coin(50) ? 4 : 3000) + fr[rn(8)];
            r->in[0] = perturb(f, from_d(t, coin(50) ? -d : d));
        } else if (coin(20)) {
            r->in[0] = mk(f, coin(50), f.bias + f.f - 2 + rn(4), gen_frac(f));
        } else {
            r->in[0] = gen_fp(f);
        }
        break;
    case G_UNARY:
        r->in[0] = gen_fp(f);
        if (coin(10)) r->in[0] = mk(f, coin(20), coin(50) ? rn(3) : (1 << f.e) - 2 - rn(3), gen_frac(f));
        break;
    case G_RECPS: case G_RSQRTS:
        r->in[0] = gen_fp(f);
        if (coin(40)) {
            double a = to_d(t, r->in[0]);
            double k = op->gen == G_RECPS ? 2.0 : 3.0;
            r->in[1] = perturb(f, from_d(t, k / a));
            if (op->gen == G_RSQRTS && coin(50)) r->in[1] = perturb(f, from_d(t, 1.0 / (a * a)) + 0);
        } else {
            r->in[1] = gen_related(f, r->in[0]);
        }
        if (coin(50)) { uint64_t x = r->in[0]; r->in[0] = r->in[1]; r->in[1] = x; }
        break;
    case G_MADD:
        r->in[0] = gen_fp(f);
        r->in[1] = coin(60) ? gen_related(f, r->in[0]) : gen_fp(f);
        if (coin(50)) {
            /* addend near -(n*m) (or +, for the negated forms) */
            double p = to_d(t, r->in[0]) * to_d(t, r->in[1]);
            r->in[2] = perturb(f, from_d(t, coin(50) ? -p : p));
        } else if (coin(50)) {
            r->in[2] = gen_related(f, r->in[coin(50)]);
        } else {
            r->in[2] = gen_fp(f);
        }
        break;
    default:
        r->in[0] = gen_fp(f);
        if (coin(10)) /* small exponents: tiny sums and differences */
            r->in[0] = mk(f, coin(50), rn(4), gen_frac(f));
        r->in[1] = coin(70) ? gen_related(f, r->in[0]) : gen_fp(f);
        if (coin(50)) { uint64_t x = r->in[0]; r->in[0] = r->in[1]; r->in[1] = x; }
        break;
    }
}

static int size_of(char t) {
    switch (t) {
    case 'h': return 2;
    case 's': case 'u': return 4;
    case 'b': return 1;
    default: return 8;
    }
}

static void put(uint64_t v, int n) {
    for (int i = 0; i < n; i++) putbyte((int)(v >> (8 * i)));
}

static int main_(int argc, char **argv) {
    int nops = sizeof(OPS) / sizeof(OPS[0]);
    if (argc >= 2 && streq(argv[1], "list")) {
        for (int i = 0; i < nops; i++) {
            putstr(OPS[i].name);
            putstr(OPS[i].fp16 ? " 1\n" : " 0\n");
        }
        return 0;
    }
    if (argc != 4) {
        putstr("usage: oracle list | oracle <op> <count> <seed>\n");
        return 2;
    }
    const Op *op = 0;
    for (int i = 0; i < nops; i++)
        if (streq(OPS[i].name, argv[1])) op = &OPS[i];
    if (!op) {
        putstr("unknown op\n");
        return 2;
    }
    long count = (long)parse(argv[2]);
    rs = parse(argv[3]) * 0x9E3779B97F4A7C15ULL + 0x1234567;
    for (const char *p = op->name; *p; p++) rs = (rs ^ (unsigned char)*p) * 0x100000001B3ULL;
    if (!rs) rs = 1;
    int isz = size_of(op->in_t), osz = size_of(op->out_t);
    putstr("CHIMERA-SF ");
    putstr(op->name);
    putbyte(' ');
    putnum(op->nin);
    putbyte(' ');
    putnum(isz);
    putbyte(' ');
    putnum(osz);
    putbyte('\n');
    for (long i = 0; i < count; i++) {
        const Var *v = &op->vars[rn(op->nvars)];
        Rec r = {0};
        /* RMode, FZ, DN, AHP: mostly nearest-even without DN so that NaN
         * payloads show. */
        int small = (coin(40) ? 0 : rn(4)) | (coin(30) << 2) | (coin(25) << 3) | (coin(30) << 4);
        r.fpcr = ((uint64_t)(small & 3) << 22) | ((uint64_t)(small >> 2 & 1) << 24) |
                 ((uint64_t)(small >> 3 & 1) << 25) | ((uint64_t)(small >> 4 & 1) << 26);
        gen_inputs(op, v, &r);
        v->fn(&r);
        uint64_t fl = r.fpsr & 0x9f;
        putbyte(small);
        putbyte(v->extra);
        putbyte(v->fbits);
        putbyte((int)fl);
        for (int k = 0; k < op->nin; k++) put(r.in[k], isz);
        put(r.out, osz);
    }
    return 0;
}

/* Process entry: argc at [sp], argv after it. */
void cstart(uint64_t *sp) {
    int argc = (int)sp[0];
    char **argv = (char **)(sp + 1);
    int rc = main_(argc, argv);
    flush();
    sys_exit(rc);
}
asm(".globl _start\n_start:\n\tmov x0, sp\n\tbl cstart\n");
