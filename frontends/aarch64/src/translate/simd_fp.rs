//! The SIMD&FP instructions (ARM ARM C4.1.4 with V = 1, C4.1.6).
//!
//! An allocated encoding first takes the FP access trap if CPACR_EL1.FPEN
//! disables FP at the current EL (pseudocode `CheckFPAdvSIMDEnabled64()`,
//! called by every SIMD&FP instruction after its decode); unallocated
//! encodings are UNDEFINED either way.
//!
//! Loads and stores, and the moves between general and vector registers, are
//! IR (every access goes through the softmmu; a fault leaves the registers as
//! they were: all accesses first, then the register writes, then the base
//! writeback). The arithmetic runs in helpers on the register file: the
//! scalar FP group in [`crate::fp`], the AdvSIMD groups in
//! `chimera_aarch64_simd`, both with chimera-softfloat's ARM rules.

use super::{int_type, Step, Translator};
use crate::decode::Insn;
use crate::fp;
use crate::simd_fp;
use crate::state::{self, vlane, TB_FP};
use chimera_aarch64_simd::{Exec, SimdState};
use chimera_ir::{BinOp, Helper, MemOp, Type, Value};

/// Is the encoding allocated, and is FP enabled? `None`: go on translating it.
fn gate(t: &Translator, i: Insn, allocated: bool) -> Option<Step> {
    if !allocated {
        Some(t.undef(i))
    } else if t.flags & TB_FP == 0 {
        Some(t.fp_trap())
    } else {
        None
    }
}

impl Translator {
    /// Bits 63:0 of V`n`.
    fn vlo(&mut self, n: usize) -> Value {
        self.b.get(vlane(n as u32, Type::I64, 0))
    }

    /// Bits 127:64 of V`n`.
    fn vhi(&mut self, n: usize) -> Value {
        self.b.get(vlane(n as u32, Type::I64, 1))
    }

    /// Write V`n` from two 64-bit halves.
    fn set_v(&mut self, n: usize, lo: Value, hi: Value) {
        self.b.set(vlane(n as u32, Type::I64, 0), lo);
        self.b.set(vlane(n as u32, Type::I64, 1), hi);
    }

    /// Write a scalar of `bytes` bytes (zero-extended) to V`n`, clearing the
    /// rest of the register (the `V[]` setter, ARM ARM J1 shared/functions/vector).
    fn set_v_scalar(&mut self, n: usize, v: Value, bytes: u32) {
        let lo = if bytes < 8 { self.b.zext(Type::I64, v) } else { v };
        let zero = self.c64(0);
        self.set_v(n, lo, zero);
    }
}

// ---------------------------------------------------------------------------
// Loads and stores (C4.1.4, V = 1)
// ---------------------------------------------------------------------------

/// SIMD&FP loads and stores: LDR/STR/LDP/STP/LDNP/STNP of B, H, S, D and Q registers, and the
/// AdvSIMD structure loads and stores.
pub(super) fn simd_fp_load_store(t: &mut Translator, i: Insn) -> Step {
    if let Some(s) = gate(t, i, simd_fp::load_store_allocated(i)) {
        return s;
    }
    match i.bits(29, 24) {
        0b001100 => multiple_structures(t, i),
        0b001101 => single_structure(t, i),
        0b011100 => literal(t, i),
        0b101100 | 0b101101 => pair(t, i),
        _ => single_register(t, i),
    }
}

/// One register of `bytes` (1..16) bytes at `addr`: the loaded (lo, hi) halves.
fn load_reg(t: &mut Translator, addr: Value, bytes: u32) -> (Value, Option<Value>) {
    if bytes == 16 {
        let lo = t.load(MemOp::read(8, false), Type::I64, addr);
        let a8 = t.bin_imm(BinOp::Add, addr, 8);
        let hi = t.load(MemOp::read(8, false), Type::I64, a8);
        (lo, Some(hi))
    } else {
        (t.load(MemOp::read(bytes as u8, false), Type::I64, addr), None)
    }
}

