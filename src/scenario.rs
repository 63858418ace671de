//! Generated ovn-kubernetes clusters: the Northbound ovn-kubernetes writes
//! in local gateway mode (`shared/ovnk-topology.md`), row by row, for N
//! nodes × P pods, deterministic from a seed — as one central Northbound
//! (every node's rows in one database, the pre-2026 shape) or as the
//! Northbound of one node's interconnect zone (that node in full; a
//! transit switch port and two routes per other node). With the SB
//! `Chassis` rows ovn-controller and ovnkube-controller register.
//!
//! Load balancers and ACLs (and the rows that only exist for them: port
//! groups, LB groups, the `acl-logging` meter) come with their own
//! families. Every row gets a random-looking UUID from the seed, so a
//! server that hashes UUIDs by their first bits spreads them well; each
//! node's rows from a stream of their own, so that the cluster with one
//! node more differs by that node's rows and the shared rows that list it.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use northflow_ir::nb::{
    AddressSet, ChassisTemplateVar, Copp, GatewayChassis, LogicalRouter, LogicalRouterPolicy,
    LogicalRouterPort, LogicalRouterStaticRoute, LogicalSwitch, LogicalSwitchPort, Meter,
    MeterBand, Nat, NbGlobal, Qos, StaticMacBinding,
};
use northflow_ir::row::Table;
use northflow_ir::sb;
use northflow_ir::Uuid;
use northflow_ovsdb::{Client, Operation};

use crate::sync::Tables;

/// The cluster-wide pod network (`clusterCIDR`); each node gets a /23.
const CLUSTER_CIDR: &str = "10.128.0.0/14";
const JOIN_ROUTER_IP: &str = "100.64.0.1";
/// The default masquerade subnet: `.1` OVN, `.2` host, `.3` ETP=local,
/// `.4` dummy next hop, `.5` service hairpin SNAT.
const MASQUERADE_SUBNET: &str = "169.254.169.0/29";
const MASQUERADE_NEXT_HOP: &str = "169.254.169.4";
/// The hosts' network and its default gateway.
const NODE_NETWORK_LEN: u8 = 16;
const NODE_GATEWAY: &str = "172.18.0.1";
/// `transit_switch`'s tunnel key (`requested-tnl-key`).
const TRANSIT_SWITCH_KEY: &str = "16711683";
const CONTROLLER: &str = "default-network-controller";
/// The rate limiters ovn-kubernetes puts in its COPP.
const COPP_PROTOCOLS: [&str; 9] = [
    "arp",
    "arp-resolve",
    "bfd",
    "event-elb",
    "icmp4-error",
    "icmp6-error",
    "reject",
    "tcp-reset",
    "svc-monitor",
];

/// The features a 26.03 ovn-controller announces (`Chassis.other_config`).
const CHASSIS_FEATURES: [&str; 12] = [
    "port-up-notif",
    "ct-no-masked-label",
    "mac-binding-timestamp",
    "ovn-ct-lb-related",
    "fdb-timestamp",
    "ls-dpg-column",
    "ct-commit-nat-v2",
    "ct-commit-to-zone",
    "ovn-sample-with-registers",
    "ct-next-zone",
    "ct-label-flush",
    "ct-state-save",
];

/// A cluster to generate.
#[derive(Clone, Debug)]
pub struct Cluster {
    pub nodes: u32,
    pub pods_per_node: u32,
    pub seed: u64,
    /// EgressIP/EgressService/EgressFirewall support (the helm chart's
    /// default for interconnect): the 102 policies, the QoS mark, their
    /// address sets and the `src-ip` catch-all route.
    pub egress: bool,
}

/// Which Northbound to build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Every node in one Northbound.
    Central,
    /// The interconnect zone of node `local` (0-based).
    Zone { local: u32 },
}

/// One node's names and addresses.
#[derive(Clone, Debug)]
pub struct Node {
    /// Node id: 2, 3, … (0 and 1 are reserved).
    pub id: u32,
    pub name: String,
    pub chassis: String,
    /// The `.0` of its /23 in the cluster network.
    pub subnet: Ipv4Addr,
    pub ip: Ipv4Addr,
    pub br_ex_mac: String,
}

