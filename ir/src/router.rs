//! IR for logical routers and their ports: what the passes read of a
//! `Logical_Router` and a `Logical_Router_Port`, decoded once.

use northflow_ovsdb::Uuid;

use crate::addr::{Ipv4Net, Ipv6Net, LportAddresses, Mac};
use crate::intern::Text;
use crate::smap::Smap;

/// An enabled logical router (a disabled one has no datapath: it lowers to
/// nothing).
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Router {
    pub uuid: Uuid,
    pub name: String,
    /// `ports`, `static_routes`, `policies`: member lists, emptied in
    /// [`Router::attributes`].
    pub ports: Vec<Uuid>,
    pub static_routes: Vec<Uuid>,
    pub policies: Vec<Uuid>,
    pub nats: Vec<Uuid>,
    /// `external_ids:neutron:router_name`, when not empty.
    pub name2: Option<String>,
    pub requested_tnl_key: Option<u32>,
    /// `options:ct-zone-limit`, when positive.
    pub ct_zone_limit: Option<i64>,
    /// `options:snat-ct-zone`, when not negative.
    pub snat_ct_zone: Option<i64>,
    /// `options:always_learn_from_arp_request` (default true).
    pub always_learn_from_arp_request: bool,
    /// The smallest non-zero threshold of `options:mac_binding_age_threshold`.
    pub mac_binding_age_threshold: Option<u32>,
    pub disable_garp_rarp: bool,
    /// `copp`: the router's control-plane protection.
    pub copp: Option<Uuid>,
    /// `options:chassis`: a gateway router, bound to that chassis.
    pub chassis: Option<String>,
    /// `options:dynamic_neigh_routers`.
    pub dynamic_neigh_routers: bool,
    /// `options:dynamic-routing-vrf-id`, when positive.
    pub dynamic_routing_vrf_id: Option<i64>,
    /// `options:dynamic-routing-v4-prefix-nexthop` / `-v6-`, when not empty.
    pub dynamic_routing_prefix_nexthops: [Option<String>; 2],
    /// `options:lb_force_snat_ip`.
    pub lb_force_snat: LbForceSnat,
    /// `options:dnat_force_snat_ip`: the first IPv4 and IPv6 address.
    pub dnat_force_snat: ForceSnatAddrs,
    /// `options:ct-commit-all`.
    pub ct_commit_all: bool,
}

/// The addresses a gateway router forces as source after DNAT or load
/// balancing (`*_force_snat_ip`): the first of each family.
#[derive(
    Clone,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct ForceSnatAddrs {
    pub ipv4: Option<std::net::Ipv4Addr>,
    pub ipv6: Option<std::net::Ipv6Addr>,
}

impl ForceSnatAddrs {
    pub fn is_empty(&self) -> bool {
        self.ipv4.is_none() && self.ipv6.is_none()
    }
}

/// `options:lb_force_snat_ip`: `router_ip` (only on a gateway router: the
/// address of the port a packet leaves through) or addresses.
#[derive(
    Clone,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum LbForceSnat {
    #[default]
    None,
    RouterIp,
    Addrs(ForceSnatAddrs),
}

impl Router {
    /// The router without its member lists: what router-wide flows and the
    /// datapath binding depend on, so that adding a port changes nothing
    /// downstream of it.
    pub fn attributes(&self) -> Router {
        Router {
            ports: Vec::new(),
            static_routes: Vec::new(),
            policies: Vec::new(),
            nats: Vec::new(),
            ..self.clone()
        }
    }
}

/// A router port's addresses as ovn-northd reads them
/// (`extract_lrp_networks`): the MAC, the IPv4 networks and the IPv6
/// networks in the order of the `networks` column, and the EUI-64
/// link-local address always last among the IPv6 ones.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct LrpNetworks {
    pub mac: Mac,
    pub ipv4: Vec<Ipv4Net>,
    pub ipv6: Vec<Ipv6Net>,
}

impl LrpNetworks {
    /// The IPv6 networks configured (all but the generated link-local).
    pub fn configured_ipv6(&self) -> &[Ipv6Net] {
        &self.ipv6[..self.ipv6.len().saturating_sub(1)]
    }

    /// As the addresses of a switch port whose `addresses` say `router`.
    pub fn as_lport_addresses(&self) -> LportAddresses {
        LportAddresses {
            mac: self.mac,
            ipv4: self.ipv4.clone(),
            ipv6: self.ipv6.clone(),
        }
    }

