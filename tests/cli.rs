//! The `northflow` command line against real `ovsdb-server`s: `compile`
//! from a live Northbound and from a standalone database file, `--format
//! json`, and `--once` run repeatedly over one Southbound (idempotence,
//! identities kept across Northbound changes, conformance of the result),
//! plus the error path for a database that cannot be reached.

#[macro_use]
#[allow(unused_macros)]
mod harness;

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use harness::compare;
use harness::normalize::{self, map_get, uuid_of, Dump, Row};
use harness::sandbox::{CmdOutput, Db, Sandbox, CMD_TIMEOUT};
use harness::{case_path, compare_runs, northflow_bin, run_reference, NB_SCHEMA, SB_SCHEMA};
use northflow_ovsdb::reference;
use serde_json::Value;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Runs `northflow <args>` in the sandbox (no timeout beyond the usual one).
fn northflow<I, S>(sbx: &Sandbox, args: I) -> CmdOutput
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut c = Command::new(northflow_bin());
    c.current_dir(sbx.dir())
        .args(args)
        .env("RUST_BACKTRACE", "1");
    sbx.run(c, CMD_TIMEOUT)
}

/// Panics unless `out` succeeded without a panic message.
fn expect_ok(out: CmdOutput) -> CmdOutput {
    assert!(
        !out.stderr.contains("panicked"),
        "northflow panicked: {}\n{}",
        out.cmdline,
        out.stderr
    );
    out.check()
}

/// `northflow compile <nb> [extra…]`: stdout and stderr; panics on failure.
fn compile(sbx: &Sandbox, nb: &str, extra: &[&str]) -> (String, String) {
    let mut args = vec!["compile", nb];
    args.extend_from_slice(extra);
    let out = expect_ok(northflow(sbx, &args));
    (out.stdout, out.stderr)
}

/// `northflow --ovnnb-db=… --ovnsb-db=… --once`; panics on failure.
fn once(sbx: &Sandbox, nb: &Db, sb: &Db) -> CmdOutput {
    let out = expect_ok(sbx.run_northflow(&northflow_bin(), nb, sb));
    eprintln!("northflow --once took {:?}", out.elapsed);
    out
}

/// `ovsdb-client backup` of `db` into `<sandbox>/<file>`: a standalone
/// database file holding one snapshot record.
fn backup(sbx: &Sandbox, db: &Db, file: &str) -> PathBuf {
    let mut c = Command::new(reference::program("ovsdb-client"));
    c.current_dir(sbx.dir())
        .arg("backup")
        .arg(db.remote())
        .arg(&db.db_name);
    let out = sbx.run(c, CMD_TIMEOUT).check();
    assert!(
        out.stdout.starts_with("OVSDB JSON "),
        "ovsdb-client backup wrote no database file:\n{}",
        out.stdout
    );
    let path = sbx.dir().join(file);
    std::fs::write(&path, out.stdout).expect("write backup");
    path
}

/// Stops the ovsdb-server of `db` cleanly (`exit` over its control socket)
/// and waits until it no longer listens and has removed its pidfile, so its
/// database file (`<sandbox>/<name>.db`) is complete and no longer written.
/// Returns that file.
fn stop_server(sbx: &Sandbox, db: &Db) -> PathBuf {
    let mut c = Command::new(reference::program("ovs-appctl"));
    c.current_dir(sbx.dir())
        .arg("-t")
        .arg(sbx.dir().join(format!("{}.ctl", db.name)))
        .arg("exit");
    sbx.run(c, CMD_TIMEOUT).check();
    let pidfile = sbx.dir().join(format!("{}.pid", db.name));
    let deadline = Instant::now() + Duration::from_secs(10);
    while UnixStream::connect(&db.sock).is_ok() || pidfile.exists() {
        assert!(
            Instant::now() < deadline,
            "ovsdb-server {} did not exit after `ovs-appctl exit`",
            db.name
        );
        thread::sleep(Duration::from_millis(10));
    }
    sbx.dir().join(format!("{}.db", db.name))
}

/// The lines of `a` not in `b` and of `b` not in `a` (as multisets), for
/// failure messages: `- ` only in `a`, `+ ` only in `b`, at most 40 each.
fn line_differences(a: &str, b: &str) -> String {
    let count = |t: &str| {
        let mut m: BTreeMap<String, isize> = BTreeMap::new();
        for l in t.lines() {
            *m.entry(l.to_owned()).or_default() += 1;
        }
        m
    };
    let (ca, cb) = (count(a), count(b));
    let mut minus = Vec::new();
    let mut plus = Vec::new();
    for l in ca.keys().chain(cb.keys()).collect::<BTreeSet<_>>() {
        let n = ca.get(l).copied().unwrap_or(0) - cb.get(l).copied().unwrap_or(0);
        if n > 0 {
            minus.push(format!("- {l} (×{n})"));
        } else if n < 0 {
            plus.push(format!("+ {l} (×{})", -n));
        }
    }
    let mut s = format!(
        "{} lines only left, {} only right\n",
        minus.len(),
        plus.len()
    );
    for l in minus.iter().take(40).chain(plus.iter().take(40)) {
        s.push_str(l);
        s.push('\n');
    }
    s
}

