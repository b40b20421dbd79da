//! Every address in the simulated world, in one place, and route matching.
//!
//! Documentation ranges (RFC 5737, RFC 3849) are used everywhere except where
//! the real range is the lesson: Apple's 17.0.0.0/8, the home LAN's
//! 192.168.1.0/24 (a private range is what makes it "local"), and the
//! relay's in-tunnel 10.64.0.0/10 (Mullvad's gateway is 10.64.0.1).
//!
//! IPv6 addresses are in 2001:db8::/32 (RFC 3849), except the tunnel's
//! inside, a unique-local fc00::/7 range as Mullvad's (gateway
//! fc00:bbbb:bbbb:bb01::1), and NAT64's well-known prefix 64:ff9b::/96
//! (RFC 6052), which is the lesson on IPv6-only networks.

use crate::model::{Family, FlowKind};
use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The phone's address on the home Wi-Fi.
pub const PHONE_LAN: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 23);
/// The home router's LAN side and its public address.
pub const HOME_ROUTER_LAN: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 1);
pub const HOME_PUBLIC: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 7);
/// The phone's cellular address (RFC 6598 shared space: the carrier NATs it)
/// and the carrier-NAT public address the phone appears as on cellular.
pub const PHONE_CELLULAR: Ipv4Addr = Ipv4Addr::new(100, 64, 10, 23);
pub const CARRIER_PUBLIC: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 200);
/// The phone's address on the carrier's IMS bearer (ipsec1, VoLTE).
pub const PHONE_IMS: Ipv4Addr = Ipv4Addr::new(100, 64, 20, 23);
/// The phone and the paired Watch on their Bluetooth link (link-local).
pub const PHONE_BLUETOOTH: Ipv4Addr = Ipv4Addr::new(169, 254, 0, 23);
pub const WATCH_BLUETOOTH: Ipv4Addr = Ipv4Addr::new(169, 254, 0, 60);
/// Every address the phone sends from, one per interface.
pub const PHONE_ADDRESSES: [Ipv4Addr; 5] = [
    PHONE_LAN,
    PHONE_CELLULAR,
    PHONE_TUNNEL,
    PHONE_IMS,
    PHONE_BLUETOOTH,
];
/// The phone's tunnel address and the relay's in-tunnel gateway.
pub const PHONE_TUNNEL: Ipv4Addr = Ipv4Addr::new(10, 64, 12, 34);
pub const RELAY_GATEWAY: Ipv4Addr = Ipv4Addr::new(10, 64, 0, 1);
/// The relay's public address (where the tunnel's UDP goes) and the separate
/// exit address it NATs tunnel traffic to.
pub const RELAY_PUBLIC: Ipv4Addr = Ipv4Addr::new(203, 0, 113, 10);
pub const RELAY_EXIT: Ipv4Addr = Ipv4Addr::new(203, 0, 113, 11);
/// Servers.
pub const WEB_SITE: Ipv4Addr = Ipv4Addr::new(203, 0, 113, 80);
pub const ISP_RESOLVER: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 53);
pub const APNS_COURIER: Ipv4Addr = Ipv4Addr::new(17, 57, 146, 20);
pub const APPLE_MAPS: Ipv4Addr = Ipv4Addr::new(17, 253, 16, 1);
pub const APPLE_SERVICES: Ipv4Addr = Ipv4Addr::new(17, 248, 128, 5);
pub const APP_STORE: Ipv4Addr = Ipv4Addr::new(17, 253, 122, 2);
pub const CAPTIVE_APPLE: Ipv4Addr = Ipv4Addr::new(17, 253, 85, 204);
pub const VPN_API: Ipv4Addr = Ipv4Addr::new(203, 0, 113, 30);
pub const CARRIER_IMS: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 100);
pub const CARRIER_EPDG: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 101);
/// What an attacker's Wi-Fi aims at: the web site, whose address its
/// LocalNet subnet contains, its spoofed VPN-server answer names, and its
/// DHCP option 121 route covers.
pub const ATTACK_TARGET: Ipv4Addr = WEB_SITE;
/// The public subnet a LocalNet attacker announces as its local network
/// (TunnelCrack's example was 216.165.47.0/24, NYU's): the target's /26,
/// which leaves the relay's addresses outside it.
pub const LOCALNET_SUBNET: Cidr = Cidr {
    addr: IpAddr::V4(Ipv4Addr::new(203, 0, 113, 64)),
    len: 26,
};
/// The classless static route a TunnelVision attacker pushes (DHCP option
/// 121): the target's host route, via the Wi-Fi's router.
pub const TUNNELVISION_ROUTE: Cidr = Cidr {
    addr: IpAddr::V4(WEB_SITE),
    len: 32,
};
/// Devices on the home LAN.
pub const LAN_PRINTER: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 40);
pub const LAN_MAC: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 50);
pub const APPLE_WATCH: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 60);

