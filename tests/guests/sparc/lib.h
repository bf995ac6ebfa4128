// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Minimal runtime for the bare-metal SPARC V8 test guests: APBUART output, a
// small printf, and the memory functions gcc may call. Only 32-bit
// arithmetic: libgcc is never linked (Debian's is V8+).
#ifndef CHIMERA_SPARC_GUEST_LIB_H
#define CHIMERA_SPARC_GUEST_LIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

// APBUART of the leon3_generic board.
#define UART_BASE 0x80000100UL

int putchar(int c);
// Writes s followed by a newline (like the C library's puts).
int puts(const char *s);

// Supported conversions: %d %i %u %x %X %c %s %p %% with the flags '-' and
// '0' and a field width (digits). No precision, no floating point, no 64-bit.
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

// Set by the trap table for the traps it records and skips (start.S).
extern volatile uint32_t trap_count, last_trap;

// Traps off, then `ta 0`: error mode, which powers the LEON3 board off.
void __halt(void) __attribute__((noreturn));

#endif
