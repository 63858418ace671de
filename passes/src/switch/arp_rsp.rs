//! `ls_in_arp_rsp`: answer ARP requests and IPv6 neighbour solicitations
//! for the addresses a port owns, except when the port itself asks.

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::stage::Stage;
use northflow_ir::switch::{PortCtx, PortType, SwitchPort};

use super::{port_flow, port_match};
use crate::smap::get_bool;

pub(super) fn switch_flows(out: &mut Vec<LogicalFlow>) {
    out.push(LogicalFlow::new(Stage::LsInArpRsp, 0, "1", "next;"));
}

pub(super) fn port_flows(port: &SwitchPort, ctx: &PortCtx, out: &mut Vec<LogicalFlow>) {
    // Requests from the physical network are answered there, not by us
    // (unless a router port proxies ARP).
    if port.is_localnet() && !ctx.has_arp_proxy_port {
        out.push(port_flow(
            port,
            LogicalFlow::new(Stage::LsInArpRsp, 100, port_match("inport", port), "next;"),
        ));
    }
    if port.kind == PortType::Virtual
        || port.is_external()
        || port.has_unknown
        || ctx.vlan_passthru
        || (port.kind == PortType::Vif && get_bool(&port.options, "disable_arp_nd_rsp", false))
    {
        return;
    }
    let inport = port_match("inport", port);
    for addrs in &port.lsp_addrs {
        let mac = addrs.mac;
        for ip in &addrs.ipv4 {
            let ip = ip.addr;
            // Only broadcast requests: unicast ones reach the owner, which
            // lets the sender monitor it (explicitly so when a proxy would
            // answer them otherwise).
            if ctx.has_arp_proxy_port {
                out.push(
                    LogicalFlow::new(
                        Stage::LsInArpRsp,
                        50,
                        format!("arp.tpa == {ip} && arp.op == 1 && eth.dst == {mac}"),
                        "next;",
                    )
                    .with_hint(port.uuid),
                );
            }
            let m = format!("arp.tpa == {ip} && arp.op == 1 && eth.dst == ff:ff:ff:ff:ff:ff");
            out.push(
                LogicalFlow::new(
                    Stage::LsInArpRsp,
                    50,
                    m.clone(),
                    format!(
                        "eth.dst = eth.src; eth.src = {mac}; arp.op = 2; /* ARP reply */ \
                         arp.tha = arp.sha; arp.sha = {mac}; arp.tpa = arp.spa; arp.spa = {ip}; \
                         outport = inport; flags.loopback = 1; output;"
                    ),
                )
                .with_hint(port.uuid),
            );
            // The owner ARPing for its own address (duplicate address
            // detection) must not be answered: forward it normally.
            out.push(port_flow(
                port,
                LogicalFlow::new(Stage::LsInArpRsp, 100, format!("{m} && {inport}"), "next;"),
            ));
        }
        // Only solicitations to the solicited-node multicast address, as
        // for ARP.
        for ip in &addrs.ipv6 {
            let (addr, sn) = (ip.addr, ip.solicited_node());
            if ctx.has_arp_proxy_port {
                out.push(
                    LogicalFlow::new(
                        Stage::LsInArpRsp,
                        50,
                        format!("nd_ns && ip6.dst == {addr} && nd.target == {addr}"),
                        "next;",
                    )
                    .with_hint(port.uuid),
                );
            }
            let m = format!("nd_ns_mcast && ip6.dst == {sn} && nd.target == {addr}");
            let na = if port.is_router() {
                "nd_na_router"
            } else {
                "nd_na"
            };
            out.push(
                LogicalFlow::new(
                    Stage::LsInArpRsp,
                    50,
                    m.clone(),
                    format!(
                        "{na} {{ eth.src = {mac}; ip6.src = {addr}; nd.target = {addr}; \
                         nd.tll = {mac}; outport = inport; flags.loopback = 1; output; }};"
                    ),
                )
                .with_hint(port.uuid),
            );
            out.push(port_flow(
                port,
                LogicalFlow::new(Stage::LsInArpRsp, 100, format!("{m} && {inport}"), "next;"),
            ));
        }
    }
}
