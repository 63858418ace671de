//! `DHCP_Options` → [`DhcpOptions`].

use northflow_ir::addr::{Ipv4Net, Ipv6Net};
use northflow_ir::diag::Diagnostic;
use northflow_ir::nb::DhcpOptions as NbDhcpOptions;
use northflow_ir::row::Table;
use northflow_ir::switch::DhcpOptions;

pub fn dhcp_options(row: &NbDhcpOptions, diags: &mut Vec<Diagnostic>) -> DhcpOptions {
    let cidr_v4 = Ipv4Net::parse_cidr(&row.cidr);
    let cidr_v6 = Ipv6Net::parse_cidr(&row.cidr);
    if cidr_v4.is_none() && cidr_v6.is_none() {
        diags.push(Diagnostic::new(
            NbDhcpOptions::TABLE,
            row.uuid,
            "cidr",
            format!("{:?} is not a network: no DHCP replies", row.cidr),
        ));
    }
    DhcpOptions {
        uuid: row.uuid,
        cidr_v4,
        cidr_v6,
        options: row.options.clone(),
    }
}
