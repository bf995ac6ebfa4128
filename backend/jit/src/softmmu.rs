//! The softmmu slow path: TLB refill, device access, page-crossing accesses and
//! write protection of pages that hold translated code. Generated code calls
//! [`slow_load`] and [`slow_store`] on a TLB miss; the interpreter and the
//! frontends' instruction fetch come here directly.

use crate::env::{JitEnv, PageMapping, TlbEntry, Unmapped, PAGE_MASK, PAGE_SIZE, TLB_INVALID};
use chimera_ir::{AccessKind, Endian, FaultCause, MemFault, MemOp};

/// Pack a [`MemOp`] into the integer argument of the slow-path helpers.
pub(crate) fn pack(op: MemOp) -> u64 {
    u64::from(op.size) | u64::from(op.signed) << 8 | u64::from(op.endian == Endian::Big) << 9 | (op.kind as u64) << 16 | u64::from(op.align) << 24
}

fn unpack(desc: u64) -> MemOp {
    MemOp {
        size: desc as u8,
        signed: desc >> 8 & 1 != 0,
        endian: if desc >> 9 & 1 != 0 { Endian::Big } else { Endian::Little },
        kind: AccessKind::from_u8((desc >> 16) as u8),
        align: (desc >> 24) as u8,
    }
}

fn translate(env: &mut JitEnv, vaddr: u64, op: MemOp) -> Result<PageMapping, MemFault> {
    let mmu = env.mmu.expect("softmmu used outside the execution loop");
    // SAFETY: the loop installs a memory system that outlives the run.
    unsafe { (*mmu).translate(vaddr, op.kind) }.map_err(|f| MemFault { size: op.size, ..f })
}

/// Install a TLB entry for the page of `vaddr` after a successful translation.
/// Unprivileged accesses never fill the TLB: they always take the slow path.
fn fill(env: &mut JitEnv, vaddr: u64, kind: AccessKind, m: &PageMapping) {
    if m.host.is_null() || matches!(kind, AccessKind::ReadUser | AccessKind::WriteUser | AccessKind::Fetch) {
        return;
    }
    let page = vaddr & PAGE_MASK;
    let write_ok = m.writable && !env.code_pages.contains_key(&m.paddr);
    env.tlb[JitEnv::tlb_index(vaddr)] = TlbEntry {
        addr_read: page,
        addr_write: if write_ok { page } else { TLB_INVALID },
        addend: (m.host as u64).wrapping_sub(page),
        paddr: m.paddr,
    };
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
        // Crosses a page: assemble from bytes in memory order.
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
    let m = translate(env, vaddr, op)?;
    fill(env, vaddr, op.kind, &m);
    let off = vaddr & !PAGE_MASK;
    if m.host.is_null() {
        let mmu = env.mmu.expect("softmmu used outside the execution loop");
        // SAFETY: as in `translate`.
        return unsafe { (*mmu).io_read(m.paddr + off, op.size) }.map_err(|Unmapped| fault(vaddr, op, FaultCause::Unmapped));
    }
    // SAFETY: `host` maps the whole page and the access stays inside it.
    let raw = unsafe {
        let p = m.host.add(off as usize);
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
        translate(env, vaddr, op)?;
        translate(env, second, op)?;
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
    let m = translate(env, vaddr, op)?;
    fill(env, vaddr, op.kind, &m);
    let off = vaddr & !PAGE_MASK;
    if m.host.is_null() || !m.writable {
        // Devices, and read-only memory (ROM, flash), whose owner decides.
        let mmu = env.mmu.expect("softmmu used outside the execution loop");
        // SAFETY: as in `translate`.
        return unsafe { (*mmu).io_write(m.paddr + off, op.size, value) }
            .map_err(|Unmapped| fault(vaddr, op, FaultCause::Unmapped));
    }
    let v = to_host_order(op, value);
    // SAFETY: `host` maps the whole page and the access stays inside it.
    unsafe {
        let p = m.host.add(off as usize);
        match op.size {
            1 => p.write(v as u8),
            2 => (p as *mut u16).write_unaligned(v as u16),
            4 => (p as *mut u32).write_unaligned(v as u32),
            _ => (p as *mut u64).write_unaligned(v),
        }
    }
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
