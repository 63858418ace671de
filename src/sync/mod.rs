//! Sync: the minimal Southbound (and Northbound write-back) transaction that
//! turns what the databases hold into the image. Rows are matched by
//! natural keys (datapath ↔ Northbound UUID, port ↔ name, flow ↔ its
//! content), so rows that stay keep their UUIDs and tunnel keys, and rows
//! other daemons hang off (MAC_Binding, FDB, Port_Binding.chassis) survive.

use std::collections::{BTreeMap, BTreeSet};

use northflow_ir::binding::DatapathBinding;
use northflow_ir::intern::Text;
use northflow_ir::lflow::{Flow, LogicalFlow};
use northflow_ir::nb::NbGlobal;
use northflow_ir::row::{Column, Table};
use northflow_ir::sb;
use northflow_ir::stage::{DatapathKind, Pipeline, Stage};
use northflow_ir::switch::SwitchPort;
use northflow_ir::Uuid;
use northflow_ovsdb::{Atom, Condition, Datum, Operation, Row};
use northflow_passes::binding::MAX_DP_KEY;
use northflow_passes::names::SVC_MONITOR_MAC_SET;
use northflow_passes::sb_static;

use crate::image::SbImage;

mod keyed;
mod tables;

use tables::{DatapathRefs, Datapaths, DnsRows, IpMulticast, MulticastGroups, Ports};

/// The contents of a database: table → row UUID → row.
pub type Tables = BTreeMap<String, BTreeMap<Uuid, Row>>;

/// The value ovn-northd 26.03.1 writes as `options:northd_internal_version`
/// (ovn-controller can be told to refuse a northd of another version).
pub const NORTHD_INTERNAL_VERSION: &str = "26.03.1-21.8.0-82.14";

/// The Southbound tables `plan` reads.
pub const READ_TABLES: &[&str] = &[
    "SB_Global",
    "Datapath_Binding",
    "Port_Binding",
    "Multicast_Group",
    "IP_Multicast",
    "Logical_Flow",
    "Logical_DP_Group",
    "MAC_Binding",
    "Chassis",
    "Chassis_Private",
    "DHCP_Options",
    "DHCPv6_Options",
    "RBAC_Role",
    "RBAC_Permission",
    "Address_Set",
    "DNS",
];

/// The transactions to run: Southbound first, then the Northbound
/// write-back (which acknowledges `nb_cfg` and so must follow it).
#[derive(Debug, Default)]
pub struct Plan {
    pub sb: Vec<Operation>,
    pub nb: Vec<Operation>,
}

/// What the compiler knows that the plan needs.
pub struct Desired<'a> {
    pub image: &'a SbImage,
    pub nb_global: Option<&'a NbGlobal>,
    pub switch_ports: Vec<&'a SwitchPort>,
}

/// A reference to a row: one that exists, or one inserted earlier in the
/// same transaction.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum RowRef {
    Existing(Uuid),
    New(String),
}

impl RowRef {
    fn atom(&self) -> Atom {
        match self {
            RowRef::Existing(u) => Atom::Uuid(*u),
            RowRef::New(n) => Atom::NamedUuid(n.clone()),
        }
    }
}

struct Txn {
    ops: Vec<Operation>,
    names: usize,
}

impl Txn {
    fn insert(&mut self, table: &str, row: Row) -> RowRef {
        self.names += 1;
        let name = format!("row{}", self.names);
        self.ops
            .push(Operation::insert_named(table, name.clone(), row));
        RowRef::New(name)
    }
    /// An insert whose row takes `uuid` (ovn-northd's "persist UUID" rows).
    fn insert_persist(&mut self, table: &str, uuid: Uuid, row: Row) {
        self.ops.push(Operation::Insert {
            table: table.to_owned(),
            row,
            uuid_name: None,
            uuid: Some(uuid),
        });
    }
    fn update(&mut self, table: &str, uuid: Uuid, row: Row) {
        if !row.is_empty() {
            self.ops
                .push(Operation::update(table, vec![Condition::uuid(uuid)], row));
        }
    }
    fn delete(&mut self, table: &str, uuid: Uuid) {
        self.ops
            .push(Operation::delete(table, vec![Condition::uuid(uuid)]));
    }
    fn delete_all(&mut self, table: &str, uuids: &[Uuid]) {
        for u in uuids {
            self.delete(table, *u);
        }
    }
}

