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

/// Most bytes the board's own device tree may take (it is placed before
/// its size is known).
const DTB_MAX: u64 = 0x1_0000;

/// Load an arm64 Linux `Image` as QEMU's `-kernel` does (firmware's
/// `place_arm64_linux`): the kernel, the initrd, the device tree (the
/// user's `--dtb`, or the board's own with `--append` and the initrd), and
/// the boot stub at the start of RAM, which is where the CPU starts.
/// Returns the entry point and the device tree.
fn load_linux(ram: &mut Ram, bytes: &[u8], cfg: &BoardConfig, model: &chimera_aarch64::CpuModel) -> Result<(u64, Vec<u8>), BoardError> {
    let image = chimera_firmware::parse_arm64_image(bytes)?;
    if image.big_endian() {
        return Err(BoardError::BigEndianKernel);
    }
    if let Some(dtb) = &cfg.dtb {
        chimera_firmware::check_dtb(dtb)?;
    }
    let dtb_len = cfg.dtb.as_ref().map_or(DTB_MAX, |d| d.len() as u64);
    let initrd_len = cfg.initrd.as_ref().map(|i| i.len() as u64);
    let layout = chimera_firmware::place_arm64_linux(RAM_BASE, ram.size(), &image, bytes.len() as u64, initrd_len, dtb_len)?;
    let dtb = match &cfg.dtb {
        Some(d) => d.clone(),
        None => chimera_firmware::virt_dtb(&chimera_firmware::VirtDescription {
            ram: (RAM_BASE, ram.size()),
            cpu_compatible: model.dt_compatible,
            bootargs: cfg.append.as_deref().unwrap_or(""),
            initrd: layout.initrd,
            gic: (GICD_BASE, GICC_BASE),
            uart: (UART_BASE, UART_SPI),
            rtc: (RTC_BASE, RTC_SPI),
        })?,
    };
    debug_assert!(dtb.len() as u64 <= dtb_len, "the board's device tree outgrew DTB_MAX");
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
