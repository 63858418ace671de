//! Router edits cost their own rows, whatever the cluster's size: on
//! generated ovn-kubernetes clusters of 8 and 32 nodes (central), adding a
//! static route, a policy, a NAT rule or a router port changes the same,
//! small number of flow pairs and bindings, adding a node (central, or a
//! remote node to a zone) changes that node's own rows, and removing any
//! of them gives back exactly the image before.

use northflow::input::{Db, InputRow};
use northflow::scenario::{ip_mac, Cluster, Shape};
use northflow::{Compiler, RowChange};
use northflow_ir::nb::{
    LogicalRouter, LogicalRouterPolicy, LogicalRouterPort, LogicalRouterStaticRoute, Nat,
};
use northflow_ir::row::Table;
use northflow_ir::stage::Stage;
use northflow_ir::Uuid;

/// The Northbound of a generated central cluster.
fn central(nodes: u32) -> northflow::sync::Tables {
    Cluster {
        nodes,
        pods_per_node: 4,
        seed: 7,
        egress: false,
    }
    .northbound(Shape::Central)
}

/// A compiler loaded with a generated central cluster, and its cluster
/// router row.
fn cluster(nodes: u32) -> (Compiler, LogicalRouter) {
    let nb = central(nodes);
    let router = nb[LogicalRouter::TABLE]
        .iter()
        .map(|(u, r)| LogicalRouter::from_row(*u, r).expect("a router row"))
        .find(|r| r.name == "ovn_cluster_router")
        .expect("the cluster router");
    let mut c = Compiler::new();
    c.apply(RowChange::inserts(Db::Nb, &nb));
    (c, router)
}

/// (flow pairs, port bindings, diagnostics) an edit changed; and checks
/// that its inverse restores the image exactly.
fn cost(c: &mut Compiler, edit: &[RowChange], revert: &[RowChange]) -> (usize, usize, usize) {
    let before = c.image().clone();
    let d = c.apply(edit);
    let counts = (d.flows.len(), d.ports.len(), d.diagnostics.len());
    c.apply(revert);
    assert!(
        c.image() == &before,
        "reverting the edit did not restore the image"
    );
    counts
}

fn put<T: InputRow>(row: &T) -> RowChange {
    RowChange::put(row)
}

/// A compiler given, in one batch, the central cluster's Northbound with
/// `edits` applied: what incremental results are compared with.
fn fresh(nodes: u32, edits: &[RowChange]) -> Compiler {
    let mut nb = central(nodes);
    for e in edits {
        let table = nb.entry(e.table.name().to_owned()).or_default();
        match &e.row {
            Some(row) => table.insert(e.uuid, row.clone()),
            None => table.remove(&e.uuid),
        };
    }
    let mut c = Compiler::new();
    c.apply(RowChange::inserts(Db::Nb, &nb));
    c
}

#[test]
fn a_static_route_costs_one_flow_at_any_size() {
    let mut seen = Vec::new();
    for nodes in [8, 32] {
        let (mut c, router) = cluster(nodes);
        let route = LogicalRouterStaticRoute {
            uuid: Uuid(0x5eed_0001),
            ip_prefix: "192.0.2.0/24".into(),
            // The join network's gateway router address of the first node.
            nexthop: "100.64.0.2".into(),
            ..Default::default()
        };
        let mut with_route = router.clone();
        with_route.static_routes.push(route.uuid);
        let edit = [put(&route), put(&with_route)];
        let revert = [
            RowChange::delete::<LogicalRouterStaticRoute>(route.uuid),
            put(&router),
        ];
        let (flows, ports, diags) = cost(&mut c, &edit, &revert);
        assert_eq!((flows, ports, diags), (1, 0, 0), "{nodes} nodes");
        seen.push(flows);

        // Without a way out: no flow, one diagnostic.
        let lost = LogicalRouterStaticRoute {
            nexthop: "203.0.113.1".into(),
            ..route.clone()
        };
        let (flows, _, diags) = cost(&mut c, &[put(&lost), put(&with_route)], &revert);
        assert_eq!((flows, diags), (0, 1), "{nodes} nodes, no path");
    }
    assert_eq!(seen[0], seen[1]);
}

