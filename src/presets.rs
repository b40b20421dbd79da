//! What VPN apps configure: one row per vendor setting, read from each
//! vendor's own code and cited by repository and file. A scenario names one
//! (`preset = "mullvad-force-all-apps"`) instead of writing `[vpn]` by hand;
//! keys it does write under `[vpn]` override the preset's.
//!
//! Only what the code sets is here; everything else stays at Apple's
//! default for the release (the exclusions, `enforceRoutes`). Every preset
//! routes all of IPv4 into the tunnel; of IPv6, Mullvad's connected tunnel
//! routes only its own prefix (its code since 2025-12-17), the others `::/0`.

use crate::config::VpnConfig;
use crate::facts::{self, Prop, Source};
use crate::model::list_choices;
use crate::version::IosVersion;

/// One vendor's configuration, as its code sets it.
#[derive(Debug)]
pub struct Preset {
    pub name: &'static str,
    pub vendor: &'static str,
    /// The app's own name for the setting, and what the code does with it.
    pub setting: &'static str,
    /// The properties the code sets (others stay at Apple's defaults).
    pub sets: &'static [(Prop, bool)],
    pub on_demand: bool,
    /// The tunnel's included routes once it is connected, as the code sets
    /// them.
    pub routes: &'static [&'static str],
    /// Where the code is: each file at a commit, with its lines.
    pub sources: &'static [&'static Source],
}

const MULLVAD_CONFIG: Source = Source {
    url: "https://github.com/mullvad/mullvadvpn-app/blob/9380a8076bc0511937477989a80ebca89cb334d9/ios/MullvadVPN/TunnelManager/TunnelConfiguration.swift#L19-L33",
    note: "",
    also: &[],
};
const MULLVAD_SETTINGS: Source = Source {
    url: "https://github.com/mullvad/mullvadvpn-app/blob/9380a8076bc0511937477989a80ebca89cb334d9/ios/MullvadSettings/IncludeAllNetworksSettings.swift#L33-L44",
    note: "",
    also: &[],
};
const MULLVAD_START: Source = Source {
    url: "https://github.com/mullvad/mullvadvpn-app/blob/9380a8076bc0511937477989a80ebca89cb334d9/ios/MullvadVPN/TunnelManager/StartTunnelOperation.swift#L111-L114",
    note: "",
    also: &[],
};
const IVPN_PROTOCOL: Source = Source {
    url: "https://github.com/ivpn/ios-app/blob/df9951dc0ed61ff3ff65b0ce47c2898d64d86314/IVPNClient/Utilities/Extensions/NETunnelProviderProtocol%2BExt.swift#L168-L173",
    note: "",
    also: &[],
};
const IVPN_ON_DEMAND: Source = Source {
    url: "https://github.com/ivpn/ios-app/blob/df9951dc0ed61ff3ff65b0ce47c2898d64d86314/IVPNClient/Managers/VPNManager.swift#L217-L226",
    note: "IVPN's on-demand rules and their stored setting",
    also: &[
        "https://github.com/ivpn/ios-app/blob/df9951dc0ed61ff3ff65b0ce47c2898d64d86314/IVPNClient/Managers/StorageManager.swift#L187-L188",
    ],
};
const PROTON_CONFIG: Source = Source {
    url: "https://github.com/ProtonVPN/ios-mac-app/blob/e3e4047029c709ae25ecf9d6f1ffe92f40f66ff4/libraries/LegacyCommon/Sources/LegacyCommon/Core/VpnManager.swift#L483-L495",
    note: "",
    also: &[],
};
const PROTON_LAN: Source = Source {
    url: "https://github.com/ProtonVPN/ios-mac-app/blob/e3e4047029c709ae25ecf9d6f1ffe92f40f66ff4/libraries/LegacyCommon/Sources/LegacyCommon/Management/Providers/AppFeature/LANConnections.swift#L55-L64",
    note: "",
    also: &[],
};
const WIREGUARD_ON_DEMAND: Source = Source {
    url: "https://github.com/WireGuard/wireguard-apple/blob/2fec12a6e1f6e3460b6ee483aa00ad29cddadab1/Sources/WireGuardApp/Tunnel/ActivateOnDemandOption.swift#L40-L46",
    note: "no includeAllNetworks anywhere in the repository",
    also: &[],
};

