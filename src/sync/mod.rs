//! Sync: the minimal Southbound (and Northbound write-back) transaction that
//! turns what the databases hold into the image. Rows are matched by
//! natural keys (datapath ↔ Northbound UUID, port ↔ name, flow ↔ its
//! content), so rows that stay keep their UUIDs and tunnel keys, and rows
//! other daemons hang off (MAC_Binding, FDB, Port_Binding.chassis) survive.

use std::collections::{BTreeMap, BTreeSet};

use northflow_ir::binding::DatapathBinding;
use northflow_ir::nb::NbGlobal;
use northflow_ir::row::{Column, Table};
use northflow_ir::sb;
use northflow_ir::stage::DatapathKind;
use northflow_ir::switch::SwitchPort;
use northflow_ir::Uuid;
use northflow_ovsdb::{Atom, Condition, Datum, Operation, Row};
use northflow_passes::binding::global;
use northflow_passes::sb_static;

use crate::image::SbImage;

mod flows;
mod keyed;
mod tables;

use flows::{wanted_groups, DpGroups, FlowIndex, LogicalFlows};
use tables::{
    catalogue, AddressSets, Catalogue, ChassisTemplateVars, DatapathRefs, Datapaths, DnsRows,
    HaChassisGroups, IpMulticast, Meters, MulticastGroups, Ports, RbacPermissions, RbacRoles,
    SbGlobals, StaticMacBindings,
};

/// The contents of a database: table → row UUID → row.
pub type Tables = BTreeMap<String, BTreeMap<Uuid, Row>>;

pub use northflow_passes::binding::global::NORTHD_INTERNAL_VERSION;

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
    "Meter",
    "Meter_Band",
    "Static_MAC_Binding",
    "Chassis_Template_Var",
    "HA_Chassis_Group",
    "HA_Chassis",
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

/// The port tunnel keys an empty Southbound gets from [`plan`]: per
/// datapath, ports in name order, each its requested key if still free,
/// else the lowest free one. What `compile` prints in flows that name a
/// port's key.
pub fn fresh_port_keys(image: &SbImage) -> BTreeMap<northflow_ir::intern::Text, i64> {
    let mut used: BTreeMap<Uuid, BTreeSet<i64>> = BTreeMap::new();
    let mut keys = BTreeMap::new();
    for (name, port) in &image.ports {
        let dp_keys = used.entry(port.datapath).or_default();
        let max = northflow_passes::binding::MAX_PORT_KEY;
        if let Some(key) = allocate_key(dp_keys, port.requested_key, max) {
            keys.insert(name.clone(), key);
        }
    }
    keys
}

