//! IPv4 network arithmetic for the checks that care how wide or how private a range is.

use std::net::Ipv4Addr;

/// An IPv4 network: its (masked) address and prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ipv4Net {
    address: u32,
    prefix: u8,
}

/// The RFC 1918 private ranges.
const PRIVATE: [Ipv4Net; 3] = [net(10, 0, 0, 0, 8), net(172, 16, 0, 0, 12), net(192, 168, 0, 0, 16)];

/// Every IPv4 range that is not globally routable (RFC 6890): private, shared (CGNAT),
/// loopback, link-local, documentation, benchmarking, reserved and broadcast.
const NOT_PUBLIC: [Ipv4Net; 15] = [
    net(0, 0, 0, 0, 8),
    net(10, 0, 0, 0, 8),
    net(100, 64, 0, 0, 10),
    net(127, 0, 0, 0, 8),
    net(169, 254, 0, 0, 16),
    net(172, 16, 0, 0, 12),
    net(192, 0, 0, 0, 24),
    net(192, 0, 2, 0, 24),
    net(192, 88, 99, 0, 24),
    net(192, 168, 0, 0, 16),
    net(198, 18, 0, 0, 15),
    net(198, 51, 100, 0, 24),
    net(203, 0, 113, 0, 24),
    net(240, 0, 0, 0, 4),
    net(255, 255, 255, 255, 32),
];

const fn net(a: u8, b: u8, c: u8, d: u8, prefix: u8) -> Ipv4Net {
    Ipv4Net { address: u32::from_be_bytes([a, b, c, d]), prefix }
}

const fn mask(prefix: u8) -> u32 {
    if prefix == 0 { 0 } else { u32::MAX << (32 - prefix as u32) }
}

/// `text.trim()`, skipping the Unicode-aware scan when both ends are visible ASCII, as recorded
/// networks always are.
pub(crate) fn trimmed(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// `text.trim_end()`, skipping the Unicode-aware scan when the text ends in visible ASCII.
pub(crate) fn trimmed_end(text: &str) -> &str {
    match text.as_bytes().last() {
        Some(last) if last.is_ascii_graphic() => text,
        _ => text.trim_end(),
    }
}

impl Ipv4Net {
    /// Parses `a.b.c.d/n` (or a bare address, a `/32`); host bits are dropped. `None` for IPv6
    /// or anything malformed.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let text = trimmed(text);
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, prefix.parse::<u8>().ok().filter(|p| *p <= 32)?),
            None => (text, 32),
        };
        let address = u32::from(address.parse::<Ipv4Addr>().ok()?);
        Some(Self { address: address & mask(prefix), prefix })
    }

    /// The prefix length written after the `/` of a CIDR, read without parsing the address.
    pub(crate) fn prefix_of(text: &str) -> Option<u8> {
        let text = trimmed(text);
        let slash = text.bytes().rposition(|byte| byte == b'/')?;
        text.get(slash + 1..)?.parse::<u8>().ok()
    }

    /// Whether `other` lies entirely inside this network.
    pub(crate) fn contains(self, other: Self) -> bool {
        self.prefix <= other.prefix && other.address & mask(self.prefix) == self.address
    }

    /// Whether the network lies inside an RFC 1918 private range.
    pub(crate) fn is_rfc1918(self) -> bool {
        PRIVATE.iter().any(|block| block.contains(self))
    }

    /// Whether the network holds any globally routable address (it is not entirely inside one
    /// special-purpose range): `0.0.0.0/1` is public, `10.1.0.0/16` is not.
    pub(crate) fn has_public_addresses(self) -> bool {
        !NOT_PUBLIC.iter().any(|block| block.contains(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_masks() {
        assert_eq!(Ipv4Net::parse("10.1.2.3/8"), Some(net(10, 0, 0, 0, 8)));
        assert_eq!(Ipv4Net::parse("203.0.113.9"), Some(net(203, 0, 113, 9, 32)));
        assert_eq!(Ipv4Net::parse("0.0.0.0/0"), Some(net(0, 0, 0, 0, 0)));
        assert_eq!(Ipv4Net::prefix_of("10.0.0.0/8"), Some(8));
        assert_eq!(Ipv4Net::prefix_of("10.0.0.1"), None);
        for bad in ["::/0", "10.0.0.0/33", "10.0.0/8", "", "10.0.0.0/x"] {
            assert_eq!(Ipv4Net::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn trimming_matches_the_standard_library() {
        for text in ["10.0.0.0/8", " 10.0.0.0/8", "10.0.0.0/8 ", "\u{a0}10.0.0.0/0\u{2003}", "\t", "", "é/0", "x"] {
            assert_eq!(trimmed(text), text.trim(), "{text:?}");
            assert_eq!(trimmed_end(text), text.trim_end(), "{text:?}");
        }
    }

    #[test]
    fn classifies_private_and_public_ranges() {
        let parse = |t| Ipv4Net::parse(t).expect("a network");
        assert!(parse("10.10.0.0/16").is_rfc1918());
        assert!(parse("172.31.255.0/24").is_rfc1918());
        assert!(!parse("172.32.0.0/16").is_rfc1918());
        assert!(!parse("8.0.0.0/8").is_rfc1918());
        assert!(parse("8.0.0.0/8").has_public_addresses());
        assert!(parse("0.0.0.0/1").has_public_addresses());
        assert!(parse("128.0.0.0/1").has_public_addresses());
        assert!(parse("192.0.0.0/8").has_public_addresses());
        assert!(!parse("100.64.0.0/12").has_public_addresses());
        assert!(!parse("192.168.0.0/16").has_public_addresses());
        assert!(!parse("203.0.113.0/24").has_public_addresses());
    }
}
