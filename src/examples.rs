//! Built-in example Northbounds, for `northflow compile --example` and
//! benchmarks. They grow as features land.

use std::collections::BTreeMap;

use northflow_ir::nb::{LogicalSwitch, LogicalSwitchPort, NbGlobal};
use northflow_ir::row::Table;
use northflow_ir::Uuid;

use crate::input::{Db, RowChange};
use crate::scenario::{Cluster, Shape};
use crate::sync::Tables;

fn put<T: Table>(tables: &mut Tables, row: &T) {
    tables
        .entry(T::TABLE.to_owned())
        .or_default()
        .insert(row.uuid(), row.to_row());
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// A deterministic UUID for example row `n` of kind `kind`.
fn uuid(kind: u16, n: u64) -> Uuid {
    Uuid((0x6e66_0000_u128 << 96) | (u128::from(kind) << 64) | u128::from(n))
}

/// Adds one ovn-kubernetes node switch (`ovnk-topology.md` §2.1, §3):
/// `stor-<node>`, the management port `k8s-<node>`, and `pods` pods.
pub fn add_ovnk_node(tables: &mut Tables, node: u64, pods: u64) {
    let name = format!("node{node}");
    let (a, b) = ((node >> 8) as u8, node as u8);
    let ip = |host: u64| format!("10.{}.{}.{}", 128 + a, b, host);
    let mac = |host: u64| format!("0a:58:0a:{:02x}:{:02x}:{:02x}", 128 + a, b, host);
    let mut ports = Vec::new();

    let stor = LogicalSwitchPort {
        uuid: uuid(2, node << 16),
        name: format!("stor-{name}"),
        type_: "router".into(),
        addresses: vec!["router".into()],
        options: map(&[("router-port", &format!("rtos-{name}"))]),
        ..Default::default()
    };
    let mgmt = LogicalSwitchPort {
        uuid: uuid(2, (node << 16) | 1),
        name: format!("k8s-{name}"),
        addresses: vec![format!("{} {}", mac(2), ip(2))],
        ..Default::default()
    };
    ports.push(stor.uuid);
    ports.push(mgmt.uuid);
    put(tables, &stor);
    put(tables, &mgmt);
    for p in 0..pods {
        let host = 3 + p;
        let addr = format!("{} {}", mac(host), ip(host));
        let pod = LogicalSwitchPort {
            uuid: uuid(2, (node << 16) | (2 + p)),
            name: format!("default_pod-{node}-{p}"),
            addresses: vec![addr.clone()],
            port_security: vec![addr],
            options: map(&[
                ("requested-chassis", &name),
                ("iface-id-ver", &format!("{node}-{p}")),
            ]),
            external_ids: map(&[("namespace", "default"), ("pod", "true")]),
            ..Default::default()
        };
        ports.push(pod.uuid);
        put(tables, &pod);
    }
    let switch = LogicalSwitch {
        uuid: uuid(1, node),
        name,
        ports,
        other_config: map(&[("subnet", &format!("{}/24", ip(0)))]),
        ..Default::default()
    };
    put(tables, &switch);
}

/// One ovn-kubernetes node switch with three pods.
pub fn ovnk_node() -> Tables {
    let mut tables = Tables::new();
    put(
        &mut tables,
        &NbGlobal {
            uuid: uuid(0, 0),
            options: map(&[
                ("mac_prefix", "0a:58:00"),
                ("svc_monitor_mac", "0a:58:00:00:00:01"),
            ]),
            ..Default::default()
        },
    );
    add_ovnk_node(&mut tables, 1, 3);
    tables
}

/// A generated ovn-kubernetes cluster (`northflow::scenario`, seed 1,
/// with egress policies) of `nodes` nodes × `pods` pods, in one Northbound.
pub fn ovnk_cluster(nodes: u32, pods: u32) -> Tables {
    example_cluster(nodes, pods).northbound(Shape::Central)
}

/// The interconnect zone of the first node of `ovnk_cluster(nodes, pods)`.
pub fn ovnk_zone(nodes: u32, pods: u32) -> Tables {
    example_cluster(nodes, pods).northbound(Shape::Zone { local: 0 })
}

fn example_cluster(nodes: u32, pods_per_node: u32) -> Cluster {
    Cluster {
        nodes,
        pods_per_node,
        seed: 1,
        egress: true,
    }
}

/// `nodes` ovn-kubernetes node switches (`node1`…`node<nodes>`, each with
/// `stor-`, `k8s-` and `pods` pods, so `pods + 2` ports) plus an
/// `NB_Global`: the switch-only benchmark topology. `pods` must stay below
/// 252 (pod addresses are hosts 3.. of a /24).
pub fn ovnk_nodes(nodes: u64, pods: u64) -> Tables {
    let mut tables = ovnk_global();
    for node in 1..=nodes {
        add_ovnk_node(&mut tables, node, pods);
    }
    tables
}

/// The rows of `ovnk_nodes` as inserts, built one node at a time (the
/// whole database never exists as tables).
pub fn ovnk_nodes_inserts(nodes: u64, pods: u64) -> Vec<RowChange> {
    let mut out = RowChange::take_inserts(Db::Nb, ovnk_global());
    for node in 1..=nodes {
        let mut tables = Tables::new();
        add_ovnk_node(&mut tables, node, pods);
        out.extend(RowChange::take_inserts(Db::Nb, tables));
    }
    out
}

fn ovnk_global() -> Tables {
    let mut tables = Tables::new();
    put(
        &mut tables,
        &NbGlobal {
            uuid: uuid(0, 0),
            options: map(&[
                ("mac_prefix", "0a:58:00"),
                ("svc_monitor_mac", "0a:58:00:00:00:01"),
            ]),
            ..Default::default()
        },
    );
    tables
}
