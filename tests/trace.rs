//! Path checks: the real `ovn-trace` 26.03.1 runs packets through the
//! Southbound northflow writes for generated clusters (`northflow --once`
//! against real servers). Pod → pod across nodes leaves towards the other
//! node's chassis (central) or the transit switch's remote port
//! (interconnect); a pod's egress follows the local-gateway route through
//! `k8s-<node>`; a gateway router answers ARP and ping on its join and
//! external IPs.

#[macro_use]
#[allow(unused_macros)]
mod harness;

use std::net::Ipv4Addr;

use harness::sandbox::{Db, Sandbox, CMD_TIMEOUT};
use harness::{NB_SCHEMA, SB_SCHEMA};
use northflow::scenario::{self, ip_mac, Cluster, Node, Shape};
use northflow::sync::Tables;

/// A generated cluster compiled by northflow into a real SB server.
struct Compiled {
    sbx: Sandbox,
    sb: Db,
    nb_tables: Tables,
    nodes: Vec<Node>,
}

fn compile(label: &str, shape: Shape) -> Compiled {
    let c = Cluster {
        nodes: 3,
        pods_per_node: 2,
        seed: 21,
        egress: true,
    };
    let mut sbx = Sandbox::new(label);
    let nb = sbx.start_db("nb", NB_SCHEMA);
    let sb = sbx.start_db("sb", SB_SCHEMA);
    let nb_tables = c.northbound(shape);
    scenario::write_to_server(&nb.remote(), &nb.db_name, &nb_tables).expect("loading the NB");
    scenario::write_to_server(&sb.remote(), &sb.db_name, &c.chassis(shape))
        .expect("loading the chassis");
    sbx.run_northflow(&harness::northflow_bin(), &nb, &sb)
        .check();
    Compiled {
        sbx,
        sb,
        nb_tables,
        nodes: c.nodes(),
    }
}

impl Compiled {
    /// `ovn-trace` of `microflow` entering `datapath` (the detailed form:
    /// every stage, and the packet followed into peer datapaths).
    fn trace(&self, datapath: &str, microflow: &str) -> String {
        let mut c = self.sbx.command("ovn-trace");
        c.arg(format!("--db={}", self.sb.remote()))
            .arg(datapath)
            .arg(microflow);
        let out = self.sbx.run(c, CMD_TIMEOUT).check();
        assert!(
            !out.stderr.contains("error") && !out.stderr.contains("WARN"),
            "ovn-trace complained on {datapath} '{microflow}':\n{}",
            out.stderr
        );
        out.stdout
    }

    /// The name of pod `p` of `node` (its namespace comes from the seed).
    fn pod(&self, node: &Node, p: u32) -> String {
        let suffix = format!("_pod-{}-{p}", node.id);
        self.nb_tables["Logical_Switch_Port"]
            .values()
            .filter_map(|row| row.get("name")?.atoms().first()?.as_str())
            .find(|name| name.ends_with(&suffix))
            .unwrap_or_else(|| panic!("no port *{suffix}"))
            .to_owned()
    }
}

fn host(node: &Node, host: u32) -> Ipv4Addr {
    Ipv4Addr::from(u32::from(node.subnet) + host)
}

/// A TCP packet from pod 0 of `node` to `dst`, sent to its node's router
/// port (the pod's default gateway, `.1`).
fn from_pod(t: &Compiled, node: &Node, dst: Ipv4Addr) -> (String, String) {
    let (src, gw) = (host(node, 3), host(node, 1));
    let flow = format!(
        "inport == \"{}\" && eth.src == {} && eth.dst == {} && ip4.src == {src} && \
         ip4.dst == {dst} && ip.ttl == 64 && tcp && tcp.src == 33000 && tcp.dst == 8080",
        t.pod(node, 0),
        ip_mac(src),
        ip_mac(gw),
    );
    (node.name.clone(), flow)
}

/// The last port a trace outputs to: where the packet leaves.
fn last_output(trace: &str) -> Option<&str> {
    const MARK: &str = "/* output to \"";
    let at = trace.rfind(MARK)? + MARK.len();
    trace[at..].split('"').next()
}

fn assert_leaves(trace: &str, port: &str, what: &str) {
    assert_eq!(
        last_output(trace),
        Some(port),
        "{what}: should leave through {port}:\n{trace}"
    );
}

