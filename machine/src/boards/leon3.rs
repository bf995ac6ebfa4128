//! The LEON3 board as QEMU's `leon3_generic` lays it out (QEMU
//! `hw/sparc/leon3.c`): 8 MiB PROM at 0, RAM at 0x4000_0000, APBUART at
//! 0x8000_0100 (irq 3), IRQMP at 0x8000_0200 driving the CPU's interrupt
//! level, GPTIMER at 0x8000_0300 (timers 0 and 1 on irq 6 and 7) clocked at
//! 40 MHz from the machine's clock.
//!
//! With `-kernel` and no PROM image QEMU writes a little loader into the PROM
//! and resets the CPU there; Chimera does the same, so the guest starts in
//! exactly QEMU's state: the loader enables the UART transmitter and receiver,
//! programs the timer prescaler and timer 0, and jumps to the ELF entry with
//! %g1 = entry, %g2 = 3, %sp = top of RAM, supervisor mode, traps disabled,
//! CWP 0, WIM 1.

use super::{BoardConfig, BoardError};
use crate::boards::virt::load_into_ram;
use crate::bus::MmioBus;
use crate::clock::Clock;
use crate::devices::{AmbaPnp, ApbUart, GpTimer, IrqMp};
use crate::irq::CpuKick;
use crate::memory::SystemMemory;
use crate::ram::Ram;
use crate::sparc::SparcCpu;
use crate::Machine;
use chimera_firmware::{detect_and_load, load_raw, Arch};
use chimera_jit::{GuestInfo, Jit};
use chimera_sparc::{window_index, SparcState};

/// Guest physical base of the PROM.
pub const PROM_BASE: u64 = 0;
/// Size of the PROM.
pub const PROM_SIZE: u64 = 8 << 20;
/// Guest physical base of RAM.
pub const RAM_BASE: u64 = 0x4000_0000;
/// The APBUART.
pub const UART_BASE: u64 = 0x8000_0100;
/// The IRQMP interrupt controller.
pub const IRQMP_BASE: u64 = 0x8000_0200;
/// The GPTIMER unit.
pub const GPTIMER_BASE: u64 = 0x8000_0300;
/// Size of each APB device's register window.
pub const APB_SLOT: u64 = 0x100;
/// Interrupt line of the APBUART.
pub const UART_IRQ: u32 = 3;
/// Interrupt line of the first timer.(the second is on the next one).
pub const GPTIMER_IRQ: u32 = 6;
/// System clock (QEMU's `CPU_CLK`), which the timers' prescaler divides.
pub const SYSTEM_HZ: u32 = 40_000_000;

/// The AHB plug&play area.
pub const AHB_PNP_BASE: u64 = 0xffff_f000;
/// The APB plug&play area of the AHB/APB bridge (its AHB slot is 0x800, the
/// last 4 KiB of its 1 MiB).
pub const APB_PNP_BASE: u64 = 0x800f_f000;
/// Size of each plug&play area.
pub const PNP_SIZE: u64 = 0x1000;

/// The AHB records of QEMU's leon3_generic (read back from QEMU 7.2): the
/// LEON3 as master 0, the AHB/APB bridge at 0x8000_0000 (1 MiB) as slave 0.
fn ahb_pnp() -> AmbaPnp {
    use crate::devices::amba_pnp::{ahb_bar, device_id, id_word, VENDOR_GAISLER};
    AmbaPnp::ahb(
        &[(id_word(VENDOR_GAISLER, device_id::LEON3, 0, 0), [0; 4])],
        &[(id_word(VENDOR_GAISLER, device_id::APBMST, 0, 0), [ahb_bar(0x800, 0xfff, 2), 0, 0, 0])],
    )
}

/// The APB records of QEMU's leon3_generic: IRQMP (version 2), GPTIMER
/// (its first interrupt line), APBUART (version 1, line 3).
fn apb_pnp() -> AmbaPnp {
    use crate::devices::amba_pnp::{apb_bar, device_id, id_word, VENDOR_GAISLER};
    let slot = |base: u64| ((base >> 8) & 0xfff) as u32;
    AmbaPnp::apb(&[
        (id_word(VENDOR_GAISLER, device_id::IRQMP, 2, 0), apb_bar(slot(IRQMP_BASE), 0xfff)),
        (id_word(VENDOR_GAISLER, device_id::GPTIMER, 0, GPTIMER_IRQ), apb_bar(slot(GPTIMER_BASE), 0xfff)),
        (id_word(VENDOR_GAISLER, device_id::APBUART, 1, UART_IRQ), apb_bar(slot(UART_BASE), 0xfff)),
    ])
}

/// `st %g2, [%g1]` of `value` at `addr`, as QEMU's loader spells it.
fn store_u32(code: &mut Vec<u32>, addr: u32, value: u32) {
    code.extend([
        0x8210_0000,                 // mov %g0, %g1
        0x8410_0000,                 // mov %g0, %g2
        0x0300_0000 | addr >> 10,    // sethi %hi(addr), %g1
        0x8210_6000 | addr & 0x3ff,  // or %g1, %lo(addr), %g1
        0x0500_0000 | value >> 10,   // sethi %hi(value), %g2
        0x8410_a000 | value & 0x3ff, // or %g2, %lo(value), %g2
        0xc420_4000,                 // st %g2, [%g1]
    ]);
}

