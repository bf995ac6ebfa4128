//! The same randomly generated IR blocks run through the IR interpreter and
//! through the JIT; guest state, memory and exit must be identical.

use chimera_ir::{
    AccessKind, BinOp, Block, Builder, Cmp, Endian, FLanes, FaultCause, FlushScope, GuestMemory, Helper, Lanes, MemFault,
    MemOp, PageTranslation, PhysMemory, PhysPage, Reg, Terminal, TlbFlush, Type, UnOp, Unmapped, Value, VecFOp, VecOp, VecShift,
};
use chimera_jit::{GuestCpu, GuestInfo, Jit, JitConfig, PAGE_MASK};

const NREGS: usize = 24;
const RAM_BASE: u64 = 0x1000_0000;
const RAM_SIZE: usize = 0x4000;
const IO_BASE: u64 = 0x2000_0000;

#[repr(C)]
#[derive(Clone, PartialEq, Debug)]
struct State {
    r: [u64; NREGS],
    pc: u64,
}

const PC: Reg = Reg { offset: (NREGS * 8) as u32, ty: Type::I64 };

fn reg_ty(i: usize) -> Type {
    match i % 4 {
        0 | 1 => Type::I64,
        2 => Type::I32,
        _ => Type::I8,
    }
}

fn reg(i: usize) -> Reg {
    Reg { offset: (i * 8) as u32, ty: reg_ty(i) }
}

/// RAM pages plus one device page that echoes a function of the address.
/// The host keeps the RAM pages in reverse order with a guard page after
/// each, so a host access that runs past the end of a guest page (a
/// page-crossing access wrongly taken on the inline path) lands in a guard
/// page, which is compared too.
///
/// Three MMU indices translate differently ([`translate`]), so a TLB filled
/// under one index must never serve another: [`MMU_USER`] may not touch the
/// last RAM page; [`MMU_PRIV`] sees everything as it is; [`MMU_ALIAS`] sees
/// RAM a second time at [`ALIAS_BASE`], its first page read-only there and
/// its second page device-like (unaligned accesses fault).
struct Mem {
    host: Vec<u8>,
    io_log: Vec<(u64, u8, u64)>,
}

const RAM_PAGES: usize = RAM_SIZE / 0x1000;
/// The RAM page only privileged accesses may use.
const PRIV_PAGE: u64 = RAM_BASE + 0x1000 * (RAM_PAGES as u64 - 1);
/// Where [`MMU_ALIAS`] sees RAM.
const ALIAS_BASE: u64 = 0x3000_0000;
const MMU_USER: u8 = 0;
const MMU_PRIV: u8 = 1;
const MMU_ALIAS: u8 = 2;
/// The guest time the tests' clock reads.
const TIME: u64 = 0x1234_5678_9abc;

/// Host offset of RAM address `a`.
fn host_off(a: u64) -> usize {
    let k = ((a - RAM_BASE) >> 12) as usize;
    (RAM_PAGES - 1 - k) * 0x2000 + (a & 0xfff) as usize
}

fn in_ram(a: u64) -> bool {
    (RAM_BASE..RAM_BASE + RAM_SIZE as u64).contains(&a)
}

/// The translation of the test CPU: the physical address of `a` under MMU
/// index `mmu` for an access of `kind`, or its fault.
fn translate(a: u64, kind: AccessKind, mmu: u8) -> Result<u64, FaultCause> {
    let page = a & PAGE_MASK;
    match mmu {
        MMU_USER if page == PRIV_PAGE => Err(FaultCause::Permission(3)),
        MMU_ALIAS if (ALIAS_BASE..ALIAS_BASE + RAM_SIZE as u64).contains(&a) => {
            if page == ALIAS_BASE && kind.is_write() {
                return Err(FaultCause::Permission(2));
            }
            Ok(a - ALIAS_BASE + RAM_BASE)
        }
        _ => Ok(a),
    }
}

/// Whether unaligned data accesses to `a` under `mmu` fault.
fn aligned_only(a: u64, mmu: u8) -> bool {
    mmu == MMU_ALIAS && a & PAGE_MASK == ALIAS_BASE + 0x1000
}

/// [`translate`] as the JIT's walk.
unsafe fn walk(_state: *mut u8, vaddr: u64, kind: AccessKind, mmu: u8, _phys: &mut dyn PhysMemory) -> Result<PageTranslation, MemFault> {
    match translate(vaddr, kind, mmu) {
        Ok(p) => {
            let write = mmu != MMU_ALIAS || vaddr & PAGE_MASK != ALIAS_BASE;
            Ok(PageTranslation { write, aligned_only: aligned_only(vaddr, mmu), ..PageTranslation::identity(p) })
        }
        Err(cause) => Err(MemFault { vaddr, kind, size: 0, cause }),
    }
}

