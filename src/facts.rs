//! The knowledge base: every modelled iOS fact, in one place, with where it
//! comes from.
//!
//! Three tables, all plain data:
//!
//! * [`PROPERTIES`]: the NetworkExtension settings a scenario can set, the
//!   release that introduced each one and Apple's default;
//! * [`RULES`]: the behaviours the policy engine applies, each for a range of
//!   releases, with its kind of evidence and its source;
//! * [`ASSUMPTIONS`]: the places where the public record is silent, each with a
//!   default a scenario can flip under `[assume]`.
//!
//! When Apple changes behaviour, one entry here changes. The policy engine
//! (`crate::policy`) decides *which* fact is relevant to a flow; the version
//! ranges, defaults and wording live only here. The sources are the ones
//! collected in the team's fact base (`shared/reference/ios-facts.md`).

use crate::version::{IosVersion, Releases};
use serde::Serialize;

/// How much a fact is worth: who said it and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Evidence {
    /// Apple says so: SDK headers, developer documentation, MDM schema.
    Documented,
    /// A vendor or researcher saw it happen (code, blog, test).
    Observed,
    /// Somebody reported it in an issue, forum post or the press.
    Reported,
    /// No source says it; this project derives it from facts that are sourced.
    Inferred,
    /// The public record is silent; the model follows an explicit assumption.
    Unknown,
}

impl Evidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::Documented => "documented",
            Evidence::Observed => "observed",
            Evidence::Reported => "reported",
            Evidence::Inferred => "inferred",
            Evidence::Unknown => "unknown",
        }
    }

    /// One-letter marker for dense tables (the matrix).
    pub fn marker(self) -> char {
        match self {
            Evidence::Documented => 'D',
            Evidence::Observed => 'O',
            Evidence::Reported => 'R',
            Evidence::Inferred => 'I',
            Evidence::Unknown => 'U',
        }
    }

    pub const ALL: [Evidence; 5] = [
        Evidence::Documented,
        Evidence::Observed,
        Evidence::Reported,
        Evidence::Inferred,
        Evidence::Unknown,
    ];
}

// ---------------------------------------------------------------------------
// Sources. Named once so that the tables below stay readable.

/// Where a fact comes from: a link to the primary source, what it is, and
/// secondary copies beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Source {
    /// A clean link to a primary host: a repository file at a commit with
    /// its lines (`…/blob/COMMIT/path#L10-L20`), a blog at its public
    /// address, Apple's documentation or developer forums. Empty only where
    /// nothing public can be linked ([`Source::is_linked`]); the note then
    /// says why.
    pub url: &'static str,
    /// What the link is, said apart from it (never inside it).
    #[serde(skip_serializing_if = "str::is_empty")]
    pub note: &'static str,
    /// Secondary copies: the press beside the primary, or the repository
    /// line behind a public page.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub also: &'static [&'static str],
}

impl Source {
    pub fn is_linked(&self) -> bool {
        !self.url.is_empty()
    }

    /// Every link the source holds: the primary first, then the others.
    pub fn links(&self) -> impl Iterator<Item = &'static str> {
        let url = self.url;
        std::iter::once(url)
            .filter(|u| !u.is_empty())
            .chain(self.also.iter().copied())
    }
}

impl std::fmt::Display for Source {
    /// The link, then the note in parentheses (a note alone where there is
    /// no link).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.url, self.note) {
            (url, "") => f.write_str(url),
            ("", note) => f.write_str(note),
            (url, note) => write!(f, "{url} ({note})"),
        }
    }
}

/// Hosts that copy other sites' pages (Apple's forums above all): never a
/// source, not even as "also".
pub const MIRROR_HOSTS: &[&str] = &[
    "stablehunter.ai",
    "xtlsbot.ru",
    "impb.uk",
    "softwarefailures.com",
    "appletldr.com",
];

