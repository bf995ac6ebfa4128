//! The JIT engine: Cranelift settings, the translation-block cache, chaining,
//! invalidation of self-modified code, and the execution loop.

use crate::env::{exit_code, JitEnv, PhysMemory, PAGE_MASK};
use crate::lower::{block_signature, lower_region, sysv_signature, BlockCtx, Sigs};
use chimera_ir::{Block, GuestMemory, MemFault, Reg};
use cranelift_codegen::ir::{InstBuilder, UserFuncName};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::Context;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, Module};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

/// Host-side JIT failures (never caused by guest behaviour).
#[derive(Debug, thiserror::Error)]
pub enum JitError {
    /// The host ISA is not supported by Cranelift.
    #[error("host not supported by Cranelift: {0}")]
    Host(String),
    /// A Cranelift setting was rejected.
    #[error("bad Cranelift setting: {0}")]
    Setting(String),
    /// Cranelift failed to compile or link a function.
    #[error("code generation failed: {0}")]
    Codegen(String),
}

/// Code-generation settings. The defaults were chosen by measurement (see
/// BENCHMARKS.md): cold blocks run in the IR interpreter; blocks run 200
/// times are compiled in the quick tier, whose compile is about a third of
/// the optimising one's (Debian's kernel boot: 6,900 regions, 4.1 s quick
/// against 12 s optimising); code that then runs 100,000 block executions is
/// compiled again with the best settings, which pay for themselves there
/// (the single-pass allocator spills loop-carried guest registers); never the
/// verifier. The library compiles on the CPU's thread unless `background`
/// is set (the command line sets it: Debian's kernel boot, 15.0 s -> 11.2 s
/// median on 2 cores).
#[derive(Clone, Debug)]
pub struct JitConfig {
    /// Cranelift `opt_level`: "none", "speed" or "speed_and_size".
    pub opt_level: String,
    /// Cranelift `regalloc_algorithm`: "single_pass" or "backtracking".
    pub regalloc: String,
    /// Run the Cranelift IR verifier on every function (costs ~74% compile time).
    pub verifier: bool,
    /// Most guest instructions per block.
    pub max_block_insns: u32,
    /// Translated blocks kept before the whole cache is flushed.
    pub max_blocks: usize,
    /// Chain blocks (direct-branch tail calls and the inline jump cache).
    pub chaining: bool,
    /// Executions of a block in the IR interpreter (the cold tier) before it is
    /// compiled; 0 compiles every block at once.
    pub hot_threshold: u32,
    /// Block executions in code of the quick compiled tier (Cranelift with
    /// its single-pass register allocator and no optimisation) before the
    /// region is compiled again with the settings above; 0 skips the quick
    /// tier (hot blocks are compiled with the settings above at once).
    pub promote_threshold: u32,
    /// Compile on a second host thread while the guest runs on in the tier
    /// it is in (the interpreter, or quick-tier code awaiting promotion);
    /// thresholds of 0 still compile at once, on the CPU's thread.
    pub background: bool,
}

impl Default for JitConfig {
    fn default() -> JitConfig {
        JitConfig {
            opt_level: "speed".into(),
            regalloc: "backtracking".into(),
            verifier: false,
            max_block_insns: 256,
            max_blocks: 1 << 17,
            chaining: true,
            hot_threshold: 200,
            promote_threshold: 100_000,
            background: false,
        }
    }
}

/// Counters for traces and benchmarks.
#[derive(Clone, Debug, Default)]
pub struct JitStats {
    /// Blocks translated and compiled.
    pub blocks: u64,
    /// Guest instructions translated.
    pub guest_insns: u64,
    /// Time spent translating and compiling, in nanoseconds (the three
    /// below together).
    pub compile_ns: u64,
    /// Of it, decoding guest code into IR.
    pub translate_ns: u64,
    /// Of it, Cranelift in the quick tier.
    pub quick_ns: u64,
    /// Of it, Cranelift in the optimising tier.
    pub optimise_ns: u64,
    /// Regions compiled by Cranelift (the rest stayed in the interpreter),
    /// in either compiled tier.
    pub compiled: u64,
    /// Of those, regions compiled again in the optimising tier after running
    /// in the quick one.
    pub promoted: u64,
    /// Block executions in the interpreter.
    pub interpreted: u64,
    /// Returns from translated code to the loop.
    pub loop_entries: u64,
    /// Guest blocks in the compiled regions (a block may be in several).
    pub region_blocks: u64,
    /// Blocks invalidated by self-modifying code.
    pub invalidated: u64,
    /// Whole-cache flushes.
    pub flushes: u64,
}

/// What the execution loop needs from a guest CPU.
pub trait GuestCpu {
    /// Pointer to the `#[repr(C)]` CPU state the frontend's IR addresses.
    fn state_ptr(&mut self) -> *mut u8;
    /// Current guest PC.
    fn pc(&self) -> u64;
    /// CPU mode flags baked into translated code (privilege level, MMU
    /// index, ...).
    fn tb_flags(&self) -> u32;
    /// The MMU index of instruction fetches in the current mode.
    fn fetch_mmu_index(&self) -> u8;
    /// The CPU's translation context (its ASID, and whatever else selects
    /// the translations the TLBs may hold but does not name an MMU index):
    /// the TLBs are flushed when it changes. A change of privilege is not
    /// one: it selects another MMU index.
    fn tlb_context(&self) -> u64;
    /// Decode and translate the block at `pc`.
    fn translate(&mut self, pc: u64, flags: u32, mem: &mut dyn GuestMemory, max_insns: u32) -> Block;
    /// Called with each block before it is compiled (tracing of `in_asm`).
    fn on_translate(&mut self, _block: &Block, _mem: &mut dyn GuestMemory) {}
    /// Called each time the loop enters a block (tracing of `exec`).
    fn on_exec(&mut self, _pc: u64) {}
    /// True if [`GuestCpu::on_compile`] wants the host code (tracing of `out_asm`).
    fn wants_host_asm(&self) -> bool {
        false
    }
    /// Called with the IR and host disassembly of each block Cranelift compiles.
    fn on_compile(&mut self, _block: &Block, _host_asm: &str) {}
}

