//! Logical routers: their flows, datapath and port bindings, and the
//! router-side flows that depend on the switches they are attached to.
//!
//! As for switches, a router's context holds its attributes, never its
//! port list: ports are an edge relation. A router port is known to the
//! switches by name ([`Peers`]), so a switch port of type `router` finds
//! its peer through one join, and a router port's change touches only its
//! own flows and its peer's.

use std::net::IpAddr;
use std::sync::Arc;

use differential_dataflow::operators::CountTotal;
use differential_dataflow::VecCollection;
use northflow_ir::addr::Mac;
use northflow_ir::diag::Diagnostic;
use northflow_ir::intern::Text;
use northflow_ir::lflow::{Flow, LogicalFlow};
use northflow_ir::nb::{LogicalRouterPolicy, LogicalRouterPort, LogicalRouterStaticRoute};
use northflow_ir::router::{
    masked, CoppMeters, GatewayMtu, Nexthop, Policy, PolicyAction, Router, RouterCtx,
    RouterFeatures, RouterPeer, RouterPort, StaticRoute,
};
use northflow_ir::row::Table;
use northflow_ir::switch::SwitchPort;
use northflow_ir::Uuid;
use northflow_passes::router::{ChainPlace, RouteOut};
use northflow_passes::{binding, router};

use crate::input::Collections;
use crate::output::Outputs;

type Coll<'s, D> = VecCollection<'s, u64, D, isize>;

/// A router, or one of the meters of its `Copp`, folded per router.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
enum RouterItem {
    Router(Arc<Router>),
    /// (control protocol, meter name).
    Meter(String, String),
    /// One of its distributed gateway ports.
    Gateway(Text),
}

/// What a router port learns from its switch peer, folded per port name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
enum PeerFact {
    Port(Uuid, Arc<RouterPort>),
    Localnet,
    VlanLocalnet,
    ProxyMac(Mac),
    /// The port resides on the router's gateway chassis
    /// (`RouterPeer::resides_on`): that chassis-redirect port.
    ResidesOn(Text),
}

/// Router ports as their switch-side peers see them, by name: (name,
/// (router, port)). A router port with a `peer` of its own (a router-to-
/// router link) is not offered to switches.
pub struct Peers<'s> {
    pub by_name: Coll<'s, (Text, (Uuid, Arc<RouterPeer>))>,
    /// (router, port) for every router port on an enabled router.
    pub(crate) ports_on: Coll<'s, (Uuid, Arc<RouterPort>)>,
    /// ((router, network address, prefix length), port) for every network
    /// of those ports.
    networks: Coll<'s, ((Uuid, IpAddr, u8), Arc<RouterPort>)>,
    /// Router ports peered directly, each naming the other: (the peer's
    /// router, (port, peer)), both ways round.
    links: Coll<'s, (Uuid, Link)>,
    refused: Coll<'s, Diagnostic>,
}

/// A router port and the router port it is peered with directly.
type Link = (Arc<RouterPort>, Arc<RouterPort>);

