//! Our OVSDB client: the RFC 7047 data model and JSON-RPC protocol plus the
//! ovsdb-server(7) extensions (`monitor_cond`, `update2`, `monitor_cond_since`,
//! `update3`) that real servers speak.
//!
//! Layers, bottom up: [`datum`] (values), [`framing`] and [`jsonrpc`] (the
//! wire), [`schema`], [`transaction`] and [`monitor`] (what requests say),
//! [`replica`] (applying updates locally) and [`client`] (the connection).

pub mod client;
pub mod datum;
pub mod dbfile;
pub mod framing;
pub mod jsonrpc;
pub mod monitor;
pub mod reference;
pub mod replica;
pub mod schema;
pub mod transaction;

pub use client::{Client, Error};
pub use datum::{row_from_json, row_to_json, Atom, Datum, DatumError, Real, Row, Uuid};
pub use jsonrpc::Notification;
pub use monitor::{MonitorRequest, MonitorRequests, MonitorSelect, MonitorSinceReply};
pub use replica::{Replica, ReplicaError, RowChange, Table};
pub use schema::DatabaseSchema;
pub use transaction::{Condition, Function, Mutation, Mutator, Operation, WaitUntil};
