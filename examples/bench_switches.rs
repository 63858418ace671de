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

mod common;

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;
use common::inprocess::{cold_image, describe, step};
use common::report::{vm_hwm_kb, Report};
use common::sandbox::Sandbox;
use common::servers::{northd, northflow_bin, northflow_once};
use common::R;
use northflow::engine::OutputDelta;
use northflow::input::InputRow;
use northflow::sync::Tables;
use northflow::{Compiler, Db, RowChange};
use northflow_ir::nb::{LogicalSwitch, LogicalSwitchPort};
use northflow_ir::row::Table;
use northflow_ovsdb::{Atom, Client, Datum, Operation, Uuid};
use serde_json::{json, Value};

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

fn main() -> ExitCode {
    let args = Args::parse();
    if args.switches.len() > 1 {
        return common::exit("bench_switches", sizes(&args));
    }
    common::run_one("bench_switches", |report| run(&args, report))
}

/// Runs this benchmark once per size, each in a child process, and prints
/// one summary JSON line per size (after all the children's own output).
fn sizes(args: &Args) -> R<()> {
    let runs: Vec<(String, Vec<String>)> = args
        .switches
        .iter()
        .map(|n| {
            let mut a = vec![
                format!("--switches={n}"),
                format!("--ports={}", args.ports),
                format!("--reps={}", args.reps),
                format!("--slice={}", args.slice),
            ];
            for (on, flag) in [
                (args.skip_northd, "--skip-northd"),
                (args.skip_phases, "--skip-phases"),
                (args.skip_servers, "--skip-servers"),
            ] {
                if on {
                    a.push(flag.to_owned());
                }
            }
            (format!("size {n}"), a)
        })
        .collect();
    let reports = common::children(&runs)?;
    for (n, full) in args.switches.iter().zip(reports) {
        let key = |k: &str| full.get(k).cloned().unwrap_or(Value::Null);
        let s = json!({
            "switches": n,
            "ports_per_switch": args.ports,
            "lflow_rows": key("flow_rows"),
            "cold_s": key("cold_compile_s"),
            "add_port_ms": full.pointer("/port_add/median_ms").cloned().unwrap_or(Value::Null),
            "add_switch_ms": full.pointer("/switch_add/median_ms").cloned().unwrap_or(Value::Null),
            "add_switch_pairs": key("switch_add_pairs"),
            "add_switch_sb_rows": key("switch_add_sb_rows"),
            "peak_rss_mb": key("peak_rss_mb"),
        });
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
    let flow_rows = cold_image(&compiler, report);

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

    northflow_once(&sbx, &bin, &nb, &sb, flow_rows, report)?;

    // 3b. Where `--once` spends its time: its steps re-enacted here on a
    // fresh NB/SB pair.
    if !args.skip_phases {
        once_phases(&mut sbx, &tables, report)?;
    }

    // 4. The real ovn-northd on an identical, separate NB.
    if !args.skip_northd {
        northd(&mut sbx, |nb, _| load_nb(nb, &tables).map(drop), report)?;
        sbx.stop("northd");
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
    let mut s = step(compiler, &add, &del, args.reps);
    report.count(
        "switch_add_pairs",
        "switch add: (flow, datapath) pairs",
        s.delta.flows.len(),
    );
    report.count(
        "switch_add_sb_rows",
        "switch add: SB rows written",
        s.sb_rows,
    );
    if !s.undone {
        report.text(
            "switch_incremental_mismatch",
            "removing the switch did not undo adding it".into(),
        );
    }
    report.latency("switch_add", "switch add (in-process)", &mut s.add);
    report.latency("switch_del", "switch remove (in-process)", &mut s.del);
    Ok(())
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

fn size(d: &OutputDelta) -> usize {
    d.flows.len()
        + d.datapaths.len()
        + d.ports.len()
        + d.multicast_groups.len()
        + d.ip_multicast.len()
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