/// The first half, before the switches: router ports on their routers.
pub fn peers<'s>(input: &Collections<'s>) -> Peers<'s> {
    // A gateway router's ports are never distributed gateway ports: their
    // gateway configuration is ignored (and diagnosed).
    let placed = input
        .logical_router
        .clone()
        .flat_map(|(rid, r)| r.ports.clone().into_iter().map(move |p| (p, rid)))
        .join_map(input.logical_router_port.clone(), |_p, rid, port| {
            (*rid, port.clone())
        })
        .join_map(input.logical_router.clone(), |rid, port, r| {
            (*rid, port.clone(), port.is_gateway() && r.chassis.is_some())
        });
    let ports_on = placed.clone().map(|(rid, port, on_gateway_router)| {
        if !on_gateway_router {
            return (rid, port);
        }
        let mut p = (*port).clone();
        p.gateway_chassis.clear();
        p.ha_chassis_group = None;
        (rid, Arc::new(p))
    });
    let refused = placed
        .filter(|(_, _, on_gateway_router)| *on_gateway_router)
        .map(|(rid, port, _)| {
            Diagnostic::new(
                LogicalRouterPort::TABLE,
                port.uuid,
                "gateway_chassis",
                format!(
                    "a distributed gateway port on gateway router {rid}: its gateway \
                     configuration is ignored"
                ),
            )
        });
    // Routers with exactly one distributed gateway port.
    let sole_gateway = ports_on
        .clone()
        .filter(|(_, p)| p.is_gateway())
        .map(|(rid, _)| rid)
        .count_total()
        .filter(|(_, n)| *n == 1)
        .map(|(rid, _)| (rid, ()));
    let offered = ports_on.clone().filter(|(_, p)| p.peer.is_none());
    let sole = offered
        .clone()
        .filter(|(_, p)| p.is_gateway())
        .semijoin(sole_gateway.map(|(rid, ())| rid));
    let resides = offered
        .clone()
        .filter(|(_, p)| {
            !p.is_gateway() && p.options.get("reside-on-redirect-chassis") == Some("true")
        })
        .join_map(
            sole.clone()
                .map(|(rid, p)| (rid, Text::from(p.redirect_name().as_str()))),
            |rid, p, cr| ((*rid, p.uuid), cr.clone()),
        );
    let placed = offered
        .map(|(rid, p)| ((rid, p.uuid), p))
        .antijoin(sole.clone().map(|(rid, p)| (rid, p.uuid)))
        .map(|(k, p)| (k, (p, false)))
        .concat(sole.map(|(rid, p)| ((rid, p.uuid), (p, true))));
    let by_name = placed
        .clone()
        .join_map(resides.clone(), |(rid, _), (p, sole), cr| {
            (*rid, (p.clone(), *sole, Some(cr.clone())))
        })
        .concat(
            placed
                .antijoin(resides.map(|(k, _)| k))
                .map(|((rid, _), (p, sole))| (rid, (p, sole, None))),
        )
        .join_map(
            input.logical_router.clone(),
            |rid, (port, sole, resides_on), r| {
                (
                    port.name.clone(),
                    (
                        *rid,
                        Arc::new(RouterPeer {
                            name: port.name.clone(),
                            networks: port.networks.clone(),
                            enabled: port.enabled,
                            gateway_router: r.chassis.is_some(),
                            chassis: r.chassis.clone(),
                            redirect: port
                                .is_gateway()
                                .then(|| Text::from(port.redirect_name().as_str())),
                            sole_gateway: *sole && port.is_gateway(),
                            resides_on: resides_on.clone(),
                            dynamic_neigh_routers: r.dynamic_neigh_routers,
                        }),
                    ),
                )
            },
        );
    let networks = ports_on.clone().flat_map(|(rid, p)| {
        let v4 = p.networks.ipv4.iter().map(|n| (IpAddr::V4(n.addr), n.plen));
        let v6 = p.networks.ipv6.iter().map(|n| (IpAddr::V6(n.addr), n.plen));
        v4.chain(v6)
            .map(|(a, plen)| ((rid, masked(a, plen), plen), p.clone()))
            .collect::<Vec<_>>()
    });
    let links = ports_on
        .clone()
        .flat_map(|(_, p)| Some((p.peer.clone()?, p)))
        .join_map(
            ports_on.clone().map(|(rid, p)| (p.name.clone(), (rid, p))),
            |_, p, (peer_rid, peer)| (*peer_rid, (p.clone(), peer.clone())),
        )
        .filter(|(_, (p, peer))| peer.peer.as_ref() == Some(&p.name));
    let unlinked = ports_on
        .clone()
        .flat_map(|(_, p)| p.peer.is_some().then(|| (p.uuid, p)))
        .antijoin(links.clone().map(|(_, (p, _))| p.uuid))
        .map(|(_, p)| {
            Diagnostic::new(
                LogicalRouterPort::TABLE,
                p.uuid,
                "peer",
                format!(
                    "peer {:?} is not a router port that names this one as its peer: not linked",
                    p.peer.as_deref().unwrap_or_default()
                ),
            )
        });
    let refused = refused.concat(unlinked);
    Peers {
        by_name,
        ports_on,
        networks,
        links,
        refused,
    }
}

/// A switch port of type `router`, the router port it peers with, and
/// that port's router.
pub type Peering = (Arc<SwitchPort>, Arc<RouterPeer>, Uuid);

/// What the switch family hands to routers: its ports, and its `router`
/// ports that found their peer.
pub struct FromSwitches<'s> {
    /// (switch, port) for every placed switch port.
    pub ports_on: Coll<'s, (Uuid, Arc<SwitchPort>)>,
    /// (switch, (router port, its peer, the peer's router)).
    pub peered: Coll<'s, (Uuid, Peering)>,
    /// (switch, whether all its ports are peered router ports).
    pub only_router_ports: Coll<'s, (Uuid, bool)>,
    /// Router ports peered from a switch with a localnet port.
    pub on_localnet: Coll<'s, Text>,
    /// ... with a VLAN-tagged one.
    pub on_vlan_localnet: Coll<'s, Text>,
    /// Router ports whose switch peer has a chassis-redirect port of its
    /// own (`RouterPeer::redirects_switch_port`).
    pub redirected_peers: Coll<'s, Text>,
    /// Router ports whose switch peer proxies ARP with a MAC of its own.
    pub proxy_macs: Coll<'s, (Text, Mac)>,
    /// Switches whose ARP requests from the physical network are answered
    /// only where a gateway is resident.
    pub ext_arp_switches: Coll<'s, Uuid>,
}

