//! Device models. Each is plain state behind the [`Device`](crate::device::Device)
//! trait, named after the hardware it models.

pub mod pl011;

pub use pl011::Pl011;