/// Facts about the guest architecture the engine needs.
#[derive(Clone, Copy, Debug)]
pub struct GuestInfo {
    /// The PC register (an `I64` field; a 32-bit guest keeps its PC in a `u64`).
    pub pc: Reg,
    /// Size of the CPU state in bytes.
    pub state_size: u32,
    /// The architecture's translation of a virtual address (its page-table
    /// walk, or the identity of an MMU that is off).
    pub walk: chimera_ir::WalkFn,
}

/// The tier that runs a block in [`Jit::run_block`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    /// The IR interpreter (where cold blocks run).
    Interpreter,
    /// Host code from Cranelift (where hot blocks run).
    Compiled,
}

/// Why [`Jit::run`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunExit {
    /// The budget ran out or an exit was requested: the board's turn.
    Yield,
    /// A block raised an exception (the PC is the raising instruction's).
    Exception {
        /// Frontend-defined kind.
        kind: u32,
        /// Frontend-defined argument.
        arg: u64,
    },
    /// A memory access or an instruction fetch faulted (the PC is the
    /// faulting instruction's, the registers as before it).
    Fault(MemFault),
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
struct TbKey {
    vpc: u64,
    ppc: u64,
    flags: u32,
}

type TbId = usize;

/// A hasher for the cache's integer keys (multiply-rotate, as FxHash): the
/// keys are guest addresses and flags, not attacker-chosen strings, and
/// SipHash cost a measurable share of every loop entry.
#[derive(Default, Clone, Copy)]
struct AddrHasher(u64);

impl std::hash::Hasher for AddrHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7cc1_b727_220a_95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map keyed by guest addresses.
type AddrMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<AddrHasher>>;

/// Most regions queued for the compile thread: beyond it, hot blocks wait
/// in their tier (a long queue compiles code that was hot long ago, and the
/// same blocks again in the regions of their neighbours).
const MAX_IN_FLIGHT: usize = 4;

/// Most guest blocks in one compiled region.
const MAX_REGION_BLOCKS: usize = 16;
/// Most guest instructions in one compiled region.
const MAX_REGION_INSNS: u32 = 400;

/// A translated block.
struct Tb {
    key: TbKey,
    /// Host code; null while the block is cold and interpreted.
    code: *const u8,
    /// The IR (kept for the interpreter and for regions of other blocks).
    ir: Arc<Block>,
    /// Executions so far while cold.
    runs: u32,
    /// Guest physical code ranges the host code was made from (the block, and
    /// the other members of its region once compiled).
    ranges: Vec<(u64, u64)>,
    /// The exit slots of the compiled region, two per member: host code of
    /// the chained successor, or 0.
    slots: Box<[u64]>,
    /// Exit slots of other blocks that jump straight here.
    incoming: Vec<*mut u64>,
    alive: bool,
    /// In quick-tier code: its execution counter (the count, then this
    /// block's id), which the code's member prologues decrement; at zero the
    /// code asks the loop to compile the region in the optimising tier.
    counter: Option<Box<[u64; 2]>>,
    /// The members of its compiled region (itself first).
    members: Vec<TbId>,
    /// A region compile of it is on the compile thread.
    pending: Option<Box<Region>>,
}

/// What a region's code is compiled against, made by [`Jit::prepare`]: the
/// members, the exit slots and counter the code points at (owned here), and
/// the guest code it covers.
struct Region {
    members: Vec<TbId>,
    slots: Box<[u64]>,
    counter: Option<Box<[u64; 2]>>,
    ranges: Vec<(u64, u64)>,
    quick: bool,
}

type Trampoline = unsafe extern "C" fn(*mut u8, *mut JitEnv, *const u8, u64) -> u64;

/// One Cranelift JIT module (an epoch of the code cache).
pub(crate) struct Compiler {
    pub(crate) module: JITModule,
    pub(crate) ctx: Context,
    pub(crate) fctx: FunctionBuilderContext,
}

/// An epoch of the code cache: the compilers and its blocks.
struct CodeCache {
    /// The optimising tier (the configured settings).
    compiler: Compiler,
    /// The quick tier (single-pass register allocation, no optimisation).
    quick: Compiler,
    /// Exit slots and counters of code that was compiled again: the old
    /// code may still run until every pointer to it is gone, so they live as
    /// long as the epoch.
    retired: Vec<(Box<[u64]>, Option<Box<[u64; 2]>>)>,
    trampoline: Trampoline,
    tbs: Vec<Tb>,
    by_phys: AddrMap<TbKey, TbId>,
    page_tbs: AddrMap<u64, Vec<TbId>>,
}

