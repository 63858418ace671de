//! `Logical_Router` → [`Router`].

use northflow_ir::addr::{Ipv4Net, Ipv6Net, Mac};
use northflow_ir::diag::Diagnostic;
use northflow_ir::intern::Text;
use northflow_ir::nb::{
    LogicalRouter, LogicalRouterPolicy, LogicalRouterPort, LogicalRouterStaticRoute, Nat as NbNat,
};
use northflow_ir::router::{
    ForceSnatAddrs, LbForceSnat, LrpNetworks, Nat, NatKind, Nexthop, Policy, PolicyAction, Router,
    RouterPort, StaticRoute,
};
use northflow_ir::row::Table;
use northflow_ir::smap::Smap;

use super::requested_datapath_key;
use crate::smap::{get_bool, get_int};

/// `None` for a disabled router: it has no datapath.
pub fn router(row: &LogicalRouter, diags: &mut Vec<Diagnostic>) -> Option<Router> {
    if row.enabled == Some(false) {
        return None;
    }
    let o = &row.options;
    let age = o.get("mac_binding_age_threshold");
    let mac_binding_age_threshold = age.and_then(|v| {
        let min = min_age_threshold(v);
        if min.is_none() {
            diags.push(Diagnostic::new(
                LogicalRouter::TABLE,
                row.uuid,
                "options",
                format!("mac_binding_age_threshold {v:?} is not [CIDR:]SECONDS[;…]: ignored"),
            ));
        }
        min.filter(|t| *t != 0)
    });
    let nonempty = |key: &str| o.get(key).filter(|v| !v.is_empty()).cloned();
    Some(Router {
        uuid: row.uuid,
        name: row.name.clone(),
        ports: row.ports.clone(),
        static_routes: row.static_routes.clone(),
        policies: row.policies.clone(),
        nats: row.nat.clone(),
        name2: row
            .external_ids
            .get("neutron:router_name")
            .filter(|n| !n.is_empty())
            .cloned(),
        requested_tnl_key: requested_datapath_key(
            o.get("requested-tnl-key"),
            LogicalRouter::TABLE,
            row.uuid,
            "options",
            diags,
        ),
        ct_zone_limit: Some(get_int(o, "ct-zone-limit", -1)).filter(|l| *l > 0),
        snat_ct_zone: Some(get_int(o, "snat-ct-zone", -1)).filter(|z| *z >= 0),
        always_learn_from_arp_request: get_bool(o, "always_learn_from_arp_request", true),
        mac_binding_age_threshold,
        disable_garp_rarp: get_bool(o, "disable_garp_rarp", false),
        copp: row.copp,
        chassis: o.get("chassis").cloned(),
        dynamic_neigh_routers: get_bool(o, "dynamic_neigh_routers", false),
        dynamic_routing_vrf_id: Some(get_int(o, "dynamic-routing-vrf-id", -1)).filter(|v| *v > 0),
        dynamic_routing_prefix_nexthops: [
            nonempty("dynamic-routing-v4-prefix-nexthop"),
            nonempty("dynamic-routing-v6-prefix-nexthop"),
        ],
        lb_force_snat: match o.get("lb_force_snat_ip").map(String::as_str) {
            Some("router_ip") if o.contains_key("chassis") => LbForceSnat::RouterIp,
            _ => force_snat_addrs(row, "lb_force_snat_ip", diags)
                .map_or(LbForceSnat::None, LbForceSnat::Addrs),
        },
        dnat_force_snat: force_snat_addrs(row, "dnat_force_snat_ip", diags).unwrap_or_default(),
        ct_commit_all: get_bool(o, "ct-commit-all", false),
    })
}

/// `options:<key>`: IP addresses, the first of each family used; `None`
/// (diagnosed) when nothing in it is an address.
fn force_snat_addrs(
    row: &LogicalRouter,
    key: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<ForceSnatAddrs> {
    let v = row.options.get(key)?;
    let mut addrs = ForceSnatAddrs::default();
    for a in v.split_whitespace() {
        match a.parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V4(a)) => {
                addrs.ipv4.get_or_insert(a);
            }
            Ok(std::net::IpAddr::V6(a)) => {
                addrs.ipv6.get_or_insert(a);
            }
            Err(_) => break,
        }
    }
    if addrs.is_empty() {
        diags.push(Diagnostic::new(
            LogicalRouter::TABLE,
            row.uuid,
            "options",
            format!("bad ip {v:?} in {key}: ignored"),
        ));
        return None;
    }
    Some(addrs)
}

