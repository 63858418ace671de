//! `lr_in_ip_input`: what the router answers itself (ARP, neighbour
//! solicitations and pings for its addresses, port unreachable, TTL
//! exceeded) and what it refuses (spoofed sources, local broadcast,
//! martians, traffic to its own addresses).

use std::net::IpAddr;

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::router::{RouterPort, RouterPortCtx};
use northflow_ir::stage::Stage;

use super::{addr_set, port_flow, port_match};
use crate::names::DROP;
use crate::registers::{EGRESS_LOOPBACK, INPORT_ETH_ADDR};

pub(super) fn router_flows(out: &mut Vec<LogicalFlow>) {
    let f = |priority, m: &str, a: &str| LogicalFlow::new(Stage::LrInIpInput, priority, m, a);
    out.push(f(
        100,
        "ip4.src_mcast ||ip4.src == 255.255.255.255 || ip4.src == 127.0.0.0/8 || \
         ip4.dst == 127.0.0.0/8 || ip4.src == 0.0.0.0/8 || ip4.dst == 0.0.0.0/8",
        DROP,
    ));
    out.push(f(85, "arp || nd", DROP));
    out.push(f(84, "nd_rs || nd_ra", "next;"));
    out.push(f(83, "ip6.mcast_rsvd", DROP));
    // Multicast relay comes with router multicast support.
    out.push(f(82, "ip4.mcast || ip6.mcast", DROP));
    out.push(f(50, "eth.bcast", DROP));
    out.push(f(
        32,
        "ip.ttl == {0, 1} && !ip.later_frag && (ip4.mcast || ip6.mcast)",
        DROP,
    ));
    out.push(f(29, "ip.ttl == {0, 1}", DROP));
    out.push(f(0, "1", "next;"));
}

/// IGMP and MLD (TTL 1) are let in on a router with ports that flood
/// multicast statically (`options:mcast_flood`).
pub fn flood_static_flows(out: &mut Vec<LogicalFlow>) {
    for m in ["igmp && ip.ttl == 1", "(mldv1 || mldv2) && ip.ttl == 1"] {
        out.push(LogicalFlow::new(Stage::LrInIpInput, 120, m, "next;"));
    }
}

pub(super) fn port_flows(port: &RouterPort, ctx: &RouterPortCtx, out: &mut Vec<LogicalFlow>) {
    let first = out.len();
    ipv6_flows(port, ctx, out);
    ipv4_flows(port, ctx, out);
    for f in &mut out[first..] {
        if let Some(proto) = control_protocol(&f.actions) {
            f.controller_meter = ctx.copp.get(proto).map(Into::into);
        }
    }
}

/// The control protocol (`Copp` key) of a reply ovn-controller builds:
/// what meters it.
fn control_protocol(actions: &str) -> Option<&'static str> {
    [
        ("icmp4 {", "icmp4-error"),
        ("icmp6 {", "icmp6-error"),
        ("tcp_reset {", "tcp-reset"),
        ("sctp_abort {", "tcp-reset"),
        ("nd_na_router {", "nd-na"),
    ]
    .into_iter()
    .find(|(action, _)| actions.starts_with(action))
    .map(|(_, proto)| proto)
}

fn flow(port: &RouterPort, priority: u16, m: String, a: impl AsRef<str>) -> LogicalFlow {
    port_flow(port, LogicalFlow::new(Stage::LrInIpInput, priority, m, a))
}

