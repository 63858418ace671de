//! The Southbound image: the content northflow wants in the Southbound,
//! keyed by natural keys, kept current by applying the engine's deltas.
//! Southbound UUIDs and tunnel keys are not part of it: `sync` assigns them
//! against what the database already has.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::sync::Arc;

use northflow_ir::binding::{
    AddressSet, ChassisTemplateVar, DatapathBinding, Dns, HaChassisGroup, IpMulticast, Meter,
    MulticastGroup, PortBinding, SbGlobal, StaticMacBinding,
};
use northflow_ir::intern::Text;
use northflow_ir::lflow::{has_port_key_ref, resolve_port_key_refs, Flow, LogicalFlow, StageHint};
use northflow_ir::stage::Pipeline;
use northflow_ir::Uuid;
use serde_json::json;

use crate::engine::OutputDelta;

/// Where a logical flow is installed, and the rows it came from: the
/// (datapath, hint) pairs the engine emitted for it, counted (the same flow
/// may come from several rows of one datapath). Most flows are on one
/// datapath from one row: that case is held inline; a flow on several
/// datapaths keeps a map, updated in O(log n) per pair whatever the number
/// of datapaths.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FlowPlacement {
    One {
        dp: Uuid,
        hint: Option<StageHint>,
        n: isize,
    },
    Many(BTreeMap<(Uuid, Option<StageHint>), isize>),
}

impl FlowPlacement {
    /// Northbound UUIDs of the datapaths, sorted.
    pub fn datapaths(&self) -> Vec<Uuid> {
        match self {
            FlowPlacement::One { dp, .. } => vec![*dp],
            FlowPlacement::Many(m) => {
                let mut v: Vec<Uuid> = m.keys().map(|(dp, _)| *dp).collect();
                v.dedup();
                v
            }
        }
    }

    pub fn n_datapaths(&self) -> usize {
        match self {
            FlowPlacement::One { .. } => 1,
            FlowPlacement::Many(_) => self.datapaths().len(),
        }
    }

    /// The Northbound row named in `external_ids:stage-hint`: the smallest.
    pub fn hint(&self) -> Option<StageHint> {
        match self {
            FlowPlacement::One { hint, .. } => *hint,
            FlowPlacement::Many(m) => m.keys().filter_map(|(_, h)| *h).min(),
        }
    }

    fn new(dp: Uuid, hint: Option<StageHint>, n: isize) -> FlowPlacement {
        FlowPlacement::One { dp, hint, n }
    }