/// What is wrong with a link as a source, if anything: it must be an
/// `https://` URL with no whitespace, on a host that is not a mirror, and
/// a GitHub file must be pinned to a full commit.
pub fn link_problem(url: &str) -> Option<String> {
    let Some(rest) = url.strip_prefix("https://") else {
        return Some("is not an https:// link".into());
    };
    if url.chars().any(char::is_whitespace) {
        return Some("has whitespace in it".into());
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || !host.contains('.') {
        return Some(format!("has no host ({host:?})"));
    }
    if let Some(mirror) = MIRROR_HOSTS
        .iter()
        .find(|m| host == **m || host.ends_with(&format!(".{m}")))
    {
        return Some(format!("is on {mirror}, a mirror, not the primary"));
    }
    if host == "developer.apple.com" && rest.contains("/forums/search") {
        return Some("is a forum search, not a thread".into());
    }
    if host == "github.com" && rest.contains("/blob/") {
        let commit = rest
            .split("/blob/")
            .nth(1)
            .and_then(|r| r.split('/').next());
        let pinned =
            commit.is_some_and(|c| c.len() == 40 && c.bytes().all(|b| b.is_ascii_hexdigit()));
        if !pinned {
            return Some("is a repository file not pinned to a full commit".into());
        }
    }
    None
}

const APPLE_HDR: Source = Source {
    url: "https://github.com/xybp888/iOS-SDKs/blob/88fdca9de873f60303011685188c9415d4ebff0a/iPhoneOS18.0.sdk/System/Library/Frameworks/NetworkExtension.framework/Headers/NEVPNProtocol.h#L75-L87",
    note: "Apple's NetworkExtension header, iOS 18.0 SDK (NEVPNProtocol.h)",
    also: &[],
};
const APPLE_HDR_2021: Source = Source {
    url: "https://github.com/phracker/MacOSX-SDKs/blob/8702ce6112cc870dda5f9c2d65ea37a2d5f95371/MacOSX12.1.sdk/System/Library/Frameworks/NetworkExtension.framework/Versions/Current/Headers/NEVPNProtocol.h#L75-L79",
    note: "Apple's NetworkExtension header, macOS 12.1 SDK, 2021 (NEVPNProtocol.h)",
    also: &[],
};
const APPLE_MDM: Source = Source {
    url: "https://github.com/apple/device-management/blob/b6202ca2fbd31286a52eb160b67a4db7b4fe1f1f/mdm/profiles/com.apple.vpn.managed.yaml#L195-L211",
    note: "Apple's device-management schema, VPN payload",
    also: &[],
};
const DOC_IAN: Source = Source {
    url: "https://developer.apple.com/documentation/networkextension/nevpnprotocol/includeallnetworks",
    note: "",
    also: &[],
};
const DOC_EXCLUDE_LOCAL: Source = Source {
    url: "https://developer.apple.com/documentation/networkextension/nevpnprotocol/excludelocalnetworks",
    note: "",
    also: &[],
};
const DOC_EXCLUDE_APNS: Source = Source {
    url: "https://developer.apple.com/documentation/networkextension/nevpnprotocol/excludeapns",
    note: "",
    also: &[],
};
const DOC_EXCLUDE_CELLULAR: Source = Source {
    url: "https://developer.apple.com/documentation/networkextension/nevpnprotocol/excludecellularservices",
    note: "",
    also: &[],
};
const DOC_EXCLUDE_DEVICE: Source = Source {
    url: "https://developer.apple.com/documentation/networkextension/nevpnprotocol/excludedevicecommunication",
    note: "",
    also: &[],
};
const DOC_ENFORCE_ROUTES: Source = Source {
    url: "https://developer.apple.com/documentation/networkextension/nevpnprotocol/enforceroutes",
    note: "",
    also: &[],
};
const DOC_INCLUDED_ROUTES: Source = Source {
    url: "https://developer.apple.com/documentation/networkextension/neipv6settings/includedroutes",
    note: "",
    also: &[],
};
const DOC_EXCLUDED_ROUTES: Source = Source {
    url: "https://developer.apple.com/documentation/networkextension/neipv6settings/excludedroutes",
    note: "",
    also: &[],
};
const DOC_MATCH_DOMAINS: Source = Source {
    url: "https://developer.apple.com/documentation/networkextension/nednssettings/matchdomains",
    note: "",
    also: &[],
};
const DOC_TUNNEL_REMOTE_ADDRESS: Source = Source {
    url: "https://developer.apple.com/documentation/networkextension/netunnelnetworksettings/tunnelremoteaddress",
    note: "",
    also: &[],
};
/// WireGuardKit fills the tunnel's remote address with 127.0.0.1: "not a
/// valid IP address that will actually route over the Internet".
pub(crate) const WIREGUARDKIT_LOOPBACK: Source = Source {
    url: "https://github.com/WireGuard/wireguard-apple/blob/2fec12a6e1f6e3460b6ee483aa00ad29cddadab1/Sources/WireGuardKit/PacketTunnelSettingsGenerator.swift#L77-L84",
    note: "WireGuardKit: tunnelRemoteAddress \"127.0.0.1\", a placeholder",
    also: &[],
};
/// DuckDuckGo's iOS fix for TunnelVision: enforceRoutes with non-default
/// included routes ("I've validated it's remediated").
const DDG_TUNNELVISION: Source = Source {
    url: "https://github.com/duckduckgo/iOS/pull/3460",
    note: "DuckDuckGo: Remediate TunnelVision, TunnelCrack (enforceRoutes; routes in duckduckgo/BrowserServicesKit#1039)",
    also: &["https://github.com/duckduckgo/BrowserServicesKit/pull/1039"],
};
/// Clash Mi (May 2026): routing push to the proxy works on Wi-Fi; on
/// cellular "there is no APNs traffic at all" in the app's log.
const CLASHMI_PUSH: Source = Source {
    url: "https://github.com/KaringX/clashmi/issues/430",
    note: "a Clash-based client, May 2026",
    also: &["https://github.com/KaringX/clashmi/issues/419"],
};
/// OneBox (July 2026): "APN notifications arrive on Wi-Fi, but not on 5G".
const ONEBOX_PUSH: Source = Source {
    url: "https://github.com/OneOhCloud/OneBox/issues/48",
    note: "a sing-box-based client, July 2026",
    also: &[],
};
/// Outline's maintainer: "I believe that WiFi Calling bypasses the iOS
/// Outline client's VPN" (the call survived stopping the server).
const OUTLINE_WIFI_CALLING: Source = Source {
    url: "https://github.com/OutlineFoundation/outline-apps/issues/288",
    note: "Outline's maintainer, 2018",
    also: &[],
};
/// Mozilla VPN with includeAllNetworks: carrier calls blocked (the kill
/// switch's end of the same question).
const MOZILLA_WIFI_CALLING: Source = Source {
    url: "https://github.com/mozilla-mobile/mozilla-vpn-client/issues/4694",
    note: "with the kill switch on, 2022",
    also: &[],
};
/// Tailscale, iOS 17.1.1: "Any device tethered to the hotspot will have no
/// internet connectivity" with an exit node.
const TAILSCALE_HOTSPOT: Source = Source {
    url: "https://github.com/tailscale/tailscale/issues/10455",
    note: "Tailscale's staff, iOS 17.1.1, an exit node, no kill switch",
    also: &[],
};
const TAILSCALE_HOTSPOT_18: Source = Source {
    url: "https://github.com/tailscale/tailscale/issues/15352",
    note: "iOS 18, and 26.0.1 in a comment",
    also: &[],
};
const SINGBOX_HOTSPOT: Source = Source {
    url: "https://github.com/SagerNet/sing-box/issues/4551",
    note: "iOS 26, include_all_networks off",
    also: &[],
};
/// 2018: a Mac on the iPhone's hotspot was online, outside the VPN.
const PIVPN_HOTSPOT: Source = Source {
    url: "https://github.com/pivpn/pivpn/issues/610",
    note: "2018, OpenVPN Connect",
    also: &[],
};
/// DuckDuckGo's browser: "webrtc leaks real ip over VPN" (iOS 16).
const DDG_WEBRTC: Source = Source {
    url: "https://github.com/duckduckgo/iOS/issues/1249",
    note: "iOS 16, 2022",
    also: &[],
};
/// Brave on iOS 11: a WebRTC leak test "Shows two IP address" with a VPN.
const BRAVE_WEBRTC: Source = Source {
    url: "https://github.com/brave/browser-ios/issues/1148",
    note: "iOS 11, 2017",
    also: &[],
};
/// Lantern: on iOS 26.4, T-Mobile 5G, DNS bypassed the tunnel's resolver
/// with includeAllNetworks off; fixed by turning it on.
const LANTERN_DNS_26_4: Source = Source {
    url: "https://github.com/getlantern/lantern/pull/8606",
    note: "Lantern, iOS 26.4, 2026",
    also: &[],
};
/// NetBird: with includeAllNetworks on, "the management/relay connection
/// collapses" about 10 s after connecting.
const NETBIRD_CONTROL: Source = Source {
    url: "https://github.com/netbirdio/ios-client/issues/157",
    note: "NetBird, 2026",
    also: &[],
};
const DOC_ON_DEMAND: Source = Source {
    url: "https://developer.apple.com/documentation/networkextension/nevpnmanager/ondemandrules",
    note: "",
    also: &[],
};
const PROTON_2020: Source = Source {
    url: "https://protonvpn.com/blog/apple-ios-vulnerability-disclosure/",
    note: "Proton's 2020 disclosure, read through the Danish CFCS notice",
    also: &[
        "https://www.cfcs.dk/da/handelser/nyheder/2020/varsel-vpn-bypass-sarbarhed-i-seneste-ios-versioner-til-iphone/",
    ],
};
const HOROWITZ_2022: Source = Source {
    url: "https://www.michaelhorowitz.com/VPNs.on.iOS.are.scam.php",
    note: "Michael Horowitz, 2022",
    also: &[],
};
const IVPN_2023: Source = Source {
    url: "https://www.ivpn.net/blog/removal-of-kill-switch-from-our-ios-app-due-to-apple-ip-leak-issue/",
    note: "",
    also: &[
        "https://github.com/ivpn/ivpn.net/blob/0187e33913c36b763225cf3f1de70f77fb6c2548/src/content/en/blog/removal-of-kill-switch-from-our-ios-app-due-to-apple-ip-leak-issue.md#L17-L29",
    ],
};
const IVPN_2021: Source = Source {
    url: "https://www.ivpn.net/blog/kill-switch-and-wireguard-multi-hop-added-to-ivpn-for-ios/",
    note: "",
    also: &[
        "https://github.com/ivpn/ivpn.net/blob/0187e33913c36b763225cf3f1de70f77fb6c2548/src/content/en/blog/kill-switch-and-wireguard-multi-hop-added-to-ivpn-for-ios.md#L16-L20",
    ],
};
const IVPN_TUNNELCRACK: Source = Source {
    url: "https://www.ivpn.net/blog/ivpn-tunnelcrack-vulnerability-assessment/",
    note: "",
    also: &[
        "https://github.com/ivpn/ivpn.net/blob/0187e33913c36b763225cf3f1de70f77fb6c2548/src/content/en/blog/ivpn-tunnelcrack-vulnerability-assessment.md#L49-L65",
    ],
};
const MYSK_2022: Source = Source {
    url: "",
    note: "press accounts of Mysk's 2022 findings; no primary copy found",
    also: &[
        "https://www.letemsvetemapplem.eu/2022/10/18/pouzivate-na-iphonu-vpn-jiz-tri-roky-nejste-chraneni-tak-jak-si-myslite-a-to-ani-v-rezimu-blokovani/",
    ],
};
const APPLE_FORUM_HOST_ROUTES: Source = Source {
    url: "https://developer.apple.com/forums/thread/782696",
    note: "",
    also: &[],
};
const MULLVAD_LEAK_TESTS: Source = Source {
    url: "https://github.com/mullvad/mullvadvpn-app/blob/9380a8076bc0511937477989a80ebca89cb334d9/ios/MullvadVPNUITests/LeakTests.swift#L20-L27",
    note: "",
    also: &[],
};
const MULLVAD_BLOG_2025: Source = Source {
    url: "https://mullvad.net/en/blog/why-we-still-dont-use-includeallnetworks",
    note: "",
    also: &[],
};
const MULLVAD_UPDATE_NOTICE: Source = Source {
    url: "https://github.com/mullvad/mullvadvpn-app/blob/9380a8076bc0511937477989a80ebca89cb334d9/ios/PacketTunnel/Notifications/NewAppVersionSystemNotificationHandler.swift#L37-L55",
    note: "",
    also: &[],
};
const MULLVAD_TOGGLE_LEAK: Source = Source {
    url: "https://github.com/mullvad/mullvadvpn-app/blob/9380a8076bc0511937477989a80ebca89cb334d9/ios/MullvadVPN/Coordinators/Settings/IncludeAllNetworks/IncludeAllNetworksSettingsViewModel.swift#L266-L275",
    note: "",
    also: &[],
};
const MULLVAD_PINGER: Source = Source {
    url: "https://github.com/mullvad/mullvadvpn-app/blob/965777945868ee7dff0892945fbb67ecf500ffc6/ios/PacketTunnelCore/Pinger/Pinger.swift#L201-L218",
    note: "Mullvad's pinger before the userspace stack",
    also: &[],
};
const MULLVAD_SMOLTCP: Source = Source {
    url: "https://github.com/mullvad/mullvadvpn-app/blob/9380a8076bc0511937477989a80ebca89cb334d9/mullvad-ios/src/gotatun/smoltcp_network/mod.rs#L1-L7",
    note: "",
    also: &[],
};
const MULLVAD_NETSTACK: Source = Source {
    url: "https://github.com/mullvad/wireguard-apple/blob/afb345188c187dddafae0f9e27c5466be11451c2/Sources/WireGuardKitGo/api-apple.go#L227-L252",
    note: "Mullvad's WireGuardKit fork: the userspace stack under includeAllNetworks",
    also: &[
        "https://github.com/mullvad/wireguard-apple/blob/afb345188c187dddafae0f9e27c5466be11451c2/Sources/WireGuardKitGo/router.go#L33-L40",
    ],
};
const PROTON_PROVIDER: Source = Source {
    url: "https://github.com/ProtonVPN/ios-mac-app/blob/e3e4047029c709ae25ecf9d6f1ffe92f40f66ff4/apps/ios/WireGuardiOS%20Extension/PacketTunnelProvider.swift#L105-L124",
    note: "",
    also: &[],
};
const RVI_CAPTURE: Source = Source {
    url: "https://github.com/gh2o/rvi_capture",
    note: "an rvi0 capture tool; the VoLTE interfaces are in the pull request beside it",
    also: &["https://github.com/tailscale/tailscale/pull/13598"],
};
const YOOTA_2026: Source = Source {
    url: "https://mullvad.net/en/blog/force-all-app-traffic-into-the-tunnel",
    note: "Mullvad's 2026 post, read through press summaries",
    also: &[
        "https://yoota.it/en/mullvad-forces-all-traffic-through-its-tunnel-on-ios-working-around-an-apple-limitation/",
    ],
};
/// For rules this project derives itself: there is nothing public to cite.
const THIS_PROJECT: Source = Source {
    url: "",
    note: "inferred by tunnelscope from the sourced rules it builds on; no public source",
    also: &[],
};
const IVPN_ISSUE_146: Source = Source {
    url: "https://github.com/ivpn/ios-app/issues/146",
    note: "",
    also: &[],
};
const IVPN_ISSUE_360: Source = Source {
    url: "https://github.com/ivpn/ios-app/issues/360",
    note: "",
    also: &[],
};
const DISCONNECT_ME: Source = Source {
    url: "https://blog.disconnect.me/ios-vpn-leak-advisory/",
    note: "",
    also: &["https://news.ycombinator.com/item?id=34054178"],
};
const IVPN_ISSUE_283: Source = Source {
    url: "https://github.com/ivpn/ios-app/issues/283",
    note: "",
    also: &[],
};
const FXTECH_2026: Source = Source {
    url: "https://mullvad.net/en/blog/force-all-app-traffic-into-the-tunnel",
    note: "Mullvad's 2026 post, read through press summaries",
    also: &[
        "https://fxtechnology.org/mullvad-to-add-feature-that-forces-all-ios-traffic-through-the-vpn-tunnel/",
    ],
};
const MOZILLA_VPN_3531: Source = Source {
    url: "https://github.com/mozilla-mobile/mozilla-vpn-client/issues/3531",
    note: "",
    also: &[],
};
/// A VPN app's developer: iOS has no way to send hotspot clients into the
/// tunnel; without includeAllNetworks they go out with the carrier's address.
const VK_TURN_PROXY_55: Source = Source {
    url: "https://github.com/anton48/vk-turn-proxy-ios/issues/55",
    note: "",
    also: &[],
};
const IVPN_KB_KILL_SWITCH: Source = Source {
    url: "https://www.ivpn.net/knowledgebase/ios/known-issues-with-native-ios-kill-switch/",
    note: "",
    also: &[
        "https://github.com/ivpn/ivpn.net/blob/0187e33913c36b763225cf3f1de70f77fb6c2548/src/content/en/pages/knowledgebase/ios/native-ios-kill-switch-known-issues.md#L17-L23",
    ],
};
const MULLVAD_KNOWN_ISSUES: Source = Source {
    url: "https://github.com/mullvad/mullvadvpn-app/blob/9380a8076bc0511937477989a80ebca89cb334d9/ios/MullvadVPN/Coordinators/Settings/IncludeAllNetworks/IncludeAllNetworksSettingsCoordinator.swift#L65-L97",
    note: "",
    also: &[],
};
const MULLVAD_SETTINGS_VIEW: Source = Source {
    url: "https://github.com/mullvad/mullvadvpn-app/blob/9380a8076bc0511937477989a80ebca89cb334d9/ios/MullvadVPN/Coordinators/Settings/IncludeAllNetworks/IncludeAllNetworksSettingsView.swift#L208-L228",
    note: "",
    also: &[],
};

/// TunnelCrack (Vanhoef and Xue, USENIX Security 2023): LocalNet and
/// ServerIP, tested on 66+ VPN apps on five platforms.
const TUNNELCRACK: Source = Source {
    url: "https://tunnelcrack.mathyvanhoef.com/details.html#localnetdetails",
    note: "TunnelCrack, Vanhoef and Xue, USENIX Security 2023",
    also: &[
        "https://github.com/vanhoefm/tunnelcrack/blob/266d549b9c8a891e66abec212d7a984f65f0aec1/details.html#L188-L267",
    ],
};
/// Mullvad: "iOS is vulnerable to TunnelVision/TunnelCrack LocalNet".
const MULLVAD_KNOWN_ISSUES_DOC: Source = Source {
    url: "https://github.com/mullvad/mullvadvpn-app/blob/9380a8076bc0511937477989a80ebca89cb334d9/docs/known-issues.md#L73-L85",
    note: "",
    also: &[],
};
/// Mullvad's iOS changelog: "Force all apps", which mitigates TunnelCrack.
const MULLVAD_IOS_CHANGELOG: Source = Source {
    url: "https://github.com/mullvad/mullvadvpn-app/blob/9380a8076bc0511937477989a80ebca89cb334d9/ios/CHANGELOG.md#L52",
    note: "",
    also: &[],
};

/// A developer's report (forum thread 817434, a mirror): push over Wi-Fi
/// under includeAllNetworks whatever excludeAPNs says.
pub(crate) const FORUM_APNS_WIFI: Source = Source {
    url: "https://developer.apple.com/forums/thread/817434",
    note: "",
    also: &[],
};
/// A developer's report: enforceRoutes with excluded routes drops the
/// included routes' traffic on iPadOS 26.0.
const FORUM_ENFORCE_ROUTES_26: Source = Source {
    url: "https://developer.apple.com/forums/thread/832079",
    note: "",
    also: &[],
};
/// Developers reporting excludedRoutes ignored under includeAllNetworks or
/// enforceRoutes (a forum search page; the thread itself was not stored).
const FORUM_EXCLUDED_ROUTES_IGNORED: Source = Source {
    url: "https://github.com/anton48/vk-turn-proxy-ios/issues/2",
    note: "a VPN app's maintainer: includeAllNetworks disables excludedRoutes",
    also: &[],
};
/// Proton's support page: iOS does not close all existing connections when
/// the VPN connects, even with the kill switch on.
const PROTON_KILL_SWITCH_FAQ: Source = Source {
    url: "https://protonvpn.com/support/what-is-kill-switch/",
    note: "",
    also: &[],
};

const APPLE_IPV6_TRANSITION: Source = Source {
    url: "https://developer.apple.com/library/archive/documentation/NetworkingInternetWeb/Conceptual/NetworkingOverview/UnderstandingandPreparingfortheIPv6Transition/UnderstandingandPreparingfortheIPv6Transition.html",
    note: "",
    also: &[],
};
const WIREGUARD_DNS64: Source = Source {
    url: "https://github.com/WireGuard/wireguard-apple/blob/2fec12a6e1f6e3460b6ee483aa00ad29cddadab1/Sources/WireGuardKit/DNSResolver.swift#L94-L130",
    note: "",
    also: &[],
};
const ALGO_1385: Source = Source {
    url: "https://github.com/trailofbits/algo/issues/1385",
    note: "",
    also: &[],
};
const NETBIRD_99: Source = Source {
    url: "https://github.com/netbirdio/ios-client/pull/99",
    note: "",
    also: &[],
};
const NEPACKET_DEMO_32: Source = Source {
    url: "https://github.com/davlxd/NEPacketTunnelVPNDemo/issues/32",
    note: "",
    also: &[],
};
const RFC_8305: Source = Source {
    url: "https://www.rfc-editor.org/rfc/rfc8305",
    note: "Happy Eyeballs v2, by Apple's D. Schinazi and T. Pauly",
    also: &[],
};
const RFC_6877: Source = Source {
    url: "https://www.rfc-editor.org/rfc/rfc6877",
    note: "464XLAT",
    also: &[],
};
const RFC_6052: Source = Source {
    url: "https://www.rfc-editor.org/rfc/rfc6052#section-3.1",
    note: "IPv6 addressing of IPv4/IPv6 translators",
    also: &[],
};
const APPLE_HAPPY_EYEBALLS: Source = Source {
    url: "https://mailarchive.ietf.org/arch/msg/v6ops/DYiI9v_O66RNbMJsx0NsatFkubQ",
    note: "Apple's D. Schinazi on the IETF v6ops list, 2015-07-09",
    also: &[],
};
const BOOTP_CLAT_CELLULAR: Source = Source {
    url: "https://github.com/apple-oss-distributions/bootp/blob/f5890291dab9efd3cde5ce22ffb9b247934eaea2/IPConfiguration.bproj/ipconfigd.c#L6326-L6361",
    note: "",
    also: &[],
};
const BOOTP_CLAT_WIFI: Source = Source {
    url: "https://github.com/apple-oss-distributions/bootp/blob/f5890291dab9efd3cde5ce22ffb9b247934eaea2/IPConfiguration.bproj/rtadv.c#L1667-L1709",
    note: "",
    also: &[],
};
const TMOBILE_464XLAT: Source = Source {
    url: "https://ipv4.online/blog/t-mobile-ipv6-only-mobile-network",
    note: "",
    also: &[],
};
const APPLE_NO_464XLAT_2015: Source = Source {
    url: "https://developer.apple.com/forums/thread/5643",
    note: "",
    also: &[],
};
const CLAT_IOS18_WIFI: Source = Source {
    url: "https://blog.sorah.jp/2025/11/04/mystery-of-clat-on-apple-devices",
    note: "",
    also: &[],
};
const MEOW_IOS_238: Source = Source {
    url: "https://github.com/meow-rs/meow-ios/pull/238",
    note: "",
    also: &[],
};
const DOC_IPV6_SETTINGS: Source = Source {
    url: "https://developer.apple.com/documentation/networkextension/nepackettunnelnetworksettings/ipv6settings",
    note: "",
    also: &[],
};

const fn v(major: u8, minor: u8, patch: u8) -> IosVersion {
    IosVersion::new(major, minor, patch)
}

// ---------------------------------------------------------------------------
// Properties

/// A NetworkExtension setting a scenario may set under `[vpn]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Prop {
    IncludeAllNetworks,
    ExcludeLocalNetworks,
    ExcludeApns,
    ExcludeCellularServices,
    ExcludeDeviceCommunication,
    EnforceRoutes,
    IncludedRoutes,
    ExcludedRoutes,
    OnDemand,
    ServerByName,
    ReportsServerAddress,
}

/// Apple's default for a property.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PropDefault {
    Bool(bool),
    /// A list of routes; the slice is the default list.
    Routes(&'static [&'static str]),
}

#[derive(Clone, Copy, Debug)]
pub struct Property {
    pub prop: Prop,
    /// The key in a scenario's `[vpn]` table.
    pub key: &'static str,
    /// Apple's name, for people who know the API.
    pub apple_name: &'static str,
    /// First iOS release that has it.
    pub since: IosVersion,
    pub default: PropDefault,
    pub meaning: &'static str,
    pub evidence: Evidence,
    pub source: &'static Source,
}

/// The full-tunnel route list (what Mullvad, WireGuard and Proton configure).
pub const FULL_TUNNEL: &[&str] = &["0.0.0.0/0", "::/0"];

