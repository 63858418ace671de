//! Ingest: Northbound row changes → typed rows → IR changes, with
//! diagnostics. Keeps the current IR of every row so that a modified or
//! deleted row retracts exactly what it had contributed.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use northflow_ir::diag::Diagnostic;
use northflow_ir::nb::{
    DhcpOptions as NbDhcpOptions, Dns, LogicalSwitch, LogicalSwitchPort, NbGlobal, Qos,
};
use northflow_ir::row::Table;
use northflow_ir::sb::Chassis;
use northflow_ir::switch::{ChassisFeatures, DhcpOptions, DnsRecords, QosRule, Switch, SwitchPort};
use northflow_ir::Uuid;
use northflow_ovsdb::Row;
use northflow_passes::lower;

use crate::engine::IrChange;

/// One input row change: `row: None` deletes the row, otherwise the row is
/// inserted or replaced by the complete new row. Inputs are the Northbound
/// tables and the Southbound tables ovn-northd reads (`Chassis`).
#[derive(Clone, Debug, PartialEq)]
pub struct NbChange {
    pub table: String,
    pub uuid: Uuid,
    pub row: Option<Row>,
}

impl NbChange {
    /// Every row of `tables` as inserted: how a fresh compiler starts.
    pub fn inserts(tables: &crate::sync::Tables) -> Vec<NbChange> {
        tables
            .iter()
            .flat_map(|(table, rows)| {
                rows.iter().map(move |(uuid, row)| NbChange {
                    table: table.clone(),
                    uuid: *uuid,
                    row: Some(row.clone()),
                })
            })
            .collect()
    }
}

#[derive(Default)]
pub struct Ingest {
    switches: BTreeMap<Uuid, Arc<Switch>>,
    ports: BTreeMap<Uuid, Arc<SwitchPort>>,
    qos: BTreeMap<Uuid, Arc<QosRule>>,
    dns: BTreeMap<Uuid, Arc<DnsRecords>>,
    dhcp: BTreeMap<Uuid, Arc<DhcpOptions>>,
    nb_global: Option<NbGlobal>,
    /// The diagnostics of each row, replaced whenever the row changes.
    diagnostics: BTreeMap<(String, Uuid), Vec<Diagnostic>>,
    /// What each local (not `is-remote`) SB chassis supports.
    chassis: BTreeMap<Uuid, ChassisFeatures>,
    features: ChassisFeatures,
    /// Port UUID → the switches whose `ports` column lists it.
    listed_by: BTreeMap<Uuid, BTreeSet<Uuid>>,
    /// Diagnostics about a switch's `ports` references (dangling, or a port
    /// another switch also lists), recomputed for the switches a batch touches.
    reference_diagnostics: BTreeMap<Uuid, Vec<Diagnostic>>,
}

impl Ingest {
    /// Applies row changes, returning the IR changes for the engine.
    pub fn apply(&mut self, changes: &[NbChange]) -> Vec<IrChange> {
        let mut out = Vec::new();
        let mut touched = BTreeSet::new();
        for change in changes {
            let key = (change.table.clone(), change.uuid);
            let mut diags = Vec::new();
            match change.table.as_str() {
                LogicalSwitch::TABLE => {
                    let new = parse::<LogicalSwitch>(change, &mut diags)
                        .map(|r| Arc::new(lower::switch(&r, &mut diags)));
                    let old = replace(&mut self.switches, change.uuid, new.clone());
                    for pid in old.iter().chain(new.iter()).flat_map(|s| s.ports.iter()) {
                        touched.extend(self.listed_by.get(pid).into_iter().flatten().copied());
                    }
                    self.relist(change.uuid, old.as_deref(), new.as_deref());
                    touched.insert(change.uuid);
                    if old != new {
                        out.push(IrChange::Switch { old, new });
                    }
                }
                LogicalSwitchPort::TABLE => {
                    let new = parse::<LogicalSwitchPort>(change, &mut diags)
                        .map(|r| Arc::new(lower::switch_port(&r, &mut diags)));
                    let old = replace(&mut self.ports, change.uuid, new.clone());
                    touched.extend(
                        self.listed_by
                            .get(&change.uuid)
                            .into_iter()
                            .flatten()
                            .copied(),
                    );
                    if old != new {
                        out.push(IrChange::Port { old, new });
                    }
                }
                Qos::TABLE => {
                    let new = parse::<Qos>(change, &mut diags)
                        .and_then(|r| lower::qos(&r, &mut diags))
                        .map(Arc::new);
                    let old = replace(&mut self.qos, change.uuid, new.clone());
                    if old != new {
                        out.push(IrChange::Qos { old, new });
                    }
                }
                NbDhcpOptions::TABLE => {
                    let new = parse::<NbDhcpOptions>(change, &mut diags)
                        .map(|r| Arc::new(lower::dhcp_options(&r, &mut diags)));
                    let old = replace(&mut self.dhcp, change.uuid, new.clone());
                    if old != new {
                        out.push(IrChange::Dhcp { old, new });
                    }
                }
                Dns::TABLE => {
                    let new = parse::<Dns>(change, &mut diags).map(|r| Arc::new(lower::dns(&r)));
                    let old = replace(&mut self.dns, change.uuid, new.clone());
                    if old != new {
                        out.push(IrChange::Dns { old, new });
                    }
                }
                NbGlobal::TABLE => self.nb_global = parse::<NbGlobal>(change, &mut diags),
                Chassis::TABLE => {
                    let features =
                        parse::<Chassis>(change, &mut diags).and_then(|c| chassis_features(&c));
                    replace(&mut self.chassis, change.uuid, features);
                }
                // Tables not compiled yet are ignored.
                _ => {}
            }
            if diags.is_empty() {
                self.diagnostics.remove(&key);
            } else {
                self.diagnostics.insert(key, diags);
            }
        }
        for sid in touched {
            self.check_references(sid);
        }
        let features = self
            .chassis
            .values()
            .fold(ChassisFeatures::ALL, |a, c| a.and(*c));
        if features != self.features {
            out.push(IrChange::Features {
                old: self.features,
                new: features,
            });
            self.features = features;
        }
        out
    }

