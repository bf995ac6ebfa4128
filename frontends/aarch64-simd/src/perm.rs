//! The data-movement groups (ARM ARM C4.1.6): AdvSIMD (scalar) copy (DUP
//! and INS element), modified immediate (MOVI, MVNI, ORR, BIC, FMOV vector
//! immediate), table lookup (TBL/TBX), permute (UZP, TRN, ZIP) and extract
//! (EXT).

use crate::{bit, bits, elem, set_elem, Exec, Fields, SimdState};

/// AdvSIMD copy and scalar copy (C4.1.6): DUP (element), INS (element) and
/// the scalar DUP (element); the forms that read or write a general
/// register (DUP (general), INS (general), SMOV, UMOV) are left to the
/// translator. `imm5` encodes the element size (its lowest set bit) and the
/// element index (the bits above it).
pub(crate) fn copy(s: &mut SimdState, insn: u32, scalar: bool) -> Exec {
    let f = Fields::of(insn);
    let imm5 = bits(insn, 20, 16);
    let imm4 = bits(insn, 14, 11);
    let size = imm5.trailing_zeros().min(5);
    let q = f.q;
    if size > 3 {
        return Exec::Undefined;
    }
    let es = 8 << size;
    let index = imm5 >> (size + 1);
    let vn = s.vreg(f.n);
    if scalar {
        // DUP (element), scalar: MOV Vd, Vn.T[index] (C7.2.39).
        if f.u || imm4 != 0 {
            return Exec::Undefined;
        }
        s.set_vreg(f.d, u128::from(elem(vn, index, es)), es);
        return Exec::Done;
    }
    if f.u {
        // INS (element) (C7.2.176): 128-bit only.
        if !q {
            return Exec::Undefined;
        }
        let mut r = s.vreg(f.d);
        set_elem(&mut r, index, es, elem(vn, imm4 >> size, es));
        s.set_vreg(f.d, r, 128);
        return Exec::Done;
    }
    let allocated = match imm4 {
        0 | 1 => size < 3 || q,
        3 => q,
        5 => size < 2 || size == 2 && q,
        7 => q == (size == 3),
        _ => false,
    };
    if !allocated {
        return Exec::Undefined;
    }
    if imm4 != 0 {
        return Exec::NotHandled;
    }
    // DUP (element), vector (C7.2.39).
    let x = elem(vn, index, es);
    let datasize = f.datasize();
    let mut r = 0u128;
    for e in 0..datasize / es {
        set_elem(&mut r, e, es, x);
    }
    s.set_vreg(f.d, r, datasize);
    Exec::Done
}

/// `AdvSIMDExpandImm(op, cmode, imm8)` (shared/functions/vector, C7.2):
/// the 64-bit immediate of the modified-immediate group.
pub fn adv_simd_expand_imm(op: bool, cmode: u32, imm8: u64) -> u64 {
    let rep2 = |x: u64| x | (x << 32);
    let rep4 = |x: u64| x * 0x0001_0001_0001_0001;
    match cmode >> 1 {
        0b000 => rep2(imm8),
        0b001 => rep2(imm8 << 8),
        0b010 => rep2(imm8 << 16),
        0b011 => rep2(imm8 << 24),
        0b100 => rep4(imm8),
        0b101 => rep4(imm8 << 8),
        0b110 => {
            if cmode & 1 == 0 {
                rep2((imm8 << 8) | 0xff)
            } else {
                rep2((imm8 << 16) | 0xffff)
            }
        }
        _ => {
            let b = |i: u32| (imm8 >> i) & 1;
            match (cmode & 1, op) {
                (0, false) => imm8 * 0x0101_0101_0101_0101,
                (0, true) => {
                    let mut r = 0;
                    for i in 0..8 {
                        r |= (b(i) * 0xff) << (8 * i);
                    }
                    r
                }
                (_, false) => {
                    // imm8<7>:NOT(imm8<6>):Replicate(imm8<6>,5):imm8<5:0>:Zeros(19)
                    let imm32 = (b(7) << 31) | ((b(6) ^ 1) << 30) | ((b(6) * 0x1f) << 25) | ((imm8 & 0x3f) << 19);
                    rep2(imm32)
                }
                (_, true) => {
                    // imm8<7>:NOT(imm8<6>):Replicate(imm8<6>,8):imm8<5:0>:Zeros(48)
                    (b(7) << 63) | ((b(6) ^ 1) << 62) | ((b(6) * 0xff) << 54) | ((imm8 & 0x3f) << 48)
                }
            }
        }
    }
}