pub static PROPERTIES: [Property; 11] = [
    Property {
        prop: Prop::IncludeAllNetworks,
        key: "include_all_networks",
        apple_name: "includeAllNetworks",
        since: v(14, 0, 0),
        default: PropDefault::Bool(false),
        meaning: "send (most) traffic through the tunnel: the iOS kill switch (the 2021 header added that traffic is dropped while the tunnel is down)",
        evidence: Evidence::Documented,
        source: &DOC_IAN,
    },
    Property {
        prop: Prop::ExcludeLocalNetworks,
        key: "exclude_local_networks",
        apple_name: "excludeLocalNetworks",
        since: v(14, 2, 0),
        default: PropDefault::Bool(true),
        meaning: "keep LAN traffic (AirPlay, AirDrop, printers) outside the tunnel when includeAllNetworks or enforceRoutes is on; YES by default on iOS",
        evidence: Evidence::Documented,
        source: &DOC_EXCLUDE_LOCAL,
    },
    Property {
        prop: Prop::ExcludeApns,
        key: "exclude_apns",
        apple_name: "excludeAPNs",
        since: v(16, 4, 0),
        default: PropDefault::Bool(true),
        meaning: "keep Apple Push Notification traffic outside the tunnel when includeAllNetworks is on",
        evidence: Evidence::Documented,
        source: &DOC_EXCLUDE_APNS,
    },
    Property {
        prop: Prop::ExcludeCellularServices,
        key: "exclude_cellular_services",
        apple_name: "excludeCellularServices",
        since: v(16, 4, 0),
        default: PropDefault::Bool(true),
        meaning: "keep internet-routed carrier services (Wi-Fi Calling, MMS, SMS, Visual Voicemail) outside the tunnel when includeAllNetworks is on",
        evidence: Evidence::Documented,
        source: &DOC_EXCLUDE_CELLULAR,
    },
    Property {
        prop: Prop::ExcludeDeviceCommunication,
        key: "exclude_device_communication",
        apple_name: "excludeDeviceCommunication",
        since: v(17, 4, 0),
        default: PropDefault::Bool(true),
        meaning: "keep traffic to devices connected over USB or Wi-Fi (Xcode) outside the tunnel when includeAllNetworks is on",
        evidence: Evidence::Documented,
        source: &DOC_EXCLUDE_DEVICE,
    },
    Property {
        prop: Prop::EnforceRoutes,
        key: "enforce_routes",
        apple_name: "enforceRoutes",
        since: v(14, 2, 0),
        default: PropDefault::Bool(false),
        meaning: "make the tunnel's routes beat local routes, even for apps that scope to an interface",
        evidence: Evidence::Documented,
        source: &DOC_ENFORCE_ROUTES,
    },
    Property {
        prop: Prop::IncludedRoutes,
        key: "included_routes",
        apple_name: "NEIPv4Settings/NEIPv6Settings.includedRoutes",
        since: v(9, 0, 0),
        default: PropDefault::Routes(FULL_TUNNEL),
        meaning: "destinations routed into the tunnel; the default route sends everything not matched elsewhere. Apple's default is nil (no routes); a scenario's default is the full tunnel that Mullvad, WireGuard and Proton configure",
        evidence: Evidence::Documented,
        source: &DOC_INCLUDED_ROUTES,
    },
    Property {
        prop: Prop::ExcludedRoutes,
        key: "excluded_routes",
        apple_name: "NEIPv4Settings/NEIPv6Settings.excludedRoutes",
        since: v(9, 0, 0),
        default: PropDefault::Routes(&[]),
        meaning: "destinations sent to the physical interface instead of the tunnel",
        evidence: Evidence::Documented,
        source: &DOC_EXCLUDED_ROUTES,
    },
    Property {
        prop: Prop::OnDemand,
        key: "on_demand",
        apple_name: "NEOnDemandRuleConnect (isOnDemandEnabled)",
        since: v(8, 0, 0),
        default: PropDefault::Bool(false),
        meaning: "a Connect on-demand rule: iOS starts the tunnel again by itself when it is down and the user did not disconnect",
        evidence: Evidence::Documented,
        source: &DOC_ON_DEMAND,
    },
    Property {
        prop: Prop::ServerByName,
        key: "server_by_name",
        apple_name: "the app's own choice: its VPN server's host name, looked up in DNS before the tunnel is up",
        since: v(8, 0, 0),
        default: PropDefault::Bool(true),
        meaning: "the app looks its VPN server up by name on the network it is on; TunnelCrack's ServerIP needs this, since a hostile network then answers with the address it wants. Apps that connect to their servers by IP address (IVPN says its app does) are not hit; the default is iOS's built-in client's, which TunnelCrack found vulnerable",
        evidence: Evidence::Observed,
        source: &TUNNELCRACK,
    },
    Property {
        prop: Prop::ReportsServerAddress,
        key: "reports_server_address",
        apple_name: "NETunnelNetworkSettings.tunnelRemoteAddress (the server's real address)",
        since: v(9, 0, 0),
        default: PropDefault::Bool(true),
        meaning: "the app tells iOS its server's real address as the tunnel's remote address, and iOS keeps traffic to that address outside the tunnel; WireGuard's app (and Mullvad's and Proton's, built on it) reports 127.0.0.1 instead, so no real address is kept outside and ServerIP has nothing to exploit",
        evidence: Evidence::Documented,
        source: &DOC_TUNNEL_REMOTE_ADDRESS,
    },
];

pub fn property(prop: Prop) -> &'static Property {
    PROPERTIES
        .iter()
        .find(|p| p.prop == prop)
        .expect("every Prop has a row in PROPERTIES (checked by a test)")
}

pub fn property_by_key(key: &str) -> Option<&'static Property> {
    PROPERTIES.iter().find(|p| p.key == key)
}

// ---------------------------------------------------------------------------
// Assumptions

/// A place where the public record is silent and the model needs an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum AssumptionId {
    AppleServicesBypass,
    ExclusionsHoldWhileTunnelDown,
    DisconnectRecoversLostTunnel,
    UnverifiedAppleServicesBypass,
    ExistingConnectionsStayOutside,
    IanHonoursExcludedRoutes,
    ConnectTime,
    ReassertTime,
    UpdateRetryDelay,
    PostUpdateLeakLater16,
    RebootTime,
    HotspotClientsOutsideTunnel,
    IanStopsServerIp,
    ExistingConnectionUnderIan,
    KillSwitchDelay,
    ApnsExclusionIgnoredOnWifi,
    EnforceRoutesDropsOn26,
    IanCoversIpv6,
    ClatOnCellular,
    ClatOnWifi,
    EnforcedDefaultRouteWins,
    PushWithoutKillSwitch,
    WifiCallingBypassesTunnel,
    DnsSkipsTunnelOnCellular,
    VpnControlUnderKillSwitch,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssumptionValue {
    Bool(bool),
    /// Milliseconds of simulated time.
    Millis(u64),
    /// One of a few named outcomes, where sources disagree on more than
    /// yes or no.
    Choice {
        value: &'static str,
        of: &'static [&'static str],
    },
}

