//! ARM PrimeCell UART (PL011), after the PL011 Technical Reference Manual
//! (ARM DDI 0183), chapter 3 "Programmers Model".
//!
//! What is modelled: the register file, the receive FIFO (16 entries with
//! `UARTLCR_H.FEN` set, a 1-byte holding register without), the interrupt
//! status/mask/clear registers and the combined interrupt output `UARTINTR`,
//! and the identification registers. Transmission is instantaneous: a byte
//! written to `UARTDR` goes straight to the output, so the transmit FIFO is
//! always empty. Baud rate, line control, modem lines, IrDA and DMA
//! registers hold their values but have no effect.

use std::any::Any;
use std::collections::VecDeque;
use std::io::Write;

use crate::device::Device;
use crate::irq::IrqLine;

/// Register offsets (TRM 3.2, "Summary of registers").
mod reg {
    pub const DR: u64 = 0x000;
    pub const RSR_ECR: u64 = 0x004;
    pub const FR: u64 = 0x018;
    pub const ILPR: u64 = 0x020;
    pub const IBRD: u64 = 0x024;
    pub const FBRD: u64 = 0x028;
    pub const LCR_H: u64 = 0x02c;
    pub const CR: u64 = 0x030;
    pub const IFLS: u64 = 0x034;
    pub const IMSC: u64 = 0x038;
    pub const RIS: u64 = 0x03c;
    pub const MIS: u64 = 0x040;
    pub const ICR: u64 = 0x044;
    pub const DMACR: u64 = 0x048;
    pub const PERIPH_ID0: u64 = 0xfe0;
    pub const PCELL_ID3: u64 = 0xffc;
}

/// `UARTFR` bits (TRM 3.3.3).
mod fr {
    pub const RXFE: u32 = 1 << 4;
    pub const RXFF: u32 = 1 << 6;
    pub const TXFE: u32 = 1 << 7;
}

/// `UARTLCR_H.FEN`: FIFOs enabled (TRM 3.3.7).
const LCR_H_FEN: u32 = 1 << 4;

/// `UARTRSR.OE`: overrun error (TRM 3.3.2).
const RSR_OE: u32 = 1 << 3;

/// Interrupt bits shared by `UARTIMSC`, `UARTRIS`, `UARTMIS` and `UARTICR`
/// (TRM 3.3.10 to 3.3.13).
mod int {
    pub const RX: u32 = 1 << 4;
    pub const TX: u32 = 1 << 5;
    pub const OE: u32 = 1 << 10;
    /// All eleven interrupt bits.
    pub const ALL: u32 = 0x7ff;
}

/// `UARTCR` reset value: TXE and RXE set (TRM 3.3.8).
const CR_RESET: u32 = 0x0300;

/// `UARTIFLS` reset value: both FIFO trigger levels at half full (TRM 3.3.9).
const IFLS_RESET: u32 = 0x12;

