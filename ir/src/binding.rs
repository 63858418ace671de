//! The Southbound rows northflow owns besides logical flows, as the passes
//! produce them: keyed by natural keys (Northbound UUIDs and names), with
//! no Southbound UUIDs and no tunnel keys — those are assigned when the
//! image is written.

use std::collections::BTreeMap;

use northflow_ovsdb::Uuid;

use crate::intern::Text;
use crate::smap::Smap;

use crate::stage::DatapathKind;
use crate::switch::McastSwitchConfig;

/// A `Datapath_Binding` for the Northbound switch or router `nb_uuid`.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct DatapathBinding {
    pub nb_uuid: Uuid,
    /// Switch or router (`type`: `logical-switch`, `logical-router`).
    pub kind: DatapathKind,
    pub external_ids: BTreeMap<String, String>,
    /// A tunnel key asked for by the Northbound (`requested-tnl-key`).
    pub requested_key: Option<u32>,
}

impl DatapathBinding {
    /// The `type` column.
    pub fn type_(&self) -> &'static str {
        match self.kind {
            DatapathKind::Switch => "logical-switch",
            DatapathKind::Router => "logical-router",
        }
    }

    /// The datapath's name (`external_ids:name`).
    pub fn name(&self) -> &str {
        self.external_ids
            .get("name")
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// A `Port_Binding`, keyed by `logical_port`.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct PortBinding {
    pub logical_port: Text,
    /// The Northbound datapath the port is on.
    pub datapath: Uuid,
    /// `None` keeps whatever type the row has (an unknown Northbound type).
    pub type_: Option<String>,
    pub options: Smap,
    pub mac: Vec<Text>,
    pub port_security: Vec<Text>,
    pub parent_port: Option<String>,
    pub tag: Option<i64>,
    pub external_ids: Smap,
    pub nat_addresses: Vec<String>,
    /// A tunnel key asked for by the Northbound (`options:requested-tnl-key`).
    pub requested_key: Option<u32>,
    /// The `HA_Chassis_Group` (by name) of a chassis-redirect port.
    pub ha_chassis_group: Option<String>,
    /// Chassis names or hostnames from `options:requested-chassis`, in
    /// order: the first is `requested_chassis`, the rest
    /// `requested_additional_chassis` (resolved against SB `Chassis`).
    pub requested_chassis: Vec<Text>,
}

/// A `Multicast_Group` of a datapath, with its member ports by name.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct MulticastGroup {
    pub datapath: Uuid,
    pub name: String,
    pub tunnel_key: i64,
    pub ports: Vec<Text>,
}

/// A `DNS` row: the records of one Northbound `DNS` row and the switches
/// that use them.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Dns {
    /// Also the Southbound row's UUID.
    pub nb_uuid: Uuid,
    pub records: BTreeMap<String, String>,
    /// `options:ovn-owned`.
    pub ovn_owned: bool,
    /// Northbound UUIDs of the datapaths, sorted.
    pub datapaths: Vec<Uuid>,
}

/// The `IP_Multicast` row of a switch datapath.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct IpMulticast {
    pub datapath: Uuid,
    pub config: McastSwitchConfig,
}

/// The `SB_Global` row: the Northbound's global settings as ovn-northd
/// publishes them to ovn-controller.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct SbGlobal {
    pub options: BTreeMap<String, String>,
    pub nb_cfg: i64,
    pub ipsec: bool,
}

/// An `Address_Set` ovn-northd writes itself (`svc_monitor_mac`), keyed by
/// name.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct AddressSet {
    pub name: String,
    /// Sorted, without duplicates.
    pub addresses: Vec<String>,
}

/// A `Meter` (with its `Meter_Band`s) copied from the Northbound, keyed by
/// name: what flows' `controller_meter` names.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Meter {
    pub name: String,
    pub unit: String,
    /// (rate, burst size, action), sorted (ovn-northd compares them so).
    pub bands: Vec<(i64, i64, String)>,
}

/// A `Static_MAC_Binding` on the router of its `logical_port`, keyed by
/// (logical port, IP).
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct StaticMacBinding {
    pub logical_port: String,
    pub ip: String,
    pub mac: String,
    pub override_dynamic_mac: bool,
    /// The Northbound router the port is on.
    pub datapath: Uuid,
}

/// A `Chassis_Template_Var`, copied from the Northbound, keyed by chassis.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct ChassisTemplateVar {
    pub chassis: String,
    pub variables: BTreeMap<String, String>,
}

/// A Northbound `Meter` as read: its bands are rows of their own.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct NbMeter {
    pub name: String,
    pub unit: String,
    pub bands: Vec<Uuid>,
}

/// A Northbound `Meter_Band`: (rate, burst size, action).
pub type NbMeterBand = (i64, i64, String);

/// A Northbound `Static_MAC_Binding` (its router is its port's).
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct NbStaticMacBinding {
    pub logical_port: String,
    pub ip: String,
    pub mac: String,
    pub override_dynamic_mac: bool,
}

/// An `HA_Chassis_Group` for a distributed gateway port: named after the
/// port (from its `gateway_chassis`) or after its Northbound
/// `HA_Chassis_Group`, with its chassis by name and priority.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct HaChassisGroup {
    pub name: String,
    /// (chassis name, priority), sorted.
    pub members: Vec<(String, i64)>,
}

/// A Northbound `Gateway_Chassis` or `HA_Chassis`: (chassis name, priority).
pub type NbHaChassis = (String, i64);

/// A Northbound `HA_Chassis_Group`.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct NbHaChassisGroup {
    pub name: String,
    pub ha_chassis: Vec<Uuid>,
}
