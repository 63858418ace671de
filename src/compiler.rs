//! The embedding API: feed Northbound changes, get Southbound changes and
//! an up-to-date Southbound image back.

use northflow_ir::diag::Diagnostic;
use northflow_ir::nb::NbGlobal;
use northflow_ir::switch::{ChassisFeatures, SwitchPort};

use crate::engine::{Engine, OutputDelta};
use crate::image::SbImage;
use crate::ingest::Ingest;
pub use crate::ingest::NbChange;

/// An incremental Northbound → Southbound compiler. Startup is not special:
/// a fresh compiler fed every row as inserted computes the whole image.
pub struct Compiler {
    ingest: Ingest,
    engine: Engine,
    image: SbImage,
}

impl Compiler {
    pub fn new() -> Compiler {
        Compiler {
            ingest: Ingest::default(),
            engine: Engine::new(),
            image: SbImage::default(),
        }
    }

    /// Applies one batch of Northbound row changes as one dataflow step and
    /// returns the consolidated Southbound changes it caused.
    pub fn apply(&mut self, changes: &[NbChange]) -> OutputDelta {
        let ir = self.ingest.apply(changes);
        if ir.is_empty() {
            return OutputDelta::default();
        }
        let delta = self.engine.step(ir);
        self.image.apply(&delta);
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

    /// Diagnostics for Northbound rows that could not be compiled as written.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.ingest.diagnostics()
    }
}

impl Default for Compiler {
    fn default() -> Self {
        Compiler::new()
    }
}
