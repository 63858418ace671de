//! Monitor requests (RFC 7047 §4.1.5, ovsdb-server(7) §4.1.12 and §4.1.15)
//! and the `monitor_cond_since` reply.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::datum::Uuid;
use crate::jsonrpc::ProtocolError;
use crate::transaction::Condition;

/// What to monitor in one table.
#[derive(Debug, Clone, PartialEq)]
pub struct MonitorRequest {
    /// `None`: every column.
    pub columns: Option<Vec<String>>,
    /// Rows matching any of these (all rows if empty). Only `monitor_cond`
    /// and `monitor_cond_since` accept conditions; plain `monitor` rejects
    /// them.
    pub conditions: Vec<Condition>,
    pub select: MonitorSelect,
}

/// Which kinds of change to report; all by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonitorSelect {
    pub initial: bool,
    pub insert: bool,
    pub delete: bool,
    pub modify: bool,
}

impl Default for MonitorSelect {
    fn default() -> Self {
        MonitorSelect {
            initial: true,
            insert: true,
            delete: true,
            modify: true,
        }
    }
}

/// Table name → request.
pub type MonitorRequests = BTreeMap<String, MonitorRequest>;

impl MonitorRequest {
    /// Every column of every row, initial contents and all changes.
    pub fn all() -> MonitorRequest {
        MonitorRequest {
            columns: None,
            conditions: Vec::new(),
            select: MonitorSelect::default(),
        }
    }

    pub fn to_json(&self) -> Value {
        let mut o = Map::new();
        if let Some(c) = &self.columns {
            o.insert("columns".into(), json!(c));
        }
        if !self.conditions.is_empty() {
            o.insert(
                "where".into(),
                self.conditions.iter().map(Condition::to_json).collect(),
            );
        }
        let s = self.select;
        o.insert(
            "select".into(),
            json!({"initial": s.initial, "insert": s.insert, "delete": s.delete, "modify": s.modify}),
        );
        Value::Object(o)
    }
}

/// Encodes `<monitor-requests>`: table → array of one request.
pub(crate) fn requests_to_json(requests: &MonitorRequests) -> Value {
    Value::Object(
        requests
            .iter()
            .map(|(t, r)| (t.clone(), json!([r.to_json()])))
            .collect(),
    )
}

/// The result of `monitor_cond_since`.
#[derive(Debug, Clone, PartialEq)]
pub struct MonitorSinceReply {
    /// The requested transaction was in the server's history, so `updates`
    /// holds only what changed since; otherwise it is the full contents.
    pub found: bool,
    /// The last transaction included; pass it to the next
    /// `monitor_cond_since` to resume. Zero when the server keeps no history
    /// (standalone databases).
    pub last_txn_id: Uuid,
    /// `<table-updates2>`.
    pub updates: Value,
}

impl MonitorSinceReply {
    pub fn from_json(v: Value) -> Result<MonitorSinceReply, ProtocolError> {
        let Value::Array(a) = v else {
            return Err(ProtocolError("monitor_cond_since result is not an array"));
        };
        let Ok::<[Value; 3], _>([found, txn, updates]) = a.try_into() else {
            return Err(ProtocolError(
                "monitor_cond_since result is not a 3-element array",
            ));
        };
        Ok(MonitorSinceReply {
            found: found
                .as_bool()
                .ok_or(ProtocolError("found is not a boolean"))?,
            last_txn_id: txn
                .as_str()
                .and_then(Uuid::parse)
                .ok_or(ProtocolError("last-txn-id is not a UUID"))?,
            updates,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_requests() {
        let mut r = MonitorRequests::new();
        r.insert("A".into(), MonitorRequest::all());
        r.insert(
            "B".into(),
            MonitorRequest {
                columns: Some(vec!["name".into()]),
                conditions: vec![Condition::eq("name", "x")],
                select: MonitorSelect {
                    initial: false,
                    ..Default::default()
                },
            },
        );
        assert_eq!(
            requests_to_json(&r),
            json!({
                "A": [{"select": {"initial": true, "insert": true, "delete": true, "modify": true}}],
                "B": [{"columns": ["name"], "where": [["name", "==", "x"]],
                       "select": {"initial": false, "insert": true, "delete": true, "modify": true}}]
            })
        );
    }

    #[test]
    fn parses_since_reply() {
        let u = "00000000-0000-0000-0000-000000000001";
        let r = MonitorSinceReply::from_json(json!([true, u, {}])).unwrap();
        assert!(r.found);
        assert_eq!(r.last_txn_id, Uuid(1));
        for bad in [
            json!({}),
            json!([true, u]),
            json!([1, u, {}]),
            json!([true, "x", {}]),
        ] {
            assert!(MonitorSinceReply::from_json(bad).is_err());
        }
    }
}
