//! `ls_in_check_port_sec`, `ls_in_apply_port_sec`, `ls_out_check_port_sec`,
//! `ls_out_apply_port_sec`. Port security itself is enforced by
//! ovn-controller from `Port_Binding.port_security`; the flows only call it.

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::stage::Stage;
use northflow_ir::switch::{PortType, SwitchCtx, SwitchPort};

use super::{port_flow, port_match};
use crate::names::DROP;
use crate::registers::{FROM_RAMP, FROM_ROUTER_PORT, PORT_SEC_DROP};

/// ICMP "fragmentation needed" / "packet too big" errors.
pub(super) const ICMP_TOO_BIG: &str =
    "((ip4 && icmp4.type == 3 && icmp4.code == 4) || (ip6 && icmp6.type == 2 && icmp6.code == 0))";

pub(super) fn switch_flows(ctx: &SwitchCtx, out: &mut Vec<LogicalFlow>) {
    // A "packet too big" error that came back over a tunnel and was not
    // turned around by a port's flow below.
    out.push(
        LogicalFlow::new(
            Stage::LsInCheckPortSec,
            105,
            format!("{ICMP_TOO_BIG} && flags.tunnel_rx == 1"),
            DROP,
        )
        .with_desc("ICMP: packet too big"),
    );
    if !ctx.switch.vlan_passthru {
        out.push(
            LogicalFlow::new(Stage::LsInCheckPortSec, 100, "vlan.present", DROP)
                .with_desc("VLANs blocked due to vlan-passthru option"),
        );
    }
    // A broadcast or multicast source address is invalid (the missing space
    // is ovn-northd's).
    out.push(
        LogicalFlow::new(Stage::LsInCheckPortSec, 100, "eth.src[40]", DROP)
            .with_desc("Incoming Broadcast/multicast sourceaddress is invalid"),
    );
    out.push(LogicalFlow::new(
        Stage::LsInCheckPortSec,
        50,
        "1",
        format!("{PORT_SEC_DROP} = check_in_port_sec(); next;"),
    ));
    out.push(
        LogicalFlow::new(
            Stage::LsInApplyPortSec,
            50,
            format!("{PORT_SEC_DROP} == 1"),
            DROP,
        )
        .with_desc("Broadcast/multicast port security invalid"),
    );
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
    out.push(
        LogicalFlow::new(
            Stage::LsOutApplyPortSec,
            50,
            format!("{PORT_SEC_DROP} == 1"),
            DROP,
        )
        .with_desc("Packet does not follow port security rules"),
    );
    out.push(LogicalFlow::new(
        Stage::LsOutApplyPortSec,
        0,
        "1",
        "output;",
    ));
}

/// Disabled ports: drop what they send and what is sent to them. Router and
/// VTEP ports skip port security; "packet too big" errors for a port's MACs
/// that arrive over a tunnel are sent back where they came from.
pub(super) fn port_flows(port: &SwitchPort, out: &mut Vec<LogicalFlow>) {
    if port.is_external() {
        return;
    }
    let inport = port_match("inport", port);
    if !port.enabled {
        out.push(port_flow(
            port,
            LogicalFlow::new(
                Stage::LsInCheckPortSec,
                100,
                inport,
                format!("{PORT_SEC_DROP} = 1; next;"),
            ),
        ));
        out.push(port_flow(
            port,
            LogicalFlow::new(Stage::LsInL2Unknown, 50, port_match("outport", port), DROP),
        ));
    } else {
        let skip = match port.kind {
            PortType::Vtep => Some(format!(
                "{FROM_RAMP} = 1; next(pipeline=ingress, table={});",
                Stage::LsInHairpin.table()
            )),
            PortType::Router => Some(format!("{FROM_ROUTER_PORT} = 1; next;")),
            _ => None,
        };
        if let Some(actions) = skip {
            out.push(port_flow(
                port,
                LogicalFlow::new(Stage::LsInCheckPortSec, 70, inport, actions),
            ));
        }
    }
    if port.is_router() {
        return;
    }
    let quoted = northflow_ir::quote::json_string(&port.name);
    for addrs in &port.lsp_addrs {
        out.push(LogicalFlow::new(
            Stage::LsInCheckPortSec,
            110,
            format!(
                "{ICMP_TOO_BIG} && eth.src == {} && outport == {quoted} && \
                 !is_chassis_resident({quoted}) && flags.tunnel_rx == 1",
                addrs.mac
            ),
            "outport <-> inport; next;",
        ));
    }
}
