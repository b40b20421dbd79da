//! The shared vocabulary: small value types that every layer speaks.
//!
//! Each enum knows its scenario-file spelling (`as_str`) and the list of valid
//! spellings, so a bad value can always be answered with the valid choices.

use core::fmt;
use serde::Serialize;

macro_rules! spelled_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            pub fn parse(text: &str) -> Option<$name> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// The valid spellings, for error messages: `"a", "b" or "c"`.
            pub fn choices() -> String {
                crate::model::list_choices(Self::ALL.iter().map(|v| v.as_str()))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) fn list_choices<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.map(|s| format!("\"{s}\"")).collect();
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} or {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

spelled_enum! {
    /// What kind of traffic a flow is. The kind decides which rules apply.
    FlowKind {
        /// Safari or any third-party app.
        App => "app",
        Dns => "dns",
        /// Apple Push Notification service (TCP 5223, 17.0.0.0/8).
        Apns => "apns",
        AppleMaps => "apple-maps",
        /// iCloud and other Apple services.
        AppleServices => "apple-services",
        AppStore => "app-store",
        /// AirDrop, AirPlay, a printer on the LAN.
        LocalNetwork => "local-network",
        /// Wi-Fi Calling, MMS, SMS, Visual Voicemail.
        CellularServices => "cellular-services",
        Volte => "volte",
        /// Xcode over USB or Wi-Fi.
        DeviceCommunication => "device-communication",
        /// A paired Apple Watch.
        Companion => "companion",
        Dhcp => "dhcp",
        CaptivePortal => "captive-portal",
        /// The tunnel's own UDP to the relay.
        VpnTransport => "vpn-transport",
        /// The tunnel process's ICMP/TCP inside the tunnel.
        TunnelProbe => "tunnel-probe",
        /// The VPN app's own HTTPS.
        VpnApi => "vpn-api",
        /// A laptop browsing through the iPhone's Personal Hotspot.
        HotspotClient => "hotspot-client",
        /// An app that binds its connection to the Wi-Fi or cellular
        /// interface itself (WebRTC in calls and browsers).
        ScopedApp => "scoped-app",
    }
}

impl FlowKind {
    /// A one-line description, for listings and the matrix
    /// ([`crate::kinds`]).
    pub fn describe(self) -> &'static str {
        crate::kinds::traits(self).describe
    }

    /// Long-lived connections keep their path when routing changes (the
    /// 13.3.1 bypass); request/response kinds start afresh each time
    /// ([`crate::kinds`]).
    pub fn is_long_lived_connection(self) -> bool {
        crate::kinds::traits(self).long_lived
    }
}

spelled_enum! {
    /// Where a flow's packets go.
    Route {
        /// Into the VPN tunnel (utun0), out of the relay's exit address.
        Tunnel => "tunnel",
        /// Outside the tunnel, on a physical interface.
        Direct => "direct",
        /// Dropped at the phone by includeAllNetworks.
        Blocked => "blocked",
        /// No path exists at all (airplane mode, no LAN, no tunnel to probe).
        Offline => "offline",
    }
}

spelled_enum! {
    /// The phone's interface a flow uses (rvi_capture names; `bluetooth` is a
    /// label, not an iOS interface name).
    Interface {
        Utun0 => "utun0",
        En0 => "en0",
        PdpIp0 => "pdp_ip0",
        /// VoLTE runs on the carrier's ipsec interfaces.
        Ipsec1 => "ipsec1",
        Bluetooth => "bluetooth",
        None => "none",
    }
}

spelled_enum! {
    /// What the destination sees as the source of the traffic.
    SeenAs {
        /// The VPN relay's exit address.
        Vpn => "vpn",
        /// The phone's public address (home router or carrier NAT).
        Device => "device",
        /// The phone's LAN address.
        Local => "local",
        /// Nothing arrives.
        None => "none",
    }
}

spelled_enum! {
    /// The phone's primary network.
    Network {
        Wifi => "wifi",
        Cellular => "cellular",
    }
}

spelled_enum! {
    /// What an attacker's Wi-Fi does to the phone while it is on it
    /// (TunnelCrack's two attacks and TunnelVision). Each aims at one site,
    /// [`crate::addresses::ATTACK_TARGET`].
    Attack {
        /// Announces a public subnet, the target's, as its local network.
        LocalNet => "localnet",
        /// Spoofs the DNS answer for the VPN server's name with the
        /// target's address, before the tunnel comes up.
        ServerIp => "serverip",
        /// Pushes a DHCP option 121 route to the target, more specific
        /// than the tunnel's.
        TunnelVision => "tunnelvision",
    }
}

