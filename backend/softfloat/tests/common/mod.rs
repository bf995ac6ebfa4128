//! Replaying oracle vectors (see `oracle/oracle.c` for the format).

#![allow(dead_code)]

use chimera_softfloat::{
    flags, unsigned_recip_estimate, unsigned_rsqrt_estimate, Cmp, Fmt, Fpu, Round,
};

/// One decoded record.
pub struct Rec {
    pub fpcr: u8,
    pub extra: u8,
    pub fbits: u8,
    pub flags: u8,
    pub ins: [u64; 3],
    pub out: u64,
}

/// A vector stream: its operation and records.
pub struct Stream {
    pub op: String,
    pub nin: usize,
    pub isz: usize,
    pub osz: usize,
    pub recs: Vec<Rec>,
}

fn le(b: &[u8]) -> u64 {
    b.iter().rev().fold(0, |v, &x| (v << 8) | x as u64)
}

/// Parse a vector stream (header line and records).
pub fn parse(data: &[u8]) -> Stream {
    let nl = data.iter().position(|&b| b == b'\n').expect("header");
    let header = std::str::from_utf8(&data[..nl]).unwrap();
    let w: Vec<&str> = header.split(' ').collect();
    assert_eq!(w[0], "CHIMERA-SF", "bad header {header}");
    let op = w[1].to_string();
    let (nin, isz, osz): (usize, usize, usize) = (
        w[2].parse().unwrap(),
        w[3].parse().unwrap(),
        w[4].parse().unwrap(),
    );
    let rl = 4 + nin * isz + osz;
    let body = &data[nl + 1..];
    assert_eq!(body.len() % rl, 0, "{op}: truncated stream");
    let recs = body
        .chunks(rl)
        .map(|c| {
            let mut ins = [0u64; 3];
            for (k, v) in ins.iter_mut().enumerate().take(nin) {
                *v = le(&c[4 + k * isz..4 + (k + 1) * isz]);
            }
            Rec {
                fpcr: c[0],
                extra: c[1],
                fbits: c[2],
                flags: c[3],
                ins,
                out: le(&c[4 + nin * isz..]),
            }
        })
        .collect();
    Stream {
        op,
        nin,
        isz,
        osz,
        recs,
    }
}

/// The FPCR register value of the record's compact controls.
pub fn fpcr_of(small: u8) -> u32 {
    let s = small as u32;
    ((s & 3) << 22) | ((s >> 2 & 1) << 24) | ((s >> 3 & 1) << 25) | ((s >> 4 & 1) << 26)
}

fn fmt(c: &str) -> Fmt {
    match c {
        "h" => Fmt::H,
        "s" => Fmt::S,
        "d" => Fmt::D,
        _ => panic!("format {c}"),
    }
}

fn sign(f: Fmt) -> u64 {
    match f {
        Fmt::H => 1 << 15,
        Fmt::S => 1 << 31,
        Fmt::D => 1 << 63,
    }
}

fn rmode(i: u8) -> Round {
    match i {
        0 => Round::NearestEven,
        1 => Round::PlusInf,
        2 => Round::MinusInf,
        3 => Round::Zero,
        _ => Round::NearestAway,
    }
}