/// ovn-northd's own choices in `NB_Global.options`: a `mac_prefix` and the
/// service monitor MACs, random when the Northbound has none that is valid.
/// They are made here, before compiling: the compiler reads the settled row
/// (so the flows and rows that depend on them are the graph's), and the
/// plan writes it back.
pub fn settle_nb_global(nb: &Tables) -> NbGlobal {
    let mut g = typed::<NbGlobal>(nb).into_iter().next().unwrap_or_default();
    if !g
        .options
        .get("mac_prefix")
        .is_some_and(|p| valid_mac_prefix(p))
    {
        g.options.insert("mac_prefix".into(), random_mac(3));
    }
    for key in global::SVC_MONITOR_MAC_OPTIONS {
        if g.options
            .get(key)
            .is_none_or(|m| northflow_ir::addr::Mac::parse(m).is_none())
        {
            g.options.insert(key.into(), random_mac(6));
        }
    }
    g
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
    let chassis = ChassisIndex::new(sb);

    // SB_Global: one row (ovn-controller waits for it); never deleted.
    keyed::sync(&mut t, &mut SbGlobals, &image.sb_global, sb);

    // The owned tables, each by its natural key (`keyed`). Datapaths first:
    // every other row refers to them.
    let mut datapaths = Datapaths::new(&image.datapaths);
    let dps = keyed::sync(&mut t, &mut datapaths, &image.datapaths, sb);
    let datapaths = DatapathRefs::new(dps.refs);
    // HA chassis groups (chassis-redirect ports refer to them), their new
    // members first.
    let at = t.ops.len();
    let mut groups = HaChassisGroups {
        sb,
        chassis: &chassis,
        members: Vec::new(),
    };
    let ha = keyed::sync(&mut t, &mut groups, &image.ha_chassis_groups, sb);
    t.ops.splice(at..at, groups.members);
    let mut ports = Ports::new(&datapaths, &chassis, &ha.refs);
    let pbs = keyed::sync(&mut t, &mut ports, &image.ports, sb);
    t.delete_all(sb::PortBinding::TABLE, &pbs.stale);
    t.delete_all(sb::HaChassisGroup::TABLE, &ha.stale);
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
    let mut smbs = StaticMacBindings {
        datapaths: &datapaths,
    };
    let smbs = keyed::sync(&mut t, &mut smbs, &image.static_mac_bindings, sb);
    t.delete_all(sb::StaticMacBinding::TABLE, &smbs.stale);

    // Meters (flows name them), their new bands first.
    let at = t.ops.len();
    let mut meters = Meters {
        sb,
        bands: Vec::new(),
    };
    let ms = keyed::sync(&mut t, &mut meters, &image.meters, sb);
    t.ops.splice(at..at, meters.bands);
    t.delete_all(sb::Meter::TABLE, &ms.stale);

    // Flows: their datapath groups first (stale groups are left to the
    // server's garbage collection), then the flows on them, with the port
    // tunnel keys planned above in their text.
    let keyed_flows;
    let flow_image = if image.flows_naming_port_keys.is_empty() {
        &image.flows
    } else {
        keyed_flows = flows::with_port_keys(image, &ports.key_of);
        &keyed_flows
    };
    let (index, existing_flows) = FlowIndex::new(sb, &datapaths);
    let mut dp_groups = DpGroups::new(&datapaths, &index, flow_image, &existing_flows);
    let groups = keyed::sync(&mut t, &mut dp_groups, &wanted_groups(flow_image), sb);
    let mut flows = LogicalFlows {
        rows: existing_flows,
        datapaths: &datapaths,
        index: &index,
        groups: &groups.refs,
        reused: &dp_groups.reused,
    };
    let lfs = keyed::sync(&mut t, &mut flows, flow_image, sb);
    t.delete_all(sb::LogicalFlow::TABLE, &lfs.stale);

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

    // The rows ovn-northd writes whatever the Northbound: option
    // catalogues, ovn-controller's RBAC role, its own address sets.
    let mut v4 = Catalogue::<sb::DhcpOptions>::default();
    let v4 = keyed::sync(&mut t, &mut v4, &catalogue(sb_static::DHCP_OPTIONS), sb);
    t.delete_all(sb::DhcpOptions::TABLE, &v4.stale);
    let mut v6 = Catalogue::<sb::Dhcpv6Options>::default();
    let v6 = keyed::sync(&mut t, &mut v6, &catalogue(sb_static::DHCPV6_OPTIONS), sb);
    t.delete_all(sb::Dhcpv6Options::TABLE, &v6.stale);
    let perms = keyed::sync(&mut t, &mut RbacPermissions, &RbacPermissions::want(), sb);
    t.delete_all(sb::RbacPermission::TABLE, &perms.stale);
    let mut roles = RbacRoles {
        permissions: &perms.refs,
    };
    let role = BTreeMap::from([(sb_static::RBAC_ROLE.to_owned(), ())]);
    let roles = keyed::sync(&mut t, &mut roles, &role, sb);
    t.delete_all(sb::RbacRole::TABLE, &roles.stale);
    let sets = keyed::sync(&mut t, &mut AddressSets, &image.address_sets, sb);
    t.delete_all(sb::AddressSet::TABLE, &sets.stale);
    let vars = keyed::sync(
        &mut t,
        &mut ChassisTemplateVars,
        &image.chassis_template_vars,
        sb,
    );
    t.delete_all(sb::ChassisTemplateVar::TABLE, &vars.stale);

    Plan {
        sb: t.ops,
        nb: plan_nb(desired, nb, sb, &chassis, now_ms),
    }
}