    /// Adds `r` to the count of (dp, hint); false when nothing is left.
    fn add(&mut self, dp: Uuid, hint: Option<StageHint>, r: isize) -> bool {
        match self {
            FlowPlacement::One { dp: d, hint: h, n } if (*d, *h) == (dp, hint) => {
                *n += r;
                *n != 0
            }
            FlowPlacement::One { dp: d, hint: h, n } => {
                let m = BTreeMap::from([((*d, *h), *n), ((dp, hint), r)]);
                *self = FlowPlacement::Many(m);
                true
            }
            FlowPlacement::Many(m) => {
                let n = m.entry((dp, hint)).or_default();
                *n += r;
                if *n == 0 {
                    m.remove(&(dp, hint));
                }
                if m.len() == 1 {
                    let (&(d, h), &n) = m.iter().next().expect("one entry");
                    *self = FlowPlacement::One { dp: d, hint: h, n };
                }
                !matches!(self, FlowPlacement::Many(m) if m.is_empty())
            }
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SbImage {
    /// Flows (without their hint), each with the datapaths it is on.
    pub flows: BTreeMap<Flow, FlowPlacement>,
    /// The flows whose text names a port's tunnel key
    /// (`lflow::port_key_ref`), resolved when the Southbound is written.
    pub flows_naming_port_keys: BTreeSet<Flow>,
    pub datapaths: BTreeMap<Uuid, DatapathBinding>,
    pub ports: BTreeMap<Text, Arc<PortBinding>>,
    pub multicast_groups: BTreeMap<(Uuid, String), MulticastGroup>,
    pub ip_multicast: BTreeMap<Uuid, IpMulticast>,
    /// SB `DNS` rows by Northbound `DNS` UUID.
    pub dns: BTreeMap<Uuid, Dns>,
    /// `SB_Global` (one row, once there is an `NB_Global`).
    pub sb_global: BTreeMap<(), SbGlobal>,
    /// The address sets northd writes, by name.
    pub address_sets: BTreeMap<String, AddressSet>,
    pub meters: BTreeMap<String, Meter>,
    pub ha_chassis_groups: BTreeMap<String, HaChassisGroup>,
    /// By (logical port, IP).
    pub static_mac_bindings: BTreeMap<(String, String), StaticMacBinding>,
    /// By chassis.
    pub chassis_template_vars: BTreeMap<String, ChassisTemplateVar>,
}

impl SbImage {
    /// Applies a consolidated delta: flow pairs are counted; for keyed rows
    /// removals go first, then insertions, so a changed value (one of each)
    /// ends up as its new version.
    pub fn apply(&mut self, delta: &OutputDelta) {
        for ((flow, (dp, hint)), r) in &delta.flows {
            match self.flows.get_mut(flow) {
                Some(p) => {
                    if !p.add(*dp, *hint, *r) {
                        self.flows.remove(flow);
                        self.flows_naming_port_keys.remove(flow);
                    }
                }
                None => {
                    self.flows
                        .insert(flow.clone(), FlowPlacement::new(*dp, *hint, *r));
                    if has_port_key_ref(&flow.actions) || has_port_key_ref(&flow.match_) {
                        self.flows_naming_port_keys.insert(flow.clone());
                    }
                }
            }
        }
        for pass in [-1isize, 1] {
            apply_keyed(&mut self.datapaths, &delta.datapaths, pass, |d| d.nb_uuid);
            apply_keyed(&mut self.ports, &delta.ports, pass, |p| {
                p.logical_port.clone()
            });
            apply_keyed(
                &mut self.multicast_groups,
                &delta.multicast_groups,
                pass,
                |m| (m.datapath, m.name.clone()),
            );
            apply_keyed(&mut self.ip_multicast, &delta.ip_multicast, pass, |m| {
                m.datapath
            });
            apply_keyed(&mut self.dns, &delta.dns, pass, |d| d.nb_uuid);
            apply_keyed(&mut self.sb_global, &delta.sb_global, pass, |_| ());
            apply_keyed(&mut self.address_sets, &delta.address_sets, pass, |a| {
                a.name.clone()
            });
            apply_keyed(&mut self.meters, &delta.meters, pass, |m| m.name.clone());
            apply_keyed(
                &mut self.ha_chassis_groups,
                &delta.ha_chassis_groups,
                pass,
                |g| g.name.clone(),
            );
            apply_keyed(
                &mut self.static_mac_bindings,
                &delta.static_mac_bindings,
                pass,
                |b| (b.logical_port.clone(), b.ip.clone()),
            );
            apply_keyed(
                &mut self.chassis_template_vars,
                &delta.chassis_template_vars,
                pass,
                |v| v.chassis.clone(),
            );
        }
    }

    /// Datapaths in `ovn-sbctl lflow-list` order: by name, then UUID.
    fn sorted_datapaths(&self) -> Vec<&DatapathBinding> {
        let mut dps: Vec<&DatapathBinding> = self.datapaths.values().collect();
        dps.sort_by(|a, b| a.name().cmp(b.name()).then(a.nb_uuid.cmp(&b.nb_uuid)));
        dps
    }

    /// Flows per datapath in `lflow-list` order: pipeline, table, priority
    /// (high first), match, actions.
    /// Each datapath's flows in `lflow-list` order, port tunnel keys
    /// written in as an empty Southbound would get them.
    fn flows_by_datapath(&self) -> BTreeMap<Uuid, Vec<Cow<'_, LogicalFlow>>> {
        let keys = match self.flows_naming_port_keys.is_empty() {
            true => BTreeMap::new(),
            false => crate::sync::fresh_port_keys(self),
        };
        let key = |port: &str| keys.get(port).copied();
        let mut by_dp: BTreeMap<Uuid, Vec<Cow<'_, LogicalFlow>>> = BTreeMap::new();
        for (flow, placement) in &self.flows {
            let flow: Cow<'_, LogicalFlow> = match self.flows_naming_port_keys.contains(flow) {
                false => Cow::Borrowed(flow),
                true => Cow::Owned(LogicalFlow {
                    match_: resolve_port_key_refs(&flow.match_, key)
                        .map_or_else(|| flow.match_.clone(), |m| Text::from(m.as_str())),
                    actions: resolve_port_key_refs(&flow.actions, key)
                        .map_or_else(|| flow.actions.clone(), |a| Text::from(a.as_str())),
                    ..(**flow).clone()
                }),
            };
            for dp in placement.datapaths() {
                by_dp.entry(dp).or_default().push(flow.clone());
            }
        }
        for flows in by_dp.values_mut() {
            flows.sort_by(|a, b| {
                (a.stage.pipeline(), a.stage.table())
                    .cmp(&(b.stage.pipeline(), b.stage.table()))
                    .then(b.priority.cmp(&a.priority))
                    .then(a.match_.cmp(&b.match_))
                    .then(a.actions.cmp(&b.actions))
            });
        }
        by_dp
    }

    /// The logical flows in the text format of `ovn-sbctl lflow-list`. The
    /// UUID in each datapath header is the Northbound UUID of the datapath.
    pub fn lflow_list(&self) -> String {
        let by_dp = self.flows_by_datapath();
        let mut s = String::new();
        for dp in self.sorted_datapaths() {
            let Some(flows) = by_dp.get(&dp.nb_uuid) else {
                continue;
            };
            let mut name = quoted(dp.name());
            if let Some(n2) = dp.external_ids.get("name2") {
                name = format!("{name} aka {}", quoted(n2));
            }
            for pipeline in [Pipeline::Ingress, Pipeline::Egress] {
                let mut header = false;
                for f in flows.iter().filter(|f| f.stage.pipeline() == pipeline) {
                    if !header {
                        let _ = writeln!(
                            s,
                            "Datapath: {name} ({})  Pipeline: {}",
                            dp.nb_uuid,
                            pipeline.as_str()
                        );
                        header = true;
                    }
                    s.push_str(&f.lflow_list_line());
                    s.push('\n');
                }
            }
        }
        s
    }

    /// The logical flows as JSON: one object per datapath, flows in
    /// `lflow-list` order.
    pub fn lflows_json(&self) -> serde_json::Value {
        let by_dp = self.flows_by_datapath();
        let dps: Vec<serde_json::Value> = self
            .sorted_datapaths()
            .into_iter()
            .map(|dp| {
                let flows: Vec<serde_json::Value> = by_dp
                    .get(&dp.nb_uuid)
                    .into_iter()
                    .flatten()
                    .map(|f| {
                        json!({
                            "pipeline": f.stage.pipeline().as_str(),
                            "table_id": f.stage.table(),
                            "stage": f.stage.name(),
                            "priority": f.priority,
                            "match": f.match_,
                            "actions": f.actions,
                            "controller_meter": f.controller_meter,
                            "flow_desc": f.desc,
                            "in_out_port": f.io_port,
                        })
                    })
                    .collect();
                json!({"datapath": dp.name(), "nb_uuid": dp.nb_uuid.to_string(), "flows": flows})
            })
            .collect();
        json!({ "datapaths": dps })
    }

    /// How many `Logical_Flow` rows the image makes.
    pub fn flow_rows(&self) -> usize {
        self.flows.len()
    }
}

/// A name between plain quotes, as ovn-sbctl prints datapath names (it
/// does not escape them).
fn quoted(s: &str) -> String {
    format!("\"{s}\"")
}

fn apply_keyed<K: Ord, V: PartialEq + Clone>(
    map: &mut BTreeMap<K, V>,
    delta: &[(V, isize)],
    pass: isize,
    key: impl Fn(&V) -> K,
) {
    for (v, r) in delta {
        if r.signum() != pass {
            continue;
        }
        if pass > 0 {
            map.insert(key(v), v.clone());
        } else if map.get(&key(v)) == Some(v) {
            map.remove(&key(v));
        }
    }
}
