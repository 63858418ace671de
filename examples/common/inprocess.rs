//! In-process figures: the size of a cold image, and what an incremental
//! change costs (latency, flow pairs, the Southbound rows it would write,
//! whether its revert undoes it exactly).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, Instant};

use northflow::engine::OutputDelta;
use northflow::image::{FlowPlacement, SbImage};
use northflow::{Compiler, RowChange};
use northflow_ir::lflow::Flow;

use super::report::{vm_hwm_kb, vm_rss_kb, Report};

/// The image after a cold compile (flow rows, grouping, bindings,
/// diagnostics) and the process's memory then; returns its flow rows.
pub fn cold_image(compiler: &Compiler, report: &mut Report) -> usize {
    let image = compiler.image();
    let flow_rows = image.flow_rows();
    let dp_flows: usize = image.flows.values().map(|p| p.n_datapaths()).sum();
    let grouped = image.flows.values().filter(|p| p.n_datapaths() > 1).count();
    report.count("flow_rows", "Logical_Flow rows (image)", flow_rows);
    report.count(
        "flows_by_datapath",
        "flows summed over datapaths (lflow-list lines)",
        dp_flows,
    );
    report.count(
        "flow_rows_multi_dp",
        "Logical_Flow rows on >1 datapath (dp groups)",
        grouped,
    );
    report.count(
        "datapaths",
        "Datapath_Binding (image)",
        image.datapaths.len(),
    );
    report.count("port_bindings", "Port_Binding (image)", image.ports.len());
    report.count(
        "multicast_groups",
        "Multicast_Group (image)",
        image.multicast_groups.len(),
    );
    report.count(
        "diagnostics",
        "compiler diagnostics",
        compiler.diagnostics().count(),
    );
    if let Some(kb) = vm_hwm_kb(Path::new("/proc/self/status")) {
        report.mb(
            "hwm_after_compile_mb",
            "process VmHWM after cold compile",
            kb,
        );
    }
    if let Some(kb) = vm_rss_kb(Path::new("/proc/self/status")) {
        report.mb(
            "rss_after_compile_mb",
            "process VmRSS after cold compile",
            kb,
        );
    }
    flow_rows
}

/// One change applied as one batch and reverted, `reps` times.
pub struct Step {
    pub add: Vec<Duration>,
    pub del: Vec<Duration>,
    /// The first add's delta.
    pub delta: OutputDelta,
    /// The Southbound rows the first add would write.
    pub sb_rows: usize,
    /// Whether the first revert was exactly the add with signs flipped.
    pub undone: bool,
}

/// Applies `add` then `del` (its revert), each as one batch, `reps` times.
/// No copy of the whole image (it would dominate the process's peak): the
/// placements of the flows the change touches, after it and (once it is
/// reverted) before it.
pub fn step(compiler: &mut Compiler, add: &[RowChange], del: &[RowChange], reps: usize) -> Step {
    let (mut add_t, mut del_t) = (Vec::new(), Vec::new());
    let mut first = None;
    for _ in 0..reps.max(1) {
        let t = Instant::now();
        let d = compiler.apply(add);
        add_t.push(t.elapsed());
        let after = first.is_none().then(|| placements(compiler.image(), &d));
        let t = Instant::now();
        let undo = compiler.apply(del);
        del_t.push(t.elapsed());
        if let Some(after) = after {
            let before = placements(compiler.image(), &d);
            let sb_rows = sb_rows_written(&before, &after, &d);
            first = Some((negates(&d, &undo), sb_rows, d));
        }
    }
    let (undone, sb_rows, delta) = first.unwrap_or_default();
    Step {
        add: add_t,
        del: del_t,
        delta,
        sb_rows,
        undone,
    }
}

/// The placement of each flow a delta touches.
type Placements = BTreeMap<Flow, Option<FlowPlacement>>;

fn placements(image: &SbImage, d: &OutputDelta) -> Placements {
    d.flows
        .iter()
        .map(|((f, _), _)| (f.clone(), image.flows.get(f).cloned()))
        .collect()
}

/// Whether `undo` is exactly `d` with every sign flipped.
fn negates(d: &OutputDelta, undo: &OutputDelta) -> bool {
    fn neg<T: Clone>(v: &[(T, isize)]) -> Vec<(T, isize)> {
        v.iter().map(|(t, r)| (t.clone(), -r)).collect()
    }
    neg(&d.flows) == undo.flows
        && neg(&d.datapaths) == undo.datapaths
        && neg(&d.ports) == undo.ports
        && neg(&d.multicast_groups) == undo.multicast_groups
        && neg(&d.ip_multicast) == undo.ip_multicast
        && neg(&d.dns) == undo.dns
        && neg(&d.diagnostics) == undo.diagnostics
}

/// The Southbound rows a change from `before` to `after` (by delta `d`)
/// writes, as the sync planner writes them: a flow row inserted, deleted or
/// moved off a single datapath is one write; flows that move together from
/// one group of datapaths to another share one in-place `Logical_DP_Group`
/// update; every other row (keyed by its natural key) changed once.
fn sb_rows_written(before: &Placements, after: &Placements, d: &OutputDelta) -> usize {
    let mut group_moves = BTreeSet::new();
    let mut flows = 0;
    for (f, b) in before {
        match (b, &after[f]) {
            (Some(b), Some(a)) if b.n_datapaths() > 1 => {
                group_moves.insert((b.datapaths(), a.datapaths()));
            }
            (None, None) => {}
            _ => flows += 1,
        }
    }
    fn keys<T, K: Ord>(v: &[(T, isize)], key: impl Fn(&T) -> K) -> usize {
        v.iter().map(|(t, _)| key(t)).collect::<BTreeSet<K>>().len()
    }
    flows
        + group_moves.len()
        + keys(&d.datapaths, |x| x.nb_uuid)
        + keys(&d.ports, |x| x.logical_port.clone())
        + keys(&d.multicast_groups, |x| (x.datapath, x.name.clone()))
        + keys(&d.ip_multicast, |x| x.datapath)
        + keys(&d.dns, |x| x.nb_uuid)
}

/// What a delta adds and removes, per Southbound kind.
pub fn describe(d: &OutputDelta) -> String {
    fn pm<T>(v: &[(T, isize)]) -> String {
        let plus = v.iter().filter(|(_, r)| *r > 0).count();
        format!("+{plus}/-{}", v.len() - plus)
    }
    format!(
        "flows {} datapaths {} ports {} mcast {} ip_mcast {}",
        pm(&d.flows),
        pm(&d.datapaths),
        pm(&d.ports),
        pm(&d.multicast_groups),
        pm(&d.ip_multicast)
    )
}
