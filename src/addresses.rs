//! Every address in the simulated world, in one place, and route matching.
//!
//! Documentation ranges (RFC 5737, RFC 3849) are used everywhere except where
//! the real range is the lesson: Apple's 17.0.0.0/8, the home LAN's
//! 192.168.1.0/24 (a private range is what makes it "local"), and the
//! relay's in-tunnel 10.64.0.0/10 (Mullvad's gateway is 10.64.0.1).

use crate::model::FlowKind;
use core::fmt;
use core::net::{IpAddr, Ipv4Addr};

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

/// Where a flow of this kind goes. DNS goes to the VPN's resolver when the
/// tunnel carries it and to the ISP's otherwise; the policy picks.
pub fn destination(kind: FlowKind) -> IpAddr {
    IpAddr::V4(destination_v4(kind))
}

/// The same, as the IPv4 address it is: the simulated world has no IPv6
/// host yet, so the packet engine (IPv4-only) takes this one. The table is
/// [`crate::kinds`].
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
