//! `QoS` → [`QosRule`].

use northflow_ir::diag::Diagnostic;
use northflow_ir::nb::Qos;
use northflow_ir::row::Table;
use northflow_ir::switch::QosRule;

/// The largest DSCP value (six bits).
const MAX_DSCP: i64 = 63;

/// `None` (with a diagnostic) for a rule ovn-northd could not have accepted:
/// the schema bounds priority to 0..=32767 and direction to two values.
pub fn qos(row: &Qos, diags: &mut Vec<Diagnostic>) -> Option<QosRule> {
    let diag = |column: &str, m: String| Diagnostic::new(Qos::TABLE, row.uuid, column, m);
    let Ok(priority) = u16::try_from(row.priority) else {
        diags.push(diag(
            "priority",
            format!("priority {} out of range: rule skipped", row.priority),
        ));
        return None;
    };
    let ingress = match row.direction.as_str() {
        "from-lport" => true,
        "to-lport" => false,
        other => {
            diags.push(diag(
                "direction",
                format!("unknown direction {other:?}: rule skipped"),
            ));
            return None;
        }
    };
    let dscp = row.action.get("dscp").copied();
    if let Some(d) = dscp.filter(|d| *d > MAX_DSCP) {
        diags.push(diag(
            "action",
            format!("dscp {d} is above {MAX_DSCP}: not marked"),
        ));
    }
    Some(QosRule {
        uuid: row.uuid,
        priority,
        ingress,
        match_: row.match_.clone(),
        dscp: dscp.filter(|d| *d <= MAX_DSCP),
        mark: row.action.get("mark").copied(),
        rate: row.bandwidth.get("rate").copied().unwrap_or(0),
        burst: row.bandwidth.get("burst").copied().unwrap_or(0),
    })
}
