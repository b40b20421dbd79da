//! The servers: their services answer, and each records the source address
//! it saw (the observations the trace is annotated with).

use super::*;

impl Engine {
    /// UDP services run on the server's own stack; each TCP connection gets
    /// a stack of its own when its SYN arrives (see `stack_for`).
    pub(super) fn start_servers(&mut self) {
        for h in &HOSTS {
            for (transport, port) in h.services {
                if *transport == Transport::Udp {
                    self.host(h.node).add_udp(*port);
                }
            }
        }
    }

    /// Server-side behaviour: answer, record who asked, keep a listener.
    pub(super) fn servers(&mut self, now: u64, polled: &[usize]) {
        for &stack in polled {
            let node = self.stacks[stack].owner;
            if row(node).services.is_empty() {
                continue;
            }
            let name = self.server_name(node);
            let pushes_route = self.scenario.attack == Some(crate::model::Attack::TunnelVision);
            let host = &mut self.stacks[stack].host;
            let mut finished = Vec::new();
            let mut answered = false;
            let mut observations = Vec::new();
            for (handle, socket) in host.sockets.iter_mut() {
                match socket {
                    smoltcp::socket::Socket::Tcp(socket) => {
                        if socket.state() == tcp::State::Listen {
                            continue;
                        }
                        if socket.state() == tcp::State::Closed {
                            finished.push(handle);
                            continue;
                        }
                        if let Some(remote) = socket.remote_endpoint()
                            && socket.state() == tcp::State::Established
                            && self.observed.insert((stack, handle), ()).is_none()
                        {
                            observations.push((ip(remote.addr), remote.port));
                        }
                        if socket.can_recv() {
                            let mut request = [0u8; 2048];
                            let size = socket.recv_slice(&mut request).unwrap_or(0);
                            if size > 0 {
                                answered = true;
                                let port = socket.local_endpoint().map_or(0, |e| e.port);
                                let _ = socket.send_slice(&apps::response(
                                    port,
                                    &request[..size],
                                    IpAddr::V4(PHONE_LAN),
                                ));
                            }
                        }
                        if socket.state() == tcp::State::CloseWait {
                            socket.close();
                        }
                    }
                    smoltcp::socket::Socket::Udp(socket) => {
                        let port = socket.endpoint().port;
                        let mut request = [0u8; 2048];
                        while let Ok((size, meta)) = socket.recv_slice(&mut request) {
                            let source = ip(meta.endpoint.addr);
                            observations.push((source, meta.endpoint.port));
                            let answer = match source {
                                IpAddr::V4(client) if port == 67 && pushes_route => {
                                    apps::dhcp_ack_with_route(
                                        client,
                                        TUNNELVISION_ROUTE,
                                        HOME_ROUTER_LAN,
                                    )
                                }
                                _ => apps::response(port, &request[..size], source),
                            };
                            let _ = socket.send_slice(&answer, meta.endpoint);
                            answered = true;
                        }
                    }
                    _ => {}
                }
            }
            for handle in finished {
                host.sockets.remove(handle);
                self.observed.remove(&(stack, handle));
            }
            // A closed server connection forgets its client's address and
            // port, which a later connection may use again.
            if host.sockets.iter().next().is_none()
                && let Some(key) = self.stacks[stack].conn_key.take()
            {
                self.server_conns.remove(&key);
            }
            if answered {
                self.mark_dirty(stack);
            }
            for (source, port) in observations {
                if let Some((flow, connection)) = self.ports.get(&port).copied() {
                    self.observe(now, name, flow, source, connection);
                }
            }
        }
    }

    pub(super) fn observe(
        &mut self,
        now: u64,
        server: &'static str,
        flow: usize,
        source: IpAddr,
        connection: u32,
    ) {
        self.run.observations.push(Observation {
            at_ms: now / 1_000,
            server,
            flow: self.flows[flow].name.clone(),
            source: source.to_string(),
            seen_as: seen_as(source),
            connection,
        });
    }
}
