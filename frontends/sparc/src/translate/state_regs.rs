//! The state registers: RDY/RDASR/RDPSR/RDWIM/RDTBR and their WR forms (SPARC
//! V8 manual B.28, B.29), as QEMU's LEON3 implements them: every `rd %asrN`
//! but ASR17 reads Y, every `wr %asrN` is a no-op but ASR19 (power-down).

use super::{helpers, Step, Translator};
use crate::decode::Insn;
use crate::state::{self, ASR17, NWINDOWS, PSR_IMPL_VER};
use crate::trap::tt;
use chimera_ir::{BinOp, Type};

pub(super) fn read_state(t: &mut Translator, insn: Insn) -> Step {
    let v = match insn.op3() {
        0x28 if insn.rs1() == 17 => t.c32(u64::from(ASR17)),
        0x28 => t.b.get(state::Y),
        op3 => {
            if !t.supervisor() {
                return t.trap(tt::PRIVILEGED);
            }
            match op3 {
                0x29 => read_psr(t),
                0x2a => t.b.get(state::WIM),
                _ => t.b.get(state::TBR),
            }
        }
    };
    t.set_reg(insn.rd(), v);
    Step::Next
}

/// The PSR from its fields; CWP, S, ET are constants of the block.
fn read_psr(t: &mut Translator) -> chimera_ir::Value {
    let fixed = PSR_IMPL_VER | t.cwp as u32 | if t.supervisor() { 1 << 7 } else { 0 } | if t.traps_enabled() { 1 << 5 } else { 0 };
    let mut v = t.c32(u64::from(fixed));
    for (reg, shift) in
        [(state::ICC_N, 23), (state::ICC_Z, 22), (state::ICC_V, 21), (state::ICC_C, 20), (state::PS, 6), (state::PIL, 8), (state::EF, 12)]
    {
        let f = t.b.get(reg);
        let f = t.b.zext(Type::I32, f);
        let f = t.bin_imm(BinOp::Shl, f, shift);
        v = t.bin(BinOp::Or, v, f);
    }
    v
}

pub(super) fn write_state(t: &mut Translator, insn: Insn) -> Step {
    let a = t.reg(insn.rs1());
    let b = t.operand2(insn);
    let v = t.bin(BinOp::Xor, a, b);
    match insn.op3() {
        0x30 => {
            match insn.rd() {
                0 => t.b.set(state::Y, v),
                19 => {
                    // LEON3 power-down: wait for an interrupt.
                    let one = t.b.iconst(Type::I8, 1);
                    t.b.set(state::HALTED, one);
                    t.exit = true;
                }
                _ => {}
            }
            return Step::Next;
        }
        _ if !t.supervisor() => return t.trap(tt::PRIVILEGED),
        0x31 => {
            let v64 = t.b.zext(Type::I64, v);
            let r = t.b.call(helpers::WRPSR, &[v64]);
            t.trap_if_helper_raised(r);
            t.exit = true;
        }
        0x32 => {
            let m = t.bin_imm(BinOp::And, v, (1 << NWINDOWS) - 1);
            t.b.set(state::WIM, m);
        }
        _ => {
            let old = t.b.get(state::TBR);
            let tt_bits = t.bin_imm(BinOp::And, old, 0xff0);
            let tba = t.bin_imm(BinOp::And, v, 0xffff_f000);
            let new = t.bin(BinOp::Or, tba, tt_bits);
            t.b.set(state::TBR, new);
        }
    }
    Step::Next
}
