//! Routing: `lr_in_nd_ra_options`/`lr_in_nd_ra_response` defaults,
//! `lr_in_ip_routing_pre`, `lr_in_ip_routing` (longest prefix first:
//! priority = prefix length × 8 + the route's source), `lr_in_ip_routing_ecmp`,
//! `lr_in_policy`, `lr_in_policy_ecmp`.

use std::net::IpAddr;

use northflow_ir::addr::{Ipv6Net, Mac};
use northflow_ir::lflow::{port_key_ref, LogicalFlow};
use northflow_ir::router::{
    masked, CoppMeters, Nexthop, Policy, PolicyAction, RouterPort, StaticRoute,
};
use northflow_ir::stage::Stage;

use super::{json_string, port_flow};
use crate::names::DROP;
use crate::registers::{
    ECMP_ETH_FIELD, ECMP_ETH_FULL, ECMP_GROUP_ID, ECMP_MEMBER_ID, NEEDS_ECMP_STATEFUL_COMMIT,
    NEXTHOP_IS_IPV4, NEXT_HOP_IPV4, NEXT_HOP_IPV6, POLICY_CHAIN_ID, ROUTE_TABLE_ID, SRC_IPV4,
    SRC_IPV6,
};

/// Route priority: prefix length × 8 plus the offset of the route's source.
const PRIO_PER_PREFIX_BIT: u16 = 8;
const PRIO_CONNECTED: u16 = 6;
const PRIO_STATIC: u16 = 4;

/// The router port a static route leaves through, and the port's address
/// it uses as source.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct RouteOut {
    pub port: northflow_ir::intern::Text,
    pub mac: Mac,
    pub lrp_addr: IpAddr,
}

impl RouteOut {
    /// How a route with next hop `nexthop` (or, for an `output_port` route
    /// without one, of `ipv4`'s family) leaves through `port`: from the
    /// port's address on the next hop's network; with `forced` (the route
    /// names the port), else from its first address of that family.
    pub fn of(
        port: &RouterPort,
        nexthop: Option<IpAddr>,
        ipv4: bool,
        forced: bool,
    ) -> Option<RouteOut> {
        let nets = &port.networks;
        let member = nexthop.and_then(|ip| match ip {
            IpAddr::V4(a) => nets
                .ipv4
                .iter()
                .find(|n| n.contains(a))
                .map(|n| IpAddr::V4(n.addr)),
            IpAddr::V6(a) => nets
                .ipv6
                .iter()
                .find(|n| n.contains(a))
                .map(|n| IpAddr::V6(n.addr)),
        });
        let lrp_addr = match member {
            Some(a) => a,
            None if forced && ipv4 => IpAddr::V4(nets.ipv4.first()?.addr),
            None if forced => IpAddr::V6(nets.ipv6.first()?.addr),
            None => return None,
        };
        Some(RouteOut {
            port: port.name.clone(),
            mac: nets.mac,
            lrp_addr,
        })
    }
}

/// The flow of one static route, in route table `table` (0: the main
/// table), leaving through `out_port` (none for a `discard` route).
pub fn static_route_flows(
    route: &StaticRoute,
    table: u16,
    out_port: Option<&RouteOut>,
    out: &mut Vec<LogicalFlow>,
) {
    let v4 = route.is_ipv4_prefix();
    let scope = match (masked(route.prefix, route.plen), out_port) {
        (IpAddr::V6(a), Some(o)) if (Ipv6Net { addr: a, plen: 128 }).is_link_local() => {
            format!("inport == {} && ", json_string(&o.port))
        }
        _ => String::new(),
    };
    let (m, priority) = route_match(route, table, &scope);
    let actions = match (&route.nexthop, out_port) {
        (Nexthop::Discard, _) => DROP.to_owned(),
        (_, None) => return,
        (nexthop, Some(o)) => {
            let v4_hop = route.is_ipv4_nexthop();
            let (hop_reg, src_reg) = match v4_hop {
                true => (NEXT_HOP_IPV4, SRC_IPV4),
                false => (NEXT_HOP_IPV6, SRC_IPV6),
            };
            let hop = match nexthop {
                Nexthop::Via(ip) => ip.to_string(),
                _ => format!("ip{}.dst", if v4 { "4" } else { "6" }),
            };
            format!(
                "ip.ttl--; {ECMP_GROUP_ID} = 0; {hop_reg} = {hop}; {src_reg} = {}; eth.src = {}; \
                 outport = {}; flags.loopback = 1; {NEXTHOP_IS_IPV4} = {}; next;",
                o.lrp_addr,
                o.mac,
                json_string(&o.port),
                u8::from(v4_hop)
            )
        }
    };
    out.push(LogicalFlow::new(Stage::LrInIpRouting, priority, m, actions).with_hint(route.uuid));
}

