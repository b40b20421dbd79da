//! The simulated world's hosts, in one table: each one's name, addresses and
//! services, and for the phone's interfaces their capture point and when
//! they are up, and where each host's packets go ([`Uplink`]). The engine
//! builds its stacks, starts its servers, routes and captures from it;
//! adding a host is adding a row (and, if it is reached a new way, an
//! [`Uplink`]).
//!
//! ```text
//!  phone en0 ── home router (NAT 198.51.100.7) ──┐
//!  phone pdp_ip0 ── carrier (CGNAT 198.51.100.200) ├── internet ── servers (17.0.0.0/8, 203.0.113.0/24, 192.0.2.0/24)
//!  phone utun0 ─ tunnel process ═(UDP 51820)═══════┴── VPN relay 203.0.113.10 ─(NAT 203.0.113.11)─ internet
//!  phone ipsec1 ── carrier IMS        phone bluetooth ── Apple Watch      LAN: printer, Mac, Watch
//! ```

use super::CapturePoint;
use super::apps::{self, Transport};
use crate::addresses::*;
use crate::model::{Family, Interface, IpModes, Network};
use core::net::{IpAddr, Ipv4Addr};

/// Every host of the topology; the order is [`HOSTS`]'s (a test checks).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Node {
    PhoneEn0,
    PhonePdp,
    PhoneUtun,
    PhoneIpsec,
    PhoneBluetooth,
    /// The tunnel process's own userspace stack (used under IAN).
    TunnelStack,
    HomeRouter,
    Printer,
    Mac,
    Watch,
    Web,
    IspDns,
    Apns,
    Maps,
    AppleServices,
    AppStore,
    Captive,
    VpnApi,
    Ims,
    Epdg,
    RelayGateway,
}

/// Where a host's outgoing packets go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Uplink {
    /// To the tunnel process, which wraps them for the relay.
    TunnelProcess,
    /// Wi-Fi: the router and the LAN, or the internet through the home NAT.
    HomeWifi,
    /// The carrier's CGNAT to the internet.
    Cellular,
    /// The carrier's IMS network (VoLTE).
    ImsLink,
    /// The Bluetooth link to the Watch.
    BluetoothLink,
    /// A LAN device (or the router): it talks to the phone only.
    Lan,
    /// The carrier's IMS core: back to the phone's ipsec1.
    ImsCore,
    /// The relay's gateway: back through the tunnel to the phone.
    Relay,
    /// A server on the internet.
    Internet,
}

/// When a phone interface can carry packets: on this network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Up {
    Wifi,
    Cellular,
    /// On any network (the tunnel, IMS and Bluetooth ride on one).
    AnyNetwork,
}

impl Up {
    pub fn holds(self, network: Option<Network>) -> bool {
        match self {
            Up::Wifi => network == Some(Network::Wifi),
            Up::Cellular => network == Some(Network::Cellular),
            Up::AnyNetwork => network.is_some(),
        }
    }
}

/// Where the drawing puts a host or a phone interface; the page gives each
/// place a point in each of its layouts (`web::topology`). Several hosts
/// may share a place (the servers, the LAN devices).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    PhoneEn0,
    PhonePdpIp0,
    PhoneIpsec1,
    PhoneBluetooth,
    PhoneUtun0,
    TunnelProcess,
    HomeRouter,
    Lan,
    Carrier,
    CarrierIms,
    Watch,
    Internet,
    Relay,
    Servers,
}

impl Place {
    pub const ALL: [Place; 14] = [
        Place::PhoneEn0,
        Place::PhonePdpIp0,
        Place::PhoneIpsec1,
        Place::PhoneBluetooth,
        Place::PhoneUtun0,
        Place::TunnelProcess,
        Place::HomeRouter,
        Place::Lan,
        Place::Carrier,
        Place::CarrierIms,
        Place::Watch,
        Place::Internet,
        Place::Relay,
        Place::Servers,
    ];
}

impl Uplink {
    /// The places a packet passes on its way out, as the drawing shows
    /// them (the tunnel's ends at the internet, behind the relay).
    pub fn path(self) -> &'static [Place] {
        match self {
            Uplink::TunnelProcess => &[Place::TunnelProcess, Place::Relay, Place::Internet],
            Uplink::HomeWifi => &[Place::HomeRouter, Place::Internet],
            Uplink::Cellular => &[Place::Carrier, Place::Internet],
            Uplink::ImsLink => &[Place::CarrierIms],
            Uplink::BluetoothLink => &[Place::Watch],
            Uplink::Lan | Uplink::ImsCore | Uplink::Relay => &[],
            Uplink::Internet => &[Place::Internet],
        }
    }
}

