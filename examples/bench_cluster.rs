//! Generated ovn-kubernetes clusters (`northflow::scenario`: N nodes × P
//! pods, no load balancers or ACLs yet), as one central Northbound and as
//! the Northbound of node 0's interconnect zone, compiled by northflow
//! in-process, by `northflow --once` against real ovsdb-servers, and by the
//! real `ovn-northd` 26.03.1. It prints figures; it is not a test.
//!
//! ```text
//! cargo build --release --bin northflow
//! cargo run --release --example bench_cluster -- [--nodes 250] [--pods 40] [--seed 1] \
//!     [--egress] [--shape central|zone] [--reps 5] [--skip-northd] [--skip-servers]
//! cargo run --release --example bench_cluster -- --nodes 50,250 --skip-servers
//! ```
//!
//! Each (size, shape) runs in a child process of its own (so that its peak
//! RSS is its own); both shapes by default. Three changes, each applied as
//! one batch and then reverted exactly: **add node** (the rows by which the
//! cluster of N+1 nodes differs from that of N, and its SB `Chassis`: in a
//! zone, a remote node), **add route** (a static route on the cluster
//! router) and **add policy** (an EgressIP-like reroute policy on it).
//! In-process: the median of `--reps`, the (flow, datapath) pairs emitted
//! and the Southbound rows they would write. Against ovn-northd: the change
//! and an `nb_cfg` bump in one NB transaction, timed until `sb_cfg` catches
//! up, median of 3 (as `shared/ovn-reference.md` measured it); a new
//! node's `Chassis` goes to the SB, and northd catches up, before the timed
//! NB transaction.
//!
//! Last, a table and one summary JSON object per (size, shape) on its own
//! line: `nodes`, `pods`, `shape`, `egress`, `lflow_rows`, `cold_s`,
//! `add_{node,route,policy}_{ms,pairs,sb_rows}`, `once_cold_s`,
//! `northd_lflow_rows`, `northd_cold_s`, `northd_add_{node,route,policy}_ms`,
//! `peak_rss_mb` (of the in-process part: counting Southbound rows later
//! reads them whole), `once_rss_mb` (`--once` cold), `northd_rss_mb`
//! (northd's peak after the changes).
//!
//! The `northflow` binary is taken from next to this example's own
//! executable (`target/release/northflow`), so build it first. Every server
//! and daemon is a child process in a temp dir, killed through its handle
//! and the dir removed at the end (`NORTHFLOW_KEEP_BENCH=1` keeps the dir).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};
use common::inprocess::{cold_image, describe, step};
use common::report::{vm_hwm_kb, Report};
use common::sandbox::Sandbox;
use common::servers::{northd, northflow_bin, northflow_once, LONG};
use common::R;
use northflow::input::Input;
use northflow::scenario::{write_to_server, Cluster, Shape};
use northflow::sync::Tables;
use northflow::{Compiler, Db, RowChange};
use northflow_ir::nb::{LogicalRouter, LogicalRouterPolicy, LogicalRouterStaticRoute};
use northflow_ir::row::Table;
use northflow_ovsdb::transaction::selected_rows;
use northflow_ovsdb::{
    Atom, Client, Condition, Datum, Mutation, Mutator, Operation, Row, Uuid, WaitUntil,
};
use serde_json::{json, Value};

const NAME: &str = "bench_cluster";
const NB_DB: &str = "OVN_Northbound";
const SB_DB: &str = "OVN_Southbound";
/// Repetitions of each change against ovn-northd (each takes seconds at
/// hundreds of nodes).
const NORTHD_REPS: usize = 3;
/// The rows the route and policy changes add (random-looking, as the
/// generator's: ovsdb-server hashes a UUID by its first bits).
const ROUTE: Uuid = Uuid(0x7d1c_0c5e_3a44_4b6e_9d2f_0b8e_5a6c_1f01);
const POLICY: Uuid = Uuid(0xc2a9_61f4_85d0_4e17_a3b2_6f09_d41e_7c52);

