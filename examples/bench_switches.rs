//! A first benchmark: switch-only ovn-kubernetes-like Northbounds
//! (`northflow::examples::ovnk_nodes`: N node switches, each with `stor-`,
//! `k8s-` and M-2 pod ports, so M ports) compiled by northflow in-process,
//! by `northflow --once` against real ovsdb-servers, and by the real
//! `ovn-northd` 26.03.1. It prints figures; it is not a test.
//!
//! ```text
//! cargo build --release --bin northflow
//! cargo run --release --example bench_switches -- [--switches 500] [--ports 40] \
//!     [--reps 20] [--skip-northd] [--skip-phases] [--skip-servers]
//! cargo run --release --example bench_switches -- --skip-servers --switches 500,2000,5000
//! ```
//!
//! With several sizes, each runs in a child process of its own (so that its
//! peak RSS is its own) and one summary JSON object per size is printed on
//! its own line, last: `switches`, `ports_per_switch`, `lflow_rows`,
//! `cold_s`, `add_port_ms`, `add_switch_ms` (medians of one change applied
//! as one batch), `add_switch_pairs` ((flow, datapath) pairs the change
//! emits), `add_switch_sb_rows` (Southbound rows it would write),
//! `peak_rss_mb`.
//!
//! The `northflow` binary is taken from next to this example's own
//! executable (`target/release/northflow`), so build it first. Every server
//! and daemon is a child process in a temp dir, killed through its handle
//! and the dir removed at the end (`NORTHFLOW_KEEP_BENCH=1` keeps the dir).

use std::collections::BTreeMap;
use std::fmt::Display;
use std::fs::{self, File};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use clap::Parser;
use northflow::engine::OutputDelta;
use northflow::image::{FlowPlacement, SbImage};
use northflow::input::InputRow;
use northflow::sync::Tables;
use northflow::{Compiler, Db, RowChange};
use northflow_ir::lflow::Flow;
use northflow_ir::nb::{LogicalSwitch, LogicalSwitchPort};
use northflow_ir::row::Table;
use northflow_ovsdb::transaction::selected_rows;
use northflow_ovsdb::{reference, Atom, Client, Datum, Operation, Uuid};
use serde_json::{json, Map, Value};

const TIME: &str = "/usr/bin/time";
/// Generous: the real northd takes minutes on large inputs.
const LONG: Duration = Duration::from_secs(1800);
const SHORT: Duration = Duration::from_secs(60);

#[derive(Parser)]
#[command(about = "northflow vs ovn-northd on switch-only topologies")]
struct Args {
    /// Number of node switches; a comma-separated list runs each size in a
    /// child process and prints one summary line per size.
    #[arg(long, value_delimiter = ',', default_values_t = [500])]
    switches: Vec<u64>,
    /// Ports per switch (stor-, k8s- and ports-2 pods); 3..=253.
    #[arg(long, default_value_t = 40)]
    ports: u64,
    /// Repetitions of the incremental add/remove.
    #[arg(long, default_value_t = 20)]
    reps: usize,
    /// Row changes per dataflow timestamp in the cold load.
    #[arg(long, default_value_t = northflow::engine::SLICE)]
    slice: usize,
    /// Do not run the real ovn-northd.
    #[arg(long)]
    skip_northd: bool,
    /// Do not re-enact `--once` step by step (its phase breakdown).
    #[arg(long)]
    skip_phases: bool,
    /// Only the in-process figures (no ovsdb-servers, no northd).
    #[arg(long)]
    skip_servers: bool,
}

type R<T> = Result<T, String>;

