//! `lr_in_network_id`: which of the output port's networks the next hop is
//! on (`flags.network_id`), for ovn-controller's per-network MAC choice.

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::router::RouterPort;
use northflow_ir::stage::Stage;

use super::port_match;
use crate::registers::{NEXT_HOP_IPV4, NEXT_HOP_IPV6};

/// `flags.network_id` has 4 bits: networks past the 16th get 0.
pub(super) const MAX_NETWORK_ID: usize = 15;

pub(super) fn router_flows(out: &mut Vec<LogicalFlow>) {
    out.push(LogicalFlow::new(
        Stage::LrInNetworkId,
        105,
        "1",
        "flags.network_id = 0; next;",
    ));
    out.push(LogicalFlow::new(Stage::LrInNetworkId, 0, "1", "next;"));
}

pub(super) fn port_flows(port: &RouterPort, out: &mut Vec<LogicalFlow>) {
    let outport = port_match("outport", port);
    let id = |i: usize| if i > MAX_NETWORK_ID { 0 } else { i };
    for (i, n) in port.networks.ipv4.iter().enumerate() {
        out.push(LogicalFlow::new(
            Stage::LrInNetworkId,
            110,
            format!(
                "{outport} && ip4 && {NEXT_HOP_IPV4} == {}/{}",
                n.addr, n.plen
            ),
            format!("flags.network_id = {}; next;", id(i)),
        ));
    }
    for (i, n) in port.networks.configured_ipv6().iter().enumerate() {
        out.push(LogicalFlow::new(
            Stage::LrInNetworkId,
            110,
            format!(
                "{outport} && ip6 && {NEXT_HOP_IPV6} == {}/{}",
                n.addr, n.plen
            ),
            format!("flags.network_id = {}; next;", id(i)),
        ));
    }
}