/// `None` (diagnosed) for a rule ovn-northd skips: an `external_ip` that is
/// not exactly one address, a bad `external_mac`, a `logical_ip` that is
/// not an address (or, but for `snat`, a host address), both
/// `allowed_ext_ips` and `exempted_ext_ips`.
pub fn nat(row: &NbNat, diags: &mut Vec<Diagnostic>) -> Option<Nat> {
    let mut bad = |column: &str, message: String| {
        diags.push(Diagnostic::new(NbNat::TABLE, row.uuid, column, message));
        None
    };
    let kind = match row.type_.as_str() {
        "snat" => NatKind::Snat,
        "dnat_and_snat" => NatKind::DnatAndSnat,
        _ => NatKind::Dnat,
    };
    let (v4, v6) = northflow_ir::addr::extract_ip_addresses(&row.external_ip).unwrap_or_default();
    let external_ip = match (v4.as_slice(), v6.as_slice()) {
        ([a], []) => std::net::IpAddr::V4(a.addr),
        ([], [a]) => std::net::IpAddr::V6(a.addr),
        _ => {
            return bad(
                "external_ip",
                format!(
                    "{:?} is not one IP address: the rule is skipped",
                    row.external_ip
                ),
            )
        }
    };
    let external_mac = match &row.external_mac {
        None => None,
        Some(m) => match Mac::parse(m) {
            Some(mac) => Some((mac, m.clone())),
            None => {
                return bad(
                    "external_mac",
                    format!("bad mac {m:?}: the rule is skipped"),
                )
            }
        },
    };
    if row.allowed_ext_ips.is_some() && row.exempted_ext_ips.is_some() {
        return bad(
            "allowed_ext_ips",
            "both allowed_ext_ips and exempted_ext_ips are set: the rule is skipped".to_owned(),
        );
    }
    let host = if external_ip.is_ipv4() { 32 } else { 128 };
    let logical_plen = match parse_masked(&row.logical_ip, external_ip.is_ipv4()) {
        Some(plen) if kind == NatKind::Snat || plen == host => plen,
        _ => {
            return bad(
                "logical_ip",
                format!(
                    "bad ip {:?} for {}: the rule is skipped",
                    row.logical_ip, row.type_
                ),
            )
        }
    };
    Some(Nat {
        uuid: row.uuid,
        kind,
        external_ip,
        external_ip_text: row.external_ip.clone(),
        external_mac,
        logical_ip: row.logical_ip.clone(),
        logical_plen,
        logical_port: row.logical_port.as_deref().map(Text::from),
        external_port_range: row.external_port_range.clone(),
        match_: row.match_.clone(),
        priority: row.priority,
        stateless: kind == NatKind::DnatAndSnat && get_bool(&row.options, "stateless", false),
        gateway_port: row.gateway_port,
        allowed_ext_ips: row.allowed_ext_ips,
        exempted_ext_ips: row.exempted_ext_ips,
    })
}

/// The prefix length of `ADDR[/PLEN|/MASK]` of one family (ovn-northd's
/// `ip_parse_masked` / `ipv6_parse_masked` and counting the mask's bits).
fn parse_masked(s: &str, v4: bool) -> Option<u8> {
    let (addr, mask) = match s.split_once('/') {
        Some((a, m)) => (a, Some(m)),
        None => (s, None),
    };
    let max = if v4 { 32u8 } else { 128 };
    let parsed = addr.parse::<std::net::IpAddr>().ok()?;
    if parsed.is_ipv4() != v4 {
        return None;
    }
    let Some(mask) = mask else { return Some(max) };
    if let Ok(plen) = mask.parse::<u8>() {
        return (plen <= max).then_some(plen);
    }
    match mask.parse::<std::net::IpAddr>().ok()? {
        std::net::IpAddr::V4(m) if v4 => Some(u32::from(m).count_ones() as u8),
        std::net::IpAddr::V6(m) if !v4 => Some(u128::from(m).count_ones() as u8),
        _ => None,
    }
}

/// `None` for a port whose `mac` does not parse: ovn-northd leaves it out.
/// Networks that do not parse (or `0.0.0.0`) are diagnosed and skipped.
pub fn router_port(row: &LogicalRouterPort, diags: &mut Vec<Diagnostic>) -> Option<RouterPort> {
    let diag = |column: &str, message: String| {
        Diagnostic::new(LogicalRouterPort::TABLE, row.uuid, column, message)
    };
    let Some(mac) = Mac::parse(row.mac.trim()) else {
        diags.push(diag(
            "mac",
            format!("bad mac {:?}: the port is left out", row.mac),
        ));
        return None;
    };
    let mut networks = LrpNetworks {
        mac,
        ipv4: Vec::new(),
        ipv6: Vec::new(),
    };
    for n in &row.networks {
        if let Some(v4) = Ipv4Net::parse_addr_or_cidr(n) {
            if v4.addr.is_unspecified() {
                diags.push(diag("networks", format!("bad network {n:?}: skipped")));
            } else {
                networks.ipv4.push(v4);
            }
        } else if let Some(v6) = Ipv6Net::parse_addr_or_cidr(n) {
            networks.ipv6.push(v6);
        } else {
            diags.push(diag(
                "networks",
                format!("invalid syntax {n:?} in networks: skipped"),
            ));
        }
    }
    networks.ipv6.push(Ipv6Net {
        addr: mac.link_local(),
        plen: 64,
    });
    Some(RouterPort {
        uuid: row.uuid,
        name: Text::from(row.name.as_str()),
        networks,
        mac_text: row.mac.clone(),
        enabled: row.enabled != Some(false),
        peer: row.peer.as_deref().map(Text::from),
        gateway_chassis: row.gateway_chassis.clone(),
        ha_chassis_group: row.ha_chassis_group,
        options: Smap::from(&row.options),
        external_ids: Smap::from(&row.external_ids),
    })
}