    /// `MAC NET/PLEN ...` without the link-local address: the
    /// `Port_Binding.mac` of a router port.
    pub fn binding_mac(&self) -> String {
        let mut s = self.mac.to_string();
        for n in &self.ipv4 {
            s.push_str(&format!(" {}/{}", n.addr, n.plen));
        }
        for n in self.configured_ipv6() {
            s.push_str(&format!(" {}/{}", n.addr, n.plen));
        }
        s
    }
}

/// A logical router port (`Logical_Router_Port`) whose MAC parses (one
/// that does not is left out, as ovn-northd leaves it out).
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct RouterPort {
    pub uuid: Uuid,
    pub name: Text,
    pub networks: LrpNetworks,
    /// `mac` as written (ovn-northd matches it verbatim in places).
    pub mac_text: String,
    /// `enabled` (unset means enabled).
    pub enabled: bool,
    /// `peer`: another router's port this one is linked to.
    pub peer: Option<Text>,
    pub gateway_chassis: Vec<Uuid>,
    pub ha_chassis_group: Option<Uuid>,
    pub options: Smap,
    pub external_ids: Smap,
}

impl RouterPort {
    /// Configured as a distributed gateway port (`gateway_chassis` or
    /// `ha_chassis_group`); on a gateway router such a port is refused.
    pub fn is_gateway(&self) -> bool {
        !self.gateway_chassis.is_empty() || self.ha_chassis_group.is_some()
    }

    /// The name of a distributed gateway port's chassis-redirect port.
    pub fn redirect_name(&self) -> String {
        format!("cr-{}", self.name)
    }
}

/// A router with what per-router flows need to know: the context the
/// router-wide passes run in.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct RouterCtx {
    /// The router's attributes (no member lists).
    pub router: Router,
    pub copp: CoppMeters,
    /// How many distributed gateway ports the router has: 0, 1, or 2 for
    /// several (all any flow asks). Capped so that a router's third, or
    /// hundredth, gateway port leaves the context, and every flow built
    /// from it, as it is.
    pub l3dgw_ports: usize,
    pub features: RouterFeatures,
}

/// What router flows use of the chassis features (`ChassisFeatures`): each
/// true when every chassis supports it (or there is no chassis).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct RouterFeatures {
    /// `ct_state_save()` in the packet-length stages.
    pub ct_state_save: bool,
    /// `ct_commit_nat(snat)` for ICMP errors the router generates.
    pub ct_commit_nat_v2: bool,
    /// `ct_commit_to_zone` and `ct_next(zone)`.
    pub ct_zones: bool,
}

impl Default for RouterFeatures {
    fn default() -> Self {
        RouterFeatures {
            ct_state_save: true,
            ct_commit_nat_v2: true,
            ct_zones: true,
        }
    }
}

/// The meters of a router's `Copp` whose `Meter` exists, by control
/// protocol (`arp`, `icmp4-error`, …): what a flow that sends packets to
/// ovn-controller names as its `controller_meter`.
#[derive(
    Clone,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct CoppMeters(pub std::collections::BTreeMap<String, String>);

impl CoppMeters {
    pub fn get(&self, proto: &str) -> Option<&str> {
        self.0.get(proto).map(String::as_str)
    }
}

impl RouterCtx {
    pub fn new(
        router: Router,
        copp: CoppMeters,
        l3dgw_ports: usize,
        features: RouterFeatures,
    ) -> RouterCtx {
        RouterCtx {
            router,
            copp,
            l3dgw_ports: l3dgw_ports.min(2),
            features,
        }
    }

    /// What the per-port passes need of this context.
    pub fn port_ctx(&self) -> RouterPortCtx {
        RouterPortCtx {
            gateway_router: self.router.chassis.is_some(),
            has_l3dgw_ports: self.l3dgw_ports > 0,
            always_learn_from_arp_request: self.router.always_learn_from_arp_request,
            copp: self.copp.clone(),
            ct_state_save: self.features.ct_state_save,
        }
    }
}

/// The part of a router's context that per-port flows depend on, kept
/// narrow like the switches' `PortCtx`.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct RouterPortCtx {
    /// A gateway router (`options:chassis`).
    pub gateway_router: bool,
    /// Some port of the router is a distributed gateway port.
    pub has_l3dgw_ports: bool,
    pub always_learn_from_arp_request: bool,
    pub copp: CoppMeters,
    /// The chassis support `ct_state_save()`.
    pub ct_state_save: bool,
}

