//! northflow's data: the Northbound and Southbound rows (generated from the
//! OVN schemas), the IR the passes work on, and the logical-flow target.
//! Nothing here but types, parsing and printing.

pub mod addr;
pub mod binding;
pub mod diag;
pub mod intern;
pub mod lflow;
pub mod quote;
pub mod router;
pub mod smap;
pub mod stage;
pub mod switch;

pub use northflow_ovsdb::Uuid;
pub mod nb;
pub mod row;
pub mod sb;
