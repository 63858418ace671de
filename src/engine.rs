//! The incremental core: a differential-dataflow graph from IR entities to
//! Southbound content, run on its own thread (timely workers are `!Send`).
//!
//! Every join is keyed by a Northbound datapath UUID; per-switch facts are
//! folded once (`reduce`) and joined back narrowly, so a port change touches
//! that port's flows and, only if it changes the switch summary, the
//! switch-wide flows.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::mpsc;
use std::sync::Arc;
use std::thread;

use differential_dataflow::input::InputSession;
use differential_dataflow::VecCollection;
use northflow_ir::binding::{DatapathBinding, Dns, IpMulticast, MulticastGroup, PortBinding};
use northflow_ir::lflow::LogicalFlow;
use northflow_ir::switch::{ChassisFeatures, DhcpOptions, DnsRecords, QosRule, Switch, SwitchPort};
use northflow_ir::Uuid;
use northflow_passes::summary::{self, PortSummary};
use northflow_passes::{binding, switch};

/// A change to one IR entity: the old value is retracted, the new inserted.
#[derive(Clone, Debug)]
pub enum IrChange {
    Switch {
        old: Option<Arc<Switch>>,
        new: Option<Arc<Switch>>,
    },
    Port {
        old: Option<Arc<SwitchPort>>,
        new: Option<Arc<SwitchPort>>,
    },
    Qos {
        old: Option<Arc<QosRule>>,
        new: Option<Arc<QosRule>>,
    },
    Dns {
        old: Option<Arc<DnsRecords>>,
        new: Option<Arc<DnsRecords>>,
    },
    Dhcp {
        old: Option<Arc<DhcpOptions>>,
        new: Option<Arc<DhcpOptions>>,
    },
    /// What the chassis support changed (a chassis came, went or upgraded).
    Features {
        old: ChassisFeatures,
        new: ChassisFeatures,
    },
}

/// A flow placed on one datapath (Northbound UUID), with the Northbound row
/// it came from. Grouping the datapaths of identical flows is the image's
/// job, outside the dataflow, so that a datapath joining or leaving changes
/// only its own pairs.
pub type FlowPair = (Arc<LogicalFlow>, (Uuid, Option<Uuid>));

/// The consolidated output changes of one step: `+1` inserted, `-1` removed.
#[derive(Clone, Debug, Default)]
pub struct OutputDelta {
    pub flows: Vec<(FlowPair, isize)>,
    pub datapaths: Vec<(DatapathBinding, isize)>,
    pub ports: Vec<(PortBinding, isize)>,
    pub multicast_groups: Vec<(MulticastGroup, isize)>,
    pub ip_multicast: Vec<(IpMulticast, isize)>,
    pub dns: Vec<(Dns, isize)>,
}

impl OutputDelta {
    pub fn is_empty(&self) -> bool {
        self.flows.is_empty()
            && self.datapaths.is_empty()
            && self.ports.is_empty()
            && self.multicast_groups.is_empty()
            && self.ip_multicast.is_empty()
            && self.dns.is_empty()
    }
}