/// Asserts two `lflow-list` texts are equal, with a readable difference.
fn assert_same_flows(what: &str, expected: &str, got: &str) {
    assert!(
        expected == got,
        "{what}: output differs (- expected, + got):\n{}",
        line_differences(expected, got)
    );
}

/// The string value of `external_ids:<key>` (or any map column) of a row.
fn map_str(row: &Row, col: &str, key: &str) -> Option<String> {
    map_get(row.get(col)?, key)?.as_str().map(str::to_owned)
}

fn row_uuid(row: &Row) -> String {
    row.get("_uuid")
        .and_then(uuid_of)
        .expect("row without _uuid")
        .to_owned()
}

fn row_str(row: &Row, col: &str) -> String {
    row.get(col)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("column {col} is not a string in {row:?}"))
        .to_owned()
}

fn row_int(row: &Row, col: &str) -> i64 {
    row.get(col)
        .and_then(Value::as_i64)
        .unwrap_or_else(|| panic!("column {col} is not an integer in {row:?}"))
}

/// Every row-level difference between two dumps of one database, `_uuid`
/// included: `- T uuid` (gone), `+ T uuid` (new), `~ T uuid col: a → b`.
fn dump_differences(a: &Dump, b: &Dump) -> Vec<String> {
    let mut out = Vec::new();
    let names: BTreeSet<&String> = a.tables.keys().chain(b.tables.keys()).collect();
    for t in names {
        let ra = a
            .tables
            .get(t)
            .map(|x| x.rows_by_uuid())
            .unwrap_or_default();
        let rb = b
            .tables
            .get(t)
            .map(|x| x.rows_by_uuid())
            .unwrap_or_default();
        for (u, row) in &ra {
            match rb.get(u) {
                None => out.push(format!("- {t} {u} {row:?}")),
                Some(row_b) => {
                    for col in row.keys().chain(row_b.keys()).collect::<BTreeSet<_>>() {
                        let (va, vb) = (row.get(col), row_b.get(col));
                        if va != vb {
                            out.push(format!("~ {t} {u} {col}: {va:?} → {vb:?}"));
                        }
                    }
                }
            }
        }
        for (u, row) in &rb {
            if !ra.contains_key(u) {
                out.push(format!("+ {t} {u} {row:?}"));
            }
        }
    }
    out
}

fn file_len(p: &Path) -> u64 {
    std::fs::metadata(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .len()
}

/// The flow lines of an `lflow-list` text per datapath header UUID, each
/// with the pipeline of its header. Panics on a flow line before a header.
fn text_flows_by_datapath(text: &str) -> BTreeMap<String, Vec<(String, String)>> {
    const SEP: &str = ")  Pipeline: ";
    let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        if line.starts_with("Datapath: ") {
            let end = line
                .rfind(SEP)
                .unwrap_or_else(|| panic!("bad header {line:?}"));
            let uuid = line[end - 36..end].to_owned();
            let pipeline = line[end + SEP.len()..].to_owned();
            out.entry(uuid.clone()).or_default();
            current = Some((uuid, pipeline));
        } else {
            let (uuid, pipeline) = current
                .as_ref()
                .unwrap_or_else(|| panic!("flow line before any header: {line:?}"));
            out.get_mut(uuid)
                .expect("header seen")
                .push((pipeline.clone(), line.to_owned()));
        }
    }
    out
}

/// The `lflow-list` line of one flow of `compile --format json`.
fn json_flow_line(f: &Value) -> String {
    let s = |k: &str| {
        f[k].as_str()
            .unwrap_or_else(|| panic!("flow field {k} is not a string: {f}"))
            .to_owned()
    };
    let n = |k: &str| {
        f[k].as_u64()
            .unwrap_or_else(|| panic!("flow field {k} is not a number: {f}"))
    };
    let table = format!("table={:<2}({:<19})", n("table_id"), s("stage"));
    format!(
        "  {table}, priority={:<5}, match=({}), action=({})",
        n("priority"),
        s("match"),
        s("actions")
    )
}

/// NB `Logical_Switch` rows: uuid → name.
fn nb_switches(nb: &Dump) -> BTreeMap<String, String> {
    nb.rows("Logical_Switch")
        .iter()
        .map(|r| (row_uuid(r), row_str(r, "name")))
        .collect()
}

/// The two cases most tests start from: an ovn-kubernetes node switch and
/// four plain switches (one empty), ports added one transaction at a time.
fn load_base_cases(sbx: &Sandbox, nb: &Db) {
    sbx.run_case(nb, &case_path("ovnk_node_switch"));
    sbx.run_case(nb, &case_path("several_switches"));
}

// ---------------------------------------------------------------------------
// compile
// ---------------------------------------------------------------------------

