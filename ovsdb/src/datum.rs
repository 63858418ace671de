//! The OVSDB data model (RFC 7047 §5.1): atoms, datums and rows, with their
//! JSON encoding.
//!
//! Decoding is schema-free: a lone atom is a one-element set and the `"set"` /
//! `"map"` tags say the rest. Sets and maps are kept sorted and de-duplicated
//! so that two equal datums compare equal whatever order the server sent.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

use serde_json::{json, Value};

/// An OVSDB UUID. Stored as its 128-bit value so it is `Copy` and cheap to
/// order and hash (and to move through dataflow exchanges, hence serde).
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub struct Uuid(pub u128);

impl Uuid {
    /// Parses the canonical `8-4-4-4-12` hex form.
    pub fn parse(s: &str) -> Option<Uuid> {
        let b = s.as_bytes();
        if b.len() != 36 {
            return None;
        }
        let mut v: u128 = 0;
        for (i, &c) in b.iter().enumerate() {
            if matches!(i, 8 | 13 | 18 | 23) {
                if c != b'-' {
                    return None;
                }
                continue;
            }
            let d = (c as char).to_digit(16)?;
            v = (v << 4) | d as u128;
        }
        Some(Uuid(v))
    }
}

impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = format!("{:032x}", self.0);
        write!(
            f,
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }
}

impl fmt::Debug for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A real number with a total order, so that atoms can live in sorted sets.
#[derive(Clone, Copy, Debug)]
pub struct Real(pub f64);

impl PartialEq for Real {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Real {}
impl PartialOrd for Real {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Real {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}
impl std::hash::Hash for Real {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.to_bits().hash(state)
    }
}

/// One OVSDB atom.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Atom {
    Integer(i64),
    Real(Real),
    Boolean(bool),
    String(String),
    Uuid(Uuid),
    /// A `named-uuid` reference to a row inserted earlier in the same
    /// transaction. Only valid inside `transact` requests.
    NamedUuid(String),
}

impl Atom {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Atom::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Atom::Integer(i) => Some(*i),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Atom::Boolean(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_uuid(&self) -> Option<Uuid> {
        match self {
            Atom::Uuid(u) => Some(*u),
            _ => None,
        }
    }

    pub fn to_json(&self) -> Value {
        match self {
            Atom::Integer(i) => json!(i),
            Atom::Real(r) => json!(r.0),
            Atom::Boolean(b) => json!(b),
            Atom::String(s) => json!(s),
            Atom::Uuid(u) => json!(["uuid", u.to_string()]),
            Atom::NamedUuid(n) => json!(["named-uuid", n]),
        }
    }

    pub fn from_json(v: &Value) -> Result<Atom, DatumError> {
        match v {
            Value::Bool(b) => Ok(Atom::Boolean(*b)),
            Value::String(s) => Ok(Atom::String(s.clone())),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Ok(Atom::Integer(i))
                } else if let Some(f) = n.as_f64() {
                    Ok(Atom::Real(Real(f)))
                } else {
                    Err(DatumError::new("number out of range", v))
                }
            }
            Value::Array(a) if a.len() == 2 => match (&a[0], &a[1]) {
                (Value::String(tag), Value::String(s)) if tag == "uuid" => Uuid::parse(s)
                    .map(Atom::Uuid)
                    .ok_or_else(|| DatumError::new("malformed uuid", v)),
                (Value::String(tag), Value::String(s)) if tag == "named-uuid" => {
                    Ok(Atom::NamedUuid(s.clone()))
                }
                _ => Err(DatumError::new("not an atom", v)),
            },
            _ => Err(DatumError::new("not an atom", v)),
        }
    }
}

impl From<&str> for Atom {
    fn from(s: &str) -> Atom {
        Atom::String(s.to_owned())
    }
}
impl From<String> for Atom {
    fn from(s: String) -> Atom {
        Atom::String(s)
    }
}
impl From<i64> for Atom {
    fn from(i: i64) -> Atom {
        Atom::Integer(i)
    }
}
impl From<bool> for Atom {
    fn from(b: bool) -> Atom {
        Atom::Boolean(b)
    }
}
impl From<Uuid> for Atom {
    fn from(u: Uuid) -> Atom {
        Atom::Uuid(u)
    }
}

/// A column value: a set of atoms (a scalar is a one-element set, an optional
/// an empty or one-element set) or a map. Both are sorted by key and
/// de-duplicated.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Datum {
    Set(Vec<Atom>),
    Map(Vec<(Atom, Atom)>),
}

impl Default for Datum {
    fn default() -> Self {
        Datum::Set(Vec::new())
    }
}

impl Datum {
    pub fn empty() -> Datum {
        Datum::Set(Vec::new())
    }
    pub fn scalar(a: impl Into<Atom>) -> Datum {
        Datum::Set(vec![a.into()])
    }
    /// Builds a set, sorting and de-duplicating.
    pub fn set(atoms: impl IntoIterator<Item = Atom>) -> Datum {
        let mut v: Vec<Atom> = atoms.into_iter().collect();
        v.sort();
        v.dedup();
        Datum::Set(v)
    }
    /// Builds a map, sorting by key; the last value given for a key wins.
    pub fn map(pairs: impl IntoIterator<Item = (Atom, Atom)>) -> Datum {
        let m: BTreeMap<Atom, Atom> = pairs.into_iter().collect();
        Datum::Map(m.into_iter().collect())
    }

