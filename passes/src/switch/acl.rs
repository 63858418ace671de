//! `ls_*_pre_acl`, `ls_*_acl_hint`, `ls_*_acl`, `ls_in_acl_after_lb`: the
//! defaults every switch gets. ACL rows themselves are not compiled yet.

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::stage::Stage;
use northflow_ir::switch::SwitchCtx;

use crate::names::IPV6_CT_OMIT_MATCH;

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
    let hint_priority = if !has_acls && !has_lb_vip {
        u16::MAX
    } else {
        0
    };
    out.push(LogicalFlow::new(
        Stage::LsInAclHint,
        hint_priority,
        "1",
        "next;",
    ));
    out.push(LogicalFlow::new(
        Stage::LsOutAclHint,
        hint_priority,
        "1",
        "next;",
    ));

    // ls_*_acl and ls_in_acl_after_lb defaults.
    if !has_acls {
        let priority = if has_lb_vip { 0 } else { u16::MAX };
        out.push(LogicalFlow::new(Stage::LsInAcl, priority, "1", "next;"));
        out.push(LogicalFlow::new(Stage::LsOutAcl, priority, "1", "next;"));
        out.push(LogicalFlow::new(Stage::LsInAclAfterLb, 0, "1", "next;"));
    } else {
        out.push(LogicalFlow::new(Stage::LsInAcl, 0, "1", "next;"));
        out.push(LogicalFlow::new(Stage::LsOutAcl, 0, "1", "next;"));
        out.push(LogicalFlow::new(Stage::LsInAclAfterLb, 0, "1", "next;"));
    }
    for stage in [Stage::LsInAcl, Stage::LsOutAcl, Stage::LsInAclAfterLb] {
        out.push(LogicalFlow::new(
            stage,
            u16::MAX - 3,
            IPV6_CT_OMIT_MATCH,
            "next;",
        ));
    }
    // DNS replies from ovn-controller skip the egress ACLs.
    if ctx.has_dns_records {
        let action = allow_reply(ctx.has_stateful_acl() || has_lb_vip);
        out.push(LogicalFlow::new(
            Stage::LsOutAcl,
            34000,
            "udp.src == 53",
            action,
        ));
    }
    if has_acls || has_lb_vip {
        out.push(LogicalFlow::new(
            Stage::LsInAcl,
            34000,
            "eth.dst == $svc_monitor_mac",
            "next;",
        ));
        out.push(LogicalFlow::new(
            Stage::LsOutAcl,
            34000,
            "eth.src == $svc_monitor_mac",
            "next;",
        ));
    }
}

/// The action that lets a reply ovn-controller generated (DHCP, DNS) past
/// the egress ACLs; with stateful ACLs it must be committed to conntrack.
pub(super) fn allow_reply(stateful: bool) -> &'static str {
    if stateful {
        "ct_commit; next;"
    } else {
        "next;"
    }
}
