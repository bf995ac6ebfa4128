//! The SPARC V8 frontend of Chimera: the decoder table, the translator from
//! SPARC V8 to Chimera IR, the processor state with its register windows
//! and FPU registers, the FPU's arithmetic, and the trap model (no MMU yet).
//!
//! - [`state`]: [`SparcState`], the `#[repr(C)]` CPU state, and the IR
//!   registers naming its fields ([`ireg`], [`PC`], [`NPC`]...).
//! - [`decode`]: the declarative encoding table and its [`decode::Visitor`].
//! - [`translate_block`]: one guest block to one IR block.
//! - [`fpu`]: FPop semantics ([`SparcState::fpop`]) with chimera-softfloat.
//! - [`trap`]: trap types, trap entry ([`SparcState::take_trap`]) and error mode.
//!
//! ```
//! use chimera_sparc::{translate_block, SparcState, STATE_SIZE};
//! use chimera_ir::{GuestMemory, MemFault, MemOp, FaultCause};
//!
//! // One word of memory holding `add %g1, 1, %g1` then nothing.
//! struct Word;
//! impl GuestMemory for Word {
//!     fn load(&mut self, vaddr: u64, op: MemOp) -> Result<u64, MemFault> {
//!         if vaddr == 0x4000_0000 { Ok(0x8200_6001) } else {
//!             Err(MemFault { vaddr, kind: op.kind, size: op.size, cause: FaultCause::Unmapped })
//!         }
//!     }
//!     fn store(&mut self, vaddr: u64, _: u64, op: MemOp) -> Result<(), MemFault> {
//!         Err(MemFault { vaddr, kind: op.kind, size: op.size, cause: FaultCause::Unmapped })
//!     }
//! }
//! let state = SparcState { pc: 0x4000_0000, npc: 0x4000_0004, ..Default::default() };
//! let block = translate_block(state.tb_flags(), 0x4000_0000, &mut Word, 16);
//! assert_eq!(block.guest_insns, 1);
//! assert!(chimera_ir::verify(&block, STATE_SIZE).is_ok());
//! ```

pub mod decode;
pub mod fpu;
pub mod mmu;
pub mod state;
pub mod translate;
pub mod trap;

pub use state::*;
pub use translate::translate_block;
pub use trap::*;