pub fn build<'s>(
    input: &Collections<'s>,
    peers: Peers<'s>,
    sw: &FromSwitches<'s>,
    out: &mut Outputs<'s>,
) {
    let attrs = input
        .logical_router
        .clone()
        .map(|(rid, r)| (rid, Arc::new(r.attributes())));
    // Each router with the meters of its `Copp` that exist.
    let meters = input
        .logical_router
        .clone()
        .flat_map(|(rid, r)| r.copp.map(|c| (c, rid)))
        .join_map(input.copp.clone(), |_, rid, meters| (*rid, meters.clone()))
        .flat_map(|(rid, meters)| {
            meters
                .iter()
                .map(|(proto, name)| (name.clone(), (rid, proto.clone())))
                .collect::<Vec<_>>()
        })
        .semijoin(input.meter.clone().map(|(_, m)| m.name.clone()).distinct())
        .map(|(name, (rid, proto))| (rid, RouterItem::Meter(proto, name)));
    let gateways = peers
        .ports_on
        .clone()
        .filter(|(_, p)| p.is_gateway())
        .map(|(rid, p)| (rid, RouterItem::Gateway(p.name.clone())));
    let ctx = attrs
        .clone()
        .map(|(rid, r)| (rid, RouterItem::Router(r)))
        .concat(meters)
        .concat(gateways)
        .reduce(|_, items, out| {
            let mut router = None;
            let mut copp = CoppMeters::default();
            let mut gateways = 0;
            for (item, _) in items {
                match item {
                    RouterItem::Router(r) => router = Some((**r).clone()),
                    RouterItem::Meter(proto, name) => {
                        copp.0.insert(proto.clone(), name.clone());
                    }
                    RouterItem::Gateway(_) => gateways += 1,
                }
            }
            if let Some(r) = router {
                out.push(((r, copp, gateways), 1));
            }
        });
    // What every chassis supports (everything, without chassis).
    let features = input
        .chassis
        .clone()
        .map(|(_, f)| ((), f))
        .reduce(|_, all, out| {
            let f = all
                .iter()
                .fold(RouterFeatures::default(), |a, (f, _)| RouterFeatures {
                    ct_state_save: a.ct_state_save && f.ct_state_save,
                    ct_commit_nat_v2: a.ct_commit_nat_v2 && f.ct_commit_nat_v2,
                    ct_zones: a.ct_zones && f.ct_commit_to_zone && f.ct_next_zone,
                });
            out.push((f, 1));
        });
    let unit_keyed = ctx.map(|(rid, c)| ((), (rid, c)));
    let ctx = unit_keyed
        .clone()
        .join_map(features, |_, (rid, (r, copp, g)), f| {
            (*rid, RouterCtx::new(r.clone(), copp.clone(), *g, *f))
        })
        .concat(
            unit_keyed
                .antijoin(input.chassis.clone().map(|_| ()).distinct())
                .map(|(_, (rid, (r, copp, g)))| {
                    (rid, RouterCtx::new(r, copp, g, RouterFeatures::default()))
                }),
        );
    let router_flows = ctx.clone().flat_map(|(rid, c)| {
        let mut v = Vec::new();
        router::router_flows(&c, &mut v);
        v.into_iter().map(move |f| (rid, f))
    });
    // A port's gateway-MTU checks count a VLAN header when its switch peer
    // has a VLAN-tagged localnet port.
    let on_ports = peers
        .ports_on
        .clone()
        .map(|(rid, p)| (p.name.clone(), (rid, p)));
    let port_flows = on_ports
        .clone()
        .antijoin(sw.on_vlan_localnet.clone())
        .map(|(_, (rid, p))| (rid, (p, false)))
        .concat(
            on_ports
                .semijoin(sw.on_vlan_localnet.clone())
                .map(|(_, (rid, p))| (rid, (p, true))),
        )
        .join(ctx.clone().map(|(rid, c)| (rid, c.port_ctx())))
        .flat_map(|(rid, ((port, vlan), pctx))| {
            let mut v = Vec::new();
            router::port_flows(&port, &pctx, vlan, &mut v);
            v.into_iter().map(move |f| (rid, f))
        });

    // Static neighbours: each port of a switch, on the routers peering
    // with the switch; and the routers on one switch, on each other.
    let peered = sw.peered.clone();
    let vif_neighbors =
        peered
            .clone()
            .join(sw.ports_on.clone())
            .flat_map(|(_sid, ((_lsp, peer, rid), vif))| {
                let mut v = Vec::new();
                router::vif_neighbor_flows(&vif, &peer, &mut v);
                v.into_iter().map(move |f| (rid, f))
            });
    let router_neighbors = peered
        .clone()
        .filter(|(_, (_, peer, _))| !peer.dynamic_neigh_routers)
        .join(peered.clone().map(|(sid, (_, other, _))| (sid, other)))
        .flat_map(|(_sid, ((lsp, peer, rid), other))| {
            let mut v = Vec::new();
            router::router_neighbor_flows(&lsp, &peer, &other, &mut v);
            v.into_iter().map(move |f| (rid, f))
        });

    // Router ports peered directly: their addresses resolved statically
    // on the peer's router.
    let router_links = peers.links.clone().flat_map(|(peer_rid, (p, peer))| {
        let mut v = Vec::new();
        router::router_link_flows(&p, &peer, &mut v);
        v.into_iter().map(move |f| (peer_rid, f))
    });

    let route_flows = static_routes(input, &peers, &ctx, out);

    let policy_flows = policies(input, &peers, out);

    let (nat_flows, distributed_nat) = super::nat::build(input, &peers, &ctx, sw, out);

    // Gateway MTU: errors for traffic from each other port of the router
    // out of a port with a gateway MTU; ICMP errors committed to the SNAT
    // zone once per router that has one.
    let mtu_ports = peers
        .ports_on
        .clone()
        .filter(|(_, p)| GatewayMtu::of(p, false).is_some());
    let larger_pkts = mtu_ports
        .clone()
        .join_map(peers.ports_on.clone(), |rid, p, from| {
            (*rid, (p.clone(), from.clone()))
        })
        .filter(|(_, (p, from))| p.uuid != from.uuid)
        // Only what these flows read of the context: they are a pair per
        // two ports, so a context change must not touch them for nothing.
        .join_map(
            ctx.clone()
                .map(|(rid, c)| (rid, (c.features.ct_state_save, c.copp))),
            |rid, (p, from), (ct_state_save, copp)| {
                let mut v = Vec::new();
                router::larger_pkts_flows(p, from, *ct_state_save, copp, &mut v);
                (*rid, v)
            },
        )
        .flat_map(|(rid, v)| v.into_iter().map(move |f| (rid, f)))
        .concat(
            mtu_ports
                .reduce(|_, ports, out| {
                    if let Some((p, _)) = ports.iter().min_by_key(|(p, _)| p.uuid) {
                        out.push(((*p).clone(), 1));
                    }
                })
                .join_map(ctx.clone(), |rid, p, c| (*rid, p.clone(), c.features))
                .filter(|(_, _, f)| f.ct_commit_nat_v2)
                .map(|(rid, p, _)| (rid, router::icmp_snat_flow(&p))),
        );

    // What a port's flows take from its switch peer: whether that switch
    // is bridged to a physical network (a gateway port answers ARP on its
    // gateway chassis only) and its `arp_proxy` MAC (also admitted).
    let peer_facts = peers
        .ports_on
        .clone()
        .map(|(rid, p)| (p.name.clone(), PeerFact::Port(rid, p)))
        .concat(
            sw.on_localnet
                .clone()
                .map(|name| (name, PeerFact::Localnet)),
        )
        .concat(
            sw.on_vlan_localnet
                .clone()
                .map(|name| (name, PeerFact::VlanLocalnet)),
        )
        .concat(
            sw.proxy_macs
                .clone()
                .map(|(name, mac)| (name, PeerFact::ProxyMac(mac))),
        )
        .concat(peers.by_name.clone().flat_map(|(name, (_, peer))| {
            Some((name, PeerFact::ResidesOn(peer.resides_on.clone()?)))
        }))
        .reduce(|_, facts, out| {
            let mut port = None;
            let (mut localnet, mut vlan, mut proxy, mut resides) = (false, false, None, None);
            for (f, _) in facts {
                match f {
                    PeerFact::Port(rid, p) => port = Some((*rid, p.clone())),
                    PeerFact::Localnet => localnet = true,
                    PeerFact::VlanLocalnet => vlan = true,
                    PeerFact::ProxyMac(m) => proxy = Some(*m),
                    PeerFact::ResidesOn(cr) => resides = Some(cr.clone()),
                }
            }
            if let Some((rid, p)) = port {
                let resident = match (localnet, p.is_gateway()) {
                    (false, _) => None,
                    (true, true) => Some(Text::from(p.redirect_name().as_str())),
                    (true, false) => resides,
                };
                out.push(((rid, p, resident, vlan, proxy), 1));
            }
        })
        .flat_map(|(_, (rid, p, resident, vlan, proxy))| {
            let mut v = Vec::new();
            router::arp_reply_flows(&p, resident.as_deref(), &mut v);
            router::admission_unicast_flows(&p, proxy, vlan, &mut v);
            v.into_iter().map(move |f| (rid, f))
        });

    // Ports that always flood multicast (`options:mcast_flood`): the
    // router's _MC_static group, and IGMP/MLD with TTL 1 let in.
    let flood_ports = peers
        .ports_on
        .clone()
        .filter(|(_, p)| p.enabled && p.options.get("mcast_flood") == Some("true"))
        .map(|(rid, p)| (rid, p.name.clone()))
        .reduce(|_, names, out| {
            out.push((
                names
                    .iter()
                    .map(|(n, _)| (*n).clone())
                    .collect::<Vec<Text>>(),
                1,
            ));
        });
    out.multicast_groups
        .push(
            flood_ports
                .clone()
                .map(|(rid, ports)| northflow_ir::binding::MulticastGroup {
                    datapath: rid,
                    name: northflow_passes::names::MC_STATIC.to_owned(),
                    tunnel_key: northflow_passes::names::MC_STATIC_KEY,
                    ports,
                }),
        );
    let flood_static_flows = flood_ports.flat_map(|(rid, _)| {
        let mut v = Vec::new();
        router::flood_static_flows(&mut v);
        v.into_iter().map(move |f| (rid, f))
    });

    // Static MAC bindings, on the router of the port they name.
    out.static_mac_bindings.push(
        input
            .static_mac_binding
            .clone()
            .map(|(_, b)| (Text::from(b.logical_port.as_str()), b))
            .join_map(
                peers.ports_on.clone().map(|(rid, p)| (p.name.clone(), rid)),
                |_, b, rid| northflow_ir::binding::StaticMacBinding {
                    logical_port: b.logical_port.clone(),
                    ip: b.ip.clone(),
                    mac: b.mac.clone(),
                    override_dynamic_mac: b.override_dynamic_mac,
                    datapath: *rid,
                },
            ),
    );

    out.flows.push(
        router_flows
            .concat(port_flows)
            .concat(vif_neighbors)
            .concat(router_neighbors)
            .concat(router_links)
            .concat(route_flows)
            .concat(policy_flows)
            .concat(nat_flows)
            .concat(peer_facts)
            .concat(flood_static_flows)
            .concat(larger_pkts)
            .map(|(rid, mut f): (Uuid, LogicalFlow)| {
                let hint = f.hint.take();
                (Flow::new(f), (rid, hint))
            }),
    );

    out.datapaths
        .push(attrs.clone().map(|(_, r)| binding::router_datapath(&r)));

    // Router port bindings, with the switch port that peers each one, or
    // the router port it is linked with.
    let peer_lsp = peered
        .map(|(_, (lsp, peer, _))| (peer.name.clone(), lsp.name.clone()))
        .concat(
            peers
                .links
                .clone()
                .map(|(_, (p, peer))| (p.name.clone(), peer.name.clone())),
        );
    let lsp_count = peer_lsp.clone().map(|(name, _)| name).count_total();
    let ports_by_name = peers.ports_on.clone().join_map(attrs, |rid, port, r| {
        (port.name.clone(), (*rid, port.clone(), r.clone()))
    });
    let with_lsp = ports_by_name
        .clone()
        .join_map(peer_lsp, |_, (rid, port, r), lsp| {
            (*rid, port.clone(), r.clone(), Some(lsp.clone()))
        });
    let without_lsp = ports_by_name
        .antijoin(lsp_count.map(|(name, _)| name))
        .map(|(_, (rid, port, r))| (rid, port, r, None));
    out.ports.push(
        with_lsp.concat(without_lsp).map(|(rid, port, r, lsp)| {
            Arc::new(binding::router_port(&port, rid, &r, lsp.as_deref()))
        }),
    );
    out.diagnostics.push(peers.refused.clone());
    gateway_ports(input, &peers, sw, distributed_nat, out);
}

