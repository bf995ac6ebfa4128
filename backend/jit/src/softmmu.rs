//! The softmmu slow path: TLB refill through the architecture's translation,
//! device access, page-crossing accesses and write protection of pages that
//! hold translated code. Generated code calls [`slow_load`] and [`slow_store`]
//! on a TLB miss; the interpreter and the frontends' instruction fetch come
//! here directly, and the execution loop finds a block's physical PC with
//! [`fetch_paddr`].

use crate::env::{JitEnv, PageMapping, TlbEntry, TlbPhys, Unmapped, PAGE_MASK, PAGE_SIZE, TLB_INVALID};
use chimera_ir::{AccessKind, Endian, FaultCause, MemFault, MemOp, PageTranslation, PhysPage};

/// Pack a [`MemOp`] into the integer argument of the slow-path helpers.
pub(crate) fn pack(op: MemOp) -> u64 {
    u64::from(op.size)
        | u64::from(op.signed) << 8
        | u64::from(op.endian == Endian::Big) << 9
        | (op.kind as u64) << 16
        | u64::from(op.align) << 24
        | u64::from(op.mmu) << 32
}

fn unpack(desc: u64) -> MemOp {
    MemOp {
        size: desc as u8,
        signed: desc >> 8 & 1 != 0,
        endian: if desc >> 9 & 1 != 0 { Endian::Big } else { Endian::Little },
        kind: AccessKind::from_u8((desc >> 16) as u8),
        align: (desc >> 24) as u8,
        mmu: (desc >> 32) as u8,
    }
}

/// Translate the page of `vaddr` for `op` through the architecture's walk and
/// the board's physical memory, and install the TLB entry. A page where
/// unaligned data accesses fault gives that fault for an unaligned `op`.
fn translate(env: &mut JitEnv, vaddr: u64, op: MemOp) -> Result<PageMapping, MemFault> {
    let phys = env.phys.expect("softmmu used outside the execution loop");
    let with_size = |f: MemFault| MemFault { size: op.size, ..f };
    // SAFETY: the loop installs its physical memory and CPU state for the
    // duration of the run; the walk is the one of the CPU whose state it is.
    let t = unsafe { (env.walk)(env.state, vaddr, op.kind, op.mmu, &mut *phys) }.map_err(with_size)?;
    if t.aligned_only && op.kind != AccessKind::Fetch && !vaddr.is_multiple_of(u64::from(op.size)) {
        return Err(fault(vaddr, op, FaultCause::Alignment));
    }
    let paddr = t.paddr | (vaddr & !PAGE_MASK);
    // SAFETY: as above.
    let m = match unsafe { (*phys).page(paddr) } {
        PhysPage::Ram { host, writable } => PageMapping { paddr: t.paddr, host, writable },
        // Code runs from RAM and ROM only.
        PhysPage::Io if op.kind != AccessKind::Fetch => PageMapping { paddr: t.paddr, host: std::ptr::null_mut(), writable: true },
        PhysPage::Io | PhysPage::Nothing => {
            return Err(MemFault { vaddr, kind: op.kind, size: op.size, cause: FaultCause::Unmapped });
        }
    };
    fill(env, vaddr, op.mmu, &t, &m);
    Ok(m)
}

/// Install the TLB entry of MMU index `mmu` for the page of `vaddr`: each tag
/// the translation permits, for RAM and ROM (device pages always take the
/// slow path). Writes to pages holding translated code take the slow path.
fn fill(env: &mut JitEnv, vaddr: u64, mmu: u8, t: &PageTranslation, m: &PageMapping) {
    if m.host.is_null() {
        return;
    }
    let page = vaddr & PAGE_MASK;
    let write_ok = t.write && m.writable && !env.code_pages.contains_key(&m.paddr);
    let tag = |ok: bool| if ok { page } else { TLB_INVALID };
    let tlb = &mut env.tlb[usize::from(mmu)];
    let i = JitEnv::tlb_index(vaddr);
    tlb.entries[i] = TlbEntry {
        addr_read: tag(t.read),
        addr_write: tag(write_ok),
        addr_code: tag(t.exec),
        addend: (m.host as u64).wrapping_sub(page),
    };
    tlb.phys[i] = TlbPhys { paddr: m.paddr, aligned_only: t.aligned_only };
    tlb.note_large(vaddr, t.size_log2);
}

