//! Tests of the conformance harness itself. None of them needs northflow:
//! they run the real ovn-northd twice over the same Northbound (into two
//! Southbounds) and check that the normalized images agree, then perturb
//! one Southbound and check that exactly the perturbation is reported.

#[macro_use]
mod harness;

use harness::compare::{self, Report};
use harness::normalize::{self, atoms, map_get, uuid_of, Dump, Row};
use harness::sandbox::{Db, Sandbox};
use harness::{case_path, run_reference, ReferenceRun, NB_SCHEMA, SB_SCHEMA};
use serde_json::{json, Value};

/// A sandbox in which the reference northd ran twice over one NB, into
/// `sb1` then `sb2`, with northd's NB write-back (and `nb_cfg`) undone in
/// between, so that both runs see exactly the same input.
struct TwoRuns {
    sbx: Sandbox,
    nb: Db,
    sb2: Db,
    run1: ReferenceRun,
    run2: ReferenceRun,
    /// What the undo between the runs reset.
    undone: String,
}

fn two_runs(case: &str) -> TwoRuns {
    let mut sbx = Sandbox::new(case);
    let nb = sbx.start_db("nb", NB_SCHEMA);
    let sb1 = sbx.start_db("sb1", SB_SCHEMA);
    let sb2 = sbx.start_db("sb2", SB_SCHEMA);
    sbx.run_case(&nb, &case_path(case));
    let run1 = run_reference(&mut sbx, &nb, &sb1);
    let undone = sbx.undo_nb_writeback(&nb, &run1.nb_before, &run1.nb_after, true);
    let run2 = run_reference(&mut sbx, &nb, &sb2);
    TwoRuns {
        sbx,
        nb,
        sb2,
        run1,
        run2,
        undone,
    }
}

fn nb_global_option(d: &Dump, key: &str) -> Option<String> {
    let row = d.rows("NB_Global").first()?;
    map_get(row.get("options")?, key)?
        .as_str()
        .map(str::to_string)
}

fn sb_global_option(d: &Dump, key: &str) -> Option<String> {
    let row = d.rows("SB_Global").first()?;
    map_get(row.get("options")?, key)?
        .as_str()
        .map(str::to_string)
}

fn uuid(row: &Row) -> String {
    uuid_of(&row["_uuid"]).expect("_uuid").to_string()
}

fn where_uuid(row: &Row) -> Value {
    json!([["_uuid", "==", ["uuid", uuid(row)]]])
}

fn int(row: &Row, col: &str) -> i64 {
    row[col]
        .as_i64()
        .unwrap_or_else(|| panic!("{col} is not an integer: {}", row[col]))
}

fn str_col<'a>(row: &'a Row, col: &str) -> &'a str {
    row[col]
        .as_str()
        .unwrap_or_else(|| panic!("{col} is not a string"))
}

fn full_report(a: &Dump, b: &Dump, nb_a: &Dump, nb_b: &Dump) -> Report {
    harness::compare_runs(
        &normalize::sb_image(a),
        &normalize::sb_image(b),
        &normalize::nb_image(nb_a),
        &normalize::nb_image(nb_b),
    )
}

