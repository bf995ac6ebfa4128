//! Booting an arm64 Linux `Image` without firmware, as QEMU's `-kernel`
//! does on `virt`: where the kernel, the initrd and the device tree go, the
//! boot stub that enters the kernel, and the device tree itself.
//!
//! The boot protocol is the kernel's `Documentation/arm64/booting.rst`: the
//! image at a 2 MiB aligned base plus `text_offset`, the DTB 8-byte aligned
//! and at most 2 MiB (QEMU puts it 2 MiB aligned after the initrd), `x0` =
//! the DTB's physical address, `x1`-`x3` = 0, the MMU off and DAIF masked at
//! EL1.

use crate::dtb::{fdt_name_matches, Fdt, FdtNode};
use crate::{parse_arm64_image, Arm64Image, LoadError};
use vm_fdt::{FdtWriter, FdtWriterResult};

const MIB: u64 = 1 << 20;

/// Where each piece goes in guest physical memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arm64LinuxLayout {
    /// The boot stub (at the start of RAM): the CPU starts here.
    pub stub: u64,
    /// The kernel image.
    pub kernel: u64,
    /// The initrd, if any: start and end.
    pub initrd: Option<(u64, u64)>,
    /// The device tree blob.
    pub dtb: u64,
}

fn align_up(x: u64, a: u64) -> u64 {
    x.div_ceil(a) * a
}

/// Place a kernel (`image`, `kernel_len` bytes of file), an initrd of
/// `initrd_len` bytes and a DTB of `dtb_len` bytes in RAM at
/// `ram_base..ram_base + ram_size`, as QEMU 7.2's `hw/arm/boot.c` does: the
/// kernel at the 2 MiB aligned base plus `text_offset` (2 MiB up when that
/// would overlap the boot stub), the initrd at `min(RAM / 2, 128 MiB)` into
/// RAM or after the kernel's memory footprint if that is higher, the DTB 2
/// MiB aligned after both. The addresses do not depend on `dtb_len`, which
/// only decides whether the DTB fits in RAM.
pub fn place_arm64_linux(
    ram_base: u64,
    ram_size: u64,
    image: &Arm64Image,
    kernel_len: u64,
    initrd_len: Option<u64>,
    dtb_len: u64,
) -> Result<Arm64LinuxLayout, LoadError> {
    let mut kernel = ram_base + image.load_offset();
    if image.load_offset() < 0x1000 {
        // The boot stub sits at the start of RAM.
        kernel += 2 * MIB;
    }
    let footprint = image.image_size.max(kernel_len);
    let kernel_end = kernel + footprint;
    let initrd = initrd_len.map(|len| {
        let start = align_up(kernel_end.max(ram_base + (ram_size / 2).min(128 * MIB)), 0x1000);
        (start, start + len)
    });
    let dtb = align_up(initrd.map_or(kernel_end, |(_, end)| end), 2 * MIB);
    let ram_end = ram_base + ram_size;
    if dtb + dtb_len > ram_end {
        return Err(LoadError::LinuxDoesNotFit { need: dtb + dtb_len - ram_base, ram: ram_size });
    }
    Ok(Arm64LinuxLayout { stub: ram_base, kernel, initrd, dtb })
}

/// The boot stub: `x0` = `dtb`, `x1`-`x3` = 0, branch to `entry` (the
/// protocol of booting.rst, "Call the kernel image"). 40 bytes.
pub fn arm64_boot_stub(dtb: u64, entry: u64) -> Vec<u8> {
    let words: [u32; 6] = [
        0x5800_00c0, // ldr x0, 0x18 (dtb)
        0xaa1f_03e1, // mov x1, xzr
        0xaa1f_03e2, // mov x2, xzr
        0xaa1f_03e3, // mov x3, xzr
        0x5800_0084, // ldr x4, 0x20 (entry)
        0xd61f_0080, // br x4
    ];
    let mut out: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    out.extend_from_slice(&dtb.to_le_bytes());
    out.extend_from_slice(&entry.to_le_bytes());
    out
}

/// Whether `bytes` start with an arm64 Linux `Image` header.
pub fn is_arm64_image(bytes: &[u8]) -> bool {
    parse_arm64_image(bytes).is_ok()
}