/// `northflow compile` of a standalone database file prints exactly what it
/// prints for the live server holding the same data: for an
/// `ovsdb-client backup` (one snapshot record) before and after updates and
/// deletes, and for the server's own database file (one record per
/// transaction, the way ovsdb-server 3.x writes it) after a clean stop.
#[test]
fn compile_from_database_file_equals_compile_from_remote() {
    let mut sbx = Sandbox::new("cli-dbfile");
    let nb = sbx.start_db("nb", NB_SCHEMA);
    load_base_cases(&sbx, &nb);

    let (live1, live1_err) = compile(&sbx, &nb.remote(), &[]);
    assert!(!live1.trim().is_empty(), "no flows from the live NB");
    for sw in ["node1", "sw0", "sw1", "sw2", "sw3"] {
        assert!(
            live1.contains(&format!("Datapath: \"{sw}\" (")),
            "no datapath {sw} in:\n{live1}"
        );
    }
    let file1 = backup(&sbx, &nb, "nb-backup1.db");
    let (from_file1, from_file1_err) = compile(&sbx, file1.to_str().expect("utf-8 path"), &[]);
    assert_same_flows(
        "compile of a backup file vs the live NB",
        &live1,
        &from_file1,
    );
    assert_eq!(live1_err, from_file1_err, "diagnostics differ");

    // Updates and deletes: a port deleted, a port's addresses and port
    // security changed, a switch deleted, a switch and ports added, a map
    // column edited key by key.
    for args in [
        &["lsp-del", "sw1-p2"][..],
        &["lsp-set-addresses", "sw0-p1", "00:00:00:00:00:11 10.0.0.11"],
        &["lsp-set-port-security", "sw0-p2", "00:00:00:00:00:02"],
        &["ls-del", "sw3"],
        &["ls-add", "sw4"],
        &["lsp-add", "sw4", "sw4-p1"],
        &["lsp-set-addresses", "sw4-p1", "00:00:00:00:04:01 10.0.4.1"],
        &["lsp-add", "sw2", "sw2-p2"],
        &["lsp-set-addresses", "sw2-p2", "00:00:00:00:02:02 fd00::2"],
        &["lsp-add", "node1", "default_web-2"],
        &[
            "lsp-set-addresses",
            "default_web-2",
            "0a:58:0a:f4:01:06 10.244.1.6",
        ],
        &["lsp-set-port-security", "default_web-0"],
        &[
            "set",
            "Logical_Switch_Port",
            "default_web-1",
            "options:requested-chassis=node2",
        ],
        &[
            "remove",
            "Logical_Switch_Port",
            "default_db-0",
            "options",
            "requested-chassis",
        ],
        &["lsp-set-enabled", "sw1-p3", "disabled"],
    ] {
        sbx.nbctl(&nb, args);
    }

    let (live2, live2_err) = compile(&sbx, &nb.remote(), &[]);
    assert_ne!(live1, live2, "the NB changes changed no flow");
    assert!(!live2.contains("sw1-p2"), "deleted port still compiled");
    assert!(!live2.contains("\"sw3\""), "deleted switch still compiled");
    for s in ["\"sw4\"", "sw4-p1", "10.0.0.11", "sw2-p2", "default_web-2"] {
        assert!(live2.contains(s), "{s} missing from the live compile");
    }

    let file2 = backup(&sbx, &nb, "nb-backup2.db");
    let (from_file2, from_file2_err) = compile(&sbx, file2.to_str().expect("utf-8 path"), &[]);
    assert_same_flows(
        "compile of a backup file after updates/deletes vs the live NB",
        &live2,
        &from_file2,
    );
    assert_eq!(live2_err, from_file2_err, "diagnostics differ");

    // The server's own file: schema, then one record per transaction
    // (ovsdb-server ≥ 2.15 writes set and map columns of updated rows as
    // diffs, marked "_is_diff").
    let own = stop_server(&sbx, &nb);
    let (from_own, from_own_err) = compile(&sbx, own.to_str().expect("utf-8 path"), &[]);
    assert_same_flows(
        "compile of the stopped server's own database file vs the live NB",
        &live2,
        &from_own,
    );
    assert_eq!(live2_err, from_own_err, "diagnostics differ");
}

/// `compile --format json` is JSON with one entry per Northbound switch
/// (its name and NB UUID), and per datapath exactly the flows of the text
/// output, in the same order (each rendered back to its `lflow-list` line
/// and pipeline).
/// `compile` refuses a database file of another schema: a Southbound file
/// would otherwise "compile" to no flows and exit 0.
#[test]
fn compile_refuses_a_southbound_file() {
    let mut sbx = Sandbox::new("cli-wrong-db");
    let _sb = sbx.start_db("sb", SB_SCHEMA);
    let file = sbx.dir().join("sb.db");
    let out = northflow(&sbx, ["compile", file.to_str().expect("utf-8 path")]);
    assert!(
        !out.success(),
        "compile of an SB file succeeded:\n{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("OVN_Southbound") && !out.stderr.contains("panicked"),
        "unclear error: {}",
        out.stderr
    );
}