/// Mullvad's connected tunnel settings (since d1899ba, 2025-12-17): the
/// IPv4 default route, and for IPv6 only the tunnel's own prefix.
const MULLVAD_ROUTES: Source = Source {
    url: "https://github.com/mullvad/mullvadvpn-app/blob/9380a8076bc0511937477989a80ebca89cb334d9/ios/PacketTunnelCore/Actor/Protocols/TunnelAdapterProtocol.swift#L78-L121",
    note: "IPv4: NEIPv4Route.default(); IPv6: only the tunnel interface's own prefix, since commit d1899ba (2025-12-17)",
    also: &[
        "https://github.com/mullvad/mullvadvpn-app/blob/d1899ba64b2f4858cd05c087967c2a73b93aa40d/ios/PacketTunnelCore/Actor/Protocols/TunnelAdapterProtocol.swift#L79-L124",
    ],
};

/// What Mullvad's code routes into the tunnel once connected: all of IPv4,
/// and of IPv6 only the tunnel's own prefix (the model's is Mullvad's
/// fc00:bbbb:bbbb:bb01::/64).
const MULLVAD_TUNNEL_ROUTES: &[&str] = &["0.0.0.0/0", "fc00:bbbb:bbbb:bb01::/64"];

/// Mullvad's relay endpoint is the relay list's IPv4 address: no lookup.
const MULLVAD_RELAY_BY_IP: Source = Source {
    url: "https://github.com/mullvad/mullvadvpn-app/blob/9380a8076bc0511937477989a80ebca89cb334d9/ios/MullvadREST/Relay/RelaySelector+Wireguard.swift#L108-L117",
    note: "the relay's endpoint is ipv4AddrIn from the relay list",
    also: &[],
};
/// Mullvad reports the loopback address as the tunnel's remote address.
const MULLVAD_LOOPBACK: Source = Source {
    url: "https://github.com/mullvad/mullvadvpn-app/blob/9380a8076bc0511937477989a80ebca89cb334d9/ios/PacketTunnelCore/Actor/Protocols/TunnelAdapterProtocol.swift#L63-L65",
    note: "tunnelRemoteAddress: IPv4Address.loopback",
    also: &[],
};
/// IVPN: "The app does not use DNS to access VPN servers, only IP addresses."
const IVPN_BY_IP: Source = Source {
    url: "https://www.ivpn.net/blog/ivpn-tunnelcrack-vulnerability-assessment/",
    note: "the app uses IP addresses only, no DNS, for its VPN servers",
    also: &[
        "https://github.com/ivpn/ivpn.net/blob/0187e33913c36b763225cf3f1de70f77fb6c2548/src/content/en/blog/ivpn-tunnelcrack-vulnerability-assessment.md#L65",
    ],
};
/// Proton's WireGuard extension connects to the server's entry IP and runs
/// WireGuardKit's adapter, which reports 127.0.0.1.
const PROTON_WIREGUARD: Source = Source {
    url: "https://github.com/ProtonVPN/ios-mac-app/blob/e3e4047029c709ae25ecf9d6f1ffe92f40f66ff4/apps/ios/WireGuardiOS%20Extension/PacketTunnelProvider.swift#L155-L186",
    note: "WireGuardAdapter, and the server's entry IP as the endpoint",
    also: &[
        "https://github.com/WireGuard/wireguard-apple/blob/2fec12a6e1f6e3460b6ee483aa00ad29cddadab1/Sources/WireGuardKit/PacketTunnelSettingsGenerator.swift#L77-L84",
    ],
};
/// WireGuardKit reports 127.0.0.1 as the tunnel's remote address.
const WIREGUARD_LOOPBACK: Source = Source {
    url: "https://github.com/WireGuard/wireguard-apple/blob/2fec12a6e1f6e3460b6ee483aa00ad29cddadab1/Sources/WireGuardKit/PacketTunnelSettingsGenerator.swift#L77-L84",
    note: "tunnelRemoteAddress \"127.0.0.1\", a placeholder",
    also: &[],
};