/// A JIT module with Cranelift's `opt_level` and `regalloc_algorithm`.
fn make_module(cfg: &JitConfig, opt_level: &str, regalloc: &str) -> Result<JITModule, JitError> {
    let mut fb = settings::builder();
    let set = |fb: &mut settings::Builder, k: &str, v: &str| fb.set(k, v).map_err(|e| JitError::Setting(format!("{k}={v}: {e}")));
    set(&mut fb, "opt_level", opt_level)?;
    set(&mut fb, "regalloc_algorithm", regalloc)?;
    set(&mut fb, "enable_verifier", if cfg.verifier { "true" } else { "false" })?;
    // Tail calls on x86-64 need frame pointers (cranelift-dbt notes).
    set(&mut fb, "preserve_frame_pointers", "true")?;
    set(&mut fb, "is_pic", "false")?;
    // IEEE vector lanes that produce a NaN give the canonical NaN, as the IR
    // defines them (the interpreter does the same).
    set(&mut fb, "enable_nan_canonicalization", "true")?;
    set(&mut fb, "use_colocated_libcalls", "false")?;
    let isa = cranelift_native::builder()
        .map_err(|e| JitError::Host(e.to_string()))?
        .finish(settings::Flags::new(fb))
        .map_err(|e| JitError::Host(e.to_string()))?;
    Ok(JITModule::new(JITBuilder::with_isa(isa, default_libcall_names())))
}

impl CodeCache {
    fn new(cfg: &JitConfig) -> Result<CodeCache, JitError> {
        let quick = Compiler::quick(cfg)?;
        let Compiler { mut module, mut ctx, mut fctx } = Compiler::optimising(cfg)?;
        // The entry trampoline: System V (cpu, env, code, pc) -> code(cpu,
        // env, pc), so Rust can enter tail-call-convention regions.
        ctx.func.signature = sysv_signature(4, true);
        let id = module
            .declare_anonymous_function(&ctx.func.signature)
            .map_err(|e| JitError::Codegen(e.to_string()))?;
        {
            let mut b = FunctionBuilder::new(&mut ctx.func, &mut fctx);
            let tail = b.import_signature(block_signature());
            let blk = b.create_block();
            b.append_block_params_for_function_params(blk);
            b.switch_to_block(blk);
            let p = b.block_params(blk).to_vec();
            let call = b.ins().call_indirect(tail, p[2], &[p[0], p[1], p[3]]);
            let r = b.inst_results(call)[0];
            b.ins().return_(&[r]);
            b.seal_all_blocks();
            b.finalize(module.target_config());
        }
        module.define_function(id, &mut ctx).map_err(|e| JitError::Codegen(format!("{e:?}")))?;
        module.clear_context(&mut ctx);
        module.finalize_definitions().map_err(|e| JitError::Codegen(e.to_string()))?;
        let ptr = module.get_finalized_function(id);
        // SAFETY: the function was just built with exactly this signature.
        let trampoline = unsafe { std::mem::transmute::<*const u8, Trampoline>(ptr) };
        Ok(CodeCache {
            compiler: Compiler { module, ctx, fctx },
            quick,
            retired: Vec::new(),
            trampoline,
            tbs: Vec::new(),
            by_phys: AddrMap::default(),
            page_tbs: AddrMap::default(),
        })
    }

}

impl Compiler {
    /// A compiler with Cranelift's `opt_level` and `regalloc_algorithm`.
    fn new(cfg: &JitConfig, opt_level: &str, regalloc: &str) -> Result<Compiler, JitError> {
        let module = make_module(cfg, opt_level, regalloc)?;
        Ok(Compiler { ctx: module.make_context(), module, fctx: FunctionBuilderContext::new() })
    }

    /// The quick tier's compiler: single-pass register allocation, no
    /// optimisation.
    pub(crate) fn quick(cfg: &JitConfig) -> Result<Compiler, JitError> {
        Compiler::new(cfg, "none", "single_pass")
    }

    /// The optimising tier's compiler: the configured settings.
    pub(crate) fn optimising(cfg: &JitConfig) -> Result<Compiler, JitError> {
        Compiler::new(cfg, &cfg.opt_level, &cfg.regalloc)
    }

    /// Compile a region; with `out_asm`, also return the host disassembly.
    pub(crate) fn compile(&mut self, blocks: &[&Block], bctx: &BlockCtx, out_asm: bool) -> Result<(*const u8, Option<String>), JitError> {
        let sig = block_signature();
        self.ctx.func.signature = sig.clone();
        self.ctx.func.name = UserFuncName::user(0, 0);
        let id = self.module.declare_anonymous_function(&sig).map_err(|e| JitError::Codegen(e.to_string()))?;
        {
            let mut b = FunctionBuilder::new(&mut self.ctx.func, &mut self.fctx);
            let sigs = Sigs {
                tail: b.import_signature(block_signature()),
                helper: b.import_signature(sysv_signature(5, true)),
                slow_load: b.import_signature(sysv_signature(3, true)),
                slow_store: b.import_signature(sysv_signature(4, false)),
            };
            lower_region(&mut b, &sigs, bctx, blocks);
            b.finalize(self.module.target_config());
        }
        self.ctx.set_disasm(out_asm);
        let r = self.module.define_function(id, &mut self.ctx);
        let host_asm = if out_asm { self.ctx.compiled_code().and_then(|c| c.vcode.clone()) } else { None };
        if let Err(e) = r {
            let msg = format!("{e:?}\n{}\n{}", blocks[0], self.ctx.func.display());
            self.module.clear_context(&mut self.ctx);
            return Err(JitError::Codegen(msg));
        }
        self.module.clear_context(&mut self.ctx);
        self.module.finalize_definitions().map_err(|e| JitError::Codegen(e.to_string()))?;
        Ok((self.module.get_finalized_function(id), host_asm))
    }
}

