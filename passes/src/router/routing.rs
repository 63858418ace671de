//! Routing: `lr_in_nd_ra_options`/`lr_in_nd_ra_response` defaults,
//! `lr_in_ip_routing_pre`, `lr_in_ip_routing` (longest prefix first:
//! priority = prefix length × 8 + the route's source), `lr_in_ip_routing_ecmp`,
//! `lr_in_policy`, `lr_in_policy_ecmp`.

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::router::RouterPort;
use northflow_ir::stage::Stage;

use super::{json_string, port_flow};
use crate::names::DROP;
use crate::registers::{
    ECMP_GROUP_ID, NEXTHOP_IS_IPV4, NEXT_HOP_IPV4, NEXT_HOP_IPV6, ROUTE_TABLE_ID, SRC_IPV4,
    SRC_IPV6,
};

/// Route priority: prefix length × 8 plus the offset of the route's source.
const PRIO_PER_PREFIX_BIT: u16 = 8;
const PRIO_CONNECTED: u16 = 6;

pub(super) fn router_flows(out: &mut Vec<LogicalFlow>) {
    out.push(LogicalFlow::new(Stage::LrInNdRaOptions, 0, "1", "next;"));
    out.push(LogicalFlow::new(Stage::LrInNdRaResponse, 0, "1", "next;"));
    out.push(LogicalFlow::new(
        Stage::LrInIpRoutingPre,
        0,
        "1",
        format!("{ROUTE_TABLE_ID} = 0; next;"),
    ));
    out.push(LogicalFlow::new(
        Stage::LrInIpRouting,
        10550,
        "nd_rs || nd_ra",
        DROP,
    ));
    out.push(LogicalFlow::new(Stage::LrInIpRouting, 0, "1", DROP));
    out.push(LogicalFlow::new(
        Stage::LrInIpRoutingEcmp,
        150,
        format!("{ECMP_GROUP_ID} == 0"),
        "next;",
    ));
    out.push(LogicalFlow::new(Stage::LrInIpRoutingEcmp, 0, "1", DROP));
    out.push(LogicalFlow::new(
        Stage::LrInPolicy,
        0,
        "1",
        format!("{ECMP_GROUP_ID} = 0; next;"),
    ));
    out.push(LogicalFlow::new(
        Stage::LrInPolicyEcmp,
        150,
        format!("{ECMP_GROUP_ID} == 0"),
        "next;",
    ));
    out.push(LogicalFlow::new(Stage::LrInPolicyEcmp, 0, "1", DROP));
}

/// The routes to the port's own networks (link-local ones only for
/// traffic that came in on the port).
pub(super) fn port_flows(port: &RouterPort, out: &mut Vec<LogicalFlow>) {
    let quoted = json_string(&port.name);
    let mac = port.networks.mac;
    let action = |v4: bool, src: String| {
        let (hop, hop_src, reg_src) = match v4 {
            true => (NEXT_HOP_IPV4, "ip4.dst", SRC_IPV4),
            false => (NEXT_HOP_IPV6, "ip6.dst", SRC_IPV6),
        };
        format!(
            "ip.ttl--; {ECMP_GROUP_ID} = 0; {hop} = {hop_src}; {reg_src} = {src}; eth.src = {mac}; \
             outport = {quoted}; flags.loopback = 1; {NEXTHOP_IS_IPV4} = {}; next;",
            u8::from(v4)
        )
    };
    for n in &port.networks.ipv4 {
        out.push(port_flow(
            port,
            LogicalFlow::new(
                Stage::LrInIpRouting,
                u16::from(n.plen) * PRIO_PER_PREFIX_BIT + PRIO_CONNECTED,
                format!("ip4.dst == {}/{}", n.network(), n.plen),
                action(true, n.addr.to_string()),
            ),
        ));
    }
    for n in &port.networks.ipv6 {
        let scope = if n.is_link_local() {
            format!("inport == {quoted} && ")
        } else {
            String::new()
        };
        out.push(port_flow(
            port,
            LogicalFlow::new(
                Stage::LrInIpRouting,
                u16::from(n.plen) * PRIO_PER_PREFIX_BIT + PRIO_CONNECTED,
                format!("{scope}ip6.dst == {}/{}", n.network(), n.plen),
                action(false, n.addr.to_string()),
            ),
        ));
    }
}
