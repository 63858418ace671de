//! `Logical_Router` → [`Router`].

use northflow_ir::addr::{Ipv4Net, Ipv6Net};
use northflow_ir::diag::Diagnostic;
use northflow_ir::nb::LogicalRouter;
use northflow_ir::router::Router;
use northflow_ir::row::Table;

use super::requested_datapath_key;
use crate::smap::{get_bool, get_int};

/// `None` for a disabled router: it has no datapath.
pub fn router(row: &LogicalRouter, diags: &mut Vec<Diagnostic>) -> Option<Router> {
    if row.enabled == Some(false) {
        return None;
    }
    let o = &row.options;
    let age = o.get("mac_binding_age_threshold");
    let mac_binding_age_threshold = age.and_then(|v| {
        let min = min_age_threshold(v);
        if min.is_none() {
            diags.push(Diagnostic::new(
                LogicalRouter::TABLE,
                row.uuid,
                "options",
                format!("mac_binding_age_threshold {v:?} is not [CIDR:]SECONDS[;…]: ignored"),
            ));
        }
        min.filter(|t| *t != 0)
    });
    let nonempty = |key: &str| o.get(key).filter(|v| !v.is_empty()).cloned();
    Some(Router {
        uuid: row.uuid,
        name: row.name.clone(),
        name2: row
            .external_ids
            .get("neutron:router_name")
            .filter(|n| !n.is_empty())
            .cloned(),
        requested_tnl_key: requested_datapath_key(
            o.get("requested-tnl-key"),
            LogicalRouter::TABLE,
            row.uuid,
            "options",
            diags,
        ),
        ct_zone_limit: Some(get_int(o, "ct-zone-limit", -1)).filter(|l| *l > 0),
        snat_ct_zone: Some(get_int(o, "snat-ct-zone", -1)).filter(|z| *z >= 0),
        always_learn_from_arp_request: get_bool(o, "always_learn_from_arp_request", true),
        mac_binding_age_threshold,
        disable_garp_rarp: get_bool(o, "disable_garp_rarp", false),
        dynamic_routing_vrf_id: Some(get_int(o, "dynamic-routing-vrf-id", -1)).filter(|v| *v > 0),
        dynamic_routing_prefix_nexthops: [
            nonempty("dynamic-routing-v4-prefix-nexthop"),
            nonempty("dynamic-routing-v6-prefix-nexthop"),
        ],
    })
}

/// The smallest non-zero threshold of `[CIDR:]SECONDS[;…]` (0 when all are
/// zero), `None` when an entry does not parse: then ovn-northd uses none.
fn min_age_threshold(opt: &str) -> Option<u32> {
    let mut min = 0u32;
    for entry in opt.split(';').filter(|e| !e.is_empty()) {
        let (cidr, seconds) = match entry.rsplit_once(':') {
            Some((cidr, seconds)) => (Some(cidr), seconds),
            None => (None, entry),
        };
        let t = seconds
            .parse::<u32>()
            .ok()
            .filter(|t| i32::try_from(*t).is_ok())?;
        if let Some(cidr) = cidr {
            let v4 = || match cidr.contains('/') {
                true => Ipv4Net::parse_cidr(cidr).map(|_| ()),
                false => cidr.parse::<std::net::Ipv4Addr>().ok().map(|_| ()),
            };
            let v6 = || match cidr.contains('/') {
                true => Ipv6Net::parse_cidr(cidr).map(|_| ()),
                false => cidr.parse::<std::net::Ipv6Addr>().ok().map(|_| ()),
            };
            v4().or_else(v6)?;
        }
        if t != 0 && (min == 0 || t < min) {
            min = t;
        }
    }
    Some(min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_thresholds_take_the_smallest_non_zero() {
        assert_eq!(min_age_threshold("300"), Some(300));
        assert_eq!(min_age_threshold("10.0.0.0/8:120;300"), Some(120));
        assert_eq!(min_age_threshold("fd00::/64:60;10.0.0.1:0;300"), Some(60));
        assert_eq!(min_age_threshold("0"), Some(0));
        assert_eq!(min_age_threshold("10.0.0.0/8:x"), None);
        assert_eq!(min_age_threshold("bogus:30"), None);
    }

    #[test]
    fn a_disabled_router_has_no_datapath() {
        let row = LogicalRouter {
            enabled: Some(false),
            ..Default::default()
        };
        assert_eq!(router(&row, &mut Vec::new()), None);
    }
}