impl AssumptionValue {
    /// The value as a scenario writes it (without quotes).
    pub fn text(self) -> String {
        match self {
            AssumptionValue::Bool(b) => b.to_string(),
            AssumptionValue::Millis(ms) => crate::scenario::duration::format(ms),
            AssumptionValue::Choice { value, .. } => value.to_string(),
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Assumption {
    pub id: AssumptionId,
    /// The key in a scenario's `[assume]` table.
    pub key: &'static str,
    pub default: AssumptionValue,
    /// What "true" (or the value) means for the model.
    pub meaning: &'static str,
    /// Why this is an assumption: what is known and what is not.
    pub why: &'static str,
    /// The nearest sourced fact the assumption extends.
    pub basis: &'static Source,
}

pub static ASSUMPTIONS: [Assumption; 25] = [
    Assumption {
        id: AssumptionId::AppleServicesBypass,
        key: "apple_services_bypass",
        default: AssumptionValue::Bool(true),
        meaning: "on iOS 17 and later, Apple Maps traffic (and APNs where no excludeAPNs setting governs it) still leaves an active tunnel, as observed on iOS 16.1+",
        why: "the leak was observed on 16.1+ (restoreprivacy via IVPN, 2023); no public source says whether 17, 18 or 26 fixed it, so the model assumes it persists until shown otherwise",
        basis: &IVPN_2023,
    },
    Assumption {
        id: AssumptionId::ExclusionsHoldWhileTunnelDown,
        key: "exclusions_hold_while_tunnel_down",
        default: AssumptionValue::Bool(false),
        meaning: "while includeAllNetworks is on and the tunnel is not connected, traffic excluded by a setting (excludeAPNs, excludeCellularServices, excludeLocalNetworks, excludeDeviceCommunication) or by the Apple-traffic leak still goes outside; Apple's always-excluded list (DHCP, captive portal, companion, VoLTE) is not affected",
        why: "Apple documents the exclusions without saying what happens while the tunnel is down; Mullvad, which leaves excludeAPNs at YES, saw the phone lose all network connectivity when the App Store updated its app and the provider was gone, so by default the exclusions do not help",
        basis: &MULLVAD_BLOG_2025,
    },
    Assumption {
        id: AssumptionId::DisconnectRecoversLostTunnel,
        key: "disconnect_recovers_lost_tunnel",
        default: AssumptionValue::Bool(true),
        meaning: "after the tunnel provider is lost with includeAllNetworks on, a user disconnect turns the VPN off and traffic goes direct again",
        why: "vendors tell users to disconnect *before* updating so they do not lose connectivity; whether disconnecting after a loss helps is not documented, and after an app update Mullvad says only a reboot restores connectivity",
        basis: &MULLVAD_UPDATE_NOTICE,
    },
    Assumption {
        id: AssumptionId::UnverifiedAppleServicesBypass,
        key: "unverified_apple_services_bypass",
        default: AssumptionValue::Bool(false),
        meaning: "on iOS 16.0 and later, other Apple services (iCloud, App Store, Find My, Health, Wallet) also leave an active tunnel",
        why: "these services come from press summaries of Mysk's 2022 findings; no primary copy was available and it is unclear whether includeAllNetworks was on",
        basis: &MYSK_2022,
    },
    Assumption {
        id: AssumptionId::ExistingConnectionsStayOutside,
        key: "existing_connections_stay_outside",
        default: AssumptionValue::Bool(true),
        meaning: "on iOS 16 and later, without includeAllNetworks, connections opened before the tunnel came up keep going outside it until they close; false: iOS moves them into the tunnel (host routes through it)",
        why: "the sources disagree: observed staying outside on 13.3.1/13.4 (Proton, 2020) and up to 15.6 (Horowitz, 2022), and vendors still recommend includeAllNetworks as the remedy; a 2025 developer-forum thread saw iOS add host routes through the tunnel for TCP flows active when it came up. The default sides with the two first-hand tests of leaks over one routing-table observation",
        basis: &HOROWITZ_2022,
    },
    Assumption {
        id: AssumptionId::IanHonoursExcludedRoutes,
        key: "ian_honours_excluded_routes",
        default: AssumptionValue::Bool(false),
        meaning: "with includeAllNetworks on, destinations in the tunnel's excluded_routes still go outside it",
        why: "Apple documents only the exclude* properties as exceptions to includeAllNetworks; nothing public says how excludedRoutes interacts with it",
        basis: &DOC_IAN,
    },
    Assumption {
        id: AssumptionId::ConnectTime,
        key: "connect_time",
        default: AssumptionValue::Millis(1_000),
        meaning: "how long the tunnel takes from `connect` (or an on-demand restart) to connected",
        why: "depends on the VPN protocol, the relay and the network; no source gives a figure, so it is a parameter",
        basis: &THIS_PROJECT,
    },
    Assumption {
        id: AssumptionId::ReassertTime,
        key: "reassert_time",
        default: AssumptionValue::Millis(1_000),
        meaning: "how long the tunnel takes to come back after the phone changes network",
        why: "depends on the VPN protocol and the new network; no source gives a figure, so it is a parameter",
        basis: &THIS_PROJECT,
    },
    Assumption {
        id: AssumptionId::UpdateRetryDelay,
        key: "update_retry_delay",
        default: AssumptionValue::Millis(60_000),
        meaning: "how long after a reboot the App Store retries an update of the VPN app that could not finish",
        why: "Mullvad and the press describe the retry that makes the loop, but no source says when (or whether always) it happens",
        basis: &YOOTA_2026,
    },
    Assumption {
        id: AssumptionId::PostUpdateLeakLater16,
        key: "post_update_leak_later_16",
        default: AssumptionValue::Bool(true),
        meaning: "the \"shows Connected, traffic outside\" state after an app upgrade, reported on iOS 16.0, also happens on later 16.x releases",
        why: "IVPN reported it on iOS 16.0; the stored copy of the report breaks off at the 16.1 beta, and no source says which release fixed it",
        basis: &IVPN_ISSUE_283,
    },
    Assumption {
        id: AssumptionId::RebootTime,
        key: "reboot_time",
        default: AssumptionValue::Millis(30_000),
        meaning: "how long a restart takes until the phone is back on its network",
        why: "not a VPN fact and it varies by device; a round figure so the reboot is visible on the timeline",
        basis: &THIS_PROJECT,
    },
    Assumption {
        id: AssumptionId::HotspotClientsOutsideTunnel,
        key: "hotspot_clients_outside_tunnel",
        default: AssumptionValue::Bool(false),
        meaning: "without includeAllNetworks, the traffic of devices using the phone's Personal Hotspot is forwarded outside the tunnel, on the cellular interface; false: while a full tunnel is up it is dropped, and tethered devices have no internet",
        why: "reports disagree: with a full tunnel (an exit node) and no kill switch, tethered devices had no internet on iOS 17.1.1 (reproduced by Tailscale's staff), 18 and 26.0.1, and in a sing-box report with the kill switch off; one VPN app's developer says tethered traffic goes out with the carrier's address, and a 2018 report had a tethered Mac online outside the VPN. The default follows the more numerous, recent, first-hand reports",

        basis: &MOZILLA_VPN_3531,
    },
    Assumption {
        id: AssumptionId::IanStopsServerIp,
        key: "ian_stops_serverip",
        default: AssumptionValue::Bool(true),
        meaning: "with includeAllNetworks on, traffic to the address the VPN server's name resolved to (spoofed by a ServerIP attacker to be the target's) still goes into the tunnel; only the VPN's own transport goes to it outside",
        why: "TunnelCrack's fix for ServerIP is to send everything but the VPN's own transport through the tunnel, which is what includeAllNetworks asks for, and Mullvad says Force all apps mitigates TunnelCrack; nobody has published a ServerIP test against includeAllNetworks on iOS",
        basis: &MULLVAD_IOS_CHANGELOG,
    },
    Assumption {
        id: AssumptionId::ExistingConnectionUnderIan,
        key: "existing_connection_under_ian",
        default: AssumptionValue::Choice {
            value: "reset",
            of: EXISTING_UNDER_IAN,
        },
        meaning: "what happens to a connection that was open outside the tunnel when includeAllNetworks comes into force: \"reset\" (closed; the app reconnects inside the tunnel), \"moved\" (carried into the tunnel) or \"stays\" (kept outside until it closes)",
        why: "the sources disagree: Mozilla VPN's developer says turning includeAllNetworks on closes existing connections (iOS 15.4.1); Proton says iOS does not close all existing connections even with its kill switch; a developer-forum thread says iOS adds host routes through the tunnel for active TCP flows, but for any IPv4 route, not for includeAllNetworks. The default follows the one first-hand statement about includeAllNetworks",
        basis: &MOZILLA_VPN_3531,
    },
    Assumption {
        id: AssumptionId::KillSwitchDelay,
        key: "kill_switch_delay",
        default: AssumptionValue::Millis(0),
        meaning: "how long after the tunnel (re)starts and is connected includeAllNetworks takes to engage (until then traffic is routed as without it), and how long after the user disconnects it keeps blocking",
        why: "IVPN's knowledge base reports \"approx. 1-3 seconds\" each way with its app (iOS 14 and 15); Apple documents that traffic is dropped while the tunnel is down and says nothing of a delay, and nobody else reports one, so by default there is none; set e.g. \"2s\" to see what IVPN's delay exposes",
        basis: &IVPN_KB_KILL_SWITCH,
    },
    Assumption {
        id: AssumptionId::ApnsExclusionIgnoredOnWifi,
        key: "apns_exclusion_ignored_on_wifi",
        default: AssumptionValue::Bool(false),
        meaning: "with includeAllNetworks on and the phone on Wi-Fi, excludeAPNs has no effect: push goes into the tunnel whatever it says (on cellular it works as documented)",
        why: "one developer saw push not delivered over Wi-Fi through a non-forwarding tunnel with excludeAPNs on or off, while on cellular it behaved as documented (iOS release not given); Apple documents excludeAPNs without such a difference, so by default it holds on Wi-Fi too",
        basis: &FORUM_APNS_WIFI,
    },
    Assumption {
        id: AssumptionId::EnforceRoutesDropsOn26,
        key: "enforce_routes_drops_on_26",
        default: AssumptionValue::Bool(false),
        meaning: "on iOS 26, with enforceRoutes on (includeAllNetworks off) and any excluded route, traffic for the tunnel's included routes is dropped instead of tunnelled; the excluded routes still go outside",
        why: "one developer reported it on iPadOS 26.0 with a packet tunnel (Wireshark: no packets on any interface); nobody has confirmed it on an iPhone or on later 26.x releases",
        basis: &FORUM_ENFORCE_ROUTES_26,
    },
    Assumption {
        id: AssumptionId::EnforcedDefaultRouteWins,
        key: "enforced_default_route_wins",
        default: AssumptionValue::Bool(false),
        meaning: "with enforceRoutes on (includeAllNetworks off), the tunnel's default route (0.0.0.0/0) beats a more specific route the Wi-Fi's DHCP pushed (option 121, TunnelVision); false: only the tunnel's non-default routes do, and the pushed route wins where the default route alone covers the address",
        why: "Apple's two texts disagree: the enforceRoutes page says the tunnel's route rules take precedence over any locally defined routes, the device-management schema says this of the VPN's non-default routes; DuckDuckGo's TunnelVision fix pairs enforceRoutes with non-default routes only, and nobody has published a test with only 0.0.0.0/0, so by default the narrower text holds",
        basis: &APPLE_MDM,
    },
    Assumption {
        id: AssumptionId::PushWithoutKillSwitch,
        key: "push_without_kill_switch",
        default: AssumptionValue::Choice {
            value: "by-network",
            of: PUSH_WITHOUT_KILL_SWITCH,
        },
        meaning: "on iOS 17 and later, without the kill switch, where push (APNs) goes: \"by-network\" (through the tunnel on Wi-Fi, outside it on cellular), \"outside\" (outside on both, as Apple traffic was reported leaving on 16.1) or \"tunnel\" (where the tunnel's routes send it, as Apple documents a full tunnel)",
        why: "two independent 2026 reports (a Clash-based and a sing-box-based client) routed push through their tunnel on Wi-Fi but saw none of it on cellular, and a developer-forum thread also found Wi-Fi and cellular behaving differently; the 16.1 report of Apple traffic outside the tunnel is older and names no network; nobody reports push following the routes on cellular. The default follows the two recent reports",
        basis: &CLASHMI_PUSH,
    },
    Assumption {
        id: AssumptionId::WifiCallingBypassesTunnel,
        key: "wifi_calling_bypasses_tunnel",
        default: AssumptionValue::Bool(true),
        meaning: "without the kill switch, Wi-Fi Calling (and the carrier's other internet-routed services) goes outside the tunnel; false: the tunnel's routes decide, as for any traffic",
        why: "the one public test: Outline's maintainer stopped the VPN server during a Wi-Fi call and the call went on (iOS 11/12, 2018); Apple documents excludeCellularServices only for the kill switch; nothing says a later release changed it",
        basis: &OUTLINE_WIFI_CALLING,
    },
    Assumption {
        id: AssumptionId::DnsSkipsTunnelOnCellular,
        key: "dns_skips_tunnel_on_cellular",
        default: AssumptionValue::Bool(true),
        meaning: "on iOS 26.4 and later, without the kill switch, the phone's DNS queries on cellular go to the carrier's resolver instead of the tunnel's",
        why: "one VPN vendor saw it on iOS 26.4 on T-Mobile 5G (queries never reached its tunnel's resolver; its testers had no internet on cellular while Wi-Fi worked) and fixed it by turning includeAllNetworks on; nobody else has reported on it, and Apple documents the tunnel's resolver as the default where the tunnel is the default route",
        basis: &LANTERN_DNS_26_4,
    },
    Assumption {
        id: AssumptionId::VpnControlUnderKillSwitch,
        key: "vpn_control_under_kill_switch",
        default: AssumptionValue::Choice {
            value: "outside",
            of: VPN_CONTROL_UNDER_KILL_SWITCH,
        },
        meaning: "with the kill switch on, where the VPN app's own control connections (its API, a mesh VPN's signalling and relay sockets) go: \"outside\" the tunnel, or \"captured\" by it, where they loop and fail",
        why: "the apps differ: Proton's code sends its API calls outside on purpose when includeAllNetworks is on (its comment: calls through the tunnel time out), while NetBird's control sockets were captured and collapsed about 10 s after connecting (2026); which happens depends on how the app opens them. The default follows the shipped code",
        basis: &PROTON_PROVIDER,
    },
    Assumption {
        id: AssumptionId::IanCoversIpv6,
        key: "ian_covers_ipv6",
        default: AssumptionValue::Bool(true),
        meaning: "includeAllNetworks takes IPv6 traffic as it takes IPv4: into the tunnel, dropped if the tunnel has no IPv6 (then apps fall back to IPv4); false: IPv6 goes outside the tunnel as if the flag were off",
        why: "Apple documents includeAllNetworks as routing all network traffic through the tunnel, without naming IP versions; nobody has published what it does with IPv6 when the tunnel's settings have none, so by default it takes IPv6 too (a newer per-tunnel includeAllNetworks setting that names IPv4, IPv6 or both appears in Apple's documentation with no release yet)",
        basis: &DOC_IAN,
    },
    Assumption {
        id: AssumptionId::ClatOnCellular,
        key: "clat_on_cellular",
        default: AssumptionValue::Bool(true),
        meaning: "on IPv6-only cellular the phone runs a CLAT (464XLAT), so apps that only speak IPv4 reach IPv4 servers through the carrier's NAT64; false: they have no path there",
        why: "an Apple engineer said in 2015 (iOS 9) that Apple did not support 464XLAT; Apple's network configuration code (2018 on) can turn a CLAT on for a cellular service when asked, and a 2024 write-up says T-Mobile US runs 464XLAT for iOS 10.3 and later; nothing first-hand says which carriers' iPhones run one today",
        basis: &BOOTP_CLAT_CELLULAR,
    },
    Assumption {
        id: AssumptionId::ClatOnWifi,
        key: "clat_on_wifi",
        default: AssumptionValue::Bool(false),
        meaning: "before iOS 18, on an IPv6-only Wi-Fi the phone runs a CLAT, so apps that only speak IPv4 reach IPv4 servers through the network's NAT64; false: they have no path there (from iOS 18 a CLAT on such a Wi-Fi is observed)",
        why: "Apple's network configuration code turns a CLAT on when the Wi-Fi advertises a NAT64 prefix and gives no IPv4 (PREF64 parsing from 2021); the earliest public capture on an iPhone is iOS 18 (2025), so earlier releases are unknown",
        basis: &BOOTP_CLAT_WIFI,
    },
];

/// The outcomes `existing_connection_under_ian` can name.
pub const EXISTING_UNDER_IAN: &[&str] = &["reset", "moved", "stays"];

/// The readings of `vpn_control_under_kill_switch`.
pub const VPN_CONTROL_UNDER_KILL_SWITCH: &[&str] = &["outside", "captured"];

/// The readings of `push_without_kill_switch`.
pub const PUSH_WITHOUT_KILL_SWITCH: &[&str] = &["by-network", "outside", "tunnel"];

pub fn assumption(id: AssumptionId) -> &'static Assumption {
    ASSUMPTIONS
        .iter()
        .find(|a| a.id == id)
        .expect("every AssumptionId has a row in ASSUMPTIONS (checked by a test)")
}

pub fn assumption_by_key(key: &str) -> Option<&'static Assumption> {
    ASSUMPTIONS.iter().find(|a| a.key == key)
}

// ---------------------------------------------------------------------------
// Rules

/// A behaviour the policy engine can apply. One `Fact` may have several rows
/// in [`RULES`], one per range of releases, when the evidence differs by
/// release (e.g. documented from 16.4, inferred before).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fact {
    // The device and the VPN's state
    NoNetwork,
    NoLan,
    NoVpn,
    UserDisconnected,
    TunnelConnecting,
    TunnelReasserting,
    TunnelLost,
    TunnelRestarting,
    OnDemandRestarts,
    DisconnectAfterLoss,
    // The VPN app's own update, and restarts
    UpdateNotice,
    UpdateStopsProvider,
    UpdateBlocksEverything,
    UpdateLeaksWithoutIan,
    UpdateReconnects,
    UpdateRetries,
    PostUpdateLeak,
    Rebooting,
    OffAfterReboot,
    // Traffic with its own fixed path
    CarrierOnlyServices,
    VpnTransportOutside,
    TransportIdle,
    ProviderApiOutside,
    ProbeBoundSocket,
    ProbeBindFailsUnderIan,
    ProbeUserspaceStack,
    ProbeNeedsTunnel,
    DhcpOnLink,
    CaptiveProbeOutside,
    CompanionOutside,
    DeviceCommunicationLocal,
    // Routing without includeAllNetworks
    IncludedRoute,
    ExcludedRoute,
    NotInIncludedRoutes,
    LocalNetworkBypass,
    EnforceRoutesLocal,
    DnsFollowsTunnel,
    DnsSplitTunnel,
    CellularServicesRouted,
    ExistingStaysOutside,
    // includeAllNetworks
    IanAllTraffic,
    IanBlocksWhileDown,
    IanExcludesNetworkControl,
    IanExcludesCaptive,
    IanExcludesCompanion,
    ExcludeLocalOn,
    ExcludeLocalOff,
    IanExcludeApnsOn,
    IanExcludeApnsOff,
    IanExcludeCellularOn,
    IanExcludeCellularOff,
    IanExcludeDeviceOn,
    IanExcludeDeviceOff,
    IanNoSuchExclusion,
    IanIgnoresEnforceRoutes,
    IanIgnoresExcludedRoutes,
    IanMovesExisting,
    IanExclusionsWhileDown,
    IanResetsExisting,
    IanKeepsExisting,
    IanEngaging,
    IanReleasing,
    ApnsExclusionIgnoredOnWifi,
    EnforceRoutesDrops,
    // Apple's own traffic
    AppleTrafficBypass,
    AppleTrafficBypassWithoutIan,
    AppleInsideWithIan,
    ApnsSettingWins,
    UnverifiedAppleBypass,
    // Connections over time
    TunnelGoneResets,
    InterfaceGoneResets,
    TunnelCannotReachLan,
    // Personal Hotspot
    HotspotNeedsCellular,
    HotspotOutside,
    IanBlocksHotspot,
    // A hostile Wi-Fi
    AttackLocalNet,
    AttackServerIp,
    TunnelServerExcluded,
    ScopedAppOutside,
    DnsSkipsTunnelOnCellular,
    VpnControlCaptured,
    EnforceRoutesOverridesScoping,
    PushOutsideWithoutIan,
    PushOutsideOnCellular,
    PushInTunnelOnWifi,
    PushFollowsRoutes,
    WifiCallingOutside,
    HotspotNoInternet,
    ExistingMovedIntoTunnel,
    IanStopsServerIp,
    EnforcedRouteBeatsPushed,
    EnforcedDefaultRouteWins,
    PushedRouteBeatsDefault,
    ServerIpNeedsName,
    ServerIpNeedsRealAddress,
    AttackTunnelVision,
    IanStopsTunnelVision,
    // IPv4 and IPv6
    PrefersIpv6,
    FamilyFallback,
    NoAddressInFamily,
    NoIpv6,
    NoIpv4Link,
    Clat,
    ClatOnWifi,
    Nat64Synthesis,
    TunnelWithoutIpv6,
    Ipv4OnlyTunnelLeaksIpv6,
    IanCoversIpv6,
}

/// One row of the knowledge base.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub fact: Fact,
    /// Stable identifier shown to users and in JSON.
    pub id: &'static str,
    /// The releases this row covers.
    pub ios: Releases,
    pub evidence: Evidence,
    /// One sentence, in the words a support agent could read out.
    pub says: &'static str,
    /// Where it comes from: a URL or `owner/repo: path`.
    pub source: &'static Source,
    /// The assumption this row depends on, if the record is silent.
    pub assumption: Option<AssumptionId>,
}

const ALL: Releases = Releases::from(IosVersion::OLDEST);
const IAN_ERA: Releases = Releases::from(v(14, 0, 0));
const IAN_BEFORE_16_4: Releases = Releases::between(v(14, 0, 0), v(16, 4, 0));
const IAN_BEFORE_16: Releases = Releases::between(v(14, 0, 0), v(16, 0, 0));
const FROM_16_4: Releases = Releases::from(v(16, 4, 0));

