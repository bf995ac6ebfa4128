//! `patch_dtb` on trees written with vm-fdt: what a user's `--dtb` becomes
//! before a Linux kernel sees it (`/memory`, `/chosen` and `/psci` set,
//! everything else kept byte for byte), and malformed trees refused.

use chimera_firmware::{patch_dtb, virt_dtb, DtbPatch, Fdt, FdtNode, FdtReserveEntry, LoadError, VirtDescription};
use vm_fdt::FdtWriter;

const RAM: (u64, u64) = (0x4000_0000, 0x2000_0000);
const INITRD: (u64, u64) = (0x4800_0000, 0x4812_3456);

/// A user's tree: root cells `cells` (address, size), optionally a
/// `/chosen` with a command line and an old initrd, two memory nodes, a
/// PSCI node calling with `smc`, and unrelated nodes.
fn user_tree(cells: (u32, u32), chosen: bool) -> Vec<u8> {
    let mut f = FdtWriter::new_with_mem_reserv(&[
        vm_fdt::FdtReserveEntry::new(0x4000_0000, 0x1_0000).unwrap(),
        vm_fdt::FdtReserveEntry::new(0x5000_0000, 0x2000).unwrap(),
    ])
    .unwrap();
    f.set_boot_cpuid_phys(1);
    let root = f.begin_node("").unwrap();
    f.property_u32("#address-cells", cells.0).unwrap();
    f.property_u32("#size-cells", cells.1).unwrap();
    f.property_string("compatible", "linux,dummy-virt").unwrap();
    f.property_string("model", "a user's board").unwrap();
    if chosen {
        let c = f.begin_node("chosen").unwrap();
        f.property_string("bootargs", "console=ttyS0 old").unwrap();
        f.property_string("stdout-path", "/pl011@9000000").unwrap();
        f.property_u32("linux,initrd-start", 0x1000).unwrap();
        f.property_u32("linux,initrd-end", 0x2000).unwrap();
        f.end_node(c).unwrap();
    }
    for base in [0x4000_0000u32, 0x8000_0000] {
        let m = f.begin_node(&format!("memory@{base:x}")).unwrap();
        f.property_string("device_type", "memory").unwrap();
        f.property_array_u32("reg", &[base, 0x100_0000]).unwrap();
        f.property_u32("numa-node-id", 0).unwrap();
        f.end_node(m).unwrap();
    }
    let p = f.begin_node("psci").unwrap();
    f.property_string("compatible", "arm,psci-0.2").unwrap();
    f.property_string("method", "smc").unwrap();
    f.end_node(p).unwrap();
    // A node whose name starts like the memory node's but is another one.
    let mc = f.begin_node("memory-controller@1000").unwrap();
    f.property_array_u32("reg", &[0x1000, 0x100]).unwrap();
    let inner = f.begin_node("memory@0").unwrap();
    f.property_u32("reg", 0).unwrap();
    f.end_node(inner).unwrap();
    f.end_node(mc).unwrap();
    let uart = f.begin_node("pl011@9000000").unwrap();
    f.property_string_list("compatible", vec!["arm,pl011".into(), "arm,primecell".into()]).unwrap();
    f.property(&"x".repeat(31), &[1, 2, 3]).unwrap();
    f.property_null("empty").unwrap();
    f.end_node(uart).unwrap();
    f.end_node(root).unwrap();
    f.finish().unwrap()
}

fn patch(dtb: &[u8], bootargs: &str, initrd: Option<(u64, u64)>) -> Result<Fdt, LoadError> {
    let out = patch_dtb(dtb, &DtbPatch { ram: RAM, bootargs, initrd, psci: true })?;
    Ok(Fdt::parse(&out).expect("the patched tree parses"))
}

fn cells(v: &[u8]) -> Vec<u32> {
    v.chunks(4).map(|c| u32::from_be_bytes(c.try_into().unwrap())).collect()
}

fn string(v: &[u8]) -> &str {
    std::str::from_utf8(v.strip_suffix(b"\0").expect("NUL-terminated")).unwrap()
}

fn names(n: &FdtNode) -> Vec<String> {
    n.children.iter().map(|c| String::from_utf8_lossy(&c.name).into_owned()).collect()
}

