//! `chimera`: the command-line front of the Chimera system emulator.

mod console;
mod disasm;

use anyhow::{bail, Context, Result};
use chimera_machine::{BoardConfig, ConsoleEvent, ConsoleInput, LogFlags, Stop, Tracer, BOARDS};
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Chimera: AArch64 and SPARC V8 guests on x86-64 by dynamic binary translation.
#[derive(Parser)]
#[command(name = "chimera", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Boot a board. Serial console on stdin/stdout; Ctrl-A h for help, Ctrl-A x to quit.
    Run(RunArgs),
    /// List the boards, one line each.
    Machines,
}

#[derive(clap::Args)]
struct RunArgs {
    /// Board to emulate (see `chimera machines`).
    #[arg(short = 'M', long = "machine", default_value = "virt")]
    machine: String,
    /// CPU model of the board (`--cpu help` lists them): on virt, cortex-a57
    /// (the default) or max (cortex-a57 plus the LSE atomics).
    #[arg(long)]
    cpu: Option<String>,
    /// Kernel image (ELF). Without it the board boots its built-in demo guest.
    #[arg(short, long)]
    kernel: Option<PathBuf>,
    /// Load the kernel as a raw binary at this guest physical address and start
    /// there (hex with 0x, or decimal), instead of as an ELF.
    #[arg(long, value_parser = parse_addr)]
    raw_address: Option<u64>,
    /// Guest RAM size, e.g. 512M, 4G (reserved lazily).
    #[arg(short, long, default_value = "512M", value_parser = parse_size)]
    memory: u64,
    /// Trace items, comma separated: in_asm, out_asm, exec, int, unimp, guest_errors.
    #[arg(short = 'd', long = "log", value_parser = parse_log)]
    log: Option<LogFlags>,
    /// Write traces to this file instead of stderr.
    #[arg(long)]
    log_file: Option<PathBuf>,
    /// Cranelift optimisation level: none, speed, speed_and_size.
    #[arg(long, default_value = "speed")]
    jit_opt: String,
    /// Cranelift register allocator: backtracking or single_pass.
    #[arg(long, default_value = "backtracking")]
    jit_regalloc: String,
    /// Run Cranelift's IR verifier on every block (slow; for debugging Chimera).
    #[arg(long)]
    jit_verify: bool,
    /// Do not chain translated blocks (every block returns to the loop).
    #[arg(long)]
    no_chain: bool,
    /// Runs of a block in the interpreter before Cranelift compiles it (0: compile at once).
    #[arg(long)]
    jit_hot: Option<u32>,
    /// Block executions in quickly compiled code before its region is
    /// compiled again with --jit-opt/--jit-regalloc (0: compile hot blocks
    /// with those settings at once).
    #[arg(long)]
    jit_promote: Option<u32>,
    /// Compile hot code on the CPU's thread only: no compile thread runs
    /// Cranelift beside the guest.
    #[arg(long)]
    jit_sync: bool,
    /// Print JIT statistics to stderr when the guest stops.
    #[arg(long)]
    stats: bool,
    /// Exit (status 0) when the guest resets the board, as QEMU's
    /// -no-reboot, instead of starting it again.
    #[arg(long)]
    no_reboot: bool,
    /// Initial RAM disk for a Linux kernel (placed as QEMU's -initrd).
    #[arg(long)]
    initrd: Option<PathBuf>,
    /// Kernel command line for a Linux kernel (QEMU's -append).
    #[arg(long)]
    append: Option<String>,
    /// Give a Linux kernel this device tree blob instead of the board's own:
    /// the user's tree, with /chosen (bootargs, initrd) and /memory set as
    /// QEMU does (and /psci replaced by the board's).
    #[arg(long)]
    dtb: Option<PathBuf>,
    /// Write the device tree the board would give a Linux kernel to FILE and
    /// exit (read it with `dtc -I dtb FILE`).
    #[arg(long, value_name = "FILE")]
    dump_dtb: Option<PathBuf>,
}

fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (num, mul) = match s.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let m = match c.to_ascii_uppercase() {
                'K' => 1u64 << 10,
                'M' => 1 << 20,
                'G' => 1 << 30,
                'T' => 1 << 40,
                _ => return Err(format!("unknown size suffix '{c}' (use K, M, G)")),
            };
            (&s[..i], m)
        }
        _ => (s, 1 << 20),
    };
    let n: u64 = num.parse().map_err(|_| format!("'{s}' is not a size like 512M or 4G"))?;
    let bytes = n.checked_mul(mul).ok_or_else(|| format!("size '{s}' is too large"))?;
    if bytes < 1 << 20 || bytes % 4096 != 0 {
        return Err(format!("guest RAM must be at least 1M and a multiple of 4K, not '{s}'"));
    }
    // The virt board's low RAM region ends at 256 GiB (QEMU hw/arm/virt.c).
    if bytes > 255 << 30 {
        return Err(format!("guest RAM of '{s}' does not fit the board's RAM region (at most 255G)"));
    }
    Ok(bytes)
}

fn parse_addr(s: &str) -> Result<u64, String> {
    let r = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(&hex.replace('_', ""), 16),
        None => s.replace('_', "").parse(),
    };
    r.map_err(|_| format!("'{s}' is not an address (e.g. 0x40080000)"))
}

fn parse_log(s: &str) -> Result<LogFlags, String> {
    LogFlags::parse(s)
}

/// Console input for the machine, from the terminal (raw mode) or a pipe.
struct StdinInput(console::Console);

