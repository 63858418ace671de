//! Per-switch summaries of its ports: what switch-wide flows need to know.

use northflow_ir::switch::{PortType, Switch, SwitchCtx, SwitchPort};

/// What one port contributes to its switch's context. Small and ordered, so
/// that the engine can keep one per port and fold them per switch.
#[derive(
    Clone,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct PortSummary {
    pub unknown: bool,
    pub localnet: Option<String>,
    pub vlan_localnet: bool,
    pub vtep: bool,
    pub mcast_flood: bool,
    pub arp_proxy: bool,
}

impl PortSummary {
    /// `None` when the port contributes nothing.
    pub fn of(port: &SwitchPort) -> Option<PortSummary> {
        let s = PortSummary {
            unknown: port.enabled && port.has_unknown,
            localnet: port.is_localnet().then(|| port.name.to_string()),
            vlan_localnet: port.is_localnet() && port.vlan_requested,
            vtep: port.kind == PortType::Vtep,
            mcast_flood: port.enabled && port.mcast_flood,
            arp_proxy: port.arp_proxy.is_some(),
        };
        (s != PortSummary::default()).then_some(s)
    }
}

/// Folds a switch and its ports' summaries into its context.
pub fn switch_ctx<'a>(
    switch: &Switch,
    ports: impl IntoIterator<Item = &'a PortSummary>,
    has_dns_records: bool,
) -> SwitchCtx {
    let mut ctx = SwitchCtx {
        switch: switch.clone(),
        has_unknown: false,
        localnet_ports: Vec::new(),
        has_vlan_localnet: false,
        has_vtep_lports: false,
        mcast_flood_static: false,
        has_dns_records,
        has_arp_proxy_port: false,
    };
    for p in ports {
        ctx.has_unknown |= p.unknown;
        ctx.has_vlan_localnet |= p.vlan_localnet;
        ctx.has_vtep_lports |= p.vtep;
        ctx.mcast_flood_static |= p.mcast_flood;
        ctx.has_arp_proxy_port |= p.arp_proxy;
        ctx.localnet_ports.extend(p.localnet.iter().cloned());
    }
    ctx.localnet_ports.sort();
    ctx
}
