//! The rows derived from `NB_Global` alone: `SB_Global` and the
//! `svc_monitor_mac` address set. The schema allows one `NB_Global` row;
//! should a database hold several, the smallest UUID counts.

use northflow_passes::binding::global;

use crate::input::Collections;
use crate::output::Outputs;

pub fn build<'s>(input: &Collections<'s>, out: &mut Outputs<'s>) {
    let rows = input
        .nb_global
        .clone()
        .map(|(uuid, g)| {
            let rows = (global::sb_global(&g), global::svc_monitor_mac_set(&g));
            ((), (uuid, rows))
        })
        .reduce(|_, rows, out| out.push((rows[0].0 .1.clone(), 1)))
        .map(|((), rows)| rows);
    out.sb_global.push(rows.clone().map(|(g, _)| g));
    out.address_sets.push(rows.map(|(_, set)| set));
}
