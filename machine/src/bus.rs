//! The MMIO bus: guest physical ranges routed to devices.

use crate::device::Device;

/// Why a device could not be placed on the bus.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BusError {
    /// The range is empty or runs past the end of the address space.
    #[error("invalid MMIO range {base:#x}..+{len:#x} for {name}")]
    InvalidRange {
        /// Requested base address.
        base: u64,
        /// Requested length.
        len: u64,
        /// Name of the device being added.
        name: &'static str,
    },
    /// The range overlaps a device already on the bus.
    #[error("MMIO range {base:#x}..+{len:#x} for {name} overlaps {other} at {other_base:#x}..+{other_len:#x}")]
    Overlap {
        /// Requested base address.
        base: u64,
        /// Requested length.
        len: u64,
        /// Name of the device being added.
        name: &'static str,
        /// Name of the device already there.
        other: &'static str,
        /// Base of the device already there.
        other_base: u64,
        /// Length of the device already there.
        other_len: u64,
    },
}

/// One device and the range it answers to.
struct Mapping {
    base: u64,
    len: u64,
    device: Box<dyn Device>,
}

impl Mapping {
    /// Last address of the range (inclusive, so a range ending at 2^64 is
    /// representable).
    fn last(&self) -> u64 {
        self.base + (self.len - 1)
    }
}

/// Guest physical address ranges mapped to devices.
///
/// Ranges do not overlap, and are kept sorted by base so that an access
/// finds its device by binary search. An access must lie wholly inside one
/// device's range; anything else is "nothing mapped there", which the
/// caller turns into a guest bus error.
#[derive(Default)]
pub struct MmioBus {
    mappings: Vec<Mapping>,
}

impl MmioBus {
    /// An empty bus.
    pub fn new() -> MmioBus {
        MmioBus::default()
    }

    /// Maps `device` at guest physical `base..base + len`.
    pub fn add(&mut self, base: u64, len: u64, device: Box<dyn Device>) -> Result<(), BusError> {
        let name = device.name();
        if len == 0 || base.checked_add(len - 1).is_none() {
            return Err(BusError::InvalidRange { base, len, name });
        }
        let last = base + (len - 1);
        let index = self.mappings.partition_point(|m| m.base < base);
        // Only the neighbours on either side of the insertion point can
        // overlap, since the existing ranges are sorted and disjoint.
        let before = index.checked_sub(1).map(|i| &self.mappings[i]);
        let after = self.mappings.get(index);
        let clash = before
            .filter(|m| m.last() >= base)
            .or(after.filter(|m| m.base <= last));
        if let Some(other) = clash {
            return Err(BusError::Overlap {
                base,
                len,
                name,
                other: other.device.name(),
                other_base: other.base,
                other_len: other.len,
            });
        }
        self.mappings.insert(index, Mapping { base, len, device });
        Ok(())
    }

    /// Index of the mapping containing all of `paddr..paddr + size`.
    fn find(&self, paddr: u64, size: u8) -> Option<usize> {
        let index = self
            .mappings
            .partition_point(|m| m.base <= paddr)
            .checked_sub(1)?;
        let mapping = &self.mappings[index];
        let last = paddr.checked_add(u64::from(size.max(1)) - 1)?;
        (last <= mapping.last()).then_some(index)
    }

    /// Whether any device answers at `paddr`.
    pub fn is_mapped(&self, paddr: u64) -> bool {
        self.find(paddr, 1).is_some()
    }

    /// The device answering at `paddr` and the offset of `paddr` in its range.
    pub fn device_at(&mut self, paddr: u64) -> Option<(u64, &mut dyn Device)> {
        let index = self.find(paddr, 1)?;
        let mapping = &mut self.mappings[index];
        Some((paddr - mapping.base, mapping.device.as_mut()))
    }

    /// Reads `size` bytes at `paddr`; `None` when no device covers the access.
    pub fn read(&mut self, paddr: u64, size: u8) -> Option<u64> {
        let index = self.find(paddr, size)?;
        let mapping = &mut self.mappings[index];
        Some(mapping.device.read(paddr - mapping.base, size))
    }

    /// Writes `size` bytes at `paddr`; `None` when no device covers the access.
    pub fn write(&mut self, paddr: u64, size: u8, value: u64) -> Option<()> {
        let index = self.find(paddr, size)?;
        let mapping = &mut self.mappings[index];
        mapping.device.write(paddr - mapping.base, size, value);
        Some(())
    }