fn ipv4_flows(port: &RouterPort, ctx: &RouterPortCtx, out: &mut Vec<LogicalFlow>) {
    let nets = &port.networks.ipv4;
    let Some(first) = nets.first() else {
        return;
    };
    let inport = port_match("inport", port);
    let quoted = super::json_string(&port.name);
    let own_and_bcast = addr_set(nets.iter().flat_map(|n| [n.addr, n.broadcast()]), true);
    out.push(flow(
        port,
        100,
        format!("ip4.src == {own_and_bcast} && {EGRESS_LOOPBACK} == 0"),
        DROP,
    ));
    let own = addr_set(nets.iter().map(|n| n.addr), false);
    out.push(flow(
        port,
        90,
        format!("ip4.dst == {own} && icmp4.type == 8 && icmp4.code == 0"),
        "ip4.dst <-> ip4.src; ip.ttl = 255; icmp4.type = 0; flags.loopback = 1; next; ",
    ));
    // Time exceeded, from the address of the sender's network (or the
    // port's first address; a gateway port answers from the address asked).
    for n in nets {
        let src = match port.is_gateway() {
            true => "ip4.dst <-> ip4.src".to_owned(),
            false => format!("ip4.dst = ip4.src; ip4.src = {}", n.addr),
        };
        out.push(flow(
            port,
            31,
            format!(
                "{inport} && ip4 && ip4.src == {}/{} && ip.ttl == {{0, 1}} && !ip.later_frag",
                n.network(),
                n.plen
            ),
            format!(
                "icmp4 {{eth.dst <-> eth.src; icmp4.type = 11; /* Time exceeded */ \
                 icmp4.code = 0; /* TTL exceeded in transit */ {src} ; ip.ttl = 254; \
                 outport = {quoted}; flags.loopback = 1; output; }};"
            ),
        ));
    }
    out.push(flow(
        port,
        30,
        format!("{inport} && ip4 && ip.ttl == {{0, 1}} && !ip.later_frag"),
        format!(
            "icmp4 {{eth.dst <-> eth.src; icmp4.type = 11; /* Time exceeded */ \
             icmp4.code = 0; /* TTL exceeded in transit */ ip4.dst = ip4.src; \
             ip4.src = {}; ip.ttl = 254; outport = {quoted}; flags.loopback = 1; output; }};",
            first.addr
        ),
    ));
    if !unreachable_replies(ctx) {
        return;
    }
    for n in nets {
        let to = format!("ip4 && ip4.dst == {} && !ip.later_frag", n.addr);
        out.push(flow(
            port,
            80,
            format!("{to} && udp"),
            "icmp4 {eth.dst <-> eth.src; ip4.dst <-> ip4.src; ip.ttl = 255; \
             icmp4.type = 3; icmp4.code = 3; next; };",
        ));
        out.push(flow(
            port,
            80,
            format!("{to} && tcp"),
            "tcp_reset {eth.dst <-> eth.src; ip4.dst <-> ip4.src; next; };",
        ));
        out.push(flow(
            port,
            80,
            format!("{to} && sctp"),
            "sctp_abort {eth.dst <-> eth.src; ip4.dst <-> ip4.src; next; };",
        ));
        out.push(flow(
            port,
            70,
            to,
            "icmp4 {eth.dst <-> eth.src; ip4.dst <-> ip4.src; ip.ttl = 255; \
             icmp4.type = 3; icmp4.code = 2; next; };",
        ));
    }
}

fn ipv6_flows(port: &RouterPort, ctx: &RouterPortCtx, out: &mut Vec<LogicalFlow>) {
    let nets = &port.networks.ipv6;
    let inport = port_match("inport", port);
    let quoted = super::json_string(&port.name);
    let own = addr_set(nets.iter().map(|n| n.addr), false);
    out.push(flow(
        port,
        90,
        format!("ip6.dst == {own} && icmp6.type == 128 && icmp6.code == 0"),
        "ip6.dst <-> ip6.src; ip.ttl = 255; icmp6.type = 129; flags.loopback = 1; next; ",
    ));
    // A gateway port answers on the gateway chassis only.
    let resident = match port.is_gateway() {
        true => format!(
            " && is_chassis_resident({})",
            super::json_string(&port.redirect_name())
        ),
        false => String::new(),
    };
    for n in nets {
        out.push(flow(
            port,
            90,
            format!(
                "{inport} && ip6.dst == {{{}, {}}} && nd_ns && nd.target == {}{resident}",
                n.addr,
                n.solicited_node(),
                n.addr
            ),
            format!(
                "nd_na_router {{ eth.src = {INPORT_ETH_ADDR}; ip6.src = nd.target; \
                 nd.tll = {INPORT_ETH_ADDR}; outport = inport; flags.loopback = 1; output; }};"
            ),
        ));
    }
    if unreachable_replies(ctx) {
        for n in nets {
            let to = format!("ip6 && ip6.dst == {} && !ip.later_frag", n.addr);
            out.push(flow(
                port,
                80,
                format!("{to} && tcp"),
                "tcp_reset {eth.dst <-> eth.src; ip6.dst <-> ip6.src; next; };",
            ));
            out.push(flow(
                port,
                80,
                format!("{to} && sctp"),
                "sctp_abort {eth.dst <-> eth.src; ip6.dst <-> ip6.src; next; };",
            ));
            out.push(flow(
                port,
                80,
                format!("{to} && udp"),
                "icmp6 {eth.dst <-> eth.src; ip6.dst <-> ip6.src; ip.ttl = 255; \
                 icmp6.type = 1; icmp6.code = 4; next; };",
            ));
            out.push(flow(
                port,
                70,
                to,
                "icmp6 {eth.dst <-> eth.src; ip6.dst <-> ip6.src; ip.ttl = 255; \
                 icmp6.type = 1; icmp6.code = 3; next; };",
            ));
        }
    }
    for n in port.networks.configured_ipv6() {
        let src = match port.is_gateway() {
            true => "ip6.dst <-> ip6.src".to_owned(),
            false => format!("ip6.dst = ip6.src; ip6.src = {}", n.addr),
        };
        out.push(flow(
            port,
            31,
            format!(
                "{inport} && ip6 && ip6.src == {}/{} && ip.ttl == {{0, 1}} && !ip.later_frag",
                n.network(),
                n.plen
            ),
            format!(
                "icmp6 {{eth.dst <-> eth.src; {src} ; ip.ttl = 254; \
                 icmp6.type = 3; /* Time exceeded */ icmp6.code = 0; /* TTL exceeded in transit */ \
                 outport = {quoted}; flags.loopback = 1; output; }};"
            ),
        ));
    }
    if let Some(first) = nets.first() {
        out.push(flow(
            port,
            30,
            format!("{inport} && ip6 && ip.ttl == {{0, 1}} && !ip.later_frag"),
            format!(
                "icmp6 {{eth.dst <-> eth.src; ip6.dst = ip6.src; ip6.src = {}; ip.ttl = 254; \
                 icmp6.type = 3; /* Time exceeded */ icmp6.code = 0; /* TTL exceeded in transit */ \
                 outport = {quoted}; flags.loopback = 1; output; }};",
                first.addr
            ),
        ));
    }
}