/// Distributed gateway ports: their chassis-redirect ports, on the
/// chassis of an HA_Chassis_Group named after the port (from its
/// `gateway_chassis`) or after its own `ha_chassis_group` (which wins).
fn gateway_ports<'s>(
    input: &Collections<'s>,
    peers: &Peers<'s>,
    sw: &FromSwitches<'s>,
    distributed_nat: Coll<'s, Uuid>,
    out: &mut Outputs<'s>,
) {
    let gateway_ports = peers.ports_on.clone().filter(|(_, p)| p.is_gateway());
    let from_nb_group = gateway_ports
        .clone()
        .flat_map(|(rid, p)| Some((p.ha_chassis_group?, (rid, p))))
        .join_map(input.ha_chassis_group.clone(), |_, (rid, p), g| {
            (*rid, p.clone(), g.name.clone())
        });
    let from_gateway_chassis = gateway_ports
        .filter(|(_, p)| p.ha_chassis_group.is_none())
        .map(|(rid, p)| {
            let name = p.name.to_string();
            (rid, p, name)
        });
    let redirects = from_nb_group.concat(from_gateway_chassis);
    // The switch ports that get a chassis-redirect port of their own share
    // their gateway port's group.
    out.ports.push(
        sw.peered
            .clone()
            .map(|(sid, (lsp, peer, _))| (peer.name.clone(), (sid, lsp)))
            .semijoin(sw.redirected_peers.clone())
            .join_map(
                redirects
                    .clone()
                    .map(|(_, port, group)| (port.name.clone(), group)),
                |_, (sid, lsp), group| {
                    Arc::new(binding::chassis_redirect_switch_port(lsp, *sid, group))
                },
            ),
    );
    let keyed = redirects
        .clone()
        .map(|(rid, port, group)| (rid, (port, group)));
    out.ports.push(
        keyed
            .clone()
            .antijoin(distributed_nat.clone())
            .map(|(rid, pg)| (rid, pg, false))
            .concat(
                keyed
                    .semijoin(distributed_nat)
                    .map(|(rid, pg)| (rid, pg, true)),
            )
            .map(|(rid, (port, group), distributed)| {
                Arc::new(binding::chassis_redirect_port(
                    &port,
                    rid,
                    &group,
                    distributed,
                ))
            }),
    );
    let gateway_chassis = redirects
        .clone()
        .filter(|(_, p, _)| p.ha_chassis_group.is_none())
        .flat_map(|(_, p, group)| {
            p.gateway_chassis
                .clone()
                .into_iter()
                .map(move |gc| (gc, group.clone()))
        })
        .join_map(input.gateway_chassis.clone(), |_, group, member| {
            (group.clone(), Some((**member).clone()))
        });
    let nb_group_chassis = input
        .ha_chassis_group
        .clone()
        .flat_map(|(_, g)| {
            let name = g.name.clone();
            g.ha_chassis
                .clone()
                .into_iter()
                .map(move |c| (c, name.clone()))
        })
        .join_map(input.ha_chassis.clone(), |_, group, member| {
            (group.clone(), Some((**member).clone()))
        })
        .semijoin(redirects.clone().map(|(_, _, group)| group).distinct());
    out.ha_chassis_groups.push(
        redirects
            .map(|(_, _, group)| (group, None))
            .concat(gateway_chassis)
            .concat(nb_group_chassis)
            .reduce(|_, members, out| {
                let mut m: Vec<(String, i64)> =
                    members.iter().filter_map(|(m, _)| (*m).clone()).collect();
                m.sort();
                m.dedup();
                out.push((m, 1));
            })
            .map(|(name, members)| northflow_ir::binding::HaChassisGroup { name, members }),
    );
}

