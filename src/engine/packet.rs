//! Looking into and rewriting raw IPv4 packets with smoltcp's typed views:
//! what a packet is (for flow attribution and one-line summaries), NAT
//! rewrites with checksums recomputed, and the tunnel's data header.

use core::net::Ipv4Addr;
use smoltcp::phy::ChecksumCapabilities;
use smoltcp::wire::{
    Icmpv4Packet, Icmpv4Repr, IpAddress, IpProtocol, Ipv4Packet, Ipv4Repr, TcpPacket, UdpPacket,
    UdpRepr,
};

/// The transport-level identity of a packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ends {
    pub protocol: Protocol,
    pub src: Ipv4Addr,
    pub dst: Ipv4Addr,
    /// Ports for TCP/UDP; the echo identifier (both ends) for ICMP.
    pub src_port: u16,
    pub dst_port: u16,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    Tcp,
    Udp,
    Icmp,
    Other(u8),
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Icmp => "ICMP",
            Protocol::Other(_) => "IP",
        }
    }
}

/// Reads the addresses and ports of an IPv4 packet; `None` if it is not one.
pub fn ends(bytes: &[u8]) -> Option<Ends> {
    let ip = Ipv4Packet::new_checked(bytes).ok()?;
    let (protocol, src_port, dst_port) = match ip.next_header() {
        IpProtocol::Tcp => {
            let tcp = TcpPacket::new_checked(ip.payload()).ok()?;
            (Protocol::Tcp, tcp.src_port(), tcp.dst_port())
        }
        IpProtocol::Udp => {
            let udp = UdpPacket::new_checked(ip.payload()).ok()?;
            (Protocol::Udp, udp.src_port(), udp.dst_port())
        }
        IpProtocol::Icmp => {
            let icmp = Icmpv4Packet::new_checked(ip.payload()).ok()?;
            let ident = icmp.echo_ident();
            (Protocol::Icmp, ident, ident)
        }
        other => (Protocol::Other(u8::from(other)), 0, 0),
    };
    Some(Ends {
        protocol,
        src: ip.src_addr(),
        dst: ip.dst_addr(),
        src_port,
        dst_port,
    })
}

/// A TCP segment opening a connection (SYN without ACK).
pub fn is_syn(bytes: &[u8]) -> bool {
    Ipv4Packet::new_checked(bytes)
        .ok()
        .filter(|ip| ip.next_header() == IpProtocol::Tcp)
        .and_then(|ip| {
            TcpPacket::new_checked(ip.payload())
                .ok()
                .map(|tcp| tcp.syn() && !tcp.ack())
        })
        .unwrap_or(false)
}

/// A tcpdump-like one-line description.
pub fn summary(bytes: &[u8]) -> String {
    let Ok(ip) = Ipv4Packet::new_checked(bytes) else {
        return format!("{} bytes, not IPv4", bytes.len());
    };
    let (src, dst) = (ip.src_addr(), ip.dst_addr());
    match ip.next_header() {
        IpProtocol::Tcp => match TcpPacket::new_checked(ip.payload()) {
            Ok(tcp) => {
                let mut flags = String::new();
                for (set, name) in [
                    (tcp.syn(), "S"),
                    (tcp.fin(), "F"),
                    (tcp.rst(), "R"),
                    (tcp.psh(), "P"),
                    (tcp.ack(), "."),
                ] {
                    if set {
                        flags.push_str(name);
                    }
                }
                format!(
                    "{src}:{} > {dst}:{} TCP [{flags}] seq {} len {}",
                    tcp.src_port(),
                    tcp.dst_port(),
                    tcp.seq_number(),
                    tcp.payload().len()
                )
            }
            Err(_) => format!("{src} > {dst} TCP (truncated)"),
        },
        IpProtocol::Udp => match UdpPacket::new_checked(ip.payload()) {
            Ok(udp) => {
                let what = match (udp.src_port(), udp.dst_port()) {
                    (_, 53) | (53, _) => " DNS",
                    (_, 67) | (67, _) | (68, _) => " DHCP",
                    (_, 51820) | (51820, _) => tunnel_label(udp.payload()),
                    (_, 5060) | (5060, _) => " SIP",
                    (_, 4500) | (4500, _) => " IKE/ESP (NAT-T)",
                    _ => "",
                };
                format!(
                    "{src}:{} > {dst}:{} UDP{what} len {}",
                    udp.src_port(),
                    udp.dst_port(),
                    udp.payload().len()
                )
            }
            Err(_) => format!("{src} > {dst} UDP (truncated)"),
        },
        IpProtocol::Icmp => match Icmpv4Packet::new_checked(ip.payload()) {
            Ok(icmp) => match Icmpv4Repr::parse(&icmp, &ChecksumCapabilities::ignored()) {
                Ok(Icmpv4Repr::EchoRequest { ident, seq_no, .. }) => {
                    format!("{src} > {dst} ICMP echo request id {ident} seq {seq_no}")
                }
                Ok(Icmpv4Repr::EchoReply { ident, seq_no, .. }) => {
                    format!("{src} > {dst} ICMP echo reply id {ident} seq {seq_no}")
                }
                _ => format!("{src} > {dst} ICMP"),
            },
            Err(_) => format!("{src} > {dst} ICMP (truncated)"),
        },
        other => format!("{src} > {dst} {other}"),
    }
}