#[test]
fn compile_json_format() {
    let mut sbx = Sandbox::new("cli-json");
    let nb = sbx.start_db("nb", NB_SCHEMA);
    load_base_cases(&sbx, &nb);
    let switches = nb_switches(&sbx.dump(&nb));
    assert_eq!(switches.len(), 5);

    let (text, _) = compile(&sbx, &nb.remote(), &[]);
    let (json_text, _) = compile(&sbx, &nb.remote(), &["--format", "json"]);
    let json: Value = serde_json::from_str(&json_text)
        .unwrap_or_else(|e| panic!("--format json is not JSON ({e}):\n{json_text}"));
    let dps = json["datapaths"]
        .as_array()
        .unwrap_or_else(|| panic!("no \"datapaths\" array in {json:#}"));

    let mut json_switches = BTreeMap::new();
    for dp in dps {
        let uuid = dp["nb_uuid"].as_str().expect("nb_uuid").to_owned();
        let name = dp["datapath"].as_str().expect("datapath name").to_owned();
        assert!(
            json_switches.insert(uuid.clone(), name).is_none(),
            "datapath {uuid} listed twice"
        );
    }
    assert_eq!(
        json_switches, switches,
        "JSON datapaths (nb_uuid → name) are not the NB's switches"
    );

    let text_flows = text_flows_by_datapath(&text);
    assert_eq!(
        text_flows.keys().collect::<Vec<_>>(),
        switches.keys().collect::<Vec<_>>(),
        "text datapath headers are not the NB's switches"
    );
    let text_total = text
        .lines()
        .filter(|l| !l.starts_with("Datapath: "))
        .count();
    let mut json_total = 0;
    for dp in dps {
        let uuid = dp["nb_uuid"].as_str().expect("nb_uuid");
        let flows = dp["flows"].as_array().expect("flows array");
        json_total += flows.len();
        let from_json: Vec<(String, String)> = flows
            .iter()
            .map(|f| {
                (
                    f["pipeline"].as_str().expect("pipeline").to_owned(),
                    json_flow_line(f),
                )
            })
            .collect();
        let from_text = &text_flows[uuid];
        assert_eq!(
            from_json.len(),
            from_text.len(),
            "datapath {uuid}: {} flows in JSON, {} in the text",
            from_json.len(),
            from_text.len()
        );
        assert!(
            &from_json == from_text,
            "datapath {uuid}: JSON flows differ from the text flows",
        );
    }
    assert_eq!(json_total, text_total, "total flow count");
    assert!(text_total > 100, "suspiciously few flows: {text_total}");
}

// ---------------------------------------------------------------------------
// --once
// ---------------------------------------------------------------------------

