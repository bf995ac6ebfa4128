//! Hand-picked cases of the ARM rules (ARM ARM J1.3 shared/functions/float).

use chimera_softfloat::flags::{DZC, IDC, IOC, IXC, OFC, UFC};
use chimera_softfloat::{unsigned_recip_estimate, unsigned_rsqrt_estimate, Cmp, Fmt, Fpu, Round};

const RN: u32 = 0;
const RP: u32 = 1 << 22;
const RM: u32 = 2 << 22;
const RZ: u32 = 3 << 22;
const FZ: u32 = 1 << 24;
const DN: u32 = 1 << 25;
const AHP: u32 = 1 << 26;

/// Run `op` with `fpcr`, return (result, flags).
fn go<T>(fpcr: u32, op: impl FnOnce(&mut Fpu) -> T) -> (T, u32) {
    let mut u = Fpu::arm(fpcr);
    let r = op(&mut u);
    (r, u.flags)
}

const ONE_S: u64 = 0x3f80_0000;
const QNAN_S: u64 = 0x7fc0_0000;
const INF_S: u64 = 0x7f80_0000;

#[test]
fn fpcr_decoding() {
    let u = Fpu::arm(RM | FZ | DN | AHP | 0x9f);
    assert_eq!(u.round, Round::MinusInf);
    assert!(u.fz && u.dn && u.ahp);
    assert_eq!(u.flags, 0);
}

#[test]
fn exact_zero_signs() {
    assert_eq!(go(RN, |u| u.add(Fmt::S, ONE_S, ONE_S | 1 << 31)), (0, 0));
    assert_eq!(
        go(RM, |u| u.add(Fmt::S, ONE_S, ONE_S | 1 << 31)),
        (0x8000_0000, 0)
    );
    assert_eq!(
        go(RP, |u| u.sub(
            Fmt::D,
            0x3ff0_0000_0000_0000,
            0x3ff0_0000_0000_0000
        )),
        (0, 0)
    );
    assert_eq!(
        go(RN, |u| u.add(Fmt::S, 0x8000_0000, 0x8000_0000)),
        (0x8000_0000, 0)
    );
    assert_eq!(go(RN, |u| u.add(Fmt::S, 0, 0x8000_0000)), (0, 0));
    assert_eq!(go(RM, |u| u.add(Fmt::S, 0, 0x8000_0000)), (0x8000_0000, 0));
    // fused: 1*1 + -1 = +0, or -0 toward minus infinity
    assert_eq!(
        go(RN, |u| u.mul_add(Fmt::S, 0xbf80_0000, ONE_S, ONE_S)),
        (0, 0)
    );
    assert_eq!(
        go(RM, |u| u.mul_add(Fmt::S, 0xbf80_0000, ONE_S, ONE_S)),
        (0x8000_0000, 0)
    );
    // -0 + (+0 * -1) = -0
    assert_eq!(
        go(RN, |u| u.mul_add(Fmt::S, 0x8000_0000, 0, 0xbf80_0000)),
        (0x8000_0000, 0)
    );
}