#[test]
fn chosen_and_memory_are_set_and_the_rest_survives() {
    let dtb = user_tree((2, 2), true);
    let before = Fdt::parse(&dtb).unwrap();
    let after = patch(&dtb, "console=ttyAMA0 root=/dev/vda", Some(INITRD)).unwrap();

    let chosen = after.root.child("chosen").unwrap();
    assert_eq!(string(chosen.property("bootargs").unwrap()), "console=ttyAMA0 root=/dev/vda");
    // Two cells each (#address-cells = 2): 8 bytes.
    assert_eq!(chosen.property("linux,initrd-start").unwrap(), &INITRD.0.to_be_bytes());
    assert_eq!(chosen.property("linux,initrd-end").unwrap(), &INITRD.1.to_be_bytes());
    // The other property of /chosen is kept, in place.
    let old_chosen = before.root.child("chosen").unwrap();
    assert_eq!(chosen.properties[1], old_chosen.properties[1]);
    assert_eq!(chosen.properties.len(), old_chosen.properties.len());

    // One memory node, first, for all of RAM; the user's two are gone.
    let memories: Vec<&FdtNode> = after.root.children.iter().filter(|c| c.name.starts_with(b"memory@")).collect();
    assert_eq!(memories.len(), 1);
    assert_eq!(memories[0].name, b"memory@40000000");
    assert_eq!(string(memories[0].property("device_type").unwrap()), "memory");
    assert_eq!(cells(memories[0].property("reg").unwrap()), [0, 0x4000_0000, 0, 0x2000_0000]);
    assert_eq!(memories[0].property("numa-node-id"), None);

    // /psci is the board's.
    let psci = after.root.child("psci").unwrap();
    assert_eq!(string(psci.property("method").unwrap()), "hvc");
    assert!(psci.property("compatible").unwrap().starts_with(b"arm,psci-1.0\0"));
    assert_eq!(cells(psci.property("cpu_on").unwrap()), [0xc400_0003]);

    // The new nodes come first, as QEMU's libfdt insertions leave them.
    assert_eq!(names(&after.root), ["psci", "memory@40000000", "chosen", "memory-controller@1000", "pl011@9000000"]);

    // Everything else is as it was, byte for byte: the root's properties,
    // the unrelated nodes (memory@0 under memory-controller included), the
    // memory reservations and the boot CPU.
    assert_eq!(after.root.properties, before.root.properties);
    for name in ["memory-controller@1000", "pl011@9000000"] {
        assert_eq!(after.root.child(name), before.root.child(name), "{name}");
    }
    assert_eq!(after.reservations, [FdtReserveEntry { address: 0x4000_0000, size: 0x1_0000 }, FdtReserveEntry { address: 0x5000_0000, size: 0x2000 }]);
    assert_eq!(after.boot_cpuid_phys, 1);
}

#[test]
fn one_cell_roots_get_one_cell_values() {
    let after = patch(&user_tree((1, 1), true), "quiet", Some(INITRD)).unwrap();
    let chosen = after.root.child("chosen").unwrap();
    assert_eq!(chosen.property("linux,initrd-start").unwrap(), &(INITRD.0 as u32).to_be_bytes());
    assert_eq!(chosen.property("linux,initrd-end").unwrap(), &(INITRD.1 as u32).to_be_bytes());
    let memory = after.root.child("memory").unwrap();
    assert_eq!(cells(memory.property("reg").unwrap()), [0x4000_0000, 0x2000_0000]);
    // Mixed: two address cells, one size cell.
    let after = patch(&user_tree((2, 1), true), "", None).unwrap();
    assert_eq!(cells(after.root.child("memory").unwrap().property("reg").unwrap()), [0, 0x4000_0000, 0x2000_0000]);
}

#[test]
fn a_tree_without_chosen_gets_one() {
    let dtb = user_tree((2, 2), false);
    assert!(Fdt::parse(&dtb).unwrap().root.child("chosen").is_none());
    let after = patch(&dtb, "console=ttyAMA0", Some(INITRD)).unwrap();
    let chosen = after.root.child("chosen").unwrap();
    assert_eq!(chosen.name, b"chosen");
    let props: Vec<&[u8]> = chosen.properties.iter().map(|p| p.name.as_slice()).collect();
    assert_eq!(props, [&b"bootargs"[..], b"linux,initrd-start", b"linux,initrd-end"]);
    // Even with nothing to put in it.
    let after = patch(&dtb, "", None).unwrap();
    assert_eq!(after.root.child("chosen").unwrap().properties, []);
    assert_eq!(names(&after.root)[..3], ["psci", "chosen", "memory@40000000"]);
}

#[test]
fn without_append_or_initrd_chosen_keeps_its_own() {
    let dtb = user_tree((2, 2), true);
    let before = Fdt::parse(&dtb).unwrap();
    // An empty initrd sets nothing either, as QEMU's -initrd of an empty file.
    for initrd in [None, Some((INITRD.0, INITRD.0))] {
        let after = patch(&dtb, "", initrd).unwrap();
        assert_eq!(after.root.child("chosen"), before.root.child("chosen"));
    }
}

#[test]
fn a_chosen_with_a_unit_address_is_the_chosen_node() {
    let mut fdt = Fdt::parse(&user_tree((2, 2), true)).unwrap();
    fdt.root.child_mut("chosen").unwrap().name = b"chosen@0".to_vec();
    let after = patch(&fdt.to_bytes().unwrap(), "x", None).unwrap();
    assert_eq!(after.root.children.iter().filter(|c| c.name.starts_with(b"chosen")).count(), 1);
    assert_eq!(string(after.root.child("chosen@0").unwrap().property("bootargs").unwrap()), "x");
}

#[test]
fn patching_twice_changes_nothing_more() {
    let once = patch_dtb(&user_tree((2, 2), true), &DtbPatch { ram: RAM, bootargs: "a", initrd: Some(INITRD), psci: true }).unwrap();
    let twice = patch_dtb(&once, &DtbPatch { ram: RAM, bootargs: "a", initrd: Some(INITRD), psci: true }).unwrap();
    assert_eq!(once, twice);
}