    /// The atoms of a set (empty for a map).
    pub fn atoms(&self) -> &[Atom] {
        match self {
            Datum::Set(v) => v,
            Datum::Map(_) => &[],
        }
    }
    /// The pairs of a map (empty for a set, which also covers the empty map).
    pub fn pairs(&self) -> &[(Atom, Atom)] {
        match self {
            Datum::Map(v) => v,
            Datum::Set(_) => &[],
        }
    }
    pub fn is_empty(&self) -> bool {
        match self {
            Datum::Set(v) => v.is_empty(),
            Datum::Map(v) => v.is_empty(),
        }
    }

    pub fn to_json(&self) -> Value {
        match self {
            Datum::Set(v) if v.len() == 1 => v[0].to_json(),
            Datum::Set(v) => json!(["set", v.iter().map(Atom::to_json).collect::<Vec<_>>()]),
            Datum::Map(v) => json!([
                "map",
                v.iter()
                    .map(|(k, v)| json!([k.to_json(), v.to_json()]))
                    .collect::<Vec<_>>()
            ]),
        }
    }

    pub fn from_json(v: &Value) -> Result<Datum, DatumError> {
        if let Value::Array(a) = v {
            if a.len() == 2 {
                if let (Value::String(tag), Value::Array(elems)) = (&a[0], &a[1]) {
                    if tag == "set" {
                        let atoms = elems
                            .iter()
                            .map(Atom::from_json)
                            .collect::<Result<Vec<_>, _>>()?;
                        return Ok(Datum::set(atoms));
                    }
                    if tag == "map" {
                        let mut pairs = Vec::with_capacity(elems.len());
                        for e in elems {
                            match e {
                                Value::Array(kv) if kv.len() == 2 => {
                                    pairs.push((Atom::from_json(&kv[0])?, Atom::from_json(&kv[1])?))
                                }
                                _ => return Err(DatumError::new("malformed map pair", e)),
                            }
                        }
                        return Ok(Datum::map(pairs));
                    }
                }
            }
        }
        Ok(Datum::Set(vec![Atom::from_json(v)?]))
    }
}

/// Scalars convert to one-element sets, so builders such as
/// `Condition::eq("name", "sw0")` take plain values.
impl From<Atom> for Datum {
    fn from(a: Atom) -> Datum {
        Datum::Set(vec![a])
    }
}
impl From<&str> for Datum {
    fn from(s: &str) -> Datum {
        Datum::scalar(s)
    }
}
impl From<String> for Datum {
    fn from(s: String) -> Datum {
        Datum::scalar(s)
    }
}
impl From<i64> for Datum {
    fn from(i: i64) -> Datum {
        Datum::scalar(i)
    }
}
impl From<bool> for Datum {
    fn from(b: bool) -> Datum {
        Datum::scalar(b)
    }
}
impl From<Uuid> for Datum {
    fn from(u: Uuid) -> Datum {
        Datum::scalar(u)
    }
}

/// A row: column name → value. Columns absent from the map have their
/// default (empty) value.
pub type Row = BTreeMap<String, Datum>;

/// Decodes a JSON `<row>` object.
pub fn row_from_json(v: &Value) -> Result<Row, DatumError> {
    let obj = v
        .as_object()
        .ok_or_else(|| DatumError::new("row is not an object", v))?;
    obj.iter()
        .map(|(k, v)| Ok((k.clone(), Datum::from_json(v)?)))
        .collect()
}

/// Encodes a row as a JSON `<row>` object.
pub fn row_to_json(row: &Row) -> Value {
    Value::Object(row.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
}

/// A JSON value that is not a valid OVSDB atom or datum.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{what}: {json}")]
pub struct DatumError {
    pub what: &'static str,
    pub json: String,
}

impl DatumError {
    pub(crate) fn new(what: &'static str, v: &Value) -> DatumError {
        let mut json = v.to_string();
        if json.len() > 200 {
            let mut end = 200;
            while !json.is_char_boundary(end) {
                end -= 1;
            }
            json.truncate(end);
            json.push('…');
        }
        DatumError { what, json }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_round_trip() {
        let s = "465352c8-9225-47de-a3ca-167233c06b5a";
        assert_eq!(Uuid::parse(s).unwrap().to_string(), s);
        assert!(Uuid::parse("465352c8x9225-47de-a3ca-167233c06b5a").is_none());
        assert!(Uuid::parse("465352c8-9225-47de-a3ca-167233c06b5").is_none());
    }

    #[test]
    fn datum_json_round_trip() {
        for text in [
            r#""a""#,
            r#"["set",[]]"#,
            r#"["set",[1,2]]"#,
            r#"["map",[["k","v"]]]"#,
            r#"["uuid","465352c8-9225-47de-a3ca-167233c06b5a"]"#,
            r#"["map",[]]"#,
        ] {
            let v: Value = serde_json::from_str(text).unwrap();
            let d = Datum::from_json(&v).unwrap();
            let back = d.to_json();
            // An empty map encodes as an empty set: both mean "no value".
            if text == r#"["map",[]]"# {
                assert!(d.is_empty());
            } else {
                assert_eq!(back, v, "{text}");
            }
        }
    }

    #[test]
    fn sets_are_canonical() {
        let a = Datum::from_json(&serde_json::json!(["set", ["b", "a", "b"]])).unwrap();
        assert_eq!(a, Datum::set(["a".into(), "b".into()]));
    }

    #[test]
    fn bad_json_is_an_error() {
        for text in [
            r#"{"a":1}"#,
            r#"["set",[[1,2,3]]]"#,
            r#"["uuid","zz"]"#,
            "null",
        ] {
            let v: Value = serde_json::from_str(text).unwrap();
            assert!(Datum::from_json(&v).is_err(), "{text}");
        }
    }
}
