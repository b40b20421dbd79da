//! Each flow kind's traits, in one table: what it is in words, whether its
//! connections are long-lived, and where it goes. The policy, the engine,
//! the listings and the page all read them from here.

use crate::addresses::*;
use crate::model::FlowKind;
use core::net::Ipv4Addr;

/// One kind's traits.
pub struct KindTraits {
    pub kind: FlowKind,
    /// A one-line description, for listings, the matrix and the inspector.
    pub describe: &'static str,
    /// Long-lived connections keep their path when routing changes (the
    /// 13.3.1 bypass); request/response kinds start afresh each time.
    pub long_lived: bool,
    /// Where it goes. DNS goes to the VPN's resolver when the tunnel carries
    /// it and to the ISP's otherwise (the policy picks); a tethered laptop
    /// browses the same web site as the phone's apps.
    pub destination: Ipv4Addr,
}

const fn kind(
    kind: FlowKind,
    describe: &'static str,
    long_lived: bool,
    destination: Ipv4Addr,
) -> KindTraits {
    KindTraits {
        kind,
        describe,
        long_lived,
        destination,
    }
}

/// In `FlowKind`'s order (a test checks).
pub const KINDS: [KindTraits; 18] = [
    kind(
        FlowKind::App,
        "Safari or any third-party app",
        true,
        WEB_SITE,
    ),
    kind(FlowKind::Dns, "DNS queries", false, ISP_RESOLVER),
    kind(
        FlowKind::Apns,
        "Apple Push Notification service (TCP 5223)",
        true,
        APNS_COURIER,
    ),
    kind(FlowKind::AppleMaps, "Apple Maps", true, APPLE_MAPS),
    kind(
        FlowKind::AppleServices,
        "iCloud and other Apple services",
        true,
        APPLE_SERVICES,
    ),
    kind(FlowKind::AppStore, "the App Store", true, APP_STORE),
    kind(
        FlowKind::LocalNetwork,
        "AirDrop, AirPlay, a LAN printer",
        false,
        LAN_PRINTER,
    ),
    kind(
        FlowKind::CellularServices,
        "Wi-Fi Calling, MMS, SMS, Visual Voicemail",
        true,
        CARRIER_EPDG,
    ),
    kind(
        FlowKind::Volte,
        "VoLTE calls (carrier-only)",
        false,
        CARRIER_IMS,
    ),
    kind(
        FlowKind::DeviceCommunication,
        "Xcode talking to the phone over USB or Wi-Fi",
        false,
        LAN_MAC,
    ),
    kind(
        FlowKind::Companion,
        "a paired Apple Watch",
        false,
        APPLE_WATCH,
    ),
    kind(
        FlowKind::Dhcp,
        "DHCP on joining a network",
        false,
        Ipv4Addr::BROADCAST,
    ),
    kind(
        FlowKind::CaptivePortal,
        "the captive-portal probe (captive.apple.com)",
        false,
        CAPTIVE_APPLE,
    ),
    kind(
        FlowKind::VpnTransport,
        "the tunnel's own UDP to the VPN relay",
        false,
        RELAY_PUBLIC,
    ),
    kind(
        FlowKind::TunnelProbe,
        "the tunnel process's ping/TCP inside the tunnel",
        false,
        RELAY_GATEWAY,
    ),
    kind(
        FlowKind::VpnApi,
        "the VPN app's own HTTPS API calls",
        true,
        VPN_API,
    ),
    kind(
        FlowKind::HotspotClient,
        "a laptop using the iPhone's Personal Hotspot",
        true,
        WEB_SITE,
    ),
    kind(
        FlowKind::ScopedApp,
        "an app that binds its connection to the Wi-Fi or cellular interface (WebRTC)",
        false,
        WEB_SITE,
    ),
];

/// A kind's traits.
pub fn traits(kind: FlowKind) -> &'static KindTraits {
    &KINDS[kind as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_row_sits_at_its_kind() {
        assert_eq!(KINDS.len(), FlowKind::ALL.len());
        for (row, kind) in KINDS.iter().zip(FlowKind::ALL) {
            assert_eq!(row.kind, *kind);
            assert_eq!(traits(*kind).kind, *kind);
        }
    }
}