/// Columns of `new` that differ from `old`.
fn changed(old: &Row, new: Row) -> Row {
    new.into_iter()
        .filter(|(k, v)| old.get(k).map(|o| o != v).unwrap_or(!v.is_empty()))
        .collect()
}

fn rows<'a>(tables: &'a Tables, table: &str) -> impl Iterator<Item = (Uuid, &'a Row)> {
    tables
        .get(table)
        .into_iter()
        .flatten()
        .map(|(u, r)| (*u, r))
}

fn typed<T: Table>(tables: &Tables) -> Vec<T> {
    rows(tables, T::TABLE)
        .filter_map(|(u, r)| T::from_row(u, r).ok())
        .collect()
}

/// Lowest free key in `1..=max` not in `used`, preferring `requested`.
fn allocate_key(used: &mut BTreeSet<i64>, requested: Option<u32>, max: u32) -> Option<i64> {
    if let Some(r) = requested.map(i64::from) {
        if used.insert(r) {
            return Some(r);
        }
    }
    let key = (1..=i64::from(max)).find(|k| !used.contains(k))?;
    used.insert(key);
    Some(key)
}

/// The `NB_Global`/`SB_Global` options ovn-northd maintains.
pub fn global_options(nb: Option<&NbGlobal>) -> BTreeMap<String, String> {
    let mut options = nb.map(|n| n.options.clone()).unwrap_or_default();
    if !options
        .get("mac_prefix")
        .is_some_and(|p| valid_mac_prefix(p))
    {
        options.insert("mac_prefix".into(), random_mac(3));
    }
    for key in ["svc_monitor_mac", "svc_monitor_mac_dst"] {
        if options
            .get(key)
            .is_none_or(|m| northflow_ir::addr::Mac::parse(m).is_none())
        {
            options.insert(key.into(), random_mac(6));
        }
    }
    options.insert("max_tunid".into(), (MAX_DP_KEY - 65535).to_string());
    options.insert(
        "northd_internal_version".into(),
        NORTHD_INTERNAL_VERSION.into(),
    );
    options
}

fn valid_mac_prefix(p: &str) -> bool {
    northflow_ir::addr::Mac::parse(&format!("{p}:00:00:00")).is_some()
}

