//! `Logical_Flow` and `Logical_DP_Group` through `keyed::sync`. A flow's
//! key is its identity (`Flow`, read back from a row through its stage on
//! its datapaths' kind); a group's key is its set of Northbound datapaths.
//! A group whose set is no longer wanted is updated in place when every
//! flow that moves off it moves to one same new set (a switch added to
//! every switch-wide flow), as ovn-northd does; unreferenced groups are
//! garbage-collected by the server (the table is not a root table).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use northflow_ir::intern::Text;
use northflow_ir::lflow::{Flow, LogicalFlow, StageHint};
use northflow_ir::row::{Column, Table};
use northflow_ir::sb;
use northflow_ir::stage::{DatapathKind, Pipeline, Stage};
use northflow_ir::Uuid;
use northflow_ovsdb::{Datum, Row};

use super::keyed::{Keyed, Synced};
use super::tables::DatapathRefs;
use super::{datapath_nb_key, typed, RowRef, Tables, Txn};
use crate::image::FlowPlacement;

/// The existing flows' identities and groups' sets, read once.
pub(super) struct FlowIndex {
    flows: HashMap<Uuid, Flow>,
    group_sets: BTreeMap<Uuid, Vec<Uuid>>,
}

impl FlowIndex {
    /// The index, and the existing flows (parsed once for all the steps).
    pub fn new(sb: &Tables, datapaths: &DatapathRefs) -> (FlowIndex, Vec<sb::LogicalFlow>) {
        let groups: Vec<sb::LogicalDpGroup> = typed(sb);
        let group_sets = groups
            .iter()
            .map(|g| {
                let mut set: Vec<Uuid> = g
                    .datapaths
                    .iter()
                    .filter_map(|d| datapaths.nb_of.get(d).copied())
                    .collect();
                set.sort();
                set.dedup();
                (g.uuid, set)
            })
            .collect();
        // A flow's kind is its datapath's (a group's are all of one kind).
        let dp_kind: BTreeMap<Uuid, DatapathKind> = typed::<sb::DatapathBinding>(sb)
            .into_iter()
            .filter_map(|d| Some((d.uuid, datapath_nb_key(&d)?.1)))
            .collect();
        let group_first_dp: BTreeMap<Uuid, Uuid> = groups
            .iter()
            .filter_map(|g| Some((g.uuid, *g.datapaths.first()?)))
            .collect();
        let rows: Vec<sb::LogicalFlow> = typed(sb);
        let flows = rows
            .iter()
            .filter_map(|f| {
                let dp = f
                    .logical_datapath
                    .or_else(|| group_first_dp.get(&f.logical_dp_group?).copied())?;
                Some((f.uuid, flow_key(f, *dp_kind.get(&dp)?)?))
            })
            .collect();
        (FlowIndex { flows, group_sets }, rows)
    }

    /// Where an existing flow is: its datapaths' Northbound UUIDs, sorted.
    fn placement(&self, f: &sb::LogicalFlow, datapaths: &DatapathRefs) -> Vec<Uuid> {
        match (f.logical_datapath, f.logical_dp_group) {
            (Some(d), _) => datapaths
                .nb_of
                .get(&d)
                .map(|n| vec![*n])
                .unwrap_or_default(),
            (None, Some(g)) => self.group_sets.get(&g).cloned().unwrap_or_default(),
            (None, None) => Vec::new(),
        }
    }
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

/// The image's flows with the port tunnel keys they name written in (a
/// flow whose port has no key yet is left out until it has one).
pub(super) fn with_port_keys(
    image: &crate::image::SbImage,
    key_of: &BTreeMap<Text, i64>,
) -> BTreeMap<Flow, FlowPlacement> {
    let mut flows = image.flows.clone();
    for f in &image.flows_naming_port_keys {
        let Some(placement) = flows.remove(f) else {
            continue;
        };
        let key = |port: &str| key_of.get(port).copied();
        let (Some(match_), Some(actions)) = (
            northflow_ir::lflow::resolve_port_key_refs(&f.match_, key),
            northflow_ir::lflow::resolve_port_key_refs(&f.actions, key),
        ) else {
            continue;
        };
        let resolved = LogicalFlow {
            match_: Text::from(match_.as_str()),
            actions: Text::from(actions.as_str()),
            ..(**f).clone()
        };
        flows.insert(Flow::new(resolved), placement);
    }
    flows
}

/// The datapath sets of the image's flows on more than one datapath.
pub(super) fn wanted_groups(flows: &BTreeMap<Flow, FlowPlacement>) -> BTreeMap<Vec<Uuid>, ()> {
    flows
        .values()
        .filter(|p| p.n_datapaths() > 1)
        .map(|p| (p.datapaths(), ()))
        .collect()
}

/// `Logical_DP_Group`, by datapath set.
pub(super) struct DpGroups<'a> {
    datapaths: &'a DatapathRefs,
    index: &'a FlowIndex,
    /// Per existing group, the new sets its flows move to.
    moves: BTreeMap<Uuid, BTreeSet<Vec<Uuid>>>,
    /// Groups updated in place to a new set.
    pub reused: BTreeSet<Uuid>,
}