#[test]
fn two_reference_runs_normalize_equal() {
    let t = two_runs("several_switches");
    let (s1, s2) = (&t.run1.sb, &t.run2.sb);

    // Not vacuous: the images have flows, ports and datapath groups …
    let img1 = normalize::sb_image(s1);
    for table in [
        "Logical_Flow",
        "Port_Binding",
        "Datapath_Binding",
        "Logical_DP_Group",
        "SB_Global",
    ] {
        assert!(!img1.lines(table).is_empty(), "reference wrote no {table}");
    }
    assert!(img1.key_errors.is_empty(), "{:?}", img1.key_errors);
    // … and the raw rows differ (every row got a new uuid).
    let lf_uuids = |d: &Dump| -> std::collections::BTreeSet<String> {
        d.rows("Logical_Flow").iter().map(uuid).collect()
    };
    assert!(lf_uuids(s1).is_disjoint(&lf_uuids(s2)));

    let report = full_report(s1, s2, &t.run1.nb_after, &t.run2.nb_after);
    assert!(
        report.is_empty(),
        "two runs of ovn-northd differ:\n{report}"
    );
    assert_eq!(normalize::sb_image(s2), img1);

    // The undo between the runs reset what northd writes back to the NB.
    for col in [
        "NB_Global.sb_cfg",
        "NB_Global.hv_cfg",
        "NB_Global.nb_cfg",
        "NB_Global.options",
        "Logical_Switch_Port.up",
    ] {
        assert!(
            t.undone.contains(col),
            "undo did not reset {col}: {}",
            t.undone
        );
    }
    // The first run generated the random MAC prefixes; the undo kept them in
    // the NB, and the second run reused them (24 random bits each: equality
    // is not a coincidence).
    for key in ["mac_prefix", "svc_monitor_mac"] {
        assert_eq!(
            nb_global_option(&t.run1.nb_before, key),
            None,
            "{key} preset"
        );
        let v1 = nb_global_option(&t.run1.nb_after, key)
            .unwrap_or_else(|| panic!("northd wrote no {key}"));
        assert_eq!(nb_global_option(&t.run2.nb_before, key).as_ref(), Some(&v1));
        assert_eq!(nb_global_option(&t.run2.nb_after, key).as_ref(), Some(&v1));
        assert_eq!(sb_global_option(s1, key).as_ref(), Some(&v1));
        assert_eq!(sb_global_option(s2, key).as_ref(), Some(&v1));
    }
    // Both runs saw nb_cfg 0 → `--wait=sb sync` → 1.
    for d in [s1, s2] {
        assert_eq!(int(&d.rows("SB_Global")[0], "nb_cfg"), 1);
    }
}

/// Two reference runs over one NB give equal images, for every case: the
/// conformance suite can be satisfied (no case depends on run-specific
/// values the normalization misses).
fn assert_reference_deterministic(case: &str) {
    let t = two_runs(case);
    let report = full_report(&t.run1.sb, &t.run2.sb, &t.run1.nb_after, &t.run2.nb_after);
    assert!(
        report.is_empty(),
        "two runs of ovn-northd differ on {case}:\n{report}"
    );
    assert!(
        !normalize::sb_image(&t.run1.sb)
            .lines("Logical_Flow")
            .is_empty(),
        "no flows for {case}"
    );
}

macro_rules! deterministic {
    ($($name:ident),* $(,)?) => {
        mod reference_is_deterministic {
            $(
                #[test]
                fn $name() {
                    super::assert_reference_deterministic(stringify!($name));
                }
            )*
        }
    };
}

all_cases!(deterministic);

