//! Lowering: one Northbound row at a time into IR, with a diagnostic for
//! every part of the row that cannot be used. Lowering never fails as a
//! whole; what cannot be parsed is left out, as ovn-northd leaves it out.

mod dhcp;
mod dns;
mod qos;
mod router;
mod switch;
mod switch_port;

pub use dhcp::dhcp_options;
pub use dns::dns;
pub use qos::qos;
pub use router::{nat, policy, router, router_port, static_route};
pub use switch::switch;
pub use switch_port::switch_port;

use northflow_ir::binding::{
    ChassisTemplateVar, NbHaChassis, NbHaChassisGroup, NbMeter, NbMeterBand, NbStaticMacBinding,
};
use northflow_ir::diag::Diagnostic;
use northflow_ir::router::{Nat, Policy, Router, RouterPort, StaticRoute};
use northflow_ir::row::Table;
use northflow_ir::switch::{ChassisFeatures, DhcpOptions, DnsRecords, QosRule, Switch, SwitchPort};
use northflow_ir::{nb, sb};

/// A table northflow reads, and what one of its rows lowers to. `None`:
/// the row contributes nothing (diagnosed, or irrelevant like a remote
/// chassis).
pub trait Lower: Table {
    type Ir: Clone + Eq + Ord + std::fmt::Debug + 'static;
    fn lower(&self, diags: &mut Vec<Diagnostic>) -> Option<Self::Ir>;
}

impl Lower for nb::LogicalSwitch {
    type Ir = Switch;
    fn lower(&self, diags: &mut Vec<Diagnostic>) -> Option<Switch> {
        Some(switch(self, diags))
    }
}

impl Lower for nb::LogicalRouter {
    type Ir = Router;
    fn lower(&self, diags: &mut Vec<Diagnostic>) -> Option<Router> {
        router(self, diags)
    }
}

impl Lower for nb::LogicalRouterPort {
    type Ir = RouterPort;
    fn lower(&self, diags: &mut Vec<Diagnostic>) -> Option<RouterPort> {
        router_port(self, diags)
    }
}

impl Lower for nb::LogicalRouterStaticRoute {
    type Ir = StaticRoute;
    fn lower(&self, diags: &mut Vec<Diagnostic>) -> Option<StaticRoute> {
        static_route(self, diags)
    }
}

impl Lower for nb::LogicalRouterPolicy {
    type Ir = Policy;
    fn lower(&self, diags: &mut Vec<Diagnostic>) -> Option<Policy> {
        policy(self, diags)
    }
}

impl Lower for nb::Nat {
    type Ir = Nat;
    fn lower(&self, diags: &mut Vec<Diagnostic>) -> Option<Nat> {
        nat(self, diags)
    }
}

impl Lower for nb::LogicalSwitchPort {
    type Ir = SwitchPort;
    fn lower(&self, diags: &mut Vec<Diagnostic>) -> Option<SwitchPort> {
        Some(switch_port(self, diags))
    }
}

impl Lower for nb::Qos {
    type Ir = QosRule;
    fn lower(&self, diags: &mut Vec<Diagnostic>) -> Option<QosRule> {
        qos(self, diags)
    }
}

impl Lower for nb::Dns {
    type Ir = DnsRecords;
    fn lower(&self, _: &mut Vec<Diagnostic>) -> Option<DnsRecords> {
        Some(dns(self))
    }
}

impl Lower for nb::DhcpOptions {
    type Ir = DhcpOptions;
    fn lower(&self, diags: &mut Vec<Diagnostic>) -> Option<DhcpOptions> {
        Some(dhcp_options(self, diags))
    }
}

/// The global configuration is read as it is.
impl Lower for nb::NbGlobal {
    type Ir = nb::NbGlobal;
    fn lower(&self, _: &mut Vec<Diagnostic>) -> Option<nb::NbGlobal> {
        Some(self.clone())
    }
}

