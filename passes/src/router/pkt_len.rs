//! `gateway_mtu`: packets larger than a port's gateway MTU are checked on
//! the way in (`lr_in_admission`) and out (`lr_in_chk_pkt_len`), and
//! answered with "fragmentation needed" / "packet too big"
//! (`lr_in_ip_input` for traffic to the port, `lr_in_larger_pkts` for
//! traffic routed out of it).

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::router::{CoppMeters, GatewayMtu, RouterPort};
use northflow_ir::stage::Stage;

use super::{json_string, port_flow, port_match};
use crate::registers::{CT_STATE, EGRESS_LOOPBACK, PKT_LARGER};

/// The flow ovn-northd builds with an action (`action`) that, with a
/// gateway MTU, first checks the packet's length; and a flow above it
/// that skips the check for ARP (and `gateway_mtu_bypass`).
pub(super) fn checked_flows(
    mtu: Option<&GatewayMtu>,
    stage: Stage,
    m: &str,
    action: &str,
) -> Vec<LogicalFlow> {
    let Some(g) = mtu else {
        return vec![LogicalFlow::new(stage, 50, m, action)];
    };
    let bypass = g
        .bypass
        .as_ref()
        .map_or(String::new(), |b| format!(" || {b}"));
    vec![
        LogicalFlow::new(
            stage,
            50,
            m,
            format!(
                "{PKT_LARGER} = check_pkt_larger({}); {action}",
                g.mtu + g.l2_hdr
            ),
        ),
        LogicalFlow::new(stage, 55, format!("{m} && (arp{bypass})"), action),
    ]
}

/// A port's own gateway-MTU flows: the check on the way out, and the
/// error for traffic to it.
pub fn port_flows(
    port: &RouterPort,
    vlan_peer: bool,
    ct_state_save: bool,
    copp: &CoppMeters,
    out: &mut Vec<LogicalFlow>,
) {
    let Some(g) = GatewayMtu::of(port, vlan_peer) else {
        return;
    };
    let action = match ct_state_save {
        true => format!("{CT_STATE} = ct_state_save(); next;"),
        false => "next;".to_owned(),
    };
    let checked = checked_flows(
        Some(&g),
        Stage::LrInChkPktLen,
        &port_match("outport", port),
        &action,
    );
    out.extend(checked.into_iter().map(|f| port_flow(port, f)));
    need_frag_flows(port, g.mtu, None, copp, out);
}

/// The error for traffic routed from `from` out of `port` (whose gateway
/// MTU it exceeds), sent back from `from`'s address; replies of DNATed
/// connections get it un-SNATed.
pub fn larger_pkts_flows(
    port: &RouterPort,
    from: &RouterPort,
    ct_state_save: bool,
    copp: &CoppMeters,
    out: &mut Vec<LogicalFlow>,
) {
    let Some(GatewayMtu { mtu, .. }) = GatewayMtu::of(port, false) else {
        return;
    };
    let ct = match ct_state_save {
        true => "reg4[5] && reg4[3] && reg4[7]",
        false => "ct.trk && ct.rpl && ct.dnat",
    };
    need_frag_flows(from, mtu, Some((port, ct)), copp, out);
}

/// `icmp4_error`/`icmp6_error` "fragmentation needed" from `from` (its MAC
/// and first address), for traffic in on `from` (and out of `to`).
fn need_frag_flows(
    from: &RouterPort,
    mtu: u32,
    to: Option<(&RouterPort, &str)>,
    copp: &CoppMeters,
    out: &mut Vec<LogicalFlow>,
) {
    let mut base = port_match("inport", from);
    let stage = match to {
        Some((to, _)) => {
            base.push_str(&format!(" && outport == {}", json_string(&to.name)));
            Stage::LrInLargerPkts
        }
        None => Stage::LrInIpInput,
    };
    let mac = from.networks.mac;
    let v4 = from.networks.ipv4.first().map(|n| n.addr.to_string());
    let v6 = from.networks.ipv6.first().map(|n| n.addr.to_string());
    let variants = match to {
        Some((_, ct)) => vec![(160, Some(ct)), (150, None)],
        None => vec![(150, None)],
    };
    for (priority, ct) in variants {
        for (v6_flow, ip) in [(false, &v4), (true, &v6)] {
            let Some(ip) = ip else { continue };
            let TooBig {
                family,
                error,
                meter,
                body,
            } = TooBig::of(v6_flow);
            let mut m = format!("{base} && {family} && {PKT_LARGER} && {EGRESS_LOOPBACK} == 0");
            let mut extra = "";
            if let Some(ct) = ct {
                m.push_str(&format!(" && {ct}"));
                extra = "flags.icmp_snat = 1; ";
            }
            let action = format!(
                "{error} {{{extra}{EGRESS_LOOPBACK} = 1; {PKT_LARGER} = 0; eth.dst = {mac}; \
                 {family}.dst = {family}.src; {family}.src = {ip}; ip.ttl = 255; {body} = {mtu}; \
                 next(pipeline=ingress, table={}); }};",
                Stage::LrInAdmission.table()
            );
            let mut f = port_flow(from, LogicalFlow::new(stage, priority, m, action));
            f.controller_meter = copp.get(meter).map(Into::into);
            out.push(f);
        }
    }
}

/// The parts of a "fragmentation needed" (IPv4) / "packet too big" (IPv6)
/// reply: the address family, the error action, its Copp meter, and the
/// ICMP fields up to the MTU's value.
pub(super) struct TooBig {
    pub family: &'static str,
    pub error: &'static str,
    pub meter: &'static str,
    pub body: &'static str,
}

impl TooBig {
    pub fn of(v6: bool) -> TooBig {
        match v6 {
            false => TooBig {
                family: "ip4",
                error: "icmp4_error",
                meter: "icmp4-error",
                body: "icmp4.type = 3; /* Destination Unreachable. */ icmp4.code = 4; \
                       /* Frag Needed and DF was Set. */ icmp4.frag_mtu",
            },
            true => TooBig {
                family: "ip6",
                error: "icmp6_error",
                meter: "icmp6-error",
                body: "icmp6.type = 2; /* Packet Too Big. */ icmp6.code = 0; icmp6.frag_mtu",
            },
        }
    }
}

/// ICMP errors the router generated for DNATed traffic are committed to
/// the SNAT zone (once per router with a gateway MTU; `port`: the first
/// such port, its hint).
pub fn icmp_snat_flow(port: &RouterPort) -> LogicalFlow {
    port_flow(
        port,
        LogicalFlow::new(
            Stage::LrOutPostSnat,
            100,
            "icmp && flags.icmp_snat == 1",
            "ct_commit_nat(snat);",
        ),
    )
}
