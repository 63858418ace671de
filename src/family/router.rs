//! Logical routers. So far: their datapaths (`Datapath_Binding`, one per
//! enabled router). The router pipeline, router port bindings and the
//! switch-side flows that depend on routers come next (issue 7).

use northflow_passes::binding;

use crate::input::Collections;
use crate::output::Outputs;

pub fn build<'s>(input: &Collections<'s>, out: &mut Outputs<'s>) {
    out.datapaths.push(
        input
            .logical_router
            .clone()
            .map(|(_, r)| binding::router_datapath(&r)),
    );
}
