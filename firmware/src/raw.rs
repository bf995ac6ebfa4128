//! Raw binary loader: the file is copied byte for byte to one address.

use crate::{LoadedImage, Segment};

/// Loads `bytes` as a flat binary at guest physical address `addr`.
///
/// The image is one segment whose memory size is its file size, and
/// execution starts at its first byte. The byte order is unknown for a raw
/// file, so `big_endian` is `false`; a board uses its own CPU's order.
pub fn load_raw(bytes: &[u8], addr: u64) -> LoadedImage {
    LoadedImage {
        entry: addr,
        segments: vec![Segment {
            addr,
            data: bytes.to_vec(),
            mem_size: bytes.len() as u64,
        }],
        big_endian: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_segment_at_the_address() {
        let image = load_raw(&[1, 2, 3], 0x4000_0000);
        assert_eq!(image.entry, 0x4000_0000);
        assert_eq!(
            image.segments,
            vec![Segment {
                addr: 0x4000_0000,
                data: vec![1, 2, 3],
                mem_size: 3
            }]
        );
    }
}