#[derive(Parser)]
#[command(about = "northflow vs ovn-northd on generated ovn-kubernetes clusters")]
struct Args {
    /// Nodes in the cluster (1..=500); a comma-separated list runs each.
    #[arg(long, value_delimiter = ',', default_values_t = [250])]
    nodes: Vec<u32>,
    /// Pods per node (0..=500).
    #[arg(long, default_value_t = 40)]
    pods: u32,
    /// The generator's seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// EgressIP/EgressService/EgressFirewall support (policies, QoS mark,
    /// address sets).
    #[arg(long)]
    egress: bool,
    /// Which Northbound: the whole cluster or node 0's interconnect zone;
    /// both when not given.
    #[arg(long, value_enum)]
    shape: Option<ShapeArg>,
    /// Repetitions of each in-process change and its revert.
    #[arg(long, default_value_t = 5)]
    reps: usize,
    /// Do not run the real ovn-northd.
    #[arg(long)]
    skip_northd: bool,
    /// Only the in-process figures (no ovsdb-servers, no northd).
    #[arg(long)]
    skip_servers: bool,
    /// Run the first size and the given shape in this process (how each
    /// child runs).
    #[arg(long, hide = true)]
    child: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ShapeArg {
    Central,
    Zone,
}

impl ShapeArg {
    fn shape(self) -> Shape {
        match self {
            ShapeArg::Central => Shape::Central,
            ShapeArg::Zone => Shape::Zone { local: 0 },
        }
    }

