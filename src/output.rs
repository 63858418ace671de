//! The one table of outputs: what the dataflow computes, declared once
//! (`outputs!` below). From it follow `OutputDelta` (one step's
//! consolidated changes), `Outputs` (the collections each feature family
//! contributes to) and the capture of each output at the end of the graph.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use differential_dataflow::VecCollection;
use northflow_ir::binding::{
    AddressSet, ChassisTemplateVar, DatapathBinding, Dns, HaChassisGroup, IpMulticast, Meter,
    MulticastGroup, PortBinding, SbGlobal, StaticMacBinding,
};
use northflow_ir::diag::Diagnostic;
use northflow_ir::lflow::{Flow, StageHint};
use northflow_ir::Uuid;
use timely::dataflow::operators::probe::Handle;
use timely::dataflow::Scope;

/// A flow placed on one datapath (Northbound UUID), with the Northbound row
/// it came from. Grouping the datapaths of identical flows is the image's
/// job, outside the dataflow, so that a datapath joining or leaving changes
/// only its own pairs.
pub type FlowPair = (Flow, (Uuid, Option<StageHint>));

type Buffer<D> = Rc<RefCell<Vec<(D, isize)>>>;

fn capture<'s, D: differential_dataflow::Data>(
    c: VecCollection<'s, u64, D, isize>,
    probe: &Handle<u64>,
) -> Buffer<D> {
    let buf: Buffer<D> = Rc::default();
    let b = buf.clone();
    c.inspect(move |(d, _t, r)| b.borrow_mut().push((d.clone(), *r)))
        .probe_with(probe);
    buf
}

fn drain<D: Ord>(buf: &Buffer<D>) -> Vec<(D, isize)> {
    let mut v = std::mem::take(&mut *buf.borrow_mut());
    differential_dataflow::consolidation::consolidate(&mut v);
    v
}

macro_rules! outputs {
    ($( $(#[$doc:meta])* $field:ident: $ty:ty, )*) => {
        /// The consolidated output changes of one step: `+1` inserted, `-1`
        /// removed.
        #[derive(Clone, Debug, Default)]
        pub struct OutputDelta {
            $($(#[$doc])* pub $field: Vec<($ty, isize)>,)*
        }

        impl OutputDelta {
            pub fn is_empty(&self) -> bool {
                true $(&& self.$field.is_empty())*
            }
        }

        /// What the feature families build: each output is the union of
        /// every family's part.
        pub struct Outputs<'s> {
            $(pub $field: Vec<VecCollection<'s, u64, $ty, isize>>,)*
        }

        /// The end of the graph: each output collected per step.
        pub(crate) struct Captures {
            $($field: Buffer<$ty>,)*
        }

        impl Default for Outputs<'_> {
            fn default() -> Self {
                Outputs {
                    $($field: Vec::new(),)*
                }
            }
        }

        impl<'s> Outputs<'s> {
            pub(crate) fn capture(self, scope: Scope<'s, u64>, probe: &Handle<u64>) -> Captures {
                Captures {
                    $($field: capture(
                        differential_dataflow::collection::concatenate(scope, self.$field),
                        probe,
                    ),)*
                }
            }
        }

        impl Captures {
            pub(crate) fn drain(&self) -> OutputDelta {
                OutputDelta {
                    $($field: drain(&self.$field),)*
                }
            }
        }
    };
}

outputs! {
    flows: FlowPair,
    datapaths: DatapathBinding,
    /// Shared with the image (one per port: no copy on the way).
    ports: Arc<PortBinding>,
    multicast_groups: MulticastGroup,
    ip_multicast: IpMulticast,
    dns: Dns,
    sb_global: SbGlobal,
    address_sets: AddressSet,
    meters: Meter,
    ha_chassis_groups: HaChassisGroup,
    static_mac_bindings: StaticMacBinding,
    chassis_template_vars: ChassisTemplateVar,
    /// Cross-row checks (a row referring to one that does not exist, a port
    /// two switches list): computed in the graph so that they stay right
    /// under incremental changes.
    diagnostics: Diagnostic,
}
