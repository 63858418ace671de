//! Conformance harness shared by the integration tests (`mod harness;`).
//!
//! - [`sandbox`]: temp dirs, ovsdb-servers, the reference `ovn-northd`,
//!   `northflow --once`, `ovsdb-client` dumps and transactions.
//! - [`normalize`]: an OVSDB JSON dump → per-table sorted text lines that
//!   are comparable across runs (UUIDs and tunnel keys normalized away,
//!   tunnel keys checked).
//! - [`compare`]: two normalized images → a readable difference report.
//!
//! Each test crate uses a different subset of this module.
//!
//! Adding a conformance case: write `tests/cases/<name>.sh` — a comment
//! line saying what it covers, then `$NBCTL …` commands (run with `bash -e`,
//! `NBCTL="ovn-nbctl --db=unix:<sandbox>/nb.sock"`; use `$NBCTL set …` to
//! write rows ovn-nbctl's own commands would refuse) — and add `<name>` to
//! [`all_cases!`]. That gives a conformance test and a reference-determinism
//! selftest. `NORTHFLOW_KEEP_SANDBOX=1` keeps every sandbox (failed ones are
//! always kept); `NORTHFLOW_CASE=<name> cargo test --test harness_selftest
//! print_reference_image -- --ignored --nocapture` prints ovn-northd's
//! normalized output for a case.
#![allow(dead_code)]

/// Calls macro `$m` with the names of all cases (`tests/cases/<name>.sh`):
/// `all_cases!(my_macro)` → `my_macro!(case_a, case_b, …);`. Used with
/// `#[macro_use] mod harness;`. The conformance suite checks that this list
/// matches the files.
macro_rules! all_cases {
    ($m:ident) => {
        $m!(
            addresses_all_forms,
            addresses_mac_ipv4,
            addresses_mac_ipv4_ipv6_multi,
            addresses_mac_ipv6,
            addresses_mac_multi_ipv4,
            addresses_mac_only,
            addresses_multiple_entries,
            addresses_none,
            addresses_ovs_parser_forms,
            addresses_unknown,
            bad_address_entries,
            bad_tag_without_parent,
            chassis_requested,
            chassis_without_features,
            container_ports,
            dhcpv4_options,
            dhcpv6_options,
            dns_records,
            empty_switch,
            ipam_dynamic,
            ipam_subnet_static,
            ipv6_only_switch,
            localnet_port,
            localnet_port_tagged,
            localport,
            many_ports_one_switch,
            mcast_snoop,
            one_vif_port,
            ovnk_node_switch,
            port_disabled,
            port_security,
            qos_rules,
            quoted_names,
            requested_tnl_keys,
            router_arp_proxy,
            router_bad_input,
            router_copp_meters,
            router_ct_commit_all,
            router_dual_stack,
            router_ecmp_selection_fields,
            router_gateway_mtu,
            router_gateway_mtu_vlan,
            router_gateway_ports,
            router_nat_distributed,
            router_nat_gateway_router,
            router_policies,
            router_policy_chains,
            router_policy_ecmp,
            router_static_ecmp,
            router_port_no_peer,
            router_reside_on_redirect_chassis,
            router_route_tables,
            router_peers,
            router_static_routes,
            router_two_switches,
            several_switches,
            switch_port_type,
            transit_switch_remote_ports,
            vlan_passthru,
            vtep_port,
        );
    };
}

pub mod compare;
pub mod normalize;
pub mod sandbox;

use std::path::PathBuf;

use compare::Report;
use normalize::{Dump, Image};
use sandbox::{Db, Sandbox};

/// The reference NB schema (a file name for `Sandbox::start_db`).
pub const NB_SCHEMA: &str = "ovn-nb.ovsschema";
/// The reference SB schema (a file name for `Sandbox::start_db`).
pub const SB_SCHEMA: &str = "ovn-sb.ovsschema";

/// The directory holding the case scripts (`tests/cases`).
pub fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("cases")
}

/// The path of case `name` (`tests/cases/<name>.sh`); panics if missing.
pub fn case_path(name: &str) -> PathBuf {
    let p = cases_dir().join(format!("{name}.sh"));
    assert!(p.is_file(), "no such case file: {}", p.display());
    p
}

/// The northflow binary built by cargo for this package.
pub fn northflow_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_northflow"))
}

/// What one reference run produced.
pub struct ReferenceRun {
    /// The NB right after the case script (before any northd ran).
    pub nb_before: Dump,
    /// The NB after the reference northd wrote back to it.
    pub nb_after: Dump,
    /// The reference Southbound.
    pub sb: Dump,
}

/// Runs the real `ovn-northd` against `sb` until it has caught up with the
/// current NB (`ovn-nbctl --wait=sb sync`), stops it, and dumps both DBs.
/// `nb_before` is the NB as it was before this run.
pub fn run_reference(sbx: &mut Sandbox, nb: &Db, sb: &Db) -> ReferenceRun {
    let nb_before = sbx.dump(nb);
    sbx.start_northd(nb, sb);
    sbx.wait_sync(nb);
    sbx.stop_northd();
    ReferenceRun {
        nb_before,
        nb_after: sbx.dump(nb),
        sb: sbx.dump(sb),
    }
}

