//! The arm64 Linux kernel `Image` header.
//!
//! Layout from the Linux kernel's `Documentation/arm64/booting.rst`, section
//! "Call the kernel image": a 64-byte little-endian header at the start of
//! the decompressed kernel image.
//!
//! ```text
//! offset  size  field
//!   0      4    code0         executable code
//!   4      4    code1         executable code
//!   8      8    text_offset   image load offset
//!  16      8    image_size    effective image size
//!  24      8    flags         kernel flags
//!  32     24    res2..res4    reserved
//!  56      4    magic         0x644d5241, "ARM\x64"
//!  60      4    res5          reserved (PE/COFF header offset)
//! ```

use crate::LoadError;

/// Size of the arm64 `Image` header in bytes.
pub const ARM64_IMAGE_HEADER_SIZE: usize = 64;

/// The magic number at offset 56, the bytes "ARM\x64" read as little-endian.
pub const ARM64_IMAGE_MAGIC: u32 = 0x644d_5241;

/// The load offset booting.rst tells a loader to assume when `image_size`
/// is zero (kernels before v3.17, whose `text_offset` byte order is unknown).
const LEGACY_TEXT_OFFSET: u64 = 0x8_0000;

/// The fields of an arm64 Linux `Image` header that a boot loader needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arm64Image {
    /// Offset from a 2 MiB aligned base at which the image must be placed.
    pub text_offset: u64,
    /// Bytes of memory the image occupies from its start, `.bss` included;
    /// zero for kernels older than v3.17.
    pub image_size: u64,
    /// Kernel flags: bit 0 endianness, bits 1-2 page size, bit 3 placement.
    pub flags: u64,
}

impl Arm64Image {
    /// The offset at which to load the image: `text_offset`, or 0x80000 for a
    /// pre-v3.17 kernel (`image_size == 0`), as booting.rst prescribes.
    pub fn load_offset(&self) -> u64 {
        if self.image_size == 0 {
            LEGACY_TEXT_OFFSET
        } else {
            self.text_offset
        }
    }

    /// Whether the kernel is big-endian (flags bit 0).
    pub fn big_endian(&self) -> bool {
        self.flags & 1 != 0
    }

    /// The kernel's page size in bytes (flags bits 1-2), if it says.
    pub fn page_size(&self) -> Option<u64> {
        match (self.flags >> 1) & 3 {
            1 => Some(4 << 10),
            2 => Some(16 << 10),
            3 => Some(64 << 10),
            _ => None,
        }
    }

    /// Whether the image may be placed at any 2 MiB aligned address in
    /// memory (flags bit 3 set) rather than near the start of DRAM.
    pub fn any_placement(&self) -> bool {
        self.flags & (1 << 3) != 0
    }
}

fn le_u64(bytes: &[u8], offset: usize) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[offset..offset + 8]);
    u64::from_le_bytes(word)
}

/// Parses the header of an arm64 Linux `Image`.
///
/// Fails when the file is shorter than the 64-byte header or the magic at
/// offset 56 is not "ARM\x64".
pub fn parse_arm64_image(bytes: &[u8]) -> Result<Arm64Image, LoadError> {
    let Some(header) = bytes.get(..ARM64_IMAGE_HEADER_SIZE) else {
        return Err(LoadError::ImageTooShort { len: bytes.len() });
    };
    let magic = u32::from_le_bytes([header[56], header[57], header[58], header[59]]);
    if magic != ARM64_IMAGE_MAGIC {
        return Err(LoadError::ImageBadMagic { found: magic });
    }
    Ok(Arm64Image {
        text_offset: le_u64(header, 8),
        image_size: le_u64(header, 16),
        flags: le_u64(header, 24),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(text_offset: u64, image_size: u64, flags: u64) -> Vec<u8> {
        let mut bytes = vec![0u8; 128];
        // code0: "b #64", as a real Image branches over its header.
        bytes[0..4].copy_from_slice(&0x1400_0010u32.to_le_bytes());
        bytes[8..16].copy_from_slice(&text_offset.to_le_bytes());
        bytes[16..24].copy_from_slice(&image_size.to_le_bytes());
        bytes[24..32].copy_from_slice(&flags.to_le_bytes());
        bytes[56..60].copy_from_slice(b"ARM\x64");
        bytes
    }

    #[test]
    fn parses_the_fields() {
        let image = parse_arm64_image(&header(0, 0x1_2345_0000, 0b1010)).unwrap();
        assert_eq!(
            image,
            Arm64Image {
                text_offset: 0,
                image_size: 0x1_2345_0000,
                flags: 0b1010
            }
        );
        assert_eq!(image.load_offset(), 0);
        assert!(!image.big_endian());
        assert_eq!(image.page_size(), Some(4096));
        assert!(image.any_placement());
    }

    #[test]
    fn legacy_kernel_loads_at_0x80000() {
        let image = parse_arm64_image(&header(0x1234, 0, 0)).unwrap();
        assert_eq!(image.load_offset(), 0x8_0000);
        assert_eq!(image.page_size(), None);
    }

    #[test]
    fn too_short() {
        let bytes = header(0, 0x1000, 0);
        for len in 0..ARM64_IMAGE_HEADER_SIZE {
            assert_eq!(
                parse_arm64_image(&bytes[..len]),
                Err(LoadError::ImageTooShort { len })
            );
        }
        assert!(parse_arm64_image(&bytes[..ARM64_IMAGE_HEADER_SIZE]).is_ok());
    }

    #[test]
    fn bad_magic() {
        let mut bytes = header(0, 0x1000, 0);
        bytes[59] = 0x65;
        let err = parse_arm64_image(&bytes).unwrap_err();
        assert_eq!(err, LoadError::ImageBadMagic { found: 0x654d_5241 });
        assert!(err.to_string().contains("0x654d5241"), "{err}");
    }
}