/// Write what [`load_reg`] read into V`n` (zero-extended to 128 bits).
fn set_loaded(t: &mut Translator, n: usize, (lo, hi): (Value, Option<Value>)) {
    let hi = hi.unwrap_or_else(|| t.c64(0));
    t.set_v(n, lo, hi);
}

/// Store the low `bytes` (1..16) bytes of V`n` at `addr`.
fn store_reg(t: &mut Translator, n: usize, addr: Value, bytes: u32) {
    if bytes == 16 {
        let (lo, hi) = (t.vlo(n), t.vhi(n));
        t.store(MemOp::write(8), addr, lo);
        let a8 = t.bin_imm(BinOp::Add, addr, 8);
        t.store(MemOp::write(8), a8, hi);
    } else {
        let v = t.b.get(vlane(n as u32, int_type(bytes), 0));
        t.store(MemOp::write(bytes as u8), addr, v);
    }
}

/// LDR/STR (immediate, unscaled, pre/post-indexed, register offset) of B/H/S/D/Q
/// (ARM ARM C7.2.176 LDR (immediate, SIMD&FP) and relatives).
fn single_register(t: &mut Translator, i: Insn) -> Step {
    let log2 = i.size() | ((i.opc() & 2) << 1);
    let bytes = 1u32 << log2;
    let load = i.opc() & 1 != 0;
    let base = t.x_sp(i.rn());
    let (addr, wb) = if i.bit(24) {
        (t.bin_imm(BinOp::Add, base, u64::from(i.imm12()) << log2), None)
    } else if i.bit(21) {
        let shift = if i.bit(12) { log2 } else { 0 };
        let off = t.extend_reg(i.rm(), i.option(), shift, Type::I64);
        (t.bin(BinOp::Add, base, off), None)
    } else {
        t.indexed(base, i.imm9() as u64, i.bits(11, 10))
    };
    if load {
        let v = load_reg(t, addr, bytes);
        set_loaded(t, i.rt(), v);
    } else {
        store_reg(t, i.rt(), addr, bytes);
    }
    if let Some(wb) = wb {
        t.set_x_sp(i.rn(), wb);
    }
    Step::Next
}

/// LDR (literal, SIMD&FP): S, D, Q (C7.2.177).
fn literal(t: &mut Translator, i: Insn) -> Step {
    let bytes = 4u32 << i.bits(31, 30);
    let addr = t.c64(t.pc.wrapping_add((i.imm19() << 2) as u64));
    let v = load_reg(t, addr, bytes);
    set_loaded(t, i.rt(), v);
    Step::Next
}

/// LDP/STP/LDNP/STNP (SIMD&FP): S, D, Q (C7.2.174 and relatives).
fn pair(t: &mut Translator, i: Insn) -> Step {
    let log2 = 2 + i.bits(31, 30);
    let bytes = 1u32 << log2;
    let load = i.bit(22);
    let off = (i.imm7() << log2) as u64;
    let base = t.x_sp(i.rn());
    let (addr, wb) = t.indexed(base, off, i.bits(24, 23));
    let addr2 = t.bin_imm(BinOp::Add, addr, u64::from(bytes));
    if load {
        let a = load_reg(t, addr, bytes);
        let b = load_reg(t, addr2, bytes);
        set_loaded(t, i.rt(), a);
        set_loaded(t, i.rt2(), b);
    } else {
        store_reg(t, i.rt(), addr, bytes);
        store_reg(t, i.rt2(), addr2, bytes);
    }
    if let Some(wb) = wb {
        t.set_x_sp(i.rn(), wb);
    }
    Step::Next
}

/// The post-index writeback of a structure load/store: Rm = 31 adds the
/// number of bytes transferred, another Rm adds X\[m\].
fn structure_writeback(t: &mut Translator, i: Insn, base: Value, total: u32) {
    if !i.bit(23) {
        return;
    }
    let wb = if i.rm() == 31 {
        t.bin_imm(BinOp::Add, base, u64::from(total))
    } else {
        let m = t.x(i.rm());
        t.bin(BinOp::Add, base, m)
    };
    t.set_x_sp(i.rn(), wb);
}