/// The PROM loader QEMU writes for `-kernel` without a PROM image.
pub fn boot_loader(entry: u32) -> Vec<u32> {
    let mut code = Vec::new();
    store_u32(&mut code, 0x8000_0108, 3); // UART control: receiver and transmitter enabled
    store_u32(&mut code, 0x8000_0304, 39); // GPTIMER prescaler reload: 1 MHz ticks
    store_u32(&mut code, 0x8000_0314, 0xffff_fffe); // timer 0 reload
    store_u32(&mut code, 0x8000_0318, 3); // timer 0: enabled, restart
    code.extend([
        0x8210_0000,                 // mov %g0, %g1
        0x0300_0000 | entry >> 10,   // sethi %hi(entry), %g1
        0x8210_6000 | entry & 0x3ff, // or %g1, %lo(entry), %g1
        0x81c0_4000,                 // jmp %g1
        0x0100_0000,                 // nop
    ]);
    code
}

fn serial_rx(mem: &mut SystemMemory, b: u8) -> bool {
    let Some(uart) = mem.bus.device_mut::<ApbUart>("apbuart") else {
        return false;
    };
    if !uart.rx_space() {
        return false;
    }
    uart.push_rx(b);
    true
}

/// The CPU models of the board (`--cpu`): the one LEON3.
pub fn cpu_models() -> Vec<(&'static str, &'static str)> {
    vec![("leon3", "Gaisler LEON3 (SPARC V8) as QEMU's leon3_generic models it")]
}

/// Build the board.
pub fn build(cfg: BoardConfig) -> Result<Machine, BoardError> {
    if let Some(cpu) = cfg.cpu.as_deref().filter(|c| *c != "leon3") {
        return Err(BoardError::UnknownCpu { cpu: cpu.to_string(), machine: "leon3" });
    }
    let bytes = cfg.kernel.as_deref().ok_or(BoardError::NoKernel("leon3"))?;
    for (given, what) in [(cfg.initrd.is_some(), "--initrd"), (cfg.append.is_some(), "--append"), (cfg.dtb.is_some(), "--dtb")] {
        if given {
            return Err(BoardError::NotLinux(what));
        }
    }
    let image = match cfg.raw_address {
        Some(addr) => load_raw(bytes, addr),
        None => detect_and_load(bytes, Arch::Sparc)?,
    };
    let mut ram = Ram::new(RAM_BASE, cfg.memory)?;
    load_into_ram(&mut ram, &mut [], &image)?;
    let mut prom = Ram::new(PROM_BASE, PROM_SIZE)?;
    let code: Vec<u8> = boot_loader(image.entry as u32).iter().flat_map(|w| w.to_be_bytes()).collect();
    prom.write_bytes(PROM_BASE, &code)?;
    let clock = Clock::host();
    let kick = CpuKick::new();
    let irqmp = IrqMp::new(kick.clone());
    let gptimer = GpTimer::new(clock.clone(), GPTIMER_BASE, SYSTEM_HZ, GPTIMER_IRQ, &irqmp);
    let irq = Box::new(irqmp.cpu());
    let mut bus = MmioBus::new();
    bus.add(UART_BASE, APB_SLOT, Box::new(ApbUart::new(cfg.serial_out)))?;
    bus.add(IRQMP_BASE, APB_SLOT, Box::new(irqmp))?;
    bus.add(GPTIMER_BASE, APB_SLOT, Box::new(gptimer))?;
    bus.add(AHB_PNP_BASE, PNP_SIZE, Box::new(ahb_pnp()))?;
    bus.add(APB_PNP_BASE, PNP_SIZE, Box::new(apb_pnp()))?;
    // QEMU's reset: the CPU at the PROM, %sp (%o6 of window 0) at the top of RAM.
    let mut state = SparcState { pc: PROM_BASE, npc: PROM_BASE + 4, ..Default::default() };
    state.w[window_index(0, 14)] = (RAM_BASE + cfg.memory) as u32;
    let cpu = SparcCpu::new(state, cfg.tracer.clone(), irq);
    let info = GuestInfo { pc: chimera_sparc::PC, state_size: chimera_sparc::STATE_SIZE, walk: chimera_sparc::mmu::walk };
    let mut jit_cfg = cfg.jit;
    if cfg.tracer.flags.exec {
        // Every block must come back to the loop to be traced.
        jit_cfg.chaining = false;
    }
    let jit = Jit::new(info, jit_cfg)?;
    let mem = SystemMemory { ram, roms: vec![prom], bus, tracer: cfg.tracer.clone() };
    Ok(Machine::new("leon3", Box::new(cpu), jit, mem, serial_rx, cfg.tracer, clock, kick))
}
