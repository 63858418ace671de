//! The NAT, defragmentation and load-balancing stages (`lr_in_unsnat` …
//! `lr_in_ecmp_stateful`, the DHCP relay stages, `lr_out_chk_dnat_local` …
//! `lr_out_egr_loop`): what every router has. NAT rules and load
//! balancers add to them.

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::stage::Stage;

use crate::registers::DST_NAT_IP_LOCAL;

pub(super) fn router_flows(out: &mut Vec<LogicalFlow>) {
    for stage in [
        Stage::LrInDefrag,
        Stage::LrInUnsnat,
        Stage::LrInPostUnsnat,
        Stage::LrOutSnat,
        Stage::LrInCtExtract,
        Stage::LrInDnat,
        Stage::LrOutUndnat,
        Stage::LrOutPostUndnat,
        Stage::LrOutPostSnat,
        Stage::LrOutEgrLoop,
        Stage::LrInEcmpStateful,
        Stage::LrInDhcpRelayReq,
        Stage::LrInDhcpRelayRespChk,
        Stage::LrInDhcpRelayResp,
        Stage::LrInLbAffCheck,
        Stage::LrInLbAffLearn,
    ] {
        out.push(LogicalFlow::new(stage, 0, "1", "next;"));
    }
    out.push(LogicalFlow::new(
        Stage::LrOutChkDnatLocal,
        0,
        "1",
        format!("{DST_NAT_IP_LOCAL} = 0; next;"),
    ));
    // ovn-controller's own neighbour solicitations skip conntrack.
    out.push(LogicalFlow::new(Stage::LrOutSnat, 120, "nd_ns", "next;"));
}
