//! Reading and writing flattened device trees (DTBs), following the
//! Devicetree Specification v0.4, chapter 5 ("Flattened Devicetree (DTB)
//! Format"): the header (5.2), the memory reservation block (5.3), the
//! structure block (5.4) and the strings block (5.5).
//!
//! [`Fdt::parse`] turns a blob into a tree of [`FdtNode`]s holding
//! [`FdtProperty`]s, checking every offset and length against the blob, so
//! that a malformed or hostile file gives a [`LoadError::BadDtb`] and never a
//! panic; [`Fdt::to_bytes`] writes the tree back as a version 17 blob.
//! Names and values are kept as bytes, so whatever is not edited is written
//! back exactly as it was read; `FDT_NOP` tokens are dropped (5.4.1: they
//! are to be ignored).

use crate::LoadError;
use std::collections::HashMap;

/// The magic number a flattened device tree starts with (5.2, `magic`).
pub const FDT_MAGIC: u32 = 0xd00d_feed;

/// Structure block tokens (5.4.1).
const FDT_BEGIN_NODE: u32 = 0x1;
const FDT_END_NODE: u32 = 0x2;
const FDT_PROP: u32 = 0x3;
const FDT_NOP: u32 = 0x4;
const FDT_END: u32 = 0x9;

/// Size of the version 17 header (5.2: ten 32-bit fields).
const HEADER_SIZE: usize = 40;
/// The version written, and the oldest version it is compatible with (5.2,
/// `version` and `last_comp_version`).
const VERSION: u32 = 17;
const LAST_COMP_VERSION: u32 = 16;

/// Deepest nesting of nodes accepted (the root is depth 1). The
/// specification sets no bound; Linux itself stops unflattening a tree at
/// 64 levels, and the bound keeps a hostile blob from exhausting the stack
/// of the recursive writer.
pub const FDT_MAX_DEPTH: usize = 64;

/// One property of a node (5.4.1 `FDT_PROP`): a name from the strings block
/// and a value of any length, both as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FdtProperty {
    /// The property's name, without the terminating NUL.
    pub name: Vec<u8>,
    /// The property's value.
    pub value: Vec<u8>,
}

/// One node of the tree (5.4.1 `FDT_BEGIN_NODE` ... `FDT_END_NODE`): its
/// name (`node-name@unit-address`, empty for the root), its properties and
/// its children, in the order of the blob.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FdtNode {
    /// The node's name, without the terminating NUL.
    pub name: Vec<u8>,
    /// The node's properties.
    pub properties: Vec<FdtProperty>,
    /// The node's children.
    pub children: Vec<FdtNode>,
}

/// One entry of the memory reservation block (5.3.2): a physical range the
/// client program must not use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FdtReserveEntry {
    /// First reserved byte.
    pub address: u64,
    /// Bytes reserved.
    pub size: u64,
}

/// A whole flattened device tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fdt {
    /// The header's `boot_cpuid_phys` (5.2).
    pub boot_cpuid_phys: u32,
    /// The memory reservation block's entries, without the terminating
    /// zero entry (5.3).
    pub reservations: Vec<FdtReserveEntry>,
    /// The root node.
    pub root: FdtNode,
}

/// Whether a node called `name` answers to `wanted`, as a path component
/// does (Devicetree Specification 2.2.3): the same name, or, when `wanted`
/// has no unit address, `wanted` followed by `@` and any unit address.
pub fn fdt_name_matches(name: &[u8], wanted: &str) -> bool {
    let wanted = wanted.as_bytes();
    name == wanted || (!wanted.contains(&b'@') && name.len() > wanted.len() && name.starts_with(wanted) && name[wanted.len()] == b'@')
}

impl FdtProperty {
    /// A property named `name` with `value`.
    pub fn new(name: &str, value: impl Into<Vec<u8>>) -> FdtProperty {
        FdtProperty { name: name.as_bytes().to_vec(), value: value.into() }
    }
}

impl FdtNode {
    /// A node named `name` with no properties or children.
    pub fn new(name: &str) -> FdtNode {
        FdtNode { name: name.as_bytes().to_vec(), ..FdtNode::default() }
    }

    /// The value of the property called `name`, if the node has one.
    pub fn property(&self, name: &str) -> Option<&[u8]> {
        self.properties.iter().find(|p| p.name == name.as_bytes()).map(|p| p.value.as_slice())
    }