impl ConsoleInput for StdinInput {
    fn poll(&mut self) -> Option<ConsoleEvent> {
        match self.0.try_recv()? {
            console::ConsoleInput::Byte(b) => Some(ConsoleEvent::Byte(b)),
            console::ConsoleInput::Quit => Some(ConsoleEvent::Quit),
            console::ConsoleInput::Eof => None,
        }
    }
}

fn run(args: RunArgs) -> Result<ExitCode> {
    if !BOARDS.iter().any(|(n, _)| *n == args.machine) {
        bail!("unknown machine '{}' (use 'chimera machines' to list them)", args.machine);
    }
    let models = chimera_machine::cpu_models(&args.machine).unwrap_or_default();
    match args.cpu.as_deref() {
        Some("help") => {
            for (name, what) in &models {
                println!("{name:<12} {what}");
            }
            return Ok(ExitCode::SUCCESS);
        }
        Some(cpu) if !models.iter().any(|(n, _)| *n == cpu) => {
            bail!("unknown CPU '{cpu}' for machine '{}' (use --cpu help to list them)", args.machine);
        }
        _ => {}
    }
    let kernel = match &args.kernel {
        Some(p) => Some(std::fs::read(p).with_context(|| format!("cannot read kernel '{}'", p.display()))?),
        None => None,
    };
    let read = |p: &Option<PathBuf>, what: &str| -> Result<Option<Vec<u8>>> {
        match p {
            Some(p) => Ok(Some(std::fs::read(p).with_context(|| format!("cannot read {what} '{}'", p.display()))?)),
            None => Ok(None),
        }
    };
    let initrd = read(&args.initrd, "initrd")?;
    let dtb = read(&args.dtb, "device tree")?;
    let flags = args.log.unwrap_or_default();
    let tracer = if flags == LogFlags::default() {
        Tracer::off()
    } else {
        let out: Box<dyn Write> = match &args.log_file {
            Some(p) => Box::new(std::io::BufWriter::new(
                std::fs::File::create(p).with_context(|| format!("cannot create log file '{}'", p.display()))?,
            )),
            None => Box::new(std::io::stderr()),
        };
        Tracer::new(flags, out, Some(disasm::for_board(&args.machine)))
    };
    let jit = chimera_jit::JitConfig {
        opt_level: args.jit_opt.clone(),
        regalloc: args.jit_regalloc.clone(),
        verifier: args.jit_verify,
        chaining: !args.no_chain,
        background: !args.jit_sync,
        ..Default::default()
    };
    let jit = chimera_jit::JitConfig {
        hot_threshold: args.jit_hot.unwrap_or(jit.hot_threshold),
        promote_threshold: args.jit_promote.unwrap_or(jit.promote_threshold),
        ..jit
    };
    if args.raw_address.is_some() && kernel.is_none() {
        bail!("--raw-address needs --kernel");
    }
    let mut input = StdinInput(console::Console::new());
    // A guest reset (PSCI SYSTEM_RESET) starts a new machine from the same
    // configuration, as QEMU resets its board, unless --no-reboot.
    let (machine, stop) = loop {
        let cfg = BoardConfig {
            memory: args.memory,
            cpu: args.cpu.clone(),
            kernel: kernel.clone(),
            raw_address: args.raw_address,
            initrd: initrd.clone(),
            append: args.append.clone(),
            dtb: dtb.clone(),
            serial_out: Box::new(std::io::stdout()),
            tracer: tracer.clone(),
            jit: jit.clone(),
        };
        let mut machine = match chimera_machine::build(&args.machine, cfg) {
            Ok(m) => m,
            Err(e) => {
                input.0.restore();
                let what = args.kernel.as_ref().map(|p| format!("'{}': ", p.display())).unwrap_or_default();
                bail!("{what}{e}");
            }
        };
        if let Some(path) = &args.dump_dtb {
            input.0.restore();
            let Some(dtb) = machine.dtb() else { bail!("--dump-dtb: the guest is not a Linux kernel, so the board makes no device tree") };
            std::fs::write(path, dtb).with_context(|| format!("cannot write '{}'", path.display()))?;
            return Ok(ExitCode::SUCCESS);
        }
        let stop = machine.run(&mut input);
        if stop != Stop::Reset || args.no_reboot {
            break (machine, stop);
        }
    };
    input.0.restore();
    let _ = std::io::stdout().flush();
    if args.stats {
        let s = machine.jit_stats();
        let ms = |ns: u64| ns as f64 / 1e6;
        eprintln!(
            "chimera: {} guest instructions executed; {} blocks ({} guest insns) translated in {:.1} ms; {} regions ({} blocks) compiled, {} of them again optimised: {:.1} ms quick, {:.1} ms optimising; {} interpreted block runs, {} loop entries, {} blocks invalidated, {} cache flushes",
            machine.guest_instructions(),
            s.blocks,
            s.guest_insns,
            ms(s.translate_ns),
            s.compiled,
            s.region_blocks,
            s.promoted,
            ms(s.quick_ns),
            ms(s.optimise_ns),
            s.interpreted,
            s.loop_entries,
            s.invalidated,
            s.flushes
        );
    }
    Ok(match stop {
        Stop::PowerOff | Stop::Reset | Stop::Quit => ExitCode::SUCCESS,
        Stop::Crash(why) => {
            eprintln!("chimera: guest crashed: {why}\n{}", machine.dump_registers());
            ExitCode::from(3)
        }
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let r = match cli.command {
        Command::Machines => {
            for (name, what) in BOARDS {
                println!("{name:<8} {what}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Run(args) => run(args),
    };
    match r {
        Ok(code) => code,
        Err(e) => {
            eprintln!("chimera: {e:#}");
            ExitCode::FAILURE
        }
    }
}
