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

/// One encoding of a decoder table: a name, its pattern string, the mask and
/// value computed from it, and the frontend's visitor class `C`.
#[derive(Clone, Copy, Debug)]
pub struct Pattern<C> {
    /// Name of the encoding (the manual's mnemonic and form).
    pub name: &'static str,
    /// The 32-character bit string the mask and value are computed from.
    pub bits: &'static str,
    /// Fixed bits.
    pub mask: u32,
    /// Values of the fixed bits.
    pub value: u32,
    /// The visitor class it dispatches to.
    pub class: C,
}

impl<C> Pattern<C> {
    /// The pattern of `bits` (see [`mask_value`]).
    pub const fn new(name: &'static str, bits: &'static str, class: C) -> Pattern<C> {
        let (mask, value) = mask_value(bits);
        Pattern { name, bits, mask, value, class }
    }

    /// True if `insn` has this pattern's fixed bits.
    pub const fn matches(&self, insn: u32) -> bool {
        insn & self.mask == self.value
    }
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
