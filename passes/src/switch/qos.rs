//! `ls_*_qos_mark`, `ls_*_qos_meter`: DSCP marking and metering by `QoS`
//! rules, and the defaults that let everything else through.

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::stage::Stage;
use northflow_ir::switch::QosRule;

pub(super) fn switch_flows(out: &mut Vec<LogicalFlow>) {
    for stage in [
        Stage::LsInQosMark,
        Stage::LsOutQosMark,
        Stage::LsInQosMeter,
        Stage::LsOutQosMeter,
    ] {
        out.push(LogicalFlow::new(stage, 0, "1", "next;"));
    }
}

/// The flows of one QoS rule (on every switch that lists it).
pub fn rule_flows(rule: &QosRule, out: &mut Vec<LogicalFlow>) {
    let (mark, meter) = if rule.ingress {
        (Stage::LsInQosMark, Stage::LsInQosMeter)
    } else {
        (Stage::LsOutQosMark, Stage::LsOutQosMeter)
    };
    if let Some(dscp) = rule.dscp {
        out.push(
            LogicalFlow::new(
                mark,
                rule.priority,
                rule.match_.clone(),
                format!("ip.dscp = {dscp}; next;"),
            )
            .with_hint(rule.uuid),
        );
    }
    if rule.rate != 0 {
        let actions = if rule.burst != 0 {
            format!("set_meter({}, {}); next;", rule.rate, rule.burst)
        } else {
            format!("set_meter({}); next;", rule.rate)
        };
        out.push(
            LogicalFlow::new(meter, rule.priority, rule.match_.clone(), actions)
                .with_hint(rule.uuid),
        );
    }
}
