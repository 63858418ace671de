//! The Southbound bindings of switches, routers and their ports: `Datapath_Binding`,
//! `Port_Binding`, `Multicast_Group`, `IP_Multicast`; `global`: the rows
//! derived from `NB_Global`.

pub mod global;

use std::collections::BTreeMap;

use northflow_ir::binding::{DatapathBinding, IpMulticast, PortBinding};
use northflow_ir::intern::Text;
use northflow_ir::router::{Router, RouterPeer, RouterPort};
use northflow_ir::smap::Smap;
use northflow_ir::stage::DatapathKind;
use northflow_ir::switch::{PortCtx, PortType, Switch, SwitchPort};
use northflow_ir::Uuid;

use crate::names::{
    MC_FLOOD, MC_FLOOD_KEY, MC_FLOOD_L2, MC_FLOOD_L2_KEY, MC_MROUTER_FLOOD, MC_MROUTER_FLOOD_KEY,
    MC_STATIC, MC_STATIC_KEY, MC_UNKNOWN, MC_UNKNOWN_KEY,
};

/// The largest datapath tunnel key (24 bits: the Geneve VNI).
pub const MAX_DP_KEY: u32 = (1 << 24) - 1;
/// The largest port tunnel key (15 bits; keys from 32768 are multicast groups).
pub const MAX_PORT_KEY: u32 = (1 << 15) - 1;

pub fn switch_datapath(sw: &Switch) -> DatapathBinding {
    let mut ids = BTreeMap::new();
    ids.insert("logical-switch".to_owned(), sw.uuid.to_string());
    ids.insert("name".to_owned(), sw.name.clone());
    if let Some(name2) = &sw.name2 {
        ids.insert("name2".to_owned(), name2.clone());
    }
    if let Some(limit) = sw.ct_zone_limit {
        ids.insert("ct-zone-limit".to_owned(), limit.to_string());
    }
    if let Some(ts) = &sw.interconn_ts {
        ids.insert("interconn-ts".to_owned(), ts.clone());
    }
    if let Some(age) = sw.fdb_age_threshold {
        ids.insert("fdb_age_threshold".to_owned(), age.to_string());
    }
    DatapathBinding {
        nb_uuid: sw.uuid,
        kind: DatapathKind::Switch,
        external_ids: ids,
        requested_key: sw.requested_tnl_key,
    }
}

/// The `Datapath_Binding` of an enabled router.
pub fn router_datapath(r: &Router) -> DatapathBinding {
    let mut ids = BTreeMap::new();
    let mut put = |k: &str, v: String| ids.insert(k.to_owned(), v);
    put("logical-router", r.uuid.to_string());
    put("name", r.name.clone());
    if let Some(name2) = &r.name2 {
        put("name2", name2.clone());
    }
    if let Some(limit) = r.ct_zone_limit {
        put("ct-zone-limit", limit.to_string());
    }
    if let Some(zone) = r.snat_ct_zone {
        put("snat-ct-zone", zone.to_string());
    }
    if !r.always_learn_from_arp_request {
        put("always_learn_from_arp_request", "false".into());
    }
    if let Some(age) = r.mac_binding_age_threshold {
        put("mac_binding_age_threshold", age.to_string());
    }
    put("disable_garp_rarp", r.disable_garp_rarp.to_string());
    if let Some(vrf) = r.dynamic_routing_vrf_id {
        put("dynamic-routing-vrf-id", vrf.to_string());
    }
    let [v4, v6] = &r.dynamic_routing_prefix_nexthops;
    for (k, v) in [
        ("dynamic-routing-v4-prefix-nexthop", v4),
        ("dynamic-routing-v6-prefix-nexthop", v6),
    ] {
        if let Some(v) = v {
            put(k, v.clone());
        }
    }
    DatapathBinding {
        nb_uuid: r.uuid,
        kind: DatapathKind::Router,
        external_ids: ids,
        requested_key: r.requested_tnl_key,
    }
}

