//! Value types and memory-access descriptors of the IR.

use std::fmt;

/// The type of an IR value.
///
/// Integers are the only types the integer frontends use today; the floating-point
/// and vector types are reserved so that FP/SIMD work can extend the IR without
/// changing its shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// 8-bit integer; also the type of comparison results (0 or 1).
    I8,
    /// 16-bit integer.
    I16,
    /// 32-bit integer.
    I32,
    /// 64-bit integer.
    I64,
    /// IEEE 754 binary32 (reserved).
    F32,
    /// IEEE 754 binary64 (reserved).
    F64,
    /// 128-bit vector (reserved).
    V128,
}

impl Type {
    /// Width in bits.
    pub const fn bits(self) -> u32 {
        match self {
            Type::I8 => 8,
            Type::I16 => 16,
            Type::I32 | Type::F32 => 32,
            Type::I64 | Type::F64 => 64,
            Type::V128 => 128,
        }
    }

    /// Width in bytes.
    pub const fn bytes(self) -> u32 {
        self.bits() / 8
    }

    /// True for the integer types.
    pub fn is_int(self) -> bool {
        matches!(self, Type::I8 | Type::I16 | Type::I32 | Type::I64)
    }

    /// All-ones mask of this integer type's width.
    pub fn mask(self) -> u64 {
        match self.bits() {
            64.. => u64::MAX,
            b => (1u64 << b) - 1,
        }
    }

    /// The integer type of `bytes` bytes.
    pub fn int_of_bytes(bytes: u32) -> Option<Type> {
        match bytes {
            1 => Some(Type::I8),
            2 => Some(Type::I16),
            4 => Some(Type::I32),
            8 => Some(Type::I64),
            _ => None,
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Type::I8 => "i8",
            Type::I16 => "i16",
            Type::I32 => "i32",
            Type::I64 => "i64",
            Type::F32 => "f32",
            Type::F64 => "f64",
            Type::V128 => "v128",
        };
        f.write_str(s)
    }
}

/// Why the guest touches memory: decides which TLB permission applies and how a
/// fault is reported (data abort vs instruction abort, SPARC data vs instruction
/// access exception). Whose permissions apply is the access's MMU index
/// ([`MemOp::mmu`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum AccessKind {
    /// Ordinary data read.
    Read = 0,
    /// Ordinary data write.
    Write = 1,
    /// Instruction fetch.
    Fetch = 2,
}

impl AccessKind {
    /// True for the kinds that modify memory.
    pub fn is_write(self) -> bool {
        self == AccessKind::Write
    }

    /// Decode from the `u8` representation used across the JIT ABI.
    pub fn from_u8(v: u8) -> AccessKind {
        match v {
            1 => AccessKind::Write,
            2 => AccessKind::Fetch,
            _ => AccessKind::Read,
        }
    }
}

/// Endianness of a guest memory access.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Endian {
    /// Little-endian (AArch64 data accesses by default).
    Little,
    /// Big-endian (SPARC).
    Big,
}

/// Size, signedness, endianness and kind of one guest memory access.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MemOp {
    /// Access size in bytes: 1, 2, 4 or 8.
    pub size: u8,
    /// Sign-extend a load to the result type (ignored for stores).
    pub signed: bool,
    /// Byte order of the access.
    pub endian: Endian,
    /// Why the guest accesses memory.
    pub kind: AccessKind,
    /// Required alignment in bytes (a power of two); 0 or 1: none. A
    /// misaligned access faults with [`FaultCause::Alignment`] (exclusive and
    /// acquire/release accesses, SPARC loads and stores).
    pub align: u8,
    /// The MMU index whose translation and permissions apply (below
    /// [`MMU_INDICES`](crate::MMU_INDICES); the architecture names them: an
    /// AArch64 LDTR at EL1 carries the EL0 index).
    pub mmu: u8,
}

impl MemOp {
    /// A little-endian data read of `size` bytes (MMU index 0).
    pub fn read(size: u8, signed: bool) -> MemOp {
        MemOp { size, signed, endian: Endian::Little, kind: AccessKind::Read, align: 0, mmu: 0 }
    }

    /// A little-endian data write of `size` bytes (MMU index 0).
    pub fn write(size: u8) -> MemOp {
        MemOp { size, signed: false, endian: Endian::Little, kind: AccessKind::Write, align: 0, mmu: 0 }
    }

    /// Same access with a different kind.
    pub fn with_kind(self, kind: AccessKind) -> MemOp {
        MemOp { kind, ..self }
    }

    /// Same access, faulting unless aligned to `bytes`.
    pub fn aligned_to(self, bytes: u8) -> MemOp {
        MemOp { align: bytes, ..self }
    }

    /// True if `vaddr` violates the required alignment.
    pub fn misaligned(self, vaddr: u64) -> bool {
        self.align > 1 && vaddr & (u64::from(self.align) - 1) != 0
    }

    /// Same access under MMU index `mmu`.
    pub fn with_mmu(self, mmu: u8) -> MemOp {
        MemOp { mmu, ..self }
    }

    /// An instruction fetch of `size` bytes under MMU index `mmu`.
    pub fn fetch(size: u8, endian: Endian, mmu: u8) -> MemOp {
        MemOp { size, signed: false, endian, kind: AccessKind::Fetch, align: 0, mmu }
    }

    /// Same access with a different byte order.
    pub fn with_endian(self, endian: Endian) -> MemOp {
        MemOp { endian, ..self }
    }
}

/// A guest memory fault, as reported by the memory system. Architecture code turns
/// it into the architectural exception (ESR/FAR on AArch64, trap type on SPARC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemFault {
    /// The faulting virtual address.
    pub vaddr: u64,
    /// What the access was.
    pub kind: AccessKind,
    /// Access size in bytes.
    pub size: u8,
    /// Why it faulted.
    pub cause: FaultCause,
}

/// The reason for a memory fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultCause {
    /// No RAM or device at the physical address (external abort / bus error).
    Unmapped,
    /// Misaligned access where the architecture requires alignment.
    Alignment,
    /// Translation fault at the given table level.
    Translation(u8),
    /// Permission fault at the given table level.
    Permission(u8),
    /// Access-flag fault at the given table level.
    AccessFlag(u8),
    /// The address is wider than the physical (or virtual) address size, at
    /// the given table level.
    AddressSize(u8),
    /// A translation table walk read nothing (no memory at the descriptor's
    /// physical address): an external abort on the walk, at the given level.
    TableWalk(u8),
}

/// The runtime as seen by translated code: loads and stores that may fault,
/// explicit invalidation of cached translations, and guest time. The IR
/// interpreter calls it directly; the JIT calls it on a TLB miss.
pub trait GuestMemory {
    /// Read `op.size` bytes at virtual address `vaddr`, zero- or sign-extended to
    /// 64 bits per `op.signed`.
    fn load(&mut self, vaddr: u64, op: MemOp) -> Result<u64, MemFault>;
    /// Write the low `op.size` bytes of `value` at virtual address `vaddr`.
    fn store(&mut self, vaddr: u64, value: u64, op: MemOp) -> Result<(), MemFault>;
    /// Drop cached translations ([`crate::Inst::TlbFlush`]). A memory that
    /// caches none (a flat test memory) has nothing to drop.
    fn tlb_flush(&mut self, _flush: crate::TlbFlush, _vaddr: u64, _asid: u64) {}
    /// The machine's guest time in nanoseconds ([`crate::Inst::GuestTime`]).
    /// Outside a machine (a test memory) time stands still at 0.
    fn guest_time_ns(&mut self) -> u64 {
        0
    }
}
