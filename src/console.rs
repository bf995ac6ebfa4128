//! The guest's serial console on the host's stdin and stdout.
//!
//! When stdin is a terminal it is put in raw mode, so that every key
//! (Ctrl-C included) reaches the guest, and Ctrl-A starts an escape sequence
//! for the emulator itself, as in QEMU's `-nographic`: Ctrl-A x quits,
//! Ctrl-A h prints help, Ctrl-A Ctrl-A sends a Ctrl-A to the guest. The
//! saved terminal settings are restored when the [`Console`] is dropped or
//! [`Console::restore`]d, when Chimera panics, and when it is killed by
//! SIGTERM, SIGINT or SIGHUP.
//!
//! When stdin is not a terminal (a pipe or a file), bytes pass through
//! unchanged and the end of input is reported as [`ConsoleInput::Eof`].

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Once, OnceLock};

/// The escape character, Ctrl-A.
const ESCAPE: u8 = 0x01;

/// Printed for Ctrl-A h. The terminal is raw, so lines end in CR LF.
const HELP: &str = "C-a h    print this help\r\nC-a x    exit emulator\r\nC-a C-a  send C-a\r\n";

/// Something that arrived on the console.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsoleInput {
    /// A byte for the guest.
    Byte(u8),
    /// The user asked to leave the emulator (Ctrl-A x).
    Quit,
    /// Stdin reached its end (only when stdin is not a terminal).
    Eof,
}

/// What one input byte means once escape sequences are interpreted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EscapeAction {
    /// Pass this byte to the guest.
    Send(u8),
    /// Leave the emulator.
    Quit,
    /// Show the escape key help.
    Help,
}

/// The Ctrl-A escape state machine, free of any I/O.
///
/// After Ctrl-A: `x` quits, `h` or `?` asks for help, a second Ctrl-A sends
/// one Ctrl-A, and any other key is swallowed, as QEMU's character-device
/// multiplexer does.
#[derive(Clone, Debug, Default)]
pub struct EscapeParser {
    after_escape: bool,
}

impl EscapeParser {
    /// A parser outside any escape sequence.
    pub fn new() -> EscapeParser {
        EscapeParser::default()
    }

    /// Feeds one byte from the terminal; `None` when the byte is consumed
    /// by an escape sequence.
    pub fn feed(&mut self, byte: u8) -> Option<EscapeAction> {
        if !self.after_escape {
            if byte == ESCAPE {
                self.after_escape = true;
                return None;
            }
            return Some(EscapeAction::Send(byte));
        }
        self.after_escape = false;
        match byte {
            ESCAPE => Some(EscapeAction::Send(ESCAPE)),
            b'x' => Some(EscapeAction::Quit),
            b'h' | b'?' => Some(EscapeAction::Help),
            _ => None,
        }
    }
}

/// The terminal settings from before raw mode, for every path that must put
/// them back (drop, panic hook, signal handler).
static SAVED_TERMIOS: OnceLock<libc::termios> = OnceLock::new();

/// Whether the terminal is currently in raw mode.
static RAW_MODE: AtomicBool = AtomicBool::new(false);

/// Puts the saved terminal settings back, once. Async-signal-safe: an
/// atomic swap, a lock-free read of an initialised `OnceLock`, and
/// `tcsetattr`, which POSIX lists as async-signal-safe.
fn restore_terminal() {
    if RAW_MODE.swap(false, Ordering::SeqCst) {
        if let Some(saved) = SAVED_TERMIOS.get() {
            // SAFETY: `saved` points to a valid termios; fd 0 is stdin.
            unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, saved) };
        }
    }
}

/// Restores the terminal, then dies of the same signal with its default
/// action (the handler was installed with `SA_RESETHAND`, so the default is
/// back, and with `SA_NODEFER`, so the signal is not blocked here).
extern "C" fn restore_and_reraise(signal: libc::c_int) {
    restore_terminal();
    // SAFETY: raise is async-signal-safe.
    unsafe { libc::raise(signal) };
}

/// Installs the panic hook and the signal handlers that restore the
/// terminal; done once per process.
fn install_restore_hooks() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
        }));
        for signal in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
            // SAFETY: the sigaction structs are zero-initialised plain data,
            // filled in before use, and the handler only does
            // async-signal-safe work.
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = restore_and_reraise as extern "C" fn(libc::c_int) as usize;
                action.sa_flags = libc::SA_RESETHAND | libc::SA_NODEFER;
                libc::sigemptyset(&mut action.sa_mask);
                let mut old: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(signal, &action, &mut old) == 0
                    && old.sa_sigaction == libc::SIG_IGN
                {
                    // A signal the user chose to ignore (`nohup`) stays ignored.
                    libc::sigaction(signal, &old, std::ptr::null_mut());
                }
            }
        }
    });
}