/// The whole conformance check for one case: NB + two SBs, case script,
/// reference northd on SB-ref, undo of northd's NB write-back, northflow
/// `--once` on SB-nf, normalize, compare. Panics with the report on any
/// difference.
pub fn conformance(case: &str) {
    let (report, stderr) = conformance_report(case);
    assert!(
        report.is_empty(),
        "case {case}: northflow's output differs from ovn-northd 26.03.1\n\
         (- only in reference, + only in northflow)\n{report}\n\
         northflow stderr (last lines):\n{}",
        tail(&stderr, 30)
    );
}

/// Runs one case and returns the differences (empty when northflow
/// matches) and northflow's stderr. Panics if a daemon misbehaves or
/// northflow fails.
pub fn conformance_report(case: &str) -> (Report, String) {
    let mut sbx = Sandbox::new(case);
    let nb = sbx.start_db("nb", NB_SCHEMA);
    let sb_ref = sbx.start_db("sbref", SB_SCHEMA);
    let sb_nf = sbx.start_db("sbnf", SB_SCHEMA);
    sbx.run_case(&nb, &case_path(case));
    // What ovn-controllers would have registered, in both Southbounds.
    let sb_setup = cases_dir().join(format!("{case}.sb"));
    if sb_setup.is_file() {
        sbx.run_sb_setup(&sb_ref, &sb_setup);
        sbx.run_sb_setup(&sb_nf, &sb_setup);
    }

    let reference = run_reference(&mut sbx, &nb, &sb_ref);
    // Make northflow write back everything northd wrote to the NB (except
    // the random MAC prefixes, which northd generates once and then reuses,
    // and nb_cfg, which is northflow's input).
    let undone = sbx.undo_nb_writeback(&nb, &reference.nb_before, &reference.nb_after, false);
    eprintln!("[{case}] NB columns written back by ovn-northd (reset before northflow): {undone}");

    let out = sbx.run_northflow(&northflow_bin(), &nb, &sb_nf);
    eprintln!("[{case}] northflow --once took {:?}", out.elapsed);
    assert!(
        !out.stderr.contains("panicked"),
        "northflow panicked:\n{}",
        out.stderr
    );
    assert!(
        out.success(),
        "northflow --once failed ({}):\nstdout:\n{}\nstderr:\n{}",
        out.status_text(),
        out.stdout,
        out.stderr
    );

    let nb_nf = sbx.dump(&nb);
    let sb_nf_dump = sbx.dump(&sb_nf);

    let report = compare_runs(
        &normalize::sb_image(&reference.sb),
        &normalize::sb_image(&sb_nf_dump),
        &normalize::nb_image(&reference.nb_after),
        &normalize::nb_image(&nb_nf),
    );
    (report, out.stderr)
}

/// The conformance check for a Northbound given as tables (a generated
/// cluster) and the Southbound rows ovn-controllers would have registered:
/// the differences and northflow's stderr.
pub fn conformance_tables(
    label: &str,
    nb_rows: &northflow::sync::Tables,
    sb_rows: &northflow::sync::Tables,
) -> (Report, String) {
    let mut sbx = Sandbox::new(label);
    let nb = sbx.start_db("nb", NB_SCHEMA);
    let sb_ref = sbx.start_db("sbref", SB_SCHEMA);
    let sb_nf = sbx.start_db("sbnf", SB_SCHEMA);
    northflow::scenario::write_to_server(&nb.remote(), &nb.db_name, nb_rows)
        .unwrap_or_else(|e| panic!("loading the NB: {e}"));
    for sb in [&sb_ref, &sb_nf] {
        northflow::scenario::write_to_server(&sb.remote(), &sb.db_name, sb_rows)
            .unwrap_or_else(|e| panic!("loading the SB: {e}"));
    }
    let reference = run_reference(&mut sbx, &nb, &sb_ref);
    sbx.undo_nb_writeback(&nb, &reference.nb_before, &reference.nb_after, false);
    let out = sbx.run_northflow(&northflow_bin(), &nb, &sb_nf);
    assert!(
        out.success() && !out.stderr.contains("panicked"),
        "northflow --once failed ({}):\n{}",
        out.status_text(),
        out.stderr
    );
    let report = compare_runs(
        &normalize::sb_image(&reference.sb),
        &normalize::sb_image(&sbx.dump(&sb_nf)),
        &normalize::nb_image(&reference.nb_after),
        &normalize::nb_image(&sbx.dump(&nb)),
    );
    (report, out.stderr)
}

/// Compares the SB images and the NB images of two runs; one report.
pub fn compare_runs(sb_ref: &Image, sb_nf: &Image, nb_ref: &Image, nb_nf: &Image) -> Report {
    let mut report = compare::compare("Southbound", sb_ref, sb_nf);
    report.append(compare::compare("Northbound", nb_ref, nb_nf));
    report
}

/// The last `n` lines of `text`.
pub fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}