/// A packet's headers, layer by layer, for the inspector.
pub fn layers(bytes: &[u8]) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let Ok(ip) = Ipv4Packet::new_checked(bytes) else {
        out.push(("bytes", format!("{} bytes, not IPv4", bytes.len())));
        return out;
    };
    out.push((
        "IPv4",
        format!(
            "{} → {}, TTL {}, {} bytes, protocol {}, checksum {}",
            ip.src_addr(),
            ip.dst_addr(),
            ip.hop_limit(),
            ip.total_len(),
            ip.next_header(),
            if ip.verify_checksum() {
                "valid"
            } else {
                "INVALID"
            }
        ),
    ));
    match ip.next_header() {
        IpProtocol::Tcp => {
            if let Ok(tcp) = TcpPacket::new_checked(ip.payload()) {
                let mut flags = Vec::new();
                for (set, name) in [
                    (tcp.syn(), "SYN"),
                    (tcp.ack(), "ACK"),
                    (tcp.psh(), "PSH"),
                    (tcp.fin(), "FIN"),
                    (tcp.rst(), "RST"),
                ] {
                    if set {
                        flags.push(name);
                    }
                }
                out.push((
                    "TCP",
                    format!(
                        "port {} → {}, [{}], seq {}, ack {}, window {}",
                        tcp.src_port(),
                        tcp.dst_port(),
                        flags.join(" "),
                        tcp.seq_number(),
                        tcp.ack_number(),
                        tcp.window_len()
                    ),
                ));
                out.push(("payload", format!("{} bytes", tcp.payload().len())));
            }
        }
        IpProtocol::Udp => {
            if let Ok(udp) = UdpPacket::new_checked(ip.payload()) {
                out.push((
                    "UDP",
                    format!(
                        "port {} → {}, {} bytes",
                        udp.src_port(),
                        udp.dst_port(),
                        udp.len()
                    ),
                ));
                if let Some((kind, inner)) = tunnel::unwrap(udp.payload())
                    .filter(|_| udp.dst_port() == tunnel::PORT || udp.src_port() == tunnel::PORT)
                {
                    out.push((
                        "tunnel (model)",
                        format!(
                            "message type {kind}, {} bytes inside, no encryption",
                            inner.len()
                        ),
                    ));
                    if !inner.is_empty() {
                        out.push(("inside", summary(inner)));
                    }
                } else {
                    out.push(("payload", format!("{} bytes", udp.payload().len())));
                }
            }
        }
        IpProtocol::Icmp => out.push(("ICMP", summary(bytes))),
        _ => {}
    }
    out
}

/// Rewrites the source (or destination) address and port of a packet, as a
/// NAT does, and recomputes the IP and TCP/UDP checksums.
pub fn rewrite(bytes: &mut [u8], src: Option<(Ipv4Addr, u16)>, dst: Option<(Ipv4Addr, u16)>) {
    let Ok(mut ip) = Ipv4Packet::new_checked(&mut *bytes) else {
        return;
    };
    if let Some((addr, _)) = src {
        ip.set_src_addr(addr);
    }
    if let Some((addr, _)) = dst {
        ip.set_dst_addr(addr);
    }
    ip.fill_checksum();
    let (src_addr, dst_addr) = (ip.src_addr(), ip.dst_addr());
    match ip.next_header() {
        IpProtocol::Tcp => {
            let mut tcp = TcpPacket::new_unchecked(ip.payload_mut());
            if let Some((_, port)) = src {
                tcp.set_src_port(port);
            }
            if let Some((_, port)) = dst {
                tcp.set_dst_port(port);
            }
            tcp.fill_checksum(&src_addr.into(), &dst_addr.into());
        }
        IpProtocol::Udp => {
            let mut udp = UdpPacket::new_unchecked(ip.payload_mut());
            if let Some((_, port)) = src {
                udp.set_src_port(port);
            }
            if let Some((_, port)) = dst {
                udp.set_dst_port(port);
            }
            udp.fill_checksum(&src_addr.into(), &dst_addr.into());
        }
        // ICMP's checksum covers no addresses; the echo identifier is kept.
        _ => {}
    }
}

