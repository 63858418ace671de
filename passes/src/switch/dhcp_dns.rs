//! `ls_in_dhcp_options`, `ls_in_dhcp_response`, `ls_in_dns_lookup`,
//! `ls_in_dns_response`, `ls_in_external_port` defaults. DHCP options and
//! DNS records are not compiled yet.

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::stage::Stage;

pub(super) fn switch_flows(out: &mut Vec<LogicalFlow>) {
    for stage in [
        Stage::LsInDhcpOptions,
        Stage::LsInDhcpResponse,
        Stage::LsInDnsLookup,
        Stage::LsInDnsResponse,
        Stage::LsInExternalPort,
    ] {
        out.push(LogicalFlow::new(stage, 0, "1", "next;"));
    }
}
