//! The logical router pipeline (`lr_in_*`, `lr_out_*` in ovn-northd(8)).
//! Each module holds one stage or stage family; `router_flows`,
//! `port_flows` and `neighbor_flows` call them in pipeline order.

mod admission;
mod arp_resolve;
mod ip_input;
mod nat;
mod neighbor;
mod network_id;
mod output;
mod pkt_len;
mod routing;

pub use admission::unicast_flows as admission_unicast_flows;
pub use arp_resolve::{router_link_flows, router_neighbor_flows, vif_neighbor_flows};
pub use ip_input::{arp_reply_flows, flood_static_flows, own_destination_flows};
pub use nat::{
    commit_all_flows, gateway_router_flows, nat_address_flows, nat_flows,
    router_ip_force_snat_flows,
};
pub use pkt_len::{icmp_snat_flow, larger_pkts_flows};
pub use routing::{
    ecmp_key, ecmp_route_flows, policy_flows, route_table_flow, static_route_flows,
    static_route_nd_flows, ChainPlace, RouteOut,
};

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::quote::json_string;
use northflow_ir::router::{RouterCtx, RouterPort, RouterPortCtx};

/// Flows that belong to the router as a whole.
pub fn router_flows(ctx: &RouterCtx, out: &mut Vec<LogicalFlow>) {
    admission::router_flows(out);
    neighbor::router_flows(ctx, out);
    ip_input::router_flows(out);
    nat::router_flows(out);
    if ctx.router.chassis.is_some() {
        nat::force_snat_flows(&ctx.router.dnat_force_snat, "dnat", out);
        if let northflow_ir::router::LbForceSnat::Addrs(a) = &ctx.router.lb_force_snat {
            nat::force_snat_flows(a, "lb", out);
        }
    }
    routing::router_flows(out);
    arp_resolve::router_flows(out);
    output::router_flows(&ctx.copp, out);
    network_id::router_flows(out);
}

/// Flows for one port of a router (`vlan_peer`: its switch peer has a
/// VLAN-tagged localnet port).
pub fn port_flows(
    port: &RouterPort,
    ctx: &RouterPortCtx,
    vlan_peer: bool,
    out: &mut Vec<LogicalFlow>,
) {
    admission::port_flows(port, out);
    neighbor::port_flows(port, ctx, out);
    ip_input::port_flows(port, ctx, out);
    routing::port_flows(port, out);
    pkt_len::port_flows(port, vlan_peer, ctx.ct_state_save, &ctx.copp, out);
    network_id::port_flows(port, out);
    output::port_flows(port, out);
}

/// `inport == "name"` / `outport == "name"`, quoted.
fn port_match(dir: &str, port: &RouterPort) -> String {
    format!("{dir} == {}", json_string(&port.name))
}

/// A flow about one port, hinted with its row.
fn port_flow(port: &RouterPort, flow: LogicalFlow) -> LogicalFlow {
    flow.with_hint(port.uuid)
}

/// `addr` alone when there is one, else `{a, b, ...}` (ovn-northd's
/// `op_put_v4_networks` / `op_put_v6_networks`).
fn addr_set<T: std::fmt::Display>(
    addrs: impl IntoIterator<Item = T>,
    braces_for_one: bool,
) -> String {
    let addrs: Vec<String> = addrs.into_iter().map(|a| a.to_string()).collect();
    if addrs.len() == 1 && !braces_for_one {
        return addrs[0].clone();
    }
    format!("{{{}}}", addrs.join(", "))
}
