//! Address translation of the SPARC processor (the softmmu's
//! [`WalkFn`](chimera_ir::WalkFn)). Chimera's boards so far (`leon3`) run
//! without an MMU: every MMU index ([`MMU_USER`](crate::MMU_USER),
//! [`MMU_SUPER`](crate::MMU_SUPER), [`MMU_BYPASS`](crate::MMU_BYPASS)) is
//! the flat map of physical memory, with every permission. The SPARC
//! Reference MMU of `sun4m` will walk its tables here.

use chimera_ir::{AccessKind, MemFault, PageTranslation, PhysMemory};

/// Translate `vaddr` for an access of `kind` under MMU index `mmu`.
///
/// # Safety
/// `state` points to a [`SparcState`](crate::SparcState).
pub unsafe fn walk(_state: *mut u8, vaddr: u64, _kind: AccessKind, _mmu: u8, _phys: &mut dyn PhysMemory) -> Result<PageTranslation, MemFault> {
    Ok(PageTranslation::identity(vaddr))
}
