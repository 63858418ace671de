//! The owned Southbound tables planned by `keyed::sync`: each one's natural
//! key and the columns northflow writes.

use std::collections::{BTreeMap, BTreeSet};

use northflow_ir::binding;
use northflow_ir::intern::Text;
use northflow_ir::row::{Column, Table};
use northflow_ir::sb;
use northflow_ir::Uuid;
use northflow_ovsdb::{Atom, Datum, Operation, Row};
use northflow_passes::binding::{MAX_DP_KEY, MAX_PORT_KEY};
use northflow_passes::sb_static;

use super::keyed::{Keyed, Synced};
use super::{allocate_key, datapath_nb_key, datapath_row, port_binding_row, ChassisIndex};
use super::{RowRef, Tables, Txn};

/// The datapaths as planned: the row of each Northbound datapath, and the
/// Northbound datapath of each kept Southbound row.
pub(super) struct DatapathRefs {
    pub rows: BTreeMap<Uuid, RowRef>,
    pub nb_of: BTreeMap<Uuid, Uuid>,
}

impl DatapathRefs {
    pub fn new(rows: BTreeMap<Uuid, RowRef>) -> DatapathRefs {
        let nb_of = rows
            .iter()
            .filter_map(|(nb, r)| match r {
                RowRef::Existing(u) => Some((*u, *nb)),
                RowRef::New(_) => None,
            })
            .collect();
        DatapathRefs { rows, nb_of }
    }
}

/// `Datapath_Binding`, by Northbound UUID. Tunnel keys as ovn-northd
/// assigns them: requested keys first (of two datapaths requesting one key,
/// the smaller Northbound UUID gets it: [`requested_keys`]), then kept keys
/// that are still free, then the lowest free key for the rest.
pub(super) struct Datapaths {
    keys: BTreeSet<i64>,
    granted: BTreeMap<Uuid, i64>,
    /// Kept rows whose key another datapath requested.
    rekey: Vec<Uuid>,
}

/// Which datapath gets each requested tunnel key: the smallest Northbound
/// UUID among those asking for it (the graph's duplicate check names the
/// others).
pub(super) fn requested_keys(
    want: &BTreeMap<Uuid, binding::DatapathBinding>,
) -> BTreeMap<Uuid, i64> {
    let mut by_key: BTreeMap<u32, Uuid> = BTreeMap::new();
    for (nb, dp) in want {
        if let Some(k) = dp.requested_key {
            by_key.entry(k).or_insert(*nb);
        }
    }
    by_key
        .into_iter()
        .map(|(k, nb)| (nb, i64::from(k)))
        .collect()
}

impl Datapaths {
    pub fn new(want: &BTreeMap<Uuid, binding::DatapathBinding>) -> Datapaths {
        let granted = requested_keys(want);
        Datapaths {
            keys: granted.values().copied().collect(),
            granted,
            rekey: Vec::new(),
        }
    }
}

impl Keyed for Datapaths {
    type Sb = sb::DatapathBinding;
    type Key = Uuid;
    type Want = binding::DatapathBinding;

    fn key(&self, row: &sb::DatapathBinding) -> Option<Uuid> {
        datapath_nb_key(row).map(|(k, _)| k)
    }

    fn keep(&mut self, row: &sb::DatapathBinding, want: &Self::Want) -> bool {
        if !self.granted.contains_key(&want.nb_uuid) && !self.keys.insert(row.tunnel_key) {
            self.rekey.push(row.uuid);
        }
        true
    }

    fn row(&mut self, nb: &Uuid, want: &Self::Want, old: Option<&Self::Sb>) -> Option<Row> {
        let mut row = datapath_row(want);
        let key = match (self.granted.get(nb), old) {
            (Some(k), _) => *k,
            // Kept, or re-keyed in `settle`.
            (None, Some(_)) => return Some(row),
            (None, None) => allocate_key(&mut self.keys, None, MAX_DP_KEY)?,
        };
        row.insert("tunnel_key".into(), key.to_datum());
        Some(row)
    }

    fn settle(&mut self, t: &mut Txn, _: &mut Synced<Uuid>) {
        for uuid in std::mem::take(&mut self.rekey) {
            if let Some(key) = allocate_key(&mut self.keys, None, MAX_DP_KEY) {
                let mut row = Row::new();
                row.insert("tunnel_key".into(), key.to_datum());
                t.update(sb::DatapathBinding::TABLE, uuid, row);
            }
        }
    }
}

