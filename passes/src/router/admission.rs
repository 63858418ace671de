//! `lr_in_admission`: drop what a router never takes (VLAN tags, multicast
//! sources, recirculated "packet too big" errors) and remember the MAC of
//! the port a packet came in on.

use northflow_ir::addr::Mac;
use northflow_ir::lflow::LogicalFlow;
use northflow_ir::router::{GatewayMtu, RouterPort};
use northflow_ir::stage::Stage;

use super::{json_string, port_flow, port_match};
use crate::names::DROP;
use crate::registers::INPORT_ETH_ADDR;

pub(super) fn router_flows(out: &mut Vec<LogicalFlow>) {
    out.push(LogicalFlow::new(
        Stage::LrInAdmission,
        110,
        "((ip4 && icmp4.type == 3 && icmp4.code == 4) || \
         (ip6 && icmp6.type == 2 && icmp6.code == 0)) && flags.tunnel_rx == 1",
        DROP,
    ));
    out.push(LogicalFlow::new(
        Stage::LrInAdmission,
        100,
        "vlan.present || eth.src[40]",
        DROP,
    ));
    out.push(LogicalFlow::new(Stage::LrInAdmission, 0, "1", DROP));
}

pub(super) fn port_flows(port: &RouterPort, out: &mut Vec<LogicalFlow>) {
    if !port.enabled {
        return;
    }
    let mac = port.networks.mac;
    let inport = port_match("inport", port);
    let action = format!("{INPORT_ETH_ADDR} = {mac}; next;");
    out.push(port_flow(
        port,
        LogicalFlow::new(
            Stage::LrInAdmission,
            50,
            format!("eth.mcast && {inport}"),
            &action,
        ),
    ));
    if port.is_gateway() {
        // "Packet too big" for the gateway's MAC that came over a tunnel to
        // another chassis: answer it as if it came in on the port.
        out.push(LogicalFlow::new(
            Stage::LrInAdmission,
            120,
            format!(
                "((ip4 && icmp4.type == 3 && icmp4.code == 4) || \
                 (ip6 && icmp6.type == 2 && icmp6.code == 0)) && eth.dst == {} && \
                 !is_chassis_resident({}) && flags.tunnel_rx == 1",
                port.mac_text,
                json_string(&port.redirect_name())
            ),
            format!(
                "outport <-> inport; inport = {}; next;",
                json_string(&port.name)
            ),
        ));
    }
}

/// Unicast to the port's MAC (or its switch peer's `arp_proxy` MAC): a
/// distributed gateway port's is the gateway chassis's alone.
pub fn unicast_flows(
    port: &RouterPort,
    proxy_mac: Option<Mac>,
    vlan_peer: bool,
    out: &mut Vec<LogicalFlow>,
) {
    if !port.enabled {
        return;
    }
    let mac = port.networks.mac;
    let dst = match proxy_mac {
        Some(p) => format!("{{ {p}, {mac} }}"),
        None => mac.to_string(),
    };
    let resident = match port.is_gateway() {
        true => format!(
            " && is_chassis_resident({})",
            json_string(&port.redirect_name())
        ),
        false => String::new(),
    };
    let checked = super::pkt_len::checked_flows(
        GatewayMtu::of(port, vlan_peer).as_ref(),
        Stage::LrInAdmission,
        &format!(
            "eth.dst == {dst} && {}{resident}",
            port_match("inport", port)
        ),
        &format!("{INPORT_ETH_ADDR} = {mac}; next;"),
    );
    out.extend(checked.into_iter().map(|f| port_flow(port, f)));
}
