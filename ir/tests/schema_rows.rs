//! The typed Northbound / Southbound row structs (`ir/src/nb.rs`,
//! `ir/src/sb.rs`) are generated from the OVN schema files by the generator
//! below and checked in. `*_rows_are_current` fails when the checked-in files
//! differ from what the installed schemas produce; run
//!
//! ```text
//! NORTHFLOW_BLESS=1 cargo test -p northflow-ir --test schema_rows
//! ```
//!
//! to rewrite them. The schemas are the reference release's (OVN 26.03.1,
//! installed by `scripts/oracle`; see `northflow_ovsdb::reference`).
//!
//! The generator emits code that is already `rustfmt`-clean (edition 2021
//! style, default options), so `cargo fmt` leaves the generated files alone;
//! `generated_rows_are_rustfmt_clean` checks that when `rustfmt` is on PATH.
//!
//! The remaining tests exercise the generated structs, including against the
//! JSON a real `ovsdb-server` produces.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use northflow_ir::row::{RowError, Table};
use northflow_ir::{nb, sb};
use northflow_ovsdb::{reference, Datum, Row, Uuid};
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

// ---------------------------------------------------------------------------
// Order-preserving JSON (the workspace's serde_json sorts object keys, and
// the generated code follows schema order).

/// A JSON value, as far as the generator cares: objects keep their order.
#[derive(Debug)]
enum Json {
    Int(i64),
    Str(String),
    Obj(Vec<(String, Json)>),
    /// null, booleans, reals, arrays (e.g. `enum` constraints).
    Other,
}

impl Json {
    fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Json, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Other)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Json, E> {
        Ok(Json::Other)
    }
    fn visit_i64<E>(self, i: i64) -> Result<Json, E> {
        Ok(Json::Int(i))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Json, E> {
        Ok(i64::try_from(u).map_or(Json::Other, Json::Int))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Json, E> {
        Ok(Json::Other)
    }
    fn visit_str<E>(self, s: &str) -> Result<Json, E> {
        Ok(Json::Str(s.to_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Json::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut v = Vec::new();
        while let Some(e) = map.next_entry::<String, Json>()? {
            v.push(e);
        }
        Ok(Json::Obj(v))
    }
}

// ---------------------------------------------------------------------------
// Schema model.

struct Schema {
    file: &'static str,
    name: String,
    version: String,
    tables: Vec<TableDef>,
}

struct TableDef {
    name: String,
    columns: Vec<ColumnDef>,
}

struct ColumnDef {
    name: String,
    rust_type: String,
}

/// What each generated file is generated from.
struct Target {
    schema_file: &'static str,
    version: &'static str,
    module: &'static str,
}

const NB: Target = Target {
    schema_file: "ovn-nb.ovsschema",
    version: "7.18.0",
    module: "nb",
};
const SB: Target = Target {
    schema_file: "ovn-sb.ovsschema",
    version: "21.8.0",
    module: "sb",
};

fn schema_path(target: &Target) -> PathBuf {
    reference::schema(target.schema_file)
}

fn load_schema(target: &Target) -> Schema {
    let path = schema_path(target);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the OVN schema {}: {e}; {}",
            path.display(),
            reference::missing_hint()
        )
    });
    let json: Json =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
    let schema = parse_schema(target.schema_file, &json)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(
        schema.version,
        target.version,
        "{} is schema version {}, but northflow targets {} {}; \
         update the expected version in ir/tests/schema_rows.rs deliberately",
        path.display(),
        schema.version,
        schema.name,
        target.version
    );
    schema
}