pub static RULES: &[Rule] = &[
    // --- the device and the VPN's state -----------------------------------
    Rule {
        fact: Fact::NoNetwork,
        id: "device.airplane-mode",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "Airplane mode is on: no radio is up, so the flow has no path at all.",
        source: &THIS_PROJECT,
        assumption: None,
    },
    Rule {
        fact: Fact::NoLan,
        id: "device.no-lan",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "The phone is not on Wi-Fi, so there is no local network to reach.",
        source: &THIS_PROJECT,
        assumption: None,
    },
    Rule {
        fact: Fact::NoVpn,
        id: "vpn.none",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "No VPN is configured: traffic leaves on the physical interface.",
        source: &DOC_INCLUDED_ROUTES,
        assumption: None,
    },
    Rule {
        fact: Fact::UserDisconnected,
        id: "vpn.not-connected",
        ios: ALL,
        evidence: Evidence::Observed,
        says: "The VPN is not connected (never connected, or disconnected by the user): traffic goes outside the tunnel, even with includeAllNetworks on (IVPN's QA saw traffic resume after a manual disconnect); vendors tell users to disconnect before updating so they do not lose connectivity.",
        source: &IVPN_ISSUE_146,
        assumption: None,
    },
    Rule {
        fact: Fact::TunnelConnecting,
        id: "vpn.connecting-no-routes",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "The tunnel is still connecting and its routes are not installed yet: without includeAllNetworks traffic goes outside.",
        source: &DOC_INCLUDED_ROUTES,
        assumption: None,
    },
    Rule {
        fact: Fact::TunnelReasserting,
        id: "vpn.reasserting-holds",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "The tunnel is re-establishing itself on the new network; its routes stay in place, so traffic waits in the tunnel.",
        source: &THIS_PROJECT,
        assumption: None,
    },
    Rule {
        fact: Fact::TunnelLost,
        id: "vpn.provider-gone-routes-removed",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "The tunnel provider is gone and includeAllNetworks is off: its routes go with it and traffic goes outside.",
        source: &DOC_INCLUDED_ROUTES,
        assumption: None,
    },
    Rule {
        fact: Fact::TunnelRestarting,
        id: "vpn.restart-exposes",
        ios: Releases::between(IosVersion::OLDEST, v(17, 0, 0)),
        evidence: Evidence::Inferred,
        says: "Changing a VPN setting restarts the tunnel, which briefly exposes traffic outside it, even with includeAllNetworks (Mullvad says so for its iOS 17+ app when toggling Force all apps or LAN sharing, and suggests airplane mode with Wi-Fi off first; the model applies it to every setting and release, and with no network up the restart exposes nothing).",
        source: &MULLVAD_TOGGLE_LEAK,
        assumption: None,
    },
    Rule {
        fact: Fact::TunnelRestarting,
        id: "vpn.restart-exposes",
        ios: Releases::from(v(17, 0, 0)),
        evidence: Evidence::Reported,
        says: "Changing a VPN setting restarts the tunnel, which briefly exposes traffic outside it, even with includeAllNetworks (Mullvad's app warns of it when toggling Force all apps and LAN sharing, and suggests airplane mode with Wi-Fi off first; the model applies it to every setting, and with no network up the restart exposes nothing).",
        source: &MULLVAD_TOGGLE_LEAK,
        assumption: None,
    },
    Rule {
        fact: Fact::OnDemandRestarts,
        id: "vpn.on-demand-connect",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "A Connect on-demand rule starts the VPN whenever an app opens a connection (Apple); the model infers that iOS therefore restarts a provider that crashed. After an App Store update of the VPN app this is not what Mullvad saw: connectivity was lost until a reboot (the app-update scenarios).",
        source: &DOC_ON_DEMAND,
        assumption: None,
    },
    Rule {
        fact: Fact::DisconnectAfterLoss,
        id: "vpn.disconnect-after-loss",
        ios: ALL,
        evidence: Evidence::Unknown,
        says: "Whether a user disconnect brings traffic back after the provider was lost with includeAllNetworks on is not documented; the model follows the assumption.",
        source: &MULLVAD_SETTINGS_VIEW,
        assumption: Some(AssumptionId::DisconnectRecoversLostTunnel),
    },
    // --- the VPN app's own update, and restarts -----------------------------
    Rule {
        fact: Fact::UpdateNotice,
        id: "update.notice",
        ios: ALL,
        evidence: Evidence::Observed,
        says: "With includeAllNetworks on and a newer version in the App Store, Mullvad's tunnel process posts an \"Update available\" notification telling the user to turn off Force all apps or disconnect before updating, and the app shows a critical in-app banner while the tunnel is up. With notifications off the notification never arrives; the app warned about this when the feature was turned on.",
        source: &MULLVAD_UPDATE_NOTICE,
        assumption: None,
    },
    Rule {
        fact: Fact::UpdateStopsProvider,
        id: "update.provider-stopped",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "While the App Store installs an update of the VPN app, the running app and its tunnel provider are stopped so they can be replaced, and the VPN disconnects (Mullvad's 2026 post as the press summarises it; how iOS does this is not public).",
        source: &FXTECH_2026,
        assumption: None,
    },
    Rule {
        fact: Fact::UpdateBlocksEverything,
        id: "update.ian-blocks-all",
        ios: ALL,
        evidence: Evidence::Observed,
        says: "With includeAllNetworks on, iOS keeps sending traffic to the absent tunnel instead of the physical interface: everything that is not always excluded is dropped, the App Store's download of the update included, so the update cannot finish and the phone has no connectivity until it is rebooted (Mullvad).",
        source: &MULLVAD_BLOG_2025,
        assumption: None,
    },
    Rule {
        fact: Fact::UpdateLeaksWithoutIan,
        id: "update.direct-while-replaced",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "Without includeAllNetworks, while the provider is being replaced its routes are gone and traffic leaves through the physical interface: the update window is a leak (Mullvad says both of its update workarounds leak during the update).",
        source: &YOOTA_2026,
        assumption: None,
    },
    Rule {
        fact: Fact::UpdateReconnects,
        id: "update.reconnects",
        ios: ALL,
        evidence: Evidence::Reported,
        says: "When the update has installed, the new version's tunnel is reconnected (IVPN, reporting what it saw with WireGuard and OpenVPN).",
        source: &IVPN_ISSUE_283,
        assumption: None,
    },
    Rule {
        fact: Fact::UpdateRetries,
        id: "update.retry-after-reboot",
        ios: ALL,
        evidence: Evidence::Reported,
        says: "After the reboot the App Store tries the update again and the cycle repeats: the update loop. Whether it always retries, and after how long, is not documented (the model waits update_retry_delay).",
        source: &YOOTA_2026,
        assumption: None,
    },
    Rule {
        fact: Fact::PostUpdateLeak,
        id: "update.appears-connected",
        ios: Releases::between(v(16, 0, 0), v(16, 1, 0)),
        evidence: Evidence::Reported,
        says: "After an app upgrade on iOS 16.0 the app shows \"Connected\", but traffic goes outside the tunnel with the phone's real address until the user reconnects by hand (WireGuard and OpenVPN providers; IKEv2 unaffected; reproduced with another vendor's app).",
        source: &IVPN_ISSUE_283,
        assumption: None,
    },
    Rule {
        fact: Fact::PostUpdateLeak,
        id: "update.appears-connected",
        ios: Releases::between(v(16, 1, 0), v(17, 0, 0)),
        evidence: Evidence::Unknown,
        says: "Reported on iOS 16.0: after an app upgrade the app shows \"Connected\" while traffic goes outside the tunnel until a manual reconnect. Whether later 16.x releases fixed it is not public; the model follows the assumption.",
        source: &IVPN_ISSUE_283,
        assumption: Some(AssumptionId::PostUpdateLeakLater16),
    },
    Rule {
        fact: Fact::Rebooting,
        id: "phone.rebooting",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "The phone is restarting: no interface is up and every connection is reset; apps reconnect once it is back.",
        source: &THIS_PROJECT,
        assumption: None,
    },
    Rule {
        fact: Fact::OffAfterReboot,
        id: "phone.reboot-vpn-off",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "After a restart a VPN without a Connect on-demand rule stays off until the user connects it, so traffic goes outside the tunnel (on-demand rules are what start a VPN without the user).",
        source: &DOC_ON_DEMAND,
        assumption: None,
    },
    // --- traffic with its own fixed path ----------------------------------
    Rule {
        fact: Fact::CarrierOnlyServices,
        id: "carrier.volte-outside",
        ios: Releases::between(IosVersion::OLDEST, v(14, 8, 0)),
        evidence: Evidence::Inferred,
        says: "VoLTE and other carrier-only services run on the carrier's own ipsec interfaces, never through the VPN (seen in rvi captures on iOS 14.8; assumed the same on earlier releases).",
        source: &RVI_CAPTURE,
        assumption: None,
    },
    Rule {
        fact: Fact::CarrierOnlyServices,
        id: "carrier.volte-outside",
        ios: Releases::between(v(14, 8, 0), v(16, 4, 0)),
        evidence: Evidence::Observed,
        says: "VoLTE and other carrier-only services run on the carrier's own ipsec interfaces, never through the VPN (seen in rvi captures on iOS 14.8).",
        source: &RVI_CAPTURE,
        assumption: None,
    },
    Rule {
        fact: Fact::CarrierOnlyServices,
        id: "carrier.volte-outside",
        ios: FROM_16_4,
        evidence: Evidence::Documented,
        says: "Services that use the cellular network alone, such as VoLTE, are always excluded from the tunnel, whatever excludeCellularServices says.",
        source: &DOC_EXCLUDE_CELLULAR,
        assumption: None,
    },
    Rule {
        fact: Fact::VpnTransportOutside,
        id: "vpn.transport-outside",
        ios: ALL,
        evidence: Evidence::Documented,
        says: "The tunnel's own packets to the relay go outside it: the system automatically excludes the tunnel server's address.",
        source: &DOC_EXCLUDED_ROUTES,
        assumption: None,
    },
    Rule {
        fact: Fact::TransportIdle,
        id: "vpn.transport-idle",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "The tunnel provider is not running, so nothing sends the tunnel's own packets to the relay.",
        source: &THIS_PROJECT,
        assumption: None,
    },
    Rule {
        fact: Fact::ProviderApiOutside,
        id: "vpn.api-outside",
        ios: ALL,
        evidence: Evidence::Observed,
        says: "The VPN provider's own API calls leave outside the tunnel (Proton sends them through URLSession outside on purpose when includeAllNetworks is on; with the kill switch on, other apps' control connections were seen captured instead: vpn_control_under_kill_switch).",
        source: &PROTON_PROVIDER,
        assumption: None,
    },
    Rule {
        fact: Fact::ProbeBoundSocket,
        id: "probe.bound-socket",
        ios: ALL,
        evidence: Evidence::Observed,
        says: "The tunnel process pings the relay's gateway (10.64.0.1) through a socket bound to the tunnel interface (IP_BOUND_IF).",
        source: &MULLVAD_PINGER,
        assumption: None,
    },
    Rule {
        fact: Fact::ProbeBindFailsUnderIan,
        id: "probe.bind-fails-under-ian",
        ios: IAN_ERA,
        evidence: Evidence::Observed,
        says: "With includeAllNetworks on, the tunnel process cannot bind sockets to the tunnel interface.",
        source: &MULLVAD_SMOLTCP,
        assumption: None,
    },
    Rule {
        fact: Fact::ProbeUserspaceStack,
        id: "probe.userspace-stack",
        ios: IAN_ERA,
        evidence: Evidence::Observed,
        says: "So the tunnel process builds its ICMP and TCP in a userspace stack and injects the packets into the tunnel directly.",
        source: &MULLVAD_NETSTACK,
        assumption: None,
    },
    Rule {
        fact: Fact::ProbeNeedsTunnel,
        id: "probe.needs-tunnel",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "The tunnel is not connected, so the tunnel process has nothing to probe through.",
        source: &MULLVAD_PINGER,
        assumption: None,
    },
    Rule {
        fact: Fact::DhcpOnLink,
        id: "net.dhcp-on-link",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "DHCP is a broadcast on the Wi-Fi link itself; it is never routed, so it cannot enter a tunnel.",
        source: &APPLE_HDR,
        assumption: None,
    },
    Rule {
        fact: Fact::CaptiveProbeOutside,
        id: "net.captive-probe-outside",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "The captive-portal probe (captive.apple.com) is made on the network being joined, outside the tunnel.",
        source: &APPLE_HDR,
        assumption: None,
    },
    Rule {
        fact: Fact::CompanionOutside,
        id: "net.companion-outside",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "The paired Apple Watch is reached directly (Wi-Fi or Bluetooth), not through a VPN.",
        source: &APPLE_HDR,
        assumption: None,
    },
    Rule {
        fact: Fact::DeviceCommunicationLocal,
        id: "net.device-communication-local",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "Without includeAllNetworks, traffic to a connected Mac (Xcode) is local traffic and stays outside the tunnel.",
        source: &APPLE_HDR,
        assumption: None,
    },
    // --- routing without includeAllNetworks -------------------------------
    Rule {
        fact: Fact::IncludedRoute,
        id: "routes.included",
        ios: ALL,
        evidence: Evidence::Documented,
        says: "The destination matches the tunnel's included routes, so it goes into the tunnel.",
        source: &DOC_INCLUDED_ROUTES,
        assumption: None,
    },
    Rule {
        fact: Fact::ExcludedRoute,
        id: "routes.excluded",
        ios: ALL,
        evidence: Evidence::Documented,
        says: "The destination matches the tunnel's excluded routes, so it goes to the physical interface.",
        source: &DOC_EXCLUDED_ROUTES,
        assumption: None,
    },
    Rule {
        fact: Fact::NotInIncludedRoutes,
        id: "routes.not-included",
        ios: ALL,
        evidence: Evidence::Documented,
        says: "The destination is not in the tunnel's included routes, so it goes to the physical interface.",
        source: &DOC_INCLUDED_ROUTES,
        assumption: None,
    },
    Rule {
        fact: Fact::LocalNetworkBypass,
        id: "routes.localnet-bypass",
        ios: ALL,
        evidence: Evidence::Observed,
        says: "Local subnets bypass the tunnel without includeAllNetworks: the TunnelCrack 'LocalNet' leak.",
        source: &TUNNELCRACK,
        assumption: None,
    },
    Rule {
        fact: Fact::EnforceRoutesLocal,
        id: "routes.enforce-routes-local",
        ios: Releases::from(v(14, 2, 0)),
        evidence: Evidence::Documented,
        says: "enforceRoutes is on, so excludeLocalNetworks decides whether LAN traffic stays outside.",
        source: &DOC_EXCLUDE_LOCAL,
        assumption: None,
    },
    Rule {
        fact: Fact::DnsFollowsTunnel,
        id: "dns.tunnel-resolver",
        ios: ALL,
        evidence: Evidence::Documented,
        says: "When the tunnel is the default route its DNS servers become the default resolver (matchDomains is ignored), so queries go into the tunnel.",
        source: &DOC_MATCH_DOMAINS,
        assumption: None,
    },
    Rule {
        fact: Fact::DnsSplitTunnel,
        id: "dns.split-tunnel",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "The tunnel is not the default route, so its DNS servers answer only for its match domains; the model gives the VPN no match domains, so queries go to the network's resolver.",
        source: &DOC_MATCH_DOMAINS,
        assumption: None,
    },
    Rule {
        fact: Fact::CellularServicesRouted,
        id: "carrier.services-routed",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "Without includeAllNetworks, internet-routed carrier services (Wi-Fi Calling, MMS) go inside or outside depending on the carrier's path; the model lets the tunnel's routes decide.",
        source: &APPLE_HDR,
        assumption: None,
    },
    Rule {
        fact: Fact::ExistingStaysOutside,
        id: "flow.existing-stays-outside",
        ios: Releases::between(IosVersion::OLDEST, v(16, 0, 0)),
        evidence: Evidence::Observed,
        says: "This connection was open before the tunnel came up; iOS does not tear it down, so it stays outside the tunnel until it closes (Proton 2020 on 13.3.1, Horowitz 2022 up to 15.6).",
        source: &PROTON_2020,
        assumption: None,
    },
    Rule {
        fact: Fact::ExistingStaysOutside,
        id: "flow.existing-stays-outside",
        ios: Releases::from(v(16, 0, 0)),
        evidence: Evidence::Unknown,
        says: "This connection was open before the tunnel came up; assumed to stay outside until it closes, as observed up to iOS 15.6 (no fix was reported; a 2025 developer-forum thread saw iOS move such flows into the tunnel instead).",
        source: &HOROWITZ_2022,
        assumption: Some(AssumptionId::ExistingConnectionsStayOutside),
    },
    // --- includeAllNetworks -----------------------------------------------
    Rule {
        fact: Fact::IanAllTraffic,
        id: "ian.tunnel",
        ios: IAN_BEFORE_16_4,
        evidence: Evidence::Documented,
        says: "includeAllNetworks is on: all traffic goes through the tunnel (Apple's wording before 16.4).",
        source: &APPLE_HDR_2021,
        assumption: None,
    },
    Rule {
        fact: Fact::IanAllTraffic,
        id: "ian.tunnel",
        ios: FROM_16_4,
        evidence: Evidence::Documented,
        says: "includeAllNetworks is on: most traffic goes through the tunnel, except the listed exclusions.",
        source: &DOC_IAN,
        assumption: None,
    },
    Rule {
        fact: Fact::IanBlocksWhileDown,
        id: "ian.blocks-while-down",
        ios: IAN_BEFORE_16_4,
        evidence: Evidence::Documented,
        says: "includeAllNetworks is on and the tunnel is not connected: traffic that must use the tunnel is dropped (Apple's header: traffic is dropped while the tunnel is down).",
        source: &APPLE_HDR_2021,
        assumption: None,
    },
    Rule {
        fact: Fact::IanBlocksWhileDown,
        id: "ian.blocks-while-down",
        ios: FROM_16_4,
        evidence: Evidence::Observed,
        says: "includeAllNetworks is on and the tunnel is not connected: traffic that must use the tunnel is dropped (Mullvad saw the phone lose all connectivity when the App Store updated its app and the provider was gone).",
        source: &MULLVAD_BLOG_2025,
        assumption: None,
    },
    Rule {
        fact: Fact::IanExcludesNetworkControl,
        id: "ian.always-excluded.network-control",
        ios: IAN_BEFORE_16_4,
        evidence: Evidence::Inferred,
        says: "Network control traffic such as DHCP stays outside even with includeAllNetworks (Apple listed it only from 16.4, but a network cannot be joined without it).",
        source: &APPLE_HDR,
        assumption: None,
    },
    Rule {
        fact: Fact::IanExcludesNetworkControl,
        id: "ian.always-excluded.network-control",
        ios: FROM_16_4,
        evidence: Evidence::Documented,
        says: "Network control traffic such as DHCP is always excluded from includeAllNetworks.",
        source: &APPLE_HDR,
        assumption: None,
    },
    Rule {
        fact: Fact::IanExcludesCaptive,
        id: "ian.always-excluded.captive",
        ios: IAN_BEFORE_16_4,
        evidence: Evidence::Inferred,
        says: "Traffic needed to join a captive network stays outside even with includeAllNetworks (Apple listed it only from 16.4).",
        source: &APPLE_HDR,
        assumption: None,
    },
    Rule {
        fact: Fact::IanExcludesCaptive,
        id: "ian.always-excluded.captive",
        ios: FROM_16_4,
        evidence: Evidence::Documented,
        says: "Traffic necessary for connecting to captive networks is always excluded from includeAllNetworks.",
        source: &APPLE_HDR,
        assumption: None,
    },
    Rule {
        fact: Fact::IanExcludesCompanion,
        id: "ian.always-excluded.companion",
        ios: IAN_BEFORE_16_4,
        evidence: Evidence::Inferred,
        says: "Companion-device traffic (Apple Watch) stays outside even with includeAllNetworks (Apple listed it only from 16.4).",
        source: &APPLE_HDR,
        assumption: None,
    },
    Rule {
        fact: Fact::IanExcludesCompanion,
        id: "ian.always-excluded.companion",
        ios: FROM_16_4,
        evidence: Evidence::Documented,
        says: "Companion-device traffic such as the Apple Watch is always excluded from includeAllNetworks.",
        source: &APPLE_HDR,
        assumption: None,
    },
    Rule {
        fact: Fact::ExcludeLocalOn,
        id: "vpn.exclude-local-networks",
        ios: Releases::from(v(14, 2, 0)),
        evidence: Evidence::Documented,
        says: "excludeLocalNetworks is on (the iOS default) and includeAllNetworks or enforceRoutes makes it count: LAN traffic stays outside the tunnel.",
        source: &DOC_EXCLUDE_LOCAL,
        assumption: None,
    },
    Rule {
        fact: Fact::ExcludeLocalOff,
        id: "vpn.include-local-networks",
        ios: Releases::from(v(14, 2, 0)),
        evidence: Evidence::Documented,
        says: "excludeLocalNetworks is off and includeAllNetworks or enforceRoutes makes it count: LAN traffic is sent into the tunnel too, and local features (AirPlay, AirDrop, printing) break.",
        source: &DOC_EXCLUDE_LOCAL,
        assumption: None,
    },
    Rule {
        fact: Fact::IanExcludeApnsOn,
        id: "ian.exclude-apns",
        ios: FROM_16_4,
        evidence: Evidence::Documented,
        says: "excludeAPNs is on (the default): push notification traffic stays outside the tunnel.",
        source: &DOC_EXCLUDE_APNS,
        assumption: None,
    },
    Rule {
        fact: Fact::IanExcludeApnsOff,
        id: "ian.include-apns",
        ios: FROM_16_4,
        evidence: Evidence::Documented,
        says: "excludeAPNs is off: push notification traffic goes through the tunnel.",
        source: &DOC_EXCLUDE_APNS,
        assumption: None,
    },
    Rule {
        fact: Fact::IanExcludeCellularOn,
        id: "ian.exclude-cellular-services",
        ios: FROM_16_4,
        evidence: Evidence::Documented,
        says: "excludeCellularServices is on (the default): Wi-Fi Calling, MMS, SMS and Visual Voicemail stay outside the tunnel.",
        source: &DOC_EXCLUDE_CELLULAR,
        assumption: None,
    },
    Rule {
        fact: Fact::IanExcludeCellularOff,
        id: "ian.include-cellular-services",
        ios: FROM_16_4,
        evidence: Evidence::Documented,
        says: "excludeCellularServices is off: internet-routed carrier services go through the tunnel.",
        source: &DOC_EXCLUDE_CELLULAR,
        assumption: None,
    },
    Rule {
        fact: Fact::IanExcludeDeviceOn,
        id: "ian.exclude-device-communication",
        ios: Releases::from(v(17, 4, 0)),
        evidence: Evidence::Documented,
        says: "excludeDeviceCommunication is on (the default): traffic to devices connected over USB or Wi-Fi (Xcode) stays outside.",
        source: &DOC_EXCLUDE_DEVICE,
        assumption: None,
    },
    Rule {
        fact: Fact::IanExcludeDeviceOff,
        id: "ian.include-device-communication",
        ios: Releases::from(v(17, 4, 0)),
        evidence: Evidence::Documented,
        says: "excludeDeviceCommunication is off: traffic to connected devices goes through the tunnel.",
        source: &DOC_EXCLUDE_DEVICE,
        assumption: None,
    },
    Rule {
        fact: Fact::IanNoSuchExclusion,
        id: "ian.no-exclusion-on-this-release",
        ios: IAN_ERA,
        evidence: Evidence::Inferred,
        says: "This release has no setting to exclude this traffic, so includeAllNetworks takes it into the tunnel like everything else.",
        source: &APPLE_HDR,
        assumption: None,
    },
    Rule {
        fact: Fact::IanIgnoresEnforceRoutes,
        id: "ian.ignores-enforce-routes",
        ios: IAN_ERA,
        evidence: Evidence::Documented,
        says: "With includeAllNetworks on, the system ignores enforceRoutes.",
        source: &APPLE_MDM,
        assumption: None,
    },
    Rule {
        fact: Fact::IanIgnoresExcludedRoutes,
        id: "ian.excluded-routes",
        ios: IAN_ERA,
        evidence: Evidence::Unknown,
        says: "With includeAllNetworks on, whether the tunnel's excluded routes still send a destination outside is not documented; the model follows the assumption.",
        source: &DOC_IAN,
        assumption: Some(AssumptionId::IanHonoursExcludedRoutes),
    },
    Rule {
        fact: Fact::IanMovesExisting,
        id: "ian.moves-existing",
        ios: IAN_ERA,
        evidence: Evidence::Reported,
        says: "includeAllNetworks came into force and the connection opened before it is carried into the tunnel (a developer-forum thread says iOS adds host routes through the tunnel for TCP flows active at connect, though it speaks of any IPv4 route, not of includeAllNetworks).",
        source: &APPLE_FORUM_HOST_ROUTES,
        assumption: Some(AssumptionId::ExistingConnectionUnderIan),
    },
    Rule {
        fact: Fact::ApnsExclusionIgnoredOnWifi,
        id: "apns.exclusion-ignored-on-wifi",
        ios: FROM_16_4,
        evidence: Evidence::Reported,
        says: "On Wi-Fi with includeAllNetworks on, push was not delivered whatever excludeAPNs said, in one developer's test with a tunnel that forwards nothing (on cellular, excludeAPNs worked as documented); the model reads this as push entering the tunnel on Wi-Fi.",
        source: &FORUM_APNS_WIFI,
        assumption: Some(AssumptionId::ApnsExclusionIgnoredOnWifi),
    },
    Rule {
        fact: Fact::EnforceRoutesDrops,
        id: "routes.enforce-routes-drops-26",
        ios: Releases::from(v(26, 0, 0)),
        evidence: Evidence::Reported,
        says: "With enforceRoutes on and excluded routes set, traffic for the included routes was dropped instead of tunnelled on iPadOS 26.0; the excluded route still went outside.",
        source: &FORUM_ENFORCE_ROUTES_26,
        assumption: Some(AssumptionId::EnforceRoutesDropsOn26),
    },
    Rule {
        fact: Fact::IanEngaging,
        id: "ian.engage-delay",
        ios: IAN_BEFORE_16,
        evidence: Evidence::Reported,
        says: "The tunnel has just connected and includeAllNetworks has not engaged yet (IVPN: about 1-3 seconds, with its kill switch on iOS 14 and 15): meanwhile traffic is routed as without it.",
        source: &IVPN_KB_KILL_SWITCH,
        assumption: Some(AssumptionId::KillSwitchDelay),
    },
    Rule {
        fact: Fact::IanEngaging,
        id: "ian.engage-delay",
        ios: Releases::from(v(16, 0, 0)),
        evidence: Evidence::Unknown,
        says: "The tunnel has just connected and includeAllNetworks has not engaged yet: meanwhile traffic is routed as without it. Assumed on this release: IVPN's 1-3 seconds were seen on iOS 14 and 15, and its kill switch is not available from iOS 16.",
        source: &IVPN_KB_KILL_SWITCH,
        assumption: Some(AssumptionId::KillSwitchDelay),
    },
    Rule {
        fact: Fact::IanReleasing,
        id: "ian.release-delay",
        ios: IAN_BEFORE_16,
        evidence: Evidence::Reported,
        says: "The user has just disconnected and includeAllNetworks still blocks for a moment (IVPN: about 1-3 seconds, with its kill switch on iOS 14 and 15) before traffic goes out directly.",
        source: &IVPN_KB_KILL_SWITCH,
        assumption: Some(AssumptionId::KillSwitchDelay),
    },
    Rule {
        fact: Fact::IanReleasing,
        id: "ian.release-delay",
        ios: Releases::from(v(16, 0, 0)),
        evidence: Evidence::Unknown,
        says: "The user has just disconnected and includeAllNetworks still blocks for a moment before traffic goes out directly. Assumed on this release: IVPN's 1-3 seconds were seen on iOS 14 and 15, and its kill switch is not available from iOS 16.",
        source: &IVPN_KB_KILL_SWITCH,
        assumption: Some(AssumptionId::KillSwitchDelay),
    },
    Rule {
        fact: Fact::IanResetsExisting,
        id: "ian.resets-existing",
        ios: IAN_ERA,
        evidence: Evidence::Reported,
        says: "includeAllNetworks came into force and the connection opened before it is closed; the app reconnects, inside the tunnel (Mozilla VPN's developer, iOS 15.4.1; Proton: the kill switch blocks all non-Apple connections).",
        source: &MOZILLA_VPN_3531,
        assumption: Some(AssumptionId::ExistingConnectionUnderIan),
    },
    Rule {
        fact: Fact::IanKeepsExisting,
        id: "ian.keeps-existing",
        ios: IAN_ERA,
        evidence: Evidence::Unknown,
        says: "includeAllNetworks came into force and, by this reading, the connection opened before it stays outside the tunnel until it closes. No source says this of an app's connection: Proton's page says iOS does not close certain DNS queries from Apple services, and that the kill switch blocks all non-Apple connections.",
        source: &PROTON_KILL_SWITCH_FAQ,
        assumption: Some(AssumptionId::ExistingConnectionUnderIan),
    },
    Rule {
        fact: Fact::IanExclusionsWhileDown,
        id: "ian.exclusions-while-down",
        ios: IAN_ERA,
        evidence: Evidence::Unknown,
        says: "The tunnel is not connected: whether this excluded traffic still goes outside is not documented; Mullvad saw the phone lose all connectivity when its app was updated and the provider was gone. The model follows the assumption.",
        source: &MULLVAD_BLOG_2025,
        assumption: Some(AssumptionId::ExclusionsHoldWhileTunnelDown),
    },
    // --- Apple's own traffic ----------------------------------------------
    Rule {
        fact: Fact::AppleTrafficBypass,
        id: "apple.bypass-16-1",
        ios: Releases::between(v(16, 1, 0), v(17, 0, 0)),
        evidence: Evidence::Observed,
        says: "On iOS 16.1+, traffic to Apple servers (Apple Maps and push are named) was seen leaving outside an active tunnel, even with includeAllNetworks on.",
        source: &IVPN_2023,
        assumption: None,
    },
    Rule {
        fact: Fact::AppleTrafficBypass,
        id: "apple.bypass-16-1",
        ios: Releases::from(v(17, 0, 0)),
        evidence: Evidence::Unknown,
        says: "The iOS 16.1+ Apple-traffic leak (Apple Maps, push) is assumed to persist on this release: no public source says it was fixed.",
        source: &IVPN_2023,
        assumption: Some(AssumptionId::AppleServicesBypass),
    },
    Rule {
        fact: Fact::AppleTrafficBypassWithoutIan,
        id: "apple.bypass-without-ian",
        ios: Releases::between(v(16, 1, 0), v(17, 0, 0)),
        evidence: Evidence::Reported,
        says: "Without includeAllNetworks, traffic to Apple servers (Apple Maps, push) was reported leaving outside an active tunnel on iOS 16 (IVPN: 'even with an active VPN connection and kill switch enabled'; Mysk and Disconnect reported Apple traffic outside VPNs).",
        source: &IVPN_2023,
        assumption: None,
    },
    Rule {
        fact: Fact::AppleTrafficBypassWithoutIan,
        id: "apple.bypass-without-ian",
        ios: Releases::from(v(17, 0, 0)),
        evidence: Evidence::Unknown,
        says: "The iOS 16 reports of Apple traffic (Apple Maps, push) leaving an active tunnel are assumed to hold on this release: no public source says it was fixed.",
        source: &IVPN_2023,
        assumption: Some(AssumptionId::AppleServicesBypass),
    },
    Rule {
        fact: Fact::AppleInsideWithIan,
        id: "apple.inside-with-ian-15",
        ios: Releases::between(v(15, 0, 0), v(16, 0, 0)),
        evidence: Evidence::Observed,
        says: "On iOS 15 IVPN's QA saw traffic to Apple servers go through the tunnel with includeAllNetworks on, and kept its kill switch there.",
        source: &IVPN_2021,
        assumption: None,
    },
    Rule {
        fact: Fact::ApnsSettingWins,
        id: "apple.apns-setting-wins",
        ios: FROM_16_4,
        evidence: Evidence::Inferred,
        says: "The 2023 push-leak report came from releases where excludeAPNs was already YES by default; the model infers the setting explains it, so with excludeAPNs off push stays in the tunnel. Unverified: one forum report says push is not delivered on Wi-Fi under includeAllNetworks either way.",
        source: &IVPN_ISSUE_360,
        assumption: None,
    },
    Rule {
        fact: Fact::UnverifiedAppleBypass,
        id: "apple.unverified-services",
        ios: Releases::from(v(16, 0, 0)),
        evidence: Evidence::Unknown,
        says: "Other Apple services (iCloud, App Store, Find My, Health, Wallet) were reported talking to Apple outside the tunnel on iOS 16 (press accounts of Mysk, 2022; unverified).",
        source: &MYSK_2022,
        assumption: Some(AssumptionId::UnverifiedAppleServicesBypass),
    },
    // --- connections over time --------------------------------------------
    Rule {
        fact: Fact::TunnelGoneResets,
        id: "flow.tunnel-gone-resets",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "The connection lived inside the tunnel, which is gone; it breaks and the app reconnects on the path now in force.",
        source: &THIS_PROJECT,
        assumption: None,
    },
    Rule {
        fact: Fact::TunnelCannotReachLan,
        id: "flow.tunnel-cannot-reach-lan",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "Inside the tunnel a LAN address leads to the VPN relay, which cannot reach the phone's home network: the device never receives this traffic (why local features break).",
        source: &THIS_PROJECT,
        assumption: None,
    },
    Rule {
        fact: Fact::HotspotNeedsCellular,
        id: "hotspot.needs-cellular",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "Personal Hotspot shares the phone's cellular data connection; while the phone is on Wi-Fi the model gives its hotspot clients no path.",
        source: &THIS_PROJECT,
        assumption: None,
    },
    Rule {
        fact: Fact::HotspotOutside,
        id: "hotspot.outside-tunnel",
        ios: ALL,
        evidence: Evidence::Unknown,
        says: "A laptop on the phone's Personal Hotspot: the phone forwards its traffic out of the cellular interface, outside the tunnel. Apple documents nothing about tethered traffic and VPNs; one VPN app's developer says it cannot be sent into the tunnel and goes out with the carrier's address. The model follows the assumption.",
        source: &MOZILLA_VPN_3531,
        assumption: Some(AssumptionId::HotspotClientsOutsideTunnel),
    },
    Rule {
        fact: Fact::IanBlocksHotspot,
        id: "ian.blocks-hotspot",
        ios: IAN_ERA,
        evidence: Evidence::Reported,
        says: "With includeAllNetworks on, devices on the phone's Personal Hotspot are reported to have no internet (Mozilla VPN 2.8, which turned the flag on, on iOS 15.4.1; another app's developer says the same in 2026); IVPN and Mullvad list Personal Hotspot as affected. How iOS stops it is not public; the model drops their traffic at the phone.",
        source: &MOZILLA_VPN_3531,
        assumption: None,
    },
    Rule {
        fact: Fact::InterfaceGoneResets,
        id: "flow.interface-gone-resets",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "The interface this connection used went away; it breaks and the app reconnects on the path now in force.",
        source: &THIS_PROJECT,
        assumption: None,
    },
    // --- a hostile Wi-Fi ----------------------------------------------------
    Rule {
        fact: Fact::AttackLocalNet,
        id: "attack.localnet",
        ios: ALL,
        evidence: Evidence::Observed,
        says: "The Wi-Fi is an attacker's and announces a public subnet, the target site's, as its local network (TunnelCrack LocalNet): the phone treats traffic to the site as local-network traffic. Every iOS VPN app TunnelCrack tested leaked it.",
        source: &TUNNELCRACK,
        assumption: None,
    },
    Rule {
        fact: Fact::AttackServerIp,
        id: "attack.serverip",
        ios: ALL,
        evidence: Evidence::Observed,
        says: "The Wi-Fi is an attacker's and spoofed the DNS answer for the VPN server's name before the tunnel came up, with the target site's address; it forwards the tunnel's packets to the real server, so the tunnel still works (TunnelCrack ServerIP; iOS's built-in client was vulnerable).",
        source: &TUNNELCRACK,
        assumption: None,
    },
    Rule {
        fact: Fact::TunnelServerExcluded,
        id: "routes.tunnel-server-excluded",
        ios: ALL,
        evidence: Evidence::Documented,
        says: "The system keeps traffic to the tunnel server's address (the one the app reports as the tunnel's remote address) outside the tunnel, so the tunnel's own packets are not sent into it: here that address is the target site's, so the site's traffic leaves outside.",
        source: &DOC_EXCLUDED_ROUTES,
        assumption: None,
    },
    Rule {
        fact: Fact::EnforcedRouteBeatsPushed,
        id: "routes.enforced-beat-pushed",
        ios: Releases::from(v(14, 2, 0)),
        evidence: Evidence::Documented,
        says: "enforceRoutes is on and a non-default route of the tunnel covers this address: Apple says the VPN's non-default routes take precedence over any locally defined route, such as the one the Wi-Fi's DHCP pushed, so the traffic stays in the tunnel (DuckDuckGo's TunnelVision fix relies on this; its reviewer validated it).",
        source: &APPLE_MDM,
        assumption: None,
    },
    Rule {
        fact: Fact::EnforcedDefaultRouteWins,
        id: "routes.enforced-default-wins",
        ios: Releases::from(v(14, 2, 0)),
        evidence: Evidence::Unknown,
        says: "enforceRoutes is on and only the tunnel's default route covers this address; read as Apple's enforceRoutes page has it (the tunnel's routes beat locally defined ones), it beats the pushed route and the traffic stays in the tunnel.",
        source: &DOC_ENFORCE_ROUTES,
        assumption: Some(AssumptionId::EnforcedDefaultRouteWins),
    },
    Rule {
        fact: Fact::PushedRouteBeatsDefault,
        id: "routes.pushed-beats-default",
        ios: Releases::from(v(14, 2, 0)),
        evidence: Evidence::Unknown,
        says: "enforceRoutes is on but only the tunnel's default route covers this address; read as Apple's device-management text has it (only the VPN's non-default routes take precedence), the more specific pushed route wins and the traffic leaves outside.",
        source: &APPLE_MDM,
        assumption: Some(AssumptionId::EnforcedDefaultRouteWins),
    },
    Rule {
        fact: Fact::DnsSkipsTunnelOnCellular,
        id: "dns.cellular-skips-tunnel",
        ios: Releases::from(v(26, 4, 0)),
        evidence: Evidence::Reported,
        says: "On cellular, without the kill switch, the phone's DNS queries go to the carrier's resolver, not the tunnel's: a VPN vendor saw them skip its tunnel on iOS 26.4 (T-Mobile 5G) and fixed it by turning includeAllNetworks on.",
        source: &LANTERN_DNS_26_4,
        assumption: Some(AssumptionId::DnsSkipsTunnelOnCellular),
    },
    Rule {
        fact: Fact::VpnControlCaptured,
        id: "vpn.control-captured",
        ios: IAN_ERA,
        evidence: Evidence::Reported,
        says: "With the kill switch on, the VPN app's own control connections are captured by its tunnel and loop there: they fail (NetBird saw its signalling and relay sockets collapse about 10 s after connecting, 2026).",
        source: &NETBIRD_CONTROL,
        assumption: Some(AssumptionId::VpnControlUnderKillSwitch),
    },
    Rule {
        fact: Fact::ScopedAppOutside,
        id: "app.scoped-outside",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "This app binds its connection to the Wi-Fi or cellular interface itself (WebRTC does, to find every address); without the kill switch or enforceRoutes nothing overrides that, so it leaves outside the tunnel and a leak test reads the phone's real address (Apple: enforceRoutes 'supersedes … scoping operations by apps'; WebRTC leaks were reported with iOS VPNs).",
        source: &DOC_ENFORCE_ROUTES,
        assumption: None,
    },
    Rule {
        fact: Fact::EnforceRoutesOverridesScoping,
        id: "routes.enforce-overrides-scoping",
        ios: Releases::from(v(14, 2, 0)),
        evidence: Evidence::Documented,
        says: "enforceRoutes is on: the tunnel's routes supersede an app's choice of interface, so the app's connection goes into the tunnel like any other.",
        source: &DOC_ENFORCE_ROUTES,
        assumption: None,
    },
    Rule {
        fact: Fact::PushOutsideWithoutIan,
        id: "push.outside-without-kill-switch",
        ios: Releases::from(v(17, 0, 0)),
        evidence: Evidence::Unknown,
        says: "Without the kill switch, push leaves outside the tunnel on every network, as Apple traffic was reported to on iOS 16.1 (2026 reports say so only of cellular).",
        source: &IVPN_2023,
        assumption: Some(AssumptionId::PushWithoutKillSwitch),
    },
    Rule {
        fact: Fact::PushOutsideOnCellular,
        id: "push.outside-on-cellular",
        ios: Releases::from(v(17, 0, 0)),
        evidence: Evidence::Reported,
        says: "On cellular, without the kill switch, push leaves outside the tunnel: two 2026 reports saw no push traffic in their VPN on cellular, while on Wi-Fi they could route it through the VPN.",
        source: &CLASHMI_PUSH,
        assumption: Some(AssumptionId::PushWithoutKillSwitch),
    },
    Rule {
        fact: Fact::PushInTunnelOnWifi,
        id: "push.tunnel-on-wifi",
        ios: Releases::from(v(17, 0, 0)),
        evidence: Evidence::Reported,
        says: "On Wi-Fi, without the kill switch, push follows the tunnel's routes: two 2026 reports routed it through their VPN on Wi-Fi (but not on cellular).",
        source: &ONEBOX_PUSH,
        assumption: Some(AssumptionId::PushWithoutKillSwitch),
    },
    Rule {
        fact: Fact::PushFollowsRoutes,
        id: "push.follows-routes",
        ios: Releases::from(v(17, 0, 0)),
        evidence: Evidence::Unknown,
        says: "Push follows the tunnel's routes on every network, as Apple documents a full tunnel (no report says so of cellular).",
        source: &DOC_INCLUDED_ROUTES,
        assumption: Some(AssumptionId::PushWithoutKillSwitch),
    },
    Rule {
        fact: Fact::WifiCallingOutside,
        id: "carrier.wifi-calling-outside",
        ios: ALL,
        evidence: Evidence::Reported,
        says: "Without the kill switch, Wi-Fi Calling goes outside the tunnel: Outline's maintainer stopped the VPN server during a Wi-Fi call and the call went on (2018; assumed to hold since).",
        source: &OUTLINE_WIFI_CALLING,
        assumption: Some(AssumptionId::WifiCallingBypassesTunnel),
    },
    Rule {
        fact: Fact::HotspotNoInternet,
        id: "hotspot.no-internet",
        ios: ALL,
        evidence: Evidence::Reported,
        says: "A device on the phone's Personal Hotspot while a full tunnel is up, without the kill switch: its traffic is dropped and it has no internet (reported on iOS 17.1.1, reproduced by Tailscale's staff, and on 18 and 26.0.1; one VPN developer says it goes outside instead).",
        source: &TAILSCALE_HOTSPOT,
        assumption: Some(AssumptionId::HotspotClientsOutsideTunnel),
    },
    Rule {
        fact: Fact::ExistingMovedIntoTunnel,
        id: "flow.existing-moved",
        ios: Releases::from(v(16, 0, 0)),
        evidence: Evidence::Reported,
        says: "This connection was open before the tunnel came up; iOS moves it into the tunnel with a host route through it (a 2025 developer-forum thread saw such routes for TCP flows active at connect; 2020-22 tests saw them stay outside).",
        source: &APPLE_FORUM_HOST_ROUTES,
        assumption: Some(AssumptionId::ExistingConnectionsStayOutside),
    },
    Rule {
        fact: Fact::ServerIpNeedsName,
        id: "attack.serverip-needs-name",
        ios: ALL,
        evidence: Evidence::Observed,
        says: "The Wi-Fi is an attacker's and spoofs DNS answers for VPN servers' names, but this app connects to its server by IP address without looking it up, so the spoof changes nothing: the site's traffic is routed like any other (TunnelCrack: ServerIP needs the server's name resolved; IVPN says its app uses IP addresses only).",
        source: &TUNNELCRACK,
        assumption: None,
    },
    Rule {
        fact: Fact::ServerIpNeedsRealAddress,
        id: "attack.serverip-needs-real-address",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "The Wi-Fi is an attacker's and spoofed the DNS answer for the VPN server's name, but the app reports 127.0.0.1 as the tunnel's remote address (WireGuard's code does), so iOS keeps no real address outside the tunnel: the site's traffic is routed like any other.",
        source: &WIREGUARDKIT_LOOPBACK,
        assumption: None,
    },
    Rule {
        fact: Fact::IanStopsServerIp,
        id: "ian.stops-serverip",
        ios: IAN_ERA,
        evidence: Evidence::Unknown,
        says: "With includeAllNetworks on, only the VPN's own transport goes to the server's (spoofed) address outside the tunnel; other traffic to that address goes into the tunnel (TunnelCrack's fix; not tested on iOS in public).",
        source: &TUNNELCRACK,
        assumption: Some(AssumptionId::IanStopsServerIp),
    },
    Rule {
        fact: Fact::AttackTunnelVision,
        id: "attack.tunnelvision",
        ios: ALL,
        evidence: Evidence::Reported,
        says: "The Wi-Fi is an attacker's and its DHCP server pushes a classless static route (option 121) to the target site, more specific than the tunnel's routes: without includeAllNetworks the site's traffic follows it outside the tunnel (TunnelVision, CVE-2024-3661; Mullvad: on iOS virtually identical to LocalNet, every version affected; the researchers' write-up names Linux, Windows and macOS).",
        source: &MULLVAD_KNOWN_ISSUES_DOC,
        assumption: None,
    },
    Rule {
        fact: Fact::IanStopsTunnelVision,
        id: "ian.stops-tunnelvision",
        ios: IAN_ERA,
        evidence: Evidence::Reported,
        says: "With includeAllNetworks on, the pushed route does not take traffic out of the tunnel: Mullvad names includeAllNetworks as the only fix it knows on iOS (a vendor's belief; no published test).",
        source: &MULLVAD_KNOWN_ISSUES_DOC,
        assumption: None,
    },
    Rule {
        fact: Fact::PrefersIpv6,
        id: "ip.prefers-ipv6",
        ios: ALL,
        evidence: Evidence::Reported,
        says: "Where both IPv4 and IPv6 work, the phone's apps connect over IPv6 first: an Apple engineer reported in 2015 that from iOS 9 Happy Eyeballs asks for IPv6 first and holds IPv4 back 25 ms (\"~99% IPv6\"), so a dual-stack network carries most traffic over IPv6.",
        source: &APPLE_HAPPY_EYEBALLS,
        assumption: None,
    },
    Rule {
        fact: Fact::FamilyFallback,
        id: "ip.falls-back",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "The other IP version gets no answer on this path (its packets are dropped), so the app's connection falls back to the version that works, as Happy Eyeballs does.",
        source: &RFC_8305,
        assumption: None,
    },
    Rule {
        fact: Fact::NoAddressInFamily,
        id: "ip.no-address",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "The destination has no address in the IP version this app speaks, so it cannot connect.",
        source: &THIS_PROJECT,
        assumption: None,
    },
    Rule {
        fact: Fact::NoIpv6,
        id: "ip.no-ipv6",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "This path has no IPv6: the network gives the phone none (or the scenario's world has none), and the tunnel does not carry it here.",
        source: &THIS_PROJECT,
        assumption: None,
    },
    Rule {
        fact: Fact::NoIpv4Link,
        id: "ip.no-ipv4-link",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "An IPv6-only network has no IPv4 on its own link: IPv4 devices on it and DHCPv4 cannot be reached, and a CLAT only reaches public IPv4 addresses through NAT64 (which never maps private or local ones).",
        source: &RFC_6052,
        assumption: None,
    },
    Rule {
        fact: Fact::Clat,
        id: "ip.clat",
        ios: ALL,
        evidence: Evidence::Reported,
        says: "On IPv6-only cellular an IPv4-only app needs the phone's CLAT (464XLAT), which translates its packets into IPv6 towards the carrier's NAT64 (64:ff9b::/96), which sends them on as IPv4 from the carrier's address; without a CLAT the app has no path.",
        source: &BOOTP_CLAT_CELLULAR,
        assumption: Some(AssumptionId::ClatOnCellular),
    },
    Rule {
        fact: Fact::ClatOnWifi,
        id: "ip.clat-on-wifi",
        ios: Releases::between(v(13, 3, 1), v(18, 0, 0)),
        evidence: Evidence::Unknown,
        says: "On an IPv6-only Wi-Fi an IPv4-only app needs the phone's CLAT, which translates its packets into IPv6 towards the network's NAT64; whether this release runs one there is not known (without it the app has no path).",
        source: &BOOTP_CLAT_WIFI,
        assumption: Some(AssumptionId::ClatOnWifi),
    },
    Rule {
        fact: Fact::ClatOnWifi,
        id: "ip.clat-on-wifi",
        ios: Releases::from(v(18, 0, 0)),
        evidence: Evidence::Observed,
        says: "On an IPv6-only Wi-Fi that advertises its NAT64 prefix the phone runs a CLAT (192.0.0.2): an IPv4-only app's packets leave as IPv6 towards the network's NAT64 (seen on iOS 18 and 26).",
        source: &CLAT_IOS18_WIFI,
        assumption: None,
    },
    Rule {
        fact: Fact::Nat64Synthesis,
        id: "ip.nat64-synthesis",
        ios: ALL,
        evidence: Evidence::Documented,
        says: "On an IPv6-only network the system synthesizes a NAT64 address (64:ff9b::a.b.c.d) for an IPv4 address an app resolves, so the VPN's transport to an IPv4 relay goes out as IPv6 and the network's NAT64 carries it on as IPv4.",
        source: &APPLE_IPV6_TRANSITION,
        assumption: None,
    },
    Rule {
        fact: Fact::TunnelWithoutIpv6,
        id: "routes.tunnel-without-ipv6",
        ios: ALL,
        evidence: Evidence::Inferred,
        says: "The tunnel's settings give it no IPv6 (no IPv6 route), so it has no IPv6 address and IPv6 packets sent into it are dropped.",
        source: &DOC_IPV6_SETTINGS,
        assumption: None,
    },
    Rule {
        fact: Fact::Ipv4OnlyTunnelLeaksIpv6,
        id: "routes.ipv4-only-tunnel-leaks-ipv6",
        ios: ALL,
        evidence: Evidence::Reported,
        says: "The tunnel routes only IPv4, so IPv6 keeps using the physical network: on a dual-stack network the app's IPv6 traffic leaves outside the tunnel with the phone's own IPv6 address (the classic IPv6 leak).",
        source: &NETBIRD_99,
        assumption: None,
    },
    Rule {
        fact: Fact::IanCoversIpv6,
        id: "ian.covers-ipv6",
        ios: IAN_ERA,
        evidence: Evidence::Unknown,
        says: "includeAllNetworks takes IPv6 traffic as it takes IPv4 (Apple says all traffic; nobody has published what it does with IPv6).",
        source: &DOC_IAN,
        assumption: Some(AssumptionId::IanCoversIpv6),
    },
];

