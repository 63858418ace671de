//! `ls_in_dhcp_options`, `ls_in_dhcp_response`, `ls_in_dns_lookup`,
//! `ls_in_dns_response`, `ls_in_external_port`: DNS answers from the
//! switch's records, and the defaults. DHCP options are not compiled yet.

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::stage::Stage;
use northflow_ir::switch::SwitchCtx;

use crate::registers::DNS_LOOKUP_RESULT;

pub(super) fn switch_flows(ctx: &SwitchCtx, out: &mut Vec<LogicalFlow>) {
    for stage in [
        Stage::LsInDhcpOptions,
        Stage::LsInDhcpResponse,
        Stage::LsInDnsLookup,
        Stage::LsInDnsResponse,
        Stage::LsInExternalPort,
    ] {
        out.push(LogicalFlow::new(stage, 0, "1", "next;"));
    }
    if ctx.has_dns_records {
        out.push(LogicalFlow::new(
            Stage::LsInDnsLookup,
            100,
            "udp.dst == 53",
            format!("{DNS_LOOKUP_RESULT} = dns_lookup(); next;"),
        ));
        let answer = format!("udp.dst == 53 && {DNS_LOOKUP_RESULT}");
        for ip in ["ip4", "ip6"] {
            out.push(LogicalFlow::new(
                Stage::LsInDnsResponse,
                100,
                answer.clone(),
                format!(
                    "eth.dst <-> eth.src; {ip}.src <-> {ip}.dst; udp.dst = udp.src; udp.src = 53; \
                     outport = inport; flags.loopback = 1; output;"
                ),
            ));
        }
    }
}