/// Route tables are numbered per router in name order: a route in a new
/// table costs its own flow, and a table whose name sorts first renumbers
/// the router's other tables' flows, and nothing else; the result is what a
/// compiler given everything at once computes.
#[test]
fn a_route_table_costs_its_router_only() {
    let mut seen = Vec::new();
    for nodes in [8, 32] {
        let (mut c, router) = cluster(nodes);
        let route = |n: u128, table: &str| LogicalRouterStaticRoute {
            uuid: Uuid(0x5eed_0100 + n),
            ip_prefix: format!("192.0.{n}.0/24"),
            nexthop: "100.64.0.2".into(),
            route_table: table.into(),
            ..Default::default()
        };
        let (blue, amber) = (route(1, "blue"), route(2, "amber"));
        let mut with_blue = router.clone();
        with_blue.static_routes.push(blue.uuid);
        let d = c.apply(&[put(&blue), put(&with_blue)]);
        assert_eq!(d.flows.len(), 1, "{nodes} nodes: a route in a new table");
        assert!(d.flows[0].0 .0.match_.starts_with("reg7 == 1 && "));
        let mut with_both = with_blue.clone();
        with_both.static_routes.push(amber.uuid);
        let d = c.apply(&[put(&amber), put(&with_both)]);
        // amber's route in table 1; blue's moves from 1 to 2.
        assert_eq!(d.flows.len(), 3, "{nodes} nodes: a table that sorts first");
        seen.push(d.flows.len());

        let fresh = fresh(nodes, &[put(&blue), put(&amber), put(&with_both)]);
        assert!(
            fresh.image() == c.image(),
            "{nodes} nodes: incremental != fresh"
        );
    }
    assert_eq!(seen[0], seen[1]);
}

/// The first policy chain on a router rewrites that router's policies
/// (their matches name the chain), and only those; removing it gives back
/// the image before; the result is what a compiler given everything at
/// once computes.
#[test]
fn a_policy_chain_rewrites_its_router_only() {
    let (mut c, router) = cluster(8);
    let policies = router.policies.len();
    let chained = LogicalRouterPolicy {
        uuid: Uuid(0x5eed_0200),
        priority: 100,
        chain: Some("web".into()),
        match_: "tcp.dst == 80".into(),
        action: "allow".into(),
        ..Default::default()
    };
    let jump = LogicalRouterPolicy {
        uuid: Uuid(0x5eed_0201),
        priority: 2000,
        match_: "tcp".into(),
        action: "jump".into(),
        jump_chain: Some("web".into()),
        ..Default::default()
    };
    let mut with_chain = router.clone();
    with_chain.policies.extend([chained.uuid, jump.uuid]);
    let edit = [put(&chained), put(&jump), put(&with_chain)];
    let revert = [
        RowChange::delete::<LogicalRouterPolicy>(chained.uuid),
        RowChange::delete::<LogicalRouterPolicy>(jump.uuid),
        put(&router),
    ];
    let before = c.image().clone();
    let d = c.apply(&edit);
    // Each existing policy's flow is replaced; the two new ones added.
    assert!(
        d.flows.len() <= 2 * policies + 2,
        "{} flow pairs for {policies} policies",
        d.flows.len()
    );
    assert!(d
        .flows
        .iter()
        .all(|((f, _), _)| f.stage == Stage::LrInPolicy));

    let fresh = fresh(8, &edit);
    assert!(fresh.image() == c.image(), "incremental != fresh");

    c.apply(&revert);
    assert!(c.image() == &before, "reverting did not restore the image");
}

#[test]
fn a_router_port_costs_its_own_flows_at_any_size() {
    let mut seen = Vec::new();
    for nodes in [8, 32] {
        let (mut c, router) = cluster(nodes);
        // Each port of the router with a gateway MTU answers traffic from
        // every other port with 4 "fragmentation needed" flows (IPv4/IPv6,
        // with and without un-SNAT), so a new port really adds 4 flows per
        // such port (as in ovn-northd); the rest is the port's own.
        let nb = central(nodes);
        let mtu_ports = nb[LogicalRouterPort::TABLE]
            .iter()
            .map(|(u, r)| LogicalRouterPort::from_row(*u, r).expect("a router port row"))
            .filter(|p| router.ports.contains(&p.uuid) && p.options.contains_key("gateway_mtu"))
            .count();
        let port = LogicalRouterPort {
            uuid: Uuid(0x5eed_0002),
            name: "rtos-extra".into(),
            mac: "0a:58:c0:00:02:01".into(),
            networks: vec!["192.0.2.1/24".into()],
            ..Default::default()
        };
        let mut with_port = router.clone();
        with_port.ports.push(port.uuid);
        let edit = [put(&port), put(&with_port)];
        let revert = [
            RowChange::delete::<LogicalRouterPort>(port.uuid),
            put(&router),
        ];
        let (flows, ports, diags) = cost(&mut c, &edit, &revert);
        assert!(
            flows > 0 && ports == 1 && diags == 0,
            "{nodes} nodes: {flows} {ports} {diags}"
        );
        seen.push(flows - 4 * mtu_ports);
    }
    assert_eq!(
        seen[0], seen[1],
        "a router port's own cost grew with the cluster"
    );
}

