//! The switch side of a router: a `router` port whose router port exists
//! (its peer). Its addresses are the router port's (when `addresses` says
//! `router`); L2 lookup delivers the router's MAC to it and sends ARP and
//! neighbour solicitations for the router's addresses to it directly.

use northflow_ir::addr::Mac;
use northflow_ir::lflow::LogicalFlow;
use northflow_ir::router::RouterPeer;
use northflow_ir::stage::Stage;
use northflow_ir::switch::{PortCtx, SwitchPort};

use super::{arp_rsp, fdb, lb, port_sec};
use crate::names::{DROP, MC_FLOOD_L2};
use crate::registers::{EXT_ARP, FROM_ROUTER_PORT};
use northflow_ir::quote::json_string;

/// `port` with the addresses it takes from its peer.
fn with_peer_addresses(port: &SwitchPort, peer: &RouterPeer) -> SwitchPort {
    let mut port = port.clone();
    if port.has_router_addr {
        port.lsp_addrs.push(peer.networks.as_lport_addresses());
    }
    port
}

/// All the flows of a peered `router` port. `only_router_ports`: every
/// port of the switch is a peered router port (a join switch), so ARP for
/// a router goes to it alone.
pub fn flows(
    port: &SwitchPort,
    ctx: &PortCtx,
    peer: &RouterPeer,
    only_router_ports: bool,
    out: &mut Vec<LogicalFlow>,
) {
    let port = &with_peer_addresses(port, peer);
    port_sec::port_flows(port, out);
    too_big_turnaround(port, peer, out);
    fdb::port_flows(port, out);
    lb::port_flows(port, ctx, out);
    lb::skip_conntrack(
        port,
        ctx.has_stateful_acl,
        Stage::LsInPreLb,
        Stage::LsOutPreLb,
        out,
    );
    arp_rsp::port_flows(port, ctx, out);
    proxy_arp(port, peer, out);
    if let Some(cr) = redirect_port(port, ctx, peer) {
        // Traffic from the chassis-redirect port is from a router too.
        out.push(
            LogicalFlow::new(
                Stage::LsInCheckPortSec,
                70,
                format!("inport == {}", json_string(&cr)),
                format!("{FROM_ROUTER_PORT} = 1; next;"),
            )
            .with_io_port(&cr)
            .with_hint(port.uuid),
        );
    }
    l2_lookup(port, ctx, peer, only_router_ports, out);
}

/// `ls_in_arp_rsp`: `arp_proxy` addresses answered with the proxy's MAC
/// (or the router port's), except for requests from routers.
fn proxy_arp(port: &SwitchPort, peer: &RouterPeer, out: &mut Vec<LogicalFlow>) {
    let Some(proxy) = &port.arp_proxy else { return };
    let mac = match proxy.mac.is_zero() {
        true => peer.networks.mac,
        false => proxy.mac,
    };
    if !proxy.ipv4.is_empty() {
        let tpa: Vec<String> = proxy
            .ipv4
            .iter()
            .map(|n| format!("{}/{}", n.addr, n.plen))
            .collect();
        out.push(
            LogicalFlow::new(
                Stage::LsInArpRsp,
                30,
                format!(
                    "{FROM_ROUTER_PORT} == 0 && arp.op == 1 && arp.tpa == {{{}}}",
                    tpa.join(",")
                ),
                crate::names::arp_reply(&mac.to_string()),
            )
            .with_hint(port.uuid),
        );
    }
    if !proxy.ipv6.is_empty() {
        let dst: Vec<String> = proxy
            .ipv6
            .iter()
            .map(|n| format!("{}/{}, {}/{}", n.addr, n.plen, n.solicited_node(), n.plen))
            .collect();
        let target: Vec<String> = proxy
            .ipv6
            .iter()
            .map(|n| format!("{}/{}", n.addr, n.plen))
            .collect();
        out.push(
            LogicalFlow::new(
                Stage::LsInArpRsp,
                30,
                format!(
                    "{FROM_ROUTER_PORT} == 0 && nd_ns && ip6.dst == {{ {} }} && \
                     nd.target == {{ {} }}",
                    dst.join(", "),
                    target.join(", ")
                ),
                format!(
                    "nd_na_router {{ eth.src = {mac}; ip6.src = nd.target; nd.target = nd.target; \
                     nd.tll = {mac}; outport = inport; flags.loopback = 1; output; }};"
                ),
            )
            .with_hint(port.uuid),
        );
    }
}

