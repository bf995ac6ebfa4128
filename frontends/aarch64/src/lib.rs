//! The AArch64 frontend of Chimera: the A64 decoder table, the translator from
//! A64 to Chimera IR, the CPU state and the exception model of a PE with EL0
//! and EL1 (ARMv8.0 integer, system, FP and AdvSIMD instructions, and the
//! ARMv8.1 LSE atomics on the CPU models that have them).
//!
//! - [`state`]: [`A64State`], the `#[repr(C)]` CPU state, and the IR registers
//!   naming its fields ([`xreg`], [`PC`], [`SP`], [`NF`]...).
//! - [`decode`]: the declarative encoding table and its [`decode::Visitor`].
//! - [`translate_block`]: one guest block to one IR block.
//! - [`exception`]: exception kinds, entry ([`A64State::take_exception`],
//!   [`A64State::take_fault`]) and return.
//! - [`sysreg`]: the system registers reachable with MRS/MSR.
//! - [`vmsa`]: VMSAv8-64 address translation (the softmmu's walk).
//! - [`model`]: the CPU models (`cortex-a57`, `max`) and their optional
//!   features.
//! - [`simd_fp`]: which encodings of the SIMD&FP space exist (they take the
//!   FP access trap while CPACR_EL1 disables FP); `fp`: the scalar FP
//!   instructions on the register file (the AdvSIMD ones are in
//!   `chimera_aarch64_simd`).
//!
//! ```
//! use chimera_aarch64::{translate_block, A64State, STATE_SIZE};
//! use chimera_ir::{GuestMemory, MemFault, MemOp, FaultCause};
//!
//! // One word of memory holding `add x0, x0, #1` then nothing.
//! struct Word;
//! impl GuestMemory for Word {
//!     fn load(&mut self, vaddr: u64, op: MemOp) -> Result<u64, MemFault> {
//!         if vaddr == 0x1000 { Ok(0x9100_0400) } else {
//!             Err(MemFault { vaddr, kind: op.kind, size: op.size, cause: FaultCause::Unmapped })
//!         }
//!     }
//!     fn store(&mut self, vaddr: u64, _: u64, op: MemOp) -> Result<(), MemFault> {
//!         Err(MemFault { vaddr, kind: op.kind, size: op.size, cause: FaultCause::Unmapped })
//!     }
//! }
//! let state = A64State::default();
//! let block = translate_block(state.tb_flags(), 0x1000, &mut Word, 16);
//! assert_eq!(block.guest_insns, 1);
//! assert!(chimera_ir::verify(&block, STATE_SIZE).is_ok());
//! ```

pub mod decode;
pub mod exception;
pub mod fp;
pub mod model;
pub mod simd_fp;
pub mod state;
pub mod sysreg;
pub mod translate;
pub mod vmsa;

pub use exception::*;
pub use model::{cpu_model, CpuModel, CPU_MODELS};
pub use state::*;
pub use translate::translate_block;