/// The host address of `vaddr` if the TLB of the access's MMU index holds
/// the page for the access's kind: the path generated code takes inline,
/// taken by the interpreter too, so both tiers see the same cached
/// translations.
fn tlb_hit(env: &JitEnv, vaddr: u64, op: MemOp) -> Option<*mut u8> {
    let page = vaddr & PAGE_MASK;
    let i = JitEnv::tlb_index(vaddr);
    let tlb = &env.tlb[usize::from(op.mmu)];
    let e = &tlb.entries[i];
    let tag = match op.kind {
        AccessKind::Read => e.addr_read,
        AccessKind::Write => e.addr_write,
        AccessKind::Fetch => e.addr_code,
    };
    // An unaligned access to a page that forbids it takes the translation,
    // which reports the fault.
    let unaligned = tlb.phys[i].aligned_only && !vaddr.is_multiple_of(u64::from(op.size));
    (tag == page && !unaligned).then(|| e.addend.wrapping_add(vaddr) as *mut u8)
}

/// The guest physical address of an instruction fetch at `pc` under MMU
/// index `mmu`: from the TLB's code tag, else through the translation
/// (which fills it).
pub(crate) fn fetch_paddr(env: &mut JitEnv, pc: u64, mmu: u8) -> Result<u64, MemFault> {
    let page = pc & PAGE_MASK;
    let i = JitEnv::tlb_index(pc);
    let tlb = &env.tlb[usize::from(mmu)];
    if tlb.entries[i].addr_code == page {
        return Ok(tlb.phys[i].paddr | (pc & !PAGE_MASK));
    }
    let m = translate(env, pc, MemOp::fetch(4, Endian::Little, mmu))?;
    Ok(m.paddr | (pc & !PAGE_MASK))
}

fn fault(vaddr: u64, op: MemOp, cause: FaultCause) -> MemFault {
    MemFault { vaddr, kind: op.kind, size: op.size, cause }
}

fn to_host_order(op: MemOp, v: u64) -> u64 {
    chimera_ir::host_order(op, v)
}

/// QEMU 7.2 performs a misaligned access to device or unmapped memory as two
/// aligned accesses of the access size, so a bus fault reports the address of
/// the aligned half that faulted. The architecture allows any address within
/// the access in FAR (ARM ARM D17.2.40); Chimera reports QEMU's, so the same
/// guest prints the same on both.
fn aligned_half(f: MemFault, vaddr: u64, op: MemOp) -> MemFault {
    let size = u64::from(op.size);
    if f.cause != FaultCause::Unmapped || size < 2 || vaddr.is_multiple_of(size) {
        return f;
    }
    let first = vaddr & !(size - 1);
    let far = if f.vaddr < first + size { first } else { first + size };
    MemFault { vaddr: far, ..f }
}

/// Load `op.size` bytes, zero-extended (sign extension is the caller's).
pub(crate) fn load(env: &mut JitEnv, vaddr: u64, op: MemOp) -> Result<u64, MemFault> {
    load_inner(env, vaddr, op).map_err(|f| aligned_half(f, vaddr, op))
}

/// Store the low `op.size` bytes of `value`.
pub(crate) fn store(env: &mut JitEnv, vaddr: u64, value: u64, op: MemOp) -> Result<(), MemFault> {
    store_inner(env, vaddr, value, op).map_err(|f| aligned_half(f, vaddr, op))
}