/// `UARTPeriphID0-3` then `UARTPCellID0-3` (TRM 3.3.15, 3.3.16).
const ID_BYTES: [u8; 8] = [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

/// Depth of the receive FIFO when enabled. The FIFOs of revisions before
/// r1p5 hold 16 entries, and `UARTPeriphID2` above reports revision 1.
const FIFO_DEPTH: usize = 16;

/// Most unreported guest-error messages kept; a guest hammering a bad
/// register must not grow the list without bound.
const MAX_GUEST_ERRORS: usize = 16;

/// An ARM PL011 UART.
pub struct Pl011 {
    out: Box<dyn Write>,
    irq: IrqLine,
    rx_fifo: VecDeque<u8>,
    /// Receive status (`UARTRSR`): only the overrun bit is ever set.
    rsr: u32,
    ilpr: u32,
    ibrd: u32,
    fbrd: u32,
    lcr_h: u32,
    cr: u32,
    ifls: u32,
    imsc: u32,
    dmacr: u32,
    /// The raw interrupt status (`UARTRIS`): latched bits, set by the
    /// events of TRM 3.4 and cleared by `UARTICR` (and the receive bit by
    /// reading the data).
    latched: u32,
    guest_errors: VecDeque<String>,
}

impl Pl011 {
    /// A UART in its reset state, sending output to `out` and driving `irq`.
    pub fn new(out: Box<dyn Write>, irq: IrqLine) -> Pl011 {
        let uart = Pl011 {
            out,
            irq,
            rx_fifo: VecDeque::with_capacity(FIFO_DEPTH),
            rsr: 0,
            ilpr: 0,
            ibrd: 0,
            fbrd: 0,
            lcr_h: 0,
            cr: CR_RESET,
            ifls: IFLS_RESET,
            imsc: 0,
            dmacr: 0,
            latched: 0,
            guest_errors: VecDeque::new(),
        };
        uart.update_irq();
        uart
    }

    /// Depth of the receive FIFO as currently configured.
    fn rx_depth(&self) -> usize {
        if self.lcr_h & LCR_H_FEN != 0 {
            FIFO_DEPTH
        } else {
            1
        }
    }

    /// Whether the receive FIFO can take another byte.
    pub fn rx_space(&self) -> bool {
        self.rx_fifo.len() < self.rx_depth()
    }

    /// Delivers a byte from the outside world to the receiver. With the
    /// FIFO full the byte is lost and an overrun is flagged, as on hardware
    /// (TRM 3.3.2, `UARTRSR.OE`); callers check [`Pl011::rx_space`] first.
    pub fn push_rx(&mut self, byte: u8) {
        if self.rx_space() {
            self.rx_fifo.push_back(byte);
            // UARTRXINTR (TRM 3.4): with the FIFO off, on each character;
            // with it on, when the level reaches the trigger, which is one
            // character on QEMU (which does not model UARTIFLS's levels).
            if self.lcr_h & LCR_H_FEN == 0 || self.rx_fifo.len() == 1 {
                self.latched |= int::RX;
            }
        } else {
            self.rsr |= RSR_OE;
            self.latched |= int::OE;
        }
        self.update_irq();
    }

    /// The next unreported guest programming error (an access to a register
    /// that does not exist or with a bad size), for `--log guest_errors`.
    pub fn take_guest_error(&mut self) -> Option<String> {
        self.guest_errors.pop_front()
    }

    fn guest_error(&mut self, message: String) {
        if self.guest_errors.len() < MAX_GUEST_ERRORS {
            self.guest_errors.push_back(message);
        }
    }

    /// Raw interrupt status (`UARTRIS`, TRM 3.4): the transmit interrupt is
    /// raised when a character has been sent (ours go at once, so on each
    /// write to `UARTDR`) and the receive interrupt when a character
    /// arrives; both stay until `UARTICR` clears them, the receive one also
    /// until the data has been read. There is no receive timeout, as on
    /// QEMU.
    fn ris(&self) -> u32 {
        self.latched
    }

    /// `UARTINTR`, the OR of the masked interrupts, onto the line.
    fn update_irq(&self) {
        self.irq.set_level(self.ris() & self.imsc != 0);
    }

    fn flags(&self) -> u32 {
        let mut flags = fr::TXFE;
        if self.rx_fifo.is_empty() {
            flags |= fr::RXFE;
        }
        if !self.rx_space() {
            flags |= fr::RXFF;
        }
        flags
    }

    fn read_dr(&mut self) -> u32 {
        // The error bits [11:8] would accompany the byte; none occur here.
        let byte = self.rx_fifo.pop_front().unwrap_or(0);
        // Reading below the trigger level (one character) clears UARTRXINTR.
        if self.rx_fifo.is_empty() {
            self.latched &= !int::RX;
        }
        self.update_irq();
        u32::from(byte)
    }

    fn write_dr(&mut self, byte: u8) {
        // The guest has no way to see a host output error, and the byte is
        // gone either way on real hardware once the line drops it.
        let _ = self.out.write_all(&[byte]).and_then(|()| self.out.flush());
        // Sent at once: the transmit FIFO is below its trigger level again.
        self.latched |= int::TX;
    }
}

impl Device for Pl011 {
    fn name(&self) -> &'static str {
        "pl011"
    }

    fn read(&mut self, offset: u64, size: u8) -> u64 {
        let value = match offset {
            reg::DR => self.read_dr(),
            reg::RSR_ECR => self.rsr,
            reg::FR => self.flags(),
            reg::ILPR => self.ilpr,
            reg::IBRD => self.ibrd,
            reg::FBRD => self.fbrd,
            reg::LCR_H => self.lcr_h,
            reg::CR => self.cr,
            reg::IFLS => self.ifls,
            reg::IMSC => self.imsc,
            reg::RIS => self.ris(),
            reg::MIS => self.ris() & self.imsc,
            reg::DMACR => self.dmacr,
            reg::PERIPH_ID0..=reg::PCELL_ID3 if offset.is_multiple_of(4) => {
                u32::from(ID_BYTES[((offset - reg::PERIPH_ID0) / 4) as usize])
            }
            _ => {
                self.guest_error(format!(
                    "pl011: read of unknown register {offset:#x} (size {size})"
                ));
                0
            }
        };
        u64::from(value)
    }

    fn write(&mut self, offset: u64, size: u8, value: u64) {
        // Registers are at most 16 bits wide; the masks below drop the rest.
        let value = value as u32;
        match offset {
            reg::DR => self.write_dr(value as u8),
            // Any write to UARTECR clears the error status.
            reg::RSR_ECR => self.rsr = 0,
            reg::ILPR => self.ilpr = value & 0xff,
            reg::IBRD => self.ibrd = value & 0xffff,
            reg::FBRD => self.fbrd = value & 0x3f,
            reg::LCR_H => self.lcr_h = value & 0xff,
            reg::CR => self.cr = value & 0xffff,
            reg::IFLS => self.ifls = value & 0x3f,
            reg::IMSC => self.imsc = value & int::ALL,
            reg::ICR => self.latched &= !value,
            reg::DMACR => self.dmacr = value & 0x7,
            _ => self.guest_error(format!(
                "pl011: write of {value:#x} to unknown or read-only register {offset:#x} (size {size})"
            )),
        }
        self.update_irq();
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

    /// A `Write` whose bytes the test can still see after handing it over.
    #[derive(Clone, Default)]
    struct SharedOutput(Rc<RefCell<Vec<u8>>>);

    impl Write for SharedOutput {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn uart() -> (Pl011, SharedOutput, IrqLine) {
        let out = SharedOutput::default();
        let irq = IrqLine::disconnected();
        (Pl011::new(Box::new(out.clone()), irq.clone()), out, irq)
    }

    #[test]
    fn reset_values_and_ids() {
        let (mut u, _, irq) = uart();
        assert_eq!(u.read(reg::CR, 4), 0x300);
        assert_eq!(u.read(reg::IFLS, 4), 0x12);
        assert_eq!(u.read(reg::FR, 4), u64::from(fr::TXFE | fr::RXFE));
        // Nothing sent or received yet.
        assert_eq!(u.read(reg::RIS, 4), 0);
        assert_eq!(u.read(reg::MIS, 4), 0);
        assert!(!irq.level());
        let ids: Vec<u64> = (0..8).map(|i| u.read(0xfe0 + 4 * i, 4)).collect();
        assert_eq!(ids, vec![0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
        assert_eq!(u.take_guest_error(), None);
    }

    #[test]
    fn transmit_goes_straight_out() {
        let (mut u, out, _) = uart();
        for &b in b"hi\n" {
            u.write(reg::DR, 4, u64::from(b) | 0xff00);
        }
        assert_eq!(out.0.borrow().as_slice(), b"hi\n");
        assert_eq!(
            u.read(reg::FR, 4) & u64::from(fr::TXFE),
            u64::from(fr::TXFE)
        );
    }

    #[test]
    fn receive_without_fifo_holds_one_byte() {
        let (mut u, _, _) = uart();
        assert!(u.rx_space());
        u.push_rx(b'a');
        assert!(!u.rx_space());
        assert_eq!(u.read(reg::FR, 4), u64::from(fr::TXFE | fr::RXFF));
        u.push_rx(b'b');
        assert_eq!(u.read(reg::RSR_ECR, 4), u64::from(RSR_OE));
        assert_eq!(u.read(reg::RIS, 4) & u64::from(int::OE), u64::from(int::OE));
        assert_eq!(u.read(reg::DR, 4), u64::from(b'a'));
        assert_eq!(u.read(reg::FR, 4), u64::from(fr::TXFE | fr::RXFE));
        u.write(reg::RSR_ECR, 4, 0);
        u.write(reg::ICR, 4, u64::from(int::OE));
        assert_eq!(u.read(reg::RSR_ECR, 4), 0);
        // Reading the character cleared the receive interrupt.
        assert_eq!(u.read(reg::RIS, 4), 0);
    }

    #[test]
    fn receive_fifo_of_sixteen() {
        let (mut u, _, _) = uart();
        u.write(reg::LCR_H, 4, 0x70); // 8 bits, FIFOs on
        for b in 0..16u8 {
            assert!(u.rx_space());
            u.push_rx(b);
        }
        assert!(!u.rx_space());
        assert_eq!(
            u.read(reg::FR, 4) & u64::from(fr::RXFF),
            u64::from(fr::RXFF)
        );
        let got: Vec<u64> = (0..16).map(|_| u.read(reg::DR, 4)).collect();
        assert_eq!(got, (0..16).collect::<Vec<u64>>());
        assert_eq!(
            u.read(reg::FR, 4) & u64::from(fr::RXFE),
            u64::from(fr::RXFE)
        );
        assert_eq!(u.read(reg::RSR_ECR, 4), 0);
    }

    #[test]
    fn interrupt_line_follows_masked_status() {
        let (mut u, _, irq) = uart();
        u.write(reg::IMSC, 4, u64::from(int::RX));
        assert!(!irq.level());
        u.push_rx(b'x');
        assert!(irq.level());
        assert_eq!(u.read(reg::MIS, 4), u64::from(int::RX));
        u.read(reg::DR, 4);
        assert!(!irq.level());
        // UARTICR clears the receive interrupt with the byte still unread (TRM 3.4).
        u.push_rx(b'y');
        assert!(irq.level());
        u.write(reg::ICR, 4, u64::from(int::RX));
        assert!(!irq.level());
        assert_eq!(u.read(reg::FR, 4) & u64::from(fr::RXFE), 0, "the byte is still there");
        // The transmit interrupt is raised by a sent character and cleared by UARTICR.
        u.write(reg::IMSC, 4, u64::from(int::TX));
        assert!(!irq.level());
        u.write(reg::DR, 4, u64::from(b'z'));
        assert!(irq.level());
        u.write(reg::ICR, 4, u64::from(int::TX));
        assert!(!irq.level());
        u.write(reg::DR, 4, u64::from(b'z'));
        u.write(reg::IMSC, 4, 0);
        assert!(!irq.level());
    }

    #[test]
    fn plain_registers_hold_their_width() {
        let (mut u, _, _) = uart();
        for (offset, mask) in [
            (reg::ILPR, 0xff),
            (reg::IBRD, 0xffff),
            (reg::FBRD, 0x3f),
            (reg::LCR_H, 0xff),
            (reg::CR, 0xffff),
            (reg::IFLS, 0x3f),
            (reg::IMSC, 0x7ff),
            (reg::DMACR, 0x7),
        ] {
            u.write(offset, 4, 0xffff_ffff);
            assert_eq!(u.read(offset, 4), mask, "register {offset:#x}");
        }
        assert_eq!(u.take_guest_error(), None);
    }

    #[test]
    fn unknown_registers_read_zero_and_are_reported() {
        let (mut u, _, _) = uart();
        assert_eq!(u.read(0x08, 4), 0);
        assert_eq!(u.read(0xfe2, 1), 0);
        u.write(reg::FR, 4, 1);
        u.write(0x1000, 4, 1);
        assert_eq!(
            u.take_guest_error().unwrap(),
            "pl011: read of unknown register 0x8 (size 4)"
        );
        assert!(u.take_guest_error().unwrap().contains("0xfe2"));
        assert!(u
            .take_guest_error()
            .unwrap()
            .contains("read-only register 0x18"));
        assert!(u.take_guest_error().unwrap().contains("0x1000"));
        assert_eq!(u.take_guest_error(), None);
        for _ in 0..1000 {
            u.read(0x100, 4);
        }
        assert_eq!(
            std::iter::from_fn(|| u.take_guest_error()).count(),
            MAX_GUEST_ERRORS
        );
    }

    #[test]
    fn found_by_type_on_a_bus() {
        let (u, _, _) = uart();
        let mut bus = crate::bus::MmioBus::new();
        bus.add(0x900_0000, 0x1000, Box::new(u)).unwrap();
        bus.device_mut::<Pl011>("pl011").unwrap().push_rx(b'q');
        assert_eq!(bus.read(0x900_0000, 4), Some(u64::from(b'q')));
    }
}
