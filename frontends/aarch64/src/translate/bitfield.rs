//! Bitfield moves and extract (ARM ARM C4.1.2): SBFM/BFM/UBFM with all their
//! aliases (LSL/LSR/ASR immediate, SXTB/UXTB..., SBFX/UBFX/SBFIZ/UBFIZ,
//! BFI/BFXIL) and EXTR (ROR immediate).
//!
//! The pseudocode computes `(wmask, tmask) = DecodeBitMasks(N, imms, immr)`
//! and merges rotated source and destination under them; for R = immr and
//! S = imms that reduces to two shapes, which is what is emitted here:
//! S >= R extracts bits [S:R] to the bottom (the *FX/*FXIL forms), S < R
//! inserts bits [S:0] at bit `width - R` (the *FIZ/BFI forms).

use super::{Step, Translator};
use crate::decode::Insn;
use chimera_ir::BinOp;

fn ones(k: u32) -> u64 {
    if k >= 64 {
        u64::MAX
    } else {
        (1u64 << k) - 1
    }
}

/// SBFM/BFM/UBFM (ARM ARM C6.2.266, C6.2.30, C6.2.386).
pub(super) fn bitfield(t: &mut Translator, i: Insn) -> Step {
    let sf = i.sf();
    let (r, s) = (i.immr(), i.imms());
    if i.n() != sf || (!sf && (r >= 32 || s >= 32)) {
        return t.undef(i);
    }
    let w = if sf { 64 } else { 32 };
    let opc = i.bits(30, 29);
    let src = t.reg(sf, i.rn());
    let v = match opc {
        // SBFM: sign-extend bit S of the field.
        0 => {
            let up = t.bin_imm(BinOp::Shl, src, u64::from(w - 1 - s));
            if s >= r {
                t.bin_imm(BinOp::Ashr, up, u64::from(w - 1 - s + r))
            } else {
                let ext = t.bin_imm(BinOp::Ashr, up, u64::from(w - 1 - s));
                t.bin_imm(BinOp::Shl, ext, u64::from(w - r))
            }
        }
        // BFM: merge the field into the destination.
        1 => {
            let dst = t.reg(sf, i.rd());
            let (field, mask) = if s >= r {
                let f = t.bin_imm(BinOp::Lshr, src, u64::from(r));
                (f, ones(s - r + 1))
            } else {
                let f = t.bin_imm(BinOp::Shl, src, u64::from(w - r));
                (f, ones(s + 1) << (w - r))
            };
            let field = t.bin_imm(BinOp::And, field, mask);
            let kept = t.bin_imm(BinOp::And, dst, !mask);
            t.bin(BinOp::Or, kept, field)
        }
        // UBFM.
        2 => {
            if s >= r {
                if s == w - 1 {
                    t.bin_imm(BinOp::Lshr, src, u64::from(r))
                } else {
                    let f = t.bin_imm(BinOp::Lshr, src, u64::from(r));
                    t.bin_imm(BinOp::And, f, ones(s - r + 1))
                }
            } else if s + 1 == r {
                t.bin_imm(BinOp::Shl, src, u64::from(w - r))
            } else {
                let f = t.bin_imm(BinOp::And, src, ones(s + 1));
                t.bin_imm(BinOp::Shl, f, u64::from(w - r))
            }
        }
        _ => return t.undef(i),
    };
    t.set_x(i.rd(), v);
    Step::Next
}

/// EXTR (ARM ARM C6.2.90): bits [lsb + w - 1 : lsb] of Rn:Rm.
pub(super) fn extract(t: &mut Translator, i: Insn) -> Step {
    let sf = i.sf();
    let lsb = i.imms();
    if i.n() != sf || (!sf && lsb >= 32) {
        return t.undef(i);
    }
    let w = if sf { 64 } else { 32 };
    let v = if lsb == 0 {
        t.reg(sf, i.rm())
    } else if i.rn() == i.rm() {
        let m = t.reg(sf, i.rm());
        t.bin_imm(BinOp::Rotr, m, u64::from(lsb))
    } else {
        let m = t.reg(sf, i.rm());
        let n = t.reg(sf, i.rn());
        let lo = t.bin_imm(BinOp::Lshr, m, u64::from(lsb));
        let hi = t.bin_imm(BinOp::Shl, n, u64::from(w - lsb));
        t.bin(BinOp::Or, hi, lo)
    };
    t.set_x(i.rd(), v);
    Step::Next
}
