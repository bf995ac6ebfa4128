//! Chimera's intermediate representation.
//!
//! A guest frontend decodes guest instructions into one [`Block`]: straight-line
//! SSA instructions over typed values ([`Inst`]), ending in an explicit
//! [`Terminal`]. Guest registers are fields of the frontend's `#[repr(C)]` CPU
//! state, read and written with [`Inst::Get`] and [`Inst::Set`]; guest memory is
//! touched only by [`Inst::Load`] and [`Inst::Store`], which go through the softmmu.
//!
//! [`verify`] checks a block; [`interpret`] executes it and is the reference
//! the JIT is tested against.

mod builder;
mod inst;
mod interp;
mod mmu;
mod pattern;
mod types;
mod verify;

pub use builder::{Builder, Flags};
pub use inst::{BinOp, Block, Cmp, ExtOp, FLanes, Helper, HelperFn, Inst, Lanes, Reg, Terminal, UnOp, Value, VecFOp, VecOp, VecShift};
pub use pattern::{mask_value, Pattern, PatternIndex};
pub use interp::{eval_bin, eval_cmp, eval_un, eval_vec, extend_load, host_order, interpret, interpret_with, BlockExit};
pub use mmu::{FlushScope, PageTranslation, PhysMemory, PhysPage, TlbFlush, Unmapped, WalkFn, MMU_INDICES};
pub use types::{AccessKind, Endian, FaultCause, GuestMemory, MemFault, MemOp, Type};
pub use verify::{verify, VerifyError};

/// True if the host has fused multiply-add, so [`Inst::VFma`] can be compiled.
pub fn host_has_fma() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::is_x86_feature_detected!("fma")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}