fn load_inner(env: &mut JitEnv, vaddr: u64, op: MemOp) -> Result<u64, MemFault> {
    if op.misaligned(vaddr) {
        return Err(fault(vaddr, op, FaultCause::Alignment));
    }
    let size = u64::from(op.size);
    if (vaddr & !PAGE_MASK) + size > PAGE_SIZE {
        // Crosses a page: the first page decides whether an unaligned
        // access may be made at all (Device memory), then the access is
        // assembled from bytes in memory order.
        if tlb_hit(env, vaddr, op).is_none() {
            translate(env, vaddr, op)?;
        }
        let mut v = 0u64;
        for i in 0..size {
            // A fault is the whole access's (its size goes to the syndrome).
            let b = load(env, vaddr.wrapping_add(i), MemOp { size: 1, align: 0, ..op }).map_err(|f| MemFault { size: op.size, ..f })?;
            match op.endian {
                Endian::Little => v |= b << (8 * i),
                Endian::Big => v = v << 8 | b,
            }
        }
        return Ok(v);
    }
    let off = vaddr & !PAGE_MASK;
    let p = match tlb_hit(env, vaddr, op) {
        Some(p) => p,
        None => {
            let m = translate(env, vaddr, op)?;
            if m.host.is_null() {
                let phys = env.phys.expect("softmmu used outside the execution loop");
                // SAFETY: as in `translate`.
                return unsafe { (*phys).io_read(m.paddr + off, op.size) }.map_err(|Unmapped| fault(vaddr, op, FaultCause::Unmapped));
            }
            m.host.wrapping_add(off as usize)
        }
    };
    // SAFETY: `p` is inside a host page that maps the whole guest page, and
    // the access stays inside it.
    let raw = unsafe {
        match op.size {
            1 => u64::from(p.read()),
            2 => u64::from((p as *const u16).read_unaligned()),
            4 => u64::from((p as *const u32).read_unaligned()),
            _ => (p as *const u64).read_unaligned(),
        }
    };
    Ok(to_host_order(op, raw))
}

/// A page-crossing store translates both pages before writing either, so a
/// fault leaves memory untouched; a fault on the second page reports that
/// page's first byte, the first byte of the access that cannot be written
/// (as for a page-crossing load, which faults at the first byte it cannot
/// read).
fn store_inner(env: &mut JitEnv, vaddr: u64, value: u64, op: MemOp) -> Result<(), MemFault> {
    if op.misaligned(vaddr) {
        return Err(fault(vaddr, op, FaultCause::Alignment));
    }
    let size = u64::from(op.size);
    if (vaddr & !PAGE_MASK) + size > PAGE_SIZE {
        let second = vaddr.wrapping_add(size - 1) & PAGE_MASK;
        for page in [vaddr, second] {
            if tlb_hit(env, page, op).is_none() {
                translate(env, page, op)?;
            }
        }
        for i in 0..size {
            let shift = match op.endian {
                Endian::Little => 8 * i,
                Endian::Big => 8 * (size - 1 - i),
            };
            store(env, vaddr.wrapping_add(i), value >> shift & 0xff, MemOp { size: 1, align: 0, ..op })
                .map_err(|f| MemFault { size: op.size, ..f })?;
        }
        return Ok(());
    }
    let off = vaddr & !PAGE_MASK;
    if let Some(p) = tlb_hit(env, vaddr, op) {
        // A write tag is never set on a page holding translated code.
        // SAFETY: as in `load_inner`.
        unsafe { write_host(p, op, to_host_order(op, value)) };
        return Ok(());
    }
    let m = translate(env, vaddr, op)?;
    if m.host.is_null() || !m.writable {
        // Devices, and read-only memory (ROM, flash), whose owner decides.
        let phys = env.phys.expect("softmmu used outside the execution loop");
        // SAFETY: as in `translate`.
        return unsafe { (*phys).io_write(m.paddr + off, op.size, value) }
            .map_err(|Unmapped| fault(vaddr, op, FaultCause::Unmapped));
    }
    // SAFETY: `host` maps the whole page and the access stays inside it.
    unsafe { write_host(m.host.add(off as usize), op, to_host_order(op, value)) };
    let hits_code = env.code_pages.get(&m.paddr).is_some_and(|bits| {
        crate::env::granules(off, u64::from(op.size)).any(|(w, b)| bits[w] & b != 0)
    });
    if hits_code {
        // Self-modifying code: the loop invalidates the page's blocks before it
        // enters another one. The rest of the current block may still run the
        // old code, which both architectures allow until their explicit
        // synchronisation (ARM ARM B2.4.4, ISB; SPARC V8 FLUSH), and both end blocks.
        env.dirty_code.push((m.paddr + off, u64::from(op.size)));
        env.exit_request = 1;
    }
    Ok(())
}