/// `Port_Binding`, by `logical_port`, on its datapath; tunnel keys kept
/// per datapath. A kept row whose key is taken or no longer the requested
/// one gets a new key once every kept key is known.
pub(super) struct Ports<'a> {
    pub datapaths: &'a DatapathRefs,
    pub chassis: &'a ChassisIndex,
    /// `HA_Chassis_Group` rows by name.
    pub ha_groups: &'a BTreeMap<String, RowRef>,
    keys: BTreeMap<Uuid, BTreeSet<i64>>,
    rekey: Vec<(Uuid, Text, Uuid, Option<u32>)>,
    /// Each planned port's tunnel key, for the flows that name one.
    pub key_of: BTreeMap<Text, i64>,
}

impl<'a> Ports<'a> {
    pub fn new(
        datapaths: &'a DatapathRefs,
        chassis: &'a ChassisIndex,
        ha_groups: &'a BTreeMap<String, RowRef>,
    ) -> Ports<'a> {
        Ports {
            datapaths,
            chassis,
            ha_groups,
            keys: BTreeMap::new(),
            rekey: Vec::new(),
            key_of: BTreeMap::new(),
        }
    }
}

impl Ports<'_> {
    /// The one case where northd, not ovn-controller, writes `chassis`: a
    /// `remote` port is bound to its requested chassis when that chassis is
    /// another zone's (`options:is-remote-nb-bound=true`), unbound when it
    /// no longer is; any other port loses a remote chassis.
    fn remote_binding(
        &self,
        row: &mut Row,
        want: &binding::PortBinding,
        old: Option<&sb::PortBinding>,
    ) {
        let bound_by_us = old.is_some_and(|o| {
            o.options.get("is-remote-nb-bound").map(String::as_str) == Some("true")
        });
        let flag = match self.chassis.remote_binding(want) {
            Some(c) => {
                row.insert("chassis".into(), Datum::Set(vec![Atom::Uuid(c)]));
                Some("true")
            }
            None if want.type_.as_deref() == Some("remote") && bound_by_us => {
                row.insert("chassis".into(), Datum::empty());
                Some("false")
            }
            None if want.type_.as_deref() != Some("remote")
                && old
                    .and_then(|o| o.chassis)
                    .is_some_and(|c| self.chassis.remote.contains(&c)) =>
            {
                row.insert("chassis".into(), Datum::empty());
                None
            }
            None => None,
        };
        if let Some(flag) = flag {
            let mut options = want.options.clone();
            options.insert("is-remote-nb-bound", flag);
            row.insert("options".into(), options.to_datum());
        }
    }
}

impl Keyed for Ports<'_> {
    type Sb = sb::PortBinding;
    type Key = Text;
    type Want = std::sync::Arc<binding::PortBinding>;

    fn key(&self, row: &sb::PortBinding) -> Option<Text> {
        Some(Text::from(row.logical_port.as_str()))
    }

    fn keep(&mut self, row: &sb::PortBinding, want: &Self::Want) -> bool {
        if self.datapaths.nb_of.get(&row.datapath) != Some(&want.datapath) {
            return false;
        }
        let keys = self.keys.entry(want.datapath).or_default();
        let keep_key = (1..=i64::from(MAX_PORT_KEY)).contains(&row.tunnel_key)
            && want
                .requested_key
                .is_none_or(|r| i64::from(r) == row.tunnel_key)
            && keys.insert(row.tunnel_key);
        if keep_key {
            self.key_of
                .insert(want.logical_port.clone(), row.tunnel_key);
        } else {
            self.rekey.push((
                row.uuid,
                want.logical_port.clone(),
                want.datapath,
                want.requested_key,
            ));
        }
        true
    }

    fn row(&mut self, name: &Text, want: &Self::Want, old: Option<&Self::Sb>) -> Option<Row> {
        let mut row = port_binding_row(want, self.chassis);
        row.insert(
            "ha_chassis_group".into(),
            Datum::set(
                want.ha_chassis_group
                    .as_ref()
                    .and_then(|g| self.ha_groups.get(g))
                    .map(RowRef::atom),
            ),
        );
        self.remote_binding(&mut row, want, old);
        match old {
            Some(old) => {
                if old.up.is_none() {
                    row.insert("up".into(), Some(false).to_datum());
                }
            }
            None => {
                let dp = self.datapaths.rows.get(&want.datapath)?;
                let keys = self.keys.entry(want.datapath).or_default();
                let key = allocate_key(keys, want.requested_key, MAX_PORT_KEY)?;
                self.key_of.insert(name.clone(), key);
                row.insert("logical_port".into(), name.to_datum());
                row.insert("datapath".into(), Datum::Set(vec![dp.atom()]));
                row.insert("tunnel_key".into(), key.to_datum());
                row.insert("up".into(), Some(false).to_datum());
            }
        }
        Some(row)
    }

    fn settle(&mut self, t: &mut Txn, _: &mut Synced<Text>) {
        for (uuid, name, dp, requested) in std::mem::take(&mut self.rekey) {
            let keys = self.keys.entry(dp).or_default();
            if let Some(key) = allocate_key(keys, requested, MAX_PORT_KEY) {
                self.key_of.insert(name, key);
                let mut row = Row::new();
                row.insert("tunnel_key".into(), key.to_datum());
                t.update(sb::PortBinding::TABLE, uuid, row);
            }
        }
    }
}