#[test]
fn nan_propagation() {
    let (s1, s2) = (0x7f80_0001u64, 0xff80_0002u64); // signalling
    let (q1, q2) = (0x7fc0_0003u64, 0xffc0_0004u64); // quiet
    assert_eq!(go(RN, |u| u.add(Fmt::S, q1, s2)), (0xffc0_0002, IOC));
    assert_eq!(go(RN, |u| u.add(Fmt::S, s1, s2)), (0x7fc0_0001, IOC));
    assert_eq!(go(RN, |u| u.add(Fmt::S, q1, q2)), (q1, 0));
    assert_eq!(go(RN, |u| u.add(Fmt::S, ONE_S, q2)), (q2, 0));
    assert_eq!(go(DN, |u| u.add(Fmt::S, ONE_S, q2)), (QNAN_S, 0));
    assert_eq!(go(DN, |u| u.mul(Fmt::S, s1, ONE_S)), (QNAN_S, IOC));
    // FSUB returns the second operand's NaN unchanged (no negation).
    assert_eq!(go(RN, |u| u.sub(Fmt::S, ONE_S, q2)), (q2, 0));
    // mul_add: FPProcessNaNs3(addend, op1, op2).
    assert_eq!(
        go(RN, |u| u.mul_add(Fmt::S, q1, s1, q2)),
        (0x7fc0_0001, IOC)
    );
    assert_eq!(go(RN, |u| u.mul_add(Fmt::S, q2, q1, ONE_S)), (q2, 0));
    assert_eq!(go(RN, |u| u.mul_add(Fmt::S, ONE_S, q1, q2)), (q1, 0));
    // quiet NaN addend with infinity times zero: default NaN, IOC.
    assert_eq!(go(RN, |u| u.mul_add(Fmt::S, q2, INF_S, 0)), (QNAN_S, IOC));
    assert_eq!(
        go(RN, |u| u.mul_add(Fmt::S, s1, INF_S, 0)),
        (0x7fc0_0001, IOC)
    );
    // FRECPS negates op1 first: its NaN comes back with the sign flipped.
    assert_eq!(
        go(RN, |u| u.recip_step(Fmt::S, q1, ONE_S)),
        (q1 | 1 << 31, 0)
    );
    // Double and half.
    assert_eq!(
        go(RN, |u| u.add(Fmt::D, 0x7ff0_0000_0000_0001, 0)),
        (0x7ff8_0000_0000_0001, IOC)
    );
    assert_eq!(go(DN, |u| u.sqrt(Fmt::H, 0xfc01)), (0x7e00, IOC));
    assert_eq!(go(RN, |u| u.sqrt(Fmt::H, 0xfc01)), (0xfe01, IOC));
}

#[test]
fn invalid_and_divide_by_zero() {
    assert_eq!(go(RN, |u| u.mul(Fmt::S, INF_S, 0x8000_0000)), (QNAN_S, IOC));
    assert_eq!(
        go(RN, |u| u.mulx(Fmt::S, INF_S, 0x8000_0000)),
        (0xc000_0000, 0)
    );
    assert_eq!(
        go(RN, |u| u.add(Fmt::S, INF_S, INF_S | 1 << 31)),
        (QNAN_S, IOC)
    );
    assert_eq!(go(RN, |u| u.div(Fmt::S, 0, 0)), (QNAN_S, IOC));
    assert_eq!(
        go(RN, |u| u.div(Fmt::S, 0xbf80_0000, 0)),
        (0xff80_0000, DZC)
    );
    assert_eq!(go(RN, |u| u.div(Fmt::S, INF_S, 0)), (INF_S, 0));
    assert_eq!(go(RN, |u| u.sqrt(Fmt::S, 0xbf80_0000)), (QNAN_S, IOC));
    assert_eq!(go(RN, |u| u.sqrt(Fmt::S, 0x8000_0000)), (0x8000_0000, 0));
    assert_eq!(
        go(RN, |u| u.sqrt(Fmt::D, 0x4010_0000_0000_0000)),
        (0x4000_0000_0000_0000, 0)
    );
}

#[test]
fn overflow_by_rounding_mode() {
    let max = 0x7f7f_ffffu64;
    assert_eq!(
        go(RN, |u| u.mul(Fmt::S, max, 0x4000_0000)),
        (INF_S, OFC | IXC)
    );
    assert_eq!(
        go(RZ, |u| u.mul(Fmt::S, max, 0x4000_0000)),
        (max, OFC | IXC)
    );
    assert_eq!(
        go(RM, |u| u.mul(Fmt::S, max, 0x4000_0000)),
        (max, OFC | IXC)
    );
    assert_eq!(
        go(RM, |u| u.mul(Fmt::S, max, 0xc000_0000)),
        (INF_S | 1 << 31, OFC | IXC)
    );
    assert_eq!(
        go(RP, |u| u.mul(Fmt::S, max, 0xc000_0000)),
        (max | 1 << 31, OFC | IXC)
    );
}

