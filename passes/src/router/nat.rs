//! The NAT, defragmentation and load-balancing stages (`lr_in_unsnat` …
//! `lr_in_ecmp_stateful`, the DHCP relay stages, `lr_out_chk_dnat_local` …
//! `lr_out_egr_loop`): what every router has. NAT rules and load
//! balancers add to them.

use northflow_ir::intern::Text;
use northflow_ir::lflow::LogicalFlow;
use northflow_ir::quote::json_string;
use northflow_ir::router::{
    CoppMeters, ForceSnatAddrs, LrpNetworks, Nat, NatCtx, NatGateway, NatKind,
};
use northflow_ir::stage::Stage;

use super::network_id::MAX_NETWORK_ID;
use crate::names::DROP;
use crate::registers::{
    DST_NAT_IP_LOCAL, EGRESS_LOOPBACK, INPORT_ETH_ADDR, NEXT_HOP_IPV4, NEXT_HOP_IPV6, PKT_LARGER,
    SRC_IPV4, SRC_IPV6,
};

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

/// `ip4` / `ip6`.
fn ip(nat: &Nat) -> &'static str {
    if nat.is_v6() {
        "ip6"
    } else {
        "ip4"
    }
}

/// ovn-northd's NAT priorities: a rule with a `match` by its own
/// `priority`; DNAT 100; SNAT by the length of its logical prefix (above
/// the others on a router with gateway ports).
fn priority(nat: &Nat, ctx: &NatCtx, dnat: bool) -> u16 {
    if !nat.match_.is_empty() {
        return (300 + nat.priority).clamp(0, i64::from(u16::MAX)) as u16;
    }
    if dnat {
        return 100;
    }
    let mut p = u16::from(nat.logical_plen) + 1;
    if !ctx.gateway_router && ctx.gateway.is_some() {
        p += 128;
    }
    p
}

/// Where a centralized rule applies on a router with gateway ports: on the
/// gateway chassis; a distributed one where its logical port lives.
fn resident(nat: &Nat, ctx: &NatCtx, gw: &NatGateway) -> String {
    match (ctx.distributed, &nat.logical_port) {
        (true, Some(lp)) => format!("is_chassis_resident({})", plain_quoted(lp)),
        _ => format!("is_chassis_resident({})", json_string(&gw.redirect_name())),
    }
}

/// `"name"` as ovn-northd prints a logical port name with `\"%s\"`.
fn plain_quoted(name: &str) -> String {
    format!("\"{name}\"")
}

fn with_hint(nat: &Nat, flow: LogicalFlow) -> LogicalFlow {
    flow.with_hint(nat.uuid)
}

