//! Looking into and rewriting raw IPv4 and IPv6 packets with smoltcp's
//! typed views: what a packet is (for flow attribution and one-line
//! summaries), NAT rewrites with checksums recomputed, NAT64 and CLAT
//! translation between the two versions, and the tunnel's data header.

use core::net::IpAddr;
use core::ops::Range;
use smoltcp::phy::ChecksumCapabilities;
use smoltcp::wire::{
    Icmpv4Packet, Icmpv4Repr, Icmpv6Packet, Icmpv6Repr, IpAddress, IpProtocol, Ipv4Packet,
    Ipv4Repr, Ipv6Packet, Ipv6Repr, TcpPacket, UdpPacket, UdpRepr,
};

/// The transport-level identity of a packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ends {
    pub protocol: Protocol,
    pub src: IpAddr,
    pub dst: IpAddr,
    /// Ports for TCP/UDP; the echo identifier (both ends) for ICMP.
    pub src_port: u16,
    pub dst_port: u16,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Protocol {
    Tcp,
    Udp,
    /// ICMP for IPv4, ICMPv6 for IPv6.
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

/// An IP header's facts, for either version.
struct Header {
    src: IpAddr,
    dst: IpAddr,
    /// The upper-layer protocol (smoltcp's hosts send no IPv6 extension
    /// headers).
    protocol: IpProtocol,
    /// Where the upper-layer packet lies in the bytes.
    payload: Range<usize>,
    hop_limit: u8,
}

fn header(bytes: &[u8]) -> Option<Header> {
    match bytes.first()? >> 4 {
        4 => {
            let ip = Ipv4Packet::new_checked(bytes).ok()?;
            Some(Header {
                src: IpAddr::V4(ip.src_addr()),
                dst: IpAddr::V4(ip.dst_addr()),
                protocol: ip.next_header(),
                payload: usize::from(ip.header_len())..usize::from(ip.total_len()),
                hop_limit: ip.hop_limit(),
            })
        }
        6 => {
            let ip = Ipv6Packet::new_checked(bytes).ok()?;
            Some(Header {
                src: IpAddr::V6(ip.src_addr()),
                dst: IpAddr::V6(ip.dst_addr()),
                protocol: ip.next_header(),
                payload: 40..40 + usize::from(ip.payload_len()),
                hop_limit: ip.hop_limit(),
            })
        }
        _ => None,
    }
}

/// The packet travels away from the phone: sent by it, or by the relay's
/// exit towards the internet (what the drawing and the pcapng's direction
/// flag show).
pub fn outbound(bytes: &[u8]) -> bool {
    ends(bytes).is_some_and(|e| {
        crate::addresses::is_phone(e.src) || crate::addresses::is_relay_exit(e.src)
    })
}

/// A packet's IP version, if it is an IP packet.
pub fn family(bytes: &[u8]) -> Option<crate::model::Family> {
    match bytes.first()? >> 4 {
        4 => Some(crate::model::Family::V4),
        6 => Some(crate::model::Family::V6),
        _ => None,
    }
}

/// Reads the addresses and ports of an IP packet; `None` if it is not one.
#[inline]
pub fn ends(bytes: &[u8]) -> Option<Ends> {
    // IPv4 straight from its view: the engine reads every packet's ends
    // several times on its way, so this path is kept short.
    if bytes.first()? >> 4 == 4 {
        let ip = Ipv4Packet::new_checked(bytes).ok()?;
        let (src, dst) = (IpAddr::V4(ip.src_addr()), IpAddr::V4(ip.dst_addr()));
        return upper_ends(ip.next_header(), ip.payload(), src, dst);
    }
    let h = header(bytes)?;
    upper_ends(h.protocol, &bytes[h.payload], h.src, h.dst)
}

#[inline]
fn upper_ends(protocol: IpProtocol, payload: &[u8], src: IpAddr, dst: IpAddr) -> Option<Ends> {
    let (protocol, src_port, dst_port) = match protocol {
        IpProtocol::Tcp => {
            let tcp = TcpPacket::new_checked(payload).ok()?;
            (Protocol::Tcp, tcp.src_port(), tcp.dst_port())
        }
        IpProtocol::Udp => {
            let udp = UdpPacket::new_checked(payload).ok()?;
            (Protocol::Udp, udp.src_port(), udp.dst_port())
        }
        IpProtocol::Icmp => {
            let ident = Icmpv4Packet::new_checked(payload).ok()?.echo_ident();
            (Protocol::Icmp, ident, ident)
        }
        IpProtocol::Icmpv6 => {
            let ident = Icmpv6Packet::new_checked(payload).ok()?.echo_ident();
            (Protocol::Icmp, ident, ident)
        }
        other => (Protocol::Other(u8::from(other)), 0, 0),
    };
    Some(Ends {
        protocol,
        src,
        dst,
        src_port,
        dst_port,
    })
}

/// A TCP segment opening a connection (SYN without ACK).
pub fn is_syn(bytes: &[u8]) -> bool {
    header(bytes)
        .filter(|h| h.protocol == IpProtocol::Tcp)
        .and_then(|h| {
            TcpPacket::new_checked(&bytes[h.payload])
                .ok()
                .map(|tcp| tcp.syn() && !tcp.ack())
        })
        .unwrap_or(false)
}

/// An echo request or reply, in either ICMP: (request?, ident, seq).
fn echo(h: &Header, payload: &[u8]) -> Option<(bool, u16, u16)> {
    match (h.src, h.dst) {
        (IpAddr::V4(_), IpAddr::V4(_)) => {
            let icmp = Icmpv4Packet::new_checked(payload).ok()?;
            match Icmpv4Repr::parse(&icmp, &ChecksumCapabilities::ignored()).ok()? {
                Icmpv4Repr::EchoRequest { ident, seq_no, .. } => Some((true, ident, seq_no)),
                Icmpv4Repr::EchoReply { ident, seq_no, .. } => Some((false, ident, seq_no)),
                _ => None,
            }
        }
        (IpAddr::V6(src), IpAddr::V6(dst)) => {
            let icmp = Icmpv6Packet::new_checked(payload).ok()?;
            match Icmpv6Repr::parse(&src, &dst, &icmp, &ChecksumCapabilities::ignored()).ok()? {
                Icmpv6Repr::EchoRequest { ident, seq_no, .. } => Some((true, ident, seq_no)),
                Icmpv6Repr::EchoReply { ident, seq_no, .. } => Some((false, ident, seq_no)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// A tcpdump-like one-line description (an IPv6 address in brackets before
/// its port: `[2001:db8::1]:443`).
pub fn summary(bytes: &[u8]) -> String {
    let Some(h) = header(bytes) else {
        return format!("{} bytes, not IP", bytes.len());
    };
    let (src, dst) = (h.src, h.dst);
    let at = |addr: IpAddr, port: u16| core::net::SocketAddr::new(addr, port);
    let payload = &bytes[h.payload.clone()];
    let icmp = if src.is_ipv6() { "ICMPv6" } else { "ICMP" };
    match h.protocol {
        IpProtocol::Tcp => match TcpPacket::new_checked(payload) {
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
                    "{} > {} TCP [{flags}] seq {} len {}",
                    at(src, tcp.src_port()),
                    at(dst, tcp.dst_port()),
                    tcp.seq_number(),
                    tcp.payload().len()
                )
            }
            Err(_) => format!("{src} > {dst} TCP (truncated)"),
        },
        IpProtocol::Udp => match UdpPacket::new_checked(payload) {
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
                    "{} > {} UDP{what} len {}",
                    at(src, udp.src_port()),
                    at(dst, udp.dst_port()),
                    udp.payload().len()
                )
            }
            Err(_) => format!("{src} > {dst} UDP (truncated)"),
        },
        IpProtocol::Icmp | IpProtocol::Icmpv6 => match echo(&h, payload) {
            Some((true, ident, seq)) => {
                format!("{src} > {dst} {icmp} echo request id {ident} seq {seq}")
            }
            Some((false, ident, seq)) => {
                format!("{src} > {dst} {icmp} echo reply id {ident} seq {seq}")
            }
            None => format!("{src} > {dst} {icmp}"),
        },
        other => format!("{src} > {dst} {other}"),
    }
}

/// A UDP packet's payload, in either IP version.
pub fn udp_payload(bytes: &[u8]) -> Option<&[u8]> {
    let h = header(bytes).filter(|h| h.protocol == IpProtocol::Udp)?;
    let udp = UdpPacket::new_checked(&bytes[h.payload.clone()]).ok()?;
    let len = usize::from(udp.len()).checked_sub(8)?;
    bytes.get(h.payload.start + 8..h.payload.start + 8 + len)
}

/// Whether every checksum in the packet is right: the IPv4 header's and
/// the TCP, UDP, ICMP or ICMPv6 one (a test checks every packet of every
/// scenario; the tunnel's inner packets are packets of their own).
pub fn checksums_valid(bytes: &[u8]) -> bool {
    let Some(h) = header(bytes) else {
        return false;
    };
    if let (IpAddr::V4(_), Ok(ip)) = (h.src, Ipv4Packet::new_checked(bytes))
        && !ip.verify_checksum()
    {
        return false;
    }
    let payload = &bytes[h.payload.clone()];
    let (src, dst) = (IpAddress::from(h.src), IpAddress::from(h.dst));
    match h.protocol {
        IpProtocol::Tcp => {
            TcpPacket::new_checked(payload).is_ok_and(|p| p.verify_checksum(&src, &dst))
        }
        IpProtocol::Udp => {
            UdpPacket::new_checked(payload).is_ok_and(|p| p.verify_checksum(&src, &dst))
        }
        IpProtocol::Icmp => Icmpv4Packet::new_checked(payload).is_ok_and(|p| p.verify_checksum()),
        IpProtocol::Icmpv6 => match (h.src, h.dst) {
            (IpAddr::V6(s), IpAddr::V6(d)) => {
                Icmpv6Packet::new_checked(payload).is_ok_and(|p| p.verify_checksum(&s, &d))
            }
            _ => false,
        },
        _ => true,
    }
}

/// A packet's headers, layer by layer, for the inspector.
pub fn layers(bytes: &[u8]) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let Some(h) = header(bytes) else {
        out.push(("bytes", format!("{} bytes, not IP", bytes.len())));
        return out;
    };
    match Ipv4Packet::new_checked(bytes)
        .ok()
        .filter(|_| h.src.is_ipv4())
    {
        Some(ip) => out.push((
            "IPv4",
            format!(
                "{} → {}, TTL {}, {} bytes, protocol {}, checksum {}",
                h.src,
                h.dst,
                h.hop_limit,
                ip.total_len(),
                h.protocol,
                if ip.verify_checksum() {
                    "valid"
                } else {
                    "INVALID"
                }
            ),
        )),
        None => out.push((
            "IPv6",
            format!(
                "{} → {}, hop limit {}, {} bytes, next header {}{}",
                h.src,
                h.dst,
                h.hop_limit,
                bytes.len(),
                h.protocol,
                nat64_note(h.src, h.dst)
            ),
        )),
    }
    let payload = &bytes[h.payload.clone()];
    match h.protocol {
        IpProtocol::Tcp => {
            if let Ok(tcp) = TcpPacket::new_checked(payload) {
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
            if let Ok(udp) = UdpPacket::new_checked(payload) {
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
        IpProtocol::Icmpv6 => out.push(("ICMPv6", summary(bytes))),
        _ => {}
    }
    out
}

/// Says which end of an IPv6 packet is a NAT64 address, and the IPv4
/// address inside it.
fn nat64_note(src: IpAddr, dst: IpAddr) -> String {
    let inside = |a: IpAddr| match a {
        IpAddr::V6(v6) => crate::addresses::from_nat64(v6),
        IpAddr::V4(_) => None,
    };
    match (inside(src), inside(dst)) {
        (_, Some(v4)) => format!(", to NAT64 for {v4}"),
        (Some(v4), _) => format!(", from {v4} through NAT64"),
        _ => String::new(),
    }
}

/// Rewrites the source (or destination) address and port of a packet, as a
/// NAT does, and recomputes the checksums. The new addresses are of the
/// packet's own version (version changes are [`translate`]'s).
pub fn rewrite(bytes: &mut [u8], src: Option<(IpAddr, u16)>, dst: Option<(IpAddr, u16)>) {
    let ports = (src.map(|(_, p)| p), dst.map(|(_, p)| p));
    match bytes.first().map(|b| b >> 4) {
        Some(4) => {
            let Ok(mut ip) = Ipv4Packet::new_checked(&mut *bytes) else {
                return;
            };
            if let Some((IpAddr::V4(addr), _)) = src {
                ip.set_src_addr(addr);
            }
            if let Some((IpAddr::V4(addr), _)) = dst {
                ip.set_dst_addr(addr);
            }
            ip.fill_checksum();
            let (s, d, protocol) = (ip.src_addr(), ip.dst_addr(), ip.next_header());
            fix_upper(
                ip.payload_mut(),
                protocol,
                IpAddr::V4(s),
                IpAddr::V4(d),
                ports,
            );
        }
        Some(6) => {
            let Ok(mut ip) = Ipv6Packet::new_checked(&mut *bytes) else {
                return;
            };
            if let Some((IpAddr::V6(addr), _)) = src {
                ip.set_src_addr(addr);
            }
            if let Some((IpAddr::V6(addr), _)) = dst {
                ip.set_dst_addr(addr);
            }
            let (s, d, protocol) = (ip.src_addr(), ip.dst_addr(), ip.next_header());
            fix_upper(
                ip.payload_mut(),
                protocol,
                IpAddr::V6(s),
                IpAddr::V6(d),
                ports,
            );
        }
        _ => {}
    }
}

/// Sets the upper-layer packet's ports (if given) and its checksum for
/// these addresses. ICMP's echo identifier is kept; ICMPv4's checksum
/// covers no addresses, ICMPv6's does.
fn fix_upper(
    payload: &mut [u8],
    protocol: IpProtocol,
    src: IpAddr,
    dst: IpAddr,
    (src_port, dst_port): (Option<u16>, Option<u16>),
) -> bool {
    let (s, d) = (IpAddress::from(src), IpAddress::from(dst));
    // Checked views: a length field that overruns the bytes (found by
    // fuzzing) leaves the packet as it is instead of panicking.
    match protocol {
        IpProtocol::Tcp => {
            let Ok(mut tcp) = TcpPacket::new_checked(payload) else {
                return false;
            };
            if let Some(port) = src_port {
                tcp.set_src_port(port);
            }
            if let Some(port) = dst_port {
                tcp.set_dst_port(port);
            }
            tcp.fill_checksum(&s, &d);
        }
        IpProtocol::Udp => {
            let Ok(mut udp) = UdpPacket::new_checked(payload) else {
                return false;
            };
            if let Some(port) = src_port {
                udp.set_src_port(port);
            }
            if let Some(port) = dst_port {
                udp.set_dst_port(port);
            }
            udp.fill_checksum(&s, &d);
        }
        IpProtocol::Icmpv6 => {
            let (IpAddr::V6(s), IpAddr::V6(d)) = (src, dst) else {
                return false;
            };
            let Ok(mut icmp) = Icmpv6Packet::new_checked(payload) else {
                return false;
            };
            icmp.fill_checksum(&s, &d);
        }
        _ => {}
    }
    true
}

/// Translates a packet to the other IP version with these addresses, as a
/// NAT64 or a CLAT does (stateless, RFC 7915): the header is rebuilt, TCP
/// and UDP keep their ports with checksums recomputed, and ICMP echo
/// becomes ICMPv6 echo and back. `None` for what it cannot translate.
pub fn translate(bytes: &[u8], src: IpAddr, dst: IpAddr) -> Option<Vec<u8>> {
    let h = header(bytes)?;
    let payload = &bytes[h.payload.clone()];
    let (protocol, upper) = match h.protocol {
        IpProtocol::Tcp | IpProtocol::Udp => (h.protocol, payload.to_vec()),
        IpProtocol::Icmp | IpProtocol::Icmpv6 => {
            let (request, ident, seq_no) = echo(&h, payload)?;
            let protocol = if dst.is_ipv6() {
                IpProtocol::Icmpv6
            } else {
                IpProtocol::Icmp
            };
            let data = &payload[8..];
            (
                protocol,
                echo_message(request, ident, seq_no, data, src, dst),
            )
        }
        _ => return None,
    };
    // A translator passes a packet on: one hop less, and none at the end.
    let hop_limit = h.hop_limit.checked_sub(1).filter(|h| *h > 0)?;
    let mut out = ip_packet(src, dst, protocol, hop_limit, upper.len())?;
    let at = out.len() - upper.len();
    out[at..].copy_from_slice(&upper);
    if !fix_upper(&mut out[at..], protocol, src, dst, (None, None)) {
        return None;
    }
    Some(out)
}

/// An ICMP (IPv4) or ICMPv6 echo request or reply between `src` and `dst`,
/// with its checksum (ICMPv6's covers the addresses).
pub fn echo_message(
    request: bool,
    ident: u16,
    seq_no: u16,
    data: &[u8],
    src: IpAddr,
    dst: IpAddr,
) -> Vec<u8> {
    let caps = ChecksumCapabilities::default();
    match (src, dst) {
        (IpAddr::V6(s), IpAddr::V6(d)) => {
            let repr = if request {
                Icmpv6Repr::EchoRequest {
                    ident,
                    seq_no,
                    data,
                }
            } else {
                Icmpv6Repr::EchoReply {
                    ident,
                    seq_no,
                    data,
                }
            };
            let mut out = vec![0; repr.buffer_len()];
            repr.emit(&s, &d, &mut Icmpv6Packet::new_unchecked(&mut out), &caps);
            out
        }
        _ => {
            let repr = if request {
                Icmpv4Repr::EchoRequest {
                    ident,
                    seq_no,
                    data,
                }
            } else {
                Icmpv4Repr::EchoReply {
                    ident,
                    seq_no,
                    data,
                }
            };
            let mut out = vec![0; repr.buffer_len()];
            repr.emit(&mut Icmpv4Packet::new_unchecked(&mut out), &caps);
            out
        }
    }
}

/// An IP header for `payload_len` bytes of `protocol`, followed by that
/// many zero bytes (`None` if the two addresses are of different versions).
fn ip_packet(
    src: IpAddr,
    dst: IpAddr,
    protocol: IpProtocol,
    hop_limit: u8,
    payload_len: usize,
) -> Option<Vec<u8>> {
    match (src, dst) {
        (IpAddr::V4(src_addr), IpAddr::V4(dst_addr)) => {
            let ip = Ipv4Repr {
                src_addr,
                dst_addr,
                next_header: protocol,
                payload_len,
                hop_limit,
            };
            let mut bytes = vec![0; ip.buffer_len() + payload_len];
            ip.emit(
                &mut Ipv4Packet::new_unchecked(&mut bytes),
                &ChecksumCapabilities::default(),
            );
            Some(bytes)
        }
        (IpAddr::V6(src_addr), IpAddr::V6(dst_addr)) => {
            let ip = Ipv6Repr {
                src_addr,
                dst_addr,
                next_header: protocol,
                payload_len,
                hop_limit,
            };
            let mut bytes = vec![0; ip.buffer_len() + payload_len];
            ip.emit(&mut Ipv6Packet::new_unchecked(&mut bytes));
            Some(bytes)
        }
        _ => None,
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

/// Builds a UDP packet with valid checksums (`None` if the two ends are
/// of different IP versions).
pub fn udp_packet(src: (IpAddr, u16), dst: (IpAddr, u16), payload: &[u8]) -> Option<Vec<u8>> {
    let udp = UdpRepr {
        src_port: src.1,
        dst_port: dst.1,
    };
    let len = udp.header_len() + payload.len();
    let mut bytes = ip_packet(src.0, dst.0, IpProtocol::Udp, 64, len)?;
    let at = bytes.len() - len;
    udp.emit(
        &mut UdpPacket::new_unchecked(&mut bytes[at..]),
        &IpAddress::from(src.0),
        &IpAddress::from(dst.0),
        payload.len(),
        |buf| buf.copy_from_slice(payload),
        &ChecksumCapabilities::default(),
    );
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::net::Ipv4Addr;

    #[test]
    fn nat_rewrite_keeps_checksums_valid() {
        let lan = IpAddr::V4(Ipv4Addr::new(192, 168, 1, 23));
        let public = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 7));
        let server = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 53));
        let mut bytes = udp_packet((lan, 40000), (server, 53), b"query").unwrap();
        rewrite(&mut bytes, Some((public, 40000)), None);
        assert!(checksums_valid(&bytes));
        let e = ends(&bytes).unwrap();
        assert_eq!(
            (e.protocol, e.src, e.src_port, e.dst_port),
            (Protocol::Udp, public, 40000, 53)
        );
        assert!(summary(&bytes).contains("UDP DNS"));
        // A checksum the rewrite did not fix is caught.
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert!(!checksums_valid(&bytes));
    }

    #[test]
    fn ipv6_packets_read_and_rewrite_like_ipv4_ones() {
        let phone: IpAddr = "2001:db8:1::23".parse().unwrap();
        let server: IpAddr = "2001:db8:7::80".parse().unwrap();
        let exit: IpAddr = "2001:db8:7::11".parse().unwrap();
        let mut bytes = udp_packet((phone, 40001), (server, 53), b"query").unwrap();
        // Two versions cannot make one packet.
        let lan = IpAddr::V4(Ipv4Addr::new(192, 168, 1, 23));
        assert_eq!(udp_packet((phone, 1), (lan, 2), b""), None);
        assert_eq!(family(&bytes), Some(crate::model::Family::V6));
        assert!(checksums_valid(&bytes));
        rewrite(&mut bytes, Some((exit, 40001)), None);
        assert!(checksums_valid(&bytes));
        assert_eq!(ends(&bytes).unwrap().src, exit);
        assert_eq!(
            summary(&bytes),
            "[2001:db8:7::11]:40001 > [2001:db8:7::80]:53 UDP DNS len 5"
        );
        assert_eq!(layers(&bytes)[0].0, "IPv6");
    }

    #[test]
    fn nat64_translation_round_trips_udp_and_echo() {
        let v4_phone = IpAddr::V4(Ipv4Addr::new(192, 0, 0, 2));
        let v4_server = Ipv4Addr::new(203, 0, 113, 80);
        let clat: IpAddr = "2001:db8:c::464:23".parse().unwrap();
        let synthesized = IpAddr::V6(crate::addresses::nat64(v4_server));
        let udp = udp_packet((v4_phone, 40002), (IpAddr::V4(v4_server), 53), b"q").unwrap();
        let v6 = translate(&udp, clat, synthesized).unwrap();
        assert!(checksums_valid(&v6));
        let e = ends(&v6).unwrap();
        assert_eq!(
            (e.src, e.dst, e.src_port, e.dst_port),
            (clat, synthesized, 40002, 53)
        );
        assert!(layers(&v6)[0].1.contains("to NAT64 for 203.0.113.80"));
        let back = translate(&v6, v4_phone, IpAddr::V4(v4_server)).unwrap();
        assert_eq!(back[8], udp[8] - 2, "two translators, two hops");
        assert_eq!(ends(&back), ends(&udp));
        assert!(checksums_valid(&back));

        let repr = Icmpv4Repr::EchoRequest {
            ident: 7,
            seq_no: 1,
            data: b"ping",
        };
        let mut icmp = vec![0; repr.buffer_len()];
        repr.emit(
            &mut Icmpv4Packet::new_unchecked(&mut icmp),
            &ChecksumCapabilities::default(),
        );
        let mut echo = ip_packet(
            v4_phone,
            IpAddr::V4(v4_server),
            IpProtocol::Icmp,
            64,
            icmp.len(),
        )
        .unwrap();
        let at = echo.len() - icmp.len();
        echo[at..].copy_from_slice(&icmp);
        let v6 = translate(&echo, clat, synthesized).unwrap();
        assert!(checksums_valid(&v6));
        assert!(summary(&v6).contains("ICMPv6 echo request id 7 seq 1"));
        let back = translate(&v6, v4_phone, IpAddr::V4(v4_server)).unwrap();
        assert!(checksums_valid(&back));
        assert!(summary(&back).contains("ICMP echo request id 7 seq 1"));
    }

    /// Found by `make fuzz` (packet target): an IPv4/UDP packet whose UDP
    /// length field overruns its bytes made the NAT rewrite and the NAT64
    /// translation panic in smoltcp's checksum.
    #[test]
    fn a_udp_length_past_the_end_is_left_alone_not_a_panic() {
        const CRASH: &[u8] = &[
            0x45, 0x00, 0x00, 0x60, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x3c, 0xc3, 0xc0, 0xa8,
            0x01, 0x17, 0xcb, 0x00, 0x71, 0x0a, 0x00, 0x40, 0x00, 0x40, 0x11, 0x3c, 0xc3, 0xc0,
            0xa8, 0x01, 0x17, 0xcb, 0x00, 0x71, 0x0a, 0xca, 0x6d, 0xca, 0x6c, 0x00, 0x4c, 0xb8,
            0x8a, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x45, 0x00, 0x00, 0x34, 0x00, 0x00, 0x40, 0x00, 0x40, 0x06, 0xe8,
            0x11, 0x0a, 0x40, 0x0c, 0x22, 0xcb, 0x00, 0x71, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58,
            0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58,
            0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58,
            0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58,
            0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58,
            0x50, 0x9c, 0x40, 0x01, 0xbb, 0x0f, 0xeb, 0x5d, 0xf8, 0x00, 0x00, 0x00, 0x00, 0x80,
            0x02, 0x08, 0x00, 0x0c, 0x86, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x03, 0x03, 0x00,
            0x04, 0x02, 0x00, 0x00, 0x00,
        ];
        let mut copy = CRASH.to_vec();
        let v4 = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 7));
        rewrite(&mut copy, Some((v4, 1)), Some((v4, 2)));
        let v6: IpAddr = "2001:db8:1::23".parse().unwrap();
        assert_eq!(translate(CRASH, v6, v6), None);
        let _ = (summary(CRASH), layers(CRASH), checksums_valid(CRASH));
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