/// `None` for a route whose prefix or next hop does not parse (ovn-northd
/// drops it with a warning), or in a route table (not compiled yet): a
/// diagnostic says which.
pub fn static_route(
    row: &LogicalRouterStaticRoute,
    diags: &mut Vec<Diagnostic>,
) -> Option<StaticRoute> {
    let diag = |column: &str, message: String| {
        Diagnostic::new(LogicalRouterStaticRoute::TABLE, row.uuid, column, message)
    };
    let nexthop = match row.nexthop.as_str() {
        "discard" => Nexthop::Discard,
        "" => Nexthop::Direct,
        n => match parse_ip46(n) {
            Some((ip, plen)) if plen == if ip.is_ipv4() { 32 } else { 128 } => Nexthop::Via(ip),
            Some(_) => {
                diags.push(diag(
                    "nexthop",
                    format!("bad next hop mask {n:?}: route ignored"),
                ));
                return None;
            }
            None => {
                diags.push(diag("nexthop", format!("bad nexthop {n:?}: route ignored")));
                return None;
            }
        },
    };
    let Some((prefix, plen)) = parse_ip46(&row.ip_prefix) else {
        diags.push(diag(
            "ip_prefix",
            format!("bad ip_prefix {:?}: route ignored", row.ip_prefix),
        ));
        return None;
    };
    Some(StaticRoute {
        uuid: row.uuid,
        prefix,
        plen,
        nexthop,
        nexthop_text: row.nexthop.clone(),
        src_ip: row.policy.as_deref() == Some("src-ip"),
        output_port: row.output_port.as_deref().map(Text::from),
        route_table: row.route_table.clone(),
        ecmp_symmetric_reply: get_bool(&row.options, "ecmp_symmetric_reply", false),
        selection_fields: {
            let mut f = row.selection_fields.clone();
            if f.iter().any(|f| f == "tp_src" || f == "tp_dst") {
                f.push("ip_proto".to_owned());
            }
            f.sort();
            f.dedup();
            f
        },
    })
}

/// `None` for a policy ovn-northd skips (diagnosed): the deprecated
/// `nexthop` column, a chain (not compiled yet), a `reroute` without a
/// usable next hop, with an `output_port` and not one next hop, or with
/// next hops of both families; an unknown action.
pub fn policy(row: &LogicalRouterPolicy, diags: &mut Vec<Diagnostic>) -> Option<Policy> {
    let diag = |column: &str, message: String| {
        Diagnostic::new(LogicalRouterPolicy::TABLE, row.uuid, column, message)
    };
    if row.nexthop.as_deref().is_some_and(|n| !n.is_empty()) {
        diags.push(diag(
            "nexthop",
            "the deprecated nexthop column is set: the policy is ignored (use nexthops)".into(),
        ));
        return None;
    }
    let action = match row.action.as_str() {
        "allow" => PolicyAction::Allow,
        "drop" => PolicyAction::Drop,
        "jump" => match row.jump_chain.as_deref().filter(|c| !c.is_empty()) {
            Some(target) => PolicyAction::Jump(target.to_owned()),
            None => {
                diags.push(diag(
                    "jump_chain",
                    "a jump policy without a target chain: policy ignored".into(),
                ));
                return None;
            }
        },
        "reroute" => {
            let mut hops = Vec::new();
            for hop in row.nexthops.iter().filter(|n| !n.is_empty()) {
                match hop.parse::<std::net::IpAddr>() {
                    Ok(addr) => hops.push((hop.clone(), addr)),
                    Err(_) => {
                        diags.push(diag("nexthops", format!("bad next hop {hop:?}: left out")))
                    }
                }
            }
            let ecmp = row.nexthops.len() > 1;
            if hops.is_empty() {
                diags.push(diag(
                    "nexthops",
                    "a reroute policy without a usable next hop: it has no flow".into(),
                ));
                return None;
            }
            if row.output_port.is_some() && row.nexthops.len() != 1 {
                diags.push(diag(
                    "output_port",
                    "output_port needs exactly one next hop: policy ignored".into(),
                ));
                return None;
            }
            if hops.iter().any(|(_, a)| a.is_ipv4() != hops[0].1.is_ipv4()) {
                diags.push(diag(
                    "nexthops",
                    "next hops of both IPv4 and IPv6: policy ignored".into(),
                ));
                return None;
            }
            PolicyAction::Reroute {
                hops,
                ecmp,
                output_port: row.output_port,
            }
        }
        other => {
            diags.push(diag(
                "action",
                format!("unknown action {other:?}: policy ignored"),
            ));
            return None;
        }
    };
    Some(Policy {
        uuid: row.uuid,
        priority: u16::try_from(row.priority).ok()?,
        match_: row.match_.clone(),
        action,
        pkt_mark: row
            .options
            .get("pkt_mark")
            .and_then(|m| m.parse().ok())
            .unwrap_or(0),
        chain: row.chain.clone().filter(|c| !c.is_empty()),
    })
}

