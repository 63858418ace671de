//! IR for logical switches and their ports: Northbound rows resolved and
//! parsed once, so the passes never re-parse strings.

use std::collections::BTreeMap;

use northflow_ovsdb::Uuid;

use crate::addr::{LportAddresses, Mac};
use crate::intern::Text;
use crate::smap::Smap;

/// A logical switch (`Logical_Switch`).
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Switch {
    pub uuid: Uuid,
    pub name: String,
    /// `Logical_Switch.ports`, in row order.
    pub ports: Vec<Uuid>,
    /// `other_config:vlan-passthru`.
    pub vlan_passthru: bool,
    /// `other_config:broadcast-arps-to-all-routers` (default true).
    pub broadcast_arps_to_all_routers: bool,
    pub mcast: McastSwitchConfig,
    /// `external_ids:neutron:network_name`, copied to the datapath as `name2`.
    pub name2: Option<String>,
    /// `other_config:interconn-ts`.
    pub interconn_ts: Option<String>,
    /// `other_config:ct-zone-limit`, when positive.
    pub ct_zone_limit: Option<i64>,
    /// `other_config:fdb_age_threshold`, when not zero.
    pub fdb_age_threshold: Option<u32>,
    /// `other_config:requested-tnl-key`.
    pub requested_tnl_key: Option<u32>,
    /// Whether the switch has ACLs of its own (`acls` column).
    pub has_acls: bool,
    /// `qos_rules`.
    pub qos_rules: Vec<Uuid>,
    /// `dns_records`.
    pub dns_records: Vec<Uuid>,
}

/// A set of DNS records (`DNS`) that ovn-controller answers from.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct DnsRecords {
    pub uuid: Uuid,
    /// Hostname → addresses, with the addresses lower-cased as ovn-northd
    /// writes them (lookups are case-insensitive).
    pub records: std::collections::BTreeMap<String, String>,
    /// `options:ovn-owned`: the records' domain is answered by OVN alone.
    pub ovn_owned: bool,
}

/// A QoS rule (`QoS`): metering, DSCP and packet marking of matching traffic.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct QosRule {
    pub uuid: Uuid,
    pub priority: u16,
    /// `from-lport` (the ingress pipeline) or `to-lport`.
    pub ingress: bool,
    /// The match, verbatim: it is a logical-flow match expression.
    pub match_: String,
    /// `action:dscp` (0..=63; ovn-northd ignores larger values).
    pub dscp: Option<i64>,
    /// `action:mark` (`pkt.mark`).
    pub mark: Option<i64>,
    /// `bandwidth:rate` (0: no meter) and `bandwidth:burst`.
    pub rate: i64,
    pub burst: i64,
}

/// IGMP/MLD snooping settings (`other_config:mcast_*`), normalised as
/// ovn-northd does (defaults applied, timers clamped).
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
pub struct McastSwitchConfig {
    pub enabled: bool,
    pub querier: bool,
    pub flood_unregistered: bool,
    pub table_size: i64,
    pub idle_timeout: i64,
    pub query_interval: i64,
    pub query_max_resp: i64,
    pub eth_src: Option<String>,
    pub ip4_src: Option<String>,
    pub ip6_src: Option<String>,
}

/// The `type` of a logical switch port.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum PortType {
    /// `""`: a VIF.
    Vif,
    Router,
    /// Peer of a port of another switch (switch-to-switch links).
    Switch,
    Localnet,
    Localport,
    L2gateway,
    Vtep,
    External,
    Virtual,
    Remote,
    /// A type ovn-northd does not know; the binding keeps its old type.
    Unknown(String),
}

impl PortType {
    pub fn parse(s: &str) -> PortType {
        match s {
            "" => PortType::Vif,
            "router" => PortType::Router,
            "switch" => PortType::Switch,
            "localnet" => PortType::Localnet,
            "localport" => PortType::Localport,
            "l2gateway" => PortType::L2gateway,
            "vtep" => PortType::Vtep,
            "external" => PortType::External,
            "virtual" => PortType::Virtual,
            "remote" => PortType::Remote,
            other => PortType::Unknown(other.to_owned()),
        }
    }

