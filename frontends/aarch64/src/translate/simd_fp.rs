//! The SIMD&FP instructions (ARM ARM C4.1.4 with V = 1, C4.1.6): an allocated
//! encoding first takes the FP access trap if CPACR_EL1.FPEN disables FP at
//! the current EL (pseudocode `CheckFPAdvSIMDEnabled64()`, called by every
//! SIMD&FP instruction after its decode); with FP enabled it is UNDEFINED,
//! since Chimera does not execute FP/SIMD yet. Unallocated encodings are
//! UNDEFINED either way.

use super::{Step, Translator};
use crate::decode::Insn;
use crate::simd_fp;
use crate::state::TB_FP;

fn check_fp(t: &Translator, i: Insn, allocated: bool) -> Step {
    if allocated && t.flags & TB_FP == 0 {
        t.fp_trap()
    } else {
        t.undef(i)
    }
}

/// SIMD&FP loads and stores: LDR/STR/LDP/STP/LDNP/STNP of B, H, S, D and Q registers, and the
/// AdvSIMD structure loads and stores.
pub(super) fn simd_fp_load_store(t: &mut Translator, i: Insn) -> Step {
    check_fp(t, i, simd_fp::load_store_allocated(i))
}

/// Data processing - SIMD&FP.
pub(super) fn simd_fp_data(t: &mut Translator, i: Insn) -> Step {
    check_fp(t, i, simd_fp::data_allocated(i))
}
