// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Minimal runtime for the bare-metal AArch64 test guests: PL011 UART
// output, a small printf, and the memory functions gcc may call.
#ifndef CHIMERA_GUEST_LIB_H
#define CHIMERA_GUEST_LIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

// PL011 UART0 of the `virt` board.
#define UART0_BASE 0x09000000UL

int putchar(int c);
// Writes s followed by a newline (like the C library's puts).
int puts(const char *s);
// Writes s without a trailing newline.
void putstr(const char *s);

// Supported conversions: %d %i %u %x %X %c %s %p %% with the length
// modifiers l, ll, z and the flags '-' and '0' plus a field width
// (digits or '*').  No precision, no floating point (the FP/SIMD guests
// print FP values with fp.h).
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

// PSCI SYSTEM_OFF (defined in start.S).
void __poweroff(void) __attribute__((noreturn));

#endif
