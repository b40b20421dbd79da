//! A simulated host: one smoltcp `Interface`, its in-memory device and its
//! sockets. Every endpoint in the topology is one of these.

use super::device::QueueDevice;
use core::net::IpAddr;
use smoltcp::iface::{Config, Interface, SocketHandle, SocketSet};
use smoltcp::socket::{icmp, tcp, udp};
use smoltcp::time::Instant;
use smoltcp::wire::{HardwareAddress, IpAddress, IpCidr};

pub struct Host {
    pub iface: Interface,
    pub device: QueueDevice,
    pub sockets: SocketSet<'static>,
}

impl Host {
    /// A host with `addrs` (address, prefix length) and a default route in
    /// each version it has, so that it hands every packet to the engine.
    pub fn new(addrs: &[(IpAddr, u8)], seed: u64) -> Host {
        let mut device = QueueDevice::default();
        let mut config = Config::new(HardwareAddress::Ip);
        config.random_seed = seed;
        let mut iface = Interface::new(config, &mut device, Instant::from_micros(0));
        iface.update_ip_addrs(|list| {
            for (addr, len) in addrs {
                // At most two addresses per host (smoltcp's default limit).
                let _ = list.push(IpCidr::new(IpAddress::from(*addr), *len));
            }
        });
        // With the IP medium the gateway is never resolved; any address
        // works as long as the route exists.
        if let Some(a) = addrs.iter().find_map(|(a, _)| match a {
            IpAddr::V4(a) => Some(*a),
            IpAddr::V6(_) => None,
        }) {
            let _ = iface.routes_mut().add_default_ipv4_route(a);
        }
        if let Some(a) = addrs.iter().find_map(|(a, _)| match a {
            IpAddr::V6(a) => Some(*a),
            IpAddr::V4(_) => None,
        }) {
            let _ = iface.routes_mut().add_default_ipv6_route(a);
        }
        Host {
            iface,
            device,
            sockets: SocketSet::new(Vec::new()),
        }
    }

    pub fn poll(&mut self, now_us: u64) {
        let now = Instant::from_micros(now_us as i64);
        self.iface.poll(now, &mut self.device, &mut self.sockets);
    }

    /// When the stack next needs to run (a timer), in microseconds.
    pub fn poll_at(&mut self, now_us: u64) -> Option<u64> {
        let now = Instant::from_micros(now_us as i64);
        self.iface
            .poll_at(now, &self.sockets)
            .map(|at| at.total_micros().max(0) as u64)
    }

    pub fn add_tcp(&mut self) -> SocketHandle {
        let socket = tcp::Socket::new(
            tcp::SocketBuffer::new(vec![0; 2048]),
            tcp::SocketBuffer::new(vec![0; 2048]),
        );
        self.sockets.add(socket)
    }

    pub fn add_udp(&mut self, port: u16) -> SocketHandle {
        let mut socket = udp::Socket::new(
            udp::PacketBuffer::new(vec![udp::PacketMetadata::EMPTY; 4], vec![0; 2048]),
            udp::PacketBuffer::new(vec![udp::PacketMetadata::EMPTY; 4], vec![0; 2048]),
        );
        let _ = socket.bind(port);
        self.sockets.add(socket)
    }

    pub fn add_icmp(&mut self, ident: u16) -> SocketHandle {
        let mut socket = icmp::Socket::new(
            icmp::PacketBuffer::new(vec![icmp::PacketMetadata::EMPTY; 4], vec![0; 1024]),
            icmp::PacketBuffer::new(vec![icmp::PacketMetadata::EMPTY; 4], vec![0; 1024]),
        );
        let _ = socket.bind(icmp::Endpoint::Ident(ident));
        self.sockets.add(socket)
    }
}
