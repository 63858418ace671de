//! NAT rules of routers: each rule's flows, built once from the rule and
//! a narrow context (its router's kind, its gateway port), plus the
//! per-address flows (ARP/ND replies, loop prevention) built from the first
//! rule of each external address, the SNAT addresses that change what a
//! router port drops, and the switch side (ARP requests for NAT addresses
//! go to the router).

use std::net::IpAddr;
use std::sync::Arc;

use differential_dataflow::VecCollection;
use northflow_ir::diag::Diagnostic;
use northflow_ir::lflow::LogicalFlow;
use northflow_ir::nb::Nat as NbNat;
use northflow_ir::quote::json_string;
use northflow_ir::router::{
    GatewayMtu, LbForceSnat, Nat, NatCtx, NatGateway, NatKind, RouterCtx, RouterPort,
};
use northflow_ir::row::Table;
use northflow_ir::stage::Stage;
use northflow_ir::Uuid;
use northflow_passes::names::DROP;
use northflow_passes::registers::EXT_ARP;
use northflow_passes::{router, switch};

use super::router::{FromSwitches, Peers};
use crate::input::Collections;
use crate::output::Outputs;

type Coll<'s, D> = VecCollection<'s, u64, D, isize>;

/// A router port, or one of its addresses that is a SNAT address.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
enum PortItem {
    Port(Arc<RouterPort>),
    Snat(IpAddr),
}

