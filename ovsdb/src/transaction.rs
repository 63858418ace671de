//! Typed `transact` operations (RFC 7047 §5.2) and the conditions and
//! mutations they use (§5.1), so callers build transactions without writing
//! JSON by hand.

use serde_json::{json, Map, Value};

use crate::datum::{row_to_json, Atom, Datum, Row, Uuid};

/// `<column> <function> <value>`, e.g. `name == "sw0"`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub column: String,
    pub function: Function,
    pub value: Datum,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    Lt,
    Le,
    Eq,
    Ne,
    Ge,
    Gt,
    Includes,
    Excludes,
}

impl Function {
    fn as_str(self) -> &'static str {
        match self {
            Function::Lt => "<",
            Function::Le => "<=",
            Function::Eq => "==",
            Function::Ne => "!=",
            Function::Ge => ">=",
            Function::Gt => ">",
            Function::Includes => "includes",
            Function::Excludes => "excludes",
        }
    }
}

impl Condition {
    pub fn new(
        column: impl Into<String>,
        function: Function,
        value: impl Into<Datum>,
    ) -> Condition {
        Condition {
            column: column.into(),
            function,
            value: value.into(),
        }
    }

    /// `column == value`.
    pub fn eq(column: impl Into<String>, value: impl Into<Datum>) -> Condition {
        Condition::new(column, Function::Eq, value)
    }

    /// Selects the row with this UUID.
    pub fn uuid(uuid: Uuid) -> Condition {
        Condition::eq("_uuid", uuid)
    }

    pub fn to_json(&self) -> Value {
        json!([self.column, self.function.as_str(), self.value.to_json()])
    }
}

/// `<column> <mutator> <value>`, e.g. `ports insert ["set", [...]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Mutation {
    pub column: String,
    pub mutator: Mutator,
    pub value: Datum,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutator {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    /// Adds set elements or map pairs (existing map keys keep their value).
    Insert,
    /// Removes set elements, map pairs, or (given a set) map keys.
    Delete,
}

impl Mutator {
    fn as_str(self) -> &'static str {
        match self {
            Mutator::Add => "+=",
            Mutator::Sub => "-=",
            Mutator::Mul => "*=",
            Mutator::Div => "/=",
            Mutator::Mod => "%=",
            Mutator::Insert => "insert",
            Mutator::Delete => "delete",
        }
    }
}

impl Mutation {
    pub fn new(column: impl Into<String>, mutator: Mutator, value: impl Into<Datum>) -> Mutation {
        Mutation {
            column: column.into(),
            mutator,
            value: value.into(),
        }
    }

    pub fn to_json(&self) -> Value {
        json!([self.column, self.mutator.as_str(), self.value.to_json()])
    }
}

/// What a `wait` operation waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitUntil {
    /// The selected rows equal the given rows.
    Equal,
    /// The selected rows differ from the given rows.
    NotEqual,
}

/// One operation of a `transact` request.
#[derive(Debug, Clone, PartialEq)]
pub enum Operation {
    /// `uuid_name` lets later operations refer to the new row as
    /// `Atom::NamedUuid`; `uuid` (an ovsdb-server 2.13 extension) chooses
    /// the row's UUID.
    Insert {
        table: String,
        row: Row,
        uuid_name: Option<String>,
        uuid: Option<Uuid>,
    },
    Update {
        table: String,
        conditions: Vec<Condition>,
        row: Row,
    },
    Mutate {
        table: String,
        conditions: Vec<Condition>,
        mutations: Vec<Mutation>,
    },
    Delete {
        table: String,
        conditions: Vec<Condition>,
    },
    /// `columns: None` selects every column, including `_uuid` and `_version`.
    Select {
        table: String,
        conditions: Vec<Condition>,
        columns: Option<Vec<String>>,
    },
    Wait {
        table: String,
        conditions: Vec<Condition>,
        columns: Vec<String>,
        until: WaitUntil,
        rows: Vec<Row>,
        timeout_ms: Option<u64>,
    },
    Commit {
        durable: bool,
    },
    Abort,
    Comment(String),
    /// Fails the transaction unless this session holds the lock.
    Assert {
        lock: String,
    },
}