/// The row of `fact` that covers `ios`, if the fact exists on that release.
pub fn lookup(fact: Fact, ios: IosVersion) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.fact == fact && r.ios.contains(ios))
}

/// The releases an assumption speaks for: those where a rule that depends
/// on it exists (`None` when no rule does, e.g. a delay used by the
/// timeline: it applies everywhere).
pub fn assumption_releases(id: AssumptionId) -> Option<Vec<Releases>> {
    let ranges: Vec<Releases> = (RULES.iter())
        .filter(|r| r.assumption == Some(id))
        .map(|r| r.ios)
        .collect();
    (!ranges.is_empty()).then_some(ranges)
}

/// Whether an assumption can change anything on `ios`.
pub fn assumption_applies(id: AssumptionId, ios: IosVersion) -> bool {
    assumption_releases(id).is_none_or(|ranges| ranges.iter().any(|r| r.contains(ios)))
}

/// The releases an assumption speaks for, in words ("iOS 17.0 and later").
pub fn assumption_releases_in_words(id: AssumptionId) -> String {
    let Some(ranges) = assumption_releases(id) else {
        return "every release".into();
    };
    let since = ranges.iter().map(|r| r.since).min().expect("not empty");
    match ranges.iter().map(|r| r.until).collect::<Option<Vec<_>>>() {
        Some(ends) => format!(
            "iOS {since} up to (not including) {}",
            ends.iter().max().expect("not empty")
        ),
        None => format!("iOS {since} and later"),
    }
}

