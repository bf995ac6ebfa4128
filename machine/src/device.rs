//! The interface between the MMIO bus and an emulated device.

use std::any::Any;

/// A memory-mapped device: plain state behind register reads and writes.
///
/// A device does no host I/O of its own; output goes to a `Write` it was
/// given, interrupts to an [`IrqLine`](crate::irq::IrqLine) or its
/// controller's input, time to the machine's [`Clock`](crate::clock::Clock)
/// and its event scheduler. Register accesses
/// from the guest never fail: a register the model does not implement reads
/// as 0 and ignores writes, and the device reports it for `guest_errors`
/// logging.
pub trait Device {
    /// Short name of the device model, such as `"pl011"`; used in logs and
    /// to find the device on a bus.
    fn name(&self) -> &'static str;

    /// Reads `size` bytes (1, 2, 4 or 8) at `offset` from the start of the
    /// device's MMIO range; the value is in the low `size * 8` bits.
    fn read(&mut self, offset: u64, size: u8) -> u64;

    /// Writes the low `size * 8` bits of `value` at `offset` from the start
    /// of the device's MMIO range.
    fn write(&mut self, offset: u64, size: u8, value: u64);

    /// One of the device's timed events is due: the `tag` it scheduled with
    /// [`Clock::schedule`](crate::clock::Clock::schedule).
    fn event(&mut self, _tag: u32) {}

    /// The device as `Any`, so a board can reach its concrete type (to feed
    /// a UART's input, say) through [`MmioBus::device_mut`](crate::bus::MmioBus::device_mut).
    fn as_any_mut(&mut self) -> &mut dyn Any;
}