impl Node {
    fn subnet_host(&self, host: u32) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.subnet) + host)
    }

    fn subnet_cidr(&self) -> String {
        format!("{}/23", self.subnet)
    }

    /// `100.64.0.0/16` + id: the gateway router's join address.
    pub fn join_ip(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(Ipv4Addr::new(100, 64, 0, 0)) + self.id)
    }

    /// `100.88.0.0/16` + id: its address on the transit switch.
    pub fn transit_ip(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(Ipv4Addr::new(100, 88, 0, 0)) + self.id)
    }
}

/// ovn-kubernetes' MAC for an IPv4 address: `0a:58:` and its octets.
pub fn ip_mac(ip: Ipv4Addr) -> String {
    let [a, b, c, d] = ip.octets();
    format!("0a:58:{a:02x}:{b:02x}:{c:02x}:{d:02x}")
}

/// ovn-kubernetes' hashed object names: `a` and the decimal FNV-1a-64 of
/// the object's id.
pub fn hashed_name(id: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("a{h}")
}

/// splitmix64: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A random (version 4) UUID.
    fn uuid(&mut self) -> Uuid {
        let v = (u128::from(self.next()) << 64) | u128::from(self.next());
        Uuid((v & !(0xf << 76) & !(0x3 << 62)) | (0x4 << 76) | (0x2 << 62))
    }

    /// A locally administered unicast MAC.
    fn mac(&mut self) -> String {
        let b = self.next().to_be_bytes();
        format!(
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            (b[0] & 0xfe) | 0x02,
            b[1],
            b[2],
            b[3],
            b[4],
            b[5]
        )
    }
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The rows of a node built apart (`Builder::part`).
#[derive(Clone, Copy)]
enum Part {
    /// Its switches, routers and their rows, its rows on the cluster router.
    Own = 0,
    /// Its port on the transit switch (and, for a remote node, the cluster
    /// router's routes to it).
    Transit = 1,
}

/// The rows being built, with the seed's UUIDs.
struct Builder {
    rng: Rng,
    tables: Tables,
}

impl Builder {
    /// Adds `row` (its `uuid` replaced by a fresh one) and returns its UUID.
    fn put<T: Table>(&mut self, mut make: impl FnMut(Uuid) -> T) -> Uuid {
        let uuid = self.rng.uuid();
        let row = make(uuid);
        self.tables
            .entry(T::TABLE.to_owned())
            .or_default()
            .insert(uuid, row.to_row());
        uuid
    }

    /// Builds with `f` the rows of one part of a node, their UUIDs drawn
    /// from a stream of the part's own: a cluster with one node more then
    /// has every row of the smaller one, with its UUID.
    fn part(&mut self, node: &Node, part: Part, f: impl FnOnce(&mut Builder)) {
        let key = (u64::from(node.id) << 1) | part as u64;
        let stream = Rng(Rng(self.rng.0 ^ key).next());
        let outer = std::mem::replace(&mut self.rng, stream);
        f(self);
        self.rng = outer;
    }

    fn switch_port(&mut self, port: LogicalSwitchPort) -> Uuid {
        self.put(|uuid| LogicalSwitchPort {
            uuid,
            ..port.clone()
        })
    }

    fn route(&mut self, route: LogicalRouterStaticRoute) -> Uuid {
        self.put(|uuid| LogicalRouterStaticRoute {
            uuid,
            ..route.clone()
        })
    }
}

/// A `router` port peered with `router_port`, with more `options`.
fn router_lsp(name: String, router_port: &str, options: &[(&str, &str)]) -> LogicalSwitchPort {
    let mut port = LogicalSwitchPort {
        name,
        type_: "router".into(),
        addresses: vec!["router".into()],
        options: map(options),
        ..Default::default()
    };
    port.options
        .insert("router-port".into(), router_port.into());
    port
}

