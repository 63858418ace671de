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
/// Port security says drop.
pub const PORT_SEC_DROP: &str = "reg0[15]";
/// A stateless ACL matched: skip conntrack.
pub const ACL_STATELESS: &str = "reg0[16]";
/// The register holding the ACL label committed to `ct_label.label`.
pub const LABEL: &str = "reg3";