pub static PRESETS: &[Preset] = &[
    Preset {
        name: "mullvad",
        vendor: "Mullvad",
        setting: "\"Force all apps\" off (the default): includeAllNetworks off; excludeLocalNetworks is on only with both Force all apps and Local network sharing; an on-demand Connect rule on any interface",
        sets: &[
            (Prop::IncludeAllNetworks, false),
            (Prop::ExcludeLocalNetworks, false),
            (Prop::ServerByName, false),
            (Prop::ReportsServerAddress, false),
        ],
        routes: MULLVAD_TUNNEL_ROUTES,
        on_demand: true,
        sources: &[
            &MULLVAD_CONFIG,
            &MULLVAD_SETTINGS,
            &MULLVAD_START,
            &MULLVAD_ROUTES,
            &MULLVAD_RELAY_BY_IP,
            &MULLVAD_LOOPBACK,
        ],
    },
    Preset {
        name: "mullvad-force-all-apps",
        vendor: "Mullvad",
        setting: "\"Force all apps\" on, \"Local network sharing\" off (its default): includeAllNetworks on, excludeLocalNetworks off",
        sets: &[
            (Prop::IncludeAllNetworks, true),
            (Prop::ExcludeLocalNetworks, false),
            (Prop::ServerByName, false),
            (Prop::ReportsServerAddress, false),
        ],
        routes: MULLVAD_TUNNEL_ROUTES,
        on_demand: true,
        sources: &[
            &MULLVAD_CONFIG,
            &MULLVAD_SETTINGS,
            &MULLVAD_START,
            &MULLVAD_ROUTES,
            &MULLVAD_RELAY_BY_IP,
            &MULLVAD_LOOPBACK,
        ],
    },
    Preset {
        name: "mullvad-force-all-apps-lan-sharing",
        vendor: "Mullvad",
        setting: "\"Force all apps\" and \"Local network sharing\" on: includeAllNetworks on, excludeLocalNetworks on",
        sets: &[
            (Prop::IncludeAllNetworks, true),
            (Prop::ExcludeLocalNetworks, true),
            (Prop::ServerByName, false),
            (Prop::ReportsServerAddress, false),
        ],
        routes: MULLVAD_TUNNEL_ROUTES,
        on_demand: true,
        sources: &[
            &MULLVAD_CONFIG,
            &MULLVAD_SETTINGS,
            &MULLVAD_START,
            &MULLVAD_ROUTES,
            &MULLVAD_RELAY_BY_IP,
            &MULLVAD_LOOPBACK,
        ],
    },
    Preset {
        name: "ivpn",
        vendor: "IVPN",
        setting: "LAN access allowed (the default): includeAllNetworks = \"block LAN\" = off, excludeLocalNetworks = its opposite, on; an on-demand Connect rule",
        sets: &[
            (Prop::IncludeAllNetworks, false),
            (Prop::ExcludeLocalNetworks, true),
            (Prop::ServerByName, false),
        ],
        routes: facts::FULL_TUNNEL,
        on_demand: true,
        sources: &[&IVPN_PROTOCOL, &IVPN_ON_DEMAND, &IVPN_BY_IP],
    },
    Preset {
        name: "ivpn-block-lan",
        vendor: "IVPN",
        setting: "\"Block LAN traffic\" on (or network protection blocking LAN on an untrusted network): includeAllNetworks on, excludeLocalNetworks off",
        sets: &[
            (Prop::IncludeAllNetworks, true),
            (Prop::ExcludeLocalNetworks, false),
            (Prop::ServerByName, false),
        ],
        routes: facts::FULL_TUNNEL,
        on_demand: true,
        sources: &[&IVPN_PROTOCOL, &IVPN_ON_DEMAND, &IVPN_BY_IP],
    },
    Preset {
        name: "proton",
        vendor: "Proton VPN",
        setting: "Kill switch off, \"LAN connections\" on (the default on paid plans): includeAllNetworks off, excludeLocalNetworks on; an on-demand Connect rule once it has connected",
        sets: &[
            (Prop::IncludeAllNetworks, false),
            (Prop::ExcludeLocalNetworks, true),
            (Prop::ServerByName, false),
            (Prop::ReportsServerAddress, false),
        ],
        routes: facts::FULL_TUNNEL,
        on_demand: true,
        sources: &[&PROTON_CONFIG, &PROTON_LAN, &PROTON_WIREGUARD],
    },
    Preset {
        name: "proton-kill-switch",
        vendor: "Proton VPN",
        setting: "Kill switch on, \"LAN connections\" on: includeAllNetworks on, excludeLocalNetworks on",
        sets: &[
            (Prop::IncludeAllNetworks, true),
            (Prop::ExcludeLocalNetworks, true),
            (Prop::ServerByName, false),
            (Prop::ReportsServerAddress, false),
        ],
        routes: facts::FULL_TUNNEL,
        on_demand: true,
        sources: &[&PROTON_CONFIG, &PROTON_LAN, &PROTON_WIREGUARD],
    },
    Preset {
        name: "wireguard",
        vendor: "WireGuard, the official app",
        setting: "sets neither includeAllNetworks nor excludeLocalNetworks (Apple's defaults); on-demand only if the user turns it on",
        sets: &[(Prop::ReportsServerAddress, false)],
        routes: facts::FULL_TUNNEL,
        on_demand: false,
        sources: &[&WIREGUARD_ON_DEMAND, &WIREGUARD_LOOPBACK],
    },
];