    fn name(self) -> &'static str {
        match self {
            ShapeArg::Central => "central",
            ShapeArg::Zone => "zone",
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.child {
        return common::run_one(NAME, |report| run(&args, report));
    }
    common::exit(NAME, parent(&args))
}

/// Runs each (size, shape) in a child process, then prints the table and
/// one summary JSON line per run.
fn parent(args: &Args) -> R<()> {
    let shapes = match args.shape {
        Some(s) => vec![s],
        None => vec![ShapeArg::Central, ShapeArg::Zone],
    };
    let combos: Vec<(u32, ShapeArg)> = args
        .nodes
        .iter()
        .flat_map(|n| shapes.iter().map(move |s| (*n, *s)))
        .collect();
    let runs: Vec<(String, Vec<String>)> = combos
        .iter()
        .map(|(n, shape)| {
            let mut a = vec![
                "--child".to_owned(),
                format!("--nodes={n}"),
                format!("--pods={}", args.pods),
                format!("--seed={}", args.seed),
                format!("--shape={}", shape.name()),
                format!("--reps={}", args.reps),
            ];
            for (on, flag) in [
                (args.egress, "--egress"),
                (args.skip_northd, "--skip-northd"),
                (args.skip_servers, "--skip-servers"),
            ] {
                if on {
                    a.push(flag.to_owned());
                }
            }
            (format!("{n} nodes, {}", shape.name()), a)
        })
        .collect();
    let reports = common::children(&runs)?;
    let summaries: Vec<Value> = combos
        .iter()
        .zip(&reports)
        .map(|((n, shape), full)| summary(args, *n, *shape, full))
        .collect();
    table(&summaries);
    for s in summaries {
        println!("{s}");
    }
    Ok(())
}

/// The summary of one run's full report.
fn summary(args: &Args, nodes: u32, shape: ShapeArg, full: &Value) -> Value {
    let at = |p: &str| full.pointer(p).cloned().unwrap_or(Value::Null);
    let mut s = json!({
        "nodes": nodes,
        "pods": args.pods,
        "shape": shape.name(),
        "egress": args.egress,
        "lflow_rows": at("/flow_rows"),
        "cold_s": at("/cold_compile_s"),
        "once_cold_s": at("/once_cold_s"),
        "northd_lflow_rows": at("/northd_sb/Logical_Flow"),
        "northd_cold_s": at("/northd_cold_s"),
        "peak_rss_mb": at("/inprocess_peak_rss_mb"),
        "once_rss_mb": at("/once_cold_rss_mb"),
        "northd_rss_mb": at("/northd_end_rss_mb"),
    });
    for key in CHANGES {
        s[format!("{key}_ms")] = at(&format!("/{key}/median_ms"));
        s[format!("{key}_pairs")] = at(&format!("/{key}_pairs"));
        s[format!("{key}_sb_rows")] = at(&format!("/{key}_sb_rows"));
        s[format!("northd_{key}_ms")] = at(&format!("/northd_{key}/median_ms"));
    }
    s
}

/// The summaries as a Markdown table.
fn table(summaries: &[Value]) {
    let col = |h: &str, k: &str| (h.to_owned(), k.to_owned());
    let mut columns = vec![
        col("nodes", "nodes"),
        col("pods", "pods"),
        col("shape", "shape"),
        col("lflows", "lflow_rows"),
        col("cold s", "cold_s"),
    ];
    for key in CHANGES {
        let label = key.replace('_', " ");
        columns.push((format!("{label} ms"), format!("{key}_ms")));
        columns.push(col("pairs", &format!("{key}_pairs")));
        columns.push(col("SB rows", &format!("{key}_sb_rows")));
    }
    columns.extend([
        col("--once s", "once_cold_s"),
        col("northd lflows", "northd_lflow_rows"),
        col("northd cold s", "northd_cold_s"),
    ]);
    for key in CHANGES {
        let label = key.replace('_', " ");
        columns.push((format!("northd {label} ms"), format!("northd_{key}_ms")));
    }
    columns.extend([
        col("RSS MB", "peak_rss_mb"),
        col("--once RSS MB", "once_rss_mb"),
        col("northd RSS MB", "northd_rss_mb"),
    ]);
    let row = |cells: Vec<String>| println!("| {} |", cells.join(" | "));
    row(columns.iter().map(|(h, _)| h.clone()).collect());
    row(columns.iter().map(|_| "---".to_owned()).collect());
    for s in summaries {
        row(columns
            .iter()
            .map(|(_, k)| match &s[k.as_str()] {
                Value::Number(n) if n.is_f64() => format!("{:.2}", n.as_f64().unwrap_or(0.0)),
                Value::Null => "-".to_owned(),
                Value::String(t) => t.clone(),
                v => v.to_string(),
            })
            .collect());
    }
}

/// The changes measured, by report key.
const CHANGES: [&str; 3] = ["add_node", "add_route", "add_policy"];

fn run(args: &Args, report: &mut Report) -> R<()> {
    let (n, shape) = (args.nodes[0], args.shape.unwrap_or(ShapeArg::Central));
    if !(1..=500).contains(&n) {
        return Err("--nodes must be in 1..=500 (each node's /23 in 10.128.0.0/14)".into());
    }
    if args.pods > 500 {
        return Err("--pods must be in 0..=500 (a node's /23)".into());
    }
    let cluster = |nodes| Cluster {
        nodes,
        pods_per_node: args.pods,
        seed: args.seed,
        egress: args.egress,
    };
    report.text(
        "topology",
        format!(
            "{n} nodes x {} pods, {}, seed {}{}",
            args.pods,
            shape.name(),
            args.seed,
            if args.egress { ", egress" } else { "" }
        ),
    );

    // 1. Cold compile in-process, from the row changes alone (the tables
    // are rebuilt for the servers), each row freed once lowered.
    let t = Instant::now();
    let nb = cluster(n).northbound(shape.shape());
    let chassis = cluster(n).chassis(shape.shape());
    report.secs("nb_build_s", "build NB + Chassis rows", t.elapsed());
    report.count("nb_rows", "NB rows", rows(&nb));
    let changes = [
        add_node(&cluster(n), &cluster(n + 1), shape.shape(), &nb)?,
        add_route(&cluster(n), &nb)?,
        add_policy(&cluster(n), &nb)?,
    ];
    let cold: Vec<RowChange> = RowChange::take_inserts(Db::Nb, nb)
        .into_iter()
        .chain(RowChange::take_inserts(Db::Sb, chassis))
        .collect();
    if let Some(kb) = vm_hwm_kb(Path::new("/proc/self/status")) {
        report.mb("hwm_before_compile_mb", "process VmHWM before compile", kb);
    }
    let mut compiler = Compiler::new();
    let t = Instant::now();
    compiler.load(cold);
    report.secs(
        "cold_compile_s",
        "in-process cold compile (load)",
        t.elapsed(),
    );
    let flow_rows = cold_image(&compiler, report);

    // 2. Each change and its revert, in-process.
    for change in &changes {
        incremental(args, change, &mut compiler, report);
    }
    drop(compiler);
    // The compiler's peak: counting the Southbounds' rows later reads them
    // whole into this process.
    if let Some(kb) = vm_hwm_kb(Path::new("/proc/self/status")) {
        report.mb(
            "inprocess_peak_rss_mb",
            "process peak RSS, in-process part",
            kb,
        );
    }

    if args.skip_servers {
        return Ok(());
    }
    let nb = cluster(n).northbound(shape.shape());
    let chassis = cluster(n).chassis(shape.shape());
    let bin = northflow_bin()?;
    let mut sbx = Sandbox::new()?;

    // 3. `northflow --once` against real servers (stopped after, so that
    // they do not compete with northd).
    let nb_remote = sbx.start_db("nb", "ovn-nb.ovsschema")?;
    let sb_remote = sbx.start_db("sb", "ovn-sb.ovsschema")?;
    let t = Instant::now();
    load(&nb_remote, NB_DB, &nb)?;
    report.secs(
        "nb_load_s",
        "NB load into ovsdb-server (1 txn)",
        t.elapsed(),
    );
    load(&sb_remote, SB_DB, &chassis)?;
    northflow_once(&sbx, &bin, &nb_remote, &sb_remote, flow_rows, report)?;
    sbx.stop("nb");
    sbx.stop("sb");

    // 4. The real ovn-northd on an identical, separate pair; then each
    // change with wait=sb.
    if !args.skip_northd {
        let (nb_remote, sb_remote) = northd(
            &mut sbx,
            |nb_remote, sb_remote| {
                load(nb_remote, NB_DB, &nb)?;
                load(sb_remote, SB_DB, &chassis)
            },
            report,
        )?;
        let nb_client = connect(&nb_remote)?;
        let sb_client = connect(&sb_remote)?;
        for change in &changes {
            northd_change(&nb_client, &sb_client, change, report)?;
        }
        if let Some(kb) = sbx.server_hwm("northd") {
            report.mb("northd_end_rss_mb", "ovn-northd peak RSS, at the end", kb);
        }
        sbx.stop("northd");
    }
    Ok(())
}

fn rows(tables: &Tables) -> usize {
    tables.values().map(|t| t.len()).sum()
}

fn load(remote: &str, db: &str, tables: &Tables) -> R<()> {
    write_to_server(remote, db, tables).map_err(|e| format!("loading {db}: {e}"))
}

fn connect(remote: &str) -> R<Client> {
    let (mut client, _notes) = Client::connect(remote).map_err(|e| format!("{remote}: {e}"))?;
    client
        .set_inactivity_timeout(LONG)
        .map_err(|e| format!("{remote}: {e}"))?;
    Ok(client)
}

/// One row a change writes: absent before (`old: None`) or after (`new:
/// None`), or changed.
struct Edit {
    table: String,
    uuid: Uuid,
    old: Option<Row>,
    new: Option<Row>,
}

impl Edit {
    /// The row before and after the edit (after and before when undone).
    fn ends(&self, undo: bool) -> (Option<&Row>, Option<&Row>) {
        let (old, new) = (self.old.as_ref(), self.new.as_ref());
        if undo {
            (new, old)
        } else {
            (old, new)
        }
    }