    /// Set the property called `name` to `value`: in place if the node has
    /// it, else added after the node's other properties.
    pub fn set_property(&mut self, name: &str, value: impl Into<Vec<u8>>) {
        let value = value.into();
        match self.properties.iter_mut().find(|p| p.name == name.as_bytes()) {
            Some(p) => p.value = value,
            None => self.properties.push(FdtProperty::new(name, value)),
        }
    }

    /// The index of the first child answering to `name` (see
    /// [`fdt_name_matches`]).
    pub fn child_index(&self, name: &str) -> Option<usize> {
        self.children.iter().position(|c| fdt_name_matches(&c.name, name))
    }

    /// The first child answering to `name` (see [`fdt_name_matches`]).
    pub fn child(&self, name: &str) -> Option<&FdtNode> {
        self.child_index(name).map(|i| &self.children[i])
    }

    /// The first child answering to `name`, to change it.
    pub fn child_mut(&mut self, name: &str) -> Option<&mut FdtNode> {
        self.child_index(name).map(move |i| &mut self.children[i])
    }
}

fn bad(msg: impl Into<String>) -> LoadError {
    LoadError::BadDtb(msg.into())
}

/// The big-endian 32-bit word at `off` in `b`, if it lies within `b`.
fn be32(b: &[u8], off: usize) -> Option<u32> {
    let w = b.get(off..off.checked_add(4)?)?;
    Some(u32::from_be_bytes([w[0], w[1], w[2], w[3]]))
}

/// The big-endian 64-bit word at `off` in `b`, if it lies within `b`.
fn be64(b: &[u8], off: usize) -> Option<u64> {
    let w = b.get(off..off.checked_add(8)?)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(w);
    Some(u64::from_be_bytes(a))
}

/// `x` rounded up to a multiple of 4, the alignment of structure block
/// tokens (5.4.1, 5.6).
fn align4(x: usize) -> Option<usize> {
    Some(x.checked_add(3)? & !3)
}

/// The bytes of `b` from `off` up to the next NUL, if there is one.
fn c_string(b: &[u8], off: usize) -> Option<&[u8]> {
    let rest = b.get(off..)?;
    let len = rest.iter().position(|&c| c == 0)?;
    Some(&rest[..len])
}

impl Fdt {
    /// Parse a flattened device tree. The header must carry the magic, a
    /// `totalsize` within `bytes`, a `version` of at least 16 and a
    /// `last_comp_version` of at most 17 (5.2); every block must lie within
    /// `totalsize`; the structure block must hold exactly one root node,
    /// properly nested, then `FDT_END` (5.4.2). Anything else is a
    /// [`LoadError::BadDtb`] saying what is wrong and where.
    pub fn parse(bytes: &[u8]) -> Result<Fdt, LoadError> {
        let field = |i: usize| be32(bytes, 4 * i).map(|v| v as usize);
        if field(0) != Some(FDT_MAGIC as usize) {
            return Err(bad("no flattened device tree magic (0xd00dfeed)"));
        }
        if bytes.len() < HEADER_SIZE {
            return Err(bad(format!("truncated: {} bytes, the header alone needs {HEADER_SIZE}", bytes.len())));
        }
        let get = |i: usize| field(i).unwrap_or(0);
        let (total, off_struct, off_strings, off_rsvmap) = (get(1), get(2), get(3), get(4));
        let (version, last_comp, boot_cpuid_phys) = (get(5), get(6), get(7) as u32);
        let (size_strings, size_struct) = (get(8), get(9));
        if total > bytes.len() {
            return Err(bad(format!("truncated: the header's totalsize is {total} bytes, the file has {}", bytes.len())));
        }
        if total < HEADER_SIZE {
            return Err(bad(format!("the header's totalsize {total} is smaller than the header")));
        }
        if version < 16 || last_comp > VERSION as usize {
            return Err(bad(format!(
                "format version {version} (compatible back to {last_comp}): only trees readable as version 16 or 17 are supported"
            )));
        }
        let b = &bytes[..total];
        let block = |what: &str, off: usize, size: usize| -> Result<std::ops::Range<usize>, LoadError> {
            match off.checked_add(size) {
                Some(end) if off >= HEADER_SIZE && end <= total => Ok(off..end),
                _ => Err(bad(format!("the {what} block ({off:#x}, {size} bytes) lies outside the tree's {total} bytes"))),
            }
        };
        // Version 16 headers have no size_dt_struct: the block may run to
        // the end of the tree.
        let size_struct = if version >= 17 { size_struct } else { total.saturating_sub(off_struct) };
        let struct_range = block("structure", off_struct, size_struct)?;
        let strings = &b[block("strings", off_strings, size_strings)?];
        if !off_struct.is_multiple_of(4) {
            // 5.6; token padding (5.4.1) counts from the blob's start.
            return Err(bad(format!("the structure block's offset {off_struct:#x} is not 4-byte aligned")));
        }
        if !(HEADER_SIZE..total).contains(&off_rsvmap) {
            return Err(bad(format!("the memory reservation block's offset {off_rsvmap:#x} lies outside the tree's {total} bytes")));
        }
        let reservations = parse_reservations(b, off_rsvmap)?;
        let root = parse_structure(b, struct_range, strings)?;
        Ok(Fdt { boot_cpuid_phys, reservations, root })
    }