    /// The first device named `name`, as its concrete type `T`; `None` if
    /// there is no such device or it is not a `T`.
    pub fn device_mut<T: Device + 'static>(&mut self, name: &str) -> Option<&mut T> {
        self.mappings
            .iter_mut()
            .filter(|m| m.device.name() == name)
            .find_map(|m| m.device.as_any_mut().downcast_mut::<T>())
    }

    /// The mapped ranges in address order, as (base, length, device name).
    pub fn ranges(&self) -> impl Iterator<Item = (u64, u64, &'static str)> + '_ {
        self.mappings
            .iter()
            .map(|m| (m.base, m.len, m.device.name()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::any::Any;

    /// A device that records its last access and reads back offset + 1.
    struct Probe {
        name: &'static str,
        last_write: Option<(u64, u8, u64)>,
    }

    impl Probe {
        fn boxed(name: &'static str) -> Box<Probe> {
            Box::new(Probe {
                name,
                last_write: None,
            })
        }
    }

    impl Device for Probe {
        fn name(&self) -> &'static str {
            self.name
        }
        fn read(&mut self, offset: u64, _size: u8) -> u64 {
            offset + 1
        }
        fn write(&mut self, offset: u64, size: u8, value: u64) {
            self.last_write = Some((offset, size, value));
        }
        fn as_any_mut(&mut self) -> &mut dyn Any {
            self
        }
    }

    #[test]
    fn routes_by_address() {
        let mut bus = MmioBus::new();
        bus.add(0x900_0000, 0x1000, Probe::boxed("b")).unwrap();
        bus.add(0x800_0000, 0x1000, Probe::boxed("a")).unwrap();
        bus.add(0xa00_0000, 0x200, Probe::boxed("c")).unwrap();
        assert_eq!(bus.read(0x800_0010, 4), Some(0x11));
        assert_eq!(bus.read(0x900_0ffc, 4), Some(0xffd));
        assert_eq!(bus.read(0x900_0ffe, 4), None, "access straddles the end");
        assert_eq!(bus.read(0x7ff_fffc, 4), None);
        assert_eq!(bus.read(0x900_1000, 1), None);
        assert_eq!(bus.write(0xa00_0004, 2, 0xbeef), Some(()));
        assert_eq!(bus.write(0xa00_0200, 2, 0xbeef), None);
        assert_eq!(
            bus.device_mut::<Probe>("c").unwrap().last_write,
            Some((4, 2, 0xbeef))
        );
        assert!(bus.is_mapped(0x800_0fff));
        assert!(!bus.is_mapped(0x800_1000));
        let (offset, device) = bus.device_at(0x900_0123).unwrap();
        assert_eq!((offset, device.name()), (0x123, "b"));
        let ranges: Vec<_> = bus.ranges().collect();
        assert_eq!(
            ranges,
            vec![
                (0x800_0000, 0x1000, "a"),
                (0x900_0000, 0x1000, "b"),
                (0xa00_0000, 0x200, "c")
            ]
        );
    }

    #[test]
    fn rejects_overlaps_and_bad_ranges() {
        let mut bus = MmioBus::new();
        bus.add(0x1000, 0x1000, Probe::boxed("a")).unwrap();
        for (base, len) in [
            (0x1000, 1),
            (0xfff, 2),
            (0x1fff, 0x10),
            (0x800, 0x2000),
            (0x1800, 4),
        ] {
            let err = bus.add(base, len, Probe::boxed("x")).unwrap_err();
            assert!(
                matches!(err, BusError::Overlap { other: "a", .. }),
                "{base:#x}+{len:#x}: {err}"
            );
        }
        bus.add(0x2000, 0x10, Probe::boxed("b")).unwrap();
        bus.add(0xff0, 0x10, Probe::boxed("c")).unwrap();
        assert!(matches!(
            bus.add(0, 0, Probe::boxed("x")),
            Err(BusError::InvalidRange { .. })
        ));
        assert!(matches!(
            bus.add(u64::MAX, 2, Probe::boxed("x")),
            Err(BusError::InvalidRange { .. })
        ));
        bus.add(u64::MAX - 0xfff, 0x1000, Probe::boxed("top"))
            .unwrap();
        assert_eq!(bus.read(u64::MAX - 3, 4), Some(0xffd));
        assert_eq!(bus.read(u64::MAX, 8), None);
    }

    #[test]
    fn device_mut_checks_name_and_type() {
        struct Other;
        impl Device for Other {
            fn name(&self) -> &'static str {
                "a"
            }
            fn read(&mut self, _: u64, _: u8) -> u64 {
                0
            }
            fn write(&mut self, _: u64, _: u8, _: u64) {}
            fn as_any_mut(&mut self) -> &mut dyn Any {
                self
            }
        }
        let mut bus = MmioBus::new();
        bus.add(0, 0x10, Box::new(Other)).unwrap();
        bus.add(0x10, 0x10, Probe::boxed("a")).unwrap();
        assert!(bus.device_mut::<Probe>("a").is_some());
        assert!(bus.device_mut::<Other>("a").is_some());
        assert!(bus.device_mut::<Probe>("b").is_none());
    }
}
