//! Ingest: input row changes → typed rows → IR changes, with a diagnostic
//! for every part of a row that cannot be used. Keeps the IR of every row
//! (`input::IrState`) so that a modified or deleted row retracts exactly
//! what it had contributed. Checks that span rows are the graph's
//! (`output::OutputDelta::diagnostics`).

use std::borrow::Borrow;
use std::collections::BTreeMap;

use northflow_ir::diag::Diagnostic;
use northflow_ir::nb::NbGlobal;
use northflow_ir::switch::{ChassisFeatures, SwitchPort};
use northflow_ir::Uuid;

use crate::input::{Input, IrChange, IrState, RowChange};

#[derive(Default)]
pub struct Ingest {
    ir: IrState,
    /// The diagnostics of each row, replaced whenever the row changes.
    diagnostics: BTreeMap<(Input, Uuid), Vec<Diagnostic>>,
}

impl Ingest {
    /// Lowers row changes, returning the IR changes for the engine. Each
    /// row is dropped once lowered when `changes` owns them.
    pub fn apply<I>(&mut self, changes: I) -> Vec<IrChange>
    where
        I: IntoIterator,
        I::Item: Borrow<RowChange>,
    {
        let mut out = Vec::new();
        for change in changes {
            let change = change.borrow();
            let mut diags = Vec::new();
            out.extend(self.ir.lower(change, &mut diags));
            let key = (change.table, change.uuid);
            if diags.is_empty() {
                self.diagnostics.remove(&key);
            } else {
                self.diagnostics.insert(key, diags);
            }
        }
        out
    }

    /// What every chassis of this availability zone supports.
    pub fn features(&self) -> ChassisFeatures {
        self.ir
            .chassis
            .values()
            .fold(ChassisFeatures::ALL, |a, c| a.and(**c))
    }

    pub fn nb_global(&self) -> Option<&NbGlobal> {
        self.ir.nb_global.values().next().map(|g| &**g)
    }

    pub fn switch_ports(&self) -> impl Iterator<Item = &SwitchPort> {
        self.ir.logical_switch_port.values().map(|p| &**p)
    }

    /// The diagnostics of single rows, by table and row.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.values().flatten()
    }
}
