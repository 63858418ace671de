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
        // Punt IGMP and MLD to ovn-controller (unless it sent them itself).
        out.push(LogicalFlow::new(
            Stage::LsInL2Lkup,
            100,
            "flags.igmp_loopback == 0 && igmp",
            "igmp;",
        ));
        out.push(LogicalFlow::new(
            Stage::LsInL2Lkup,
            100,
            "flags.igmp_loopback == 0 && (mldv1 || mldv2)",
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

    // Broadcast ARP requests and NS to the switch's ports only, when asked.
    if !ctx.switch.broadcast_arps_to_all_routers {
        out.push(LogicalFlow::new(
            Stage::LsInL2Lkup,
            72,
            "eth.mcast && (arp.op == 1 || nd_ns)",
            format!("outport = \"{MC_FLOOD_L2}\"; output;"),
        ));
    }
    // Neighbour discovery and ARP reach routers too; other multicast does
    // not (routers drop it unless they relay it).
    out.push(LogicalFlow::new(
        Stage::LsInL2Lkup,
        72,
        "eth.mcast && (nd_na || nd_rs || nd_ra)",
        format!("outport = \"{MC_FLOOD}\"; output;"),
    ));
    out.push(LogicalFlow::new(
        Stage::LsInL2Lkup,
        71,
        "eth.mcast && arp",
        format!("outport = \"{MC_FLOOD}\"; output;"),
    ));
    let static_flood = if ctx.mcast_flood_static {
        format!("clone {{ outport = \"{MC_STATIC}\"; output; }}; ")
    } else {
        String::new()
    };
    out.push(LogicalFlow::new(
        Stage::LsInL2Lkup,
        71,
        "eth.mcast && ip",
        format!("{static_flood}outport = \"{MC_FLOOD_L2}\"; output;"),
    ));
    out.push(LogicalFlow::new(
        Stage::LsInL2Lkup,
        70,
        "eth.mcast",
        format!("outport = \"{MC_FLOOD_L2}\"; output;"),
    ));
    out.push(LogicalFlow::new(
        Stage::LsInL2Lkup,
        0,
        "1",
        "outport = get_fdb(eth.dst); next;",
    ));

    let unknown = if ctx.has_unknown {
        LogicalFlow::new(
            Stage::LsInL2Unknown,
            50,
            "outport == \"none\"",
            format!("outport = \"{MC_UNKNOWN}\"; output;"),
        )
    } else {
        LogicalFlow::new(Stage::LsInL2Unknown, 50, "outport == \"none\"", DROP)
            .with_desc("No L2 destination")
    };
    out.push(unknown);
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