/// The tunnel's data header: a model of WireGuard's transport message
/// (type 4, receiver index, counter), with **no cryptography**: the inner
/// packet follows in the clear so the pcaps stay readable.
pub mod tunnel {
    pub const PORT: u16 = 51820;
    pub const HEADER_LEN: usize = 16;
    pub const HANDSHAKE_INITIATION: u8 = 1;
    pub const HANDSHAKE_RESPONSE: u8 = 2;
    pub const DATA: u8 = 4;

    pub fn wrap(kind: u8, receiver: u32, counter: u64, inner: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + inner.len());
        out.extend_from_slice(&[kind, 0, 0, 0]);
        out.extend_from_slice(&receiver.to_le_bytes());
        out.extend_from_slice(&counter.to_le_bytes());
        out.extend_from_slice(inner);
        out
    }

    /// The message type and the inner packet, if the payload is ours.
    pub fn unwrap(payload: &[u8]) -> Option<(u8, &[u8])> {
        if payload.len() < HEADER_LEN || payload[1..4] != [0, 0, 0] {
            return None;
        }
        Some((payload[0], &payload[HEADER_LEN..]))
    }
}

fn tunnel_label(payload: &[u8]) -> &'static str {
    match tunnel::unwrap(payload) {
        Some((tunnel::HANDSHAKE_INITIATION, _)) => " WireGuard-model handshake initiation",
        Some((tunnel::HANDSHAKE_RESPONSE, _)) => " WireGuard-model handshake response",
        Some((tunnel::DATA, [])) => " WireGuard-model keepalive",
        Some((tunnel::DATA, _)) => " WireGuard-model data",
        _ => "",
    }
}

/// Builds an IPv4/UDP packet with valid checksums.
pub fn udp_packet(src: (Ipv4Addr, u16), dst: (Ipv4Addr, u16), payload: &[u8]) -> Vec<u8> {
    let udp = UdpRepr {
        src_port: src.1,
        dst_port: dst.1,
    };
    let ip = Ipv4Repr {
        src_addr: src.0,
        dst_addr: dst.0,
        next_header: IpProtocol::Udp,
        payload_len: udp.header_len() + payload.len(),
        hop_limit: 64,
    };
    let mut bytes = vec![0; ip.buffer_len() + ip.payload_len];
    let caps = ChecksumCapabilities::default();
    let mut packet = Ipv4Packet::new_unchecked(&mut bytes);
    ip.emit(&mut packet, &caps);
    udp.emit(
        &mut UdpPacket::new_unchecked(packet.payload_mut()),
        &IpAddress::Ipv4(src.0),
        &IpAddress::Ipv4(dst.0),
        payload.len(),
        |buf| buf.copy_from_slice(payload),
        &caps,
    );
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nat_rewrite_keeps_checksums_valid() {
        let lan = Ipv4Addr::new(192, 168, 1, 23);
        let public = Ipv4Addr::new(198, 51, 100, 7);
        let server = Ipv4Addr::new(192, 0, 2, 53);
        let mut bytes = udp_packet((lan, 40000), (server, 53), b"query");
        rewrite(&mut bytes, Some((public, 40000)), None);
        let ip = Ipv4Packet::new_checked(&bytes[..]).unwrap();
        assert!(ip.verify_checksum());
        assert_eq!(ip.src_addr(), public);
        let udp = UdpPacket::new_checked(ip.payload()).unwrap();
        assert!(udp.verify_checksum(&public.into(), &server.into()));
        let e = ends(&bytes).unwrap();
        assert_eq!(
            (e.protocol, e.src, e.src_port, e.dst_port),
            (Protocol::Udp, public, 40000, 53)
        );
        assert!(summary(&bytes).contains("UDP DNS"));
    }

    #[test]
    fn the_tunnel_header_round_trips() {
        let wrapped = tunnel::wrap(tunnel::DATA, 7, 3, b"inner");
        assert_eq!(wrapped.len(), tunnel::HEADER_LEN + 5);
        assert_eq!(
            tunnel::unwrap(&wrapped),
            Some((tunnel::DATA, &b"inner"[..]))
        );
        assert_eq!(tunnel::unwrap(b"short"), None);
    }
}