/// One host.
pub(super) struct HostRow {
    pub node: Node,
    pub name: &'static str,
    /// IPv4 addresses with prefix lengths (a host's IPv6 address, if it
    /// has one, is beside its IPv4 one in [`crate::addresses`]).
    pub addresses: &'static [(Ipv4Addr, u8)],
    /// Services it offers: (transport, port).
    pub services: &'static [(Transport, u16)],
    /// A phone interface: where its packets are captured, and when it is up.
    pub phone: Option<(CapturePoint, Up)>,
    pub uplink: Uplink,
    /// Where the drawing puts it.
    pub place: Place,
}

const fn host(
    node: Node,
    name: &'static str,
    addresses: &'static [(Ipv4Addr, u8)],
    services: &'static [(Transport, u16)],
    uplink: Uplink,
    place: Place,
) -> HostRow {
    HostRow {
        node,
        name,
        addresses,
        services,
        phone: None,
        uplink,
        place,
    }
}

const fn phone(
    node: Node,
    name: &'static str,
    addresses: &'static [(Ipv4Addr, u8)],
    capture: CapturePoint,
    up: Up,
    uplink: Uplink,
    place: Place,
) -> HostRow {
    HostRow {
        node,
        name,
        addresses,
        services: &[],
        phone: Some((capture, up)),
        uplink,
        place,
    }
}

const HTTPS: &[(Transport, u16)] = &[(Transport::Tcp, 443)];

pub(super) const HOSTS: [HostRow; 21] = [
    phone(
        Node::PhoneEn0,
        "phone en0",
        &[(PHONE_LAN, 24)],
        CapturePoint::En0,
        Up::Wifi,
        Uplink::HomeWifi,
        Place::PhoneEn0,
    ),
    phone(
        Node::PhonePdp,
        "phone pdp_ip0",
        &[(PHONE_CELLULAR, 32)],
        CapturePoint::PdpIp0,
        Up::Cellular,
        Uplink::Cellular,
        Place::PhonePdpIp0,
    ),
    phone(
        Node::PhoneUtun,
        "phone utun0",
        &[(PHONE_TUNNEL, 32)],
        CapturePoint::Utun0,
        Up::AnyNetwork,
        Uplink::TunnelProcess,
        Place::PhoneUtun0,
    ),
    phone(
        Node::PhoneIpsec,
        "phone ipsec1",
        &[(PHONE_IMS, 32)],
        CapturePoint::Ipsec1,
        Up::AnyNetwork,
        Uplink::ImsLink,
        Place::PhoneIpsec1,
    ),
    phone(
        Node::PhoneBluetooth,
        "phone bluetooth",
        &[(PHONE_BLUETOOTH, 16)],
        CapturePoint::Bluetooth,
        Up::AnyNetwork,
        Uplink::BluetoothLink,
        Place::PhoneBluetooth,
    ),
    phone(
        Node::TunnelStack,
        "tunnel process stack",
        &[(PHONE_TUNNEL, 32)],
        CapturePoint::TunnelProcess,
        Up::AnyNetwork,
        Uplink::TunnelProcess,
        Place::TunnelProcess,
    ),
    host(
        Node::HomeRouter,
        "home router",
        &[(HOME_ROUTER_LAN, 24)],
        &[(Transport::Udp, 67)],
        Uplink::Lan,
        Place::HomeRouter,
    ),
    host(
        Node::Printer,
        "LAN printer",
        &[(LAN_PRINTER, 24)],
        &[(Transport::Tcp, 631)],
        Uplink::Lan,
        Place::Lan,
    ),
    host(
        Node::Mac,
        "Mac (Xcode)",
        &[(LAN_MAC, 24)],
        &[(Transport::Tcp, 62078)],
        Uplink::Lan,
        Place::Lan,
    ),
    host(
        Node::Watch,
        "Apple Watch",
        &[(APPLE_WATCH, 24), (WATCH_BLUETOOTH, 16)],
        &[(Transport::Tcp, 62078)],
        Uplink::Lan,
        Place::Watch,
    ),
    host(
        Node::Web,
        "web site",
        &[(WEB_SITE, 32)],
        // HTTPS, and STUN for WebRTC (what a leak test's page asks).
        &[(Transport::Tcp, 443), (Transport::Udp, 3478)],
        Uplink::Internet,
        Place::Servers,
    ),
    host(
        Node::IspDns,
        "ISP resolver",
        &[(ISP_RESOLVER, 32)],
        &[(Transport::Udp, 53)],
        Uplink::Internet,
        Place::Servers,
    ),
    host(
        Node::Apns,
        "APNs courier",
        &[(APNS_COURIER, 32)],
        &[(Transport::Tcp, 5223)],
        Uplink::Internet,
        Place::Servers,
    ),
    host(
        Node::Maps,
        "Apple Maps",
        &[(APPLE_MAPS, 32)],
        HTTPS,
        Uplink::Internet,
        Place::Servers,
    ),
    host(
        Node::AppleServices,
        "iCloud",
        &[(APPLE_SERVICES, 32)],
        HTTPS,
        Uplink::Internet,
        Place::Servers,
    ),
    host(
        Node::AppStore,
        "App Store",
        &[(APP_STORE, 32)],
        HTTPS,
        Uplink::Internet,
        Place::Servers,
    ),
    host(
        Node::Captive,
        "captive.apple.com",
        &[(CAPTIVE_APPLE, 32)],
        &[(Transport::Tcp, 80)],
        Uplink::Internet,
        Place::Servers,
    ),
    host(
        Node::VpnApi,
        "VPN API",
        &[(VPN_API, 32)],
        HTTPS,
        Uplink::Internet,
        Place::Servers,
    ),
    host(
        Node::Ims,
        "carrier IMS",
        &[(CARRIER_IMS, 32)],
        &[(Transport::Udp, 5060)],
        Uplink::ImsCore,
        Place::CarrierIms,
    ),
    host(
        Node::Epdg,
        "carrier ePDG",
        &[(CARRIER_EPDG, 32)],
        &[(Transport::Udp, 4500)],
        Uplink::Internet,
        Place::Servers,
    ),
    host(
        Node::RelayGateway,
        "VPN relay gateway",
        &[(RELAY_GATEWAY, 10)],
        &[(Transport::Udp, 53), (Transport::Tcp, apps::PROBE_TCP_PORT)],
        Uplink::Relay,
        Place::Relay,
    ),
];

