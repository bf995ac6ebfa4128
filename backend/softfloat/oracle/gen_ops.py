#!/usr/bin/env python3
"""Emit ops.inc: one inline-asm C function per AArch64 instruction variant
exercised by the softfloat oracle, and the table of operations.

Each function sets FPCR, clears FPSR, runs one instruction on the inputs,
and reads back the result and FPSR (then restores FPCR to 0)."""

import sys

FP = {'h': 'h', 's': 's', 'd': 'd'}
FMTS = ['h', 's', 'd']


def load(t, vreg, name):
    """Move input operand %[name] (a 64-bit GPR) into V register vreg."""
    if t == 'h':
        return f'"ins v{vreg}.h[0], %w[{name}]\\n\\t"'
    if t == 's':
        return f'"fmov s{vreg}, %w[{name}]\\n\\t"'
    return f'"fmov d{vreg}, %x[{name}]\\n\\t"'


def store(t, vreg):
    if t == 'h':
        return f'"umov %w[o], v{vreg}.h[0]\\n\\t"'
    if t == 's':
        return f'"fmov %w[o], s{vreg}\\n\\t"'
    return f'"fmov %x[o], d{vreg}\\n\\t"'


funcs = []
ops = []  # (name, in_t, out_t, nin, gen, [(fn, extra, fbits)], fp16)


def func(fname, loads, insn, out):
    """insn: asm text using v0.. inputs; out: C asm string storing into %[o]."""
    body = ''.join(loads)
    funcs.append(f'''static void {fname}(Rec *r) {{
  uint64_t o = 0, fl;
  asm volatile("msr fpcr, %[c]\\n\\t"
    {body}"msr fpsr, xzr\\n\\t"
    "{insn}\\n\\t"
    "mrs %[f], fpsr\\n\\t"
    {out}"msr fpcr, xzr\\n\\t"
    : [o] "+&r"(o), [f] "=&r"(fl)
    : [c] "r"(r->fpcr), [a] "r"(r->in[0]), [b] "r"(r->in[1]), [d] "r"(r->in[2])
    : "v0", "v1", "v2", "v3", "cc", "memory");
  r->out = o;
  r->fpsr = fl;
}}
''')


def fp16(t):
    return t == 'h'


# Two-operand arithmetic with the same format in and out.
for name, insn in [('add', 'fadd'), ('sub', 'fsub'), ('mul', 'fmul'), ('div', 'fdiv'),
                   ('mulx', 'fmulx'), ('max', 'fmax'), ('min', 'fmin'), ('maxnm', 'fmaxnm'),
                   ('minnm', 'fminnm'), ('recps', 'frecps'), ('rsqrts', 'frsqrts')]:
    for t in FMTS:
        fn = f'f_{name}_{t}'
        func(fn, [load(t, 0, 'a'), load(t, 1, 'b')], f'{insn} {t}2, {t}0, {t}1', store(t, 2))
        gen = {'recps': 'G_RECPS', 'rsqrts': 'G_RSQRTS'}.get(name, 'G_ARITH')
        ops.append((f'{name}_{t}', t, t, 2, gen, [(fn, 0, 0)], fp16(t)))

# One-operand.
for name, insn in [('sqrt', 'fsqrt'), ('recpe', 'frecpe'), ('rsqrte', 'frsqrte'), ('recpx', 'frecpx')]:
    for t in FMTS:
        fn = f'f_{name}_{t}'
        func(fn, [load(t, 0, 'a')], f'{insn} {t}2, {t}0', store(t, 2))
        ops.append((f'{name}_{t}', t, t, 1, 'G_UNARY', [(fn, 0, 0)], fp16(t)))

# Fused multiply-add: inputs (n, m, a), d = a + n*m and the negated forms.
for t in FMTS:
    vs = []
    for i, insn in enumerate(['fmadd', 'fmsub', 'fnmadd', 'fnmsub']):
        fn = f'f_{insn}_{t}'
        func(fn, [load(t, 0, 'a'), load(t, 1, 'b'), load(t, 3, 'd')], f'{insn} {t}2, {t}0, {t}1, {t}3', store(t, 2))
        vs.append((fn, i, 0))
    ops.append((f'madd_{t}', t, t, 3, 'G_MADD', vs, fp16(t)))

# FRINT{N,P,M,Z,A,X,I}: extra = index.
for t in FMTS:
    vs = []
    for i, k in enumerate('npmzaxi'):
        fn = f'f_frint{k}_{t}'
        func(fn, [load(t, 0, 'a')], f'frint{k} {t}2, {t}0', store(t, 2))
        vs.append((fn, i, 0))
    ops.append((f'frint_{t}', t, t, 1, 'G_FRINT', vs, fp16(t)))

# FCMP/FCMPE: extra 0/1, output NZCV[31:28] >> 28 in one byte.
for t in FMTS:
    vs = []
    for i, insn in enumerate(['fcmp', 'fcmpe']):
        fn = f'f_{insn}_{t}'
        func(fn, [load(t, 0, 'a'), load(t, 1, 'b')], f'{insn} {t}0, {t}1\\n\\tmrs %[o], nzcv\\n\\tlsr %[o], %[o], #28', '')
        vs.append((fn, i, 0))
    ops.append((f'cmp_{t}', t, 'b', 2, 'G_ARITH', vs, fp16(t)))

