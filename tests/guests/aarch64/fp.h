// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Printing floating-point values for the FP/SIMD guests (build variant "fp",
// see env.sh): lib.c's printf has no %f, and a guest's output must be exact
// anyway, so a value is printed as its bit pattern and/or as its exact
// decimal expansion.  Every binary floating-point number m * 2^e has a finite
// decimal expansion (for e < 0 it is m * 5^-e / 10^-e), which is computed
// here with integer arithmetic only (a base-10^9 big number), so the output
// does not depend on the FP unit being tested.  Header only, so the guests
// built without FP/SIMD are unaffected.
#ifndef CHIMERA_GUEST_FP_H
#define CHIMERA_GUEST_FP_H

#include "lib.h"

static inline uint64_t f64_bits(double d)
{
    uint64_t u;
    __builtin_memcpy(&u, &d, sizeof u);
    return u;
}

static inline uint32_t f32_bits(float f)
{
    uint32_t u;
    __builtin_memcpy(&u, &f, sizeof u);
    return u;
}

static inline double f64_from_bits(uint64_t u)
{
    double d;
    __builtin_memcpy(&d, &u, sizeof d);
    return d;
}

static inline float f32_from_bits(uint32_t u)
{
    float f;
    __builtin_memcpy(&f, &u, sizeof f);
    return f;
}

// Big enough for the longest expansion: the smallest double denormal,
// 2^-1074, has 1074 decimal places (751 significant digits).
#define FP_DEC_MAX 1100
#define FP_LIMBS 128 // base 10^9: 1152 digits

// Writes the exact decimal value of (-1)^neg * m * 2^e to buf (at least
// FP_DEC_MAX + 8 bytes): "-0.000123", "1.5", "12345678901234567890", "0".
static inline char *fp_exact_decimal(char *buf, int neg, uint64_t m, int e)
{
    uint32_t limb[FP_LIMBS]; // little-endian base 10^9
    int n = 0, point = 0;    // digits after the decimal point
    char *p = buf;

    if (neg)
        *p++ = '-';
    if (m == 0) {
        *p++ = '0';
        *p = 0;
        return buf;
    }
    while (m) {
        limb[n++] = (uint32_t)(m % 1000000000u);
        m /= 1000000000u;
    }
    // Multiply by 2^e (e >= 0) or by 5^-e (e < 0) in chunks that keep
    // limb * factor + carry below 2^64.
    while (e != 0) {
        uint64_t f;
        if (e > 0) {
            int k = e > 29 ? 29 : e;
            f = 1ULL << k;
            e -= k;
        } else {
            int k = -e > 13 ? 13 : -e;
            f = 1;
            for (int i = 0; i < k; i++)
                f *= 5;
            e += k;
            point += k;
        }
        uint64_t carry = 0;
        for (int i = 0; i < n; i++) {
            uint64_t v = limb[i] * f + carry;
            limb[i] = (uint32_t)(v % 1000000000u);
            carry = v / 1000000000u;
        }
        while (carry) {
            limb[n++] = (uint32_t)(carry % 1000000000u);
            carry /= 1000000000u;
        }
    }
    // Digits of the integer N, most significant first.
    char digits[FP_LIMBS * 9 + 1];
    int len = 0;
    for (int i = n - 1; i >= 0; i--) {
        uint32_t v = limb[i];
        char tmp[9];
        for (int j = 8; j >= 0; j--) {
            tmp[j] = (char)('0' + v % 10);
            v /= 10;
        }
        for (int j = 0; j < 9; j++)
            if (len > 0 || tmp[j] != '0' || (i == 0 && j == 8))
                digits[len++] = tmp[j];
    }
    // Value = N / 10^point; drop trailing fraction zeros.
    while (point > 0 && digits[len - 1] == '0') {
        len--;
        point--;
    }
    int int_len = len - point;
    if (int_len <= 0) {
        *p++ = '0';
        *p++ = '.';
        for (int i = 0; i < -int_len; i++)
            *p++ = '0';
        for (int i = 0; i < len; i++)
            *p++ = digits[i];
    } else {
        for (int i = 0; i < int_len; i++)
            *p++ = digits[i];
        if (point > 0) {
            *p++ = '.';
            for (int i = int_len; i < len; i++)
                *p++ = digits[i];
        }
    }
    *p = 0;
    return buf;
}

// Exact decimal of a binary floating-point value given as its bits, with
// `mant` fraction bits and `expb` exponent bits (IEEE 754 interchange
// format): "inf", "-inf", "nan", "-nan" for the non-finite encodings.
static inline char *fp_bits_decimal(char *buf, uint64_t bits, int mant, int expb)
{
    int neg = (int)((bits >> (mant + expb)) & 1);
    uint64_t frac = bits & ((1ULL << mant) - 1);
    int bexp = (int)((bits >> mant) & ((1u << expb) - 1));
    int bias = (1 << (expb - 1)) - 1;
    if (bexp == (1 << expb) - 1) {
        char *p = buf;
        if (neg)
            *p++ = '-';
        const char *s = frac ? "nan" : "inf";
        while (*s)
            *p++ = *s++;
        *p = 0;
        return buf;
    }
    if (bexp == 0)
        return fp_exact_decimal(buf, neg, frac, 1 - bias - mant);
    return fp_exact_decimal(buf, neg, frac | (1ULL << mant), bexp - bias - mant);
}

static char fp_dec_buf[FP_DEC_MAX + 8];

// Exact decimal strings (one static buffer: use the result before the next
// call).
static inline const char *f64_dec(double d)
{
    return fp_bits_decimal(fp_dec_buf, f64_bits(d), 52, 11);
}

static inline const char *f32_dec(float f)
{
    return fp_bits_decimal(fp_dec_buf, f32_bits(f), 23, 8);
}

// "label = 3ff8000000000000 1.5"
static inline void print_f64(const char *label, double d)
{
    printf("%s = %016lx %s\n", label, f64_bits(d), f64_dec(d));
}

static inline void print_f32(const char *label, float f)
{
    printf("%s = %08x %s\n", label, f32_bits(f), f32_dec(f));
}

#endif