/// `Multicast_Group`, by (datapath, name).
pub(super) struct MulticastGroups<'a> {
    pub datapaths: &'a DatapathRefs,
    pub ports: &'a BTreeMap<Text, RowRef>,
}

impl Keyed for MulticastGroups<'_> {
    type Sb = sb::MulticastGroup;
    type Key = (Uuid, String);
    type Want = binding::MulticastGroup;

    fn key(&self, row: &sb::MulticastGroup) -> Option<(Uuid, String)> {
        let dp = self.datapaths.nb_of.get(&row.datapath)?;
        Some((*dp, row.name.clone()))
    }

    fn row(&mut self, key: &Self::Key, want: &Self::Want, _: Option<&Self::Sb>) -> Option<Row> {
        let dp = self.datapaths.rows.get(&key.0)?;
        let mut row = Row::new();
        row.insert("datapath".into(), Datum::Set(vec![dp.atom()]));
        row.insert("name".into(), want.name.to_datum());
        row.insert("tunnel_key".into(), want.tunnel_key.to_datum());
        row.insert(
            "ports".into(),
            Datum::set(
                want.ports
                    .iter()
                    .filter_map(|p| self.ports.get(p))
                    .map(RowRef::atom),
            ),
        );
        Some(row)
    }
}

/// `IP_Multicast`, by datapath.
pub(super) struct IpMulticast<'a> {
    pub datapaths: &'a DatapathRefs,
}

impl Keyed for IpMulticast<'_> {
    type Sb = sb::IpMulticast;
    type Key = Uuid;
    type Want = binding::IpMulticast;

    fn key(&self, row: &sb::IpMulticast) -> Option<Uuid> {
        self.datapaths.nb_of.get(&row.datapath).copied()
    }

    fn row(&mut self, key: &Uuid, want: &Self::Want, _: Option<&Self::Sb>) -> Option<Row> {
        let dp = self.datapaths.rows.get(key)?;
        let c = &want.config;
        let mut row = Row::new();
        row.insert("datapath".into(), Datum::Set(vec![dp.atom()]));
        row.insert("enabled".into(), Some(c.enabled).to_datum());
        row.insert("querier".into(), Some(c.querier).to_datum());
        row.insert("table_size".into(), Some(c.table_size).to_datum());
        row.insert("idle_timeout".into(), Some(c.idle_timeout).to_datum());
        row.insert("query_interval".into(), Some(c.query_interval).to_datum());
        row.insert("query_max_resp".into(), Some(c.query_max_resp).to_datum());
        for (col, v) in [
            ("eth_src", &c.eth_src),
            ("ip4_src", &c.ip4_src),
            ("ip6_src", &c.ip6_src),
        ] {
            if let Some(v) = v {
                row.insert(col.into(), v.to_datum());
            }
        }
        Some(row)
    }
}

/// `DNS`: a row's UUID is its Northbound `DNS` row's. Options other than
/// `ovn-owned` are left as they are.
pub(super) struct DnsRows<'a> {
    pub datapaths: &'a DatapathRefs,
}