/// The `Port_Binding` of a router port on router `rid`: `patch` (or
/// `l3gateway` on a gateway router), peered with `peer`: the switch port
/// that names it, or the router port its own `peer` names if that one
/// names it back.
pub fn router_port(
    port: &RouterPort,
    rid: Uuid,
    router: &Router,
    peer: Option<&str>,
) -> PortBinding {
    let mut options = Smap::new();
    if let Some(peer) = peer {
        options.insert("peer", peer);
        if port.is_gateway() {
            options.insert("chassis-redirect-port", &port.redirect_name());
        }
    }
    let type_ = match &router.chassis {
        Some(chassis) => {
            options.insert("l3gateway-chassis", chassis);
            "l3gateway"
        }
        None => "patch",
    };
    PortBinding {
        logical_port: port.name.clone(),
        datapath: rid,
        type_: Some(type_.to_owned()),
        options,
        mac: vec![Text::from(port.networks.binding_mac().as_str())],
        port_security: Vec::new(),
        parent_port: None,
        tag: None,
        external_ids: port.external_ids.clone(),
        nat_addresses: Vec::new(),
        ha_chassis_group: None,
        requested_key: port
            .options
            .get("requested-tnl-key")
            .and_then(|k| k.parse::<u32>().ok())
            .filter(|k| (1..=MAX_PORT_KEY).contains(k)),
        requested_chassis: Vec::new(),
    }
}

/// The chassis-redirect port (`cr-<port>`) of a distributed gateway port
/// on router `rid`: where the port's centralized traffic goes, on the
/// chassis of its `HA_Chassis_Group` `group`. Everything is redirected
/// there unless the router has distributed NAT rules (`distributed_nat`)
/// or the port is bridged.
pub fn chassis_redirect_port(
    port: &RouterPort,
    rid: Uuid,
    group: &str,
    distributed_nat: bool,
) -> PortBinding {
    let mut options = Smap::new();
    options.insert("distributed-port", &port.name);
    let redirect_type = port.options.get("redirect-type");
    if let Some(t) = redirect_type {
        options.insert("redirect-type", t);
    }
    // Distributed load balancers (which turn this off too) come later.
    if redirect_type != Some("bridged") && !distributed_nat {
        options.insert("always-redirect", "true");
    }
    PortBinding {
        logical_port: Text::from(port.redirect_name().as_str()),
        datapath: rid,
        type_: Some("chassisredirect".to_owned()),
        options,
        mac: vec![Text::from(port.networks.binding_mac().as_str())],
        port_security: Vec::new(),
        parent_port: None,
        tag: None,
        external_ids: port.external_ids.clone(),
        nat_addresses: Vec::new(),
        ha_chassis_group: Some(group.to_owned()),
        requested_key: None,
        requested_chassis: Vec::new(),
    }
}

/// A switch port's `external_ids`, with `name` from `neutron:port_name`.
fn lsp_external_ids(port: &SwitchPort) -> Smap {
    let mut external_ids = port.external_ids.clone();
    if let Some(name) = port
        .external_ids
        .get("neutron:port_name")
        .filter(|n| !n.is_empty())
    {
        external_ids.insert("name", name);
    }
    external_ids
}

/// The chassis-redirect port (`cr-<port>`) of a `router` switch port on
/// switch `sw` that peers its router's only gateway port (see
/// `RouterPeer::redirects_switch_port`), on that port's HA group `group`.
pub fn chassis_redirect_switch_port(port: &SwitchPort, sw: Uuid, group: &str) -> PortBinding {
    let mut options = Smap::new();
    options.insert("distributed-port", &port.name);
    PortBinding {
        logical_port: Text::from(format!("cr-{}", port.name).as_str()),
        datapath: sw,
        type_: Some("chassisredirect".to_owned()),
        options,
        mac: port.addresses.clone(),
        port_security: port.port_security.clone(),
        parent_port: None,
        tag: None,
        external_ids: lsp_external_ids(port),
        nat_addresses: Vec::new(),
        ha_chassis_group: Some(group.to_owned()),
        requested_key: None,
        requested_chassis: Vec::new(),
    }
}

pub fn ip_multicast(sw: &Switch) -> IpMulticast {
    IpMulticast {
        datapath: sw.uuid,
        config: sw.mcast.clone(),
    }
}