/// Static routes, each resolved to the port it leaves through: the port it
/// names (`output_port`), else the router's port on whose network the next
/// hop is: found by joining on the next hop's prefixes of every length, so
/// that a route costs its own work whatever the router's size. A route
/// with no way out is diagnosed and has no flow (as in ovn-northd).
fn static_routes<'s>(
    input: &Collections<'s>,
    peers: &Peers<'s>,
    ctx: &Coll<'s, (Uuid, RouterCtx)>,
    out: &mut Outputs<'s>,
) -> Coll<'s, (Uuid, LogicalFlow)> {
    let routes_on = input
        .logical_router
        .clone()
        .flat_map(|(rid, r)| r.static_routes.clone().into_iter().map(move |s| (s, rid)))
        .join_map(input.logical_router_static_route.clone(), |_, rid, r| {
            (*rid, r.clone())
        });
    let named = routes_on
        .clone()
        .flat_map(|(rid, r)| Some((r.output_port.clone()?, (rid, r))))
        .join_map(
            peers.ports_on.clone().map(|(_, p)| (p.name.clone(), p)),
            |_, (rid, r), port| {
                let hop = match r.nexthop {
                    Nexthop::Via(ip) => Some(ip),
                    _ => None,
                };
                let way = RouteOut::of(port, hop, r.is_ipv4_nexthop(), true);
                (*rid, r.clone(), way)
            },
        )
        .flat_map(|(rid, r, way)| Some(((rid, r), way?)));
    let by_nexthop = on_networks(
        peers,
        routes_on.clone().flat_map(|(rid, r)| match r.nexthop {
            Nexthop::Via(hop) if r.output_port.is_none() => Some(((rid, r), hop)),
            _ => None,
        }),
    );
    let resolved = named.concat(by_nexthop);
    let discard = routes_on
        .clone()
        .filter(|(_, r)| r.nexthop == Nexthop::Discard);
    // Routes with one prefix on one router: alone, one flow; two or more
    // (or one asking for symmetric replies), an ECMP group.
    let by_prefix = resolved
        .clone()
        .map(|((rid, r), way)| (rid, r, Some(way)))
        .concat(discard.map(|(rid, r)| (rid, r, None)))
        .map(|(rid, r, way)| ((rid, router::ecmp_key(&r)), (r, way)))
        .reduce(|_, routes, out| {
            let v: Vec<(StaticRoute, Option<RouteOut>)> = routes
                .iter()
                .map(|((r, way), _)| (StaticRoute::clone(r), way.clone()))
                .collect();
            out.push((v, 1));
        });
    // Each prefix's route table id: 0 for the main table.
    let tables = route_tables(peers, &routes_on);
    let main = by_prefix
        .clone()
        .filter(|((_, key), _)| key.0.is_empty())
        .map(|(k, routes)| (k, (routes, 0)));
    let by_prefix = by_prefix
        .map(|((rid, key), routes)| ((rid, key.0.clone()), (key, routes)))
        .join_map(tables.clone(), |(rid, _), (key, routes), id| {
            ((*rid, key.clone()), (routes.clone(), *id))
        })
        .concat(main);
    let is_ecmp = |routes: &[(StaticRoute, Option<RouteOut>)]| {
        routes.len() > 1 || routes.iter().any(|(r, _)| r.ecmp_symmetric_reply)
    };
    let single = by_prefix
        .clone()
        .filter(move |(_, (routes, _))| !is_ecmp(routes))
        .flat_map(|((rid, _), (routes, table))| {
            let mut v = Vec::new();
            for (r, way) in &routes {
                northflow_passes::router::static_route_flows(r, table, way.as_ref(), &mut v);
            }
            v.into_iter().map(move |f| (rid, f))
        });
    // ECMP group ids: per router, in (table, prefix) order (the only
    // per-router list here, of its ECMP groups; ovn-northd's order is its
    // hash maps').
    let groups = by_prefix.filter(move |(_, (routes, _))| is_ecmp(routes));
    let ids = groups
        .clone()
        .map(|((rid, key), _)| (rid, key))
        .reduce(|_, keys, out| {
            for (n, (key, _)) in keys.iter().enumerate() {
                out.push((
                    ((*key).clone(), u16::try_from(n + 1).unwrap_or(u16::MAX)),
                    1,
                ));
            }
        })
        .map(|(rid, (key, id))| ((rid, key), id));
    let gateway_router = ctx
        .clone()
        .map(|(rid, c)| (rid, c.router.chassis.is_some()));
    let ecmp = groups
        .join_map(ids, |(rid, _), (routes, table), id| {
            (*rid, (routes.clone(), *table, *id))
        })
        .join_map(gateway_router, |rid, (routes, table, id), gr| {
            let mut v = Vec::new();
            router::ecmp_route_flows(routes, *table, *id, *gr, &mut v);
            (*rid, v)
        })
        .flat_map(|(rid, v)| v.into_iter().map(move |f| (rid, f)));
    let table_ports = peers
        .ports_on
        .clone()
        .flat_map(|(rid, p)| {
            Some((
                (rid, p.options.get("route_table")?.to_owned()),
                p.name.clone(),
            ))
        })
        .join_map(tables, |(rid, _), port, id| {
            let mut v = Vec::new();
            router::route_table_flow(port, *id, &mut v);
            (*rid, v)
        })
        .flat_map(|(rid, v)| v.into_iter().map(move |f| (rid, f)));
    let flows = single.concat(ecmp).concat(table_ports).concat(
        routes_on
            .clone()
            .join(ctx.clone().map(|(rid, c)| (rid, c.copp)))
            .flat_map(|(rid, (r, copp))| {
                let mut v = Vec::new();
                northflow_passes::router::static_route_nd_flows(&r, &copp, &mut v);
                v.into_iter().map(move |f| (rid, f))
            }),
    );
    out.diagnostics.push(
        routes_on
            .filter(|(_, r)| r.nexthop != Nexthop::Discard)
            .map(|(rid, r)| ((rid, r.uuid), r))
            .antijoin(resolved.map(|((rid, r), _)| (rid, r.uuid)))
            .map(|(_, r)| no_path(&r)),
    );
    flows
}