/// A NAT rule on one node's gateway router changes that rule's flows (its
/// unSNAT/DNAT/SNAT flows, the ARP reply for its address, ARP forwarding
/// on the router's two switches) and nothing else, at any size.
#[test]
fn a_nat_rule_costs_its_own_flows_at_any_size() {
    let mut seen = Vec::new();
    for nodes in [8, 32] {
        let (mut c, _) = cluster(nodes);
        let nb = central(nodes);
        let gr = nb[LogicalRouter::TABLE]
            .iter()
            .map(|(u, r)| LogicalRouter::from_row(*u, r).expect("a router row"))
            .filter(|r| r.name.starts_with("GR_"))
            .min_by(|a, b| a.name.cmp(&b.name))
            .expect("a gateway router");
        let nat = Nat {
            uuid: Uuid(0x5eed_0003),
            type_: "dnat_and_snat".into(),
            external_ip: "172.18.0.200".into(),
            logical_ip: "10.128.4.50".into(),
            ..Default::default()
        };
        let mut with_nat = gr.clone();
        with_nat.nat.push(nat.uuid);
        let edit = [put(&nat), put(&with_nat)];
        let revert = [RowChange::delete::<Nat>(nat.uuid), put(&gr)];
        let (flows, ports, diags) = cost(&mut c, &edit, &revert);
        assert_eq!((ports, diags), (0, 0), "{nodes} nodes");
        assert_eq!(
            flows, 6,
            "{nodes} nodes: unsnat, dnat, snat, ARP reply, 2 × ARP forwarding"
        );
        seen.push(flows);

        // A rule ovn-northd would skip: no flow, a diagnostic naming it.
        let bad = Nat {
            external_ip: "not-an-ip".into(),
            ..nat.clone()
        };
        let before = c.image().clone();
        let d = c.apply(&[put(&bad), put(&with_nat)]);
        assert_eq!(d.flows.len(), 0, "{nodes} nodes, bad NAT");
        assert!(
            c.diagnostics()
                .any(|x| x.row == bad.uuid && x.column == "external_ip"),
            "{nodes} nodes: no diagnostic for the bad NAT"
        );
        c.apply(&revert);
        assert!(c.image() == &before, "reverting the bad NAT");
    }
    assert_eq!(seen[0], seen[1]);
}

#[test]
fn a_policy_costs_one_flow_at_any_size() {
    for nodes in [8, 32] {
        let (mut c, router) = cluster(nodes);
        let policy = LogicalRouterPolicy {
            uuid: Uuid(0x5eed_0004),
            priority: 1005,
            match_: "ip4.src == 10.128.4.5 && ip4.dst == 192.0.2.0/24".into(),
            action: "reroute".into(),
            // The first node's gateway router on the join network.
            nexthops: vec!["100.64.0.2".into()],
            ..Default::default()
        };
        let mut with_policy = router.clone();
        with_policy.policies.push(policy.uuid);
        let edit = [put(&policy), put(&with_policy)];
        let revert = [
            RowChange::delete::<LogicalRouterPolicy>(policy.uuid),
            put(&router),
        ];
        assert_eq!(cost(&mut c, &edit, &revert), (1, 0, 0), "{nodes} nodes");

        let drop = LogicalRouterPolicy {
            action: "drop".into(),
            nexthops: Vec::new(),
            ..policy.clone()
        };
        let edit = [put(&drop), put(&with_policy)];
        assert_eq!(
            cost(&mut c, &edit, &revert),
            (1, 0, 0),
            "{nodes} nodes, drop"
        );

        // A reroute without next hops: no flow, a diagnostic naming it.
        let lost = LogicalRouterPolicy {
            nexthops: Vec::new(),
            ..policy.clone()
        };
        let before = c.image().clone();
        let d = c.apply(&[put(&lost), put(&with_policy)]);
        assert_eq!(d.flows.len(), 0, "{nodes} nodes, reroute without nexthops");
        assert!(
            c.diagnostics()
                .any(|x| x.row == lost.uuid && x.column == "nexthops"),
            "{nodes} nodes: no diagnostic for the reroute without nexthops"
        );
        c.apply(&revert);
        assert!(c.image() == &before, "reverting the bad policy");
    }
}