impl Keyed for DnsRows<'_> {
    type Sb = sb::Dns;
    type Key = Uuid;
    type Want = binding::Dns;

    fn key(&self, row: &sb::Dns) -> Option<Uuid> {
        Some(row.uuid)
    }

    fn row(&mut self, _: &Uuid, want: &Self::Want, old: Option<&Self::Sb>) -> Option<Row> {
        let mut options = old.map(|o| o.options.clone()).unwrap_or_default();
        options.insert("ovn-owned".into(), want.ovn_owned.to_string());
        let mut row = Row::new();
        row.insert("records".into(), want.records.to_datum());
        row.insert(
            "datapaths".into(),
            Datum::set(
                want.datapaths
                    .iter()
                    .filter_map(|dp| self.datapaths.rows.get(dp))
                    .map(RowRef::atom),
            ),
        );
        row.insert("options".into(), options.to_datum());
        Some(row)
    }

    fn persist_uuid(key: &Uuid) -> Option<Uuid> {
        Some(*key)
    }
}

/// `SB_Global`: its one row. `options:sbctl_probe_interval` (ovn-sbctl's own
/// setting) is kept, as ovn-northd keeps it.
pub(super) struct SbGlobals;

impl Keyed for SbGlobals {
    type Sb = sb::SbGlobal;
    type Key = ();
    type Want = binding::SbGlobal;

    fn key(&self, _: &sb::SbGlobal) -> Option<()> {
        Some(())
    }

    fn row(&mut self, _: &(), want: &Self::Want, old: Option<&Self::Sb>) -> Option<Row> {
        let mut options = want.options.clone();
        if let Some(sip) = old.and_then(|g| g.options.get("sbctl_probe_interval")) {
            options.insert("sbctl_probe_interval".into(), sip.clone());
        }
        let mut row = Row::new();
        row.insert("options".into(), options.to_datum());
        row.insert("nb_cfg".into(), want.nb_cfg.to_datum());
        row.insert("ipsec".into(), want.ipsec.to_datum());
        Some(row)
    }
}

/// `Address_Set`, by name.
pub(super) struct AddressSets;

impl Keyed for AddressSets {
    type Sb = sb::AddressSet;
    type Key = String;
    type Want = binding::AddressSet;

    fn key(&self, row: &sb::AddressSet) -> Option<String> {
        Some(row.name.clone())
    }

    fn row(&mut self, name: &String, want: &Self::Want, _: Option<&Self::Sb>) -> Option<Row> {
        let mut row = Row::new();
        row.insert("name".into(), name.to_datum());
        row.insert("addresses".into(), want.addresses.to_datum());
        Some(row)
    }
}

/// A DHCP option catalogue row: (code, name, type).
pub(super) trait CatalogueRow: Table {
    fn entry(&self) -> (i64, String, String);
}

impl CatalogueRow for sb::DhcpOptions {
    fn entry(&self) -> (i64, String, String) {
        (self.code, self.name.clone(), self.type_.clone())
    }
}

impl CatalogueRow for sb::Dhcpv6Options {
    fn entry(&self) -> (i64, String, String) {
        (self.code, self.name.clone(), self.type_.clone())
    }
}

/// `DHCP_Options` / `DHCPv6_Options`: the options ovn-controller may put in
/// replies, keyed by all their columns.
pub(super) struct Catalogue<T>(std::marker::PhantomData<T>);

/// A catalogue's wanted rows.
pub(super) fn catalogue(entries: &[(i64, &str, &str)]) -> BTreeMap<(i64, String, String), ()> {
    entries
        .iter()
        .map(|(c, n, t)| ((*c, (*n).to_owned(), (*t).to_owned()), ()))
        .collect()
}

impl<T> Default for Catalogue<T> {
    fn default() -> Self {
        Catalogue(std::marker::PhantomData)
    }
}

impl<T: CatalogueRow> Keyed for Catalogue<T> {
    type Sb = T;
    type Key = (i64, String, String);
    type Want = ();

    fn key(&self, row: &T) -> Option<Self::Key> {
        Some(row.entry())
    }

    fn row(&mut self, key: &Self::Key, _: &(), old: Option<&T>) -> Option<Row> {
        let (code, name, type_) = key;
        old.is_none().then(|| {
            let mut row = Row::new();
            row.insert("code".into(), code.to_datum());
            row.insert("name".into(), name.to_datum());
            row.insert("type".into(), type_.to_datum());
            row
        })
    }
}

