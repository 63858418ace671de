//! `ls_*_pre_lb`, `ls_*_pre_stateful`, `ls_in_lb_aff_check`, `ls_in_lb`,
//! `ls_in_lb_aff_learn`, `ls_in_*hairpin`, `ls_*_stateful`: the conntrack
//! plumbing every switch gets. Load-balancer VIPs are not compiled yet.

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::stage::Stage;
use northflow_ir::switch::{PortCtx, SwitchCtx, SwitchPort};

use super::{port_flow, port_match};
use crate::registers::{
    ACL_LABEL, ACL_STATELESS, CONNTRACK_COMMIT, CONNTRACK_DEFRAG, CONNTRACK_NAT, LABEL,
};

pub(super) fn switch_flows(ctx: &SwitchCtx, out: &mut Vec<LogicalFlow>) {
    // Chassis without ct-no-masked-label need the masked ct_label forms.
    let (ct_lb, ct_blocked) = if ctx.features.ct_no_masked_label {
        ("ct_lb_mark;", "ct_mark.blocked")
    } else {
        ("ct_lb;", "ct_label.blocked")
    };
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

    // ls_*_pre_stateful.
    for stage in [Stage::LsInPreStateful, Stage::LsOutPreStateful] {
        out.push(LogicalFlow::new(stage, 0, "1", "next;"));
        out.push(LogicalFlow::new(
            stage,
            110,
            format!("{CONNTRACK_NAT} == 1"),
            ct_lb,
        ));
        out.push(LogicalFlow::new(
            stage,
            100,
            format!("{CONNTRACK_DEFRAG} == 1"),
            "ct_next;",
        ));
    }

    // ls_in_lb_aff_check, ls_in_lb, ls_in_lb_aff_learn, hairpin stages.
    for stage in [
        Stage::LsInLbAffCheck,
        Stage::LsInLb,
        Stage::LsInLbAffLearn,
        Stage::LsInPreHairpin,
        Stage::LsInNatHairpin,
        Stage::LsInHairpin,
    ] {
        out.push(LogicalFlow::new(stage, 0, "1", "next;"));
    }

    // ls_*_stateful: commit what the ACL stages asked to commit.
    for stage in [Stage::LsInStateful, Stage::LsOutStateful] {
        out.push(LogicalFlow::new(stage, 0, "1", "next;"));
        out.push(LogicalFlow::new(
            stage,
            100,
            format!("{CONNTRACK_COMMIT} == 1 && {ACL_LABEL} == 1"),
            format!("ct_commit {{ {ct_blocked} = 0; ct_label.label = {LABEL}; }}; next;"),
        ));
        out.push(LogicalFlow::new(
            stage,
            100,
            format!("{CONNTRACK_COMMIT} == 1 && {ACL_LABEL} == 0"),
            format!("ct_commit {{ {ct_blocked} = 0; }}; next;"),
        ));
    }
}

/// Localnet ports skip conntrack in `ls_*_pre_lb` unless the switch has a
/// VIP (then traffic arriving from the physical network must be balanced).
pub(super) fn port_flows(port: &SwitchPort, ctx: &PortCtx, out: &mut Vec<LogicalFlow>) {
    if port.is_localnet() && !ctx.has_lb_vip {
        skip_conntrack(port, ctx, Stage::LsInPreLb, Stage::LsOutPreLb, out);
    }
}

fn skip_conntrack(
    port: &SwitchPort,
    ctx: &PortCtx,
    ingress: Stage,
    egress: Stage,
    out: &mut Vec<LogicalFlow>,
) {
    let egress_action = if ctx.has_stateful_acl {
        "next;"
    } else {
        "ct_clear; next;"
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