/// LD1-LD4/ST1-ST4 (multiple structures) (C7.2.169 LD1 (multiple structures)
/// and relatives; shared decode `(rpt, selem)` from the opcode).
fn multiple_structures(t: &mut Translator, i: Insn) -> Step {
    let (rpt, selem) = match i.bits(15, 12) {
        0b0000 => (1, 4),
        0b0010 => (4, 1),
        0b0100 => (1, 3),
        0b0110 => (3, 1),
        0b0111 => (1, 1),
        0b1000 => (1, 2),
        _ => (2, 1),
    };
    let load = i.bit(22);
    let q = i.bit(30);
    let ebytes = 1u32 << i.bits(11, 10);
    let regbytes = if q { 16 } else { 8 };
    let elements = regbytes / ebytes;
    let total = rpt * selem * regbytes;
    let rt = i.rt() as u32;
    let base = t.x_sp(i.rn());
    if selem == 1 {
        // LD1/ST1: registers are consecutive in memory, byte for byte.
        let mut loaded = Vec::new();
        for r in 0..rpt {
            let n = ((rt + r) % 32) as usize;
            let addr = t.bin_imm(BinOp::Add, base, u64::from(r * regbytes));
            if load {
                loaded.push((n, load_reg(t, addr, regbytes)));
            } else {
                store_reg(t, n, addr, regbytes);
            }
        }
        for (n, v) in loaded {
            set_loaded(t, n, v);
        }
    } else {
        // LD2-LD4/ST2-ST4: element e of register s at (e * selem + s) * ebytes.
        let ty = int_type(ebytes);
        let mut loaded = Vec::new();
        for e in 0..elements {
            for s in 0..selem {
                let n = (rt + s) % 32;
                let addr = t.bin_imm(BinOp::Add, base, u64::from((e * selem + s) * ebytes));
                if load {
                    let v = t.load(MemOp::read(ebytes as u8, false), ty, addr);
                    loaded.push((n, e, v));
                } else {
                    let v = t.b.get(vlane(n, ty, e));
                    t.store(MemOp::write(ebytes as u8), addr, v);
                }
            }
        }
        if load {
            for s in 0..selem {
                let n = (rt + s) % 32;
                if !q {
                    // A 64-bit arrangement clears bits 127:64.
                    let zero = t.c64(0);
                    t.b.set(vlane(n, Type::I64, 1), zero);
                }
            }
            for (n, e, v) in loaded {
                t.b.set(vlane(n, ty, e), v);
            }
        }
    }
    structure_writeback(t, i, base, total);
    Step::Next
}

/// The 64-bit value with the low `ebytes` bytes of `v` in every element.
fn replicate(t: &mut Translator, v: Value, ebytes: u32) -> Value {
    let v = t.b.zext(Type::I64, v);
    let m: u64 = match ebytes {
        1 => 0x0101_0101_0101_0101,
        2 => 0x0001_0001_0001_0001,
        4 => 0x0000_0001_0000_0001,
        _ => return v,
    };
    t.bin_imm(BinOp::Mul, v, m)
}

