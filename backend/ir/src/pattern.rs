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

/// A decoder table indexed by some instruction bits (`key_mask`): each bucket
/// lists, in table order, the patterns whose fixed bits agree with that key,
/// so decoding tries a handful of patterns instead of the whole table.
pub struct PatternIndex {
    key_mask: u32,
    buckets: Vec<Vec<u16>>,
}

/// The bits of `insn` under `mask`, packed to the right (bit gather).
fn gather(insn: u32, mask: u32) -> usize {
    let (mut out, mut k, mut m) = (0usize, 0, mask);
    while m != 0 {
        let low = m.trailing_zeros();
        out |= (((insn >> low) & 1) as usize) << k;
        k += 1;
        m &= m - 1;
    }
    out
}

/// The inverse of [`gather`]: the bits of `key` spread over `mask`.
fn scatter(key: u32, mask: u32) -> u32 {
    let (mut out, mut k, mut m) = (0u32, 0, mask);
    while m != 0 {
        let low = m.trailing_zeros();
        out |= ((key >> k) & 1) << low;
        k += 1;
        m &= m - 1;
    }
    out
}

impl PatternIndex {
    /// Index `patterns` by the instruction bits of `key_mask`.
    pub fn new<C>(patterns: &[Pattern<C>], key_mask: u32) -> PatternIndex {
        let buckets = (0..1u32 << key_mask.count_ones())
            .map(|key| {
                let probe = scatter(key, key_mask);
                patterns
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| (probe ^ p.value) & p.mask & key_mask == 0)
                    .map(|(i, _)| i as u16)
                    .collect()
            })
            .collect();
        PatternIndex { key_mask, buckets }
    }

    /// The first pattern of `patterns` (the table this index was built from)
    /// that `insn` matches.
    pub fn decode<'a, C>(&self, patterns: &'a [Pattern<C>], insn: u32) -> Option<&'a Pattern<C>> {
        self.buckets[gather(insn, self.key_mask)].iter().map(|&i| &patterns[usize::from(i)]).find(|p| p.matches(insn))
    }
}

#[cfg(test)]
mod tests {
    use super::{gather, mask_value, scatter, Pattern, PatternIndex};

    #[test]
    fn gather_and_scatter_are_inverse() {
        let mask = 0xc000_0000 | 0x3f << 19;
        for key in 0..256 {
            assert_eq!(gather(scatter(key, mask), mask), key as usize);
        }
    }

    #[test]
    fn the_index_finds_the_first_match_in_table_order() {
        let table = [
            Pattern::new("special", "1111111111111111111111111111111-", 0),
            Pattern::new("general", "11------------------------------", 1),
            Pattern::new("other", "0-------------------------------", 2),
        ];
        let index = PatternIndex::new(&table, 0xffe0_0000);
        assert_eq!(index.decode(&table, 0xffff_fffe).map(|p| p.class), Some(0));
        assert_eq!(index.decode(&table, 0xffff_0000).map(|p| p.class), Some(1));
        assert_eq!(index.decode(&table, 0x1234_5678).map(|p| p.class), Some(2));
        assert_eq!(index.decode(&table, 0x8000_0000).map(|p| p.class), None);
    }

    #[test]
    fn fixed_bits_and_fields() {
        assert_eq!(mask_value("10ddddd000000sssssixxxxxxxxxxxxx"), (0xc1f8_0000, 0x8000_0000));
        assert_eq!(mask_value("--------------------------------"), (0, 0));
        assert_eq!(mask_value("11111111111111111111111111111111"), (u32::MAX, u32::MAX));
    }
}