/// What a switch port of type `router` sees of the router port it peers
/// with (through `options:router-port`).
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct RouterPeer {
    pub name: Text,
    pub networks: LrpNetworks,
    pub enabled: bool,
    /// The router is a gateway router.
    pub gateway_router: bool,
    /// A gateway router's chassis (`options:chassis`).
    pub chassis: Option<String>,
    /// A distributed gateway port's chassis-redirect port.
    pub redirect: Option<Text>,
    /// The router's only distributed gateway port.
    pub sole_gateway: bool,
    /// Not a gateway port, but `options:reside-on-redirect-chassis` on a
    /// router with exactly one: that port's chassis-redirect port, where
    /// this port's traffic is handled when its switch is bridged to a
    /// physical network.
    pub resides_on: Option<Text>,
    /// The router sets `options:dynamic_neigh_routers`: it learns the
    /// other routers on its switches instead of being told them.
    pub dynamic_neigh_routers: bool,
}

impl RouterPeer {
    /// The `router` switch port peering this one gets a chassis-redirect
    /// port of its own (`cr-<switch port>`): it peers the router's only
    /// distributed gateway port from a switch without a localnet port, so
    /// routing for the switch's network is centralized on the gateway
    /// chassis.
    pub fn redirects_switch_port(&self, switch_has_localnet: bool) -> bool {
        self.redirect.is_some() && self.sole_gateway && !switch_has_localnet
    }
}

/// A `Logical_Router_Static_Route` whose prefix and next hop parse.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct StaticRoute {
    pub uuid: Uuid,
    /// `ip_prefix`, host bits kept as written (flows print it masked).
    pub prefix: std::net::IpAddr,
    pub plen: u8,
    pub nexthop: Nexthop,
    /// `nexthop` as written (ovn-northd puts it verbatim into the IPv6
    /// next hop's solicitation flow).
    pub nexthop_text: String,
    /// `policy=src-ip`: matched on the source address.
    pub src_ip: bool,
    pub output_port: Option<Text>,
    /// `route_table` (empty: the main table).
    pub route_table: String,
    /// `options:ecmp_symmetric_reply`: replies leave through the port the
    /// traffic came in on (gateway routers only).
    pub ecmp_symmetric_reply: bool,
    /// `selection_fields`, sorted, with `ip_proto` added to a port field:
    /// what an ECMP group of such routes hashes on.
    pub selection_fields: Vec<String>,
}

/// Where a static route sends packets.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Nexthop {
    /// `discard`: drop.
    Discard,
    /// An empty `nexthop` (an `output_port` route): the destination itself.
    Direct,
    Via(std::net::IpAddr),
}

impl StaticRoute {
    pub fn is_ipv4_prefix(&self) -> bool {
        self.prefix.is_ipv4()
    }
    /// Whether the next hop (or, without one, the prefix) is IPv4.
    pub fn is_ipv4_nexthop(&self) -> bool {
        match self.nexthop {
            Nexthop::Via(ip) => ip.is_ipv4(),
            _ => self.prefix.is_ipv4(),
        }
    }
}

/// `addr` with all but its first `plen` bits cleared.
pub fn masked(addr: std::net::IpAddr, plen: u8) -> std::net::IpAddr {
    use std::net::IpAddr;
    match addr {
        IpAddr::V4(a) => IpAddr::V4(crate::addr::Ipv4Net { addr: a, plen }.network()),
        IpAddr::V6(a) => IpAddr::V6(crate::addr::Ipv6Net { addr: a, plen }.network()),
    }
}

/// A `Logical_Router_Policy` ovn-northd uses (not the deprecated
/// `nexthop` column; chains come later).
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Policy {
    pub uuid: Uuid,
    pub priority: u16,
    /// `match`, verbatim.
    pub match_: String,
    pub action: PolicyAction,
    /// `options:pkt_mark` (0: none).
    pub pkt_mark: u32,
    /// `chain` (none: the default chain).
    pub chain: Option<String>,
}

#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum PolicyAction {
    Allow,
    Drop,
    /// `jump` to the chain named by `jump_chain`.
    Jump(String),
    /// `reroute` to its next hops (as written, and parsed; in column
    /// order), through `output_port` when set (one next hop only).
    /// `ecmp`: several were given, so the flows take the ECMP form (a
    /// group in `lr_in_policy`, a member per usable hop in
    /// `lr_in_policy_ecmp`) even if only one is usable.
    Reroute {
        hops: Vec<(String, std::net::IpAddr)>,
        ecmp: bool,
        output_port: Option<Uuid>,
    },
}

