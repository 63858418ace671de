//! Hash-consed values: text (`Text`) and whole logical flows
//! (`lflow::Flow`) are stored once per process, whoever builds them, so a
//! flow that every switch carries is one allocation, and comparing two
//! interned values for equality is a pointer comparison.
//!
//! The identity of an interned value is its pointer: 8 bytes in the
//! dataflow, shared by every worker thread (the pools are behind a lock).
//! Ordering stays by content, so images and transactions come out in the
//! same order on every run.
//!
//! **Freeing.** A pool holds one reference to each value; when a value is
//! retracted everywhere else, only the pool's reference is left.
//! `Pool::collect` drops those; `Pool::maybe_collect` does it once the pool
//! has doubled since the last collection, so the cost is amortised O(1) per
//! value interned. The compiler calls it after every step.

use std::borrow::Borrow;
use std::collections::HashSet;
use std::fmt;
use std::hash::{Hash, Hasher};

use foldhash::fast::FixedState;
use std::ops::Deref;
use std::sync::{Arc, Mutex, MutexGuard};

/// A set of hash-consed values of one type.
pub struct Pool<T: ?Sized> {
    inner: Mutex<PoolInner<T>>,
}

struct PoolInner<T: ?Sized> {
    /// Hashed by content with a fast non-cryptographic hash (the pools
    /// are on every flow's path; their input is not adversarial).
    set: HashSet<Arc<T>, FixedState>,
    /// The size after the last collection.
    collected_at: usize,
}

/// Pools smaller than this are never collected.
const MIN_COLLECT: usize = 4096;

impl<T: ?Sized + Eq + Hash> Pool<T> {
    fn lock(&self) -> MutexGuard<'_, PoolInner<T>> {
        // A panic while holding the lock leaves the set consistent (every
        // operation is a single insert, lookup or retain).
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Drops the values nothing outside the pool refers to.
    pub fn collect(&self) {
        let mut p = self.lock();
        // Only the pool hands out new references, under this lock: a count
        // of 1 cannot grow while we look.
        p.set.retain(|a| Arc::strong_count(a) > 1);
        p.set.shrink_to_fit();
        p.collected_at = p.set.len();
    }

    /// Collects when the pool has doubled since the last collection.
    pub fn maybe_collect(&self) {
        let due = {
            let p = self.lock();
            p.set.len() > MIN_COLLECT.max(2 * p.collected_at)
        };
        if due {
            self.collect();
        }
    }

    /// How many distinct values are pooled.
    pub fn len(&self) -> usize {
        self.lock().set.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<T: ?Sized> Default for Pool<T> {
    fn default() -> Self {
        Pool::new()
    }
}

impl<T: ?Sized> Pool<T> {
    pub const fn new() -> Pool<T> {
        Pool {
            inner: Mutex::new(PoolInner {
                set: HashSet::with_hasher(FixedState::with_seed(0)),
                collected_at: 0,
            }),
        }
    }
}

/// A type whose values are hash-consed in one process-wide pool.
pub trait Internable: Eq + Hash + Ord + 'static {
    fn pool() -> &'static Pool<Self>;
}

/// A hash-consed value: equality and hashing by identity, order by content.
pub struct Interned<T: ?Sized + Internable>(Arc<T>);

impl<T: Internable> Interned<T> {
    pub fn new(value: T) -> Interned<T> {
        let mut p = T::pool().lock();
        if let Some(a) = p.set.get(&value) {
            return Interned(a.clone());
        }
        let a = Arc::new(value);
        p.set.insert(a.clone());
        Interned(a)
    }
}

impl<T: ?Sized + Internable> Interned<T> {
    pub fn as_ptr(&self) -> *const T {
        Arc::as_ptr(&self.0)
    }
}

impl<T: ?Sized + Internable> Clone for Interned<T> {
    fn clone(&self) -> Self {
        Interned(self.0.clone())
    }
}

impl<T: ?Sized + Internable> Deref for Interned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: ?Sized + Internable> PartialEq for Interned<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T: ?Sized + Internable> Eq for Interned<T> {}

impl<T: ?Sized + Internable> Hash for Interned<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::ptr::hash(Arc::as_ptr(&self.0) as *const u8, state)
    }
}

impl<T: ?Sized + Internable> PartialOrd for Interned<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<T: ?Sized + Internable> Ord for Interned<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        if Arc::ptr_eq(&self.0, &other.0) {
            std::cmp::Ordering::Equal
        } else {
            (*self.0).cmp(&*other.0)
        }
    }
}

impl<T: ?Sized + Internable + fmt::Debug> fmt::Debug for Interned<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (*self.0).fmt(f)
    }
}

impl<T: ?Sized + Internable + fmt::Display> fmt::Display for Interned<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (*self.0).fmt(f)
    }
}

impl<T: ?Sized + Internable + serde::Serialize> serde::Serialize for Interned<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (*self.0).serialize(s)
    }
}

impl<'de, T: Internable + serde::Deserialize<'de>> serde::Deserialize<'de> for Interned<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(Interned::new)
    }
}

static TEXT: Pool<str> = Pool::new();

impl Internable for str {
    fn pool() -> &'static Pool<str> {
        &TEXT
    }
}

/// Interned text: names, matches, actions.
pub type Text = Interned<str>;

impl Text {
    pub fn new_str(s: &str) -> Text {
        let mut p = TEXT.lock();
        if let Some(a) = p.set.get(s) {
            return Interned(a.clone());
        }
        let a: Arc<str> = Arc::from(s);
        p.set.insert(a.clone());
        Interned(a)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Text {
    fn default() -> Text {
        Text::from("")
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::new_str(s)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::new_str(&s)
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Text {
        Text::new_str(s)
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Text::from)
    }
}

/// Collects every pool that is due (see the module documentation).
pub fn maybe_collect() {
    TEXT.maybe_collect();
    crate::lflow::LogicalFlow::pool().maybe_collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_text_is_one_value() {
        let a = Text::from("inport == \"p1\"");
        let b = Text::from(String::from("inport == \"p1\""));
        assert_eq!(a, b);
        assert_eq!(a.as_ptr(), b.as_ptr());
        assert_ne!(a, Text::from("inport == \"p2\""));
        let (x, y) = (Text::from("a"), Text::from("b"));
        assert!(x < y);
    }

    #[test]
    fn collect_frees_what_nothing_holds() {
        let kept = Text::from("intern-test: kept");
        drop(Text::from("intern-test: dropped"));
        TEXT.collect();
        let p = TEXT.lock();
        assert!(p.set.contains("intern-test: kept"));
        assert!(!p.set.contains("intern-test: dropped"));
        drop(p);
        drop(kept);
    }
}