#[test]
fn deleted_logical_flow_is_reported_exactly() {
    let t = two_runs("several_switches");
    let sb2 = t.sbx.dump(&t.sb2);
    let img1 = normalize::sb_image(&t.run1.sb);
    let dp_names = dp_names(&sb2);

    // A flow on one datapath: exactly one line goes missing.
    let flow = sb2
        .rows("Logical_Flow")
        .iter()
        .find(|r| {
            atoms(&r["logical_datapath"])
                .iter()
                .any(|a| uuid_of(a).is_some())
        })
        .expect("a flow on a single datapath")
        .clone();
    let dp = &dp_names[uuid_of(atoms(&flow["logical_datapath"])[0]).unwrap()];
    let expected = format!(
        "{dp} {} table={} priority={} match=({}) action=({})",
        str_col(&flow, "pipeline"),
        int(&flow, "table_id"),
        int(&flow, "priority"),
        str_col(&flow, "match"),
        str_col(&flow, "actions"),
    );
    t.sbx.transact(
        &t.sb2,
        &[json!({"op": "delete", "table": "Logical_Flow", "where": where_uuid(&flow)})],
    );
    let report = full_report(
        &t.run1.sb,
        &t.sbx.dump(&t.sb2),
        &t.run1.nb_after,
        &t.sbx.dump(&t.nb),
    );
    assert_eq!(report.tables.len(), 1, "{report}");
    let d = report
        .table("Southbound", "Logical_Flow")
        .expect("Logical_Flow diff");
    assert_eq!(d.missing, vec![expected], "{report}");
    assert!(d.extra.is_empty(), "{report}");
    assert!(report.key_errors.is_empty(), "{report}");
    assert_eq!(d.reference_lines, img1.lines("Logical_Flow").len());
    assert_eq!(d.northflow_lines + 1, d.reference_lines);
    assert!(
        report
            .to_string()
            .contains("Southbound.Logical_Flow: 1 missing, 0 extra"),
        "{report}"
    );

    // A flow on a datapath group: one missing line per member datapath.
    let sb2 = t.sbx.dump(&t.sb2);
    let flow = sb2
        .rows("Logical_Flow")
        .iter()
        .find(|r| {
            atoms(&r["logical_dp_group"])
                .iter()
                .any(|a| uuid_of(a).is_some())
        })
        .expect("a flow on a datapath group")
        .clone();
    let group_uuid = uuid_of(atoms(&flow["logical_dp_group"])[0])
        .unwrap()
        .to_string();
    let group = sb2
        .rows("Logical_DP_Group")
        .iter()
        .find(|g| uuid(g) == group_uuid)
        .expect("the group row");
    let mut members: Vec<&str> = atoms(&group["datapaths"])
        .iter()
        .map(|a| dp_names[uuid_of(a).unwrap()].as_str())
        .collect();
    members.sort();
    assert!(members.len() >= 2, "group of {members:?}");
    t.sbx.transact(
        &t.sb2,
        &[json!({"op": "delete", "table": "Logical_Flow", "where": where_uuid(&flow)})],
    );
    let report = full_report(
        &t.run1.sb,
        &t.sbx.dump(&t.sb2),
        &t.run1.nb_after,
        &t.sbx.dump(&t.nb),
    );
    let d = report
        .table("Southbound", "Logical_Flow")
        .expect("Logical_Flow diff");
    // (If no other flow used that group, the server garbage-collects the
    // group row too, which shows up as a Logical_DP_Group difference.)
    let mut missing_dps: Vec<&str> = d
        .missing
        .iter()
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    missing_dps.sort();
    let mut want = members.clone();
    want.push(dp); // the first deletion
    want.sort();
    assert_eq!(missing_dps, want, "{report}");
    assert!(d.extra.is_empty(), "{report}");
}

/// Datapath uuid → name.
fn dp_names(d: &Dump) -> std::collections::HashMap<String, String> {
    d.rows("Datapath_Binding")
        .iter()
        .map(|r| {
            let name = map_get(&r["external_ids"], "name")
                .and_then(Value::as_str)
                .unwrap_or("?");
            (uuid(r), name.to_string())
        })
        .collect()
}