/// ICMP "packet too big" sent back to the router over a tunnel goes
/// straight to L2 lookup again (or, from a gateway router, back out).
fn too_big_turnaround(port: &SwitchPort, peer: &RouterPeer, out: &mut Vec<LogicalFlow>) {
    let mac = peer.networks.mac;
    let flow = if peer.gateway_router {
        LogicalFlow::new(
            Stage::LsInCheckPortSec,
            120,
            format!(
                "{} && eth.src == {mac} && outport == {} && flags.tunnel_rx == 1",
                port_sec::ICMP_TOO_BIG,
                json_string(&port.name)
            ),
            "outport <-> inport; next;",
        )
    } else {
        LogicalFlow::new(
            Stage::LsInCheckPortSec,
            120,
            format!(
                "{} && eth.dst == {mac} && flags.tunnel_rx == 1",
                port_sec::ICMP_TOO_BIG
            ),
            format!(
                "outport <-> inport; next(pipeline=ingress,table={});",
                Stage::LsInL2Lkup.table()
            ),
        )
    };
    out.push(flow);
}

fn l2_lookup(
    port: &SwitchPort,
    ctx: &PortCtx,
    peer: &RouterPeer,
    only_router_ports: bool,
    out: &mut Vec<LogicalFlow>,
) {
    let quoted = json_string(&port.name);
    let cr = redirect_port(port, ctx, peer);
    if peer.enabled {
        let targets = peer
            .networks
            .ipv4
            .iter()
            .map(|n| (n.addr.to_string(), false))
            .chain(
                peer.networks
                    .ipv6
                    .iter()
                    .map(|n| (n.addr.to_string(), true)),
            );
        for (ip, v6) in targets {
            router_target_flows(port, cr.as_deref(), only_router_ports, &ip, v6, out);
        }
    }
    let deliver = |to: &str| match port.enabled {
        true => format!("outport = {to}; output;"),
        false => DROP.to_owned(),
    };
    let action = deliver(&quoted);
    // A gateway port's MAC (or one that resides on the router's gateway
    // chassis) is delivered on its gateway chassis only, on a switch
    // bridged to the physical network; through the chassis-redirect port
    // elsewhere.
    let on_gateway = peer.redirect.as_ref().or(peer.resides_on.as_ref());
    let resident = match (on_gateway, ctx.has_localnet, &cr) {
        (Some(gw), true, _) => format!(" && is_chassis_resident({})", json_string(gw)),
        (_, _, Some(cr)) => {
            out.push(
                LogicalFlow::new(
                    Stage::LsInL2Lkup,
                    50,
                    format!(
                        "eth.dst == {} && !is_chassis_resident({})",
                        peer.networks.mac,
                        json_string(cr)
                    ),
                    deliver(&json_string(cr)),
                )
                .with_hint(port.uuid),
            );
            format!(" && is_chassis_resident({})", json_string(cr))
        }
        _ => String::new(),
    };
    out.push(
        LogicalFlow::new(
            Stage::LsInL2Lkup,
            50,
            format!("eth.dst == {}{resident}", proxied_macs(port, peer)),
            action,
        )
        .with_hint(port.uuid),
    );
}

