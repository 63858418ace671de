//! Logical routers: their flows, datapath and port bindings, and the
//! router-side flows that depend on the switches they are attached to.
//!
//! As for switches, a router's context holds its attributes, never its
//! port list: ports are an edge relation. A router port is known to the
//! switches by name ([`Peers`]), so a switch port of type `router` finds
//! its peer through one join, and a router port's change touches only its
//! own flows and its peer's.

use std::sync::Arc;

use differential_dataflow::operators::CountTotal;
use differential_dataflow::VecCollection;
use northflow_ir::intern::Text;
use northflow_ir::lflow::{Flow, LogicalFlow};
use northflow_ir::router::{RouterCtx, RouterPeer, RouterPort};
use northflow_ir::switch::SwitchPort;
use northflow_ir::Uuid;
use northflow_passes::{binding, router};

use crate::input::Collections;
use crate::output::Outputs;

type Coll<'s, D> = VecCollection<'s, u64, D, isize>;

/// Router ports as their switch-side peers see them, by name: (name,
/// (router, port)). A router port with a `peer` of its own (a router-to-
/// router link) is not offered to switches.
pub struct Peers<'s> {
    pub by_name: Coll<'s, (Text, (Uuid, Arc<RouterPeer>))>,
    /// (router, port) for every router port on an enabled router.
    ports_on: Coll<'s, (Uuid, Arc<RouterPort>)>,
}

/// The first half, before the switches: router ports on their routers.
pub fn peers<'s>(input: &Collections<'s>) -> Peers<'s> {
    let ports_on = input
        .logical_router
        .clone()
        .flat_map(|(rid, r)| r.ports.clone().into_iter().map(move |p| (p, rid)))
        .join_map(input.logical_router_port.clone(), |_p, rid, port| {
            (*rid, port.clone())
        });
    let by_name = ports_on.clone().filter(|(_, p)| p.peer.is_none()).join_map(
        input.logical_router.clone(),
        |rid, port, r| {
            (
                port.name.clone(),
                (
                    *rid,
                    Arc::new(RouterPeer {
                        name: port.name.clone(),
                        networks: port.networks.clone(),
                        enabled: port.enabled,
                        gateway_router: r.chassis.is_some(),
                        dynamic_neigh_routers: r.dynamic_neigh_routers,
                    }),
                ),
            )
        },
    );
    Peers { by_name, ports_on }
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
    let ctx = attrs
        .clone()
        .map(|(rid, r)| (rid, RouterCtx::new((*r).clone())));
    let router_flows = ctx.clone().flat_map(|(rid, c)| {
        let mut v = Vec::new();
        router::router_flows(&c, &mut v);
        v.into_iter().map(move |f| (rid, f))
    });
    let port_flows = peers
        .ports_on
        .clone()
        .join(ctx.map(|(rid, c)| (rid, c.port_ctx())))
        .flat_map(|(rid, (port, pctx))| {
            let mut v = Vec::new();
            router::port_flows(&port, &pctx, &mut v);
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

    out.flows.push(
        router_flows
            .concat(port_flows)
            .concat(vif_neighbors)
            .concat(router_neighbors)
            .map(|(rid, mut f): (Uuid, LogicalFlow)| {
                let hint = f.hint.take();
                (Flow::new(f), (rid, hint))
            }),
    );

    out.datapaths
        .push(attrs.clone().map(|(_, r)| binding::router_datapath(&r)));

    // Router port bindings, with the switch port that peers each one.
    let peer_lsp = peered.map(|(_, (lsp, peer, _))| (peer.name.clone(), lsp.name.clone()));
    let lsp_count = peer_lsp.clone().map(|(name, _)| name).count_total();
    let ports_by_name = peers.ports_on.join_map(attrs, |rid, port, r| {
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
}
