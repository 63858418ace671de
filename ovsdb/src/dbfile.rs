//! Standalone OVSDB database files (what `ovsdb-tool create` writes and
//! ovsdb-server appends committed transactions to, or `ovsdb-client
//! backup` produces): `OVSDB JSON <length> <sha1>` headers, the schema
//! record, then one record per transaction.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::datum::{row_to_json, Row, Uuid};

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
        let sha1 = words
            .next()
            .ok_or_else(|| bad(pos, "no record checksum"))?
            .to_ascii_lowercase();
        let start = pos + nl + 1;
        let end = start
            .checked_add(len)
            .filter(|&e| e <= data.len())
            .ok_or_else(|| bad(pos, "truncated record"))?;
        // The SHA-1 of the record, as ovsdb-tool checks it.
        if sha1_smol::Sha1::from(&data[start..end])
            .digest()
            .to_string()
            != sha1
        {
            return Err(bad(pos, "checksum mismatch (the record is corrupt)"));
        }
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

/// One record: its header (length and SHA-1 of the JSON text with its
/// closing newline, as OVS writes them) and the text.
fn record(json: &str) -> String {
    let text = format!("{json}\n");
    let sha1 = sha1_smol::Sha1::from(text.as_bytes()).digest();
    format!("OVSDB JSON {} {sha1}\n{text}", text.len())
}

/// Writes a standalone database file: the schema record, then one
/// transaction that inserts `tables` (table → row UUID → row; rows keep
/// their UUIDs), as `ovsdb-tool create` and one commit would.
pub fn write(
    path: &Path,
    schema: &Value,
    tables: &BTreeMap<String, BTreeMap<Uuid, Row>>,
) -> std::io::Result<()> {
    let txn: serde_json::Map<String, Value> = tables
        .iter()
        .map(|(table, rows)| {
            let rows = rows
                .iter()
                .map(|(uuid, row)| (uuid.to_string(), row_to_json(row)))
                .collect();
            (table.clone(), Value::Object(rows))
        })
        .collect();
    let text = record(&schema.to_string()) + &record(&Value::Object(txn).to_string());
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> std::path::PathBuf {
        let path = std::env::temp_dir().join(format!("nf-dbfile-{}-{name}", std::process::id()));
        std::fs::write(&path, text).unwrap();
        path
    }

    const SCHEMA: &str =
        r#"{"name":"T","version":"1.0.0","tables":{"A":{"columns":{"n":{"type":"integer"}}}}}"#;
    const TXN: &str = r#"{"A":{"00000000-0000-0000-0000-000000000001":{"n":7}}}"#;

    #[test]
    fn written_files_read_back() {
        let path = file("write", "");
        let uuid = Uuid::parse("00000000-0000-0000-0000-000000000001").unwrap();
        let row: Row = [("n".to_owned(), crate::Datum::from(crate::Atom::Integer(7)))].into();
        let tables = BTreeMap::from([("A".to_owned(), BTreeMap::from([(uuid, row.clone())]))]);
        write(&path, &serde_json::from_str(SCHEMA).unwrap(), &tables).unwrap();
        let replica = read(&path).unwrap();
        assert_eq!(replica.table("A").and_then(|t| t.get(&uuid)), Some(&row));
    }

    #[test]
    fn reads_records_with_their_checksums() {
        let path = file("ok", &(record(SCHEMA) + &record(TXN)));
        let replica = read(&path).unwrap();
        assert_eq!(replica.schema().name, "T");
        assert_eq!(replica.tables().get("A").map(|t| t.len()), Some(1));
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn a_corrupt_record_is_refused() {
        // Same length, one digit changed: only the checksum can tell.
        let text = record(SCHEMA) + &record(TXN).replace("\"n\":7", "\"n\":8");
        let path = file("corrupt", &text);
        let err = read(&path).unwrap_err().to_string();
        assert!(err.contains("checksum mismatch"), "{err}");
        std::fs::remove_file(path).unwrap();
    }
}
