//! The AArch64 `virt` board with QEMU's memory map (QEMU `hw/arm/virt.c`
//! `base_memmap`): RAM at 0x4000_0000, GICv2 distributor at 0x0800_0000 and
//! CPU interface at 0x0801_0000, PL011 UART at 0x0900_0000 (SPI 1), PL031
//! RTC at 0x0901_0000 (SPI 2), the
//! generic timer on PPIs 27 (virtual) and 30 (physical), PSCI through
//! `hvc #0`.

use super::{BoardConfig, BoardError};
use crate::a64::A64Cpu;
use crate::bus::MmioBus;
use crate::clock::Clock;
use crate::devices::gicv2::{self, Gicv2};
use crate::devices::pl011::Pl011;
use crate::devices::pl031::Pl031;
use crate::generic_timer::GenericTimer;
use crate::irq::CpuKick;
use crate::memory::SystemMemory;
use crate::ram::Ram;
use crate::Machine;
use chimera_firmware::{detect_and_load, is_arm64_image, load_raw, Arch, LoadedImage};
use chimera_jit::{GuestInfo, Jit};

/// Guest physical base of RAM.
pub const RAM_BASE: u64 = 0x4000_0000;
/// Guest physical base of the PL011 UART.
pub const UART_BASE: u64 = 0x0900_0000;
/// Size of the UART's register window.
pub const UART_SIZE: u64 = 0x1000;
/// Guest physical base and size of the flash (two 64 MiB banks in QEMU, empty
/// without `-bios`/`-pflash`: reads as zeros, which execute as UDF).
pub const FLASH_BASE: u64 = 0;
/// Size of the flash region.
pub const FLASH_SIZE: u64 = 0x0800_0000;
/// GIC SPI number of the UART (INTID 33).
pub const UART_SPI: u32 = 1;
/// Guest physical base of the PL031 real-time clock.
pub const RTC_BASE: u64 = 0x0901_0000;
/// Size of the RTC's register window.
pub const RTC_SIZE: u64 = 0x1000;
/// GIC SPI number of the RTC (INTID 34).
pub const RTC_SPI: u32 = 2;
/// Guest physical base of the GIC distributor.
pub const GICD_BASE: u64 = 0x0800_0000;
/// Guest physical base of the GIC CPU interface.
pub const GICC_BASE: u64 = 0x0801_0000;
/// INTID of the virtual timer's PPI (PPI 11; the DTB's `<1 11 ...>`).
pub const VTIMER_INTID: u32 = 27;
/// INTID of the EL1 physical timer's PPI (PPI 14).
pub const PTIMER_INTID: u32 = 30;

/// The built-in demo guest (source and build script in `firmware/guests/demo/`).
pub const DEMO_ELF: &[u8] = chimera_firmware::DEMO_AARCH64_ELF;

/// Copy an image's segments into RAM, zero-filling to each segment's memory
/// size; a segment outside RAM but inside one of the board's `roms` (flash)
/// goes there, as QEMU's loader does.
pub(crate) fn load_into_ram(ram: &mut Ram, roms: &mut [Ram], image: &LoadedImage) -> Result<(), BoardError> {
    for seg in &image.segments {
        let end = seg.addr.saturating_add(seg.mem_size);
        let target = if ram.contains(seg.addr, seg.mem_size) {
            &mut *ram
        } else if let Some(rom) = roms.iter_mut().find(|r| r.contains(seg.addr, seg.mem_size)) {
            rom
        } else {
            return Err(BoardError::OutsideRam { start: seg.addr, end, ram_start: ram.base(), ram_end: ram.base() + ram.size() });
        };
        target.write_bytes(seg.addr, &seg.data)?;
        target.zero(seg.addr + seg.data.len() as u64, seg.mem_size - seg.data.len() as u64)?;
    }
    Ok(())
}

fn serial_rx(mem: &mut SystemMemory, b: u8) -> bool {
    let Some(uart) = mem.bus.device_mut::<Pl011>("pl011") else { return false };
    if !uart.rx_space() {
        return false;
    }
    uart.push_rx(b);
    true
}

