//! `ls_*_pre_lb`, `ls_*_pre_stateful`, `ls_in_lb_aff_check`, `ls_in_lb`,
//! `ls_in_lb_aff_learn`, `ls_in_*hairpin`, `ls_*_stateful`: the conntrack
//! plumbing every switch gets. Load-balancer VIPs are not compiled yet.

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::stage::Stage;
use northflow_ir::switch::{PortCtx, PortType, SwitchPort};

use super::{port_flow, port_match};
use crate::registers::{
    ACL_ID, ACL_LABEL, ACL_OBS_STAGE, ACL_PERSIST_ID, ACL_STATELESS, CONNTRACK_COMMIT,
    CONNTRACK_DEFRAG, CONNTRACK_NAT, IP_FRAG, NF_ENABLED, NF_ID, OBS_COLLECTOR_ID_EST,
    OBS_POINT_ID_EST,
};

pub(super) fn switch_flows(out: &mut Vec<LogicalFlow>) {
    // ls_*_pre_lb: multicast, ND/MLD, service monitor and stateless traffic
    // never go to conntrack.
    for (stage, svc) in [
        (Stage::LsInPreLb, "eth.dst == $svc_monitor_mac"),
        (Stage::LsOutPreLb, "eth.src == $svc_monitor_mac"),
    ] {
        out.push(LogicalFlow::new(stage, 110, "eth.mcast", "next;"));
        out.push(LogicalFlow::new(
            stage,
            110,
            "nd || nd_rs || nd_ra || mldv1 || mldv2",
            "next;",
        ));
        out.push(LogicalFlow::new(stage, 110, svc, "next;"));
        out.push(LogicalFlow::new(stage, 0, "1", "next;"));
        out.push(LogicalFlow::new(
            stage,
            110,
            format!("{ACL_STATELESS} == 1"),
            "next;",
        ));
    }
    // Nor do "ICMP fragmentation needed" errors arriving over a tunnel.
    out.push(LogicalFlow::new(
        Stage::LsInPreLb,
        110,
        "((ip4 && icmp4.type == 3 && icmp4.code == 4) ||(ip6 && icmp6.type == 2 && icmp6.code == 0)) \
         && flags.tunnel_rx == 1",
        "next;",
    ));

    // ls_*_pre_stateful. Fragments keep a note that they were fragments
    // (conntrack reassembles them).
    out.push(LogicalFlow::new(
        Stage::LsInPreStateful,
        115,
        format!("{CONNTRACK_NAT} == 1 && ip.is_frag"),
        format!("{IP_FRAG} = 1; ct_lb_mark;"),
    ));
    for stage in [Stage::LsInPreStateful, Stage::LsOutPreStateful] {
        out.push(LogicalFlow::new(stage, 0, "1", "next;"));
        out.push(LogicalFlow::new(
            stage,
            110,
            format!("{CONNTRACK_NAT} == 1"),
            "ct_lb_mark;",
        ));
        out.push(LogicalFlow::new(
            stage,
            100,
            format!("{CONNTRACK_DEFRAG} == 1"),
            "ct_next;",
        ));
    }

    // ls_in_ct_extract, ls_in_lb_aff_check, ls_in_lb, ls_in_lb_aff_learn,
    // hairpin stages.
    for stage in [
        Stage::LsInCtExtract,
        Stage::LsInLbAffCheck,
        Stage::LsInLb,
        Stage::LsInLbAffLearn,
        Stage::LsInPreHairpin,
        Stage::LsInNatHairpin,
        Stage::LsInHairpin,
    ] {
        out.push(LogicalFlow::new(stage, 0, "1", "next;"));
    }

    // ls_*_stateful: commit what the ACL stages asked to commit, with the
    // ACL's label, observation point and network function when set.
    let commit = |label: bool, nf: bool| {
        let obs = if label {
            format!(
                "ct_mark.obs_stage = {ACL_OBS_STAGE}; ct_mark.obs_collector_id = {OBS_COLLECTOR_ID_EST}; \
                 ct_label.obs_point_id = {OBS_POINT_ID_EST}; "
            )
        } else {
            String::new()
        };
        let nf_id = if nf { NF_ID } else { "0" };
        format!(
            "ct_commit {{ ct_mark.blocked = 0; ct_mark.allow_established = {ACL_PERSIST_ID}; {obs}\
             ct_label.acl_id = {ACL_ID}; ct_label.nf = {}; ct_label.nf_id = {nf_id}; }}; next;",
            u8::from(nf)
        )
    };
    for stage in [Stage::LsInStateful, Stage::LsOutStateful] {
        out.push(LogicalFlow::new(stage, 0, "1", "next;"));
        for label in [false, true] {
            let m = format!(
                "{CONNTRACK_COMMIT} == 1 && {ACL_LABEL} == {}",
                u8::from(label)
            );
            out.push(LogicalFlow::new(
                stage,
                100,
                m.clone(),
                commit(label, false),
            ));
            out.push(LogicalFlow::new(
                stage,
                110,
                format!("{m} && {NF_ENABLED} == 1"),
                commit(label, true),
            ));
        }
    }
}

/// Localnet ports skip conntrack in `ls_*_pre_lb` unless the switch has a
/// VIP (then traffic arriving from the physical network must be balanced);
/// ports to other switches (`switch`) always skip it.
/// Also the multicast punt for remote ports of a snooping transit switch.
pub(super) fn port_flows(port: &SwitchPort, ctx: &PortCtx, out: &mut Vec<LogicalFlow>) {
    if port.is_localnet() && !ctx.has_lb_vip {
        skip_conntrack(
            port,
            ctx.has_stateful_acl,
            Stage::LsInPreLb,
            Stage::LsOutPreLb,
            out,
        );
    }
    if port.kind == PortType::Switch {
        skip_conntrack(port, true, Stage::LsInPreLb, Stage::LsOutPreLb, out);
    }
    // On a transit switch that snoops multicast, IGMP/MLD from another zone
    // goes to ovn-controller (ovn-northd tags these with no port).
    if ctx.interconn_mcast_snoop && port.kind == PortType::Remote {
        let inport = port_match("inport", port);
        for proto in ["igmp", "(mldv1 || mldv2)"] {
            out.push(LogicalFlow::new(
                Stage::LsOutPreLb,
                120,
                format!("{inport} && {proto} && flags.igmp_loopback == 0"),
                "clone { igmp; }; next;",
            ));
        }
    }
}

/// Keeps `port`'s IP traffic out of conntrack in the two stages; unless the
/// switch has stateful ACLs, egress clears what an earlier zone tracked.
pub(super) fn skip_conntrack(
    port: &SwitchPort,
    has_stateful_acl: bool,
    ingress: Stage,
    egress: Stage,
    out: &mut Vec<LogicalFlow>,
) {
    let egress_action = if has_stateful_acl {
        "next;"
    } else {
        "flags.pkt_sampled = 0; ct_clear; next;"
    };
    out.push(port_flow(
        port,
        LogicalFlow::new(
            ingress,
            110,
            format!("ip && {}", port_match("inport", port)),
            "next;",
        ),
    ));
    out.push(port_flow(
        port,
        LogicalFlow::new(
            egress,
            110,
            format!("ip && {}", port_match("outport", port)),
            egress_action,
        ),
    ));
}