/// Router flows of NAT rules (by router) and their switch-side flows (by
/// switch); and the routers with distributed NAT rules.
pub fn build<'s>(
    input: &Collections<'s>,
    peers: &Peers<'s>,
    ctx: &Coll<'s, (Uuid, RouterCtx)>,
    sw: &FromSwitches<'s>,
    out: &mut Outputs<'s>,
) -> (Coll<'s, (Uuid, LogicalFlow)>, Coll<'s, Uuid>) {
    let on = input
        .logical_router
        .clone()
        .flat_map(|(rid, r)| r.nats.clone().into_iter().map(move |n| (n, rid)))
        .join_map(input.nat.clone(), |_, rid, nat| (*rid, nat.clone()))
        .join_map(ctx.clone(), |rid, nat, c| (*rid, nat.clone(), c.clone()));

    // The gateway port each rule of a router with such ports applies on:
    // the one it names, the only one, or the one whose network holds its
    // external address; the first by UUID when several do.
    let needs_port = on.clone().filter(|(_, _, c)| c.l3dgw_ports > 0);
    let no_port = on
        .clone()
        .filter(|(_, n, c)| c.l3dgw_ports == 0 && n.gateway_port.is_none())
        .map(|(rid, n, c)| ((rid, n.uuid), (n, c, None)));
    let with_port = needs_port
        .map(|(rid, n, c)| (rid, (n, c)))
        .join_map(
            peers.ports_on.clone().filter(|(_, p)| p.is_gateway()),
            |rid, (n, c), p| (*rid, n.clone(), c.clone(), p.clone()),
        )
        .filter(|(_, n, c, p)| match n.gateway_port {
            Some(gp) => gp == p.uuid,
            None => c.l3dgw_ports == 1 || holds(p, n.external_ip),
        })
        .map(|(rid, n, c, p)| ((rid, n.uuid), (n, c, Some(p))))
        .reduce(|_, ports, out| {
            let first = ports
                .iter()
                .min_by_key(|((_, _, p), _)| p.as_ref().map(|p| p.uuid));
            if let Some((v, _)) = first {
                out.push(((*v).clone(), 1));
            }
        });
    let placed = no_port.concat(with_port);
    out.diagnostics.push(
        on.clone()
            .map(|(rid, n, _)| ((rid, n.uuid), n))
            .antijoin(placed.clone().map(|(k, _)| k))
            .map(|(_, n)| {
                Diagnostic::new(
                    NbNat::TABLE,
                    n.uuid,
                    "gateway_port",
                    format!(
                        "no distributed gateway port of the router for NAT {:?}: not applied",
                        n.external_ip_text
                    ),
                )
            }),
    );

    // Each rule with its context: router kind, gateway port, the names of
    // its allowed/exempted address sets.
    let set_names = input
        .address_set
        .clone()
        .map(|(uuid, set)| (uuid, set.name.clone()));
    let sets = placed
        .clone()
        .flat_map(|(k, (n, _, _))| {
            let allowed = n.allowed_ext_ips.map(|s| (s, (k, true)));
            let exempted = n.exempted_ext_ips.map(|s| (s, (k, false)));
            allowed.into_iter().chain(exempted)
        })
        .join_map(set_names, |_, (k, allowed), name| {
            (*k, NatItem::Set(*allowed, name.clone()))
        });
    let on_centralized = placed
        .clone()
        .flat_map(|(k, (_, _, p))| Some((p?.name.clone(), k)))
        .semijoin(sw.redirected_peers.clone())
        .map(|(_, k)| (k, NatItem::Centralized));
    let on_vlan = placed
        .clone()
        .flat_map(|(k, (_, _, p))| Some((p?.name.clone(), k)))
        .semijoin(sw.on_vlan_localnet.clone())
        .map(|(_, k)| (k, NatItem::VlanPeer));
    let described = placed
        .map(|(k, (n, c, p))| (k, NatItem::Rule(n, Box::new(c), p)))
        .concat(sets)
        .concat(on_centralized)
        .concat(on_vlan)
        .reduce(|_, items, out| {
            let mut rule = None;
            let mut sets = (None, None);
            let (mut centralized, mut vlan_peer) = (false, false);
            for (item, _) in items {
                match item {
                    NatItem::Centralized => centralized = true,
                    NatItem::VlanPeer => vlan_peer = true,
                    NatItem::Rule(n, c, p) => rule = Some((n, c, p)),
                    NatItem::Set(true, name) => sets.0 = Some(name.clone()),
                    NatItem::Set(false, name) => sets.1 = Some(name.clone()),
                }
            }
            if let Some((n, c, p)) = rule {
                let ctx = NatCtx {
                    gateway_router: c.router.chassis.is_some(),
                    gateway: p.as_ref().map(|p| NatGateway {
                        name: p.name.clone(),
                        mac: p.networks.mac,
                        mtu: GatewayMtu::of(p, vlan_peer),
                        centralized,
                    }),
                    copp: c.copp.clone(),
                    distributed: p.is_some() && n.wants_distributed(),
                    dnat_force_snat: !c.router.dnat_force_snat.is_empty(),
                    zone_tracking: c.features.ct_zones && !c.router.ct_commit_all,
                    allowed_ext_ips: sets.0,
                    exempted_ext_ips: sets.1,
                };
                out.push(((n.clone(), ctx), 1));
            }
        });

    let rules = described.map(|((rid, _), (n, c))| (rid, n, c));

    let rule_flows = rules.clone().flat_map(|(rid, n, c)| {
        let mut v = Vec::new();
        router::nat_flows(&n, &c, &mut v);
        v.into_iter().map(move |f| (rid, f))
    });

    // Per external address: the flows of its first rule (ovn-northd adds
    // the others' identical flows to the first).
    let leaders = rules
        .clone()
        .map(|(rid, n, c)| ((rid, n.external_ip), (n, c)))
        .reduce(|_, rules, out| {
            let first = rules
                .iter()
                .min_by_key(|((n, _), _)| (n.kind == NatKind::Snat, n.uuid));
            if let Some((v, _)) = first {
                out.push(((*v).clone(), 1));
            }
        });
    let address_flows = leaders
        .clone()
        .map(|((rid, _), (n, c))| (rid, (n, c)))
        .join_map(ctx.clone(), |rid, (n, c), rctx| {
            let mut v = Vec::new();
            router::nat_address_flows(n, c, &rctx.copp, &mut v);
            (*rid, v)
        })
        .flat_map(|(rid, v)| v.into_iter().map(move |f| (rid, f)));

    // Routers that commit every connection to both zones
    // (`ct-commit-all`): those that ask, with NAT (a gateway router or a
    // distributed gateway port) and something stateful: a rule that is not
    // stateless, or forced SNAT.
    let stateful = rules
        .clone()
        .filter(|(_, n, _)| !n.stateless)
        .map(|(rid, _, _)| rid)
        .concat(ctx.clone().flat_map(|(rid, c)| {
            let r = &c.router;
            let forced = !r.dnat_force_snat.is_empty()
                || match &r.lb_force_snat {
                    LbForceSnat::None => false,
                    LbForceSnat::RouterIp => true,
                    LbForceSnat::Addrs(a) => !a.is_empty(),
                };
            forced.then_some(rid)
        }))
        .distinct();
    let commit_all = ctx
        .clone()
        .filter(|(_, c)| {
            c.router.ct_commit_all && (c.router.chassis.is_some() || c.l3dgw_ports > 0)
        })
        .semijoin(stateful);
    let zones = commit_all.clone().filter(|(_, c)| c.features.ct_zones);
    let commit_all = commit_all.map(|(rid, _)| rid);
    let commit_all_flows = zones
        .clone()
        .filter(|(_, c)| c.router.chassis.is_some())
        .flat_map(|(rid, _)| {
            let mut v = Vec::new();
            router::commit_all_flows(None, &mut v);
            v.into_iter().map(move |f| (rid, f))
        })
        .concat(
            peers
                .ports_on
                .clone()
                .filter(|(_, p)| p.is_gateway())
                .semijoin(zones.map(|(rid, _)| rid))
                .flat_map(|(rid, p)| {
                    let mut v = Vec::new();
                    router::commit_all_flows(Some(&p.name), &mut v);
                    v.into_iter().map(move |f| (rid, f))
                }),
        );

    // A gateway router with NAT rules sends everything through its DNAT
    // zone on the way out (any rule counts, even one it cannot use).
    let with_nat = input
        .logical_router
        .clone()
        .filter(|(_, r)| r.chassis.is_some() && !r.nats.is_empty())
        .map(|(rid, _)| (rid, ()));
    let gateway_router_flows = with_nat
        .clone()
        .antijoin(commit_all.clone())
        .map(|(rid, ())| (rid, false))
        .concat(with_nat.semijoin(commit_all).map(|(rid, ())| (rid, true)))
        .flat_map(|(rid, commit_all)| {
            let mut v = Vec::new();
            router::gateway_router_flows(commit_all, &mut v);
            v.into_iter().map(move |f| (rid, f))
        });

    // What each router port drops of its own addresses depends on which
    // are SNAT addresses.
    let snat_ips = rules
        .clone()
        .filter(|(_, n, _)| n.kind == NatKind::Snat)
        .map(|(rid, n, _)| (rid, n.external_ip))
        .concat(ctx.clone().flat_map(|(rid, c)| {
            let r = &c.router;
            let mut v: Vec<IpAddr> = Vec::new();
            let lb = match &r.lb_force_snat {
                LbForceSnat::Addrs(a) => Some(a.clone()),
                _ => None,
            };
            for a in std::iter::once(r.dnat_force_snat.clone()).chain(lb) {
                v.extend(a.ipv4.map(IpAddr::V4));
                v.extend(a.ipv6.map(IpAddr::V6));
            }
            v.into_iter().map(move |ip| (rid, ip))
        }))
        .distinct();
    let port_ips = peers.ports_on.clone().flat_map(|(rid, p)| {
        let v4 = p.networks.ipv4.iter().map(|n| IpAddr::V4(n.addr));
        let v6 = p.networks.ipv6.iter().map(|n| IpAddr::V6(n.addr));
        let uuid = p.uuid;
        v4.chain(v6)
            .map(move |ip| ((rid, ip), uuid))
            .collect::<Vec<_>>()
    });
    let own_flows = port_ips
        .clone()
        .semijoin(snat_ips)
        .map(|((rid, ip), port)| ((rid, port), PortItem::Snat(ip)))
        .concat(
            peers
                .ports_on
                .clone()
                .map(|(rid, p)| ((rid, p.uuid), PortItem::Port(p))),
        )
        .reduce(|_, items, out| {
            let mut port = None;
            let mut snat = Vec::new();
            for (item, _) in items {
                match item {
                    PortItem::Port(p) => port = Some(p.clone()),
                    PortItem::Snat(ip) => snat.push(*ip),
                }
            }
            if let Some(p) = port {
                out.push(((p, snat), 1));
            }
        })
        .map(|((rid, _), v)| (rid, v))
        .join_map(ctx.clone(), |rid, (p, snat), c| {
            let mut v = Vec::new();
            let router_ip = c.router.lb_force_snat == LbForceSnat::RouterIp;
            router::own_destination_flows(p, snat, router_ip, &mut v);
            (*rid, v)
        })
        .flat_map(|(rid, v)| v.into_iter().map(move |f| (rid, f)));

    // `lb_force_snat_ip=router_ip`: per port that has a peer.
    let router_ip_flows = sw
        .peered
        .clone()
        .map(|(_, (_, peer, rid))| (rid, peer))
        .semijoin(
            ctx.clone()
                .filter(|(_, c)| c.router.lb_force_snat == LbForceSnat::RouterIp)
                .map(|(rid, _)| rid),
        )
        .flat_map(|(rid, peer)| {
            let mut v = Vec::new();
            router::router_ip_force_snat_flows(&peer.name, &peer.networks, &mut v);
            v.into_iter().map(move |f| (rid, f))
        });

    // The switch side: ARP/ND for a DNAT address, or a SNAT address that
    // is not one of the router's own, goes to the router port.
    let router_ips = port_ips.map(|(k, _)| k).distinct();
    let announced = rules
        .clone()
        .filter(|(_, n, _)| n.kind != NatKind::Snat)
        .map(|(rid, n, _)| (rid, (n.external_ip_text.clone(), n.is_v6())))
        .concat(
            leaders
                .filter(|(_, (n, _))| n.kind == NatKind::Snat)
                .map(|((rid, ip), (n, _))| ((rid, ip), n))
                .antijoin(router_ips)
                .map(|((rid, _), n)| (rid, (n.external_ip_text.clone(), n.is_v6()))),
        )
        .distinct();
    let enabled = sw
        .peered
        .clone()
        .filter(|(_, (_, peer, _))| peer.enabled)
        .map(|(sid, (lsp, peer, rid))| (peer.name.clone(), (sid, lsp, rid)));
    let switch_flows = enabled
        .clone()
        .antijoin(sw.redirected_peers.clone())
        .map(|(_, (sid, lsp, rid))| (sid, (lsp, rid, None)))
        .concat(
            enabled
                .semijoin(sw.redirected_peers.clone())
                .map(|(_, (sid, lsp, rid))| {
                    let cr = format!("cr-{}", lsp.name);
                    (sid, (lsp, rid, Some(cr)))
                }),
        )
        .join_map(sw.only_router_ports.clone(), |sid, (lsp, rid, cr), only| {
            (*rid, (*sid, lsp.clone(), cr.clone(), *only))
        })
        .join_map(announced, |_, (sid, lsp, cr, only), (ip, v6)| {
            let mut v = Vec::new();
            switch::router_target_flows(lsp, cr.as_deref(), *only, ip, *v6, &mut v);
            (*sid, v)
        })
        .flat_map(|(sid, v)| v.into_iter().map(move |f| (sid, f)));

    // The router's own broadcasts (from its port's MAC or a NAT rule's)
    // flood the switches it is on.
    let nat_macs = rules
        .clone()
        .flat_map(|(rid, n, _)| match (&n.external_mac, n.kind) {
            (Some((_, text)), NatKind::Dnat | NatKind::DnatAndSnat) => Some((rid, text.clone())),
            _ => None,
        })
        .distinct()
        .map(|(rid, mac)| (rid, Some(mac)))
        .concat(ctx.clone().map(|(rid, _)| (rid, None)))
        .reduce(|_, macs, out| {
            let macs: Vec<String> = macs.iter().filter_map(|(m, _)| (*m).clone()).collect();
            out.push((macs, 1));
        });
    let self_originated = sw
        .peered
        .clone()
        .filter(|(_, (_, peer, _))| peer.enabled)
        .join_map(sw.only_router_ports.clone(), |sid, (_, peer, rid), only| {
            (*rid, (*sid, peer.networks.mac, *only))
        })
        .filter(|(_, (_, _, only))| !only)
        .join_map(nat_macs, |_, (sid, mac, _), macs| {
            (*sid, switch::self_originated_flow(*mac, macs))
        });

    // Distributed rules: their external MAC is delivered to the router
    // port where their logical port lives; physical-network ARP for their
    // address is answered there.
    let distributed = rules
        .clone()
        .filter(|(_, n, _)| n.wants_distributed())
        .map(|(rid, n, c)| (rid, (n, c)));
    let distributed_macs = sw
        .peered
        .clone()
        .filter(|(_, (_, peer, _))| peer.redirect.is_some())
        .map(|(sid, (lsp, _, rid))| (rid, (sid, lsp)))
        .join_map(distributed.clone(), |_, (sid, lsp), (n, _)| {
            (
                *sid,
                distributed_mac_flow(&lsp.name, lsp.uuid, lsp.enabled, n),
            )
        })
        .flat_map(|(sid, f)| f.map(|f| (sid, f)));
    let distributed_arp = sw
        .peered
        .clone()
        .map(|(sid, (_, _, rid))| (sid, rid))
        .semijoin(sw.ext_arp_switches.clone())
        .distinct()
        .map(|(sid, rid)| (rid, sid))
        .join_map(
            distributed
                .clone()
                .filter(|(_, (n, c))| c.distributed && !n.is_v6()),
            |_, sid, (n, _)| (*sid, distributed_ext_arp_flow(n)),
        )
        .distinct();
    let distributed_routers = distributed.clone().map(|(rid, _)| rid).distinct();
    // A distributed rule's logical port that no switch has: the rule's
    // flows stay (as ovn-northd writes them) but never apply.
    out.diagnostics.push(
        distributed
            .flat_map(|(_, (n, _))| Some((n.logical_port.clone()?, n)))
            .antijoin(
                input
                    .logical_switch_port
                    .clone()
                    .map(|(_, p)| northflow_ir::intern::Text::from(p.name.as_str()))
                    .distinct(),
            )
            .map(|(lp, n)| {
                Diagnostic::new(
                    NbNat::TABLE,
                    n.uuid,
                    "logical_port",
                    format!(
                        "logical_port {lp:?} is no logical switch port: the rule never applies"
                    ),
                )
            }),
    );

    let flows = rule_flows
        .concat(address_flows)
        .concat(gateway_router_flows)
        .concat(commit_all_flows)
        .concat(own_flows)
        .concat(router_ip_flows)
        .concat(switch_flows)
        .concat(self_originated)
        .concat(distributed_macs)
        .concat(distributed_arp);
    (flows, distributed_routers)
}

