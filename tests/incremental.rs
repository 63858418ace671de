//! Incremental compilation gives the same answer as compiling from scratch.
//!
//! - `incremental_equals_fresh` (proptest): a random sequence of Northbound
//!   edit batches applied one at a time to one [`Compiler`] leaves the same
//!   [`SbImage`] (and the same diagnostics) as a fresh `Compiler` fed only
//!   the final Northbound in a single batch (also checked after every
//!   fourth batch).
//! - `apply_then_revert`: for each of a set of edits, applying it and then
//!   applying its inverse gives back the identical image, and the inverse's
//!   output delta is exactly the negation of the edit's.
//!
//! `PROPTEST_CASES=<n>` overrides the number of cases (64 by default).
//! Failures are not persisted to a regressions file: proptest prints the
//! shrunk edit sequence, which is what a regression test would replay.

use std::collections::BTreeMap;

use northflow::engine::OutputDelta;
use northflow::image::SbImage;
use northflow::input::InputRow;
use northflow::{Compiler, RowChange};
use northflow_ir::nb::{DhcpOptions, Dns, LogicalSwitch, LogicalSwitchPort, Qos};
use northflow_ir::Uuid;
use proptest::prelude::*;
use proptest::sample::Index;

// ---------------------------------------------------------------------------
// Row helpers

fn put<T: InputRow>(row: &T) -> RowChange {
    RowChange::put(row)
}

fn delete<T: InputRow>(uuid: Uuid) -> RowChange {
    RowChange::delete::<T>(uuid)
}

