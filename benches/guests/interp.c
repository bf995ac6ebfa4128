// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Execution set: an interpreter loop. A register bytecode machine (16
// registers, 23 opcodes, a call stack) runs three small programs: a sieve of
// Eratosthenes, a xorshift generator called as a subroutine, and Euclid's
// subtraction GCD. The dispatch is one `switch` compiled to a jump table, so
// every bytecode costs an indirect branch whose target depends on the last
// one: the case a translator's block chaining cannot link directly.
#include "bench.h"

#define ROUNDS 48
#define MEM_WORDS 4096
#define MEM_MASK (MEM_WORDS - 1)

enum {
    HALT, LI, LUI, MOV, ADD, SUB, MUL, AND, OR, XOR, SHL, SHR, ADDI,
    LD, ST, JMP, BZ, BNZ, BLT, BGE, CALL, RET, DJNZ,
};

// One instruction: opcode in bits 0-7, register a in 8-11, register b in
// 12-15, and in 16-31 register c, a signed immediate or a branch target.
static uint32_t code[256];
static uint32_t ncode;
static uint32_t mem[MEM_WORDS];

static uint32_t emit(uint32_t op, uint32_t a, uint32_t b, uint32_t c)
{
    code[ncode] = op | a << 8 | b << 12 | (c & 0xffff) << 16;
    return ncode++;
}

// Sets the target of the forward branch at `at` to the next instruction.
static void land(uint32_t at)
{
    code[at] = (code[at] & 0xffff) | ncode << 16;
}

// Runs the program at `pc` until HALT; returns the number of bytecodes run.
static uint32_t __attribute__((noinline)) run(uint32_t pc, uint32_t *r)
{
    uint32_t stack[16], sp = 0, steps = 0;
    for (;;) {
        uint32_t ins = code[pc++];
        uint32_t a = (ins >> 8) & 15, b = (ins >> 12) & 15, c = ins >> 16;
        int32_t imm = (int32_t)ins >> 16;
        steps++;
        switch (ins & 0xff) {
        case HALT: return steps;
        case LI: r[a] = c; break;
        case LUI: r[a] = (r[a] & 0xffff) | c << 16; break;
        case MOV: r[a] = r[b]; break;
        case ADD: r[a] = r[b] + r[c & 15]; break;
        case SUB: r[a] = r[b] - r[c & 15]; break;
        case MUL: r[a] = r[b] * r[c & 15]; break;
        case AND: r[a] = r[b] & r[c & 15]; break;
        case OR: r[a] = r[b] | r[c & 15]; break;
        case XOR: r[a] = r[b] ^ r[c & 15]; break;
        case SHL: r[a] = r[b] << (c & 31); break;
        case SHR: r[a] = r[b] >> (c & 31); break;
        case ADDI: r[a] = r[b] + (uint32_t)imm; break;
        case LD: r[a] = mem[(r[b] + (uint32_t)imm) & MEM_MASK]; break;
        case ST: mem[(r[b] + (uint32_t)imm) & MEM_MASK] = r[a]; break;
        case JMP: pc = c; break;
        case BZ: if (r[a] == 0) pc = c; break;
        case BNZ: if (r[a] != 0) pc = c; break;
        case BLT: if (r[a] < r[b]) pc = c; break;
        case BGE: if (r[a] >= r[b]) pc = c; break;
        case CALL: stack[sp++ & 15] = pc; pc = c; break;
        case RET: pc = stack[--sp & 15]; break;
        case DJNZ: if (--r[a] != 0) pc = c; break;
        default:
            printf("bad opcode %u at %u\n", ins & 0xff, pc - 1);
            return steps;
        }
    }
}

// Sieve of Eratosthenes over mem[0..r2): r5 = the number of primes.
static uint32_t asm_sieve(void)
{
    uint32_t start = ncode;
    emit(LI, 0, 0, 0);
    emit(LI, 1, 0, 2);
    emit(LI, 3, 0, 1);
    emit(LI, 5, 0, 0);
    emit(LI, 4, 0, 2);
    uint32_t fill = emit(ST, 3, 4, 0);
    emit(ADDI, 4, 4, 1);
    emit(BLT, 4, 2, fill);
    uint32_t outer = emit(LD, 6, 1, 0);
    uint32_t skip1 = emit(BZ, 6, 0, 0);
    emit(ADDI, 5, 5, 1);
    emit(MUL, 4, 1, 1);
    uint32_t skip2 = emit(BGE, 4, 2, 0);
    uint32_t inner = emit(ST, 0, 4, 0);
    emit(ADD, 4, 4, 1);
    emit(BLT, 4, 2, inner);
    land(skip1);
    land(skip2);
    emit(ADDI, 1, 1, 1);
    emit(BLT, 1, 2, outer);
    emit(HALT, 0, 0, 0);
    return start;
}