/// IPv6, on the networks that have it. The home Wi-Fi's prefix (the router
/// routes it without NAT) and the phone's address in it.
pub const PHONE_LAN_V6: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 1, 0, 0, 0, 0, 0x23);
/// The phone's address on the carrier's IPv6, and the separate address its
/// CLAT translates IPv4-only apps' packets from (RFC 6877 464XLAT).
pub const PHONE_CELLULAR_V6: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0xc, 0, 0, 0, 0, 0x23);
pub const PHONE_CLAT_V6: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0xc, 0, 0, 0, 0x464, 0x23);
/// The same on an IPv6-only Wi-Fi, where the phone may run a CLAT too.
pub const PHONE_LAN_CLAT_V6: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 1, 0, 0, 0, 0x464, 0x23);
/// What an IPv4-only app's socket is bound to behind the CLAT (RFC 7335's
/// IPv4 service continuity prefix, 192.0.0.0/29).
pub const PHONE_CLAT: Ipv4Addr = Ipv4Addr::new(192, 0, 0, 2);
/// The phone's in-tunnel IPv6 address and the relay's IPv6 gateway (a
/// tunnel whose routes carry IPv6).
pub const PHONE_TUNNEL_V6: Ipv6Addr =
    Ipv6Addr::new(0xfc00, 0xbbbb, 0xbbbb, 0xbb01, 0, 0, 0xc, 0x2234);
pub const RELAY_GATEWAY_V6: Ipv6Addr = Ipv6Addr::new(0xfc00, 0xbbbb, 0xbbbb, 0xbb01, 0, 0, 0, 1);
/// The relay's IPv6 exit. The VPN apps modelled give the tunnel an IPv4
/// relay address, so its transport is IPv4 (through NAT64 on an IPv6-only
/// network).
pub const RELAY_EXIT_V6: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0x7, 0, 0, 0, 0, 0x11);
/// Servers' IPv6 addresses (every server on the internet is dual-stack;
/// the LAN devices, the carrier's IMS and ePDG, and DHCP are IPv4 only).
pub const WEB_SITE_V6: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0x7, 0, 0, 0, 0, 0x80);
pub const ISP_RESOLVER_V6: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0x2, 0, 0, 0, 0, 0x53);
pub const APNS_COURIER_V6: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0x17, 0, 0, 0, 0, 0x20);
pub const APPLE_MAPS_V6: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0x17, 0, 0, 0, 0x16, 1);
pub const APPLE_SERVICES_V6: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0x17, 0, 0, 0, 0x128, 5);
pub const APP_STORE_V6: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0x17, 0, 0, 0, 0x122, 2);
pub const CAPTIVE_APPLE_V6: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0x17, 0, 0, 0, 0x85, 0x204);
pub const VPN_API_V6: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0x7, 0, 0, 0, 0, 0x30);

/// An address the phone sends from, in either version (its CLAT's too).
pub fn is_phone(addr: IpAddr) -> bool {
    match addr {
        IpAddr::V4(a) => PHONE_ADDRESSES.contains(&a) || a == PHONE_CLAT,
        IpAddr::V6(a) => [
            PHONE_LAN_V6,
            PHONE_CELLULAR_V6,
            PHONE_TUNNEL_V6,
            PHONE_CLAT_V6,
            PHONE_LAN_CLAT_V6,
        ]
        .contains(&a),
    }
}

/// The relay's exit, in either version.
pub fn is_relay_exit(addr: IpAddr) -> bool {
    addr == IpAddr::V4(RELAY_EXIT) || addr == IpAddr::V6(RELAY_EXIT_V6)
}

/// NAT64's well-known prefix (RFC 6052): an IPv6-only network's NAT64
/// reaches IPv4 address a.b.c.d at 64:ff9b::a.b.c.d.
pub const NAT64_PREFIX: Cidr = Cidr {
    addr: IpAddr::V6(Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, 0, 0)),
    len: 96,
};

/// The IPv6 address NAT64 reaches an IPv4 address at.
pub fn nat64(v4: Ipv4Addr) -> Ipv6Addr {
    let [a, b, c, d] = v4.octets();
    Ipv6Addr::new(
        0x64,
        0xff9b,
        0,
        0,
        0,
        0,
        u16::from_be_bytes([a, b]),
        u16::from_be_bytes([c, d]),
    )
}

/// The IPv4 address inside a NAT64 address, if it is one.
pub fn from_nat64(v6: Ipv6Addr) -> Option<Ipv4Addr> {
    NAT64_PREFIX.contains(IpAddr::V6(v6)).then(|| {
        let o = v6.octets();
        Ipv4Addr::new(o[12], o[13], o[14], o[15])
    })
}

/// A host's IPv6 address beside its IPv4 one, for the hosts that have one.
pub fn v6_of(v4: Ipv4Addr) -> Option<Ipv6Addr> {
    DUAL_STACK.iter().find(|(a, _)| *a == v4).map(|(_, b)| *b)
}

/// The IPv4 address of the host that has this IPv6 one.
pub fn v4_of(v6: Ipv6Addr) -> Option<Ipv4Addr> {
    DUAL_STACK.iter().find(|(_, b)| *b == v6).map(|(a, _)| *a)
}

