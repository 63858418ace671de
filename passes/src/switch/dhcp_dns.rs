//! `ls_in_dhcp_options`, `ls_in_dhcp_response`, `ls_in_dns_lookup`,
//! `ls_in_dns_response`, `ls_in_external_port`: DNS answers from the
//! switch's records, DHCPv4 and DHCPv6 replies from a port's
//! `DHCP_Options`, and the defaults.

use northflow_ir::addr::Mac;
use northflow_ir::lflow::LogicalFlow;
use northflow_ir::quote::json_string;
use northflow_ir::stage::Stage;
use northflow_ir::switch::{DhcpOptions, SwitchCtx, SwitchPort};

use crate::registers::{ACL_VERDICT_ALLOW, DHCP_OPTS_RESULT, DNS_LOOKUP_RESULT};

pub(super) fn switch_flows(ctx: &SwitchCtx, out: &mut Vec<LogicalFlow>) {
    for stage in [
        Stage::LsInDhcpOptions,
        Stage::LsInDhcpResponse,
        Stage::LsInDnsLookup,
        Stage::LsInDnsResponse,
        Stage::LsInExternalPort,
    ] {
        out.push(LogicalFlow::new(stage, 0, "1", "next;"));
    }
    if ctx.has_dns_records {
        out.push(LogicalFlow::new(
            Stage::LsInDnsLookup,
            100,
            "udp.dst == 53",
            format!("{DNS_LOOKUP_RESULT} = dns_lookup(); next;"),
        ));
        let answer = format!("udp.dst == 53 && {DNS_LOOKUP_RESULT}");
        for ip in ["ip4", "ip6"] {
            out.push(LogicalFlow::new(
                Stage::LsInDnsResponse,
                100,
                answer.clone(),
                format!(
                    "eth.dst <-> eth.src; {ip}.src <-> {ip}.dst; udp.dst = udp.src; udp.src = 53; \
                     outport = inport; flags.loopback = 1; output;"
                ),
            ));
        }
    }
}

/// DHCPv4 for one port with `dhcpv4_options`: per address entry, answer
/// DISCOVER/REQUEST for its first address in the options' subnet, and let
/// the server's replies through the egress ACLs.
pub fn dhcpv4_flows(port: &SwitchPort, dhcp: &DhcpOptions, out: &mut Vec<LogicalFlow>) {
    if !port.enabled || port.is_router() || port.is_external() {
        return;
    }
    let Some(cidr) = dhcp.cidr_v4 else { return };
    let opt = |k: &str| dhcp.options.get(k).map(String::as_str);
    let (Some(server_id), Some(server_mac), Some(_)) =
        (opt("server_id"), opt("server_mac"), opt("lease_time"))
    else {
        return;
    };
    // Options in key order; server_mac is not a DHCP option; the port's
    // own hostname wins.
    let mut options = dhcp.options.clone();
    options.remove("server_mac");
    options.insert("netmask".into(), cidr.mask().to_string());
    if let Some(h) = port.option("hostname") {
        options.insert("hostname".into(), h.to_owned());
    }
    let listed: Vec<String> = options.iter().map(|(k, v)| format!("{k} = {v}")).collect();
    let name = json_string(&port.name);
    for addrs in &port.lsp_addrs {
        let mac = addrs.mac;
        let Some(offer) = addrs
            .ipv4
            .iter()
            .map(|a| a.addr)
            .find(|a| cidr.contains(*a))
        else {
            continue;
        };
        let from = format!("inport == {name} && eth.src == {mac}");
        // A new lease (from 0.0.0.0) or a renewal, broadcast or to the server.
        out.push(port_dhcp_flow(
            port,
            dhcp,
            LogicalFlow::new(
                Stage::LsInDhcpOptions,
                100,
                format!(
                    "{from} && (ip4.src == {{{offer}, 0.0.0.0}} && ip4.dst == {{{server_id}, 255.255.255.255}}) \
                     && udp.src == 68 && udp.dst == 67"
                ),
                format!(
                    "{DHCP_OPTS_RESULT} = put_dhcp_opts(offerip = {offer}, {}); next;",
                    listed.join(", ")
                ),
            ),
        ));
        out.push(port_dhcp_flow(
            port,
            dhcp,
            LogicalFlow::new(
                Stage::LsInDhcpResponse,
                100,
                format!("{from} && ip4 && udp.src == 68 && udp.dst == 67 && {DHCP_OPTS_RESULT}"),
                format!(
                    "eth.dst = eth.src; eth.src = {server_mac}; ip4.src = {server_id}; udp.src = 67; \
                     udp.dst = 68; outport = inport; flags.loopback = 1; output;"
                ),
            ),
        ));
        out.push(server_reply_acl(
            port,
            dhcp,
            format!("eth.src == {server_mac} && ip4.src == {server_id} && udp && udp.src == 67 && udp.dst == 68"),
        ));
    }
}