/// Every source cited anywhere in the tables, for the README and `--sources`.
pub fn all_sources() -> Vec<&'static Source> {
    let mut sources: Vec<&'static Source> = RULES
        .iter()
        .map(|r| r.source)
        .chain(PROPERTIES.iter().map(|p| p.source))
        .chain(ASSUMPTIONS.iter().map(|a| a.basis))
        .chain(
            RULES
                .iter()
                .flat_map(|r| supporting_sources(r.id).iter().copied()),
        )
        .chain(
            crate::presets::PRESETS
                .iter()
                .flat_map(|p| p.sources.iter().copied()),
        )
        .collect();
    sources.sort_unstable();
    sources.dedup();
    sources
}

/// Sources that back a rule's wording but are not its primary citation,
/// by rule id (a test checks that each id names a rule).
pub const SUPPORTING_SOURCES: &[(&str, &[&Source])] = &[
    (
        "flow.existing-stays-outside",
        &[&PROTON_2020, &HOROWITZ_2022],
    ),
    ("ian.moves-existing", &[&MULLVAD_LEAK_TESTS]),
    ("ian.resets-existing", &[&PROTON_KILL_SWITCH_FAQ]),
    ("ian.excluded-routes", &[&FORUM_EXCLUDED_ROUTES_IGNORED]),
    ("apple.bypass-16-1", &[&IVPN_ISSUE_360]),
    ("apple.bypass-without-ian", &[&MYSK_2022, &DISCONNECT_ME]),
    ("apple.inside-with-ian-15", &[&IVPN_ISSUE_146]),
    ("vpn.not-connected", &[&MULLVAD_UPDATE_NOTICE, &YOOTA_2026]),
    (
        "ian.blocks-while-down",
        &[&APPLE_HDR_2021, &MULLVAD_BLOG_2025],
    ),
    ("ian.tunnel", &[&IVPN_2021]),
    (
        "ian.blocks-hotspot",
        &[
            &IVPN_KB_KILL_SWITCH,
            &MULLVAD_KNOWN_ISSUES,
            &VK_TURN_PROXY_55,
        ],
    ),
    (
        "hotspot.outside-tunnel",
        &[&VK_TURN_PROXY_55, &PIVPN_HOTSPOT],
    ),
    (
        "hotspot.no-internet",
        &[&TAILSCALE_HOTSPOT_18, &SINGBOX_HOTSPOT],
    ),
    (
        "push.outside-on-cellular",
        &[&ONEBOX_PUSH, &FORUM_APNS_WIFI],
    ),
    ("push.tunnel-on-wifi", &[&CLASHMI_PUSH]),
    (
        "app.scoped-outside",
        &[&DDG_WEBRTC, &BRAVE_WEBRTC, &DISCONNECT_ME],
    ),
    ("carrier.wifi-calling-outside", &[&MOZILLA_WIFI_CALLING]),
    ("routes.localnet-bypass", &[&IVPN_TUNNELCRACK]),
    ("attack.localnet", &[&MULLVAD_KNOWN_ISSUES_DOC]),
    ("attack.serverip", &[&IVPN_TUNNELCRACK]),
    (
        "routes.enforced-beat-pushed",
        &[&DOC_ENFORCE_ROUTES, &DDG_TUNNELVISION],
    ),
    ("routes.pushed-beats-default", &[&DOC_ENFORCE_ROUTES]),
    ("routes.enforced-default-wins", &[&APPLE_MDM]),
    ("attack.serverip-needs-name", &[&IVPN_TUNNELCRACK]),
    (
        "attack.serverip-needs-real-address",
        &[&DOC_EXCLUDED_ROUTES, &DOC_TUNNEL_REMOTE_ADDRESS],
    ),
    ("ian.stops-serverip", &[&MULLVAD_IOS_CHANGELOG]),
    ("ian.stops-tunnelvision", &[&MULLVAD_IOS_CHANGELOG]),
    ("ip.nat64-synthesis", &[&WIREGUARD_DNS64, &ALGO_1385]),
    (
        "routes.ipv4-only-tunnel-leaks-ipv6",
        &[&NEPACKET_DEMO_32, &MEOW_IOS_238],
    ),
    ("ip.prefers-ipv6", &[&RFC_8305]),
    (
        "ip.clat",
        &[&TMOBILE_464XLAT, &APPLE_NO_464XLAT_2015, &RFC_6877],
    ),
    ("ip.clat-on-wifi", &[&BOOTP_CLAT_WIFI]),
];

