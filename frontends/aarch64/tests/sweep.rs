//! Robustness and reference sweeps: random encodings never panic the
//! translator and always verify; the bitfield translation agrees with the ARM
//! ARM pseudocode on random operands.

mod common;

use chimera_aarch64::decode::decode_bit_masks;
use chimera_aarch64::{translate_block, A64State, STATE_SIZE, TB_LSE, TB_SPSEL};
use chimera_ir::{verify, AccessKind, GuestMemory, MemFault, MemOp, PhysMemory, PhysPage, Unmapped};
use chimera_jit::Tier;
use common::{run_both_tiers, run_one_tier, Cpu, Rng};

/// Memory where every fetch returns the same word and data accesses see a
/// constant pattern and are discarded.
#[derive(Clone)]
struct SameWord(u32);

/// What a data load at `addr` of `size` bytes reads.
fn pattern(addr: u64, size: u8) -> u64 {
    (addr.rotate_left(17) ^ 0x5a5a_5a5a_5a5a_5a5a) & (u64::MAX >> (64 - 8 * u32::from(size)))
}

impl GuestMemory for SameWord {
    fn load(&mut self, vaddr: u64, op: MemOp) -> Result<u64, MemFault> {
        match op.kind {
            AccessKind::Fetch => Ok(u64::from(self.0)),
            _ => Ok(pattern(vaddr, op.size)),
        }
    }
    fn store(&mut self, _vaddr: u64, _value: u64, _op: MemOp) -> Result<(), MemFault> {
        Ok(())
    }
}

/// For running the blocks (already translated from the word): every page is
/// a device reading [`pattern`] and ignoring writes.
impl PhysMemory for SameWord {
    fn page(&mut self, _paddr: u64) -> PhysPage {
        PhysPage::Io
    }
    fn io_read(&mut self, paddr: u64, size: u8) -> Result<u64, Unmapped> {
        Ok(pattern(paddr, size))
    }
    fn io_write(&mut self, _paddr: u64, _size: u8, _value: u64) -> Result<(), Unmapped> {
        Ok(())
    }
}

#[test]
fn a_million_random_words_translate_and_verify() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for k in 0..1_000_000u32 {
        let word = rng.next() as u32;
        let flags = match k % 3 {
            0 => 1 | TB_SPSEL,
            1 => 1,
            _ => 0,
        } | if k % 2 == 0 { TB_LSE } else { 0 };
        let pc = 0x4000_0000 + u64::from(k % 1024) * 4;
        let mut mem = SameWord(word);
        let block = translate_block(flags, pc, &mut mem, 3);
        if let Err(e) = verify(&block, STATE_SIZE) {
            panic!("{word:#010x}: {e}\n{block}");
        }
        // Run a sample in both tiers too.
        if k % 16 == 0 {
            let mut s = A64State {
                current_el: (flags & 1) as u8,
                spsel: u8::from(flags & TB_SPSEL != 0),
                x: std::array::from_fn(|r| rng.next() >> (r % 7)),
                ..Default::default()
            };
            run_both_tiers(&block, &mut s, &mut mem, |_, _| true);
        }
    }
}

/// SBFM/BFM/UBFM straight from the pseudocode (ARM ARM C6.2.266 SBFM).
fn bitfield_reference(opc: u32, sf: bool, immr: u32, imms: u32, src: u64, dst: u64) -> u64 {
    let w = if sf { 64 } else { 32 };
    let mask = if sf { u64::MAX } else { 0xffff_ffff };
    let (wmask, tmask) = decode_bit_masks(sf, imms, immr, false, w).unwrap();
    let (src, dst) = (src & mask, dst & mask);
    let (inzero, extend) = match opc {
        0 => (true, true),
        1 => (false, false),
        _ => (true, false),
    };
    let dst = if inzero { 0 } else { dst };
    let ror = if immr == 0 { src } else { ((src >> immr) | (src << (w - immr))) & mask };
    let bot = (dst & !wmask) | (ror & wmask);
    let top = if extend && (src >> imms) & 1 != 0 { mask } else if extend { 0 } else { dst };
    ((top & !tmask) | (bot & tmask)) & mask
}

#[test]
fn bitfield_matches_the_pseudocode() {
    let mut rng = Rng(42);
    for _ in 0..20_000 {
        let r = rng.next();
        let sf = r & 1 != 0;
        let opc = ((r >> 1) % 3) as u32;
        let limit = if sf { 64 } else { 32 };
        let immr = ((r >> 8) % limit) as u32;
        let imms = ((r >> 16) % limit) as u32;
        let word = (u32::from(sf) << 31) | (opc << 29) | (0b100110 << 23) | (u32::from(sf) << 22) | (immr << 16) | (imms << 10) | (1 << 5) | 2;
        let (src, dst) = (rng.next(), rng.next());
        let mut cpu = Cpu::new(&[word]);
        cpu.s.x[1] = src;
        cpu.s.x[2] = dst;
        cpu.run_ok();
        let want = bitfield_reference(opc, sf, immr, imms, src, dst);
        assert_eq!(cpu.s.x[2], want, "opc {opc} sf {sf} immr {immr} imms {imms} src {src:#x} dst {dst:#x}");
    }
}

#[test]
fn every_pattern_with_random_fields_translates_and_runs() {
    let mut rng = Rng(7);
    for p in chimera_aarch64::decode::PATTERNS {
        for i in 0..2000 {
            let word = (rng.next() as u32 & !p.mask) | p.value;
            for flags in [1 | TB_SPSEL, 1, 0] {
                let mut mem = SameWord(word);
                let block = translate_block(flags, 0x4000_0000, &mut mem, 2);
                if let Err(e) = verify(&block, STATE_SIZE) {
                    panic!("{} {word:#010x}: {e}\n{block}", p.name);
                }
                let mut s = A64State { current_el: (flags & 1) as u8, spsel: u8::from(flags & TB_SPSEL != 0), ..Default::default() };
                s.x = std::array::from_fn(|_| rng.next());
                // Every case is interpreted; one in 20 is compiled as well and
                // compared (compiling all 1.5 million blocks would take minutes).
                if i % 20 == 0 {
                    run_both_tiers(&block, &mut s, &mut mem, |_, _| true);
                } else {
                    run_one_tier(&block, Tier::Interpreter, &mut s, &mut mem);
                }
            }
        }
    }
}