/// DHCPv6 for one port with `dhcpv6_options`; the server is the link-local
/// address derived from `options:server_id` (a MAC).
pub fn dhcpv6_flows(port: &SwitchPort, dhcp: &DhcpOptions, out: &mut Vec<LogicalFlow>) {
    if !port.enabled || port.is_router() || port.is_external() {
        return;
    }
    let Some(cidr) = dhcp.cidr_v6 else { return };
    let Some(server_mac) = dhcp.options.get("server_id") else {
        return;
    };
    let Some(mac) = Mac::parse(server_mac) else {
        return;
    };
    let server_ip = mac.link_local();
    let stateless = crate::smap::get_bool(&dhcp.options, "dhcpv6_stateless", false);
    let listed: Vec<String> = dhcp
        .options
        .iter()
        .filter(|(k, _)| *k != "dhcpv6_stateless")
        .map(|(k, v)| format!("{k} = {v}"))
        .collect();
    let name = json_string(&port.name);
    for addrs in &port.lsp_addrs {
        let Some(offer) = addrs
            .ipv6
            .iter()
            .map(|a| a.addr)
            .find(|a| cidr.contains(*a))
        else {
            continue;
        };
        let mut opts = Vec::new();
        if !stateless {
            opts.push(format!("ia_addr = {offer}"));
        }
        opts.extend(listed.iter().cloned());
        let m = format!(
            "inport == {name} && eth.src == {} && ip6.mcast && ip6.dst == ff02::1:2 \
             && udp.src == 546 && udp.dst == 547",
            addrs.mac
        );
        out.push(port_dhcp_flow(
            port,
            dhcp,
            LogicalFlow::new(
                Stage::LsInDhcpOptions,
                100,
                m.clone(),
                format!(
                    "{DHCP_OPTS_RESULT} = put_dhcpv6_opts({}); next;",
                    opts.join(", ")
                ),
            ),
        ));
        out.push(port_dhcp_flow(
            port,
            dhcp,
            LogicalFlow::new(
                Stage::LsInDhcpResponse,
                100,
                format!("{m} && {DHCP_OPTS_RESULT}"),
                format!(
                    "eth.dst = eth.src; eth.src = {server_mac}; ip6.dst = ip6.src; ip6.src = {server_ip}; \
                     udp.src = 547; udp.dst = 546; outport = inport; flags.loopback = 1; output;"
                ),
            ),
        ));
        out.push(server_reply_acl(
            port,
            dhcp,
            format!("eth.src == {server_mac} && ip6.src == {server_ip} && udp && udp.src == 547 && udp.dst == 546"),
        ));
    }
}

/// A DHCP flow of `port`: tagged with it, hinted with the options row.
fn port_dhcp_flow(port: &SwitchPort, dhcp: &DhcpOptions, flow: LogicalFlow) -> LogicalFlow {
    flow.with_io_port(&port.name).with_hint(dhcp.uuid)
}

/// The DHCP server's replies to `port` skip the egress ACLs
/// (`ls_out_acl_eval`; never committed, whatever the switch's ACLs).
fn server_reply_acl(port: &SwitchPort, dhcp: &DhcpOptions, reply: String) -> LogicalFlow {
    port_dhcp_flow(
        port,
        dhcp,
        LogicalFlow::new(
            Stage::LsOutAclEval,
            34000,
            format!("outport == {} && {reply}", json_string(&port.name)),
            format!("{ACL_VERDICT_ALLOW} = 1; next;"),
        ),
    )
}
