//! Broken Northbound rows through the library API (no servers): rows an
//! OVSDB server would refuse (wrongly typed columns, dangling references)
//! and rows it accepts but ovn-northd cannot use as written (unparsable
//! addresses, unknown port types), plus names that need quoting.
//!
//! For each: nothing panics; every broken row has a diagnostic whose text
//! names the table, the row UUID and the column; the good rows next to it
//! still compile; and names are JSON-escaped wherever they are placed in a
//! match or an action.

use std::collections::BTreeMap;

use northflow::input::InputRow;
use northflow::{Compiler, Db, RowChange};
use northflow_ir::nb::{LogicalRouter, LogicalSwitch, LogicalSwitchPort, NbGlobal};
use northflow_ir::row::Table;
use northflow_ir::Uuid;
use northflow_ovsdb::{Datum, Row};

// ---------------------------------------------------------------------------
// Helpers

fn put<T: InputRow>(row: &T) -> RowChange {
    RowChange::put(row)
}

/// A typed row with some columns overwritten by raw (possibly ill-typed)
/// datums.
fn put_raw<T: InputRow>(row: &T, raw: &[(&str, Datum)]) -> RowChange {
    let mut r: Row = row.to_row();
    for (col, d) in raw {
        r.insert((*col).to_owned(), d.clone());
    }
    RowChange {
        table: T::INPUT,
        uuid: row.uuid(),
        row: Some(r),
    }
}

fn switch_uuid(n: u128) -> Uuid {
    Uuid(0x0bad_5157_0000_0000_0000_0000_0000_0000 | n)
}

fn port_uuid(n: u128) -> Uuid {
    Uuid(0x0bad_9087_0000_0000_0000_0000_0000_0000 | n)
}

fn port(n: u128, name: &str, addresses: &[&str]) -> LogicalSwitchPort {
    LogicalSwitchPort {
        uuid: port_uuid(n),
        name: name.to_owned(),
        addresses: addresses.iter().map(|a| (*a).to_owned()).collect(),
        ..Default::default()
    }
}

fn switch(n: u128, name: &str, ports: &[&LogicalSwitchPort]) -> LogicalSwitch {
    LogicalSwitch {
        uuid: switch_uuid(n),
        name: name.to_owned(),
        ports: ports.iter().map(|p| p.uuid).collect(),
        ..Default::default()
    }
}

/// The good port every test puts next to the bad rows.
fn good_port() -> LogicalSwitchPort {
    port(1, "good", &["0a:00:00:00:00:01 10.0.0.1"])
}

/// The `ls_in_l2_lkup` flow of the good port, as `lflow-list` prints it.
const GOOD_L2_LOOKUP: &str =
    r#"match=(eth.dst == 0a:00:00:00:00:01), action=(outport = "good"; output;)"#;

fn compile(changes: &[RowChange]) -> Compiler {
    let mut c = Compiler::new();
    c.apply(changes);
    c
}

/// Every diagnostic's text.
fn diagnostic_texts(c: &Compiler) -> Vec<String> {
    c.diagnostics().map(ToString::to_string).collect()
}

/// Asserts there is a diagnostic for (`table`, `row`, `column`), and that
/// its text names all three; returns its text.
fn assert_diagnosed(c: &Compiler, table: &str, row: Uuid, column: &str) -> String {
    let found = c
        .diagnostics()
        .find(|d| d.table == table && d.row == row && d.column == column);
    let Some(d) = found else {
        panic!(
            "no diagnostic for {table} row {row} column {column}; diagnostics:\n{}",
            diagnostic_texts(c).join("\n")
        );
    };
    let text = d.to_string();
    for part in [table.to_owned(), row.to_string(), column.to_owned()] {
        assert!(
            text.contains(&part),
            "diagnostic text does not name {part:?}: {text}"
        );
    }
    text
}

fn assert_good_port_compiled(c: &Compiler) {
    let list = c.image().lflow_list();
    assert!(
        list.contains(GOOD_L2_LOOKUP),
        "the good port's L2 lookup flow is missing:\n{list}"
    );
    assert!(
        c.image().ports.contains_key("good"),
        "the good port has no port binding"
    );
}

/// Every match and action of every flow.
fn matches_and_actions(c: &Compiler) -> Vec<String> {
    c.image()
        .flows
        .keys()
        .flat_map(|f| [f.match_.to_string(), f.actions.to_string()])
        .collect()
}

