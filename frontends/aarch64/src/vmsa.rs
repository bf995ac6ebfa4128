//! VMSAv8-64 address translation of the EL1&0 regime (ARM ARM D5): the
//! softmmu's [`WalkFn`](chimera_ir::WalkFn) for the AArch64 CPU.
//!
//! MMU indices ([`crate::state`]): [`MMU_OFF`] while SCTLR_EL1.M is clear
//! (the flat map of D5.2.9), [`MMU_EL0`] and [`MMU_EL1`] for stage 1 with the
//! permissions of each EL.

use crate::state::{A64State, MMU_OFF};
use chimera_ir::{AccessKind, FaultCause, MemFault, PageTranslation, PhysMemory};

/// The physical address size of the CPU models (ID_AA64MMFR0_EL1.PARange =
/// 0b0100: 44 bits).
pub const PA_BITS: u32 = 44;

/// Translate `vaddr` for an access of `kind` under MMU index `mmu`.
///
/// # Safety
/// `state` points to an [`A64State`].
pub unsafe fn walk(state: *mut u8, vaddr: u64, kind: AccessKind, mmu: u8, phys: &mut dyn PhysMemory) -> Result<PageTranslation, MemFault> {
    // SAFETY: the caller's contract.
    let s = unsafe { &*state.cast::<A64State>() };
    translate(s, vaddr, kind, mmu, phys)
}

/// [`walk`] on a borrowed state.
pub fn translate(_s: &A64State, vaddr: u64, kind: AccessKind, mmu: u8, _phys: &mut dyn PhysMemory) -> Result<PageTranslation, MemFault> {
    match mmu {
        MMU_OFF => flat(vaddr, kind),
        // Stage 1 translation tables are not walked yet: the flat map, as
        // before translation regimes were explicit.
        _ => flat(vaddr, kind),
    }
}

/// Stage 1 disabled (ARM ARM D5.2.9, `AArch64.TranslateAddressS1Off()`): the
/// identity, with an Address size fault at level 0 for an address above the
/// physical address size.
fn flat(vaddr: u64, kind: AccessKind) -> Result<PageTranslation, MemFault> {
    if vaddr >> PA_BITS != 0 {
        return Err(MemFault { vaddr, kind, size: 0, cause: FaultCause::AddressSize(0) });
    }
    Ok(PageTranslation::identity(vaddr))
}