/// Check that `bytes` are a well-formed flattened device tree (Devicetree
/// Specification chapter 5: the header's magic 0xd00dfeed, `totalsize`
/// within the file, a version 16 or 17 compatible format, every block in
/// bounds, the structure block properly nested) before handing it to a
/// guest.
pub fn check_dtb(bytes: &[u8]) -> Result<(), LoadError> {
    Fdt::parse(bytes).map(|_| ())
}

/// What [`patch_dtb`] sets in a device tree given to a Linux kernel.
#[derive(Clone, Debug)]
pub struct DtbPatch<'a> {
    /// RAM base and size: the `reg` of the one `/memory` node.
    pub ram: (u64, u64),
    /// The kernel command line: `/chosen/bootargs`, unless empty.
    pub bootargs: &'a str,
    /// The initrd's start and end: `/chosen/linux,initrd-start` and
    /// `linux,initrd-end`, unless absent or empty.
    pub initrd: Option<(u64, u64)>,
    /// Whether to replace `/psci` by the board's own PSCI node (PSCI 1.0
    /// called with `hvc`, as [`virt_dtb`] describes it).
    pub psci: bool,
}

/// `#address-cells` or `#size-cells` of the root node (Devicetree
/// Specification 2.3.5; 3.2 makes both required in the root): the width,
/// in 32-bit cells, of addresses and sizes in the root's children's `reg`
/// and of the `/chosen` initrd addresses. Only 1 and 2 are supported.
fn root_cells(root: &FdtNode, name: &str) -> Result<u32, LoadError> {
    let v = root.property(name).ok_or_else(|| LoadError::BadDtb(format!("the root node has no {name} (the Devicetree Specification requires it)")))?;
    let cells = match v {
        [a, b, c, d] => u32::from_be_bytes([*a, *b, *c, *d]),
        _ => return Err(LoadError::BadDtb(format!("the root node's {name} is {} bytes long, not one cell", v.len()))),
    };
    match cells {
        1 | 2 => Ok(cells),
        _ => Err(LoadError::BadDtb(format!("the root node's {name} is {cells}: only 1 or 2 cells are supported for /memory and the initrd"))),
    }
}

/// `values` as big-endian 32-bit cells, each value `cells` wide (1 or 2),
/// as a `reg`-style property (Devicetree Specification 2.2.4 and 2.3.6);
/// `None` if a value does not fit its width.
fn sized_cells(values: &[(u32, u64)]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for &(cells, v) in values {
        match cells {
            1 => out.extend_from_slice(&u32::try_from(v).ok()?.to_be_bytes()),
            _ => out.extend_from_slice(&v.to_be_bytes()),
        }
    }
    Some(out)
}

/// The PSCI node of the board (the `arm,psci` binding): compatible
/// strings, calling method, and the PSCI 0.1 function properties with the
/// PSCI 0.2 function IDs (`CPU_SUSPEND`, `CPU_OFF`, `CPU_ON`, `MIGRATE`).
const PSCI_COMPATIBLE: [&str; 3] = ["arm,psci-1.0", "arm,psci-0.2", "arm,psci"];
const PSCI_METHOD: &str = "hvc";
const PSCI_FUNCTIONS: [(&str, u32); 4] = [("cpu_suspend", 0xc400_0001), ("cpu_off", 0x8400_0002), ("cpu_on", 0xc400_0003), ("migrate", 0xc400_0005)];

/// A NUL-terminated string value (Devicetree Specification 2.2.4).
fn dt_string(s: &str) -> Vec<u8> {
    let mut v = s.as_bytes().to_vec();
    v.push(0);
    v
}

fn psci_node() -> FdtNode {
    let mut n = FdtNode::new("psci");
    n.set_property("compatible", PSCI_COMPATIBLE.iter().flat_map(|s| dt_string(s)).collect::<Vec<u8>>());
    n.set_property("method", dt_string(PSCI_METHOD));
    for (name, id) in PSCI_FUNCTIONS {
        n.set_property(name, id.to_be_bytes());
    }
    n
}

