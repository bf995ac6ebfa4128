//! Chimera's machines: guest RAM, the MMIO bus and devices, interrupt lines,
//! the clock and its event scheduler, and the boards that join a CPU
//! frontend, the JIT and devices into one running [`Machine`].

pub mod a64;
pub mod boards;
pub mod bus;
pub mod clock;
pub mod cpu;
pub mod device;
pub mod devices;
pub mod generic_timer;
pub mod irq;
mod machine;
pub mod memory;
pub mod ram;
pub mod scheduler;
pub mod sparc;
pub mod trace;

pub use boards::{build, cpu_models, BoardConfig, BoardError, BOARDS};
pub use cpu::Stop;
pub use machine::{ConsoleEvent, ConsoleInput, Machine, NoInput};
pub use trace::{Disassembler, LogFlags, Tracer};
