//! Our OVSDB client: the RFC 7047 data model and JSON-RPC protocol plus the
//! ovsdb-server(7) extensions (`monitor_cond`, `update2`, `monitor_cond_since`,
//! `update3`) that real servers speak.

pub mod datum;

pub use datum::{Atom, Datum, DatumError, Real, Row, Uuid};
