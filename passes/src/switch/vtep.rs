//! Traffic from VTEP gateways ("ramp" switches, `vtep` ports): it skips
//! straight to the L2 lookup (`ls_in_hairpin`), and its ARP requests and
//! neighbour solicitations are never answered by the switch
//! (`ls_in_arp_rsp`). Port security marks it (`port_sec`).

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::stage::Stage;
use northflow_ir::switch::SwitchCtx;

use crate::registers::FROM_RAMP;

pub(super) fn switch_flows(ctx: &SwitchCtx, out: &mut Vec<LogicalFlow>) {
    if !ctx.has_vtep_lports {
        return;
    }
    out.push(LogicalFlow::new(
        Stage::LsInHairpin,
        1000,
        format!("{FROM_RAMP} == 1"),
        format!(
            "next(pipeline=ingress, table={});",
            Stage::LsInL2Lkup.table()
        ),
    ));
    out.push(LogicalFlow::new(
        Stage::LsInArpRsp,
        u16::MAX,
        format!("{FROM_RAMP} == 1 && (arp || nd_ns)"),
        "flags.loopback = 1; next;",
    ));
}