fn parse_schema(file: &'static str, json: &Json) -> Result<Schema, String> {
    let name = json
        .get("name")
        .and_then(Json::as_str)
        .ok_or("no \"name\"")?;
    let version = json
        .get("version")
        .and_then(Json::as_str)
        .ok_or("no \"version\"")?;
    let Some(Json::Obj(tables)) = json.get("tables") else {
        return Err("no \"tables\" object".into());
    };
    let mut out = Vec::new();
    for (table, def) in tables {
        let Some(Json::Obj(columns)) = def.get("columns") else {
            return Err(format!("table {table}: no \"columns\" object"));
        };
        let columns = columns
            .iter()
            .map(|(column, def)| {
                let ty = def
                    .get("type")
                    .ok_or_else(|| "no \"type\"".to_owned())
                    .and_then(column_type)
                    .map_err(|e| format!("column {table}.{column}: {e}"))?;
                Ok(ColumnDef {
                    name: column.clone(),
                    rust_type: ty,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        out.push(TableDef {
            name: table.clone(),
            columns,
        });
    }
    Ok(Schema {
        file,
        name: name.to_owned(),
        version: version.to_owned(),
        tables: out,
    })
}

/// The Rust type of an atomic type (`"string"` or `{"type": "string", ...}`).
fn base_type(json: &Json) -> Result<&'static str, String> {
    let name = match json {
        Json::Str(s) => s.as_str(),
        Json::Obj(_) => json
            .get("type")
            .and_then(Json::as_str)
            .ok_or("base type without \"type\"")?,
        _ => return Err(format!("bad base type {json:?}")),
    };
    match name {
        "string" => Ok("String"),
        "integer" => Ok("i64"),
        "boolean" => Ok("bool"),
        "uuid" => Ok("Uuid"),
        // No `Atom` → f64 conversion (and f64 is not `Ord`/`Hash`); neither
        // OVN schema has real columns.
        "real" => Err("real columns are not supported".into()),
        other => Err(format!("unknown atomic type {other:?}")),
    }
}

/// The Rust field type of a column type.
fn column_type(json: &Json) -> Result<String, String> {
    if let Json::Str(_) = json {
        return base_type(json).map(str::to_owned);
    }
    let key = base_type(json.get("key").ok_or("no \"key\"")?)?;
    let value = json.get("value").map(base_type).transpose()?;
    let min = match json.get("min") {
        None => 1,
        Some(Json::Int(n)) => *n,
        Some(other) => return Err(format!("bad min {other:?}")),
    };
    let max = match json.get("max") {
        None => Some(1),
        Some(Json::Int(n)) => Some(*n),
        Some(Json::Str(s)) if s == "unlimited" => None,
        Some(other) => return Err(format!("bad max {other:?}")),
    };
    Ok(match (value, min, max) {
        (Some(value), _, _) => format!("BTreeMap<{key}, {value}>"),
        (None, 1, Some(1)) => key.to_owned(),
        (None, 0, Some(1)) => format!("Option<{key}>"),
        (None, _, _) => format!("Vec<{key}>"),
    })
}

// ---------------------------------------------------------------------------
// Naming.

const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// `Logical_Switch_Port` → `LogicalSwitchPort`, `NB_Global` → `NbGlobal`.
fn struct_name(table: &str) -> String {
    table
        .split('_')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            let first = chars.next().unwrap().to_ascii_uppercase();
            std::iter::once(first)
                .chain(chars.map(|c| c.to_ascii_lowercase()))
                .collect::<String>()
        })
        .collect()
}

/// A column name as a snake_case field name; keywords (and `uuid`, which is
/// the row's own field) get a trailing underscore.
fn field_name(column: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in column.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push('_');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c.to_ascii_lowercase());
    }
    if KEYWORDS.contains(&out.as_str()) || out == "uuid" {
        out.push('_');
    }
    out
}

// ---------------------------------------------------------------------------
// Rendering. The output is rustfmt-clean as emitted.

const MAX_WIDTH: usize = 100;
/// rustfmt's `array_width`.
const ARRAY_WIDTH: usize = 60;
/// rustfmt's `fn_call_width`.
const FN_CALL_WIDTH: usize = 60;
/// rustfmt's `short_array_element_width_threshold`.
const SHORT_ITEM: usize = 10;

