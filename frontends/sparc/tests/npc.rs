//! nPC at traps (SPARC V8 manual 7.4: a trap saves the PC and nPC of the
//! trapping instruction): only instructions that may trap or fault store
//! their nPC, so the ones before them must not leave a stale one behind.

mod common;

use chimera_ir::{verify, Inst};
use chimera_sparc::{state, translate_block, STATE_SIZE};
use common::{Cpu, CODE};

/// `add %g1, 1, %g1`.
const INC_G1: u32 = 0x8200_6001;
/// `udiv %g1, %g4, %g2`: division by zero at run time (%g4 is 0).
const UDIV_BY_G4: u32 = 0x8470_4004;
/// `ld [%g0 + 0x100], %g3`.
const LD: u32 = 0xc600_2100;
/// `ta 0`.
const HALT: u32 = 0x91d0_2000;

#[test]
fn a_trap_after_integer_instructions_has_its_own_npc() {
    let mut c = Cpu::new(&[INC_G1, INC_G1, INC_G1, UDIV_BY_G4, HALT]);
    c.run(true, 10);
    assert_eq!(c.traps, [0x2a]);
    assert_eq!((c.s.pc, c.s.npc, c.s.reg(1)), (CODE + 12, CODE + 16, 3));
}

#[test]
fn only_instructions_that_may_trap_store_their_npc() {
    let mut c = Cpu::new(&[INC_G1, INC_G1, LD, INC_G1, HALT]);
    let block = translate_block(c.s.tb_flags(), CODE, &mut c.mem, 64);
    verify(&block, STATE_SIZE).unwrap();
    let npc_sets = block.insts.iter().filter(|i| matches!(i, Inst::Set(r, _) if *r == state::NPC)).count();
    // The load's, and the `ta 0` that ends the block.
    assert_eq!(npc_sets, 2, "{block}");
}
