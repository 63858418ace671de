//! Snapshots of `northflow compile` output whose content is checked against
//! the real ovn-northd 26.03.1: for each case, `ovn-sbctl lflow-list` of the
//! Southbound the reference northd wrote must equal `northflow compile` of
//! the same Northbound, word for word (only the UUID in each `Datapath:`
//! header differs: northd's is the Southbound `Datapath_Binding` row,
//! northflow's the Northbound switch, so both become `<UUID>`). The text is
//! also an insta snapshot under `tests/snapshots/`, so the flows of each case
//! can be read (and their changes reviewed) in the repository.
//!
//! Regenerate after an intended change with `INSTA_UPDATE=always cargo test
//! --test snapshots` (or `cargo insta test --accept`); the comparison with
//! ovn-northd runs first, so only text northd agrees with is ever written.
//! With `CI=true` insta never writes: a missing or different snapshot fails.

#[macro_use]
#[allow(unused_macros)]
mod harness;

use std::process::Command;

use harness::sandbox::{Sandbox, CMD_TIMEOUT};
use harness::{case_path, northflow_bin, run_reference, NB_SCHEMA, SB_SCHEMA};
use northflow_ovsdb::reference;

/// What replaces the UUID of each `Datapath:` header line.
const UUID_PLACEHOLDER: &str = "<UUID>";

/// Replaces the UUID in every `Datapath: "name" (UUID)  Pipeline: …` line
/// and leaves every other line as it is.
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        out.push_str(&normalize_header(line));
    }
    out
}

fn normalize_header(line: &str) -> String {
    const SEP: &str = ")  Pipeline: ";
    if !line.starts_with("Datapath: ") {
        return line.to_owned();
    }
    let Some(end) = line.rfind(SEP) else {
        return line.to_owned();
    };
    let start = end.checked_sub(36);
    match start {
        Some(s)
            if s >= 1
                && line.as_bytes()[s - 1] == b'('
                && northflow_ovsdb::Uuid::parse(&line[s..end]).is_some() =>
        {
            format!("{}{UUID_PLACEHOLDER}{}", &line[..s], &line[end..])
        }
        _ => line.to_owned(),
    }
}

/// A line diff (longest common subsequence): ` ` common, `-` only in
/// `reference`, `+` only in `northflow`.
fn line_diff(reference: &str, northflow: &str) -> String {
    let a: Vec<&str> = reference.lines().collect();
    let b: Vec<&str> = northflow.lines().collect();
    // lcs[i][j]: LCS length of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = String::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push_str(&format!("  {}\n", a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push_str(&format!("- {}\n", a[i]));
            i += 1;
        } else {
            out.push_str(&format!("+ {}\n", b[j]));
            j += 1;
        }
    }
    out
}

/// Runs `case` through `northflow compile` and through the reference
/// ovn-northd, and returns both normalized `lflow-list` texts.
fn compile_both(case: &str) -> (String, String) {
    let mut sbx = Sandbox::new(&format!("snap-{case}"));
    let nb = sbx.start_db("nb", NB_SCHEMA);
    let sb = sbx.start_db("sb", SB_SCHEMA);
    sbx.run_case(&nb, &case_path(case));

    // northflow first, on the Northbound exactly as the case left it.
    let mut c = Command::new(northflow_bin());
    c.current_dir(sbx.dir())
        .arg("compile")
        .arg(nb.remote())
        .env("RUST_BACKTRACE", "1");
    let nf = sbx.run(c, CMD_TIMEOUT).check();
    assert!(
        !nf.stderr.contains("panicked"),
        "northflow panicked:\n{}",
        nf.stderr
    );

    run_reference(&mut sbx, &nb, &sb);
    (lflow_list(&sbx, &sb), normalize(&nf.stdout))
}

/// `ovn-sbctl lflow-list` of `sb`, normalized.
fn lflow_list(sbx: &Sandbox, sb: &harness::sandbox::Db) -> String {
    let mut c = Command::new(reference::program("ovn-sbctl"));
    c.current_dir(sbx.dir())
        .env("OVS_RUNDIR", sbx.dir())
        .env("OVN_RUNDIR", sbx.dir())
        .arg(format!("--db={}", sb.remote()))
        .arg("lflow-list");
    normalize(&sbx.run(c, CMD_TIMEOUT).check().stdout)
}

fn check(case: &str) {
    let (reference, northflow) = compile_both(case);
    assert!(
        !reference.trim().is_empty(),
        "case {case}: the reference ovn-northd produced no logical flows"
    );
    if reference != northflow {
        panic!(
            "case {case}: `northflow compile` differs from `ovn-sbctl lflow-list` of \
             ovn-northd 26.03.1's Southbound (- only in ovn-northd, + only in northflow):\n{}",
            line_diff(&reference, &northflow)
        );
    }
    insta::assert_snapshot!(case, northflow);
}