/// The string literals of a match or action, each decoded as a JSON string.
/// Panics if a literal is unterminated or is not valid JSON: a name that
/// broke the quoting.
fn string_literals(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.char_indices();
    while let Some((start, c)) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let end = end.unwrap_or_else(|| panic!("unterminated string literal in {text:?}"));
        let lit = &text[start..=end];
        let s: String = serde_json::from_str(lit)
            .unwrap_or_else(|e| panic!("bad string literal {lit} in {text:?}: {e}"));
        out.push(s);
    }
    out
}

// ---------------------------------------------------------------------------
// Wrongly typed columns

#[test]
fn wrongly_typed_columns_are_diagnosed_and_skip_the_row() {
    let good = good_port();
    let bad_tag = port(2, "bad-tag", &["0a:00:00:00:00:02 10.0.0.2"]);
    let bad_enabled = port(3, "bad-enabled", &["0a:00:00:00:00:03 10.0.0.3"]);
    let bad_addresses = port(4, "bad-addresses", &[]);
    let sw = switch(1, "sw0", &[&good, &bad_tag, &bad_enabled, &bad_addresses]);
    let bad_switch = switch(2, "bad-switch", &[]);
    let c = compile(&[
        put(&sw),
        put(&good),
        put_raw(&bad_tag, &[("tag", Datum::scalar("x"))]),
        put_raw(&bad_enabled, &[("enabled", Datum::scalar("yes"))]),
        // A map where a set of strings is expected.
        put_raw(
            &bad_addresses,
            &[("addresses", Datum::map([("k".into(), "v".into())]))],
        ),
        // An integer where the switch name (a string) is expected.
        put_raw(&bad_switch, &[("name", Datum::scalar(7))]),
        // A boolean option map where strings are expected.
        RowChange {
            table: NbGlobal::INPUT,
            uuid: Uuid(0x0bad_0001),
            row: Some(Row::from([(
                "options".to_owned(),
                Datum::map([("mac_prefix".into(), true.into())]),
            )])),
        },
    ]);

    let lsp = LogicalSwitchPort::TABLE;
    let text = assert_diagnosed(&c, lsp, bad_tag.uuid, "tag");
    assert!(text.contains("expected integer"), "{text}");
    assert_diagnosed(&c, lsp, bad_enabled.uuid, "enabled");
    assert_diagnosed(&c, lsp, bad_addresses.uuid, "addresses");
    assert_diagnosed(&c, LogicalSwitch::TABLE, bad_switch.uuid, "name");
    assert_diagnosed(&c, NbGlobal::TABLE, Uuid(0x0bad_0001), "options");
    assert!(c.nb_global().is_none(), "an ill-typed NB_Global was used");

    // The rows that do not fit the schema are left out as a whole; the rest
    // of the switch compiles.
    assert_good_port_compiled(&c);
    let list = c.image().lflow_list();
    for name in ["bad-tag", "bad-enabled", "bad-addresses", "bad-switch"] {
        assert!(
            !list.contains(name),
            "skipped row {name} still has flows:\n{list}"
        );
        assert!(!c.image().ports.contains_key(name));
    }
    assert_eq!(c.image().datapaths.len(), 1, "only sw0 has a datapath");
}

