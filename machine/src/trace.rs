//! `--log` tracing: which events are traced and where the lines go.

use std::cell::RefCell;
use std::fmt;
use std::io::Write;
use std::rc::Rc;

/// The trace categories, QEMU `-d` style.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LogFlags {
    /// Guest code as it is translated, disassembled.
    pub in_asm: bool,
    /// Host code of each block as Cranelift compiles it.
    pub out_asm: bool,
    /// Every block entered from the execution loop (chaining is turned off).
    pub exec: bool,
    /// Exceptions and interrupts taken.
    pub int: bool,
    /// Undefined or unimplemented instructions.
    pub unimp: bool,
    /// Guest accesses to unmapped memory and unimplemented device registers.
    pub guest_errors: bool,
}

impl LogFlags {
    /// Names accepted by [`LogFlags::parse`].
    pub const NAMES: [&'static str; 6] = ["in_asm", "out_asm", "exec", "int", "unimp", "guest_errors"];

    /// Parse a comma-separated list such as `in_asm,int`.
    pub fn parse(s: &str) -> Result<LogFlags, String> {
        let mut f = LogFlags::default();
        for name in s.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match name {
                "in_asm" => f.in_asm = true,
                "out_asm" => f.out_asm = true,
                "exec" => f.exec = true,
                "int" => f.int = true,
                "unimp" => f.unimp = true,
                "guest_errors" => f.guest_errors = true,
                other => {
                    return Err(format!("unknown log item '{other}' (known: {})", LogFlags::NAMES.join(", ")));
                }
            }
        }
        Ok(f)
    }
}

/// Turns guest code bytes at an address into disassembly lines.
pub type Disassembler = Box<dyn Fn(&[u8], u64) -> Vec<String>>;

/// A cheap, clonable handle on the trace sink.
#[derive(Clone)]
pub struct Tracer {
    inner: Option<Rc<RefCell<TraceSink>>>,
    /// Enabled categories.
    pub flags: LogFlags,
}

struct TraceSink {
    out: Box<dyn Write>,
    disasm: Option<Disassembler>,
}

impl Tracer {
    /// No tracing.
    pub fn off() -> Tracer {
        Tracer { inner: None, flags: LogFlags::default() }
    }

    /// Trace `flags` to `out`, disassembling with `disasm` for `in_asm`.
    pub fn new(flags: LogFlags, out: Box<dyn Write>, disasm: Option<Disassembler>) -> Tracer {
        Tracer { inner: Some(Rc::new(RefCell::new(TraceSink { out, disasm }))), flags }
    }

    fn line(&self, args: fmt::Arguments<'_>) {
        if let Some(s) = &self.inner {
            let mut s = s.borrow_mut();
            // Tracing must not fail the guest; a broken log pipe loses lines.
            let _ = writeln!(s.out, "{args}");
        }
    }

    /// A `guest_errors` line.
    pub fn guest_error(&self, args: fmt::Arguments<'_>) {
        if self.flags.guest_errors {
            self.line(format_args!("guest_errors: {args}"));
        }
    }

    /// An `int` line.
    pub fn int(&self, args: fmt::Arguments<'_>) {
        if self.flags.int {
            self.line(format_args!("int: {args}"));
        }
    }

    /// An `unimp` line.
    pub fn unimp(&self, args: fmt::Arguments<'_>) {
        if self.flags.unimp {
            self.line(format_args!("unimp: {args}"));
        }
    }

    /// An `exec` line.
    pub fn exec(&self, pc: u64) {
        if self.flags.exec {
            self.line(format_args!("exec: {pc:#018x}"));
        }
    }

    /// `out_asm`: the IR and host code of a block Cranelift compiled.
    pub fn out_asm(&self, ir: &dyn fmt::Display, host: &str) {
        if self.flags.out_asm {
            self.line(format_args!("OUT: {ir}{host}"));
        }
    }

    /// `in_asm`: the guest code of a new block.
    pub fn in_asm(&self, pc: u64, bytes: &[u8]) {
        if !self.flags.in_asm {
            return;
        }
        if let Some(s) = &self.inner {
            let mut s = s.borrow_mut();
            let lines = match &s.disasm {
                Some(d) => d(bytes, pc),
                None => bytes.chunks(4).enumerate().map(|(i, c)| format!("{:#x}: {:02x?}", pc + 4 * i as u64, c)).collect(),
            };
            let _ = writeln!(s.out, "IN: {pc:#x}");
            for l in lines {
                let _ = writeln!(s.out, "  {l}");
            }
        }
    }
}