    /// The OVSDB operation that makes the edit (or undoes it): an insert
    /// with the row's own UUID, a delete, or an update of the columns that
    /// differ (a column the new row lacks becomes empty).
    fn op(&self, undo: bool) -> Operation {
        let table = self.table.clone();
        let at = || vec![Condition::uuid(self.uuid)];
        match self.ends(undo) {
            (_, None) => Operation::delete(table, at()),
            (None, Some(row)) => Operation::Insert {
                table,
                row: row.clone(),
                uuid_name: None,
                uuid: Some(self.uuid),
            },
            (Some(from), Some(to)) => {
                let columns: BTreeSet<&String> = from.keys().chain(to.keys()).collect();
                let changed = columns
                    .into_iter()
                    .filter(|c| from.get(*c) != to.get(*c))
                    .map(|c| (c.clone(), to.get(c).cloned().unwrap_or_else(Datum::empty)))
                    .collect();
                Operation::update(table, at(), changed)
            }
        }
    }
}

/// A change to both databases, as the rows it writes.
struct Change {
    /// Its report key: one of `CHANGES`.
    key: &'static str,
    nb: Vec<Edit>,
    sb: Vec<Edit>,
}

impl Change {
    fn label(&self) -> String {
        self.key.replace('_', " ")
    }

