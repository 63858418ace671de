//! From the chosen next hop to the wire: `lr_in_chk_pkt_len`,
//! `lr_in_larger_pkts`, `lr_in_gw_redirect`, `lr_in_arp_request`,
//! `lr_in_ecmp_stateful_egr` and `lr_out_delivery`.

use northflow_ir::lflow::{port_key_ref, LogicalFlow};
use northflow_ir::router::{CoppMeters, RouterPort};
use northflow_ir::stage::Stage;

use super::{json_string, port_match};
use crate::names::DROP;
use crate::registers::{
    NEEDS_ECMP_STATEFUL_COMMIT, NEXTHOP_IS_IPV4, NEXT_HOP_IPV4, NEXT_HOP_IPV6, SRC_IPV4,
};

pub(super) fn router_flows(copp: &CoppMeters, out: &mut Vec<LogicalFlow>) {
    out.push(LogicalFlow::new(Stage::LrInChkPktLen, 0, "1", "next;"));
    out.push(LogicalFlow::new(Stage::LrInLargerPkts, 0, "1", "next;"));
    out.push(LogicalFlow::new(Stage::LrInGwRedirect, 0, "1", "next;"));
    // An unresolved next hop: ask for it.
    out.push(
        LogicalFlow::new(
            Stage::LrInArpRequest,
            100,
            format!("eth.dst == 00:00:00:00:00:00 && {NEXTHOP_IS_IPV4} == 1"),
            format!(
            "arp {{ eth.dst = ff:ff:ff:ff:ff:ff; arp.spa = {SRC_IPV4}; arp.tpa = {NEXT_HOP_IPV4}; \
             arp.op = 1; output; }}; next;"
        ),
        )
        .with_meter(copp.get("arp-resolve")),
    );
    out.push(
        LogicalFlow::new(
            Stage::LrInArpRequest,
            100,
            format!("eth.dst == 00:00:00:00:00:00 && {NEXTHOP_IS_IPV4} == 0"),
            format!("nd_ns {{ nd.target = {NEXT_HOP_IPV6}; output; }}; next;"),
        )
        .with_meter(copp.get("nd-ns-resolve")),
    );
    out.push(LogicalFlow::new(Stage::LrInArpRequest, 0, "1", "next;"));
    out.push(LogicalFlow::new(
        Stage::LrInEcmpStatefulEgr,
        0,
        "1",
        "output;",
    ));
    out.push(LogicalFlow::new(Stage::LrOutDelivery, 0, "1", DROP));
}

pub(super) fn port_flows(port: &RouterPort, out: &mut Vec<LogicalFlow>) {
    let outport = port_match("outport", port);
    // Remember the port of an ECMP route's reply direction (by tunnel key),
    // a gateway port's chassis-redirect port too.
    let redirect = port.is_gateway().then(|| port.redirect_name());
    for name in std::iter::once(port.name.as_str()).chain(redirect.as_deref()) {
        out.push(LogicalFlow::new(
            Stage::LrInEcmpStatefulEgr,
            100,
            format!(
                "{NEEDS_ECMP_STATEFUL_COMMIT} == 1 && ip && outport == {}",
                json_string(name)
            ),
            format!(
                "ct_commit {{ ct_label.ecmp_reply_eth = eth.dst; ct_mark.ecmp_reply_port = {};}}; output;",
                port_key_ref(name)
            ),
        ));
    }
    // What leaves a gateway port goes through the gateway chassis.
    if let Some(redirect) = &redirect {
        out.push(
            LogicalFlow::new(
                Stage::LrInGwRedirect,
                50,
                &outport,
                format!("outport = {}; next;", json_string(redirect)),
            )
            .with_hint(port.uuid),
        );
    }
    if port.enabled {
        out.push(LogicalFlow::new(
            Stage::LrOutDelivery,
            100,
            outport,
            "output;",
        ));
    }
}
