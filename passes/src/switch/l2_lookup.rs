//! `ls_in_l2_lkup` and `ls_in_l2_unknown`: destination lookup by MAC,
//! broadcast/multicast flooding, and where unknown destinations go.

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::quote::json_string;
use northflow_ir::stage::Stage;
use northflow_ir::switch::{SwitchCtx, SwitchPort};

use crate::names::{DROP, MC_FLOOD, MC_FLOOD_L2, MC_STATIC, MC_UNKNOWN};

pub(super) fn switch_flows(ctx: &SwitchCtx, out: &mut Vec<LogicalFlow>) {
    out.push(LogicalFlow::new(
        Stage::LsInL2Lkup,
        110,
        "eth.dst == $svc_monitor_mac && (tcp || icmp || icmp6)",
        "handle_svc_check(inport);",
    ));

    let mcast = &ctx.switch.mcast;
    if mcast.enabled {
        // Punt IGMP and MLD to ovn-controller.
        out.push(LogicalFlow::new(Stage::LsInL2Lkup, 100, "igmp", "igmp;"));
        out.push(LogicalFlow::new(
            Stage::LsInL2Lkup,
            100,
            "mldv1 || mldv2",
            "igmp;",
        ));
        // Link-local groups always flood (RFC 4541 §2.1.2, RFC 4291 §2.7.1).
        out.push(LogicalFlow::new(
            Stage::LsInL2Lkup,
            85,
            "ip4.mcast && ip4.dst == 224.0.0.0/24",
            format!("outport = \"{MC_FLOOD_L2}\"; output;"),
        ));
        out.push(LogicalFlow::new(
            Stage::LsInL2Lkup,
            85,
            "ip6.mcast_flood",
            format!("outport = \"{MC_FLOOD}\"; output;"),
        ));
        if !mcast.flood_unregistered {
            // Unregistered IP multicast goes to ports that flood it
            // statically, else is dropped. (Relay to multicast routers comes
            // with routers.)
            let actions = if ctx.mcast_flood_static {
                format!("outport =\"{MC_STATIC}\"; output;")
            } else {
                DROP.to_owned()
            };
            out.push(LogicalFlow::new(
                Stage::LsInL2Lkup,
                80,
                "ip4.mcast || ip6.mcast",
                actions,
            ));
        }
    }

    out.push(LogicalFlow::new(
        Stage::LsInL2Lkup,
        70,
        "eth.mcast",
        format!("outport = \"{MC_FLOOD}\"; output;"),
    ));
    out.push(LogicalFlow::new(
        Stage::LsInL2Lkup,
        0,
        "1",
        "outport = get_fdb(eth.dst); next;",
    ));

    let unknown_action = if ctx.has_unknown {
        format!("outport = \"{MC_UNKNOWN}\"; output;")
    } else {
        DROP.to_owned()
    };
    out.push(LogicalFlow::new(
        Stage::LsInL2Unknown,
        50,
        "outport == \"none\"",
        unknown_action,
    ));
    out.push(LogicalFlow::new(Stage::LsInL2Unknown, 0, "1", "output;"));
}

/// One flow per MAC the port owns: deliver to it (or drop if disabled).
pub(super) fn port_flows(port: &SwitchPort, out: &mut Vec<LogicalFlow>) {
    if port.is_external() {
        return;
    }
    let action = if port.enabled {
        format!("outport = {}; output;", json_string(&port.name))
    } else {
        DROP.to_owned()
    };
    for mac in port.l2_macs.iter().chain(port.dynamic_mac.iter()) {
        out.push(
            LogicalFlow::new(
                Stage::LsInL2Lkup,
                50,
                format!("eth.dst == {mac}"),
                action.clone(),
            )
            .with_hint(port.uuid),
        );
    }
}
