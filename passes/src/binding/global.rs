//! The rows ovn-northd derives from `NB_Global` alone: `SB_Global` and the
//! `svc_monitor_mac` address set. The random values ovn-northd picks for a
//! missing `mac_prefix` or `svc_monitor_mac` are not chosen here: they are
//! written back to the Northbound first and arrive as input.

use std::collections::{BTreeMap, BTreeSet};

use northflow_ir::addr::Mac;
use northflow_ir::binding::{AddressSet, SbGlobal};
use northflow_ir::nb::NbGlobal;

use super::MAX_DP_KEY;
use crate::names::SVC_MONITOR_MAC_SET;

/// The value ovn-northd 26.03.1 writes as `options:northd_internal_version`
/// (ovn-controller can be told to refuse a northd of another version).
pub const NORTHD_INTERNAL_VERSION: &str = "26.03.1-21.8.0-82.14";

/// The `NB_Global` options that name service monitor MACs.
pub const SVC_MONITOR_MAC_OPTIONS: [&str; 2] = ["svc_monitor_mac", "svc_monitor_mac_dst"];

/// `NB_Global.options` as ovn-northd keeps them (and writes them back): the
/// Northbound's own, with the largest datapath key and northd's version.
pub fn nb_options(nb: &NbGlobal) -> BTreeMap<String, String> {
    let mut options = nb.options.clone();
    options.insert("max_tunid".into(), (MAX_DP_KEY - 65535).to_string());
    options.insert(
        "northd_internal_version".into(),
        NORTHD_INTERNAL_VERSION.into(),
    );
    options
}

/// `SB_Global`: the Northbound's options (with northd's own), and what this
/// northd's flows assume of ovn-controller.
pub fn sb_global(nb: &NbGlobal) -> SbGlobal {
    let mut options = nb_options(nb);
    options.insert("arp_ns_explicit_output".into(), "true".into());
    options.insert("register_consolidation".into(), "true".into());
    SbGlobal {
        options,
        nb_cfg: nb.nb_cfg,
        ipsec: nb.ipsec,
    }
}

/// The `svc_monitor_mac` address set: the service monitors' source and
/// destination MACs, normalized.
pub fn svc_monitor_mac_set(nb: &NbGlobal) -> AddressSet {
    let addresses: BTreeSet<String> = SVC_MONITOR_MAC_OPTIONS
        .iter()
        .filter_map(|k| Mac::parse(nb.options.get(*k)?))
        .map(|m| m.to_string())
        .collect();
    AddressSet {
        name: SVC_MONITOR_MAC_SET.to_owned(),
        addresses: addresses.into_iter().collect(),
    }
}