#[test]
fn tininess_before_rounding_and_flush() {
    // (1 - 2^-24) * 2^-126 rounds up to the smallest normal, but is tiny
    // before rounding: UFC with IXC.
    let (a, b) = (0x3f7f_ffffu64, 0x0080_0000u64);
    assert_eq!(go(RN, |u| u.mul(Fmt::S, a, b)), (0x0080_0000, UFC | IXC));
    // Under FZ it is flushed: +0, UFC, no IXC.
    assert_eq!(go(FZ, |u| u.mul(Fmt::S, a, b)), (0, UFC));
    // Exact denormal result: no UFC without FZ.
    assert_eq!(
        go(RN, |u| u.mul(Fmt::S, 0x0080_0000, 0x3f00_0000)),
        (0x0040_0000, 0)
    );
    assert_eq!(
        go(FZ, |u| u.mul(Fmt::S, 0x0080_0000, 0xbf00_0000)),
        (0x8000_0000, UFC)
    );
    // Denormal inputs flush under FZ with IDC.
    assert_eq!(go(FZ, |u| u.add(Fmt::S, 0x0000_0001, ONE_S)), (ONE_S, IDC));
    assert_eq!(
        go(FZ, |u| u.add(Fmt::D, 0x8000_0000_0000_0001, 0)),
        (0, IDC)
    );
    assert_eq!(go(RN, |u| u.add(Fmt::S, 0x0000_0001, ONE_S)), (ONE_S, IXC));
    // binary16 never flushes.
    assert_eq!(go(FZ, |u| u.add(Fmt::H, 0x0001, 0x0001)), (0x0002, 0));
    assert_eq!(
        go(FZ, |u| u.compare(Fmt::S, 0x0000_0001, 0, false)),
        (Cmp::Equal, IDC)
    );
}

#[test]
fn compares() {
    assert_eq!(
        go(RN, |u| u.compare(Fmt::S, QNAN_S, ONE_S, false)),
        (Cmp::Unordered, 0)
    );
    assert_eq!(
        go(RN, |u| u.compare(Fmt::S, QNAN_S, ONE_S, true)),
        (Cmp::Unordered, IOC)
    );
    assert_eq!(
        go(RN, |u| u.compare(Fmt::S, 0x7f80_0001, ONE_S, false)),
        (Cmp::Unordered, IOC)
    );
    assert_eq!(
        go(RN, |u| u.compare(Fmt::S, 0x8000_0000, 0, false)),
        (Cmp::Equal, 0)
    );
    assert_eq!(
        go(RN, |u| u.compare(Fmt::D, 0xbff0_0000_0000_0000, 0, false)),
        (Cmp::Less, 0)
    );
    assert_eq!(
        go(RN, |u| u.compare(Fmt::S, INF_S, 0x7f7f_ffff, false)),
        (Cmp::Greater, 0)
    );
    assert_eq!(go(RN, |u| u.compare_eq(Fmt::S, QNAN_S, QNAN_S)), (false, 0));
    assert_eq!(
        go(RN, |u| u.compare_ge(Fmt::S, QNAN_S, ONE_S)),
        (false, IOC)
    );
    assert_eq!(go(RN, |u| u.compare_ge(Fmt::S, ONE_S, ONE_S)), (true, 0));
    assert_eq!(go(RN, |u| u.compare_gt(Fmt::S, ONE_S, ONE_S)), (false, 0));
}

