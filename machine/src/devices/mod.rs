//! Device models. Each is plain state behind the [`Device`](crate::device::Device)
//! trait, named after the hardware it models.

pub mod amba_pnp;
pub mod apbuart;
pub mod gicv2;
pub mod gptimer;
pub mod irqmp;
pub mod pl011;
pub mod pl031;

pub use amba_pnp::AmbaPnp;
pub use apbuart::ApbUart;
pub use gicv2::Gicv2;
pub use gptimer::GpTimer;
pub use irqmp::IrqMp;
pub use pl011::Pl011;
pub use pl031::Pl031;