/// Prepare a user's device tree (`--dtb`) for a Linux kernel as QEMU's
/// `-dtb` does on Arm boards, leaving everything else as it is (the memory
/// reservations included):
///
/// - every `memory` / `memory@...` node of the root is removed and one
///   `memory@<base>` node put first among the root's children, with
///   `device_type = "memory"` and `reg` = the RAM's base and size in the
///   root's `#address-cells` and `#size-cells` (Devicetree Specification
///   3.4), which the tree must have, each 1 or 2;
/// - `/chosen` (3.6) is added if the tree lacks it; its `bootargs` is set
///   to `bootargs` unless that is empty, and with a non-empty initrd its
///   `linux,initrd-start` and `linux,initrd-end` are set, each as wide as
///   the root's `#address-cells` (Linux reads them at any width);
/// - with `psci`, the `/psci` node is replaced by the board's own, so that
///   the kernel calls PSCI as the board implements it.
///
/// The result can be larger than `dtb`: place it by its own length.
pub fn patch_dtb(dtb: &[u8], p: &DtbPatch) -> Result<Vec<u8>, LoadError> {
    let mut fdt = Fdt::parse(dtb)?;
    let root = &mut fdt.root;
    let acells = root_cells(root, "#address-cells")?;
    let scells = root_cells(root, "#size-cells")?;
    let (base, size) = p.ram;
    if scells < 2 && size >= 1 << 32 {
        return Err(LoadError::BadDtb(format!("the root node's #size-cells is 1, too narrow for the RAM size {size:#x} (4 GiB or more)")));
    }
    let reg = sized_cells(&[(acells, base), (scells, size)])
        .ok_or_else(|| LoadError::BadDtb(format!("the root node's #address-cells is 1, too narrow for the RAM base {base:#x}")))?;
    root.children.retain(|c| !fdt_name_matches(&c.name, "memory"));
    let mut memory = FdtNode::new(&format!("memory@{base:x}"));
    memory.set_property("device_type", dt_string("memory"));
    memory.set_property("reg", reg);
    root.children.insert(0, memory);

    if root.child_index("chosen").is_none() {
        root.children.insert(0, FdtNode::new("chosen"));
    }
    let chosen = root.child_mut("chosen").expect("/chosen was just made sure of");
    if !p.bootargs.is_empty() {
        chosen.set_property("bootargs", dt_string(p.bootargs));
    }
    if let Some((start, end)) = p.initrd.filter(|(start, end)| end > start) {
        let too_narrow = |what: &str, v: u64| LoadError::BadDtb(format!("the root node's #address-cells is 1, too narrow for the initrd {what} {v:#x}"));
        let start_cells = sized_cells(&[(acells, start)]).ok_or_else(|| too_narrow("start", start))?;
        let end_cells = sized_cells(&[(acells, end)]).ok_or_else(|| too_narrow("end", end))?;
        chosen.set_property("linux,initrd-start", start_cells);
        chosen.set_property("linux,initrd-end", end_cells);
    }

    if p.psci {
        if let Some(i) = root.child_index("psci") {
            root.children.remove(i);
        }
        root.children.insert(0, psci_node());
    }
    fdt.to_bytes()
}

/// The `virt` board as a device tree describes it to Linux: what
/// [`virt_dtb`] needs.
#[derive(Clone, Debug)]
pub struct VirtDescription<'a> {
    /// RAM base and size.
    pub ram: (u64, u64),
    /// The CPU's `compatible` (`arm,cortex-a57`...).
    pub cpu_compatible: &'a str,
    /// The kernel command line (`/chosen/bootargs`).
    pub bootargs: &'a str,
    /// The initrd's start and end.
    pub initrd: Option<(u64, u64)>,
    /// GIC distributor and CPU interface bases.
    pub gic: (u64, u64),
    /// PL011 base and SPI.
    pub uart: (u64, u32),
    /// PL031 base and SPI.
    pub rtc: (u64, u32),
}

/// Phandles of the tree.
const GIC_PHANDLE: u32 = 1;
const CLOCK_PHANDLE: u32 = 2;

/// GIC interrupt specifier cells (the `arm,cortex-a15-gic` binding): type
/// 0 SPI, 1 PPI; level-high 4; the PPI CPU mask (one CPU) in bits 8 up.
const SPI: u32 = 0;
const PPI: u32 = 1;
const LEVEL_HIGH: u32 = 4;
const PPI_CPU0: u32 = 1 << 8;

