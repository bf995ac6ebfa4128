#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""Generates docs/conformance.md (AArch64) and docs/conformance-sparc.md.

    tests/conformance/aarch64/classes.py [--arch aarch64|sparc] [--chimera PATH] [--output FILE]

For SPARC the programs are the guests of tests/guests/sparc (goldens in
tests/data/sparc) and the decoder table is frontends/sparc/src/decode.rs;
everything else below applies to both.

It reads
  * the decoder table `PATTERNS` of frontends/aarch64/src/decode.rs (every
    `pat("NAME", "bits", Class)`), to count the encodings per class;
  * the conformance programs (NAME.c here, bin/NAME.elf) and their goldens
    (tests/data/conformance/aarch64/NAME.golden: one check per line);
  * the output of Chimera (default target/release/chimera; build it first)
    running each program with the default flags and with `--jit-hot 0`,
    compared line by line with the golden.

Which decoder classes a program is about is the table PROGRAM_CLASSES below;
"seen" counts the patterns of those classes that occur at least once in the
program's ELF (every word of its .text decoded with the table's masks, so
the runtime's own instructions count too).
"""
import argparse
import difflib
import pathlib
import re
import struct
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[2]
DECODE = REPO / "frontends/aarch64/src/decode.rs"
GOLDEN = REPO / "tests/data/conformance/aarch64"

# Program -> (what it checks, decoder classes it is meant to cover).
PROGRAM_CLASSES = {
    "alu_flags": ("ADDS/SUBS/ADCS/SBCS/CMP/CMN/NEGS/NGCS, ANDS/BICS flags",
                  ["AddSubShifted", "AddSubImm", "AddSubCarry", "LogicalShifted"]),
    "shifts": ("LSLV/LSRV/ASRV/RORV, immediate shifts, shifted-register operands",
               ["DataProc2", "AddSubShifted", "LogicalShifted", "Bitfield", "Extract"]),
    "muldiv": ("UDIV/SDIV, MADD/MSUB, SMULH/UMULH, long multiplies",
               ["DataProc2", "DataProc3"]),
    "bitfield": ("SBFM/UBFM/BFM and aliases, EXTR, RBIT/REV/CLZ/CLS",
                 ["Bitfield", "Extract", "DataProc1"]),
    "extend": ("ADD/SUB (extended register) incl. SP forms", ["AddSubExtended"]),
    "condsel": ("CSEL/CSINC/CSINV/CSNEG, CCMP/CCMN, B.cond x 16 conditions x 16 NZCV",
                ["CondSelect", "CondCompare", "CondBranch"]),
    "loadstore": ("every addressing mode, size and extension; pairs; literals",
                  ["LoadStoreUimm", "LoadStoreImm9", "LoadStoreReg", "LoadStorePair",
                   "LoadLiteral"]),
    "exclusive": ("LDXR/STXR, LDXP/STXP, acquire/release, CLREX, monitor rules",
                  ["Exclusive", "AcquireRelease", "Barrier"]),
    "exceptions": ("ESR/ELR/FAR/SPSR of UNDEF, SVC, BRK, HVC, SMC, aborts, alignment, SPSel",
                   ["ExceptionGen", "Eret", "BranchReg", "Pstate"]),
    "sysregs": ("ID registers, TPIDR/ELR/SPSR/..., NZCV, DAIF, SPSel, DC ZVA, hints, TLBI",
                ["SysReg", "Pstate", "Sys", "Hint", "Barrier"]),
    # FP/SIMD (built as the "fp" guest variant). The decoder has one coarse
    # class for each half of the SIMD&FP space; list finer classes here when
    # decode.rs splits them.
    "fp_arith": ("scalar FADD..FMINNM, FMADD family, FSQRT/FABS/FNEG: specials x rounding x FZ x DN, FPSR",
                 ["SimdFpData"]),
    "fp_convert": ("FCVT (H/S/D, AHP), FCVT[NPMZA][SU] incl. fixed point, SCVTF/UCVTF, FRINT*, "
                   "FRECPE/FRSQRTE/FRECPX/FRECPS/FRSQRTS, FMOV",
                   ["SimdFpData"]),
    "fp_compare": ("FCMP/FCMPE/FCCMP/FCCMPE/FCSEL with NaNs: NZCV and IOC", ["SimdFpData"]),
    "simd_int": ("AdvSIMD integer: saturating/halving/rounding/widening/narrowing, shifts, by element, "
                 "TBL/TBX, permutes, reductions, QC",
                 ["SimdFpData"]),
    "simd_fp": ("AdvSIMD FP: vector arithmetic, pairwise, FMAXNMV..., by element, compares, conversions",
                ["SimdFpData"]),
    "simd_ldst": ("LD1-4/ST1-4 (multiple, single, replicate, post-index), LDR/STR/LDP/STP of B..Q",
                  ["SimdFpLoadStore"]),
    # Stage 1 MMU of the EL1&0 regime (ARM ARM D5): the instruction classes
    # that run under it with other permissions or translations.
    "mmu_4k": ("stage 1, 4 KiB granule: T0SZ/T1SZ and start levels, blocks, translation/AF/"
               "address size faults per level, AP x EL1/LDTR/EL0, UXN/PXN, table attributes, WXN, "
               "EPD0/1, TBI",
               ["LoadStoreImm9", "LoadStoreUimm", "SysReg", "Sys", "Eret", "ExceptionGen", "BranchReg"]),
    "mmu_64k": ("the same with the 64 KiB granule (levels 1-3, 512 MiB blocks)",
                ["LoadStoreImm9", "LoadStoreUimm", "SysReg", "Sys", "Eret", "ExceptionGen", "BranchReg"]),
    "tlb_asid": ("ASIDs (TCR.A1, TCR.AS), TLBI VMALLE1/VAE1/VALE1/VAAE1/VAALE1/ASIDE1 (+IS) with "
                 "break-before-make, AT S1E1R/W S1E0R/W and PAR_EL1",
                 ["Sys", "SysReg", "Barrier"]),
    "smc_alias": ("self-modifying code written through a second VA of the page: DC CVAU, IC IVAU, "
                  "DSB, ISB",
                  ["Sys", "Barrier", "BranchReg", "LoadStoreUimm"]),
    # Interrupts and the devices of `virt` (irq.h: vector table, EL0 runs).
    "gic": ("GICv2 registers and read-back masks, priorities, SGIs, groups, IAR/EOIR/RPR/HPPIR, "
            "PMR/BPR, IRQ and FIQ exceptions with preemption; ISR_EL1",
            ["Pstate", "SysReg", "Eret", "LoadStoreUimm"]),
    "timer": ("generic timer: CNTFRQ/CNTVCT/CNTPCT, CNTV/CNTP CTL/CVAL/TVAL, PPIs 27/30, IMASK, "
              "WFI while masked, CNTKCTL_EL1 EL0 traps",
              ["SysReg", "Hint", "Pstate", "ExceptionGen", "Eret"]),
    "uart_irq": ("PL011 receive interrupts (SPI 33) on scripted input: IMSC/RIS/MIS/ICR, FR",
                 ["Hint", "Pstate", "LoadStoreUimm"]),
    "tasks": ("a preemptive kernel: EL0 tasks in own address spaces (ASIDs), SVC calls, "
              "timer-driven switches, EL0 permission faults, AT S1E0R",
              ["ExceptionGen", "Eret", "SysReg", "Sys"]),
}

# SPARC guest -> (what it checks, decoder classes of frontends/sparc it is about).
SPARC_PROGRAM_CLASSES = {
    "hello": ("start-up: trap table, window handlers, APBUART output, printf",
              ["Arith", "Sethi", "Mem", "Call", "Jmpl", "Bicc", "SaveRestore"]),
    "recursion": ("deep recursion: window overflow/underflow traps, WIM, RETT",
                  ["SaveRestore", "Rett", "ReadState", "WriteState"]),
    "sort": ("sorting 32-bit data: loads/stores, compares, branches, shifts",
             ["Mem", "Bicc", "Arith", "Shift"]),
    "traps": ("division by zero, tag overflow, misaligned access, Ticc, UNIMP, LDSTUB/SWAP/LDD/STD; handled and resumed",
              ["Divide", "Arith", "Mem", "Ticc", "Unimp", "Rett"]),
    "hash": ("CRC-32 (bitwise and table) and SHA-256 with known answers (the aarch64 guest's source)",
             ["Arith", "Shift", "Mem", "Bicc"]),
    "annul": ("Bicc: 16 conditions x annul x taken/not, every icc; DCTI couples; CALL/JMPL delay slots",
              ["Bicc", "Call", "Jmpl", "Ticc"]),
    "fpu": ("FPU workload, special values, rounding directions, FBfcc, fp_disabled, IEEE traps per TEM",
            ["Coproc"]),
    "fpops": ("2,400 random FPops with special operands and their FSR", ["Coproc"]),
    "timer": ("GPTIMER ticks through IRQMP: interrupt traps, PIL masking, force register",
              ["ReadState", "WriteState", "Rett"]),
    "pnp": ("AMBA plug&play records of the leon3 board", ["Mem"]),
}

ARCHES = {
    "aarch64": dict(title="AArch64", decode=DECODE, golden=GOLDEN, programs=HERE, classes=PROGRAM_CLASSES,
                    machine="virt", elf=("<", 64), output=REPO / "docs/conformance.md",
                    intro=["runs every conformance program (`tests/conformance/aarch64/*.c`) on Chimera and",
                           "compares the output with the QEMU 7.2 goldens in",
                           "`tests/data/conformance/aarch64/`, one check per output line. `cargo test --test",
                           "conformance_aarch64` runs the same comparison."]),
    "sparc": dict(title="SPARC V8", decode=REPO / "frontends/sparc/src/decode.rs", golden=REPO / "tests/data/sparc",
                  programs=REPO / "tests/guests/sparc", classes=SPARC_PROGRAM_CLASSES, machine="leon3",
                  elf=(">", 32), output=REPO / "docs/conformance-sparc.md",
                  intro=["runs every SPARC guest program (`tests/guests/sparc/*.c`) on Chimera's `leon3`",
                         "and compares the output with the QEMU 7.2 (`leon3_generic`) goldens in",
                         "`tests/data/sparc/`, one check per output line. `cargo test --test guests_sparc`",
                         "runs the same comparison (and a third tier, all-interpreted). Random programs",
                         "against QEMU: `tests/difftest/sparc/` (600 seeds in CI)."]),
}

# Bits: 0/1 fixed, a letter a named field, '-' a bit the pattern ignores.
PAT_RE = re.compile(r'pat\("([^"]+)",\s*"([01a-zA-Z-]{32})",\s*(\w+)\)')


def patterns(decode_rs):
    """[(name, mask, value, class)] from the PATTERNS table of decode.rs."""
    text = decode_rs.read_text()
    start = text.index("pub static PATTERNS")
    end = text.index("];", start)
    out = []
    for name, bits, cls in PAT_RE.findall(text[start:end]):
        mask = value = 0
        for i, b in enumerate(bits):
            bit = 1 << (31 - i)
            if b in "01":
                mask |= bit
                if b == "1":
                    value |= bit
        out.append((name, mask, value, cls))
    return out


def text_words(elf, kind=("<", 64)):
    """The 32-bit words of the .text section of an ELF of `kind` (byte order,
    class): little-endian ELF64 (AArch64) or big-endian ELF32 (SPARC)."""
    e, bits = kind
    data = elf.read_bytes()
    if bits == 64:
        shoff, = struct.unpack_from(e + "Q", data, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from(e + "HHH", data, 0x3a)
        fmt = e + "IIQQQQIIQQ"
    else:
        shoff, = struct.unpack_from(e + "I", data, 0x20)
        shentsize, shnum, shstrndx = struct.unpack_from(e + "HHH", data, 0x2e)
        fmt = e + "IIIIIIIIII"
    sections = [struct.unpack_from(fmt, data, shoff + i * shentsize)
                for i in range(shnum)]
    strtab = sections[shstrndx]
    for sh in sections:
        name_end = data.index(b"\0", strtab[4] + sh[0])
        if data[strtab[4] + sh[0]:name_end] == b".text":
            off, size = sh[4], sh[5]
            return struct.unpack_from(e + "%dI" % (size // 4), data, off)
    return ()


def decode(table, word):
    for name, mask, value, cls in table:
        if word & mask == value:
            return name
    return None


def run_chimera(chimera, elf, extra, machine="virt"):
    # The serial input: NAME.input beside NAME.c, as golden.sh gives QEMU.
    input_file = pathlib.Path(elf).parent.parent / (pathlib.Path(elf).stem + ".input")
    try:
        with open(input_file if input_file.exists() else "/dev/null", "rb") as stdin:
            p = subprocess.run([str(chimera), "run", "--machine", machine, "--kernel", str(elf)] + extra,
                               stdin=stdin, capture_output=True, timeout=120)
        return p.returncode, p.stdout
    except subprocess.TimeoutExpired:
        return None, b""


def compare(golden, got):
    """'pass' or 'FAIL: n of m lines' (lines of the golden missing or changed)."""
    if got == golden:
        return "pass"
    want = golden.decode(errors="replace").splitlines()
    have = got.decode(errors="replace").splitlines()
    sm = difflib.SequenceMatcher(a=want, b=have, autojunk=False)
    bad = sum(i2 - i1 for tag, i1, i2, _, _ in sm.get_opcodes() if tag != "equal")
    return "FAIL: %d of %d lines" % (max(bad, 1), len(want))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", choices=sorted(ARCHES), default="aarch64")
    ap.add_argument("--chimera", default=str(REPO / "target/release/chimera"))
    ap.add_argument("--output")
    args = ap.parse_args()
    arch = ARCHES[args.arch]
    program_classes = arch["classes"]

    table = patterns(arch["decode"])
    by_class = {}
    for name, _, _, cls in table:
        by_class.setdefault(cls, []).append(name)

    programs = sorted(p.stem for p in arch["programs"].glob("*.c") if p.stem != "lib")
    missing = [p for p in programs if p not in program_classes]
    if missing:
        sys.exit("classes.py: add these programs to the program classes: " + ", ".join(missing))

    rows, covered, total_checks, failing = [], {}, 0, 0
    for prog in programs:
        what, classes = program_classes[prog]
        elf = arch["programs"] / "bin" / (prog + ".elf")
        golden = (arch["golden"] / (prog + ".golden")).read_bytes()
        checks = golden.count(b"\n")
        total_checks += checks
        seen = {decode(table, w) for w in text_words(elf, arch["elf"])}
        in_classes = [n for c in classes for n in by_class.get(c, [])]
        statuses = []
        for extra in ([], ["--jit-hot", "0"]):
            code, out = run_chimera(args.chimera, elf, extra, arch["machine"])
            status = compare(golden, out)
            if code != 0:
                status += " (exit %s)" % code
            statuses.append(status)
        if any(s != "pass" for s in statuses):
            failing += 1
        for c in classes:
            covered.setdefault(c, []).append(prog)
        rows.append("| `%s` | %s | %s | %d/%d | %d | %s | %s |" % (
            prog, what, ", ".join(classes), len([n for n in in_classes if n in seen]),
            len(in_classes), checks, statuses[0], statuses[1]))

    gen = "`tests/conformance/aarch64/classes.py%s`" % ("" if args.arch == "aarch64" else " --arch " + args.arch)
    lines = [
        "# %s conformance status" % arch["title"],
        "",
        "Generated by %s (do not edit by hand): it" % gen,
    ] + arch["intro"] + [
        "",
        "## Programs",
        "",
        "\"Patterns seen\": patterns of the program's decoder classes that occur in its ELF.",
        "A failure counts the golden lines that are missing or different.",
        "",
        "| program | checks what | decoder classes | patterns seen | checks | default | `--jit-hot 0` |",
        "|---|---|---|---|---|---|---|",
    ] + rows + [
        "",
        "%d programs, %d checks, %d programs failing." % (len(programs), total_checks, failing),
        "",
        "## Decoder classes",
        "",
        "Classes and patterns of `PATTERNS` in `%s`." % arch["decode"].relative_to(REPO),
        "",
        "| class | patterns | names | conformance programs |",
        "|---|---|---|---|",
    ]
    for cls, names in by_class.items():
        lines.append("| `%s` | %d | %s | %s |" % (
            cls, len(names), " ".join(names),
            ", ".join("`%s`" % p for p in covered.get(cls, [])) or "none"))
    lines += ["", "%d patterns in %d classes." % (len(table), len(by_class)), ""]
    out = pathlib.Path(args.output or arch["output"])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines))
    print("classes.py: wrote %s (%d programs, %d checks, %d failing)" % (
        out.relative_to(REPO) if out.is_relative_to(REPO) else out, len(programs),
        total_checks, failing))


if __name__ == "__main__":
    main()