/// The flows of one NAT rule on a gateway router or a router with gateway
/// ports (a rule elsewhere only answers ARP for its address).
pub fn nat_flows(nat: &Nat, ctx: &NatCtx, out: &mut Vec<LogicalFlow>) {
    if !ctx.gateway_router && ctx.gateway.is_none() {
        return;
    }
    let ip = ip(nat);
    let ext = &nat.external_ip_text;
    let gw = ctx.gateway.as_ref().filter(|_| !ctx.gateway_router);
    let on_gateway = |m: &mut String, dir: &str| {
        if let Some(gw) = gw {
            m.push_str(&format!(" && {dir} == {}", json_string(&gw.name)));
            if !ctx.distributed {
                m.push_str(&format!(
                    " && is_chassis_resident({})",
                    json_string(&gw.redirect_name())
                ));
            }
        }
    };
    let flow = |stage, priority, m: String, a: String| {
        with_hint(nat, LogicalFlow::new(stage, priority, m, a))
    };

    // lr_in_unsnat: replies to SNATed traffic.
    if nat.kind.snats() {
        let mut m = format!("ip && {ip}.dst == {ext}");
        on_gateway(&mut m, "inport");
        let action = if nat.stateless { "next;" } else { "ct_snat;" };
        let p = if ctx.gateway_router { 90 } else { 100 };
        out.push(flow(Stage::LrInUnsnat, p, m, action.to_owned()));
    }

    // lr_in_dnat.
    if nat.kind.dnats() {
        let p = priority(nat, ctx, true);
        let mut m = format!("ip && {ip}.dst == {ext}");
        let mut a = String::new();
        if ctx.gateway_router {
            if ctx.dnat_force_snat {
                a.push_str("flags.force_snat_for_dnat = 1; ");
            }
            a.push_str("flags.loopback = 1; ");
        } else {
            on_gateway(&mut m, "inport");
        }
        ext_ips(nat, ctx, Stage::LrInDnat, p, "src", &mut m, out);
        if nat.stateless {
            a.push_str(&format!("{ip}.dst={}; next;", nat.logical_ip));
        } else {
            a.push_str(&format!("ct_dnat({}{});", nat.logical_ip, port_range(nat)));
        }
        if !nat.match_.is_empty() {
            m.push_str(&format!(" && ({})", nat.match_));
        }
        out.push(flow(Stage::LrInDnat, p, m, a));
    }

    if let Some(gw) = gw {
        // lr_out_undnat: replies to DNATed traffic.
        if nat.kind.dnats() {
            let mut m = format!("ip && {ip}.src == {}", nat.logical_ip);
            m.push_str(&format!(" && outport == {}", json_string(&gw.name)));
            if !ctx.distributed {
                m.push_str(&format!(
                    " && is_chassis_resident({})",
                    json_string(&gw.redirect_name())
                ));
            }
            let mut a = distributed_eth_src(nat, ctx);
            a.push_str(if nat.stateless { "next;" } else { "ct_dnat;" });
            out.push(flow(Stage::LrOutUndnat, 100, m, a));
        }
    }

    // lr_out_snat.
    if nat.kind.snats() {
        let p = priority(nat, ctx, false);
        let m = snat_match(nat, ctx, false, out);
        let mut a = String::new();
        if !ctx.gateway_router {
            a = distributed_eth_src(nat, ctx);
        }
        if nat.stateless {
            a.push_str(&format!("{ip}.src={ext}; next;"));
            out.push(flow(Stage::LrOutSnat, p, m, a));
        } else {
            let m = format!("{m} && (!ct.trk || !ct.rpl)");
            a.push_str(&format!("ct_snat({ext}{});", port_range(nat)));
            out.push(flow(Stage::LrOutSnat, p, m.clone(), a));
            if ctx.zone_tracking && !ctx.gateway_router {
                zone_tracking(nat, ctx, p, m, out);
            }
        }
    }

    let Some(gw) = gw else { return };
    let gw_port = json_string(&gw.name);
    // lr_in_ip_input: the router's own SNATed traffic coming back in.
    if nat.kind == NatKind::Snat {
        out.push(flow(
            Stage::LrInIpInput,
            120,
            format!("inport == {gw_port} && {ip}.src == {ext}"),
            "next;".to_owned(),
        ));
    }
    if ctx.distributed {
        if let (Some((mac, mac_text)), Some(lp)) = (&nat.external_mac, &nat.logical_port) {
            let admission = super::pkt_len::checked_flows(
                gw.mtu.as_ref(),
                Stage::LrInAdmission,
                &format!(
                    "eth.dst == {mac} && inport == {gw_port} && is_chassis_resident({})",
                    plain_quoted(lp)
                ),
                &format!("{INPORT_ETH_ADDR} = {}; next;", gw.mac),
            );
            out.extend(admission.into_iter().map(|f| with_hint(nat, f)));
            if let Some(g) = &gw.mtu {
                out.push(too_big_flow(nat, mac_text, &gw_port, g.mtu, &ctx.copp));
            }
            let src = if nat.is_v6() { SRC_IPV6 } else { SRC_IPV4 };
            out.push(flow(
                Stage::LrInGwRedirect,
                100,
                format!(
                    "{ip}.src == {} && outport == {gw_port} && is_chassis_resident({})",
                    nat.logical_ip,
                    plain_quoted(lp)
                ),
                format!("eth.src = {mac_text}; {src} = {ext}; next;"),
            ));
        }
    }
    // lr_out_egr_loop: traffic to the external address goes back in.
    let mut regs = String::new();
    for r in 0..10 {
        regs.push_str(&format!("reg{r} = 0; "));
    }
    out.push(flow(
        Stage::LrOutEgrLoop,
        100,
        format!(
            "{ip}.dst == {ext} && outport == {gw_port} && {}",
            resident(nat, ctx, gw)
        ),
        format!(
            "clone {{ ct_clear; inport = outport; outport = \"\"; eth.dst <-> eth.src; \
             flags = 0; flags.loopback = 1; {regs}{EGRESS_LOOPBACK} = 1; \
             next(pipeline=ingress, table={}); }};",
            Stage::LrInAdmission.table()
        ),
    ));
}

