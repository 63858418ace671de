//! `ls_in_check_port_sec`, `ls_in_apply_port_sec`, `ls_out_check_port_sec`,
//! `ls_out_apply_port_sec`. Port security itself is enforced by
//! ovn-controller from `Port_Binding.port_security`; the flows only call it.

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::stage::Stage;
use northflow_ir::switch::{SwitchCtx, SwitchPort};

use super::{port_flow, port_match};
use crate::names::DROP;
use crate::registers::PORT_SEC_DROP;

pub(super) fn switch_flows(ctx: &SwitchCtx, out: &mut Vec<LogicalFlow>) {
    if !ctx.switch.vlan_passthru {
        out.push(LogicalFlow::new(
            Stage::LsInCheckPortSec,
            100,
            "vlan.present",
            DROP,
        ));
    }
    // A broadcast or multicast source address is invalid.
    out.push(LogicalFlow::new(
        Stage::LsInCheckPortSec,
        100,
        "eth.src[40]",
        DROP,
    ));
    out.push(LogicalFlow::new(
        Stage::LsInCheckPortSec,
        50,
        "1",
        format!("{PORT_SEC_DROP} = check_in_port_sec(); next;"),
    ));
    out.push(LogicalFlow::new(
        Stage::LsInApplyPortSec,
        50,
        format!("{PORT_SEC_DROP} == 1"),
        DROP,
    ));
    out.push(LogicalFlow::new(Stage::LsInApplyPortSec, 0, "1", "next;"));

    out.push(LogicalFlow::new(
        Stage::LsOutCheckPortSec,
        100,
        "eth.mcast",
        format!("{PORT_SEC_DROP} = 0; next;"),
    ));
    out.push(LogicalFlow::new(
        Stage::LsOutCheckPortSec,
        0,
        "1",
        format!("{PORT_SEC_DROP} = check_out_port_sec(); next;"),
    ));
    out.push(LogicalFlow::new(
        Stage::LsOutApplyPortSec,
        50,
        format!("{PORT_SEC_DROP} == 1"),
        DROP,
    ));
    out.push(LogicalFlow::new(
        Stage::LsOutApplyPortSec,
        0,
        "1",
        "output;",
    ));
}

/// Disabled ports: drop what they send and what is sent to them.
pub(super) fn port_flows(port: &SwitchPort, out: &mut Vec<LogicalFlow>) {
    if port.is_external() || port.enabled {
        return;
    }
    out.push(port_flow(
        port,
        LogicalFlow::new(
            Stage::LsInCheckPortSec,
            100,
            port_match("inport", port),
            format!("{PORT_SEC_DROP} = 1; next;"),
        ),
    ));
    out.push(port_flow(
        port,
        LogicalFlow::new(Stage::LsInL2Unknown, 50, port_match("outport", port), DROP),
    ));
}