/// `ls_in_l2_lkup`: ARP requests (neighbour solicitations: `v6`) for `ip`,
/// an address of the router `port` peers with (its own or a NAT rule's,
/// as written), go
/// to the router and, unless only routers are on the switch, are flooded
/// too, for the others to learn. With the port's own chassis-redirect
/// port `cr`: to the port on the gateway chassis, to `cr` elsewhere.
pub fn router_target_flows(
    port: &SwitchPort,
    cr: Option<&str>,
    only_router_ports: bool,
    ip: &str,
    v6: bool,
    out: &mut Vec<LogicalFlow>,
) {
    let deliver = |to: &str| match only_router_ports {
        true => format!("outport = {to}; output;"),
        false => {
            format!("clone {{outport = {to}; output; }}; outport = \"{MC_FLOOD_L2}\"; output;")
        }
    };
    let m = match v6 {
        false => format!("flags[1] == 0 && arp.op == 1 && arp.tpa == {ip}"),
        true => format!("flags[1] == 0 && nd_ns && nd.target == {ip}"),
    };
    let flow =
        |m: String, a: String| LogicalFlow::new(Stage::LsInL2Lkup, 80, m, a).with_hint(port.uuid);
    let quoted = json_string(&port.name);
    match cr {
        None => out.push(flow(m, deliver(&quoted))),
        Some(cr) => {
            let resident = format!("is_chassis_resident({})", json_string(cr));
            out.push(flow(
                format!("{m} && !{resident}"),
                deliver(&json_string(cr)),
            ));
            out.push(flow(format!("{m} && {resident}"), deliver(&quoted)));
        }
    }
}

/// The switch port's own chassis-redirect port, when it has one.
fn redirect_port(port: &SwitchPort, ctx: &PortCtx, peer: &RouterPeer) -> Option<String> {
    peer.redirects_switch_port(ctx.has_localnet)
        .then(|| format!("cr-{}", port.name))
}

/// The router port's MAC, with the `arp_proxy` MAC first when there is
/// one: `{ proxy, mac }`.
fn proxied_macs(port: &SwitchPort, peer: &RouterPeer) -> String {
    match &port.arp_proxy {
        Some(p) if !p.mac.is_zero() => format!("{{ {}, {} }}", p.mac, peer.networks.mac),
        _ => peer.networks.mac.to_string(),
    }
}

/// `ls_in_l2_lkup`: the router's own ARP requests, RARPs and neighbour
/// solicitations (from its port's MAC or a NAT rule's) reach the whole L2
/// domain, on a switch with other ports than routers'.
pub fn self_originated_flow(mac: Mac, nat_macs: &[String]) -> LogicalFlow {
    let macs = std::iter::once(mac.to_string())
        .chain(nat_macs.iter().cloned())
        .collect::<Vec<_>>()
        .join(", ");
    LogicalFlow::new(
        Stage::LsInL2Lkup,
        75,
        format!(
            "eth.src == {{{macs}}} && eth.dst == ff:ff:ff:ff:ff:ff && \
             (arp.op == 1 || rarp.op == 3 || nd_ns)"
        ),
        format!("outport = \"{MC_FLOOD_L2}\"; output;"),
    )
}

/// `ls_in_check_port_sec`: an ARP request from the physical network
/// (`reg0[22]`), on a switch with a gateway router's port or a gateway
/// port's chassis-redirect port.
pub fn ext_arp_phys_flow(port: &str) -> LogicalFlow {
    LogicalFlow::new(
        Stage::LsInCheckPortSec,
        75,
        format!("arp.op == 1 && inport == {}", json_string(port)),
        format!("{EXT_ARP} = 1; next;"),
    )
}

/// `ls_in_apply_port_sec`: such a request goes on where that port is
/// resident ...
pub fn ext_arp_resident_flow(port: &str) -> LogicalFlow {
    LogicalFlow::new(
        Stage::LsInApplyPortSec,
        75,
        format!(
            "{EXT_ARP} == 1 && is_chassis_resident({})",
            json_string(port)
        ),
        "next;",
    )
}

/// ... and nowhere else.
pub fn ext_arp_drop_flow() -> LogicalFlow {
    LogicalFlow::new(Stage::LsInApplyPortSec, 70, format!("{EXT_ARP} == 1"), DROP)
}
