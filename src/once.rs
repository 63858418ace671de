//! `northflow --once`: read both databases, compile, write the minimal
//! changes, exit. Each step is timed for the benchmark.

use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use northflow_ovsdb::{Client, Notification, Operation};

use crate::input::{Db, RowChange};
use crate::sync::{self, Desired};
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

/// The Southbound lock every northd writes under (ovn-northd's own), so that
/// two writers never interleave.
pub const SB_LOCK: &str = "ovn_northd";

/// How long `--once` waits by default for another northd to release
/// [`SB_LOCK`].
pub const LOCK_WAIT: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum OnceError {
    #[error("{remote}: {source}")]
    Db {
        remote: String,
        #[source]
        source: northflow_ovsdb::Error,
    },
    #[error(
        "{remote}: another northd holds the Southbound lock {SB_LOCK:?}; \
         waited {} s (stop it, or let it do the writing)",
        .waited.as_secs()
    )]
    Locked { remote: String, waited: Duration },
}

/// Runs one compile-and-write pass between the Northbound `nb` and the
/// Southbound `sb` remotes, waiting up to `lock_wait` for another northd
/// to release the Southbound lock.
pub fn run(nb: &str, sb: &str, lock_wait: Duration) -> Result<OnceReport, OnceError> {
    let at = |remote: &str| {
        let remote = remote.to_owned();
        move |source| OnceError::Db {
            remote: remote.clone(),
            source,
        }
    };
    let mut report = OnceReport::default();
    let t = Instant::now();
    let (nb_client, _) = Client::connect(nb).map_err(at(nb))?;
    let (sb_client, sb_notifications) = Client::connect(sb).map_err(at(sb))?;
    // Read and write only while holding the lock: what is read is then
    // what the plan is applied to.
    if !sb_client.lock(SB_LOCK).map_err(at(sb))? && !wait_for_lock(&sb_notifications, lock_wait) {
        return Err(OnceError::Locked {
            remote: sb.to_owned(),
            waited: lock_wait,
        });
    }
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
    let mut inputs = RowChange::inserts(Db::Nb, &nb_tables);
    // NB_Global as it will be once the plan's write-back lands.
    inputs.push(RowChange::put(&sync::settle_nb_global(&nb_tables)));
    inputs.extend(RowChange::inserts(Db::Sb, &sb_tables));
    let mut compiler = Compiler::new();
    compiler.load(inputs);
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
        // The server refuses the transaction if the lock was stolen.
        let mut ops = vec![Operation::Assert {
            lock: SB_LOCK.to_owned(),
        }];
        ops.extend(plan.sb);
        sb_client.transact("OVN_Southbound", ops).map_err(at(sb))?;
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

/// Waits for the server's `locked` notification for [`SB_LOCK`].
fn wait_for_lock(notifications: &Receiver<Notification>, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match notifications.recv_timeout(left) {
            Ok(n)
                if n.method == "locked"
                    && n.params.first().and_then(|p| p.as_str()) == Some(SB_LOCK) =>
            {
                return true;
            }
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    false
}
