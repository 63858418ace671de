//! `Smap`: a string-to-string map as OVSDB columns hold them (`options`,
//! `external_ids`), kept compact for the IR and bindings that carry one
//! per port: sorted pairs of interned text in one allocation (a `BTreeMap`
//! costs a ~550-byte node even for two entries, and its keys are copies).

use std::collections::BTreeMap;

use northflow_ovsdb::{Atom, Datum};

use crate::intern::Text;
use crate::row::Column;

#[derive(
    Clone,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Smap(Vec<(Text, Text)>);

impl Smap {
    pub fn new() -> Smap {
        Smap(Vec::new())
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.find(key).ok().map(|i| self.0[i].1.as_str())
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// Sets `key` to `value`, replacing what it was.
    pub fn insert(&mut self, key: &str, value: &str) {
        let value = Text::from(value);
        match self.find(key) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (Text::from(key), value)),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&BTreeMap<String, String>> for Smap {
    fn from(map: &BTreeMap<String, String>) -> Smap {
        // Already sorted by key.
        Smap(
            map.iter()
                .map(|(k, v)| (Text::from(k.as_str()), Text::from(v.as_str())))
                .collect(),
        )
    }
}

impl<K: AsRef<str>, V: AsRef<str>> FromIterator<(K, V)> for Smap {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Smap {
        let mut m = Smap::new();
        for (k, v) in iter {
            m.insert(k.as_ref(), v.as_ref());
        }
        m
    }
}

impl Column for Smap {
    fn from_datum(datum: &Datum) -> Result<Self, String> {
        BTreeMap::<String, String>::from_datum(datum).map(|m| Smap::from(&m))
    }

    fn to_datum(&self) -> Datum {
        Datum::Map(
            self.iter()
                .map(|(k, v)| (Atom::String(k.to_owned()), Atom::String(v.to_owned())))
                .collect(),
        )
    }
}

/// Read access shared by `Smap` and the row types' `BTreeMap`s, for the
/// `smap_get_*`-style readers.
pub trait StrMap {
    fn get_str(&self, key: &str) -> Option<&str>;
}

impl StrMap for Smap {
    fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key)
    }
}

impl StrMap for BTreeMap<String, String> {
    fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_compact_map() {
        let mut m: Smap = [("b", "2"), ("a", "1")].into_iter().collect();
        m.insert("b", "3");
        m.insert("c", "4");
        assert_eq!(
            m.iter().collect::<Vec<_>>(),
            [("a", "1"), ("b", "3"), ("c", "4")]
        );
        assert_eq!(m.get("b"), Some("3"));
        assert!(!m.contains_key("z"));
        let back = Smap::from_datum(&m.to_datum()).expect("a map datum");
        assert_eq!(back, m);
    }
}
