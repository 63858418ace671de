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
    /// Parses a MAC at the start of `s`, returning it and the rest of the
    /// string: OVS's `ETH_ADDR_SCAN_FMT` (`%hhx:%hhx:…`), so blanks before
    /// each octet are skipped, an octet may have any number of digits (the
    /// low 8 bits are kept) and any text may follow.
    pub fn parse_prefix(s: &str) -> Option<(Mac, &str)> {
        let mut scan = Scan::new(s);
        let mac = scan.mac()?;
        Some((mac, scan.rest()))
    }

    /// Parses a string that is exactly one MAC.
    pub fn parse(s: &str) -> Option<Mac> {
        match Mac::parse_prefix(s)? {
            (mac, "") => Some(mac),
            _ => None,
        }
    }
}

impl Mac {
    /// The EUI-64 link-local address of this MAC (RFC 4291 appendix A).
    pub fn link_local(self) -> Ipv6Addr {
        let m = self.0;
        Ipv6Addr::new(
            0xfe80,
            0,
            0,
            0,
            u16::from_be_bytes([m[0] ^ 0x02, m[1]]),
            u16::from_be_bytes([m[2], 0xff]),
            u16::from_be_bytes([0xfe, m[3]]),
            u16::from_be_bytes([m[4], m[5]]),
        )
    }

