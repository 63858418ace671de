//! Conformance against the real ovn-northd 23.03: for each case in
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
                harness::conformance(stringify!($name));
            }
        )*
    };
}

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