/// Renders `<indent><head>[items];` the way rustfmt lays out an array of
/// string literals: on one line if it fits, else one item per line, or
/// packed lines ("mixed") if every item is short.
fn render_str_array(out: &mut String, indent: usize, head: &str, items: &[&str]) {
    let pad = " ".repeat(indent);
    let quoted: Vec<String> = items.iter().map(|s| format!("{s:?}")).collect();
    let one_line = quoted.join(", ");
    if one_line.len() <= ARRAY_WIDTH {
        if indent + head.len() + one_line.len() + 2 <= MAX_WIDTH {
            writeln!(out, "{pad}{head}{one_line}];").unwrap();
            return;
        }
        // rustfmt prefers moving the whole right-hand side to the next line
        // over breaking the array.
        if let Some(lhs) = head.strip_suffix(" = &[") {
            if indent + 4 + 2 + one_line.len() + 2 <= MAX_WIDTH {
                writeln!(out, "{pad}{lhs} =").unwrap();
                writeln!(out, "{pad}    &[{one_line}];").unwrap();
                return;
            }
        }
    }
    writeln!(out, "{pad}{head}").unwrap();
    let inner = " ".repeat(indent + 4);
    if quoted.iter().all(|q| q.len() <= SHORT_ITEM) {
        let mut line = String::new();
        for q in &quoted {
            if !line.is_empty() && inner.len() + line.len() + 1 + q.len() + 1 > MAX_WIDTH {
                writeln!(out, "{inner}{line}").unwrap();
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(q);
            line.push(',');
        }
        writeln!(out, "{inner}{line}").unwrap();
    } else {
        for q in &quoted {
            writeln!(out, "{inner}{q},").unwrap();
        }
    }
    writeln!(out, "{pad}];").unwrap();
}

fn render(schema: &Schema) -> String {
    let mut out = String::new();
    let o = &mut out;
    let uses_map = schema
        .tables
        .iter()
        .flat_map(|t| &t.columns)
        .any(|c| c.rust_type.starts_with("BTreeMap"));

    let mut seen_structs = BTreeMap::new();
    for t in &schema.tables {
        let s = struct_name(&t.name);
        if let Some(other) = seen_structs.insert(s.clone(), &t.name) {
            panic!("tables {other} and {} both map to struct {s}", t.name);
        }
    }

    writeln!(
        o,
        "// @generated by ir/tests/schema_rows.rs from {} {} — do not edit",
        schema.file, schema.version
    )
    .unwrap();
    writeln!(o).unwrap();
    writeln!(
        o,
        "//! Typed rows of the `{}` database, schema {}: one struct per",
        schema.name, schema.version
    )
    .unwrap();
    writeln!(
        o,
        "//! table, implementing [`Table`]. See [`crate::row`] for how column types"
    )
    .unwrap();
    writeln!(o, "//! map to field types.").unwrap();
    writeln!(o).unwrap();
    if uses_map {
        writeln!(o, "use std::collections::BTreeMap;").unwrap();
        writeln!(o).unwrap();
    }
    writeln!(o, "use northflow_ovsdb::{{Row, Uuid}};").unwrap();
    writeln!(o).unwrap();
    writeln!(o, "use crate::row::{{put, RowError, RowReader, Table}};").unwrap();
    writeln!(o).unwrap();
    writeln!(o, "/// The schema version these rows were generated from.").unwrap();
    writeln!(o, "pub const VERSION: &str = {:?};", schema.version).unwrap();
    writeln!(o).unwrap();
    writeln!(o, "/// Every table of the schema, in schema order.").unwrap();
    let names: Vec<&str> = schema.tables.iter().map(|t| t.name.as_str()).collect();
    render_str_array(o, 0, "pub const TABLES: &[&str] = &[", &names);

    for t in &schema.tables {
        let s = struct_name(&t.name);
        let fields: Vec<(String, &ColumnDef)> =
            t.columns.iter().map(|c| (field_name(&c.name), c)).collect();
        let mut seen = std::collections::BTreeSet::from(["uuid".to_owned()]);
        for (f, c) in &fields {
            assert!(
                seen.insert(f.clone()),
                "{}.{}: duplicate field {f}",
                t.name,
                c.name
            );
        }

        writeln!(o).unwrap();
        writeln!(o, "/// A row of the `{}` table.", t.name).unwrap();
        writeln!(
            o,
            "#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]"
        )
        .unwrap();
        writeln!(o, "pub struct {s} {{").unwrap();
        writeln!(o, "    pub uuid: Uuid,").unwrap();
        for (f, c) in &fields {
            if *f != c.name {
                writeln!(o, "    /// Column `{}`.", c.name).unwrap();
            }
            writeln!(o, "    pub {f}: {},", c.rust_type).unwrap();
        }
        writeln!(o, "}}").unwrap();
        writeln!(o).unwrap();

        writeln!(o, "impl Table for {s} {{").unwrap();
        writeln!(o, "    const TABLE: &'static str = {:?};", t.name).unwrap();
        let columns: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        render_str_array(
            o,
            4,
            "const COLUMNS: &'static [&'static str] = &[",
            &columns,
        );
        writeln!(o).unwrap();
        writeln!(o, "    fn uuid(&self) -> Uuid {{").unwrap();
        writeln!(o, "        self.uuid").unwrap();
        writeln!(o, "    }}").unwrap();
        writeln!(o).unwrap();
        writeln!(
            o,
            "    fn from_row(uuid: Uuid, row: &Row) -> Result<Self, RowError> {{"
        )
        .unwrap();
        writeln!(o, "        let r = RowReader::new(Self::TABLE, uuid, row);").unwrap();
        writeln!(o, "        Ok(Self {{").unwrap();
        writeln!(o, "            uuid,").unwrap();
        for (f, c) in &fields {
            writeln!(o, "            {f}: r.get({:?})?,", c.name).unwrap();
        }
        writeln!(o, "        }})").unwrap();
        writeln!(o, "    }}").unwrap();
        writeln!(o).unwrap();
        writeln!(o, "    fn to_row(&self) -> Row {{").unwrap();
        writeln!(o, "        let mut row = Row::new();").unwrap();
        for (f, c) in &fields {
            let args = format!("&mut row, {:?}, &self.{f}", c.name);
            if args.len() <= FN_CALL_WIDTH && 8 + "put();".len() + args.len() <= MAX_WIDTH {
                writeln!(o, "        put({args});").unwrap();
            } else {
                writeln!(o, "        put(").unwrap();
                writeln!(o, "            &mut row,").unwrap();
                writeln!(o, "            {:?},", c.name).unwrap();
                writeln!(o, "            &self.{f},").unwrap();
                writeln!(o, "        );").unwrap();
            }
        }
        writeln!(o, "        row").unwrap();
        writeln!(o, "    }}").unwrap();
        writeln!(o, "}}").unwrap();
    }
    out
}

fn generated_path(target: &Target) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(format!("{}.rs", target.module))
}