/// `ls_in_l2_lkup`: a distributed rule's external MAC, to the router port
/// where its logical port lives.
fn distributed_mac_flow(lsp: &str, lsp_uuid: Uuid, enabled: bool, n: &Nat) -> Option<LogicalFlow> {
    let ((mac, _), lp) = (n.external_mac.as_ref()?, n.logical_port.as_ref()?);
    let action = match enabled {
        true => format!("outport = {}; output;", json_string(lsp)),
        false => DROP.to_owned(),
    };
    let flow = LogicalFlow::new(
        Stage::LsInL2Lkup,
        50,
        format!("eth.dst == {mac} && is_chassis_resident(\"{lp}\")"),
        action,
    );
    Some(flow.with_hint(lsp_uuid))
}

/// `ls_in_apply_port_sec`: physical-network ARP for a distributed rule's
/// address goes on where its logical port lives.
fn distributed_ext_arp_flow(n: &Nat) -> LogicalFlow {
    let lp = n.logical_port.as_deref().unwrap_or_default();
    LogicalFlow::new(
        Stage::LsInApplyPortSec,
        85,
        format!(
            "{EXT_ARP} == 1 && arp.tpa == {} && is_chassis_resident(\"{lp}\")",
            n.external_ip
        ),
        "next;",
    )
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
enum NatItem {
    Rule(Arc<Nat>, Box<RouterCtx>, Option<Arc<RouterPort>>),
    /// An address set's name (`true`: allowed, `false`: exempted).
    Set(bool, String),
    /// The rule's gateway port is centralized (`NatGateway::centralized`).
    Centralized,
    /// The rule's gateway port's switch peer has a VLAN-tagged localnet
    /// port.
    VlanPeer,
}
/// Whether one of the port's networks holds `ip`.
fn holds(p: &RouterPort, ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => p.networks.ipv4.iter().any(|n| n.contains(a)),
        IpAddr::V6(a) => p.networks.ipv6.iter().any(|n| n.contains(a)),
    }
}