const INFO: GuestInfo = GuestInfo { pc: PC, state_size: std::mem::size_of::<State>() as u32, walk };

impl Mem {
    fn new(seed: u64) -> Mem {
        let mut rng = Rng(seed ^ 0x9e37_79b9_7f4a_7c15);
        Mem { host: (0..2 * RAM_SIZE).map(|_| rng.next() as u8).collect(), io_log: Vec::new() }
    }
    fn unmapped(vaddr: u64, op: MemOp) -> MemFault {
        MemFault { vaddr, kind: op.kind, size: op.size, cause: FaultCause::Unmapped }
    }
    /// The physical address of byte `a` of an access, or the fault (the
    /// softmmu reports the first byte of a page it cannot use).
    fn byte_phys(a: u64, op: MemOp) -> Result<u64, MemFault> {
        translate(a, op.kind, op.mmu).map_err(|cause| MemFault { vaddr: a, kind: op.kind, size: op.size, cause })
    }

    /// The first page's translation decides whether the access may be
    /// unaligned; its own faults come first.
    fn check_first(vaddr: u64, op: MemOp) -> Result<(), MemFault> {
        Self::byte_phys(vaddr, op)?;
        if aligned_only(vaddr, op.mmu) && !vaddr.is_multiple_of(u64::from(op.size)) {
            return Err(MemFault { vaddr, kind: op.kind, size: op.size, cause: FaultCause::Alignment });
        }
        Ok(())
    }
}

impl GuestMemory for Mem {
    fn load(&mut self, vaddr: u64, op: MemOp) -> Result<u64, MemFault> {
        if op.misaligned(vaddr) {
            return Err(MemFault { vaddr, kind: op.kind, size: op.size, cause: FaultCause::Alignment });
        }
        Self::check_first(vaddr, op)?;
        let mut v = 0u64;
        for i in 0..u64::from(op.size) {
            let a = Self::byte_phys(vaddr.wrapping_add(i), op)?;
            let b = if in_ram(a) {
                u64::from(self.host[host_off(a)])
            } else if a & PAGE_MASK == IO_BASE && op.size == 1 {
                return self.io_read(a, 1).map_err(|Unmapped| Self::unmapped(vaddr, op));
            } else if a & PAGE_MASK == IO_BASE {
                let r = self.io_read(a, op.size).map_err(|Unmapped| Self::unmapped(vaddr, op))?;
                return Ok(r);
            } else {
                return Err(Self::unmapped(vaddr, op));
            };
            match op.endian {
                Endian::Little => v |= b << (8 * i),
                Endian::Big => v = v << 8 | b,
            }
        }
        Ok(v)
    }
    fn store(&mut self, vaddr: u64, value: u64, op: MemOp) -> Result<(), MemFault> {
        if op.misaligned(vaddr) {
            return Err(MemFault { vaddr, kind: op.kind, size: op.size, cause: FaultCause::Alignment });
        }
        let n = u64::from(op.size);
        Self::check_first(vaddr, op)?;
        let first = Self::byte_phys(vaddr, op)?;
        if first & PAGE_MASK == IO_BASE {
            return self.io_write(first, op.size, value).map_err(|Unmapped| Self::unmapped(vaddr, op));
        }
        let mut phys = Vec::new();
        for i in 0..n {
            let a = Self::byte_phys(vaddr.wrapping_add(i), op)?;
            if !in_ram(a) {
                return Err(Self::unmapped(vaddr, op));
            }
            phys.push(a);
        }
        for (i, a) in (0..n).zip(phys) {
            let sh = match op.endian {
                Endian::Little => 8 * i,
                Endian::Big => 8 * (n - 1 - i),
            };
            self.host[host_off(a)] = (value >> sh) as u8;
        }
        Ok(())
    }
    // No translation cache: nothing to flush.
    fn guest_time_ns(&mut self) -> u64 {
        TIME
    }
}