/// SB `Chassis` by name and by hostname, for `requested-chassis`.
struct ChassisIndex {
    by_name: BTreeMap<String, Uuid>,
    by_hostname: BTreeMap<String, Uuid>,
    /// Chassis of other availability zones (`other_config:is-remote`).
    remote: BTreeSet<Uuid>,
    /// Chassis that report a port up themselves (`other_config:port-up-notif`).
    notifies_up: BTreeSet<Uuid>,
}

impl ChassisIndex {
    fn new(sb: &Tables) -> ChassisIndex {
        let mut idx = ChassisIndex {
            by_name: BTreeMap::new(),
            by_hostname: BTreeMap::new(),
            remote: BTreeSet::new(),
            notifies_up: BTreeSet::new(),
        };
        for c in typed::<sb::Chassis>(sb) {
            if northflow_passes::smap::get_bool(&c.other_config, "is-remote", false) {
                idx.remote.insert(c.uuid);
            }
            if northflow_passes::smap::get_bool(&c.other_config, "port-up-notif", false) {
                idx.notifies_up.insert(c.uuid);
            }
            idx.by_name.insert(c.name.clone(), c.uuid);
            idx.by_hostname.entry(c.hostname.clone()).or_insert(c.uuid);
        }
        idx
    }

    /// A chassis by name only (`chassis_lookup_by_name`).
    fn by_name(&self, name: &str) -> Option<Uuid> {
        self.by_name.get(name).copied()
    }

    /// A chassis by name, else by hostname, as ovn-northd looks it up.
    fn lookup(&self, name_or_hostname: &str) -> Option<Uuid> {
        self.by_name
            .get(name_or_hostname)
            .or_else(|| self.by_hostname.get(name_or_hostname))
            .copied()
    }

    /// The chassis a `remote` port is bound to by northd: its requested
    /// chassis, when that is another zone's.
    fn remote_binding(&self, w: &northflow_ir::binding::PortBinding) -> Option<Uuid> {
        if w.type_.as_deref() != Some("remote") {
            return None;
        }
        self.lookup(w.requested_chassis.first()?)
            .filter(|c| self.remote.contains(c))
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

/// The Northbound columns ovn-northd writes back: `NB_Global` options and
/// the `nb_cfg` acknowledgements, `Logical_Switch_Port.up` and `tag`.
fn plan_nb(
    desired: &Desired,
    nb: &Tables,
    sb: &Tables,
    chassis: &ChassisIndex,
    now_ms: i64,
) -> Vec<Operation> {
    let mut ops = Vec::new();
    if let Some(settled) = desired.nb_global {
        let nb_cfg = settled.nb_cfg;
        let mut global = Row::new();
        global.insert("options".into(), global::nb_options(settled).to_datum());
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
        match typed::<NbGlobal>(nb).first() {
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
    }

    // LSP.up: router ports are always up; others follow their binding once
    // a chassis claims them.
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
        let pb = pbs.get(port.name.as_str());
        // A remote port is bound by this very plan (see `Ports`).
        let bound_here = desired
            .image
            .ports
            .get(&port.name)
            .and_then(|w| chassis.remote_binding(w));
        let up = if port.is_router() || port.is_switch() {
            true
        } else {
            match bound_here.or_else(|| pb?.chassis) {
                Some(c) if chassis.notifies_up.contains(&c) => {
                    pb.is_some_and(|pb| pb.up == Some(true))
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