fn lrp(name: String, ip: Ipv4Addr, len: u8, mac: String) -> LogicalRouterPort {
    LogicalRouterPort {
        name,
        networks: vec![format!("{ip}/{len}")],
        mac,
        ..Default::default()
    }
}

/// What the cluster router collects while nodes are added.
#[derive(Default)]
struct ClusterRouter {
    ports: Vec<Uuid>,
    routes: Vec<Uuid>,
    policies: Vec<Uuid>,
}

impl Cluster {
    /// The nodes, in id order.
    pub fn nodes(&self) -> Vec<Node> {
        let mut rng = Rng(self.seed ^ 0x6e6f_6465);
        (0..self.nodes)
            .map(|i| {
                let id = i + 2;
                let chassis = rng.uuid().to_string();
                Node {
                    id,
                    name: format!("node-{id}"),
                    chassis,
                    subnet: Ipv4Addr::from(u32::from(Ipv4Addr::new(10, 128, 0, 0)) + id * 512),
                    ip: Ipv4Addr::from(u32::from(Ipv4Addr::new(172, 18, 0, 0)) + id),
                    br_ex_mac: rng.mac(),
                }
            })
            .collect()
    }

    /// The Northbound of `shape`.
    pub fn northbound(&self, shape: Shape) -> Tables {
        let nodes = self.nodes();
        let local: Vec<&Node> = match shape {
            Shape::Central => nodes.iter().collect(),
            Shape::Zone { local } => nodes.iter().filter(|n| n.id == local + 2).collect(),
        };
        let mut b = Builder {
            rng: Rng(self.seed),
            tables: Tables::new(),
        };
        let zone_name = match shape {
            Shape::Central => "global".to_owned(),
            Shape::Zone { .. } => local.first().map(|n| n.name.clone()).unwrap_or_default(),
        };
        b.put(|uuid| NbGlobal {
            uuid,
            name: zone_name.clone(),
            options: map(&[("name", &zone_name), ("northd-backoff-interval-ms", "300")]),
            ..Default::default()
        });
        let copp = self.copp(&mut b);

        // Egress support: its address sets (node-ips holds every node of
        // the cluster), the QoS mark on node switches, the 102 policies.
        let egress = self.egress.then(|| {
            let set = |b: &mut Builder, name: &str, owner: &str, addresses: Vec<String>| {
                let id = format!("{CONTROLLER}:{owner}:{name}:v4");
                b.put(|uuid| AddressSet {
                    uuid,
                    name: hashed_name(&id),
                    addresses: addresses.clone(),
                    external_ids: map(&[
                        ("k8s.ovn.org/id", &id),
                        ("k8s.ovn.org/name", name),
                        ("k8s.ovn.org/owner-controller", CONTROLLER),
                        ("k8s.ovn.org/owner-type", owner),
                        ("k8s.ovn.org/ip-family", "v4"),
                    ]),
                });
                format!("${}", hashed_name(&id))
            };
            let served = set(&mut b, "egressip-served-pods", "EgressIP", Vec::new());
            let svc = set(&mut b, "egresssvc-served-pods", "EgressService", Vec::new());
            let node_ips = nodes.iter().map(|n| n.ip.to_string()).collect();
            let node_ips = set(&mut b, "node-ips", "ClusterNodeIPs", node_ips);
            let qos = b.put(|uuid| Qos {
                uuid,
                priority: 103,
                direction: "from-lport".into(),
                match_: format!("ip4.src == {served} && ct.trk && ct.rpl"),
                action: [("mark".to_owned(), 42)].into(),
                external_ids: map(&[("k8s.ovn.org/owner-type", "EgressQoS")]),
                ..Default::default()
            });
            (served, svc, node_ips, qos)
        });

        let mut cr = ClusterRouter::default();
        let mut join_ports = Vec::new();
        let rtoj = b.put(|uuid| LogicalRouterPort {
            uuid,
            ..lrp(
                "rtoj-ovn_cluster_router".into(),
                JOIN_ROUTER_IP.parse().expect("an IPv4 address"),
                16,
                ip_mac(JOIN_ROUTER_IP.parse().expect("an IPv4 address")),
            )
        });
        cr.ports.push(rtoj);
        join_ports.push(b.switch_port(router_lsp(
            "jtor-ovn_cluster_router".into(),
            "rtoj-ovn_cluster_router",
            &[],
        )));

        for node in &local {
            b.part(node, Part::Own, |b| {
                self.add_node(b, node, copp, egress.as_ref().map(|e| e.3), &mut cr);
                join_ports.push(b.switch_port(router_lsp(
                    format!("jtor-GR_{}", node.name),
                    &format!("rtoj-GR_{}", node.name),
                    &[],
                )));
                if self.egress && shape != Shape::Central {
                    // The catch-all: pods without a longer route leave
                    // through the gateway router (one per zone; centrally
                    // every node's would be one ECMP route, which
                    // ovn-kubernetes never wrote).
                    cr.routes.push(b.route(LogicalRouterStaticRoute {
                        ip_prefix: CLUSTER_CIDR.into(),
                        policy: Some("src-ip".into()),
                        nexthop: node.join_ip().to_string(),
                        ..Default::default()
                    }));
                }
            });
        }
        if let Shape::Zone { .. } = shape {
            self.add_transit(&mut b, &nodes, &local, &mut cr);
        }
        if let Some((served, svc, node_ips, _)) = &egress {
            for (m, options) in [
                (
                    format!("ip4.src == {CLUSTER_CIDR} && ip4.dst == {CLUSTER_CIDR}"),
                    &[][..],
                ),
                (
                    format!("ip4.src == {CLUSTER_CIDR} && ip4.dst == 100.64.0.0/16"),
                    &[],
                ),
                ("pkt.mark == 42".to_owned(), &[]),
                (
                    format!("(ip4.src == {served} || ip4.src == {svc}) && ip4.dst == {node_ips}"),
                    &[("pkt_mark", "1008")],
                ),
            ] {
                cr.policies.push(b.put(|uuid| LogicalRouterPolicy {
                    uuid,
                    priority: 102,
                    match_: m.clone(),
                    action: "allow".into(),
                    options: map(options),
                    external_ids: map(&[
                        ("k8s.ovn.org/owner-controller", CONTROLLER),
                        ("k8s.ovn.org/owner-type", "EgressIP"),
                        ("k8s.ovn.org/priority", "102"),
                    ]),
                    ..Default::default()
                }));
            }
        }

        b.put(|uuid| LogicalSwitch {
            uuid,
            name: "join".into(),
            ports: join_ports.clone(),
            ..Default::default()
        });
        b.put(|uuid| LogicalRouter {
            uuid,
            name: "ovn_cluster_router".into(),
            ports: cr.ports.clone(),
            static_routes: cr.routes.clone(),
            policies: cr.policies.clone(),
            copp: Some(copp),
            options: map(&[("always_learn_from_arp_request", "false")]),
            external_ids: map(&[("k8s-cluster-router", "yes")]),
            ..Default::default()
        });
        b.tables
    }

