//! Checks across every family's datapaths: two datapaths requesting one
//! tunnel key (`requested-tnl-key`). The smaller Northbound UUID gets it
//! (the sync grants it the same way); each other requester is named and
//! gets a key of its own, as ovn-northd does (it warns and allocates).

use differential_dataflow::collection::concatenate;
use northflow_ir::diag::Diagnostic;
use northflow_ir::nb::{LogicalRouter, LogicalSwitch};
use northflow_ir::row::Table;
use northflow_ir::stage::DatapathKind;
use timely::dataflow::Scope;

use crate::output::Outputs;

pub fn checks<'s>(scope: Scope<'s, u64>, out: &mut Outputs<'s>) {
    let requests = concatenate(scope, out.datapaths.clone())
        .flat_map(|dp| Some((dp.requested_key?, (dp.nb_uuid, dp.kind))));
    out.diagnostics.push(
        requests
            .reduce(|key, requesters, out| {
                let ((winner, _), _) = requesters[0];
                for ((nb, kind), _) in &requesters[1..] {
                    let (table, column) = match kind {
                        DatapathKind::Switch => (LogicalSwitch::TABLE, "other_config"),
                        DatapathKind::Router => (LogicalRouter::TABLE, "options"),
                    };
                    let message = format!(
                "requested-tnl-key {key} is also requested by datapath {winner}, which gets it: \
                 this one gets another key"
            );
                    out.push((Diagnostic::new(table, *nb, column, message), 1));
                }
            })
            .map(|(_, d)| d),
    );
}
