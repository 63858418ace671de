//! Names ovn-northd gives to things it creates.

/// Multicast group of every enabled port of a switch.
pub const MC_FLOOD: &str = "_MC_flood";
/// Multicast group of ports with `unknown` addresses.
pub const MC_UNKNOWN: &str = "_MC_unknown";
/// Ports towards multicast routers.
pub const MC_MROUTER_FLOOD: &str = "_MC_mrouter_flood";
/// Ports configured to flood multicast statically.
pub const MC_STATIC: &str = "_MC_static";
/// The broadcast domain without the ports towards routers.
pub const MC_FLOOD_L2: &str = "_MC_flood_l2";

/// Tunnel keys of the fixed multicast groups (`ovn_mcast_tunnel_keys`).
pub const MC_FLOOD_KEY: i64 = 32768;
pub const MC_UNKNOWN_KEY: i64 = 32769;
pub const MC_MROUTER_FLOOD_KEY: i64 = 32770;
pub const MC_STATIC_KEY: i64 = 32771;
pub const MC_FLOOD_L2_KEY: i64 = 32772;

/// The address set of the service-monitor source MAC.
pub const SVC_MONITOR_MAC_SET: &str = "svc_monitor_mac";

/// The action of a flow that drops (ovn-northd's `debug_drop_action()`
/// without drop sampling configured).
pub const DROP: &str = "drop;";

/// The action that answers an ARP request from `mac` (a MAC or the
/// register holding one), swapping the addresses, back out the port it
/// came in on.
pub fn arp_reply(mac: &str) -> String {
    format!(
        "eth.dst = eth.src; eth.src = {mac}; arp.op = 2; /* ARP reply */ \
         arp.tha = arp.sha; arp.sha = {mac}; arp.tpa <-> arp.spa; \
         outport = inport; flags.loopback = 1; output;"
    )
}

/// The action of a flow that drops without saying so in the action text
/// (ovn-northd's `debug_implicit_drop_action()`, drop sampling off).
pub const IMPLICIT_DROP: &str = "/* drop */";

/// Matches IPv6 ND and MLD packets, which never go through conntrack.
pub const IPV6_CT_OMIT_MATCH: &str = "nd || nd_ra || nd_rs || mldv1 || mldv2";