/// A random locally administered unicast MAC (or its first `n` octets).
fn random_mac(n: usize) -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    let mut bytes = h.finish().to_be_bytes();
    bytes[0] = (bytes[0] & 0xfe) | 0x02;
    bytes[..n]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Plans the transactions that bring `sb` (and the write-back columns of
/// `nb`) to the desired state.
pub fn plan(desired: &Desired, nb: &Tables, sb: &Tables, now_ms: i64) -> Plan {
    let mut t = Txn {
        ops: Vec::new(),
        names: 0,
    };
    let image = desired.image;
    let nb_cfg = desired.nb_global.map(|g| g.nb_cfg).unwrap_or(0);
    let options = global_options(desired.nb_global);

    // SB_Global: exactly one row (ovn-controller waits for it).
    let sb_global: Vec<sb::SbGlobal> = typed(sb);
    let mut global_row = Row::new();
    let mut sb_options = options.clone();
    // Kept from the Southbound (ovn-sbctl's own setting), as ovn-northd does.
    if let Some(sip) = sb_global
        .first()
        .and_then(|g| g.options.get("sbctl_probe_interval"))
    {
        sb_options.insert("sbctl_probe_interval".into(), sip.clone());
    }
    // What this northd's flows assume of ovn-controller.
    sb_options.insert("arp_ns_explicit_output".into(), "true".into());
    sb_options.insert("register_consolidation".into(), "true".into());
    global_row.insert("options".into(), sb_options.to_datum());
    global_row.insert("nb_cfg".into(), nb_cfg.to_datum());
    global_row.insert(
        "ipsec".into(),
        desired
            .nb_global
            .map(|g| g.ipsec)
            .unwrap_or(false)
            .to_datum(),
    );
    match sb_global.first() {
        Some(g) => t.update(
            sb::SbGlobal::TABLE,
            g.uuid,
            changed(&g.to_row(), global_row),
        ),
        None => {
            t.insert(sb::SbGlobal::TABLE, global_row);
        }
    }

    // The owned tables, each by its natural key (`keyed`). Datapaths first:
    // every other row refers to them.
    let dps = keyed::sync(&mut t, &mut Datapaths::default(), &image.datapaths, sb);
    let datapaths = DatapathRefs::new(dps.refs);
    let mut ports = Ports::new(&datapaths, ChassisIndex::new(sb));
    let pbs = keyed::sync(&mut t, &mut ports, &image.ports, sb);
    t.delete_all(sb::PortBinding::TABLE, &pbs.stale);
    let mut groups = MulticastGroups {
        datapaths: &datapaths,
        ports: &pbs.refs,
    };
    let mcs = keyed::sync(&mut t, &mut groups, &image.multicast_groups, sb);
    t.delete_all(sb::MulticastGroup::TABLE, &mcs.stale);
    let mut ipm = IpMulticast {
        datapaths: &datapaths,
    };
    let ipms = keyed::sync(&mut t, &mut ipm, &image.ip_multicast, sb);
    t.delete_all(sb::IpMulticast::TABLE, &ipms.stale);
    let mut dns = DnsRows {
        datapaths: &datapaths,
    };
    let dns = keyed::sync(&mut t, &mut dns, &image.dns, sb);
    t.delete_all(sb::Dns::TABLE, &dns.stale);

    sync_flows(&mut t, image, sb, &datapaths.rows, &datapaths.nb_of);

    // Datapaths go last: flows, ports and groups on them are gone by now.
    for uuid in dps.stale {
        for (u, r) in rows(sb, "MAC_Binding") {
            if r.get("datapath")
                .map(|d| d.atoms().contains(&Atom::Uuid(uuid)))
                .unwrap_or(false)
            {
                t.delete("MAC_Binding", u);
            }
        }
        t.delete(sb::DatapathBinding::TABLE, uuid);
    }

    sync_static(&mut t, sb, &options);

    Plan {
        sb: t.ops,
        nb: plan_nb(desired, nb, sb, &options, nb_cfg, now_ms),
    }
}

/// SB `Chassis` by name and by hostname, for `requested-chassis`.
struct ChassisIndex {
    by_name: BTreeMap<String, Uuid>,
    by_hostname: BTreeMap<String, Uuid>,
}

impl ChassisIndex {
    fn new(sb: &Tables) -> ChassisIndex {
        let mut idx = ChassisIndex {
            by_name: BTreeMap::new(),
            by_hostname: BTreeMap::new(),
        };
        for c in typed::<sb::Chassis>(sb) {
            idx.by_name.insert(c.name.clone(), c.uuid);
            idx.by_hostname.entry(c.hostname.clone()).or_insert(c.uuid);
        }
        idx
    }

    /// A chassis by name, else by hostname, as ovn-northd looks it up.
    fn lookup(&self, name_or_hostname: &str) -> Option<Uuid> {
        self.by_name
            .get(name_or_hostname)
            .or_else(|| self.by_hostname.get(name_or_hostname))
            .copied()
    }
}

fn port_binding_row(w: &northflow_ir::binding::PortBinding, chassis: &ChassisIndex) -> Row {
    let mut row = Row::new();
    if let Some(ty) = &w.type_ {
        row.insert("type".into(), ty.to_datum());
    }
    row.insert("options".into(), w.options.to_datum());
    row.insert("mac".into(), w.mac.to_datum());
    row.insert("port_security".into(), w.port_security.to_datum());
    row.insert("parent_port".into(), w.parent_port.to_datum());
    row.insert("tag".into(), w.tag.to_datum());
    row.insert("external_ids".into(), w.external_ids.to_datum());
    row.insert("nat_addresses".into(), w.nat_addresses.to_datum());
    // Names that match no chassis are skipped (ovn-northd warns and does
    // the same); they resolve once the chassis registers.
    let mut requested = w.requested_chassis.iter().filter_map(|c| chassis.lookup(c));
    row.insert(
        "requested_chassis".into(),
        Datum::set(requested.next().map(Atom::Uuid)),
    );
    row.insert(
        "requested_additional_chassis".into(),
        Datum::set(requested.map(Atom::Uuid)),
    );
    row
}

/// The identity of a `Logical_Flow` row, whatever its placement. `kind` is
/// the kind of the datapath(s) it is on (table ids mean different stages
/// on switches and routers).
fn flow_key(f: &sb::LogicalFlow, kind: DatapathKind) -> Option<Flow> {
    let pipeline = match f.pipeline.as_str() {
        "ingress" => Pipeline::Ingress,
        "egress" => Pipeline::Egress,
        _ => return None,
    };
    let stage = Stage::find(kind, pipeline, u8::try_from(f.table_id).ok()?)?;
    Some(Flow::new(LogicalFlow {
        stage,
        priority: u16::try_from(f.priority).ok()?,
        match_: Text::from(&f.match_),
        actions: Text::from(&f.actions),
        controller_meter: f.controller_meter.as_deref().map(Text::from),
        desc: f.flow_desc.as_deref().map(Text::from),
        io_port: f.tags.get("in_out_port").map(Text::from),
        hint: None,
    }))
}

/// A datapath's Northbound UUID and kind: the `nb_uuid` and `type` columns,
/// or, for a row an older northd wrote, `external_ids:logical-switch` /
/// `logical-router`.
fn datapath_nb_key(d: &sb::DatapathBinding) -> Option<(Uuid, DatapathKind)> {
    let kind = |t: &str| match t {
        "logical-switch" => Some(DatapathKind::Switch),
        "logical-router" => Some(DatapathKind::Router),
        _ => None,
    };
    if let (Some(u), Some(k)) = (d.nb_uuid, d.type_.as_deref().and_then(kind)) {
        return Some((u, k));
    }
    ["logical-switch", "logical-router"]
        .iter()
        .find_map(|t| Some((Uuid::parse(d.external_ids.get(*t)?)?, kind(t)?)))
}

/// The columns of a `Datapath_Binding` row northflow writes, but its key.
fn datapath_row(dp: &DatapathBinding) -> Row {
    let mut row = Row::new();
    row.insert("external_ids".into(), dp.external_ids.to_datum());
    row.insert("type".into(), dp.type_().to_owned().to_datum());
    row.insert("nb_uuid".into(), Some(dp.nb_uuid).to_datum());
    row
}

fn flow_external_ids(f: &LogicalFlow, hint: Option<Uuid>) -> BTreeMap<String, String> {
    let mut ids = BTreeMap::new();
    ids.insert("stage-name".to_owned(), f.stage.name().to_owned());
    if let Some(h) = hint {
        ids.insert("stage-hint".to_owned(), h.to_string()[..8].to_owned());
    }
    ids
}

/// Logical_Flow and Logical_DP_Group. A group whose datapath set changes
/// (a switch added to every switch-wide flow) is updated in place when the
/// flows that used it all move to the same new set.
fn sync_flows(
    t: &mut Txn,
    image: &SbImage,
    sb: &Tables,
    dp_refs: &BTreeMap<Uuid, RowRef>,
    dp_nb_of: &BTreeMap<Uuid, Uuid>,
) {
    let groups: Vec<sb::LogicalDpGroup> = typed(sb);
    let group_set = |g: &sb::LogicalDpGroup| -> Vec<Uuid> {
        let mut s: Vec<Uuid> = g
            .datapaths
            .iter()
            .filter_map(|d| dp_nb_of.get(d).copied())
            .collect();
        s.sort();
        s.dedup();
        s
    };
    let groups_by_uuid: BTreeMap<Uuid, Vec<Uuid>> =
        groups.iter().map(|g| (g.uuid, group_set(g))).collect();

    // Existing flows: identity → (row, placement). A flow's kind is its
    // datapath's (a group's datapaths are all of one kind).
    let dp_kind: BTreeMap<Uuid, DatapathKind> = typed::<sb::DatapathBinding>(sb)
        .into_iter()
        .filter_map(|d| Some((d.uuid, datapath_nb_key(&d)?.1)))
        .collect();
    let group_first_dp: BTreeMap<Uuid, Uuid> = groups
        .iter()
        .filter_map(|g| Some((g.uuid, *g.datapaths.first()?)))
        .collect();
    let mut existing: BTreeMap<Flow, Vec<&sb::LogicalFlow>> = BTreeMap::new();
    let flows: Vec<sb::LogicalFlow> = typed(sb);
    for f in &flows {
        let dp = f.logical_datapath.or_else(|| {
            f.logical_dp_group
                .and_then(|g| group_first_dp.get(&g).copied())
        });
        match dp
            .and_then(|d| dp_kind.get(&d))
            .and_then(|k| flow_key(f, *k))
        {
            Some(k) => existing.entry(k).or_default().push(f),
            None => t.delete(sb::LogicalFlow::TABLE, f.uuid),
        }
    }
    let placement_of = |f: &sb::LogicalFlow| -> Vec<Uuid> {
        match (f.logical_datapath, f.logical_dp_group) {
            (Some(d), _) => dp_nb_of.get(&d).map(|n| vec![*n]).unwrap_or_default(),
            (None, Some(g)) => groups_by_uuid.get(&g).cloned().unwrap_or_default(),
            (None, None) => Vec::new(),
        }
    };

    // Which desired multi-datapath sets exist already, and which old groups
    // could be reused in place.
    let mut group_refs: BTreeMap<Vec<Uuid>, RowRef> = BTreeMap::new();
    for (u, set) in &groups_by_uuid {
        group_refs
            .entry(set.clone())
            .or_insert(RowRef::Existing(*u));
    }
    // Each flow's datapaths and hint, grouped once here.
    let placements: Vec<(&Flow, Vec<Uuid>, Option<Uuid>)> = image
        .flows
        .iter()
        .map(|(k, p)| (k, p.datapaths(), p.hint()))
        .collect();
    let wanted_sets: BTreeSet<&Vec<Uuid>> = placements
        .iter()
        .map(|(_, dps, _)| dps)
        .filter(|d| d.len() > 1)
        .collect();
    let mut moves: BTreeMap<Uuid, BTreeSet<&Vec<Uuid>>> = BTreeMap::new();
    for (k, dps, _) in &placements {
        if dps.len() < 2 || group_refs.contains_key(dps) {
            continue;
        }
        for f in existing.get(*k).into_iter().flatten() {
            if let Some(g) = f.logical_dp_group {
                moves.entry(g).or_default().insert(dps);
            }
        }
    }
    let mut reused = BTreeSet::new();
    for (g, targets) in &moves {
        let Some(old) = groups_by_uuid.get(g) else {
            continue;
        };
        if targets.len() == 1 && !wanted_sets.contains(old) {
            let target = *targets.iter().next().unwrap_or(&old);
            if !group_refs
                .get(target)
                .is_some_and(|r| matches!(r, RowRef::Existing(_)))
            {
                let mut row = Row::new();
                row.insert(
                    "datapaths".into(),
                    Datum::set(
                        target
                            .iter()
                            .filter_map(|d| dp_refs.get(d))
                            .map(RowRef::atom),
                    ),
                );
                t.update(sb::LogicalDpGroup::TABLE, *g, row);
                group_refs.insert(target.clone(), RowRef::Existing(*g));
                reused.insert(*g);
            }
        }
    }
    for set in &wanted_sets {
        if !group_refs.contains_key(*set) {
            let mut row = Row::new();
            row.insert(
                "datapaths".into(),
                Datum::set(set.iter().filter_map(|d| dp_refs.get(d)).map(RowRef::atom)),
            );
            let r = t.insert(sb::LogicalDpGroup::TABLE, row);
            group_refs.insert((*set).clone(), r);
        }
    }

    for (k, dps, hint) in &placements {
        let (k, dps, hint) = (*k, dps, *hint);
        let mut row = Row::new();
        let (dp, group) = match dps.as_slice() {
            [] => continue,
            [one] => match dp_refs.get(one) {
                Some(r) => (Datum::Set(vec![r.atom()]), Datum::empty()),
                None => continue,
            },
            set => match group_refs.get(set) {
                Some(g) => (Datum::empty(), Datum::Set(vec![g.atom()])),
                None => continue,
            },
        };
        row.insert("logical_datapath".into(), dp);
        row.insert("logical_dp_group".into(), group);
        row.insert("external_ids".into(), flow_external_ids(k, hint).to_datum());
        let olds = existing.remove(k).unwrap_or_default();
        let mut olds = olds.into_iter();
        match olds.next() {
            Some(old) => {
                let same_place = placement_of(old) == *dps
                    && !old
                        .logical_dp_group
                        .is_some_and(|g| reused.contains(&g) && dps.len() < 2);
                if same_place {
                    row.remove("logical_datapath");
                    row.remove("logical_dp_group");
                }
                // external_ids are hints: a flow another northd wrote (with
                // its `source` line) is left alone while its stage matches.
                if old.external_ids.get("stage-name").map(String::as_str) == Some(k.stage.name()) {
                    row.remove("external_ids");
                }
                t.update(
                    sb::LogicalFlow::TABLE,
                    old.uuid,
                    changed(&old.to_row(), row),
                );
            }
            None => {
                row.insert(
                    "pipeline".into(),
                    k.stage.pipeline().as_str().to_owned().to_datum(),
                );
                row.insert("table_id".into(), i64::from(k.stage.table()).to_datum());
                row.insert("priority".into(), i64::from(k.priority).to_datum());
                row.insert("match".into(), k.match_.to_datum());
                row.insert("actions".into(), k.actions.to_datum());
                row.insert("controller_meter".into(), k.controller_meter.to_datum());
                row.insert("flow_desc".into(), k.desc.to_datum());
                let tags: BTreeMap<String, String> = k
                    .io_port
                    .iter()
                    .map(|p| ("in_out_port".to_owned(), p.as_str().to_owned()))
                    .collect();
                row.insert("tags".into(), tags.to_datum());
                t.insert(sb::LogicalFlow::TABLE, row);
            }
        }
        for dup in olds {
            t.delete(sb::LogicalFlow::TABLE, dup.uuid);
        }
    }
    for f in existing.into_values().flatten() {
        t.delete(sb::LogicalFlow::TABLE, f.uuid);
    }
    // Unreferenced Logical_DP_Group rows are garbage-collected by the
    // server (the table is not a root table).
}

/// Rows ovn-northd writes at startup: DHCP option catalogues, RBAC, and
/// the `svc_monitor_mac` address set.
fn sync_static(t: &mut Txn, sb: &Tables, options: &BTreeMap<String, String>) {
    for (table, catalogue) in [
        ("DHCP_Options", sb_static::DHCP_OPTIONS),
        ("DHCPv6_Options", sb_static::DHCPV6_OPTIONS),
    ] {
        let mut want: BTreeSet<(i64, &str, &str)> = catalogue.iter().copied().collect();
        for (u, r) in rows(sb, table) {
            let code = r
                .get("code")
                .and_then(|d| d.atoms().first())
                .and_then(Atom::as_i64);
            let name = r
                .get("name")
                .and_then(|d| d.atoms().first())
                .and_then(Atom::as_str);
            let ty = r
                .get("type")
                .and_then(|d| d.atoms().first())
                .and_then(Atom::as_str);
            let found = match (code, name, ty) {
                (Some(c), Some(n), Some(ty)) => want.iter().find(|w| **w == (c, n, ty)).copied(),
                _ => None,
            };
            match found {
                Some(w) => {
                    want.remove(&w);
                }
                None => t.delete(table, u),
            }
        }
        for (code, name, ty) in want {
            let mut row = Row::new();
            row.insert("code".into(), code.to_datum());
            row.insert("name".into(), name.to_owned().to_datum());
            row.insert("type".into(), ty.to_owned().to_datum());
            t.insert(table, row);
        }
    }

    // RBAC: one role whose permissions map table → permission row.
    let perms: Vec<sb::RbacPermission> = typed(sb);
    let mut perm_refs: BTreeMap<&str, RowRef> = BTreeMap::new();
    for p in &perms {
        let want = sb_static::RBAC_PERMISSIONS
            .iter()
            .find(|w| w.table == p.table);
        match want {
            Some(w)
                if !perm_refs.contains_key(w.table)
                    && permission_row(w)
                        == changed(&Row::new(), p.to_row())
                            .into_iter()
                            .filter(|(k, _)| k != "table")
                            .collect::<Row>() =>
            {
                perm_refs.insert(w.table, RowRef::Existing(p.uuid));
            }
            _ => t.delete(sb::RbacPermission::TABLE, p.uuid),
        }
    }
    for w in sb_static::RBAC_PERMISSIONS {
        if !perm_refs.contains_key(w.table) {
            let mut row = permission_row(w);
            row.insert("table".into(), w.table.to_owned().to_datum());
            perm_refs.insert(w.table, t.insert(sb::RbacPermission::TABLE, row));
        }
    }
    let role_perms = Datum::map(perm_refs.iter().map(|(k, r)| (Atom::from(*k), r.atom())));
    let roles: Vec<sb::RbacRole> = typed(sb);
    let mut have_role = false;
    for r in &roles {
        if r.name == sb_static::RBAC_ROLE && !have_role {
            have_role = true;
            let mut row = Row::new();
            row.insert("permissions".into(), role_perms.clone());
            t.update(sb::RbacRole::TABLE, r.uuid, changed(&r.to_row(), row));
        } else {
            t.delete(sb::RbacRole::TABLE, r.uuid);
        }
    }
    if !have_role {
        let mut row = Row::new();
        row.insert("name".into(), sb_static::RBAC_ROLE.to_owned().to_datum());
        row.insert("permissions".into(), role_perms);
        t.insert(sb::RbacRole::TABLE, row);
    }

    // The svc_monitor_mac address set: the source and destination MACs of
    // service monitors, normalized (Northbound address sets come later).
    let macs: Vec<String> = ["svc_monitor_mac", "svc_monitor_mac_dst"]
        .iter()
        .filter_map(|k| northflow_ir::addr::Mac::parse(options.get(*k)?))
        .map(|m| m.to_string())
        .collect::<BTreeSet<String>>()
        .into_iter()
        .collect();
    let sets: Vec<sb::AddressSet> = typed(sb);
    let mut have = false;
    for s in &sets {
        if s.name == SVC_MONITOR_MAC_SET {
            have = true;
            let mut row = Row::new();
            row.insert("addresses".into(), macs.clone().to_datum());
            t.update(sb::AddressSet::TABLE, s.uuid, changed(&s.to_row(), row));
        } else {
            t.delete(sb::AddressSet::TABLE, s.uuid);
        }
    }
    if !have {
        let mut row = Row::new();
        row.insert("name".into(), SVC_MONITOR_MAC_SET.to_owned().to_datum());
        row.insert("addresses".into(), macs.to_datum());
        t.insert(sb::AddressSet::TABLE, row);
    }
}

fn permission_row(w: &sb_static::RbacPermission) -> Row {
    let strs = |v: &[&str]| {
        v.iter()
            .map(|s| (*s).to_owned())
            .collect::<Vec<String>>()
            .to_datum()
    };
    let mut row = Row::new();
    row.insert("authorization".into(), strs(w.authorization));
    row.insert("insert_delete".into(), w.insert_delete.to_datum());
    row.insert("update".into(), strs(w.update));
    row
}

/// The Northbound columns ovn-northd writes back: `NB_Global` options and
/// the `nb_cfg` acknowledgements, `Logical_Switch_Port.up` and `tag`.
fn plan_nb(
    desired: &Desired,
    nb: &Tables,
    sb: &Tables,
    options: &BTreeMap<String, String>,
    nb_cfg: i64,
    now_ms: i64,
) -> Vec<Operation> {
    let mut ops = Vec::new();
    let mut global = Row::new();
    global.insert("options".into(), options.to_datum());
    global.insert("sb_cfg".into(), nb_cfg.to_datum());
    // hv_cfg: the oldest configuration any chassis has caught up with.
    let hv_cfg = rows(sb, "Chassis_Private")
        .filter_map(|(_, r)| {
            r.get("nb_cfg")
                .and_then(|d| d.atoms().first())
                .and_then(Atom::as_i64)
        })
        .min()
        .unwrap_or(nb_cfg);
    global.insert("hv_cfg".into(), hv_cfg.to_datum());
    match desired.nb_global {
        Some(g) => {
            let mut row = changed(&g.to_row(), global);
            if row.contains_key("sb_cfg") {
                row.insert("sb_cfg_timestamp".into(), now_ms.to_datum());
            }
            if !row.is_empty() {
                ops.push(Operation::update(
                    NbGlobal::TABLE,
                    vec![Condition::uuid(g.uuid)],
                    row,
                ));
            }
        }
        None => ops.push(Operation::insert(NbGlobal::TABLE, global)),
    }

    // LSP.up: router ports are always up; others follow their binding once
    // a chassis claims them.
    let chassis_notifies: BTreeMap<Uuid, bool> = typed::<sb::Chassis>(sb)
        .into_iter()
        .map(|c| {
            (
                c.uuid,
                c.other_config
                    .get("port-up-notif")
                    .is_some_and(|v| v.eq_ignore_ascii_case("true")),
            )
        })
        .collect();
    let pbs: BTreeMap<String, sb::PortBinding> = typed::<sb::PortBinding>(sb)
        .into_iter()
        .map(|p| (p.logical_port.clone(), p))
        .collect();
    for port in &desired.switch_ports {
        if !desired.image.ports.contains_key(&port.name) {
            continue;
        }
        let Some(current) = nb
            .get("Logical_Switch_Port")
            .and_then(|t| t.get(&port.uuid))
        else {
            continue;
        };
        let up = if port.is_router() || port.is_switch() {
            true
        } else {
            match pbs
                .get(port.name.as_str())
                .and_then(|pb| pb.chassis.map(|c| (pb, c)))
            {
                Some((pb, c)) if chassis_notifies.get(&c).copied().unwrap_or(false) => {
                    pb.up == Some(true)
                }
                Some(_) => true,
                None => false,
            }
        };
        let mut row = Row::new();
        row.insert("up".into(), Some(up).to_datum());
        if port.tag.is_some() {
            row.insert("tag".into(), port.tag.to_datum());
        }
        let row = changed(current, row);
        if !row.is_empty() {
            ops.push(Operation::update(
                "Logical_Switch_Port",
                vec![Condition::uuid(port.uuid)],
                row,
            ));
        }
    }
    ops
}
