//! `northflow --once`: read both databases, compile, write the minimal
//! changes, exit. Each step is timed for the benchmark.

use std::time::{Duration, Instant};

use northflow_ovsdb::Client;

use crate::ingest::NbChange;
use crate::sync::{self, Desired, Tables};
use crate::Compiler;

/// How long each step took and how many operations were written.
#[derive(Clone, Debug, Default)]
pub struct OnceReport {
    pub read: Duration,
    pub compile: Duration,
    pub plan: Duration,
    pub sb_txn: Duration,
    pub nb_txn: Duration,
    pub sb_ops: usize,
    pub nb_ops: usize,
    /// Diagnostics for rows that could not be compiled as written.
    pub diagnostics: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("{remote}: {source}")]
pub struct OnceError {
    pub remote: String,
    #[source]
    pub source: northflow_ovsdb::Error,
}

/// Runs one compile-and-write pass between the Northbound `nb` and the
/// Southbound `sb` remotes.
pub fn run(nb: &str, sb: &str) -> Result<OnceReport, OnceError> {
    let at = |remote: &str| {
        let remote = remote.to_owned();
        move |source| OnceError {
            remote: remote.clone(),
            source,
        }
    };
    let mut report = OnceReport::default();
    let t = Instant::now();
    let (nb_client, _) = Client::connect(nb).map_err(at(nb))?;
    let (sb_client, _) = Client::connect(sb).map_err(at(sb))?;
    let nb_tables = nb_client
        .snapshot("OVN_Northbound", None)
        .map_err(at(nb))?
        .into_tables();
    let sb_tables = sb_client
        .snapshot("OVN_Southbound", Some(sync::READ_TABLES))
        .map_err(at(sb))?
        .into_tables();
    report.read = t.elapsed();

    // The compiler's inputs: the Northbound and the SB tables northd reads.
    let t = Instant::now();
    let mut inputs = NbChange::inserts(&nb_tables);
    let chassis: Tables = sb_tables
        .iter()
        .filter(|(t, _)| *t == "Chassis")
        .map(|(t, r)| (t.clone(), r.clone()))
        .collect();
    inputs.extend(NbChange::inserts(&chassis));
    let mut compiler = Compiler::new();
    compiler.apply(&inputs);
    report.diagnostics = compiler.diagnostics().map(|d| d.to_string()).collect();
    report.compile = t.elapsed();

    let t = Instant::now();
    let desired = Desired {
        image: compiler.image(),
        nb_global: compiler.nb_global(),
        switch_ports: compiler.switch_ports().collect(),
    };
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    let plan = sync::plan(&desired, &nb_tables, &sb_tables, now_ms);
    (report.sb_ops, report.nb_ops) = (plan.sb.len(), plan.nb.len());
    report.plan = t.elapsed();

    let t = Instant::now();
    if !plan.sb.is_empty() {
        sb_client
            .transact("OVN_Southbound", plan.sb)
            .map_err(at(sb))?;
    }
    report.sb_txn = t.elapsed();
    // The write-back acknowledges nb_cfg, so it follows the SB commit.
    let t = Instant::now();
    if !plan.nb.is_empty() {
        nb_client
            .transact("OVN_Northbound", plan.nb)
            .map_err(at(nb))?;
    }
    report.nb_txn = t.elapsed();
    Ok(report)
}