/// A host's row.
pub(super) fn row(node: Node) -> &'static HostRow {
    &HOSTS[node as usize]
}

/// The network a phone interface is on, if it is one of the two physical
/// ones.
pub(super) fn network_of(node: Node) -> Option<Network> {
    match node {
        Node::PhoneEn0 => Some(Network::Wifi),
        Node::PhonePdp => Some(Network::Cellular),
        _ => None,
    }
}

/// A host's addresses for its stacks: in both versions where the world has
/// IPv6 (an IPv4-only world's stacks have no IPv6 to look at), and for the
/// phone's Wi-Fi and cellular interfaces where their network has it. On an
/// IPv6-only network the phone's IPv4 sockets sit behind its CLAT, on
/// 192.0.0.2.
pub(super) fn stack_addresses(node: Node, ip: IpModes) -> Vec<(IpAddr, u8)> {
    let network = network_of(node).map(|n| ip.of(n));
    let behind_clat = network.is_some_and(|m| m.is_ipv6_only());
    let with_ipv6 = match network {
        Some(mode) => mode.carries(Family::V6),
        None => ip.has_ipv6(),
    };
    let mut out = Vec::new();
    for &(v4, len) in row(node).addresses {
        let shown = if behind_clat { PHONE_CLAT } else { v4 };
        out.push((IpAddr::V4(shown), len));
        if let Some(v6) = v6_of(v4).filter(|_| with_ipv6) {
            out.push((IpAddr::V6(v6), if len == 32 { 128 } else { 64 }));
        }
    }
    out
}

/// The phone's host for one of its interfaces.
pub(super) fn interface_node(interface: Interface) -> Option<Node> {
    match interface {
        Interface::En0 => Some(Node::PhoneEn0),
        Interface::PdpIp0 => Some(Node::PhonePdp),
        Interface::Ipsec1 => Some(Node::PhoneIpsec),
        Interface::Bluetooth => Some(Node::PhoneBluetooth),
        Interface::Utun0 => Some(Node::PhoneUtun),
        Interface::None => None,
    }
}