/// A Northbound address set, copied to the Southbound as it is.
impl Lower for nb::AddressSet {
    type Ir = northflow_ir::binding::AddressSet;
    fn lower(&self, _: &mut Vec<Diagnostic>) -> Option<Self::Ir> {
        let mut addresses = self.addresses.clone();
        addresses.sort();
        addresses.dedup();
        Some(northflow_ir::binding::AddressSet {
            name: self.name.clone(),
            addresses,
        })
    }
}

/// A gateway chassis: (chassis name, priority); one without a chassis name
/// counts for nothing.
impl Lower for nb::GatewayChassis {
    type Ir = NbHaChassis;
    fn lower(&self, _: &mut Vec<Diagnostic>) -> Option<NbHaChassis> {
        (!self.chassis_name.is_empty()).then(|| (self.chassis_name.clone(), self.priority))
    }
}

impl Lower for nb::HaChassis {
    type Ir = NbHaChassis;
    fn lower(&self, _: &mut Vec<Diagnostic>) -> Option<NbHaChassis> {
        Some((self.chassis_name.clone(), self.priority))
    }
}

impl Lower for nb::HaChassisGroup {
    type Ir = NbHaChassisGroup;
    fn lower(&self, _: &mut Vec<Diagnostic>) -> Option<NbHaChassisGroup> {
        Some(NbHaChassisGroup {
            name: self.name.clone(),
            ha_chassis: self.ha_chassis.clone(),
        })
    }
}

impl Lower for nb::Meter {
    type Ir = NbMeter;
    fn lower(&self, _: &mut Vec<Diagnostic>) -> Option<NbMeter> {
        Some(NbMeter {
            name: self.name.clone(),
            unit: self.unit.clone(),
            bands: self.bands.clone(),
        })
    }
}

impl Lower for nb::MeterBand {
    type Ir = NbMeterBand;
    fn lower(&self, _: &mut Vec<Diagnostic>) -> Option<NbMeterBand> {
        Some((self.rate, self.burst_size, self.action.clone()))
    }
}

/// A `Copp` row: control protocol → meter name.
impl Lower for nb::Copp {
    type Ir = std::collections::BTreeMap<String, String>;
    fn lower(&self, _: &mut Vec<Diagnostic>) -> Option<Self::Ir> {
        Some(self.meters.clone())
    }
}

impl Lower for nb::StaticMacBinding {
    type Ir = NbStaticMacBinding;
    fn lower(&self, _: &mut Vec<Diagnostic>) -> Option<NbStaticMacBinding> {
        Some(NbStaticMacBinding {
            logical_port: self.logical_port.clone(),
            ip: self.ip.clone(),
            mac: self.mac.clone(),
            override_dynamic_mac: self.override_dynamic_mac,
        })
    }
}

impl Lower for nb::ChassisTemplateVar {
    type Ir = ChassisTemplateVar;
    fn lower(&self, _: &mut Vec<Diagnostic>) -> Option<ChassisTemplateVar> {
        Some(ChassisTemplateVar {
            chassis: self.chassis.clone(),
            variables: self.variables.clone(),
        })
    }
}

/// A chassis counts by what it supports; one of another availability zone
/// (`other_config:is-remote`) installs none of our flows and does not count.
impl Lower for sb::Chassis {
    type Ir = ChassisFeatures;
    fn lower(&self, _: &mut Vec<Diagnostic>) -> Option<ChassisFeatures> {
        if crate::smap::get_bool(&self.other_config, "is-remote", false) {
            return None;
        }
        Some(ChassisFeatures::announced(&self.other_config))
    }
}

/// A datapath's `requested-tnl-key` (`column` of `table`'s row `row`): a
/// valid datapath tunnel key, else a diagnostic and none.
fn requested_datapath_key(
    value: Option<&String>,
    table: &str,
    row: northflow_ir::Uuid,
    column: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<u32> {
    let v = value?;
    let key = v
        .parse::<u32>()
        .ok()
        .filter(|k| (1..=crate::binding::MAX_DP_KEY).contains(k));
    if key.is_none() {
        diags.push(Diagnostic::new(
            table,
            row,
            column,
            format!("requested-tnl-key {v:?} is not a datapath tunnel key (1..=16777215): ignored"),
        ));
    }
    key
}
