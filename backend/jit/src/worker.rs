//! Compilation off the guest's critical path: a host thread that runs
//! Cranelift for hot regions while the guest keeps running where it was (in
//! the IR interpreter, or in quick-tier code awaiting promotion).
//!
//! The thread owns its own Cranelift modules (one per tier), so the code it
//! makes lives in its memory; the execution loop owns everything the code
//! points at (exit slots, execution counters) and installs a result only if
//! the region it was made from is still what the guest would run (every
//! member alive, the same code-cache epoch). A flush of the code cache
//! starts a new epoch: the thread frees the old code once the loop, which
//! holds no pointer to it any more, says so.

use crate::engine::{Compiler, JitConfig, JitError};
use crate::lower::BlockCtx;
use chimera_ir::Block;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Instant;

/// A region to compile.
pub(crate) struct Job {
    /// The head block's id in the code cache.
    pub id: usize,
    /// The code-cache epoch the block ids belong to.
    pub epoch: u64,
    /// The members' IR, head first.
    pub blocks: Vec<Arc<Block>>,
    /// Per-region facts (exit slots and counter owned by the loop).
    pub bctx: BlockCtx,
    /// Quick tier (single-pass, no optimisation) or the optimising one.
    pub quick: bool,
}

/// A compiled region.
pub(crate) struct Done {
    /// As in the [`Job`].
    pub id: usize,
    /// As in the [`Job`].
    pub epoch: u64,
    /// The host code's address, or why Cranelift failed.
    pub code: Result<usize, JitError>,
    /// Time Cranelift took, in nanoseconds.
    pub ns: u64,
}

enum Msg {
    Compile(Job),
    /// The loop flushed the code cache: no pointer into code of epochs
    /// before this one remains, so their memory can go.
    NewEpoch,
}

/// The compile thread and its channels.
pub(crate) struct Worker {
    tx: Option<Sender<Msg>>,
    rx: Receiver<Done>,
    thread: Option<JoinHandle<()>>,
    /// Jobs sent and not yet received back.
    pub in_flight: usize,
}

impl Worker {
    /// Start the thread; its modules use the settings of `cfg`.
    pub fn start(cfg: &JitConfig) -> Result<Worker, JitError> {
        let (tx, jobs) = channel::<Msg>();
        let (done_tx, rx) = channel::<Done>();
        let cfg = cfg.clone();
        // The modules are made on the thread (a JIT module stays on the
        // thread that made it); a failure to make them is reported back
        // before any job is sent.
        let (ready_tx, ready) = channel::<Result<(), JitError>>();
        let thread = std::thread::Builder::new()
            .name("chimera-jit".into())
            .spawn(move || {
                let fresh = |cfg: &JitConfig| Ok::<_, JitError>((Compiler::quick(cfg)?, Compiler::optimising(cfg)?));
                let (mut quick, mut opt) = match fresh(&cfg) {
                    Ok(c) => {
                        let _ = ready_tx.send(Ok(()));
                        c
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                while let Ok(msg) = jobs.recv() {
                    match msg {
                        Msg::Compile(job) => {
                            let start = Instant::now();
                            let refs: Vec<&Block> = job.blocks.iter().map(|b| &**b).collect();
                            let c = if job.quick { &mut quick } else { &mut opt };
                            // A panic inside Cranelift becomes this job's error
                            // (the loop reports it as it reports a failed compile
                            // on its own thread), not a silently dead thread.
                            let compiled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| c.compile(&refs, &job.bctx, false)));
                            let code = match compiled {
                                Ok(r) => r.map(|(p, _)| p as usize),
                                Err(_) => Err(JitError::Codegen("Cranelift panicked on the compile thread".into())),
                            };
                            let ns = start.elapsed().as_nanos() as u64;
                            if done_tx.send(Done { id: job.id, epoch: job.epoch, code, ns }).is_err() {
                                break;
                            }
                        }
                        Msg::NewEpoch => match fresh(&cfg) {
                            Ok((q, o)) => {
                                let old = [std::mem::replace(&mut quick, q), std::mem::replace(&mut opt, o)];
                                for c in old {
                                    // SAFETY: the loop holds no pointer into this code any more.
                                    unsafe { c.module.free_memory() };
                                }
                            }
                            Err(_) => break,
                        },
                    }
                }
                // The JIT is gone: nothing runs this code any more.
                // SAFETY: as above.
                unsafe {
                    quick.module.free_memory();
                    opt.module.free_memory();
                }
            })
            .map_err(|e| JitError::Host(format!("cannot start the compile thread: {e}")))?;
        match ready.recv() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(e),
            Err(_) => return Err(JitError::Host("the compile thread stopped at start".into())),
        }
        Ok(Worker { tx: Some(tx), rx, thread: Some(thread), in_flight: 0 })
    }

    /// Queue a region.
    pub fn submit(&mut self, job: Job) {
        if let Some(tx) = &self.tx {
            if tx.send(Msg::Compile(job)).is_ok() {
                self.in_flight += 1;
            }
        }
    }

    /// A compiled region, if one is ready.
    pub fn try_done(&mut self) -> Option<Done> {
        if self.in_flight == 0 {
            return None;
        }
        let d = match self.rx.try_recv() {
            Ok(d) => d,
            Err(std::sync::mpsc::TryRecvError::Empty) => return None,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => panic!("the JIT's compile thread stopped with {} regions queued", self.in_flight),
        };
        self.in_flight -= 1;
        Some(d)
    }

    /// The code cache was flushed: a new epoch begins.
    pub fn new_epoch(&mut self) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(Msg::NewEpoch);
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Closing the queue ends the thread after the job at hand.
        self.tx = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
