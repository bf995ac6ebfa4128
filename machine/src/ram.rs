//! Guest RAM: one anonymous host mapping per RAM region.
//!
//! The mapping is reserved, not committed: the host kernel hands out a zero
//! page the first time each page is touched, so a `--memory 4G` guest costs
//! only the memory it actually uses. `MAP_NORESERVE` keeps the kernel from
//! refusing a large guest up front on hosts without swap.
//!
//! The mapping is held as a [`MmapRaw`] rather than a `MmapMut`: generated
//! code and the softmmu write guest RAM through raw host pointers while the
//! `Ram` is only shared-borrowed, which is sound for a raw mapping but would
//! not be for memory reached through a `&[u8]`.

use memmap2::{MmapOptions, MmapRaw};

/// Why a RAM region could not be created or accessed.
#[derive(Debug, thiserror::Error)]
pub enum RamError {
    /// The requested size is zero, or the region does not fit the guest
    /// physical address space or the host's address space.
    #[error("invalid guest RAM region: base {base:#x}, size {size:#x}")]
    InvalidRegion {
        /// Requested guest physical base address.
        base: u64,
        /// Requested size in bytes.
        size: u64,
    },
    /// The host refused the anonymous mapping.
    #[error("cannot reserve {size:#x} bytes of host memory for guest RAM: {source}")]
    Map {
        /// Requested size in bytes.
        size: u64,
        /// The host error.
        source: std::io::Error,
    },
    /// An access falls (partly) outside the region.
    #[error("guest physical range {paddr:#x}..+{len:#x} is outside RAM {base:#x}..+{size:#x}")]
    OutOfRange {
        /// First guest physical address of the access.
        paddr: u64,
        /// Length of the access in bytes.
        len: u64,
        /// Base of the RAM region.
        base: u64,
        /// Size of the RAM region.
        size: u64,
    },
}

/// A region of guest RAM at a fixed guest physical address, backed by host
/// memory.
#[derive(Debug)]
pub struct Ram {
    base: u64,
    size: u64,
    map: MmapRaw,
}

impl Ram {
    /// Reserves `size` bytes of zeroed guest RAM at guest physical `base`.
    ///
    /// Host pages are only committed when first touched.
    pub fn new(base: u64, size: u64) -> Result<Ram, RamError> {
        let invalid = RamError::InvalidRegion { base, size };
        // The region must be addressable to its last byte, so `base + size`
        // may be 2^64 exactly but no more.
        if size == 0 || base.checked_add(size - 1).is_none() {
            return Err(invalid);
        }
        let len = usize::try_from(size).map_err(|_| invalid)?;
        let map = MmapOptions::new()
            .len(len)
            .no_reserve_swap()
            .map_anon()
            .map_err(|source| RamError::Map { size, source })?;
        Ok(Ram {
            base,
            size,
            map: MmapRaw::from(map),
        })
    }

    /// Guest physical address of the first byte.
    pub fn base(&self) -> u64 {
        self.base
    }

    /// Size of the region in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Whether all of `paddr..paddr + len` lies inside the region.
    pub fn contains(&self, paddr: u64, len: u64) -> bool {
        self.offset_of(paddr, len).is_some()
    }

    /// Offset into the mapping of `paddr`, if `len` bytes from there fit.
    fn offset_of(&self, paddr: u64, len: u64) -> Option<usize> {
        let offset = paddr.checked_sub(self.base)?;
        let end = offset.checked_add(len)?;
        if end > self.size {
            return None;
        }
        // The whole region fits a usize (checked in `new`).
        usize::try_from(offset).ok()
    }

    /// Host pointer to `len` bytes at `paddr`, all inside the region.
    fn span(&self, paddr: u64, len: usize) -> Result<*mut u8, RamError> {
        let out_of_range = || RamError::OutOfRange {
            paddr,
            len: len as u64,
            base: self.base,
            size: self.size,
        };
        let offset = self.offset_of(paddr, len as u64).ok_or_else(out_of_range)?;
        Ok(self.map.as_mut_ptr().wrapping_add(offset))
    }

    /// Host address of the byte at guest physical `paddr`, for the softmmu's
    /// TLB and for generated code; `None` outside the region.
    ///
    /// The pointer stays valid as long as this `Ram` lives; the mapping never
    /// moves.
    pub fn host_ptr(&self, paddr: u64) -> Option<*mut u8> {
        let offset = self.offset_of(paddr, 1)?;
        Some(self.map.as_mut_ptr().wrapping_add(offset))
    }