/// `lr_in_ip_input`: a packet for a distributed rule's address larger than
/// its gateway port's MTU gets "fragmentation needed" / "packet too big"
/// back, from the rule's addresses.
fn too_big_flow(nat: &Nat, mac: &str, gw_port: &str, mtu: u32, copp: &CoppMeters) -> LogicalFlow {
    let ext = &nat.external_ip_text;
    let super::pkt_len::TooBig {
        family,
        error,
        meter,
        body,
    } = super::pkt_len::TooBig::of(nat.is_v6());
    let mut f = with_hint(
        nat,
        LogicalFlow::new(
            Stage::LrInIpInput,
            160,
            format!(
                "inport == {gw_port} && {PKT_LARGER} && {EGRESS_LOOPBACK} == 0 && \
                 {family} && {family}.dst == {ext}"
            ),
            format!(
                "{error} {{{EGRESS_LOOPBACK} = 1; {PKT_LARGER} = 0; eth.dst = eth.src; \
                 eth.src = {mac}; {family}.dst = {family}.src; {family}.src = {ext}; \
                 ip.ttl = 254; {body} = {mtu}; outport = {gw_port}; flags.loopback = 1; \
                 output; }};"
            ),
        ),
    );
    f.controller_meter = copp.get(meter).map(Into::into);
    f
}

/// `eth.src = MAC; ` for a distributed rule.
fn distributed_eth_src(nat: &Nat, ctx: &NatCtx) -> String {
    match (&nat.external_mac, ctx.distributed) {
        (Some((mac, _)), true) => format!("eth.src = {mac}; "),
        _ => String::new(),
    }
}

fn port_range(nat: &Nat) -> String {
    match nat.external_port_range.is_empty() {
        true => String::new(),
        false => format!(",{}", nat.external_port_range),
    }
}

/// `allowed_ext_ips` narrows the match; `exempted_ext_ips` adds a flow two
/// above the rule's that lets those addresses by.
fn ext_ips(
    nat: &Nat,
    ctx: &NatCtx,
    stage: Stage,
    priority: u16,
    field: &str,
    m: &mut String,
    out: &mut Vec<LogicalFlow>,
) {
    let ip = ip(nat);
    if let Some(set) = &ctx.allowed_ext_ips {
        m.push_str(&format!(" && {ip}.{field} == ${set}"));
    } else if let Some(set) = &ctx.exempted_ext_ips {
        out.push(with_hint(
            nat,
            LogicalFlow::new(
                stage,
                priority + 2,
                format!("{m} && {ip}.{field} == ${set}"),
                "next;",
            ),
        ));
    }
}

