//! Conformance against the real ovn-northd 26.03.1: for each case in
//! `tests/cases/*.sh`, the Southbound (and the Northbound write-back) that
//! `northflow --once` produces must equal, normalized, what ovn-northd
//! produces for the same Northbound. See `tests/harness/`.

#[macro_use]
mod harness;

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        /// Every case, for the completeness check.
        const CASES: &[&str] = &[$(stringify!($name)),*];
        $(
            #[test]
            fn $name() {
                let case = stringify!($name);
                match KNOWN_GAPS.iter().find(|(c, _)| *c == case) {
                    None => harness::conformance(case),
                    Some((_, why)) => {
                        let (report, _) = harness::conformance_report(case);
                        assert!(
                            !report.is_empty(),
                            "case {case} is listed in KNOWN_GAPS ({why}) but now matches ovn-northd: remove it from the list"
                        );
                    }
                }
            }
        )*
    };
}

/// Cases that exercise a feature not implemented yet. Each still runs, and
/// must still differ: a case that starts to match fails until it is moved
/// out of this list. The README's conformance status lists the same gaps.
const KNOWN_GAPS: &[(&str, &str)] = &[(
    "ipam_dynamic",
    "IPAM: dynamic addresses are not allocated yet",
)];

all_cases!(cases);

/// Every `tests/cases/*.sh` has a test (`all_cases!` in `harness/mod.rs`),
/// and every test a file.
#[test]
fn every_case_file_is_listed() {
    let mut files: Vec<String> = std::fs::read_dir(harness::cases_dir())
        .expect("read tests/cases")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".sh").map(str::to_string)
        })
        .collect();
    files.sort();
    let mut listed: Vec<String> = CASES.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        files, listed,
        "tests/cases/*.sh and the all_cases! list (tests/harness/mod.rs) differ"
    );
}

/// The bad rows of case `router_bad_input` (which matches ovn-northd) each
/// get a diagnostic naming the table, the row's UUID and the column;
/// everything else is compiled (the case's conformance shows it).
#[test]
fn router_bad_rows_are_diagnosed() {
    let (report, stderr) = harness::conformance_report("router_bad_input");
    assert!(report.is_empty(), "router_bad_input differs:\n{report}");
    let expected = [
        ("Logical_Router_Port", "networks", "\"bogus\""),
        ("Logical_Router_Port", "mac", "\"zz:00:00:00:ff:04\""),
        ("Logical_Router_Port", "peer", "\"no-such-port\""),
        ("Logical_Router_Static_Route", "nexthop", "\"10.0.0.x\""),
        ("Logical_Router_Static_Route", "nexthop", "\"10.0.0.7/24\""),
        ("Logical_Router_Static_Route", "nexthop", "\"192.0.2.1\""),
        (
            "Logical_Router_Policy",
            "nexthops",
            "without a usable next hop",
        ),
        ("Logical_Router_Policy", "nexthops", "\"10.0.0.x\""),
        ("Logical_Router_Policy", "jump_chain", "\"nowhere\""),
        ("NAT", "logical_ip", "\"10.0.0.x\""),
        ("NAT", "logical_port", "\"no-such-port\""),
        ("Logical_Router", "options", "requested-tnl-key 7"),
    ];
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("northflow: warning: "))
        .collect();
    for (table, column, text) in expected {
        let found = lines.iter().any(|l| {
            let Some(rest) = l.strip_prefix(&format!("northflow: warning: {table} row ")) else {
                return false;
            };
            let (uuid, rest) = rest.split_at(rest.find(' ').unwrap_or(0));
            uuid.len() == 36
                && uuid.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
                && rest.starts_with(&format!(" column {column}: "))
                && rest.contains(text)
        });
        assert!(
            found,
            "no diagnostic for {table} {column} {text}; northflow said:\n{}",
            lines.join("\n")
        );
    }
}
