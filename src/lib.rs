//! northflow: an OVN Northbound → Southbound compiler (the job of
//! `ovn-northd`), with an incremental differential-dataflow core.

pub mod compiler;
pub mod engine;
pub mod image;
pub mod ingest;
pub mod sync;

pub use compiler::{Compiler, NbChange};
pub mod examples;
pub mod once;