/// A second `--once` over an unchanged Northbound changes nothing: every SB
/// row keeps its UUID and content, the SB database file does not grow (no
/// transaction committed a change), and the NB is unchanged too (timestamps
/// aside).
#[test]
fn once_is_idempotent() {
    let mut sbx = Sandbox::new("cli-once-idem");
    let nb = sbx.start_db("nb", NB_SCHEMA);
    let sb = sbx.start_db("sb", SB_SCHEMA);
    load_base_cases(&sbx, &nb);
    // Container ports (northd writes back `tag`) and a tagged localnet port.
    sbx.nbctl(&nb, ["ls-add", "swc"]);
    sbx.nbctl(
        &nb,
        [
            "lsp-add",
            "swc",
            "swc-parent",
            "--",
            "lsp-set-addresses",
            "swc-parent",
            "0a:00:00:00:0c:01 10.0.12.1",
        ],
    );
    sbx.nbctl(
        &nb,
        [
            "lsp-add",
            "swc",
            "swc-child",
            "swc-parent",
            "42",
            "--",
            "lsp-set-addresses",
            "swc-child",
            "0a:00:00:00:0c:02 10.0.12.2",
        ],
    );
    sbx.nbctl(
        &nb,
        [
            "lsp-add",
            "swc",
            "ln-swc",
            "",
            "101",
            "--",
            "lsp-set-type",
            "ln-swc",
            "localnet",
            "--",
            "lsp-set-addresses",
            "ln-swc",
            "unknown",
            "--",
            "lsp-set-options",
            "ln-swc",
            "network_name=physnet",
        ],
    );

    let nb0 = sbx.dump(&nb);
    once(&sbx, &nb, &sb);
    let sb1 = sbx.dump(&sb);
    let nb1 = sbx.dump(&nb);
    assert!(
        sb1.rows("Logical_Flow").len() > 100 && sb1.rows("Port_Binding").len() == 14,
        "first --once wrote {} flows and {} port bindings",
        sb1.rows("Logical_Flow").len(),
        sb1.rows("Port_Binding").len()
    );
    assert!(
        !dump_differences(&nb0, &nb1).is_empty(),
        "first --once wrote nothing back to the NB"
    );
    let sb_file = sbx.dir().join(format!("{}.db", sb.name));
    let nb_file = sbx.dir().join(format!("{}.db", nb.name));
    let (sb_len1, nb_len1) = (file_len(&sb_file), file_len(&nb_file));

    once(&sbx, &nb, &sb);
    let sb2 = sbx.dump(&sb);
    let nb2 = sbx.dump(&nb);

    let diffs = dump_differences(&sb1, &sb2);
    assert!(
        diffs.is_empty(),
        "the second --once changed {} SB rows/columns:\n{}",
        diffs.len(),
        diffs
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(
        file_len(&sb_file),
        sb_len1,
        "the SB database file grew on the second --once: a transaction committed changes"
    );
    let report = compare::compare(
        "Northbound",
        &normalize::nb_image(&nb1),
        &normalize::nb_image(&nb2),
    );
    assert!(
        report.is_empty(),
        "the second --once changed the NB (- before, + after):\n{report}"
    );
    if file_len(&nb_file) != nb_len1 {
        eprintln!(
            "note: the NB database file grew on the second --once (only timestamps may differ):\n{}",
            dump_differences(&nb1, &nb2).join("\n")
        );
    }
}

/// The content of a Logical_Flow row with its placement resolved to
/// datapath names (sorted): what makes two rows "the same flow".
fn flow_contents(sb: &Dump) -> BTreeMap<String, Vec<String>> {
    let dp_name: BTreeMap<String, String> = sb
        .rows("Datapath_Binding")
        .iter()
        .map(|r| {
            (
                row_uuid(r),
                map_str(r, "external_ids", "name").unwrap_or_default(),
            )
        })
        .collect();
    let names = |v: Option<&Value>| -> Vec<String> {
        v.map(normalize::atoms)
            .unwrap_or_default()
            .into_iter()
            .filter_map(uuid_of)
            .map(|u| dp_name.get(u).cloned().unwrap_or_else(|| "<?>".into()))
            .collect()
    };
    let groups: BTreeMap<String, Vec<String>> = sb
        .rows("Logical_DP_Group")
        .iter()
        .map(|r| (row_uuid(r), names(r.get("datapaths"))))
        .collect();
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in sb.rows("Logical_Flow") {
        let mut placement = names(r.get("logical_datapath"));
        for g in r
            .get("logical_dp_group")
            .map(normalize::atoms)
            .unwrap_or_default()
            .into_iter()
            .filter_map(uuid_of)
        {
            placement.extend(groups.get(g).cloned().unwrap_or_default());
        }
        placement.sort();
        let col = |c: &str| r.get(c).map(Value::to_string).unwrap_or_default();
        let key = format!(
            "{placement:?} {} table={} priority={} match={} actions={} meter={} tags={}",
            col("pipeline"),
            col("table_id"),
            col("priority"),
            col("match"),
            col("actions"),
            col("controller_meter"),
            col("tags")
        );
        out.entry(key).or_default().push(row_uuid(r));
    }
    for v in out.values_mut() {
        v.sort();
    }
    out
}

/// Rows of `table` keyed by `key(row)`: key → (`_uuid`, `tunnel_key`).
fn identities(
    sb: &Dump,
    table: &str,
    key: impl Fn(&Row) -> String,
) -> BTreeMap<String, (String, i64)> {
    let mut out = BTreeMap::new();
    for r in sb.rows(table) {
        let k = key(r);
        let prev = out.insert(k.clone(), (row_uuid(r), row_int(r, "tunnel_key")));
        assert!(prev.is_none(), "{table}: two rows for {k}");
    }
    out
}

/// What changed identity between two dumps: rows present in both (by
/// natural key) whose `_uuid` or `tunnel_key` differ.
fn identity_changes(
    before: &BTreeMap<String, (String, i64)>,
    after: &BTreeMap<String, (String, i64)>,
) -> (usize, Vec<String>) {
    let mut common = 0;
    let mut changed = Vec::new();
    for (k, b) in before {
        if let Some(a) = after.get(k) {
            common += 1;
            if a != b {
                changed.push(format!("{k}: (uuid, key) {b:?} → {a:?}"));
            }
        }
    }
    (common, changed)
}

/// `--once` over a Southbound it wrote before, after Northbound changes:
/// the result equals (normalized) what ovn-northd 26.03.1 writes into a fresh
/// Southbound for the final Northbound, and rows that stay keep their
/// identity — datapaths (by name) and port bindings (by logical port) keep
/// `_uuid` and `tunnel_key`, unchanged logical flows keep `_uuid`.
#[test]
fn once_after_nb_change_keeps_identities() {
    let mut sbx = Sandbox::new("cli-once-change");
    let nb = sbx.start_db("nb", NB_SCHEMA);
    let sb_nf = sbx.start_db("sbnf", SB_SCHEMA);
    let sb_ref = sbx.start_db("sbref", SB_SCHEMA);
    load_base_cases(&sbx, &nb);

    once(&sbx, &nb, &sb_nf);
    let before = sbx.dump(&sb_nf);

    // Add a port to one switch, delete another port, add a switch with a
    // port, change a port's addresses.
    sbx.nbctl(
        &nb,
        [
            "lsp-add",
            "sw2",
            "sw2-p2",
            "--",
            "lsp-set-addresses",
            "sw2-p2",
            "00:00:00:00:02:02 10.0.2.2",
        ],
    );
    sbx.nbctl(&nb, ["lsp-del", "sw1-p2"]);
    sbx.nbctl(
        &nb,
        [
            "ls-add",
            "sw4",
            "--",
            "lsp-add",
            "sw4",
            "sw4-p1",
            "--",
            "lsp-set-addresses",
            "sw4-p1",
            "00:00:00:00:04:01 10.0.4.1",
        ],
    );
    sbx.nbctl(
        &nb,
        ["lsp-set-addresses", "sw0-p1", "00:00:00:00:00:11 10.0.0.11"],
    );

    // The reference on a fresh SB, then its NB write-back undone (nb_cfg,
    // bumped by the sync, stays: it is input), exactly as the conformance
    // suite does.
    let reference = run_reference(&mut sbx, &nb, &sb_ref);
    let undone = sbx.undo_nb_writeback(&nb, &reference.nb_before, &reference.nb_after, false);
    eprintln!("NB columns written back by ovn-northd (reset before northflow): {undone}");

    once(&sbx, &nb, &sb_nf);
    let after = sbx.dump(&sb_nf);
    let nb_after = sbx.dump(&nb);

    // (a) Conformance of the incrementally synced Southbound.
    let report = compare_runs(
        &normalize::sb_image(&reference.sb),
        &normalize::sb_image(&after),
        &normalize::nb_image(&reference.nb_after),
        &normalize::nb_image(&nb_after),
    );
    assert!(
        report.is_empty(),
        "after the NB changes, the SB northflow synced differs from ovn-northd 26.03.1's \
         (- only in reference, + only in northflow):\n{report}"
    );

    // (b) Identities.
    let dp_key = |r: &Row| map_str(r, "external_ids", "name").expect("datapath without name");
    let dps_before = identities(&before, "Datapath_Binding", dp_key);
    let dps_after = identities(&after, "Datapath_Binding", dp_key);
    assert!(dps_after.contains_key("sw4") && !dps_before.contains_key("sw4"));
    let (common, changed) = identity_changes(&dps_before, &dps_after);
    assert_eq!(common, 5, "datapaths in both dumps");
    assert!(
        changed.is_empty(),
        "Datapath_Binding rows lost their identity:\n{}",
        changed.join("\n")
    );

    let pb_key = |r: &Row| row_str(r, "logical_port");
    let pbs_before = identities(&before, "Port_Binding", pb_key);
    let pbs_after = identities(&after, "Port_Binding", pb_key);
    assert!(pbs_before.contains_key("sw1-p2") && !pbs_after.contains_key("sw1-p2"));
    assert!(pbs_after.contains_key("sw2-p2") && pbs_after.contains_key("sw4-p1"));
    let (common, changed) = identity_changes(&pbs_before, &pbs_after);
    assert_eq!(common, 10, "port bindings in both dumps");
    assert!(
        changed.is_empty(),
        "Port_Binding rows lost their identity:\n{}",
        changed.join("\n")
    );
    let mac_of = |d: &Dump, port: &str| {
        d.rows("Port_Binding")
            .iter()
            .find(|r| row_str(r, "logical_port") == port)
            .and_then(|r| r.get("mac").cloned())
    };
    assert_ne!(
        mac_of(&before, "sw0-p1"),
        mac_of(&after, "sw0-p1"),
        "sw0-p1's new addresses did not reach its Port_Binding"
    );

    let flows_before = flow_contents(&before);
    let flows_after = flow_contents(&after);
    let mut kept = 0;
    let mut recreated = Vec::new();
    for (content, uuids) in &flows_before {
        if let Some(now) = flows_after.get(content) {
            if now == uuids {
                kept += 1;
            } else {
                recreated.push(format!("{content}: {uuids:?} → {now:?}"));
            }
        }
    }
    eprintln!(
        "Logical_Flow: {} rows before, {} after, {kept} unchanged flows kept their row",
        before.rows("Logical_Flow").len(),
        after.rows("Logical_Flow").len()
    );
    assert!(
        recreated.is_empty(),
        "{} unchanged Logical_Flow rows got a new _uuid, e.g.:\n{}",
        recreated.len(),
        recreated
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        kept >= 15,
        "only {kept} logical flows are unchanged: the identity check is vacuous"
    );
}

/// `--once` (and `compile`) against a database nobody serves exits
/// non-zero, promptly, without a panic, with a message naming the remote;
/// with only the Southbound unreachable, the Northbound is left untouched.
#[test]
fn once_reports_unreachable_database() {
    let mut sbx = Sandbox::new("cli-unreachable");
    let missing_sb = format!("unix:{}", sbx.dir().join("missing-sb.sock").display());

    let expect_failure = |out: CmdOutput, names: &str| {
        assert!(
            out.status.is_some(),
            "{} hung ({:?}) instead of failing",
            out.cmdline,
            out.elapsed
        );
        assert!(
            !out.success(),
            "{} succeeded against an unreachable database:\n{}",
            out.cmdline,
            out.stderr
        );
        assert!(
            !out.stderr.contains("panicked"),
            "{} panicked:\n{}",
            out.cmdline,
            out.stderr
        );
        assert!(
            out.stderr.contains(names),
            "{}: the message does not name {names}:\n{}",
            out.cmdline,
            out.stderr
        );
        assert!(
            out.elapsed < Duration::from_secs(10),
            "{} took {:?} to fail",
            out.cmdline,
            out.elapsed
        );
    };

    let bad_nb = "unix:/nonexistent.sock";
    expect_failure(
        northflow(
            &sbx,
            [
                format!("--ovnnb-db={bad_nb}"),
                format!("--ovnsb-db={missing_sb}"),
                "--once".to_owned(),
            ],
        ),
        bad_nb,
    );
    expect_failure(
        northflow(
            &sbx,
            [
                "--ovnnb-db=tcp:127.0.0.1:1".to_owned(),
                format!("--ovnsb-db={missing_sb}"),
                "--once".to_owned(),
            ],
        ),
        "tcp:127.0.0.1:1",
    );
    expect_failure(northflow(&sbx, ["compile", bad_nb]), bad_nb);
    let missing_file = sbx.dir().join("missing.db");
    expect_failure(
        northflow(&sbx, ["compile".as_ref(), missing_file.as_os_str()]),
        &missing_file.display().to_string(),
    );

    // A reachable NB and an unreachable SB: fails naming the SB, writes
    // nothing back to the NB.
    let nb = sbx.start_db("nb", NB_SCHEMA);
    sbx.run_case(&nb, &case_path("one_vif_port"));
    let nb_before = sbx.dump(&nb);
    let out = northflow(
        &sbx,
        [
            format!("--ovnnb-db={}", nb.remote()),
            format!("--ovnsb-db={missing_sb}"),
            "--once".to_owned(),
        ],
    );
    expect_failure(out, &missing_sb);
    let diffs = dump_differences(&nb_before, &sbx.dump(&nb));
    assert!(
        diffs.is_empty(),
        "a failed --once wrote to the NB:\n{}",
        diffs.join("\n")
    );
}

// ---------------------------------------------------------------------------
// taking over from ovn-northd
// ---------------------------------------------------------------------------

/// `--once` on a Southbound the real ovn-northd wrote for the same
/// Northbound (an operator switching daemons) changes nothing in it: every
/// row keeps its UUID and content — including ovn-northd's own hints in
/// `Logical_Flow.external_ids` — and the database file does not grow.
#[test]
fn once_takes_over_from_ovn_northd_without_rewriting() {
    let mut sbx = Sandbox::new("cli-takeover");
    let nb = sbx.start_db("nb", NB_SCHEMA);
    let sb = sbx.start_db("sb", SB_SCHEMA);
    load_base_cases(&sbx, &nb);
    let reference = run_reference(&mut sbx, &nb, &sb);
    assert!(
        reference.sb.rows("Logical_Flow").len() > 40,
        "the reference wrote too little to make this test meaningful"
    );
    let sb_file = sbx.dir().join(format!("{}.db", sb.name));
    let len_before = file_len(&sb_file);

    once(&sbx, &nb, &sb);
    let after = sbx.dump(&sb);
    let diffs = dump_differences(&reference.sb, &after);
    assert!(
        diffs.is_empty(),
        "taking over from ovn-northd rewrote {} row values:\n{}",
        diffs.len(),
        diffs
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(
        file_len(&sb_file),
        len_before,
        "--once committed a transaction to an already current Southbound"
    );
}

/// Two `--once` at the same time on a populated Southbound: they take turns
/// under the `ovn_northd` lock, so both succeed and the second finds nothing
/// left to do — no row is written twice.
#[test]
fn concurrent_once_runs_take_turns() {
    let mut sbx = Sandbox::new("cli-once-race");
    let nb = sbx.start_db("nb", NB_SCHEMA);
    let sb = sbx.start_db("sb", SB_SCHEMA);
    load_base_cases(&sbx, &nb);
    once(&sbx, &nb, &sb);
    let mut args = vec!["ls-add".to_owned(), "race".to_owned()];
    for i in 1..=20 {
        args.extend(
            [
                "--",
                "lsp-add",
                "race",
                &format!("race-p{i}"),
                "--",
                "lsp-set-addresses",
                &format!("race-p{i}"),
                &format!("0a:00:00:00:99:{i:02x} 10.99.0.{i}"),
            ]
            .map(str::to_owned),
        );
    }
    sbx.nbctl(&nb, &args);
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| sbx.run_northflow(&northflow_bin(), &nb, &sb));
        let b = s.spawn(|| sbx.run_northflow(&northflow_bin(), &nb, &sb));
        (a.join().expect("run a"), b.join().expect("run b"))
    });
    for out in [a, b] {
        expect_ok(out);
    }
    let lines = normalize::sb_image(&sbx.dump(&sb));
    let flows = lines.lines("Logical_Flow");
    let distinct: std::collections::BTreeSet<&String> = flows.iter().collect();
    assert_eq!(
        distinct.len(),
        flows.len(),
        "two concurrent --once runs wrote some flows twice"
    );
    assert!(
        flows.iter().any(|l| l.starts_with("race ")),
        "the new switch's flows are missing"
    );
}

