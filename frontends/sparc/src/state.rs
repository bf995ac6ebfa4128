//! The SPARC V8 processor state: globals, the windowed register file, PC and
//! nPC, Y, the PSR as split fields (icc N/Z/V/C, S, PS, ET, EF, PIL, CWP), WIM
//! and TBR, and the FPU's f registers and FSR, as one `#[repr(C)]` value that
//! translated code reads and writes by field offset.

use chimera_ir::{Reg, Type};
use std::mem::{offset_of, size_of};

/// Register windows of the LEON3 (and of QEMU's sun4m CPUs).
pub const NWINDOWS: usize = 8;

/// PSR.impl/ver of the LEON3 (QEMU `iu_version` 0xf3000000).
pub const PSR_IMPL_VER: u32 = 0xf300_0000;

/// ASR17 of a single-processor LEON3 as QEMU reads it: bit 8 (FPU present in
/// QEMU's model) and NWINDOWS-1.
pub const ASR17: u32 = (1 << 8) | (NWINDOWS as u32 - 1);

/// The architectural state of one SPARC V8 integer unit (SPARC V8 manual
/// chapter 4, "Registers").
///
/// The window registers are one flat array: window `w` has its outs at
/// `16*w .. 16*w+8` and its locals at `16*w+8 .. 16*w+16`; its ins are the outs
/// of window `(w+1) % NWINDOWS` (a SAVE, which decrements CWP, makes the outs
/// the new window's ins). See [`window_index`].
#[repr(C)]
#[derive(Clone, Debug)]
pub struct SparcState {
    /// Program counter (only the low 32 bits are ever set).
    pub pc: u64,
    /// Next program counter.
    pub npc: u64,
    /// %g0..%g7 (%g0 is never written and reads as 0).
    pub g: [u32; 8],
    /// The windowed registers, `16 * NWINDOWS` of them.
    pub w: [u32; 16 * NWINDOWS],
    /// The Y register.
    pub y: u32,
    /// Window Invalid Mask.
    pub wim: u32,
    /// Trap Base Register: TBA in bits 31:12, tt of the last trap in 11:4.
    pub tbr: u32,
    /// The trap type a helper raised (0: none): the block leaves at once
    /// with [`EXC_PENDING`](crate::EXC_PENDING) and the trap is taken.
    pub trap: u32,
    /// The FSR (SPARC V8 manual 4.4; bit fields in [`fsr`]). Its version
    /// field is 0, as on QEMU's LEON3.
    pub fsr: u32,
    /// IEEE exceptions (in FSR.cexc bit order) raised by an FPop that does
    /// not report them, kept for the next FPop that does: QEMU 7.2 translates
    /// FsTOd without its exception check, so the invalid operation of
    /// converting a signalling NaN surfaces at the next checked FPop.
    pub fp_deferred: u32,
    /// f0..f31 (SPARC V8 manual 4.3). A double occupies an even/odd pair,
    /// the even register holding the more significant word.
    pub f: [u32; 32],
    /// icc.N.
    pub icc_n: u8,
    /// icc.Z.
    pub icc_z: u8,
    /// icc.V.
    pub icc_v: u8,
    /// icc.C.
    pub icc_c: u8,
    /// PSR.S: supervisor mode.
    pub s: u8,
    /// PSR.PS: S before the last trap.
    pub ps: u8,
    /// PSR.ET: traps enabled.
    pub et: u8,
    /// PSR.EF: FPU enabled.
    pub ef: u8,
    /// PSR.PIL: processor interrupt level.
    pub pil: u8,
    /// PSR.CWP: current window pointer.
    pub cwp: u8,
    /// Set by power-down (`wr %asr19` on LEON): the loop idles until an interrupt.
    pub halted: u8,
}

/// Size of [`SparcState`] in bytes, for `chimera_ir::verify`.
pub const STATE_SIZE: u32 = size_of::<SparcState>() as u32;

/// MMU index of user-mode accesses (PSR.S = 0) and the user alternate spaces.
pub const MMU_USER: u8 = 0;
/// MMU index of supervisor-mode accesses and the supervisor alternate spaces.
pub const MMU_SUPER: u8 = 1;
/// MMU index of the MMU bypass alternate spaces (physical addresses).
pub const MMU_BYPASS: u8 = 2;

/// The MMU index of the instruction fetches and ordinary data accesses of a
/// block translated under `tb_flags` value `flags` (PSR.S).
pub const fn mmu_index(flags: u32) -> u8 {
    if flags & TB_S != 0 {
        MMU_SUPER
    } else {
        MMU_USER
    }
}

/// `tb_flags` bits \[4:0\]: CWP (window registers are fixed offsets in a block).
pub const TB_CWP_MASK: u32 = 0x1f;
/// `tb_flags` bit: PSR.S.
pub const TB_S: u32 = 1 << 5;
/// `tb_flags` bit: PSR.ET.
pub const TB_ET: u32 = 1 << 6;
/// `tb_flags` bit: PSR.EF.
pub const TB_EF: u32 = 1 << 7;
/// `tb_flags` bit: nPC is not PC+4 (a delay slot, or a DCTI couple): the block
/// is the one instruction at PC, continuing at the nPC in the state.
pub const TB_NPC: u32 = 1 << 8;
/// `tb_flags` bit: FSR.TEM enables some IEEE trap, so an FPop may trap at
/// run time (with TEM = 0 none can, and FPops need not end the block).
pub const TB_TEM: u32 = 1 << 10;

