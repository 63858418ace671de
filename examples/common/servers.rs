//! The programs compared against real ovsdb-servers: `northflow --once`
//! and the reference `ovn-northd`, with the servers' and northd's own
//! figures (long polls, stopwatches, Southbound rows, RSS).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use northflow_ovsdb::transaction::selected_rows;
use northflow_ovsdb::{Client, Operation};
use serde_json::json;

use super::report::Report;
use super::sandbox::{Run, Sandbox, SHORT};
use super::R;

/// Generous: the real northd takes minutes on large inputs.
pub const LONG: Duration = Duration::from_secs(1800);

/// The `northflow` binary next to this example's own executable
/// (`target/release/northflow`).
pub fn northflow_bin() -> R<PathBuf> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join("northflow"))
        .ok_or("cannot locate the target directory")?;
    if bin.is_file() {
        Ok(bin)
    } else {
        Err(format!(
            "{} not found: run `cargo build --release --bin northflow` first",
            bin.display()
        ))
    }
}

/// `northflow --once` against `nb` and `sb` (loaded), cold then no-op: the
/// times, peak RSS, the servers' long polls, and the Southbound it wrote,
/// checked against the in-process image's `flow_rows`.
pub fn northflow_once(
    sbx: &Sandbox,
    bin: &Path,
    nb: &str,
    sb: &str,
    flow_rows: usize,
    report: &mut Report,
) -> R<()> {
    let once = |sbx: &Sandbox, label: &str| -> R<Run> {
        let mut c = sbx.command(bin);
        c.arg(format!("--ovnnb-db={nb}"))
            .arg(format!("--ovnsb-db={sb}"))
            .arg("--once");
        let run = sbx.run_measured(label, c, LONG)?;
        if !run.status.is_some_and(|s| s.success()) {
            return Err(format!(
                "northflow --once ({label}) failed: {:?}\n{}",
                run.status, run.stderr
            ));
        }
        Ok(run)
    };
    let first = once(sbx, "once-cold")?;
    report.secs(
        "once_cold_s",
        "northflow --once, cold (empty SB)",
        first.elapsed,
    );
    long_polls(sbx, "sb", "sb_server_long_polls", report);
    long_polls(sbx, "nb", "nb_server_long_polls", report);
    if let Some(kb) = first.hwm_kb {
        report.mb("once_cold_rss_mb", "northflow --once cold peak RSS", kb);
    }
    let second = once(sbx, "once-noop")?;
    report.secs(
        "once_noop_s",
        "northflow --once, no-op (SB current)",
        second.elapsed,
    );
    if let Some(kb) = second.hwm_kb {
        report.mb("once_noop_rss_mb", "northflow --once no-op peak RSS", kb);
    }
    let nf_counts = sb_counts(sb)?;
    report.counts("northflow_sb", "northflow SB rows", &nf_counts);
    let nf_lflows = lookup(&nf_counts, "Logical_Flow");
    if nf_lflows != flow_rows {
        report.text(
            "northflow_sb_mismatch",
            format!("SB Logical_Flow {nf_lflows} != in-process image {flow_rows}"),
        );
    }
    if let Some(kb) = sbx.server_hwm("sb") {
        report.mb("sb_server_rss_mb", "SB ovsdb-server peak RSS", kb);
    }
    Ok(())
}

/// The real ovn-northd on a fresh NB/SB pair (`nb2`, `sb2`) that `load`
/// fills (given their remotes): its cold start until `--wait=sb sync`
/// returns, a no-op sync, stopwatches, RSS and the Southbound it wrote.
/// Returns the NB and SB remotes with northd still running (as daemon
/// `northd`).
pub fn northd(
    sbx: &mut Sandbox,
    load: impl FnOnce(&str, &str) -> R<()>,
    report: &mut Report,
) -> R<(String, String)> {
    let nb = sbx.start_db("nb2", "ovn-nb.ovsschema")?;
    let sb = sbx.start_db("sb2", "ovn-sb.ovsschema")?;
    load(&nb, &sb)?;
    let dir = sbx.dir.clone();
    let path = |f: &str| dir.join(f).display().to_string();
    let mut c = sbx.command("ovn-northd");
    c.arg("--no-chdir")
        .arg(format!("--pidfile={}", path("northd.pid")))
        .arg(format!("--log-file={}", path("northd.log")))
        .arg(format!("--unixctl={}", path("northd.ctl")))
        .arg(format!("--ovnnb-db={nb}"))
        .arg(format!("--ovnsb-db={sb}"));
    let start = Instant::now();
    sbx.spawn_daemon("northd", c)?;
    let sync = |sbx: &Sandbox, label: &str| -> R<Run> {
        let mut c = sbx.command("ovn-nbctl");
        c.arg(format!("--db={nb}"))
            .args(["--timeout=600", "--wait=sb", "sync"]);
        let run = sbx.run_measured(label, c, LONG)?;
        if !run.status.is_some_and(|s| s.success()) {
            return Err(format!(
                "ovn-nbctl --wait=sb sync ({label}) failed: {:?}\n{}",
                run.status, run.stderr
            ));
        }
        Ok(run)
    };
    sync(sbx, "sync-cold")?;
    report.secs(
        "northd_cold_s",
        "ovn-northd cold (start .. --wait=sb sync)",
        start.elapsed(),
    );
    let stopwatch = |sbx: &Sandbox, label: &str| -> String {
        let mut c = sbx.command("ovn-appctl");
        c.arg("-t").arg(path("northd.ctl")).arg("stopwatch/show");
        sbx.run_measured(label, c, SHORT)
            .map(|r| stopwatch_summary(&r.stdout))
            .unwrap_or_else(|e| e)
    };
    report.text("northd_stopwatch_cold", stopwatch(sbx, "stopwatch-cold"));
    long_polls(sbx, "sb2", "northd_sb_server_long_polls", report);
    long_polls(sbx, "northd", "northd_long_polls", report);
    long_polls(sbx, "nb2", "northd_nb_server_long_polls", report);
    let noop = sync(sbx, "sync-noop")?;
    report.secs(
        "northd_noop_s",
        "ovn-northd no-op --wait=sb sync",
        noop.elapsed,
    );
    if let Some(kb) = sbx.server_hwm("northd") {
        report.mb("northd_rss_mb", "ovn-northd peak RSS", kb);
    }
    report.text("northd_stopwatch_all", stopwatch(sbx, "stopwatch-all"));
    let counts = sb_counts(&sb)?;
    report.counts("northd_sb", "ovn-northd SB rows", &counts);
    if let Some(kb) = sbx.server_hwm("sb2") {
        report.mb(
            "northd_sb_server_rss_mb",
            "northd's SB ovsdb-server peak RSS",
            kb,
        );
    }
    Ok((nb, sb))
}