/// While ovn-northd runs (and holds the `ovn_northd` lock), `--once` waits
/// the time it is given, writes nothing and says why.
#[test]
fn once_does_not_write_under_a_running_northd() {
    let mut sbx = Sandbox::new("cli-once-locked");
    let nb = sbx.start_db("nb", NB_SCHEMA);
    let sb = sbx.start_db("sb", SB_SCHEMA);
    load_base_cases(&sbx, &nb);
    sbx.start_northd(&nb, &sb);
    sbx.wait_sync(&nb);
    let sb_file = sbx.dir().join(format!("{}.db", sb.name));
    let len_before = file_len(&sb_file);
    let out = northflow(
        &sbx,
        [
            format!("--ovnnb-db={}", nb.remote()),
            format!("--ovnsb-db={}", sb.remote()),
            "--once".to_owned(),
            "--lock-wait=1".to_owned(),
        ],
    );
    assert!(!out.success(), "--once wrote beside a running ovn-northd");
    assert!(
        out.stderr.contains("ovn_northd") && out.stderr.contains("lock"),
        "unclear error: {}",
        out.stderr
    );
    assert_eq!(file_len(&sb_file), len_before, "the Southbound changed");
    sbx.stop_northd();
}

// ---------------------------------------------------------------------------
// datapath groups
// ---------------------------------------------------------------------------

