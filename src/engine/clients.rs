//! The phone-side apps: each flow's client opens its connections on the
//! interface its segment names, sends on its schedule and closes.

use super::*;

impl Engine {
    pub(super) fn allocate_port(&mut self, flow: usize, connection: u32) -> u16 {
        let port = if self.flows[flow].kind == FlowKind::Dhcp {
            DHCP_CLIENT_PORT
        } else {
            let port = self.next_port;
            self.next_port = if port >= LAST_PORT {
                FIRST_PORT
            } else {
                port + 1
            };
            port
        };
        self.ports.insert(port, (flow, connection));
        port
    }

    pub(super) fn port_flow(&self, port: u16) -> Option<usize> {
        self.ports.get(&port).map(|(flow, _)| *flow)
    }

    /// Ends a client's connection. The socket goes away without a word:
    /// the connection broke because its path changed (an interface or the
    /// tunnel went away, or the flow closed at the scenario's say-so), so
    /// nothing of it is sent on the new path.
    pub(super) fn close_client(&mut self, client: Client) {
        self.stacks[client.stack]
            .flows
            .retain(|f| *f != client.flow);
        let host = &mut self.stacks[client.stack].host;
        for handle in [Some(client.handle), client.tcp_handle]
            .into_iter()
            .flatten()
        {
            host.sockets.remove(handle);
        }
    }

    pub(super) fn open_client(&mut self, flow: usize, segment: usize, now: u64) {
        let kind = self.flows[flow].kind;
        let seg = &self.trace.flows[flow].segments[segment];
        let t = traffic(kind);
        if t.transport == Transport::Tunnel {
            return;
        }
        let ian = self.trace.scenario.vpn.as_ref().is_some_and(|v| v.ian());
        let node = match seg.interface {
            Interface::En0 | Interface::PdpIp0 | Interface::Ipsec1 | Interface::Bluetooth => {
                topology::interface_node(seg.interface).expect("a physical interface")
            }
            Interface::Utun0 | Interface::None => {
                if kind == FlowKind::TunnelProbe && ian {
                    Node::TunnelStack
                } else {
                    Node::PhoneUtun
                }
            }
        };
        if kind == FlowKind::TunnelProbe && ian {
            let rule = crate::facts::lookup(
                crate::facts::Fact::ProbeBindFailsUnderIan,
                self.scenario.ios,
            )
            .map_or("probe.bind-fails-under-ian", |r| r.id);
            self.run.events.push(EngineEvent {
                at_ms: now / 1_000,
                flow: self.flows[flow].name.clone(),
                what: crate::trace::DataPlaneHappening::BindToTunnelFails,
                rule,
            });
        }
        let through_tunnel = matches!(node, Node::PhoneUtun | Node::TunnelStack);
        let on_bluetooth = node == Node::PhoneBluetooth;
        let remote = apps::destination(kind, through_tunnel, on_bluetooth, seg.family);
        let connection = self.flows[flow].connections;
        self.flows[flow].connections += 1;
        self.run.connection_segments[flow].push(segment);
        let local_port = self.allocate_port(flow, connection);
        // The tunnel process has one userspace stack; every other client
        // gets a stack of its own with the interface's address.
        let stack = if node == Node::TunnelStack {
            Node::TunnelStack as usize
        } else {
            self.new_stack(node)
        };
        let host = &mut self.stacks[stack].host;
        let (handle, tcp_handle) = match t.transport {
            Transport::Tcp => {
                let handle = host.add_tcp();
                let socket = host.sockets.get_mut::<tcp::Socket>(handle);
                socket.set_keep_alive(t.keepalive_us.map(smoltcp::time::Duration::from_micros));
                let _ = socket.connect(
                    host.iface.context(),
                    (IpAddress::from(remote), t.port),
                    local_port,
                );
                (handle, None)
            }
            Transport::Udp => (host.add_udp(local_port), None),
            Transport::Probe => {
                let icmp = host.add_icmp(local_port);
                let tcp_handle = host.add_tcp();
                let socket = host.sockets.get_mut::<tcp::Socket>(tcp_handle);
                let _ = socket.connect(
                    host.iface.context(),
                    (IpAddress::from(remote), t.port),
                    local_port,
                );
                (icmp, Some(tcp_handle))
            }
            Transport::Tunnel => return,
        };
        self.mark_dirty(stack);
        self.stacks[stack].flows.push(flow);
        self.client_timers.push(Reverse((now, flow)));
        self.flows[flow].client = Some(Client {
            flow,
            node,
            stack,
            handle,
            tcp_handle,
            local_port,
            remote,
            next_send_us: now,
            sent_request: false,
            echo_seq: 0,
        });
    }