/// Northd's main stopwatches from `stopwatch/show`, as
/// `name n=<samples> max=<ms> min=<ms>`: `ovnnb_db_run` is one full
/// recompute, so its `n` says how many there were.
fn stopwatch_summary(text: &str) -> String {
    const SHOWN: &[&str] = &[
        "ovnnb_db_run",
        "build_lflows",
        "lflows_to_sb",
        "ovnsb_db_run",
    ];
    let mut out = Vec::new();
    let (mut name, mut samples, mut max) = (String::new(), String::new(), String::new());
    for line in text.lines() {
        let l = line.trim();
        if let Some(n) = l.strip_prefix("Statistics for '") {
            name = n.trim_end_matches('\'').to_owned();
        } else if let Some(v) = l.strip_prefix("Total samples:") {
            samples = v.trim().to_owned();
        } else if let Some(v) = l.strip_prefix("Maximum:") {
            max = v.trim().replace(" msec", "ms");
        } else if let Some(v) = l.strip_prefix("Minimum:") {
            if SHOWN.contains(&name.as_str()) {
                let min = v.trim().replace(" msec", "ms");
                out.push(format!("{name} n={samples} max={max} min={min}"));
            }
        }
    }
    out.join("; ")
}

/// ovsdb-server / ovn-northd `Unreasonably long <N>ms poll interval`
/// warnings in `<name>.log` so far: how long the process was busy in one go.
fn long_polls(sbx: &Sandbox, name: &str, key: &str, report: &mut Report) {
    let log = fs::read_to_string(sbx.dir.join(format!("{name}.log"))).unwrap_or_default();
    let polls: Vec<u64> = log
        .lines()
        .filter_map(|l| {
            let rest = l.split("Unreasonably long ").nth(1)?;
            rest.split("ms poll interval").next()?.parse().ok()
        })
        .collect();
    let (max, sum) = (
        polls.iter().max().copied().unwrap_or(0),
        polls.iter().sum::<u64>(),
    );
    Report::line(
        &format!("{name}.log long polls"),
        format_args!("{} (max {max} ms, sum {sum} ms)", polls.len()),
    );
    report.json.insert(
        key.into(),
        json!({"n": polls.len(), "max_ms": max, "sum_ms": sum}),
    );
}

/// Rows per non-empty table of a Southbound (read-only selects).
fn sb_counts(remote: &str) -> R<Vec<(String, usize)>> {
    let (client, _notes) = Client::connect(remote).map_err(|e| format!("{remote}: {e}"))?;
    let schema = client
        .get_schema("OVN_Southbound")
        .map_err(|e| format!("{remote}: {e}"))?;
    let names: Vec<String> = schema.tables.keys().cloned().collect();
    let ops = names
        .iter()
        .map(|t| Operation::select_columns(t.as_str(), vec![], &["_uuid"]))
        .collect();
    let results = client
        .transact("OVN_Southbound", ops)
        .map_err(|e| format!("{remote}: {e}"))?;
    let mut counts = Vec::new();
    for (name, r) in names.into_iter().zip(results) {
        let n = selected_rows(&r).map_err(|e| e.to_string())?.len();
        if n > 0 {
            counts.push((name, n));
        }
    }
    Ok(counts)
}

fn lookup(counts: &[(String, usize)], table: &str) -> usize {
    counts
        .iter()
        .find(|(t, _)| t == table)
        .map_or(0, |(_, n)| *n)
}