#[test]
fn max_min() {
    assert_eq!(go(RN, |u| u.max(Fmt::S, 0x8000_0000, 0)), (0, 0));
    assert_eq!(go(RN, |u| u.min(Fmt::S, 0, 0x8000_0000)), (0x8000_0000, 0));
    assert_eq!(go(RN, |u| u.max(Fmt::S, QNAN_S, ONE_S)), (QNAN_S, 0));
    assert_eq!(go(RN, |u| u.max_num(Fmt::S, QNAN_S, ONE_S)), (ONE_S, 0));
    assert_eq!(go(RN, |u| u.min_num(Fmt::S, ONE_S, QNAN_S)), (ONE_S, 0));
    assert_eq!(
        go(RN, |u| u.max_num(Fmt::S, QNAN_S, 0x7f80_0001)),
        (0x7fc0_0001, IOC)
    );
    assert_eq!(
        go(RN, |u| u.max_num(Fmt::S, QNAN_S, 0x7fc0_0005)),
        (QNAN_S, 0)
    );
    assert_eq!(
        go(FZ, |u| u.max(Fmt::S, 0x8000_0001, 0x8000_0000)),
        (0x8000_0000, IDC)
    );
}

#[test]
fn conversions() {
    // S -> D NaN payload, quietened.
    assert_eq!(
        go(RN, |u| u.convert(Fmt::S, Fmt::D, 0x7f80_0001)),
        (0x7ff8_0000_2000_0000, IOC)
    );
    assert_eq!(
        go(RN, |u| u.convert(Fmt::D, Fmt::S, 0xfff8_0000_2000_0000)),
        (0xffc0_0001, 0)
    );
    assert_eq!(
        go(DN, |u| u.convert(Fmt::D, Fmt::H, 0xfff8_0000_2000_0000)),
        (0x7e00, 0)
    );
    // Alternative half precision: exponent 31 is a number.
    assert_eq!(
        go(AHP, |u| u.convert(Fmt::S, Fmt::H, 0x4780_0000)),
        (0x7c00, 0)
    ); // 65536
    assert_eq!(
        go(AHP, |u| u.convert(Fmt::H, Fmt::S, 0x7c00)),
        (0x4780_0000, 0)
    );
    assert_eq!(
        go(AHP, |u| u.convert(Fmt::S, Fmt::H, 0x4800_0000)),
        (0x7fff, IOC)
    ); // 131072
    assert_eq!(
        go(AHP, |u| u.convert(Fmt::S, Fmt::H, INF_S | 1 << 31)),
        (0xffff, IOC)
    );
    assert_eq!(
        go(AHP, |u| u.convert(Fmt::S, Fmt::H, 0xffc0_0000)),
        (0x8000, IOC)
    );
    assert_eq!(
        go(RN, |u| u.convert(Fmt::S, Fmt::H, 0x4780_0000)),
        (0x7c00, OFC | IXC)
    );
    // FZ flushes binary32 inputs, never binary16 results.
    assert_eq!(go(FZ, |u| u.convert(Fmt::S, Fmt::D, 1)), (0, IDC));
    assert_eq!(
        go(FZ, |u| u.convert(Fmt::S, Fmt::H, 0x3380_0000)),
        (0x0001, 0)
    ); // 2^-24
    assert_eq!(
        go(FZ, |u| u.convert(Fmt::D, Fmt::S, 0x3800_0000_0000_0000)),
        (0, UFC)
    ); // 2^-127
       // FCVTXN: round to odd.
    assert_eq!(
        go(RN, |u| u.convert_odd(Fmt::D, Fmt::S, 0x3ff0_0000_0000_0001)),
        (0x3f80_0001, IXC)
    );
}