/// LD1-LD4/ST1-ST4 (single structure) and LD1R-LD4R (C7.2.170 LD1 (single
/// structure), C7.2.171 LD1R; shared decode of scale, selem and index).
fn single_structure(t: &mut Translator, i: Insn) -> Step {
    let load = i.bit(22);
    let q = i.bit(30);
    let s_bit = i.bit(12) as u32;
    let size = i.bits(11, 10);
    let opcode = i.bits(15, 13);
    let selem = ((opcode & 1) << 1 | i.bit(21) as u32) + 1;
    let (scale, index, replicate_all) = match opcode >> 1 {
        3 => (size, 0, true),
        0 => (0, (q as u32) << 3 | s_bit << 2 | size, false),
        1 => (1, (q as u32) << 2 | s_bit << 1 | (size >> 1), false),
        _ if size & 1 == 0 => (2, (q as u32) << 1 | s_bit, false),
        _ => (3, q as u32, false),
    };
    let ebytes = 1u32 << scale;
    let ty = int_type(ebytes);
    let rt = i.rt() as u32;
    let base = t.x_sp(i.rn());
    let mut loaded = Vec::new();
    for s in 0..selem {
        let n = (rt + s) % 32;
        let addr = t.bin_imm(BinOp::Add, base, u64::from(s * ebytes));
        if load {
            loaded.push((n, t.load(MemOp::read(ebytes as u8, false), ty, addr)));
        } else {
            let v = t.b.get(vlane(n, ty, index));
            t.store(MemOp::write(ebytes as u8), addr, v);
        }
    }
    for (n, v) in loaded {
        if replicate_all {
            let r = replicate(t, v, ebytes);
            let hi = if q { r } else { t.c64(0) };
            t.set_v(n as usize, r, hi);
        } else {
            t.b.set(vlane(n, ty, index), v);
        }
    }
    structure_writeback(t, i, base, selem * ebytes);
    Step::Next
}

// ---------------------------------------------------------------------------
// Data processing (C4.1.6)
// ---------------------------------------------------------------------------

/// Data processing - SIMD&FP.
pub(super) fn simd_fp_data(t: &mut Translator, i: Insn) -> Step {
    if let Some(s) = gate(t, i, simd_fp::data_allocated(i)) {
        return s;
    }
    if i.bit(28) && !i.bit(30) {
        return scalar_fp(t, i);
    }
    if i.0 & 0x9fe0_8400 == 0x0e00_0400 && !i.bit(29) && i.bits(14, 11) != 0 {
        return copy_general(t, i);
    }
    if super::simd_ir::translate(t, i) {
        return Step::Next;
    }
    // The executor is a pure function of the register file: asking it on a
    // scratch state tells whether it implements the encoding.
    let mut scratch = SimdState::default();
    match chimera_aarch64_simd::execute(&mut scratch, i.0) {
        Exec::Done => {
            let w = t.c64(u64::from(i.0));
            t.b.call(SIMD_EXEC, &[w]);
            Step::Next
        }
        Exec::NotHandled | Exec::Undefined => t.undef(i),
    }
}

extern "C" fn simd_exec(cpu: *mut u8, _env: *mut u8, insn: u64, _: u64, _: u64) -> u64 {
    // SAFETY: translated code passes the A64State it runs on.
    let st = unsafe { &mut *(cpu as *mut state::A64State) };
    chimera_aarch64_simd::execute(&mut st.simd, insn as u32);
    0
}

pub(super) const SIMD_EXEC: Helper = Helper::touching("simd_exec", simd_exec, state::SIMD_START, state::SIMD_END);

/// DUP (general), INS (general), SMOV, UMOV (C7.2.39, C7.2.176, C7.2.293, C7.2.371).
fn copy_general(t: &mut Translator, i: Insn) -> Step {
    let imm5 = i.bits(20, 16);
    let size = imm5.trailing_zeros();
    let ebytes = 1u32 << size;
    let ty = int_type(ebytes);
    let index = imm5 >> (size + 1);
    let q = i.bit(30);
    match i.bits(14, 11) {
        // DUP (general).
        0b0001 => {
            let x = t.x(i.rn());
            let x = if ebytes < 8 { t.b.trunc(ty, x) } else { x };
            let r = replicate(t, x, ebytes);
            let hi = if q { r } else { t.c64(0) };
            t.set_v(i.rd(), r, hi);
        }
        // INS (general).
        0b0011 => {
            let x = t.x(i.rn());
            let x = if ebytes < 8 { t.b.trunc(ty, x) } else { x };
            t.b.set(vlane(i.rd() as u32, ty, index), x);
        }
        // SMOV.
        0b0101 => {
            let v = t.b.get(vlane(i.rn() as u32, ty, index));
            let to = if q { Type::I64 } else { Type::I32 };
            let v = t.b.sext(to, v);
            let v = if q { v } else { t.b.zext(Type::I64, v) };
            t.set_x(i.rd(), v);
        }
        // UMOV.
        _ => {
            let v = t.b.get(vlane(i.rn() as u32, ty, index));
            let v = if ebytes < 8 { t.b.zext(Type::I64, v) } else { v };
            t.set_x(i.rd(), v);
        }
    }
    Step::Next
}

