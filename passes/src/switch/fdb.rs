//! `ls_in_lookup_fdb`, `ls_in_put_fdb` (and their egress twins for `remote`
//! ports): MAC learning for ports with `unknown` addresses and no port
//! security.

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::stage::Stage;
use northflow_ir::switch::{PortType, SwitchPort};

use super::{port_flow, port_match};
use crate::registers::LKUP_FDB;
use crate::smap::get_bool;

pub(super) fn switch_flows(out: &mut Vec<LogicalFlow>) {
    for stage in [
        Stage::LsInLookupFdb,
        Stage::LsInPutFdb,
        Stage::LsOutLookupFdb,
        Stage::LsOutPutFdb,
    ] {
        out.push(LogicalFlow::new(stage, 0, "1", "next;"));
    }
}

pub(super) fn port_flows(port: &SwitchPort, out: &mut Vec<LogicalFlow>) {
    let can_learn = match port.kind {
        PortType::Vif => get_bool(&port.options, "lsp_learn_fdb", true),
        PortType::Remote | PortType::Switch => true,
        PortType::Localnet => get_bool(&port.options, "localnet_learn_fdb", false),
        _ => false,
    };
    if port.has_port_sec || !port.has_unknown || !can_learn {
        return;
    }
    // A remote port's packets arrive in the egress pipeline.
    let (lookup, put) = if port.kind == PortType::Remote {
        (Stage::LsOutLookupFdb, Stage::LsOutPutFdb)
    } else {
        (Stage::LsInLookupFdb, Stage::LsInPutFdb)
    };
    let flag = if port.is_localnet() {
        "flags.localnet = 1; "
    } else {
        ""
    };
    let inport = port_match("inport", port);
    out.push(port_flow(
        port,
        LogicalFlow::new(
            lookup,
            100,
            inport.clone(),
            format!("{flag}{LKUP_FDB} = lookup_fdb(inport, eth.src); next;"),
        ),
    ));
    out.push(port_flow(
        port,
        LogicalFlow::new(
            put,
            100,
            format!("{inport} && {LKUP_FDB} == 0"),
            "put_fdb(inport, eth.src); next;",
        ),
    ));
}
