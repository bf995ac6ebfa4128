// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Runtime of the bare-metal SPARC V8 test guests (see lib.h).
#include "lib.h"

volatile uint32_t trap_count, last_trap;

#define UART_DATA (*(volatile uint32_t *)(UART_BASE + 0x0))
#define UART_STATUS (*(volatile uint32_t *)(UART_BASE + 0x4))
#define UART_STATUS_TX_EMPTY (1u << 2)

int putchar(int c)
{
    while (!(UART_STATUS & UART_STATUS_TX_EMPTY))
        ;
    UART_DATA = (uint32_t)(unsigned char)c;
    return c;
}

int puts(const char *s)
{
    while (*s)
        putchar(*s++);
    putchar('\n');
    return 0;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

static void pad(int n, char c)
{
    while (n-- > 0)
        putchar(c);
}

static int out_num(uint32_t v, unsigned base, int upper, int neg, int width, int left, char fill)
{
    char buf[12];
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int n = 0;
    do {
        buf[n++] = digits[v % base];
        v /= base;
    } while (v);
    int len = n + neg;
    if (!left && fill == '0' && neg)
        putchar('-');
    if (!left)
        pad(width - len, fill);
    if (neg && !(fill == '0' && !left))
        putchar('-');
    while (n)
        putchar(buf[--n]);
    if (left)
        pad(width - len, ' ');
    return len > width ? len : width;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    int count = 0;
    va_start(ap, fmt);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            putchar(*fmt);
            count++;
            continue;
        }
        fmt++;
        int left = 0, width = 0;
        char fill = ' ';
        if (*fmt == '-') {
            left = 1;
            fmt++;
        }
        if (*fmt == '0') {
            fill = '0';
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l')
            fmt++;
        switch (*fmt) {
        case 'd':
        case 'i': {
            int v = va_arg(ap, int);
            count += out_num(v < 0 ? -(uint32_t)v : (uint32_t)v, 10, 0, v < 0, width, left, fill);
            break;
        }
        case 'u':
            count += out_num(va_arg(ap, uint32_t), 10, 0, 0, width, left, fill);
            break;
        case 'x':
        case 'X':
            count += out_num(va_arg(ap, uint32_t), 16, *fmt == 'X', 0, width, left, fill);
            break;
        case 'p':
            putchar('0');
            putchar('x');
            count += 2 + out_num((uint32_t)(uintptr_t)va_arg(ap, void *), 16, 0, 0, 8, 0, '0');
            break;
        case 'c':
            putchar(va_arg(ap, int));
            count++;
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            int len = 0;
            while (s[len])
                len++;
            if (!left)
                pad(width - len, ' ');
            for (int i = 0; i < len; i++)
                putchar(s[i]);
            if (left)
                pad(width - len, ' ');
            count += len > width ? len : width;
            break;
        }
        case '%':
            putchar('%');
            count++;
            break;
        default:
            putchar('%');
            putchar(*fmt);
            count += 2;
            break;
        }
    }
    va_end(ap);
    return count;
}
