//! Reading a standalone OVSDB database file (what `ovsdb-tool create` and
//! later transactions, or `ovsdb-client backup`, leave on disk) without a
//! server: the schema record, then one record per committed transaction.

use std::collections::BTreeMap;
use std::path::Path;

use northflow_ovsdb::{row_from_json, Row, Uuid};

use crate::sync::Tables;

#[derive(Debug, thiserror::Error)]
pub enum DbFileError {
    #[error("reading {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: record at byte {offset}: {what}")]
    Malformed {
        path: String,
        offset: usize,
        what: String,
    },
}

/// The final contents of every table in the database file.
pub fn read(path: &Path) -> Result<Tables, DbFileError> {
    let p = path.display().to_string();
    let data = std::fs::read(path).map_err(|source| DbFileError::Io {
        path: p.clone(),
        source,
    })?;
    let bad = |offset: usize, what: &str| DbFileError::Malformed {
        path: p.clone(),
        offset,
        what: what.to_owned(),
    };

    let mut tables: Tables = BTreeMap::new();
    let mut pos = 0;
    let mut first = true;
    while pos < data.len() {
        let nl = data[pos..]
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| bad(pos, "header without newline"))?;
        let header = std::str::from_utf8(&data[pos..pos + nl])
            .map_err(|_| bad(pos, "header is not UTF-8"))?;
        let mut words = header.split(' ');
        if words.next() != Some("OVSDB") || words.next() != Some("JSON") {
            return Err(bad(
                pos,
                "not a standalone OVSDB database record (clustered databases are not read)",
            ));
        }
        let len: usize = words
            .next()
            .and_then(|l| l.parse().ok())
            .ok_or_else(|| bad(pos, "bad record length"))?;
        let start = pos + nl + 1;
        let end = start
            .checked_add(len)
            .filter(|&e| e <= data.len())
            .ok_or_else(|| bad(pos, "truncated record"))?;
        let record: serde_json::Value = serde_json::from_slice(&data[start..end])
            .map_err(|e| bad(pos, &format!("bad JSON: {e}")))?;
        pos = end;
        if std::mem::take(&mut first) {
            continue; // the schema
        }
        let Some(obj) = record.as_object() else {
            return Err(bad(start, "record is not an object"));
        };
        for (table, rows) in obj {
            if table.starts_with('_') {
                continue;
            }
            let Some(rows) = rows.as_object() else {
                return Err(bad(start, "table changes are not an object"));
            };
            let t = tables.entry(table.clone()).or_default();
            for (uuid, row) in rows {
                let uuid = Uuid::parse(uuid).ok_or_else(|| bad(start, "bad row UUID"))?;
                if row.is_null() {
                    t.remove(&uuid);
                    continue;
                }
                // A record carries only the columns that changed.
                let changes: Row = row_from_json(row).map_err(|e| bad(start, &e.to_string()))?;
                t.entry(uuid).or_default().extend(changes);
            }
        }
    }
    Ok(tables)
}
