//! Guest disassembly for `--log in_asm`, by capstone.

use capstone::prelude::*;
use chimera_machine::Disassembler;

/// A disassembler for the instruction set of `board`: SPARC (capstone decodes
/// it big-endian) for `leon3`, A64 otherwise.
pub fn for_board(board: &str) -> Disassembler {
    let cs = match board {
        "leon3" => Capstone::new().sparc().mode(arch::sparc::ArchMode::Default).build(),
        _ => Capstone::new().arm64().mode(arch::arm64::ArchMode::Arm).build(),
    };
    match cs {
        Ok(cs) => Box::new(move |bytes: &[u8], pc: u64| match cs.disasm_all(bytes, pc) {
            Ok(insns) => insns
                .iter()
                .map(|i| format!("{:#x}:  {:<8} {}", i.address(), i.mnemonic().unwrap_or("?"), i.op_str().unwrap_or("")))
                .collect(),
            Err(e) => vec![format!("{pc:#x}: <capstone: {e}>")],
        }),
        Err(e) => {
            let msg = e.to_string();
            Box::new(move |_: &[u8], pc: u64| vec![format!("{pc:#x}: <no disassembler: {msg}>")])
        }
    }
}