    /// What all local chassis support.
    pub fn features(&self) -> ChassisFeatures {
        self.features
    }

    fn relist(&mut self, sid: Uuid, old: Option<&Switch>, new: Option<&Switch>) {
        for pid in old.iter().flat_map(|s| s.ports.iter()) {
            if let Some(set) = self.listed_by.get_mut(pid) {
                set.remove(&sid);
                if set.is_empty() {
                    self.listed_by.remove(pid);
                }
            }
        }
        for pid in new.iter().flat_map(|s| s.ports.iter()) {
            self.listed_by.entry(*pid).or_default().insert(sid);
        }
    }

    /// Cross-row checks of one switch's `ports` column: references to rows
    /// that do not exist, and ports another switch lists too (the engine
    /// keeps such a port on the switch with the smallest UUID).
    fn check_references(&mut self, sid: Uuid) {
        let mut diags = Vec::new();
        if let Some(sw) = self.switches.get(&sid) {
            for pid in &sw.ports {
                let diag = |m: String| Diagnostic::new(LogicalSwitch::TABLE, sid, "ports", m);
                if !self.ports.contains_key(pid) {
                    diags.push(diag(format!(
                        "references Logical_Switch_Port {pid}, which does not exist"
                    )));
                }
                let owners = self.listed_by.get(pid).into_iter().flatten();
                if let Some(keeper) = owners.clone().next().filter(|k| **k != sid) {
                    diags.push(diag(format!(
                        "duplicate logical port {pid}: also listed by Logical_Switch {keeper}, which keeps it"
                    )));
                }
            }
        }
        if diags.is_empty() {
            self.reference_diagnostics.remove(&sid);
        } else {
            self.reference_diagnostics.insert(sid, diags);
        }
    }

    pub fn nb_global(&self) -> Option<&NbGlobal> {
        self.nb_global.as_ref()
    }

    pub fn switch_ports(&self) -> impl Iterator<Item = &SwitchPort> {
        self.ports.values().map(|p| &**p)
    }

    /// Every current diagnostic, by table and row.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .values()
            .flatten()
            .chain(self.reference_diagnostics.values().flatten())
    }
}

/// The features a chassis advertises in `other_config`; `None` for a
/// chassis of another availability zone, which installs none of our flows.
fn chassis_features(c: &Chassis) -> Option<ChassisFeatures> {
    if northflow_passes::smap::get_bool(&c.other_config, "is-remote", false) {
        return None;
    }
    Some(ChassisFeatures::announced(&c.other_config))
}

/// Decodes a row; a row that does not fit its schema is a diagnostic and
/// counts as absent.
fn parse<T: Table>(change: &NbChange, diags: &mut Vec<Diagnostic>) -> Option<T> {
    let row = change.row.as_ref()?;
    match T::from_row(change.uuid, row) {
        Ok(r) => Some(r),
        Err(e) => {
            diags.push(Diagnostic::new(
                T::TABLE,
                change.uuid,
                &e.column,
                format!("{e}: row skipped"),
            ));
            None
        }
    }
}

fn replace<V>(map: &mut BTreeMap<Uuid, V>, uuid: Uuid, new: Option<V>) -> Option<V> {
    match new {
        Some(v) => map.insert(uuid, v),
        None => map.remove(&uuid),
    }
}
