//! VMSAv8-64 address translation of the EL1&0 regime (ARM ARM D5): the
//! softmmu's [`WalkFn`](chimera_ir::WalkFn) for the AArch64 CPU.
//!
//! MMU indices ([`crate::state`]): [`MMU_OFF`] while SCTLR_EL1.M is clear
//! (the flat map of D5.2.9), [`MMU_EL0`](crate::state::MMU_EL0) and
//! [`MMU_EL1`](crate::state::MMU_EL1) for stage 1 with the permissions of
//! each EL. Stage 1 walks the tables of TTBR0_EL1 or TTBR1_EL1 in the 4 KiB
//! or 64 KiB granule (the ones ID_AA64MMFR0_EL1 advertises), reading
//! descriptors through the board's physical memory. There is no hardware
//! update of the Access flag or dirty state (ARMv8.0): a descriptor with
//! AF = 0 gives an Access flag fault.
//!
//! The TLBs are not tagged by ASID or by nG: the softmmu drops them when the
//! ASID changes ([`A64State::asid`]), so a walk's result holds for the
//! current ASID, global or not.

use crate::state::{A64State, MMU_EL0, MMU_OFF};
use chimera_ir::{AccessKind, FaultCause, MemFault, PageTranslation, PhysMemory};


/// Translate `vaddr` for an access of `kind` under MMU index `mmu`.
///
/// # Safety
/// `state` points to an [`A64State`].
pub unsafe fn walk(state: *mut u8, vaddr: u64, kind: AccessKind, mmu: u8, phys: &mut dyn PhysMemory) -> Result<PageTranslation, MemFault> {
    // SAFETY: the caller's contract.
    let s = unsafe { &*state.cast::<A64State>() };
    translate(s, vaddr, kind, mmu, phys)
}

/// [`walk`] on a borrowed state.
pub fn translate(s: &A64State, vaddr: u64, kind: AccessKind, mmu: u8, phys: &mut dyn PhysMemory) -> Result<PageTranslation, MemFault> {
    let fault = |cause| MemFault { vaddr, kind, size: 0, cause };
    if mmu == MMU_OFF {
        return flat(vaddr, pa_bits(s)).map_err(fault);
    }
    let d = stage1(s, vaddr, mmu == MMU_EL0, phys).map_err(fault)?;
    let allowed = match kind {
        AccessKind::Read => d.read,
        AccessKind::Write => d.write,
        AccessKind::Fetch => d.exec,
    };
    if !allowed {
        return Err(fault(FaultCause::Permission(d.level)));
    }
    // MAIR_EL1 attribute 0b0000dd00 is Device memory (ARM ARM D17.2.97), where
    // an unaligned data access faults (B2.5.2).
    let device = s.mair_el1 >> (8 * d.attr_index) & 0xf0 == 0;
    Ok(PageTranslation { paddr: d.page, read: d.read, write: d.write, exec: d.exec, size_log2: d.size_log2, aligned_only: device })
}

/// PAR_EL1 bit 11 (RES1) and NS (bit 9: the Non-secure state, the only one).
const PAR_RES1: u64 = 1 << 11;
const PAR_NS: u64 = 1 << 9;

/// The PAR_EL1 value of an EL1&0 stage 1 address translation instruction
/// (AT S1E1R/W, S1E0R/W; ARM ARM C5.4, D17.2.104) of `va` for a read or a
/// `write`, with EL0 (`el0`) or EL1 permissions. On success: the physical
/// address, the MAIR_EL1 attribute in ATTR \[63:56\], SH \[8:7\] (0b10 for
/// Device and Normal non-cacheable memory, the descriptor's otherwise), NS;
/// on a fault: F (bit 0) and FST \[6:1\], the fault status code.
pub fn at_par(s: &A64State, va: u64, write: bool, el0: bool, phys: &mut dyn PhysMemory) -> u64 {
    let fault = |cause| PAR_RES1 | u64::from(crate::exception::fault_status_code(cause)) << 1 | 1;
    if s.sctlr_el1 & crate::state::SCTLR_M == 0 {
        return at_stage1_off_par(va, s.tcr_el1, pa_bits(s));
    }
    let d = match stage1(s, va, el0, phys) {
        Ok(d) => d,
        Err(cause) => return fault(cause),
    };
    if !(if write { d.write } else { d.read }) {
        return fault(FaultCause::Permission(d.level));
    }
    let attr = s.mair_el1 >> (8 * d.attr_index) & 0xff;
    let sh = if attr >> 4 == 0 || attr == 0x44 { 0b10 } else { u64::from(d.sh) };
    attr << 56 | (d.page | (va & 0xfff)) & !0xfff | PAR_RES1 | PAR_NS | sh << 7
}

