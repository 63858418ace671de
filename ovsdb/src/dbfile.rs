//! Standalone OVSDB database files (what `ovsdb-tool create` writes and
//! ovsdb-server appends committed transactions to, or `ovsdb-client
//! backup` produces): `OVSDB JSON <length> <sha1>` headers, the schema
//! record, then one record per transaction.

use std::path::Path;

use serde_json::Value;

use crate::replica::{Replica, ReplicaError};
use crate::schema::{DatabaseSchema, SchemaError};

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
    #[error("{path}: schema: {source}")]
    Schema { path: String, source: SchemaError },
    #[error("{path}: record at byte {offset}: {source}")]
    Record {
        path: String,
        offset: usize,
        source: ReplicaError,
    },
}

/// Reads a database file into a replica holding its final contents.
pub fn read(path: &Path) -> Result<Replica, DbFileError> {
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

    let mut replica: Option<Replica> = None;
    let mut pos = 0;
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
        let record: Value = serde_json::from_slice(&data[start..end])
            .map_err(|e| bad(start, &format!("bad JSON: {e}")))?;
        match replica.as_mut() {
            None => {
                let schema =
                    DatabaseSchema::from_json(&record).map_err(|source| DbFileError::Schema {
                        path: p.clone(),
                        source,
                    })?;
                replica = Some(Replica::new(schema));
            }
            Some(r) => r
                .apply_file_record(&record)
                .map_err(|source| DbFileError::Record {
                    path: p.clone(),
                    offset: start,
                    source,
                })?,
        }
        pos = end;
        // Records end with a newline.
        while data.get(pos) == Some(&b'\n') {
            pos += 1;
        }
    }
    replica.ok_or_else(|| bad(0, "empty file: no schema record"))
}
