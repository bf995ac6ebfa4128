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
    run_chimera(args, Stdio::null(), limit)
}

/// Run `chimera` with `args` and `stdin`, killed after `limit`.
fn run_chimera(args: &[&str], stdin: Stdio, limit: Duration) -> Outcome {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chimera"))
        .args(args)
        .current_dir(root())
        .stdin(stdin)
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

/// Path of a committed guest binary: `tests/{dir}/bin/{name}.elf`.
pub fn guest(dir: &str, name: &str) -> String {
    let p: &Path = &root().join("tests").join(dir).join("bin").join(format!("{name}.elf"));
    p.to_string_lossy().into_owned()
}

/// First line where `got` and `want` differ, numbered from 1, with both texts.
pub fn first_difference(want: &[u8], got: &[u8]) -> String {
    let want = String::from_utf8_lossy(want);
    let got = String::from_utf8_lossy(got);
    let (mut w, mut g) = (want.lines(), got.lines());
    let mut n = 1;
    loop {
        match (w.next(), g.next()) {
            (Some(a), Some(b)) if a == b => n += 1,
            (None, None) => return "no line differs (line endings?)".into(),
            (a, b) => {
                return format!("line {n}:\n  QEMU:    {}\n  Chimera: {}", a.unwrap_or("<end>"), b.unwrap_or("<end>"));
            }
        }
    }
}

/// The serial input of the guest `--kernel DIR/bin/NAME.elf` in `args`:
/// the file DIR/NAME.input (beside NAME.c) if there is one, the input
/// tests/guests/scripts.sh (`record_golden`) gave it on QEMU.
fn guest_input(args: &[&str]) -> Option<PathBuf> {
    let elf = Path::new(*args.iter().skip_while(|a| **a != "--kernel").nth(1)?);
    let input = elf.parent()?.parent()?.join(elf.file_stem()?).with_extension("input");
    input.exists().then_some(input)
}

/// Run `chimera` with `args` and require exit status 0 and exactly the bytes
/// of the golden file `golden` (relative to the repository root). The
/// guest's serial input is its `NAME.input` file, if it has one.
pub fn check_golden(golden: &str, args: &[&str]) {
    let path = root().join(golden);
    let want = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let limit = Duration::from_secs(60);
    let out = match guest_input(args) {
        Some(input) => {
            let file = std::fs::File::open(&input).unwrap_or_else(|e| panic!("{}: {e}", input.display()));
            run_chimera(args, Stdio::from(file), limit)
        }
        None => chimera(args, limit),
    };
    assert_eq!(
        out.status,
        Some(0),
        "{args:?}: exit status {:?}\nstderr:\n{}\nstdout:\n{}",
        out.status,
        out.stderr,
        String::from_utf8_lossy(&out.stdout)
    );
    if out.stdout != want {
        panic!(
            "{args:?}: output differs from QEMU's ({} lines expected, {} got; expected output in {})\n\
             first difference at {}\n--- stderr\n{}",
            want.split(|&b| b == b'\n').count() - 1,
            out.stdout.split(|&b| b == b'\n').count() - 1,
            path.display(),
            first_difference(&want, &out.stdout),
            out.stderr
        );
    }
}

/// The names of the files in `dir` (relative to the repository root) that
/// end in `suffix`, without it, sorted.
fn stems(dir: &str, suffix: &str) -> Vec<String> {
    let path = root().join(dir);
    let mut names: Vec<String> = std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .filter_map(|e| e.ok()?.file_name().into_string().ok()?.strip_suffix(suffix).map(str::to_owned))
        .collect();
    names.sort();
    names
}

/// Every guest of `tests/{dir}` (each `NAME.c` but the runtime's `lib.c`)
/// has its committed binary `bin/NAME.elf` and every binary a source; each is
/// either run by a test (`tested`, with its golden file
/// `{golden_dir}/NAME.golden`) or named in `not_run` with the reason.
pub fn check_every_guest_is_listed(dir: &str, golden_dir: &str, tested: &[&str], not_run: &[(&str, &str)]) {
    let sources: Vec<String> = stems(&format!("tests/{dir}"), ".c").into_iter().filter(|s| s != "lib").collect();
    let binaries = stems(&format!("tests/{dir}/bin"), ".elf");
    let listed: Vec<&str> = tested.iter().copied().chain(not_run.iter().map(|(name, _)| *name)).collect();
    let mut problems = Vec::new();
    for s in &sources {
        if !binaries.contains(s) {
            problems.push(format!("{s}.c has no bin/{s}.elf (run tests/{dir}/build.sh)"));
        }
        if !listed.contains(&s.as_str()) {
            problems.push(format!("{s}: no test runs it (add one, or name it with the reason among those not run)"));
        }
    }
    for b in binaries.iter().filter(|b| !sources.contains(b)) {
        problems.push(format!("bin/{b}.elf has no source {b}.c"));
    }
    for name in listed.iter().filter(|n| !sources.iter().any(|s| s == *n)) {
        problems.push(format!("{name} is listed but tests/{dir} has no {name}.c"));
    }
    for name in tested {
        if !root().join(format!("{golden_dir}/{name}.golden")).exists() {
            problems.push(format!("{name}: no {golden_dir}/{name}.golden (run tests/{dir}/golden.sh)"));
        }
    }
    assert!(problems.is_empty(), "tests/{dir}:\n{}", problems.join("\n"));
}

/// One `#[test]` per guest program, `test: runner("name")` running
/// bin/name.elf, and `TESTED`, the names they run (for
/// [`check_every_guest_is_listed`]).
#[allow(unused_macros)]
macro_rules! guest_tests {
    ($($(#[$attr:meta])* $test:ident: $run:ident($name:literal),)*) => {
        $( $(#[$attr])* #[test] fn $test() { $run($name) } )*
        /// The programs the tests above run.
        const TESTED: &[&str] = &[$($name),*];
    };
}