/// Each router's route tables, named by its static routes and its ports'
/// `options:route_table`, numbered from 1 in name order: reg7 holds the
/// number only inside the router's pipeline, so the numbering is the
/// router's own (ovn-northd numbers every name once, cluster-wide, in its
/// hash maps' order) and a new table renumbers only its router's.
fn route_tables<'s>(
    peers: &Peers<'s>,
    routes_on: &Coll<'s, (Uuid, Arc<StaticRoute>)>,
) -> Coll<'s, ((Uuid, String), u16)> {
    numbered_per_router(
        routes_on
            .clone()
            .map(|(rid, r)| (rid, r.route_table.clone()))
            .concat(
                peers
                    .ports_on
                    .clone()
                    .flat_map(|(rid, p)| Some((rid, p.options.get("route_table")?.to_owned()))),
            )
            .filter(|(_, name)| !name.is_empty()),
    )
}

/// Names a router's entities share (route tables, policy chains), each
/// router's numbered from 1 in name order: the numbers live in a register
/// of that router's pipeline only.
fn numbered_per_router<'s>(names: Coll<'s, (Uuid, String)>) -> Coll<'s, ((Uuid, String), u16)> {
    names
        .distinct()
        .reduce(|_, names, out| {
            for (n, (name, _)) in names.iter().enumerate() {
                let id = u16::try_from(n + 1).unwrap_or(u16::MAX);
                out.push((((*name).clone(), id), 1));
            }
        })
        .map(|(rid, (name, id))| ((rid, name), id))
}

