//! `ls_in_lookup_fdb`, `ls_in_put_fdb`: MAC learning for ports with
//! `unknown` addresses and no port security.

use northflow_ir::lflow::LogicalFlow;
use northflow_ir::stage::Stage;
use northflow_ir::switch::{PortType, SwitchPort};

use super::{port_flow, port_match};
use crate::registers::LKUP_FDB;

pub(super) fn switch_flows(out: &mut Vec<LogicalFlow>) {
    out.push(LogicalFlow::new(Stage::LsInLookupFdb, 0, "1", "next;"));
    out.push(LogicalFlow::new(Stage::LsInPutFdb, 0, "1", "next;"));
}

pub(super) fn port_flows(port: &SwitchPort, out: &mut Vec<LogicalFlow>) {
    let can_learn = match port.kind {
        PortType::Vif => true,
        PortType::Localnet => crate::smap::get_bool(&port.options, "localnet_learn_fdb", false),
        _ => false,
    };
    if port.n_ps_addrs != 0 || !port.has_unknown || !can_learn {
        return;
    }
    let inport = port_match("inport", port);
    out.push(port_flow(
        port,
        LogicalFlow::new(
            Stage::LsInLookupFdb,
            100,
            inport.clone(),
            format!("{LKUP_FDB} = lookup_fdb(inport, eth.src); next;"),
        ),
    ));
    out.push(port_flow(
        port,
        LogicalFlow::new(
            Stage::LsInPutFdb,
            100,
            format!("{inport} && {LKUP_FDB} == 0"),
            "put_fdb(inport, eth.src); next;",
        ),
    ));
}
