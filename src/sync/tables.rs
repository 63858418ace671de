//! The owned Southbound tables planned by `keyed::sync`: each one's natural
//! key and the columns northflow writes.

use std::collections::{BTreeMap, BTreeSet};

use northflow_ir::binding;
use northflow_ir::intern::Text;
use northflow_ir::row::{Column, Table};
use northflow_ir::sb;
use northflow_ir::Uuid;
use northflow_ovsdb::{Datum, Row};
use northflow_passes::binding::{MAX_DP_KEY, MAX_PORT_KEY};

use super::keyed::Keyed;
use super::{allocate_key, datapath_nb_key, datapath_row, port_binding_row, ChassisIndex};
use super::{RowRef, Txn};

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

/// `Datapath_Binding`, by Northbound UUID; tunnel keys kept, new ones the
/// lowest free (or requested).
#[derive(Default)]
pub(super) struct Datapaths {
    keys: BTreeSet<i64>,
}

impl Keyed for Datapaths {
    type Sb = sb::DatapathBinding;
    type Key = Uuid;
    type Want = binding::DatapathBinding;

    fn key(&self, row: &sb::DatapathBinding) -> Option<Uuid> {
        datapath_nb_key(row).map(|(k, _)| k)
    }

    fn keep(&mut self, row: &sb::DatapathBinding, _: &Self::Want) -> bool {
        self.keys.insert(row.tunnel_key)
    }

    fn row(&mut self, _: &Uuid, want: &Self::Want, old: Option<&Self::Sb>) -> Option<Row> {
        let mut row = datapath_row(want);
        match old {
            Some(_) => {
                row.remove("tunnel_key");
            }
            None => {
                let key = allocate_key(&mut self.keys, want.requested_key, MAX_DP_KEY)?;
                row.insert("tunnel_key".into(), key.to_datum());
            }
        }
        Some(row)
    }
}

/// `Port_Binding`, by `logical_port`, on its datapath; tunnel keys kept
/// per datapath. A kept row whose key is taken or no longer the requested
/// one gets a new key once every kept key is known.
pub(super) struct Ports<'a> {
    pub datapaths: &'a DatapathRefs,
    pub chassis: ChassisIndex,
    keys: BTreeMap<Uuid, BTreeSet<i64>>,
    rekey: Vec<(Uuid, Uuid, Option<u32>)>,
}

impl<'a> Ports<'a> {
    pub fn new(datapaths: &'a DatapathRefs, chassis: ChassisIndex) -> Ports<'a> {
        Ports {
            datapaths,
            chassis,
            keys: BTreeMap::new(),
            rekey: Vec::new(),
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
        if !keep_key {
            self.rekey
                .push((row.uuid, want.datapath, want.requested_key));
        }
        true
    }

    fn row(&mut self, name: &Text, want: &Self::Want, old: Option<&Self::Sb>) -> Option<Row> {
        let mut row = port_binding_row(want, &self.chassis);
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
                row.insert("logical_port".into(), name.to_datum());
                row.insert("datapath".into(), Datum::Set(vec![dp.atom()]));
                row.insert("tunnel_key".into(), key.to_datum());
                row.insert("up".into(), Some(false).to_datum());
            }
        }
        Some(row)
    }

    fn settle(&mut self, t: &mut Txn) {
        for (uuid, dp, requested) in std::mem::take(&mut self.rekey) {
            let keys = self.keys.entry(dp).or_default();
            if let Some(key) = allocate_key(keys, requested, MAX_PORT_KEY) {
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