#[test]
fn tunnel_keys_are_normalized_away_but_checked() {
    let t = two_runs("several_switches");
    let sb2 = t.sbx.dump(&t.sb2);

    // Two ports on one datapath.
    let pbs = sb2.rows("Port_Binding");
    let (a, b) = pbs
        .iter()
        .enumerate()
        .find_map(|(i, a)| {
            let b = pbs[i + 1..]
                .iter()
                .find(|b| b["datapath"] == a["datapath"])?;
            Some((a.clone(), b.clone()))
        })
        .expect("two ports on one datapath");

    // The server itself refuses a duplicate port key on a datapath …
    let dup = json!({"op": "update", "table": "Port_Binding", "where": where_uuid(&a),
                     "row": {"tunnel_key": int(&b, "tunnel_key")}});
    let err = t
        .sbx
        .try_transact(&t.sb2, &[dup])
        .expect_err("duplicate port key accepted");
    assert!(err.contains("constraint violation"), "{err}");

    // … so renumber keys through the server to other valid, unused values:
    // the images must not change.
    let db = &sb2.rows("Datapath_Binding")[0];
    t.sbx.transact(
        &t.sb2,
        &[
            json!({"op": "update", "table": "Port_Binding", "where": where_uuid(&a), "row": {"tunnel_key": 32000}}),
            json!({"op": "update", "table": "Datapath_Binding", "where": where_uuid(db), "row": {"tunnel_key": 4_000_000}}),
        ],
    );
    let renumbered = t.sbx.dump(&t.sb2);
    assert_eq!(
        int(&renumbered.rows("Datapath_Binding")[0], "tunnel_key"),
        4_000_000
    );
    let report = full_report(
        &t.run1.sb,
        &renumbered,
        &t.run1.nb_after,
        &t.sbx.dump(&t.nb),
    );
    assert!(
        report.is_empty(),
        "renumbered tunnel keys were not normalized away:\n{report}"
    );

    // A duplicate port key (made in the dump, since the server forbids it)
    // fails the key check and nothing else.
    let mut dup_dump = renumbered.clone();
    set_col(
        &mut dup_dump,
        "Port_Binding",
        &uuid(&a),
        "tunnel_key",
        b["tunnel_key"].clone(),
    );
    let img = normalize::sb_image(&dup_dump);
    assert_eq!(img.key_errors.len(), 1, "{:?}", img.key_errors);
    let e = &img.key_errors[0];
    for name in [str_col(&a, "logical_port"), str_col(&b, "logical_port")] {
        assert!(e.contains(name), "{e}");
    }
    let report = compare::compare("Southbound", &normalize::sb_image(&t.run1.sb), &img);
    assert!(report.tables.is_empty(), "{report}");
    assert_eq!(report.key_errors.len(), 1);
    assert!(
        report
            .to_string()
            .contains("[Southbound northflow] Port_Binding tunnel_key"),
        "{report}"
    );

    // Out-of-range and duplicate datapath keys, and multicast keys.
    let dbs: Vec<String> = renumbered
        .rows("Datapath_Binding")
        .iter()
        .map(uuid)
        .collect();
    let mut bad = renumbered.clone();
    set_col(
        &mut bad,
        "Datapath_Binding",
        &dbs[0],
        "tunnel_key",
        json!(0),
    );
    let errs = normalize::sb_image(&bad).key_errors;
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains("not in 1..=16777215"), "{errs:?}");
    let mut bad = renumbered.clone();
    set_col(
        &mut bad,
        "Datapath_Binding",
        &dbs[0],
        "tunnel_key",
        json!(77),
    );
    set_col(
        &mut bad,
        "Datapath_Binding",
        &dbs[1],
        "tunnel_key",
        json!(77),
    );
    let errs = normalize::sb_image(&bad).key_errors;
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains("tunnel_key 77 shared by"), "{errs:?}");
    let mut bad = renumbered.clone();
    let mg = uuid(&renumbered.rows("Multicast_Group")[0]);
    set_col(&mut bad, "Multicast_Group", &mg, "tunnel_key", json!(5));
    let errs = normalize::sb_image(&bad).key_errors;
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains("not in 32768..=65535"), "{errs:?}");
}

fn set_col(d: &mut Dump, table: &str, row_uuid: &str, col: &str, v: Value) {
    let row = d
        .tables
        .get_mut(table)
        .unwrap()
        .rows
        .iter_mut()
        .find(|r| uuid(r) == row_uuid)
        .unwrap_or_else(|| panic!("no {table} row {row_uuid}"));
    row.insert(col.to_string(), v);
}

#[test]
fn empty_southbound_shows_every_table_northd_wrote() {
    let mut sbx = Sandbox::new("empty_sb");
    let nb = sbx.start_db("nb", NB_SCHEMA);
    let sb_ref = sbx.start_db("sbref", SB_SCHEMA);
    let sb_empty = sbx.start_db("sbempty", SB_SCHEMA);
    sbx.run_case(&nb, &case_path("one_vif_port"));
    let r = run_reference(&mut sbx, &nb, &sb_ref);
    let img_ref = normalize::sb_image(&r.sb);
    let img_empty = normalize::sb_image(&sbx.dump(&sb_empty));
    assert_eq!(img_empty.non_empty_tables(), 0);
    let report = compare::compare("Southbound", &img_ref, &img_empty);
    let written: Vec<&String> = img_ref
        .tables
        .iter()
        .filter(|(_, l)| !l.is_empty())
        .map(|(t, _)| t)
        .collect();
    assert!(written.len() >= 8, "northd wrote only {written:?}");
    for table in &written {
        let d = report
            .table("Southbound", table)
            .unwrap_or_else(|| panic!("{table} not reported"));
        assert_eq!(d.missing.len(), img_ref.lines(table).len());
        assert!(d.extra.is_empty());
    }
    assert_eq!(report.tables.len(), written.len());
    assert!(report.to_string().contains("Southbound.Logical_Flow:"));
    assert!(report
        .to_string()
        .contains("northflow left this table empty"));
    eprintln!("tables ovn-northd fills for one VIF port: {written:?}");
}

