//! `ls_*_pre_acl`, `ls_*_acl_hint`, the ACL evaluation, sampling and action
//! stages (`ls_in_acl_eval/sample/action`, `ls_in_acl_after_lb_*`,
//! `ls_out_acl_*`): the defaults every switch gets. ACL rows themselves are
//! not compiled yet.

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::stage::Stage;
use northflow_ir::switch::SwitchCtx;

use crate::names::{IMPLICIT_DROP, IPV6_CT_OMIT_MATCH};
use crate::registers::{ACL_VERDICT_ALLOW, ACL_VERDICT_DROP, ACL_VERDICT_REJECT};

pub(super) fn switch_flows(ctx: &SwitchCtx, out: &mut Vec<LogicalFlow>) {
    let has_acls = ctx.switch.has_acls;
    let has_lb_vip = ctx.has_lb_vip();

    // ls_*_pre_acl: allow by default, never track service monitor traffic.
    out.push(LogicalFlow::new(Stage::LsInPreAcl, 0, "1", "next;"));
    out.push(LogicalFlow::new(Stage::LsOutPreAcl, 0, "1", "next;"));
    out.push(LogicalFlow::new(
        Stage::LsInPreAcl,
        110,
        "eth.dst == $svc_monitor_mac",
        "next;",
    ));
    out.push(LogicalFlow::new(
        Stage::LsOutPreAcl,
        110,
        "eth.src == $svc_monitor_mac",
        "next;",
    ));

    // ls_*_acl_hint: without ACLs or VIPs, skip the stage at once.
    let skip_priority = if !has_acls && !has_lb_vip {
        u16::MAX
    } else {
        0
    };
    for stage in [Stage::LsInAclHint, Stage::LsOutAclHint] {
        out.push(LogicalFlow::new(stage, skip_priority, "1", "next;"));
    }

    // The evaluation stages' defaults.
    for stage in [Stage::LsInAclEval, Stage::LsOutAclEval] {
        out.push(LogicalFlow::new(stage, skip_priority, "1", "next;"));
    }
    out.push(LogicalFlow::new(Stage::LsInAclAfterLbEval, 0, "1", "next;"));
    // IPv6 service protocols are always allowed (and never tracked).
    let allow = format!("{ACL_VERDICT_ALLOW} = 1; next;");
    for stage in [
        Stage::LsInAclEval,
        Stage::LsOutAclEval,
        Stage::LsInAclAfterLbEval,
    ] {
        out.push(LogicalFlow::new(
            stage,
            u16::MAX - 3,
            IPV6_CT_OMIT_MATCH,
            allow.clone(),
        ));
    }
    // DNS replies from ovn-controller skip the egress ACLs.
    if ctx.has_dns_records {
        out.push(LogicalFlow::new(
            Stage::LsOutAclEval,
            34000,
            "flags.from_ctrl && udp.src == 53",
            allow_reply(ctx.has_stateful_acl() || has_lb_vip),
        ));
    }
    if has_acls || has_lb_vip {
        out.push(LogicalFlow::new(
            Stage::LsInAclEval,
            34000,
            "eth.dst == $svc_monitor_mac",
            allow.clone(),
        ));
        out.push(LogicalFlow::new(
            Stage::LsOutAclEval,
            34000,
            "eth.src == $svc_monitor_mac",
            allow.clone(),
        ));
    }

    // The sampling stages: nothing to sample without ACLs that ask for it.
    for stage in [
        Stage::LsInAclSample,
        Stage::LsOutAclSample,
        Stage::LsInAclAfterLbSample,
    ] {
        out.push(LogicalFlow::new(stage, 0, "1", "next;"));
    }

    // The action stages apply the verdict the evaluation stage left.
    for stage in [
        Stage::LsInAclAction,
        Stage::LsInAclAfterLbAction,
        Stage::LsOutAclAction,
    ] {
        if !has_acls {
            out.push(LogicalFlow::new(stage, 0, "1", "next;"));
            continue;
        }
        let clear =
            format!("{ACL_VERDICT_ALLOW} = 0; {ACL_VERDICT_DROP} = 0; {ACL_VERDICT_REJECT} = 0; ");
        out.push(LogicalFlow::new(
            stage,
            1000,
            format!("{ACL_VERDICT_ALLOW} == 1"),
            format!("{clear}next;"),
        ));
        out.push(LogicalFlow::new(
            stage,
            1000,
            format!("{ACL_VERDICT_DROP} == 1"),
            format!("{clear}{IMPLICIT_DROP}"),
        ));
        out.push(LogicalFlow::new(
            stage,
            1000,
            format!("{ACL_VERDICT_REJECT} == 1"),
            format!("{clear}{}", reject(stage.pipeline())),
        ));
        // `NB_Global` `default_acl_drop` is not read yet: allow.
        out.push(LogicalFlow::new(stage, 0, "1", format!("{clear}next;")));
    }
}

/// The reject action: answer the sender (TCP RST / ICMP unreachable) by
/// sending the reply back through the other pipeline.
fn reject(pipeline: northflow_ir::stage::Pipeline) -> String {
    let (next_pipeline, table) = match pipeline {
        northflow_ir::stage::Pipeline::Ingress => ("egress", Stage::LsOutQos.table()),
        northflow_ir::stage::Pipeline::Egress => ("ingress", Stage::LsInL2Lkup.table()),
    };
    format!(
        "reg0 = 0; reject {{ /* eth.dst <-> eth.src; ip.dst <-> ip.src; is implicit. */ \
         outport <-> inport; next(pipeline={next_pipeline},table={table}); }};"
    )
}

/// The action that lets a reply ovn-controller generated (DHCP, DNS) past
/// the egress ACLs; with stateful ACLs it must be committed to conntrack.
pub(super) fn allow_reply(stateful: bool) -> String {
    if stateful {
        format!("{ACL_VERDICT_ALLOW} = 1; ct_commit; next;")
    } else {
        format!("{ACL_VERDICT_ALLOW} = 1; next;")
    }
}