/// AdvSIMD modified immediate (C4.1.6): MOVI, MVNI, ORR (vector,
/// immediate), BIC (vector, immediate), FMOV (vector, immediate)
/// (C7.2.204 etc., pseudocode `AdvSIMDExpandImm`).
pub(crate) fn modified_immediate(s: &mut SimdState, insn: u32) -> bool {
    let f = Fields::of(insn);
    let op = f.u;
    let cmode = bits(insn, 15, 12);
    if bit(insn, 11) || (cmode == 0xf && op && !f.q) {
        return false;
    }
    let imm8 = u64::from((bits(insn, 18, 16) << 5) | bits(insn, 9, 5));
    let imm = adv_simd_expand_imm(op, cmode, imm8);
    let imm = (u128::from(imm) << 64) | u128::from(imm);
    let datasize = f.datasize();
    // ORR/BIC: cmode 0xx1 and 10x1; MVNI: op = 1 with cmode 0xx0, 10x0, 110x.
    let r = if cmode & 1 == 1 && cmode < 0xc {
        let vd = s.vreg(f.d);
        if op {
            vd & !imm
        } else {
            vd | imm
        }
    } else if op && cmode < 0xe {
        !imm
    } else {
        imm
    };
    s.set_vreg(f.d, r, datasize);
    true
}

/// TBL/TBX (C7.2.355, C7.2.356): byte lookup in a table of 1 to 4
/// consecutive registers (modulo 32) starting at Vn; out-of-range indices
/// give 0 (TBL) or keep the destination byte (TBX).
pub(crate) fn table_lookup(s: &mut SimdState, insn: u32) -> bool {
    let f = Fields::of(insn);
    if f.size != 0 {
        return false;
    }
    let regs = bits(insn, 14, 13) as usize + 1;
    let tbx = bit(insn, 12);
    let vm = s.vreg(f.m);
    let vd = s.vreg(f.d);
    let datasize = f.datasize();
    let mut r = 0u128;
    for i in 0..datasize / 8 {
        let idx = elem(vm, i, 8) as usize;
        let v = if idx < 16 * regs {
            elem(s.vreg((f.n + idx / 16) % 32), (idx % 16) as u32, 8)
        } else if tbx {
            elem(vd, i, 8)
        } else {
            0
        };
        set_elem(&mut r, i, 8, v);
    }
    s.set_vreg(f.d, r, datasize);
    true
}

/// UZP1/UZP2, TRN1/TRN2, ZIP1/ZIP2 (C7.2.375 etc.).
pub(crate) fn permute(s: &mut SimdState, insn: u32) -> bool {
    let f = Fields::of(insn);
    let opcode = bits(insn, 14, 12);
    if opcode & 3 == 0 || (f.size == 3 && !f.q) {
        return false;
    }
    let part = opcode >> 2;
    let es = 8 << f.size;
    let datasize = f.datasize();
    let elements = datasize / es;
    let (vn, vm) = (s.vreg(f.n), s.vreg(f.m));
    let mut r = 0u128;
    match opcode & 3 {
        // UZP: the even (UZP1) or odd (UZP2) elements of Vm:Vn.
        1 => {
            for e in 0..elements {
                let k = 2 * e + part;
                let x = if k < elements { elem(vn, k, es) } else { elem(vm, k - elements, es) };
                set_elem(&mut r, e, es, x);
            }
        }
        // TRN.
        2 => {
            for p in 0..elements / 2 {
                set_elem(&mut r, 2 * p, es, elem(vn, 2 * p + part, es));
                set_elem(&mut r, 2 * p + 1, es, elem(vm, 2 * p + part, es));
            }
        }
        // ZIP: interleave the low (ZIP1) or high (ZIP2) halves.
        _ => {
            let base = part * elements / 2;
            for p in 0..elements / 2 {
                set_elem(&mut r, 2 * p, es, elem(vn, base + p, es));
                set_elem(&mut r, 2 * p + 1, es, elem(vm, base + p, es));
            }
        }
    }
    s.set_vreg(f.d, r, datasize);
    true
}

/// EXT (C7.2.45): bytes `imm4 ..` of the concatenation Vm:Vn.
pub(crate) fn extract(s: &mut SimdState, insn: u32) -> bool {
    let f = Fields::of(insn);
    let imm4 = bits(insn, 14, 11);
    if f.size != 0 || (!f.q && imm4 >= 8) {
        return false;
    }
    let (vn, vm) = (s.vreg(f.n), s.vreg(f.m));
    let pos = imm4 * 8;
    let r = if f.q {
        if pos == 0 {
            vn
        } else {
            (vn >> pos) | (vm << (128 - pos))
        }
    } else {
        let cat = (vm << 64) | (vn & u128::from(u64::MAX));
        cat >> pos
    };
    s.set_vreg(f.d, r, f.datasize());
    true
}