impl PhysMemory for Mem {
    fn page(&mut self, paddr: u64) -> PhysPage {
        let page = paddr & PAGE_MASK;
        if in_ram(page) {
            PhysPage::Ram { host: self.host.as_mut_ptr().wrapping_add(host_off(page)), writable: true }
        } else if page == IO_BASE {
            PhysPage::Io
        } else {
            PhysPage::Nothing
        }
    }
    fn io_read(&mut self, paddr: u64, size: u8) -> Result<u64, Unmapped> {
        if paddr & 0xf00 == 0xf00 {
            return Err(Unmapped);
        }
        self.io_log.push((paddr, size, 0));
        Ok(paddr.wrapping_mul(0x0101_0101_0101_0101) & (u64::MAX >> (64 - 8 * u32::from(size))))
    }
    fn io_write(&mut self, paddr: u64, size: u8, value: u64) -> Result<(), Unmapped> {
        if paddr & 0xf00 == 0xf00 {
            return Err(Unmapped);
        }
        self.io_log.push((paddr, size, value));
        Ok(())
    }
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

extern "C" fn mix_helper(cpu: *mut u8, _env: *mut u8, a: u64, b: u64, c: u64) -> u64 {
    // Reads and writes guest state, as helpers may.
    let s = unsafe { &mut *(cpu as *mut State) };
    s.r[5] = s.r[5].wrapping_add(a ^ b.rotate_left(7));
    a.wrapping_mul(31).wrapping_add(b) ^ c ^ s.r[0]
}

const MIX: Helper = Helper::new("mix", mix_helper);

extern "C" fn mix_range_helper(cpu: *mut u8, _env: *mut u8, a: u64, b: u64, _c: u64) -> u64 {
    // Reads and writes only r[4..8], as it declares.
    let s = unsafe { &mut *(cpu as *mut State) };
    s.r[5] = s.r[5].rotate_left(3) ^ a;
    s.r[6] = (s.r[6] as u32).wrapping_add(s.r[4] as u32) as u64;
    a ^ b ^ s.r[7]
}

/// A helper that touches only the state bytes of r\[4\]..r\[7\].
const MIX_RANGE: Helper = Helper::touching("mix_range", mix_range_helper, 32, 64);

/// A random block over all IR operations. Faulting accesses and unknown
/// branch targets are `calm` times rarer than at 1 (programs of several
/// blocks use a higher `calm`, so they run long enough to loop and chain).
///
/// The terminal is chosen first: only a block that returns to the loop
/// (exception, exit) may write [`MODE_REG`], which selects the translation
/// mode, as a frontend ends a block after an instruction that changes
/// its CPU mode; a block with a chainable terminal may set it to a
/// constant, naming the new mode in its `exit_flags`. Half of the blocks start by loading from every RAM page, so
/// the accesses after that hit the TLB and take the inline path.
fn random_block(rng: &mut Rng, pc: u64, calm: u64) -> Block {
    let mut b = Builder::new(pc);
    let mut pool: Vec<Value> = Vec::new();
    let ninsns = 1 + rng.below(12) as u32;
    let types = [Type::I8, Type::I16, Type::I32, Type::I64];
    let term_kind = rng.below(6);
    let may_set_mode = matches!(term_kind, 2 | 4 | 5);
    let warm = rng.below(2) == 0;
    for k in 0..ninsns {
        b.insn_start(pc + 4 * u64::from(k));
        if k == 0 && warm {
            for (base, mmu) in [(RAM_BASE, MMU_PRIV), (ALIAS_BASE, MMU_ALIAS)] {
                for p in 0..RAM_PAGES as u64 {
                    let a = b.iconst(Type::I64, base + 0x1000 * p + 8 * rng.below(0x200));
                    let op = MemOp { size: 8, signed: false, endian: Endian::Little, kind: AccessKind::Read, align: 0, mmu };
                    pool.push(b.load(op, Type::I64, a));
                }
            }
        }
        for _ in 0..1 + rng.below(8) {
            let pick = |rng: &mut Rng, b: &Builder, pool: &Vec<Value>, ty: Type| -> Option<Value> {
                let c: Vec<Value> = pool.iter().copied().filter(|v| b.ty(*v) == ty).collect();
                if c.is_empty() {
                    None
                } else {
                    Some(c[rng.below(c.len() as u64) as usize])
                }
            };
            if rng.below(8) == 0 {
                // Vector operations on register pairs read as 128-bit values.
                // Pairs r0..r21: never MODE_REG's.
                let vreg = |rng: &mut Rng| Reg { offset: 16 * rng.below((NREGS / 2 - 1) as u64) as u32, ty: Type::V128 };
                let all_lanes = [Lanes::B16, Lanes::H8, Lanes::S4, Lanes::D2];
                let lanes = all_lanes[rng.below(4) as usize];
                let r = vreg(rng);
                let a = b.get(r);
                let fl = if rng.below(2) == 0 { FLanes::F32x4 } else { FLanes::F64x2 };
                let x = match rng.below(10) {
                    7 => {
                        let ops = [VecFOp::Add, VecFOp::Sub, VecFOp::Mul];
                        let c = vreg(rng);
                        let c = b.get(c);
                        b.vfbin(ops[rng.below(3) as usize], fl, a, c)
                    }
                    8 if chimera_ir::host_has_fma() => {
                        let (c, d) = (vreg(rng), vreg(rng));
                        let (c, d) = (b.get(c), b.get(d));
                        b.vfma(fl, a, c, d)
                    }
                    8 | 9 => {
                        match pick(rng, &b, &pool, Type::I8) {
                            Some(c) => {
                                let args: Vec<Value> = (0..rng.below(3)).filter_map(|_| pick(rng, &b, &pool, Type::I64)).collect();
                                b.call_if(c, MIX, &args);
                            }
                            None => {}
                        }
                        continue;
                    }
                    0 | 1 => {
                        let ops = [
                            VecOp::Add, VecOp::Sub, VecOp::Mul, VecOp::And, VecOp::Or, VecOp::Xor, VecOp::AndNot,
                            VecOp::AddSatS, VecOp::AddSatU, VecOp::SubSatS, VecOp::SubSatU, VecOp::MinS, VecOp::MinU,
                            VecOp::MaxS, VecOp::MaxU, VecOp::Eq, VecOp::GtS, VecOp::GeS, VecOp::GtU, VecOp::GeU,
                        ];
                        let op = ops[rng.below(ops.len() as u64) as usize];
                        if !op.supports(lanes) {
                            continue;
                        }
                        let r2 = vreg(rng);
                        let c = b.get(r2);
                        b.vbin(op, lanes, a, c)
                    }
                    2 => {
                        let ops = [VecShift::Shl, VecShift::Lshr, VecShift::Ashr];
                        let amount = rng.below(u64::from(lanes.bits())) as u32;
                        b.vshift(ops[rng.below(3) as usize], lanes, a, amount)
                    }
                    3 => match pick(rng, &b, &pool, lanes.lane_type()) {
                        Some(x) => b.vsplat(lanes, x),
                        None => continue,
                    },
                    4 => {
                        let (m, c) = (vreg(rng), vreg(rng));
                        let (m, c) = (b.get(m), b.get(c));
                        b.vselect(m, a, c)
                    }
                    5 => match (pick(rng, &b, &pool, Type::I64), pick(rng, &b, &pool, Type::I64)) {
                        (Some(lo), Some(hi)) => b.vconcat(lo, hi),
                        _ => continue,
                    },
                    _ => {
                        let h = b.vhalf(a, rng.below(2) == 0);
                        pool.push(h);
                        continue;
                    }
                };
                let d = vreg(rng);
                b.set(d, x);
                continue;
            }
            if rng.below(10) == 0 {
                // A lane of a 64-bit register (vector registers are read and
                // written both whole and by element).
                let i = 4 * rng.below((NREGS / 4) as u64) as usize;
                let lt = types[rng.below(3) as usize];
                let k = rng.below(u64::from(8 / lt.bytes())) as u32;
                let r = Reg { offset: (i * 8) as u32 + k * lt.bytes(), ty: lt };
                if rng.below(2) == 0 {
                    pool.push(b.get(r));
                } else if let Some(x) = pick(rng, &b, &pool, lt) {
                    b.set(r, x);
                }
                continue;
            }
            if rng.below(30 * calm) == 0 {
                // A trap decided at run time, leaving mid-block (kind 9: a
                // program stops there, as at any exception).
                if let (Some(c), Some(a)) = (pick(rng, &b, &pool, Type::I8), pick(rng, &b, &pool, Type::I64)) {
                    b.trap_if(c, 9, a);
                }
                continue;
            }
            let ty = types[rng.below(4) as usize];
            let v = match rng.below(15) {
                0 => {
                    // The type's minimum with -1 (all ones) is the signed
                    // division overflow case.
                    let min = 1u64 << (ty.bits() - 1);
                    let special = [0, 1, u64::MAX, min, min, u64::MAX, 1 << 63, 0x8000_0000, 0x7fff_ffff, 63, 64, 31, 32];
                    let imm = if rng.below(2) == 0 { special[rng.below(special.len() as u64) as usize] } else { rng.next() };
                    Some(b.iconst(ty, imm))
                }
                1 | 2 => {
                    let i = rng.below(NREGS as u64) as usize;
                    Some(b.get(reg(i)))
                }
                3 => {
                    let i = rng.below(NREGS as u64) as usize;
                    if i == MODE_REG && !may_set_mode {
                        continue;
                    }
                    if let Some(x) = pick(rng, &b, &pool, reg_ty(i)) {
                        b.set(reg(i), x);
                    }
                    None
                }
                4..=6 => {
                    let ops = [
                        BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::MulHiU, BinOp::MulHiS, BinOp::UDiv, BinOp::SDiv,
                        BinOp::URem, BinOp::SRem, BinOp::And, BinOp::Or, BinOp::Xor, BinOp::Shl, BinOp::Lshr,
                        BinOp::Ashr, BinOp::Rotr,
                    ];
                    let op = ops[rng.below(ops.len() as u64) as usize];
                    match (pick(rng, &b, &pool, ty), pick(rng, &b, &pool, ty)) {
                        (Some(x), Some(y)) if !(ty == Type::I8 && matches!(op, BinOp::MulHiU | BinOp::MulHiS)) => {
                            Some(b.bin(op, x, y))
                        }
                        _ => None,
                    }
                }
                7 => {
                    let ops = [UnOp::Not, UnOp::Neg, UnOp::Clz, UnOp::Cls, UnOp::Ctz, UnOp::Popcnt, UnOp::Bswap, UnOp::Bitrev];
                    let op = ops[rng.below(ops.len() as u64) as usize];
                    pick(rng, &b, &pool, ty).map(|x| b.un(op, x))
                }
                8 => {
                    let ccs = [Cmp::Eq, Cmp::Ne, Cmp::Ult, Cmp::Ule, Cmp::Ugt, Cmp::Uge, Cmp::Slt, Cmp::Sle, Cmp::Sgt, Cmp::Sge];
                    let cc = ccs[rng.below(10) as usize];
                    match (pick(rng, &b, &pool, ty), pick(rng, &b, &pool, ty)) {
                        (Some(x), Some(y)) => Some(b.icmp(cc, x, y)),
                        _ => None,
                    }
                }
                9 => match (pick(rng, &b, &pool, Type::I8), pick(rng, &b, &pool, ty), pick(rng, &b, &pool, ty)) {
                    (Some(c), Some(x), Some(y)) => Some(b.select(c, x, y)),
                    _ => None,
                },
                10 => {
                    let from = types[rng.below(4) as usize];
                    pick(rng, &b, &pool, from).map(|x| match from.bits().cmp(&ty.bits()) {
                        std::cmp::Ordering::Less if rng.below(2) == 0 => b.zext(ty, x),
                        std::cmp::Ordering::Less => b.sext(ty, x),
                        _ => b.trunc(ty, x),
                    })
                }
                11 | 12 => {
                    // An address: mostly RAM, sometimes page-crossing, device or unmapped.
                    let size = [1u8, 2, 4, 8][rng.below(4) as usize];
                    let addr = match rng.below(20 * calm) {
                        0 => IO_BASE + rng.below(0x1000) / u64::from(size) * u64::from(size),
                        1 => 0x5000_0000,
                        2 => RAM_BASE + 0x1000 - 3,
                        3 => PRIV_PAGE - 3,
                        // Never the code (the blocks of a program lie in
                        // [RAM_BASE, RAM_BASE + 0x200)): writing it would make the
                        // JIT yield to the loop, which the reference does not
                        // model; tests/engine.rs covers self-modifying code.
                        _ => RAM_BASE + 0x200 + rng.below(RAM_SIZE as u64 - 0x208),
                    };
                    let align = [0, 0, 0, size, 16][rng.below(5) as usize];
                    // A required alignment is met except one time in `calm`.
                    let addr = if align > 1 && rng.below(calm) != 0 { addr & !(u64::from(align) - 1) } else { addr };
                    let endian = if rng.below(3) == 0 { Endian::Big } else { Endian::Little };
                    // The MMU index: the user one (which may not touch the
                    // last RAM page) rarely, the alias view of RAM often.
                    let mmu = match rng.below(8 * calm) {
                        0 => MMU_USER,
                        k if k % 3 == 0 => MMU_ALIAS,
                        _ => MMU_PRIV,
                    };
                    let addr = if mmu == MMU_ALIAS && in_ram(addr) { addr - RAM_BASE + ALIAS_BASE } else { addr };
                    let a = b.iconst(Type::I64, addr);
                    let op = MemOp { size, signed: rng.below(2) == 0, endian, kind: AccessKind::Read, align, mmu };
                    if rng.below(2) == 0 {
                        let lty = if u32::from(size) * 8 > ty.bits() { Type::I64 } else { ty };
                        Some(b.load(op, lty, a))
                    } else {
                        let vty = Type::int_of_bytes(u32::from(size)).unwrap();
                        if let Some(x) = pick(rng, &b, &pool, vty) {
                            b.store(MemOp { kind: AccessKind::Write, ..op }, a, x);
                        }
                        None
                    }
                }
                13 if rng.below(3) == 0 => Some(b.guest_time()),
                13 => {
                    // Invalidation: the reference caches nothing, so the
                    // flushed translations must come back the same.
                    let scopes = [FlushScope::All, FlushScope::Page, FlushScope::PageAsid, FlushScope::Asid];
                    let scope = scopes[rng.below(4) as usize];
                    let mmu_mask = rng.below(16) as u16;
                    let va = match pick(rng, &b, &pool, Type::I64) {
                        Some(v) if rng.below(2) == 0 => v,
                        _ => b.iconst(Type::I64, [RAM_BASE + 0x1234, ALIAS_BASE + 0x2010, PRIV_PAGE][rng.below(3) as usize]),
                    };
                    let asid = b.iconst(Type::I64, rng.below(2));
                    b.tlb_flush(TlbFlush { scope, mmu_mask }, va, asid);
                    None
                }
                _ => {
                    let args: Vec<Value> = (0..rng.below(4)).filter_map(|_| pick(rng, &b, &pool, Type::I64)).collect();
                    Some(b.call(if rng.below(2) == 0 { MIX } else { MIX_RANGE }, &args))
                }
            };
            pool.extend(v);
        }
    }
    let branch_cond = pool.iter().copied().find(|v| b.ty(*v) == Type::I8);
    if matches!(term_kind, 0 | 1 | 3) && rng.below(4) == 0 {
        // A mode change by a constant (as a SPARC SAVE moves the window):
        // the block's chainable exits continue under the new flags; a
        // branch may continue under other flags at each target (as an
        // annulling SPARC branch enters its delay slot).
        let (m1, m2) = (rng.next(), rng.next());
        let a = b.iconst(reg_ty(MODE_REG), m1);
        match branch_cond {
            Some(c) if term_kind == 1 && rng.below(2) == 0 => {
                let other = b.iconst(reg_ty(MODE_REG), m2);
                let m = b.select(c, a, other);
                b.set(reg(MODE_REG), m);
                b.set_branch_exit_flags((m1 & 1) as u32, (m2 & 1) as u32);
            }
            _ => {
                b.set(reg(MODE_REG), a);
                b.set_exit_flags((m1 & 1) as u32);
            }
        }
    }
    let next = pc + 4 * u64::from(ninsns);
    let term = match term_kind {
        0 => Terminal::Jump(next),
        1 => match branch_cond {
            Some(c) => Terminal::Branch { cond: c, taken: if rng.below(2) == 0 { pc } else { pc + 0x100 }, not_taken: next },
            None => Terminal::Exit(next),
        },
        2 => Terminal::Exception { pc: pc + 4, kind: 7, arg: 0x1234 },
        k @ (3 | 4) => {
            // A computed target: one of the first blocks of a program
            // (`random_programs_agree` places blocks 0x40 apart from RAM_BASE),
            // or, one time in eight, a PC with no block.
            let x = pool.iter().copied().filter(|v| b.ty(*v) == Type::I64).last().unwrap_or_else(|| b.iconst(Type::I64, rng.next()));
            let m = b.iconst(Type::I64, if rng.below(8 * calm) == 0 { 0x7c0 } else { 0xc0 });
            let off = b.bin(BinOp::And, x, m);
            let base = b.iconst(Type::I64, RAM_BASE);
            let t = b.bin(BinOp::Add, base, off);
            if k == 3 {
                Terminal::Indirect(t)
            } else {
                Terminal::ExitIndirect(t)
            }
        }
        _ => Terminal::Exit(next),
    };
    b.finish(term, ninsns, 4 * ninsns)
}

/// A CPU whose blocks are given; any PC without a given block stops the run.
struct TestCpu {
    state: State,
    /// Each block with the mode ([`GuestCpu::tb_flags`]) it is for.
    blocks: Vec<(u32, Block)>,
}

/// The register whose bit 0 is the CPU mode: blocks are translated per mode,
/// so the TB cache, the jump cache and chaining must keep the modes apart;
/// its bit 1 is the translation context.
const MODE_REG: usize = 23;

fn mode(s: &State) -> u32 {
    (s.r[MODE_REG] & 1) as u32
}

fn find(blocks: &[(u32, Block)], pc: u64, flags: u32) -> Option<&Block> {
    blocks.iter().find(|(f, b)| *f == flags && b.pc == pc).map(|(_, b)| b)
}

const STOP: u32 = 99;

impl GuestCpu for TestCpu {
    fn state_ptr(&mut self) -> *mut u8 {
        &mut self.state as *mut State as *mut u8
    }
    fn pc(&self) -> u64 {
        self.state.pc
    }
    fn tb_flags(&self) -> u32 {
        mode(&self.state)
    }
    fn fetch_mmu_index(&self) -> u8 {
        MMU_PRIV
    }
    /// Bit 1 of [`MODE_REG`] is the translation context (an ASID): a change
    /// flushes the TLBs.
    fn tlb_context(&self) -> u64 {
        self.state.r[MODE_REG] >> 1 & 1
    }
    fn translate(&mut self, pc: u64, flags: u32, _mem: &mut dyn GuestMemory, _max: u32) -> Block {
        match find(&self.blocks, pc, flags) {
            Some(b) => b.clone(),
            None => Builder::new(pc).finish(Terminal::Exception { pc, kind: STOP, arg: 0 }, 0, 0),
        }
    }
}

fn initial_state(rng: &mut Rng, pc: u64) -> State {
    let mut s = State { r: [0; NREGS], pc };
    for (i, r) in s.r.iter_mut().enumerate() {
        *r = rng.next() & reg_ty(i).mask();
    }
    s
}

#[test]
fn random_blocks_agree() {
    let pc = RAM_BASE;
    let (mut ran, mut compiled) = (0u64, 0u64);
    for seed in 1..=3000u64 {
        let mut rng = Rng(seed.wrapping_mul(0x2545_f491_4f6c_dd1d) | 1);
        let block = random_block(&mut rng, pc, 1);
        chimera_ir::verify(&block, std::mem::size_of::<State>() as u32).unwrap_or_else(|e| panic!("{e}\n{block}"));
        let s0 = initial_state(&mut rng, pc);

        let mut mi = Mem::new(seed);
        let mut si = s0.clone();
        let ie = unsafe { chimera_ir::interpret(&block, &mut si as *mut State as *mut u8, std::ptr::null_mut(), &mut mi, PC) };

        // Compiled at once, in each compiled tier: the quick one (the
        // default promotion threshold is far away) and the optimising one.
        for promote in [JitConfig::default().promote_threshold, 0] {
            let mut mj = Mem::new(seed);
            let mut cpu = TestCpu { state: s0.clone(), blocks: vec![(0, block.clone()), (1, block.clone())] };
            let mut jit = Jit::new(INFO, JitConfig { hot_threshold: 0, promote_threshold: promote, ..JitConfig::default() }).unwrap();
            jit.env().set_clock(Box::new(|| TIME));
            // One block exactly: the budget covers it and no more.
            let je = jit.run(&mut cpu, &mut mj, i64::from(block.guest_insns));
            let st = jit.stats();
            assert_eq!((st.blocks, st.compiled, st.interpreted), (1, 1, 0), "seed {seed}: not run compiled\n{block}");
            ran += 1;
            compiled += st.compiled;
            let je_norm = chimera_ir::BlockExit::from(je);
            // The JIT's run continues into the successor when it chains or loops; the
            // budget stops it at the next block boundary, where the state is final.
            assert_eq!(ie, je_norm, "exit differs for seed {seed}, promote {promote}\n{block}");
            assert_eq!(si, cpu.state, "state differs for seed {seed}, promote {promote}\n{block}");
            assert!(mi.host == mj.host, "memory differs for seed {seed}, promote {promote}\n{block}");
            assert_eq!(mi.io_log, mj.io_log, "device accesses differ for seed {seed}, promote {promote}\n{block}");
        }
    }
    println!("compiled: {compiled} of {ran} blocks (each of 3000 blocks in both compiled tiers)");
    assert_eq!((ran, compiled), (6000, 6000));
}

/// Programs of several random blocks in one page that branch among
/// themselves: the JIT (with regions, chaining and tiering) and a reference
/// loop over the interpreter must agree after the same instruction budget.
#[test]
fn random_programs_agree() {
    const NBLOCKS: u64 = 8;
    let pc_of = |i: u64| RAM_BASE + 0x40 * i;
    // (interpreter threshold, promotion threshold): everything compiled at
    // once in the optimising tier; in the quick tier and promoted soon;
    // tiered through the interpreter, the quick tier and promotion.
    let configs = [(0u32, 0u32), (0, 2), (1, 3), (3, 1)];
    // Per configuration: blocks translated, regions compiled, promoted, interpreted runs.
    let mut tallies = [(0u64, 0u64, 0u64, 0u64); 4];
    for seed in 1..=1000u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let mut blocks = Vec::new();
        for i in 0..NBLOCKS {
            for flags in [0, 1] {
                let mut b = random_block(&mut rng, pc_of(i), 10);
                // Retarget the terminal to blocks of the program; most
                // exceptions become jumps, so programs run long enough to
                // chain, loop and switch modes.
                let pick = |rng: &mut Rng| pc_of(rng.below(NBLOCKS));
                b.term = match b.term {
                    Terminal::Jump(_) => Terminal::Jump(pick(&mut rng)),
                    Terminal::Branch { cond, .. } => Terminal::Branch { cond, taken: pick(&mut rng), not_taken: pick(&mut rng) },
                    Terminal::Exit(_) => Terminal::Exit(pick(&mut rng)),
                    Terminal::Exception { .. } if rng.below(4) != 0 => Terminal::Exit(pick(&mut rng)),
                    t => t,
                };
                blocks.push((flags, b));
            }
        }
        let s0 = initial_state(&mut rng, pc_of(0));
        let budget = 1 + rng.below(400) as i64;

        // Reference: the interpreter, block by block, under the JIT's budget rule
        // (a block runs only if the budget still covers it).
        let mut mi = Mem::new(seed);
        let mut si = s0.clone();
        let mut left = budget;
        let ref_exit = loop {
            let Some(b) = find(&blocks, si.pc, mode(&si)) else {
                break chimera_ir::BlockExit::Exception { kind: STOP, arg: 0 };
            };
            if left - i64::from(b.guest_insns) < 0 {
                break chimera_ir::BlockExit::Next;
            }
            left -= i64::from(b.guest_insns);
            let e = unsafe { chimera_ir::interpret(b, &mut si as *mut State as *mut u8, std::ptr::null_mut(), &mut mi, PC) };
            if e != chimera_ir::BlockExit::Next {
                break e;
            }
            if left <= 0 {
                break chimera_ir::BlockExit::Next;
            }
        };

        for (k, &(hot, promote)) in configs.iter().enumerate() {
            let tally = &mut tallies[k];
            let mut mj = Mem::new(seed);
            let mut cpu = TestCpu { state: s0.clone(), blocks: blocks.clone() };
            let cfg = JitConfig { hot_threshold: hot, promote_threshold: promote, ..JitConfig::default() };
            let mut jit = Jit::new(INFO, cfg).unwrap();
            jit.env().set_clock(Box::new(|| TIME));
            let je = chimera_ir::BlockExit::from(jit.run(&mut cpu, &mut mj, budget));
            assert_eq!(ref_exit, je, "exit differs for seed {seed}, hot {hot}");
            assert_eq!(si, cpu.state, "state differs for seed {seed}, hot {hot}, budget {budget}");
            assert!(mi.host == mj.host, "memory differs for seed {seed}, hot {hot}");
            assert_eq!(mi.io_log, mj.io_log, "device accesses differ for seed {seed}, hot {hot}");
            let st = jit.stats();
            if hot == 0 {
                // Every block the program reached ran as host code (a
                // promoted block was compiled twice).
                assert_eq!((st.compiled - st.promoted, st.interpreted), (st.blocks, 0), "seed {seed}: a block was interpreted");
            }
            tally.0 += st.blocks;
            tally.1 += st.compiled - st.promoted;
            tally.2 += st.promoted;
            tally.3 += st.interpreted;
        }
    }
    for (&(hot, promote), t) in configs.iter().zip(tallies) {
        if hot == 0 {
            println!("compiled: {} of {} blocks (hot threshold 0, promotion threshold {promote}, {} promoted)", t.1, t.0, t.2);
            assert_eq!(t.1, t.0);
        } else {
            println!(
                "tiering: interpreter threshold {hot}, promotion threshold {promote}: {} blocks, {} regions compiled quickly, {} promoted, {} interpreted runs",
                t.0, t.1, t.2, t.3
            );
            // The interpreter, the quick tier and promotion all took part.
            assert!(t.1 > 0 && t.2 > 0 && t.3 > 0);
        }
    }
    // Promotion happened where it was asked for.
    assert!(tallies[1].2 > 0);
}
