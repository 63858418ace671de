//! Ethernet and IP addresses as OVN writes them in the Northbound
//! (`Logical_Switch_Port.addresses`, `port_security`, router `networks`),
//! parsed the way ovn-northd parses them and printed the way it prints them.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// An Ethernet address, printed as ovn-northd does (`0a:58:0a:00:00:03`).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Mac(pub [u8; 6]);

impl Mac {
    /// Parses a MAC at the start of `s` (leading blanks skipped), returning
    /// it and the rest of the string. Like OVS's `ETH_ADDR_SCAN_FMT`, any
    /// text may follow.
    pub fn parse_prefix(s: &str) -> Option<(Mac, &str)> {
        let mut rest = s.trim_start();
        let mut mac = [0u8; 6];
        for (i, octet) in mac.iter_mut().enumerate() {
            if i > 0 {
                rest = rest.strip_prefix(':')?;
            }
            let n = rest
                .bytes()
                .take(2)
                .take_while(|b| b.is_ascii_hexdigit())
                .count();
            if n == 0 {
                return None;
            }
            *octet = u8::from_str_radix(&rest[..n], 16).ok()?;
            rest = &rest[n..];
        }
        Some((Mac(mac), rest))
    }

    /// Parses a string that is exactly one MAC.
    pub fn parse(s: &str) -> Option<Mac> {
        match Mac::parse_prefix(s)? {
            (mac, "") => Some(mac),
            _ => None,
        }
    }
}

impl fmt::Display for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.0;
        write!(
            f,
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            m[0], m[1], m[2], m[3], m[4], m[5]
        )
    }
}

/// An IPv4 address with its prefix length (`10.0.0.3/24`; a bare address
/// has prefix 32).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Ipv4Net {
    pub addr: Ipv4Addr,
    pub plen: u8,
}

impl Ipv4Net {
    /// The network mask (`255.255.255.0` for a /24).
    pub fn mask(&self) -> Ipv4Addr {
        Ipv4Addr::from(if self.plen == 0 {
            0
        } else {
            u32::MAX << (32 - self.plen)
        })
    }

    /// Whether `a` is in this network.
    pub fn contains(&self, a: Ipv4Addr) -> bool {
        (u32::from(a) ^ u32::from(self.addr)) & u32::from(self.mask()) == 0
    }

    /// A network as `ADDR/PLEN` or `ADDR/MASK` (a contiguous mask), the
    /// forms `DHCP_Options.cidr` takes.
    pub fn parse_cidr(s: &str) -> Option<Ipv4Net> {
        let (addr, mask) = s.split_once('/')?;
        let plen = match mask.parse::<u8>() {
            Ok(p) => (p <= 32).then_some(p)?,
            Err(_) => contiguous_plen(u32::from(mask.parse::<Ipv4Addr>().ok()?).into(), 32)?,
        };
        Some(Ipv4Net {
            addr: addr.parse().ok()?,
            plen,
        })
    }

    fn parse(token: &str) -> Option<Ipv4Net> {
        let (addr, plen) = split_plen(token, 32)?;
        // OVS reads each octet with scanf's `%hhu`, which keeps the low 8
        // bits of a larger number: "10.0.0.300" is 10.0.0.44 to ovn-northd.
        let mut octets = [0u8; 4];
        let mut parts = addr.split('.');
        for o in octets.iter_mut() {
            let part = parts.next()?;
            if part.is_empty() || part.len() > 19 || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            *o = (part.parse::<u64>().ok()? % 256) as u8;
        }
        if parts.next().is_some() {
            return None;
        }
        Some(Ipv4Net {
            addr: Ipv4Addr::from(octets),
            plen,
        })
    }
}

/// An IPv6 address with its prefix length (a bare address has prefix 128).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Ipv6Net {
    pub addr: Ipv6Addr,
    pub plen: u8,
}

impl Ipv6Net {
    /// The solicited-node multicast address (RFC 4291 §2.7.1) that IPv6
    /// neighbour solicitations for this address are sent to.
    pub fn solicited_node(&self) -> Ipv6Addr {
        let o = self.addr.octets();
        Ipv6Addr::new(
            0xff02,
            0,
            0,
            0,
            0,
            1,
            0xff00 | o[13] as u16,
            u16::from_be_bytes([o[14], o[15]]),
        )
    }

    /// Whether `a` is in this network.
    pub fn contains(&self, a: Ipv6Addr) -> bool {
        let mask = if self.plen == 0 {
            0
        } else {
            u128::MAX << (128 - self.plen)
        };
        (u128::from(a) ^ u128::from(self.addr)) & mask == 0
    }

    /// A network as `ADDR/PLEN` or `ADDR/MASK` (a contiguous mask).
    pub fn parse_cidr(s: &str) -> Option<Ipv6Net> {
        let (addr, mask) = s.split_once('/')?;
        let plen = match mask.parse::<u8>() {
            Ok(p) => (p <= 128).then_some(p)?,
            Err(_) => contiguous_plen(u128::from(mask.parse::<Ipv6Addr>().ok()?), 128)?,
        };
        Some(Ipv6Net {
            addr: addr.parse().ok()?,
            plen,
        })
    }