/// Router `gr` answers (`reply` is the action that turns the request
/// round) and sends the answer back out of `port`, where it came in.
fn assert_answers(trace: &str, gr: &str, port: &str, reply: &str, what: &str) {
    let back = format!("egress(dp=\"{gr}\", inport=\"{port}\", outport=\"{port}\")");
    assert!(
        trace.contains(reply) && trace.contains(&back),
        "{what}: no reply out of {port}:\n{trace}"
    );
}

fn gateway_router_answers(t: &Compiled, node: &Node) {
    let gr = format!("GR_{}", node.name);
    for (port, ip, peer) in [
        (
            format!("rtoj-{gr}"),
            node.join_ip(),
            Ipv4Addr::new(100, 64, 0, 1),
        ),
        (
            format!("rtoe-{gr}"),
            node.ip,
            Ipv4Addr::from(u32::from(node.ip) + 100),
        ),
    ] {
        let mac = if port.starts_with("rtoe-") {
            node.br_ex_mac.clone()
        } else {
            ip_mac(ip)
        };
        let peer_mac = ip_mac(peer);
        let arp = format!(
            "inport == \"{port}\" && eth.src == {peer_mac} && eth.dst == ff:ff:ff:ff:ff:ff && \
             arp.op == 1 && arp.sha == {peer_mac} && arp.spa == {peer} && arp.tpa == {ip}"
        );
        assert_answers(
            &t.trace(&gr, &arp),
            &gr,
            &port,
            "arp.op = 2;",
            &format!("ARP for {ip} on {port}"),
        );
        let ping = format!(
            "inport == \"{port}\" && eth.src == {peer_mac} && eth.dst == {mac} && \
             ip4.src == {peer} && ip4.dst == {ip} && ip.ttl == 64 && icmp4.type == 8 && \
             icmp4.code == 0"
        );
        assert_answers(
            &t.trace(&gr, &ping),
            &gr,
            &port,
            "icmp4.type = 0;",
            &format!("ping {ip} on {port}"),
        );
    }
}

#[test]
fn central_cluster_paths() {
    let t = compile("trace-central", Shape::Central);
    let (a, b) = (&t.nodes[0], &t.nodes[1]);

    // Pod → pod on another node: through the other node's gateway port
    // (its chassis-redirect port, bound on that node's chassis), out to
    // the pod.
    let (dp, flow) = from_pod(&t, a, host(b, 3));
    let trace = t.trace(&dp, &flow);
    assert!(
        trace.contains(&format!("outport = \"cr-rtos-{}\";", b.name)),
        "pod → pod should go through cr-rtos-{}:\n{trace}",
        b.name
    );
    assert_leaves(&trace, &t.pod(b, 0), "pod → pod across nodes");

    // Pod → pod on the same node never leaves the switch.
    let (dp, flow) = from_pod(&t, a, host(a, 4));
    assert_leaves(&t.trace(&dp, &flow), &t.pod(a, 1), "pod → pod on one node");

    // Egress: the node subnet's src-ip route sends it to the host through
    // the management port.
    let (dp, flow) = from_pod(&t, a, Ipv4Addr::new(8, 8, 8, 8));
    assert_leaves(
        &t.trace(&dp, &flow),
        &format!("k8s-{}", a.name),
        "pod egress",
    );

    for node in &t.nodes {
        gateway_router_answers(&t, node);
    }
}

#[test]
fn zone_paths() {
    let t = compile("trace-zone", Shape::Zone { local: 0 });
    let (a, b) = (&t.nodes[0], &t.nodes[1]);

    // Pod → pod on another node: routed to that node's transit IP, out of
    // its remote port on the transit switch.
    let (dp, flow) = from_pod(&t, a, host(b, 3));
    assert_leaves(
        &t.trace(&dp, &flow),
        &format!("tstor-{}", b.name),
        "pod → remote pod",
    );

    let (dp, flow) = from_pod(&t, a, Ipv4Addr::new(8, 8, 8, 8));
    assert_leaves(
        &t.trace(&dp, &flow),
        &format!("k8s-{}", a.name),
        "pod egress",
    );

    gateway_router_answers(&t, a);
}
