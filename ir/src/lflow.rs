//! Logical flows: what the passes produce and `Logical_Flow` rows hold.

use northflow_ovsdb::Uuid;

use crate::intern::{Internable, Interned, Pool, Text};
use crate::stage::Stage;

/// One logical flow, without its datapath. ovn-northd identifies a flow by
/// (stage, priority, match, actions, controller meter, description) and puts identical
/// flows of several datapaths into one row with a `Logical_DP_Group`; the
/// field order here makes that identity the sort order.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct LogicalFlow {
    pub stage: Stage,
    pub priority: u16,
    pub match_: Text,
    pub actions: Text,
    pub controller_meter: Option<Text>,
    /// What the flow is for, in words (`flow_desc`; ovn-northd writes it on
    /// some drop flows).
    pub desc: Option<Text>,
    /// The port the flow is about (`tags:in_out_port`): ovn-controller only
    /// installs it where that port is relevant.
    pub io_port: Option<Text>,
    /// The Northbound row the flow came from (`external_ids:stage-hint`).
    pub hint: Option<StageHint>,
}

/// The Northbound row a flow came from, as `external_ids:stage-hint` names
/// it: the first 32 bits of its UUID (eight hex digits). A quarter of a
/// UUID's size, in every flow pair and placement; ordered as the UUIDs
/// they come from.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct StageHint(pub u32);

impl StageHint {
    pub fn of(row: Uuid) -> StageHint {
        StageHint((row.0 >> 96) as u32)
    }
}

impl std::fmt::Display for StageHint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:08x}", self.0)
    }
}

impl LogicalFlow {
    pub fn new(
        stage: Stage,
        priority: u16,
        match_: impl AsRef<str>,
        actions: impl AsRef<str>,
    ) -> Self {
        LogicalFlow {
            stage,
            priority,
            match_: Text::from(match_.as_ref()),
            actions: Text::from(actions.as_ref()),
            controller_meter: None,
            desc: None,
            io_port: None,
            hint: None,
        }
    }

    pub fn with_hint(mut self, row: Uuid) -> Self {
        self.hint = Some(StageHint::of(row));
        self
    }

    pub fn with_io_port(mut self, port: &str) -> Self {
        self.io_port = Some(Text::from(port));
        self
    }

    pub fn with_desc(mut self, desc: &str) -> Self {
        self.desc = Some(Text::from(desc));
        self
    }

    pub fn with_meter(mut self, meter: Option<&str>) -> Self {
        self.controller_meter = meter.map(Text::from);
        self
    }

    /// The `ovn-sbctl lflow-list` line for this flow (without the
    /// trailing `uuid`-less datapath header).
    pub fn lflow_list_line(&self) -> String {
        let table = format!("table={:<2}({:<19})", self.stage.table(), self.stage.name());
        format!(
            "  {table}, priority={:<5}, match=({}), action=({})",
            self.priority, self.match_, self.actions
        )
    }
}

/// Where a flow names a port's tunnel key (`ct_mark.ecmp_reply_port`):
/// the keys are chosen when the Southbound is written, so the flow carries
/// this reference until then, `{{tunnel_key "<port>"}}` (a form no OVN
/// match or action has).
pub fn port_key_ref(port: &str) -> String {
    format!("{{{{tunnel_key {}}}}}", crate::quote::json_string(port))
}

const KEY_REF_OPEN: &str = "{{tunnel_key ";

/// Whether `text` holds a [`port_key_ref`].
pub fn has_port_key_ref(text: &str) -> bool {
    text.contains(KEY_REF_OPEN)
}

/// `text` with every [`port_key_ref`] replaced by the port's key; `None`
/// when a port has none (yet).
pub fn resolve_port_key_refs(text: &str, key: impl Fn(&str) -> Option<i64>) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(KEY_REF_OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + KEY_REF_OPEN.len()..];
        let end = after.find("}}")?;
        let name: String = serde_json::from_str(&after[..end]).ok()?;
        out.push_str(&key(&name)?.to_string());
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Some(out)
}

/// A logical flow, hash-consed: identical flows of different datapaths (or
/// built by different passes) are one value. Built without its hint.
pub type Flow = Interned<LogicalFlow>;

static FLOWS: Pool<LogicalFlow> = Pool::new();

impl Internable for LogicalFlow {
    fn pool() -> &'static Pool<LogicalFlow> {
        &FLOWS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_key_refs_resolve_by_name() {
        let text = format!(
            "ct_mark.ecmp_reply_port = {};}}; output;",
            port_key_ref("lr\"p0")
        );
        assert!(has_port_key_ref(&text));
        let resolved = resolve_port_key_refs(&text, |p| (p == "lr\"p0").then_some(7));
        assert_eq!(
            resolved.as_deref(),
            Some("ct_mark.ecmp_reply_port = 7;}; output;")
        );
        assert_eq!(resolve_port_key_refs(&text, |_| None), None);
        assert_eq!(
            resolve_port_key_refs("next;", |_| None).as_deref(),
            Some("next;")
        );
    }

    #[test]
    fn lflow_list_format() {
        let f = LogicalFlow::new(
            Stage::LsInL2Lkup,
            50,
            "eth.dst == 0a:58:0a:00:00:03",
            r#"outport = "p1"; output;"#,
        );
        assert_eq!(
            f.lflow_list_line(),
            r#"  table=32(ls_in_l2_lkup      ), priority=50   , match=(eth.dst == 0a:58:0a:00:00:03), action=(outport = "p1"; output;)"#
        );
        let f = LogicalFlow::new(Stage::LsOutCheckPortSec, 0, "1", "next;");
        assert_eq!(
            f.lflow_list_line(),
            "  table=14(ls_out_check_port_sec), priority=0    , match=(1), action=(next;)"
        );
    }
}