/// FSR fields (SPARC V8 manual 4.4, figure 4-4).
pub mod fsr {
    /// RD, rounding direction (0 nearest, 1 toward zero, 2 toward +inf,
    /// 3 toward -inf), bits 31:30.
    pub const RD_SHIFT: u32 = 30;
    /// TEM, trap enable mask (nvm ofm ufm dzm nxm), bits 27:23.
    pub const TEM_SHIFT: u32 = 23;
    /// TEM.
    pub const TEM: u32 = 0x1f << TEM_SHIFT;
    /// ftt, floating-point trap type, bits 16:14.
    pub const FTT_SHIFT: u32 = 14;
    /// ftt.
    pub const FTT: u32 = 7 << FTT_SHIFT;
    /// fcc, bits 11:10 (0 =, 1 <, 2 >, 3 unordered).
    pub const FCC_SHIFT: u32 = 10;
    /// fcc.
    pub const FCC: u32 = 3 << FCC_SHIFT;
    /// aexc, accrued exceptions, bits 9:5.
    pub const AEXC_SHIFT: u32 = 5;
    /// cexc, current exceptions (nvc ofc ufc dzc nxc), bits 4:0.
    pub const CEXC: u32 = 0x1f;
    /// The bits LDFSR writes (RD, TEM, NS, fcc, aexc, cexc); ver, ftt and
    /// qne keep their values, as on QEMU.
    pub const LDFSR_MASK: u32 = 0xcfc0_0fff;
    /// IEEE exception bits of TEM, aexc and cexc (shifted to bit 0).
    pub const NV: u32 = 0x10;
    /// Overflow.
    pub const OF: u32 = 0x08;
    /// Underflow.
    pub const UF: u32 = 0x04;
    /// Division by zero.
    pub const DZ: u32 = 0x02;
    /// Inexact.
    pub const NX: u32 = 0x01;
    /// ftt values (table 4-4).
    pub mod ftt {
        /// IEEE_754_exception.
        pub const IEEE: u32 = 1;
        /// unimplemented_FPop.
        pub const UNIMPLEMENTED: u32 = 3;
        /// sequence_error.
        pub const SEQUENCE_ERROR: u32 = 4;
    }
}

const fn field(offset: usize, ty: Type) -> Reg {
    Reg { offset: offset as u32, ty }
}

/// Program counter (the JIT's PC register).
pub const PC: Reg = field(offset_of!(SparcState, pc), Type::I64);
/// Next program counter.
pub const NPC: Reg = field(offset_of!(SparcState, npc), Type::I64);
/// Y.
pub const Y: Reg = field(offset_of!(SparcState, y), Type::I32);
/// WIM.
pub const WIM: Reg = field(offset_of!(SparcState, wim), Type::I32);
/// TBR.
pub const TBR: Reg = field(offset_of!(SparcState, tbr), Type::I32);
/// icc.N.
pub const ICC_N: Reg = field(offset_of!(SparcState, icc_n), Type::I8);
/// icc.Z.
pub const ICC_Z: Reg = field(offset_of!(SparcState, icc_z), Type::I8);
/// icc.V.
pub const ICC_V: Reg = field(offset_of!(SparcState, icc_v), Type::I8);
/// icc.C.
pub const ICC_C: Reg = field(offset_of!(SparcState, icc_c), Type::I8);
/// PSR.PS.
pub const PS: Reg = field(offset_of!(SparcState, ps), Type::I8);
/// PSR.EF.
pub const EF: Reg = field(offset_of!(SparcState, ef), Type::I8);
/// PSR.CWP.
pub const CWP: Reg = field(offset_of!(SparcState, cwp), Type::I8);
/// PSR.PIL.
pub const PIL: Reg = field(offset_of!(SparcState, pil), Type::I8);
/// The power-down flag.
pub const HALTED: Reg = field(offset_of!(SparcState, halted), Type::I8);
/// FSR.
pub const FSR: Reg = field(offset_of!(SparcState, fsr), Type::I32);

/// The state bytes FPop helpers read and write: the pending trap, FSR, the
/// deferred exceptions and the f registers (contiguous in [`SparcState`]).
pub const FP_STATE: (u32, u32) = (offset_of!(SparcState, trap) as u32, (offset_of!(SparcState, f) + size_of::<[u32; 32]>()) as u32);

/// The IR register of f register `r` (0..=31).
pub fn freg(r: usize) -> Reg {
    assert!(r < 32, "f{r} is not an f register");
    field(offset_of!(SparcState, f) + 4 * r, Type::I32)
}

