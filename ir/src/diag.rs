//! Diagnostics for Northbound rows that cannot be compiled as written.

use std::fmt;

use northflow_ovsdb::Uuid;

/// A problem with one column of one Northbound row. The row (or the part
/// of it named here) is skipped; everything else still compiles.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Diagnostic {
    pub table: String,
    pub row: Uuid,
    pub column: String,
    pub message: String,
}

impl Diagnostic {
    pub fn new(table: &str, row: Uuid, column: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            table: table.to_owned(),
            row,
            column: column.to_owned(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} row {} column {}: {}",
            self.table, self.row, self.column, self.message
        )
    }
}