macro_rules! snapshot_cases {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            check(stringify!($name));
        }
    )*};
}

snapshot_cases!(one_vif_port, several_switches, localnet_port, quoted_names);

/// `northflow compile --example <name>` (the README's first command, at its
/// default size) prints what `ovn-sbctl lflow-list` prints after
/// ovn-northd compiled the same Northbound, but for the port tunnel keys
/// in `ct_mark.ecmp_reply_port` (each writer picks its own keys; the
/// conformance tests compare them by port); and exactly what `lflow-list`
/// prints after `northflow --once` wrote an empty Southbound, keys
/// included. Not kept as insta snapshots (hundreds of kilobytes).
fn check_example(name: &str, tables: &northflow::sync::Tables) {
    let mut sbx = Sandbox::new(&format!("example-{name}"));
    let nb = sbx.start_db("nb", NB_SCHEMA);
    let sb = sbx.start_db("sb", SB_SCHEMA);
    let sb_nf = sbx.start_db("sbnf", SB_SCHEMA);
    northflow::scenario::write_to_server(&nb.remote(), &nb.db_name, tables)
        .unwrap_or_else(|e| panic!("loading the NB: {e}"));
    let mut c = Command::new(northflow_bin());
    c.current_dir(sbx.dir())
        .args(["compile", "--example", name])
        .env("RUST_BACKTRACE", "1");
    let nf = sbx.run(c, CMD_TIMEOUT).check();
    assert!(
        nf.stderr.is_empty(),
        "example {name}: northflow said:\n{}",
        nf.stderr
    );
    let northflow = normalize(&nf.stdout);

    sbx.run_northflow(&northflow_bin(), &nb, &sb_nf).check();
    let written = lflow_list(&sbx, &sb_nf);
    if written != northflow {
        panic!(
            "example {name}: `northflow compile` differs from the lflow-list of the Southbound \
             `northflow --once` wrote:\n{}",
            line_diff(&written, &northflow)
        );
    }

    run_reference(&mut sbx, &nb, &sb);
    let reference = lflow_list(&sbx, &sb);
    assert!(
        reference.lines().count() > 500,
        "example {name}: the reference printed only {} lines",
        reference.lines().count()
    );
    let (reference, northflow) = (mask_port_keys(&reference), mask_port_keys(&northflow));
    if reference != northflow {
        panic!(
            "example {name}: `northflow compile` differs from ovn-northd 26.03.1's lflow-list:\n{}",
            line_diff(&reference, &northflow)
        );
    }
}

/// `text` with the number after each `ecmp_reply_port = ` / `== ` masked.
fn mask_port_keys(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, piece) in text.split("ecmp_reply_port ").enumerate() {
        if i > 0 {
            out.push_str("ecmp_reply_port ");
            let op_len = piece.len() - piece.trim_start_matches(['=', ' ']).len();
            let (op, rest) = piece.split_at(op_len);
            out.push_str(op);
            out.push_str("<key>");
            out.push_str(rest.trim_start_matches(|c: char| c.is_ascii_digit()));
        } else {
            out.push_str(piece);
        }
    }
    out
}

#[test]
fn example_ovnk_cluster() {
    check_example("ovnk-cluster", &northflow::examples::ovnk_cluster(3, 3));
}

#[test]
fn example_ovnk_zone() {
    check_example("ovnk-zone", &northflow::examples::ovnk_zone(3, 3));
}

#[test]
fn normalize_replaces_only_header_uuids() {
    let text = "Datapath: \"sw (x)\" (0b5e5d3c-1a2b-4c3d-8e9f-001122334455)  Pipeline: ingress\n  \
                table=0 (ls_in_check_port_sec), priority=100  , match=(eth.src == 0b5e5d3c-1a2b-4c3d-8e9f-001122334455), action=(drop;)\n\
                Datapath: \"sw\" (not-a-uuid)  Pipeline: egress\n";
    let expected = "Datapath: \"sw (x)\" (<UUID>)  Pipeline: ingress\n  \
                    table=0 (ls_in_check_port_sec), priority=100  , match=(eth.src == 0b5e5d3c-1a2b-4c3d-8e9f-001122334455), action=(drop;)\n\
                    Datapath: \"sw\" (not-a-uuid)  Pipeline: egress\n";
    assert_eq!(normalize(text), expected);
}

#[test]
fn line_diff_marks_both_sides() {
    assert_eq!(line_diff("a\nb\nc\n", "a\nx\nc\n"), "  a\n- b\n+ x\n  c\n");
}
