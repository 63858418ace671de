//! Lowering: one Northbound row at a time into IR, with a diagnostic for
//! every part of the row that cannot be used. Lowering never fails as a
//! whole; what cannot be parsed is left out, as ovn-northd leaves it out.

mod dhcp;
mod dns;
mod qos;
mod switch;
mod switch_port;

pub use dhcp::dhcp_options;
pub use dns::dns;
pub use qos::qos;
pub use switch::switch;
pub use switch_port::switch_port;
