//! `DHCP_Options` → [`DhcpOptions`] (IPv4).

use northflow_ir::addr::Ipv4Net;
use northflow_ir::diag::Diagnostic;
use northflow_ir::nb::DhcpOptions as NbDhcpOptions;
use northflow_ir::row::Table;
use northflow_ir::switch::DhcpOptions;

pub fn dhcp_options(row: &NbDhcpOptions, diags: &mut Vec<Diagnostic>) -> DhcpOptions {
    let cidr = parse_cidr(&row.cidr);
    if cidr.is_none() && !row.cidr.contains(':') {
        diags.push(Diagnostic::new(
            NbDhcpOptions::TABLE,
            row.uuid,
            "cidr",
            format!("{:?} is not an IPv4 network: no DHCPv4 replies", row.cidr),
        ));
    }
    DhcpOptions {
        uuid: row.uuid,
        cidr,
        options: row.options.clone(),
    }
}

/// `A.B.C.D/PLEN` or `A.B.C.D/M.A.S.K` (a contiguous mask).
fn parse_cidr(s: &str) -> Option<Ipv4Net> {
    let (addr, mask) = s.split_once('/')?;
    let addr: std::net::Ipv4Addr = addr.parse().ok()?;
    let plen = match mask.parse::<u8>() {
        Ok(p) if p <= 32 => p,
        Ok(_) => return None,
        Err(_) => {
            let m = u32::from(mask.parse::<std::net::Ipv4Addr>().ok()?);
            if m.leading_ones() + m.trailing_zeros() != 32 {
                return None;
            }
            m.leading_ones() as u8
        }
    };
    Some(Ipv4Net { addr, plen })
}
