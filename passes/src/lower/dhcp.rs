//! `DHCP_Options` → [`DhcpOptions`].

use std::net::{Ipv4Addr, Ipv6Addr};

use northflow_ir::addr::{Ipv4Net, Ipv6Net};
use northflow_ir::diag::Diagnostic;
use northflow_ir::nb::DhcpOptions as NbDhcpOptions;
use northflow_ir::row::Table;
use northflow_ir::switch::DhcpOptions;

pub fn dhcp_options(row: &NbDhcpOptions, diags: &mut Vec<Diagnostic>) -> DhcpOptions {
    let cidr_v4 = parse_v4(&row.cidr);
    let cidr_v6 = parse_v6(&row.cidr);
    if cidr_v4.is_none() && cidr_v6.is_none() {
        diags.push(Diagnostic::new(
            NbDhcpOptions::TABLE,
            row.uuid,
            "cidr",
            format!("{:?} is not a network: no DHCP replies", row.cidr),
        ));
    }
    DhcpOptions {
        uuid: row.uuid,
        cidr_v4,
        cidr_v6,
        options: row.options.clone(),
    }
}

/// `A.B.C.D/PLEN` or `A.B.C.D/M.A.S.K` (a contiguous mask).
fn parse_v4(s: &str) -> Option<Ipv4Net> {
    let (addr, mask) = s.split_once('/')?;
    let addr: Ipv4Addr = addr.parse().ok()?;
    let plen = match mask.parse::<u8>() {
        Ok(p) if p <= 32 => p,
        Ok(_) => return None,
        Err(_) => {
            let m = u32::from(mask.parse::<Ipv4Addr>().ok()?);
            if m.leading_ones() + m.trailing_zeros() != 32 {
                return None;
            }
            m.leading_ones() as u8
        }
    };
    Some(Ipv4Net { addr, plen })
}

/// `ADDR/PLEN` or `ADDR/MASK` (a contiguous mask).
fn parse_v6(s: &str) -> Option<Ipv6Net> {
    let (addr, mask) = s.split_once('/')?;
    let addr: Ipv6Addr = addr.parse().ok()?;
    let plen = match mask.parse::<u8>() {
        Ok(p) if p <= 128 => p,
        Ok(_) => return None,
        Err(_) => {
            let m = u128::from(mask.parse::<Ipv6Addr>().ok()?);
            if m.leading_ones() + m.trailing_zeros() != 128 {
                return None;
            }
            m.leading_ones() as u8
        }
    };
    Some(Ipv6Net { addr, plen })
}