/// PAR_EL1 of an AT with stage 1 disabled (ARM ARM D5.2.9, pseudocode
/// `AArch64.TranslateAddressS1Off()`): the identity with Device-nGnRnE
/// attributes (ATTR 0, SH 0, as QEMU reports them), or for an address with
/// bits set above the PA size (below the top byte when TCR_EL1.TBI0/TBI1
/// ignores it) an Address size fault at level 0.
fn at_stage1_off_par(va: u64, tcr: u64, pa_bits: u32) -> u64 {
    let tbi = tcr >> if va & (1 << 55) != 0 { 38 } else { 37 } & 1 != 0;
    let top = if tbi { va & ((1 << 56) - 1) } else { va };
    if top >> pa_bits != 0 {
        return PAR_RES1 | 1;
    }
    (top & !0xfff) | PAR_RES1 | PAR_NS
}

/// Stage 1 disabled (ARM ARM D5.2.9, `AArch64.TranslateAddressS1Off()`): the
/// identity, with an Address size fault at level 0 for an address above the
/// physical address size. Data accesses are Device-nGnRnE there, whose
/// unaligned accesses the architecture makes fault; QEMU 7.2 lets them
/// through, and so does Chimera with stage 1 off, so that bare-metal
/// programs behave as on QEMU (with stage 1 on, Device mappings fault).
fn flat(vaddr: u64, pa_bits: u32) -> Result<PageTranslation, FaultCause> {
    if vaddr >> pa_bits != 0 {
        return Err(FaultCause::AddressSize(0));
    }
    Ok(PageTranslation::identity(vaddr))
}

/// TCR_EL1 fields (ARM ARM D17.2.131).
mod tcr {
    pub const EPD0: u64 = 1 << 7;
    pub const EPD1: u64 = 1 << 23;
    pub const TBI0: u64 = 1 << 37;
    pub const TBI1: u64 = 1 << 38;
}

/// SCTLR_EL1.WXN: a region writable at an EL is never executable there
/// (ARM ARM D5.4.6).
const SCTLR_WXN: u64 = 1 << 19;

/// Smallest and largest TxSZ of ARMv8.0 without FEAT_LVA and FEAT_TTST (ARM
/// ARM D5.2.3). Outside them the architecture lets an implementation clamp
/// or fault; Chimera gives a level 0 Translation fault, as QEMU does.
const MIN_TSZ: u64 = 16;
const MAX_TSZ: u64 = 39;

/// Bits `[hi:lo]` of `x` in place (the others cleared).
const fn field(x: u64, hi: u32, lo: u32) -> u64 {
    x & ((u64::MAX >> (63 - hi)) & (u64::MAX << lo))
}

/// What a successful walk gives one EL: the 4 KiB page, the permissions,
/// the level of the final descriptor (where a Permission fault is
/// reported) and the size of the mapping.
struct Descriptor {
    page: u64,
    read: bool,
    write: bool,
    exec: bool,
    level: u8,
    size_log2: u8,
    /// AttrIndx, bits \[4:2\]: the MAIR_EL1 attribute of the mapping.
    attr_index: u8,
    /// SH, bits \[9:8\].
    sh: u8,
}

/// The CPU model's physical address size (ID_AA64MMFR0_EL1.PARange).
fn pa_bits(s: &A64State) -> u32 {
    u32::from(s.id_values().pa_bits)
}

/// The output address size of TCR_EL1.IPS (ARM ARM D17.2.131), limited to
/// the implemented physical address size `pa_bits` (D5.1.3).
fn output_size(tcr: u64, pa_bits: u32) -> u32 {
    let ips = match (tcr >> 32) & 7 {
        0 => 32,
        1 => 36,
        2 => 40,
        3 => 42,
        4 => 44,
        _ => 48,
    };
    ips.min(pa_bits)
}