/// The `Port_Binding` of a switch port on switch `sw`. `linked`: a `switch`
/// port whose peer names it back (see [`switch_link`]).
pub fn switch_port(port: &SwitchPort, sw: Uuid, ctx: &PortCtx, linked: bool) -> PortBinding {
    let (type_, options) = if port.is_router() {
        // Without a logical router on the other side this is a plain patch
        // port; gateway routers (`l3gateway`) come with routers.
        let mut options = Smap::new();
        if let Some(peer) = port.option("router-port") {
            options.insert("peer", peer);
        }
        (Some("patch".to_owned()), options)
    } else {
        let mut options = port.options.clone();
        if ctx.vlan_passthru {
            options.insert("vlan-passthru", "true");
        }
        if port.is_switch() {
            if let Some(peer) = port.peer.as_ref().filter(|_| linked) {
                options.insert("peer", peer);
            }
            (Some("patch".to_owned()), options)
        } else {
            (port.kind.as_str().map(str::to_owned), options)
        }
    };
    let external_ids = lsp_external_ids(port);
    let requested_key = port
        .option("requested-tnl-key")
        .and_then(|k| k.parse::<u32>().ok())
        .filter(|k| (1..=MAX_PORT_KEY).contains(k));
    PortBinding {
        logical_port: port.name.clone(),
        datapath: sw,
        type_,
        options,
        mac: port.addresses.clone(),
        port_security: port.port_security.clone(),
        parent_port: port.parent_name.clone(),
        tag: port.tag,
        external_ids,
        nat_addresses: Vec::new(),
        ha_chassis_group: None,
        requested_key,
        requested_chassis: if port.is_router() {
            Vec::new()
        } else {
            port.option("requested-chassis")
                .map(|c| {
                    c.split(',')
                        .filter(|c| !c.is_empty())
                        .map(Text::from)
                        .collect()
                })
                .unwrap_or_default()
        },
    }
}

/// The `Port_Binding` of a `router` switch port whose router port exists:
/// `l3gateway` towards a gateway router; the router port's addresses
/// announced (`nat_addresses`, sent as GARPs by the chassis that hosts
/// it) when it is a distributed gateway port (or resides on one's
/// chassis), or a gateway router's port on a switch with a localnet port.
pub fn router_switch_port(
    port: &SwitchPort,
    sw: Uuid,
    ctx: &PortCtx,
    peer: &RouterPeer,
) -> PortBinding {
    let mut b = switch_port(port, sw, ctx, false);
    if let Some(chassis) = &peer.chassis {
        b.type_ = Some("l3gateway".to_owned());
        b.options.insert("l3gateway-chassis", chassis);
    }
    let on_gateway = peer.redirect.as_ref().or(peer.resides_on.as_ref());
    let garp = !crate::smap::get_bool(&port.options, "exclude-router-ips-from-garp", false)
        && (on_gateway.is_some() || (peer.chassis.is_some() && ctx.has_localnet));
    if garp {
        let mut addrs = peer.networks.mac.to_string();
        for n in &peer.networks.ipv4 {
            addrs.push_str(&format!(" {}", n.addr));
        }
        if let Some(cr) = on_gateway {
            addrs.push_str(&format!(
                " is_chassis_resident({})",
                northflow_ir::quote::json_string(cr)
            ));
        }
        b.nat_addresses.push(addrs);
    }
    b
}

/// A `switch` port's link as (its name, its peer's name): it is only a link
/// when the peer is a `switch` port whose own `peer` names it back.
pub fn switch_link(port: &SwitchPort) -> Option<(String, String)> {
    Some((port.name.to_string(), port.peer.clone()?)).filter(|_| port.is_switch())
}

/// The fixed multicast groups (name, tunnel key) a switch port belongs to.
pub fn multicast_memberships(port: &SwitchPort) -> Vec<(&'static str, i64)> {
    let mut groups = Vec::new();
    if !port.enabled {
        return groups;
    }
    groups.push((MC_FLOOD, MC_FLOOD_KEY));
    if port.kind != PortType::Router {
        groups.push((MC_FLOOD_L2, MC_FLOOD_L2_KEY));
    }
    if port.has_unknown {
        groups.push((MC_UNKNOWN, MC_UNKNOWN_KEY));
    }
    if port.mcast_flood_reports {
        groups.push((MC_MROUTER_FLOOD, MC_MROUTER_FLOOD_KEY));
    }
    if port.mcast_flood {
        groups.push((MC_STATIC, MC_STATIC_KEY));
    }
    groups
}
