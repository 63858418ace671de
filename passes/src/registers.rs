//! The register and flag allocation shared by the pipeline stages (the
//! `REGBIT_*` names of ovn-northd). One place, so that no two stages can
//! disagree about what a bit means.

/// Send to conntrack for tracking and defragmentation.
pub const CONNTRACK_DEFRAG: &str = "reg0[0]";
/// Commit the connection to conntrack.
pub const CONNTRACK_COMMIT: &str = "reg0[1]";
/// Send to conntrack for (un)NAT.
pub const CONNTRACK_NAT: &str = "reg0[2]";
/// Result of `put_dhcp_opts`.
pub const DHCP_OPTS_RESULT: &str = "reg0[3]";
/// Result of `dns_lookup`.
pub const DNS_LOOKUP_RESULT: &str = "reg0[4]";
/// Result of `lookup_fdb`.
pub const LKUP_FDB: &str = "reg0[11]";
/// The connection carries an ACL label.
pub const ACL_LABEL: &str = "reg0[13]";
/// The packet came in from a VTEP gateway (a "ramp" switch).
pub const FROM_RAMP: &str = "reg0[14]";
/// Port security says drop.
pub const PORT_SEC_DROP: &str = "reg0[15]";
/// A stateless ACL matched: skip conntrack.
pub const ACL_STATELESS: &str = "reg0[16]";
/// The packet came in from a router port.
pub const FROM_ROUTER_PORT: &str = "reg0[18]";
/// The packet was a fragment before conntrack reassembled it.
pub const IP_FRAG: &str = "reg0[19]";
/// The ACL asked for the connection to be allowed once established.
pub const ACL_PERSIST_ID: &str = "reg0[20]";
/// The network function (group) a packet is redirected to.
pub const NF_ID: &str = "reg0[22..29]";
/// An ARP request from the physical network (localnet, l2gateway), to be
/// answered only where the gateway is resident (the same bit as `NF_ID`'s
/// first, as in ovn-northd).
pub const EXT_ARP: &str = "reg0[22]";
/// The ACL's id, committed to `ct_label.acl_id`.
pub const ACL_ID: &str = "reg2[16..31]";
/// The ACL observation stage, collector and point of an established
/// connection's sample.
pub const ACL_OBS_STAGE: &str = "reg8[19..20]";
pub const OBS_COLLECTOR_ID_EST: &str = "reg8[8..15]";
pub const OBS_POINT_ID_EST: &str = "reg9";
/// Redirect through a network function; this is the original direction; the
/// packet came back from a network function's egress loop.
pub const NF_ENABLED: &str = "reg8[21]";
pub const NF_ORIG_DIR: &str = "reg8[22]";
pub const NF_EGRESS_LOOPBACK: &str = "reg8[23]";
/// The ACL evaluation stages' verdicts, applied by the ACL action stages.
pub const ACL_VERDICT_ALLOW: &str = "reg8[16]";
pub const ACL_VERDICT_DROP: &str = "reg8[17]";
pub const ACL_VERDICT_REJECT: &str = "reg8[18]";

// The router pipeline's registers.

/// The inport's Ethernet address, stored at admission.
pub const INPORT_ETH_ADDR: &str = "xreg0[0..47]";
/// The packet is looped back by the router itself (skip admission drops).
pub const EGRESS_LOOPBACK: &str = "reg9[0]";
/// The packet exceeds the gateway MTU (`check_pkt_larger`).
pub const PKT_LARGER: &str = "reg9[1]";
/// The connection-tracking state saved before the packet-length check
/// (`ct_state_save()`).
pub const CT_STATE: &str = "reg4[0..7]";
/// `lookup_arp`/`lookup_nd` found the binding already known.
pub const LOOKUP_NEIGHBOR_RESULT: &str = "reg9[2]";
/// `lookup_arp_ip`/`lookup_nd_ip` found the IP (learn only then).
pub const LOOKUP_NEIGHBOR_IP_RESULT: &str = "reg9[3]";
/// The destination was NATed to a local address.
pub const DST_NAT_IP_LOCAL: &str = "reg9[4]";
/// The next hop is IPv4 (`reg0`), else IPv6 (`xxreg0`).
pub const NEXTHOP_IS_IPV4: &str = "reg9[9]";
/// The routing decision must be committed for ECMP symmetric replies.
pub const NEEDS_ECMP_STATEFUL_COMMIT: &str = "reg9[10]";
/// The ECMP group of the route or policy taken (0: none).
pub const ECMP_GROUP_ID: &str = "reg8[0..15]";
/// The member of that group `select()` chose (1-based).
pub const ECMP_MEMBER_ID: &str = "reg8[16..31]";
/// The routing-policy chain `lr_in_policy` evaluates (0: the default one);
/// a `jump` sets it and goes back to `lr_in_policy`.
pub const POLICY_CHAIN_ID: &str = "reg9[16..31]";
/// Carries `ct_label` for a symmetric ECMP reply's MAC (pushed and popped
/// around its use) …
pub const ECMP_ETH_FULL: &str = "xxreg1";
/// … whose `ct_label.ecmp_reply_eth` bits are these.
pub const ECMP_ETH_FIELD: &str = "xxreg1[32..79]";
/// The next hop and the source address of the route taken.
pub const NEXT_HOP_IPV4: &str = "reg0";
pub const NEXT_HOP_IPV6: &str = "xxreg0";
pub const SRC_IPV4: &str = "reg5";
pub const SRC_IPV6: &str = "xxreg1";
/// The route table the packet is looked up in.
pub const ROUTE_TABLE_ID: &str = "reg7";
