//! `lr_in_lookup_neighbor` and `lr_in_learn_neighbor`: learn MAC bindings
//! from ARP and neighbour discovery, unless already known (or, with
//! `always_learn_from_arp_request=false`, unless the sender is one we asked).

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::router::{RouterCtx, RouterPort, RouterPortCtx};
use northflow_ir::stage::Stage;

use super::{port_flow, port_match};
use crate::names::DROP;
use crate::registers::{LOOKUP_NEIGHBOR_IP_RESULT as IP_RESULT, LOOKUP_NEIGHBOR_RESULT as RESULT};

pub(super) fn router_flows(ctx: &RouterCtx, out: &mut Vec<LogicalFlow>) {
    let learn_all = ctx.router.always_learn_from_arp_request;
    let ip_known = if learn_all {
        String::new()
    } else {
        format!("{IP_RESULT} = 1; ")
    };
    let lookup =
        |priority, m: &str, a: String| LogicalFlow::new(Stage::LrInLookupNeighbor, priority, m, a);
    out.push(lookup(
        100,
        "arp.op == 2",
        format!("{RESULT} = lookup_arp(inport, arp.spa, arp.sha); {ip_known}next;"),
    ));
    out.push(lookup(
        100,
        "nd_na",
        format!("{RESULT} = lookup_nd(inport, nd.target, nd.tll); {ip_known}next;"),
    ));
    if !learn_all {
        out.push(lookup(
            110,
            "nd_na && ip6.src == fe80::/10 && ip6.dst == ff00::/8",
            format!(
                "{RESULT} = lookup_nd(inport, nd.target, nd.tll); \
                 {IP_RESULT} = lookup_nd_ip(inport, nd.target); next;"
            ),
        ));
    }
    let ns_ip = if learn_all {
        String::new()
    } else {
        format!("{IP_RESULT} = lookup_nd_ip(inport, ip6.src); ")
    };
    out.push(lookup(
        100,
        "nd_ns",
        format!("{RESULT} = lookup_nd(inport, ip6.src, nd.sll); {ns_ip}next;"),
    ));
    out.push(lookup(0, "1", format!("{RESULT} = 1; next;")));

    let skip = if learn_all {
        format!("{RESULT} == 1")
    } else {
        format!("{RESULT} == 1 || {IP_RESULT} == 0")
    };
    let learn =
        |priority, m: &str, a: &str| LogicalFlow::new(Stage::LrInLearnNeighbor, priority, m, a);
    let copp = &ctx.copp;
    out.push(learn(100, &skip, "mac_cache_use; next;"));
    out.push(
        learn(90, "arp", "put_arp(inport, arp.spa, arp.sha); next;").with_meter(copp.get("arp")),
    );
    out.push(learn(95, "nd_ns && (ip6.src == 0 || nd.sll == 0)", "next;"));
    out.push(
        learn(
            95,
            "nd_na && nd.tll == 0",
            "put_nd(inport, nd.target, eth.src); next;",
        )
        .with_meter(copp.get("nd-na")),
    );
    out.push(
        learn(90, "nd_na", "put_nd(inport, nd.target, nd.tll); next;")
            .with_meter(copp.get("nd-na")),
    );
    out.push(
        learn(90, "nd_ns", "put_nd(inport, ip6.src, nd.sll); next;").with_meter(copp.get("nd-ns")),
    );
    out.push(learn(0, "1", DROP));
}

/// ARP requests from a port's own networks are looked up (and, with
/// `always_learn_from_arp_request=false`, those for the port's own
/// address are always learned).
pub(super) fn port_flows(port: &RouterPort, ctx: &RouterPortCtx, out: &mut Vec<LogicalFlow>) {
    let inport = port_match("inport", port);
    // Multicast neighbour discovery reaches every chassis: only the gateway
    // chassis learns from it on a distributed gateway port.
    if port.is_gateway() {
        out.push(port_flow(
            port,
            LogicalFlow::new(
                Stage::LrInLookupNeighbor,
                120,
                format!(
                    "{inport} && (nd_na || nd_ns) && eth.mcast && !is_chassis_resident({})",
                    super::json_string(&port.redirect_name())
                ),
                format!("{RESULT} = 1; next;"),
            ),
        ));
    }
    let learn_all = ctx.always_learn_from_arp_request;
    for net in &port.networks.ipv4 {
        let from_net = format!("{inport} && arp.spa == {}/{}", net.network(), net.plen);
        if !learn_all {
            out.push(port_flow(
                port,
                LogicalFlow::new(
                    Stage::LrInLookupNeighbor,
                    110,
                    format!("{from_net} && arp.tpa == {} && arp.op == 1", net.addr),
                    format!(
                        "{RESULT} = lookup_arp(inport, arp.spa, arp.sha); {IP_RESULT} = 1; next;"
                    ),
                ),
            ));
        }
        let ip_lookup = if learn_all {
            String::new()
        } else {
            format!("{IP_RESULT} = lookup_arp_ip(inport, arp.spa); ")
        };
        out.push(port_flow(
            port,
            LogicalFlow::new(
                Stage::LrInLookupNeighbor,
                100,
                format!("{from_net} && arp.op == 1"),
                format!("{RESULT} = lookup_arp(inport, arp.spa, arp.sha); {ip_lookup}next;"),
            ),
        ));
    }
}
