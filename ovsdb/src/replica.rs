//! A local copy of some tables of a database, kept current by applying the
//! server's monitor updates, and reporting each applied update as row
//! changes (what a compiler wants as input deltas).
//!
//! Rows are stored complete: every column of the schema is present, those
//! the server left out (`update2` omits default values) holding their
//! default. Values are conformed to the column type (an integer sent for a
//! `real` column becomes a real, an empty map and an empty set are told
//! apart), so a replica compares equal to a fresh `select` of the same rows.
//!
//! An update is applied all or nothing: if any part of it is malformed or
//! inconsistent with the replica, the replica is left unchanged.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::datum::{Atom, Datum, DatumError, Real, Row, Uuid};
use crate::jsonrpc::Notification;
use crate::monitor::{MonitorRequest, MonitorRequests, MonitorSinceReply};
use crate::schema::{AtomicType, BaseType, ColumnType, DatabaseSchema, TableSchema};

/// Rows of one table by UUID.
pub type Table = BTreeMap<Uuid, Row>;

/// One row inserted (`old: None`), deleted (`new: None`) or modified.
#[derive(Debug, Clone, PartialEq)]
pub struct RowChange {
    pub table: String,
    pub uuid: Uuid,
    pub old: Option<Row>,
    pub new: Option<Row>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReplicaError {
    #[error("table {0:?} is not replicated")]
    UnknownTable(String),
    #[error("table {table}: no column {column:?}")]
    UnknownColumn { table: String, column: String },
    #[error("{table}.{column}: {value} does not match the column type")]
    TypeMismatch {
        table: String,
        column: String,
        value: String,
    },
    #[error("{table}: cannot {action} row {uuid}, which the replica does not have")]
    MissingRow {
        table: String,
        uuid: Uuid,
        action: &'static str,
    },
    #[error("malformed update: {0}")]
    Malformed(#[from] DatumError),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Replica {
    schema: DatabaseSchema,
    tables: BTreeMap<String, Table>,
    last_txn_id: Option<Uuid>,
}

/// `update` (RFC 7047) or `update2` (ovsdb-server(7)) row-update format.
#[derive(Clone, Copy)]
enum Format {
    V1,
    V2,
}

impl Replica {
    /// An empty replica of every table and column in `schema`; restrict the
    /// schema first ([`DatabaseSchema::restrict`]) to replicate less.
    pub fn new(schema: DatabaseSchema) -> Replica {
        let tables = schema
            .tables
            .keys()
            .map(|t| (t.clone(), Table::new()))
            .collect();
        Replica {
            schema,
            tables,
            last_txn_id: None,
        }
    }

    pub fn schema(&self) -> &DatabaseSchema {
        &self.schema
    }

    /// The rows, giving up the replica (no copy).
    pub fn into_tables(self) -> BTreeMap<String, Table> {
        self.tables
    }

    pub fn tables(&self) -> &BTreeMap<String, Table> {
        &self.tables
    }

    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(name)
    }

    pub fn row(&self, table: &str, uuid: Uuid) -> Option<&Row> {
        self.tables.get(table)?.get(&uuid)
    }

    /// The transaction the replica is current with, if the server reported
    /// one (`update3`, `monitor_cond_since`): resume from it after a
    /// reconnect.
    pub fn last_txn_id(&self) -> Option<Uuid> {
        self.last_txn_id
    }

    /// Requests for monitoring exactly what this replica holds.
    pub fn monitor_requests(&self) -> MonitorRequests {
        self.schema
            .tables
            .iter()
            .map(|(name, t)| {
                let columns = Some(t.columns.keys().cloned().collect());
                (
                    name.clone(),
                    MonitorRequest {
                        columns,
                        ..MonitorRequest::all()
                    },
                )
            })
            .collect()
    }

    /// Applies a `<table-updates>` (the `monitor` reply or an `update`
    /// notification).
    pub fn apply_update(&mut self, updates: &Value) -> Result<Vec<RowChange>, ReplicaError> {
        let changes = self.compute(updates, Format::V1)?;
        self.commit(&changes);
        Ok(changes)
    }

    /// Applies a `<table-updates2>` (an `update2`/`update3` notification, or
    /// the reply of a monitor on an empty replica).
    pub fn apply_update2(&mut self, updates: &Value) -> Result<Vec<RowChange>, ReplicaError> {
        let changes = self.compute(updates, Format::V2)?;
        self.commit(&changes);
        Ok(changes)
    }

    /// Replaces the contents with the full state in a `<table-updates2>` of
    /// `initial` rows (a monitor reply after a reconnect), reporting the
    /// difference. Tables it does not mention become empty.
    pub fn reset_from_update2(&mut self, updates: &Value) -> Result<Vec<RowChange>, ReplicaError> {
        let mut fresh = Replica::new(self.schema.clone());
        fresh.apply_update2(updates)?;
        Ok(self.replace_tables(fresh.tables))
    }

    /// Replaces the contents with the results of `select` operations (each
    /// `{"rows": [...]}`, every row including `_uuid`), reporting the
    /// difference. Tables not listed become empty.
    pub fn reset_from_select(
        &mut self,
        selects: &[(&str, &Value)],
    ) -> Result<Vec<RowChange>, ReplicaError> {
        let fresh = self.tables_from_select(selects)?;
        Ok(self.replace_tables(fresh))
    }

    /// Loads the replica from the results of one `select` per table, without
    /// computing what changed (a first load, where everything did).
    pub fn load_from_select(&mut self, selects: &[(&str, &Value)]) -> Result<(), ReplicaError> {
        self.tables = self.tables_from_select(selects)?;
        Ok(())
    }

    fn tables_from_select(
        &self,
        selects: &[(&str, &Value)],
    ) -> Result<BTreeMap<String, Table>, ReplicaError> {
        let mut fresh: BTreeMap<String, Table> = self
            .schema
            .tables
            .keys()
            .map(|t| (t.clone(), Table::new()))
            .collect();
        for &(name, result) in selects {
            let ts = self.table_schema(name)?;
            let rows = result
                .get("rows")
                .and_then(Value::as_array)
                .ok_or_else(|| DatumError::new("select result without rows", result))?;
            let table = fresh.entry(name.to_owned()).or_default();
            for r in rows {
                let obj = r
                    .as_object()
                    .ok_or_else(|| DatumError::new("row is not an object", r))?;
                let uuid = obj
                    .get("_uuid")
                    .and_then(|u| Atom::from_json(u).ok()?.as_uuid())
                    .ok_or_else(|| DatumError::new("row without _uuid", r))?;
                table.insert(uuid, complete(name, ts, obj)?);
            }
        }
        Ok(fresh)
    }

    /// Applies the reply of `monitor_cond_since`: incremental if the server
    /// found our transaction in its history, else the full state.
    pub fn apply_since_reply(
        &mut self,
        reply: &MonitorSinceReply,
    ) -> Result<Vec<RowChange>, ReplicaError> {
        let changes = if reply.found {
            self.apply_update2(&reply.updates)?
        } else {
            self.reset_from_update2(&reply.updates)?
        };
        self.last_txn_id = Some(reply.last_txn_id);
        Ok(changes)
    }

    /// Applies an `update`, `update2` or `update3` notification for the
    /// monitor `monitor_id`; `Ok(None)` for any other notification.
    pub fn apply_notification(
        &mut self,
        monitor_id: &Value,
        n: &Notification,
    ) -> Result<Option<Vec<RowChange>>, ReplicaError> {
        let (format, updates, txn) = match (n.method.as_str(), n.params.as_slice()) {
            ("update", [id, u]) if id == monitor_id => (Format::V1, u, None),
            ("update2", [id, u]) if id == monitor_id => (Format::V2, u, None),
            ("update3", [id, txn, u]) if id == monitor_id => {
                let txn = txn
                    .as_str()
                    .and_then(Uuid::parse)
                    .ok_or_else(|| DatumError::new("bad last-txn-id", txn))?;
                (Format::V2, u, Some(txn))
            }
            _ => return Ok(None),
        };
        let changes = self.compute(updates, format)?;
        self.commit(&changes);
        if txn.is_some() {
            self.last_txn_id = txn;
        }
        Ok(Some(changes))
    }

    /// Applies one transaction record of a standalone database file: a
    /// `null` row is deleted, a new row inserted, and an existing row
    /// updated — by whole values, or, when the record says `_is_diff`, by
    /// `update2`-style diffs for set and map columns.
    pub fn apply_file_record(&mut self, record: &Value) -> Result<(), ReplicaError> {
        let record = object(record, "record is not an object")?;
        let is_diff = record
            .get("_is_diff")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        for (table, rows) in record {
            if table.starts_with('_') {
                continue;
            }
            let ts = self.table_schema(table)?.clone();
            for (uuid_s, row) in object(rows, "table changes are not an object")? {
                let uuid =
                    Uuid::parse(uuid_s).ok_or_else(|| DatumError::new("bad row UUID", rows))?;
                let t = self.tables.entry(table.clone()).or_default();
                if row.is_null() {
                    t.remove(&uuid);
                    continue;
                }
                let given = object(row, "row is not an object")?;
                match t.get_mut(&uuid) {
                    None => {
                        let new = complete(table, &ts, given)?;
                        t.insert(uuid, new);
                    }
                    Some(cur) => {
                        for (col, v) in given {
                            let (ty, value) = column_value(table, &ts, col, v)?;
                            let slot = cur.entry(col.clone()).or_insert_with(|| ty.default_datum());
                            *slot = if is_diff {
                                apply_diff(slot, value, ty)
                            } else {
                                value
                            };
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn table_schema(&self, name: &str) -> Result<&TableSchema, ReplicaError> {
        self.schema
            .tables
            .get(name)
            .ok_or_else(|| ReplicaError::UnknownTable(name.to_owned()))
    }

    /// The changes `updates` makes, without making them.
    fn compute(&self, updates: &Value, format: Format) -> Result<Vec<RowChange>, ReplicaError> {
        let mut changes = Vec::new();
        for (name, table_update) in object(updates, "table-updates is not an object")? {
            let ts = self.table_schema(name)?;
            let current = self.tables.get(name);
            for (uuid, row_update) in object(table_update, "table-update is not an object")? {
                let uuid = Uuid::parse(uuid)
                    .ok_or_else(|| DatumError::new("bad row UUID", &Value::from(&**uuid)))?;
                let old = current.and_then(|t| t.get(&uuid));
                let new = match format {
                    Format::V1 => row_update1(name, ts, uuid, old, row_update)?,
                    Format::V2 => row_update2(name, ts, uuid, old, row_update)?,
                };
                changes.push(RowChange {
                    table: name.clone(),
                    uuid,
                    old: old.cloned(),
                    new,
                });
            }
        }
        Ok(changes)
    }

    fn commit(&mut self, changes: &[RowChange]) {
        for c in changes {
            let table = self.tables.entry(c.table.clone()).or_default();
            match &c.new {
                Some(row) => table.insert(c.uuid, row.clone()),
                None => table.remove(&c.uuid),
            };
        }
    }

    fn replace_tables(&mut self, fresh: BTreeMap<String, Table>) -> Vec<RowChange> {
        let mut changes = Vec::new();
        let empty = Table::new();
        for (name, new_rows) in &fresh {
            let old_rows = self.tables.get(name).unwrap_or(&empty);
            for (uuid, old) in old_rows {
                if !new_rows.contains_key(uuid) {
                    changes.push(RowChange {
                        table: name.clone(),
                        uuid: *uuid,
                        old: Some(old.clone()),
                        new: None,
                    });
                }
            }
            for (uuid, new) in new_rows {
                let old = old_rows.get(uuid);
                if old != Some(new) {
                    let new = Some(new.clone());
                    changes.push(RowChange {
                        table: name.clone(),
                        uuid: *uuid,
                        old: old.cloned(),
                        new,
                    });
                }
            }
        }
        self.tables = fresh;
        changes
    }
}

fn object<'a>(v: &'a Value, what: &'static str) -> Result<&'a Map<String, Value>, DatumError> {
    v.as_object().ok_or_else(|| DatumError::new(what, v))
}

fn missing(table: &str, uuid: Uuid, action: &'static str) -> ReplicaError {
    ReplicaError::MissingRow {
        table: table.to_owned(),
        uuid,
        action,
    }
}

/// The new row for an RFC 7047 `<row-update>` (`old`/`new` members).
fn row_update1(
    table: &str,
    ts: &TableSchema,
    uuid: Uuid,
    old: Option<&Row>,
    update: &Value,
) -> Result<Option<Row>, ReplicaError> {
    let update = object(update, "row-update is not an object")?;
    match (old, update.get("new")) {
        (None, None | Some(Value::Null)) => Err(missing(table, uuid, "delete")),
        (Some(_), None | Some(Value::Null)) => Ok(None),
        (None, Some(new)) => Ok(Some(complete(
            table,
            ts,
            object(new, "row is not an object")?,
        )?)),
        // `new` holds every monitored column, but merging keeps any the
        // server chose to leave out.
        (Some(old), Some(new)) => {
            let mut row = old.clone();
            for (col, v) in object(new, "row is not an object")? {
                row.insert(col.clone(), column_value(table, ts, col, v)?.1);
            }
            Ok(Some(row))
        }
    }
}

/// The new row for an ovsdb-server(7) `<row-update2>`.
fn row_update2(
    table: &str,
    ts: &TableSchema,
    uuid: Uuid,
    old: Option<&Row>,
    update: &Value,
) -> Result<Option<Row>, ReplicaError> {
    let update = object(update, "row-update2 is not an object")?;
    let mut members = update.iter();
    let (Some((kind, row)), None) = (members.next(), members.next()) else {
        return Err(DatumError::new(
            "row-update2 must have exactly one member",
            &Value::Object(update.clone()),
        )
        .into());
    };
    match kind.as_str() {
        "initial" | "insert" => Ok(Some(complete(
            table,
            ts,
            object(row, "row is not an object")?,
        )?)),
        "delete" => old
            .map(|_| None)
            .ok_or_else(|| missing(table, uuid, "delete")),
        "modify" => {
            let mut new = old.ok_or_else(|| missing(table, uuid, "modify"))?.clone();
            for (col, diff) in object(row, "row is not an object")? {
                let (ty, diff) = column_value(table, ts, col, diff)?;
                let cur = new.entry(col.clone()).or_insert_with(|| ty.default_datum());
                *cur = apply_diff(cur, diff, ty);
            }
            Ok(Some(new))
        }
        _ => Err(
            DatumError::new("unknown row-update2 member", &Value::Object(update.clone())).into(),
        ),
    }
}

/// A full row from the columns given, defaults for the rest.
fn complete(
    table: &str,
    ts: &TableSchema,
    given: &Map<String, Value>,
) -> Result<Row, ReplicaError> {
    let mut row = Row::new();
    for (col, v) in given {
        if col != "_uuid" && col != "_version" {
            row.insert(col.clone(), column_value(table, ts, col, v)?.1);
        }
    }
    for (c, s) in &ts.columns {
        if !row.contains_key(c) {
            row.insert(c.clone(), s.type_.default_datum());
        }
    }
    Ok(row)
}

/// Decodes and conforms one column's JSON value.
fn column_value<'a>(
    table: &str,
    ts: &'a TableSchema,
    column: &str,
    v: &Value,
) -> Result<(&'a ColumnType, Datum), ReplicaError> {
    let ty = &ts
        .columns
        .get(column)
        .ok_or_else(|| ReplicaError::UnknownColumn {
            table: table.to_owned(),
            column: column.to_owned(),
        })?
        .type_;
    let datum = conform(Datum::from_json(v)?, ty).ok_or_else(|| ReplicaError::TypeMismatch {
        table: table.to_owned(),
        column: column.to_owned(),
        value: v.to_string(),
    })?;
    Ok((ty, datum))
}

/// The datum as the column type has it, or `None` if it does not fit.
/// Schema-free decoding cannot tell an empty map from an empty set, nor a
/// whole-number real from an integer.
fn conform(d: Datum, ty: &ColumnType) -> Option<Datum> {
    match (d, &ty.value) {
        (Datum::Set(atoms), None) => Some(Datum::set(
            atoms
                .into_iter()
                .map(|a| conform_atom(a, &ty.key))
                .collect::<Option<Vec<_>>>()?,
        )),
        (Datum::Map(pairs), Some(vt)) => Some(Datum::map(
            pairs
                .into_iter()
                .map(|(k, v)| Some((conform_atom(k, &ty.key)?, conform_atom(v, vt)?)))
                .collect::<Option<Vec<_>>>()?,
        )),
        (Datum::Set(atoms), Some(_)) if atoms.is_empty() => Some(Datum::Map(Vec::new())),
        (Datum::Map(pairs), None) if pairs.is_empty() => Some(Datum::Set(Vec::new())),
        _ => None,
    }
}

fn conform_atom(a: Atom, base: &BaseType) -> Option<Atom> {
    match (a, base.atomic) {
        (Atom::Integer(i), AtomicType::Real) => Some(Atom::Real(Real(i as f64))),
        (a @ Atom::Integer(_), AtomicType::Integer)
        | (a @ Atom::Real(_), AtomicType::Real)
        | (a @ Atom::Boolean(_), AtomicType::Boolean)
        | (a @ Atom::String(_), AtomicType::String)
        | (a @ Atom::Uuid(_), AtomicType::Uuid) => Some(a),
        _ => None,
    }
}

/// Applies an `update2` diff: the new value for a column holding at most one
/// element; for sets, elements to toggle; for maps, pairs to add, to remove
/// (the same pair) or to replace (same key, new value).
fn apply_diff(cur: &Datum, diff: Datum, ty: &ColumnType) -> Datum {
    if !ty.is_composite() {
        return diff;
    }
    if ty.is_map() {
        let mut m: BTreeMap<Atom, Atom> = cur.pairs().iter().cloned().collect();
        for (k, v) in diff.pairs() {
            if m.get(k) == Some(v) {
                m.remove(k);
            } else {
                m.insert(k.clone(), v.clone());
            }
        }
        Datum::Map(m.into_iter().collect())
    } else {
        let mut s: BTreeSet<Atom> = cur.atoms().iter().cloned().collect();
        for a in diff.atoms() {
            if !s.remove(a) {
                s.insert(a.clone());
            }
        }
        Datum::Set(s.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> DatabaseSchema {
        DatabaseSchema::from_json(&json!({
            "name": "T", "version": "1.0.0",
            "tables": {"A": {"columns": {
                "name": {"type": "string"},
                "n": {"type": {"key": "integer", "min": 0, "max": 1}},
                "x": {"type": "real"},
                "tags": {"type": {"key": "string", "min": 0, "max": "unlimited"}},
                "opts": {"type": {"key": "string", "value": "string", "min": 0, "max": "unlimited"}}
            }}}
        }))
        .unwrap()
    }

    const U0: &str = "00000000-0000-0000-0000-000000000000";
    const U1: &str = "00000000-0000-0000-0000-000000000001";
    const U2: &str = "00000000-0000-0000-0000-000000000002";

    fn row(r: &Replica, u: &str) -> Value {
        crate::datum::row_to_json(r.row("A", Uuid::parse(u).unwrap()).unwrap())
    }

    #[test]
    fn update2_lifecycle() {
        let mut r = Replica::new(schema());
        let c = r
            .apply_update2(
                &json!({"A": {U1: {"initial": {"name": "a", "tags": ["set", ["t1", "t2"]],
                "opts": ["map", [["k1", "v1"], ["k2", "v2"]]]}}}}),
            )
            .unwrap();
        assert_eq!(c.len(), 1);
        assert!(c[0].old.is_none());
        // Defaults filled in, empty map kept a map, 0 for the real is a real.
        assert_eq!(
            row(&r, U1),
            json!({"name": "a", "n": ["set", []], "x": 0.0, "tags": ["set", ["t1", "t2"]],
                   "opts": ["map", [["k1", "v1"], ["k2", "v2"]]]})
        );
        let c = r
            .apply_update2(&json!({"A": {U1: {"modify": {
                "name": "b", "n": 5, "x": 2,
                "tags": ["set", ["t1", "t3"]],
                "opts": ["map", [["k1", "v1"], ["k2", "v9"], ["k3", "v3"]]]}}}}))
            .unwrap();
        assert_eq!(c[0].old.as_ref().unwrap()["name"], Datum::scalar("a"));
        assert_eq!(
            row(&r, U1),
            json!({"name": "b", "n": 5, "x": 2.0, "tags": ["set", ["t2", "t3"]],
                   "opts": ["map", [["k2", "v9"], ["k3", "v3"]]]})
        );
        // An optional column's diff is its new value, even when empty.
        r.apply_update2(&json!({"A": {U1: {"modify": {"n": ["set", []]}}}}))
            .unwrap();
        assert_eq!(row(&r, U1)["n"], json!(["set", []]));
        let c = r
            .apply_update2(&json!({"A": {U1: {"delete": null}}}))
            .unwrap();
        assert!(c[0].new.is_none() && c[0].old.is_some());
        assert!(r.table("A").unwrap().is_empty());
    }

    #[test]
    fn update1_lifecycle() {
        let mut r = Replica::new(schema());
        r.apply_update(&json!({"A": {U1: {"new": {"name": "a", "tags": "t"}}}}))
            .unwrap();
        assert_eq!(row(&r, U1)["tags"], json!("t"));
        r.apply_update(
            &json!({"A": {U1: {"old": {"name": "a"}, "new": {"name": "b", "tags": ["set", []]}}}}),
        )
        .unwrap();
        assert_eq!(row(&r, U1)["name"], json!("b"));
        assert_eq!(row(&r, U1)["tags"], json!(["set", []]));
        r.apply_update(&json!({"A": {U1: {"old": {"name": "b"}}}}))
            .unwrap();
        assert!(r.row("A", Uuid(1)).is_none());
    }

    #[test]
    fn errors_leave_replica_unchanged() {
        let mut r = Replica::new(schema());
        r.apply_update2(&json!({"A": {U1: {"insert": {"name": "a"}}}}))
            .unwrap();
        let before = r.clone();
        // Each update starts with a valid row update (U0 sorts first): the
        // bad one after it must undo nothing because nothing was applied.
        let ok = json!({"insert": {"name": "ok"}});
        let bad = [
            json!({"A": {U0: ok}, "B": {}}),
            json!({"A": {U0: ok, U1: {"modify": {"nope": 1}}}}),
            json!({"A": {U0: ok, U1: {"modify": {"name": 1}}}}),
            json!({"A": {U0: ok, U1: {"modify": {"opts": ["set", ["x"]]}}}}),
            json!({"A": {U0: ok, U1: {"modify": {"tags": ["map", [["x", "y"]]]}}}}),
            json!({"A": {U0: ok, U2: {"modify": {"name": "x"}}}}),
            json!({"A": {U0: ok, U2: {"delete": null}}}),
            json!({"A": {U0: ok, "not-a-uuid": {"delete": null}}}),
            json!({"A": {U0: ok, U1: {"insert": {}, "delete": null}}}),
            json!({"A": {U0: ok, U1: {"frob": {}}}}),
            json!({"A": {U0: ok, U1: []}}),
            json!({"A": []}),
            json!([]),
        ];
        for u in bad {
            assert!(r.apply_update2(&u).is_err(), "{u}");
            assert_eq!(r, before, "{u}");
        }
    }

    #[test]
    fn notifications_and_resets() {
        let mut r = Replica::new(schema());
        let id = json!("m");
        let n = |method: &str, params: Vec<Value>| Notification {
            method: method.into(),
            params,
        };
        let ins = json!({"A": {U1: {"insert": {"name": "a"}}}});
        assert!(r
            .apply_notification(&id, &n("update2", vec![json!("other"), ins.clone()]))
            .unwrap()
            .is_none());
        assert!(r
            .apply_notification(&id, &n("locked", vec![json!("l")]))
            .unwrap()
            .is_none());
        let c = r
            .apply_notification(&id, &n("update3", vec![id.clone(), json!(U2), ins]))
            .unwrap()
            .unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(r.last_txn_id(), Some(Uuid(2)));
        // A full state without U1 but with U2: U1 deleted, U2 inserted.
        let c = r
            .reset_from_update2(&json!({"A": {U2: {"initial": {"name": "z"}}}}))
            .unwrap();
        assert_eq!(c.len(), 2);
        assert!(r.row("A", Uuid(1)).is_none() && r.row("A", Uuid(2)).is_some());
        let sel = json!({"rows": [{"_uuid": ["uuid", U2], "_version": ["uuid", U1], "name": "z",
            "n": ["set", []], "x": 0, "tags": ["set", []], "opts": ["map", []]}]});
        // The same contents from a select: no change.
        assert_eq!(r.reset_from_select(&[("A", &sel)]).unwrap(), vec![]);
        let reply = MonitorSinceReply {
            found: false,
            last_txn_id: Uuid(9),
            updates: json!({}),
        };
        assert_eq!(r.apply_since_reply(&reply).unwrap().len(), 1);
        assert_eq!(r.last_txn_id(), Some(Uuid(9)));
        assert!(r.table("A").unwrap().is_empty());
    }

    #[test]
    fn monitor_requests_cover_all_columns() {
        let r = Replica::new(schema());
        let req = r.monitor_requests();
        assert_eq!(req["A"].columns.as_ref().unwrap().len(), 5);
    }
}