impl Operation {
    pub fn insert(table: impl Into<String>, row: Row) -> Operation {
        Operation::Insert {
            table: table.into(),
            row,
            uuid_name: None,
            uuid: None,
        }
    }

    /// An insert that later operations can reference as
    /// `Atom::NamedUuid(uuid_name)`.
    pub fn insert_named(
        table: impl Into<String>,
        uuid_name: impl Into<String>,
        row: Row,
    ) -> Operation {
        Operation::Insert {
            table: table.into(),
            row,
            uuid_name: Some(uuid_name.into()),
            uuid: None,
        }
    }

    pub fn update(table: impl Into<String>, conditions: Vec<Condition>, row: Row) -> Operation {
        Operation::Update {
            table: table.into(),
            conditions,
            row,
        }
    }

    pub fn mutate(
        table: impl Into<String>,
        conditions: Vec<Condition>,
        mutations: Vec<Mutation>,
    ) -> Operation {
        Operation::Mutate {
            table: table.into(),
            conditions,
            mutations,
        }
    }

    pub fn delete(table: impl Into<String>, conditions: Vec<Condition>) -> Operation {
        Operation::Delete {
            table: table.into(),
            conditions,
        }
    }

    pub fn select(table: impl Into<String>, conditions: Vec<Condition>) -> Operation {
        Operation::Select {
            table: table.into(),
            conditions,
            columns: None,
        }
    }

    pub fn select_columns(
        table: impl Into<String>,
        conditions: Vec<Condition>,
        columns: &[&str],
    ) -> Operation {
        let columns = Some(columns.iter().map(|&c| c.to_owned()).collect());
        Operation::Select {
            table: table.into(),
            conditions,
            columns,
        }
    }

    pub fn comment(text: impl Into<String>) -> Operation {
        Operation::Comment(text.into())
    }

    pub fn to_json(&self) -> Value {
        let mut o = Map::new();
        let op = |o: &mut Map<String, Value>, name: &str, table: &str| {
            o.insert("op".into(), json!(name));
            o.insert("table".into(), json!(table));
        };
        let conds = |c: &[Condition]| Value::Array(c.iter().map(Condition::to_json).collect());
        match self {
            Operation::Insert {
                table,
                row,
                uuid_name,
                uuid,
            } => {
                op(&mut o, "insert", table);
                o.insert("row".into(), row_to_json(row));
                if let Some(n) = uuid_name {
                    o.insert("uuid-name".into(), json!(n));
                }
                if let Some(u) = uuid {
                    o.insert("uuid".into(), json!(u.to_string()));
                }
            }
            Operation::Update {
                table,
                conditions,
                row,
            } => {
                op(&mut o, "update", table);
                o.insert("where".into(), conds(conditions));
                o.insert("row".into(), row_to_json(row));
            }
            Operation::Mutate {
                table,
                conditions,
                mutations,
            } => {
                op(&mut o, "mutate", table);
                o.insert("where".into(), conds(conditions));
                o.insert(
                    "mutations".into(),
                    mutations.iter().map(Mutation::to_json).collect(),
                );
            }
            Operation::Delete { table, conditions } => {
                op(&mut o, "delete", table);
                o.insert("where".into(), conds(conditions));
            }
            Operation::Select {
                table,
                conditions,
                columns,
            } => {
                op(&mut o, "select", table);
                o.insert("where".into(), conds(conditions));
                if let Some(c) = columns {
                    o.insert("columns".into(), json!(c));
                }
            }
            Operation::Wait {
                table,
                conditions,
                columns,
                until,
                rows,
                timeout_ms,
            } => {
                op(&mut o, "wait", table);
                o.insert("where".into(), conds(conditions));
                o.insert("columns".into(), json!(columns));
                let until = match until {
                    WaitUntil::Equal => "==",
                    WaitUntil::NotEqual => "!=",
                };
                o.insert("until".into(), json!(until));
                o.insert("rows".into(), rows.iter().map(row_to_json).collect());
                if let Some(t) = timeout_ms {
                    o.insert("timeout".into(), json!(t));
                }
            }
            Operation::Commit { durable } => {
                o.insert("op".into(), json!("commit"));
                o.insert("durable".into(), json!(durable));
            }
            Operation::Abort => {
                o.insert("op".into(), json!("abort"));
            }
            Operation::Comment(text) => {
                o.insert("op".into(), json!("comment"));
                o.insert("comment".into(), json!(text));
            }
            Operation::Assert { lock } => {
                o.insert("op".into(), json!("assert"));
                o.insert("lock".into(), json!(lock));
            }
        }
        Value::Object(o)
    }
}

