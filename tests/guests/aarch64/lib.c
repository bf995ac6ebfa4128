// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Minimal runtime for the bare-metal AArch64 test guests.  Output goes
// straight to the PL011 data register; the flag register is never polled.
#include "lib.h"

#define UART0_DR ((volatile uint32_t *)(UART0_BASE + 0x00))

int putchar(int c)
{
    *UART0_DR = (uint32_t)(unsigned char)c;
    return (unsigned char)c;
}

void putstr(const char *s)
{
    while (*s)
        putchar(*s++);
}

int puts(const char *s)
{
    putstr(s);
    putchar('\n');
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

// Emits prefix, padding and body according to width and flags.
static int emit(const char *prefix, const char *body, int body_len,
                int width, int left, int zero)
{
    int prefix_len = (int)strlen(prefix);
    int pad = width - prefix_len - body_len;
    int n = 0;
    if (pad < 0)
        pad = 0;
    if (!left && !zero)
        for (; pad > 0; pad--, n++)
            putchar(' ');
    putstr(prefix);
    n += prefix_len;
    if (!left && zero)
        for (; pad > 0; pad--, n++)
            putchar('0');
    for (int i = 0; i < body_len; i++)
        putchar(body[i]);
    n += body_len;
    for (; pad > 0; pad--, n++)
        putchar(' ');
    return n;
}

// Formats v in the given base into the end of buf; returns the start.
static char *format_unsigned(char *end, uint64_t v, unsigned base, int upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;
    do {
        *--p = digits[v % base];
        v /= base;
    } while (v != 0);
    return p;
}

int vprintf(const char *fmt, va_list ap)
{
    int count = 0;

    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            putchar(*fmt);
            count++;
            continue;
        }
        fmt++;

        int left = 0, zero = 0, width = 0, longs = 0;
        for (;; fmt++) {
            if (*fmt == '-')
                left = 1;
            else if (*fmt == '0')
                zero = 1;
            else
                break;
        }
        if (*fmt == '*') {
            width = va_arg(ap, int);
            if (width < 0) {
                left = 1;
                width = -width;
            }
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                width = width * 10 + (*fmt++ - '0');
        }
        for (;; fmt++) {
            if (*fmt == 'l')
                longs++;
            else if (*fmt == 'z')
                longs = 1;
            else
                break;
        }

        char buf[24];
        char *end = buf + sizeof(buf);
        char *p;
        const char *prefix = "";

        switch (*fmt) {
        case 'd':
        case 'i': {
            int64_t v = longs ? va_arg(ap, int64_t) : (int64_t)va_arg(ap, int);
            uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
            if (v < 0)
                prefix = "-";
            p = format_unsigned(end, mag, 10, 0);
            count += emit(prefix, p, (int)(end - p), width, left, zero);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            uint64_t v = longs ? va_arg(ap, uint64_t) : (uint64_t)va_arg(ap, unsigned);
            p = format_unsigned(end, v, *fmt == 'u' ? 10 : 16, *fmt == 'X');
            count += emit(prefix, p, (int)(end - p), width, left, zero);
            break;
        }
        case 'p': {
            uint64_t v = (uint64_t)(uintptr_t)va_arg(ap, void *);
            p = format_unsigned(end, v, 16, 0);
            count += emit("0x", p, (int)(end - p), width, left, zero);
            break;
        }
        case 'c':
            buf[0] = (char)va_arg(ap, int);
            count += emit("", buf, 1, width, left, 0);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (s == NULL)
                s = "(null)";
            count += emit("", s, (int)strlen(s), width, left, 0);
            break;
        }
        case '%':
            putchar('%');
            count++;
            break;
        case '\0':
            return count;
        default:
            // Unknown conversion: print it verbatim.
            putchar('%');
            putchar(*fmt);
            count += 2;
            break;
        }
    }
    return count;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

// The memory functions.  Built with -fno-tree-loop-distribute-patterns so
// gcc does not turn these loops back into calls to themselves.
void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
        for (; n >= 8; n -= 8, d += 8, s += 8)
            *(uint64_t *)d = *(const uint64_t *)s;
    }
    for (; n > 0; n--)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d == s || n == 0)
        return dst;
    if (d < s || d >= s + n)
        return memcpy(dst, src, n);
    // Overlapping with dst above src: copy backwards.
    while (n > 0) {
        n--;
        d[n] = s[n];
    }
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    if (((uintptr_t)d & 7) == 0) {
        uint64_t w = (unsigned char)c;
        w |= w << 8;
        w |= w << 16;
        w |= w << 32;
        for (; n >= 8; n -= 8, d += 8)
            *(uint64_t *)d = w;
    }
    for (; n > 0; n--)
        *d++ = (unsigned char)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

// Called from the vector table in start.S; start.S powers off afterwards.
void __exception_report(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far)
{
    printf("\n*** EXCEPTION vector=%lu ESR=%016lx ELR=%016lx FAR=%016lx\n",
           vector, esr, elr, far);
}

#ifdef GUEST_MMU
// The identity map of the MMU variant (ARM ARM D5): 4 KiB granule, 32-bit
// VAs (T0SZ = 32, so the walk starts at level 1, D5.2.6), two 1 GiB blocks:
// 0x0000_0000 (the devices) as Device-nGnRnE and 0x4000_0000 (RAM) as
// Normal write-back, both read/write at EL1 only, TTBR1 walks disabled.
static uint64_t __mmu_l1[512] __attribute__((aligned(4096)));

void __mmu_identity_on(void)
{
    const uint64_t block = 1 | 1 << 10;          // valid block, AF
    __mmu_l1[0] = 0x00000000UL | block | 0 << 2;  // AttrIndx 0: Device
    __mmu_l1[1] = 0x40000000UL | block | 1 << 2 | 3 << 8; // AttrIndx 1, inner shareable
    uint64_t mair = 0x00UL | 0xffUL << 8;
    uint64_t tcr = 32                            // T0SZ
                   | 1UL << 8 | 1UL << 10       // IRGN0, ORGN0: write-back
                   | 3UL << 12                   // SH0: inner shareable
                   | 0UL << 14                   // TG0: 4 KiB
                   | 1UL << 23                   // EPD1
                   | 1UL << 32;                  // IPS: 36 bits
    __asm__ volatile("msr mair_el1, %0\n\t"
                     "msr tcr_el1, %1\n\t"
                     "msr ttbr0_el1, %2\n\t"
                     "tlbi vmalle1\n\t"
                     "dsb ish\n\t"
                     "isb\n\t"
                     "mrs x9, sctlr_el1\n\t"
                     "orr x9, x9, #1\n\t"            // M
                     "orr x9, x9, #(1 << 2)\n\t"     // C
                     "orr x9, x9, #(1 << 12)\n\t"    // I
                     "msr sctlr_el1, x9\n\t"
                     "isb"
                     : : "r"(mair), "r"(tcr), "r"(__mmu_l1) : "x9", "memory");
}
#endif
