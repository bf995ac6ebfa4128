//! Replays test vectors recorded from QEMU 7.2 (`qemu-aarch64 -cpu
//! cortex-a57`) by oracle/run.py and checks `execute` against them exactly.
//!
//! Line format (see oracle/run.py):
//! `GROUP INSN FPCR rN=HEX32 ... -> d=HEX32 fpsr=HEX8` or `... -> undef`.
//! Registers not listed hold [`fill`].
//!
//! - `committed`: tests/data/vectors.txt.
//! - `live` (ignored): the file named by `SIMD_VECTORS`, e.g. a large set
//!   from `oracle/run.py live N SEED FILE`.
//! - `random_words`: a million random words of the AdvSIMD space must not
//!   panic, and only `Done` may change the state.

use chimera_aarch64_simd::{execute, Exec, SimdState};

/// The content of a register a case does not list (mirrors `fill` in run.py).
fn fill(n: usize) -> u128 {
    let mut b = [0u8; 16];
    for (k, x) in b.iter_mut().enumerate() {
        *x = (0x40 + 7 * n + 13 * k) as u8;
    }
    u128::from_le_bytes(b)
}

fn set(s: &mut SimdState, r: usize, v: u128) {
    s.v[r] = [v as u64, (v >> 64) as u64];
}

fn get(s: &SimdState, r: usize) -> u128 {
    (u128::from(s.v[r][1]) << 64) | u128::from(s.v[r][0])
}

/// DUP (general), INS (general), SMOV, UMOV: the translator's.
fn is_general_copy(w: u32) -> bool {
    w & 0x9fe0_8400 == 0x0e00_0400 && (w >> 29) & 1 == 0 && matches!((w >> 11) & 15, 1 | 3 | 5 | 7)
}

/// Checks every case of `text`; returns (cases, failures) and prints the
/// first failures of each group.
fn replay(text: &str) -> (usize, Vec<String>) {
    let mut fails = Vec::new();
    let mut count = 0;
    let mut per_group: std::collections::HashMap<String, usize> = Default::default();
    for (lineno, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        count += 1;
        let (lhs, rhs) = line.split_once(" -> ").unwrap_or_else(|| panic!("line {}: no ->", lineno + 1));
        let mut it = lhs.split_whitespace();
        let group = it.next().unwrap();
        let insn = u32::from_str_radix(it.next().unwrap(), 16).unwrap();
        let fpcr = u32::from_str_radix(it.next().unwrap(), 16).unwrap();
        let mut s = SimdState { fpcr, ..Default::default() };
        for r in 0..32 {
            set(&mut s, r, fill(r));
        }
        let mut inputs = Vec::new();
        for reg in it {
            let (r, v) = reg.split_once('=').unwrap();
            let r: usize = r[1..].parse().unwrap();
            let v = u128::from_str_radix(v, 16).unwrap();
            set(&mut s, r, v);
            inputs.push((r, v));
        }
        let before = s.clone();
        let got = execute(&mut s, insn);
        let d = (insn & 31) as usize;
        let mut problem = None;
        if got == Exec::NotHandled && is_general_copy(insn) {
            continue;
        }
        if rhs.trim() == "undef" {
            if got != Exec::Undefined {
                problem = Some(format!("expected UNDEFINED, got {got:?} (d={:032x} fpsr={:08x})", get(&s, d), s.fpsr));
            }
        } else {
            let mut o = rhs.split_whitespace();
            let exp_d = u128::from_str_radix(o.next().unwrap().strip_prefix("d=").unwrap(), 16).unwrap();
            let exp_fpsr = u32::from_str_radix(o.next().unwrap().strip_prefix("fpsr=").unwrap(), 16).unwrap();
            if got != Exec::Done {
                problem = Some(format!("expected d={exp_d:032x} fpsr={exp_fpsr:08x}, got {got:?}"));
            } else if get(&s, d) != exp_d || s.fpsr != exp_fpsr {
                problem = Some(format!(
                    "expected d={exp_d:032x} fpsr={exp_fpsr:08x}\n         got d={:032x} fpsr={:08x}\n        diff   {:032x}",
                    get(&s, d),
                    s.fpsr,
                    get(&s, d) ^ exp_d
                ));
            } else if (0..32).any(|r| r != d && get(&s, r) != get(&before, r)) {
                problem = Some("a register other than Vd changed".to_string());
            }
        }
        if got != Exec::Done && s != before {
            problem = Some(format!("{got:?} changed the state"));
        }
        if let Some(p) = problem {
            let n = per_group.entry(group.to_string()).or_default();
            *n += 1;
            let ins: Vec<String> = inputs.iter().map(|(r, v)| format!("v{r}={v:032x}")).collect();
            fails.push(format!("line {}: {group} insn={insn:08x} fpcr={fpcr:08x}\n    inputs: {}\n    {p}", lineno + 1, ins.join(" ")));
        }
    }
    (count, fails)
}

fn report(count: usize, fails: &[String]) {
    for f in fails.iter().filter(|f| std::env::var("SIMD_SKIP").map_or(true, |k| !f.contains(k.as_str()))).take(usize::MAX) {
        eprintln!("{f}");
    }
    let mut groups: std::collections::BTreeMap<&str, usize> = Default::default();
    for f in fails {
        let g = f.split_whitespace().nth(2).unwrap_or("?");
        *groups.entry(g).or_default() += 1;
    }
    eprintln!("{} of {count} cases failed; by group: {groups:?}", fails.len());
    assert!(fails.is_empty());
}

#[test]
fn committed() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/vectors.txt");
    let text = std::fs::read_to_string(path).expect("tests/data/vectors.txt (regenerate with oracle/run.py regen)");
    let (count, fails) = replay(&text);
    // Exactly what `run.py regen` writes: a lost or added line is an edit.
    assert_eq!(count, 10_822, "tests/data/vectors.txt: want 10,822 cases");
    report(count, &fails);
}

#[test]
#[ignore]
fn live() {
    let path = std::env::var("SIMD_VECTORS").expect("SIMD_VECTORS=file from oracle/run.py live");
    let text = std::fs::read_to_string(&path).unwrap();
    let (count, fails) = replay(&text);
    eprintln!("checked {count} cases from {path}");
    report(count, &fails);
}

#[test]
fn random_words() {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut s = SimdState::default();
    for r in 0..32 {
        set(&mut s, r, (u128::from(next()) << 64) | u128::from(next()));
    }
    for i in 0..1_000_000u32 {
        let r = next();
        // Bits 27:25 = 111; bit 28 = 0 or bit 30 = 1.
        let mut w = (r as u32) | (7 << 25);
        if i % 2 == 0 {
            w &= !(1 << 28);
        } else {
            w |= 1 << 30;
        }
        s.fpcr = (r >> 32) as u32 & 0x07c0_0000;
        let before = s.clone();
        match execute(&mut s, w) {
            Exec::Done => {}
            Exec::NotHandled => {
                assert!(is_general_copy(w), "{w:08x} NotHandled");
                assert_eq!(s, before);
            }
            Exec::Undefined => assert_eq!(s, before, "{w:08x}"),
        }
        s.fpsr = 0;
    }
}
