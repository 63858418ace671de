//! The logical switch pipeline (`ls_in_*`, `ls_out_*` in ovn-northd(8)).
//! Each module holds one stage or stage family; `switch_flows` and
//! `port_flows` call them in pipeline order.

mod acl;
mod arp_rsp;
mod dhcp_dns;
mod fdb;
mod l2_lookup;
mod lb;
mod mirror;
mod network_function;
mod port_sec;
mod qos;
mod router_port;
mod vtep;

pub use dhcp_dns::{dhcpv4_flows, dhcpv6_flows};
pub use qos::rule_flows as qos_rule_flows;
pub use router_port::{
    ext_arp_drop_flow, ext_arp_phys_flow, ext_arp_resident_flow, flows as router_port_flows,
    router_target_flows, self_originated_flow,
};

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::switch::{PortCtx, SwitchCtx, SwitchPort};

/// Flows that belong to the switch as a whole.
pub fn switch_flows(ctx: &SwitchCtx, out: &mut Vec<LogicalFlow>) {
    port_sec::switch_flows(ctx, out);
    mirror::switch_flows(out);
    fdb::switch_flows(out);
    acl::switch_flows(ctx, out);
    lb::switch_flows(out);
    qos::switch_flows(out);
    network_function::switch_flows(out);
    vtep::switch_flows(ctx, out);
    arp_rsp::switch_flows(out);
    dhcp_dns::switch_flows(ctx, out);
    l2_lookup::switch_flows(ctx, out);
}

/// Flows for one port of a switch.
pub fn port_flows(port: &SwitchPort, ctx: &PortCtx, out: &mut Vec<LogicalFlow>) {
    port_sec::port_flows(port, out);
    fdb::port_flows(port, out);
    lb::port_flows(port, ctx, out);
    arp_rsp::port_flows(port, ctx, out);
    l2_lookup::port_flows(port, out);
}

/// `inport == "name"` / `outport == "name"`, quoted.
fn port_match(dir: &str, port: &SwitchPort) -> String {
    format!("{dir} == {}", northflow_ir::quote::json_string(&port.name))
}

/// A flow about one port: tagged with it and hinted with its row.
fn port_flow(port: &SwitchPort, flow: LogicalFlow) -> LogicalFlow {
    flow.with_io_port(&port.name).with_hint(port.uuid)
}
