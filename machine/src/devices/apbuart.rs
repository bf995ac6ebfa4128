//! GRLIB APBUART, after the GRLIB IP Core User's Manual ("APBUART - AMBA APB
//! UART Serial Interface") and QEMU's `hw/char/grlib_apbuart.c`.
//!
//! What is modelled: data, status, control and scaler registers; output
//! while the transmitter is enabled (control.TE), which is instantaneous, so
//! the transmitter is always empty; a receive FIFO fed from the console with
//! status.DR. Interrupts are not raised yet.

use std::any::Any;
use std::collections::VecDeque;
use std::io::Write;

use crate::device::Device;

/// Register offsets.
mod reg {
    pub const DATA: u64 = 0x0;
    pub const STATUS: u64 = 0x4;
    pub const CONTROL: u64 = 0x8;
    pub const SCALER: u64 = 0xc;
}

/// Status bits.
mod status {
    /// Data ready.
    pub const DR: u32 = 1 << 0;
    /// Transmitter shift register empty.
    pub const TS: u32 = 1 << 1;
    /// Transmitter FIFO empty.
    pub const TE: u32 = 1 << 2;
    /// Receiver FIFO full.
    pub const RF: u32 = 1 << 10;
}

/// Control.TE: transmitter enable.
const CONTROL_TE: u32 = 1 << 1;

/// Depth of the receive FIFO.
const RX_FIFO: usize = 8;

/// One APBUART.
pub struct ApbUart {
    out: Box<dyn Write>,
    control: u32,
    scaler: u32,
    rx: VecDeque<u8>,
}

impl ApbUart {
    /// A UART at reset (transmitter and receiver disabled), writing to `out`.
    pub fn new(out: Box<dyn Write>) -> ApbUart {
        ApbUart { out, control: 0, scaler: 0, rx: VecDeque::new() }
    }

    /// True if the receive FIFO can take a byte.
    pub fn rx_space(&self) -> bool {
        self.rx.len() < RX_FIFO
    }

    /// A byte from the console.
    pub fn push_rx(&mut self, byte: u8) {
        if self.rx_space() {
            self.rx.push_back(byte);
        }
    }

    fn status(&self) -> u32 {
        let mut s = status::TS | status::TE;
        if !self.rx.is_empty() {
            s |= status::DR;
        }
        if self.rx.len() >= RX_FIFO {
            s |= status::RF;
        }
        s
    }
}

impl Device for ApbUart {
    fn name(&self) -> &'static str {
        "apbuart"
    }

    fn read(&mut self, offset: u64, _size: u8) -> u64 {
        u64::from(match offset & 0xfc {
            reg::DATA => self.rx.pop_front().map_or(0, u32::from),
            reg::STATUS => self.status(),
            reg::CONTROL => self.control,
            reg::SCALER => self.scaler,
            _ => 0,
        })
    }

    fn write(&mut self, offset: u64, _size: u8, value: u64) {
        match offset & 0xfc {
            // Host output errors (a closed pipe) are not the guest's concern.
            reg::DATA if self.control & CONTROL_TE != 0 => {
                let _ = self.out.write_all(&[value as u8]);
                let _ = self.out.flush();
            }
            reg::CONTROL => self.control = value as u32,
            reg::SCALER => self.scaler = value as u32,
            _ => {}
        }
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    struct Shared(Rc<RefCell<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn transmits_only_when_enabled() {
        let buf = Rc::new(RefCell::new(Vec::new()));
        let mut u = ApbUart::new(Box::new(Shared(buf.clone())));
        u.write(0, 4, u64::from(b'x'));
        u.write(8, 4, 3);
        u.write(0, 4, u64::from(b'y'));
        assert_eq!(&*buf.borrow(), b"y");
        assert_eq!(u.read(4, 4) & 0x6, 0x6);
        u.push_rx(b'k');
        assert_eq!(u.read(4, 4) & 1, 1);
        assert_eq!(u.read(0, 4), u64::from(b'k'));
    }
}