    /// The 9 rate limiters (one shared band) and the COPP naming them.
    fn copp(&self, b: &mut Builder) -> Uuid {
        let band = b.put(|uuid| MeterBand {
            uuid,
            action: "drop".into(),
            rate: 25,
            ..Default::default()
        });
        let mut meters = BTreeMap::new();
        for p in COPP_PROTOCOLS {
            let name = format!("{p}-rate-limiter");
            b.put(|uuid| Meter {
                uuid,
                name: name.clone(),
                unit: "pktps".into(),
                bands: vec![band],
                fair: Some(true),
                ..Default::default()
            });
            meters.insert(p.to_owned(), name);
        }
        b.put(|uuid| Copp {
            uuid,
            name: "ovnkube-default".into(),
            meters: meters.clone(),
            ..Default::default()
        })
    }

    /// One node in full: its switch and pods, its port and routes on the
    /// cluster router, its gateway router and external switch.
    fn add_node(
        &self,
        b: &mut Builder,
        node: &Node,
        copp: Uuid,
        qos: Option<Uuid>,
        cr: &mut ClusterRouter,
    ) {
        let name = &node.name;
        let (rtr, mgmt) = (node.subnet_host(1), node.subnet_host(2));

        // The node switch.
        let arp_proxy = format!("0a:58:a9:fe:01:01 169.254.1.1 fe80::1 {CLUSTER_CIDR}");
        let mut ports = vec![b.switch_port(router_lsp(
            format!("stor-{name}"),
            &format!("rtos-{name}"),
            &[("arp_proxy", &arp_proxy)],
        ))];
        ports.push(b.switch_port(LogicalSwitchPort {
            name: format!("k8s-{name}"),
            addresses: vec![format!("{} {mgmt}", ip_mac(mgmt))],
            ..Default::default()
        }));
        for p in 0..self.pods_per_node {
            let ip = node.subnet_host(3 + p);
            let ns = format!("ns{}", b.rng.next() % 8);
            let uid = b.rng.uuid().to_string();
            let addr = format!("{} {ip}", ip_mac(ip));
            ports.push(b.switch_port(LogicalSwitchPort {
                name: format!("{ns}_pod-{}-{p}", node.id),
                addresses: vec![addr.clone()],
                port_security: vec![addr],
                options: map(&[("iface-id-ver", &uid), ("requested-chassis", &node.chassis)]),
                external_ids: map(&[("namespace", &ns), ("pod", "true")]),
                ..Default::default()
            }));
        }
        b.put(|uuid| LogicalSwitch {
            uuid,
            name: name.clone(),
            ports: ports.clone(),
            qos_rules: qos.into_iter().collect(),
            other_config: map(&[("subnet", &node.subnet_cidr())]),
            ..Default::default()
        });

        // Its distributed gateway port on the cluster router.
        let gw = b.put(|uuid| GatewayChassis {
            uuid,
            name: format!("rtos-{name}-{}", node.chassis),
            chassis_name: node.chassis.clone(),
            priority: 1,
            ..Default::default()
        });
        cr.ports.push(b.put(|uuid| LogicalRouterPort {
            uuid,
            gateway_chassis: vec![gw],
            options: map(&[("gateway_mtu", "1400")]),
            ..lrp(format!("rtos-{name}"), rtr, 23, ip_mac(rtr))
        }));
        let join_ip = node.join_ip().to_string();
        cr.routes.push(b.route(LogicalRouterStaticRoute {
            ip_prefix: join_ip.clone(),
            nexthop: join_ip.clone(),
            ..Default::default()
        }));
        cr.routes.push(b.route(LogicalRouterStaticRoute {
            ip_prefix: node.subnet_cidr(),
            policy: Some("src-ip".into()),
            nexthop: mgmt.to_string(),
            ..Default::default()
        }));
        cr.policies.push(b.put(|uuid| LogicalRouterPolicy {
            uuid,
            priority: 1004,
            match_: format!(
                "inport == \"rtos-{name}\" && ip4.dst == {} /* {name} */",
                node.ip
            ),
            action: "reroute".into(),
            nexthops: vec![mgmt.to_string()],
            ..Default::default()
        }));

        // The gateway router.
        let gr = format!("GR_{name}");
        let rtoe = format!("rtoe-{gr}");
        let gr_ports = vec![
            b.put(|uuid| LogicalRouterPort {
                uuid,
                options: map(&[("gateway_mtu", "1400")]),
                ..lrp(
                    format!("rtoj-{gr}"),
                    node.join_ip(),
                    16,
                    ip_mac(node.join_ip()),
                )
            }),
            b.put(|uuid| LogicalRouterPort {
                uuid,
                external_ids: map(&[("gateway-physical-ip", "yes")]),
                ..lrp(
                    rtoe.clone(),
                    node.ip,
                    NODE_NETWORK_LEN,
                    node.br_ex_mac.clone(),
                )
            }),
        ];
        let gr_routes = vec![
            b.route(LogicalRouterStaticRoute {
                ip_prefix: CLUSTER_CIDR.into(),
                nexthop: JOIN_ROUTER_IP.into(),
                ..Default::default()
            }),
            b.route(LogicalRouterStaticRoute {
                ip_prefix: MASQUERADE_SUBNET.into(),
                nexthop: MASQUERADE_NEXT_HOP.into(),
                output_port: Some(rtoe.clone()),
                external_ids: map(&[("k8s.ovn.org/node-masquerade-subnet", "")]),
                ..Default::default()
            }),
            b.route(LogicalRouterStaticRoute {
                ip_prefix: "0.0.0.0/0".into(),
                nexthop: NODE_GATEWAY.into(),
                output_port: Some(rtoe.clone()),
                ..Default::default()
            }),
        ];
        let node_ip = node.ip.to_string();
        let nat: Vec<Uuid> = [join_ip.as_str(), CLUSTER_CIDR]
            .into_iter()
            .map(|logical_ip| {
                b.put(|uuid| Nat {
                    uuid,
                    type_: "snat".into(),
                    external_ip: node_ip.clone(),
                    logical_ip: logical_ip.into(),
                    external_port_range: "32768-60999".into(),
                    options: map(&[("stateless", "false")]),
                    ..Default::default()
                })
            })
            .collect();
        b.put(|uuid| LogicalRouter {
            uuid,
            name: gr.clone(),
            ports: gr_ports.clone(),
            static_routes: gr_routes.clone(),
            nat: nat.clone(),
            copp: Some(copp),
            options: map(&[
                ("always_learn_from_arp_request", "false"),
                ("dynamic_neigh_routers", "false"),
                ("chassis", &node.chassis),
                ("lb_force_snat_ip", "router_ip"),
                ("mac_binding_age_threshold", "300"),
                ("snat-ct-zone", "0"),
            ]),
            external_ids: map(&[("physical_ip", &node_ip), ("physical_ips", &node_ip)]),
            ..Default::default()
        });
        let next_hop: Ipv4Addr = MASQUERADE_NEXT_HOP.parse().expect("an IPv4 address");
        b.put(|uuid| StaticMacBinding {
            uuid,
            logical_port: rtoe.clone(),
            ip: next_hop.to_string(),
            mac: ip_mac(next_hop),
            override_dynamic_mac: true,
        });

        // The external switch.
        let ext_ports = vec![
            b.switch_port(LogicalSwitchPort {
                name: format!("br-ex_{name}"),
                type_: "localnet".into(),
                addresses: vec!["unknown".into()],
                options: map(&[("network_name", "physnet")]),
                ..Default::default()
            }),
            b.switch_port(LogicalSwitchPort {
                addresses: vec![node.br_ex_mac.clone()],
                ..router_lsp(
                    format!("etor-{gr}"),
                    &rtoe,
                    &[
                        ("nat-addresses", "router"),
                        ("exclude-lb-vips-from-garp", "true"),
                    ],
                )
            }),
        ];
        b.put(|uuid| LogicalSwitch {
            uuid,
            name: format!("ext_{name}"),
            ports: ext_ports.clone(),
            ..Default::default()
        });
        b.put(|uuid| ChassisTemplateVar {
            uuid,
            chassis: node.chassis.clone(),
            variables: map(&[("NODEIP_IPv4_0", &node_ip)]),
            ..Default::default()
        });
    }