fn main() -> ExitCode {
    let args = Args::parse();
    if args.switches.len() > 1 {
        return match sizes(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("bench_switches: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let mut report = Report::default();
    let result = run(&args, &mut report);
    if let Some(kb) = vm_hwm_kb(Path::new("/proc/self/status")) {
        report.mb("peak_rss_mb", "process peak RSS", kb);
    }
    println!("{}", Value::Object(report.json));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_switches: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs this benchmark once per size, each in a child process, and prints
/// one summary JSON line per size (after all the children's own output).
fn sizes(args: &Args) -> R<()> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut summaries = Vec::new();
    for n in &args.switches {
        let mut c = Command::new(&exe);
        c.arg(format!("--switches={n}"))
            .arg(format!("--ports={}", args.ports))
            .arg(format!("--reps={}", args.reps))
            .arg(format!("--slice={}", args.slice))
            .stderr(Stdio::inherit());
        for (on, flag) in [
            (args.skip_northd, "--skip-northd"),
            (args.skip_phases, "--skip-phases"),
            (args.skip_servers, "--skip-servers"),
        ] {
            if on {
                c.arg(flag);
            }
        }
        let out = c.output().map_err(|e| format!("{}: {e}", exe.display()))?;
        let text = String::from_utf8_lossy(&out.stdout);
        print!("{text}");
        if !out.status.success() {
            return Err(format!("size {n}: {}", out.status));
        }
        let full: Value = text
            .lines()
            .last()
            .and_then(|l| serde_json::from_str(l).ok())
            .ok_or(format!("size {n}: no JSON report"))?;
        let key = |k: &str| full.get(k).cloned().unwrap_or(Value::Null);
        summaries.push(json!({
            "switches": n,
            "ports_per_switch": args.ports,
            "lflow_rows": key("flow_rows"),
            "cold_s": key("cold_compile_s"),
            "add_port_ms": full.pointer("/port_add/median_ms").cloned().unwrap_or(Value::Null),
            "add_switch_ms": full.pointer("/switch_add/median_ms").cloned().unwrap_or(Value::Null),
            "add_switch_pairs": key("switch_add_pairs"),
            "add_switch_sb_rows": key("switch_add_sb_rows"),
            "peak_rss_mb": key("peak_rss_mb"),
        }));
    }
    for s in summaries {
        println!("{s}");
    }
    Ok(())
}

fn run(args: &Args, report: &mut Report) -> R<()> {
    let switches = args.switches[0];
    if !(3..=253).contains(&args.ports) {
        return Err("--ports must be in 3..=253".into());
    }
    if switches == 0 || switches >= 1 << 15 {
        return Err("--switches must be in 1..32768".into());
    }
    let pods = args.ports - 2;
    report.text(
        "topology",
        format!(
            "{} switches x {} ports (ovnk_nodes: stor- + k8s- + {} pods each), {} ports total",
            switches,
            args.ports,
            pods,
            switches * args.ports
        ),
    );

    // 1. Cold compile in-process, from the row changes alone (the tables
    // they were made from are rebuilt for the steps after it), each row
    // freed once lowered: the peak is the compiler's, not the generator's.
    let t = Instant::now();
    let changes = northflow::examples::ovnk_nodes_inserts(switches, pods);
    report.secs("nb_build_s", "build NB rows + RowChanges", t.elapsed());
    report.count("nb_rows", "NB rows", changes.len());
    if let Some(kb) = vm_hwm_kb(Path::new("/proc/self/status")) {
        report.mb("hwm_before_compile_mb", "process VmHWM before compile", kb);
    }

    let mut compiler = Compiler::with_slice(args.slice);
    let t = Instant::now();
    compiler.load(changes);
    report.secs(
        "cold_compile_s",
        "in-process cold compile (load)",
        t.elapsed(),
    );
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

    // 2. One port, then one node switch, added and removed incrementally
    // (the rows of the node they change are all these steps need).
    let mut node_rows = Tables::new();
    northflow::examples::add_ovnk_node(&mut node_rows, switches / 2 + 1, pods);
    incremental(args, pods, &node_rows, &mut compiler, report)?;
    add_switch(args, pods, &node_rows, &mut compiler, report)?;
    let t = Instant::now();
    drop(compiler);
    report.secs("compiler_drop_s", "dropping the compiler", t.elapsed());

    if args.skip_servers {
        return Ok(());
    }
    let tables = northflow::examples::ovnk_nodes(switches, pods);
    let bin = northflow_bin()?;
    let mut sbx = Sandbox::new()?;

    // 3. `northflow --once` against real servers.
    let nb = sbx.start_db("nb", "ovn-nb.ovsschema")?;
    let sb = sbx.start_db("sb", "ovn-sb.ovsschema")?;
    let load = load_nb(&nb, &tables)?;
    report.secs("nb_load_s", "NB load into ovsdb-server (1 txn)", load);

    let once = |sbx: &Sandbox, label: &str| -> R<Run> {
        let mut c = sbx.command(&bin);
        c.arg(format!("--ovnnb-db={nb}"))
            .arg(format!("--ovnsb-db={sb}"))
            .arg("--once");
        let run = sbx.run_measured(label, c, LONG)?;
        if !run.status.is_some_and(|s| s.success()) {
            return Err(format!(
                "northflow --once ({label}) failed: {:?}\n{}",
                run.status, run.stderr
            ));
        }
        Ok(run)
    };
    let first = once(&sbx, "once-cold")?;
    report.secs(
        "once_cold_s",
        "northflow --once, cold (empty SB)",
        first.elapsed,
    );
    long_polls(&sbx, "sb", "sb_server_long_polls", report);
    long_polls(&sbx, "nb", "nb_server_long_polls", report);
    if let Some(kb) = first.hwm_kb {
        report.mb("once_cold_rss_mb", "northflow --once cold peak RSS", kb);
    }
    let second = once(&sbx, "once-noop")?;
    report.secs(
        "once_noop_s",
        "northflow --once, no-op (SB current)",
        second.elapsed,
    );
    if let Some(kb) = second.hwm_kb {
        report.mb("once_noop_rss_mb", "northflow --once no-op peak RSS", kb);
    }
    let nf_counts = sb_counts(&sb)?;
    report.counts("northflow_sb", "northflow SB rows", &nf_counts);
    let nf_lflows = lookup(&nf_counts, "Logical_Flow");
    if nf_lflows != flow_rows {
        report.text(
            "northflow_sb_mismatch",
            format!("SB Logical_Flow {nf_lflows} != in-process image {flow_rows}"),
        );
    }
    if let Some(kb) = sbx.server_hwm("sb") {
        report.mb("sb_server_rss_mb", "SB ovsdb-server peak RSS", kb);
    }

    // 3b. Where `--once` spends its time: its steps re-enacted here on a
    // fresh NB/SB pair.
    if !args.skip_phases {
        once_phases(&mut sbx, &tables, report)?;
    }

    // 4. The real ovn-northd on an identical, separate NB.
    if !args.skip_northd {
        northd(&mut sbx, &tables, report)?;
    }
    Ok(())
}

fn incremental(
    args: &Args,
    pods: u64,
    tables: &Tables,
    compiler: &mut Compiler,
    report: &mut Report,
) -> R<()> {
    let node = args.switches[0] / 2 + 1;
    let name = format!("node{node}");
    let (sw_uuid, sw_old) = tables
        .get(LogicalSwitch::TABLE)
        .into_iter()
        .flatten()
        .find(|(_, r)| r.get("name") == Some(&Datum::scalar(Atom::String(name.clone()))))
        .map(|(u, r)| (*u, r.clone()))
        .ok_or(format!("no switch {name}"))?;

    // A pod like `add_ovnk_node`'s, on the next free host address.
    let (a, b) = ((node >> 8) as u8, node as u8);
    let host = 3 + pods;
    let addr = format!(
        "0a:58:0a:{:02x}:{:02x}:{:02x} 10.{}.{}.{}",
        128 + u16::from(a),
        b,
        host,
        128 + u16::from(a),
        b,
        host
    );
    let port = LogicalSwitchPort {
        uuid: Uuid((0xbe4c_u128 << 112) | u128::from(node)),
        name: format!("default_pod-{node}-extra"),
        addresses: vec![addr.clone()],
        port_security: vec![addr],
        options: [
            ("requested-chassis".to_owned(), name.clone()),
            ("iface-id-ver".to_owned(), format!("{node}-extra")),
        ]
        .into(),
        external_ids: [
            ("namespace".to_owned(), "default".to_owned()),
            ("pod".to_owned(), "true".to_owned()),
        ]
        .into(),
        ..Default::default()
    };
    let mut sw_new = sw_old.clone();
    let mut ports: Vec<Atom> = sw_old
        .get("ports")
        .map(|d| d.atoms().to_vec())
        .unwrap_or_default();
    ports.push(Atom::Uuid(port.uuid));
    sw_new.insert("ports".into(), Datum::set(ports));

    let add = vec![
        RowChange {
            table: LogicalSwitchPort::INPUT,
            uuid: port.uuid,
            row: Some(port.to_row()),
        },
        RowChange {
            table: LogicalSwitch::INPUT,
            uuid: sw_uuid,
            row: Some(sw_new),
        },
    ];
    let del = vec![
        RowChange {
            table: LogicalSwitchPort::INPUT,
            uuid: port.uuid,
            row: None,
        },
        RowChange {
            table: LogicalSwitch::INPUT,
            uuid: sw_uuid,
            row: Some(sw_old),
        },
    ];

    let rows_before = compiler.image().flow_rows();
    let (mut add_t, mut del_t) = (Vec::new(), Vec::new());
    let (mut add_desc, mut del_desc) = (String::new(), String::new());
    let (mut add_n, mut del_n) = (0, 0);
    for rep in 0..args.reps.max(1) {
        let t = Instant::now();
        let d = compiler.apply(&add);
        add_t.push(t.elapsed());
        if rep == 0 {
            add_n = size(&d);
            add_desc = describe(&d);
        }
        let t = Instant::now();
        let d = compiler.apply(&del);
        del_t.push(t.elapsed());
        if rep == 0 {
            del_n = size(&d);
            del_desc = describe(&d);
        }
    }
    if compiler.image().flow_rows() != rows_before {
        report.text(
            "incremental_mismatch",
            format!(
                "flow rows {} after add+remove, {rows_before} before",
                compiler.image().flow_rows()
            ),
        );
    }
    report.count("port_add_sb_changes", "port add: SB changes", add_n);
    report.text("port_add_sb_changes_detail", add_desc);
    report.latency("port_add", "port add (in-process)", &mut add_t);
    report.count("port_del_sb_changes", "port remove: SB changes", del_n);
    report.text("port_del_sb_changes_detail", del_desc);
    report.latency("port_del", "port remove (in-process)", &mut del_t);
    Ok(())
}

/// One more node switch (its row and all its ports, as `ovnk_nodes` builds
/// them) added as one batch, then removed: latency, the (flow, datapath)
/// pairs it changes and the Southbound rows it would write.
fn add_switch(
    args: &Args,
    pods: u64,
    tables: &Tables,
    compiler: &mut Compiler,
    report: &mut Report,
) -> R<()> {
    let mut grown = Tables::new();
    northflow::examples::add_ovnk_node(&mut grown, args.switches[0] + 1, pods);
    let add: Vec<RowChange> = RowChange::inserts(Db::Nb, &grown)
        .into_iter()
        .filter(|c| {
            !tables
                .get(c.table.name())
                .is_some_and(|t| t.contains_key(&c.uuid))
        })
        .collect();
    let del: Vec<RowChange> = add
        .iter()
        .map(|c| RowChange {
            table: c.table,
            uuid: c.uuid,
            row: None,
        })
        .collect();
    // No copy of the whole image (it would dominate this process's peak):
    // the placements of the flows the change touches, after it and (once
    // it is reverted) before it; reverting must give the exact negation.
    let (mut add_t, mut del_t) = (Vec::new(), Vec::new());
    for rep in 0..args.reps.max(1) {
        let t = Instant::now();
        let d = compiler.apply(&add);
        add_t.push(t.elapsed());
        let after = (rep == 0).then(|| placements(compiler.image(), &d));
        let t = Instant::now();
        let undo = compiler.apply(&del);
        del_t.push(t.elapsed());
        if let Some(after) = after {
            let before = placements(compiler.image(), &d);
            report.count(
                "switch_add_pairs",
                "switch add: (flow, datapath) pairs",
                d.flows.len(),
            );
            report.count(
                "switch_add_sb_rows",
                "switch add: SB rows written",
                sb_rows_written(&before, &after, &d),
            );
            if !negates(&d, &undo) {
                report.text(
                    "switch_incremental_mismatch",
                    "removing the switch did not undo adding it".into(),
                );
            }
        }
    }
    report.latency("switch_add", "switch add (in-process)", &mut add_t);
    report.latency("switch_del", "switch remove (in-process)", &mut del_t);
    Ok(())
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
    use std::collections::BTreeSet;
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

/// The steps of `northflow --once` (`northflow::once::run`), each timed:
/// read, compile, plan, SB transaction, NB write-back. Run twice: against an
/// empty SB, then again (no-op).
fn once_phases(sbx: &mut Sandbox, tables: &Tables, report: &mut Report) -> R<()> {
    let nb = sbx.start_db("nb3", "ovn-nb.ovsschema")?;
    let sb = sbx.start_db("sb3", "ovn-sb.ovsschema")?;
    load_nb(&nb, tables)?;
    for pass in ["cold", "noop"] {
        let r = northflow::once::run(&nb, &sb, northflow::once::LOCK_WAIT)
            .map_err(|e| e.to_string())?;
        Report::line(
            &format!("--once steps in-process ({pass})"),
            format_args!(
                "read {:.2} s, compile {:.2} s, plan {:.2} s, SB txn {:.2} s ({} ops), NB txn {:.2} s ({} ops)",
                r.read.as_secs_f64(),
                r.compile.as_secs_f64(),
                r.plan.as_secs_f64(),
                r.sb_txn.as_secs_f64(),
                r.sb_ops,
                r.nb_txn.as_secs_f64(),
                r.nb_ops
            ),
        );
        report.json.insert(
            format!("once_steps_{pass}"),
            json!({
                "read_s": r.read.as_secs_f64(),
                "compile_s": r.compile.as_secs_f64(),
                "plan_s": r.plan.as_secs_f64(),
                "sb_txn_s": r.sb_txn.as_secs_f64(),
                "nb_txn_s": r.nb_txn.as_secs_f64(),
                "sb_ops": r.sb_ops,
                "nb_ops": r.nb_ops,
            }),
        );
    }
    sbx.stop("nb3");
    sbx.stop("sb3");
    Ok(())
}

fn northd(sbx: &mut Sandbox, tables: &Tables, report: &mut Report) -> R<()> {
    let nb = sbx.start_db("nb2", "ovn-nb.ovsschema")?;
    let sb = sbx.start_db("sb2", "ovn-sb.ovsschema")?;
    load_nb(&nb, tables)?;
    let dir = sbx.dir.clone();
    let path = |f: &str| dir.join(f).display().to_string();
    let mut c = sbx.command("ovn-northd");
    c.arg("--no-chdir")
        .arg(format!("--pidfile={}", path("northd.pid")))
        .arg(format!("--log-file={}", path("northd.log")))
        .arg(format!("--unixctl={}", path("northd.ctl")))
        .arg(format!("--ovnnb-db={nb}"))
        .arg(format!("--ovnsb-db={sb}"));
    let start = Instant::now();
    sbx.spawn_daemon("northd", c)?;
    let sync = |sbx: &Sandbox, label: &str| -> R<Run> {
        let mut c = sbx.command("ovn-nbctl");
        c.arg(format!("--db={nb}"))
            .args(["--timeout=600", "--wait=sb", "sync"]);
        let run = sbx.run_measured(label, c, LONG)?;
        if !run.status.is_some_and(|s| s.success()) {
            return Err(format!(
                "ovn-nbctl --wait=sb sync ({label}) failed: {:?}\n{}",
                run.status, run.stderr
            ));
        }
        Ok(run)
    };
    sync(sbx, "sync-cold")?;
    report.secs(
        "northd_cold_s",
        "ovn-northd cold (start .. --wait=sb sync)",
        start.elapsed(),
    );
    let stopwatch = |sbx: &Sandbox, label: &str| -> String {
        let mut c = sbx.command("ovn-appctl");
        c.arg("-t").arg(path("northd.ctl")).arg("stopwatch/show");
        sbx.run_measured(label, c, SHORT)
            .map(|r| stopwatch_summary(&r.stdout))
            .unwrap_or_else(|e| e)
    };
    report.text("northd_stopwatch_cold", stopwatch(sbx, "stopwatch-cold"));
    long_polls(sbx, "sb2", "northd_sb_server_long_polls", report);
    long_polls(sbx, "northd", "northd_long_polls", report);
    long_polls(sbx, "nb2", "northd_nb_server_long_polls", report);
    let noop = sync(sbx, "sync-noop")?;
    report.secs(
        "northd_noop_s",
        "ovn-northd no-op --wait=sb sync",
        noop.elapsed,
    );
    if let Some(kb) = sbx.server_hwm("northd") {
        report.mb("northd_rss_mb", "ovn-northd peak RSS", kb);
    }
    report.text("northd_stopwatch_all", stopwatch(sbx, "stopwatch-all"));
    let counts = sb_counts(&sb)?;
    report.counts("northd_sb", "ovn-northd SB rows", &counts);
    if let Some(kb) = sbx.server_hwm("sb2") {
        report.mb(
            "northd_sb_server_rss_mb",
            "northd's SB ovsdb-server peak RSS",
            kb,
        );
    }
    sbx.stop("northd");
    Ok(())
}

/// Northd's main stopwatches from `stopwatch/show`, as
/// `name n=<samples> max=<ms> min=<ms>`: `ovnnb_db_run` is one full
/// recompute, so its `n` says how many there were.
fn stopwatch_summary(text: &str) -> String {
    const SHOWN: &[&str] = &[
        "ovnnb_db_run",
        "build_lflows",
        "lflows_to_sb",
        "ovnsb_db_run",
    ];
    let mut out = Vec::new();
    let (mut name, mut samples, mut max) = (String::new(), String::new(), String::new());
    for line in text.lines() {
        let l = line.trim();
        if let Some(n) = l.strip_prefix("Statistics for '") {
            name = n.trim_end_matches('\'').to_owned();
        } else if let Some(v) = l.strip_prefix("Total samples:") {
            samples = v.trim().to_owned();
        } else if let Some(v) = l.strip_prefix("Maximum:") {
            max = v.trim().replace(" msec", "ms");
        } else if let Some(v) = l.strip_prefix("Minimum:") {
            if SHOWN.contains(&name.as_str()) {
                let min = v.trim().replace(" msec", "ms");
                out.push(format!("{name} n={samples} max={max} min={min}"));
            }
        }
    }
    out.join("; ")
}

/// ovsdb-server / ovn-northd `Unreasonably long <N>ms poll interval`
/// warnings in `<name>.log` so far: how long the process was busy in one go.
fn long_polls(sbx: &Sandbox, name: &str, key: &str, report: &mut Report) {
    let log = fs::read_to_string(sbx.dir.join(format!("{name}.log"))).unwrap_or_default();
    let polls: Vec<u64> = log
        .lines()
        .filter_map(|l| {
            let rest = l.split("Unreasonably long ").nth(1)?;
            rest.split("ms poll interval").next()?.parse().ok()
        })
        .collect();
    let (max, sum) = (
        polls.iter().max().copied().unwrap_or(0),
        polls.iter().sum::<u64>(),
    );
    Report::line(
        &format!("{name}.log long polls"),
        format_args!("{} (max {max} ms, sum {sum} ms)", polls.len()),
    );
    report.json.insert(
        key.into(),
        json!({"n": polls.len(), "max_ms": max, "sum_ms": sum}),
    );
}

fn size(d: &OutputDelta) -> usize {
    d.flows.len()
        + d.datapaths.len()
        + d.ports.len()
        + d.multicast_groups.len()
        + d.ip_multicast.len()
}

fn describe(d: &OutputDelta) -> String {
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

/// Inserts every row of `tables` in one transaction, with server-chosen
/// UUIDs: each row gets a `uuid-name` and references between the rows
/// become `named-uuid`s (referenced rows first).
///
/// Not the rows' own UUIDs (the `uuid` member of `insert`): the example
/// UUIDs differ only in their low bits, and ovsdb-server hashes a UUID by
/// its first 32 bits, so every row lands in one hash bucket and the load
/// (and every later update by `_uuid`) turns quadratic: 20,000 ports took
/// ~15 s instead of ~0.7 s.
fn load_nb(remote: &str, tables: &Tables) -> R<Duration> {
    let name = |u: &Uuid| format!("row{:032x}", u.0);
    let exists = |u: &Uuid| tables.values().any(|rows| rows.contains_key(u));
    let rename = |d: &Datum| -> Datum {
        let atom = |a: &Atom| match a {
            Atom::Uuid(u) if exists(u) => Atom::NamedUuid(name(u)),
            a => a.clone(),
        };
        match d {
            Datum::Set(v) => Datum::Set(v.iter().map(atom).collect()),
            Datum::Map(v) => Datum::Map(v.iter().map(|(k, v)| (atom(k), atom(v))).collect()),
        }
    };
    let referenced: std::collections::BTreeSet<Uuid> = tables
        .values()
        .flat_map(|rows| rows.values())
        .flat_map(|row| row.values())
        .flat_map(|d| {
            d.atoms()
                .iter()
                .chain(d.pairs().iter().flat_map(|(k, v)| [k, v]))
        })
        .filter_map(Atom::as_uuid)
        .filter(|u| exists(u))
        .collect();
    let mut ops: Vec<(bool, Operation)> = tables
        .iter()
        .flat_map(|(table, rows)| {
            rows.iter().map(|(uuid, row)| {
                let row = row.iter().map(|(c, d)| (c.clone(), rename(d))).collect();
                let op = Operation::insert_named(table.as_str(), name(uuid), row);
                (!referenced.contains(uuid), op)
            })
        })
        .collect();
    ops.sort_by_key(|(later, _)| *later);
    let ops = ops.into_iter().map(|(_, op)| op).collect();
    let (client, _notes) = Client::connect(remote).map_err(|e| format!("{remote}: {e}"))?;
    let t = Instant::now();
    client
        .transact("OVN_Northbound", ops)
        .map_err(|e| format!("loading the NB: {e}"))?;
    Ok(t.elapsed())
}

/// Rows per non-empty table of a Southbound (read-only selects).
fn sb_counts(remote: &str) -> R<Vec<(String, usize)>> {
    let (client, _notes) = Client::connect(remote).map_err(|e| format!("{remote}: {e}"))?;
    let schema = client
        .get_schema("OVN_Southbound")
        .map_err(|e| format!("{remote}: {e}"))?;
    let names: Vec<String> = schema.tables.keys().cloned().collect();
    let ops = names
        .iter()
        .map(|t| Operation::select_columns(t.as_str(), vec![], &["_uuid"]))
        .collect();
    let results = client
        .transact("OVN_Southbound", ops)
        .map_err(|e| format!("{remote}: {e}"))?;
    let mut counts = Vec::new();
    for (name, r) in names.into_iter().zip(results) {
        let n = selected_rows(&r).map_err(|e| e.to_string())?.len();
        if n > 0 {
            counts.push((name, n));
        }
    }
    Ok(counts)
}

fn lookup(counts: &[(String, usize)], table: &str) -> usize {
    counts
        .iter()
        .find(|(t, _)| t == table)
        .map_or(0, |(_, n)| *n)
}

fn northflow_bin() -> R<PathBuf> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join("northflow"))
        .ok_or("cannot locate the target directory")?;
    if bin.is_file() {
        Ok(bin)
    } else {
        Err(format!(
            "{} not found: run `cargo build --release --bin northflow` first",
            bin.display()
        ))
    }
}

fn status_kb(path: &Path, key: &str) -> Option<u64> {
    let text = fs::read_to_string(path).ok()?;
    let line = text.lines().find(|l| l.starts_with(key))?;
    line[key.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

fn vm_hwm_kb(status: &Path) -> Option<u64> {
    status_kb(status, "VmHWM:")
}

fn vm_rss_kb(status: &Path) -> Option<u64> {
    status_kb(status, "VmRSS:")
}

/// The figures: printed one per line as they come, and kept for the JSON.
#[derive(Default)]
struct Report {
    json: Map<String, Value>,
}

impl Report {
    fn line(label: &str, value: impl Display) {
        println!("{label:<48} {value}");
    }
    fn text(&mut self, key: &str, text: String) {
        Report::line(key, &text);
        self.json.insert(key.into(), json!(text));
    }
    fn secs(&mut self, key: &str, label: &str, d: Duration) {
        Report::line(label, format_args!("{:.3} s", d.as_secs_f64()));
        self.json.insert(key.into(), json!(d.as_secs_f64()));
    }
    fn count(&mut self, key: &str, label: &str, n: usize) {
        Report::line(label, n);
        self.json.insert(key.into(), json!(n));
    }
    fn mb(&mut self, key: &str, label: &str, kb: u64) {
        Report::line(label, format_args!("{:.1} MB", kb as f64 / 1024.0));
        self.json.insert(key.into(), json!(kb as f64 / 1024.0));
    }
    fn counts(&mut self, key: &str, label: &str, counts: &[(String, usize)]) {
        let total: usize = counts.iter().map(|(_, n)| n).sum();
        let text: Vec<String> = counts.iter().map(|(t, n)| format!("{t} {n}")).collect();
        Report::line(label, format_args!("{total} total: {}", text.join(", ")));
        let mut m: Map<String, Value> = counts.iter().map(|(t, n)| (t.clone(), json!(n))).collect();
        m.insert("total".into(), json!(total));
        self.json.insert(key.into(), Value::Object(m));
    }
    fn latency(&mut self, key: &str, label: &str, times: &mut [Duration]) {
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let n = times.len();
        let median = ms(times[n / 2]);
        let p95 = ms(times[(n * 95).div_ceil(100).max(1) - 1]);
        let (min, max) = (ms(times[0]), ms(times[n - 1]));
        Report::line(
            label,
            format_args!(
                "median {median:.2} ms, p95 {p95:.2} ms, min {min:.2} ms, max {max:.2} ms (n={n})"
            ),
        );
        self.json.insert(
            key.into(),
            json!({"median_ms": median, "p95_ms": p95, "min_ms": min, "max_ms": max, "n": n}),
        );
    }
}

/// What one measured command did.
struct Run {
    status: Option<ExitStatus>,
    elapsed: Duration,
    stdout: String,
    stderr: String,
    /// Peak RSS: from `/usr/bin/time -v` when wrapped, else polled.
    hwm_kb: Option<u64>,
}

/// A temp dir with the servers and daemons started in it, all children of
/// this process; dropping it kills them (by handle) and removes the dir.
struct Sandbox {
    dir: PathBuf,
    children: Vec<(String, Child)>,
    keep: bool,
}

impl Sandbox {
    fn new() -> R<Sandbox> {
        let dir = reference::scratch_dir().join(format!("nf-bench-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| e.to_string())?;
        }
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(Sandbox {
            dir,
            children: Vec::new(),
            keep: std::env::var_os("NORTHFLOW_KEEP_BENCH").is_some_and(|v| v == "1"),
        })
    }

    /// `program` run in the sandbox; names resolve to the reference OVN/OVS
    /// programs first (`Command` searches the `PATH` it is given).
    fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut c = Command::new(program);
        c.current_dir(&self.dir)
            .stdin(Stdio::null())
            .env("PATH", reference::path_env())
            .env("OVS_RUNDIR", &self.dir)
            .env("OVN_RUNDIR", &self.dir)
            .env("OVS_LOGDIR", &self.dir)
            .env("OVN_LOGDIR", &self.dir)
            .env("OVS_DBDIR", &self.dir)
            .env("OVN_DBDIR", &self.dir);
        c
    }

    fn spawn_daemon(&mut self, name: &str, mut c: Command) -> R<()> {
        let file = |ext: &str| {
            File::create(self.dir.join(format!("{name}.{ext}"))).map_err(|e| e.to_string())
        };
        c.stdout(file("stdout")?).stderr(file("stderr")?);
        let child = c
            .spawn()
            .map_err(|e| format!("cannot start {:?}: {e}", c.get_program()))?;
        self.children.push((name.to_owned(), child));
        Ok(())
    }

    /// Creates `<name>.db` and serves it on `<name>.sock`; returns the
    /// remote once the socket accepts connections.
    fn start_db(&mut self, name: &str, schema: &str) -> R<String> {
        let path = |ext: &str| self.dir.join(format!("{name}.{ext}"));
        let (db, sock) = (path("db"), path("sock"));
        let mut c = self.command("ovsdb-tool");
        c.arg("create").arg(&db).arg(reference::schema(schema));
        let r = self.run_measured(&format!("{name}-create"), c, SHORT)?;
        if !r.status.is_some_and(|s| s.success()) {
            return Err(format!("ovsdb-tool create {name}: {}", r.stderr));
        }
        let mut c = self.command("ovsdb-server");
        c.arg("--no-chdir")
            .arg(format!("--pidfile={}", path("pid").display()))
            .arg(format!("--log-file={}", path("log").display()))
            .arg(format!("--unixctl={}", path("ctl").display()))
            .arg(format!("--remote=punix:{}", sock.display()))
            .arg(&db);
        self.spawn_daemon(name, c)?;
        let deadline = Instant::now() + Duration::from_secs(10);
        while UnixStream::connect(&sock).is_err() {
            if Instant::now() > deadline {
                return Err(format!("ovsdb-server {name} did not listen"));
            }
            thread::sleep(Duration::from_millis(5));
        }
        Ok(format!("unix:{}", sock.display()))
    }

    fn pid(&self, name: &str) -> Option<u32> {
        self.children
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.id())
    }

    /// VmHWM of a running daemon.
    fn server_hwm(&self, name: &str) -> Option<u64> {
        vm_hwm_kb(&PathBuf::from(format!("/proc/{}/status", self.pid(name)?)))
    }

    fn stop(&mut self, name: &str) {
        if let Some(i) = self.children.iter().position(|(n, _)| n == name) {
            let (_, mut child) = self.children.remove(i);
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Runs `cmd` to completion (killed after `timeout`), timing it and
    /// measuring its peak RSS; output goes through files in the sandbox.
    fn run_measured(&self, label: &str, cmd: Command, timeout: Duration) -> R<Run> {
        let out = self.dir.join(format!("{label}.out"));
        let err = self.dir.join(format!("{label}.err"));
        let rusage = self.dir.join(format!("{label}.time"));
        let timed = Path::new(TIME).is_file();
        let mut c = if timed {
            let mut c = self.command(TIME);
            c.arg("-v").arg("-o").arg(&rusage).arg(cmd.get_program());
            c.args(cmd.get_args());
            for (k, v) in cmd.get_envs() {
                match v {
                    Some(v) => c.env(k, v),
                    None => c.env_remove(k),
                };
            }
            c
        } else {
            cmd
        };
        let create = |p: &Path| File::create(p).map_err(|e| format!("{}: {e}", p.display()));
        c.stdout(create(&out)?).stderr(create(&err)?);
        let start = Instant::now();
        let mut child = c
            .spawn()
            .map_err(|e| format!("cannot start {:?}: {e}", c.get_program()))?;
        let status_path = PathBuf::from(format!("/proc/{}/status", child.id()));
        let mut polled = None;
        let status = loop {
            match child.try_wait() {
                Ok(Some(s)) => break Some(s),
                Ok(None) => {}
                Err(e) => return Err(e.to_string()),
            }
            if start.elapsed() > timeout {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            if !timed {
                polled = vm_hwm_kb(&status_path).or(polled);
            }
            thread::sleep(Duration::from_millis(1));
        };
        let elapsed = start.elapsed();
        let hwm_kb = if timed {
            fs::read_to_string(&rusage).ok().and_then(|t| {
                t.lines()
                    .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
                    .and_then(|v| v.trim().parse().ok())
            })
        } else {
            polled
        };
        Ok(Run {
            status,
            elapsed,
            stdout: fs::read_to_string(&out).unwrap_or_default(),
            stderr: fs::read_to_string(&err).unwrap_or_default(),
            hwm_kb,
        })
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        for (_, child) in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        if self.keep {
            eprintln!("bench_switches: kept {}", self.dir.display());
        } else {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}