/// The walk of ARM ARM D5.2 (pseudocode `AArch64.TranslationTableWalk()`)
/// and the permissions of D5.4 for EL0 (`el0`) or EL1.
fn stage1(s: &A64State, va: u64, el0: bool, phys: &mut dyn PhysMemory) -> Result<Descriptor, FaultCause> {
    let tcr = s.tcr_el1;
    // D5.2.1: VA[55] selects the range; TCR_EL1.TBIx makes the top byte
    // not part of the address (ARMv8.0: for data and instruction addresses).
    let upper = va >> 55 & 1 != 0;
    // A granule the CPU does not implement (16 KiB, reserved values) behaves
    // as one it does (D5.1.2, IMPLEMENTATION DEFINED): the smallest, 4 KiB.
    let (ttbr, tsz, gran, epd, tbi): (u64, u64, u32, bool, bool) = if upper {
        // TG1: 0b01 16 KiB, 0b10 4 KiB, 0b11 64 KiB.
        (s.ttbr1_el1, tcr >> 16 & 0x3f, if tcr >> 30 & 3 == 0b11 { 16 } else { 12 }, tcr & tcr::EPD1 != 0, tcr & tcr::TBI1 != 0)
    } else {
        // TG0: 0b00 4 KiB, 0b01 64 KiB, 0b10 16 KiB.
        (s.ttbr0_el1, tcr & 0x3f, if tcr >> 14 & 3 == 0b01 { 16 } else { 12 }, tcr & tcr::EPD0 != 0, tcr & tcr::TBI0 != 0)
    };
    if !(MIN_TSZ..=MAX_TSZ).contains(&tsz) || epd {
        return Err(FaultCause::Translation(0));
    }
    let inputsize = 64 - tsz as u32;
    // The bits above the input address size must all equal VA[55]
    // (below the top byte when it is ignored).
    let top = if tbi { field(va, 55, inputsize) } else { field(va, 63, inputsize) };
    let expect = if upper { field(u64::MAX, if tbi { 55 } else { 63 }, inputsize) } else { 0 };
    if top != expect {
        return Err(FaultCause::Translation(0));
    }
    let stride = gran - 3;
    let levels = (inputsize - gran).div_ceil(stride);
    let start = 4 - levels;
    let outputsize = output_size(tcr, pa_bits(s));
    // D5.2.5: the base of the first table, aligned to its size (lower bits of
    // BADDR are RES0, taken as zero); bits above the output size are an
    // Address size fault at level 0.
    let first_bits = inputsize - (gran + stride * (levels - 1));
    if field(ttbr, 47, outputsize) != 0 {
        return Err(FaultCause::AddressSize(0));
    }
    let mut table = field(ttbr, 47, (first_bits + 3).max(4));
    // Table-level controls accumulated down the walk (D5.3.3, D5.4.7).
    let (mut ap_table, mut uxn_table, mut pxn_table) = (0u64, false, false);
    let mut level = start;
    loop {
        let shift = gran + stride * (3 - level);
        let bits = if level == start { first_bits } else { stride };
        let index = va >> shift & ((1 << bits) - 1);
        let desc = phys.read_le(table + 8 * index, 8).map_err(|_| FaultCause::TableWalk(level as u8))?;
        let lvl = level as u8;
        if desc & 1 == 0 {
            return Err(FaultCause::Translation(lvl));
        }
        if desc & 2 != 0 && level < 3 {
            // Table descriptor (D5.3.1): next-level table address [47:gran].
            let next = field(desc, 47, gran);
            if field(desc, 47, outputsize) != 0 {
                return Err(FaultCause::AddressSize(lvl));
            }
            ap_table |= desc >> 61 & 3;
            uxn_table |= desc >> 60 & 1 != 0;
            pxn_table |= desc >> 59 & 1 != 0;
            table = next;
            level += 1;
            continue;
        }
        // A page (level 3, bits[1:0] = 0b11) or a block: blocks exist at
        // levels 1 and 2 with 4 KiB granules and at level 2 with 64 KiB ones
        // (D5.3.1, without FEAT_LPA); anything else is a Translation fault.
        let block_ok = level == 2 || (level == 1 && gran == 12);
        if (level == 3 && desc & 2 == 0) || (level < 3 && !block_ok) {
            return Err(FaultCause::Translation(lvl));
        }
        if field(desc, 47, outputsize) != 0 {
            return Err(FaultCause::AddressSize(lvl));
        }
        // AF, bit 10 (D5.4.11): no hardware update in ARMv8.0.
        if desc >> 10 & 1 == 0 {
            return Err(FaultCause::AccessFlag(lvl));
        }
        let pa = field(desc, 47, shift) | (va & ((1 << shift) - 1));
        let (read, write, exec) = permissions(s, desc, ap_table, uxn_table, pxn_table, el0);
        return Ok(Descriptor {
            page: pa & !0xfff,
            read,
            write,
            exec,
            level: lvl,
            size_log2: shift as u8,
            attr_index: (desc >> 2 & 7) as u8,
            sh: (desc >> 8 & 3) as u8,
        });
    }
}