/// The traffic a SNAT rule applies to (`reverse`: its replies).
fn snat_match(nat: &Nat, ctx: &NatCtx, reverse: bool, out: &mut Vec<LogicalFlow>) -> String {
    let ip = ip(nat);
    let (field, dir) = if reverse {
        ("dst", "inport")
    } else {
        ("src", "outport")
    };
    let mut m = format!("ip && {ip}.{field} == {}", nat.logical_ip);
    if !ctx.gateway_router {
        if let Some(gw) = &ctx.gateway {
            m.push_str(&format!(" && {dir} == {}", json_string(&gw.name)));
            let resident = match (ctx.distributed, &nat.logical_port) {
                (true, Some(lp)) => lp.to_string(),
                _ => gw.redirect_name(),
            };
            m.push_str(&format!(
                " && is_chassis_resident({})",
                plain_quoted(&resident)
            ));
        }
    }
    if ctx.allowed_ext_ips.is_some() || ctx.exempted_ext_ips.is_some() {
        // The exempt flow sits in lr_in_dnat for replies, lr_out_snat
        // otherwise, at the priority of the rule's DNAT or SNAT flow.
        let (stage, p) = match reverse {
            true => (Stage::LrInDnat, priority(nat, ctx, true)),
            false => (Stage::LrOutSnat, priority(nat, ctx, false)),
        };
        let field = if reverse { "src" } else { "dst" };
        ext_ips(nat, ctx, stage, p, field, &mut m, out);
    }
    if !nat.match_.is_empty() {
        m.push_str(&format!(" && ({})", nat.match_));
    }
    m
}

/// On a distributed router whose chassis can, connections of the SNAT
/// network are tracked in the SNAT zone (`snat` rules) or the DNAT zone
/// (`dnat_and_snat`), so that replies are not SNATed.
fn zone_tracking(nat: &Nat, ctx: &NatCtx, p: u16, m: String, out: &mut Vec<LogicalFlow>) {
    let (zone, offset) = match nat.kind {
        NatKind::Snat => ("snat", 0),
        _ => ("dnat", 5),
    };
    out.push(LogicalFlow::new(
        Stage::LrOutPostUndnat,
        70 + offset,
        m,
        format!("ct_next({zone});"),
    ));
    let reverse = snat_match(nat, ctx, true, out);
    out.push(LogicalFlow::new(
        Stage::LrOutSnat,
        p + offset,
        format!("{reverse} && (!ct.trk || !ct.rpl)"),
        format!("ct_{zone};"),
    ));
    out.push(LogicalFlow::new(
        Stage::LrOutPostSnat,
        p + offset,
        format!("{reverse} && ct.new"),
        format!("ct_commit_to_zone({zone});"),
    ));
}