fn check_current(target: &Target) {
    let schema = load_schema(target);
    let rendered = render(&schema);
    let path = generated_path(target);
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    if checked_in == rendered {
        return;
    }
    if std::env::var_os("NORTHFLOW_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &rendered)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        eprintln!("rewrote {}", path.display());
        return;
    }
    let first_diff = checked_in
        .lines()
        .zip(rendered.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| checked_in.lines().count().min(rendered.lines().count()));
    panic!(
        "{} is not what {} {} generates (first difference at line {}:\n  \
         checked in: {:?}\n  generated:  {:?})\n\
         Regenerate it with: NORTHFLOW_BLESS=1 cargo test -p northflow-ir --test schema_rows",
        path.display(),
        schema_path(target).display(),
        schema.version,
        first_diff + 1,
        checked_in
            .lines()
            .nth(first_diff)
            .unwrap_or("<end of file>"),
        rendered.lines().nth(first_diff).unwrap_or("<end of file>"),
    );
}

#[test]
fn nb_rows_are_current() {
    check_current(&NB);
}

#[test]
fn sb_rows_are_current() {
    check_current(&SB);
}

#[test]
fn generated_rows_are_rustfmt_clean() {
    for target in [&NB, &SB] {
        let rendered = render(&load_schema(target));
        let child = Command::new("rustfmt")
            .args(["--edition", "2021", "--emit", "stdout"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        let mut child = match child {
            Ok(child) => child,
            Err(e) => {
                eprintln!("rustfmt not runnable ({e}); not checking formatting");
                return;
            }
        };
        let mut stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || stdin.write_all(rendered.as_bytes()));
        let output = child.wait_with_output().unwrap();
        writer.join().unwrap().unwrap();
        assert!(
            output.status.success(),
            "rustfmt failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let formatted = String::from_utf8(output.stdout).unwrap();
        let rendered = render(&load_schema(target));
        if formatted != rendered {
            let line = formatted
                .lines()
                .zip(rendered.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "the generator's {} output is not rustfmt-clean; first difference at line {}:\n  \
                 rustfmt:   {:?}\n  generated: {:?}",
                target.module,
                line + 1,
                formatted.lines().nth(line),
                rendered.lines().nth(line)
            );
        }
    }
}

#[test]
fn naming() {
    assert_eq!(struct_name("Logical_Switch_Port"), "LogicalSwitchPort");
    assert_eq!(struct_name("NB_Global"), "NbGlobal");
    assert_eq!(struct_name("ACL"), "Acl");
    assert_eq!(struct_name("SB_Global"), "SbGlobal");
    assert_eq!(struct_name("Logical_DP_Group"), "LogicalDpGroup");
    assert_eq!(struct_name("DHCPv6_Options"), "Dhcpv6Options");
    assert_eq!(field_name("type"), "type_");
    assert_eq!(field_name("match"), "match_");
    assert_eq!(field_name("uuid"), "uuid_");
    assert_eq!(field_name("tag_request"), "tag_request");
}

// ---------------------------------------------------------------------------
// The generated structs.

/// Calls `$check::<T>()` for every generated table type, in schema order, and
/// returns the table names it saw (compared against `TABLES` below, so this
/// list cannot silently fall behind the schema).
macro_rules! each_table {
    ($check:ident; $($t:ty),* $(,)?) => {
        vec![$({
            $check::<$t>();
            <$t as Table>::TABLE
        }),*]
    };
}

fn default_row_round_trips<T: Table + Default + PartialEq + fmt::Debug>() {
    let uuid = Uuid(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
    let mut t = T::from_row(uuid, &Row::new()).unwrap();
    assert_eq!(t.uuid(), uuid);
    let row = t.to_row();
    let keys: Vec<&str> = row.keys().map(String::as_str).collect();
    let mut columns = T::COLUMNS.to_vec();
    columns.sort_unstable();
    assert_eq!(keys, columns, "{}: to_row writes every column", T::TABLE);
    assert_eq!(T::from_row(uuid, &row).unwrap(), t);
    t = T::from_row(Uuid::default(), &row).unwrap();
    assert_eq!(t, T::default());
}

#[test]
fn every_table_round_trips_its_default_row() {
    let nb_seen = each_table!(default_row_round_trips;
        nb::NbGlobal, nb::SampleCollector, nb::Sample, nb::Copp, nb::LogicalSwitch,
        nb::LogicalSwitchPort, nb::NetworkFunctionHealthCheck, nb::NetworkFunction,
        nb::NetworkFunctionGroup, nb::LogicalSwitchPortHealthCheck, nb::ForwardingGroup,
        nb::AddressSet, nb::PortGroup, nb::LoadBalancer, nb::LoadBalancerGroup,
        nb::LoadBalancerHealthCheck, nb::Acl, nb::Qos, nb::Mirror, nb::MirrorRule, nb::Meter,
        nb::MeterBand, nb::LogicalRouter, nb::LogicalRouterPort, nb::LogicalRouterStaticRoute,
        nb::LogicalRouterPolicy, nb::Nat, nb::DhcpOptions, nb::DhcpRelay, nb::Connection, nb::Dns,
        nb::Ssl, nb::GatewayChassis, nb::HaChassis, nb::HaChassisGroup, nb::Bfd,
        nb::StaticMacBinding, nb::ChassisTemplateVar, nb::SamplingApp,
    );
    assert_eq!(nb_seen, nb::TABLES);
    let sb_seen = each_table!(default_row_round_trips;
        sb::SbGlobal, sb::Chassis, sb::ChassisPrivate, sb::Encap, sb::AddressSet, sb::PortGroup,
        sb::LogicalFlow, sb::LogicalDpGroup, sb::MulticastGroup, sb::Mirror, sb::Meter,
        sb::MeterBand, sb::DatapathBinding, sb::PortBinding, sb::MacBinding, sb::DhcpOptions,
        sb::Dhcpv6Options, sb::Connection, sb::Ssl, sb::Dns, sb::RbacRole, sb::RbacPermission,
        sb::GatewayChassis, sb::HaChassis, sb::HaChassisGroup, sb::ControllerEvent, sb::IpMulticast,
        sb::IgmpGroup, sb::ServiceMonitor, sb::LoadBalancer, sb::Bfd, sb::Fdb, sb::StaticMacBinding,
        sb::EcmpNexthop, sb::ChassisTemplateVar, sb::AdvertisedRoute, sb::LearnedRoute, sb::AclId,
        sb::AdvertisedMacBinding,
    );
    assert_eq!(sb_seen, sb::TABLES);
    assert_eq!(nb::VERSION, NB.version);
    assert_eq!(sb::VERSION, SB.version);
}

fn uuid(n: u128) -> Uuid {
    Uuid(n)
}

#[test]
fn logical_switch_port_round_trips() {
    let lsp = nb::LogicalSwitchPort {
        uuid: uuid(1),
        name: "p1".into(),
        type_: "router".into(),
        addresses: vec!["0a:58:0a:00:00:03 10.0.0.3".into(), "router".into()],
        options: BTreeMap::from([("router-port".into(), "rtos-sw0".into())]),
        tag_request: Some(5),
        enabled: Some(true),
        dhcpv4_options: Some(uuid(7)),
        ..Default::default()
    };
    let row = lsp.to_row();
    assert_eq!(row["name"], Datum::scalar("p1"));
    assert_eq!(row["type"], Datum::scalar("router"));
    assert_eq!(row["tag_request"], Datum::scalar(5));
    assert_eq!(row["tag"], Datum::empty());
    assert_eq!(row["dhcpv4_options"], Datum::scalar(uuid(7)));
    assert_eq!(
        row["options"],
        Datum::map([("router-port".into(), "rtos-sw0".into())])
    );
    assert_eq!(nb::LogicalSwitchPort::from_row(uuid(1), &row), Ok(lsp));
}

#[test]
fn acl_and_logical_flow_round_trip() {
    let acl = nb::Acl {
        uuid: uuid(2),
        priority: 1001,
        direction: "to-lport".into(),
        match_: "ip4.src == 10.0.0.0/8".into(),
        action: "allow-related".into(),
        log: true,
        name: Some("allow".into()),
        ..Default::default()
    };
    assert_eq!(nb::Acl::from_row(acl.uuid, &acl.to_row()), Ok(acl));

    let flow = sb::LogicalFlow {
        uuid: uuid(3),
        logical_datapath: Some(uuid(4)),
        pipeline: "ingress".into(),
        table_id: 8,
        priority: 50,
        match_: "eth.dst == $svc_monitor_mac".into(),
        actions: "next;".into(),
        external_ids: BTreeMap::from([("stage-name".into(), "ls_in_l2_lkup".into())]),
        ..Default::default()
    };
    let row = flow.to_row();
    assert_eq!(row["match"], Datum::scalar("eth.dst == $svc_monitor_mac"));
    assert_eq!(sb::LogicalFlow::from_row(flow.uuid, &row), Ok(flow));

    let group = sb::LogicalDpGroup {
        uuid: uuid(5),
        datapaths: vec![uuid(9), uuid(4)],
    };
    let row = group.to_row();
    assert_eq!(
        row["datapaths"],
        Datum::set([uuid(4).into(), uuid(9).into()])
    );
    let back = sb::LogicalDpGroup::from_row(group.uuid, &row).unwrap();
    assert_eq!(
        back.datapaths,
        vec![uuid(4), uuid(9)],
        "sets come back sorted"
    );
}

#[test]
fn wrong_types_are_errors_naming_the_cell() {
    let id = Uuid::parse("465352c8-9225-47de-a3ca-167233c06b5a").unwrap();
    let row = Row::from([
        ("name".to_owned(), Datum::scalar("p1")),
        ("tag".to_owned(), Datum::scalar("x")),
    ]);
    let err = nb::LogicalSwitchPort::from_row(id, &row).unwrap_err();
    assert_eq!(
        err,
        RowError {
            table: "Logical_Switch_Port",
            uuid: id,
            column: "tag".into(),
            message: r#"expected integer, got "x""#.into(),
        }
    );
    assert_eq!(
        err.to_string(),
        "Logical_Switch_Port row 465352c8-9225-47de-a3ca-167233c06b5a: \
         column \"tag\": expected integer, got \"x\""
    );

    // A set where a map belongs, too many atoms for a scalar, a uuid column
    // holding a string.
    let bad = [
        ("options", Datum::set(["a".into()])),
        ("name", Datum::set(["a".into(), "b".into()])),
        ("dhcpv4_options", Datum::scalar("not-a-uuid")),
    ];
    for (column, datum) in bad {
        let row = Row::from([(column.to_owned(), datum)]);
        let err = nb::LogicalSwitchPort::from_row(id, &row).unwrap_err();
        assert_eq!(
            (err.table, err.uuid, err.column.as_str()),
            ("Logical_Switch_Port", id, column)
        );
    }

    // Unknown columns (a newer schema, or `_version`) are ignored.
    let row = Row::from([("_version".to_owned(), Datum::scalar(uuid(1)))]);
    assert_eq!(
        sb::Chassis::from_row(id, &row),
        Ok(sb::Chassis {
            uuid: id,
            ..Default::default()
        })
    );
}

// ---------------------------------------------------------------------------
// Against a real ovsdb-server.

/// A scratch directory and the `ovsdb-server` serving the NB and SB
/// databases in it; the server is killed and the directory removed on drop.
struct Server {
    dir: PathBuf,
    child: Child,
}

impl Server {
    fn start() -> Server {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let dir = reference::scratch_dir().join(format!("nf-ir-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (db, target) in [("nb.db", &NB), ("sb.db", &SB)] {
            run(Command::new(reference::program("ovsdb-tool"))
                .arg("create")
                .arg(dir.join(db))
                .arg(schema_path(target)));
        }
        let child = Command::new(reference::program("ovsdb-server"))
            .arg("--no-chdir")
            .arg(format!("--pidfile={}", dir.join("p").display()))
            .arg(format!("--log-file={}", dir.join("l").display()))
            .arg(format!("--unixctl={}", dir.join("c").display()))
            .arg(format!("--remote=punix:{}", dir.join("s").display()))
            .arg(dir.join("nb.db"))
            .arg(dir.join("sb.db"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start ovsdb-server (is openvswitch installed?): {e}")
            });
        let server = Server { dir, child };
        let deadline = Instant::now() + Duration::from_secs(20);
        while !server.dir.join("s").exists() {
            assert!(
                Instant::now() < deadline,
                "ovsdb-server did not create its socket"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    fn remote(&self) -> String {
        format!("unix:{}", self.dir.join("s").display())
    }

    /// `ovsdb-client -f json dump` of one table, as typed rows.
    fn dump<T: Table>(&self, db: &str) -> Vec<(T, Row)> {
        let out = run(Command::new(reference::program("ovsdb-client")).args([
            "-f",
            "json",
            "dump",
            &self.remote(),
            db,
            T::TABLE,
        ]));
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        parse_dump(&json)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn run(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Decodes one table of `ovsdb-client -f json dump` output:
/// `{"caption": ..., "headings": ["_uuid", col...], "data": [[cell...]...]}`.
fn parse_dump<T: Table>(json: &serde_json::Value) -> Vec<(T, Row)> {
    let headings: Vec<&str> = json["headings"]
        .as_array()
        .expect("headings")
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    let mut columns: Vec<&str> = headings
        .iter()
        .copied()
        .filter(|h| !h.starts_with('_'))
        .collect();
    columns.sort_unstable();
    let mut ours = T::COLUMNS.to_vec();
    ours.sort_unstable();
    assert_eq!(columns, ours, "{}: the server's columns", T::TABLE);
    json["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|cells| {
            let mut uuid = None;
            let mut row = Row::new();
            for (h, cell) in headings.iter().zip(cells.as_array().unwrap()) {
                let datum = Datum::from_json(cell).unwrap();
                match *h {
                    "_uuid" => uuid = datum.atoms()[0].as_uuid(),
                    "_version" => {}
                    column => {
                        row.insert(column.to_owned(), datum);
                    }
                }
            }
            let uuid = uuid.expect("_uuid");
            let t = T::from_row(uuid, &row).unwrap_or_else(|e| panic!("{e}"));
            (t, row)
        })
        .collect()
}

#[test]
fn rows_from_a_real_ovsdb_server() {
    let server = Server::start();
    run(Command::new(reference::program("ovn-nbctl"))
        .arg(format!("--db={}", server.remote()))
        .args([
            "ls-add",
            "sw0",
            "--",
            "lsp-add",
            "sw0",
            "p1",
            "--",
            "lsp-set-addresses",
            "p1",
            "0a:58:0a:00:00:03 10.0.0.3",
            "--",
            "set",
            "logical_switch_port",
            "p1",
            "tag_request=5",
            "options:foo=bar",
        ]));

    let ports = server.dump::<nb::LogicalSwitchPort>("OVN_Northbound");
    let [(lsp, row)] = &ports[..] else {
        panic!("expected one port, got {ports:?}")
    };
    assert_eq!(lsp.name, "p1");
    assert_eq!(lsp.addresses, vec!["0a:58:0a:00:00:03 10.0.0.3".to_owned()]);
    assert_eq!(lsp.tag_request, Some(5));
    assert_eq!(lsp.tag, None);
    assert_eq!(lsp.type_, "");
    assert_eq!(lsp.enabled, None);
    assert_eq!(lsp.up, None);
    assert_eq!(lsp.parent_name, None);
    assert!(lsp.port_security.is_empty());
    assert!(lsp.external_ids.is_empty());
    assert_eq!(lsp.options, BTreeMap::from([("foo".into(), "bar".into())]));
    // Our encoding of the parsed row is exactly what the server sent.
    assert_eq!(&lsp.to_row(), row);

    let switches = server.dump::<nb::LogicalSwitch>("OVN_Northbound");
    let [(ls, row)] = &switches[..] else {
        panic!("expected one switch, got {switches:?}")
    };
    assert_eq!(ls.name, "sw0");
    assert_eq!(ls.ports, vec![lsp.uuid]);
    assert_eq!(&ls.to_row(), row);

    // ovn-nbctl creates the NB_Global row.
    let globals = server.dump::<nb::NbGlobal>("OVN_Northbound");
    let [(global, row)] = &globals[..] else {
        panic!("expected one NB_Global row, got {globals:?}")
    };
    assert_eq!(global.nb_cfg, 0);
    assert_eq!(&global.to_row(), row);

    // A Southbound table with a reference, a uuid set and integer columns.
    run(Command::new(reference::program("ovsdb-client")).args([
        "transact",
        &server.remote(),
        r#"["OVN_Southbound",
            {"op": "insert", "table": "Datapath_Binding", "uuid-name": "dp",
             "row": {"tunnel_key": 7, "external_ids": ["map", [["name", "sw0"]]]}},
            {"op": "insert", "table": "Logical_DP_Group", "uuid-name": "g",
             "row": {"datapaths": ["set", [["named-uuid", "dp"]]]}},
            {"op": "insert", "table": "Logical_Flow",
             "row": {"logical_dp_group": ["named-uuid", "g"], "pipeline": "ingress",
                     "table_id": 8, "priority": 50, "match": "eth.mcast",
                     "actions": "outport = \"_MC_flood\"; output;",
                     "external_ids": ["map", [["stage-name", "ls_in_l2_lkup"]]]}},
            {"op": "insert", "table": "Port_Binding",
             "row": {"logical_port": "p1", "datapath": ["named-uuid", "dp"],
                     "tunnel_key": 1, "mac": "0a:58:0a:00:00:03 10.0.0.3",
                     "options": ["map", [["foo", "bar"]]]}}]"#,
    ]));
    let dps = server.dump::<sb::DatapathBinding>("OVN_Southbound");
    let [(dp, row)] = &dps[..] else {
        panic!("expected one datapath, got {dps:?}")
    };
    assert_eq!(dp.tunnel_key, 7);
    assert_eq!(dp.external_ids["name"], "sw0");
    assert_eq!(&dp.to_row(), row);
    let groups = server.dump::<sb::LogicalDpGroup>("OVN_Southbound");
    let [(group, row)] = &groups[..] else {
        panic!("expected one datapath group, got {groups:?}")
    };
    assert_eq!(group.datapaths, vec![dp.uuid]);
    assert_eq!(&group.to_row(), row);
    let flows = server.dump::<sb::LogicalFlow>("OVN_Southbound");
    let [(flow, row)] = &flows[..] else {
        panic!("expected one logical flow, got {flows:?}")
    };
    assert_eq!(flow.logical_datapath, None);
    assert_eq!(flow.logical_dp_group, Some(group.uuid));
    assert_eq!((flow.table_id, flow.priority), (8, 50));
    assert_eq!(flow.match_, "eth.mcast");
    assert_eq!(flow.actions, "outport = \"_MC_flood\"; output;");
    assert_eq!(flow.external_ids["stage-name"], "ls_in_l2_lkup");
    assert_eq!(&flow.to_row(), row);
    let pbs = server.dump::<sb::PortBinding>("OVN_Southbound");
    let [(pb, row)] = &pbs[..] else {
        panic!("expected one port binding, got {pbs:?}")
    };
    assert_eq!(pb.logical_port, "p1");
    assert_eq!(pb.datapath, dp.uuid);
    assert_eq!(pb.tunnel_key, 1);
    assert_eq!(pb.chassis, None);
    assert_eq!(pb.mac, vec!["0a:58:0a:00:00:03 10.0.0.3".to_owned()]);
    assert_eq!(pb.options["foo"], "bar");
    assert_eq!(&pb.to_row(), row);
}