/// Index in [`SparcState::w`] of windowed register `r` (8..=31) in window `cwp`.
pub const fn window_index(cwp: usize, r: usize) -> usize {
    match r {
        8..=23 => cwp * 16 + (r - 8),
        _ => ((cwp + 1) % NWINDOWS) * 16 + (r - 24),
    }
}

/// The IR register of integer register `r` (1..=31) in window `cwp`.
pub fn ireg(cwp: usize, r: usize) -> Reg {
    assert!((1..32).contains(&r), "r{r} is not a register field");
    if r < 8 {
        field(offset_of!(SparcState, g) + 4 * r, Type::I32)
    } else {
        field(offset_of!(SparcState, w) + 4 * window_index(cwp, r), Type::I32)
    }
}

impl Default for SparcState {
    /// The reset state QEMU gives a LEON3 (`sparc_cpu_reset`): supervisor, traps
    /// disabled, CWP 0, WIM 1, everything else zero (the FSR too); PC 0, nPC 4.
    fn default() -> Self {
        SparcState {
            pc: 0,
            npc: 4,
            g: [0; 8],
            w: [0; 16 * NWINDOWS],
            y: 0,
            wim: 1,
            tbr: 0,
            trap: 0,
            fsr: 0,
            fp_deferred: 0,
            f: [0; 32],
            icc_n: 0,
            icc_z: 0,
            icc_v: 0,
            icc_c: 0,
            s: 1,
            ps: 1,
            et: 0,
            ef: 0,
            pil: 0,
            cwp: 0,
            halted: 0,
        }
    }
}

impl SparcState {
    /// The state baked into translated code; blocks are cached under it.
    pub fn tb_flags(&self) -> u32 {
        let mut f = u32::from(self.cwp) & TB_CWP_MASK;
        if self.s != 0 {
            f |= TB_S;
        }
        if self.et != 0 {
            f |= TB_ET;
        }
        if self.ef != 0 {
            f |= TB_EF;
        }
        if self.npc != self.pc.wrapping_add(4) & 0xffff_ffff {
            f |= TB_NPC;
        }
        if self.fsr & fsr::TEM != 0 {
            f |= TB_TEM;
        }
        f
    }

    /// Integer register `r` of the current window (%g0 reads 0).
    pub fn reg(&self, r: usize) -> u32 {
        match r {
            0 => 0,
            1..=7 => self.g[r],
            _ => self.w[window_index(usize::from(self.cwp), r)],
        }
    }

    /// Write integer register `r` of the current window (writes to %g0 vanish).
    pub fn set_reg(&mut self, r: usize, v: u32) {
        match r {
            0 => {}
            1..=7 => self.g[r] = v,
            _ => self.w[window_index(usize::from(self.cwp), r)] = v,
        }
    }

    /// The PSR as `rd %psr` reads it (SPARC V8 manual 4.2).
    pub fn psr(&self) -> u32 {
        PSR_IMPL_VER
            | u32::from(self.icc_n & 1) << 23
            | u32::from(self.icc_z & 1) << 22
            | u32::from(self.icc_v & 1) << 21
            | u32::from(self.icc_c & 1) << 20
            | u32::from(self.ef & 1) << 12
            | u32::from(self.pil & 15) << 8
            | u32::from(self.s & 1) << 7
            | u32::from(self.ps & 1) << 6
            | u32::from(self.et & 1) << 5
            | u32::from(self.cwp)
    }

    /// Write the PSR fields (`wr %psr`); false, with nothing changed, if CWP
    /// names a window that does not exist (an illegal instruction).
    pub fn set_psr(&mut self, v: u32) -> bool {
        if (v & 0x1f) as usize >= NWINDOWS {
            return false;
        }
        self.icc_n = (v >> 23) as u8 & 1;
        self.icc_z = (v >> 22) as u8 & 1;
        self.icc_v = (v >> 21) as u8 & 1;
        self.icc_c = (v >> 20) as u8 & 1;
        self.ef = (v >> 12) as u8 & 1;
        self.pil = (v >> 8) as u8 & 15;
        self.s = (v >> 7) as u8 & 1;
        self.ps = (v >> 6) as u8 & 1;
        self.et = (v >> 5) as u8 & 1;
        self.cwp = (v & 0x1f) as u8;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outs_are_the_next_windows_ins() {
        for w in 0..NWINDOWS {
            let below = (w + NWINDOWS - 1) % NWINDOWS;
            for k in 0..8 {
                assert_eq!(window_index(w, 8 + k), window_index(below, 24 + k));
            }
        }
    }

    #[test]
    fn reset_state() {
        let s = SparcState::default();
        assert_eq!(s.psr(), 0xf300_00c0);
        assert_eq!(s.tb_flags(), TB_S);
        assert_eq!(PC.offset, 0);
    }

    #[test]
    fn psr_round_trip() {
        let mut s = SparcState::default();
        assert!(s.set_psr(0x00f0_1fe5));
        assert_eq!(s.psr(), 0xf3f0_1fe5);
        assert!(!s.set_psr(0x0000_0008));
        assert_eq!(s.cwp, 5);
    }
}