/// The scalar FP group (bit 28 = 1, bit 30 = 0).
fn scalar_fp(t: &mut Translator, i: Insn) -> Step {
    let ty = i.bits(23, 22);
    let bytes = match ty {
        0 => 4,
        1 => 8,
        _ => 2,
    };
    if i.bit(24) {
        if super::simd_ir::scalar_fp(t, i, FP_DATA) {
            return Step::Next;
        }
        return fp_helper(t, i);
    }
    if !i.bit(21) {
        // Fixed-point conversions.
        return if i.bits(18, 17) == 0b01 { int_to_fp(t, i) } else { fp_to_int(t, i) };
    }
    match i.bits(11, 10) {
        // FCCMP/FCCMPE.
        1 => {
            let holds = t.cond_holds(i.cond());
            let holds = match holds {
                Some(h) => t.b.zext(Type::I64, h),
                None => t.c64(1),
            };
            fp_compare(t, i, holds)
        }
        // FCSEL.
        3 => {
            let (n, m) = (t.b.get(vlane(i.rn() as u32, int_type(bytes), 0)), t.b.get(vlane(i.rm() as u32, int_type(bytes), 0)));
            let r = match t.cond_holds(i.cond()) {
                Some(h) => t.b.select(h, n, m),
                None => n,
            };
            t.set_v_scalar(i.rd(), r, bytes);
            Step::Next
        }
        2 => {
            if !super::simd_ir::scalar_fp(t, i, FP_DATA) {
                return fp_helper(t, i);
            }
            Step::Next
        }
        _ => match i.bits(15, 12).trailing_zeros() {
            // FMOV (scalar, immediate).
            0 => {
                let imm = fp::expand_imm(i.bits(20, 13), bytes);
                let v = t.c64(imm);
                t.set_v_scalar(i.rd(), v, 8);
                Step::Next
            }
            // FCMP/FCMPE.
            1 => {
                let one = t.c64(1);
                fp_compare(t, i, one)
            }
            // 1-source: FMOV (register), FABS, FNEG are moves and sign-bit operations.
            2 => match i.bits(20, 15) {
                op @ 0..=2 => {
                    let v = t.b.get(vlane(i.rn() as u32, int_type(bytes), 0));
                    let sign = 1u64 << (bytes * 8 - 1);
                    let r = match op {
                        0 => v,
                        1 => t.bin_imm(BinOp::And, v, !sign),
                        _ => t.bin_imm(BinOp::Xor, v, sign),
                    };
                    t.set_v_scalar(i.rd(), r, bytes);
                    Step::Next
                }
                _ => fp_helper(t, i),
            },
            _ => match i.bits(18, 16) {
                6 | 7 => fmov_general(t, i),
                2 | 3 => int_to_fp(t, i),
                _ => fp_to_int(t, i),
            },
        },
    }
}

/// A scalar FP instruction that reads and writes only vector registers,
/// FPCR and FPSR.
fn fp_helper(t: &mut Translator, i: Insn) -> Step {
    let w = t.c64(u64::from(i.0));
    t.b.call(FP_DATA, &[w]);
    Step::Next
}

extern "C" fn fp_data(cpu: *mut u8, _env: *mut u8, insn: u64, _: u64, _: u64) -> u64 {
    // SAFETY: translated code passes the A64State it runs on.
    let st = unsafe { &mut *(cpu as *mut state::A64State) };
    fp::data(&mut st.simd, insn as u32);
    0
}

