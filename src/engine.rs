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

/// Handle to the dataflow thread.
pub struct Engine {
    requests: Option<mpsc::Sender<Vec<IrChange>>>,
    replies: mpsc::Receiver<OutputDelta>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Engine {
    pub fn new() -> Engine {
        let (req_tx, req_rx) = mpsc::channel::<Vec<IrChange>>();
        let (rep_tx, rep_rx) = mpsc::channel();
        let thread = thread::Builder::new()
            .name("northflow-engine".into())
            .spawn(move || {
                // `execute_directly` wants a `Sync` closure; the lock is only
                // ever taken by this thread.
                let channels = std::sync::Mutex::new((req_rx, rep_tx));
                timely::execute_directly(move |worker| {
                    let (req_rx, rep_tx) = &*channels.lock().unwrap_or_else(|e| e.into_inner());
                    run(worker, req_rx, rep_tx)
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
        let sent = self
            .requests
            .as_ref()
            .map(|tx| tx.send(changes).is_ok())
            .unwrap_or(false);
        assert!(sent, "the engine thread has stopped");
        self.replies.recv().expect("the engine thread has stopped")
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

/// Row changes per timestamp when a batch is large.
const SLICE: usize = 65536;

fn run(
    worker: &mut timely::worker::Worker,
    requests: &mpsc::Receiver<Vec<IrChange>>,
    replies: &mpsc::Sender<OutputDelta>,
) {
    let mut sessions = Sessions::default();
    let probe = timely::dataflow::operators::probe::Handle::new();
    let captures = worker.dataflow::<u64, _, _>(|scope| {
        let input = sessions.collections(scope);
        let mut outputs = Outputs::default();
        family::switch::build(&input, &mut outputs);
        outputs.capture(scope, &probe)
    });

    let mut time = 0u64;
    while let Ok(batch) = requests.recv() {
        // A large batch (a cold start) goes through in slices, one timestamp
        // each: the graph then works on batches of bounded size instead of
        // one that holds every row at once. The reply is the consolidation
        // of all slices, as if it had been one step.
        let mut batch = batch.into_iter().peekable();
        while batch.peek().is_some() {
            for change in batch.by_ref().take(SLICE) {
                sessions.apply(change);
            }
            time += 1;
            sessions.advance_to(time);
            worker.step_while(|| probe.less_than(&time));
        }
        if replies.send(captures.drain()).is_err() {
            break;
        }
    }
}