# FCMEQ/FCMGE/FCMGT (scalar): extra 0/1/2, output 1 if the mask is set.
for t in FMTS:
    vs = []
    for i, insn in enumerate(['fcmeq', 'fcmge', 'fcmgt']):
        fn = f'f_{insn}_{t}'
        func(fn, [load(t, 0, 'a'), load(t, 1, 'b')], f'{insn} {t}2, {t}0, {t}1',
             store(t, 2) + '"and %[o], %[o], #1\\n\\t"')
        vs.append((fn, i, 0))
    ops.append((f'cmpm_{t}', t, 'b', 2, 'G_ARITH', vs, fp16(t)))

# FCVT between all formats (ARMv8.0, AHP observed) and FCVTXN.
for a in FMTS:
    for b in FMTS:
        if a == b:
            continue
        fn = f'f_fcvt_{a}_{b}'
        func(fn, [load(a, 0, 'a')], f'fcvt {b}2, {a}0', store(b, 2))
        ops.append((f'cvt_{a}_{b}', a, b, 1, 'G_CVT', [(fn, 0, 0)], False))
func('f_fcvtxn', [load('d', 0, 'a')], 'fcvtxn s2, d0', store('s', 2))
ops.append(('cvtxn_d_s', 'd', 's', 1, 'G_CVT', [('f_fcvtxn', 0, 0)], False))

# FP -> integer: extra = rmode (0 N, 1 P, 2 M, 3 Z, 4 A) | unsigned << 3 | x << 4.
FBITS_W = [1, 2, 3, 8, 10, 15, 16, 17, 23, 24, 30, 31, 32]
FBITS_X = FBITS_W + [33, 40, 48, 52, 53, 54, 62, 63, 64]
for t in FMTS:
    vs = []
    for x in (0, 1):
        r = 'x' if x else 'w'
        for u in (0, 1):
            su = 'u' if u else 's'
            for ri, rk in enumerate('npmza'):
                fn = f'f_fcvt{rk}{su}_{r}_{t}'
                func(fn, [load(t, 0, 'a')], f'fcvt{rk}{su} %{r}[o], {t}0', '')
                vs.append((fn, ri | u << 3 | x << 4, 0))
            for fb in (FBITS_X if x else FBITS_W):
                fn = f'f_fcvtz{su}_{r}_{t}_{fb}'
                func(fn, [load(t, 0, 'a')], f'fcvtz{su} %{r}[o], {t}0, #{fb}', '')
                vs.append((fn, 3 | u << 3 | x << 4, fb))
    ops.append((f'toint_{t}', t, 'x', 1, 'G_TOINT', vs, fp16(t)))

# Integer -> FP: extra = unsigned << 3 | x << 4; rounding per FPCR.
for t in FMTS:
    vs = []
    for x in (0, 1):
        r = 'x' if x else 'w'
        for u in (0, 1):
            insn = 'ucvtf' if u else 'scvtf'
            fn = f'f_{insn}_{r}_{t}'
            func(fn, [], f'{insn} {t}2, %{r}[a]', store(t, 2))
            vs.append((fn, u << 3 | x << 4, 0))
            for fb in (FBITS_X if x else FBITS_W):
                fn = f'f_{insn}_{r}_{t}_{fb}'
                func(fn, [], f'{insn} {t}2, %{r}[a], #{fb}', store(t, 2))
                vs.append((fn, u << 3 | x << 4, fb))
    ops.append((f'fromint_{t}', 'x', t, 1, 'G_FROMINT', vs, fp16(t)))

# URECPE / URSQRTE on 32-bit lanes.
func('f_urecpe', [load('s', 0, 'a')], 'urecpe v2.2s, v0.2s', store('s', 2))
func('f_ursqrte', [load('s', 0, 'a')], 'ursqrte v2.2s, v0.2s', store('s', 2))
ops.append(('urecpe', 'u', 'u', 1, 'G_U32', [('f_urecpe', 0, 0)], False))
ops.append(('ursqrte', 'u', 'u', 1, 'G_U32', [('f_ursqrte', 0, 0)], False))

out = ['/* Generated by gen_ops.py; do not edit. */\n']
out += funcs
for name, it, ot, nin, gen, vs, f16 in ops:
    out.append(f'static const Var V_{name}[] = {{' + ', '.join(f'{{{fn}, {e}, {fb}}}' for fn, e, fb in vs) + '};\n')
out.append('static const Op OPS[] = {\n')
for name, it, ot, nin, gen, vs, f16 in ops:
    out.append(f'  {{"{name}", \'{it}\', \'{ot}\', {nin}, {gen}, V_{name}, {len(vs)}, {int(f16)}}},\n')
out.append('};\n')
open(sys.argv[1] if len(sys.argv) > 1 else 'ops.inc', 'w').write(''.join(out))