    /// The `Port_Binding.type` value, `None` for an unknown type.
    pub fn as_str(&self) -> Option<&str> {
        Some(match self {
            PortType::Vif => "",
            PortType::Router => "router",
            PortType::Switch => "switch",
            PortType::Localnet => "localnet",
            PortType::Localport => "localport",
            PortType::L2gateway => "l2gateway",
            PortType::Vtep => "vtep",
            PortType::External => "external",
            PortType::Virtual => "virtual",
            PortType::Remote => "remote",
            PortType::Unknown(_) => return None,
        })
    }
}

/// A logical switch port (`Logical_Switch_Port`), with its addresses parsed.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct SwitchPort {
    pub uuid: Uuid,
    pub name: Text,
    pub kind: PortType,
    /// `enabled` (unset means enabled).
    pub enabled: bool,
    /// `addresses`, verbatim (copied to `Port_Binding.mac`).
    pub addresses: Vec<Text>,
    /// The MAC that starts each `addresses` entry (for L2 lookup), in order;
    /// ovn-northd programs it even when the rest of the entry is invalid.
    pub l2_macs: Vec<Mac>,
    /// Entries that parsed as `MAC [IP...]` (ARP/ND responders).
    pub lsp_addrs: Vec<LportAddresses>,
    /// An `unknown` entry is present.
    pub has_unknown: bool,
    /// A `router` entry is present.
    pub has_router_addr: bool,
    /// The MAC of a `dynamic` entry, from `dynamic_addresses`.
    pub dynamic_mac: Option<Mac>,
    /// `port_security`, verbatim.
    pub port_security: Vec<Text>,
    /// Some `port_security` entry starts with a MAC.
    pub has_port_sec: bool,
    pub parent_name: Option<String>,
    pub tag: Option<i64>,
    /// `tag_request` asks for a VLAN: a tag, or 0 on a container port (one
    /// to be allocated).
    pub vlan_requested: bool,
    /// `peer`: the port of another switch a `switch` port is linked to.
    pub peer: Option<String>,
    pub options: Smap,
    pub external_ids: Smap,
    /// `options:mcast_flood`.
    pub mcast_flood: bool,
    /// `options:mcast_flood_reports`.
    pub mcast_flood_reports: bool,
    /// `dhcpv4_options`.
    pub dhcpv4_options: Option<Uuid>,
    /// `dhcpv6_options`.
    pub dhcpv6_options: Option<Uuid>,
    /// `options:arp_proxy` of a `router` port (`MAC IP...` or `IP...`, the
    /// MAC all zeros then): addresses the switch answers ARP/ND for.
    pub arp_proxy: Option<LportAddresses>,
}

/// A `DHCP_Options` row: the subnet and the options ovn-controller's DHCP
/// server answers with.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct DhcpOptions {
    pub uuid: Uuid,
    /// `cidr`, parsed as an IPv4 network (for DHCPv4)…
    pub cidr_v4: Option<crate::addr::Ipv4Net>,
    /// …or as an IPv6 one (for DHCPv6). Neither: no replies.
    pub cidr_v6: Option<crate::addr::Ipv6Net>,
    pub options: BTreeMap<String, String>,
}

impl Switch {
    /// The switch without its member lists (`ports`, `qos_rules`,
    /// `dns_records`): what switch-wide flows and bindings depend on, so that
    /// adding a member changes nothing downstream of it.
    pub fn attributes(&self) -> Switch {
        Switch {
            ports: Vec::new(),
            qos_rules: Vec::new(),
            dns_records: Vec::new(),
            ..self.clone()
        }
    }
}

impl SwitchPort {
    pub fn is_router(&self) -> bool {
        self.kind == PortType::Router
    }
    /// A link to another switch (`switch`).
    pub fn is_switch(&self) -> bool {
        self.kind == PortType::Switch
    }
    pub fn is_localnet(&self) -> bool {
        self.kind == PortType::Localnet
    }
    pub fn is_external(&self) -> bool {
        self.kind == PortType::External
    }
    pub fn option(&self, key: &str) -> Option<&str> {
        self.options.get(key)
    }
}

