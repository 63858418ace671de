//! `ls_*_qos_mark`, `ls_*_qos_meter` defaults. QoS rows are not compiled yet.

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::stage::Stage;

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