/// Load an arm64 Linux `Image` as QEMU's `-kernel` does (firmware's
/// `place_arm64_linux`): the kernel, the initrd, the device tree, and the
/// boot stub at the start of RAM, which is where the CPU starts. The device
/// tree is the board's own, with `--append` and the initrd, or the user's
/// `--dtb` with `/memory`, `/chosen` (bootargs, initrd) and `/psci` set as
/// QEMU's `-dtb` does (firmware's `patch_dtb`). Returns the entry point and
/// the device tree.
fn load_linux(ram: &mut Ram, bytes: &[u8], cfg: &BoardConfig, model: &chimera_aarch64::CpuModel) -> Result<(u64, Vec<u8>), BoardError> {
    let image = chimera_firmware::parse_arm64_image(bytes)?;
    if image.big_endian() {
        return Err(BoardError::BigEndianKernel);
    }
    let initrd_len = cfg.initrd.as_ref().map(|i| i.len() as u64);
    let place = |dtb_len| chimera_firmware::place_arm64_linux(RAM_BASE, ram.size(), &image, bytes.len() as u64, initrd_len, dtb_len);
    // The device tree goes last, so where everything goes does not depend
    // on its size: place with none to learn the initrd's address, make the
    // tree, then place it by its real size, which may exceed the file's.
    let initrd = place(0)?.initrd;
    let bootargs = cfg.append.as_deref().unwrap_or("");
    let dtb = match &cfg.dtb {
        Some(d) => chimera_firmware::patch_dtb(d, &chimera_firmware::DtbPatch { ram: (RAM_BASE, ram.size()), bootargs, initrd, psci: true })?,
        None => chimera_firmware::virt_dtb(&chimera_firmware::VirtDescription {
            ram: (RAM_BASE, ram.size()),
            cpu_compatible: model.dt_compatible,
            bootargs,
            initrd,
            gic: (GICD_BASE, GICC_BASE),
            uart: (UART_BASE, UART_SPI),
            rtc: (RTC_BASE, RTC_SPI),
        })?,
    };
    let layout = place(dtb.len() as u64)?;
    debug_assert_eq!(layout.initrd, initrd, "the device tree's size moved the initrd");
    ram.write_bytes(layout.kernel, bytes)?;
    if let (Some((start, _)), Some(initrd)) = (layout.initrd, &cfg.initrd) {
        ram.write_bytes(start, initrd)?;
    }
    ram.write_bytes(layout.dtb, &dtb)?;
    ram.write_bytes(layout.stub, &chimera_firmware::arm64_boot_stub(layout.dtb, layout.kernel))?;
    Ok((layout.stub, dtb))
}

/// The CPU models of the board (`--cpu`), the default first: name and summary.
pub fn cpu_models() -> Vec<(&'static str, &'static str)> {
    chimera_aarch64::CPU_MODELS.iter().map(|m| (m.name, m.summary)).collect()
}