fn no_path(r: &StaticRoute) -> Diagnostic {
    Diagnostic::new(
        LogicalRouterStaticRoute::TABLE,
        r.uuid,
        "nexthop",
        format!(
            "no path for static route {}/{} via {:?}: no router port has the next hop on its networks",
            r.prefix, r.plen, r.nexthop_text
        ),
    )
}

/// Next hops, each resolved to its router's port whose network holds it,
/// by joining on the next hop's prefixes of every length (so that a
/// request costs its own work whatever the router's size); when several
/// ports do, the first by name.
fn on_networks<'s, K: differential_dataflow::ExchangeData + std::hash::Hash>(
    peers: &Peers<'s>,
    requests: Coll<'s, ((Uuid, K), IpAddr)>,
) -> Coll<'s, ((Uuid, K), RouteOut)> {
    requests
        .flat_map(|((rid, k), hop)| {
            let bits = if hop.is_ipv4() { 32 } else { 128 };
            (0..=bits)
                .map(|plen| ((rid, masked(hop, plen), plen), (k.clone(), hop)))
                .collect::<Vec<_>>()
        })
        .join_map(peers.networks.clone(), |(rid, _, _), (k, hop), port| {
            ((*rid, k.clone(), *hop), port.clone())
        })
        .reduce(|(_, _, hop), ports, out| {
            if let Some(way) = ports
                .iter()
                .find_map(|(p, _)| RouteOut::of(p, Some(*hop), hop.is_ipv4(), false))
            {
                out.push((way, 1));
            }
        })
        .map(|((rid, k, _), way)| ((rid, k), way))
}