    pub fn is_zero(self) -> bool {
        self.0 == [0; 6]
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

    /// The network address (host bits cleared).
    pub fn network(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.addr) & u32::from(self.mask()))
    }

    /// The broadcast address (host bits set).
    pub fn broadcast(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.addr) | !u32::from(self.mask()))
    }

    /// `ADDR` (a /32) or `ADDR/PLEN` or `ADDR/MASK`, the whole of `s`, as
    /// OVS's `ip_parse_cidr` reads a router port's `networks` or a route's
    /// prefix (with its scanner's quirks: `10.0.0.300` is `10.0.0.44`).
    pub fn parse_addr_or_cidr(s: &str) -> Option<Ipv4Net> {
        let mut scan = Scan::new(s);
        scan.ipv4_cidr().filter(|_| scan.at_end())
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

    /// The network address (host bits cleared).
    pub fn network(&self) -> Ipv6Addr {
        let mask = if self.plen == 0 {
            0
        } else {
            u128::MAX << (128 - self.plen)
        };
        Ipv6Addr::from(u128::from(self.addr) & mask)
    }

    /// `ADDR` (a /128) or `ADDR/PLEN` or `ADDR/MASK`, the whole of `s`, as
    /// OVS's `ipv6_parse_cidr` reads it.
    pub fn parse_addr_or_cidr(s: &str) -> Option<Ipv6Net> {
        let mut scan = Scan::new(s);
        scan.ipv6_cidr().filter(|_| scan.at_end())
    }

    /// Whether this is a link-local address as OVN tells (`in6_is_lla`:
    /// the first 64 bits are `fe80::`).
    pub fn is_link_local(&self) -> bool {
        self.addr.segments()[..4] == [0xfe80, 0, 0, 0]
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
}

/// The prefix length of a `bits`-wide mask, if it is contiguous.
fn contiguous_plen(mask: u128, bits: u32) -> Option<u8> {
    let mask = mask << (128 - bits);
    (mask.leading_ones() + mask.trailing_zeros() == 128 || mask == 0)
        .then(|| mask.leading_ones() as u8)
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
    /// Parses `"MAC [IP[/PLEN]]..."` as ovn-northd does
    /// (`extract_addresses`): addresses are read one after the other for as
    /// long as one parses, whatever separates them, and the rest is kept
    /// apart. `None` when there is no leading MAC.
    pub fn parse(s: &str) -> Option<ParsedAddresses> {
        let mut scan = Scan::new(s);
        let mac = scan.mac()?;
        let mut addresses = LportAddresses {
            mac,
            ipv4: Vec::new(),
            ipv6: Vec::new(),
        };
        scan.addresses(&mut addresses.ipv4, &mut addresses.ipv6);
        let rest = scan.rest().trim_start();
        Some(ParsedAddresses {
            addresses,
            trailing: (!scan.at_end()).then(|| rest.to_owned()),
        })
    }
}

/// The addresses at the start of `s` as OVN's `extract_ip_addresses`
/// reads them (a NAT rule's `external_ip`): IPv4 and IPv6 addresses, with
/// optional prefixes, one after the other for as long as one parses; what
/// follows is ignored. `None` when none parses.
pub fn extract_ip_addresses(s: &str) -> Option<(Vec<Ipv4Net>, Vec<Ipv6Net>)> {
    let (mut v4, mut v6) = (Vec::new(), Vec::new());
    let mut scan = Scan::new(s);
    scan.addresses(&mut v4, &mut v6);
    (!v4.is_empty() || !v6.is_empty()).then_some((v4, v6))
}

/// The subset of OVS's `ovs_scan` (lib/util.c) that address parsing uses,
/// so that ovn-northd's reading of odd input is reproduced exactly: numeric
/// conversions skip leading blanks, take a sign and any number of digits
/// and keep the low bits; `%[...]` sets skip nothing.
struct Scan<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Scan<'a> {
    fn new(s: &'a str) -> Scan<'a> {
        Scan { s, pos: 0 }
    }

    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }

    fn at_end(&self) -> bool {
        self.pos == self.s.len()
    }

    /// Runs `f`; on failure, nothing was consumed.
    fn attempt<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        let start = self.pos;
        let r = f(self);
        if r.is_none() {
            self.pos = start;
        }
        r
    }

    fn skip_spaces(&mut self) {
        // C's isspace: blank, \t, \n, \v, \f, \r.
        while let Some(b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') = self.s.as_bytes().get(self.pos)
        {
            self.pos += 1;
        }
    }

    fn literal(&mut self, c: u8) -> Option<()> {
        (self.s.as_bytes().get(self.pos) == Some(&c)).then(|| self.pos += 1)
    }

    /// `%u`/`%d` (`base` 10) or `%x` (16, with an optional `0x`): the value
    /// modulo 2^64, negated after a `-`.
    fn int(&mut self, base: u32) -> Option<u64> {
        self.skip_spaces();
        let b = self.s.as_bytes();
        let negative = b.get(self.pos) == Some(&b'-');
        if matches!(b.get(self.pos), Some(b'-' | b'+')) {
            self.pos += 1;
        }
        if base == 16
            && b.get(self.pos) == Some(&b'0')
            && matches!(b.get(self.pos + 1), Some(b'x' | b'X'))
        {
            self.pos += 2;
        }
        let mut value: u64 = 0;
        let mut digits = 0;
        while let Some(d) = b.get(self.pos).and_then(|c| (*c as char).to_digit(base)) {
            value = value
                .wrapping_mul(u64::from(base))
                .wrapping_add(u64::from(d));
            digits += 1;
            self.pos += 1;
        }
        (digits > 0).then(|| {
            if negative {
                value.wrapping_neg()
            } else {
                value
            }
        })
    }

    /// `%hhu` / `%hhx`: the low 8 bits.
    fn byte(&mut self, base: u32) -> Option<u8> {
        self.int(base).map(|v| v as u8)
    }

    /// `ETH_ADDR_SCAN_FMT`.
    fn mac(&mut self) -> Option<Mac> {
        let mut mac = [0u8; 6];
        for (i, octet) in mac.iter_mut().enumerate() {
            if i > 0 {
                self.literal(b':')?;
            }
            *octet = self.byte(16)?;
        }
        Some(Mac(mac))
    }

    /// Addresses one after the other, whatever separates them, for as long
    /// as one parses (`parse_and_store_addresses`).
    fn addresses(&mut self, v4: &mut Vec<Ipv4Net>, v6: &mut Vec<Ipv6Net>) {
        while !self.at_end() {
            if let Some(a) = self.attempt(Scan::ipv4_cidr) {
                v4.push(a);
            } else if let Some(a) = self.attempt(Scan::ipv6_cidr) {
                v6.push(a);
            } else {
                break;
            }
        }
    }

    /// `IP_SCAN_FMT`.
    fn ipv4(&mut self) -> Option<Ipv4Addr> {
        let mut octets = [0u8; 4];
        for (i, octet) in octets.iter_mut().enumerate() {
            if i > 0 {
                self.literal(b'.')?;
            }
            *octet = self.byte(10)?;
        }
        Some(Ipv4Addr::from(octets))
    }

    /// `ip_parse_cidr_len`: `IP/MASK`, `IP/PLEN` or `IP`; the mask must be
    /// contiguous.
    fn ipv4_cidr(&mut self) -> Option<Ipv4Net> {
        let masked = |s: &mut Self| {
            let addr = s.ipv4()?;
            s.literal(b'/')?;
            let mask = s.ipv4()?;
            Some((addr, contiguous_plen(u32::from(mask).into(), 32)))
        };
        let prefixed = |s: &mut Self| {
            let addr = s.ipv4()?;
            s.literal(b'/')?;
            let plen = s.int(10)? as i32;
            Some((addr, u8::try_from(plen).ok().filter(|p| *p <= 32)))
        };
        let (addr, plen) = self
            .attempt(masked)
            .or_else(|| self.attempt(prefixed))
            .or_else(|| self.attempt(|s| Some((s.ipv4()?, Some(32)))))?;
        Some(Ipv4Net { addr, plen: plen? })
    }

    /// `IPV6_SCAN_FMT`: up to 46 characters of hex digits, `:` and `.`.
    fn ipv6_text(&mut self) -> Option<&'a str> {
        let start = self.pos;
        let len = self.s.as_bytes()[start..]
            .iter()
            .take(46)
            .take_while(|c| c.is_ascii_hexdigit() || **c == b':' || **c == b'.')
            .count();
        self.pos += len;
        (len > 0).then(|| &self.s[start..start + len])
    }

    /// `ipv6_parse_cidr_len`: ` IP6`, then `/PLEN`, `/MASK` or nothing; the
    /// mask must be contiguous.
    fn ipv6_cidr(&mut self) -> Option<Ipv6Net> {
        self.skip_spaces();
        let addr: Ipv6Addr = self.ipv6_text()?.parse().ok()?;
        let prefixed = |s: &mut Self| {
            s.literal(b'/')?;
            let plen = s.int(10)? as i32;
            Some(u8::try_from(plen).ok().filter(|p| *p <= 128))
        };
        let masked = |s: &mut Self| {
            s.literal(b'/')?;
            let mask: Option<Ipv6Addr> = s.ipv6_text()?.parse().ok();
            Some(mask.and_then(|m| contiguous_plen(u128::from(m), 128)))
        };
        let plen = self
            .attempt(prefixed)
            .or_else(|| self.attempt(masked))
            .unwrap_or(Some(128))?;
        Some(Ipv6Net { addr, plen })
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
        // Whatever follows an address ends it, as in OVS's parser.
        let p = LportAddresses::parse("0a:58:0a:00:00:03 10.0.0.3; 10.0.0.4, 10.0.0.5").unwrap();
        assert_eq!(p.addresses.ipv4.len(), 1);
        assert_eq!(p.trailing.as_deref(), Some("; 10.0.0.4, 10.0.0.5"));
        let p =
            LportAddresses::parse("0a:58:0a:00:00:03 10.0.0.3/255.255.255.0 aef0::3/64").unwrap();
        assert_eq!(
            (p.addresses.ipv4[0].plen, p.addresses.ipv6[0].plen),
            (24, 64)
        );
        // A non-contiguous mask or a prefix out of range stops the parse.
        let p = LportAddresses::parse("0a:58:0a:00:00:03 10.0.0.3/255.0.255.0").unwrap();
        assert!(p.addresses.ipv4.is_empty());
        let p = LportAddresses::parse("0a:58:0a:00:00:03 fd00::3/129").unwrap();
        assert!(p.addresses.ipv6.is_empty());
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

    #[test]
    fn router_networks_and_nat_addresses_read_as_ovs_does() {
        // The whole string, with the scanner's octet wrap-around.
        let n = Ipv4Net::parse_addr_or_cidr("10.0.1.300/24").unwrap();
        assert_eq!((n.addr.to_string(), n.plen), ("10.0.1.44".into(), 24));
        assert_eq!(Ipv4Net::parse_addr_or_cidr("10.0.0.1").unwrap().plen, 32);
        assert!(Ipv4Net::parse_addr_or_cidr("10.0.0.1/24x").is_none());
        assert!(Ipv4Net::parse_addr_or_cidr("10.0.0.0/255.0.255.0").is_none());
        assert!(Ipv4Net::parse_addr_or_cidr("bogus").is_none());
        assert_eq!(Ipv6Net::parse_addr_or_cidr("fd00::1/64").unwrap().plen, 64);
        assert!(Ipv6Net::parse_addr_or_cidr("fd00::1/64 x").is_none());
        // A NAT's external_ip: the addresses at the start, the rest ignored.
        let (v4, v6) = extract_ip_addresses("172.16.0.300 garbage").unwrap();
        assert_eq!(
            (v4[0].addr.to_string(), v6.len()),
            ("172.16.0.44".into(), 0)
        );
        let (v4, v6) = extract_ip_addresses("172.16.0.1 fd00::1").unwrap();
        assert_eq!((v4.len(), v6.len()), (1, 1));
        assert!(extract_ip_addresses("x172.16.0.1").is_none());
    }
}