/// Interpret `block` on `state` through the softmmu; returns the exit code
/// a compiled block would (the exception or fault recorded in `env`).
///
/// # Safety
/// `state` is the CPU state `block` was verified against; the loop's memory
/// system is installed in `env`.
unsafe fn interpret_block(env: &mut JitEnv, pc: Reg, block: &Block, state: *mut u8) -> u64 {
    let env_ptr = env as *mut JitEnv as *mut u8;
    let mut vals = std::mem::take(&mut env.interp_values);
    let exit = {
        let mut mem = env.memory();
        // SAFETY: the caller's contract; helpers get the environment, as from compiled code.
        unsafe { chimera_ir::interpret_with(block, state, env_ptr, &mut mem, pc, &mut vals) }
    };
    env.interp_values = vals;
    match exit {
        chimera_ir::BlockExit::Next => exit_code::NEXT,
        chimera_ir::BlockExit::Exception { kind, arg } => {
            env.exc_kind = u64::from(kind);
            env.exc_arg = arg;
            exit_code::EXCEPTION
        }
        chimera_ir::BlockExit::Fault(f) => {
            env.fault = Some(f);
            exit_code::FAULT
        }
    }
}

impl JitEnv {
    /// What a block's exit `code` means for the loop: `None` to go on at the
    /// PC in the state, else the exception or fault it recorded (taken out).
    fn run_exit(&mut self, code: u64) -> Option<RunExit> {
        match code {
            exit_code::NEXT => None,
            exit_code::EXCEPTION => Some(RunExit::Exception { kind: self.exc_kind as u32, arg: self.exc_arg }),
            _ => {
                self.status = 0;
                Some(RunExit::Fault(self.fault.take().expect("fault recorded")))
            }
        }
    }
}

/// The block exit the interpreter would report for a run's exit: a yield
/// (budget spent or exit requested) is the interpreter's "go on at the PC".
impl From<RunExit> for chimera_ir::BlockExit {
    fn from(e: RunExit) -> chimera_ir::BlockExit {
        match e {
            RunExit::Yield => chimera_ir::BlockExit::Next,
            RunExit::Exception { kind, arg } => chimera_ir::BlockExit::Exception { kind, arg },
            RunExit::Fault(f) => chimera_ir::BlockExit::Fault(f),
        }
    }
}

/// The JIT: compiles guest blocks and runs them.
pub struct Jit {
    cfg: JitConfig,
    info: GuestInfo,
    cache: Option<CodeCache>,
    env: Box<JitEnv>,
    stats: JitStats,
    /// The compile thread (with `background`).
    worker: Option<crate::worker::Worker>,
    /// The code-cache epoch (flushes so far).
    epoch: u64,
}

impl Jit {
    /// A JIT for a guest described by `info`.
    pub fn new(info: GuestInfo, cfg: JitConfig) -> Result<Jit, JitError> {
        let cache = CodeCache::new(&cfg)?;
        if info.pc.ty != chimera_ir::Type::I64 {
            return Err(JitError::Codegen("the guest PC register must be an i64 field".into()));
        }
        let worker = if cfg.background { Some(crate::worker::Worker::start(&cfg)?) } else { None };
        Ok(Jit {
            cfg,
            info,
            cache: Some(cache),
            env: JitEnv::new(info.walk),
            stats: JitStats::default(),
            worker,
            epoch: 0,
        })
    }

    /// The runtime environment (TLB, exit request, helper context).
    pub fn env(&mut self) -> &mut JitEnv {
        &mut self.env
    }

    /// Counters.
    pub fn stats(&self) -> &JitStats {
        &self.stats
    }

    /// Forget every cached translation: the TLBs of every MMU index and the
    /// jump cache.
    pub fn flush_tlb(&mut self) {
        self.env.flush_tlb();
    }

    /// Drop every translated block (an epoch ends; the code memory is freed).
    pub fn flush_code(&mut self) -> Result<(), JitError> {
        if let Some(old) = self.cache.take() {
            // SAFETY: only the loop calls this, never with a JIT frame live.
            unsafe {
                old.compiler.module.free_memory();
                old.quick.module.free_memory();
            }
        }
        self.cache = Some(CodeCache::new(&self.cfg)?);
        self.env.flush_jmp_cache();
        self.env.code_pages.clear();
        self.env.link_slot = 0;
        self.stats.flushes += 1;
        self.epoch += 1;
        if let Some(w) = self.worker.as_mut() {
            w.new_epoch();
        }
        Ok(())
    }

