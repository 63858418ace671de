//! `lr_in_arp_resolve`: the next hop's MAC. Neighbours the Northbound
//! names (the ports of the router's switches, and the other routers on
//! them) are resolved statically; the rest through the MAC bindings.

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::router::{RouterPeer, RouterPort};
use northflow_ir::stage::Stage;
use northflow_ir::switch::SwitchPort;

use super::{addr_set, json_string, port_flow};
use crate::names::DROP;
use crate::registers::{NEXTHOP_IS_IPV4, NEXT_HOP_IPV4, NEXT_HOP_IPV6};

pub(super) fn router_flows(out: &mut Vec<LogicalFlow>) {
    out.push(LogicalFlow::new(
        Stage::LrInArpResolve,
        500,
        "ip4.mcast || ip6.mcast",
        "next;",
    ));
    out.push(LogicalFlow::new(
        Stage::LrInArpResolve,
        1,
        format!("{NEXTHOP_IS_IPV4} == 1"),
        format!("get_arp(outport, {NEXT_HOP_IPV4}); next;"),
    ));
    out.push(LogicalFlow::new(
        Stage::LrInArpResolve,
        1,
        format!("{NEXTHOP_IS_IPV4} == 0"),
        format!("get_nd(outport, {NEXT_HOP_IPV6}); next;"),
    ));
    out.push(LogicalFlow::new(Stage::LrInArpResolve, 0, "1", DROP));
}

/// The addresses of `vif`, a port on a switch the router port `lrp` peers
/// with, that are in `lrp`'s networks. Placed on `lrp`'s router.
pub fn vif_neighbor_flows(vif: &SwitchPort, lrp: &RouterPeer, out: &mut Vec<LogicalFlow>) {
    if !vif.enabled || vif.is_router() || vif.kind == northflow_ir::switch::PortType::Virtual {
        return;
    }
    let outport = format!("outport == {}", json_string(&lrp.name));
    for addrs in &vif.lsp_addrs {
        let action = format!("eth.dst = {}; next;", addrs.mac);
        for ip in &addrs.ipv4 {
            if lrp.networks.ipv4.iter().any(|n| n.contains(ip.addr)) {
                out.push(
                    LogicalFlow::new(
                        Stage::LrInArpResolve,
                        100,
                        format!("{outport} && {NEXT_HOP_IPV4} == {}", ip.addr),
                        &action,
                    )
                    .with_hint(vif.uuid),
                );
            }
        }
        for ip in &addrs.ipv6 {
            if lrp.networks.ipv6.iter().any(|n| n.contains(ip.addr)) {
                out.push(
                    LogicalFlow::new(
                        Stage::LrInArpResolve,
                        100,
                        format!("{outport} && {NEXT_HOP_IPV6} == {}", ip.addr),
                        &action,
                    )
                    .with_hint(vif.uuid),
                );
            }
        }
    }
}

/// Another router port `other` on the switch where the router port `lrp`
/// peers through the switch port `lsp`: placed on `lrp`'s router (unless
/// that router learns its neighbour routers dynamically).
pub fn router_neighbor_flows(
    lsp: &SwitchPort,
    lrp: &RouterPeer,
    other: &RouterPeer,
    out: &mut Vec<LogicalFlow>,
) {
    if !lsp.enabled || lrp.dynamic_neigh_routers || lrp.name == other.name {
        return;
    }
    let outport = format!("outport == {}", json_string(&lrp.name));
    let action = format!("eth.dst = {}; next;", other.networks.mac);
    if !other.networks.ipv4.is_empty() {
        let ips = addr_set(other.networks.ipv4.iter().map(|n| n.addr), false);
        out.push(
            LogicalFlow::new(
                Stage::LrInArpResolve,
                100,
                format!("{outport} && {NEXT_HOP_IPV4} == {ips}"),
                &action,
            )
            .with_hint(lsp.uuid),
        );
    }
    let ips = addr_set(other.networks.ipv6.iter().map(|n| n.addr), false);
    out.push(
        LogicalFlow::new(
            Stage::LrInArpResolve,
            100,
            format!("{outport} && {NEXT_HOP_IPV6} == {ips}"),
            &action,
        )
        .with_hint(lsp.uuid),
    );
}

/// A router port `op` peered directly with router port `peer` (each names
/// the other): next hops on `op`'s addresses, leaving `peer`, get `op`'s
/// MAC. Placed on `peer`'s router.
pub fn router_link_flows(op: &RouterPort, peer: &RouterPort, out: &mut Vec<LogicalFlow>) {
    let outport = json_string(&peer.name);
    let action = format!("eth.dst = {}; next;", op.networks.mac);
    let nets = &op.networks;
    if !nets.ipv4.is_empty() {
        // (sic: ovn-northd writes no space before this `==`.)
        let m = format!(
            "outport == {outport} && {NEXT_HOP_IPV4}== {}",
            addr_set(nets.ipv4.iter().map(|n| n.addr), false)
        );
        out.push(port_flow(
            op,
            LogicalFlow::new(Stage::LrInArpResolve, 100, m, &action),
        ));
    }
    if !nets.ipv6.is_empty() {
        let m = format!(
            "outport == {outport} && {NEXT_HOP_IPV6} == {}",
            addr_set(nets.ipv6.iter().map(|n| n.addr), false)
        );
        out.push(port_flow(
            op,
            LogicalFlow::new(Stage::LrInArpResolve, 100, m, &action),
        ));
    }
}