    /// The transit switch: the local nodes' router ports, and a `remote`
    /// port and two routes for every other node.
    fn add_transit(
        &self,
        b: &mut Builder,
        nodes: &[Node],
        local: &[&Node],
        cr: &mut ClusterRouter,
    ) {
        let mut ports = Vec::new();
        for node in nodes {
            b.part(node, Part::Transit, |b| {
                let name = &node.name;
                let key = node.id.to_string();
                let tip = node.transit_ip();
                if local.iter().any(|l| l.id == node.id) {
                    cr.ports.push(b.put(|uuid| LogicalRouterPort {
                        uuid,
                        options: map(&[("mcast_flood", "true")]),
                        ..lrp(format!("rtots-{name}"), tip, 16, ip_mac(tip))
                    }));
                    ports.push(b.switch_port(LogicalSwitchPort {
                        external_ids: map(&[("node", name)]),
                        ..router_lsp(
                            format!("tstor-{name}"),
                            &format!("rtots-{name}"),
                            &[("requested-tnl-key", &key)],
                        )
                    }));
                    return;
                }
                ports.push(b.switch_port(LogicalSwitchPort {
                    name: format!("tstor-{name}"),
                    type_: "remote".into(),
                    addresses: vec![format!("{} {tip}/16", ip_mac(tip))],
                    options: map(&[
                        ("requested-tnl-key", &key),
                        ("requested-chassis", &node.chassis),
                    ]),
                    external_ids: map(&[("node", name)]),
                    ..Default::default()
                }));
                let ids = map(&[("ic-node", name), ("k8s.ovn.org/network", "default")]);
                for prefix in [node.subnet_cidr(), format!("{}/32", node.join_ip())] {
                    cr.routes.push(b.route(LogicalRouterStaticRoute {
                        ip_prefix: prefix,
                        nexthop: tip.to_string(),
                        external_ids: ids.clone(),
                        ..Default::default()
                    }));
                }
            });
        }
        b.put(|uuid| LogicalSwitch {
            uuid,
            name: "transit_switch".into(),
            ports: ports.clone(),
            other_config: map(&[
                ("interconn-ts", "transit_switch"),
                ("requested-tnl-key", TRANSIT_SWITCH_KEY),
                ("mcast_snoop", "true"),
                ("mcast_querier", "false"),
                ("mcast_flood_unregistered", "true"),
            ]),
            ..Default::default()
        });
    }