#[test]
fn the_patched_tree_can_outgrow_the_file() {
    // The smallest useful tree: a root with its cells.
    let mut f = FdtWriter::new().unwrap();
    let root = f.begin_node("").unwrap();
    f.property_u32("#address-cells", 2).unwrap();
    f.property_u32("#size-cells", 2).unwrap();
    f.end_node(root).unwrap();
    let dtb = f.finish().unwrap();
    let long = "x".repeat(4000);
    let out = patch_dtb(&dtb, &DtbPatch { ram: RAM, bootargs: &long, initrd: Some(INITRD), psci: false }).unwrap();
    assert!(out.len() > dtb.len() + 4000);
    assert_eq!(u32::from_be_bytes(out[4..8].try_into().unwrap()) as usize, out.len(), "totalsize");
    let after = Fdt::parse(&out).unwrap();
    assert_eq!(string(after.root.child("chosen").unwrap().property("bootargs").unwrap()), long);
    // Without `psci`, no PSCI node is added.
    assert!(after.root.child("psci").is_none());
}

#[test]
fn the_boards_own_tree_patches_to_its_own_values() {
    // The board's tree for a 512 MiB RAM with a command line and an
    // initrd, and the same tree made without them then patched, agree.
    let d = |bootargs, initrd| VirtDescription {
        ram: RAM,
        cpu_compatible: "arm,cortex-a57",
        bootargs,
        initrd,
        gic: (0x0800_0000, 0x0801_0000),
        uart: (0x0900_0000, 1),
        rtc: (0x0901_0000, 2),
    };
    let full = Fdt::parse(&virt_dtb(&d("console=ttyAMA0", Some(INITRD))).unwrap()).unwrap();
    let patched = patch(&virt_dtb(&d("", None)).unwrap(), "console=ttyAMA0", Some(INITRD)).unwrap();
    for name in ["chosen", "memory", "psci", "cpus", "timer", "intc", "pl011", "pl031"] {
        assert_eq!(patched.root.child(name), full.root.child(name), "{name}");
    }
}

fn bad_dtb(dtb: &[u8], ram: (u64, u64), initrd: Option<(u64, u64)>) -> String {
    match patch_dtb(dtb, &DtbPatch { ram, bootargs: "", initrd, psci: true }) {
        Err(LoadError::BadDtb(m)) => m,
        other => panic!("expected BadDtb, got {other:?}"),
    }
}

#[test]
fn trees_that_cannot_describe_the_machine_are_refused() {
    // Cells: missing, 0, 3, or not one cell long.
    let mut fdt = Fdt::parse(&user_tree((2, 2), true)).unwrap();
    fdt.root.properties.retain(|p| p.name != b"#address-cells");
    assert!(bad_dtb(&fdt.to_bytes().unwrap(), RAM, None).contains("no #address-cells"));
    for (v, msg) in [(vec![0, 0, 0, 0], "is 0"), (vec![0, 0, 0, 3], "is 3"), (vec![0, 2], "2 bytes long")] {
        fdt.root.set_property("#address-cells", v);
        assert!(bad_dtb(&fdt.to_bytes().unwrap(), RAM, None).contains(msg), "{msg}");
    }
    // One size cell cannot say 4 GiB; one address cell cannot hold an
    // address above 4 GiB.
    assert!(bad_dtb(&user_tree((2, 1), true), (0x4000_0000, 1 << 32), None).contains("#size-cells is 1"));
    assert!(bad_dtb(&user_tree((1, 2), true), (1 << 32, 0x1000), None).contains("RAM base"));
    assert!(bad_dtb(&user_tree((1, 2), true), RAM, Some((1 << 32, (1 << 32) + 1))).contains("initrd start"));
}

#[test]
fn malformed_trees_are_errors_not_panics() {
    let dtb = user_tree((2, 2), true);
    assert!(bad_dtb(b"", RAM, None).contains("magic"));
    assert!(bad_dtb(b"\xd0\x0d\xfe\xed", RAM, None).contains("truncated"));
    for len in 0..dtb.len() {
        assert!(matches!(patch_dtb(&dtb[..len], &DtbPatch { ram: RAM, bootargs: "", initrd: None, psci: true }), Err(LoadError::BadDtb(_))), "{len}");
    }
    // Every single-byte corruption either patches or is a BadDtb.
    for i in 0..dtb.len() {
        for v in [0x00, 0x01, 0x02, 0x03, 0x09, 0x7f, 0xff] {
            let mut d = dtb.clone();
            d[i] = v;
            match patch_dtb(&d, &DtbPatch { ram: RAM, bootargs: "a", initrd: Some(INITRD), psci: true }) {
                Ok(out) => {
                    Fdt::parse(&out).unwrap();
                }
                Err(LoadError::BadDtb(_)) => {}
                Err(e) => panic!("byte {i} = {v:#x}: {e:?}"),
            }
        }
    }
}
