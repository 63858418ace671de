//! Table-by-table comparison of two normalized images.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use super::normalize::Image;

/// Lines shown per side and table before "… and N more"
/// (`NORTHFLOW_REPORT_LINES` sets another number).
pub fn max_lines() -> usize {
    std::env::var("NORTHFLOW_REPORT_LINES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40)
}

/// The differences of one table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableDiff {
    /// `Southbound` / `Northbound`.
    pub db: String,
    pub table: String,
    /// Lines only in the reference (ovn-northd).
    pub missing: Vec<String>,
    /// Lines only in northflow's image.
    pub extra: Vec<String>,
    pub reference_lines: usize,
    pub northflow_lines: usize,
}

/// Everything that differs between two images, plus key-check failures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub tables: Vec<TableDiff>,
    /// `(side, error)`: tunnel-key check failures of either image.
    pub key_errors: Vec<(String, String)>,
}

impl Report {
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty() && self.key_errors.is_empty()
    }

    pub fn append(&mut self, other: Report) {
        self.tables.extend(other.tables);
        self.key_errors.extend(other.key_errors);
    }

    /// The differences of `table` in `db`, if any.
    pub fn table(&self, db: &str, table: &str) -> Option<&TableDiff> {
        self.tables.iter().find(|t| t.db == db && t.table == table)
    }
}

/// Compares `reference` (ovn-northd) with `northflow`, table by table, as
/// multisets of lines. `db` names the database in the report.
pub fn compare(db: &str, reference: &Image, northflow: &Image) -> Report {
    let names: BTreeSet<&String> = reference
        .tables
        .keys()
        .chain(northflow.tables.keys())
        .collect();
    let mut report = Report::default();
    for name in names {
        let r = reference.lines(name);
        let n = northflow.lines(name);
        let missing = multiset_minus(r, n);
        let extra = multiset_minus(n, r);
        if !missing.is_empty() || !extra.is_empty() {
            report.tables.push(TableDiff {
                db: db.to_string(),
                table: name.clone(),
                missing,
                extra,
                reference_lines: r.len(),
                northflow_lines: n.len(),
            });
        }
    }
    for e in &reference.key_errors {
        report
            .key_errors
            .push((format!("{db} reference"), e.clone()));
    }
    for e in &northflow.key_errors {
        report
            .key_errors
            .push((format!("{db} northflow"), e.clone()));
    }
    report
}

/// The lines of `a` not matched by a line of `b` (with multiplicity), in
/// `a`'s order.
fn multiset_minus(a: &[String], b: &[String]) -> Vec<String> {
    let mut avail: HashMap<&str, usize> = HashMap::new();
    for l in b {
        *avail.entry(l.as_str()).or_default() += 1;
    }
    a.iter()
        .filter(|l| match avail.get_mut(l.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .cloned()
        .collect()
}

impl fmt::Display for TableDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}: {} missing, {} extra (reference {} lines, northflow {})",
            self.db,
            self.table,
            self.missing.len(),
            self.extra.len(),
            self.reference_lines,
            self.northflow_lines
        )?;
        if self.northflow_lines == 0 {
            write!(f, " — northflow left this table empty")?;
        } else if self.reference_lines == 0 {
            write!(f, " — ovn-northd leaves this table empty")?;
        }
        writeln!(f)?;
        for (sign, lines, what) in [("-", &self.missing, "missing"), ("+", &self.extra, "extra")] {
            let max = max_lines();
            for l in lines.iter().take(max) {
                writeln!(f, "  {sign} {l}")?;
            }
            if lines.len() > max {
                writeln!(f, "  … and {} more {what}", lines.len() - max)?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return writeln!(f, "no differences");
        }
        for t in &self.tables {
            write!(f, "{t}")?;
        }
        if !self.key_errors.is_empty() {
            writeln!(f, "tunnel-key errors:")?;
            for (side, e) in &self.key_errors {
                writeln!(f, "  [{side}] {e}")?;
            }
        }
        Ok(())
    }
}
