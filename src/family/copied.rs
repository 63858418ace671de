//! Rows copied from the Northbound: `Meter` with its `Meter_Band`s (what
//! flows' `controller_meter` names), `Address_Set` and
//! `Chassis_Template_Var`.

use northflow_ir::binding::{ChassisTemplateVar, Meter};

use crate::input::Collections;
use crate::output::Outputs;

/// A meter or one of its bands, folded per meter.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
enum Part {
    Meter(String, String),
    Band(i64, i64, String),
}

pub fn build<'s>(input: &Collections<'s>, out: &mut Outputs<'s>) {
    let bands = input
        .meter
        .clone()
        .flat_map(|(mid, m)| m.bands.clone().into_iter().map(move |b| (b, mid)))
        .join_map(input.meter_band.clone(), |_, mid, b| {
            let (rate, burst, action) = (**b).clone();
            (*mid, Part::Band(rate, burst, action))
        });
    out.meters.push(
        input
            .meter
            .clone()
            .map(|(mid, m)| (mid, Part::Meter(m.name.clone(), m.unit.clone())))
            .concat(bands)
            .reduce(|_, parts, out| {
                let mut meter = None;
                let mut bands = Vec::new();
                for (p, n) in parts {
                    match p {
                        Part::Meter(name, unit) => meter = Some((name.clone(), unit.clone())),
                        Part::Band(rate, burst, action) => {
                            for _ in 0..*n {
                                bands.push((*rate, *burst, action.clone()));
                            }
                        }
                    }
                }
                if let Some((name, unit)) = meter {
                    bands.sort();
                    out.push((Meter { name, unit, bands }, 1));
                }
            })
            .map(|(_, m)| m),
    );
    out.address_sets.push(
        input
            .address_set
            .clone()
            .map(|(_, a): (_, std::sync::Arc<northflow_ir::binding::AddressSet>)| (*a).clone()),
    );
    out.chassis_template_vars.push(
        input
            .chassis_template_var
            .clone()
            .map(|(_, v): (_, std::sync::Arc<ChassisTemplateVar>)| (*v).clone()),
    );
}