/// Sources that back a rule's wording but are not its primary citation.
pub fn supporting_sources(id: &str) -> &'static [&'static Source] {
    SUPPORTING_SOURCES
        .iter()
        .find(|(rule, _)| *rule == id)
        .map_or(&[], |(_, sources)| sources)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_release_where_a_fact_changes_is_modelled() {
        let modelled: Vec<IosVersion> =
            crate::version::MODELLED.iter().map(|m| m.version).collect();
        let first = modelled[0];
        let boundaries = RULES
            .iter()
            .flat_map(|r| [Some(r.ios.since), r.ios.until])
            .flatten()
            .chain(PROPERTIES.iter().map(|p| p.since))
            .filter(|b| *b >= first);
        for boundary in boundaries {
            assert!(
                modelled.contains(&boundary),
                "iOS {boundary} is not in version::MODELLED"
            );
        }
        assert!(
            modelled.windows(2).all(|w| w[0] < w[1]),
            "oldest first, once each"
        );
    }

    #[test]
    fn every_supporting_source_backs_a_rule_that_exists() {
        for (id, sources) in SUPPORTING_SOURCES {
            assert!(RULES.iter().any(|r| r.id == *id), "no rule {id}");
            assert!(!sources.is_empty(), "{id}");
        }
    }

    #[test]
    fn every_prop_and_assumption_has_exactly_one_row() {
        for p in &PROPERTIES {
            assert_eq!(PROPERTIES.iter().filter(|q| q.prop == p.prop).count(), 1);
            assert_eq!(property(p.prop).key, p.key);
            assert_eq!(property_by_key(p.key).map(|q| q.prop), Some(p.prop));
        }
        for a in &ASSUMPTIONS {
            assert_eq!(ASSUMPTIONS.iter().filter(|b| b.id == a.id).count(), 1);
            assert_eq!(assumption(a.id).key, a.key);
        }
    }

    #[test]
    fn apple_introduced_the_properties_where_the_headers_say() {
        // Availability markers from NEVPNProtocol.h (iOS 18 SDK) and Apple's docs.
        let since = |p| property(p).since;
        assert_eq!(since(Prop::IncludeAllNetworks), v(14, 0, 0));
        assert_eq!(since(Prop::ExcludeLocalNetworks), v(14, 2, 0));
        assert_eq!(since(Prop::EnforceRoutes), v(14, 2, 0));
        assert_eq!(since(Prop::ExcludeApns), v(16, 4, 0));
        assert_eq!(since(Prop::ExcludeCellularServices), v(16, 4, 0));
        assert_eq!(since(Prop::ExcludeDeviceCommunication), v(17, 4, 0));
        // Defaults: excludeLocalNetworks is YES on iOS (NO on macOS); the 16.4
        // and 17.4 exclusions default to YES.
        assert_eq!(
            property(Prop::ExcludeLocalNetworks).default,
            PropDefault::Bool(true)
        );
        assert_eq!(
            property(Prop::IncludeAllNetworks).default,
            PropDefault::Bool(false)
        );
        assert_eq!(property(Prop::ExcludeApns).default, PropDefault::Bool(true));
        assert_eq!(
            property(Prop::ExcludeDeviceCommunication).default,
            PropDefault::Bool(true)
        );
    }

    #[test]
    fn rows_of_one_fact_never_overlap() {
        // Otherwise `lookup` would depend on row order.
        for (i, a) in RULES.iter().enumerate() {
            for b in &RULES[i + 1..] {
                if a.fact != b.fact {
                    continue;
                }
                assert_eq!(a.id, b.id, "one fact, one id: {:?}", a.fact);
                let disjoint = a.ios.until.is_some_and(|u| u <= b.ios.since)
                    || b.ios.until.is_some_and(|u| u <= a.ios.since);
                assert!(disjoint, "{} has overlapping rows", a.id);
            }
        }
    }

    /// facts-round3.md's first table: each rule says no more than its source.
    #[test]
    fn third_round_evidence_corrections() {
        let on = |fact, ios: &str| lookup(fact, IosVersion::parse(ios).unwrap()).unwrap();
        // IVPN's page speaks for its kill switch on iOS 14 and 15 only.
        for fact in [Fact::IanEngaging, Fact::IanReleasing] {
            assert_eq!(on(fact, "15.7").evidence, Evidence::Reported);
            let later = on(fact, "18.2");
            assert_eq!(later.evidence, Evidence::Unknown);
            assert!(
                later.says.contains("Assumed on this release"),
                "{}",
                later.says
            );
        }
        // An engineer on a mailing list reports; he does not document.
        assert_eq!(on(Fact::PrefersIpv6, "18.2").evidence, Evidence::Reported);
        // A vendor's in-app warning is advice, not an observation.
        assert_eq!(
            on(Fact::TunnelRestarting, "18.2").evidence,
            Evidence::Reported
        );
        // Mullvad's belief about TunnelVision was never tested in public.
        assert!(
            on(Fact::IanStopsTunnelVision, "18.2")
                .says
                .contains("no published test")
        );
        // Thread 817434 saw push not delivered, not push in the tunnel.
        let apns = on(Fact::ApnsExclusionIgnoredOnWifi, "18.2");
        assert!(apns.says.contains("not delivered"), "{}", apns.says);
        assert_eq!(
            apns.source.url,
            "https://developer.apple.com/forums/thread/817434"
        );
        assert_eq!(
            on(Fact::IanMovesExisting, "18.2").source.url,
            "https://developer.apple.com/forums/thread/782696"
        );
    }

    #[test]
    fn every_source_is_a_clean_link_to_a_primary_host() {
        let mut problems = Vec::new();
        for source in all_sources() {
            if !source.is_linked() {
                // Only what nothing public backs may go without a link,
                // and it says why in its note.
                let used_by_evidence = RULES
                    .iter()
                    .filter(|r| std::ptr::eq(r.source, source))
                    .all(|r| matches!(r.evidence, Evidence::Inferred | Evidence::Unknown));
                if source.note.is_empty() || !used_by_evidence {
                    problems.push(format!("{source:?} has no link"));
                }
            }
            for link in source.links() {
                if let Some(problem) = link_problem(link) {
                    problems.push(format!("{link} {problem}"));
                }
            }
            if source.note.starts_with("http") || source.note.contains("://") {
                problems.push(format!("{source:?}: a link inside the note"));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn the_source_check_refuses_what_the_issue_names() {
        for (url, why) in [
            ("https://naive.xtlsbot.ru/forums/thread/817434", "mirror"),
            ("https://w3c.stablehunter.ai/forums/topics/x", "mirror"),
            ("mullvad/mullvadvpn-app: ios/CHANGELOG.md", "https://"),
            (
                "https://tunnelcrack.mathyvanhoef.com/details.html (vanhoefm)",
                "whitespace",
            ),
            (
                "https://github.com/mullvad/mullvadvpn-app/blob/main/ios/CHANGELOG.md#L1",
                "commit",
            ),
            (
                "https://developer.apple.com/forums/search?q=includeAllNetworks",
                "search",
            ),
        ] {
            let problem = link_problem(url).unwrap_or_else(|| panic!("{url} passed"));
            assert!(problem.contains(why), "{url}: {problem}");
        }
        assert_eq!(
            link_problem("https://developer.apple.com/forums/thread/817434"),
            None
        );
        assert_eq!(
            link_problem(
                "https://github.com/WireGuard/wireguard-apple/blob/2fec12a6e1f6e3460b6ee483aa00ad29cddadab1/Sources/WireGuardKit/DNSResolver.swift#L94-L130"
            ),
            None
        );
    }

    #[test]
    fn every_rule_cites_a_source_and_unknowns_name_their_assumption_or_say_so() {
        for r in RULES {
            assert!(
                (r.source.is_linked() || !r.source.note.is_empty()) && !r.says.is_empty(),
                "{}",
                r.id
            );
            if r.evidence == Evidence::Unknown {
                assert!(
                    r.assumption.is_some(),
                    "{} is unknown but names no assumption",
                    r.id
                );
            }
            if r.assumption.is_some() {
                assert!(
                    matches!(r.evidence, Evidence::Unknown | Evidence::Reported),
                    "{} depends on an assumption but claims {:?}",
                    r.id,
                    r.evidence
                );
            }
        }
    }

    #[test]
    fn the_apple_leak_is_observed_on_16_and_assumed_after() {
        let on = |ios| lookup(Fact::AppleTrafficBypass, ios);
        assert!(on(v(16, 0, 0)).is_none());
        assert_eq!(on(v(16, 1, 0)).unwrap().evidence, Evidence::Observed);
        assert_eq!(on(v(16, 7, 0)).unwrap().evidence, Evidence::Observed);
        let later = on(v(18, 2, 0)).unwrap();
        assert_eq!(later.evidence, Evidence::Unknown);
        assert_eq!(later.assumption, Some(AssumptionId::AppleServicesBypass));
    }
}