fn smap(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn switch_uuid(n: u64) -> Uuid {
    Uuid((0x5157_u128 << 112) | u128::from(n))
}

fn port_uuid(n: u64) -> Uuid {
    Uuid((0x9087_u128 << 112) | u128::from(n))
}

/// Address entries, shared between ports (so duplicates across ports and
/// switches happen): every form the brief names, plus bad ones.
const ADDRESSES: &[&str] = &[
    "unknown",
    "router",
    "0a:00:00:00:00:01",
    "0a:00:00:00:00:02 10.0.0.2",
    "0a:00:00:00:00:03 10.0.0.3 fd00::3",
    "0a:00:00:00:00:04 10.0.0.4 10.0.0.44 fd00::4",
    "garbage",
    "0a:00:00:00:00:05 10.0.0.300",
    "0a:00:00:00:00:06 10.0.0.6 junk",
];

const PORT_SECURITY: &[&str] = &[
    "0a:00:00:00:00:02",
    "0a:00:00:00:00:02 10.0.0.2",
    "0a:00:00:00:00:03 10.0.0.3 fd00::3",
    "zz:not-a-mac",
];

/// `type` and the options and `peer` that go with it. A `switch` port `pN`
/// names `pM` (M = N xor 1) as its peer: a link when `pM` is a `switch`
/// port too, a dangling peer otherwise.
fn port_kind(kind: usize, port_name: &str) -> (String, BTreeMap<String, String>, Option<String>) {
    match kind % 4 {
        0 => (String::new(), BTreeMap::new(), None),
        1 => (
            "localnet".into(),
            smap(&[("network_name", "physnet")]),
            None,
        ),
        2 => (
            "router".into(),
            smap(&[("router-port", &format!("lrp-{port_name}"))]),
            None,
        ),
        _ => {
            let n: u64 = port_name[1..].parse().unwrap_or(0);
            (
                "switch".into(),
                BTreeMap::new(),
                Some(format!("p{}", n ^ 1)),
            )
        }
    }
}

fn pick(pool: &[&str], idx: &[Index]) -> Vec<String> {
    idx.iter()
        .map(|i| pool[i.index(pool.len())].to_owned())
        .collect()
}

fn set_flag(map: &mut BTreeMap<String, String>, key: &str, value: Option<bool>) {
    match value {
        None => map.remove(key),
        Some(b) => map.insert(key.to_owned(), b.to_string()),
    };
}

// ---------------------------------------------------------------------------
// The model Northbound and the edits

/// The Northbound as the edits left it.
#[derive(Default)]
struct Nb {
    switches: BTreeMap<Uuid, LogicalSwitch>,
    ports: BTreeMap<Uuid, LogicalSwitchPort>,
    dns: BTreeMap<Uuid, Dns>,
    qos: BTreeMap<Uuid, Qos>,
    dhcp: BTreeMap<Uuid, DhcpOptions>,
    next: u64,
}

#[derive(Clone, Debug)]
enum Edit {
    AddSwitch,
    /// Deletes a switch; with `gc_ports` its ports too (what OVSDB's garbage
    /// collection of the non-root `Logical_Switch_Port` table does),
    /// otherwise they stay as orphan rows.
    DeleteSwitch {
        sw: Index,
        gc_ports: bool,
    },
    AddPort {
        sw: Index,
        addresses: Vec<Index>,
        kind: usize,
    },
    /// Deletes a port row; with `unlink` it is also removed from its
    /// switch's `ports`, otherwise the switch keeps a dangling reference.
    DeletePort {
        port: Index,
        unlink: bool,
    },
    SetAddresses {
        port: Index,
        addresses: Vec<Index>,
    },
    /// Cycles `enabled` through unset → false → true → unset.
    ToggleEnabled {
        port: Index,
    },
    SetType {
        port: Index,
        kind: usize,
    },
    SetPortSecurity {
        port: Index,
        entries: Vec<Index>,
    },
    SetSwitchConfig {
        sw: Index,
        vlan_passthru: Option<bool>,
        mcast_snoop: Option<bool>,
    },
    /// A new DNS row (with or without records) listed by a switch.
    AttachDns {
        sw: Index,
        records: bool,
    },
    /// A new QoS rule (DSCP and/or meter, either direction) listed by a
    /// switch.
    AttachQos {
        sw: Index,
        dscp: bool,
        rate: bool,
        ingress: bool,
    },
    /// A port gets DHCP options (new rows, IPv4 or IPv6, complete or not),
    /// or loses them.
    SetDhcp {
        port: Index,
        v6: bool,
        complete: bool,
        clear: bool,
    },
    /// A switch drops its DNS rows and QoS rules (the rows stay).
    DetachExtras {
        sw: Index,
    },
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    let idx = any::<Index>;
    let addrs = || prop::collection::vec(any::<Index>(), 0..3);
    prop_oneof![
        2 => Just(Edit::AddSwitch),
        1 => (idx(), any::<bool>()).prop_map(|(sw, gc_ports)| Edit::DeleteSwitch { sw, gc_ports }),
        4 => (idx(), addrs(), 0..4usize)
            .prop_map(|(sw, addresses, kind)| Edit::AddPort { sw, addresses, kind }),
        2 => (idx(), any::<bool>()).prop_map(|(port, unlink)| Edit::DeletePort { port, unlink }),
        4 => (idx(), addrs()).prop_map(|(port, addresses)| Edit::SetAddresses { port, addresses }),
        2 => idx().prop_map(|port| Edit::ToggleEnabled { port }),
        2 => (idx(), 0..4usize).prop_map(|(port, kind)| Edit::SetType { port, kind }),
        2 => (idx(), prop::collection::vec(any::<Index>(), 0..3))
            .prop_map(|(port, entries)| Edit::SetPortSecurity { port, entries }),
        1 => (idx(), any::<bool>()).prop_map(|(sw, records)| Edit::AttachDns { sw, records }),
        1 => (idx(), any::<bool>(), any::<bool>(), any::<bool>())
            .prop_map(|(sw, dscp, rate, ingress)| Edit::AttachQos { sw, dscp, rate, ingress }),
        1 => idx().prop_map(|sw| Edit::DetachExtras { sw }),
        2 => (idx(), any::<bool>(), any::<bool>(), any::<bool>())
            .prop_map(|(port, v6, complete, clear)| Edit::SetDhcp { port, v6, complete, clear }),
        2 => (idx(), any::<Option<bool>>(), any::<Option<bool>>()).prop_map(
            |(sw, vlan_passthru, mcast_snoop)| Edit::SetSwitchConfig {
                sw,
                vlan_passthru,
                mcast_snoop
            }
        ),
    ]
}

impl Nb {
    fn new_uuid(&mut self, f: fn(u64) -> Uuid) -> (Uuid, u64) {
        self.next += 1;
        (f(self.next), self.next)
    }

    fn pick_switch(&self, i: &Index) -> Option<Uuid> {
        (!self.switches.is_empty()).then(|| {
            *self
                .switches
                .keys()
                .nth(i.index(self.switches.len()))
                .unwrap()
        })
    }

    fn pick_port(&self, i: &Index) -> Option<Uuid> {
        (!self.ports.is_empty()).then(|| *self.ports.keys().nth(i.index(self.ports.len())).unwrap())
    }

    fn add_switch(&mut self, out: &mut Vec<RowChange>) -> Uuid {
        let (uuid, n) = self.new_uuid(switch_uuid);
        let sw = LogicalSwitch {
            uuid,
            name: format!("sw{n}"),
            ..Default::default()
        };
        out.push(put(&sw));
        self.switches.insert(uuid, sw);
        uuid
    }

    fn add_port(
        &mut self,
        sw: Uuid,
        addresses: Vec<String>,
        kind: usize,
        out: &mut Vec<RowChange>,
    ) -> Uuid {
        let (uuid, n) = self.new_uuid(port_uuid);
        let name = format!("p{n}");
        let (type_, options, peer) = port_kind(kind, &name);
        let port = LogicalSwitchPort {
            uuid,
            name,
            type_,
            options,
            peer,
            addresses,
            ..Default::default()
        };
        out.push(put(&port));
        self.ports.insert(uuid, port);
        let s = self.switches.get_mut(&sw).expect("switch exists");
        s.ports.push(uuid);
        s.ports.sort();
        out.push(put(&*s));
        uuid
    }

    fn modify_port(
        &mut self,
        i: &Index,
        out: &mut Vec<RowChange>,
        f: impl FnOnce(&mut LogicalSwitchPort),
    ) {
        if let Some(uuid) = self.pick_port(i) {
            let p = self.ports.get_mut(&uuid).unwrap();
            f(p);
            out.push(put(&*p));
        }
    }

    /// Applies one edit to the model and returns its row changes (none when
    /// the edit has nothing to act on).
    fn apply(&mut self, edit: &Edit) -> Vec<RowChange> {
        let mut out = Vec::new();
        match edit {
            Edit::AddSwitch => {
                self.add_switch(&mut out);
            }
            Edit::DeleteSwitch { sw, gc_ports } => {
                if let Some(uuid) = self.pick_switch(sw) {
                    let s = self.switches.remove(&uuid).unwrap();
                    out.push(delete::<LogicalSwitch>(uuid));
                    if *gc_ports {
                        for p in &s.ports {
                            if self.ports.remove(p).is_some() {
                                out.push(delete::<LogicalSwitchPort>(*p));
                            }
                        }
                    }
                }
            }
            Edit::AddPort {
                sw,
                addresses,
                kind,
            } => {
                if let Some(uuid) = self.pick_switch(sw) {
                    self.add_port(uuid, pick(ADDRESSES, addresses), *kind, &mut out);
                }
            }
            Edit::DeletePort { port, unlink } => {
                if let Some(uuid) = self.pick_port(port) {
                    self.ports.remove(&uuid);
                    out.push(delete::<LogicalSwitchPort>(uuid));
                    if *unlink {
                        for s in self.switches.values_mut() {
                            if s.ports.contains(&uuid) {
                                s.ports.retain(|p| *p != uuid);
                                out.push(put(&*s));
                            }
                        }
                    }
                }
            }
            Edit::SetAddresses { port, addresses } => {
                let addresses = pick(ADDRESSES, addresses);
                self.modify_port(port, &mut out, |p| p.addresses = addresses);
            }
            Edit::ToggleEnabled { port } => self.modify_port(port, &mut out, |p| {
                p.enabled = match p.enabled {
                    None => Some(false),
                    Some(false) => Some(true),
                    Some(true) => None,
                }
            }),
            Edit::SetType { port, kind } => self.modify_port(port, &mut out, |p| {
                (p.type_, p.options, p.peer) = port_kind(*kind, &p.name);
            }),
            Edit::SetPortSecurity { port, entries } => {
                let entries = pick(PORT_SECURITY, entries);
                self.modify_port(port, &mut out, |p| p.port_security = entries);
            }
            Edit::SetSwitchConfig {
                sw,
                vlan_passthru,
                mcast_snoop,
            } => {
                if let Some(uuid) = self.pick_switch(sw) {
                    let s = self.switches.get_mut(&uuid).unwrap();
                    set_flag(&mut s.other_config, "vlan-passthru", *vlan_passthru);
                    set_flag(&mut s.other_config, "mcast_snoop", *mcast_snoop);
                    out.push(put(&*s));
                }
            }
            Edit::AttachDns { sw, records } => {
                if let Some(sid) = self.pick_switch(sw) {
                    let (uuid, n) = self.new_uuid(switch_uuid);
                    let mut dns = Dns {
                        uuid,
                        ..Default::default()
                    };
                    if *records {
                        dns.records.insert(
                            format!("vm{n}.ovn.org"),
                            format!("10.9.0.{} AB::{n}", n % 250),
                        );
                    }
                    out.push(put(&dns));
                    self.dns.insert(uuid, dns);
                    let s = self.switches.get_mut(&sid).unwrap();
                    s.dns_records.push(uuid);
                    s.dns_records.sort();
                    out.push(put(&*s));
                }
            }
            Edit::AttachQos {
                sw,
                dscp,
                rate,
                ingress,
            } => {
                if let Some(sid) = self.pick_switch(sw) {
                    let (uuid, n) = self.new_uuid(switch_uuid);
                    let mut q = Qos {
                        uuid,
                        priority: (n % 100) as i64,
                        direction: if *ingress { "from-lport" } else { "to-lport" }.into(),
                        match_: format!("ip4.src == 10.9.0.{}", n % 250),
                        ..Default::default()
                    };
                    if *dscp {
                        q.action.insert("dscp".into(), (n % 64) as i64);
                    }
                    if *rate {
                        q.bandwidth.insert("rate".into(), 1000 + n as i64);
                    }
                    out.push(put(&q));
                    self.qos.insert(uuid, q);
                    let s = self.switches.get_mut(&sid).unwrap();
                    s.qos_rules.push(uuid);
                    s.qos_rules.sort();
                    out.push(put(&*s));
                }
            }
            Edit::SetDhcp {
                port,
                v6,
                complete,
                clear,
            } => {
                let Some(pid) = self.pick_port(port) else {
                    return out;
                };
                let uuid = if *clear {
                    None
                } else {
                    let (uuid, n) = self.new_uuid(switch_uuid);
                    let mut d = DhcpOptions {
                        uuid,
                        ..Default::default()
                    };
                    if *v6 {
                        d.cidr = "fd00::/64".into();
                        d.options.insert(
                            "server_id".into(),
                            format!("0a:00:00:00:{:02x}:fe", n % 256),
                        );
                        if *complete {
                            d.options.insert("dns_server".into(), "{fd00::53}".into());
                        }
                    } else {
                        d.cidr = "10.0.0.0/24".into();
                        d.options.insert("server_id".into(), "10.0.0.1".into());
                        d.options
                            .insert("server_mac".into(), "0a:00:00:00:00:fe".into());
                        if *complete {
                            d.options
                                .insert("lease_time".into(), format!("{}", 600 + n));
                        }
                    }
                    out.push(put(&d));
                    self.dhcp.insert(uuid, d);
                    Some(uuid)
                };
                let p = self.ports.get_mut(&pid).unwrap();
                if *v6 {
                    p.dhcpv6_options = uuid;
                } else {
                    p.dhcpv4_options = uuid;
                }
                out.push(put(&*p));
            }
            Edit::DetachExtras { sw } => {
                if let Some(sid) = self.pick_switch(sw) {
                    let s = self.switches.get_mut(&sid).unwrap();
                    s.dns_records.clear();
                    s.qos_rules.clear();
                    out.push(put(&*s));
                }
            }
        }
        out
    }

    /// Every row, as insertions (what a fresh compiler is fed).
    fn all_rows(&self) -> Vec<RowChange> {
        let mut out: Vec<RowChange> = self.switches.values().map(put).collect();
        out.extend(self.ports.values().map(put));
        out.extend(self.dns.values().map(put));
        out.extend(self.qos.values().map(put));
        out.extend(self.dhcp.values().map(put));
        out
    }

    /// The starting Northbound: two switches, four ports.
    fn initial(out: &mut Vec<RowChange>) -> Nb {
        let mut nb = Nb::default();
        let sw0 = nb.add_switch(out);
        let sw1 = nb.add_switch(out);
        nb.add_port(sw0, vec![ADDRESSES[3].into()], 0, out);
        nb.add_port(sw0, vec!["unknown".into()], 1, out);
        nb.add_port(sw1, vec![ADDRESSES[4].into()], 0, out);
        nb.add_port(sw1, vec!["router".into()], 2, out);
        nb
    }
}

// ---------------------------------------------------------------------------
// Comparison helpers

fn diagnostics(c: &Compiler) -> Vec<String> {
    let mut v: Vec<String> = c.diagnostics().map(ToString::to_string).collect();
    v.sort();
    v
}

/// What differs between two images, beyond the flows' text.
fn image_differences(a: &SbImage, b: &SbImage) -> String {
    let mut s = String::new();
    if a.flows != b.flows {
        for (f, p) in &a.flows {
            if b.flows.get(f) != Some(p) {
                s += &format!("  flow only in incremental (or placed differently): {f:?} {p:?}\n");
            }
        }
        for (f, p) in &b.flows {
            if a.flows.get(f) != Some(p) {
                s += &format!("  flow only in fresh (or placed differently): {f:?} {p:?}\n");
            }
        }
    }
    if a.datapaths != b.datapaths {
        s += &format!(
            "  datapaths differ:\n    incremental {:?}\n    fresh       {:?}\n",
            a.datapaths, b.datapaths
        );
    }
    if a.ports != b.ports {
        s += &format!(
            "  port bindings differ:\n    incremental {:?}\n    fresh       {:?}\n",
            a.ports, b.ports
        );
    }
    if a.multicast_groups != b.multicast_groups {
        s += &format!(
            "  multicast groups differ:\n    incremental {:?}\n    fresh       {:?}\n",
            a.multicast_groups, b.multicast_groups
        );
    }
    if a.ip_multicast != b.ip_multicast {
        s += &format!(
            "  IP multicast differs:\n    incremental {:?}\n    fresh       {:?}\n",
            a.ip_multicast, b.ip_multicast
        );
    }
    s
}

fn negated<T: Clone>(v: &[(T, isize)]) -> Vec<(T, isize)> {
    v.iter().map(|(d, r)| (d.clone(), -r)).collect()
}

/// `b` is exactly the negation of `a`, field by field (both consolidated,
/// so sorted the same way).
fn assert_negation(what: &str, a: &OutputDelta, b: &OutputDelta) {
    assert!(
        b.flows == negated(&a.flows),
        "{what}: revert flows delta is not the negation of the apply delta:\napply {:#?}\nrevert {:#?}",
        a.flows,
        b.flows
    );
    assert_eq!(b.datapaths, negated(&a.datapaths), "{what}: datapaths");
    assert_eq!(b.ports, negated(&a.ports), "{what}: port bindings");
    assert_eq!(
        b.multicast_groups,
        negated(&a.multicast_groups),
        "{what}: multicast groups"
    );
    assert_eq!(
        b.ip_multicast,
        negated(&a.ip_multicast),
        "{what}: IP multicast"
    );
}

// ---------------------------------------------------------------------------
// The property

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn incremental_equals_fresh(
        batches in prop::collection::vec(prop::collection::vec(edit_strategy(), 1..=4), 1..=12)
    ) {
        let mut first = Vec::new();
        let mut nb = Nb::initial(&mut first);
        let mut incremental = Compiler::new();
        incremental.apply(&first);
        for (i, batch) in batches.iter().enumerate() {
            let changes: Vec<RowChange> = batch.iter().flat_map(|e| nb.apply(e)).collect();
            incremental.apply(&changes);
            // The final Northbound is the property; the intermediate ones
            // (checked less often, each check is a new dataflow) catch
            // differences that a later batch happens to cancel.
            let last = i + 1 == batches.len();
            if last || i % 4 == 3 {
                let mut fresh = Compiler::new();
                fresh.apply(nb.all_rows());
                let (a, b) = (incremental.image(), fresh.image());
                prop_assert!(
                    a == b,
                    "after batch {}: incremental image differs from a fresh compile of the NB\n{}\
                     --- incremental lflow-list ---\n{}--- fresh lflow-list ---\n{}",
                    i + 1,
                    image_differences(a, b),
                    a.lflow_list(),
                    b.lflow_list()
                );
                prop_assert_eq!(diagnostics(&incremental), diagnostics(&fresh));
                // A load in slices of three rows, each slice's output folded
                // in and dropped, ends at the same image.
                let mut sliced = Compiler::with_slice(3);
                sliced.load(nb.all_rows());
                prop_assert!(
                    sliced.image() == b,
                    "a sliced load differs from one step\n{}",
                    image_differences(sliced.image(), b)
                );
                prop_assert_eq!(diagnostics(&sliced), diagnostics(&fresh));
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Apply, then revert

#[test]
fn apply_then_revert() {
    let mut base = Vec::new();
    let nb = Nb::initial(&mut base);
    let sws: Vec<LogicalSwitch> = nb.switches.values().cloned().collect();
    let ports: Vec<LogicalSwitchPort> = nb.ports.values().cloned().collect();
    let (sw0, sw1) = (&sws[0], &sws[1]);
    let (p1, p2, p3) = (&ports[0], &ports[1], &ports[2]);
    assert_eq!(p1.type_, "");
    assert_eq!(p2.type_, "localnet");

    let modified_port = |p: &LogicalSwitchPort, f: &dyn Fn(&mut LogicalSwitchPort)| {
        let mut p = p.clone();
        f(&mut p);
        vec![put(&p)]
    };
    let modified_switch = |s: &LogicalSwitch, f: &dyn Fn(&mut LogicalSwitch)| {
        let mut s = s.clone();
        f(&mut s);
        vec![put(&s)]
    };
    let new_port = LogicalSwitchPort {
        uuid: port_uuid(100),
        name: "p100".into(),
        addresses: vec!["0a:00:00:00:01:00 10.0.1.0".into()],
        ..Default::default()
    };

    // (what, edit, its inverse)
    let edits: Vec<(&str, Vec<RowChange>, Vec<RowChange>)> = vec![
        (
            "addresses → MAC+IPv4+IPv6",
            modified_port(p1, &|p| {
                p.addresses = vec!["0a:00:00:00:00:09 10.0.0.9 fd00::9".into()]
            }),
            vec![put(p1)],
        ),
        (
            "addresses → garbage",
            modified_port(p1, &|p| p.addresses = vec!["garbage".into()]),
            vec![put(p1)],
        ),
        (
            "disable port",
            modified_port(p1, &|p| p.enabled = Some(false)),
            vec![put(p1)],
        ),
        (
            "localnet → router",
            modified_port(p2, &|p| {
                (p.type_, p.options, p.peer) = port_kind(2, &p.name);
            }),
            vec![put(p2)],
        ),
        (
            "port security",
            modified_port(p1, &|p| {
                p.port_security = vec!["0a:00:00:00:00:02 10.0.0.2".into()]
            }),
            vec![put(p1)],
        ),
        (
            "vlan-passthru + mcast_snoop",
            modified_switch(sw0, &|s| {
                s.other_config = smap(&[("vlan-passthru", "true"), ("mcast_snoop", "true")])
            }),
            vec![put(sw0)],
        ),
        (
            "add port",
            {
                let mut v = modified_switch(sw1, &|s| s.ports.push(new_port.uuid));
                v.push(put(&new_port));
                v
            },
            vec![put(sw1), delete::<LogicalSwitchPort>(new_port.uuid)],
        ),
        (
            "delete port",
            {
                let mut v = modified_switch(sw1, &|s| s.ports.retain(|p| *p != p3.uuid));
                v.push(delete::<LogicalSwitchPort>(p3.uuid));
                v
            },
            vec![put(p3), put(sw1)],
        ),
        (
            "delete switch and its ports",
            {
                let mut v = vec![delete::<LogicalSwitch>(sw1.uuid)];
                v.extend(sw1.ports.iter().map(|p| delete::<LogicalSwitchPort>(*p)));
                v
            },
            {
                let mut v: Vec<RowChange> = sw1.ports.iter().map(|p| put(&nb.ports[p])).collect();
                v.push(put(sw1));
                v
            },
        ),
    ];

    let mut c = Compiler::new();
    c.apply(&base);
    let before = c.image().clone();
    let before_diags = diagnostics(&c);
    for (what, edit, revert) in &edits {
        let d1 = c.apply(edit);
        assert!(!d1.is_empty(), "{what}: the edit changed nothing");
        assert!(c.image() != &before, "{what}: the image did not change");
        let d2 = c.apply(revert);
        assert!(
            c.image() == &before,
            "{what}: reverting did not restore the image\n{}--- after revert ---\n{}--- before ---\n{}",
            image_differences(c.image(), &before),
            c.image().lflow_list(),
            before.lflow_list()
        );
        assert_eq!(diagnostics(&c), before_diags, "{what}: diagnostics");
        assert_negation(what, &d1, &d2);
    }
}
