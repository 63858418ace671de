//! The one mechanism that plans a Southbound table northflow owns, by
//! natural key: an existing row whose key is still wanted is updated (only
//! the columns that differ) and keeps its UUID; the others are stale; each
//! missing key is inserted. A table says only how to read a row's key and
//! which columns it writes (`Keyed`). Given the wanted rows and the
//! existing rows of any set of keys (a whole snapshot for `--once` and
//! reconnects, the keys a step touched for a daemon), it plans exactly
//! those keys.

use std::collections::BTreeMap;

use northflow_ir::row::Table;
use northflow_ir::Uuid;
use northflow_ovsdb::Row;

use super::{changed, typed, RowRef, Tables, Txn};

/// How one owned table is keyed and written.
pub(super) trait Keyed {
    /// The Southbound row type.
    type Sb: Table;
    type Key: Ord + Clone;
    /// The desired content of one row (from the image).
    type Want;

    /// The existing rows.
    fn existing(&mut self, sb: &Tables) -> Vec<Self::Sb> {
        typed(sb)
    }

    /// The natural key of an existing row; `None` when it cannot be ours.
    fn key(&self, row: &Self::Sb) -> Option<Self::Key>;

    /// Whether an existing row whose key is wanted keeps its identity
    /// (a table with tunnel keys refuses a row whose key is taken).
    fn keep(&mut self, _row: &Self::Sb, _want: &Self::Want) -> bool {
        true
    }

    /// The columns to write: on the existing row `old`, or on a new row
    /// (`None` from a new row: it cannot be inserted yet).
    fn row(&mut self, key: &Self::Key, want: &Self::Want, old: Option<&Self::Sb>) -> Option<Row>;

    /// Runs after the existing rows are planned, before the inserts (and
    /// may still give a stale row a wanted key).
    fn settle(&mut self, _t: &mut Txn, _synced: &mut Synced<Self::Key>) {}

    /// A new row takes this UUID (ovn-northd's "persist UUID" rows).
    fn persist_uuid(_key: &Self::Key) -> Option<Uuid> {
        None
    }
}

/// The planned rows: a reference to each wanted row, and the existing rows
/// that are not wanted (the caller deletes them, when it is safe).
pub(super) struct Synced<K> {
    pub refs: BTreeMap<K, RowRef>,
    pub stale: Vec<Uuid>,
}

pub(super) fn sync<K: Keyed>(
    t: &mut Txn,
    table: &mut K,
    want: &BTreeMap<K::Key, K::Want>,
    sb: &Tables,
) -> Synced<K::Key> {
    let mut synced = Synced {
        refs: BTreeMap::new(),
        stale: Vec::new(),
    };
    for old in table.existing(sb) {
        let key = table.key(&old).filter(|k| !synced.refs.contains_key(k));
        match key.and_then(|k| Some((want.get(&k)?, k))) {
            Some((w, k)) if table.keep(&old, w) => {
                if let Some(row) = table.row(&k, w, Some(&old)) {
                    t.update(K::Sb::TABLE, old.uuid(), changed(&old.to_row(), row));
                }
                synced.refs.insert(k, RowRef::Existing(old.uuid()));
            }
            _ => synced.stale.push(old.uuid()),
        }
    }
    table.settle(t, &mut synced);
    for (k, w) in want {
        if synced.refs.contains_key(k) {
            continue;
        }
        let Some(row) = table.row(k, w, None) else {
            continue;
        };
        let r = match K::persist_uuid(k) {
            Some(uuid) => {
                t.insert_persist(K::Sb::TABLE, uuid, row);
                RowRef::Existing(uuid)
            }
            None => t.insert(K::Sb::TABLE, row),
        };
        synced.refs.insert(k.clone(), r);
    }
    synced
}