#[test]
fn nb_writeback_difference_is_reported() {
    let mut sbx = Sandbox::new("nb_writeback");
    let nb = sbx.start_db("nb", NB_SCHEMA);
    let sb = sbx.start_db("sb", SB_SCHEMA);
    sbx.run_case(&nb, &case_path("container_ports"));
    let r = run_reference(&mut sbx, &nb, &sb);
    // Undo the write-back: this is what northflow starts from.
    let undone = sbx.undo_nb_writeback(&nb, &r.nb_before, &r.nb_after, false);
    assert!(undone.contains("Logical_Switch_Port.up"), "{undone}");
    let report = compare::compare(
        "Northbound",
        &normalize::nb_image(&r.nb_after),
        &normalize::nb_image(&sbx.dump(&nb)),
    );
    let lsp = report
        .table("Northbound", "Logical_Switch_Port")
        .expect("LSP diff");
    assert_eq!(lsp.missing.len(), 3, "{report}");
    assert!(
        lsp.missing.iter().all(|l| l.ends_with(" up=false")),
        "{report}"
    );
    let g = report
        .table("Northbound", "NB_Global")
        .expect("NB_Global diff");
    assert_eq!((g.missing.len(), g.extra.len()), (1, 1), "{report}");
    assert!(g.missing[0].contains("sb_cfg=1"), "{report}");
    assert!(g.missing[0].contains("northd_internal_version"), "{report}");
    assert!(
        g.extra[0].contains("\"mac_prefix\""),
        "the undo must keep mac_prefix: {report}"
    );
}

