//! northflow: an OVN Northbound → Southbound compiler (the job of
//! `ovn-northd`), with an incremental differential-dataflow core.

pub mod compiler;
pub mod engine;
pub mod family;
pub mod image;
pub mod ingest;
pub mod input;
pub mod output;
pub mod scenario;
pub mod sync;

pub use compiler::Compiler;
pub use input::{Db, Input, RowChange};
pub mod examples;
pub mod once;
