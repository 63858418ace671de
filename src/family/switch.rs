//! Logical switches: their flows, datapath and port bindings, multicast
//! groups, DNS rows, and the cross-row checks of their `ports` column.
//!
//! Every join is keyed by a Northbound UUID. A switch's context holds its
//! attributes, never its member lists: memberships (`ports`, `qos_rules`,
//! `dns_records`) are edge relations, and each per-switch fact that ports
//! contribute is folded once (`reduce`) and joined back narrowly, so a port
//! change touches that port's flows and, only if it changes a switch-wide
//! fact, the switch-wide flows.

use std::sync::Arc;

use northflow_ir::diag::Diagnostic;
use northflow_ir::intern::Text;
use northflow_ir::lflow::Flow;
use northflow_ir::nb::LogicalSwitch;
use northflow_ir::row::Table;
use northflow_ir::switch::{PortType, Switch, SwitchPort};
use northflow_ir::Uuid;
use northflow_passes::summary::{self, PortSummary};
use northflow_passes::{binding, switch};

use differential_dataflow::operators::CountTotal;

use super::router::{FromSwitches, Peers};
use crate::input::Collections;
use crate::output::Outputs;

/// A switch and what its ports contribute, folded per switch.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
enum SwitchItem {
    Switch(Arc<Switch>),
    Port(PortSummary),
    /// One of the switch's DNS rows has records.
    DnsRecords,
}

/// What is known of one port UUID: a switch lists it, or its row.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
enum Listed {
    By(Uuid),
    Row(Arc<SwitchPort>),
}

/// A port placed on the switch that keeps it, or a diagnostic about it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
enum Placed {
    On(Uuid, Arc<SwitchPort>),
    Check(Diagnostic),
}