/// The places a phone interface's packets pass on their way out, as the
/// drawing shows them: the interface, then its uplink's places (empty for
/// no interface).
pub fn path_out(interface: Interface) -> Vec<Place> {
    let Some(node) = interface_node(interface) else {
        return Vec::new();
    };
    let row = row(node);
    let mut path = vec![row.place];
    path.extend(row.uplink.path().iter().filter(|p| **p != row.place));
    path
}

/// The places the tunnel's packets pass on their way out, as the drawing
/// shows them: into utun0 and the tunnel process, which wraps them and
/// sends them over the network the phone is on (`carrier`, Wi-Fi or
/// cellular), through its router or carrier to the internet and the relay.
/// Without a network to carry it, the tunnel goes no further than the
/// phone.
pub fn tunnel_path_out(carrier: Option<Interface>) -> Vec<Place> {
    let mut path = vec![Place::PhoneUtun0, Place::TunnelProcess];
    let outside = carrier.map(path_out).unwrap_or_default();
    if outside.last() == Some(&Place::Internet) {
        path.extend(outside);
        path.push(Place::Relay);
    }
    path
}

/// The link a capture point stands for, as two places, the phone's side
/// first: a phone interface and the first place its uplink reaches.
pub fn capture_link(point: CapturePoint) -> (Place, Place) {
    // The relay's internet side is the relay's NAT (`internet.rs`), not a
    // host of its own.
    if point == CapturePoint::RelayInternet {
        return (Place::Relay, Place::Internet);
    }
    let row = HOSTS
        .iter()
        .find(|h| h.phone.is_some_and(|(p, _)| p == point))
        .expect("every other capture point is a phone interface's row");
    let far = row
        .uplink
        .path()
        .iter()
        .copied()
        .find(|p| *p != row.place)
        .unwrap_or(row.place);
    (row.place, far)
}

/// The host an address belongs to (the tunnel's own address is the
/// phone's, reached only through the tunnel).
pub(super) fn node_of(addr: IpAddr) -> Option<Node> {
    let addr = match addr {
        IpAddr::V4(a) => a,
        IpAddr::V6(a) => v4_of(a)?,
    };
    HOSTS
        .iter()
        .find(|h| {
            !matches!(h.node, Node::PhoneUtun | Node::TunnelStack)
                && h.addresses.iter().any(|(a, _)| *a == addr)
        })
        .map(|h| h.node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_row_sits_at_its_node() {
        for (i, row) in HOSTS.iter().enumerate() {
            assert_eq!(row.node as usize, i, "{} is out of place", row.name);
        }
    }

    #[test]
    fn every_address_but_the_tunnels_names_one_host() {
        for row in &HOSTS {
            for (address, _) in row.addresses {
                let v6 = v6_of(*address).map(IpAddr::V6);
                for address in [Some(IpAddr::V4(*address)), v6].into_iter().flatten() {
                    if row.node == Node::PhoneUtun || row.node == Node::TunnelStack {
                        assert_eq!(node_of(address), None);
                    } else {
                        assert_eq!(node_of(address), Some(row.node), "{address}");
                    }
                }
            }
        }
    }

    #[test]
    fn every_capture_point_is_a_link_between_two_places() {
        for point in CapturePoint::ALL {
            let (near, far) = capture_link(point);
            assert_ne!(near, far, "{}", point.as_str());
        }
        assert_eq!(
            capture_link(CapturePoint::En0),
            (Place::PhoneEn0, Place::HomeRouter)
        );
        assert_eq!(
            capture_link(CapturePoint::TunnelProcess),
            (Place::TunnelProcess, Place::Relay)
        );
    }

    #[test]
    fn a_phone_interface_leads_out_through_its_uplink() {
        assert_eq!(
            path_out(Interface::Utun0),
            [
                Place::PhoneUtun0,
                Place::TunnelProcess,
                Place::Relay,
                Place::Internet
            ]
        );
        assert_eq!(
            path_out(Interface::PdpIp0),
            [Place::PhonePdpIp0, Place::Carrier, Place::Internet]
        );
        assert_eq!(
            path_out(Interface::Bluetooth),
            [Place::PhoneBluetooth, Place::Watch]
        );
        assert!(path_out(Interface::None).is_empty());
    }

    #[test]
    fn only_the_phones_interfaces_are_captured() {
        for row in &HOSTS {
            assert_eq!(
                row.phone.is_some(),
                row.name.starts_with("phone") || row.node == Node::TunnelStack,
                "{}",
                row.name
            );
        }
    }
}
