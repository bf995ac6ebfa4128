//! Interpreter semantics of the corner cases the frontends rely on.

use chimera_ir::{eval_bin, eval_un, BinOp, Type, UnOp};

#[test]
fn division_by_zero_and_overflow() {
    assert_eq!(eval_bin(BinOp::UDiv, Type::I64, 7, 0), 0);
    assert_eq!(eval_bin(BinOp::SDiv, Type::I64, 7, 0), 0);
    assert_eq!(eval_bin(BinOp::SDiv, Type::I32, 0x8000_0000, 0xffff_ffff), 0x8000_0000);
    assert_eq!(eval_bin(BinOp::SRem, Type::I32, 0x8000_0000, 0xffff_ffff), 0);
    assert_eq!(eval_bin(BinOp::SDiv, Type::I64, (-7i64) as u64, 2), (-3i64) as u64);
    assert_eq!(eval_bin(BinOp::URem, Type::I64, 9, 0), 9);
}

#[test]
fn multiply_high() {
    assert_eq!(eval_bin(BinOp::MulHiU, Type::I64, u64::MAX, u64::MAX), u64::MAX - 1);
    assert_eq!(eval_bin(BinOp::MulHiS, Type::I64, u64::MAX, u64::MAX), 0);
    assert_eq!(eval_bin(BinOp::MulHiS, Type::I64, (-2i64) as u64, 3), u64::MAX);
    assert_eq!(eval_bin(BinOp::MulHiU, Type::I32, 0xffff_ffff, 2), 1);
}

#[test]
fn shifts_take_the_amount_modulo_width() {
    assert_eq!(eval_bin(BinOp::Shl, Type::I32, 1, 33), 2);
    assert_eq!(eval_bin(BinOp::Ashr, Type::I32, 0x8000_0000, 31), 0xffff_ffff);
    assert_eq!(eval_bin(BinOp::Rotr, Type::I32, 1, 1), 0x8000_0000);
    assert_eq!(eval_bin(BinOp::Rotr, Type::I64, 0x10, 64), 0x10);
}

#[test]
fn bit_counts() {
    assert_eq!(eval_un(UnOp::Clz, Type::I32, 0), 32);
    assert_eq!(eval_un(UnOp::Clz, Type::I64, 1), 63);
    assert_eq!(eval_un(UnOp::Cls, Type::I64, 0), 63);
    assert_eq!(eval_un(UnOp::Cls, Type::I64, u64::MAX), 63);
    assert_eq!(eval_un(UnOp::Cls, Type::I32, 0x4000_0000), 0);
    assert_eq!(eval_un(UnOp::Cls, Type::I32, 0x0000_ffff), 15);
    assert_eq!(eval_un(UnOp::Bitrev, Type::I32, 1), 0x8000_0000);
    assert_eq!(eval_un(UnOp::Bswap, Type::I16, 0x1234), 0x3412);
    assert_eq!(eval_un(UnOp::Ctz, Type::I64, 0), 64);
}