const FP_DATA: Helper = Helper::touching("fp_data", fp_data, state::SIMD_START, state::SIMD_END);

/// FCMP/FCMPE/FCCMP/FCCMPE: NZCV from a helper (`holds` = 0: FCCMP's
/// condition failed, NZCV is the immediate and nothing is compared).
fn fp_compare(t: &mut Translator, i: Insn, holds: Value) -> Step {
    let w = t.c64(u64::from(i.0));
    let nzcv = t.b.call(FP_COMPARE, &[w, holds]);
    for (reg, bit) in [(state::NF, 3), (state::ZF, 2), (state::CF, 1), (state::VF, 0)] {
        let f = t.bin_imm(BinOp::Lshr, nzcv, bit);
        let f = t.bin_imm(BinOp::And, f, 1);
        let f = t.b.trunc(Type::I8, f);
        t.b.set(reg, f);
    }
    Step::Next
}

extern "C" fn fp_compare_helper(cpu: *mut u8, _env: *mut u8, insn: u64, holds: u64, _: u64) -> u64 {
    // SAFETY: translated code passes the A64State it runs on.
    let st = unsafe { &mut *(cpu as *mut state::A64State) };
    u64::from(fp::compare(&mut st.simd, insn as u32, holds != 0))
}

const FP_COMPARE: Helper = Helper::touching("fp_compare", fp_compare_helper, state::SIMD_START, state::SIMD_END);

/// FCVT* and FCVT*Z (fixed point) to a general register.
fn fp_to_int(t: &mut Translator, i: Insn) -> Step {
    let w = t.c64(u64::from(i.0));
    let r = t.b.call(FP_TO_INT, &[w]);
    t.set_x(i.rd(), r);
    Step::Next
}

extern "C" fn fp_to_int_helper(cpu: *mut u8, _env: *mut u8, insn: u64, _: u64, _: u64) -> u64 {
    // SAFETY: translated code passes the A64State it runs on.
    let st = unsafe { &mut *(cpu as *mut state::A64State) };
    fp::to_int(&mut st.simd, insn as u32)
}

const FP_TO_INT: Helper = Helper::touching("fp_to_int", fp_to_int_helper, state::SIMD_START, state::SIMD_END);

/// SCVTF/UCVTF (integer and fixed point) from a general register.
fn int_to_fp(t: &mut Translator, i: Insn) -> Step {
    let w = t.c64(u64::from(i.0));
    let x = t.x(i.rn());
    t.b.call(INT_TO_FP, &[w, x]);
    Step::Next
}

extern "C" fn int_to_fp_helper(cpu: *mut u8, _env: *mut u8, insn: u64, x: u64, _: u64) -> u64 {
    // SAFETY: translated code passes the A64State it runs on.
    let st = unsafe { &mut *(cpu as *mut state::A64State) };
    fp::from_int(&mut st.simd, insn as u32, x);
    0
}

const INT_TO_FP: Helper = Helper::touching("int_to_fp", int_to_fp_helper, state::SIMD_START, state::SIMD_END);

/// FMOV (general) (C7.2.131): W <-> S, X <-> D, X <-> V.D\[1\].
fn fmov_general(t: &mut Translator, i: Insn) -> Step {
    let to_fp = i.bits(18, 16) == 7;
    let top = i.bits(20, 19) == 1;
    let bytes = if i.sf() { 8 } else { 4 };
    match (to_fp, top) {
        (true, true) => {
            let x = t.x(i.rn());
            t.b.set(vlane(i.rd() as u32, Type::I64, 1), x);
        }
        (true, false) => {
            let x = t.x(i.rn());
            let x = if bytes == 4 { t.b.trunc(Type::I32, x) } else { x };
            t.set_v_scalar(i.rd(), x, bytes);
        }
        (false, top) => {
            let v = t.b.get(vlane(i.rn() as u32, int_type(bytes), top as u32));
            let v = if bytes == 4 { t.b.zext(Type::I64, v) } else { v };
            t.set_x(i.rd(), v);
        }
    }
    Step::Next
}