/// The flows about one external address of a router's NAT rules, from the
/// first rule that has it (`leader`).
pub fn nat_address_flows(nat: &Nat, ctx: &NatCtx, copp: &CoppMeters, out: &mut Vec<LogicalFlow>) {
    // lr_in_ip_input: ARP and neighbour solicitations for the address, on
    // any port; on the gateway port only on the chassis the rule applies.
    let addr = nat.external_ip;
    let reply = |inport: Option<&str>, extra: Option<String>, p: u16, mac: &str, drop: bool| {
        let mut m = inport.map_or(String::new(), |i| format!("inport == {i} && "));
        let a;
        if let std::net::IpAddr::V6(a6) = addr {
            let sn = northflow_ir::addr::Ipv6Net {
                addr: a6,
                plen: 128,
            }
            .solicited_node();
            m.push_str(&format!(
                "ip6.dst == {{{a6}, {sn}}} && nd_ns && nd.target == {a6}"
            ));
            a = format!(
                "nd_na {{ eth.src = {mac}; ip6.src = nd.target; nd.tll = {mac}; \
                 outport = inport; flags.loopback = 1; output; }};"
            );
        } else {
            m.push_str(&format!("arp.op == 1 && arp.tpa == {addr}"));
            a = crate::names::arp_reply(mac);
        }
        if let Some(e) = extra {
            m.push_str(&format!(" && {e}"));
        }
        let mut f = with_hint(
            nat,
            LogicalFlow::new(
                Stage::LrInIpInput,
                p,
                m,
                if drop { DROP.to_owned() } else { a },
            ),
        );
        if addr.is_ipv6() && !drop {
            f.controller_meter = copp.get("nd-na").map(Into::into);
        }
        f
    };
    out.push(reply(None, None, 90, INPORT_ETH_ADDR, false));
    if ctx.gateway_router {
        return;
    }
    let Some(gw) = &ctx.gateway else { return };
    let gw_port = json_string(&gw.name);
    let (mac, resident) = match (&nat.external_mac, &nat.logical_port) {
        (Some((_, text)), Some(lp)) => (
            text.clone(),
            format!("is_chassis_resident({})", plain_quoted(lp)),
        ),
        _ => (
            INPORT_ETH_ADDR.to_owned(),
            format!("is_chassis_resident({})", json_string(&gw.redirect_name())),
        ),
    };
    if !gw.centralized {
        out.push(reply(Some(&gw_port), Some(resident), 92, &mac, false));
        out.push(reply(Some(&gw_port), None, 91, &mac, true));
    }

    // lr_in_arp_resolve: no loop back out of the gateway port for an
    // address not translated; towards it from inside, its MAC.
    let (next_hop, ip) = match addr.is_ipv6() {
        true => (NEXT_HOP_IPV6, "ip6"),
        false => (NEXT_HOP_IPV4, "ip4"),
    };
    let ext = &nat.external_ip_text;
    out.push(with_hint(
        nat,
        LogicalFlow::new(
            Stage::LrInArpResolve,
            150,
            format!("inport == {gw_port} && outport == {gw_port} && {ip}.dst == {ext}"),
            DROP,
        ),
    ));
    let dst = match (&nat.external_mac, ctx.distributed) {
        (Some((_, text)), true) => text.clone(),
        _ => gw.mac.to_string(),
    };
    out.push(with_hint(
        nat,
        LogicalFlow::new(
            Stage::LrInArpResolve,
            100,
            format!("outport == {gw_port} && {next_hop} == {ext}"),
            format!("eth.dst = {dst}; next;"),
        ),
    ));
}

/// A gateway router with NAT rules (or load balancers) sends all traffic
/// through the DNAT zone on its way out, committing new connections
/// (unless `commit_all` commits them to both zones instead).
pub fn gateway_router_flows(commit_all: bool, out: &mut Vec<LogicalFlow>) {
    out.push(LogicalFlow::new(
        Stage::LrOutUndnat,
        100,
        "nd || nd_rs || nd_ra",
        "next;",
    ));
    out.push(LogicalFlow::new(
        Stage::LrOutUndnat,
        50,
        "ip",
        "flags.loopback = 1; ct_dnat;",
    ));
    if !commit_all {
        out.push(LogicalFlow::new(
            Stage::LrOutPostUndnat,
            50,
            "ip && ct.new",
            "ct_commit { } ; next; ",
        ));
    }
}

