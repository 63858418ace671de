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
        Compiler {
            ingest: Ingest::default(),
            engine: Engine::new(),
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
        self.image.apply(&delta);
        for (d, r) in &delta.diagnostics {
            let n = self.checks.entry(d.clone()).or_default();
            *n += r;
            if *n == 0 {
                self.checks.remove(d);
            }
        }
        northflow_ir::intern::maybe_collect();
        delta
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

impl Default for Compiler {
    fn default() -> Self {
        Compiler::new()
    }
}
