//! The AArch64 AdvSIMD data-processing instructions (ARM ARM C4.1.6),
//! executed on the vector register file.
