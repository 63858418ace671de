//! Database schemas (RFC 7047 §3.2), as returned by `get_schema` or stored in
//! an `.ovsschema` file.
//!
//! The replica needs column types to apply `update2` diffs (a set column's
//! diff toggles elements, a scalar column's diff is the new value) and to
//! fill in the default values that `update2` leaves out.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value};

use crate::datum::{Atom, Datum, Real, Uuid};

#[derive(Debug, Clone, PartialEq)]
pub struct DatabaseSchema {
    pub name: String,
    pub version: String,
    pub cksum: Option<String>,
    pub tables: BTreeMap<String, TableSchema>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableSchema {
    /// User columns only; `_uuid` and `_version` are implicit.
    pub columns: BTreeMap<String, ColumnSchema>,
    pub max_rows: Option<u64>,
    pub is_root: bool,
    /// Each index is a set of columns whose values are unique together.
    pub indexes: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ColumnSchema {
    pub type_: ColumnType,
    pub ephemeral: bool,
    pub mutable: bool,
}

/// A column holds between `min` and `max` keys (`max == None`: unlimited),
/// each with a value when `value` is set (a map).
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnType {
    pub key: BaseType,
    pub value: Option<BaseType>,
    pub min: u64,
    pub max: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BaseType {
    pub atomic: AtomicType,
    /// The allowed values, if restricted.
    pub enum_: Option<Vec<Atom>>,
    pub min_integer: Option<i64>,
    pub max_integer: Option<i64>,
    pub min_real: Option<f64>,
    pub max_real: Option<f64>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    /// For `uuid` atoms: the table the reference points into.
    pub ref_table: Option<String>,
    pub ref_type: RefType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AtomicType {
    Integer,
    Real,
    Boolean,
    String,
    Uuid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RefType {
    #[default]
    Strong,
    Weak,
}

#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error("invalid schema at {path}: {what}")]
    Invalid { path: String, what: &'static str },
    #[error("no table {0:?} in schema")]
    UnknownTable(String),
    #[error("reading schema: {0}")]
    Io(#[from] std::io::Error),
    #[error("schema is not JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl DatabaseSchema {
    pub fn from_json(v: &Value) -> Result<DatabaseSchema, SchemaError> {
        let obj = object(v, "schema")?;
        let mut tables = BTreeMap::new();
        for (name, t) in object(member(obj, "tables", "schema")?, "tables")? {
            tables.insert(name.clone(), TableSchema::from_json(t, name)?);
        }
        Ok(DatabaseSchema {
            name: string(member(obj, "name", "schema")?, "name")?,
            // ovsdb-server(7): the version may be omitted.
            version: obj
                .get("version")
                .map(|v| string(v, "version"))
                .transpose()?
                .unwrap_or_default(),
            cksum: obj.get("cksum").map(|v| string(v, "cksum")).transpose()?,
            tables,
        })
    }

    pub fn from_file(path: impl AsRef<Path>) -> Result<DatabaseSchema, SchemaError> {
        let text = std::fs::read(path)?;
        DatabaseSchema::from_json(&serde_json::from_slice(&text)?)
    }

    /// The same schema with only the named tables, for replicating part of
    /// a database.
    pub fn restrict(&self, tables: &[&str]) -> Result<DatabaseSchema, SchemaError> {
        let mut out = DatabaseSchema {
            tables: BTreeMap::new(),
            ..self.clone()
        };
        for &t in tables {
            let ts = self
                .tables
                .get(t)
                .ok_or_else(|| SchemaError::UnknownTable(t.to_owned()))?;
            out.tables.insert(t.to_owned(), ts.clone());
        }
        Ok(out)
    }
}

impl TableSchema {
    fn from_json(v: &Value, path: &str) -> Result<TableSchema, SchemaError> {
        let obj = object(v, path)?;
        let mut columns = BTreeMap::new();
        for (name, c) in object(member(obj, "columns", path)?, path)? {
            let cpath = format!("{path}.{name}");
            let cobj = object(c, &cpath)?;
            columns.insert(
                name.clone(),
                ColumnSchema {
                    type_: ColumnType::from_json(member(cobj, "type", &cpath)?, &cpath)?,
                    ephemeral: opt_bool(cobj, "ephemeral", &cpath)?.unwrap_or(false),
                    mutable: opt_bool(cobj, "mutable", &cpath)?.unwrap_or(true),
                },
            );
        }
        let indexes = match obj.get("indexes") {
            None => Vec::new(),
            Some(Value::Array(ix)) => ix
                .iter()
                .map(|i| match i {
                    Value::Array(cols) => cols.iter().map(|c| string(c, path)).collect(),
                    _ => Err(invalid(path, "index is not an array")),
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(invalid(path, "indexes is not an array")),
        };
        Ok(TableSchema {
            columns,
            max_rows: obj.get("maxRows").map(|v| unsigned(v, path)).transpose()?,
            is_root: opt_bool(obj, "isRoot", path)?.unwrap_or(false),
            indexes,
        })
    }
}

impl ColumnType {
    fn from_json(v: &Value, path: &str) -> Result<ColumnType, SchemaError> {
        let Value::Object(obj) = v else {
            return Ok(ColumnType {
                key: BaseType::from_json(v, path)?,
                value: None,
                min: 1,
                max: Some(1),
            });
        };
        let max = match obj.get("max") {
            None => Some(1),
            Some(Value::String(s)) if s == "unlimited" => None,
            Some(m) => Some(unsigned(m, path)?),
        };
        Ok(ColumnType {
            key: BaseType::from_json(member(obj, "key", path)?, path)?,
            value: obj
                .get("value")
                .map(|v| BaseType::from_json(v, path))
                .transpose()?,
            min: obj
                .get("min")
                .map(|v| unsigned(v, path))
                .transpose()?
                .unwrap_or(1),
            max,
        })
    }

    /// More than one element allowed: `update2` diffs toggle elements rather
    /// than replace the value.
    pub fn is_composite(&self) -> bool {
        self.max != Some(1)
    }

    pub fn is_map(&self) -> bool {
        self.value.is_some()
    }

    /// The value a column has when nothing was written to it (what `update2`
    /// omits): empty if it may be, else the atomic type's zero value.
    pub fn default_datum(&self) -> Datum {
        match (&self.value, self.min) {
            (None, 0) => Datum::Set(Vec::new()),
            (Some(_), 0) => Datum::Map(Vec::new()),
            (None, _) => Datum::Set(vec![self.key.atomic.default_atom()]),
            (Some(v), _) => Datum::Map(vec![(
                self.key.atomic.default_atom(),
                v.atomic.default_atom(),
            )]),
        }
    }
}

impl BaseType {
    fn from_json(v: &Value, path: &str) -> Result<BaseType, SchemaError> {
        let (atomic, obj) = match v {
            Value::String(_) => (AtomicType::from_json(v, path)?, None),
            Value::Object(obj) => (
                AtomicType::from_json(member(obj, "type", path)?, path)?,
                Some(obj),
            ),
            _ => return Err(invalid(path, "base type is neither a string nor an object")),
        };
        let Some(obj) = obj else {
            return Ok(BaseType::plain(atomic));
        };
        let enum_ = match obj.get("enum") {
            None => None,
            Some(e) => Some(
                match Datum::from_json(e).map_err(|_| invalid(path, "bad enum"))? {
                    Datum::Set(atoms) => atoms,
                    Datum::Map(_) => return Err(invalid(path, "enum is a map")),
                },
            ),
        };
        let ref_type = match obj.get("refType").map(|v| v.as_str()) {
            None | Some(Some("strong")) => RefType::Strong,
            Some(Some("weak")) => RefType::Weak,
            Some(_) => return Err(invalid(path, "refType is neither strong nor weak")),
        };
        Ok(BaseType {
            atomic,
            enum_,
            min_integer: obj
                .get("minInteger")
                .map(|v| integer(v, path))
                .transpose()?,
            max_integer: obj
                .get("maxInteger")
                .map(|v| integer(v, path))
                .transpose()?,
            min_real: obj.get("minReal").map(|v| real(v, path)).transpose()?,
            max_real: obj.get("maxReal").map(|v| real(v, path)).transpose()?,
            min_length: obj
                .get("minLength")
                .map(|v| unsigned(v, path))
                .transpose()?,
            max_length: obj
                .get("maxLength")
                .map(|v| unsigned(v, path))
                .transpose()?,
            ref_table: obj.get("refTable").map(|v| string(v, path)).transpose()?,
            ref_type,
        })
    }

    /// An unconstrained base type.
    pub fn plain(atomic: AtomicType) -> BaseType {
        BaseType {
            atomic,
            enum_: None,
            min_integer: None,
            max_integer: None,
            min_real: None,
            max_real: None,
            min_length: None,
            max_length: None,
            ref_table: None,
            ref_type: RefType::Strong,
        }
    }
}

impl AtomicType {
    fn from_json(v: &Value, path: &str) -> Result<AtomicType, SchemaError> {
        Ok(match v.as_str() {
            Some("integer") => AtomicType::Integer,
            Some("real") => AtomicType::Real,
            Some("boolean") => AtomicType::Boolean,
            Some("string") => AtomicType::String,
            Some("uuid") => AtomicType::Uuid,
            _ => return Err(invalid(path, "unknown atomic type")),
        })
    }

    pub fn default_atom(self) -> Atom {
        match self {
            AtomicType::Integer => Atom::Integer(0),
            AtomicType::Real => Atom::Real(Real(0.0)),
            AtomicType::Boolean => Atom::Boolean(false),
            AtomicType::String => Atom::String(String::new()),
            AtomicType::Uuid => Atom::Uuid(Uuid(0)),
        }
    }
}

fn invalid(path: &str, what: &'static str) -> SchemaError {
    SchemaError::Invalid {
        path: path.to_owned(),
        what,
    }
}

fn object<'a>(v: &'a Value, path: &str) -> Result<&'a Map<String, Value>, SchemaError> {
    v.as_object().ok_or_else(|| invalid(path, "not an object"))
}

fn member<'a>(
    obj: &'a Map<String, Value>,
    key: &'static str,
    path: &str,
) -> Result<&'a Value, SchemaError> {
    obj.get(key).ok_or_else(|| invalid(path, key))
}

fn string(v: &Value, path: &str) -> Result<String, SchemaError> {
    v.as_str()
        .map(str::to_owned)
        .ok_or_else(|| invalid(path, "not a string"))
}

fn unsigned(v: &Value, path: &str) -> Result<u64, SchemaError> {
    v.as_u64()
        .ok_or_else(|| invalid(path, "not a non-negative integer"))
}

fn integer(v: &Value, path: &str) -> Result<i64, SchemaError> {
    v.as_i64().ok_or_else(|| invalid(path, "not an integer"))
}

fn real(v: &Value, path: &str) -> Result<f64, SchemaError> {
    v.as_f64().ok_or_else(|| invalid(path, "not a number"))
}

fn opt_bool(obj: &Map<String, Value>, key: &str, path: &str) -> Result<Option<bool>, SchemaError> {
    obj.get(key)
        .map(|v| v.as_bool().ok_or_else(|| invalid(path, "not a boolean")))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_all_type_forms() {
        let s = DatabaseSchema::from_json(&json!({
            "name": "T", "version": "1.2.3", "cksum": "1 2",
            "tables": {
                "A": {
                    "columns": {
                        "s": {"type": "string"},
                        "opt": {"type": {"key": "integer", "min": 0}},
                        "set": {"type": {"key": {"type": "string", "enum": ["set", ["x", "y"]]},
                                          "min": 0, "max": "unlimited"}},
                        "map": {"type": {"key": "string", "value": {"type": "integer",
                                 "minInteger": -1, "maxInteger": 9}, "min": 0, "max": "unlimited"}},
                        "r": {"type": {"key": {"type": "uuid", "refTable": "B", "refType": "weak"},
                                        "min": 0, "max": 3}, "ephemeral": true, "mutable": false},
                        "e": {"type": {"key": {"type": "string", "enum": "only"}}}
                    },
                    "isRoot": true, "maxRows": 1, "indexes": [["s"]]
                },
                "B": {"columns": {"x": {"type": "real"}}}
            }
        }))
        .unwrap();
        assert_eq!(s.version, "1.2.3");
        let a = &s.tables["A"];
        assert!(a.is_root && a.max_rows == Some(1) && a.indexes == vec![vec!["s".to_string()]]);
        let c = |n: &str| &a.columns[n].type_;
        assert_eq!(c("s").default_datum(), Datum::scalar(""));
        assert!(!c("s").is_composite());
        assert_eq!((c("opt").min, c("opt").max), (0, Some(1)));
        assert_eq!(c("opt").default_datum(), Datum::empty());
        assert_eq!(c("set").max, None);
        assert_eq!(
            c("set").key.enum_,
            Some(vec![Atom::from("x"), Atom::from("y")])
        );
        assert!(c("map").is_map() && c("map").is_composite());
        assert_eq!(c("map").value.as_ref().unwrap().max_integer, Some(9));
        assert_eq!(c("map").default_datum(), Datum::Map(vec![]));
        assert_eq!(c("r").key.ref_table.as_deref(), Some("B"));
        assert_eq!(c("r").key.ref_type, RefType::Weak);
        assert!(a.columns["r"].ephemeral && !a.columns["r"].mutable);
        assert_eq!(c("e").key.enum_, Some(vec![Atom::from("only")]));
        assert_eq!(
            s.tables["B"].columns["x"].type_.default_datum(),
            Datum::Set(vec![Atom::Real(Real(0.0))])
        );
        assert_eq!(s.restrict(&["B"]).unwrap().tables.len(), 1);
        assert!(matches!(
            s.restrict(&["C"]),
            Err(SchemaError::UnknownTable(_))
        ));
    }

    #[test]
    fn invalid_schemas() {
        for v in [
            json!([]),
            json!({"tables": {}}),
            json!({"name": "x", "tables": {"A": {}}}),
            json!({"name": "x", "tables": {"A": {"columns": {"c": {"type": "float"}}}}}),
            json!({"name": "x", "tables": {"A": {"columns": {"c": {"type": {"key": "string", "max": -1}}}}}}),
        ] {
            assert!(DatabaseSchema::from_json(&v).is_err(), "{v}");
        }
    }
}