/// The UUID in an `insert` operation's result (`{"uuid": ["uuid", ...]}`).
pub fn inserted_uuid(result: &Value) -> Option<Uuid> {
    Atom::from_json(result.get("uuid")?).ok()?.as_uuid()
}

/// The rows in a `select` operation's result (`{"rows": [...]}`).
pub fn selected_rows(result: &Value) -> Result<Vec<Row>, crate::DatumError> {
    let rows = result
        .get("rows")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    rows.iter().map(crate::datum::row_from_json).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(pairs: &[(&str, Datum)]) -> Row {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn encodes_every_operation() {
        let u = Uuid(0x0102);
        let cases = [
            (
                Operation::insert_named("T", "n", row(&[("a", Datum::scalar(1))])),
                json!({"op": "insert", "table": "T", "row": {"a": 1}, "uuid-name": "n"}),
            ),
            (
                Operation::Insert {
                    table: "T".into(),
                    row: Row::new(),
                    uuid_name: None,
                    uuid: Some(u),
                },
                json!({"op": "insert", "table": "T", "row": {}, "uuid": u.to_string()}),
            ),
            (
                Operation::update("T", vec![Condition::uuid(u)], row(&[("b", Datum::empty())])),
                json!({"op": "update", "table": "T", "where": [["_uuid", "==", ["uuid", u.to_string()]]],
                       "row": {"b": ["set", []]}}),
            ),
            (
                Operation::mutate(
                    "T",
                    vec![Condition::new("n", Function::Ge, 3)],
                    vec![
                        Mutation::new("s", Mutator::Insert, Datum::set(["x".into(), "y".into()])),
                        Mutation::new("m", Mutator::Delete, Datum::map([("k".into(), "v".into())])),
                        Mutation::new("i", Mutator::Add, 1),
                    ],
                ),
                json!({"op": "mutate", "table": "T", "where": [["n", ">=", 3]], "mutations": [
                    ["s", "insert", ["set", ["x", "y"]]], ["m", "delete", ["map", [["k", "v"]]]], ["i", "+=", 1]]}),
            ),
            (
                Operation::delete("T", vec![]),
                json!({"op": "delete", "table": "T", "where": []}),
            ),
            (
                Operation::select_columns("T", vec![Condition::eq("a", "x")], &["a", "_uuid"]),
                json!({"op": "select", "table": "T", "where": [["a", "==", "x"]], "columns": ["a", "_uuid"]}),
            ),
            (
                Operation::Wait {
                    table: "T".into(),
                    conditions: vec![],
                    columns: vec!["a".into()],
                    until: WaitUntil::NotEqual,
                    rows: vec![row(&[("a", Datum::scalar(true))])],
                    timeout_ms: Some(0),
                },
                json!({"op": "wait", "table": "T", "where": [], "columns": ["a"], "until": "!=",
                       "rows": [{"a": true}], "timeout": 0}),
            ),
            (
                Operation::Commit { durable: false },
                json!({"op": "commit", "durable": false}),
            ),
            (Operation::Abort, json!({"op": "abort"})),
            (
                Operation::comment("hi"),
                json!({"op": "comment", "comment": "hi"}),
            ),
            (
                Operation::Assert { lock: "l".into() },
                json!({"op": "assert", "lock": "l"}),
            ),
        ];
        for (op, want) in cases {
            assert_eq!(op.to_json(), want);
        }
    }

    #[test]
    fn result_helpers() {
        let u = Uuid(7);
        assert_eq!(
            inserted_uuid(&json!({"uuid": ["uuid", u.to_string()]})),
            Some(u)
        );
        assert_eq!(inserted_uuid(&json!({})), None);
        let rows = selected_rows(&json!({"rows": [{"a": 1}, {}]})).unwrap();
        assert_eq!(rows, vec![row(&[("a", Datum::scalar(1))]), Row::new()]);
        assert!(selected_rows(&json!({"rows": [1]})).is_err());
    }
}