#[test]
fn integer_conversions() {
    let two31 = 0x4f00_0000u64;
    assert_eq!(
        go(RN, |u| u.to_int(Fmt::S, two31, Round::Zero, true, 32, 0)),
        (0x7fff_ffff, IOC)
    );
    assert_eq!(
        go(RN, |u| u.to_int(Fmt::S, two31, Round::Zero, false, 32, 0)),
        (0x8000_0000, 0)
    );
    assert_eq!(
        go(RN, |u| u.to_int(
            Fmt::S,
            two31 | 1 << 31,
            Round::Zero,
            true,
            32,
            0
        )),
        (0x8000_0000, 0)
    );
    assert_eq!(
        go(RN, |u| u.to_int(
            Fmt::S,
            two31 | 1 << 31,
            Round::Zero,
            true,
            64,
            0
        )),
        (0xffff_ffff_8000_0000, 0)
    );
    assert_eq!(
        go(RN, |u| u.to_int(
            Fmt::S,
            0xbfc0_0000,
            Round::NearestEven,
            false,
            32,
            0
        )),
        (0, IOC)
    ); // -1.5
    assert_eq!(
        go(RN, |u| u.to_int(
            Fmt::S,
            0xbf00_0000,
            Round::Zero,
            false,
            32,
            0
        )),
        (0, IXC)
    ); // -0.5
    assert_eq!(
        go(RN, |u| u.to_int(
            Fmt::S,
            0x4020_0000,
            Round::NearestEven,
            true,
            32,
            0
        )),
        (2, IXC)
    ); // 2.5
    assert_eq!(
        go(RN, |u| u.to_int(
            Fmt::S,
            0x4020_0000,
            Round::NearestAway,
            true,
            32,
            0
        )),
        (3, IXC)
    );
    assert_eq!(
        go(RN, |u| u.to_int(
            Fmt::S,
            0xc020_0000,
            Round::MinusInf,
            true,
            32,
            0
        )),
        (0xffff_fffd, IXC)
    );
    assert_eq!(
        go(RN, |u| u.to_int(Fmt::S, QNAN_S, Round::Zero, true, 64, 0)),
        (0, IOC)
    );
    assert_eq!(
        go(RN, |u| u.to_int(Fmt::S, INF_S, Round::Zero, false, 64, 0)),
        (u64::MAX, IOC)
    );
    assert_eq!(
        go(RN, |u| u.to_int(
            Fmt::D,
            0x3ff8_0000_0000_0000,
            Round::Zero,
            true,
            32,
            4
        )),
        (24, 0)
    ); // 1.5 * 16
    assert_eq!(
        go(RN, |u| u.to_int(Fmt::H, 0x3c00, Round::Zero, true, 16, 15)),
        (0x7fff, IOC)
    );
    assert_eq!(
        go(RN, |u| u.from_int(Fmt::S, 0x8000_0000, true, 32, 0)),
        (0xcf00_0000, 0)
    );
    assert_eq!(
        go(RN, |u| u.from_int(Fmt::S, 0x8000_0000, false, 32, 0)),
        (0x4f00_0000, 0)
    );
    assert_eq!(
        go(RN, |u| u.from_int(Fmt::D, u64::MAX, false, 64, 0)),
        (0x43f0_0000_0000_0000, IXC)
    );
    assert_eq!(
        go(RZ, |u| u.from_int(Fmt::D, u64::MAX, false, 64, 0)),
        (0x43ef_ffff_ffff_ffff, IXC)
    );
    assert_eq!(
        go(RN, |u| u.from_int(Fmt::S, 0x0100_0001, true, 32, 0)),
        (0x4b80_0000, IXC)
    ); // 2^24+1
    assert_eq!(
        go(RN, |u| u.from_int(Fmt::S, 3, true, 32, 1)),
        (0x3fc0_0000, 0)
    ); // 1.5
    assert_eq!(
        go(RN, |u| u.from_int(Fmt::H, 1, true, 64, 64)),
        (0, UFC | IXC)
    );
    assert_eq!(go(RN, |u| u.from_int(Fmt::S, 0, true, 32, 3)), (0, 0));
}