/// The device tree of the `virt` board, with the nodes Debian's kernel
/// needs (memory, CPU with PSCI, GICv2, the architected timer's four PPIs,
/// PL011 and PL031 with the APB clock, PSCI 1.0 over HVC, `/chosen`), in
/// QEMU's layout.
pub fn virt_dtb(d: &VirtDescription) -> Result<Vec<u8>, LoadError> {
    build_virt(d).map_err(|e| LoadError::BadDtb(format!("building the device tree: {e}")))
}

fn build_virt(d: &VirtDescription) -> FdtWriterResult<Vec<u8>> {
    let mut f = FdtWriter::new()?;
    let root = f.begin_node("")?;
    f.property_u32("#address-cells", 2)?;
    f.property_u32("#size-cells", 2)?;
    f.property_string("compatible", "linux,dummy-virt")?;
    f.property_string("model", "linux,dummy-virt")?;
    f.property_u32("interrupt-parent", GIC_PHANDLE)?;

    let chosen = f.begin_node("chosen")?;
    f.property_string("bootargs", d.bootargs)?;
    f.property_string("stdout-path", &format!("/pl011@{:x}", d.uart.0))?;
    if let Some((start, end)) = d.initrd {
        f.property_u64("linux,initrd-start", start)?;
        f.property_u64("linux,initrd-end", end)?;
    }
    f.end_node(chosen)?;

    let mem = f.begin_node(&format!("memory@{:x}", d.ram.0))?;
    f.property_string("device_type", "memory")?;
    f.property_array_u64("reg", &[d.ram.0, d.ram.1])?;
    f.end_node(mem)?;

    let cpus = f.begin_node("cpus")?;
    f.property_u32("#address-cells", 1)?;
    f.property_u32("#size-cells", 0)?;
    let cpu = f.begin_node("cpu@0")?;
    f.property_string("device_type", "cpu")?;
    f.property_string("compatible", d.cpu_compatible)?;
    f.property_u32("reg", 0)?;
    f.property_string("enable-method", "psci")?;
    f.end_node(cpu)?;
    f.end_node(cpus)?;

    let psci = f.begin_node("psci")?;
    f.property_string_list("compatible", PSCI_COMPATIBLE.iter().map(|s| s.to_string()).collect())?;
    f.property_string("method", PSCI_METHOD)?;
    for (name, id) in PSCI_FUNCTIONS {
        f.property_u32(name, id)?;
    }
    f.end_node(psci)?;

    // The architected timer: secure physical, non-secure physical,
    // virtual, hypervisor PPIs (13, 14, 11, 10).
    let timer = f.begin_node("timer")?;
    f.property_string("compatible", "arm,armv8-timer")?;
    let mut irqs = Vec::new();
    for ppi in [13, 14, 11, 10] {
        irqs.extend_from_slice(&[PPI, ppi, PPI_CPU0 | LEVEL_HIGH]);
    }
    f.property_array_u32("interrupts", &irqs)?;
    f.property_null("always-on")?;
    f.end_node(timer)?;

    let gic = f.begin_node(&format!("intc@{:x}", d.gic.0))?;
    f.property_string("compatible", "arm,cortex-a15-gic")?;
    f.property_u32("#interrupt-cells", 3)?;
    f.property_null("interrupt-controller")?;
    f.property_u32("#address-cells", 2)?;
    f.property_u32("#size-cells", 2)?;
    f.property_null("ranges")?;
    f.property_array_u64("reg", &[d.gic.0, 0x1_0000, d.gic.1, 0x1_0000])?;
    f.property_u32("phandle", GIC_PHANDLE)?;
    f.end_node(gic)?;

    let clk = f.begin_node("apb-pclk")?;
    f.property_string("compatible", "fixed-clock")?;
    f.property_u32("#clock-cells", 0)?;
    f.property_u32("clock-frequency", 24_000_000)?;
    f.property_string("clock-output-names", "clk24mhz")?;
    f.property_u32("phandle", CLOCK_PHANDLE)?;
    f.end_node(clk)?;

    let uart = f.begin_node(&format!("pl011@{:x}", d.uart.0))?;
    f.property_string_list("compatible", vec!["arm,pl011".into(), "arm,primecell".into()])?;
    f.property_array_u64("reg", &[d.uart.0, 0x1000])?;
    f.property_array_u32("interrupts", &[SPI, d.uart.1, LEVEL_HIGH])?;
    f.property_array_u32("clocks", &[CLOCK_PHANDLE, CLOCK_PHANDLE])?;
    f.property_string_list("clock-names", vec!["uartclk".into(), "apb_pclk".into()])?;
    f.end_node(uart)?;

    let rtc = f.begin_node(&format!("pl031@{:x}", d.rtc.0))?;
    f.property_string_list("compatible", vec!["arm,pl031".into(), "arm,primecell".into()])?;
    f.property_array_u64("reg", &[d.rtc.0, 0x1000])?;
    f.property_array_u32("interrupts", &[SPI, d.rtc.1, LEVEL_HIGH])?;
    f.property_u32("clocks", CLOCK_PHANDLE)?;
    f.property_string("clock-names", "apb_pclk")?;
    f.end_node(rtc)?;

    f.end_node(root)?;
    f.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn debian_like() -> Arm64Image {
        Arm64Image { text_offset: 0, image_size: 0x201_0000, flags: 0xa }
    }

    #[test]
    fn layout_as_qemu() {
        let l = place_arm64_linux(0x4000_0000, 512 * MIB, &debian_like(), 0x1f0_0000, Some(1_000_000), 0x2000).unwrap();
        assert_eq!(l.kernel, 0x4020_0000);
        // min(256 MiB, 128 MiB) into RAM, above the kernel's end.
        assert_eq!(l.initrd, Some((0x4800_0000, 0x4800_0000 + 1_000_000)));
        assert_eq!(l.dtb, 0x4820_0000);
        // Without an initrd the DTB follows the kernel's footprint.
        let l = place_arm64_linux(0x4000_0000, 512 * MIB, &debian_like(), 0x1f0_0000, None, 0x2000).unwrap();
        assert_eq!(l.dtb, 0x4240_0000);
        // The DTB's size moves nothing; it only has to fit.
        let big = place_arm64_linux(0x4000_0000, 512 * MIB, &debian_like(), 0x1f0_0000, None, 0x20_0000).unwrap();
        assert_eq!(big, place_arm64_linux(0x4000_0000, 512 * MIB, &debian_like(), 0x1f0_0000, None, 0).unwrap());
        // Too little RAM.
        assert!(place_arm64_linux(0x4000_0000, 32 * MIB, &debian_like(), 0x1f0_0000, Some(1 << 24), 0x2000).is_err());
    }

    #[test]
    fn the_stub_loads_x0_and_branches() {
        let s = arm64_boot_stub(0x4820_0000, 0x4020_0000);
        assert_eq!(s.len(), 40);
        assert_eq!(u64::from_le_bytes(s[24..32].try_into().unwrap()), 0x4820_0000);
        assert_eq!(u64::from_le_bytes(s[32..40].try_into().unwrap()), 0x4020_0000);
    }

    #[test]
    fn the_tree_is_a_valid_dtb() {
        let d = VirtDescription {
            ram: (0x4000_0000, 512 * MIB),
            cpu_compatible: "arm,cortex-a57",
            bootargs: "console=ttyAMA0",
            initrd: Some((0x4800_0000, 0x4810_0000)),
            gic: (0x0800_0000, 0x0801_0000),
            uart: (0x0900_0000, 1),
            rtc: (0x0901_0000, 2),
        };
        let dtb = virt_dtb(&d).unwrap();
        check_dtb(&dtb).unwrap();
        let text = String::from_utf8_lossy(&dtb);
        for s in ["console=ttyAMA0", "arm,cortex-a15-gic", "arm,armv8-timer", "arm,pl011", "apb_pclk", "/pl011@9000000", "linux,initrd-start"] {
            assert!(text.contains(s), "{s}");
        }
        assert!(check_dtb(b"not a tree").is_err());
        assert!(check_dtb(&dtb[..30]).is_err());
    }
}
