//! Rough timings of the soft and host paths (ignored by default):
//! `cargo test --release -p chimera-softfloat --test bench -- --ignored --nocapture`.

use chimera_softfloat::{flags, Fmt, Fpu, Round};
use std::hint::black_box;
use std::time::Instant;

fn time(name: &str, preset: u32, op: impl Fn(&mut Fpu, u64, u64) -> u64) {
    let n: u64 = std::env::var("BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000_000);
    let mut u = Fpu::arm(0);
    let mut acc = 0u64;
    let t = Instant::now();
    for i in 0..n {
        u.flags = preset;
        // Normal operands with varying low bits.
        let a = 0x3ff0_0000_0000_0000 | (i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 12);
        let b = 0x4000_0000_0000_0000 | (i.wrapping_mul(0xc2b2_ae3d_27d4_eb4f) >> 12);
        acc ^= op(&mut u, black_box(a), black_box(b));
    }
    let ns = t.elapsed().as_nanos() as f64 / n as f64;
    black_box(acc);
    eprintln!("{name:28} {ns:6.1} ns/op");
}

#[test]
#[ignore]
fn bench() {
    for (tag, pre) in [("no IXC", 0), ("IXC set", flags::IXC)] {
        time(&format!("add.d {tag}"), pre, |u, a, b| u.add(Fmt::D, a, b));
        time(&format!("mul.d {tag}"), pre, |u, a, b| u.mul(Fmt::D, a, b));
        time(&format!("div.d {tag}"), pre, |u, a, b| u.div(Fmt::D, a, b));
        time(&format!("sqrt.d {tag}"), pre, |u, a, _| u.sqrt(Fmt::D, a));
        time(&format!("fma.d {tag}"), pre, |u, a, b| {
            u.mul_add(Fmt::D, a, a, b)
        });
        time(&format!("add.s {tag}"), pre, |u, a, b| {
            u.add(Fmt::S, a >> 32, b >> 32)
        });
        time(&format!("mul.s {tag}"), pre, |u, a, b| {
            u.mul(Fmt::S, a >> 32, b >> 32)
        });
    }
    time("cvt d->s", 0, |u, a, _| u.convert(Fmt::D, Fmt::S, a));
    time("to_int d", 0, |u, a, _| {
        u.to_int(Fmt::D, a, Round::Zero, true, 64, 0)
    });
    time("from_int d", 0, |u, a, _| {
        u.from_int(Fmt::D, a, true, 64, 0)
    });
    time("compare d", 0, |u, a, b| {
        u.compare(Fmt::D, a, b, false) as u64
    });
}
