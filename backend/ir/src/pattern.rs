//! Encoding patterns as data, shared by the frontends' decoder tables
//! (QEMU decodetree / Dynarmic `a64.inc` style): a 32-character string, bit 31
//! first, of `0`, `1` and field letters or `-` for bits the pattern leaves free.

/// Mask and value of a pattern string: `insn & mask == value` for the
/// instructions it matches.
pub const fn mask_value(bits: &str) -> (u32, u32) {
    let b = bits.as_bytes();
    assert!(b.len() == 32, "a pattern has 32 bits");
    let (mut mask, mut value, mut i) = (0u32, 0u32, 0);
    while i < 32 {
        let bit = 1u32 << (31 - i);
        match b[i] {
            b'0' => mask |= bit,
            b'1' => {
                mask |= bit;
                value |= bit;
            }
            _ => {}
        }
        i += 1;
    }
    (mask, value)
}

#[cfg(test)]
mod tests {
    use super::mask_value;

    #[test]
    fn fixed_bits_and_fields() {
        assert_eq!(mask_value("10ddddd000000sssssixxxxxxxxxxxxx"), (0xc1f8_0000, 0x8000_0000));
        assert_eq!(mask_value("--------------------------------"), (0, 0));
        assert_eq!(mask_value("11111111111111111111111111111111"), (u32::MAX, u32::MAX));
    }
}
