//! `ls_in_mirror`, `ls_out_mirror`: port mirroring. Mirror rules are not
//! compiled yet; every switch gets the defaults.

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::stage::Stage;

pub(super) fn switch_flows(out: &mut Vec<LogicalFlow>) {
    for stage in [Stage::LsInMirror, Stage::LsOutMirror] {
        out.push(LogicalFlow::new(stage, 0, "1", "next;"));
    }
}