/// Data access and execute permissions of a final descriptor for EL0 or EL1
/// (ARM ARM D5.4.4 "Data access permissions", D5.4.5 "Instruction
/// execution permissions", D5.4.6 WXN, D5.4.7 hierarchical controls).
fn permissions(s: &A64State, desc: u64, ap_table: u64, uxn_table: bool, pxn_table: bool, el0: bool) -> (bool, bool, bool) {
    // AP[2:1], bits [7:6]: AP[1] gives EL0 access, AP[2] makes it read-only.
    // APTable[0] takes EL0 access away, APTable[1] write access.
    let ap = desc >> 6 & 3;
    let el0_access = ap & 1 != 0 && ap_table & 1 == 0;
    let read_only = ap & 2 != 0 || ap_table & 2 != 0;
    let el0_write = el0_access && !read_only;
    let (read, write) = if el0 { (el0_access, el0_write) } else { (true, !read_only) };
    let uxn = desc >> 54 & 1 != 0 || uxn_table;
    let pxn = desc >> 53 & 1 != 0 || pxn_table;
    // EL0 may execute what it cannot read (execute-only memory); EL1 never
    // executes what EL0 can write.
    let mut exec = if el0 { !uxn } else { !pxn && !el0_write };
    if s.sctlr_el1 & SCTLR_WXN != 0 && write {
        exec = false;
    }
    (read, write, exec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{MMU_EL1, SCTLR_M};
    use chimera_ir::{PhysPage, Unmapped};

    /// 64 KiB of physical memory at 0, as a page-table store.
    struct Tables(Vec<u8>);

    impl Tables {
        fn set(&mut self, addr: u64, desc: u64) {
            self.0[addr as usize..addr as usize + 8].copy_from_slice(&desc.to_le_bytes());
        }
    }

    impl PhysMemory for Tables {
        fn page(&mut self, paddr: u64) -> PhysPage {
            if paddr < self.0.len() as u64 {
                PhysPage::Ram { host: self.0.as_mut_ptr().wrapping_add((paddr & !0xfff) as usize), writable: true }
            } else {
                PhysPage::Nothing
            }
        }
        fn io_read(&mut self, _: u64, _: u8) -> Result<u64, Unmapped> {
            Err(Unmapped)
        }
        fn io_write(&mut self, _: u64, _: u8, _: u64) -> Result<(), Unmapped> {
            Err(Unmapped)
        }
    }

    const TABLE: u64 = 0b11;
    const PAGE: u64 = 0b11 | 1 << 10;
    const BLOCK: u64 = 0b01 | 1 << 10;

    /// 4 KiB granule, 48-bit VAs both ranges, 44-bit IPS; tables at 0x1000
    /// (L0), 0x2000 (L1), 0x3000 (L2), 0x4000 (L3) for TTBR0.
    fn setup() -> (A64State, Tables) {
        let mut s = A64State { sctlr_el1: SCTLR_M, ..A64State::default() };
        s.tcr_el1 = 16 | 16 << 16 | 0b10 << 30 | 4 << 32;
        s.ttbr0_el1 = 0x1000;
        let mut t = Tables(vec![0; 0x10000]);
        t.set(0x1000, 0x2000 | TABLE);
        t.set(0x2000, 0x3000 | TABLE);
        t.set(0x3000, 0x4000 | TABLE);
        (s, t)
    }

    fn tr(s: &A64State, t: &mut Tables, va: u64, kind: AccessKind, mmu: u8) -> Result<PageTranslation, FaultCause> {
        translate(s, va, kind, mmu, t).map_err(|f| f.cause)
    }

    #[test]
    fn four_levels_to_a_page() {
        let (s, mut t) = setup();
        // L3 entry 5 -> 0x0000_1234_5000, RW at EL1 only.
        t.set(0x4000 + 5 * 8, 0x1234_5000 | PAGE);
        let p = tr(&s, &mut t, 0x5abc, AccessKind::Read, MMU_EL1).unwrap();
        assert_eq!((p.paddr, p.read, p.write, p.exec, p.size_log2), (0x1234_5000, true, true, true, 12));
        assert_eq!(tr(&s, &mut t, 0x5abc, AccessKind::Read, MMU_EL0), Err(FaultCause::Permission(3)));
        assert_eq!(tr(&s, &mut t, 0x6000, AccessKind::Read, MMU_EL1), Err(FaultCause::Translation(3)));
    }

    #[test]
    fn device_memory_is_aligned_only() {
        let (mut s, mut t) = setup();
        // MAIR attr 0: Device-nGnRnE, attr 1: Normal write-back.
        s.mair_el1 = 0xff << 8;
        t.set(0x4000, 0x5000 | PAGE);
        t.set(0x4008, 0x6000 | PAGE | 1 << 2);
        assert!(tr(&s, &mut t, 0, AccessKind::Read, MMU_EL1).unwrap().aligned_only);
        assert!(!tr(&s, &mut t, 0x1000, AccessKind::Read, MMU_EL1).unwrap().aligned_only);
    }

    #[test]
    fn at_reports_device_shareability() {
        let (mut s, mut t) = setup();
        // attr 0 Device-nGnRE, attr 1 Normal non-cacheable, attr 2 Normal
        // write-back; every descriptor with SH = 0b11.
        s.mair_el1 = 0x04 | 0x44 << 8 | 0xff << 16;
        for (k, attr) in [0u64, 1, 2].into_iter().enumerate() {
            t.set(0x4000 + 8 * k as u64, (0x7000 + 0x1000 * k as u64) | PAGE | attr << 2 | 3 << 8);
        }
        let sh = |par: u64| par >> 7 & 3;
        // PAREncodeShareability: Device and Normal non-cacheable report 0b10.
        assert_eq!(sh(at_par(&s, 0x0000, false, false, &mut t)), 0b10);
        assert_eq!(sh(at_par(&s, 0x1000, false, false, &mut t)), 0b10);
        let par = at_par(&s, 0x2234, false, false, &mut t);
        assert_eq!((sh(par), par >> 56, par & 0xffff_ffff_f000), (0b11, 0xff, 0x9000));
        // A fault: F and the fault status code.
        assert_eq!(at_par(&s, 0x3000, false, false, &mut t) & 0x7f, 0x07 << 1 | 1);
    }

    #[test]
    fn blocks_and_their_levels() {
        let (s, mut t) = setup();
        // A 2 MiB block at L2 entry 1 and a 1 GiB block at L1 entry 1.
        t.set(0x3000 + 8, 0x4000_0000 | BLOCK);
        t.set(0x2000 + 8, 0x8000_0000 | BLOCK);
        let p = tr(&s, &mut t, 0x0020_1234, AccessKind::Read, MMU_EL1).unwrap();
        assert_eq!((p.paddr, p.size_log2), (0x4000_1000, 21));
        let p = tr(&s, &mut t, 0x4012_3456, AccessKind::Read, MMU_EL1).unwrap();
        assert_eq!((p.paddr, p.size_log2), (0x8012_3000, 30));
        // No blocks at level 0 (4 KiB granule), nor block-typed entries at level 3.
        t.set(0x1000 + 8, BLOCK);
        assert_eq!(tr(&s, &mut t, 1 << 39, AccessKind::Read, MMU_EL1), Err(FaultCause::Translation(0)));
        t.set(0x4000, 0x5000 | BLOCK);
        assert_eq!(tr(&s, &mut t, 0, AccessKind::Read, MMU_EL1), Err(FaultCause::Translation(3)));
    }

    #[test]
    fn access_flag_and_address_size_faults() {
        let (mut s, mut t) = setup();
        t.set(0x4000, 0x5000 | 0b11);
        assert_eq!(tr(&s, &mut t, 0, AccessKind::Read, MMU_EL1), Err(FaultCause::AccessFlag(3)));
        // An output address above the 44-bit PA size, and above a 32-bit IPS.
        t.set(0x4000, 1 << 44 | PAGE);
        assert_eq!(tr(&s, &mut t, 0, AccessKind::Read, MMU_EL1), Err(FaultCause::AddressSize(3)));
        t.set(0x4000, 1 << 33 | PAGE);
        s.tcr_el1 &= !(7 << 32);
        assert_eq!(tr(&s, &mut t, 0, AccessKind::Read, MMU_EL1), Err(FaultCause::AddressSize(3)));
        s.ttbr0_el1 = 1 << 40 | 0x1000;
        assert_eq!(tr(&s, &mut t, 0, AccessKind::Read, MMU_EL1), Err(FaultCause::AddressSize(0)));
        // A table address nothing answers at: an external abort on the walk.
        let (s, mut t) = setup();
        t.set(0x3000, 0xf_0000 | TABLE);
        assert_eq!(tr(&s, &mut t, 0, AccessKind::Read, MMU_EL1), Err(FaultCause::TableWalk(3)));
    }

    #[test]
    fn the_models_physical_address_size() {
        // Cortex-A53: 40-bit PAs, for stage 1 outputs and with stage 1 off.
        let (mut s, mut t) = setup();
        s.model_ids = 1;
        t.set(0x4000, 1 << 41 | PAGE);
        assert_eq!(tr(&s, &mut t, 0, AccessKind::Read, MMU_EL1), Err(FaultCause::AddressSize(3)));
        s.sctlr_el1 = 0;
        assert_eq!(tr(&s, &mut t, 1 << 41, AccessKind::Read, MMU_OFF), Err(FaultCause::AddressSize(0)));
        s.model_ids = 0;
        assert!(tr(&s, &mut t, 1 << 41, AccessKind::Read, MMU_OFF).is_ok());
    }

    #[test]
    fn ranges_tbi_and_epd() {
        let (mut s, mut t) = setup();
        s.ttbr1_el1 = 0x1000;
        t.set(0x4000 + 8, 0x7000 | PAGE);
        // VA[55] = 1 with bits [63:48] set: TTBR1, same tables.
        assert_eq!(tr(&s, &mut t, 0xffff_0000_0000_1008, AccessKind::Read, MMU_EL1).unwrap().paddr, 0x7000);
        // Bits above T0SZ's range not all zero: level 0 Translation fault.
        assert_eq!(tr(&s, &mut t, 0x0001_0000_0000_1000, AccessKind::Read, MMU_EL1), Err(FaultCause::Translation(0)));
        assert_eq!(tr(&s, &mut t, 0x5a00_0000_0000_1000, AccessKind::Read, MMU_EL1), Err(FaultCause::Translation(0)));
        s.tcr_el1 |= tcr::TBI0;
        assert_eq!(tr(&s, &mut t, 0x5a00_0000_0000_1000, AccessKind::Read, MMU_EL1).unwrap().paddr, 0x7000);
        s.tcr_el1 |= tcr::EPD1;
        assert_eq!(tr(&s, &mut t, 0xffff_0000_0000_1008, AccessKind::Read, MMU_EL1), Err(FaultCause::Translation(0)));
        // T0SZ out of ARMv8.0's range.
        s.tcr_el1 = s.tcr_el1 & !0x3f | 40;
        assert_eq!(tr(&s, &mut t, 0x1000, AccessKind::Read, MMU_EL1), Err(FaultCause::Translation(0)));
    }

    #[test]
    fn a_smaller_input_size_starts_lower() {
        let (mut s, mut t) = setup();
        // T0SZ = 25: 39-bit VAs start at level 1 (D5.2.6); TTBR0 points at the L1 table.
        s.tcr_el1 = s.tcr_el1 & !0x3f | 25;
        s.ttbr0_el1 = 0x2000;
        t.set(0x4000 + 3 * 8, 0x9000 | PAGE);
        assert_eq!(tr(&s, &mut t, 0x3010, AccessKind::Read, MMU_EL1).unwrap().paddr, 0x9000);
    }

    #[test]
    fn sixty_four_k_granule() {
        let mut s = A64State { sctlr_el1: SCTLR_M, ..A64State::default() };
        // TG0 = 64 KiB, 48-bit VA: 3 levels from level 1 (D5.2.6); the L1
        // table (64 entries) at 0x10000, L2 at 0x20000, L3 at 0x30000.
        s.tcr_el1 = 16 | 0b01 << 14 | 4 << 32;
        s.ttbr0_el1 = 0x10000;
        let mut t = Tables(vec![0; 0x40000]);
        t.set(0x10000, 0x20000 | TABLE);
        t.set(0x20000 + 8, 0x30000 | TABLE);
        t.set(0x30000 + 2 * 8, 0x1234_0000 | PAGE);
        // VA: L1 index 0, L2 index 1 (bits [41:29]), L3 index 2 (bits [28:16]).
        let va = 1 << 29 | 2 << 16 | 0x5678;
        let p = tr(&s, &mut t, va, AccessKind::Read, MMU_EL1).unwrap();
        assert_eq!((p.paddr, p.size_log2), (0x1234_5000, 16));
        // A 512 MiB block at level 2; none at level 1 (D5.3.1: a 4 TiB
        // block exists only with FEAT_LPA).
        t.set(0x20000 + 2 * 8, 0x4000_0000 | BLOCK);
        assert_eq!(tr(&s, &mut t, 2 << 29 | 0x12_3456, AccessKind::Read, MMU_EL1).unwrap().paddr, 0x4012_3000);
        t.set(0x10000 + 8, BLOCK);
        assert_eq!(tr(&s, &mut t, 1 << 42, AccessKind::Read, MMU_EL1), Err(FaultCause::Translation(1)));
    }

    #[test]
    fn permissions_of_each_el() {
        let (mut s, mut t) = setup();
        // (AP[2:1], UXN, PXN) -> EL1 (r, w, x), EL0 (r, w, x), ARM ARM D5.4.
        let cases = [
            (0b00, 0, 0, (true, true, true), (false, false, true)),
            (0b01, 0, 0, (true, true, false), (true, true, true)),
            (0b10, 0, 0, (true, false, true), (false, false, true)),
            (0b11, 0, 0, (true, false, true), (true, false, true)),
            (0b11, 1, 0, (true, false, true), (true, false, false)),
            (0b11, 0, 1, (true, false, false), (true, false, true)),
        ];
        for (ap, uxn, pxn, e1, e0) in cases {
            t.set(0x4000, 0x5000 | PAGE | ap << 6 | uxn << 54 | pxn << 53);
            for (mmu, want) in [(MMU_EL1, e1), (MMU_EL0, e0)] {
                let got = [AccessKind::Read, AccessKind::Write, AccessKind::Fetch].map(|k| tr(&s, &mut t, 0, k, mmu).is_ok());
                assert_eq!(got, [want.0, want.1, want.2], "AP {ap:02b} UXN {uxn} PXN {pxn} mmu {mmu}");
            }
        }
        // APTable[0] takes EL0 access away, APTable[1] writes; UXNTable/PXNTable.
        t.set(0x4000, 0x5000 | PAGE | 0b01 << 6);
        t.set(0x3000, 0x4000 | TABLE | 0b01 << 61);
        assert_eq!(tr(&s, &mut t, 0, AccessKind::Read, MMU_EL0), Err(FaultCause::Permission(3)));
        t.set(0x3000, 0x4000 | TABLE | 0b10 << 61);
        assert_eq!(tr(&s, &mut t, 0, AccessKind::Write, MMU_EL1), Err(FaultCause::Permission(3)));
        assert!(tr(&s, &mut t, 0, AccessKind::Read, MMU_EL0).is_ok());
        t.set(0x3000, 0x4000 | TABLE | 1 << 60);
        assert_eq!(tr(&s, &mut t, 0, AccessKind::Fetch, MMU_EL0), Err(FaultCause::Permission(3)));
        t.set(0x3000, 0x4000 | TABLE | 1 << 59);
        t.set(0x4000, 0x5000 | PAGE);
        assert_eq!(tr(&s, &mut t, 0, AccessKind::Fetch, MMU_EL1), Err(FaultCause::Permission(3)));
        // WXN: writable means not executable.
        t.set(0x3000, 0x4000 | TABLE);
        s.sctlr_el1 |= SCTLR_WXN;
        assert_eq!(tr(&s, &mut t, 0, AccessKind::Fetch, MMU_EL1), Err(FaultCause::Permission(3)));
        t.set(0x4000, 0x5000 | PAGE | 0b10 << 6);
        assert!(tr(&s, &mut t, 0, AccessKind::Fetch, MMU_EL1).is_ok());
    }
}
