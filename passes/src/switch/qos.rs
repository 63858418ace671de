//! `ls_in_qos`, `ls_out_qos`: metering, DSCP and packet marking by `QoS`
//! rules (one flow per rule), and the defaults that let everything else
//! through.

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::stage::Stage;
use northflow_ir::switch::QosRule;

pub(super) fn switch_flows(out: &mut Vec<LogicalFlow>) {
    for stage in [Stage::LsInQos, Stage::LsOutQos] {
        out.push(LogicalFlow::new(stage, 0, "1", "next;"));
    }
}

/// The flow of one QoS rule (on every switch that lists it): the meter
/// first, then the marks, in ovn-northd's order.
pub fn rule_flows(rule: &QosRule, out: &mut Vec<LogicalFlow>) {
    let stage = if rule.ingress {
        Stage::LsInQos
    } else {
        Stage::LsOutQos
    };
    let mut actions = String::new();
    match (rule.rate, rule.burst) {
        (0, _) => {}
        (rate, 0) => actions += &format!("set_meter({rate}); "),
        (rate, burst) => actions += &format!("set_meter({rate}, {burst}); "),
    }
    if let Some(dscp) = rule.dscp {
        actions += &format!("ip.dscp = {dscp}; ");
    }
    if let Some(mark) = rule.mark {
        actions += &format!("pkt.mark = {mark}; ");
    }
    actions += "next;";
    out.push(
        LogicalFlow::new(stage, rule.priority, rule.match_.clone(), actions).with_hint(rule.uuid),
    );
}
