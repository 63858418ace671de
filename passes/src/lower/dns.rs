//! `DNS` → [`DnsRecords`].

use northflow_ir::nb::Dns;
use northflow_ir::switch::DnsRecords;

pub fn dns(row: &Dns) -> DnsRecords {
    DnsRecords {
        uuid: row.uuid,
        records: row
            .records
            .iter()
            .map(|(k, v)| (k.clone(), v.to_ascii_lowercase()))
            .collect(),
        ovn_owned: crate::smap::get_bool(&row.options, "ovn-owned", false),
    }
}
