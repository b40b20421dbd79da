//! What each flow kind sends and what each server answers: the application
//! layer on top of the smoltcp sockets. Payloads are small but shaped like
//! the real thing (an HTTP request, a DNS query, a DHCP request, SIP).

use crate::addresses::*;
use crate::model::{Family, FlowKind};
use core::net::{IpAddr, Ipv4Addr};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    Tcp,
    Udp,
    /// The tunnel process's probe: ICMP echo plus one in-tunnel TCP.
    Probe,
    /// The tunnel's own UDP, driven by the tunnel process, not a client.
    Tunnel,
}

/// What a flow of some kind does.
#[derive(Clone, Copy, Debug)]
pub struct Traffic {
    pub transport: Transport,
    pub port: u16,
    /// Bytes of the first request, and of each later one.
    pub request: &'static [u8],
    /// Microseconds between requests (UDP) or application keepalives (TCP);
    /// `None`: one request per connection.
    pub every_us: Option<u64>,
    /// TCP keepalive for long-lived connections, in microseconds.
    pub keepalive_us: Option<u64>,
}

const SECOND: u64 = 1_000_000;

pub fn traffic(kind: FlowKind) -> Traffic {
    let tcp = |port, request, keepalive_us| Traffic {
        transport: Transport::Tcp,
        port,
        request,
        every_us: None,
        keepalive_us,
    };
    let udp = |port, request, every_us| Traffic {
        transport: Transport::Udp,
        port,
        request,
        every_us: Some(every_us),
        keepalive_us: None,
    };
    const HTTPS_HELLO: &[u8] = b"\x16\x03\x01\x00\xc8 TLS ClientHello (model)";
    match kind {
        FlowKind::App => tcp(443, HTTPS_HELLO, Some(15 * SECOND)),
        FlowKind::Apns => tcp(5223, b"\x16\x03\x01 APNs courier hello (model)", Some(15 * SECOND)),
        FlowKind::AppleMaps => tcp(443, HTTPS_HELLO, Some(15 * SECOND)),
        FlowKind::AppleServices => tcp(443, HTTPS_HELLO, Some(15 * SECOND)),
        FlowKind::AppStore => tcp(443, HTTPS_HELLO, Some(15 * SECOND)),
        FlowKind::VpnApi => tcp(443, HTTPS_HELLO, None),
        // The phone NATs its hotspot clients, so on the cellular link their
        // connections look like the phone's own.
        FlowKind::HotspotClient => tcp(443, HTTPS_HELLO, Some(15 * SECOND)),
        FlowKind::LocalNetwork => tcp(631, b"POST /ipp/print HTTP/1.1\r\nHost: printer.local\r\n\r\n", Some(15 * SECOND)),
        FlowKind::DeviceCommunication => tcp(62078, b"lockdownd QueryType (model)", Some(15 * SECOND)),
        FlowKind::Companion => tcp(62078, b"companion sync (model)", Some(15 * SECOND)),
        FlowKind::CaptivePortal => tcp(
            80,
            b"GET /hotspot-detect.html HTTP/1.0\r\nHost: captive.apple.com\r\nUser-Agent: CaptiveNetworkSupport\r\n\r\n",
            None,
        ),
        FlowKind::Dns => udp(53, DNS_QUERY, 10 * SECOND),
        // WebRTC's STUN binding request, the packet a leak test reads the
        // address from.
        FlowKind::ScopedApp => udp(3478, b"\x00\x01\x00\x00\x21\x12\xa4\x42 STUN binding request (model)", 10 * SECOND),
        FlowKind::Dhcp => udp(67, &[], 60 * SECOND),
        FlowKind::CellularServices => udp(4500, b"\xff IKEv2 NAT-T keepalive (model)", 20 * SECOND),
        FlowKind::Volte => udp(
            5060,
            b"REGISTER sip:ims.example SIP/2.0\r\nVia: SIP/2.0/UDP phone;branch=z9hG4bK1\r\n\r\n",
            20 * SECOND,
        ),
        FlowKind::TunnelProbe => Traffic {
            transport: Transport::Probe,
            port: PROBE_TCP_PORT,
            request: b"ephemeral peer exchange (model)",
            every_us: Some(5 * SECOND),
            keepalive_us: None,
        },
        FlowKind::VpnTransport => Traffic {
            transport: Transport::Tunnel,
            port: super::packet::tunnel::PORT,
            request: &[],
            every_us: None,
            keepalive_us: None,
        },
    }
}

/// The in-tunnel TCP port of the relay gateway (the key-exchange service).
pub const PROBE_TCP_PORT: u16 = 1337;

/// Where a flow goes, in the IP version its segment uses. DNS goes to the
/// VPN's resolver inside the tunnel and to the ISP's outside it; the Watch
/// is reached on the Bluetooth link off Wi-Fi.
pub fn destination(
    kind: FlowKind,
    through_tunnel: bool,
    on_bluetooth: bool,
    family: Family,
) -> IpAddr {
    let v4 = match kind {
        FlowKind::Dns if through_tunnel => RELAY_GATEWAY,
        FlowKind::Companion if on_bluetooth => WATCH_BLUETOOTH,
        FlowKind::Dhcp => HOME_ROUTER_LAN,
        _ => crate::addresses::destination_v4(kind),
    };
    match family {
        Family::V6 => v6_of(v4).map_or(IpAddr::V4(v4), IpAddr::V6),
        Family::V4 => IpAddr::V4(v4),
    }
}

