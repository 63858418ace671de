//! IR for logical routers: what the passes read of a `Logical_Router`,
//! decoded once.

use northflow_ovsdb::Uuid;

/// An enabled logical router (a disabled one has no datapath: it lowers to
/// nothing).
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Router {
    pub uuid: Uuid,
    pub name: String,
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
    /// `options:dynamic-routing-vrf-id`, when positive.
    pub dynamic_routing_vrf_id: Option<i64>,
    /// `options:dynamic-routing-v4-prefix-nexthop` / `-v6-`, when not empty.
    pub dynamic_routing_prefix_nexthops: [Option<String>; 2],
}