pub fn build<'s>(
    input: &Collections<'s>,
    peers: &Peers<'s>,
    out: &mut Outputs<'s>,
) -> FromSwitches<'s> {
    let switches = input.logical_switch.clone();
    let ports = input.logical_switch_port.clone();

    // Memberships: (member, switch) edges.
    let port_edges = switches
        .clone()
        .flat_map(|(sid, sw)| sw.ports.clone().into_iter().map(move |pid| (pid, sid)));

    // DNS rows with the switches that list them.
    let dns_on = switches
        .clone()
        .flat_map(|(sid, sw)| sw.dns_records.clone().into_iter().map(move |d| (d, sid)))
        .join_map(input.dns.clone(), |_d, sid, rows| (*sid, rows.clone()));

    // Each port row with the switches that list it, folded per port: the
    // port goes on one switch, as in ovn-northd (which warns "duplicate
    // logical port"): the smallest UUID; the other listings, and listings
    // of a port that does not exist, are diagnostics.
    let listed = port_edges
        .map(|(pid, sid)| (pid, Listed::By(sid)))
        .concat(ports.map(|(pid, port)| (pid, Listed::Row(port))))
        .reduce(|pid, items, out| {
            let port = items.iter().find_map(|(i, _)| match i {
                Listed::Row(p) => Some(p),
                Listed::By(_) => None,
            });
            let mut sids = items.iter().filter_map(|(i, _)| match i {
                Listed::By(sid) => Some(*sid),
                Listed::Row(_) => None,
            });
            let Some(owner) = sids.next() else {
                return;
            };
            let sids: Vec<Uuid> = sids.collect();
            if let Some(port) = port {
                out.push((Placed::On(owner, port.clone()), 1));
            } else {
                for sid in std::iter::once(owner).chain(sids.iter().copied()) {
                    let message =
                        format!("references Logical_Switch_Port {pid}, which does not exist");
                    out.push((Placed::Check(ports_diagnostic(sid, message)), 1));
                }
            }
            for sid in sids {
                let message = format!(
                    "duplicate logical port {pid}: also listed by Logical_Switch {owner}, which keeps it"
                );
                out.push((Placed::Check(ports_diagnostic(sid, message)), 1));
            }
        });
    let ports_on = listed.clone().flat_map(|(_, p)| match p {
        Placed::On(sid, port) => Some((sid, port)),
        Placed::Check(_) => None,
    });
    out.diagnostics.push(listed.flat_map(|(_, p)| match p {
        Placed::Check(d) => Some(d),
        Placed::On(..) => None,
    }));

    // The switches' attributes without their member lists: a member added
    // or removed cancels out here (same value retracted and inserted), so
    // switch-wide flows and bindings do not recompute.
    let switch_attrs = switches
        .clone()
        .map(|(sid, sw)| (sid, Arc::new(sw.attributes())));
    let ctx =
        switch_attrs
            .clone()
            .map(|(sid, sw)| (sid, SwitchItem::Switch(sw)))
            .concat(
                ports_on.clone().flat_map(|(sid, port)| {
                    PortSummary::of(&port).map(|s| (sid, SwitchItem::Port(s)))
                }),
            )
            .concat(dns_on.clone().flat_map(|(sid, d)| {
                (!d.records.is_empty()).then_some((sid, SwitchItem::DnsRecords))
            }))
            .reduce(|_sid, items, out| {
                let sw = items.iter().find_map(|(i, _)| match i {
                    SwitchItem::Switch(sw) => Some(sw),
                    _ => None,
                });
                if let Some(sw) = sw {
                    let ports = items.iter().filter_map(|(i, _)| match i {
                        SwitchItem::Port(p) => Some(p),
                        _ => None,
                    });
                    let dns = items
                        .iter()
                        .any(|(i, _)| matches!(i, SwitchItem::DnsRecords));
                    out.push((summary::switch_ctx(sw, ports, dns), 1));
                }
            });
    let port_ctx = ctx.clone().map(|(sid, c)| (sid, c.port_ctx()));

    let switch_flows = ctx.flat_map(|(sid, c)| {
        let mut v = Vec::new();
        switch::switch_flows(&c, &mut v);
        v.into_iter().map(move |f| (sid, f))
    });
    // Each port with its switch's narrow context: its flows and its binding.
    let ports_ctx = ports_on.clone().join(port_ctx);
    // `router` ports meet their router port by name; the ones that find it
    // have flows of their own.
    let router_lsps = ports_ctx
        .clone()
        .filter(|(_, (port, _))| port.is_router())
        .map(|(sid, (port, pctx))| (port.name.clone(), (sid, port, pctx)));
    let peered = router_lsps
        .clone()
        .flat_map(|(name, (sid, port, pctx))| {
            let router_port = Text::from(port.option("router-port")?);
            Some((router_port, (name, sid, port, pctx)))
        })
        .join_map(
            peers.by_name.clone(),
            |_, (name, sid, port, pctx), (rid, peer)| {
                (
                    name.clone(),
                    (*sid, port.clone(), pctx.clone(), peer.clone(), *rid),
                )
            },
        );
    // Whether every port a switch lists is a peered router port (a join
    // switch): counted, so that a port change reaches no switch-wide flow.
    let only_router_ports = peered
        .clone()
        .map(|(_, (sid, ..))| sid)
        .count_total()
        .join_map(
            switches.clone().map(|(sid, sw)| (sid, sw.ports.len())),
            |sid, peered, listed| (*sid, usize::try_from(*peered).ok() == Some(*listed)),
        );
    let unpeered = router_lsps
        .antijoin(peered.clone().map(|(name, _)| name))
        .map(|(_, (sid, port, pctx))| (sid, (port, pctx)));
    let port_flows = ports_ctx
        .clone()
        .filter(|(_, (port, _))| !port.is_router())
        .concat(unpeered.clone())
        .flat_map(|(sid, (port, pctx))| {
            let mut v = Vec::new();
            switch::port_flows(&port, &pctx, &mut v);
            v.into_iter().map(move |f| (sid, f))
        })
        .concat(
            peered
                .clone()
                .map(|(_, (sid, port, pctx, peer, _))| (sid, (port, pctx, peer)))
                .join(only_router_ports.clone())
                .flat_map(|(sid, ((port, pctx, peer), only_routers))| {
                    let mut v = Vec::new();
                    switch::router_port_flows(&port, &pctx, &peer, only_routers, &mut v);
                    v.into_iter().map(move |f| (sid, f))
                }),
        );

    // ARP requests from the physical network (localnet, l2gateway ports)
    // are answered only where a gateway router's port or a gateway port's
    // chassis-redirect port is resident.
    let phys = ports_on
        .clone()
        .filter(|(_, p)| matches!(p.kind, PortType::Localnet | PortType::L2gateway))
        .map(|(sid, p)| (sid, p.name.clone()));
    let resident = peered
        .clone()
        .flat_map(|(_, (sid, _, _, peer, _))| {
            let port = peer
                .redirect
                .clone()
                .or(peer.chassis.as_ref().map(|_| peer.name.clone()));
            Some((sid, port?))
        })
        .distinct();
    let with_phys = phys.clone().map(|(sid, _)| sid).distinct();
    let with_resident = resident.clone().map(|(sid, _)| sid).distinct();
    let ext_arp_switches = with_resident
        .clone()
        .map(|sid| (sid, ()))
        .semijoin(with_phys.clone())
        .map(|(sid, ())| sid);
    let ext_arp_flows = phys
        .semijoin(with_resident.clone())
        .map(|(sid, name)| (sid, switch::ext_arp_phys_flow(&name)))
        .concat(
            resident
                .semijoin(with_phys.clone())
                .map(|(sid, name)| (sid, switch::ext_arp_resident_flow(&name))),
        )
        .concat(
            with_resident
                .map(|sid| (sid, ()))
                .semijoin(with_phys)
                .map(|(sid, ())| (sid, switch::ext_arp_drop_flow())),
        );

    let dhcp_flows = ports_on
        .clone()
        .flat_map(|(sid, port)| {
            let v4 = port.dhcpv4_options.map(|d| (d, (sid, false, port.clone())));
            let v6 = port.dhcpv6_options.map(|d| (d, (sid, true, port)));
            v4.into_iter().chain(v6)
        })
        .join_map(input.dhcp_options.clone(), |_d, (sid, v6, port), opts| {
            (*sid, (*v6, port.clone(), opts.clone()))
        })
        .flat_map(|(sid, (v6, port, opts))| {
            let mut v = Vec::new();
            if v6 {
                switch::dhcpv6_flows(&port, &opts, &mut v);
            } else {
                switch::dhcpv4_flows(&port, &opts, &mut v);
            }
            v.into_iter().map(move |f| (sid, f))
        });

    // QoS rules: each rule's flows built once, placed on every switch that
    // lists it.
    let qos_flows = input
        .qos
        .clone()
        .flat_map(|(q, rule)| {
            let mut v = Vec::new();
            switch::qos_rule_flows(&rule, &mut v);
            v.into_iter().map(move |f| (q, f))
        })
        .join_map(
            switches
                .clone()
                .flat_map(|(sid, sw)| sw.qos_rules.clone().into_iter().map(move |q| (q, sid))),
            |_q, f, sid| (*sid, f.clone()),
        );

    out.flows.push(
        switch_flows
            .concat(port_flows)
            .concat(qos_flows)
            .concat(dhcp_flows)
            .concat(ext_arp_flows)
            .map(|(sid, mut f)| {
                let hint = f.hint.take();
                (Flow::new(f), (sid, hint))
            }),
    );

    out.datapaths.push(
        switch_attrs
            .clone()
            .map(|(_, sw)| binding::switch_datapath(&sw)),
    );
    out.ip_multicast.push(
        switch_attrs
            .clone()
            .map(|(_, sw)| binding::ip_multicast(&sw)),
    );

    // Switch-to-switch links: both ends name each other.
    let links = ports_on
        .clone()
        .flat_map(|(_, port)| binding::switch_link(&port));
    let linked = links
        .clone()
        .join_map(links.map(|(a, b)| (b, a)), |a, b, back| {
            (a.clone(), b == back)
        })
        .filter(|(_, mutual)| *mutual)
        .map(|(a, _)| (a, ()));
    // Only `switch` ports go through the link join.
    let switch_ports = ports_ctx
        .clone()
        .filter(|(_, (port, _))| port.is_switch())
        .map(|(sid, port_ctx)| (port_ctx.0.name.to_string(), (sid, port_ctx)));
    out.ports.push(
        ports_ctx
            .filter(|(_, (port, _))| !port.is_switch() && !port.is_router())
            .concat(unpeered.clone())
            .map(|(sid, port_ctx)| (sid, port_ctx, false))
            .concat(
                switch_ports
                    .clone()
                    .join_map(linked.clone(), |_, (sid, port_ctx), ()| {
                        (*sid, port_ctx.clone(), true)
                    }),
            )
            .concat(
                switch_ports
                    .antijoin(linked.map(|(a, ())| a))
                    .map(|(_, (sid, port_ctx))| (sid, port_ctx, false)),
            )
            .map(|(sid, (port, pctx), linked)| {
                Arc::new(binding::switch_port(&port, sid, &pctx, linked))
            }),
    );
    out.ports
        .push(peered.clone().map(|(_, (sid, port, pctx, peer, _))| {
            Arc::new(binding::router_switch_port(&port, sid, &pctx, &peer))
        }));

    // A `router` port with a chassis-redirect port of its own is flooded to
    // through it.
    let redirecting = peered
        .clone()
        .filter(|(_, (_, _, pctx, peer, _))| peer.redirects_switch_port(pctx.has_localnet));
    let redirected = redirecting.clone().map(|(name, _)| name);
    let redirected_peers = redirecting.map(|(_, (_, _, _, peer, _))| peer.name.clone());
    let by_name = ports_on
        .clone()
        .map(|(sid, port)| (port.name.clone(), (sid, port)));
    let members = by_name
        .clone()
        .antijoin(redirected.clone())
        .map(|(name, (sid, port))| (sid, port, name))
        .concat(
            by_name
                .semijoin(redirected)
                .map(|(name, (sid, port))| (sid, port, Text::from(format!("cr-{name}").as_str()))),
        );
    out.multicast_groups.push(
        members
            .flat_map(|(sid, port, member)| {
                binding::multicast_memberships(&port)
                    .into_iter()
                    .map(move |(name, key)| ((sid, Text::from(name), key), member.clone()))
            })
            .reduce(|_k, ports, out| {
                out.push((
                    ports
                        .iter()
                        .map(|(p, _)| (*p).clone())
                        .collect::<Vec<Text>>(),
                    1,
                ));
            })
            .map(
                |((datapath, name, tunnel_key), ports)| northflow_ir::binding::MulticastGroup {
                    datapath,
                    name: name.to_string(),
                    tunnel_key,
                    ports,
                },
            ),
    );

    // One SB DNS row per Northbound DNS row in use, on its switches.
    out.dns.push(
        dns_on
            .map(|(sid, d)| (d, sid))
            .reduce(|_d, sids, out| {
                out.push((sids.iter().map(|(s, _)| **s).collect::<Vec<Uuid>>(), 1));
            })
            .map(|(d, datapaths)| northflow_ir::binding::Dns {
                nb_uuid: d.uuid,
                records: d.records.clone(),
                ovn_owned: d.ovn_owned,
                datapaths,
            }),
    );

    let on_localnet = peered
        .clone()
        .filter(|(_, (_, _, pctx, _, _))| pctx.has_localnet)
        .map(|(_, (_, _, _, peer, _))| peer.name.clone())
        .distinct();
    let on_vlan_localnet = peered
        .clone()
        .filter(|(_, (_, _, pctx, _, _))| pctx.has_vlan_localnet)
        .map(|(_, (_, _, _, peer, _))| peer.name.clone())
        .distinct();
    let proxy_macs = peered.clone().flat_map(|(_, (_, port, _, peer, _))| {
        let mac = port.arp_proxy.as_ref()?.mac;
        (!mac.is_zero()).then(|| (peer.name.clone(), mac))
    });
    FromSwitches {
        ports_on,
        peered: peered.map(|(_, (sid, port, _, peer, rid))| (sid, (port, peer, rid))),
        only_router_ports,
        on_localnet,
        on_vlan_localnet,
        redirected_peers,
        proxy_macs,
        ext_arp_switches,
    }
}

fn ports_diagnostic(switch: Uuid, message: String) -> Diagnostic {
    Diagnostic::new(LogicalSwitch::TABLE, switch, "ports", message)
}