/// A DNS query for captive.apple.com, type A.
pub const DNS_QUERY: &[u8] = b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07captive\x05apple\x03com\x00\x00\x01\x00\x01";

/// A DHCPREQUEST renewing the phone's lease (BOOTP header, magic cookie,
/// option 53 = 3). The phone already knows its address, so it renews by
/// unicast to the router.
pub fn dhcp_request(client: Ipv4Addr) -> Vec<u8> {
    bootp(1, client, Ipv4Addr::UNSPECIFIED, 3)
}

/// The router's DHCPACK.
pub fn dhcp_ack(client: Ipv4Addr) -> Vec<u8> {
    bootp(2, client, client, 5)
}

/// A TunnelVision attacker's DHCPACK: the lease plus a classless static
/// route (option 121, RFC 3442) through `router`.
pub fn dhcp_ack_with_route(client: Ipv4Addr, route: Cidr, router: Ipv4Addr) -> Vec<u8> {
    let mut out = dhcp_ack(client);
    let IpAddr::V4(destination) = route.addr else {
        return out;
    };
    // RFC 3442: the prefix length, then only the significant octets.
    let significant = usize::from(route.len).div_ceil(8);
    let mut option = vec![route.len];
    option.extend_from_slice(&destination.octets()[..significant]);
    option.extend_from_slice(&router.octets());
    out.pop(); // the end option goes after the new one
    out.push(121);
    out.push(option.len() as u8);
    out.extend_from_slice(&option);
    out.push(255);
    out
}

fn bootp(op: u8, ciaddr: Ipv4Addr, yiaddr: Ipv4Addr, message_type: u8) -> Vec<u8> {
    let mut out = vec![0u8; 236];
    out[0] = op;
    out[1] = 1; // Ethernet
    out[2] = 6; // hardware address length
    out[4..8].copy_from_slice(&0x7453_2026u32.to_be_bytes());
    out[12..16].copy_from_slice(&ciaddr.octets());
    out[16..20].copy_from_slice(&yiaddr.octets());
    out[28..34].copy_from_slice(&[0x02, 0x00, 0x5e, 0x10, 0x00, 0x23]);
    out.extend_from_slice(&[99, 130, 83, 99, 53, 1, message_type, 255]);
    out
}

/// What a server answers to a request on `port` from `client`.
pub fn response(port: u16, request: &[u8], client: IpAddr) -> Vec<u8> {
    match (port, client) {
        (53, _) => dns_answer(request),
        (67, IpAddr::V4(client)) => dhcp_ack(client),
        _ => service_answer(port),
    }
}

fn service_answer(port: u16) -> Vec<u8> {
    match port {
        80 => b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>".to_vec(),
        5060 => b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP phone;branch=z9hG4bK1\r\n\r\n".to_vec(),
        4500 => b"\xff IKEv2 NAT-T keepalive (model)".to_vec(),
        _ => {
            let mut out = b"\x16\x03\x03 server response (model) ".to_vec();
            out.resize(1200, b'.');
            out
        }
    }
}

fn dns_answer(query: &[u8]) -> Vec<u8> {
    let mut out = query.to_vec();
    if out.len() < 12 {
        return out;
    }
    out[2] = 0x81; // response, recursion desired
    out[3] = 0x80; // recursion available
    out[7] = 1; // one answer
    // Name pointer to the question, type A, class IN, TTL 60, 4 bytes.
    out.extend_from_slice(&[0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4]);
    out.extend_from_slice(&CAPTIVE_APPLE.octets());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_traffic_and_a_destination() {
        for kind in FlowKind::ALL {
            let t = traffic(*kind);
            assert!(t.port > 0, "{kind}");
            let _ = destination(*kind, false, false, Family::V4);
        }
        let dns = |tunnel, family| destination(FlowKind::Dns, tunnel, false, family);
        assert_eq!(dns(true, Family::V4), IpAddr::V4(RELAY_GATEWAY));
        assert_eq!(dns(false, Family::V4), IpAddr::V4(ISP_RESOLVER));
        assert_eq!(dns(true, Family::V6), IpAddr::V6(RELAY_GATEWAY_V6));
        assert_eq!(dns(false, Family::V6), IpAddr::V6(ISP_RESOLVER_V6));
        // The LAN has no IPv6 address: an IPv6 segment never asks for one,
        // and the IPv4 one is what there is.
        let printer = destination(FlowKind::LocalNetwork, false, false, Family::V6);
        assert_eq!(printer, IpAddr::V4(LAN_PRINTER));
    }

    #[test]
    fn dns_answers_point_at_the_question() {
        let answer = response(53, DNS_QUERY, IpAddr::V4(WEB_SITE));
        assert_eq!(answer.len(), DNS_QUERY.len() + 16);
        assert_eq!(answer[7], 1);
    }

    #[test]
    fn dhcp_messages_carry_the_magic_cookie() {
        let request = dhcp_request(PHONE_LAN);
        assert_eq!(&request[236..240], &[99, 130, 83, 99]);
        assert_eq!(request[242], 3);
        assert_eq!(dhcp_ack(PHONE_LAN)[242], 5);
        // Option 121 for 203.0.113.80/32 via 192.168.1.1, then the end.
        let pushed = dhcp_ack_with_route(PHONE_LAN, TUNNELVISION_ROUTE, HOME_ROUTER_LAN);
        assert_eq!(
            pushed[243..],
            [121, 9, 32, 203, 0, 113, 80, 192, 168, 1, 1, 255]
        );
    }
}
