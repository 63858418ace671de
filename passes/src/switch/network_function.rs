//! `ls_*_pre_network_function`, `ls_*_network_function`: redirection
//! through network functions chosen by ACLs. Network functions are not
//! compiled yet; these are the defaults every switch gets (which drop what
//! an ACL asked to redirect when there is nowhere to redirect it).

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::stage::Stage;

use crate::names::DROP;
use crate::registers::{NF_EGRESS_LOOPBACK, NF_ENABLED, NF_ID, NF_ORIG_DIR};

pub(super) fn switch_flows(out: &mut Vec<LogicalFlow>) {
    // Packets a network function's egress loop sent back are delivered
    // where they were going.
    out.push(LogicalFlow::new(
        Stage::LsInL2Lkup,
        100,
        format!("{NF_EGRESS_LOOPBACK} == 1"),
        "output;",
    ));
    for (pre, nf) in [
        (Stage::LsInPreNetworkFunction, Stage::LsInNetworkFunction),
        (Stage::LsOutPreNetworkFunction, Stage::LsOutNetworkFunction),
    ] {
        out.push(LogicalFlow::new(pre, 0, "1", "next;"));
        out.push(LogicalFlow::new(
            pre,
            1,
            format!("{NF_ENABLED} == 1 && {NF_ORIG_DIR} == 1"),
            format!("{NF_ID} = 0; next;"),
        ));
        // Broadcast and multicast are never redirected (L2 loops).
        out.push(LogicalFlow::new(
            nf,
            100,
            format!("{NF_ENABLED} == 1 && eth.mcast"),
            "next;",
        ));
        out.push(LogicalFlow::new(nf, 0, "1", "next;"));
        out.push(LogicalFlow::new(nf, 1, format!("{NF_ENABLED} == 1"), DROP));
    }
}
