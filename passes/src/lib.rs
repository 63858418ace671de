//! Where OVN knowledge lives: pure functions from Northbound rows to IR
//! (`lower`), and from IR to logical flows (`switch`, one module per stage)
//! and Southbound bindings (`binding`). No I/O, no dataflow, no globals.

pub mod binding;
pub mod lower;
pub mod names;
pub mod registers;
pub mod router;
pub mod sb_static;
pub mod smap;
pub mod summary;
pub mod switch;