    /// Write the tree as a version 17 blob (5.2) with the blocks in the
    /// order chapter 5 lays them out: header, memory reservation block
    /// (8-byte aligned, 5.6), structure block, strings block (each name
    /// stored once, 5.5). Fails only for trees no blob can hold: a name with a
    /// NUL in it, a tree over 4 GiB, or nesting deeper than
    /// [`FDT_MAX_DEPTH`].
    pub fn to_bytes(&self) -> Result<Vec<u8>, LoadError> {
        let mut w = Writer { out: vec![0; HEADER_SIZE], strings: Vec::new(), offsets: HashMap::new() };
        // 5.6: the block sits on an 8-byte boundary (the header is 40 bytes).
        let off_rsvmap = w.out.len();
        for r in self.reservations.iter().chain(std::iter::once(&FdtReserveEntry { address: 0, size: 0 })) {
            w.out.extend_from_slice(&r.address.to_be_bytes());
            w.out.extend_from_slice(&r.size.to_be_bytes());
        }
        let off_struct = w.out.len();
        w.node(&self.root, 1)?;
        w.u32(FDT_END);
        let size_struct = w.out.len() - off_struct;
        let off_strings = w.out.len();
        let size_strings = w.strings.len();
        let mut out = w.out;
        out.extend_from_slice(&w.strings);
        let total = out.len();
        let too_big = |_| bad(format!("the device tree would take {total} bytes, more than a blob can hold"));
        let header: [u32; 10] = [
            FDT_MAGIC,
            u32::try_from(total).map_err(too_big)?,
            off_struct as u32,
            off_strings as u32,
            off_rsvmap as u32,
            VERSION,
            LAST_COMP_VERSION,
            self.boot_cpuid_phys,
            size_strings as u32,
            size_struct as u32,
        ];
        for (i, v) in header.iter().enumerate() {
            out[4 * i..4 * i + 4].copy_from_slice(&v.to_be_bytes());
        }
        Ok(out)
    }
}

/// The memory reservation block at `off` (5.3.2): pairs of 64-bit address
/// and size up to the pair of zeros.
fn parse_reservations(b: &[u8], mut off: usize) -> Result<Vec<FdtReserveEntry>, LoadError> {
    let mut entries = Vec::new();
    loop {
        let (Some(address), Some(size)) = (be64(b, off), off.checked_add(8).and_then(|o| be64(b, o))) else {
            return Err(bad(format!("the memory reservation block runs past the end of the tree at {off:#x} (no terminating zero entry)")));
        };
        if address == 0 && size == 0 {
            return Ok(entries);
        }
        entries.push(FdtReserveEntry { address, size });
        off += 16;
    }
}