/// Normalization of a small hand-written dump: labels, datapath-group
/// expansion, canonical sets and maps — no servers involved.
#[test]
fn normalize_synthetic_dump() {
    let u = |n: u32| json!(["uuid", format!("00000000-0000-0000-0000-{n:012}")]);
    let text = [
        json!({"caption": "Datapath_Binding table", "headings": ["_uuid", "external_ids", "tunnel_key"],
               "data": [[u(1), ["map", [["name", "sw1"]]], 7], [u(2), ["map", [["name", "sw0"]]], 3]]}),
        json!({"caption": "Logical_DP_Group table", "headings": ["_uuid", "datapaths"],
               "data": [[u(3), ["set", [u(1), u(2)]]]]}),
        json!({"caption": "Port_Binding table", "headings": ["_uuid", "datapath", "logical_port", "mac", "options", "tunnel_key", "type"],
               "data": [[u(4), u(2), "p1", ["set", ["b", "a"]], ["map", [["z", "1"], ["a", "2"]]], 1, ""],
                        [u(5), u(1), "p2", "c", ["map", []], 1, ""]]}),
        json!({"caption": "Multicast_Group table", "headings": ["_uuid", "datapath", "name", "ports", "tunnel_key"],
               "data": [[u(6), u(2), "_MC_flood", ["set", [u(4)]], 32768]]}),
        json!({"caption": "Logical_Flow table", "headings": ["_uuid", "actions", "controller_meter", "external_ids", "logical_datapath", "logical_dp_group", "match", "pipeline", "priority", "table_id", "tags"],
               "data": [[u(7), "next;", ["set", []], ["map", [["stage-name", "x"]]], ["set", []], u(3), "1", "ingress", 0, 10, ["map", []]],
                        [u(8), "drop;", "meter1", ["map", []], u(2), ["set", []], "eth.src[40]", "egress", 100, 2, ["map", [["in_out_port", "inport"]]]],
                        [u(11), "ct_commit { ct_mark.ecmp_reply_port = 1;}; output;", ["set", []], ["map", []], u(1), ["set", []], "ct_mark.ecmp_reply_port == 9", "ingress", 100, 28, ["map", []]]]}),
        json!({"caption": "Gateway_Chassis table", "headings": ["_uuid", "chassis", "name", "priority"],
               "data": [[u(9), ["set", []], "gw", 1]]}),
        json!({"caption": "HA_Chassis_Group table", "headings": ["_uuid", "ha_chassis", "name"],
               "data": [[u(10), ["set", [u(9)]], "g"]]}),
    ]
    .iter()
    .map(Value::to_string)
    .collect::<Vec<_>>()
    .join("\n");
    let img = normalize::sb_image(&Dump::parse(&text).unwrap());
    assert_eq!(
        img.lines("Logical_Flow"),
        [
            "sw0 ingress table=10 priority=0 match=(1) action=(next;)",
            "sw0 egress table=2 priority=100 match=(eth.src[40]) action=(drop;) controller_meter=\"meter1\" tags={\"in_out_port\":\"inport\"}",
            "sw1 ingress table=10 priority=0 match=(1) action=(next;)",
            "sw1 ingress table=28 priority=100 match=(ct_mark.ecmp_reply_port == <key 9 of no port>) \
             action=(ct_commit { ct_mark.ecmp_reply_port = <key of \"p2\">;}; output;)",
        ]
    );
    assert_eq!(img.lines("Logical_DP_Group"), ["[\"sw0\",\"sw1\"]"]);
    assert_eq!(
        img.lines("Port_Binding"),
        [
            "logical_port=\"p1\" datapath=Datapath_Binding(\"sw0\") type=\"\" mac=[\"a\",\"b\"] options={\"a\":\"2\",\"z\":\"1\"}",
            "logical_port=\"p2\" datapath=Datapath_Binding(\"sw1\") type=\"\" mac=\"c\"",
        ]
    );
    assert_eq!(
        img.lines("Multicast_Group"),
        ["datapath=Datapath_Binding(\"sw0\") name=\"_MC_flood\" ports=[Port_Binding(\"p1\")] tunnel_key=32768"]
    );
    assert_eq!(
        img.lines("Datapath_Binding"),
        [
            "external_ids={\"name\":\"sw0\"}",
            "external_ids={\"name\":\"sw1\"}"
        ]
    );
    assert_eq!(
        img.lines("HA_Chassis_Group"),
        ["name=\"g\" ha_chassis=[Gateway_Chassis{name=\"gw\" priority=1}]"]
    );
    // Same port key on two datapaths is fine.
    assert!(img.key_errors.is_empty(), "{:?}", img.key_errors);
}

/// Not a check: prints ovn-northd's normalized images for case
/// `$NORTHFLOW_CASE` (default `one_vif_port`), e.g.
/// `NORTHFLOW_CASE=localport cargo test --test harness_selftest -- --ignored --nocapture`.
#[test]
#[ignore]
fn print_reference_image() {
    let case = std::env::var("NORTHFLOW_CASE").unwrap_or_else(|_| "one_vif_port".into());
    let mut sbx = Sandbox::new(&case);
    let nb = sbx.start_db("nb", NB_SCHEMA);
    let sb = sbx.start_db("sb", SB_SCHEMA);
    sbx.run_case(&nb, &case_path(&case));
    let r = run_reference(&mut sbx, &nb, &sb);
    for (db, img) in [
        ("Southbound", normalize::sb_image(&r.sb)),
        ("Northbound", normalize::nb_image(&r.nb_after)),
    ] {
        for (table, lines) in img.tables.iter().filter(|(_, l)| !l.is_empty()) {
            println!("== {db}.{table} ({} lines)", lines.len());
            for l in lines {
                println!("{l}");
            }
        }
        for e in &img.key_errors {
            println!("key error: {e}");
        }
    }
}

/// `text` with `{reg} {op} 1` and `{reg} {op} 2` swapped.
fn swap_ids(text: &str, op: &str, reg: &str) -> String {
    let (one, two) = (format!("{reg} {op} 1"), format!("{reg} {op} 2"));
    text.replace(&one, "\u{1}")
        .replace(&two, &one)
        .replace('\u{1}', &two)
}