/// The `Logical_Flow` row of the flow with `stage-name` `stage`, priority
/// `priority` and match `m`, and the `Logical_DP_Group` it uses.
fn grouped_flow(sb: &Dump, stage: &str, priority: i64, m: &str) -> (String, String) {
    let flow = sb
        .rows("Logical_Flow")
        .iter()
        .find(|r| {
            r.get("external_ids")
                .and_then(|e| map_get(e, "stage-name"))
                .and_then(Value::as_str)
                == Some(stage)
                && row_int(r, "priority") == priority
                && row_str(r, "match") == m
        })
        .unwrap_or_else(|| panic!("no {stage} priority {priority} flow matching ({m})"));
    let group = flow
        .get("logical_dp_group")
        .and_then(uuid_of)
        .unwrap_or_else(|| panic!("the {stage} flow is not on a datapath group: {flow:?}"))
        .to_owned();
    (row_uuid(flow), group)
}

/// Adding a switch moves every switch-wide flow from the group of N
/// switches to one of N+1. The group row is updated in place (one small
/// update instead of rewriting every flow), and the flows keep their rows.
#[test]
fn adding_a_switch_updates_the_datapath_group_in_place() {
    let mut sbx = Sandbox::new("cli-dp-group");
    let nb = sbx.start_db("nb", NB_SCHEMA);
    let sb = sbx.start_db("sb", SB_SCHEMA);
    sbx.run_case(&nb, &case_path("several_switches"));
    once(&sbx, &nb, &sb);
    let before = sbx.dump(&sb);
    let (flow0, group0) = grouped_flow(&before, "ls_in_pre_acl", 0, "1");
    let members0 = before
        .tables
        .get("Logical_DP_Group")
        .and_then(|t| {
            t.rows_by_uuid()
                .get(&group0)
                .map(|g| normalize::atoms(g.get("datapaths").unwrap()).len())
        })
        .expect("the group row");
    let groups0 = before.rows("Logical_DP_Group").len();

    sbx.nbctl(&nb, ["ls-add", "sw-new"]);
    once(&sbx, &nb, &sb);
    let after = sbx.dump(&sb);
    let (flow1, group1) = grouped_flow(&after, "ls_in_pre_acl", 0, "1");
    let members1 = after
        .tables
        .get("Logical_DP_Group")
        .and_then(|t| {
            t.rows_by_uuid()
                .get(&group1)
                .map(|g| normalize::atoms(g.get("datapaths").unwrap()).len())
        })
        .expect("the group row");

    assert_eq!(
        members1,
        members0 + 1,
        "the group did not gain the new switch"
    );
    assert_eq!(
        group1, group0,
        "a new group row was made instead of updating the old one in place"
    );
    assert_eq!(
        flow1, flow0,
        "the switch-wide flow was rewritten as a new row"
    );
    assert_eq!(
        after.rows("Logical_DP_Group").len(),
        groups0,
        "stale groups left behind or extra made"
    );
}

