//! OVSDB JSON dumps → normalized, comparable images.
//!
//! An [`Image`] is, per table, a list of text lines, one per row (one per
//! (flow, datapath) pair for `Logical_Flow`), in a stable order. Two runs of
//! any correct Southbound writer over the same Northbound give equal images:
//!
//! - `_uuid` and `_version` are dropped;
//! - a reference to another row is replaced by a stable label of that row:
//!   `Datapath_Binding("<external_ids:name>")`, `Port_Binding("<logical_port>")`,
//!   `Chassis("<name>")`, `RBAC_Permission("<table>")`, `Meter("<name>")`,
//!   `Logical_DP_Group(["<dp>",…])` (sorted datapath names); any other
//!   table: `Table{<the referenced row's normalized text>}`; a UUID that
//!   names no row of the dump (`Datapath_Binding.nb_uuid`, a Northbound
//!   UUID, or a broken reference) stays visible as `<dangling UUID>`;
//! - `Logical_Flow` rows are expanded per datapath (the `logical_datapath`,
//!   or each member of the `logical_dp_group`) into
//!   `<dp> <pipeline> table=<id> priority=<p> match=(<m>) action=(<a>)`
//!   [` controller_meter=<m>`] [` tags=<map>`] [` flow_desc=<d>`]; `external_ids` (hints) are
//!   ignored;
//! - route table ids (`reg7`), policy chain ids (`reg9[16..31]`) and ECMP
//!   group and member ids are renumbered canonically (see
//!   `IdField::renumber` and `renumber_ecmp`: ovn-northd's numbering
//!   follows its hash maps);
//! - a port tunnel key in a flow's text (`ct_mark.ecmp_reply_port = <key>`)
//!   becomes the port's name, `<key of "<logical_port>">`, looked up among
//!   the flow's datapath's `Port_Binding`s (each writer picks its own keys);
//! - `tunnel_key` of `Datapath_Binding` and `Port_Binding` is left out but
//!   checked ([`Image::key_errors`]); `Multicast_Group` keys are kept (northd
//!   uses fixed values) and range-checked;
//! - `Logical_DP_Group` rows become their sorted datapath-name lists (a
//!   multiset of lists);
//! - every other row is rendered generically: `col=value` pairs, a few
//!   identifying columns first and the rest sorted by name, empty sets and
//!   maps left out; strings JSON-quoted, sets `[a,b]` and maps `{k:v}` with
//!   their elements sorted by their rendering.
//!
//! The Northbound image ([`nb_image`]) is the generic rendering of every NB
//! row with its `_uuid` kept (both images always come from the same NB
//! database) and NB_Global's `*_timestamp` columns dropped.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use serde_json::Value;

/// One row: column name → OVSDB JSON datum.
pub type Row = BTreeMap<String, Value>;

/// One table of a dump.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
}

impl Table {
    /// Rows keyed by their `_uuid`.
    pub fn rows_by_uuid(&self) -> BTreeMap<String, &Row> {
        self.rows
            .iter()
            .filter_map(|r| Some((uuid_of(r.get("_uuid")?)?.to_string(), r)))
            .collect()
    }
}

/// A parsed `ovsdb-client -f json dump`.
#[derive(Clone, Debug, Default)]
pub struct Dump {
    pub tables: BTreeMap<String, Table>,
}

impl Dump {
    /// Parses the output of `ovsdb-client -f json dump` (one JSON object
    /// `{"caption": "<T> table", "headings": [...], "data": [[...]...]}` per
    /// table).
    pub fn parse(text: &str) -> Result<Dump, String> {
        let mut tables = BTreeMap::new();
        for obj in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
            let obj = obj.map_err(|e| e.to_string())?;
            let caption = obj["caption"].as_str().ok_or("table without caption")?;
            let name = caption
                .strip_suffix(" table")
                .unwrap_or(caption)
                .to_string();
            let columns: Vec<String> = obj["headings"]
                .as_array()
                .ok_or("table without headings")?
                .iter()
                .map(|h| h.as_str().unwrap_or_default().to_string())
                .collect();
            let mut rows = Vec::new();
            for r in obj["data"].as_array().ok_or("table without data")? {
                let cells = r.as_array().ok_or("row is not an array")?;
                if cells.len() != columns.len() {
                    return Err(format!(
                        "{name}: row has {} cells, want {}",
                        cells.len(),
                        columns.len()
                    ));
                }
                rows.push(columns.iter().cloned().zip(cells.iter().cloned()).collect());
            }
            tables.insert(name, Table { columns, rows });
        }
        if tables.is_empty() {
            return Err("empty dump".into());
        }
        Ok(Dump { tables })
    }

    /// The rows of `table` (empty if the table is absent).
    pub fn rows(&self, table: &str) -> &[Row] {
        self.tables
            .get(table)
            .map(|t| t.rows.as_slice())
            .unwrap_or(&[])
    }
}

