//! The vendor presets as a document: what each app's code sets, with its
//! sources, and vendor × iOS release → the flow kinds that leave a
//! connected tunnel (each a fresh policy decision, as in the matrix).

use super::{Block, Detail, Document, Item, Table};
use crate::facts;
use crate::model::{FlowKind, Network, Route, TunnelState};
use crate::policy::{self, Assumptions, Context};
use crate::presets::{PRESETS, Preset};
use crate::version::IosVersion;

fn sets(preset: &Preset) -> String {
    let mut parts: Vec<String> = preset
        .sets
        .iter()
        .map(|(prop, on)| {
            format!(
                "{} {}",
                facts::property(*prop).apple_name,
                if *on { "on" } else { "off" }
            )
        })
        .collect();
    parts.push(format!(
        "on-demand {}",
        if preset.on_demand { "on" } else { "off" }
    ));
    parts.push(format!("included routes {}", preset.routes.join(" + ")));
    parts.join(", ")
}

/// The flow kinds a fresh connection of which goes outside the connected
/// tunnel of `preset` on `ios`, on `network`.
pub fn leaving(preset: &Preset, ios: IosVersion, network: Network) -> Vec<FlowKind> {
    let vpn = preset.config(ios);
    let assume = Assumptions::default();
    let ctx = Context::steady(
        ios,
        Some(&vpn),
        &assume,
        Some(network),
        TunnelState::Connected,
    );
    FlowKind::ALL
        .iter()
        .copied()
        .filter(|kind| !matches!(kind, FlowKind::VpnTransport | FlowKind::VpnApi))
        .filter(|kind| policy::decide(&ctx, *kind, None).route == Route::Direct)
        .collect()
}

/// Every preset with what it sets and where the code is, then the vendor
/// matrix for `releases` on Wi-Fi.
pub fn document(releases: &[IosVersion]) -> Document {
    let items = PRESETS
        .iter()
        .map(|p| {
            let mut details = vec![
                Detail::Labelled("Sets", sets(p)),
                Detail::Text(p.setting.to_string()),
            ];
            details.extend(p.sources.iter().map(|s| Detail::Cited("Source", s)));
            Item {
                text: format!("`{}` ({})", p.name, p.vendor),
                details,
            }
        })
        .collect();
    let rows = PRESETS
        .iter()
        .flat_map(|p| {
            releases.iter().map(move |ios| {
                let out = leaving(p, *ios, Network::Wifi);
                vec![
                    p.name.to_string(),
                    ios.to_string(),
                    out.iter()
                        .map(|k| k.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                ]
            })
        })
        .collect();
    Document {
        title: "VPN apps' presets".into(),
        blocks: vec![
            Block::Paragraph(
                "What each app's code sets (`preset = \"NAME\"` in a scenario; `[vpn]` keys override it). Everything else stays at Apple's default for the release, and every preset is a full tunnel.".into(),
            ),
            Block::List {
                ordered: false,
                items,
            },
            Block::Heading {
                text: "Which flow kinds leave the tunnel".into(),
                essential: true,
            },
            Block::Paragraph(
                "A new connection on Wi-Fi with the tunnel connected, at the assumptions' defaults; the VPN's own transport and API calls are left out (they always go outside).".into(),
            ),
            Block::Table(Table {
                header: vec!["preset", "iOS", "outside the tunnel"],
                rows,
            }),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::find;

    #[test]
    fn lan_sharing_is_what_lets_local_traffic_out_under_force_all_apps() {
        let ios = IosVersion::new(18, 2, 0);
        let strict = leaving(find("mullvad-force-all-apps").unwrap(), ios, Network::Wifi);
        let sharing = leaving(
            find("mullvad-force-all-apps-lan-sharing").unwrap(),
            ios,
            Network::Wifi,
        );
        assert!(!strict.contains(&FlowKind::LocalNetwork));
        assert!(sharing.contains(&FlowKind::LocalNetwork));
        // Without the flag, local traffic leaves whatever the app sets.
        let plain = leaving(find("wireguard").unwrap(), ios, Network::Wifi);
        assert!(plain.contains(&FlowKind::LocalNetwork));
        assert!(!plain.contains(&FlowKind::App));
    }
}