/// The match of a static route in route table `table` (after `scope`) and
/// its priority.
fn route_match(route: &StaticRoute, table: u16, scope: &str) -> (String, u16) {
    let (dir, ofs) = if route.src_ip {
        ("src", 0)
    } else {
        ("dst", PRIO_STATIC)
    };
    let m = format!(
        "{scope}{ROUTE_TABLE_ID} == {table} && ip{}.{dir} == {}/{}",
        if route.is_ipv4_prefix() { "4" } else { "6" },
        masked(route.prefix, route.plen),
        route.plen
    );
    (m, u16::from(route.plen) * PRIO_PER_PREFIX_BIT + ofs)
}

/// What makes a router's static routes one ECMP group: the same prefix
/// (network and length) in the same direction and route table.
pub fn ecmp_key(route: &StaticRoute) -> (String, bool, IpAddr, u8) {
    (
        route.route_table.clone(),
        route.src_ip,
        masked(route.prefix, route.plen),
        route.plen,
    )
}

/// A router port with `options:route_table`: packets it receives are
/// routed by table `table` (ovn-northd pastes the name between quotes
/// unescaped).
pub fn route_table_flow(port: &str, table: u16, out: &mut Vec<LogicalFlow>) {
    out.push(LogicalFlow::new(
        Stage::LrInIpRoutingPre,
        100,
        format!("inport == \"{port}\""),
        format!("{ROUTE_TABLE_ID} = {table}; next;"),
    ));
}

