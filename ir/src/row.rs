//! Typed rows: the [`Table`] trait that the generated Northbound ([`crate::nb`])
//! and Southbound ([`crate::sb`]) row structs implement, and the conversions
//! between OVSDB [`Datum`]s and the Rust field types they use.
//!
//! Field types follow the column type: a column with exactly one atom is a
//! plain `String` / `i64` / `bool` / [`Uuid`]; an optional one (`min 0,
//! max 1`) an `Option`; a set a sorted `Vec`; a map a `BTreeMap`.
//!
//! Decoding is lenient about *absence* and strict about *shape*: a column
//! missing from the [`Row`] takes its default (empty) value, and columns the
//! struct does not know are ignored; a value of the wrong type, a map where a
//! set is expected, or a scalar with the wrong number of atoms is a
//! [`RowError`].

use std::collections::BTreeMap;

use northflow_ovsdb::{Atom, Datum, Row, Uuid};

/// One table's typed row.
pub trait Table: Sized {
    /// The table name, as in the schema.
    const TABLE: &'static str;
    /// The table's columns in schema order (without `_uuid` / `_version`).
    const COLUMNS: &'static [&'static str];

    /// The row's `_uuid`.
    fn uuid(&self) -> Uuid;
    /// Decodes a row; missing columns take their default value.
    fn from_row(uuid: Uuid, row: &Row) -> Result<Self, RowError>;
    /// Encodes every column (empty ones included).
    fn to_row(&self) -> Row;
}

/// A column value that does not fit its column's type.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{table} row {uuid}: column {column:?}: {message}")]
pub struct RowError {
    pub table: &'static str,
    pub uuid: Uuid,
    pub column: String,
    pub message: String,
}

/// A type that is one OVSDB atom: `String`, `i64`, `bool` or [`Uuid`].
pub trait AtomValue: Sized + Ord + Clone {
    /// The OVSDB atomic type name, for error messages.
    const KIND: &'static str;
    fn from_atom(atom: &Atom) -> Option<Self>;
    fn to_atom(&self) -> Atom;
}

impl AtomValue for String {
    const KIND: &'static str = "string";
    fn from_atom(atom: &Atom) -> Option<Self> {
        atom.as_str().map(str::to_owned)
    }
    fn to_atom(&self) -> Atom {
        Atom::String(self.clone())
    }
}

impl AtomValue for crate::intern::Text {
    const KIND: &'static str = "string";
    fn from_atom(atom: &Atom) -> Option<Self> {
        atom.as_str().map(Self::from)
    }
    fn to_atom(&self) -> Atom {
        Atom::String(self.as_str().to_owned())
    }
}

impl AtomValue for i64 {
    const KIND: &'static str = "integer";
    fn from_atom(atom: &Atom) -> Option<Self> {
        atom.as_i64()
    }
    fn to_atom(&self) -> Atom {
        Atom::Integer(*self)
    }
}

impl AtomValue for bool {
    const KIND: &'static str = "boolean";
    fn from_atom(atom: &Atom) -> Option<Self> {
        atom.as_bool()
    }
    fn to_atom(&self) -> Atom {
        Atom::Boolean(*self)
    }
}

impl AtomValue for Uuid {
    const KIND: &'static str = "uuid";
    fn from_atom(atom: &Atom) -> Option<Self> {
        atom.as_uuid()
    }
    fn to_atom(&self) -> Atom {
        Atom::Uuid(*self)
    }
}

/// A Rust type that holds one whole column value.
pub trait Column: Sized + Default {
    /// Decodes a datum; the error is the message part of a [`RowError`].
    fn from_datum(datum: &Datum) -> Result<Self, String>;
    fn to_datum(&self) -> Datum;
}

fn atom<T: AtomValue>(a: &Atom) -> Result<T, String> {
    T::from_atom(a).ok_or_else(|| format!("expected {}, got {}", T::KIND, a.to_json()))
}

/// The atoms of a datum that must be a set (an empty map counts as an empty
/// set: on the wire both are "no value").
fn set_atoms(datum: &Datum) -> Result<&[Atom], String> {
    match datum {
        Datum::Set(atoms) => Ok(atoms),
        Datum::Map(pairs) if pairs.is_empty() => Ok(&[]),
        Datum::Map(_) => Err(format!("expected a set, got a map: {}", datum.to_json())),
    }
}

macro_rules! scalar_column {
    ($($t:ty),*) => {$(
        impl Column for $t {
            fn from_datum(datum: &Datum) -> Result<Self, String> {
                match set_atoms(datum)? {
                    [a] => atom(a),
                    atoms => Err(format!(
                        "expected exactly one {}, got {} values",
                        <$t as AtomValue>::KIND,
                        atoms.len()
                    )),
                }
            }
            fn to_datum(&self) -> Datum {
                Datum::Set(vec![self.to_atom()])
            }
        }
    )*};
}

scalar_column!(String, crate::intern::Text, i64, bool, Uuid);