/// Write `op.size` bytes of `v` (already in host order) at `p`.
///
/// # Safety
/// `p .. p + op.size` is writable host memory.
unsafe fn write_host(p: *mut u8, op: MemOp, v: u64) {
    // SAFETY: the caller's contract.
    unsafe {
        match op.size {
            1 => p.write(v as u8),
            2 => (p as *mut u16).write_unaligned(v as u16),
            4 => (p as *mut u32).write_unaligned(v as u32),
            _ => (p as *mut u64).write_unaligned(v),
        }
    }
}

/// Generated code's load slow path: returns the raw value; on a fault sets
/// `env.status` and `env.fault`.
pub(crate) extern "C" fn slow_load(env: *mut JitEnv, vaddr: u64, desc: u64) -> u64 {
    // SAFETY: generated code passes the environment it was entered with.
    let env = unsafe { &mut *env };
    match load(env, vaddr, unpack(desc)) {
        Ok(v) => v,
        Err(f) => {
            env.fault = Some(f);
            env.status = 1;
            0
        }
    }
}

/// Generated code's store slow path; on a fault sets `env.status` and `env.fault`.
pub(crate) extern "C" fn slow_store(env: *mut JitEnv, vaddr: u64, value: u64, desc: u64) {
    // SAFETY: generated code passes the environment it was entered with.
    let env = unsafe { &mut *env };
    if let Err(f) = store(env, vaddr, value, unpack(desc)) {
        env.fault = Some(f);
        env.status = 1;
    }
}

/// Pack a [`chimera_ir::TlbFlush`] into the integer argument of [`rt_tlb_flush`].
pub(crate) fn pack_flush(f: chimera_ir::TlbFlush) -> u64 {
    use chimera_ir::FlushScope;
    let scope = match f.scope {
        FlushScope::All => 0,
        FlushScope::Page => 1,
        FlushScope::PageAsid => 2,
        FlushScope::Asid => 3,
    };
    scope | u64::from(f.mmu_mask) << 8
}

fn unpack_flush(desc: u64) -> chimera_ir::TlbFlush {
    use chimera_ir::FlushScope;
    let scope = match desc & 0xff {
        0 => FlushScope::All,
        1 => FlushScope::Page,
        2 => FlushScope::PageAsid,
        _ => FlushScope::Asid,
    };
    chimera_ir::TlbFlush { scope, mmu_mask: (desc >> 8) as u16 }
}

/// Generated code's [`chimera_ir::Inst::TlbFlush`] (helper signature).
pub(crate) extern "C" fn rt_tlb_flush(_cpu: *mut u8, env: *mut u8, desc: u64, vaddr: u64, asid: u64) -> u64 {
    // SAFETY: generated code passes the environment it was entered with.
    let env = unsafe { &mut *env.cast::<JitEnv>() };
    env.tlb_flush(unpack_flush(desc), vaddr, asid);
    0
}

/// Generated code's [`chimera_ir::Inst::GuestTime`] (helper signature).
pub(crate) extern "C" fn rt_guest_time(_cpu: *mut u8, env: *mut u8, _a: u64, _b: u64, _c: u64) -> u64 {
    // SAFETY: as for `rt_tlb_flush`.
    let env = unsafe { &*env.cast::<JitEnv>() };
    env.guest_time_ns()
}