impl<'a> DpGroups<'a> {
    pub fn new(
        datapaths: &'a DatapathRefs,
        index: &'a FlowIndex,
        flows: &BTreeMap<Flow, FlowPlacement>,
        existing_flows: &[sb::LogicalFlow],
    ) -> DpGroups<'a> {
        let existing: BTreeSet<&Vec<Uuid>> = index.group_sets.values().collect();
        let wanted: HashMap<&Flow, Vec<Uuid>> = flows
            .iter()
            .filter(|(_, p)| p.n_datapaths() > 1)
            .map(|(f, p)| (f, p.datapaths()))
            .filter(|(_, set)| !existing.contains(set))
            .collect();
        let mut moves: BTreeMap<Uuid, BTreeSet<Vec<Uuid>>> = BTreeMap::new();
        if !wanted.is_empty() {
            for f in existing_flows {
                let (Some(g), Some(key)) = (f.logical_dp_group, index.flows.get(&f.uuid)) else {
                    continue;
                };
                if let Some(set) = wanted.get(key) {
                    moves.entry(g).or_default().insert(set.clone());
                }
            }
        }
        DpGroups {
            datapaths,
            index,
            moves,
            reused: BTreeSet::new(),
        }
    }

    fn row(&self, set: &[Uuid]) -> Row {
        let mut row = Row::new();
        row.insert(
            "datapaths".into(),
            Datum::set(
                set.iter()
                    .filter_map(|d| self.datapaths.rows.get(d))
                    .map(RowRef::atom),
            ),
        );
        row
    }
}

impl Keyed for DpGroups<'_> {
    type Sb = sb::LogicalDpGroup;
    type Key = Vec<Uuid>;
    type Want = ();

    fn key(&self, row: &sb::LogicalDpGroup) -> Option<Vec<Uuid>> {
        self.index.group_sets.get(&row.uuid).cloned()
    }

    fn row(&mut self, set: &Vec<Uuid>, _: &(), old: Option<&Self::Sb>) -> Option<Row> {
        // An existing group keeps its set.
        old.is_none().then(|| DpGroups::row(self, set))
    }

    /// A stale group whose moving flows all go to one set not planned yet
    /// becomes that set's group.
    fn settle(&mut self, t: &mut Txn, synced: &mut Synced<Vec<Uuid>>) {
        for g in std::mem::take(&mut synced.stale) {
            match self.moves.get(&g) {
                Some(targets) if targets.len() == 1 => {
                    let target = targets.first().expect("one target");
                    if synced.refs.contains_key(target) {
                        synced.stale.push(g);
                        continue;
                    }
                    t.update(Self::Sb::TABLE, g, DpGroups::row(self, target));
                    synced.refs.insert(target.clone(), RowRef::Existing(g));
                    self.reused.insert(g);
                }
                _ => synced.stale.push(g),
            }
        }
    }
}

/// `Logical_Flow`, by identity; placed on its datapath or on its set's group.
pub(super) struct LogicalFlows<'a> {
    /// The existing rows, from [`FlowIndex::new`].
    pub rows: Vec<sb::LogicalFlow>,
    pub datapaths: &'a DatapathRefs,
    pub index: &'a FlowIndex,
    pub groups: &'a BTreeMap<Vec<Uuid>, RowRef>,
    pub reused: &'a BTreeSet<Uuid>,
}

impl LogicalFlows<'_> {
    /// The `logical_datapath` and `logical_dp_group` columns of a placement;
    /// `None` while its datapaths or group cannot be referred to.
    fn place(&self, dps: &[Uuid]) -> Option<(Datum, Datum)> {
        match dps {
            [] => None,
            [one] => Some((
                Datum::Set(vec![self.datapaths.rows.get(one)?.atom()]),
                Datum::empty(),
            )),
            set => Some((
                Datum::empty(),
                Datum::Set(vec![self.groups.get(set)?.atom()]),
            )),
        }
    }
}

impl Keyed for LogicalFlows<'_> {
    type Sb = sb::LogicalFlow;
    type Key = Flow;
    type Want = FlowPlacement;

    fn existing(&mut self, _: &Tables) -> Vec<sb::LogicalFlow> {
        std::mem::take(&mut self.rows)
    }

    fn key(&self, row: &sb::LogicalFlow) -> Option<Flow> {
        self.index.flows.get(&row.uuid).cloned()
    }

    fn keep(&mut self, _: &sb::LogicalFlow, want: &FlowPlacement) -> bool {
        self.place(&want.datapaths()).is_some()
    }

    fn row(&mut self, k: &Flow, want: &FlowPlacement, old: Option<&Self::Sb>) -> Option<Row> {
        let dps = want.datapaths();
        let (dp, group) = self.place(&dps)?;
        let mut row = Row::new();
        let same_place = old.is_some_and(|old| {
            self.index.placement(old, self.datapaths) == dps
                && !old
                    .logical_dp_group
                    .is_some_and(|g| self.reused.contains(&g) && dps.len() < 2)
        });
        if !same_place {
            row.insert("logical_datapath".into(), dp);
            row.insert("logical_dp_group".into(), group);
        }
        // external_ids are hints: a flow another northd wrote (with its
        // `source` line) is left alone while its stage matches.
        if !old.is_some_and(|o| {
            o.external_ids.get("stage-name").map(String::as_str) == Some(k.stage.name())
        }) {
            row.insert(
                "external_ids".into(),
                external_ids(k, want.hint()).to_datum(),
            );
        }
        if old.is_none() {
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
        }
        Some(row)
    }
}

fn external_ids(f: &LogicalFlow, hint: Option<StageHint>) -> BTreeMap<String, String> {
    let mut ids = BTreeMap::new();
    ids.insert("stage-name".to_owned(), f.stage.name().to_owned());
    if let Some(h) = hint {
        ids.insert("stage-hint".to_owned(), h.to_string());
    }
    ids
}
