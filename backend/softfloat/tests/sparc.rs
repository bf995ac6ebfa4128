//! `Arch::Sparc`: the rules of QEMU 7.2's SPARC CPUs, established on
//! qemu-system-sparc -M leon3_generic (see `nan::pick2`,
//! `round::tiny_before_rounding`).

use chimera_softfloat::flags::{IOC, IXC, UFC};
use chimera_softfloat::{Arch, Fmt, Fpu, Round};

/// Run `op` under SPARC rules with rounding `round`: (result, flags).
fn go<T>(round: Round, op: impl FnOnce(&mut Fpu) -> T) -> (T, u32) {
    let mut u = Fpu::new(Arch::Sparc, round);
    let r = op(&mut u);
    (r, u.flags)
}

const RN: Round = Round::NearestEven;
const ONE_S: u64 = 0x3f80_0000;

#[test]
fn default_nan_is_all_ones() {
    assert_eq!(go(RN, |u| u.div(Fmt::S, 0, 0)), (0x7fff_ffff, IOC));
    assert_eq!(
        go(RN, |u| u.mul(Fmt::D, 0, 0x7ff0_0000_0000_0000)),
        (0x7fff_ffff_ffff_ffff, IOC)
    );
}

#[test]
fn nan_operand_selection() {
    let add = |a, b| go(RN, |u| u.add(Fmt::S, a, b));
    // One NaN: that one, quietened.
    assert_eq!(add(ONE_S, 0x7f80_0001), (0x7fc0_0001, IOC));
    assert_eq!(add(0xffc1_2345, ONE_S), (0xffc1_2345, 0));
    // A signalling and a quiet NaN: the quiet one, still IOC.
    assert_eq!(add(0x7fc0_0000, 0x7f80_0001), (0x7fc0_0000, IOC));
    assert_eq!(add(0xff81_2345, 0x7fc0_0000), (0x7fc0_0000, IOC));
    // Same kind: the larger fraction, then the positive sign.
    assert_eq!(add(0x7fc0_0000, 0xffc0_0001), (0xffc0_0001, 0));
    assert_eq!(add(0xffc0_0001, 0x7fc0_0001), (0x7fc0_0001, 0));
    assert_eq!(add(0x7fc0_0001, 0xffc0_0001), (0x7fc0_0001, 0));
    assert_eq!(add(0x7f80_0001, 0xff81_2345), (0xffc1_2345, IOC));
}

#[test]
fn tininess_after_rounding() {
    // 2^-126 * (1 - 2^-25) rounds to the smallest normal: not tiny.
    assert_eq!(
        go(RN, |u| u.convert(Fmt::D, Fmt::S, 0x380f_ffff_f000_0000)),
        (0x0080_0000, IXC)
    );
    // 2^-126 * (1 - 2^-24) is tiny even with an unbounded exponent.
    assert_eq!(
        go(RN, |u| u.convert(Fmt::D, Fmt::S, 0x380f_ffff_e000_0000)),
        (0x0080_0000, UFC | IXC)
    );
    assert_eq!(
        go(Round::Zero, |u| u.convert(
            Fmt::D,
            Fmt::S,
            0x380f_ffff_f000_0000
        )),
        (0x007f_ffff, UFC | IXC)
    );
}

#[test]
fn nan_to_int_is_the_largest_integer() {
    assert_eq!(
        go(RN, |u| u.to_int(
            Fmt::S,
            0xffc0_0000,
            Round::Zero,
            true,
            32,
            0
        )),
        (0x7fff_ffff, IOC)
    );
    assert_eq!(
        go(RN, |u| u.to_int(
            Fmt::D,
            0x7ff0_0000_0000_0001,
            Round::Zero,
            true,
            32,
            0
        )),
        (0x7fff_ffff, IOC)
    );
    assert_eq!(
        go(RN, |u| u.to_int(
            Fmt::S,
            0xff80_0000,
            Round::Zero,
            true,
            32,
            0
        )),
        (0x8000_0000, IOC)
    );
}