    /// Phone-side application behaviour.
    /// The clients of `flows` react: to new data or a connection on their
    /// stack, or to a due timer.
    pub(super) fn clients(&mut self, now: u64, flows: &[usize]) {
        for &i in flows {
            let FlowState {
                kind,
                traffic: t,
                client,
                ..
            } = &mut self.flows[i];
            let (kind, t) = (*kind, *t);
            let Some(client) = client.as_mut() else {
                continue;
            };
            let host = &mut self.stacks[client.stack].host;
            let mut acted = false;
            match t.transport {
                Transport::Tcp => {
                    let socket = host.sockets.get_mut::<tcp::Socket>(client.handle);
                    if socket.can_recv() {
                        let mut sink = [0u8; 2048];
                        while socket.recv_slice(&mut sink).unwrap_or(0) > 0 {}
                        if kind == FlowKind::CaptivePortal || kind == FlowKind::VpnApi {
                            socket.close();
                            acted = true;
                        }
                    }
                    if !client.sent_request && socket.may_send() {
                        let _ = socket.send_slice(t.request);
                        client.sent_request = true;
                        acted = true;
                    }
                    client.next_send_us = u64::MAX;
                }
                Transport::Udp => {
                    let socket = host.sockets.get_mut::<udp::Socket>(client.handle);
                    let mut sink = [0u8; 2048];
                    while socket.recv_slice(&mut sink).is_ok() {}
                    if now >= client.next_send_us {
                        let payload = if kind == FlowKind::Dhcp {
                            apps::dhcp_request(PHONE_LAN)
                        } else {
                            t.request.to_vec()
                        };
                        let _ =
                            socket.send_slice(&payload, (IpAddress::from(client.remote), t.port));
                        client.next_send_us = now + t.every_us.unwrap_or(u64::MAX / 2);
                        acted = true;
                    }
                }
                Transport::Probe => {
                    if let Some(tcp_handle) = client.tcp_handle {
                        let socket = host.sockets.get_mut::<tcp::Socket>(tcp_handle);
                        let mut sink = [0u8; 2048];
                        while socket.can_recv() && socket.recv_slice(&mut sink).unwrap_or(0) > 0 {}
                        if !client.sent_request && socket.may_send() {
                            let _ = socket.send_slice(t.request);
                            client.sent_request = true;
                            acted = true;
                        }
                    }
                    let socket = host.sockets.get_mut::<icmp::Socket>(client.handle);
                    let mut sink = [0u8; 512];
                    while socket.recv_slice(&mut sink).is_ok() {}
                    if now >= client.next_send_us && socket.can_send() {
                        // The socket refills the checksum for the address
                        // it sends from: the tunnel's, in either version.
                        let from = match client.remote {
                            IpAddr::V4(_) => IpAddr::V4(PHONE_TUNNEL),
                            IpAddr::V6(_) => IpAddr::V6(PHONE_TUNNEL_V6),
                        };
                        let bytes = packet::echo_message(
                            true,
                            client.local_port,
                            client.echo_seq,
                            b"tunnelscope ping",
                            from,
                            client.remote,
                        );
                        let _ = socket.send_slice(&bytes, IpAddress::from(client.remote));
                        client.echo_seq = client.echo_seq.wrapping_add(1);
                        client.next_send_us = now + t.every_us.unwrap_or(5_000_000);
                        acted = true;
                    }
                }
                Transport::Tunnel => {}
            }
            let (stack, next) = (client.stack, client.next_send_us);
            if acted {
                // The stack has something new to send at this instant.
                self.mark_dirty(stack);
            }
            if next > now && next < u64::MAX / 4 {
                self.client_timers.push(Reverse((next, i)));
            }
        }
    }
}
