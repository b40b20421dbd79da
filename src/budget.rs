//! What one run may cost, and where a run that reaches it stops.
//!
//! The format allows 1000 flows, 1000 events and 24 hours; such a file
//! would take many seconds and gigabytes to run whole, and a share link can
//! carry it into anyone's browser tab. So every run is held to the same
//! budget, natively and in the browser alike (a link shows what the CLI
//! prints): the control plane stops adding segments past [`SEGMENTS`], the
//! packet engine stops past [`PACKET_EVENTS`] or [`RETAINED_PACKETS`]. A run
//! that reaches a limit ends at that moment, keeps everything before it, and
//! says which limit it reached (see [`crate::words::stopped`]).
//!
//! The figures: the library's largest run has 18 segments, 232 packet
//! events and 176 packets, so the budget is thousands of times what any
//! worked example needs; `tunnelscope bench` runs the worst file the format
//! allows and prints its time and peak memory against the 2 s and 256 MB
//! those limits are chosen to keep.

use serde::Serialize;

/// Segments of the control plane's trace, over all flows (each costs about
/// a kilobyte of JSON with its chain of rules).
pub const SEGMENTS: usize = 20_000;
/// Packets sent plus packets delivered in the packet engine.
pub const PACKET_EVENTS: u64 = 1_000_000;
/// Packets kept for the captures and the inspector.
pub const RETAINED_PACKETS: usize = 500_000;

/// The limit a run reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Limit {
    Segments,
    PacketEvents,
    RetainedPackets,
}

impl Limit {
    /// The limit's figure.
    pub fn budget(self) -> u64 {
        match self {
            Limit::Segments => SEGMENTS as u64,
            Limit::PacketEvents => PACKET_EVENTS,
            Limit::RetainedPackets => RETAINED_PACKETS as u64,
        }
    }
}

/// A run that stopped early: it covers `[0, at_ms)` of the scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Stop {
    pub limit: Limit,
    pub budget: u64,
    pub at_ms: u64,
}

impl Stop {
    pub fn new(limit: Limit, at_ms: u64) -> Stop {
        Stop {
            limit,
            budget: limit.budget(),
            at_ms,
        }
    }
}

/// The packet engine's limit reached, if any, after `packet_events` events
/// with `retained` packets kept.
pub fn engine_limit(packet_events: u64, retained: usize) -> Option<Limit> {
    if packet_events >= PACKET_EVENTS {
        Some(Limit::PacketEvents)
    } else if retained >= RETAINED_PACKETS {
        Some(Limit::RetainedPackets)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engine_stops_at_either_of_its_limits() {
        assert_eq!(engine_limit(PACKET_EVENTS - 1, RETAINED_PACKETS - 1), None);
        assert_eq!(engine_limit(PACKET_EVENTS, 0), Some(Limit::PacketEvents));
        assert_eq!(
            engine_limit(0, RETAINED_PACKETS),
            Some(Limit::RetainedPackets)
        );
        assert_eq!(Stop::new(Limit::Segments, 5).budget, SEGMENTS as u64);
    }
}