    /// Invalidate every block whose guest code overlaps physical `[paddr, paddr + len)`.
    pub fn invalidate(&mut self, paddr: u64, len: u64) {
        let page = paddr & PAGE_MASK;
        let cache = self.cache.as_mut().expect("code cache");
        let Some(ids) = cache.page_tbs.get_mut(&page) else { return };
        let mut dead = Vec::new();
        ids.retain(|&id| {
            let tb = &cache.tbs[id];
            let hit = tb.alive && tb.ranges.iter().any(|&(a, n)| a < paddr + len && paddr < a + n.max(1));
            if hit {
                dead.push(id);
            }
            !hit && tb.alive
        });
        // Rebuild the page's code bitmap from the blocks that remain.
        let mut bits: crate::env::CodeBitmap = Box::new([0; 16]);
        for &id in ids.iter() {
            for &(a, n) in &cache.tbs[id].ranges {
                for (w, b) in crate::env::granules(a & !PAGE_MASK, n) {
                    bits[w] |= b;
                }
            }
        }
        if ids.is_empty() {
            cache.page_tbs.remove(&page);
            self.env.code_pages.remove(&page);
        } else {
            self.env.code_pages.insert(page, bits);
        }
        for id in dead {
            let tb = &mut cache.tbs[id];
            tb.alive = false;
            self.stats.invalidated += 1;
            for &slot in &tb.incoming {
                // SAFETY: slots live as long as the cache epoch.
                unsafe {
                    if *slot == tb.code as u64 {
                        *slot = 0;
                    }
                }
            }
            tb.incoming.clear();
            let (key, code) = (tb.key, tb.code as u64);
            let own_slots = tb.slots.as_ptr() as u64;
            let nslots = tb.slots.len() as u64;
            cache.by_phys.remove(&key);
            for e in self.env.jmp_cache.iter_mut() {
                if e.code == code {
                    e.pc = u64::MAX;
                }
            }
            if (own_slots..own_slots + 8 * nslots).contains(&self.env.link_slot) {
                self.env.link_slot = 0;
            }
        }
    }

    /// The block at virtual `pc` under `flags`: the physical PC comes from the
    /// fetch translation of the current regime (the TLB's code tag, or a
    /// walk), so a block is only ever found through a current translation.
    fn lookup(&mut self, cpu: &mut dyn GuestCpu, pc: u64, flags: u32) -> Result<TbId, RunExit> {
        let ppc = crate::softmmu::fetch_paddr(&mut self.env, pc, cpu.fetch_mmu_index()).map_err(RunExit::Fault)?;
        let key = TbKey { vpc: pc, ppc, flags };
        let cache = self.cache.as_mut().expect("code cache");
        if let Some(&id) = cache.by_phys.get(&key) {
            return Ok(id);
        }
        if cache.tbs.len() >= self.cfg.max_blocks {
            self.flush_code().expect("new code cache");
        }
        let start = Instant::now();
        let block = {
            let mut mem = self.env.memory();
            let b = cpu.translate(pc, flags, &mut mem, self.cfg.max_block_insns);
            cpu.on_translate(&b, &mut mem);
            b
        };
        if let Err(e) = chimera_ir::verify(&block, self.info.state_size) {
            panic!("frontend produced invalid IR at {pc:#x}: {e}\n{block}");
        }
        let cache = self.cache.as_mut().expect("code cache");
        let id = cache.tbs.len();
        let bytes = u64::from(block.guest_bytes);
        cache.tbs.push(Tb {
            key,
            code: std::ptr::null(),
            ir: Arc::new(block),
            runs: 0,
            ranges: vec![(key.ppc, bytes)],
            slots: Box::new([]),
            incoming: Vec::new(),
            alive: true,
            counter: None,
            members: Vec::new(),
            pending: None,
        });
        cache.by_phys.insert(key, id);
        let ppage = key.ppc & PAGE_MASK;
        cache.page_tbs.entry(ppage).or_default().push(id);
        let new_page = !self.env.code_pages.contains_key(&ppage);
        let bits = self.env.code_pages.entry(ppage).or_insert_with(|| Box::new([0; 16]));
        for (w, b) in crate::env::granules(key.ppc & !PAGE_MASK, bytes) {
            bits[w] |= b;
        }
        if new_page {
            // Writes to this page, through any virtual alias under any MMU
            // index, must now take the slow path.
            for tlb in self.env.tlb.iter_mut() {
                for (e, p) in tlb.entries.iter_mut().zip(tlb.phys.iter()) {
                    if p.paddr == ppage {
                        e.addr_write = crate::env::TLB_INVALID;
                    }
                }
            }
        }
        self.stats.blocks += 1;
        self.stats.guest_insns += u64::from(cache.tbs[id].ir.guest_insns);
        let ns = start.elapsed().as_nanos() as u64;
        self.stats.compile_ns += ns;
        self.stats.translate_ns += ns;
        Ok(id)
    }

    /// The region of a hot block: the block, then the blocks of the same guest
    /// page it branches to directly that have run already, breadth first. A
    /// virtual page has one physical page, so the members are those of the
    /// head's physical page at the same offsets.
    fn region(&self, id: TbId) -> Vec<TbId> {
        let cache = self.cache.as_ref().expect("code cache");
        let head = &cache.tbs[id];
        let page = head.key.vpc & PAGE_MASK;
        let ppage = head.key.ppc & PAGE_MASK;
        let mut members = vec![id];
        let mut insns = head.ir.guest_insns;
        let mut i = 0;
        while i < members.len() && members.len() < MAX_REGION_BLOCKS {
            let m_tb = &cache.tbs[members[i]];
            let targets = match m_tb.ir.term {
                chimera_ir::Terminal::Jump(t) => [Some(t), None],
                chimera_ir::Terminal::Branch { taken, not_taken, .. } => [Some(taken), Some(not_taken)],
                _ => [None, None],
            };
            let flags = [m_tb.ir.flags_at_exit(0, m_tb.key.flags), m_tb.ir.flags_at_exit(1, m_tb.key.flags)];
            for (t, flags) in targets.into_iter().zip(flags).filter_map(|(t, f)| Some((t?, f))) {
                if t & PAGE_MASK != page || members.len() >= MAX_REGION_BLOCKS {
                    continue;
                }
                let key = TbKey { vpc: t, ppc: ppage | (t & !PAGE_MASK), flags };
                if let Some(&m) = cache.by_phys.get(&key) {
                    let n = cache.tbs[m].ir.guest_insns;
                    if !members.contains(&m) && insns + n <= MAX_REGION_INSNS {
                        members.push(m);
                        insns += n;
                    }
                }
            }
            i += 1;
        }
        members
    }