/// `RBAC_Permission`, by table: what ovn-controller may write.
pub(super) struct RbacPermissions;

impl RbacPermissions {
    pub fn want() -> BTreeMap<String, &'static sb_static::RbacPermission> {
        sb_static::RBAC_PERMISSIONS
            .iter()
            .map(|p| (p.table.to_owned(), p))
            .collect()
    }
}

impl Keyed for RbacPermissions {
    type Sb = sb::RbacPermission;
    type Key = String;
    type Want = &'static sb_static::RbacPermission;

    fn key(&self, row: &sb::RbacPermission) -> Option<String> {
        Some(row.table.clone())
    }

    fn row(&mut self, table: &String, want: &Self::Want, _: Option<&Self::Sb>) -> Option<Row> {
        let strs = |v: &[&str]| {
            v.iter()
                .map(|s| (*s).to_owned())
                .collect::<Vec<String>>()
                .to_datum()
        };
        let mut row = Row::new();
        row.insert("table".into(), table.to_datum());
        row.insert("authorization".into(), strs(want.authorization));
        row.insert("insert_delete".into(), want.insert_delete.to_datum());
        row.insert("update".into(), strs(want.update));
        Some(row)
    }
}

/// `RBAC_Role`, by name: ovn-controller's role, naming its permissions.
pub(super) struct RbacRoles<'a> {
    pub permissions: &'a BTreeMap<String, RowRef>,
}

impl Keyed for RbacRoles<'_> {
    type Sb = sb::RbacRole;
    type Key = String;
    type Want = ();

    fn key(&self, row: &sb::RbacRole) -> Option<String> {
        Some(row.name.clone())
    }

    fn row(&mut self, name: &String, _: &(), _: Option<&Self::Sb>) -> Option<Row> {
        let permissions = Datum::map(
            self.permissions
                .iter()
                .map(|(table, r)| (Atom::from(table.as_str()), r.atom())),
        );
        let mut row = Row::new();
        row.insert("name".into(), name.to_datum());
        row.insert("permissions".into(), permissions);
        Some(row)
    }
}

/// `Meter`, by name. Its bands are rows of their own (garbage-collected
/// by the server when no meter refers to them), inserted anew when they
/// differ: `bands` holds those inserts, to go before the meters' rows.
pub(super) struct Meters<'a> {
    pub sb: &'a Tables,
    pub bands: Vec<Operation>,
}

impl Meters<'_> {
    /// A meter row's bands as (rate, burst size, action), sorted.
    fn bands_of(&self, meter: &sb::Meter) -> Vec<(i64, i64, String)> {
        let mut bands: Vec<(i64, i64, String)> = meter
            .bands
            .iter()
            .filter_map(|b| self.sb.get(sb::MeterBand::TABLE)?.get(b))
            .filter_map(|r| sb::MeterBand::from_row(Uuid(0), r).ok())
            .map(|b| (b.rate, b.burst_size, b.action))
            .collect();
        bands.sort();
        bands
    }
}

impl Keyed for Meters<'_> {
    type Sb = sb::Meter;
    type Key = String;
    type Want = binding::Meter;

    fn key(&self, row: &sb::Meter) -> Option<String> {
        Some(row.name.clone())
    }

    fn row(
        &mut self,
        name: &String,
        want: &binding::Meter,
        old: Option<&sb::Meter>,
    ) -> Option<Row> {
        let mut row = Row::new();
        row.insert("name".into(), name.to_datum());
        row.insert("unit".into(), want.unit.to_datum());
        if old.is_none_or(|o| self.bands_of(o) != want.bands) {
            let mut refs = Vec::new();
            for (rate, burst, action) in &want.bands {
                let band_name = format!("band{}", self.bands.len() + 1);
                let mut band = Row::new();
                band.insert("rate".into(), rate.to_datum());
                band.insert("burst_size".into(), burst.to_datum());
                band.insert("action".into(), action.to_datum());
                self.bands.push(Operation::insert_named(
                    sb::MeterBand::TABLE,
                    band_name.clone(),
                    band,
                ));
                refs.push(Atom::NamedUuid(band_name));
            }
            row.insert("bands".into(), Datum::Set(refs));
        }
        Some(row)
    }
}