/// Switches stdin's terminal to raw mode; `false` if it cannot be done.
///
/// The settings are QEMU's for its stdio character device
/// (`chardev/char-stdio.c`): no input translation, no echo, no canonical
/// line editing, no signal keys, 8-bit characters, reads return each byte.
/// Output post-processing stays on as QEMU leaves it, so a guest writing a
/// bare "\n" still starts a new line.
fn enter_raw_mode() -> bool {
    // SAFETY: termios is plain data and tcgetattr fills it in on success.
    let mut termios: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: fd 0 is stdin; `termios` is a valid out-pointer.
    if unsafe { libc::tcgetattr(libc::STDIN_FILENO, &mut termios) } != 0 {
        return false;
    }
    let saved = *SAVED_TERMIOS.get_or_init(|| termios);
    let mut raw = saved;
    raw.c_iflag &= !(libc::IGNBRK
        | libc::BRKINT
        | libc::PARMRK
        | libc::ISTRIP
        | libc::INLCR
        | libc::IGNCR
        | libc::ICRNL
        | libc::IXON);
    raw.c_oflag |= libc::OPOST;
    raw.c_lflag &= !(libc::ECHO | libc::ECHONL | libc::ICANON | libc::IEXTEN | libc::ISIG);
    raw.c_cflag &= !(libc::CSIZE | libc::PARENB);
    raw.c_cflag |= libc::CS8;
    raw.c_cc[libc::VMIN] = 1;
    raw.c_cc[libc::VTIME] = 0;
    install_restore_hooks();
    RAW_MODE.store(true, Ordering::SeqCst);
    // SAFETY: fd 0 is stdin; `raw` is a valid termios.
    if unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &raw) } != 0 {
        RAW_MODE.store(false, Ordering::SeqCst);
        return false;
    }
    true
}

/// Reads stdin until it ends or the console is dropped, sending what it
/// means to `tx`.
fn read_stdin(tx: Sender<ConsoleInput>, interpret_escapes: bool) {
    let mut stdin = std::io::stdin().lock();
    let mut parser = EscapeParser::new();
    let mut buf = [0u8; 256];
    loop {
        let n = match stdin.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        for &byte in &buf[..n] {
            let input = if interpret_escapes {
                match parser.feed(byte) {
                    None => continue,
                    Some(EscapeAction::Send(b)) => ConsoleInput::Byte(b),
                    Some(EscapeAction::Quit) => ConsoleInput::Quit,
                    Some(EscapeAction::Help) => {
                        eprint!("{HELP}");
                        continue;
                    }
                }
            } else {
                ConsoleInput::Byte(byte)
            };
            if tx.send(input).is_err() {
                return;
            }
        }
    }
    let _ = tx.send(ConsoleInput::Eof);
}

/// The console: stdin in raw mode (when a terminal) read by a background
/// thread.
pub struct Console {
    rx: Receiver<ConsoleInput>,
    raw: bool,
}

impl Console {
    /// Takes over stdin: raw mode and escape keys when it is a terminal,
    /// plain pass-through otherwise.
    pub fn new() -> Console {
        // SAFETY: isatty only inspects the descriptor.
        let is_tty = unsafe { libc::isatty(libc::STDIN_FILENO) } == 1;
        let raw = is_tty && enter_raw_mode();
        let (tx, rx) = mpsc::channel();
        // The reader blocks in read(2); it is left to end with the process.
        let spawned = std::thread::Builder::new()
            .name("console-stdin".into())
            .spawn(move || read_stdin(tx, is_tty));
        if spawned.is_err() {
            // Without a reader there is no input; the receiver reports nothing.
            eprintln!("chimera: cannot start the console input thread; guest input is disabled");
        }
        Console { rx, raw }
    }

    /// The next input, if any arrived, without blocking.
    pub fn try_recv(&self) -> Option<ConsoleInput> {
        self.rx.try_recv().ok()
    }

    /// Puts the terminal back as it was before raw mode; safe to call more
    /// than once.
    pub fn restore(&self) {
        if self.raw {
            restore_terminal();
        }
    }
}

impl Default for Console {
    fn default() -> Self {
        Console::new()
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        self.restore();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed_all(parser: &mut EscapeParser, bytes: &[u8]) -> Vec<EscapeAction> {
        bytes.iter().filter_map(|&b| parser.feed(b)).collect()
    }

    #[test]
    fn plain_bytes_pass_through() {
        let mut p = EscapeParser::new();
        assert_eq!(
            feed_all(&mut p, b"ls\r\x03\x1b[A"),
            b"ls\r\x03\x1b[A"
                .iter()
                .map(|&b| EscapeAction::Send(b))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn escape_keys() {
        let mut p = EscapeParser::new();
        assert_eq!(feed_all(&mut p, b"\x01x"), vec![EscapeAction::Quit]);
        assert_eq!(feed_all(&mut p, b"\x01h"), vec![EscapeAction::Help]);
        assert_eq!(feed_all(&mut p, b"\x01?"), vec![EscapeAction::Help]);
        assert_eq!(
            feed_all(&mut p, b"\x01\x01"),
            vec![EscapeAction::Send(0x01)]
        );
        assert_eq!(
            feed_all(&mut p, b"a\x01\x01\x01x"),
            vec![
                EscapeAction::Send(b'a'),
                EscapeAction::Send(0x01),
                EscapeAction::Quit
            ]
        );
    }

    #[test]
    fn unknown_escape_is_swallowed() {
        let mut p = EscapeParser::new();
        assert_eq!(feed_all(&mut p, b"\x01zq"), vec![EscapeAction::Send(b'q')]);
        assert_eq!(feed_all(&mut p, b"x"), vec![EscapeAction::Send(b'x')]);
    }

    #[test]
    fn help_text() {
        assert_eq!(HELP.lines().count(), 3);
        assert!(HELP.ends_with("\r\n"));
    }
}