/// Handle to the dataflow thread.
pub struct Engine {
    requests: Option<mpsc::Sender<Vec<IrChange>>>,
    replies: mpsc::Receiver<OutputDelta>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Engine {
    pub fn new() -> Engine {
        let (req_tx, req_rx) = mpsc::channel::<Vec<IrChange>>();
        let (rep_tx, rep_rx) = mpsc::channel();
        let thread = thread::Builder::new()
            .name("northflow-engine".into())
            .spawn(move || {
                // `execute_directly` wants a `Sync` closure; the lock is only
                // ever taken by this thread.
                let channels = std::sync::Mutex::new((req_rx, rep_tx));
                timely::execute_directly(move |worker| {
                    let (req_rx, rep_tx) = &*channels.lock().unwrap_or_else(|e| e.into_inner());
                    run(worker, req_rx, rep_tx)
                });
            })
            .expect("spawning the engine thread");
        Engine {
            requests: Some(req_tx),
            replies: rep_rx,
            thread: Some(thread),
        }
    }

    /// Applies one batch of changes as one dataflow step and returns the
    /// consolidated output changes.
    pub fn step(&self, changes: Vec<IrChange>) -> OutputDelta {
        let sent = self
            .requests
            .as_ref()
            .map(|tx| tx.send(changes).is_ok())
            .unwrap_or(false);
        assert!(sent, "the engine thread has stopped");
        self.replies.recv().expect("the engine thread has stopped")
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        // Closing the request channel ends the worker loop.
        self.requests.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

type Buffer<D> = Rc<RefCell<Vec<(D, isize)>>>;

fn capture<'s, D: differential_dataflow::Data>(
    c: VecCollection<'s, u64, D, isize>,
    probe: &timely::dataflow::operators::probe::Handle<u64>,
) -> Buffer<D> {
    let buf: Buffer<D> = Rc::default();
    let b = buf.clone();
    c.inspect(move |(d, _t, r)| b.borrow_mut().push((d.clone(), *r)))
        .probe_with(probe);
    buf
}

fn drain<D: Ord>(buf: &Buffer<D>) -> Vec<(D, isize)> {
    let mut v = std::mem::take(&mut *buf.borrow_mut());
    differential_dataflow::consolidation::consolidate(&mut v);
    v
}

/// A switch and what its ports contribute, folded per switch.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
enum SwitchItem {
    Switch(Arc<Switch>),
    Port(PortSummary),
    /// One of the switch's DNS rows has records.
    DnsRecords,
}

fn run(
    worker: &mut timely::worker::Worker,
    requests: &mpsc::Receiver<Vec<IrChange>>,
    replies: &mpsc::Sender<OutputDelta>,
) {
    let mut switches_in: InputSession<u64, (Uuid, Arc<Switch>), isize> = InputSession::new();
    let mut ports_in: InputSession<u64, (Uuid, Arc<SwitchPort>), isize> = InputSession::new();
    let mut qos_in: InputSession<u64, (Uuid, Arc<QosRule>), isize> = InputSession::new();
    let mut dns_in: InputSession<u64, (Uuid, Arc<DnsRecords>), isize> = InputSession::new();
    let mut dhcp_in: InputSession<u64, (Uuid, Arc<DhcpOptions>), isize> = InputSession::new();
    let mut features_in: InputSession<u64, ((), ChassisFeatures), isize> = InputSession::new();
    features_in.insert(((), ChassisFeatures::default()));
    let probe = timely::dataflow::operators::probe::Handle::new();

    let (flows, datapaths, ports, mcast, ip_mcast, dns_rows) =
        worker.dataflow::<u64, _, _>(|scope| {
            let switches = switches_in.to_collection(scope);
            let ports = ports_in.to_collection(scope);
            let features = features_in.to_collection(scope);
            let qos = qos_in.to_collection(scope);
            let dns = dns_in.to_collection(scope);
            let dhcp = dhcp_in.to_collection(scope);

            // DNS rows with the switches that list them.
            let dns_on = switches
                .clone()
                .flat_map(|(sid, sw)| sw.dns_records.clone().into_iter().map(move |d| (d, sid)))
                .join_map(dns, |_d, sid, rows| (*sid, rows.clone()));

            // Ports with the switch that lists them. A port listed by several
            // switches goes on one of them, as in ovn-northd (which warns
            // "duplicate logical port"; ingest diagnoses it): the smallest UUID.
            let ports_on = switches
                .clone()
                .flat_map(|(sid, sw)| sw.ports.clone().into_iter().map(move |pid| (pid, sid)))
                .reduce(|_pid, sids, out| out.push((*sids[0].0, 1)))
                .join_map(ports, |_pid, sid, port| (*sid, port.clone()));

            // Switch context: the switch row folded with its ports' summaries.
            // The switches' attributes without their member lists: a member
            // added or removed cancels out here (same value retracted and
            // inserted), so switch-wide flows and bindings do not recompute.
            let switch_attrs = switches
                .clone()
                .map(|(sid, sw)| (sid, Arc::new(sw.attributes())));
            let items = switch_attrs
                .clone()
                .map(|(sid, sw)| (sid, SwitchItem::Switch(sw)))
                .concat(ports_on.clone().flat_map(|(sid, port)| {
                    PortSummary::of(&port).map(|s| (sid, SwitchItem::Port(s)))
                }))
                .concat(dns_on.clone().flat_map(|(sid, d)| {
                    (!d.records.is_empty()).then_some((sid, SwitchItem::DnsRecords))
                }));
            let ctx = items
                .reduce(|_sid, items, out| {
                    let sw = items.iter().find_map(|(i, _)| match i {
                        SwitchItem::Switch(sw) => Some(sw),
                        _ => None,
                    });
                    if let Some(sw) = sw {
                        let ports: Vec<PortSummary> = items
                            .iter()
                            .filter_map(|(i, _)| match i {
                                SwitchItem::Port(p) => Some(p.clone()),
                                _ => None,
                            })
                            .collect();
                        let dns = items
                            .iter()
                            .any(|(i, _)| matches!(i, SwitchItem::DnsRecords));
                        out.push(((sw.clone(), ports, dns), 1));
                    }
                })
                // The chassis features are one global record: a cross join.
                .map(|(sid, folded)| ((), (sid, folded)))
                .join_map(features, |_, (sid, (sw, ports, dns)), f| {
                    (*sid, summary::switch_ctx(sw, ports, *dns, *f))
                });
            let port_ctx = ctx.clone().map(|(sid, c)| (sid, c.port_ctx()));

            let switch_flows = ctx.flat_map(|(sid, c)| {
                let mut v = Vec::new();
                switch::switch_flows(&c, &mut v);
                v.into_iter().map(move |f| (sid, f))
            });
            let port_flows =
                ports_on
                    .clone()
                    .join(port_ctx.clone())
                    .flat_map(|(sid, (port, pctx))| {
                        let mut v = Vec::new();
                        switch::port_flows(&port, &pctx, &mut v);
                        v.into_iter().map(move |f| (sid, f))
                    });

            // DHCP replies for ports with DHCP options (`true`: DHCPv6).
            let dhcp_flows = ports_on
                .clone()
                .flat_map(|(sid, port)| {
                    let v4 = port.dhcpv4_options.map(|d| (d, (sid, false, port.clone())));
                    let v6 = port.dhcpv6_options.map(|d| (d, (sid, true, port)));
                    v4.into_iter().chain(v6)
                })
                .join_map(dhcp, |_d, (sid, v6, port), opts| {
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

            // QoS rules, on every switch that lists them.
            let qos_flows = switches
                .clone()
                .flat_map(|(sid, sw)| sw.qos_rules.clone().into_iter().map(move |q| (q, sid)))
                .join_map(qos, |_q, sid, rule| (*sid, rule.clone()))
                .flat_map(|(sid, rule)| {
                    let mut v = Vec::new();
                    switch::qos_rule_flows(&rule, &mut v);
                    v.into_iter().map(move |f| (sid, f))
                });

            // (flow, datapath) pairs; the image groups them.
            let flows = switch_flows
                .concat(port_flows)
                .concat(qos_flows)
                .concat(dhcp_flows)
                .map(|(sid, mut f)| {
                    let hint = f.hint.take();
                    // Shared by the capture and the image.
                    (Arc::new(f), (sid, hint))
                });

            let datapaths = switch_attrs
                .clone()
                .map(|(_, sw)| binding::switch_datapath(&sw));
            let ip_mcast = switch_attrs
                .clone()
                .map(|(_, sw)| binding::ip_multicast(&sw));
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
            let switch_ports = ports_on
                .clone()
                .filter(|(_, port)| port.is_switch())
                .map(|(sid, port)| (port.name.clone(), (sid, port)));
            let port_bindings = ports_on
                .clone()
                .filter(|(_, port)| !port.is_switch())
                .map(|(sid, port)| (sid, (port, false)))
                .concat(
                    switch_ports
                        .clone()
                        .join_map(linked.clone(), |_, (sid, port), ()| {
                            (*sid, (port.clone(), true))
                        }),
                )
                .concat(
                    switch_ports
                        .antijoin(linked.map(|(a, ())| a))
                        .map(|(_, (sid, port))| (sid, (port, false))),
                )
                .join_map(switch_attrs, |_sid, (port, linked), sw| {
                    binding::switch_port(port, sw, *linked)
                });
            let mcast = ports_on
                .flat_map(|(sid, port)| {
                    binding::multicast_memberships(&port)
                        .into_iter()
                        .map(move |(name, key)| ((sid, name.to_owned(), key), port.name.clone()))
                })
                .reduce(|_k, ports, out| {
                    out.push((
                        ports
                            .iter()
                            .map(|(p, _)| (*p).clone())
                            .collect::<Vec<String>>(),
                        1,
                    ));
                })
                .map(|((datapath, name, tunnel_key), ports)| MulticastGroup {
                    datapath,
                    name,
                    tunnel_key,
                    ports,
                });

            // One SB DNS row per Northbound DNS row in use, on its switches.
            let dns_rows = dns_on
                .map(|(sid, d)| (d, sid))
                .reduce(|_d, sids, out| {
                    out.push((sids.iter().map(|(s, _)| **s).collect::<Vec<Uuid>>(), 1));
                })
                .map(|(d, datapaths)| Dns {
                    nb_uuid: d.uuid,
                    records: d.records.clone(),
                    ovn_owned: d.ovn_owned,
                    datapaths,
                });

            (
                capture(flows, &probe),
                capture(datapaths, &probe),
                capture(port_bindings, &probe),
                capture(mcast, &probe),
                capture(ip_mcast, &probe),
                capture(dns_rows, &probe),
            )
        });

    let mut time = 0u64;
    while let Ok(batch) = requests.recv() {
        for change in batch {
            match change {
                IrChange::Switch { old, new } => {
                    if let Some(o) = old {
                        switches_in.remove((o.uuid, o));
                    }
                    if let Some(n) = new {
                        switches_in.insert((n.uuid, n));
                    }
                }
                IrChange::Qos { old, new } => {
                    if let Some(o) = old {
                        qos_in.remove((o.uuid, o));
                    }
                    if let Some(n) = new {
                        qos_in.insert((n.uuid, n));
                    }
                }
                IrChange::Dns { old, new } => {
                    if let Some(o) = old {
                        dns_in.remove((o.uuid, o));
                    }
                    if let Some(n) = new {
                        dns_in.insert((n.uuid, n));
                    }
                }
                IrChange::Dhcp { old, new } => {
                    if let Some(o) = old {
                        dhcp_in.remove((o.uuid, o));
                    }
                    if let Some(n) = new {
                        dhcp_in.insert((n.uuid, n));
                    }
                }
                IrChange::Features { old, new } => {
                    features_in.remove(((), old));
                    features_in.insert(((), new));
                }
                IrChange::Port { old, new } => {
                    if let Some(o) = old {
                        ports_in.remove((o.uuid, o));
                    }
                    if let Some(n) = new {
                        ports_in.insert((n.uuid, n));
                    }
                }
            }
        }
        time += 1;
        switches_in.advance_to(time);
        ports_in.advance_to(time);
        features_in.advance_to(time);
        qos_in.advance_to(time);
        dns_in.advance_to(time);
        dhcp_in.advance_to(time);
        switches_in.flush();
        ports_in.flush();
        features_in.flush();
        qos_in.flush();
        dns_in.flush();
        dhcp_in.flush();
        worker.step_while(|| probe.less_than(&time));
        let delta = OutputDelta {
            flows: drain(&flows),
            datapaths: drain(&datapaths),
            ports: drain(&ports),
            multicast_groups: drain(&mcast),
            ip_multicast: drain(&ip_mcast),
            dns: drain(&dns_rows),
        };
        if replies.send(delta).is_err() {
            break;
        }
    }
}