/// The kind of a `NAT` rule.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum NatKind {
    Snat,
    Dnat,
    DnatAndSnat,
}

impl NatKind {
    pub fn snats(self) -> bool {
        self != NatKind::Dnat
    }
    pub fn dnats(self) -> bool {
        self != NatKind::Snat
    }
}

/// A `NAT` rule whose addresses parse (ovn-northd skips the others).
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Nat {
    pub uuid: Uuid,
    pub kind: NatKind,
    /// `external_ip`, parsed and as written (flows print it verbatim).
    pub external_ip: std::net::IpAddr,
    pub external_ip_text: String,
    /// `external_mac` (parsed; as written it is printed).
    pub external_mac: Option<(Mac, String)>,
    /// `logical_ip` as written, and its prefix length.
    pub logical_ip: String,
    pub logical_plen: u8,
    pub logical_port: Option<Text>,
    pub external_port_range: String,
    /// `match` and `priority` (`match` empty: none).
    pub match_: String,
    pub priority: i64,
    /// `options:stateless` on a `dnat_and_snat` rule.
    pub stateless: bool,
    pub gateway_port: Option<Uuid>,
    pub allowed_ext_ips: Option<Uuid>,
    pub exempted_ext_ips: Option<Uuid>,
}

impl Nat {
    pub fn is_v6(&self) -> bool {
        self.external_ip.is_ipv6()
    }
    /// A `dnat_and_snat` rule with `logical_port` and `external_mac`: on a
    /// router with gateway ports, applied where its logical port lives.
    pub fn wants_distributed(&self) -> bool {
        self.kind == NatKind::DnatAndSnat
            && self.logical_port.is_some()
            && self.external_mac.is_some()
    }
}

/// The distributed gateway port a NAT rule of a router with such ports
/// applies on.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct NatGateway {
    pub name: Text,
    pub mac: Mac,
    /// The port's gateway MTU, checked on distributed rules' admission.
    pub mtu: Option<GatewayMtu>,
    /// The port's switch peer has a chassis-redirect port of its own
    /// (`RouterPeer::redirects_switch_port`): routing for its networks is
    /// centralized on the gateway chassis, which answers ARP there.
    pub centralized: bool,
}

impl NatGateway {
    pub fn redirect_name(&self) -> String {
        format!("cr-{}", self.name)
    }
}

/// A router port's `options:gateway_mtu` (positive) as its checks use it.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct GatewayMtu {
    pub mtu: u32,
    /// `options:gateway_mtu_bypass`: a match whose packets skip the check.
    pub bypass: Option<String>,
    /// The L2 header length `check_pkt_larger` adds: 18 when the port's
    /// switch peer has a VLAN-tagged localnet port, else 14.
    pub l2_hdr: u32,
}

impl GatewayMtu {
    /// `port`'s, when it has one; `vlan_peer`: its switch peer has a
    /// VLAN-tagged localnet port.
    pub fn of(port: &RouterPort, vlan_peer: bool) -> Option<GatewayMtu> {
        let mtu = port
            .options
            .get("gateway_mtu")
            .and_then(|v| v.trim().parse::<i64>().ok())
            .filter(|m| *m > 0)
            .and_then(|m| u32::try_from(m).ok())?;
        Some(GatewayMtu {
            mtu,
            bypass: port.options.get("gateway_mtu_bypass").map(str::to_owned),
            l2_hdr: if vlan_peer { 18 } else { 14 },
        })
    }
}

/// What a NAT rule's flows depend on beyond the rule.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct NatCtx {
    pub gateway_router: bool,
    /// The gateway port the rule applies on (routers with such ports).
    pub gateway: Option<NatGateway>,
    /// The rule is applied where its logical port lives.
    pub distributed: bool,
    /// `dnat_force_snat_ip` is set (gateway routers).
    pub dnat_force_snat: bool,
    /// Track the SNAT network's connections in the SNAT/DNAT zone (the
    /// chassis support `ct_commit_to_zone` and `ct_next(zone)`, and the
    /// router does not commit everything).
    pub zone_tracking: bool,
    /// The `allowed_ext_ips` / `exempted_ext_ips` address set's name.
    pub allowed_ext_ips: Option<String>,
    pub exempted_ext_ips: Option<String>,
    /// The router's meters (ICMP errors of a distributed rule's MTU check).
    pub copp: CoppMeters,
}
