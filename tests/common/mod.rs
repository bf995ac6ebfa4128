//! Running the `chimera` binary from integration tests.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What a run of the binary produced.
pub struct Outcome {
    pub status: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run `chimera` with `args`, stdin from /dev/null, killed after `limit`.
pub fn chimera(args: &[&str], limit: Duration) -> Outcome {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chimera"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn chimera");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        out.read_to_end(&mut v).unwrap();
        v
    });
    let t_err = std::thread::spawn(move || {
        let mut v = String::new();
        err.read_to_string(&mut v).unwrap();
        v
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s.code();
        }
        if start.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Outcome { status, stdout: t_out.join().unwrap(), stderr: t_err.join().unwrap() }
}

/// Path of a committed guest binary.
pub fn guest(arch: &str, name: &str) -> String {
    let p: &Path = &root().join("tests/guests").join(arch).join("bin").join(format!("{name}.elf"));
    p.to_string_lossy().into_owned()
}