/// Run the record's operation on `u`.
pub fn run(op: &str, u: &mut Fpu, r: &Rec) -> u64 {
    let (a, b, c) = (r.ins[0], r.ins[1], r.ins[2]);
    let parts: Vec<&str> = op.split('_').collect();
    match parts.as_slice() {
        ["urecpe"] => unsigned_recip_estimate(a as u32) as u64,
        ["ursqrte"] => unsigned_rsqrt_estimate(a as u32) as u64,
        ["cvtxn", x, y] => u.convert_odd(fmt(x), fmt(y), a),
        ["cvt", x, y] => u.convert(fmt(x), fmt(y), a),
        [name, x] => {
            let f = fmt(x);
            match *name {
                "add" => u.add(f, a, b),
                "sub" => u.sub(f, a, b),
                "mul" => u.mul(f, a, b),
                "div" => u.div(f, a, b),
                "mulx" => u.mulx(f, a, b),
                "max" => u.max(f, a, b),
                "min" => u.min(f, a, b),
                "maxnm" => u.max_num(f, a, b),
                "minnm" => u.min_num(f, a, b),
                "recps" => u.recip_step(f, a, b),
                "rsqrts" => u.rsqrt_step(f, a, b),
                "sqrt" => u.sqrt(f, a),
                "recpe" => u.recip_estimate(f, a),
                "rsqrte" => u.rsqrt_estimate(f, a),
                "recpx" => u.recip_exponent(f, a),
                "madd" => {
                    // Inputs (n, m, a): FMADD a+n*m, FMSUB a-n*m, FNMADD -a-n*m, FNMSUB -a+n*m.
                    let (neg_a, neg_n) = match r.extra {
                        0 => (false, false),
                        1 => (false, true),
                        2 => (true, true),
                        _ => (true, false),
                    };
                    let s = sign(f);
                    u.mul_add(
                        f,
                        if neg_a { c ^ s } else { c },
                        if neg_n { a ^ s } else { a },
                        b,
                    )
                }
                "frint" => {
                    let fpcr_round = u.round;
                    let (round, exact) = match r.extra {
                        0..=4 => (rmode(r.extra), false),
                        5 => (fpcr_round, true),
                        _ => (fpcr_round, false),
                    };
                    u.round_to_int(f, a, round, exact)
                }
                "cmp" => match u.compare(f, a, b, r.extra == 1) {
                    Cmp::Less => 0b1000,
                    Cmp::Equal => 0b0110,
                    Cmp::Greater => 0b0010,
                    Cmp::Unordered => 0b0011,
                },
                "cmpm" => {
                    (match r.extra {
                        0 => u.compare_eq(f, a, b),
                        1 => u.compare_ge(f, a, b),
                        _ => u.compare_gt(f, a, b),
                    }) as u64
                }
                "toint" => {
                    let width = if r.extra >> 4 & 1 != 0 { 64 } else { 32 };
                    u.to_int(
                        f,
                        a,
                        rmode(r.extra & 7),
                        r.extra >> 3 & 1 == 0,
                        width,
                        r.fbits as u32,
                    )
                }
                "fromint" => {
                    let width = if r.extra >> 4 & 1 != 0 { 64 } else { 32 };
                    u.from_int(f, a, r.extra >> 3 & 1 == 0, width, r.fbits as u32)
                }
                _ => panic!("unknown op {op}"),
            }
        }
        _ => panic!("unknown op {op}"),
    }
}

fn flag_names(f: u32) -> String {
    let mut s = String::new();
    for (b, n) in [
        (flags::IOC, "IOC"),
        (flags::DZC, "DZC"),
        (flags::OFC, "OFC"),
        (flags::UFC, "UFC"),
        (flags::IXC, "IXC"),
        (flags::IDC, "IDC"),
    ] {
        if f & b != 0 {
            if !s.is_empty() {
                s.push('|');
            }
            s.push_str(n);
        }
    }
    if s.is_empty() {
        s.push('-');
    }
    s
}

/// Replay a stream; returns (checked, mismatches) and prints up to `show`
/// readable diffs. Each record runs twice: from clear flags (exact flags)
/// and with IXC already set (the host fast path; flags must be the
/// expected ones plus IXC).
pub fn check(s: &Stream, show: usize) -> (usize, usize) {
    let mut bad = 0;
    let w = s.isz * 2;
    let ow = s.osz * 2;
    for r in &s.recs {
        for pre in [0, flags::IXC] {
            let mut u = Fpu::arm(fpcr_of(r.fpcr));
            u.flags = pre;
            let got = run(&s.op, &mut u, r);
            let want_flags = r.flags as u32 | pre;
            if got != r.out || u.flags != want_flags {
                bad += 1;
                if bad <= show {
                    let ins: Vec<String> =
                        r.ins[..s.nin].iter().map(|v| format!("{v:0w$x}")).collect();
                    eprintln!(
                        "MISMATCH {} fpcr={:08x} (rm={} fz={} dn={} ahp={}) extra={} fbits={} preset={} in=[{}]\n    expected {:0ow$x} {}\n    got      {:0ow$x} {}",
                        s.op,
                        fpcr_of(r.fpcr),
                        r.fpcr & 3,
                        r.fpcr >> 2 & 1,
                        r.fpcr >> 3 & 1,
                        r.fpcr >> 4 & 1,
                        r.extra,
                        r.fbits,
                        flag_names(pre),
                        ins.join(" "),
                        r.out,
                        flag_names(r.flags as u32),
                        got,
                        flag_names(u.flags & !pre | (u.flags & pre)),
                    );
                }
            }
        }
    }
    (s.recs.len(), bad)
}
