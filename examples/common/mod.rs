//! What the benchmark examples share: the report, a sandbox of real
//! servers and daemons, `northflow --once` and `ovn-northd` runs against
//! them, and what an incremental change costs. A directory without
//! `main.rs`, so Cargo does not take it for an example of its own.

pub mod inprocess;
pub mod report;
pub mod sandbox;
pub mod servers;

use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

use serde_json::Value;

use report::{vm_hwm_kb, Report};

pub type R<T> = Result<T, String>;

/// Runs `run` in this process and prints its figures, the process's peak
/// RSS, and last the JSON of them all on one line.
pub fn run_one(name: &str, run: impl FnOnce(&mut Report) -> R<()>) -> ExitCode {
    let mut report = Report::default();
    let result = run(&mut report);
    if let Some(kb) = vm_hwm_kb(Path::new("/proc/self/status")) {
        report.mb("peak_rss_mb", "process peak RSS", kb);
    }
    println!("{}", Value::Object(report.json));
    exit(name, result)
}

pub fn exit(name: &str, result: R<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{name}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs this example again once per `(label, arguments)`, each in a child
/// process (so that each peak RSS is its own), passes its output through,
/// and returns the JSON report each printed last.
pub fn children(runs: &[(String, Vec<String>)]) -> R<Vec<Value>> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut reports = Vec::new();
    for (label, args) in runs {
        let out = Command::new(&exe)
            .args(args)
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("{}: {e}", exe.display()))?;
        let text = String::from_utf8_lossy(&out.stdout);
        print!("{text}");
        if !out.status.success() {
            return Err(format!("{label}: {}", out.status));
        }
        let report = text
            .lines()
            .last()
            .and_then(|l| serde_json::from_str(l).ok())
            .ok_or(format!("{label}: no JSON report"))?;
        reports.push(report);
    }
    Ok(reports)
}