/// A normalized database: per table, its rows as text lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Image {
    /// Table → lines in a stable order (sorted; `Logical_Flow` in
    /// `ovn-sbctl lflow-list` order: datapath, pipeline, table, priority
    /// descending, match).
    pub tables: BTreeMap<String, Vec<String>>,
    /// Tunnel keys that are out of range or not unique.
    pub key_errors: Vec<String>,
}

impl Image {
    /// The lines of `table` (empty if none).
    pub fn lines(&self, table: &str) -> &[String] {
        self.tables.get(table).map(|v| v.as_slice()).unwrap_or(&[])
    }

    /// Number of non-empty tables.
    pub fn non_empty_tables(&self) -> usize {
        self.tables.values().filter(|v| !v.is_empty()).count()
    }
}

/// The uuid string of a `["uuid", "<u>"]` atom.
pub fn uuid_of(v: &Value) -> Option<&str> {
    match v.as_array().map(|a| a.as_slice()) {
        Some([tag, Value::String(u)]) if tag == "uuid" => Some(u),
        _ => None,
    }
}

/// The atoms of a datum: the elements of a set, or the datum itself.
pub fn atoms(v: &Value) -> Vec<&Value> {
    match v.as_array().map(|a| a.as_slice()) {
        Some([tag, Value::Array(elems)]) if tag == "set" => elems.iter().collect(),
        _ => vec![v],
    }
}

/// The uuids referenced by a (set) datum.
fn uuids(v: &Value) -> Vec<&str> {
    atoms(v).into_iter().filter_map(uuid_of).collect()
}

/// The value of string-keyed `key` in a map datum.
pub fn map_get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    match v.as_array().map(|a| a.as_slice()) {
        Some([tag, Value::Array(pairs)]) if tag == "map" => {
            pairs
                .iter()
                .find_map(|p| match p.as_array().map(|a| a.as_slice()) {
                    Some([Value::String(k), v]) if k == key => Some(v),
                    _ => None,
                })
        }
        _ => None,
    }
}

/// Columns rendered first, in this order, for readability.
fn lead_columns(table: &str) -> &'static [&'static str] {
    match table {
        "Port_Binding" => &["logical_port", "datapath", "type"],
        "Multicast_Group" => &["datapath", "name"],
        "IP_Multicast" | "IGMP_Group" | "MAC_Binding" | "Static_MAC_Binding" => &["datapath"],
        "RBAC_Permission" => &["table"],
        "Logical_Switch_Port"
        | "Logical_Switch"
        | "Logical_Router"
        | "Logical_Router_Port"
        | "RBAC_Role"
        | "DHCP_Options"
        | "DHCPv6_Options"
        | "Address_Set"
        | "Port_Group"
        | "Meter"
        | "Chassis"
        | "Load_Balancer"
        | "HA_Chassis_Group"
        | "Gateway_Chassis" => &["name"],
        _ => &[],
    }
}

/// How uuid references are rendered.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Refs {
    /// By a stable label of the referenced row (Southbound).
    Label,
    /// As the raw uuid (Northbound: both images come from one database).
    Raw,
}

const MAX_DEPTH: usize = 4;

struct Ctx<'a> {
    index: HashMap<&'a str, (&'a str, &'a Row)>,
    refs: Refs,
}

impl<'a> Ctx<'a> {
    fn new(d: &'a Dump, refs: Refs) -> Self {
        let mut index = HashMap::new();
        for (tname, t) in &d.tables {
            for r in &t.rows {
                if let Some(u) = r.get("_uuid").and_then(uuid_of) {
                    index.insert(u, (tname.as_str(), r));
                }
            }
        }
        Ctx { index, refs }
    }