/// The structure block `range` of `b` (5.4): one root node, then
/// `FDT_END`, with `FDT_NOP`s anywhere between tokens. Iterative, so deep
/// nesting costs heap rather than stack.
fn parse_structure(b: &[u8], range: std::ops::Range<usize>, strings: &[u8]) -> Result<FdtNode, LoadError> {
    let (base, s) = (range.start, &b[range]);
    let mut pos = 0usize;
    let mut open: Vec<FdtNode> = Vec::new();
    let mut root: Option<FdtNode> = None;
    loop {
        let at = base + pos;
        let tok = be32(s, pos).ok_or_else(|| bad(format!("the structure block ends at {at:#x} without FDT_END")))?;
        pos += 4;
        match tok {
            FDT_BEGIN_NODE => {
                if root.is_some() {
                    return Err(bad(format!("a second root node at {at:#x}")));
                }
                if open.len() >= FDT_MAX_DEPTH {
                    return Err(bad(format!("nodes nested deeper than {FDT_MAX_DEPTH} levels at {at:#x}")));
                }
                let name = c_string(s, pos).ok_or_else(|| bad(format!("the name of the node at {at:#x} has no terminating NUL")))?;
                pos = align4(pos + name.len() + 1).ok_or_else(|| bad("offset overflow"))?;
                open.push(FdtNode { name: name.to_vec(), ..FdtNode::default() });
            }
            FDT_END_NODE => {
                let node = open.pop().ok_or_else(|| bad(format!("FDT_END_NODE at {at:#x} closes no node")))?;
                match open.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            FDT_PROP => {
                let node = open.last_mut().ok_or_else(|| bad(format!("a property at {at:#x} outside any node")))?;
                let (Some(len), Some(nameoff)) = (be32(s, pos), be32(s, pos + 4)) else {
                    return Err(bad(format!("the property at {at:#x} is truncated")));
                };
                pos += 8;
                let value = pos
                    .checked_add(len as usize)
                    .and_then(|end| s.get(pos..end))
                    .ok_or_else(|| bad(format!("the value of the property at {at:#x} ({len} bytes) runs past the structure block")))?;
                let name = c_string(strings, nameoff as usize)
                    .ok_or_else(|| bad(format!("the name of the property at {at:#x} (strings offset {nameoff:#x}) is outside the strings block or unterminated")))?;
                node.properties.push(FdtProperty { name: name.to_vec(), value: value.to_vec() });
                pos = align4(pos + value.len()).ok_or_else(|| bad("offset overflow"))?;
            }
            FDT_NOP => {}
            FDT_END => {
                if let Some(node) = open.last() {
                    return Err(bad(format!("FDT_END at {at:#x} inside the unclosed node '{}'", String::from_utf8_lossy(&node.name))));
                }
                return root.ok_or_else(|| bad("the structure block holds no root node"));
            }
            other => return Err(bad(format!("unknown structure block token {other:#x} at {at:#x}"))),
        }
    }
}

/// The structure and strings blocks being written.
struct Writer {
    out: Vec<u8>,
    strings: Vec<u8>,
    offsets: HashMap<Vec<u8>, u32>,
}

impl Writer {
    fn u32(&mut self, v: u32) {
        self.out.extend_from_slice(&v.to_be_bytes());
    }

    fn pad4(&mut self) {
        while !self.out.len().is_multiple_of(4) {
            self.out.push(0);
        }
    }

    fn node(&mut self, node: &FdtNode, depth: usize) -> Result<(), LoadError> {
        if depth > FDT_MAX_DEPTH {
            return Err(bad(format!("nodes nested deeper than {FDT_MAX_DEPTH} levels")));
        }
        if node.name.contains(&0) {
            return Err(bad(format!("the node name '{}' holds a NUL", String::from_utf8_lossy(&node.name))));
        }
        self.u32(FDT_BEGIN_NODE);
        self.out.extend_from_slice(&node.name);
        self.out.push(0);
        self.pad4();
        for p in &node.properties {
            if p.name.contains(&0) {
                return Err(bad(format!("the property name '{}' holds a NUL", String::from_utf8_lossy(&p.name))));
            }
            let len = u32::try_from(p.value.len()).map_err(|_| bad("a property value over 4 GiB"))?;
            let nameoff = match self.offsets.get(&p.name) {
                Some(&off) => off,
                None => {
                    let off = u32::try_from(self.strings.len()).map_err(|_| bad("a strings block over 4 GiB"))?;
                    self.strings.extend_from_slice(&p.name);
                    self.strings.push(0);
                    self.offsets.insert(p.name.clone(), off);
                    off
                }
            };
            self.u32(FDT_PROP);
            self.u32(len);
            self.u32(nameoff);
            self.out.extend_from_slice(&p.value);
            self.pad4();
        }
        for c in &node.children {
            self.node(c, depth + 1)?;
        }
        self.u32(FDT_END_NODE);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small tree written by hand, with a reservation, NOPs and a
    /// nested node.
    fn sample() -> Vec<u8> {
        let mut f = vm_fdt::FdtWriter::new_with_mem_reserv(&[vm_fdt::FdtReserveEntry::new(0x4800_0000, 0x1000).unwrap()]).unwrap();
        f.set_boot_cpuid_phys(3);
        let root = f.begin_node("").unwrap();
        f.property_u32("#address-cells", 2).unwrap();
        f.property_u32("#size-cells", 2).unwrap();
        f.property_string("compatible", "test,board").unwrap();
        let a = f.begin_node("soc").unwrap();
        f.property_null("ranges").unwrap();
        let b = f.begin_node("uart@1000").unwrap();
        f.property_array_u32("reg", &[0, 0x1000, 0, 0x100]).unwrap();
        f.property_string("status", "okay").unwrap();
        f.end_node(b).unwrap();
        f.end_node(a).unwrap();
        f.end_node(root).unwrap();
        f.finish().unwrap()
    }

    #[test]
    fn round_trips_byte_for_byte() {
        let dtb = sample();
        let fdt = Fdt::parse(&dtb).unwrap();
        assert_eq!(fdt.boot_cpuid_phys, 3);
        assert_eq!(fdt.reservations, vec![FdtReserveEntry { address: 0x4800_0000, size: 0x1000 }]);
        assert_eq!(fdt.root.child("soc").unwrap().child("uart").unwrap().property("status"), Some(&b"okay\0"[..]));
        // vm-fdt lays a tree out as the writer does, so the bytes match.
        assert_eq!(fdt.to_bytes().unwrap(), dtb);
    }

    #[test]
    fn nops_are_dropped() {
        // Replace the first property (#address-cells: token, len, nameoff,
        // value = 16 bytes) of the root with four FDT_NOPs.
        let dtb = sample();
        let off = be32(&dtb, 8).unwrap() as usize + 8; // after FDT_BEGIN_NODE and the empty name
        let mut noped = dtb.clone();
        for i in 0..4 {
            noped[off + 4 * i..off + 4 * i + 4].copy_from_slice(&FDT_NOP.to_be_bytes());
        }
        let fdt = Fdt::parse(&noped).unwrap();
        assert_eq!(fdt.root.property("#address-cells"), None);
        assert_eq!(fdt.root.property("#size-cells"), Some(&2u32.to_be_bytes()[..]));
    }

    #[test]
    fn names_match_as_path_components() {
        assert!(fdt_name_matches(b"memory", "memory"));
        assert!(fdt_name_matches(b"memory@40000000", "memory"));
        assert!(!fdt_name_matches(b"memory-controller", "memory"));
        assert!(!fdt_name_matches(b"memory@0", "memory@1"));
        assert!(fdt_name_matches(b"memory@1", "memory@1"));
    }

    fn err(bytes: &[u8]) -> String {
        match Fdt::parse(bytes) {
            Err(LoadError::BadDtb(m)) => m,
            other => panic!("expected BadDtb, got {other:?}"),
        }
    }

    #[test]
    fn malformed_trees_are_errors() {
        let dtb = sample();
        assert!(err(b"").contains("magic"));
        assert!(err(b"not a device tree").contains("magic"));
        assert!(err(&dtb[..20]).contains("truncated"));
        assert!(err(&dtb[..dtb.len() - 1]).contains("truncated"));
        let with = |field: usize, v: u32| {
            let mut d = dtb.clone();
            d[4 * field..4 * field + 4].copy_from_slice(&v.to_be_bytes());
            d
        };
        assert!(err(&with(1, 8)).contains("smaller than the header"));
        assert!(err(&with(5, 15)).contains("version"));
        assert!(err(&with(6, 18)).contains("version"));
        assert!(err(&with(2, 0xffff_fff0)).contains("structure block"));
        assert!(err(&with(3, 0xffff_fff0)).contains("strings block"));
        assert!(err(&with(4, 0xffff_fff0)).contains("memory reservation"));
        assert!(err(&with(8, 0)).contains("strings offset"));
        let off_struct = be32(&dtb, 8).unwrap();
        assert!(err(&with(2, off_struct + 2)).contains("aligned"));
        assert!(err(&with(9, 8)).contains("without FDT_END"));
        // The first token is not FDT_BEGIN_NODE.
        let mut d = dtb.clone();
        d[off_struct as usize..off_struct as usize + 4].copy_from_slice(&7u32.to_be_bytes());
        assert!(err(&d).contains("unknown structure block token 0x7"));
        d[off_struct as usize..off_struct as usize + 4].copy_from_slice(&FDT_END_NODE.to_be_bytes());
        assert!(err(&d).contains("closes no node"));
        d[off_struct as usize..off_struct as usize + 4].copy_from_slice(&FDT_PROP.to_be_bytes());
        assert!(err(&d).contains("outside any node"));
    }

    /// A blob whose structure block is `tokens`, with an empty strings
    /// block and no reservations.
    fn blob(tokens: &[u32]) -> Vec<u8> {
        let mut out = vec![0u8; HEADER_SIZE + 16];
        out.extend(tokens.iter().flat_map(|t| t.to_be_bytes()));
        let size_struct = tokens.len() * 4;
        let header = [FDT_MAGIC, out.len() as u32, 56, out.len() as u32, 40, 17, 16, 0, 0, size_struct as u32];
        for (i, v) in header.iter().enumerate() {
            out[4 * i..4 * i + 4].copy_from_slice(&v.to_be_bytes());
        }
        out
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let mut tokens = Vec::new();
        for _ in 0..100_000 {
            tokens.extend_from_slice(&[FDT_BEGIN_NODE, 0]);
        }
        assert!(err(&blob(&tokens)).contains("deeper than 64"));
        // 64 levels are fine.
        let mut tokens = Vec::new();
        for _ in 0..64 {
            tokens.extend_from_slice(&[FDT_BEGIN_NODE, 0]);
        }
        tokens.extend(std::iter::repeat_n(FDT_END_NODE, 64));
        tokens.push(FDT_END);
        Fdt::parse(&blob(&tokens)).unwrap();
    }

    #[test]
    fn structure_errors() {
        assert!(err(&blob(&[FDT_END])).contains("no root node"));
        assert!(err(&blob(&[FDT_BEGIN_NODE, 0, FDT_END])).contains("unclosed"));
        assert!(err(&blob(&[FDT_BEGIN_NODE, 0, FDT_END_NODE, FDT_BEGIN_NODE, 0, FDT_END_NODE, FDT_END])).contains("second root"));
        assert!(err(&blob(&[FDT_BEGIN_NODE, 0, FDT_PROP, 0xffff_fff0, 0, FDT_END_NODE, FDT_END])).contains("runs past"));
        assert!(err(&blob(&[FDT_BEGIN_NODE, 0x4141_4141])).contains("no terminating NUL"));
        assert!(err(&blob(&[FDT_BEGIN_NODE, 0, FDT_PROP])).contains("truncated"));
        // NOPs around the root are fine.
        let fdt = Fdt::parse(&blob(&[FDT_NOP, FDT_BEGIN_NODE, 0, FDT_NOP, FDT_END_NODE, FDT_NOP, FDT_END])).unwrap();
        assert_eq!(fdt.root, FdtNode::default());
    }

    #[test]
    fn the_writer_refuses_what_no_blob_can_hold() {
        let mut fdt = Fdt { boot_cpuid_phys: 0, reservations: vec![], root: FdtNode::new("") };
        fdt.root.children.push(FdtNode::new("a\0b"));
        assert!(fdt.to_bytes().is_err());
        fdt.root.children[0] = FdtNode::new("a");
        fdt.root.children[0].set_property("x\0", vec![]);
        assert!(fdt.to_bytes().is_err());
        let mut deep = FdtNode::new("n");
        for _ in 0..FDT_MAX_DEPTH {
            deep = FdtNode { children: vec![deep], ..FdtNode::new("n") };
        }
        fdt.root.children[0] = deep;
        assert!(fdt.to_bytes().is_err());
    }

    /// xorshift64*: a fixed-seed generator for the fuzz test.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// Whatever the bytes, parsing returns (and what parses also writes
    /// and parses back to the same tree).
    fn survives(bytes: &[u8]) {
        if let Ok(fdt) = Fdt::parse(bytes) {
            let again = fdt.to_bytes().unwrap();
            assert_eq!(Fdt::parse(&again).unwrap(), fdt);
        }
    }

    #[test]
    fn fuzz_truncated_garbage_and_mutated_trees_never_panic() {
        let dtb = sample();
        for len in 0..=dtb.len() {
            survives(&dtb[..len]);
        }
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..2000 {
            let len = rng.below(200);
            let mut junk: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            if len >= 4 && rng.below(2) == 0 {
                junk[..4].copy_from_slice(&FDT_MAGIC.to_be_bytes());
            }
            survives(&junk);
        }
        for _ in 0..20_000 {
            let mut d = dtb.clone();
            for _ in 0..1 + rng.below(4) {
                let i = rng.below(d.len());
                match rng.below(4) {
                    // A random byte, a small word, a bit flip, or a token.
                    0 => d[i] = rng.next() as u8,
                    1 if i + 4 <= d.len() => d[i & !3..(i & !3) + 4].copy_from_slice(&(rng.below(16) as u32).to_be_bytes()),
                    2 => d[i] ^= 1 << rng.below(8),
                    _ => d[i] = [1u8, 2, 3, 4, 9][rng.below(5)],
                }
            }
            if rng.below(4) == 0 {
                d.truncate(rng.below(d.len() + 1));
            }
            survives(&d);
        }
    }
}
