//! The rows ovn-northd writes into every Southbound at startup: the DHCP
//! option catalogues ovn-controller encodes with, and the RBAC roles that
//! let chassis write only their own rows. Values as ovn-northd 26.03.1 writes them
//! (copied from its Southbound).

/// `DHCP_Options`: (code, name, type).
pub const DHCP_OPTIONS: &[(i64, &str, &str)] = &[
    (0, "offerip", "ipv4"),
    (1, "netmask", "ipv4"),
    (3, "router", "ipv4"),
    (6, "dns_server", "ipv4"),
    (7, "log_server", "ipv4"),
    (9, "lpr_server", "ipv4"),
    (12, "hostname", "str"),
    (15, "domain_name", "str"),
    (16, "swap_server", "ipv4"),
    (19, "ip_forward_enable", "bool"),
    (21, "policy_filter", "ipv4"),
    (23, "default_ttl", "uint8"),
    (26, "mtu", "uint16"),
    (28, "broadcast_address", "ipv4"),
    (31, "router_discovery", "bool"),
    (32, "router_solicitation", "ipv4"),
    (35, "arp_cache_timeout", "uint32"),
    (36, "ethernet_encap", "bool"),
    (37, "tcp_ttl", "uint8"),
    (38, "tcp_keepalive_interval", "uint32"),
    (41, "nis_server", "ipv4"),
    (42, "ntp_server", "ipv4"),
    (44, "netbios_name_server", "ipv4"),
    (46, "netbios_node_type", "uint8"),
    (51, "lease_time", "uint32"),
    (54, "server_id", "ipv4"),
    (58, "T1", "uint32"),
    (59, "T2", "uint32"),
    (66, "tftp_server", "host_id"),
    (67, "bootfile_name", "str"),
    (119, "domain_search_list", "domains"),
    (121, "classless_static_route", "static_routes"),
    (150, "tftp_server_address", "ipv4"),
    (210, "path_prefix", "str"),
    (249, "ms_classless_static_route", "static_routes"),
    (252, "wpad", "str"),
    (253, "next_server", "ipv4"),
    (254, "bootfile_name_alt", "str"),
];

/// `DHCPv6_Options`: (code, name, type).
pub const DHCPV6_OPTIONS: &[(i64, &str, &str)] = &[
    (2, "server_id", "mac"),
    (5, "ia_addr", "ipv6"),
    (23, "dns_server", "ipv6"),
    (24, "domain_search", "str"),
    (39, "fqdn", "domain"),
    (59, "bootfile_name", "str"),
    (254, "bootfile_name_alt", "str"),
];

/// One `RBAC_Permission` of the `ovn-controller` role.
pub struct RbacPermission {
    pub table: &'static str,
    pub authorization: &'static [&'static str],
    pub insert_delete: bool,
    pub update: &'static [&'static str],
}

/// The role every chassis connects as.
pub const RBAC_ROLE: &str = "ovn-controller";

pub const RBAC_PERMISSIONS: &[RbacPermission] = &[
    RbacPermission {
        table: "BFD",
        authorization: &["chassis_name"],
        insert_delete: false,
        update: &["status"],
    },
    RbacPermission {
        table: "Chassis",
        authorization: &["name"],
        insert_delete: true,
        update: &[
            "encaps",
            "external_ids",
            "nb_cfg",
            "other_config",
            "transport_zones",
            "vtep_logical_switches",
        ],
    },
    RbacPermission {
        table: "Chassis_Private",
        authorization: &["name"],
        insert_delete: true,
        update: &["chassis", "external_ids", "nb_cfg", "nb_cfg_timestamp"],
    },
    RbacPermission {
        table: "Controller_Event",
        authorization: &[""],
        insert_delete: true,
        update: &["chassis", "event_info", "event_type", "seq_num"],
    },
    RbacPermission {
        table: "Encap",
        authorization: &["chassis_name"],
        insert_delete: true,
        update: &["ip", "options", "type"],
    },
    RbacPermission {
        table: "FDB",
        authorization: &[""],
        insert_delete: true,
        update: &["dp_key", "mac", "port_key", "timestamp"],
    },
    RbacPermission {
        table: "IGMP_Group",
        authorization: &["chassis_name"],
        insert_delete: true,
        update: &["address", "chassis", "datapath", "ports", "protocol"],
    },
    RbacPermission {
        table: "Learned_Route",
        authorization: &[""],
        insert_delete: true,
        update: &[
            "datapath",
            "external_ids",
            "ip_prefix",
            "logical_port",
            "nexthop",
        ],
    },
    RbacPermission {
        table: "MAC_Binding",
        authorization: &[""],
        insert_delete: true,
        update: &["datapath", "ip", "logical_port", "mac", "timestamp"],
    },
    RbacPermission {
        table: "Port_Binding",
        authorization: &[""],
        insert_delete: false,
        update: &[
            "additional_chassis",
            "additional_encap",
            "chassis",
            "encap",
            "options",
            "up",
            "virtual_parent",
        ],
    },
    RbacPermission {
        table: "Service_Monitor",
        authorization: &["chassis_name"],
        insert_delete: false,
        update: &["status"],
    },
];