/// A switch with what its ports contribute to its switch-wide flows: the
/// context the per-datapath switch passes run in.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct SwitchCtx {
    pub switch: Switch,
    /// Some enabled port has an `unknown` address.
    pub has_unknown: bool,
    /// Names of the switch's localnet ports, sorted.
    pub localnet_ports: Vec<String>,
    /// Some localnet port asks for a VLAN (`vlan_requested`): frames on
    /// the physical network carry an 802.1Q header.
    pub has_vlan_localnet: bool,
    /// Some port is of type `vtep`.
    pub has_vtep_lports: bool,
    /// Some enabled port has `options:mcast_flood=true`.
    pub mcast_flood_static: bool,
    /// Some DNS row of the switch has records.
    pub has_dns_records: bool,
    /// Some `router` port proxies ARP (`options:arp_proxy`).
    pub has_arp_proxy_port: bool,
}

macro_rules! chassis_features {
    ($($(#[$doc:meta])* $field:ident = $flag:literal,)*) => {
        /// What every chassis of this availability zone supports (ovn-northd's
        /// `chassis_features`): a feature is used only when all of them have
        /// it. With no chassis at all, everything is supported.
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
        )]
        pub struct ChassisFeatures {
            $($(#[$doc])* pub $field: bool,)*
        }

        impl ChassisFeatures {
            /// Every feature supported.
            pub const ALL: ChassisFeatures = ChassisFeatures { $($field: true,)* };

            /// The features one chassis announces in `other_config` (each
            /// flag `"true"`).
            pub fn announced(other_config: &BTreeMap<String, String>) -> ChassisFeatures {
                ChassisFeatures {
                    $($field: other_config.get($flag).is_some_and(|v| v.eq_ignore_ascii_case("true")),)*
                }
            }

            /// What two sets of chassis both support.
            pub fn and(self, other: ChassisFeatures) -> ChassisFeatures {
                ChassisFeatures { $($field: self.$field && other.$field,)* }
            }
        }
    };
}

chassis_features! {
    mac_binding_timestamp = "mac-binding-timestamp",
    fdb_timestamp = "fdb-timestamp",
    /// `ls_datapath_group` instead of `datapath_group` in SB `Load_Balancer`.
    ls_dpg_column = "ls-dpg-column",
    ct_commit_nat_v2 = "ct-commit-nat-v2",
    ct_commit_to_zone = "ct-commit-to-zone",
    sample_with_reg = "ovn-sample-with-registers",
    ct_next_zone = "ct-next-zone",
    ct_label_flush = "ct-label-flush",
    /// `ct_state_save()` in the router's packet-length stages.
    ct_state_save = "ct-state-save",
}

impl Default for ChassisFeatures {
    fn default() -> Self {
        ChassisFeatures::ALL
    }
}

impl SwitchCtx {
    /// Stateful ACLs are not compiled yet, so no switch has one.
    pub fn has_stateful_acl(&self) -> bool {
        false
    }
    /// Load balancers are not compiled yet, so no switch has a VIP.
    pub fn has_lb_vip(&self) -> bool {
        false
    }
    /// What the per-port passes need of this context.
    pub fn port_ctx(&self) -> PortCtx {
        PortCtx {
            vlan_passthru: self.switch.vlan_passthru,
            has_stateful_acl: self.has_stateful_acl(),
            has_lb_vip: self.has_lb_vip(),
            interconn_mcast_snoop: self.switch.mcast.enabled && self.switch.interconn_ts.is_some(),
            has_localnet: !self.localnet_ports.is_empty(),
            has_vlan_localnet: self.has_vlan_localnet,
            has_arp_proxy_port: self.has_arp_proxy_port,
        }
    }
}

/// The part of a switch's context that per-port flows depend on. Kept
/// narrow so that a switch-wide change that does not touch it does not
/// recompute every port's flows.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct PortCtx {
    pub vlan_passthru: bool,
    pub has_stateful_acl: bool,
    pub has_lb_vip: bool,
    /// An interconnect transit switch (`interconn-ts`) that snoops multicast.
    pub interconn_mcast_snoop: bool,
    /// The switch has a localnet port.
    pub has_localnet: bool,
    /// One of them is VLAN-tagged (`SwitchCtx::has_vlan_localnet`).
    pub has_vlan_localnet: bool,
    /// Some `router` port of the switch proxies ARP (`arp_proxy`).
    pub has_arp_proxy_port: bool,
}