    /// Copies `data` into guest RAM at `paddr`.
    pub fn write_bytes(&mut self, paddr: u64, data: &[u8]) -> Result<(), RamError> {
        let dst = self.span(paddr, data.len())?;
        // SAFETY: `span` checked that the destination lies inside the live
        // mapping, which cannot overlap `data` (a Rust borrow held by the
        // caller of a `&mut self` method is never into the mapping).
        unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), dst, data.len()) };
        Ok(())
    }

    /// Fills `len` bytes of guest RAM at `paddr` with zeros.
    pub fn zero(&mut self, paddr: u64, len: u64) -> Result<(), RamError> {
        let out_of_range = || RamError::OutOfRange {
            paddr,
            len,
            base: self.base,
            size: self.size,
        };
        let len = usize::try_from(len).map_err(|_| out_of_range())?;
        let dst = self.span(paddr, len)?;
        // SAFETY: `span` checked that the range lies inside the live mapping.
        unsafe { std::ptr::write_bytes(dst, 0, len) };
        Ok(())
    }

    /// Copies guest RAM at `paddr` into `buf`.
    pub fn read_bytes(&self, paddr: u64, buf: &mut [u8]) -> Result<(), RamError> {
        let src = self.span(paddr, buf.len())?;
        // SAFETY: `span` checked that the source lies inside the live
        // mapping; `buf` is a Rust borrow and so is not guest RAM.
        unsafe { std::ptr::copy_nonoverlapping(src, buf.as_mut_ptr(), buf.len()) };
        Ok(())
    }

    /// Reads a little-endian 32-bit word at `paddr`.
    pub fn read_u32_le(&self, paddr: u64) -> Result<u32, RamError> {
        let mut word = [0u8; 4];
        self.read_bytes(paddr, &mut word)?;
        Ok(u32::from_le_bytes(word))
    }

    /// Reads a big-endian 32-bit word at `paddr`.
    pub fn read_u32_be(&self, paddr: u64) -> Result<u32, RamError> {
        let mut word = [0u8; 4];
        self.read_bytes(paddr, &mut word)?;
        Ok(u32::from_be_bytes(word))
    }

    /// Reads a little-endian 64-bit word at `paddr`.
    pub fn read_u64_le(&self, paddr: u64) -> Result<u64, RamError> {
        let mut word = [0u8; 8];
        self.read_bytes(paddr, &mut word)?;
        Ok(u64::from_le_bytes(word))
    }

    /// Writes a little-endian 32-bit word at `paddr`.
    pub fn write_u32_le(&mut self, paddr: u64, value: u32) -> Result<(), RamError> {
        self.write_bytes(paddr, &value.to_le_bytes())
    }

    /// Writes a big-endian 32-bit word at `paddr`.
    pub fn write_u32_be(&mut self, paddr: u64, value: u32) -> Result<(), RamError> {
        self.write_bytes(paddr, &value.to_be_bytes())
    }

    /// Writes a little-endian 64-bit word at `paddr`.
    pub fn write_u64_le(&mut self, paddr: u64, value: u64) -> Result<(), RamError> {
        self.write_bytes(paddr, &value.to_le_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: u64 = 0x4000_0000;

    /// Resident set size of this process in pages, from /proc/self/statm
    /// (proc(5): the second field).
    fn resident_pages() -> u64 {
        let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
        statm.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    #[test]
    fn four_gib_is_reserved_not_committed() {
        let before = resident_pages();
        let mut ram = Ram::new(BASE, 4 << 30).unwrap();
        ram.write_u32_le(BASE + (3 << 30), 0xdead_beef).unwrap();
        let after = resident_pages();
        // Other test threads allocate too; 16 MiB of 4 KiB pages is far below
        // the 1 Mi pages a committed 4 GiB would take.
        assert!(
            after.saturating_sub(before) < 4096,
            "RSS grew from {before} to {after} pages"
        );
        assert_eq!(ram.read_u32_le(BASE + (3 << 30)).unwrap(), 0xdead_beef);
        assert_eq!(ram.read_u32_le(BASE + (2 << 30)).unwrap(), 0);
    }

    #[test]
    fn invalid_regions() {
        assert!(matches!(
            Ram::new(BASE, 0),
            Err(RamError::InvalidRegion { .. })
        ));
        assert!(matches!(
            Ram::new(u64::MAX - 0xfff, 0x2000),
            Err(RamError::InvalidRegion { .. })
        ));
        assert!(Ram::new(u64::MAX - 0xfff, 0x1000).is_ok());
    }

    #[test]
    fn bounds() {
        let mut ram = Ram::new(BASE, 0x1000).unwrap();
        assert_eq!(ram.base(), BASE);
        assert_eq!(ram.size(), 0x1000);
        assert!(ram.contains(BASE, 0x1000));
        assert!(ram.contains(BASE + 0xffc, 4));
        assert!(!ram.contains(BASE + 0xffd, 4));
        assert!(!ram.contains(BASE - 1, 1));
        assert!(!ram.contains(u64::MAX, 2));
        assert!(ram.host_ptr(BASE + 0xfff).is_some());
        assert!(ram.host_ptr(BASE + 0x1000).is_none());
        let err = ram.write_bytes(BASE + 0xffe, &[1, 2, 3]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "guest physical range 0x40000ffe..+0x3 is outside RAM 0x40000000..+0x1000"
        );
        assert!(ram.read_u64_le(BASE + 0xff9).is_err());
        assert!(ram.zero(BASE, u64::MAX).is_err());
    }

    #[test]
    fn reads_writes_and_host_pointer_agree() {
        let mut ram = Ram::new(BASE, 0x2000).unwrap();
        ram.write_u32_be(BASE + 0x10, 0x0102_0304).unwrap();
        assert_eq!(ram.read_u32_le(BASE + 0x10).unwrap(), 0x0403_0201);
        ram.write_u64_le(BASE + 0x18, 0x1122_3344_5566_7788)
            .unwrap();
        assert_eq!(ram.read_u32_be(BASE + 0x18).unwrap(), 0x8877_6655);
        let ptr = ram.host_ptr(BASE + 0x1000).unwrap();
        // SAFETY: the pointer is inside the live mapping.
        unsafe { ptr.write(0xab) };
        let mut byte = [0u8];
        ram.read_bytes(BASE + 0x1000, &mut byte).unwrap();
        assert_eq!(byte, [0xab]);
        ram.zero(BASE + 0x10, 8).unwrap();
        assert_eq!(ram.read_u64_le(BASE + 0x10).unwrap(), 0);
        assert_eq!(ram.read_u64_le(BASE + 0x18).unwrap(), 0x1122_3344_5566_7788);
    }
}