/// Build the board.
pub fn build(cfg: BoardConfig) -> Result<Machine, BoardError> {
    let bytes = cfg.kernel.as_deref().unwrap_or(DEMO_ELF);
    let model = match cfg.cpu.as_deref() {
        None => &chimera_aarch64::CPU_MODELS[0],
        Some(name) => chimera_aarch64::cpu_model(name).ok_or_else(|| BoardError::UnknownCpu { cpu: name.to_string(), machine: "virt" })?,
    };
    let mut ram = Ram::new(RAM_BASE, cfg.memory)?;
    let mut flash = Ram::new(FLASH_BASE, FLASH_SIZE)?;
    let linux = cfg.raw_address.is_none() && is_arm64_image(bytes);
    let (entry, dtb) = if linux {
        let (entry, dtb) = load_linux(&mut ram, bytes, &cfg, model)?;
        (entry, Some(dtb))
    } else {
        for (given, what) in [(cfg.initrd.is_some(), "--initrd"), (cfg.append.is_some(), "--append"), (cfg.dtb.is_some(), "--dtb")] {
            if given {
                return Err(BoardError::NotLinux(what));
            }
        }
        let image = match cfg.raw_address {
            Some(addr) => load_raw(bytes, addr),
            None => detect_and_load(bytes, Arch::Aarch64)?,
        };
        load_into_ram(&mut ram, std::slice::from_mut(&mut flash), &image)?;
        (image.entry, None)
    };
    let clock = Clock::host();
    let kick = CpuKick::new();
    let gic = Gicv2::new(kick.clone());
    let mut bus = MmioBus::new();
    bus.add(GICD_BASE, gicv2::DIST_SIZE, Box::new(gic.distributor()))?;
    bus.add(GICC_BASE, gicv2::CPU_SIZE, Box::new(gic.cpu_interface()))?;
    bus.add(UART_BASE, UART_SIZE, Box::new(Pl011::new(cfg.serial_out, gic.spi_line(UART_SPI))))?;
    // The RTC starts at the host's wall-clock time, then counts with the machine's clock.
    let wall = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    bus.add(RTC_BASE, RTC_SIZE, Box::new(Pl031::new(clock.clone(), RTC_BASE, wall, gic.spi_line(RTC_SPI))))?;
    let timer = GenericTimer::new(clock.clone(), gic.ppi_line(VTIMER_INTID), gic.ppi_line(PTIMER_INTID));
    let cpu = A64Cpu::new(entry, model, cfg.tracer.clone()).with_interrupts(Box::new(gic.cpu_outputs()), timer);
    let info = GuestInfo { pc: chimera_aarch64::PC, state_size: chimera_aarch64::STATE_SIZE, walk: chimera_aarch64::vmsa::walk };
    let mut jit_cfg = cfg.jit;
    if cfg.tracer.flags.exec {
        // Every block must come back to the loop to be traced.
        jit_cfg.chaining = false;
    }
    let jit = Jit::new(info, jit_cfg)?;
    let mem = SystemMemory { ram, roms: vec![flash], bus, tracer: cfg.tracer.clone() };
    let machine = Machine::new("virt", Box::new(cpu), jit, mem, serial_rx, cfg.tracer, clock, kick);
    Ok(match dtb {
        Some(dtb) => machine.with_dtb(dtb),
        None => machine,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chimera_firmware::{Fdt, FdtNode};

    /// A minimal arm64 `Image`: the 64-byte header (text_offset 0, image
    /// size 64 KiB, 4 KiB pages, little-endian) and a branch-to-self.
    fn tiny_image() -> Vec<u8> {
        let mut b = vec![0u8; 128];
        b[0..4].copy_from_slice(&0x1400_0000u32.to_le_bytes());
        b[16..24].copy_from_slice(&0x1_0000u64.to_le_bytes());
        b[24..32].copy_from_slice(&0b10u64.to_le_bytes());
        b[56..60].copy_from_slice(b"ARM\x64");
        b
    }

    fn config(dtb: Option<Vec<u8>>, append: Option<&str>, initrd: Option<Vec<u8>>) -> BoardConfig {
        BoardConfig {
            memory: 256 << 20,
            cpu: None,
            kernel: Some(tiny_image()),
            raw_address: None,
            initrd,
            append: append.map(str::to_string),
            dtb,
            serial_out: Box::new(std::io::sink()),
            tracer: crate::trace::Tracer::off(),
            jit: chimera_jit::JitConfig::default(),
        }
    }

    /// The device tree at x0 of the boot stub, read back from guest RAM.
    fn tree_in_ram(m: &Machine) -> Vec<u8> {
        let mut stub = [0u8; 40];
        m.mem.ram.read_bytes(RAM_BASE, &mut stub).unwrap();
        let at = u64::from_le_bytes(stub[24..32].try_into().unwrap());
        let mut dtb = vec![0u8; m.dtb().unwrap().len()];
        m.mem.ram.read_bytes(at, &mut dtb).unwrap();
        dtb
    }

    #[test]
    fn a_user_dtb_gets_chosen_and_memory() {
        // A user's tree: the root with its cells and a long-named node,
        // nothing else. Patching makes it larger than the file.
        let mut root = FdtNode::new("");
        root.set_property("#address-cells", 2u32.to_be_bytes());
        root.set_property("#size-cells", 2u32.to_be_bytes());
        root.children.push(FdtNode::new("mine"));
        let user = Fdt { boot_cpuid_phys: 0, reservations: vec![], root }.to_bytes().unwrap();
        let initrd = vec![7u8; 5000];
        let m = build(config(Some(user.clone()), Some("console=ttyAMA0 rdinit=/init"), Some(initrd.clone()))).unwrap();
        let dtb = m.dtb().unwrap().to_vec();
        assert!(dtb.len() > user.len());
        assert_eq!(tree_in_ram(&m), dtb);
        let fdt = Fdt::parse(&dtb).unwrap();
        let chosen = fdt.root.child("chosen").unwrap();
        assert_eq!(chosen.property("bootargs").unwrap(), b"console=ttyAMA0 rdinit=/init\0");
        let start = u64::from_be_bytes(chosen.property("linux,initrd-start").unwrap().try_into().unwrap());
        let end = u64::from_be_bytes(chosen.property("linux,initrd-end").unwrap().try_into().unwrap());
        assert_eq!(end - start, 5000);
        let mut back = vec![0u8; 5000];
        m.mem.ram.read_bytes(start, &mut back).unwrap();
        assert_eq!(back, initrd);
        let reg = fdt.root.child("memory").unwrap().property("reg").unwrap();
        assert_eq!(reg, [RAM_BASE.to_be_bytes(), (256u64 << 20).to_be_bytes()].concat());
        assert_eq!(fdt.root.child("psci").unwrap().property("method").unwrap(), b"hvc\0");
        assert!(fdt.root.child("mine").is_some());
    }

    #[test]
    fn a_bad_user_dtb_is_refused() {
        let err = build(config(Some(b"\xd0\x0d\xfe\xed junk".to_vec()), None, None)).err().unwrap();
        assert!(err.to_string().starts_with("bad device tree: "), "{err}");
    }

    #[test]
    fn the_boards_own_tree_is_where_x0_points() {
        let m = build(config(None, Some("quiet"), None)).unwrap();
        assert_eq!(tree_in_ram(&m), m.dtb().unwrap());
    }
}