impl<T: AtomValue> Column for Option<T> {
    fn from_datum(datum: &Datum) -> Result<Self, String> {
        match set_atoms(datum)? {
            [] => Ok(None),
            [a] => atom(a).map(Some),
            atoms => Err(format!(
                "expected at most one {}, got {} values",
                T::KIND,
                atoms.len()
            )),
        }
    }
    fn to_datum(&self) -> Datum {
        Datum::Set(self.iter().map(T::to_atom).collect())
    }
}

impl<T: AtomValue> Column for Vec<T> {
    fn from_datum(datum: &Datum) -> Result<Self, String> {
        let mut v = set_atoms(datum)?
            .iter()
            .map(atom)
            .collect::<Result<Vec<T>, _>>()?;
        // A `Datum` is sorted by atom, which is the order of `T` too; sorting
        // again keeps the invariant for hand-built datums.
        v.sort();
        v.dedup();
        Ok(v)
    }
    fn to_datum(&self) -> Datum {
        Datum::set(self.iter().map(T::to_atom))
    }
}

impl<K: AtomValue, V: AtomValue> Column for BTreeMap<K, V> {
    fn from_datum(datum: &Datum) -> Result<Self, String> {
        match datum {
            Datum::Map(pairs) => pairs
                .iter()
                .map(|(k, v)| Ok((atom(k)?, atom(v)?)))
                .collect(),
            Datum::Set(atoms) if atoms.is_empty() => Ok(BTreeMap::new()),
            Datum::Set(_) => Err(format!("expected a map, got {}", datum.to_json())),
        }
    }
    fn to_datum(&self) -> Datum {
        Datum::Map(
            self.iter()
                .map(|(k, v)| (k.to_atom(), v.to_atom()))
                .collect(),
        )
    }
}

/// Reads the columns of one row, naming the table, row and column in errors.
/// Used by the generated `from_row`s.
pub struct RowReader<'a> {
    table: &'static str,
    uuid: Uuid,
    row: &'a Row,
}

impl<'a> RowReader<'a> {
    pub fn new(table: &'static str, uuid: Uuid, row: &'a Row) -> Self {
        RowReader { table, uuid, row }
    }

    /// The value of `column`, or its default if the row does not have it.
    pub fn get<T: Column>(&self, column: &str) -> Result<T, RowError> {
        match self.row.get(column) {
            None => Ok(T::default()),
            Some(datum) => T::from_datum(datum).map_err(|message| RowError {
                table: self.table,
                uuid: self.uuid,
                column: column.to_owned(),
                message,
            }),
        }
    }
}

/// Sets `column` of `row` to `value`. Used by the generated `to_row`s.
pub fn put<T: Column>(row: &mut Row, column: &str, value: &T) {
    row.insert(column.to_owned(), value.to_datum());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_and_options() {
        assert_eq!(String::from_datum(&Datum::scalar("a")), Ok("a".to_owned()));
        assert_eq!(i64::from_datum(&Datum::scalar(5)), Ok(5));
        assert_eq!(
            i64::from_datum(&Datum::scalar("x")),
            Err(r#"expected integer, got "x""#.to_owned())
        );
        assert!(bool::from_datum(&Datum::empty()).is_err());
        assert_eq!(Option::<bool>::from_datum(&Datum::empty()), Ok(None));
        assert_eq!(Option::<bool>::from_datum(&Datum::map([])), Ok(None));
        assert_eq!(
            Option::<bool>::from_datum(&Datum::scalar(true)),
            Ok(Some(true))
        );
        assert!(Option::<i64>::from_datum(&Datum::set([1.into(), 2.into()])).is_err());
        assert_eq!(Some(3i64).to_datum(), Datum::scalar(3));
        assert_eq!(None::<i64>.to_datum(), Datum::empty());
    }

    #[test]
    fn sets_and_maps() {
        let d = Datum::set(["b".into(), "a".into()]);
        assert_eq!(
            Vec::<String>::from_datum(&d),
            Ok(vec!["a".into(), "b".into()])
        );
        assert_eq!(vec!["b".to_owned(), "a".to_owned()].to_datum(), d);
        assert!(Vec::<String>::from_datum(&Datum::map([("k".into(), "v".into())])).is_err());

        let m = Datum::map([("k".into(), 1.into())]);
        let parsed = BTreeMap::<String, i64>::from_datum(&m).unwrap();
        assert_eq!(parsed, BTreeMap::from([("k".to_owned(), 1)]));
        assert_eq!(parsed.to_datum(), m);
        assert_eq!(
            BTreeMap::<String, i64>::from_datum(&Datum::empty()),
            Ok(BTreeMap::new())
        );
        assert!(BTreeMap::<String, i64>::from_datum(&Datum::scalar("k")).is_err());
        assert!(BTreeMap::<String, String>::from_datum(&m).is_err());
    }

    #[test]
    fn reader_names_the_column() {
        let uuid = Uuid(0x1234);
        let row = Row::from([("tag".to_owned(), Datum::scalar("x"))]);
        let r = RowReader::new("Logical_Switch_Port", uuid, &row);
        assert_eq!(r.get::<Option<i64>>("missing"), Ok(None));
        let err = r.get::<Option<i64>>("tag").unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(r#"Logical_Switch_Port row {uuid}: column "tag": expected integer, got "x""#)
        );
    }
}
