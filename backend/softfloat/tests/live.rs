//! Runs the oracle live under qemu-aarch64 (ignored by default):
//!
//! ```text
//! CHIMERA_SF_COUNT=20000 CHIMERA_SF_SEED=7 cargo test -p chimera-softfloat --test live -- --ignored --nocapture
//! ```
//!
//! CHIMERA_SF_OPS restricts the operations (comma-separated names). Every
//! operation run must yield exactly CHIMERA_SF_COUNT vectors, so a short
//! oracle stream cannot pass for a checked one. .ci/oracles.sh runs a bounded
//! batch with a seed other than the committed vectors' 20240601.

mod common;

use std::path::Path;
use std::process::Command;

#[test]
#[ignore]
fn live_oracle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let st = Command::new("sh")
        .arg(root.join("oracle/gen.sh"))
        .arg("build")
        .status()
        .expect("sh");
    assert!(st.success(), "oracle build failed");
    let bin = root.join("oracle/build/oracle");
    let count: u64 = std::env::var("CHIMERA_SF_COUNT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20000);
    let seed: u64 = std::env::var("CHIMERA_SF_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let only: Option<Vec<String>> = std::env::var("CHIMERA_SF_OPS")
        .ok()
        .map(|v| v.split(',').map(String::from).collect());
    let list = Command::new("qemu-aarch64")
        .arg(&bin)
        .arg("list")
        .output()
        .expect("qemu-aarch64");
    let list = String::from_utf8(list.stdout).unwrap();
    let (mut ops, mut total, mut bad) = (0, 0, 0);
    for line in list.lines() {
        let mut w = line.split(' ');
        let (name, fp16) = (w.next().unwrap(), w.next().unwrap() == "1");
        if only.as_ref().is_some_and(|o| !o.iter().any(|x| x == name)) {
            continue;
        }
        let cpu = if fp16 { "max" } else { "cortex-a57" };
        let out = Command::new("qemu-aarch64")
            .args(["-cpu", cpu])
            .arg(&bin)
            .arg(name)
            .arg(count.to_string())
            .arg(seed.to_string())
            .output()
            .unwrap();
        assert!(out.status.success(), "oracle {name} failed");
        let s = common::parse(&out.stdout);
        let (n, b) = common::check(&s, 10);
        eprintln!("{name}: {n} vectors, {b} mismatches");
        assert_eq!(n as u64, count, "{name}: oracle wrote {n} vectors");
        ops += 1;
        total += n;
        bad += b;
    }
    eprintln!("live: {ops} operations, {total} vectors, seed {seed}, {bad} mismatches");
    if let Some(o) = &only {
        assert_eq!(ops, o.len(), "CHIMERA_SF_OPS names an unknown operation");
    }
    assert!(ops > 0, "oracle listed no operations");
    assert_eq!(bad, 0);
}