impl Preset {
    /// The VPN configuration on `ios`: Apple's defaults, then what the
    /// vendor's code sets, where the release has the property.
    pub fn config(&self, ios: IosVersion) -> VpnConfig {
        let mut vpn = VpnConfig::defaults(ios);
        for (prop, value) in self.sets {
            if ios >= facts::property(*prop).since {
                crate::scenario::Setting::Flag(*prop, *value).apply(&mut vpn);
            }
        }
        vpn.on_demand = self.on_demand;
        vpn.included_routes = self
            .routes
            .iter()
            .map(|r| {
                crate::addresses::Cidr::parse(r).expect("preset routes in presets.rs are valid")
            })
            .collect();
        vpn
    }
}

pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

/// The valid names, for error messages.
pub fn choices() -> String {
    list_choices(PRESETS.iter().map(|p| p.name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::IosVersion;

    #[test]
    fn names_are_unique_and_every_preset_cites_code() {
        let mut names: Vec<_> = PRESETS.iter().map(|p| p.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), PRESETS.len());
        assert!(PRESETS.iter().all(|p| !p.sources.is_empty()));
    }

    #[test]
    fn a_preset_sets_only_what_the_release_has() {
        let old = IosVersion::new(14, 0, 0);
        let lan = find("mullvad-force-all-apps-lan-sharing")
            .unwrap()
            .config(old);
        assert_eq!(lan.include_all_networks, Some(true));
        assert_eq!(
            lan.exclude_local_networks, None,
            "excludeLocalNetworks came in 14.2"
        );
        let new = find("ivpn-block-lan")
            .unwrap()
            .config(IosVersion::new(18, 2, 0));
        assert_eq!(
            (
                new.include_all_networks,
                new.exclude_local_networks,
                new.exclude_apns
            ),
            (Some(true), Some(false), Some(true))
        );
        assert!(new.on_demand);
    }
}