/// ARP replies for the port's own addresses (from their networks); a
/// gateway port bridged to a physical network (or one that resides on
/// its chassis) answers on its gateway chassis only: where
/// chassis-redirect port `resident` is.
pub fn arp_reply_flows(port: &RouterPort, resident: Option<&str>, out: &mut Vec<LogicalFlow>) {
    let inport = port_match("inport", port);
    let check = match resident {
        Some(cr) => format!(" && is_chassis_resident({})", super::json_string(cr)),
        None => String::new(),
    };
    for n in &port.networks.ipv4 {
        out.push(flow(
            port,
            90,
            format!(
                "{inport} && arp.op == 1 && arp.tpa == {} && arp.spa == {}/{}{check}",
                n.addr,
                n.network(),
                n.plen
            ),
            crate::names::arp_reply(INPORT_ETH_ADDR),
        ));
    }
}

/// Port unreachable and protocol unreachable replies: only on routers
/// without gateway functions (those leave them to their NAT and LB flows).
fn unreachable_replies(ctx: &RouterPortCtx) -> bool {
    !ctx.gateway_router && !ctx.has_l3dgw_ports
}

/// Traffic to the router's own addresses goes no further: dropped here,
/// but for those that are also SNAT addresses (or all, with
/// `lb_force_snat_ip=router_ip`), which are dropped in `lr_in_arp_resolve`
/// if unSNAT did not claim them.
pub fn own_destination_flows(
    port: &RouterPort,
    snat_ips: &[IpAddr],
    force_snat_router_ip: bool,
    out: &mut Vec<LogicalFlow>,
) {
    let v4 = port.networks.ipv4.iter().map(|n| IpAddr::V4(n.addr));
    let v6 = port.networks.ipv6.iter().map(|n| IpAddr::V6(n.addr));
    for (family, addrs) in [("ip4", v4.collect::<Vec<_>>()), ("ip6", v6.collect())] {
        let (snat, other): (Vec<IpAddr>, Vec<IpAddr>) =
            addrs.into_iter().partition(|a| snat_ips.contains(a));
        for (stage, priority, addrs) in [
            (Stage::LrInIpInput, 60, other),
            (Stage::LrInArpResolve, 2, snat),
        ] {
            if addrs.is_empty() || (priority == 60 && force_snat_router_ip) {
                continue;
            }
            out.push(port_flow(
                port,
                LogicalFlow::new(
                    stage,
                    priority,
                    format!("{family}.dst == {}", addr_set(addrs, true)),
                    DROP,
                ),
            ));
        }
    }
}