    /// Compile a hot block, as the head of its region, with Cranelift: in
    /// the quick tier, with an execution counter, unless `optimise` or the
    /// quick tier is off (`promote_threshold` 0). With `background` set the
    /// compile thread does it and the block runs on where it is until the
    /// code is installed; otherwise it is compiled here, now.
    ///
    /// Returns false if the compile could not start (a compile of the block
    /// is on its way, or the compile thread's queue is full).
    fn compile(&mut self, id: TbId, cpu: &mut dyn GuestCpu, optimise: bool) -> bool {
        // Thresholds of 0 ask for code before the block runs at all.
        let background = self.cfg.background && !cpu.wants_host_asm() && (optimise || self.cfg.hot_threshold != 0);
        if background && (self.cache.as_ref().expect("code cache").tbs[id].pending.is_some() || self.worker.as_ref().is_some_and(|w| w.in_flight >= MAX_IN_FLIGHT)) {
            return false;
        }
        let start = Instant::now();
        let (region, bctx) = self.prepare(id, optimise);
        let cache = self.cache.as_mut().expect("code cache");
        if background {
            if let Some(w) = self.worker.as_mut() {
                let blocks = region.members.iter().map(|&m| Arc::clone(&cache.tbs[m].ir)).collect();
                w.submit(crate::worker::Job { id, epoch: self.epoch, blocks, bctx, quick: region.quick });
                cache.tbs[id].pending = Some(Box::new(region));
                return true;
            }
        }
        let blocks: Vec<&Block> = region.members.iter().map(|&m| &*cache.tbs[m].ir).collect();
        let out_asm = cpu.wants_host_asm();
        let compiler = if region.quick { &mut cache.quick } else { &mut cache.compiler };
        let (code, asm) = compiler.compile(&blocks, &bctx, out_asm).unwrap_or_else(|e| panic!("JIT failed at {:#x}: {e}", blocks[0].pc));
        if let Some(asm) = asm {
            cpu.on_compile(&cache.tbs[id].ir, &asm);
        }
        let ns = start.elapsed().as_nanos() as u64;
        self.install(id, code, region, ns);
        true
    }

    /// Choose the region of a hot block and make the exit slots and counter
    /// its code will use.
    fn prepare(&self, id: TbId, optimise: bool) -> (Region, BlockCtx) {
        // A promotion keeps the region of the quick code: blocks that ran
        // since would join it and raise the register pressure of its loops
        // (measured: bench_matmul 0.78 s with the same region, 0.92 s with a
        // grown one). Members invalidated since leave it.
        let cache = self.cache.as_ref().expect("code cache");
        let kept = || -> Vec<TbId> { cache.tbs[id].members.iter().copied().filter(|&m| cache.tbs[m].alive).collect() };
        let members = if !self.cfg.chaining {
            vec![id]
        } else if let Some(kept) = optimise.then(kept).filter(|k| k.first() == Some(&id)) {
            kept
        } else {
            self.region(id)
        };
        let quick = !optimise && self.cfg.promote_threshold != 0;
        let slots: Box<[u64]> = vec![0u64; if self.cfg.chaining { 2 * members.len() } else { 0 }].into_boxed_slice();
        let counter = quick.then(|| Box::new([u64::from(self.cfg.promote_threshold), id as u64]));
        let bctx = BlockCtx {
            pc_reg: self.info.pc,
            flags: members.iter().map(|&m| cache.tbs[m].key.flags).collect(),
            slots: (0..slots.len()).map(|k| slots.as_ptr() as u64 + 8 * k as u64).collect(),
            counter: counter.as_ref().map_or(0, |c| c.as_ptr() as u64),
        };
        let ranges = members.iter().map(|&m| (cache.tbs[m].key.ppc, u64::from(cache.tbs[m].ir.guest_bytes))).collect();
        (Region { members, slots, counter, ranges, quick }, bctx)
    }

    /// Make `code`, compiled for `region` in `ns` nanoseconds, the code of
    /// block `id`, and of the region's other entry members that have none
    /// yet or ran the code `id` had (a region's code is entered at any of
    /// them: one compile serves the hot blocks of a page). Code a block had
    /// before (the quick tier's, when this promotes it) is replaced: the
    /// exit slots that jumped to it and its jump-cache entries now go to the
    /// new code.
    fn install(&mut self, id: TbId, code: *const u8, region: Region, ns: u64) {
        let cache = self.cache.as_mut().expect("code cache");
        let head_old = cache.tbs[id].code;
        let entries: Vec<TbId> = {
            let blocks: Vec<&Block> = region.members.iter().map(|&m| &*cache.tbs[m].ir).collect();
            crate::lower::entry_members(&blocks).into_iter().map(|i| region.members[i]).collect()
        };
        for &m in &entries {
            let tb = &mut cache.tbs[m];
            if m != id && !(tb.alive && (tb.code.is_null() || (!head_old.is_null() && tb.code == head_old))) {
                continue;
            }
            let old = std::mem::replace(&mut tb.code, code);
            tb.ranges.clone_from(&region.ranges);
            if old.is_null() {
                continue;
            }
            for &slot in &tb.incoming {
                // SAFETY: slots live as long as the cache epoch.
                unsafe {
                    if *slot == old as u64 {
                        *slot = code as u64;
                    }
                }
            }
            let (pc, flags) = (tb.key.vpc, u64::from(tb.key.flags));
            for e in self.env.jmp_cache.iter_mut() {
                if e.pc == pc && e.flags == flags && e.code == old as u64 {
                    e.code = code as u64;
                }
            }
        }
        let tb = &mut cache.tbs[id];
        let old_slots = std::mem::replace(&mut tb.slots, region.slots);
        let old_counter = std::mem::replace(&mut tb.counter, region.counter);
        let n = region.members.len() as u64;
        tb.members = region.members;
        if !region.quick && old_counter.is_some() {
            self.stats.promoted += 1;
        }
        if !head_old.is_null() {
            // The old code may still be running (this is called from the loop, but
            // code of other blocks chains to it until their slots are rewritten).
            cache.retired.push((old_slots, old_counter));
        }
        self.stats.compiled += 1;
        self.stats.region_blocks += n;
        self.count_cranelift(ns, region.quick);
    }