/// The flows of an ECMP group of static routes (two or more with one
/// prefix in route table `table`, or one that asks for symmetric
/// replies): `lr_in_ip_routing` puts the packet in group `group` and
/// `select()`s a member; each member
/// (a route and its way out, in `members` order; none: `discard`, which
/// makes the whole group drop) sets its next hop in
/// `lr_in_ip_routing_ecmp`. On a gateway router, members asking for
/// symmetric replies track connections in and out of their port, so that
/// replies leave through the port the traffic came in on.
pub fn ecmp_route_flows(
    members: &[(StaticRoute, Option<RouteOut>)],
    table: u16,
    group: u16,
    gateway_router: bool,
    out: &mut Vec<LogicalFlow>,
) {
    let Some((first, _)) = members.first() else {
        return;
    };
    // The fields every member hashes on; by port, a flow per transport
    // protocol too (hashing on its own port fields), one priority up.
    let fields: Vec<&String> = first
        .selection_fields
        .iter()
        .filter(|f| members.iter().all(|(r, _)| r.selection_fields.contains(f)))
        .collect();
    let by_ports = fields.iter().any(|f| *f == "tp_src" || *f == "tp_dst");
    let protocols: &[Option<&str>] = match by_ports {
        true => &[None, Some("tcp"), Some("udp"), Some("sctp")],
        false => &[None],
    };
    let mut flows = Vec::new();
    for protocol in protocols {
        let (mut route_m, mut priority) = route_match(first, table, "");
        if protocol.is_some() {
            priority += 1;
        }
        let values = (1..=members.len())
            .map(|m| m.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let select = match (members.len(), fields.is_empty()) {
            (1, _) => format!("{ECMP_MEMBER_ID} = 1; next;"),
            (_, true) => format!("{ECMP_MEMBER_ID} = select({values});"),
            (_, false) => {
                if let Some(p) = protocol {
                    route_m.push_str(&format!(" && {p}"));
                }
                // Port fields become the protocol's (and are left out of
                // the flow for any protocol).
                let mut hashed: Vec<String> = fields
                    .iter()
                    .filter_map(|f| match (f.as_str(), protocol) {
                        ("tp_src", p) => p.map(|p| format!("{p}_src")),
                        ("tp_dst", p) => p.map(|p| format!("{p}_dst")),
                        (f, _) => Some(f.to_owned()),
                    })
                    .collect();
                hashed.sort();
                format!(
                    "{ECMP_MEMBER_ID} = select(values=({values}); hash_fields=\"{}\");",
                    hashed.join(",")
                )
            }
        };
        flows.push(LogicalFlow::new(
            Stage::LrInIpRouting,
            priority,
            &route_m,
            format!("ip.ttl--; flags.loopback = 1; {ECMP_GROUP_ID} = {group}; {select}"),
        ));
        member_flows(members, group, gateway_router, &route_m, &mut flows);
    }
    // The protocol passes repeat the member flows (and, with one member,
    // its symmetric-reply flows): once each.
    flows.sort();
    flows.dedup();
    out.extend(flows);
}

/// Each member's flow in `lr_in_ip_routing_ecmp` (and its port's
/// symmetric-reply flows, on a gateway router), for the group's routing
/// flow matching `route_m`.
fn member_flows(
    members: &[(StaticRoute, Option<RouteOut>)],
    group: u16,
    gateway_router: bool,
    route_m: &str,
    out: &mut Vec<LogicalFlow>,
) {
    let discard = members.iter().any(|(r, _)| r.nexthop == Nexthop::Discard);
    let mut symmetric_ports = Vec::new();
    for (n, (route, way)) in members.iter().enumerate() {
        let m = format!(
            "{ECMP_GROUP_ID} == {group} && {ECMP_MEMBER_ID} == {}",
            n + 1
        );
        let actions = match way {
            Some(way) if !discard => {
                let v4 = route.is_ipv4_nexthop();
                if gateway_router
                    && route.ecmp_symmetric_reply
                    && !symmetric_ports.contains(&way.port)
                {
                    symmetric_ports.push(way.port.clone());
                    symmetric_reply_flows(route, way, route_m, out);
                }
                let (hop_reg, src_reg) = match v4 {
                    true => (NEXT_HOP_IPV4, SRC_IPV4),
                    false => (NEXT_HOP_IPV6, SRC_IPV6),
                };
                let hop = match route.nexthop {
                    Nexthop::Via(ip) => ip.to_string(),
                    _ => format!("ip{}.dst", if v4 { "4" } else { "6" }),
                };
                let commit = match route.ecmp_symmetric_reply {
                    true => format!("{NEEDS_ECMP_STATEFUL_COMMIT} = 1; "),
                    false => String::new(),
                };
                format!(
                    "{hop_reg} = {hop}; {src_reg} = {}; eth.src = {}; outport = {}; \
                     {NEXTHOP_IS_IPV4} = {}; {commit}next;",
                    way.lrp_addr,
                    way.mac,
                    json_string(&way.port),
                    u8::from(v4)
                )
            }
            _ => DROP.to_owned(),
        };
        out.push(LogicalFlow::new(Stage::LrInIpRoutingEcmp, 100, m, actions).with_hint(route.uuid));
    }
}

/// Symmetric ECMP replies through `way`'s port: traffic in from the
/// route's prefix and out over the route is tracked, the port (by tunnel
/// key) and the sender's MAC kept in the connection; replies skip the
/// policies and go back out that port to that MAC.
fn symmetric_reply_flows(
    route: &StaticRoute,
    way: &RouteOut,
    route_m: &str,
    out: &mut Vec<LogicalFlow>,
) {
    let port = json_string(&way.port);
    let key = port_key_ref(&way.port);
    let network = masked(route.prefix, route.plen);
    let cidr = match route.plen {
        32 if network.is_ipv4() => network.to_string(),
        128 => network.to_string(),
        plen => format!("{network}/{plen}"),
    };
    let from = format!(
        "inport == {port} && ip{}.{} == {cidr}",
        if network.is_ipv4() { "4" } else { "6" },
        if route.src_ip { "dst" } else { "src" }
    );
    let reply = format!("ct_mark.ecmp_reply_port == {key}");
    let src_reg = if route.is_ipv4_nexthop() {
        SRC_IPV4
    } else {
        SRC_IPV6
    };
    for f in [
        LogicalFlow::new(Stage::LrInDefrag, 100, &from, "ct_next;"),
        LogicalFlow::new(Stage::LrInDefrag, 100, route_m, "ct_next;"),
        LogicalFlow::new(
            Stage::LrInEcmpStateful,
            100,
            format!("{from} && (ct.new || ct.est)"),
            format!(
                "ct_commit {{ ct_label.ecmp_reply_eth = eth.src; ct_mark.ecmp_reply_port = {key};}}; next;"
            ),
        ),
        LogicalFlow::new(
            Stage::LrInIpRouting,
            10300,
            format!("{reply} && {route_m}"),
            format!(
                "ip.ttl--; flags.loopback = 1; eth.src = {}; {src_reg} = {}; outport = {port}; next;",
                way.mac, way.lrp_addr
            ),
        ),
        LogicalFlow::new(Stage::LrInPolicy, 65535, &reply, "next;"),
        LogicalFlow::new(
            Stage::LrInArpResolve,
            200,
            &reply,
            format!(
                "push({ECMP_ETH_FULL}); {ECMP_ETH_FULL} = ct_label; eth.dst = {ECMP_ETH_FIELD}; \
                 pop({ECMP_ETH_FULL}); next;"
            ),
        ),
    ] {
        out.push(f.with_hint(route.uuid));
    }
}

/// A route to an IPv6 next hop: solicit it on the next hop's own
/// solicited-node address (ovn-northd does this for every such route of
/// the router, whether or not it found a way out).
pub fn static_route_nd_flows(route: &StaticRoute, copp: &CoppMeters, out: &mut Vec<LogicalFlow>) {
    let Nexthop::Via(IpAddr::V6(hop)) = route.nexthop else {
        return;
    };
    let sn = Ipv6Net {
        addr: hop,
        plen: 128,
    }
    .solicited_node();
    let o = sn.octets();
    let mac = Mac([0x33, 0x33, o[12], o[13], o[14], o[15]]);
    out.push(
        LogicalFlow::new(
            Stage::LrInArpRequest,
            200,
            format!(
                "eth.dst == 00:00:00:00:00:00 && {NEXTHOP_IS_IPV4} == 0 && {NEXT_HOP_IPV6} == {}",
                route.nexthop_text
            ),
            format!(
                "nd_ns {{ eth.dst = {mac}; ip6.dst = {sn}; nd.target = {}; output; }}; next;",
                route.nexthop_text
            ),
        )
        .with_meter(copp.get("nd-ns-resolve"))
        .with_hint(route.uuid),
    );
}

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

/// The flows of one routing policy in `lr_in_policy`. A `reroute` leaves
/// through `ways`: its usable next hops (index into `hops`) and the way out
/// to each (none usable: no flow, as ovn-northd skips it). An ECMP reroute
/// (`group`: its group id on the router) picks one of them with
/// `select()`, each member's flow in `lr_in_policy_ecmp`.
pub fn policy_flows(
    p: &Policy,
    ways: &[(usize, RouteOut)],
    group: u16,
    chains: Option<&ChainPlace>,
    out: &mut Vec<LogicalFlow>,
) {
    let mark = if p.pkt_mark != 0 {
        format!("pkt.mark = {}; ", p.pkt_mark)
    } else {
        String::new()
    };
    let m = match chains {
        None => p.match_.clone(),
        Some(c) => format!("{POLICY_CHAIN_ID} == {} && ({})", c.chain, p.match_),
    };
    let policy_flow = |actions: String| {
        LogicalFlow::new(Stage::LrInPolicy, p.priority, &m, actions).with_hint(p.uuid)
    };
    let PolicyAction::Reroute { hops, ecmp, .. } = &p.action else {
        out.push(policy_flow(match (&p.action, chains) {
            (PolicyAction::Drop, _) => DROP.to_owned(),
            (PolicyAction::Jump(_), Some(c)) => format!(
                "{POLICY_CHAIN_ID}={}; next(pipeline=ingress, table={});",
                c.jump,
                Stage::LrInPolicy.table()
            ),
            (PolicyAction::Jump(_), None) => return,
            _ => format!("{mark}{ECMP_GROUP_ID} = 0; next;"),
        }));
        return;
    };
    // Where a hop leaves: next hop and source registers, MAC, port.
    let reroute = |(hop, way): &(usize, RouteOut)| {
        let (nexthop, addr) = &hops[*hop];
        let (hop_reg, src_reg) = match addr.is_ipv4() {
            true => (NEXT_HOP_IPV4, SRC_IPV4),
            false => (NEXT_HOP_IPV6, SRC_IPV6),
        };
        let is_v4 = u8::from(addr.is_ipv4());
        (
            format!(
                "{mark}{hop_reg} = {nexthop}; {src_reg} = {}; eth.src = {}; outport = {}; \
                 flags.loopback = 1; ",
                way.lrp_addr,
                way.mac,
                json_string(&way.port)
            ),
            format!("{NEXTHOP_IS_IPV4} = {is_v4}; next;"),
        )
    };
    if !ecmp {
        if let Some(way) = ways.first() {
            let (to, tail) = reroute(way);
            out.push(policy_flow(format!("{to}{ECMP_GROUP_ID} = 0; {tail}")));
        }
        return;
    }
    if ways.is_empty() {
        return;
    }
    for (member, way) in ways.iter().enumerate() {
        let (to, tail) = reroute(way);
        out.push(
            LogicalFlow::new(
                Stage::LrInPolicyEcmp,
                100,
                format!(
                    "{ECMP_GROUP_ID} == {group} && {ECMP_MEMBER_ID} == {}",
                    member + 1
                ),
                format!("{to}{tail}"),
            )
            .with_hint(p.uuid),
        );
    }
    let members = (1..=ways.len())
        .map(|m| m.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    // ovn-northd matches an ECMP reroute as written, whatever its chain.
    out.push(
        LogicalFlow::new(
            Stage::LrInPolicy,
            p.priority,
            &p.match_,
            match ways.len() {
                1 => format!("{ECMP_GROUP_ID} = {group}; {ECMP_MEMBER_ID} = 1; next;"),
                _ => format!("{ECMP_GROUP_ID} = {group}; {ECMP_MEMBER_ID} = select({members});"),
            },
        )
        .with_hint(p.uuid),
    );
}

/// A policy's place among its router's chains (routers that name none
/// match policies as written): its chain's id (0: the default chain) and,
/// for a `jump`, its target's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChainPlace {
    pub chain: u16,
    pub jump: u16,
}