/// The EUI-64 link-local address of `mac`.
fn link_local(mac: &str) -> std::net::Ipv6Addr {
    let b: Vec<u16> = mac
        .split(':')
        .map(|x| u16::from_str_radix(x, 16).expect("a MAC"))
        .collect();
    std::net::Ipv6Addr::new(
        0xfe80,
        0,
        0,
        0,
        ((b[0] ^ 2) << 8) | b[1],
        (b[2] << 8) | 0xff,
        0xfe00 | b[3],
        (b[4] << 8) | b[5],
    )
}

/// What adding one node to a generated cluster costs: (flow pairs, port
/// bindings, datapaths), leaving out the flows ovn-northd 26.03.1 writes
/// for each pair of nodes in a central cluster: "fragmentation needed"
/// for each (gateway-MTU port, other port) of the cluster router
/// (`lr_in_larger_pkts`), and each gateway router's static ARP entry for
/// every other one on the join switch (`dynamic_neigh_routers=false`,
/// `lr_in_arp_resolve`). Each of those it adds must be about the new node.
fn add_node_cost(nodes: u32, shape: impl Fn(u32) -> Shape) -> (usize, usize, usize) {
    let [small, large] = [nodes, nodes + 1].map(|n| Cluster {
        nodes: n,
        pods_per_node: 4,
        seed: 7,
        egress: true,
    });
    let (before, after) = (
        small.northbound(shape(nodes)),
        large.northbound(shape(nodes + 1)),
    );
    let (sb_before, sb_after) = (small.chassis(shape(nodes)), large.chassis(shape(nodes + 1)));
    let mut c = Compiler::new();
    c.apply(RowChange::inserts(Db::Nb, &before));
    c.apply(RowChange::inserts(Db::Sb, &sb_before));
    let image = c.image().clone();

    let mut edit = RowChange::diff(Db::Nb, &before, &after);
    edit.extend(RowChange::diff(Db::Sb, &sb_before, &sb_after));
    let d = c.apply(&edit);
    assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
    let new_node = &large.nodes()[nodes as usize];
    let (pairwise, own): (Vec<_>, Vec<_>) = d.flows.iter().partition(|((f, _), _)| {
        (f.stage == Stage::LrInLargerPkts && f.match_.contains("outport == "))
            || (f.stage == Stage::LrInArpResolve && f.match_.contains("outport == \"rtoj-GR_"))
    });
    let about_new = [
        format!("{}\"", new_node.name),
        format!("reg0 == {}", new_node.join_ip()),
        format!("xxreg0 == {}", link_local(&ip_mac(new_node.join_ip()))),
    ];
    for ((f, _), _) in &pairwise {
        assert!(
            about_new.iter().any(|n| f.match_.contains(n.as_str())),
            "{nodes} nodes: a pairwise flow not about {}: {}",
            new_node.name,
            f.match_
        );
    }

    let mut revert = RowChange::diff(Db::Nb, &after, &before);
    revert.extend(RowChange::diff(Db::Sb, &sb_after, &sb_before));
    c.apply(&revert);
    assert!(c.image() == &image, "removing the node again");
    (own.len(), d.ports.len(), d.datapaths.len())
}

#[test]
fn a_node_costs_its_own_rows_at_any_size() {
    let central = [8, 32].map(|n| add_node_cost(n, |_| Shape::Central));
    assert!(central[0].0 > 0 && central[0].1 > 0 && central[0].2 == 3);
    assert_eq!(central[0], central[1], "a central node's cost grew");

    // A remote node in node 0's zone: its transit port and routes only.
    let zone = [8, 32].map(|n| add_node_cost(n, |_| Shape::Zone { local: 0 }));
    assert!(
        zone[0].0 > 0 && zone[0].1 == 1 && zone[0].2 == 0,
        "{:?}",
        zone[0]
    );
    assert_eq!(zone[0], zone[1], "a remote node's cost grew");
}
