//! Device models. Each is plain state behind the [`Device`](crate::device::Device)
//! trait, named after the hardware it models.

pub mod amba_pnp;
pub mod apbuart;
pub mod gptimer;
pub mod irqmp;
pub mod pl011;

pub use amba_pnp::AmbaPnp;
pub use apbuart::ApbUart;
pub use gptimer::GpTimer;
pub use irqmp::IrqMp;
pub use pl011::Pl011;