#[test]
fn round_to_integral() {
    assert_eq!(
        go(RN, |u| u.round_to_int(
            Fmt::S,
            0x4020_0000,
            Round::NearestEven,
            false
        )),
        (0x4000_0000, 0)
    ); // 2.5 -> 2
    assert_eq!(
        go(RN, |u| u.round_to_int(
            Fmt::S,
            0x4020_0000,
            Round::NearestAway,
            true
        )),
        (0x4040_0000, IXC)
    ); // 3
    assert_eq!(
        go(RN, |u| u.round_to_int(
            Fmt::S,
            0xbe99_999a,
            Round::PlusInf,
            true
        )),
        (0x8000_0000, IXC)
    ); // -0.3 -> -0
    assert_eq!(
        go(RN, |u| u.round_to_int(
            Fmt::D,
            0xc00c_0000_0000_0000,
            Round::MinusInf,
            false
        )),
        (0xc010_0000_0000_0000, 0)
    ); // -3.5 -> -4
    assert_eq!(
        go(RN, |u| u.round_to_int(
            Fmt::S,
            0x7f80_0001,
            Round::Zero,
            false
        )),
        (0x7fc0_0001, IOC)
    );
    assert_eq!(
        go(FZ, |u| u.round_to_int(
            Fmt::S,
            0x8000_0001,
            Round::PlusInf,
            true
        )),
        (0x8000_0000, IDC)
    );
}

#[test]
fn estimates() {
    assert_eq!(
        go(RN, |u| u.recip_estimate(Fmt::S, ONE_S)),
        (0x3f7f_8000, 0)
    );
    assert_eq!(go(RN, |u| u.recip_estimate(Fmt::S, 0)), (INF_S, DZC));
    assert_eq!(
        go(RN, |u| u.recip_estimate(Fmt::S, INF_S | 1 << 31)),
        (0x8000_0000, 0)
    );
    assert_eq!(go(RN, |u| u.recip_estimate(Fmt::S, 1)), (INF_S, OFC | IXC)); // < 2^-128
    assert_eq!(
        go(RZ, |u| u.recip_estimate(Fmt::S, 1)),
        (0x7f7f_ffff, OFC | IXC)
    );
    assert_eq!(go(FZ, |u| u.recip_estimate(Fmt::S, 0x7f00_0000)), (0, UFC)); // 2^127 under FZ
    assert_eq!(
        go(RN, |u| u.recip_estimate(Fmt::S, 0x7f00_0000)),
        (0x003f_e000, 0)
    );
    assert_eq!(
        go(RN, |u| u.rsqrt_estimate(Fmt::S, 0x4100_0000)),
        (0x3eb4_8000, 0)
    ); // 8 -> ~0.3525
    assert_eq!(
        go(RN, |u| u.rsqrt_estimate(Fmt::S, 0x8000_0000)),
        (INF_S | 1 << 31, DZC)
    );
    assert_eq!(
        go(RN, |u| u.rsqrt_estimate(Fmt::S, 0xbf80_0000)),
        (QNAN_S, IOC)
    );
    assert_eq!(go(RN, |u| u.rsqrt_estimate(Fmt::S, INF_S)), (0, 0));
    assert_eq!(
        go(RN, |u| u.recip_exponent(Fmt::S, ONE_S)),
        (0x4000_0000, 0)
    );
    assert_eq!(
        go(RN, |u| u.recip_exponent(Fmt::S, 0x8000_0001)),
        (0xff00_0000, 0)
    );
    assert_eq!(go(RN, |u| u.recip_step(Fmt::S, INF_S, 0)), (0x4000_0000, 0));
    assert_eq!(go(RN, |u| u.rsqrt_step(Fmt::S, 0, INF_S)), (0x3fc0_0000, 0));
    assert_eq!(go(RN, |u| u.recip_step(Fmt::S, ONE_S, ONE_S)), (ONE_S, 0));
    assert_eq!(go(RN, |u| u.rsqrt_step(Fmt::S, ONE_S, ONE_S)), (ONE_S, 0));
    assert_eq!(unsigned_recip_estimate(0x8000_0000), 0xff80_0000);
    assert_eq!(unsigned_recip_estimate(0x7fff_ffff), 0xffff_ffff);
    assert_eq!(unsigned_rsqrt_estimate(0x4000_0000), 0xff80_0000);
    assert_eq!(unsigned_rsqrt_estimate(0x3fff_ffff), 0xffff_ffff);
}