/// Switch name → its datapath's tunnel key.
fn datapath_keys(sbx: &Sandbox, sb: &Db) -> BTreeMap<String, i64> {
    sbx.dump(sb)
        .rows("Datapath_Binding")
        .iter()
        .map(|r| {
            let name = r
                .get("external_ids")
                .and_then(|ids| map_get(ids, "name"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            (name, row_int(r, "tunnel_key"))
        })
        .collect()
}

/// Requested tunnel keys go first, as in ovn-northd: of two requesters one
/// gets the key and the other another one; a key requested later is taken
/// from the datapath that held it, which gets a new one.
#[test]
fn requested_tunnel_keys_win() {
    let mut sbx = Sandbox::new("cli-tnl-keys");
    let nb = sbx.start_db("nb", NB_SCHEMA);
    let sb = sbx.start_db("sb", SB_SCHEMA);
    sbx.run_case(&nb, &case_path("requested_tnl_keys"));
    once(&sbx, &nb, &sb);
    let keys = datapath_keys(&sbx, &sb);
    assert_eq!((keys["sw0"], keys["sw3"]), (5, 1), "{keys:?}");
    assert_eq!(
        [keys["sw1"], keys["sw2"]]
            .iter()
            .filter(|k| **k == 9)
            .count(),
        1,
        "{keys:?}"
    );
    let unique: BTreeSet<i64> = keys.values().copied().collect();
    assert_eq!(unique.len(), keys.len(), "{keys:?}");

    // sw4 now asks for sw0's key: it takes it, sw0 gets a new one.
    sbx.nbctl(
        &nb,
        [
            "set",
            "Logical_Switch",
            "sw4",
            "other_config:requested-tnl-key=5",
        ],
    );
    sbx.nbctl(
        &nb,
        [
            "remove",
            "Logical_Switch",
            "sw0",
            "other_config",
            "requested-tnl-key",
        ],
    );
    once(&sbx, &nb, &sb);
    let after = datapath_keys(&sbx, &sb);
    assert_eq!(after["sw4"], 5, "{after:?}");
    assert_ne!(after["sw0"], 5, "{after:?}");
    let unique: BTreeSet<i64> = after.values().copied().collect();
    assert_eq!(unique.len(), after.len(), "{after:?}");
}

/// `compile | head`: a reader that goes away is no error (and no panic).
#[test]
fn compile_into_a_closed_pipe_ends_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let mut child = Command::new(northflow_bin())
        .args(["compile", "--example", "ovnk-cluster", "--nodes", "20"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("northflow starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("a first line");
    assert!(first.starts_with("Datapath: "), "{first}");
    let out = child.wait_with_output().expect("northflow ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.is_empty(),
        "{:?}: {stderr}",
        out.status
    );
}