/// `sb` with each flow's match and actions rewritten by `f`, and how many
/// flows changed.
fn rewrite_flows(sb: &Dump, f: impl Fn(&str, &str) -> (String, String)) -> (Dump, usize) {
    let mut out = sb.clone();
    let mut touched = 0;
    for r in sb.rows("Logical_Flow") {
        let (m, a) = (str_col(r, "match"), str_col(r, "actions"));
        let (new_m, new_a) = f(m, a);
        if (new_m.as_str(), new_a.as_str()) != (m, a) {
            touched += 1;
            set_col(&mut out, "Logical_Flow", &uuid(r), "match", json!(new_m));
            set_col(&mut out, "Logical_Flow", &uuid(r), "actions", json!(new_a));
        }
    }
    (out, touched)
}

/// ECMP group and member ids are numbered by ovn-northd in hash-map order:
/// renumbering them leaves the image as it is, while a member that does
/// something else changes it.
#[test]
fn ecmp_numbering_is_normalized_away_but_members_are_compared() {
    let t = two_runs("router_static_ecmp");
    let sb = &t.run1.sb;
    let base = normalize::sb_image(sb);
    // Swap groups 1 and 2, and members 1 and 2 of every group.
    let (renumbered, touched) = rewrite_flows(sb, |m, a| {
        let m = swap_ids(&swap_ids(m, "==", "reg8[0..15]"), "==", "reg8[16..31]");
        (m, swap_ids(a, "=", "reg8[0..15]"))
    });
    assert!(touched >= 8, "only {touched} ECMP flows renumbered");
    let report = compare::compare("Southbound", &base, &normalize::sb_image(&renumbered));
    assert!(
        report.is_empty(),
        "renumbering was not normalized away:\n{report}"
    );

    // A member with another next hop is a difference.
    let member = sb
        .rows("Logical_Flow")
        .iter()
        .find(|r| str_col(r, "actions").starts_with("reg0 = 10.0.1.10;"))
        .expect("the member via 10.0.1.10");
    let mut changed = sb.clone();
    let a = str_col(member, "actions").replace("10.0.1.10", "10.0.1.99");
    set_col(
        &mut changed,
        "Logical_Flow",
        &uuid(member),
        "actions",
        json!(a),
    );
    let report = compare::compare("Southbound", &base, &normalize::sb_image(&changed));
    assert!(!report.is_empty(), "a changed ECMP member was not seen");
}

/// Route table ids are ovn-northd's hash-map order, so the normalization
/// renumbers them: swapping two tables' ids leaves the image as it is,
/// while a route moved to another table changes it.
#[test]
fn route_table_numbering_is_normalized_away_but_tables_are_compared() {
    let t = two_runs("router_route_tables");
    let sb = &t.run1.sb;
    let base = normalize::sb_image(sb);
    let swap = |text: &str| swap_ids(&swap_ids(text, "==", "reg7"), "=", "reg7");
    let (renumbered, touched) = rewrite_flows(sb, |m, a| (swap(m), swap(a)));
    assert!(touched >= 6, "only {touched} route table flows renumbered");
    let report = compare::compare("Southbound", &base, &normalize::sb_image(&renumbered));
    assert!(
        report.is_empty(),
        "renumbering was not normalized away:\n{report}"
    );

    // A route moved to another table is a difference.
    let route = sb
        .rows("Logical_Flow")
        .iter()
        .find(|r| str_col(r, "match").ends_with("&& ip6.dst == fd10::/64"))
        .expect("the route to fd10::/64");
    let m = str_col(route, "match");
    let n: i64 = m["reg7 == ".len()..m.find(" &&").expect("a route match")]
        .parse()
        .expect("a table id");
    let moved = format!("reg7 == {} && ip6.dst == fd10::/64", n % 3 + 1);
    let mut changed = sb.clone();
    set_col(
        &mut changed,
        "Logical_Flow",
        &uuid(route),
        "match",
        json!(moved),
    );
    let report = compare::compare("Southbound", &base, &normalize::sb_image(&changed));
    assert!(
        !report.is_empty(),
        "a route moved to another table was not seen"
    );
}