    /// The name of a datapath (its `external_ids:name`), raw.
    fn dp_name(&self, uuid: &str) -> String {
        match self.index.get(uuid) {
            Some(("Datapath_Binding", row)) => {
                match row.get("external_ids").and_then(|e| map_get(e, "name")) {
                    Some(Value::String(n)) => n.clone(),
                    _ => format!(
                        "<unnamed {}>",
                        self.row_text("Datapath_Binding", row, &["tunnel_key"], 1)
                    ),
                }
            }
            Some((t, _)) => format!("<not a datapath: {t}>"),
            None => format!("<dangling {uuid}>"),
        }
    }

    /// The sorted datapath names of a Logical_DP_Group row.
    fn group_names(&self, row: &Row) -> Vec<String> {
        let mut names: Vec<String> = row
            .get("datapaths")
            .map(|v| uuids(v).into_iter().map(|u| self.dp_name(u)).collect())
            .unwrap_or_default();
        names.sort();
        names
    }

    fn label(&self, uuid: &str, depth: usize) -> String {
        if self.refs == Refs::Raw {
            return uuid.to_string();
        }
        let Some((table, row)) = self.index.get(uuid) else {
            return format!("<dangling {uuid}>");
        };
        let by = |col: &str| -> String {
            match row.get(col) {
                Some(v) => format!("{table}({})", self.datum(v, depth + 1)),
                None => format!("{table}(<no {col}>)"),
            }
        };
        match *table {
            "Datapath_Binding" => format!("{table}({})", quote(&self.dp_name(uuid))),
            "Port_Binding" => by("logical_port"),
            "Chassis" | "Meter" => by("name"),
            "RBAC_Permission" => by("table"),
            "Logical_DP_Group" => {
                let names: Vec<String> = self.group_names(row).iter().map(|n| quote(n)).collect();
                format!("{table}([{}])", names.join(","))
            }
            _ if depth >= MAX_DEPTH => format!("{table}{{…}}"),
            _ => format!("{table}{{{}}}", self.row_text(table, row, &[], depth + 1)),
        }
    }

    fn atom(&self, v: &Value, depth: usize) -> String {
        if let Some(u) = uuid_of(v) {
            return self.label(u, depth);
        }
        match v {
            Value::String(s) => quote(s),
            other => other.to_string(),
        }
    }

    /// Canonical text of a datum: sets and maps sorted by rendering.
    fn datum(&self, v: &Value, depth: usize) -> String {
        match v.as_array().map(|a| a.as_slice()) {
            Some([tag, Value::Array(elems)]) if tag == "set" => {
                let mut items: Vec<String> = elems.iter().map(|e| self.atom(e, depth)).collect();
                items.sort();
                format!("[{}]", items.join(","))
            }
            Some([tag, Value::Array(pairs)]) if tag == "map" => {
                let mut items: Vec<String> = pairs
                    .iter()
                    .map(|p| match p.as_array().map(|a| a.as_slice()) {
                        Some([k, v]) => format!("{}:{}", self.atom(k, depth), self.atom(v, depth)),
                        _ => format!("<bad pair {p}>"),
                    })
                    .collect();
                items.sort();
                format!("{{{}}}", items.join(","))
            }
            _ => self.atom(v, depth),
        }
    }

    /// `col=value …` for a row: lead columns first, then the others sorted;
    /// `_uuid` (unless raw refs), `_version`, `skip` and empty sets/maps
    /// left out.
    fn row_text(&self, table: &str, row: &Row, skip: &[&str], depth: usize) -> String {
        let lead = lead_columns(table);
        let mut cols: Vec<&String> = row
            .keys()
            .filter(|c| {
                c.as_str() != "_version"
                    && !(c.as_str() == "_uuid" && self.refs == Refs::Label)
                    && !skip.contains(&c.as_str())
            })
            .collect();
        cols.sort_by_key(|c| {
            (
                lead.iter().position(|l| l == c).unwrap_or(usize::MAX),
                c.as_str(),
            )
        });
        let mut s = String::new();
        for c in cols {
            let v = &row[c];
            if is_empty_datum(v) {
                continue;
            }
            let text = if c == "_uuid" {
                uuid_of(v).unwrap_or("?").to_string()
            } else {
                self.datum(v, depth)
            };
            if !s.is_empty() {
                s.push(' ');
            }
            let _ = write!(s, "{c}={text}");
        }
        s
    }
}

