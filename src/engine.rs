//! The incremental core: the differential-dataflow graph, run on its own
//! thread (timely workers are `!Send`). The engine only wires: the input
//! collections (`input`) feed every feature family (`family`), whose parts
//! make the outputs (`output`); one batch of IR changes is one step.

use std::sync::mpsc;
use std::thread;

use crate::family;
use crate::input::{IrChange, Sessions};
use crate::output::Outputs;
pub use crate::output::{FlowPair, OutputDelta};

/// One batch, and how its output comes back.
struct Request {
    changes: Vec<IrChange>,
    /// One delta per slice (a load: the caller folds each in and drops it)
    /// instead of one consolidated delta.
    per_slice: bool,
}

/// A delta, and whether more follow for the same request.
struct Reply {
    delta: OutputDelta,
    last: bool,
}

/// Handle to the dataflow thread.
pub struct Engine {
    requests: Option<mpsc::Sender<Request>>,
    replies: mpsc::Receiver<Reply>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Engine {
    pub fn new() -> Engine {
        Engine::with_slice(SLICE)
    }

    /// An engine that puts at most `slice` changes in one timestamp.
    pub fn with_slice(slice: usize) -> Engine {
        let slice = slice.max(1);
        let (req_tx, req_rx) = mpsc::channel::<Request>();
        let (rep_tx, rep_rx) = mpsc::channel();
        let thread = thread::Builder::new()
            .name("northflow-engine".into())
            .spawn(move || {
                // `execute_directly` wants a `Sync` closure; the lock is only
                // ever taken by this thread.
                let channels = std::sync::Mutex::new((req_rx, rep_tx));
                timely::execute_directly(move |worker| {
                    let (req_rx, rep_tx) = &*channels.lock().unwrap_or_else(|e| e.into_inner());
                    run(worker, req_rx, rep_tx, slice)
                });
            })
            .expect("spawning the engine thread");
        Engine {
            requests: Some(req_tx),
            replies: rep_rx,
            thread: Some(thread),
        }
    }

    /// Applies one batch of changes as one dataflow step and returns the
    /// consolidated output changes.
    pub fn step(&self, changes: Vec<IrChange>) -> OutputDelta {
        let mut out = OutputDelta::default();
        self.send(changes, false, |d| out = d);
        out
    }

    /// Applies one batch of changes, handing `each` the output of every
    /// slice as it is computed: a large load never holds its whole output
    /// at once. The deltas sum to what `step` would return.
    pub fn load(&self, changes: Vec<IrChange>, each: impl FnMut(OutputDelta)) {
        self.send(changes, true, each)
    }

    fn send(&self, changes: Vec<IrChange>, per_slice: bool, mut each: impl FnMut(OutputDelta)) {
        let sent = self
            .requests
            .as_ref()
            .map(|tx| tx.send(Request { changes, per_slice }).is_ok())
            .unwrap_or(false);
        assert!(sent, "the engine thread has stopped");
        loop {
            let reply = self.replies.recv().expect("the engine thread has stopped");
            each(reply.delta);
            if reply.last {
                break;
            }
        }
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        // Closing the request channel ends the worker loop.
        self.requests.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Row changes per timestamp when a batch is large (by default).
pub const SLICE: usize = 16384;

fn run(
    worker: &mut timely::worker::Worker,
    requests: &mpsc::Receiver<Request>,
    replies: &mpsc::Sender<Reply>,
    slice: usize,
) {
    let mut sessions = Sessions::default();
    let probe = timely::dataflow::operators::probe::Handle::new();
    let captures = worker.dataflow::<u64, _, _>(|scope| {
        let input = sessions.collections(scope);
        let mut outputs = Outputs::default();
        let peers = family::router::peers(&input);
        let switches = family::switch::build(&input, &peers, &mut outputs);
        family::global::build(&input, &mut outputs);
        family::copied::build(&input, &mut outputs);
        family::router::build(&input, peers, &switches, &mut outputs);
        family::datapath::checks(scope, &mut outputs);
        outputs.capture(scope, &probe)
    });

    let mut time = 0u64;
    while let Ok(Request { changes, per_slice }) = requests.recv() {
        // A large batch (a cold start) goes through in slices, one timestamp
        // each: the graph then works on batches of bounded size instead of
        // one that holds every row at once. The reply is the consolidation
        // of all slices, as if it had been one step, or one per slice.
        let mut batch = changes.into_iter().peekable();
        loop {
            for change in batch.by_ref().take(slice) {
                sessions.apply(change);
            }
            time += 1;
            sessions.advance_to(time);
            worker.step_while(|| probe.less_than(&time));
            let last = batch.peek().is_none();
            if per_slice || last {
                let delta = captures.drain();
                if replies.send(Reply { delta, last }).is_err() {
                    return;
                }
            }
            if last {
                break;
            }
        }
    }
}
