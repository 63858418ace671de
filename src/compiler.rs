//! The embedding API: feed Northbound changes, get Southbound changes and
//! an up-to-date Southbound image back.

use std::borrow::Borrow;
use std::collections::BTreeMap;

use northflow_ir::diag::Diagnostic;
use northflow_ir::nb::NbGlobal;
use northflow_ir::switch::{ChassisFeatures, SwitchPort};

use crate::engine::{Engine, OutputDelta};
use crate::image::SbImage;
use crate::ingest::Ingest;
use crate::input::RowChange;

/// An incremental Northbound → Southbound compiler. Startup is not special:
/// a fresh compiler fed every row as inserted computes the whole image.
pub struct Compiler {
    ingest: Ingest,
    engine: Engine,
    image: SbImage,
    /// The graph's cross-row diagnostics, counted.
    checks: BTreeMap<Diagnostic, isize>,
}

impl Compiler {
    pub fn new() -> Compiler {
        Compiler::with_slice(crate::engine::SLICE)
    }

    /// A compiler whose engine takes at most `slice` row changes per
    /// dataflow timestamp in a large batch (tuning, and tests of slicing).
    pub fn with_slice(slice: usize) -> Compiler {
        Compiler {
            ingest: Ingest::default(),
            engine: Engine::with_slice(slice),
            image: SbImage::default(),
            checks: BTreeMap::new(),
        }
    }

    /// Applies one batch of input row changes as one dataflow step and
    /// returns the consolidated Southbound changes it caused. Given owned
    /// changes, each row is freed as soon as it is lowered.
    pub fn apply<I>(&mut self, changes: I) -> OutputDelta
    where
        I: IntoIterator,
        I::Item: Borrow<RowChange>,
    {
        let ir = self.ingest.apply(changes);
        if ir.is_empty() {
            return OutputDelta::default();
        }
        let delta = self.engine.step(ir);
        self.fold(&delta);
        northflow_ir::intern::maybe_collect();
        delta
    }

    /// Like `apply`, for a caller that wants the resulting image and not
    /// the changes (a cold start): the output is folded into the image slice
    /// by slice, so the whole change set never exists at once.
    pub fn load<I>(&mut self, changes: I)
    where
        I: IntoIterator,
        I::Item: Borrow<RowChange>,
    {
        let ir = self.ingest.apply(changes);
        if ir.is_empty() {
            return;
        }
        let (engine, image, checks) = (&self.engine, &mut self.image, &mut self.checks);
        engine.load(ir, |d| fold(image, checks, &d));
        northflow_ir::intern::maybe_collect();
    }

    fn fold(&mut self, delta: &OutputDelta) {
        fold(&mut self.image, &mut self.checks, delta);
    }

    /// What the Southbound should hold now.
    pub fn image(&self) -> &SbImage {
        &self.image
    }

    /// The current `NB_Global` row, if the Northbound has one.
    pub fn nb_global(&self) -> Option<&NbGlobal> {
        self.ingest.nb_global()
    }

    /// The current logical switch ports (for the Northbound columns northd
    /// writes back, such as `up` and `tag`).
    pub fn switch_ports(&self) -> impl Iterator<Item = &SwitchPort> {
        self.ingest.switch_ports()
    }

    /// What every local chassis supports.
    pub fn features(&self) -> ChassisFeatures {
        self.ingest.features()
    }

    /// Diagnostics for input rows that could not be compiled as written:
    /// those of single rows, then the cross-row checks.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.ingest.diagnostics().chain(self.checks.keys())
    }
}

fn fold(image: &mut SbImage, checks: &mut BTreeMap<Diagnostic, isize>, delta: &OutputDelta) {
    image.apply(delta);
    for (d, r) in &delta.diagnostics {
        let n = checks.entry(d.clone()).or_default();
        *n += r;
        if *n == 0 {
            checks.remove(d);
        }
    }
}

impl Default for Compiler {
    fn default() -> Self {
        Compiler::new()
    }
}
