//! `Logical_Switch` → [`Switch`].

use northflow_ir::diag::Diagnostic;
use northflow_ir::nb::LogicalSwitch;
use northflow_ir::row::Table;
use northflow_ir::switch::{McastSwitchConfig, Switch};

use crate::smap::{get_bool, get_int};

/// Multicast snooping defaults and limits (`ovn-nb(5)`, `other_config:mcast_*`).
const MCAST_DEFAULT_MAX_ENTRIES: i64 = 2048;
const MCAST_DEFAULT_IDLE_TIMEOUT: i64 = 300;
const MCAST_MIN_IDLE_TIMEOUT: i64 = 15;
const MCAST_MAX_IDLE_TIMEOUT: i64 = 3600;
const MCAST_MIN_QUERY_INTERVAL: i64 = 1;
const MCAST_MAX_QUERY_INTERVAL: i64 = MCAST_MAX_IDLE_TIMEOUT;
const MCAST_DEFAULT_QUERY_MAX_RESPONSE: i64 = 1;

pub fn switch(row: &LogicalSwitch, diags: &mut Vec<Diagnostic>) -> Switch {
    let oc = &row.other_config;
    let idle_timeout = get_int(oc, "mcast_idle_timeout", MCAST_DEFAULT_IDLE_TIMEOUT)
        .clamp(MCAST_MIN_IDLE_TIMEOUT, MCAST_MAX_IDLE_TIMEOUT);
    let query_interval = get_int(oc, "mcast_query_interval", idle_timeout / 2)
        .clamp(MCAST_MIN_QUERY_INTERVAL, MCAST_MAX_QUERY_INTERVAL);
    let mcast = McastSwitchConfig {
        enabled: get_bool(oc, "mcast_snoop", false),
        querier: get_bool(oc, "mcast_querier", true),
        flood_unregistered: get_bool(oc, "mcast_flood_unregistered", false),
        table_size: get_int(oc, "mcast_table_size", MCAST_DEFAULT_MAX_ENTRIES),
        idle_timeout,
        query_interval,
        query_max_resp: get_int(
            oc,
            "mcast_query_max_response",
            MCAST_DEFAULT_QUERY_MAX_RESPONSE,
        ),
        eth_src: oc.get("mcast_eth_src").cloned(),
        ip4_src: oc.get("mcast_ip4_src").cloned(),
        ip6_src: oc.get("mcast_ip6_src").cloned(),
    };
    let requested_tnl_key = super::requested_datapath_key(
        oc.get("requested-tnl-key"),
        LogicalSwitch::TABLE,
        row.uuid,
        "other_config",
        diags,
    );
    Switch {
        uuid: row.uuid,
        name: row.name.clone(),
        ports: row.ports.clone(),
        vlan_passthru: get_bool(oc, "vlan-passthru", false),
        broadcast_arps_to_all_routers: get_bool(oc, "broadcast-arps-to-all-routers", true),
        mcast,
        name2: row
            .external_ids
            .get("neutron:network_name")
            .filter(|n| !n.is_empty())
            .cloned(),
        interconn_ts: oc.get("interconn-ts").cloned(),
        ct_zone_limit: Some(crate::smap::get_int(oc, "ct-zone-limit", -1)).filter(|l| *l > 0),
        fdb_age_threshold: u32::try_from(crate::smap::get_int(oc, "fdb_age_threshold", 0))
            .ok()
            .filter(|a| *a != 0),
        requested_tnl_key,
        has_acls: !row.acls.is_empty(),
        qos_rules: row.qos_rules.clone(),
        dns_records: row.dns_records.clone(),
    }
}