/// Every dual-stack host's two addresses (the router's DHCP is IPv4's).
const DUAL_STACK: [(Ipv4Addr, Ipv6Addr); 12] = [
    (PHONE_LAN, PHONE_LAN_V6),
    (PHONE_CELLULAR, PHONE_CELLULAR_V6),
    (PHONE_TUNNEL, PHONE_TUNNEL_V6),
    (RELAY_GATEWAY, RELAY_GATEWAY_V6),
    (WEB_SITE, WEB_SITE_V6),
    (ISP_RESOLVER, ISP_RESOLVER_V6),
    (APNS_COURIER, APNS_COURIER_V6),
    (APPLE_MAPS, APPLE_MAPS_V6),
    (APPLE_SERVICES, APPLE_SERVICES_V6),
    (APP_STORE, APP_STORE_V6),
    (CAPTIVE_APPLE, CAPTIVE_APPLE_V6),
    (VPN_API, VPN_API_V6),
];

/// Where a flow of this kind goes in one family; `None` when its server
/// has no address of that family (the LAN, the carrier, DHCP).
pub fn destination_in(kind: FlowKind, family: Family) -> Option<IpAddr> {
    let v4 = destination_v4(kind);
    match family {
        Family::V4 => Some(IpAddr::V4(v4)),
        Family::V6 => v6_of(v4).map(IpAddr::V6),
    }
}

/// Where a flow of this kind goes. DNS goes to the VPN's resolver when the
/// tunnel carries it and to the ISP's otherwise; the policy picks.
pub fn destination(kind: FlowKind) -> IpAddr {
    IpAddr::V4(destination_v4(kind))
}

/// The same, as the IPv4 address it is (the table is [`crate::kinds`]);
/// [`destination_in`] gives the other family's.
pub fn destination_v4(kind: FlowKind) -> Ipv4Addr {
    crate::kinds::traits(kind).destination
}

/// The local ranges iOS treats as "local networks" (Mullvad's LAN-sharing
/// list): 10/8, 172.16/12, 192.168/16, 169.254/16, fe80::/10, fc00::/7.
pub fn is_local(addr: IpAddr) -> bool {
    match addr {
        IpAddr::V4(a) => a.is_private() || a.is_link_local() || a.is_broadcast(),
        IpAddr::V6(a) => {
            let first = a.segments()[0];
            (first & 0xffc0) == 0xfe80 || (first & 0xfe00) == 0xfc00
        }
    }
}

/// An IPv4 or IPv6 prefix such as `0.0.0.0/0` or `192.168.0.0/16`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    pub addr: IpAddr,
    pub len: u8,
}

impl Cidr {
    pub fn parse(text: &str) -> Result<Cidr, String> {
        let bad = || {
            format!(
                "`{text}` is not a route: write an IPv4 or IPv6 prefix such as \"0.0.0.0/0\", \"192.168.0.0/16\" or \"::/0\""
            )
        };
        let (addr, len) = text.split_once('/').ok_or_else(bad)?;
        let addr: IpAddr = addr.parse().map_err(|_| bad())?;
        let len: u8 = len.parse().map_err(|_| bad())?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        if len > max {
            return Err(format!(
                "`{text}`: a prefix length must be at most {max} for this address"
            ));
        }
        Ok(Cidr { addr, len })
    }

    pub fn contains(&self, addr: IpAddr) -> bool {
        match (self.addr, addr) {
            (IpAddr::V4(net), IpAddr::V4(a)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.len)).unwrap_or(0);
                (u32::from(net) & mask) == (u32::from(a) & mask)
            }
            (IpAddr::V6(net), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.len))
                    .unwrap_or(0);
                (u128::from(net) & mask) == (u128::from(a) & mask)
            }
            _ => false,
        }
    }
}

/// Serialized as its text, e.g. `"0.0.0.0/0"`.
impl serde::Serialize for Cidr {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_matching() {
        let all = Cidr::parse("0.0.0.0/0").unwrap();
        assert!(all.contains(IpAddr::V4(WEB_SITE)));
        assert!(!all.contains("2001:db8::1".parse().unwrap()));
        let apple = Cidr::parse("17.0.0.0/8").unwrap();
        assert!(apple.contains(IpAddr::V4(APNS_COURIER)));
        assert!(!apple.contains(IpAddr::V4(WEB_SITE)));
        assert!(
            Cidr::parse("::/0")
                .unwrap()
                .contains("2001:db8::1".parse().unwrap())
        );
        assert!(
            Cidr::parse("10.0.0.0/33")
                .unwrap_err()
                .contains("at most 32")
        );
        assert!(Cidr::parse("banana").unwrap_err().contains("0.0.0.0/0"));
        assert_eq!(
            Cidr::parse("192.168.0.0/16").unwrap().to_string(),
            "192.168.0.0/16"
        );
    }

    #[test]
    fn the_lan_is_local_and_the_internet_is_not() {
        assert!(is_local(IpAddr::V4(LAN_PRINTER)));
        assert!(is_local(IpAddr::V4(Ipv4Addr::BROADCAST)));
        assert!(!is_local(IpAddr::V4(APNS_COURIER)));
        assert!(!is_local(IpAddr::V4(WEB_SITE)));
        assert!(is_local("fe80::1".parse().unwrap()));
    }
}