    /// The SB `Chassis` (and `Encap`) rows of `shape`: the local chassis
    /// as ovn-controller 26.03 registers it (every feature, and
    /// `is-interconn` in a zone), and in a zone every other node's as
    /// ovnkube-controller registers it (`is-remote`).
    pub fn chassis(&self, shape: Shape) -> Tables {
        let mut b = Builder {
            rng: Rng(self.seed ^ 0x7362),
            tables: Tables::new(),
        };
        for node in self.nodes() {
            let remote = matches!(shape, Shape::Zone { local } if local + 2 != node.id);
            let encap = b.put(|uuid| sb::Encap {
                uuid,
                type_: "geneve".into(),
                ip: node.ip.to_string(),
                chassis_name: node.chassis.clone(),
                options: map(&[("csum", "true")]),
            });
            let mut other_config = map(&[("is-remote", if remote { "true" } else { "false" })]);
            if !remote {
                if let Shape::Zone { .. } = shape {
                    other_config.insert("is-interconn".into(), "true".into());
                }
                for f in CHASSIS_FEATURES {
                    other_config.insert(f.into(), "true".into());
                }
            }
            b.put(|uuid| sb::Chassis {
                uuid,
                name: node.chassis.clone(),
                hostname: node.name.clone(),
                encaps: vec![encap],
                other_config: other_config.clone(),
                ..Default::default()
            });
        }
        b.tables
    }
}

/// Writes `tables` into database `db` at `remote` in one transaction, each
/// row with its own UUID (`insert` with `uuid`).
pub fn write_to_server(
    remote: &str,
    db: &str,
    tables: &Tables,
) -> Result<(), northflow_ovsdb::Error> {
    let ops = tables
        .iter()
        .flat_map(|(table, rows)| {
            rows.iter().map(|(uuid, row)| Operation::Insert {
                table: table.clone(),
                row: row.clone(),
                uuid_name: None,
                uuid: Some(*uuid),
            })
        })
        .collect();
    let (client, _notifications) = Client::connect(remote)?;
    client.transact(db, ops).map(|_| ())
}