    /// The change (or its revert) as input row changes, one batch.
    fn row_changes(&self, undo: bool) -> Vec<RowChange> {
        [(Db::Nb, &self.nb), (Db::Sb, &self.sb)]
            .into_iter()
            .flat_map(|(db, edits)| {
                edits.iter().filter_map(move |e| {
                    Some(RowChange {
                        table: Input::find(db, &e.table)?,
                        uuid: e.uuid,
                        row: e.ends(undo).1.cloned(),
                    })
                })
            })
            .collect()
    }

    /// The rows it writes, by table: `+n` inserted, `-n` deleted, and each
    /// changed row by name with the columns that change.
    fn describe(&self) -> String {
        let mut by_table: BTreeMap<&str, (usize, usize, Vec<String>)> = BTreeMap::new();
        for e in self.nb.iter().chain(&self.sb) {
            let t = by_table.entry(e.table.as_str()).or_default();
            match (&e.old, &e.new) {
                (None, _) => t.0 += 1,
                (_, None) => t.1 += 1,
                (Some(old), Some(new)) => {
                    let name = new
                        .get("name")
                        .and_then(|d| d.atoms().first()?.as_str())
                        .map_or_else(|| e.uuid.to_string(), str::to_owned);
                    let columns: Vec<&str> = new
                        .iter()
                        .filter(|(c, d)| old.get(*c) != Some(d))
                        .map(|(c, _)| c.as_str())
                        .collect();
                    t.2.push(format!("~{name}({})", columns.join(",")));
                }
            }
        }
        let parts: Vec<String> = by_table
            .into_iter()
            .map(|(table, (plus, minus, changed))| {
                let mut p = vec![table.to_owned()];
                if plus > 0 {
                    p.push(format!("+{plus}"));
                }
                if minus > 0 {
                    p.push(format!("-{minus}"));
                }
                p.extend(changed);
                p.join(" ")
            })
            .collect();
        parts.join("; ")
    }
}

/// The rows that differ between `old` and `new`.
fn diff(old: &Tables, new: &Tables) -> Vec<Edit> {
    let empty = BTreeMap::new();
    let mut edits = Vec::new();
    for table in old.keys().chain(new.keys()).collect::<BTreeSet<_>>() {
        let (o, n) = (
            old.get(table).unwrap_or(&empty),
            new.get(table).unwrap_or(&empty),
        );
        for uuid in o.keys().chain(n.keys()).collect::<BTreeSet<_>>() {
            if o.get(uuid) != n.get(uuid) {
                edits.push(Edit {
                    table: table.clone(),
                    uuid: *uuid,
                    old: o.get(uuid).cloned(),
                    new: n.get(uuid).cloned(),
                });
            }
        }
    }
    edits
}

/// One node more: the rows by which the cluster `grown` (one node more)
/// differs from `cluster` (`nb` is its Northbound), Chassis included.
fn add_node(cluster: &Cluster, grown: &Cluster, shape: Shape, nb: &Tables) -> R<Change> {
    let change = Change {
        key: "add_node",
        nb: diff(nb, &grown.northbound(shape)),
        sb: diff(&cluster.chassis(shape), &grown.chassis(shape)),
    };
    if change.nb.iter().chain(&change.sb).any(|e| e.new.is_none()) {
        return Err(format!(
            "the generator is not stable: one node more deletes rows ({})",
            change.describe()
        ));
    }
    Ok(change)
}

/// The cluster router of `nb`: its UUID and row.
fn cluster_router(nb: &Tables) -> R<(Uuid, &Row)> {
    nb.get(LogicalRouter::TABLE)
        .into_iter()
        .flatten()
        .find(|(_, r)| r.get("name") == Some(&Datum::scalar("ovn_cluster_router")))
        .map(|(u, r)| (*u, r))
        .ok_or_else(|| "no ovn_cluster_router".to_owned())
}

/// Row `row` of `table` (UUID `uuid`) added to the cluster router's
/// `column`, as change `key`.
fn on_cluster_router(
    nb: &Tables,
    key: &'static str,
    (table, uuid, row): (&str, Uuid, Row),
    column: &str,
) -> R<Change> {
    let (router, old) = cluster_router(nb)?;
    let mut new = old.clone();
    let mut set = old
        .get(column)
        .map(|d| d.atoms().to_vec())
        .unwrap_or_default();
    set.push(Atom::Uuid(uuid));
    new.insert(column.to_owned(), Datum::set(set));
    Ok(Change {
        key,
        nb: vec![
            Edit {
                table: table.to_owned(),
                uuid,
                old: None,
                new: Some(row),
            },
            Edit {
                table: LogicalRouter::TABLE.to_owned(),
                uuid: router,
                old: Some(old.clone()),
                new: Some(new),
            },
        ],
        sb: Vec::new(),
    })
}

/// The first node (the zone's own), which every shape has in full.
fn first_node(cluster: &Cluster) -> R<northflow::scenario::Node> {
    cluster
        .nodes()
        .into_iter()
        .next()
        .ok_or_else(|| "no nodes".to_owned())
}

/// A static route on the cluster router to a documentation prefix, through
/// the first node's gateway router.
fn add_route(cluster: &Cluster, nb: &Tables) -> R<Change> {
    let route = LogicalRouterStaticRoute {
        uuid: ROUTE,
        ip_prefix: "192.0.2.0/24".into(),
        nexthop: first_node(cluster)?.join_ip().to_string(),
        ..Default::default()
    };
    let row = (LogicalRouterStaticRoute::TABLE, ROUTE, route.to_row());
    on_cluster_router(nb, "add_route", row, "static_routes")
}

/// An EgressIP-like reroute on the cluster router: the first node's first
/// pod leaves through that node's gateway router.
fn add_policy(cluster: &Cluster, nb: &Tables) -> R<Change> {
    let node = first_node(cluster)?;
    let pod = Ipv4Addr::from(u32::from(node.subnet) + 3);
    let policy = LogicalRouterPolicy {
        uuid: POLICY,
        priority: 100,
        match_: format!("ip4.src == {pod}"),
        action: "reroute".into(),
        nexthops: vec![node.join_ip().to_string()],
        ..Default::default()
    };
    let row = (LogicalRouterPolicy::TABLE, POLICY, policy.to_row());
    on_cluster_router(nb, "add_policy", row, "policies")
}

/// A change and its revert, in-process: latency, the (flow, datapath)
/// pairs of the change and the Southbound rows it would write.
fn incremental(args: &Args, change: &Change, compiler: &mut Compiler, report: &mut Report) {
    let (key, label) = (change.key, change.label());
    report.text(&format!("{key}_rows"), change.describe());
    let add = change.row_changes(false);
    let del = change.row_changes(true);
    let mut s = step(compiler, &add, &del, args.reps);
    report.text(&format!("{key}_delta"), describe(&s.delta));
    report.count(
        &format!("{key}_pairs"),
        &format!("{label}: (flow, datapath) pairs"),
        s.delta.flows.len(),
    );
    report.count(
        &format!("{key}_sb_rows"),
        &format!("{label}: SB rows written"),
        s.sb_rows,
    );
    if !s.undone {
        report.text(
            &format!("{key}_mismatch"),
            "the revert did not undo the change".into(),
        );
    }
    report.latency(key, &format!("{label} (in-process)"), &mut s.add);
    report.latency(
        &format!("{key}_revert"),
        &format!("{label}, reverted (in-process)"),
        &mut s.del,
    );
}

/// A change and its revert against ovn-northd, each timed with wait=sb; a
/// change's SB rows are written (and northd caught up) before its NB
/// transaction, and removed after its revert.
fn northd_change(nb: &Client, sb: &Client, change: &Change, report: &mut Report) -> R<()> {
    let ops = |edits: &[Edit], undo| edits.iter().map(|e| e.op(undo)).collect::<Vec<_>>();
    let sb_write = |undo| -> R<()> {
        if change.sb.is_empty() {
            return Ok(());
        }
        sb.transact(SB_DB, ops(&change.sb, undo))
            .map_err(|e| format!("{}: SB: {e}", change.key))?;
        wait_sb(nb, Vec::new()).map(drop)
    };
    let (mut add_t, mut del_t) = (Vec::new(), Vec::new());
    for _ in 0..NORTHD_REPS {
        sb_write(false)?;
        add_t.push(wait_sb(nb, ops(&change.nb, false))?);
        del_t.push(wait_sb(nb, ops(&change.nb, true))?);
        sb_write(true)?;
    }
    let (key, label) = (change.key, change.label());
    report.latency(
        &format!("northd_{key}"),
        &format!("ovn-northd {label} (wait=sb)"),
        &mut add_t,
    );
    report.latency(
        &format!("northd_{key}_revert"),
        &format!("ovn-northd {label}, reverted (wait=sb)"),
        &mut del_t,
    );
    Ok(())
}

/// Runs `ops` and an `nb_cfg` bump in one NB transaction and waits until
/// northd has written the SB for it (`NB_Global.sb_cfg` catches up, a
/// server-side `wait`); returns the time from sending to caught up.
fn wait_sb(nb: &Client, mut ops: Vec<Operation>) -> R<Duration> {
    let t = Instant::now();
    ops.push(Operation::mutate(
        "NB_Global",
        vec![],
        vec![Mutation::new("nb_cfg", Mutator::Add, 1i64)],
    ));
    ops.push(Operation::select_columns("NB_Global", vec![], &["nb_cfg"]));
    let results = nb
        .transact(NB_DB, ops)
        .map_err(|e| format!("NB change: {e}"))?;
    let cfg = results
        .last()
        .and_then(|r| selected_rows(r).ok())
        .and_then(|rows| rows.first()?.get("nb_cfg")?.atoms().first()?.as_i64())
        .ok_or("no NB_Global.nb_cfg")?;
    let caught_up = Row::from([("sb_cfg".to_owned(), Datum::from(cfg))]);
    nb.transact(
        NB_DB,
        vec![Operation::Wait {
            table: "NB_Global".into(),
            conditions: vec![],
            columns: vec!["sb_cfg".into()],
            until: WaitUntil::Equal,
            rows: vec![caught_up],
            timeout_ms: Some(LONG.as_millis().try_into().unwrap_or(u64::MAX)),
        }],
    )
    .map_err(|e| format!("waiting for sb_cfg {cfg}: {e}"))?;
    Ok(t.elapsed())
}