#[test]
fn fast_path_agrees() {
    // Round to nearest: from clear flags the host path computes IXC itself,
    // with IXC preset it skips that (and FMA may use the host); results must
    // agree, flags up to IXC. Directed rounding (soft path only) must agree
    // with the host path where the result is exact.
    let vals: [u64; 8] = [
        ONE_S,
        0x4049_0fdb,
        0xc2f6_e979,
        0x0080_0000,
        0x7f7f_ffff,
        0,
        0x8000_0000,
        0x3eaa_aaab,
    ];
    for &a in &vals {
        for &b in &vals {
            for &c in &vals {
                let soft = |op: &dyn Fn(&mut Fpu) -> u64| go(RN, op);
                let fast = |op: &dyn Fn(&mut Fpu) -> u64| {
                    let mut u = Fpu::arm(RN);
                    u.flags = IXC;
                    (op(&mut u), u.flags)
                };
                let ops: [&dyn Fn(&mut Fpu) -> u64; 6] = [
                    &|u| u.add(Fmt::S, a, b),
                    &|u| u.sub(Fmt::S, a, b),
                    &|u| u.mul(Fmt::S, a, b),
                    &|u| u.div(Fmt::S, a, b),
                    &|u| u.sqrt(Fmt::S, a),
                    &|u| u.mul_add(Fmt::S, c, a, b),
                ];
                for op in ops {
                    let (r1, f1) = soft(op);
                    let (r2, f2) = fast(op);
                    assert_eq!((r1, f1 | IXC), (r2, f2), "{a:x} {b:x} {c:x}");
                    let (r3, f3) = go(RZ, op);
                    if f1 & IXC == 0 {
                        assert_eq!((r1, f1), (r3, f3), "{a:x} {b:x} {c:x}");
                    }
                }
            }
        }
    }
}

#[test]
fn host_path_inexact_flag() {
    // 1 + 2, 3 * 5, 1 / 4, sqrt(4), D->S of 1.5: exact; 1/3, sqrt(2), 0.1*3,
    // D->S of 0.1: inexact.
    let d = |x: f64| x.to_bits();
    assert_eq!(go(RN, |u| u.add(Fmt::D, d(1.0), d(2.0))), (d(3.0), 0));
    assert_eq!(go(RN, |u| u.mul(Fmt::D, d(3.0), d(5.0))), (d(15.0), 0));
    assert_eq!(go(RN, |u| u.div(Fmt::D, d(1.0), d(4.0))), (d(0.25), 0));
    assert_eq!(go(RN, |u| u.sqrt(Fmt::D, d(4.0))), (d(2.0), 0));
    assert_eq!(
        go(RN, |u| u.convert(Fmt::D, Fmt::S, d(1.5))),
        (1.5f32.to_bits() as u64, 0)
    );
    assert_eq!(
        go(RN, |u| u.div(Fmt::D, d(1.0), d(3.0))),
        (d(1.0 / 3.0), IXC)
    );
    assert_eq!(go(RN, |u| u.sqrt(Fmt::D, d(2.0))), (d(2f64.sqrt()), IXC));
    assert_eq!(
        go(RN, |u| u.mul(Fmt::D, d(0.1), d(3.0))),
        (d(0.1 * 3.0), IXC)
    );
    assert_eq!(go(RN, |u| u.add(Fmt::D, d(1.0), d(1e-30))), (d(1.0), IXC));
    assert_eq!(
        go(RN, |u| u.convert(Fmt::D, Fmt::S, d(0.1))),
        (0.1f32.to_bits() as u64, IXC)
    );
}

#[test]
fn upper_bits_ignored() {
    assert_eq!(
        go(RN, |u| u.add(Fmt::S, 0xdead_0000_0000_0000 | ONE_S, ONE_S)),
        (0x4000_0000, 0)
    );
    assert_eq!(
        go(RN, |u| u.add(Fmt::H, 0xffff_0000 | 0x3c00, 0x3c00)),
        (0x4000, 0)
    );
}