// r7 rounds of a xorshift32 subroutine on r1; r5 = the sum of the low 11 bits,
// and every value is stored at mem[low 11 bits].
static uint32_t asm_xorshift(void)
{
    uint32_t start = ncode;
    emit(LI, 5, 0, 0);
    emit(LI, 8, 0, 0x7ff);
    uint32_t call = emit(CALL, 0, 0, 0);
    emit(AND, 6, 1, 8);
    emit(ADD, 5, 5, 6);
    emit(ST, 1, 6, 0);
    emit(DJNZ, 7, 0, call);
    emit(HALT, 0, 0, 0);
    land(call);
    emit(SHL, 2, 1, 13);
    emit(XOR, 1, 1, 2);
    emit(SHR, 2, 1, 17);
    emit(XOR, 1, 1, 2);
    emit(SHL, 2, 1, 5);
    emit(XOR, 1, 1, 2);
    emit(RET, 0, 0, 0);
    return start;
}

// GCDs by subtraction of r7 pairs ((mem[2i] >> 11) & 0xfff | 1, the same of
// mem[2i + 1]), bits above the xorshift program's store index: r5 = the sum
// of the GCDs.
static uint32_t asm_gcd(void)
{
    uint32_t start = ncode;
    emit(LI, 5, 0, 0);
    emit(LI, 4, 0, 0);
    emit(LI, 9, 0, 0xfff);
    emit(LI, 10, 0, 1);
    uint32_t pair = emit(LD, 1, 4, 0);
    emit(LD, 2, 4, 1);
    emit(SHR, 1, 1, 11);
    emit(SHR, 2, 2, 11);
    emit(AND, 1, 1, 9);
    emit(AND, 2, 2, 9);
    emit(OR, 1, 1, 10);
    emit(OR, 2, 2, 10);
    uint32_t gcd = emit(SUB, 3, 1, 2);
    uint32_t done = emit(BZ, 3, 0, 0);
    uint32_t less = emit(BLT, 1, 2, 0);
    emit(MOV, 1, 3, 0);
    emit(JMP, 0, 0, gcd);
    land(less);
    emit(SUB, 2, 2, 1);
    emit(JMP, 0, 0, gcd);
    land(done);
    emit(ADD, 5, 5, 1);
    emit(ADDI, 4, 4, 2);
    emit(DJNZ, 7, 0, pair);
    emit(HALT, 0, 0, 0);
    return start;
}

int main(void)
{
    uint32_t sum = 0;
    puts("interp: a bytecode machine with switch dispatch");
    uint32_t sieve = asm_sieve(), xorshift = asm_xorshift(), gcd = asm_gcd();
    printf("%u bytecodes\n", ncode);

    for (uint32_t round = 0; round < ROUNDS; round++) {
        uint32_t r[16] = {0};
        // Sieve sizes vary a little so the result is not a constant.
        r[2] = MEM_WORDS - (round & 63);
        uint32_t s1 = run(sieve, r);
        uint32_t primes = r[5];

        r[1] = 0x12345678u + round;
        r[7] = 20000;
        uint32_t s2 = run(xorshift, r);
        uint32_t xs = r[5] ^ r[1];

        // The pairs are what the xorshift program left in mem[].
        r[7] = 1024;
        uint32_t s3 = run(gcd, r);
        uint32_t g = r[5];

        sum = mix(sum, primes);
        sum = mix(sum, xs);
        sum = mix(sum, g);
        sum = mix(sum, s1 + s2 + s3);
        if (round % 12 == 0)
            printf("round %u: primes %u (%u steps), xorshift %08x (%u), gcd %u (%u)\n",
                   round, primes, s1, xs, s2, g, s3);
    }
    bench_done("interp", sum);
    return 0;
}