spelled_enum! {
    /// An IP version: the family of a packet's addresses.
    Family {
        V4 => "ipv4",
        V6 => "ipv6",
    }
}

spelled_enum! {
    /// Which IP versions a flow's app may use: `auto` as iPhones do (IPv6
    /// first where both work), or only one (an app that only speaks IPv4).
    FamilyChoice {
        Auto => "auto",
        Ipv4 => "ipv4",
        Ipv6 => "ipv6",
    }
}

impl Family {
    pub fn is_v4(&self) -> bool {
        *self == Family::V4
    }
}

impl FamilyChoice {
    /// The app can use this IP version (which it tries first is the
    /// phone's: `ip.prefers-ipv6`).
    pub fn speaks(self, family: Family) -> bool {
        match self {
            FamilyChoice::Auto => true,
            FamilyChoice::Ipv4 => family == Family::V4,
            FamilyChoice::Ipv6 => family == Family::V6,
        }
    }
}

spelled_enum! {
    /// Which IP versions a network gives the phone. An IPv6-only network
    /// reaches IPv4 servers through its NAT64 (64:ff9b::/96).
    IpMode {
        Ipv4Only => "ipv4-only",
        DualStack => "dual-stack",
        Ipv6Only => "ipv6-only",
    }
}

impl IpMode {
    pub fn is_ipv4_only(&self) -> bool {
        *self == IpMode::Ipv4Only
    }

    pub fn is_ipv6_only(&self) -> bool {
        *self == IpMode::Ipv6Only
    }

    /// The network routes this family natively.
    pub fn carries(self, family: Family) -> bool {
        matches!(
            (self, family),
            (IpMode::DualStack, _)
                | (IpMode::Ipv4Only, Family::V4)
                | (IpMode::Ipv6Only, Family::V6)
        )
    }
}

/// Each network's IP mode, as a scenario sets them. A scenario that says
/// nothing keeps both IPv4-only, the world before IPv6 was modelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpModes {
    pub wifi: IpMode,
    pub cellular: IpMode,
}

impl IpModes {
    pub const IPV4_ONLY: IpModes = IpModes {
        wifi: IpMode::Ipv4Only,
        cellular: IpMode::Ipv4Only,
    };

    /// The world has IPv6 at all: a scenario whose networks are both
    /// IPv4-only models no IPv6 anywhere (not in the tunnel either).
    pub fn has_ipv6(self) -> bool {
        self.wifi != IpMode::Ipv4Only || self.cellular != IpMode::Ipv4Only
    }

    pub fn of(self, network: Network) -> IpMode {
        match network {
            Network::Wifi => self.wifi,
            Network::Cellular => self.cellular,
        }
    }
}

impl Default for IpModes {
    fn default() -> IpModes {
        IpModes::IPV4_ONLY
    }
}

impl Network {
    pub fn interface(self) -> Interface {
        match self {
            Network::Wifi => Interface::En0,
            Network::Cellular => Interface::PdpIp0,
        }
    }
}

spelled_enum! {
    /// The VPN tunnel's state, as the system sees it.
    TunnelState {
        /// No VPN configured.
        Absent => "absent",
        /// Disconnected by the user (or never connected).
        Off => "off",
        Connecting => "connecting",
        Connected => "connected",
        /// The provider is re-establishing the tunnel after a network change.
        Reasserting => "reasserting",
        /// The provider is gone without the user asking (crash, update).
        Lost => "lost",
        /// A setting changed; the tunnel is being stopped and started again.
        Restarting => "restarting",
        /// The App Store is replacing the VPN app: its provider is stopped.
        Updating => "updating",
        /// After an app upgrade the app shows "Connected" but the system
        /// routes nothing into the tunnel (IVPN ios-app #283, iOS 16).
        AppearsConnected => "appears-connected",
        /// The phone is restarting: nothing runs.
        Rebooting => "rebooting",
    }
}

impl TunnelState {
    /// The user or a rule wants the tunnel up (so includeAllNetworks applies).
    pub fn is_meant_up(self) -> bool {
        matches!(
            self,
            TunnelState::Connecting
                | TunnelState::Connected
                | TunnelState::Reasserting
                | TunnelState::Lost
                | TunnelState::Updating
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip_and_list_choices() {
        for kind in FlowKind::ALL {
            assert_eq!(FlowKind::parse(kind.as_str()), Some(*kind));
        }
        assert_eq!(FlowKind::parse("push"), None);
        assert_eq!(Network::choices(), "\"wifi\" or \"cellular\"");
        assert!(Route::choices().starts_with("\"tunnel\", \"direct\""));
        assert_eq!(FlowKind::ALL.len(), 18);
    }
}