#[test]
fn fixing_a_wrongly_typed_row_clears_its_diagnostic() {
    let good = good_port();
    let bad = port(2, "later-good", &["0a:00:00:00:00:02 10.0.0.2"]);
    let sw = switch(1, "sw0", &[&good, &bad]);
    let mut c = compile(&[
        put(&sw),
        put(&good),
        put_raw(&bad, &[("tag", Datum::set(["a".into(), "b".into()]))]),
    ]);
    assert_diagnosed(&c, LogicalSwitchPort::TABLE, bad.uuid, "tag");
    c.apply(&[put(&bad)]);
    assert_eq!(diagnostic_texts(&c), Vec::<String>::new());
    let list = c.image().lflow_list();
    assert!(
        list.contains(r#"action=(outport = "later-good"; output;)"#),
        "{list}"
    );
}

// ---------------------------------------------------------------------------
// Unparsable addresses, unknown types

#[test]
fn unparsable_address_entries_are_diagnosed_and_skipped() {
    let good = good_port();
    let mixed = port(
        2,
        "mixed",
        &[
            "not-an-address",
            "0a:00:00:00:00:02 10.0.0.2",
            "0a:00:00:00:00:03 10.0.0.300",
        ],
    );
    let mut bad_ps = port(3, "bad-ps", &["0a:00:00:00:00:04 10.0.0.4"]);
    bad_ps.port_security = vec!["zz:00:00:00:00:04".into()];
    let sw = switch(1, "sw0", &[&good, &mixed, &bad_ps]);
    let c = compile(&[put(&sw), put(&good), put(&mixed), put(&bad_ps)]);

    let text = assert_diagnosed(&c, LogicalSwitchPort::TABLE, mixed.uuid, "addresses");
    let texts = diagnostic_texts(&c);
    assert!(
        texts.iter().any(|t| t.contains("not-an-address")),
        "no diagnostic quotes the bad entry: {text}\n{texts:?}"
    );
    assert_diagnosed(&c, LogicalSwitchPort::TABLE, bad_ps.uuid, "port_security");

    assert_good_port_compiled(&c);
    let list = c.image().lflow_list();
    // The parsable entry of the mixed port still gives its lookup flow.
    assert!(
        list.contains(
            r#"match=(eth.dst == 0a:00:00:00:00:02), action=(outport = "mixed"; output;)"#
        ),
        "{list}"
    );
    assert!(!list.contains("not-an-address"), "{list}");
}

#[test]
fn unknown_port_type_is_diagnosed() {
    let good = good_port();
    let mut odd = port(2, "odd", &["0a:00:00:00:00:02 10.0.0.2"]);
    odd.type_ = "frobnicator".into();
    let sw = switch(1, "sw0", &[&good, &odd]);
    let c = compile(&[put(&sw), put(&good), put(&odd)]);
    let text = assert_diagnosed(&c, LogicalSwitchPort::TABLE, odd.uuid, "type");
    assert!(text.contains("frobnicator"), "{text}");
    assert_good_port_compiled(&c);
}

// ---------------------------------------------------------------------------
// Dangling references

/// A switch whose `ports` names a row that does not exist (an OVSDB server
/// enforces referential integrity, but a replica being fed by hand or a
/// future input format need not). The existing port still compiles, the
/// missing one is diagnosed against the switch's `ports` column, and the
/// port compiles once its row arrives.
#[test]
fn dangling_port_reference() {
    let good = good_port();
    let missing = port(2, "late", &["0a:00:00:00:00:02 10.0.0.2"]);
    let sw = switch(1, "sw0", &[&good, &missing]);
    let mut c = compile(&[put(&sw), put(&good)]);

    assert_good_port_compiled(&c);
    assert!(!c.image().lflow_list().contains("\"late\""));

    // Once the row arrives, the port compiles (and nothing is left to
    // diagnose).
    c.apply(&[put(&missing)]);
    let list = c.image().lflow_list();
    assert!(
        list.contains(r#"action=(outport = "late"; output;)"#),
        "the late port did not compile:\n{list}"
    );
    assert!(
        c.diagnostics()
            .all(|d| !(d.table == LogicalSwitch::TABLE && d.column == "ports")),
        "stale dangling-reference diagnostic: {:?}",
        diagnostic_texts(&c)
    );
}

/// The same dangling reference must be diagnosed (table, row, column).
/// ovn-northd cannot see one (its IDL drops references to missing rows),
/// but northflow's library API can be fed one, and silently dropping a
/// listed port hides a broken input.
#[test]
fn dangling_port_reference_is_diagnosed() {
    let good = good_port();
    let missing_uuid = port_uuid(2);
    let mut sw = switch(1, "sw0", &[&good]);
    sw.ports.push(missing_uuid);
    let c = compile(&[put(&sw), put(&good)]);
    assert_good_port_compiled(&c);
    let text = assert_diagnosed(&c, LogicalSwitch::TABLE, sw.uuid, "ports");
    assert!(
        text.contains(&missing_uuid.to_string()),
        "the diagnostic does not name the missing row: {text}"
    );
}

#[test]
fn deleting_rows_that_never_existed_is_harmless() {
    use std::collections::BTreeMap;
    let good = good_port();
    let sw = switch(1, "sw0", &[&good]);
    let mut c = compile(&[put(&sw), put(&good)]);
    let before = c.image().clone();
    let d = c.apply(&[
        RowChange {
            table: LogicalSwitchPort::INPUT,
            uuid: port_uuid(99),
            row: None,
        },
        RowChange {
            table: LogicalSwitch::INPUT,
            uuid: switch_uuid(99),
            row: None,
        },
    ]);
    assert!(d.is_empty());
    // Tables that are not inputs are left out when a database is read.
    let other = BTreeMap::from([(
        "No_Such_Table".to_owned(),
        BTreeMap::from([(Uuid(1), Row::new())]),
    )]);
    assert!(RowChange::inserts(Db::Nb, &other).is_empty());
    assert!(c.image() == &before);
    assert_eq!(diagnostic_texts(&c), Vec::<String>::new());
}

// ---------------------------------------------------------------------------
// Names that need quoting

#[test]
fn names_are_json_escaped_in_matches_and_actions() {
    const SW: &str = r#"sw "q" \ x"#;
    const P: &str = r#"p "1" \ y"#;
    const PS: &str = r#"ps\"2"#;
    let p = port(1, P, &["0a:00:00:00:00:01 10.0.0.1", "unknown"]);
    let mut ps = port(2, PS, &["0a:00:00:00:00:02 10.0.0.2 fd00::2"]);
    ps.port_security = vec!["0a:00:00:00:00:02 10.0.0.2 fd00::2".into()];
    let mut ln = port(3, "ln \"phys\"", &["unknown"]);
    ln.type_ = "localnet".into();
    ln.options = BTreeMap::from([("network_name".to_owned(), "phys\"net".to_owned())]);
    let sw = switch(1, SW, &[&p, &ps, &ln]);
    let c = compile(&[put(&sw), put(&p), put(&ps), put(&ln)]);
    assert_eq!(diagnostic_texts(&c), Vec::<String>::new());

    let list = c.image().lflow_list();
    for expected in [
        r#"action=(outport = "p \"1\" \\ y"; output;)"#,
        r#"inport == "p \"1\" \\ y""#,
        r#"outport = "ps\\\"2"; output;"#,
        r#"inport == "ps\\\"2""#,
    ] {
        assert!(list.contains(expected), "missing {expected} in:\n{list}");
    }

    // Every string literal in every match and action is a well-formed JSON
    // string, and each that names one of our ports names it whole.
    let names = [P, PS, "ln \"phys\""];
    let mut seen = Vec::new();
    for text in matches_and_actions(&c) {
        for lit in string_literals(&text) {
            let is_ours = names.contains(&lit.as_str());
            let is_fragment = !is_ours
                && names
                    .iter()
                    .any(|n| n.contains(lit.as_str()) || lit.contains(n))
                && !lit.starts_with('_');
            assert!(
                !is_fragment,
                "literal {lit:?} is a fragment of a port name in {text:?}"
            );
            if is_ours && !seen.contains(&lit) {
                seen.push(lit);
            }
        }
    }
    seen.sort();
    let mut all: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    all.sort();
    assert_eq!(seen, all, "some port names never appear in a flow");

    // Outside flows (datapath names, port bindings) names stay raw.
    assert!(c.image().ports.contains_key(P));
    assert!(c.image().ports.contains_key(PS));
    assert!(
        c.image().datapaths.values().any(|d| d.name() == SW),
        "the datapath is not named {SW:?}"
    );
    // lflow-list prints the datapath name between plain quotes, as
    // ovn-sbctl does (it does not escape it).
    assert!(list.contains(&format!("Datapath: \"{SW}\" (")), "{list}");
}

// ---------------------------------------------------------------------------
// One port listed by two switches

/// The datapaths that have the L2 lookup flow of port `name`.
fn lookup_datapaths(c: &Compiler, name: &str) -> Vec<Uuid> {
    let action = format!("outport = {}; output;", serde_json::Value::from(name));
    c.image()
        .flows
        .iter()
        .filter(|(f, _)| *f.actions == *action && f.match_.starts_with("eth.dst == "))
        .flat_map(|(_, p)| p.datapaths())
        .collect()
}

/// An OVSDB server accepts a `Logical_Switch_Port` referenced by two
/// switches (only the port *name* is indexed). ovn-northd 26.03.1 logs
/// "duplicate logical port <name>" and puts the port on one switch only,
/// with one Port_Binding. northflow must do the same (whichever switch it
/// picks), say so in a diagnostic, and stay consistent when one of the two
/// references goes away again.
#[test]
fn port_listed_by_two_switches() {
    let good = good_port();
    let shared = port(2, "shared", &["0a:00:00:00:00:02 10.0.0.2"]);
    let sw0 = switch(1, "sw0", &[&good, &shared]);
    let sw1 = switch(2, "sw1", &[]);
    let mut c = compile(&[put(&sw0), put(&sw1), put(&good), put(&shared)]);
    let before = c.image().clone();
    assert_eq!(lookup_datapaths(&c, "shared"), vec![sw0.uuid]);

    // The port is added to sw1 as well.
    let sw1_shared = switch(2, "sw1", &[&shared]);
    c.apply(&[put(&sw1_shared)]);
    assert_good_port_compiled(&c);
    let texts = diagnostic_texts(&c);
    let diagnosed = c.diagnostics().any(|d| {
        (d.table == LogicalSwitch::TABLE
            && (d.row == sw0.uuid || d.row == sw1.uuid)
            && d.column == "ports")
            || (d.table == LogicalSwitchPort::TABLE && d.row == shared.uuid)
    });
    assert!(
        diagnosed,
        "no diagnostic for the port listed by two switches: {texts:?}"
    );
    let dps = lookup_datapaths(&c, "shared");
    assert_eq!(
        dps.len(),
        1,
        "the port's flows are on {} datapaths (ovn-northd: one):\n{}",
        dps.len(),
        c.image().lflow_list()
    );
    let binding = c.image().ports.get("shared").expect("a port binding");
    assert_eq!(binding.datapath, dps[0], "binding and flows disagree");

    // Dropping the second reference gives back the first image.
    c.apply(&[put(&sw1)]);
    assert!(
        c.image() == &before,
        "unlinking from sw1 did not restore the image:\n{}\nport bindings: {:?}",
        c.image().lflow_list(),
        c.image().ports
    );

    // Linked from both again, then dropped from sw0 instead: the same as a
    // fresh compile of sw1 holding the port.
    c.apply(&[put(&sw1_shared)]);
    let sw0_alone = switch(1, "sw0", &[&good]);
    c.apply(&[put(&sw0_alone)]);
    let fresh = compile(&[put(&sw0_alone), put(&sw1_shared), put(&good), put(&shared)]);
    assert!(
        c.image() == fresh.image(),
        "incremental differs from fresh after moving the port to sw1:\n\
         incremental port bindings: {:?}\nfresh port bindings: {:?}",
        c.image().ports,
        fresh.image().ports
    );
    assert_eq!(lookup_datapaths(&c, "shared"), vec![sw1.uuid]);
}

#[test]
fn two_datapaths_requesting_one_tunnel_key() {
    let with_key = |n: u128, name: &str, key: &str| {
        let mut sw = switch(n, name, &[]);
        sw.other_config
            .insert("requested-tnl-key".to_owned(), key.to_owned());
        sw
    };
    let router = LogicalRouter {
        uuid: Uuid(0x0bad_7007_0000_0000_0000_0000_0000_0001),
        name: "lr0".to_owned(),
        options: BTreeMap::from([("requested-tnl-key".to_owned(), "7".to_owned())]),
        ..Default::default()
    };
    let (sw0, sw1) = (with_key(1, "sw0", "7"), with_key(2, "sw1", "8"));
    let mut c = compile(&[put(&sw0), put(&sw1), put(&router)]);
    // The router's UUID is the larger: sw0 keeps 7, the router is named.
    let named: Vec<_> = c
        .diagnostics()
        .filter(|d| d.message.contains("requested-tnl-key 7"))
        .map(|d| (d.table.clone(), d.row, d.column.clone()))
        .collect();
    assert_eq!(
        named,
        vec![(
            LogicalRouter::TABLE.to_owned(),
            router.uuid,
            "options".to_owned()
        )]
    );
    assert_eq!(
        c.image().datapaths.len(),
        3,
        "every datapath is still compiled"
    );

    // sw1 asks for 7 too: two requesters are named; then nobody else.
    c.apply(&[put(&with_key(2, "sw1", "7"))]);
    assert_eq!(
        c.diagnostics()
            .filter(|d| d.message.contains("requested-tnl-key 7"))
            .count(),
        2
    );
    c.apply(&[
        put(&sw1),
        put(&LogicalRouter {
            options: BTreeMap::new(),
            ..router
        }),
    ]);
    assert_eq!(
        c.diagnostics()
            .filter(|d| d.message.contains("requested-tnl-key"))
            .count(),
        0,
        "{:?}",
        diagnostic_texts(&c)
    );
}

#[test]
fn literal_checker_catches_broken_quoting() {
    assert_eq!(
        string_literals(r#"outport = "a \"b\" \\ c"; x == "_MC_flood""#),
        vec![r#"a "b" \ c"#.to_owned(), "_MC_flood".to_owned()]
    );
    // A name pasted between quotes without escaping.
    for broken in [r#"outport = "p \ y"; output;"#, r#"inport == "p "1" && 1"#] {
        let r = std::panic::catch_unwind(|| string_literals(broken));
        assert!(r.is_err(), "{broken:?} was accepted");
    }
}
