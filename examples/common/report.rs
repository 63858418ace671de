//! The figures: printed one per line as they come and kept for the JSON
//! report; and a process's memory as `/proc` tells it.

use std::fmt::Display;
use std::fs;
use std::path::Path;
use std::time::Duration;

use serde_json::{json, Map, Value};

fn status_kb(path: &Path, key: &str) -> Option<u64> {
    let text = fs::read_to_string(path).ok()?;
    let line = text.lines().find(|l| l.starts_with(key))?;
    line[key.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

pub fn vm_hwm_kb(status: &Path) -> Option<u64> {
    status_kb(status, "VmHWM:")
}

pub fn vm_rss_kb(status: &Path) -> Option<u64> {
    status_kb(status, "VmRSS:")
}

/// The figures: printed one per line as they come, and kept for the JSON.
#[derive(Default)]
pub struct Report {
    pub json: Map<String, Value>,
}

impl Report {
    pub fn line(label: &str, value: impl Display) {
        println!("{label:<48} {value}");
    }
    pub fn text(&mut self, key: &str, text: String) {
        Report::line(key, &text);
        self.json.insert(key.into(), json!(text));
    }
    pub fn secs(&mut self, key: &str, label: &str, d: Duration) {
        Report::line(label, format_args!("{:.3} s", d.as_secs_f64()));
        self.json.insert(key.into(), json!(d.as_secs_f64()));
    }
    pub fn count(&mut self, key: &str, label: &str, n: usize) {
        Report::line(label, n);
        self.json.insert(key.into(), json!(n));
    }
    pub fn mb(&mut self, key: &str, label: &str, kb: u64) {
        Report::line(label, format_args!("{:.1} MB", kb as f64 / 1024.0));
        self.json.insert(key.into(), json!(kb as f64 / 1024.0));
    }
    pub fn counts(&mut self, key: &str, label: &str, counts: &[(String, usize)]) {
        let total: usize = counts.iter().map(|(_, n)| n).sum();
        let text: Vec<String> = counts.iter().map(|(t, n)| format!("{t} {n}")).collect();
        Report::line(label, format_args!("{total} total: {}", text.join(", ")));
        let mut m: Map<String, Value> = counts.iter().map(|(t, n)| (t.clone(), json!(n))).collect();
        m.insert("total".into(), json!(total));
        self.json.insert(key.into(), Value::Object(m));
    }
    pub fn latency(&mut self, key: &str, label: &str, times: &mut [Duration]) {
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let n = times.len();
        let median = ms(times[n / 2]);
        let p95 = ms(times[(n * 95).div_ceil(100).max(1) - 1]);
        let (min, max) = (ms(times[0]), ms(times[n - 1]));
        Report::line(
            label,
            format_args!(
                "median {median:.2} ms, p95 {p95:.2} ms, min {min:.2} ms, max {max:.2} ms (n={n})"
            ),
        );
        self.json.insert(
            key.into(),
            json!({"median_ms": median, "p95_ms": p95, "min_ms": min, "max_ms": max, "n": n}),
        );
    }
}