    /// Count `ns` nanoseconds of Cranelift in the quick or optimising tier.
    fn count_cranelift(&mut self, ns: u64, quick: bool) {
        self.stats.compile_ns += ns;
        if quick {
            self.stats.quick_ns += ns;
        } else {
            self.stats.optimise_ns += ns;
        }
    }

    /// Install the regions the compile thread has finished, if the guest
    /// would still run them: the code-cache epoch is the same and every
    /// member is alive (none was invalidated by a store to its code since).
    fn collect_compiled(&mut self) {
        while let Some(done) = self.worker.as_mut().and_then(|w| w.try_done()) {
            if done.epoch != self.epoch {
                continue;
            }
            let cache = self.cache.as_mut().expect("code cache");
            let Some(region) = cache.tbs[done.id].pending.take() else { continue };
            let code = match done.code {
                Ok(c) => c as *const u8,
                Err(e) => panic!("JIT failed at {:#x}: {e}", cache.tbs[done.id].key.vpc),
            };
            if region.members.iter().all(|&m| cache.tbs[m].alive) {
                self.install(done.id, code, *region, done.ns);
            } else {
                // Its code is never run; the head compiles again when hot.
                cache.tbs[done.id].runs = 0;
                self.count_cranelift(done.ns, region.quick);
            }
        }
    }

    /// Run a cold block in the interpreter; returns its exit code.
    fn interpret(&mut self, id: TbId, state: *mut u8) -> u64 {
        let cache = self.cache.as_mut().expect("code cache");
        let tb = &mut cache.tbs[id];
        let block: &Block = &tb.ir;
        // The same entry check as compiled code's prologue.
        self.env.budget -= i64::from(block.guest_insns);
        if self.env.budget < 0 || self.env.exit_request != 0 {
            return exit_code::NEXT;
        }
        self.stats.interpreted += 1;
        tb.runs += 1;
        // SAFETY: the block was verified against this CPU state.
        unsafe { interpret_block(&mut self.env, self.info.pc, block, state) }
    }