/// Routing policies; a `reroute` leaves through the port it names
/// (`output_port`), else through the router's port on each next hop's
/// network. ECMP reroutes get group ids per router, in UUID order (the
/// only per-router list here: of its ECMP policies).
fn policies<'s>(
    input: &Collections<'s>,
    peers: &Peers<'s>,
    out: &mut Outputs<'s>,
) -> Coll<'s, (Uuid, LogicalFlow)> {
    let on = input
        .logical_router
        .clone()
        .flat_map(|(rid, r)| r.policies.clone().into_iter().map(move |p| (p, rid)))
        .join_map(input.logical_router_policy.clone(), |_, rid, p| {
            (*rid, p.clone())
        });
    // Each next hop of each reroute: ((router, policy), hop index).
    let hops = on.clone().flat_map(|(rid, p)| match &p.action {
        PolicyAction::Reroute {
            hops, output_port, ..
        } => hops
            .iter()
            .enumerate()
            .map(|(i, (_, addr))| ((rid, p.clone()), (i, *addr, *output_port)))
            .collect(),
        _ => Vec::new(),
    });
    let named = hops
        .clone()
        .flat_map(|(k, (i, addr, port))| Some((port?, (k, i, addr))))
        .join_map(
            input.logical_router_port.clone(),
            |_, (k, i, addr), port| {
                (
                    (k.clone(), *i),
                    RouteOut::of(port, Some(*addr), addr.is_ipv4(), true),
                )
            },
        )
        .flat_map(|(k, way)| Some((k, way?)));
    let by_nexthop = on_networks(
        peers,
        hops.clone()
            .flat_map(|((rid, p), (i, addr, port))| match port {
                None => Some(((rid, (p, i)), addr)),
                Some(_) => None,
            }),
    )
    .map(|((rid, (p, i)), way)| (((rid, p), i), way));
    let ways = named.concat(by_nexthop);
    out.diagnostics.push(
        hops.map(|(k, (i, _, _))| ((k, i), ()))
            .antijoin(ways.clone().map(|(k, _)| k).distinct())
            .map(|(((_, p), i), ())| {
                let hop = match &p.action {
                    PolicyAction::Reroute { hops, .. } => hops[i].0.clone(),
                    _ => String::new(),
                };
                Diagnostic::new(
                    LogicalRouterPolicy::TABLE,
                    p.uuid,
                    "nexthops",
                    format!(
                        "no path to next hop {hop}: no router port has it on its networks (or \
                         the output_port has no address of its family); left out"
                    ),
                )
            }),
    );
    let ways = ways
        .map(|((k, i), way)| (k, (i, way)))
        .reduce(|_, ways, out| {
            let v: Vec<(usize, RouteOut)> = ways.iter().map(|(w, _)| (*w).clone()).collect();
            out.push((v, 1));
        });
    let is_ecmp = |p: &Policy| matches!(p.action, PolicyAction::Reroute { ecmp: true, .. });
    let groups = ways
        .clone()
        .filter(move |((_, p), _)| is_ecmp(p))
        .map(|((rid, p), _)| (rid, p.uuid))
        .reduce(|_, policies, out| {
            for (n, (p, _)) in policies.iter().enumerate() {
                out.push(((**p, u16::try_from(n + 1).unwrap_or(u16::MAX)), 1));
            }
        })
        .map(|(rid, (p, group))| ((rid, p), group));
    let reroutes = ways
        .clone()
        .map(|((rid, p), ways)| ((rid, p.uuid), (p, ways)))
        .join_map(groups.clone(), |(rid, _), (p, ways), g| {
            (*rid, p.clone(), ways.clone(), *g)
        })
        .concat(
            ways.filter(move |((_, p), _)| !is_ecmp(p))
                .map(|((rid, p), ways)| (rid, p, ways, 0)),
        );
    // Policy chains: each router's, numbered from 1 in name order (as
    // route tables; ovn-northd numbers names once for all routers in its
    // hash maps' order). A router that names none matches its policies
    // as written.
    let chain_ids = numbered_per_router(
        on.clone()
            .flat_map(|(rid, p)| Some((rid, p.chain.clone()?))),
    );
    let chains = chain_ids
        .clone()
        .map(|((rid, name), id)| (rid, (name, id)))
        .reduce(|_, ids, out| {
            let ids: Vec<(String, u16)> = ids.iter().map(|(id, _)| (*id).clone()).collect();
            out.push((Arc::new(ids), 1));
        });
    out.diagnostics.push(
        on.clone()
            .flat_map(|(rid, p)| match &p.action {
                PolicyAction::Jump(target) => Some(((rid, target.clone()), p)),
                _ => None,
            })
            .antijoin(chain_ids.map(|(k, _)| k))
            .map(|((_, target), p)| {
                Diagnostic::new(
                    LogicalRouterPolicy::TABLE,
                    p.uuid,
                    "jump_chain",
                    format!("no policy of the router is in chain {target:?}: the jump is ignored"),
                )
            }),
    );
    let placed = on
        .filter(|(_, p)| !matches!(p.action, PolicyAction::Reroute { .. }))
        .map(|(rid, p)| (rid, (p, Vec::new(), 0)))
        .concat(reroutes.map(|(rid, p, ways, group)| (rid, (p, ways, group))));
    placed
        .clone()
        .join_map(chains.clone(), |rid, (p, ways, group), ids| {
            (*rid, (p.clone(), ways.clone(), *group), Some(ids.clone()))
        })
        .concat(
            placed
                .antijoin(chains.map(|(rid, _)| rid))
                .map(|(rid, policy)| (rid, policy, None)),
        )
        .flat_map(|(rid, (p, ways, group), ids)| {
            let id_of = |name: &str| {
                let ids = ids.as_ref()?;
                ids.iter().find(|(n, _)| n == name).map(|(_, id)| *id)
            };
            let place = ids.as_ref().map(|_| ChainPlace {
                chain: p.chain.as_deref().and_then(id_of).unwrap_or(0),
                jump: match &p.action {
                    PolicyAction::Jump(target) => id_of(target).unwrap_or(0),
                    _ => 0,
                },
            });
            let mut v = Vec::new();
            let unresolved =
                matches!(&p.action, PolicyAction::Jump(_)) && place.is_none_or(|c| c.jump == 0);
            if !unresolved {
                northflow_passes::router::policy_flows(&p, &ways, group, place.as_ref(), &mut v);
            }
            v.into_iter().map(move |f| (rid, f))
        })
}
