//! Feature families: one sub-graph each, named after what it compiles.
//! A family reads the shared input collections (`input::Collections`) and
//! adds its parts to the outputs (`output::Outputs`); the engine only wires
//! families together, so adding a family or a table never edits another
//! family.

pub mod copied;
pub mod datapath;
pub mod global;
pub mod nat;
pub mod router;
pub mod switch;