fn is_empty_datum(v: &Value) -> bool {
    matches!(v.as_array().map(|a| a.as_slice()),
        Some([tag, Value::Array(e)]) if (tag == "set" || tag == "map") && e.is_empty())
}

/// JSON string quoting.
fn quote(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

fn int_of(v: Option<&Value>) -> Option<i64> {
    v.and_then(|v| atoms(v).first().and_then(|a| a.as_i64()))
}

/// Normalizes a Southbound dump (see the module docs).
pub fn sb_image(d: &Dump) -> Image {
    let ctx = Ctx::new(d, Refs::Label);
    let mut img = Image {
        key_errors: check_keys(d, &ctx),
        ..Image::default()
    };
    for (tname, t) in &d.tables {
        let lines = match tname.as_str() {
            "Logical_Flow" => logical_flow_lines(&ctx, &t.rows, d.rows("Port_Binding")),
            "Logical_DP_Group" => sorted(t.rows.iter().map(|r| {
                let names: Vec<String> = ctx.group_names(r).iter().map(|n| quote(n)).collect();
                format!("[{}]", names.join(","))
            })),
            "Datapath_Binding" | "Port_Binding" => sorted(
                t.rows
                    .iter()
                    .map(|r| ctx.row_text(tname, r, &["tunnel_key"], 0)),
            ),
            _ => sorted(t.rows.iter().map(|r| ctx.row_text(tname, r, &[], 0))),
        };
        img.tables.insert(tname.clone(), lines);
    }
    img
}

/// Normalizes a Northbound dump: every row generically, `_uuid` kept, uuid
/// references raw, NB_Global `*_timestamp` columns dropped.
pub fn nb_image(d: &Dump) -> Image {
    let ctx = Ctx::new(d, Refs::Raw);
    let mut img = Image::default();
    for (tname, t) in &d.tables {
        let skip: Vec<&str> = if tname == "NB_Global" {
            t.columns
                .iter()
                .map(|c| c.as_str())
                .filter(|c| c.ends_with("_timestamp"))
                .collect()
        } else {
            Vec::new()
        };
        img.tables.insert(
            tname.clone(),
            sorted(t.rows.iter().map(|r| ctx.row_text(tname, r, &skip, 0))),
        );
    }
    img
}

fn sorted(it: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = it.collect();
    v.sort();
    v
}

/// Sort key of a flow line: datapath, pipeline (ingress first), table,
/// priority (descending), match, actions.
type FlowKey = (String, bool, i64, std::cmp::Reverse<i64>, String, String);

fn logical_flow_lines(ctx: &Ctx<'_>, rows: &[Row], ports: &[Row]) -> Vec<String> {
    // (datapath UUID, tunnel key) → logical port.
    let port_keys: HashMap<(&str, i64), &str> = ports
        .iter()
        .filter_map(|p| {
            let dp = uuids(p.get("datapath")?).first().copied()?;
            Some((
                (dp, int_of(p.get("tunnel_key"))?),
                p.get("logical_port")?.as_str()?,
            ))
        })
        .collect();
    // Each (flow, datapath) pair: its key, and the columns after the action.
    let mut out: Vec<(FlowKey, String)> = Vec::new();
    for r in rows {
        let s = |c: &str| {
            r.get(c)
                .and_then(|v| v.as_str())
                .unwrap_or("<missing>")
                .to_string()
        };
        let pipeline = s("pipeline");
        let table_id = int_of(r.get("table_id")).unwrap_or(-1);
        let priority = int_of(r.get("priority")).unwrap_or(-1);
        let m = s("match");
        let a = s("actions");
        let mut tail = String::new();
        if let Some(v) = r.get("controller_meter").filter(|v| !is_empty_datum(v)) {
            let _ = write!(tail, " controller_meter={}", ctx.datum(v, 0));
        }
        if let Some(v) = r.get("tags").filter(|v| !is_empty_datum(v)) {
            let _ = write!(tail, " tags={}", ctx.datum(v, 0));
        }
        if let Some(v) = r.get("flow_desc").filter(|v| !is_empty_datum(v)) {
            let _ = write!(tail, " flow_desc={}", ctx.datum(v, 0));
        }
        let dp_uuids: Vec<&str> = r.get("logical_datapath").map(uuids).unwrap_or_default();
        let (m, a) = match dp_uuids.as_slice() {
            [dp] => {
                let name_of = |key| port_keys.get(&(*dp, key)).copied();
                (port_keys_named(&m, name_of), port_keys_named(&a, name_of))
            }
            _ => (m, a),
        };
        let mut dps: Vec<String> = dp_uuids.iter().map(|u| ctx.dp_name(u)).collect();
        for g in r.get("logical_dp_group").map(uuids).unwrap_or_default() {
            match ctx.index.get(g) {
                Some(("Logical_DP_Group", grow)) => dps.extend(ctx.group_names(grow)),
                _ => dps.push(format!("<bad group {}>", ctx.label(g, 0))),
            }
        }
        if dps.is_empty() {
            dps.push("<no datapath>".into());
        }
        for dp in dps {
            let key = (
                dp,
                pipeline == "egress",
                table_id,
                std::cmp::Reverse(priority),
                m.clone(),
                a.clone(),
            );
            out.push((key, tail.clone()));
        }
    }
    ROUTE_TABLE.renumber(&mut out);
    POLICY_CHAIN.renumber(&mut out);
    renumber_ecmp(&mut out);
    out.sort();
    out.into_iter()
        .map(|((dp, egress, table_id, priority, m, a), tail)| {
            let pipeline = if egress { "egress" } else { "ingress" };
            format!(
                "{dp} {pipeline} table={table_id} priority={} match=({m}) action=({a}){tail}",
                priority.0
            )
        })
        .collect()
}

/// A register that holds an id ovn-northd numbers in its hash maps'
/// order, as flows name it: in a match (`<match_prefix>N<match_follow>…`)
/// and at the start of an action (`<action_prefix>N<action_follow>…`).
struct IdField {
    match_prefix: &'static str,
    match_follow: &'static str,
    action_prefix: &'static str,
    action_follow: &'static str,
}

/// Route tables (`reg7`): `reg7 == N && ip4.dst == …`, `reg7 = N; next;`.
const ROUTE_TABLE: IdField = IdField {
    match_prefix: "reg7 == ",
    match_follow: " && ip",
    action_prefix: "reg7 = ",
    action_follow: "; next;",
};

/// Policy chains (`reg9[16..31]`): `reg9[16..31] == N && (…)`,
/// `reg9[16..31]=N; next(pipeline=ingress, table=…);`.
const POLICY_CHAIN: IdField = IdField {
    match_prefix: "reg9[16..31] == ",
    match_follow: " && (",
    action_prefix: "reg9[16..31]=",
    action_follow: "; next(pipeline=ingress",
};

impl IdField {
    /// The ids `text` names (N > 0), each as (byte range of N, N).
    fn ids(&self, text: &str, in_match: bool) -> Vec<(std::ops::Range<usize>, i64)> {
        let (prefix, follow) = match in_match {
            true => (self.match_prefix, self.match_follow),
            false => (self.action_prefix, self.action_follow),
        };
        let mut out = Vec::new();
        for (at, _) in text.match_indices(prefix) {
            if !in_match && at > 0 {
                continue;
            }
            let start = at + prefix.len();
            let rest = &text[start..];
            let len = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            match rest[..len].parse::<i64>() {
                Ok(n) if n > 0 && rest[len..].starts_with(follow) => {
                    out.push((start..start + len, n))
                }
                _ => {}
            }
        }
        out
    }

    /// `text` with each id replaced by `f(id)`.
    fn rewrite(&self, text: &str, in_match: bool, f: impl Fn(i64) -> String) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (range, n) in self.ids(text, in_match) {
            out.push_str(&text[last..range.start]);
            out.push_str(&f(n));
            last = range.end;
        }
        out.push_str(&text[last..]);
        out
    }

    /// Ids renumbered canonically per datapath: each id is known by the
    /// (sorted) flows that name it, written with that id as `#` and any
    /// other as `*`; ids are numbered in the order of those signatures.
    /// What is compared is which flows each id's table or chain holds.
    fn renumber(&self, flows: &mut [(FlowKey, String)]) {
        type Signature = Vec<(i64, i64, String, String)>;
        let mut sigs: BTreeMap<(String, i64), Signature> = BTreeMap::new();
        for ((dp, egress, table, priority, m, a), _) in flows.iter() {
            if *egress {
                continue;
            }
            let named: BTreeSet<i64> = self
                .ids(m, true)
                .into_iter()
                .chain(self.ids(a, false))
                .map(|(_, n)| n)
                .collect();
            for n in named {
                let mark = |id: i64| if id == n { "#" } else { "*" }.to_owned();
                sigs.entry((dp.clone(), n)).or_default().push((
                    *table,
                    priority.0,
                    self.rewrite(m, true, mark),
                    self.rewrite(a, false, mark),
                ));
            }
        }
        let mut by_dp: BTreeMap<String, Vec<(Signature, i64)>> = BTreeMap::new();
        for ((dp, n), mut sig) in sigs {
            sig.sort();
            by_dp.entry(dp).or_default().push((sig, n));
        }
        let mut ids: HashMap<(String, i64), i64> = HashMap::new();
        for (dp, mut ts) in by_dp {
            ts.sort();
            for (new, (_, n)) in ts.into_iter().enumerate() {
                ids.insert((dp.clone(), n), new as i64 + 1);
            }
        }
        for ((dp, egress, _, _, m, a), _) in flows.iter_mut() {
            if *egress {
                continue;
            }
            let new = |n: i64| ids.get(&(dp.clone(), n)).copied().unwrap_or(n).to_string();
            *m = self.rewrite(m, true, new);
            *a = self.rewrite(a, false, new);
        }
    }
}