/// `Static_MAC_Binding`, by (logical port, IP).
pub(super) struct StaticMacBindings<'a> {
    pub datapaths: &'a DatapathRefs,
}

impl Keyed for StaticMacBindings<'_> {
    type Sb = sb::StaticMacBinding;
    type Key = (String, String);
    type Want = binding::StaticMacBinding;

    fn key(&self, row: &sb::StaticMacBinding) -> Option<(String, String)> {
        Some((row.logical_port.clone(), row.ip.clone()))
    }

    fn row(
        &mut self,
        key: &(String, String),
        want: &Self::Want,
        _: Option<&Self::Sb>,
    ) -> Option<Row> {
        let dp = self.datapaths.rows.get(&want.datapath)?;
        let mut row = Row::new();
        row.insert("logical_port".into(), key.0.to_datum());
        row.insert("ip".into(), key.1.to_datum());
        row.insert("mac".into(), want.mac.to_datum());
        row.insert(
            "override_dynamic_mac".into(),
            want.override_dynamic_mac.to_datum(),
        );
        row.insert("datapath".into(), Datum::Set(vec![dp.atom()]));
        Some(row)
    }
}

/// `Chassis_Template_Var`, by chassis.
pub(super) struct ChassisTemplateVars;

impl Keyed for ChassisTemplateVars {
    type Sb = sb::ChassisTemplateVar;
    type Key = String;
    type Want = binding::ChassisTemplateVar;

    fn key(&self, row: &sb::ChassisTemplateVar) -> Option<String> {
        Some(row.chassis.clone())
    }

    fn row(&mut self, chassis: &String, want: &Self::Want, _: Option<&Self::Sb>) -> Option<Row> {
        let mut row = Row::new();
        row.insert("chassis".into(), chassis.to_datum());
        row.insert("variables".into(), want.variables.to_datum());
        Some(row)
    }
}

/// `HA_Chassis_Group`, by name. Its members are `HA_Chassis` rows of their
/// own (garbage-collected by the server), inserted anew when they differ:
/// `members` holds those inserts, to go before the groups' rows.
pub(super) struct HaChassisGroups<'a> {
    pub sb: &'a Tables,
    pub chassis: &'a ChassisIndex,
    pub members: Vec<Operation>,
}

impl HaChassisGroups<'_> {
    /// A group row's members as (chassis name, priority), sorted.
    fn members_of(&self, g: &sb::HaChassisGroup) -> Vec<(String, i64)> {
        let mut m: Vec<(String, i64)> = g
            .ha_chassis
            .iter()
            .filter_map(|c| self.sb.get(sb::HaChassis::TABLE)?.get(c))
            .filter_map(|r| sb::HaChassis::from_row(Uuid(0), r).ok())
            .map(|c| {
                let name = c
                    .external_ids
                    .get("chassis-name")
                    .cloned()
                    .unwrap_or_default();
                (name, c.priority)
            })
            .collect();
        m.sort();
        m
    }
}

impl Keyed for HaChassisGroups<'_> {
    type Sb = sb::HaChassisGroup;
    type Key = String;
    type Want = binding::HaChassisGroup;

    fn key(&self, row: &sb::HaChassisGroup) -> Option<String> {
        Some(row.name.clone())
    }

    fn row(&mut self, name: &String, want: &Self::Want, old: Option<&Self::Sb>) -> Option<Row> {
        let mut row = Row::new();
        row.insert("name".into(), name.to_datum());
        if old.is_none_or(|o| self.members_of(o) != want.members) {
            let mut refs = Vec::new();
            for (chassis, priority) in &want.members {
                let member = format!("hachassis{}", self.members.len() + 1);
                let mut r = Row::new();
                // A chassis that has not registered yet is left empty.
                r.insert(
                    "chassis".into(),
                    Datum::set(self.chassis.by_name(chassis).map(Atom::Uuid)),
                );
                r.insert("priority".into(), priority.to_datum());
                let ids: BTreeMap<String, String> =
                    BTreeMap::from([("chassis-name".to_owned(), chassis.clone())]);
                r.insert("external_ids".into(), ids.to_datum());
                self.members.push(Operation::insert_named(
                    sb::HaChassis::TABLE,
                    member.clone(),
                    r,
                ));
                refs.push(Atom::NamedUuid(member));
            }
            row.insert("ha_chassis".into(), Datum::Set(refs));
        }
        Some(row)
    }
}
