//! GRLIB AMBA plug&play areas (GRLIB IP Core User's Manual, "AMBA
//! Plug&Play"): read-only configuration records through which LEON software
//! finds the cores of the system. The AHB area holds 64 master then 64 slave
//! records of 8 words (identification word, 3 user words, 4 bank address
//! registers); the APB area of an AHB/APB bridge holds up to 512 records of 2
//! words (identification, bank address register).

use std::any::Any;

use crate::device::Device;

/// Vendor ID of Gaisler Research cores.
pub const VENDOR_GAISLER: u32 = 0x01;

/// Device IDs of the GRLIB cores (GRLIB IP Library User's Manual, device table).
pub mod device_id {
    /// LEON3 SPARC V8 processor.
    pub const LEON3: u32 = 0x003;
    /// AHB/APB bridge.
    pub const APBMST: u32 = 0x006;
    /// APB UART.
    pub const APBUART: u32 = 0x00c;
    /// Multiprocessor interrupt controller.
    pub const IRQMP: u32 = 0x00d;
    /// General-purpose timer unit.
    pub const GPTIMER: u32 = 0x011;
}

/// The identification word of a record: vendor \[31:24\], device \[23:12\],
/// version \[9:5\], interrupt \[4:0\].
pub const fn id_word(vendor: u32, device: u32, version: u32, irq: u32) -> u32 {
    vendor << 24 | (device & 0xfff) << 12 | (version & 0x1f) << 5 | (irq & 0x1f)
}

/// An AHB bank address register: address \[31:20\], prefetchable \[17\],
/// cacheable \[16\], mask \[15:4\], type \[3:0\] (2 = memory, 3 = I/O).
pub const fn ahb_bar(addr: u32, mask: u32, kind: u32) -> u32 {
    (addr & 0xfff) << 20 | (mask & 0xfff) << 4 | (kind & 0xf)
}

/// An APB bank address register: address bits \[19:8\] of the device in
/// \[31:20\], mask \[15:4\], type 1.
pub const fn apb_bar(addr: u32, mask: u32) -> u32 {
    (addr & 0xfff) << 20 | (mask & 0xfff) << 4 | 1
}

/// One plug&play area: 32-bit words, zero where nothing is recorded.
pub struct AmbaPnp {
    name: &'static str,
    words: Vec<u32>,
}

impl AmbaPnp {
    /// An AHB area: `masters` and `slaves` as (identification word, bank
    /// address registers).
    pub fn ahb(masters: &[(u32, [u32; 4])], slaves: &[(u32, [u32; 4])]) -> AmbaPnp {
        let mut words = vec![0; 0x1000 / 4];
        for (base, list) in [(0, masters), (64 * 8, slaves)] {
            for (k, (id, bars)) in list.iter().enumerate() {
                let at = base + 8 * k;
                words[at] = *id;
                words[at + 4..at + 8].copy_from_slice(bars);
            }
        }
        AmbaPnp { name: "ahb-pnp", words }
    }

    /// An APB area: records of (identification word, bank address register).
    pub fn apb(records: &[(u32, u32)]) -> AmbaPnp {
        let mut words = vec![0; 0x1000 / 4];
        for (k, (id, bar)) in records.iter().enumerate() {
            words[2 * k] = *id;
            words[2 * k + 1] = *bar;
        }
        AmbaPnp { name: "apb-pnp", words }
    }
}

impl Device for AmbaPnp {
    fn name(&self) -> &'static str {
        self.name
    }

    fn read(&mut self, offset: u64, size: u8) -> u64 {
        let word = u64::from(self.words.get((offset / 4) as usize).copied().unwrap_or(0));
        // Big-endian bytes within the word (SPARC): byte 0 is bits 31:24.
        let (byte, size) = (offset & 3, u64::from(size.min(4)));
        if byte + size > 4 {
            return 0;
        }
        (word >> (8 * (4 - size - byte))) & (u64::MAX >> (64 - 8 * size))
    }

    /// The areas are read-only: writes are ignored.
    fn write(&mut self, _offset: u64, _size: u8, _value: u64) {}

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_back_as_grlib_lays_them_out() {
        let mut ahb = AmbaPnp::ahb(
            &[(id_word(VENDOR_GAISLER, device_id::LEON3, 0, 0), [0; 4])],
            &[(id_word(VENDOR_GAISLER, device_id::APBMST, 0, 0), [ahb_bar(0x800, 0xfff, 2), 0, 0, 0])],
        );
        assert_eq!(ahb.read(0, 4), 0x0100_3000);
        assert_eq!(ahb.read(0x800, 4), 0x0100_6000);
        assert_eq!(ahb.read(0x810, 4), 0x8000_fff2);
        assert_eq!(ahb.read(0x800, 1), 0x01);
        assert_eq!(ahb.read(0x812, 2), 0xfff2);
        let mut apb = AmbaPnp::apb(&[(id_word(VENDOR_GAISLER, device_id::IRQMP, 2, 0), apb_bar(0x002, 0xfff))]);
        assert_eq!((apb.read(0, 4), apb.read(4, 4), apb.read(8, 4)), (0x0100_d040, 0x0020_fff1, 0));
        apb.write(0, 4, 0);
        assert_eq!(apb.read(0, 4), 0x0100_d040);
    }
}