/// An IPv4 or IPv6 address with an optional prefix length (`ip46_parse_cidr`).
fn parse_ip46(s: &str) -> Option<(std::net::IpAddr, u8)> {
    use std::net::IpAddr;
    if let Some(n) = Ipv4Net::parse_addr_or_cidr(s) {
        return Some((IpAddr::V4(n.addr), n.plen));
    }
    Ipv6Net::parse_addr_or_cidr(s).map(|n| (IpAddr::V6(n.addr), n.plen))
}

/// The smallest non-zero threshold of `[CIDR:]SECONDS[;…]` (0 when all are
/// zero), `None` when an entry does not parse: then ovn-northd uses none.
fn min_age_threshold(opt: &str) -> Option<u32> {
    let mut min = 0u32;
    for entry in opt.split(';').filter(|e| !e.is_empty()) {
        let (cidr, seconds) = match entry.rsplit_once(':') {
            Some((cidr, seconds)) => (Some(cidr), seconds),
            None => (None, entry),
        };
        let t = seconds
            .parse::<u32>()
            .ok()
            .filter(|t| i32::try_from(*t).is_ok())?;
        if let Some(cidr) = cidr {
            let v4 = || match cidr.contains('/') {
                true => Ipv4Net::parse_cidr(cidr).map(|_| ()),
                false => cidr.parse::<std::net::Ipv4Addr>().ok().map(|_| ()),
            };
            let v6 = || match cidr.contains('/') {
                true => Ipv6Net::parse_cidr(cidr).map(|_| ()),
                false => cidr.parse::<std::net::Ipv6Addr>().ok().map(|_| ()),
            };
            v4().or_else(v6)?;
        }
        if t != 0 && (min == 0 || t < min) {
            min = t;
        }
    }
    Some(min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_thresholds_take_the_smallest_non_zero() {
        assert_eq!(min_age_threshold("300"), Some(300));
        assert_eq!(min_age_threshold("10.0.0.0/8:120;300"), Some(120));
        assert_eq!(min_age_threshold("fd00::/64:60;10.0.0.1:0;300"), Some(60));
        assert_eq!(min_age_threshold("0"), Some(0));
        assert_eq!(min_age_threshold("10.0.0.0/8:x"), None);
        assert_eq!(min_age_threshold("bogus:30"), None);
    }

    #[test]
    fn router_port_networks_keep_their_order_and_end_with_the_link_local() {
        let row = LogicalRouterPort {
            name: "lrp0".into(),
            mac: "00:00:00:00:ff:01".into(),
            networks: vec![
                "10.0.0.1/24".into(),
                "bogus".into(),
                "fd00::1/64".into(),
                "0.0.0.0/8".into(),
            ],
            ..Default::default()
        };
        let mut diags = Vec::new();
        let p = router_port(&row, &mut diags).expect("a port");
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert_eq!(p.networks.ipv4.len(), 1);
        let v6: Vec<String> = p.networks.ipv6.iter().map(|n| n.addr.to_string()).collect();
        assert_eq!(v6, ["fd00::1", "fe80::200:ff:fe00:ff01"]);
        assert_eq!(
            p.networks.binding_mac(),
            "00:00:00:00:ff:01 10.0.0.1/24 fd00::1/64"
        );
        let bad_mac = LogicalRouterPort {
            mac: "00:00:00:00:ff".into(),
            ..row
        };
        assert_eq!(router_port(&bad_mac, &mut diags), None);
    }

    #[test]
    fn a_disabled_router_has_no_datapath() {
        let row = LogicalRouter {
            enabled: Some(false),
            ..Default::default()
        };
        assert_eq!(router(&row, &mut Vec::new()), None);
    }
}