    fn parse(token: &str) -> Option<Ipv6Net> {
        let (addr, plen) = split_plen(token, 128)?;
        if !addr
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return None;
        }
        Some(Ipv6Net {
            addr: addr.parse().ok()?,
            plen,
        })
    }
}

/// The prefix length of a `bits`-wide mask, if it is contiguous.
fn contiguous_plen(mask: u128, bits: u32) -> Option<u8> {
    let mask = mask << (128 - bits);
    (mask.leading_ones() + mask.trailing_zeros() == 128 || mask == 0)
        .then(|| mask.leading_ones() as u8)
}

fn split_plen(token: &str, max: u8) -> Option<(&str, u8)> {
    match token.split_once('/') {
        None => Some((token, max)),
        Some((addr, plen)) => {
            let plen: u8 = plen.parse().ok()?;
            (plen <= max).then_some((addr, plen))
        }
    }
}

/// One parsed `addresses` (or `port_security`) entry: a MAC and the IP
/// addresses that follow it, in the order given.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct LportAddresses {
    pub mac: Mac,
    pub ipv4: Vec<Ipv4Net>,
    pub ipv6: Vec<Ipv6Net>,
}

/// The result of parsing an `addresses` entry that starts with a MAC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedAddresses {
    pub addresses: LportAddresses,
    /// Text after the last address that parsed, if any. ovn-northd keeps the
    /// addresses before it and logs the rest as invalid syntax.
    pub trailing: Option<String>,
}

impl LportAddresses {
    /// Parses `"MAC [IP[/PLEN]]..."`. `None` when there is no leading MAC.
    pub fn parse(s: &str) -> Option<ParsedAddresses> {
        let (mac, rest) = Mac::parse_prefix(s)?;
        let mut addresses = LportAddresses {
            mac,
            ipv4: Vec::new(),
            ipv6: Vec::new(),
        };
        let mut tokens = rest.split_ascii_whitespace().peekable();
        // The MAC must be followed by a blank or the end of the string.
        if !rest.is_empty() && !rest.starts_with(|c: char| c.is_ascii_whitespace()) {
            return Some(ParsedAddresses {
                addresses,
                trailing: Some(rest.to_owned()),
            });
        }
        while let Some(token) = tokens.next() {
            if let Some(v4) = Ipv4Net::parse(token) {
                addresses.ipv4.push(v4);
            } else if let Some(v6) = Ipv6Net::parse(token) {
                addresses.ipv6.push(v6);
            } else {
                let mut trailing = token.to_owned();
                for t in tokens {
                    trailing.push(' ');
                    trailing.push_str(t);
                }
                return Some(ParsedAddresses {
                    addresses,
                    trailing: Some(trailing),
                });
            }
        }
        Some(ParsedAddresses {
            addresses,
            trailing: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_mac_and_ips() {
        let p = LportAddresses::parse("0A:58:0a:00:00:03 10.0.0.3 10.0.0.4/24 fd00::3").unwrap();
        assert_eq!(p.trailing, None);
        let a = p.addresses;
        assert_eq!(a.mac.to_string(), "0a:58:0a:00:00:03");
        assert_eq!(a.ipv4.len(), 2);
        assert_eq!(a.ipv4[1].plen, 24);
        assert_eq!(a.ipv4[1].mask().to_string(), "255.255.255.0");
        assert!(a.ipv4[1].contains("10.0.0.200".parse().unwrap()));
        assert_eq!(a.ipv6[0].addr.to_string(), "fd00::3");
        assert_eq!(a.ipv6[0].solicited_node().to_string(), "ff02::1:ff00:3");
    }

    #[test]
    fn keeps_addresses_before_garbage() {
        let p = LportAddresses::parse("0a:58:0a:00:00:03 10.0.0.3 bogus 10.0.0.5").unwrap();
        assert_eq!(p.addresses.ipv4.len(), 1);
        assert_eq!(p.trailing.as_deref(), Some("bogus 10.0.0.5"));
        assert!(LportAddresses::parse("unknown").is_none());
        assert!(LportAddresses::parse("0a:58:0a:00:00").is_none());
        assert!(LportAddresses::parse("10.0.0.3").is_none());
        let wrapped = LportAddresses::parse("0a:58:0a:00:00:03 10.0.0.300").unwrap();
        assert_eq!(wrapped.addresses.ipv4[0].addr.to_string(), "10.0.0.44");
    }

    #[test]
    fn parses_cidrs() {
        let n = Ipv4Net::parse_cidr("10.0.0.0/255.255.254.0").unwrap();
        assert_eq!(n.plen, 23);
        assert!(Ipv4Net::parse_cidr("10.0.0.0/255.0.255.0").is_none());
        assert!(Ipv4Net::parse_cidr("10.0.0.0/33").is_none());
        assert_eq!(Ipv6Net::parse_cidr("fd00::/64").unwrap().plen, 64);
        assert_eq!(Ipv6Net::parse_cidr("fd00::/ffff:ffff::").unwrap().plen, 32);
        assert!(Ipv6Net::parse_cidr("fd00::").is_none());
    }
}