/// `options:ct-commit-all` on a router with stateful NAT: every new
/// connection is committed to both the DNAT and the SNAT zone. On a
/// gateway router (`gateway_port` none) for all traffic; else for traffic
/// in and out of that distributed gateway port where its chassis-redirect
/// port is resident. Needs the chassis' `ct_commit_to_zone` and
/// `ct_next(zone)`.
pub fn commit_all_flows(gateway_port: Option<&str>, out: &mut Vec<LogicalFlow>) {
    let (inport, outport) = match gateway_port {
        None => (String::new(), String::new()),
        Some(p) => {
            let resident = format!("is_chassis_resident({})", json_string(&format!("cr-{p}")));
            (
                format!(" && inport == {} && {resident}", json_string(p)),
                format!(" && outport == {} && {resident}", json_string(p)),
            )
        }
    };
    let flows = [
        (
            Stage::LrInDefrag,
            format!("ip && (!ct.trk || !ct.rpl){inport}"),
            "ct_next(dnat);",
        ),
        (
            Stage::LrInDnat,
            format!("ip && ct.new{inport}"),
            "ct_commit_to_zone(dnat);",
        ),
        (
            Stage::LrInPostUnsnat,
            format!("ip && ct.new{inport}"),
            "flags.unsnat_new = 1; next;",
        ),
        (
            Stage::LrInPostUnsnat,
            format!("ip && !ct.trk{inport}"),
            "flags.unsnat_not_tracked = 1; next;",
        ),
        (
            Stage::LrOutPostUndnat,
            format!("ip && (!ct.trk || !ct.rpl) && flags.unsnat_not_tracked == 1{outport}"),
            "ct_next(snat);",
        ),
        (
            Stage::LrOutPostUndnat,
            format!("ip && flags.unsnat_new == 1{outport}"),
            "next;",
        ),
        (
            Stage::LrOutSnat,
            format!("ip && (!ct.trk || !ct.rpl) && flags.unsnat_new == 1{outport}"),
            "ct_commit_to_zone(snat);",
        ),
        (
            Stage::LrOutSnat,
            format!("ip && ct.new{outport}"),
            "ct_commit_to_zone(snat);",
        ),
    ];
    for (stage, m, a) in flows {
        out.push(LogicalFlow::new(stage, 10, m, a));
    }
}

/// `*_force_snat_ip` on a gateway router: replies to the address are
/// unSNATed; traffic DNATed (`dnat`) or load balanced (`lb`) leaves from
/// it.
pub fn force_snat_flows(addrs: &ForceSnatAddrs, context: &str, out: &mut Vec<LogicalFlow>) {
    let v4 = addrs.ipv4.map(|a| ("4", a.to_string()));
    let v6 = addrs.ipv6.map(|a| ("6", a.to_string()));
    for (v, a) in v4.into_iter().chain(v6) {
        out.push(LogicalFlow::new(
            Stage::LrInUnsnat,
            110,
            format!("ip{v} && ip{v}.dst == {a}"),
            "ct_snat;",
        ));
        out.push(LogicalFlow::new(
            Stage::LrOutSnat,
            100,
            format!("flags.force_snat_for_{context} == 1 && ip{v}"),
            format!("ct_snat({a});"),
        ));
    }
}

/// `lb_force_snat_ip=router_ip` on a gateway router: load-balanced
/// traffic leaves from the address of the port (of its network, by
/// `flags.network_id`) it leaves through.
pub fn router_ip_force_snat_flows(port: &Text, networks: &LrpNetworks, out: &mut Vec<LogicalFlow>) {
    let p = json_string(port);
    let v4: Vec<String> = networks.ipv4.iter().map(|n| n.addr.to_string()).collect();
    let v6: Vec<String> = networks
        .configured_ipv6()
        .iter()
        .map(|n| n.addr.to_string())
        .collect();
    for (v, addrs) in [("4", &v4), ("6", &v6)] {
        for (i, a) in addrs.iter().enumerate() {
            out.push(LogicalFlow::new(
                Stage::LrInUnsnat,
                110,
                format!("inport == {p} && ip{v}.dst == {a}"),
                "ct_snat;",
            ));
            let id = if i > MAX_NETWORK_ID { 0 } else { i };
            out.push(LogicalFlow::new(
                Stage::LrOutSnat,
                110,
                format!(
                    "flags.force_snat_for_lb == 1 && flags.network_id == {id} && ip{v} && \
                     outport == {p}"
                ),
                format!("ct_snat({});", addrs[id]),
            ));
        }
    }
    for (v, addrs) in [("4", &v4), ("6", &v6)] {
        if let Some(first) = addrs.first() {
            out.push(LogicalFlow::new(
                Stage::LrOutSnat,
                105,
                format!("flags.force_snat_for_lb == 1 && ip{v} && outport == {p}"),
                format!("ct_snat({first});"),
            ));
        }
    }
}