    /// Run one given block once in `tier`, from `state`, through the softmmu
    /// over `phys`, outside the translation cache: no region, chaining or
    /// tiering decides anything, so a test can run a frontend's IR in both
    /// tiers and compare. The TLB and jump cache are emptied first (the memory
    /// behind `phys` may not be the last call's); self-modifying-code tracking
    /// is not involved (no page is marked as code).
    ///
    /// # Safety
    /// `state` points to the CPU state the block was translated for, of
    /// `GuestInfo::state_size` bytes, and `block` verifies against it.
    pub unsafe fn run_block(&mut self, block: &Block, tier: Tier, state: *mut u8, phys: &mut dyn PhysMemory) -> Result<RunExit, JitError> {
        // SAFETY: the pointer is only used until this function returns.
        let phys: *mut dyn PhysMemory = unsafe { std::mem::transmute::<&mut dyn PhysMemory, &'static mut dyn PhysMemory>(phys) };
        self.env.phys = Some(phys);
        self.env.state = state;
        self.env.flush_tlb();
        self.env.exit_request = 0;
        self.env.status = 0;
        self.env.link_slot = 0;
        // Exactly this block's instructions: the entry check passes, and nothing
        // after it could run.
        self.env.budget = i64::from(block.guest_insns);
        let code = match tier {
            Tier::Interpreter => {
                self.stats.interpreted += 1;
                // SAFETY: the caller's contract.
                unsafe { interpret_block(&mut self.env, self.info.pc, block, state) }
            }
            Tier::Compiled => {
                let cache = self.cache.as_mut().expect("code cache");
                let bctx = BlockCtx { pc_reg: self.info.pc, flags: vec![0], slots: Vec::new(), counter: 0 };
                let compiled = cache.compiler.compile(&[block], &bctx, false);
                let (code, _) = match compiled {
                    Ok(c) => c,
                    Err(e) => {
                        self.env.phys = None;
                        return Err(e);
                    }
                };
                self.stats.compiled += 1;
                // SAFETY: `code` was just compiled from `block`; the caller's contract for `state`.
                unsafe { (cache.trampoline)(state, &mut *self.env, code, block.pc) }
            }
        };
        self.env.dirty_code.clear();
        self.env.phys = None;
        Ok(self.env.run_exit(code).unwrap_or(RunExit::Yield))
    }

    /// Run `block` once in the interpreter on `state` and `mem`, and once
    /// compiled on copies of them; `Err` describes how the tiers disagree
    /// (exit, state as `Debug` shows it, or memory by `same_memory`). On
    /// agreement, `state` and `mem` hold the result and the exit is returned.
    ///
    /// # Safety
    /// As [`Jit::run_block`], with `S` the CPU state the block was
    /// translated for.
    pub unsafe fn run_both_tiers<S: Clone + std::fmt::Debug, M: PhysMemory + Clone>(
        &mut self,
        block: &Block,
        state: &mut S,
        mem: &mut M,
        same_memory: impl Fn(&M, &M) -> bool,
    ) -> Result<RunExit, String> {
        let mut sc = state.clone();
        let mut mc = mem.clone();
        // SAFETY: the caller's contract, for the state and for its copy.
        let ei = unsafe { self.run_block(block, Tier::Interpreter, (state as *mut S).cast(), mem) };
        let ec = unsafe { self.run_block(block, Tier::Compiled, (&mut sc as *mut S).cast(), &mut mc) };
        let (ei, ec) = (ei.map_err(|e| e.to_string())?, ec.map_err(|e| format!("compiling: {e}"))?);
        if ei != ec {
            return Err(format!("exit differs between the tiers: interpreter {ei:?}, compiled {ec:?}"));
        }
        let (si, sc) = (format!("{state:?}"), format!("{sc:?}"));
        if si != sc {
            return Err(format!("state differs between the tiers:\ninterpreter {si}\ncompiled    {sc}"));
        }
        if !same_memory(mem, &mc) {
            return Err("memory differs between the tiers".into());
        }
        Ok(ei)
    }

    /// Run guest code until `budget` guest instructions have run, an exit is
    /// requested (`JitEnv::request_exit`), or an exception or fault needs the
    /// architecture's attention.
    pub fn run(&mut self, cpu: &mut dyn GuestCpu, phys: &mut dyn PhysMemory, budget: i64) -> RunExit {
        // SAFETY: the pointer is only used until this function returns.
        let phys: *mut dyn PhysMemory = unsafe { std::mem::transmute::<&mut dyn PhysMemory, &'static mut dyn PhysMemory>(phys) };
        self.env.phys = Some(phys);
        self.env.budget = budget;
        self.env.link_slot = 0;
        let state = cpu.state_ptr();
        self.env.state = state;
        let exit = loop {
            while let Some((p, n)) = self.env.dirty_code.pop() {
                self.invalidate(p, n);
            }
            self.collect_compiled();
            if self.env.exit_request != 0 || self.env.budget <= 0 {
                break RunExit::Yield;
            }
            // A new ASID flushes the TLBs (their entries are not tagged).
            self.env.set_context(cpu.tlb_context());
            let flags = cpu.tb_flags();
            if self.env.link_flags != u64::from(flags) {
                // The slot's code continues under other flags (the loop
                // changed them: an interrupt, say): it is not this block's.
                self.env.link_slot = 0;
            }
            let pc = cpu.pc();
            let id = match self.lookup(cpu, pc, flags) {
                Ok(id) => id,
                Err(e) => break e,
            };
            let cache = self.cache.as_mut().expect("code cache");
            if cache.tbs[id].code.is_null() && cache.tbs[id].runs >= self.cfg.hot_threshold {
                self.compile(id, cpu, false);
            }
            self.stats.loop_entries += 1;
            cpu.on_exec(pc);
            let cache = self.cache.as_mut().expect("code cache");
            let tb = &mut cache.tbs[id];
            let code = tb.code;
            if code.is_null() {
                // Cold: the interpreter runs it; nothing can chain to it yet.
                self.env.link_slot = 0;
                let r = self.interpret(id, state);
                match self.env.run_exit(r) {
                    None => continue,
                    Some(e) => break e,
                }
            }
            if self.cfg.chaining {
                let slot = self.env.link_slot;
                if slot != 0 {
                    // SAFETY: `link_slot` is an exit slot of a live block of this epoch.
                    unsafe { *(slot as *mut u64) = code as u64 };
                    tb.incoming.push(slot as *mut u64);
                }
                let e = &mut self.env.jmp_cache[JitEnv::jmp_index(pc)];
                e.pc = pc;
                e.flags = u64::from(flags);
                e.code = code as u64;
            }
            self.env.link_slot = 0;
            // SAFETY: `code` is a finalized block of the live epoch, `state` the
            // CPU state it was translated for.
            let r = unsafe { (cache.trampoline)(state, &mut *self.env, code, pc) };
            if r == exit_code::PROMOTE {
                // Quick-tier code ran often enough: compile its region with
                // the optimising settings (the PC is the block whose prologue
                // counted, which runs next).
                // SAFETY: the counter belongs to a block of this epoch.
                let counter = self.env.promote as *mut [u64; 2];
                let id = unsafe { (*counter)[1] } as TbId;
                if self.cache.as_ref().expect("code cache").tbs[id].alive && !self.compile(id, cpu, true) {
                    // The compile thread is busy: ask again a little later.
                    // SAFETY: as above; the loop is the only writer besides the code.
                    unsafe { (*counter)[0] = u64::from(self.cfg.promote_threshold / 16).max(1) };
                }
                continue;
            }
            if let Some(e) = self.env.run_exit(r) {
                break e;
            }
        };
        while let Some((p, n)) = self.env.dirty_code.pop() {
            self.invalidate(p, n);
        }
        self.env.phys = None;
        exit
    }
}
