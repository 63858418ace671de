//! `Logical_Switch_Port` → [`SwitchPort`]: addresses parsed as ovn-northd
//! parses them, with a diagnostic for each entry it would log and skip.

use northflow_ir::addr::{LportAddresses, Mac};
use northflow_ir::diag::Diagnostic;
use northflow_ir::intern::Text;
use northflow_ir::nb::LogicalSwitchPort;
use northflow_ir::row::Table;
use northflow_ir::smap::Smap;
use northflow_ir::switch::{PortType, SwitchPort};

use crate::smap::get_bool;

pub fn switch_port(row: &LogicalSwitchPort, diags: &mut Vec<Diagnostic>) -> SwitchPort {
    let diag = |column: &str, message: String| {
        Diagnostic::new(LogicalSwitchPort::TABLE, row.uuid, column, message)
    };

    let mut l2_macs = Vec::new();
    let mut lsp_addrs = Vec::new();
    let (mut has_unknown, mut has_router_addr) = (false, false);
    let mut dynamic_mac = None;
    for entry in &row.addresses {
        // L2 lookup takes any entry that starts with a MAC, whatever follows.
        let leading_mac = Mac::parse_prefix(entry).map(|(mac, _)| mac);
        l2_macs.extend(leading_mac);
        match entry.as_str() {
            "unknown" => has_unknown = true,
            "router" => has_router_addr = true,
            e if e.starts_with("dynamic") => {
                dynamic_mac = row
                    .dynamic_addresses
                    .as_deref()
                    .and_then(|d| Mac::parse_prefix(d).map(|(m, _)| m));
            }
            e if is_mac_dynamic(e) => {}
            e => match LportAddresses::parse(e) {
                Some(parsed) => {
                    if let Some(rest) = parsed.trailing {
                        diags.push(diag(
                            "addresses",
                            format!("invalid syntax {rest:?} in address {e:?}: ignored"),
                        ));
                    }
                    lsp_addrs.push(parsed.addresses);
                }
                None => diags.push(diag(
                    "addresses",
                    format!("invalid syntax {e:?}: no MAC address found"),
                )),
            },
        }
    }

    // Port security is on when some entry starts with a MAC (after a
    // `VRRPv3` marker and the character that follows it).
    let mut has_port_sec = false;
    for entry in &row.port_security {
        let skip = if entry.starts_with("VRRPv3") { 7 } else { 0 };
        match entry.get(skip..).and_then(Mac::parse_prefix) {
            Some(_) => has_port_sec = true,
            None => diags.push(diag(
                "port_security",
                format!("invalid syntax {entry:?}: no MAC address found"),
            )),
        }
    }

    let kind = PortType::parse(&row.type_);
    if let PortType::Unknown(t) = &kind {
        diags.push(diag("type", format!("unknown port type {t:?}")));
    }
    let arp_proxy = match (&kind, row.options.get("arp_proxy")) {
        (PortType::Router, Some(v)) => {
            let parsed = proxy_addresses(v);
            if parsed.is_none() {
                diags.push(diag("options", format!("invalid arp_proxy {v:?}: ignored")));
            }
            parsed
        }
        _ => None,
    };
    // Addresses behind a link to another switch are not known here.
    has_unknown |= kind == PortType::Switch;

    SwitchPort {
        uuid: row.uuid,
        name: Text::from(row.name.as_str()),
        kind,
        enabled: row.enabled.unwrap_or(true),
        addresses: row.addresses.iter().map(Text::from).collect(),
        l2_macs,
        lsp_addrs,
        has_unknown,
        has_router_addr,
        dynamic_mac,
        port_security: row.port_security.iter().map(Text::from).collect(),
        has_port_sec,
        parent_name: row.parent_name.clone(),
        tag: effective_tag(row),
        vlan_requested: row
            .tag_request
            .is_some_and(|t| t != 0 || row.parent_name.as_deref().is_some_and(|p| !p.is_empty())),
        peer: row.peer.clone(),
        options: Smap::from(&row.options),
        external_ids: Smap::from(&row.external_ids),
        mcast_flood: get_bool(&row.options, "mcast_flood", false),
        mcast_flood_reports: get_bool(&row.options, "mcast_flood_reports", false),
        dhcpv4_options: row.dhcpv4_options,
        dhcpv6_options: row.dhcpv6_options,
        arp_proxy,
    }
}

/// `arp_proxy` as ovn-northd reads it: `MAC IP...` (`extract_addresses`),
/// else only addresses (`extract_ip_addresses`: the MAC left all zeros).
fn proxy_addresses(v: &str) -> Option<LportAddresses> {
    if let Some(p) = LportAddresses::parse(v) {
        return Some(p.addresses);
    }
    let p = LportAddresses::parse(&format!("00:00:00:00:00:00 {v}"))?;
    let a = p.addresses;
    (p.trailing.is_none() && !(a.ipv4.is_empty() && a.ipv6.is_empty())).then_some(a)
}

/// `MAC dynamic`: a fixed MAC with an IP from northd's IPAM.
fn is_mac_dynamic(entry: &str) -> bool {
    matches!(Mac::parse_prefix(entry), Some((_, rest)) if rest.trim() == "dynamic")
}

/// The tag ovn-northd sets: a non-zero `tag_request` is copied to `tag`;
/// otherwise `tag` stays what it is (allocation for `tag_request=0` is not
/// implemented yet).
fn effective_tag(row: &LogicalSwitchPort) -> Option<i64> {
    match row.tag_request {
        Some(t) if t != 0 => Some(t),
        _ => row.tag,
    }
}
