/* Instruction-level oracle for the AdvSIMD data-processing instructions, run
 * under `qemu-aarch64 -cpu cortex-a57` (freestanding: no libc, raw syscalls).
 * Build: see run.py (aarch64-linux-gnu-gcc -O2 -static -nostdlib).
 *
 * stdin: records of 520 bytes: u32 insn, u32 fpcr, V0..V31 (16 bytes each,
 * little-endian).  stdout: records of 520 bytes: u32 status (0 executed,
 * 1 SIGILL), u32 FPSR, V0..V31 after the instruction.
 *
 * Each instruction is patched into a copy of the stub.S template in an RWX
 * page, which loads V0..V31, sets FPCR, clears FPSR, executes it, and stores
 * them back. A SIGILL handler records "undefined" and resumes after it. */
typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long u64;

extern char stub_start[], stub_slot[], stub_end[];
extern void sig_restorer(void);
extern long raw_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

#define SYS_read 63
#define SYS_write 64
#define SYS_mmap 222
#define SYS_rt_sigaction 134
#define SIGILL 4
#define SA_SIGINFO 4
#define SA_NODEFER 0x40000000
#define SA_RESTORER 0x04000000

void *memcpy(void *d, const void *s, unsigned long n) {
    u8 *dp = d;
    const u8 *sp = s;
    while (n--) *dp++ = *sp++;
    return d;
}

void *memset(void *d, int c, unsigned long n) {
    u8 *dp = d;
    while (n--) *dp++ = (u8)c;
    return d;
}

static volatile int sigill_seen;

/* Make a freshly written instruction word visible to instruction fetch. */
static void flush_icache(void *p) {
    __asm__ volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb" ::"r"(p) : "memory");
}

/* Linux aarch64 ucontext: uc_mcontext (struct sigcontext) at offset 176;
 * its pc at 176 + 8 (fault_address) + 31 * 8 (regs) + 8 (sp). */
static void on_sigill(int sig, void *info, void *uc) {
    (void)sig;
    (void)info;
    u64 *pc = (u64 *)((u8 *)uc + 176 + 8 + 31 * 8 + 8);
    *pc += 4;
    sigill_seen = 1;
}

struct kernel_sigaction {
    void *handler;
    u64 flags;
    void *restorer;
    u64 mask;
};

static int read_full(void *buf, long n) {
    long got = 0;
    while (got < n) {
        long r = raw_syscall(SYS_read, 0, (long)((u8 *)buf + got), n - got, 0, 0, 0);
        if (r <= 0) return 0;
        got += r;
    }
    return 1;
}

static int write_full(const void *buf, long n) {
    long put = 0;
    while (put < n) {
        long r = raw_syscall(SYS_write, 1, (long)((const u8 *)buf + put), n - put, 0, 0, 0);
        if (r <= 0) return 0;
        put += r;
    }
    return 1;
}

#define BATCH 64
static u8 in[BATCH][520], out[BATCH][520];
static u8 st[528] __attribute__((aligned(16)));

int oracle_main(void) {
    long len = stub_end - stub_start;
    long slot = stub_slot - stub_start;
    u8 *page = (u8 *)raw_syscall(SYS_mmap, 0, 4096, 7 /* RWX */, 0x22 /* PRIVATE|ANON */, -1, 0);
    if ((long)page < 0 && (long)page > -4096) return 1;
    memcpy(page, stub_start, len);
    struct kernel_sigaction sa = {(void *)on_sigill, SA_SIGINFO | SA_NODEFER | SA_RESTORER, (void *)sig_restorer, 0};
    if (raw_syscall(SYS_rt_sigaction, SIGILL, (long)&sa, 0, 8, 0, 0) != 0) return 2;
    void (*fn)(void *, u64) = (void (*)(void *, u64))page;
    for (;;) {
        int n = 0;
        while (n < BATCH && read_full(in[n], 520)) n++;
        if (n == 0) break;
        for (int k = 0; k < n; k++) {
            u32 insn, fpcr, status;
            memcpy(&insn, in[k], 4);
            memcpy(&fpcr, in[k] + 4, 4);
            memcpy(st, in[k] + 8, 512);
            memset(st + 512, 0, 16);
            memcpy(page + slot, &insn, 4);
            flush_icache(page + slot);
            sigill_seen = 0;
            fn(st, fpcr);
            status = sigill_seen;
            memcpy(out[k], &status, 4);
            memcpy(out[k] + 4, st + 512, 4);
            memcpy(out[k] + 8, st, 512);
        }
        if (!write_full(out, 520L * n)) return 3;
        if (n < BATCH) break;
    }
    return 0;
}