const ECMP_GROUP: &str = "reg8[0..15]";
const ECMP_MEMBER: &str = "reg8[16..31]";

/// The group an action puts the packet in (`reg8[0..15] = G; reg8[16..31]
/// = …`), G > 0.
fn ecmp_group_set(action: &str) -> Option<i64> {
    let at = action.find(&format!("{ECMP_GROUP} = "))? + ECMP_GROUP.len() + 3;
    let digits: String = action[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let rest = &action[at + digits.len()..];
    let g = digits.parse().ok().filter(|g| *g > 0)?;
    rest.starts_with(&format!("; {ECMP_MEMBER} = "))
        .then_some(g)
}

/// A member flow's match: `reg8[0..15] == G && reg8[16..31] == M`.
fn ecmp_member_match(m: &str) -> Option<(i64, i64)> {
    let rest = m.strip_prefix(&format!("{ECMP_GROUP} == "))?;
    let (g, rest) = rest.split_once(" && ")?;
    let member = rest.strip_prefix(&format!("{ECMP_MEMBER} == "))?;
    Some((g.parse().ok()?, member.parse().ok()?))
}

/// ECMP group and member ids renumbered canonically, per datapath and
/// stage: groups in the order of their routing (or policy) flows' (priority,
/// match), members of a group in the order of their actions. ovn-northd
/// numbers both in the iteration order of its hash maps (which depends on
/// every route of every router, and differs after incremental changes), so
/// what is compared is which flows form a group and what each member does.
fn renumber_ecmp(flows: &mut [(FlowKey, String)]) {
    // (datapath, stage of the group's flow, group) → its flows / members.
    let mut groups: BTreeMap<(String, i64, i64), Vec<(i64, String)>> = BTreeMap::new();
    let mut members: BTreeMap<(String, i64, i64), Vec<(String, i64)>> = BTreeMap::new();
    for ((dp, egress, table, priority, m, a), _) in flows.iter() {
        if *egress {
            continue;
        }
        if let Some(g) = ecmp_group_set(a) {
            groups
                .entry((dp.clone(), *table, g))
                .or_default()
                .push((priority.0, m.clone()));
        }
        if let Some((g, member)) = ecmp_member_match(m) {
            members
                .entry((dp.clone(), *table - 1, g))
                .or_default()
                .push((a.clone(), member));
        }
    }
    // (datapath, stage) → each group's sorted (priority, match) list, and id.
    type Groups = Vec<(Vec<(i64, String)>, i64)>;
    let mut by_stage: BTreeMap<(String, i64), Groups> = BTreeMap::new();
    for ((dp, table, g), mut key) in groups {
        key.sort();
        by_stage.entry((dp, table)).or_default().push((key, g));
    }
    let mut group_ids: HashMap<(String, i64, i64), i64> = HashMap::new();
    for ((dp, table), mut gs) in by_stage {
        gs.sort();
        for (n, (_, g)) in gs.into_iter().enumerate() {
            group_ids.insert((dp.clone(), table, g), n as i64 + 1);
        }
    }
    let mut member_ids: HashMap<(String, i64, i64, i64), i64> = HashMap::new();
    for ((dp, table, g), mut ms) in members {
        ms.sort();
        for (n, (_, member)) in ms.into_iter().enumerate() {
            member_ids.insert((dp.clone(), table, g, member), n as i64 + 1);
        }
    }
    for ((dp, egress, table, _, m, a), _) in flows.iter_mut() {
        if *egress {
            continue;
        }
        if let Some(g) = ecmp_group_set(a) {
            if let Some(new) = group_ids.get(&(dp.clone(), *table, g)) {
                *a = a.replacen(
                    &format!("{ECMP_GROUP} = {g};"),
                    &format!("{ECMP_GROUP} = {new};"),
                    1,
                );
            }
        }
        if let Some((g, member)) = ecmp_member_match(m) {
            let key = (dp.clone(), *table - 1, g);
            if let (Some(new_g), Some(new_m)) = (
                group_ids.get(&key),
                member_ids.get(&(dp.clone(), *table - 1, g, member)),
            ) {
                *m = format!("{ECMP_GROUP} == {new_g} && {ECMP_MEMBER} == {new_m}");
            }
        }
    }
}

/// `text` with the number after each `ecmp_reply_port = ` / `== ` replaced
/// by the name of the port that has that key.
fn port_keys_named<'a>(text: &str, name_of: impl Fn(i64) -> Option<&'a str>) -> String {
    const FIELD: &str = "ecmp_reply_port";
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(FIELD) {
        let after = &rest[at + FIELD.len()..];
        let op_len = [" == ", " = "]
            .iter()
            .find(|op| after.starts_with(**op))
            .map(|op| op.len());
        let digits = op_len.map(|n| after[n..].chars().take_while(char::is_ascii_digit).count());
        match (op_len, digits) {
            (Some(n), Some(d)) if d > 0 => {
                let key: i64 = after[n..n + d].parse().unwrap_or(-1);
                out.push_str(&rest[..at + FIELD.len() + n]);
                match name_of(key) {
                    Some(name) => out.push_str(&format!("<key of {name:?}>")),
                    None => out.push_str(&format!("<key {key} of no port>")),
                }
                rest = &after[n + d..];
            }
            _ => {
                out.push_str(&rest[..at + FIELD.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Tunnel-key validity: datapath keys unique and in 1..=16777215; port keys
/// unique per datapath and in 1..=32767; multicast-group keys unique per
/// datapath and in 32768..=65535.
fn check_keys(d: &Dump, ctx: &Ctx<'_>) -> Vec<String> {
    let mut errs = Vec::new();
    let mut dp_keys: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for r in d.rows("Datapath_Binding") {
        let name = r
            .get("_uuid")
            .and_then(uuid_of)
            .map(|u| ctx.dp_name(u))
            .unwrap_or_default();
        match int_of(r.get("tunnel_key")) {
            Some(k) if (1..=16_777_215).contains(&k) => dp_keys.entry(k).or_default().push(name),
            k => errs.push(format!(
                "Datapath_Binding {name:?}: tunnel_key {k:?} not in 1..=16777215"
            )),
        }
    }
    for (k, names) in dp_keys {
        if names.len() > 1 {
            errs.push(format!(
                "Datapath_Binding tunnel_key {k} shared by {names:?}"
            ));
        }
    }
    for (table, what, range) in [
        ("Port_Binding", "logical_port", 1..=32_767),
        ("Multicast_Group", "name", 32_768..=65_535),
    ] {
        let mut keys: BTreeMap<(String, i64), Vec<String>> = BTreeMap::new();
        for r in d.rows(table) {
            let dp = r
                .get("datapath")
                .and_then(|v| uuids(v).first().map(|u| ctx.dp_name(u)))
                .unwrap_or_else(|| "<no datapath>".into());
            let name = r.get(what).map(|v| ctx.datum(v, 0)).unwrap_or_default();
            match int_of(r.get("tunnel_key")) {
                Some(k) if range.contains(&k) => keys.entry((dp, k)).or_default().push(name),
                k => errs.push(format!(
                    "{table} {name} on {dp:?}: tunnel_key {k:?} not in {}..={}",
                    range.start(),
                    range.end()
                )),
            }
        }
        for ((dp, k), names) in keys {
            if names.len() > 1 {
                errs.push(format!(
                    "{table} tunnel_key {k} on {dp:?} shared by [{}]",
                    names.join(", ")
                ));
            }
        }
    }
    errs
}
