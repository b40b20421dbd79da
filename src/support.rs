//! Support mode: what a customer says ("no internet after updating the VPN
//! app") → the scenario that plays it out, a plain-language answer, and the
//! vendor-documented steps with what each one exposes. [`explain`] turns any
//! run into the text of a support ticket; the CLI prints it as text or
//! Markdown and the playground shows the same blocks on the page.
//!
//! The answers only repeat what the fact table and the scenario show: steps
//! cite rule ids from [`crate::facts::RULES`] (their evidence and sources
//! come from there), and what is reported but not modelled is listed as
//! such, with its own evidence kind.

use crate::facts::{self, Evidence, Rule, Source};
use crate::model::{Network, Route};
use crate::report::{Block, Detail, Document, Item, rule_item};
use crate::scenario::duration;
use crate::trace::{Effect, RuleRef, Segment, Trace};
use crate::words;

/// Something a customer reports, and the answer.
#[derive(Debug)]
pub struct Symptom {
    /// Stable id, used by `tunnelscope explain` and in share links.
    pub id: &'static str,
    /// The symptom in the customer's words.
    pub asks: &'static str,
    /// The built-in scenario that plays it out.
    pub scenario: &'static str,
    /// The moment of that scenario where the symptom shows (the playground
    /// opens there, and a printed ticket shows the drawing then), and a flow
    /// whose route shows it.
    pub moment_ms: u64,
    pub shows: (&'static str, Route),
    /// What is going on, in plain language, one paragraph each.
    pub answer: &'static [&'static str],
    pub steps: &'static [Step],
    /// Reports that bear on the symptom but that the model does not play out.
    pub reports: &'static [Report],
}

/// One thing the customer can do.
#[derive(Debug)]
pub struct Step {
    pub does: &'static str,
    /// What the step exposes, or costs, while it is in effect.
    pub exposes: &'static str,
    /// The rules (ids in the fact table) that say so.
    pub rules: &'static [&'static str],
    /// A built-in scenario that plays this step out.
    pub shown_in: Option<&'static str>,
}

/// A report the model does not play out, with its own evidence kind.
#[derive(Debug)]
pub struct Report {
    pub evidence: Evidence,
    pub says: &'static str,
    pub source: &'static Source,
}

use crate::facts::FORUM_APNS_WIFI;

pub static SYMPTOMS: &[Symptom] = &[
    Symptom {
        id: "no-internet-after-update",
        asks: "No internet after updating the VPN app",
        scenario: "update-loop-ian",
        moment_ms: 30_000,
        shows: ("app-store", Route::Blocked),
        answer: &[
            "Your VPN app has its kill switch on (Apple calls it includeAllNetworks; Mullvad calls it \"Force all apps\" and leaves it off until you turn it on). Mullvad found that when the App Store updates its app, the app's tunnel is stopped while the app is replaced (how iOS does this is not public), but iOS keeps sending the phone's traffic to that tunnel. With nothing there to carry it, every connection is dropped on the phone, including the App Store's own download of the update, so the update cannot finish.",
            "The phone stays offline until it is restarted. After the restart the VPN connects again, and the App Store may try the same update again and cut the phone off again: a loop. That comes from press accounts of Mullvad's 2026 post; when, and whether always, the App Store retries is not documented. Mullvad's app only learns that an update is available (it checks once a day) and can only warn you, so an automatic update can come before any warning.",
        ],
        steps: &[
            Step {
                does: "Restart the iPhone. This is the only known way to get connectivity back once it is lost.",
                exposes: "Nothing leaks while the phone restarts. Afterwards the VPN reconnects, and the App Store may retry the update and cut the phone off again, so do one of the next steps before that happens.",
                rules: &["update.ian-blocks-all", "update.retry-after-reboot"],
                shown_in: Some("update-loop-ian"),
            },
            Step {
                does: "Workaround 1: disconnect the VPN, let the App Store finish the update, then open the VPN app and connect again by hand (Mullvad's app, per press accounts, does not reconnect by itself). A restart may still be needed.",
                exposes: "Everything goes outside the tunnel, with the phone's own address, from the disconnect until you reconnect.",
                rules: &["vpn.not-connected"],
                shown_in: Some("update-workaround-disconnect"),
            },
            Step {
                does: "Workaround 2: or turn the kill switch (Force all apps) off, let the update finish, then turn it back on by hand.",
                exposes: "Each switch restarts the tunnel, which briefly exposes traffic; while the app is being replaced, traffic goes outside the tunnel; connections opened during the first restart keep going outside until the kill switch is back on (observed up to iOS 15.6, assumed since).",
                rules: &[
                    "vpn.restart-exposes",
                    "update.direct-while-replaced",
                    "flow.existing-stays-outside",
                ],
                shown_in: Some("update-workaround-ian-off"),
            },
            Step {
                does: "If your VPN app warns about updates (Mullvad's does while Force all apps is on), keep its notifications on, and be careful with automatic App Store updates.",
                exposes: "Nothing. Without notifications only the in-app banner remains, and it shows only while the VPN is connected.",
                rules: &["update.notice"],
                shown_in: Some("update-no-notification"),
            },
        ],
        reports: &[],
    },
    Symptom {
        id: "leaks-during-update",
        asks: "What leaks while I update the VPN app?",
        scenario: "update-workaround-ian-off",
        moment_ms: 40_000,
        shows: ("app-store", Route::Direct),
        answer: &[
            "With the kill switch on, an update of the VPN app can cut the phone off (see \"No internet after updating the VPN app\"). The two ways around it, disconnecting first or turning the kill switch off first, both let traffic out of the tunnel for a while: Mullvad's app warns that turning Force all apps off briefly exposes traffic, and its 2026 post, as the press summarises it, says no workaround keeps the tunnel enforced during an update.",
            "Turning the kill switch off or on restarts the tunnel, a short window in which traffic goes outside. While the App Store replaces the app, its tunnel is gone and traffic goes outside with the phone's own address. Connections opened in such a window may keep going outside until they close or the kill switch is back on (seen up to iOS 15.6, assumed since).",
        ],
        steps: &[
            Step {
                does: "When you turn the kill switch back on, turn on Airplane Mode (and Wi-Fi off) first, as Mullvad's app suggests, and the radios back on afterwards.",
                exposes: "Nothing: the tunnel restarts while no radio is up, and the kill switch is in force when they come back. (Switching it off this way only moves the exposure to when the radios return.)",
                rules: &["vpn.restart-exposes", "device.airplane-mode"],
                shown_in: Some("toggle-ian-airplane"),
            },
            Step {
                does: "Workaround 1: disconnect, update, reconnect by hand.",
                exposes: "Everything is outside the tunnel from the disconnect to the reconnect.",
                rules: &["vpn.not-connected"],
                shown_in: Some("update-workaround-disconnect"),
            },
            Step {
                does: "Workaround 2: kill switch off, update, kill switch on.",
                exposes: "Two short restart leaks and the update window itself outside the tunnel; a connection opened during the first restart stays outside until the kill switch is back on (assumed on iOS 16 and later).",
                rules: &[
                    "vpn.restart-exposes",
                    "update.direct-while-replaced",
                    "flow.existing-stays-outside",
                ],
                shown_in: Some("update-workaround-ian-off"),
            },
            Step {
                does: "On iOS 16 without the kill switch, disconnect and connect again after an update even if the app says \"Connected\" (reported on 16.0 for WireGuard and OpenVPN apps; later 16.x releases are not known).",
                exposes: "Until you reconnect, traffic goes outside the tunnel although the app shows Connected.",
                rules: &["update.appears-connected"],
                shown_in: Some("post-update-leak-ios16"),
            },
        ],
        reports: &[],
    },
    Symptom {
        id: "push-missing",
        asks: "Push notifications missing with the kill switch on",
        scenario: "push-missing-kill-switch",
        moment_ms: 30_000,
        shows: ("push", Route::Blocked),
        answer: &[
            "Push notifications come over one long-lived connection to Apple (APNs). From iOS 16.4, with the kill switch on, Apple keeps it outside the tunnel by default (excludeAPNs), so Apple sees your real address and push normally keeps working; one report says push is not delivered over Wi-Fi with the kill switch on, whatever that setting says. A VPN app may turn the default off to send push into the tunnel; one report (sing-box, iOS 26.0) says push still did not go into the tunnel.",
            "Apple does not say whether excluded push still flows while the tunnel is down. Mullvad saw all connectivity lost when its app was updated, and tunnelscope assumes push is dropped with everything else until the tunnel is back (or, also assumed, the VPN is disconnected).",
        ],
        steps: &[
            Step {
                does: "If the VPN app offers it, leave the setting that excludes push notifications (excludeAPNs, iOS 16.4 and later) at Apple's default, on.",
                exposes: "Push traffic goes outside the tunnel: Apple's push servers see the phone's own address.",
                rules: &["ian.exclude-apns"],
                shown_in: Some("ian-ios16-4-defaults"),
            },
            Step {
                does: "If the tunnel has dropped, reconnect the VPN, or disconnect it (whether disconnecting helps after a loss is not documented).",
                exposes: "Disconnected, everything goes outside the tunnel.",
                rules: &[
                    "ian.blocks-while-down",
                    "ian.exclusions-while-down",
                    "vpn.disconnect-after-loss",
                    "vpn.not-connected",
                ],
                shown_in: Some("push-missing-kill-switch"),
            },
        ],
        reports: &[
            Report {
                evidence: Evidence::Reported,
                says: "With excludeAPNs off, APNs still did not go inside the tunnel (sing-box, iOS 26.0).",
                source: &Source {
                    url: "https://github.com/SagerNet/sing-box/issues/3441",
                    note: "",
                    also: &[],
                },
            },
            Report {
                evidence: Evidence::Reported,
                says: "With includeAllNetworks on, push is not delivered over Wi-Fi whether excludeAPNs is on or off; over cellular it behaves as documented (one developer-forum post; iOS version not given). On Wi-Fi, trying cellular may tell the two cases apart.",
                source: &FORUM_APNS_WIFI,
            },
        ],
    },
    Symptom {
        id: "airdrop-airplay-broken",
        asks: "AirDrop or AirPlay stopped working",
        scenario: "localnet-with-ian",
        moment_ms: 40_000,
        shows: ("printer", Route::Tunnel),
        answer: &[
            "AirDrop, AirPlay, printers and other devices at home are reached over the local network. With the kill switch on and local network sharing off (excludeLocalNetworks off), iOS sends that traffic into the VPN tunnel as well. The VPN server cannot reach your home network, so those devices never receive it.",
        ],
        steps: &[Step {
            does: "Turn on \"Local network sharing\" in the VPN app (excludeLocalNetworks, Apple's default on iOS). Some apps do not allow it together with the kill switch; there the kill switch has to go off.",
            exposes: "Traffic to devices on the local network goes outside the tunnel, where others on the same network can see it. Switching restarts the tunnel: a short leak.",
            rules: &[
                "vpn.exclude-local-networks",
                "vpn.include-local-networks",
                "vpn.restart-exposes",
            ],
            shown_in: Some("toggle-lan-sharing-leak"),
        }],
        reports: &[
            Report {
                evidence: Evidence::Observed,
                says: "Mullvad lists AirDrop, AirPlay, CarPlay, Continuity Camera, Handoff, Handover, NameDrop, iMessage, Screen Mirroring and Personal Hotspot as affected by Force all apps, and says local network sharing (which needs Force all apps) reduces the issues.",
                source: &Source {
                    url: "https://github.com/mullvad/mullvadvpn-app/blob/9380a8076bc0511937477989a80ebca89cb334d9/ios/MullvadVPN/Coordinators/Settings/IncludeAllNetworks/IncludeAllNetworksSettingsCoordinator.swift#L65-L97",
                    note: "",
                    also: &[],
                },
            },
            Report {
                evidence: Evidence::Observed,
                says: "Proton VPN's settings make \"Allow LAN\" and the kill switch exclusive.",
                source: &Source {
                    url: "https://github.com/ProtonVPN/ios-mac-app/blob/e3e4047029c709ae25ecf9d6f1ffe92f40f66ff4/apps/ios/ProtonVPN/Scenes/Settings/ViewModels/SettingsViewModel.swift#L523-L595",
                    note: "",
                    also: &[],
                },
            },
        ],
    },
    Symptom {
        id: "mms-wifi-calling-broken",
        asks: "MMS or Wi-Fi Calling broken",
        scenario: "mms-wifi-calling-kill-switch",
        moment_ms: 10_000,
        shows: ("wifi-calling", Route::Tunnel),
        answer: &[
            "Wi-Fi Calling, MMS and Visual Voicemail reach your carrier over the internet. Apple documented no exception for them before iOS 16.4, so tunnelscope infers that the kill switch sent them into the tunnel, where the carrier sees the VPN server's address. From iOS 16.4 Apple keeps them outside the tunnel by default when the kill switch is on (excludeCellularServices). Voice calls over the cellular network itself (VoLTE) never go through a VPN.",
        ],
        steps: &[
            Step {
                does: "Update to iOS 16.4 or later and, if the VPN app offers it, leave \"exclude cellular services\" at Apple's default, on.",
                exposes: "Carrier services go outside the tunnel, to the carrier, with the phone's own address.",
                rules: &["ian.exclude-cellular-services"],
                shown_in: Some("ian-ios16-4-defaults"),
            },
            Step {
                does: "On an older iOS, turning the kill switch off may help, depending on how your carrier routes these services; tunnelscope does not model that (without the flag it keeps them in a full tunnel). A reboot or an airplane-mode toggle may also be needed.",
                exposes: "Without the kill switch nothing is blocked when the tunnel drops, and the switch restarts the tunnel: a short leak.",
                rules: &[
                    "ian.no-exclusion-on-this-release",
                    "carrier.services-routed",
                    "vpn.restart-exposes",
                ],
                shown_in: None,
            },
        ],
        reports: &[Report {
            evidence: Evidence::Reported,
            says: "Sending group MMS failed with Mozilla VPN on (iOS 16.2) and kept failing for a few minutes after the VPN was turned off, until a reboot or an airplane-mode toggle (a cached DNS lookup, Mozilla said). The thread does not say whether includeAllNetworks was involved.",
            source: &Source {
                url: "https://github.com/mozilla-mobile/mozilla-vpn-client/issues/4842",
                note: "",
                also: &[],
            },
        }],
    },
    Symptom {
        id: "hotspot-clients-offline",
        asks: "Devices on my Personal Hotspot have no internet",
        scenario: "hotspot-clients-ian",
        moment_ms: 10_000,
        shows: ("laptop", Route::Blocked),
        answer: &[
            "With the VPN's kill switch on, devices using the iPhone's Personal Hotspot are reported to have no internet (Mozilla VPN, after it turned the kill switch on; a 2026 report for another app says the same), and IVPN and Mullvad list Personal Hotspot as affected. Apple documents no exception for it, and how iOS stops it is not public: tunnelscope drops their traffic at the phone. The phone's own apps keep working through the tunnel.",
        ],
        steps: &[Step {
            does: "Turn the kill switch off while you share the phone's connection, and back on afterwards.",
            exposes: "The shared devices' traffic goes outside the VPN (the model assumes so: one VPN app's developer says tethered traffic cannot enter the tunnel; Apple documents nothing), the phone itself is without the kill switch until you turn it back on, and each switch restarts the tunnel: a short leak.",
            rules: &[
                "ian.blocks-hotspot",
                "hotspot.outside-tunnel",
                "vpn.restart-exposes",
            ],
            shown_in: Some("hotspot-clients-ian"),
        }],
        reports: &[],
    },
    Symptom {
        id: "public-wifi",
        asks: "Is my VPN safe on public Wi-Fi?",
        scenario: "localnet-without-ian",
        moment_ms: 10_000,
        shows: ("browser", Route::Direct),
        answer: &[
            "Mostly, but not against a Wi-Fi network that is itself the attacker. Researchers showed that a hostile access point can make an iPhone send traffic for a site of its choosing outside an ordinary full tunnel while the VPN shows \"Connected\": by announcing the site's public subnet as its local network (TunnelCrack LocalNet; every iOS VPN app tested was affected), by spoofing the VPN server's address before the tunnel comes up (TunnelCrack ServerIP), or by pushing a DHCP route for the site (TunnelVision; Mullvad says iOS is affected). The attacker reads that traffic; HTTPS still protects its content, but not which site you visit, and plain HTTP not at all.",
            "The kill switch (Apple's includeAllNetworks; Mullvad's \"Force all apps\") is what stops these on iOS, with one condition for LocalNet: local network sharing (excludeLocalNetworks) must be off too, or the attacker's \"local\" subnet is still let out.",
        ],
        steps: &[
            Step {
                does: "Turn the VPN app's kill switch on (\"Force all apps\" in Mullvad) and turn local network sharing off.",
                exposes: "AirDrop, AirPlay, printers and other LAN devices stop working while it is off; with the kill switch on, updating the VPN app can cut the phone off until a reboot, and the Personal Hotspot stops working.",
                rules: &[
                    "attack.localnet",
                    "vpn.include-local-networks",
                    "ian.tunnel",
                ],
                shown_in: Some("localnet-with-ian-no-lan"),
            },
            Step {
                does: "With the kill switch on but local network sharing left on, LocalNet still works: the attacker's subnet counts as local.",
                exposes: "Traffic to the attacker's chosen site goes to the attacker in the clear.",
                rules: &["attack.localnet", "vpn.exclude-local-networks"],
                shown_in: Some("localnet-with-ian-lan-sharing"),
            },
            Step {
                does: "Against TunnelVision and ServerIP, the kill switch alone is enough (for ServerIP that is an assumption: nobody has published the test on iOS).",
                exposes: "Nothing more than the kill switch itself costs.",
                rules: &["ian.stops-tunnelvision", "ian.stops-serverip"],
                shown_in: Some("tunnelvision-with-ian"),
            },
        ],
        reports: &[Report {
            evidence: Evidence::Reported,
            says: "IVPN says its app connects to its servers by IP address, not by name, so a spoofed DNS answer cannot redirect its tunnel (ServerIP).",
            source: &Source {
                url: "https://www.ivpn.net/blog/ivpn-tunnelcrack-vulnerability-assessment/",
                note: "",
                also: &[
                    "https://github.com/ivpn/ivpn.net/blob/0187e33913c36b763225cf3f1de70f77fb6c2548/src/content/en/blog/ivpn-tunnelcrack-vulnerability-assessment.md#L65",
                ],
            },
        }],
    },
    Symptom {
        id: "ipv6-leak",
        asks: "A leak test shows my real IPv6 address with the VPN on",
        scenario: "ipv6-leak-ipv4-only-tunnel",
        moment_ms: 10_000,
        shows: ("browser", Route::Direct),
        answer: &[
            "Your network gives the phone IPv6 as well as IPv4, and the VPN's tunnel carries only IPv4. A VPN app tells iOS its routes separately for each IP version; one that routes only IPv4 (0.0.0.0/0) leaves IPv6 on the Wi-Fi or cellular network. iPhones try IPv6 first wherever it works, so websites, and the DNS server, see your own IPv6 address while the app shows \"Connected\". It needs no attacker: any dual-stack network does it.",
            "A VPN app fixes it by routing IPv6 into the tunnel too (::/0), even if its servers cannot carry IPv6: NetBird's iOS client did exactly that in 2026 so that IPv6 is dropped inside the tunnel instead of leaking. What the kill switch (includeAllNetworks) does with IPv6 when the tunnel has none is not public.",
        ],
        steps: &[
            Step {
                does: "Ask the VPN provider whether its app routes IPv6 through the tunnel as well (an IPv6 default route, ::/0), and use one that does; NetBird added one in 2026 for exactly this.",
                exposes: "Nothing: IPv6 goes into the tunnel and leaves from the VPN's IPv6 address.",
                rules: &["routes.included"],
                shown_in: Some("ipv6-kept-in-dual-stack-tunnel"),
            },
            Step {
                does: "Turn on the app's kill switch (includeAllNetworks).",
                exposes: "If, as tunnelscope assumes, it takes IPv6 into the tunnel too, IPv6 is dropped there and apps fall back to IPv4 inside the tunnel; nobody has published whether it does, and if not, IPv6 still leaks. The kill switch's own costs apply (updates, AirDrop, the hotspot).",
                rules: &["ian.covers-ipv6", "ip.falls-back"],
                shown_in: Some("ipv6-ian-ipv4-only-tunnel"),
            },
        ],
        reports: &[Report {
            evidence: Evidence::Reported,
            says: "A developer of a packet-tunnel VPN demo: \"Currently, my IPv6 traffic seems to bypass the tunnel.\"",
            source: &Source {
                url: "https://github.com/davlxd/NEPacketTunnelVPNDemo/issues/32",
                note: "",
                also: &[],
            },
        }],
    },
];

/// The symptom with this id.
pub fn symptom(id: &str) -> Option<&'static Symptom> {
    SYMPTOMS.iter().find(|s| s.id == id)
}

/// The symptom a built-in scenario answers, if any.
pub fn symptom_for_scenario(name: &str) -> Option<&'static Symptom> {
    SYMPTOMS.iter().find(|s| s.scenario == name)
}

pub fn symptom_choices() -> String {
    crate::model::list_choices(SYMPTOMS.iter().map(|s| s.id))
}

/// The fact-table row a step cites: the one for the scenario's release, or
/// the first row of that id.
fn step_rule(id: &str, ios: &str) -> Option<&'static Rule> {
    let ios = crate::version::IosVersion::parse(ios).ok();
    let rows = || facts::RULES.iter().filter(move |r| r.id == id);
    rows()
        .find(|r| ios.is_some_and(|v| r.ios.contains(v)))
        .or_else(|| rows().next())
}

fn same_path(a: &Segment, b: &Segment) -> bool {
    a.route == b.route && a.interface == b.interface && a.seen_as == b.seen_as
}

/// The run, moment by moment: what happened and where each flow went.
fn moments(trace: &Trace) -> Vec<Item> {
    let mut times: Vec<u64> = trace.events.iter().map(|e| e.at_ms).collect();
    times.extend(trace.states.iter().map(|s| s.from_ms));
    for flow in &trace.flows {
        times.extend(flow.segments.iter().map(|s| s.from_ms));
    }
    times.sort_unstable();
    times.dedup();

    let mut items = Vec::new();
    for at in times {
        let mut happened: Vec<String> = trace
            .events
            .iter()
            .filter(|e| e.at_ms == at)
            .map(|e| match &e.effect {
                // Which setting: the effect's words only say that one changed.
                Effect::SettingChanged { setting, .. } => {
                    format!("{} ({})", words::effect(&e.effect), words::setting(setting))
                }
                effect => words::effect(effect),
            })
            .collect();
        // State changes no event explains (a connect finishing, the reboot
        // completing): said in words of their own.
        if let Some(i) = trace.states.iter().position(|s| s.from_ms == at)
            && happened.is_empty()
        {
            let now = &trace.states[i];
            let before = i.checked_sub(1).map(|j| &trace.states[j]);
            if before.is_none_or(|b| b.network != now.network) {
                happened.push(words::network(now.network).to_string());
            }
            if before.is_none_or(|b| b.tunnel != now.tunnel) {
                happened.push(words::tunnel(now.tunnel).to_string());
            }
        }
        let mut details = Vec::new();
        let mut only_opening = true;
        for flow in &trace.flows {
            let Some(i) = flow.segments.iter().position(|s| s.from_ms == at) else {
                continue;
            };
            let segment = &flow.segments[i];
            let changed = i
                .checked_sub(1)
                .is_none_or(|j| !same_path(&flow.segments[j], segment));
            if changed {
                let opens = if i == 0 { " (opens)" } else { "" };
                only_opening &= i == 0;
                details.push(Detail::Text(format!(
                    "{}{opens}: {}",
                    flow.name,
                    words::route(segment)
                )));
            }
        }
        if happened.is_empty() && details.is_empty() {
            continue;
        }
        let text = if happened.is_empty() {
            let what = if only_opening {
                "a new connection opens"
            } else {
                "where traffic goes changes"
            };
            format!("{}: {what}", duration::format(at))
        } else {
            format!(
                "{}: {}",
                duration::format(at),
                capitalised(&happened.join("; "))
            )
        };
        items.push(Item { text, details });
    }
    items
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The path of a symptom's page in the playground's site, from its root.
pub fn page_path(id: &str) -> String {
    format!("support/{id}.html")
}

/// The ticket text for a run; with `symptom`, its answer and steps too.
/// `scenario_file` names where the scenario came from (a path or a name);
/// `playground` is the address of the playground's root (ending in `/`),
/// when known, for a link to the page that plays the run.
pub fn explain(
    trace: &Trace,
    scenario_file: &str,
    symptom: Option<&Symptom>,
    playground: Option<&str>,
) -> Document {
    let s = &trace.scenario;
    let mut blocks = Vec::new();
    let title = symptom.map_or_else(|| s.title.clone(), |sy| sy.asks.to_string());
    blocks.push(Block::Paragraph(format!(
        "Scenario: {} ({scenario_file}), iOS {}, {}. {}.",
        s.title,
        s.ios,
        if s.network == Network::Wifi {
            "Wi-Fi"
        } else {
            "cellular"
        },
        match &s.vpn {
            None => "No VPN configured".to_string(),
            Some(v) => format!(
                "Kill switch (includeAllNetworks) {}",
                if v.include_all_networks == Some(true) {
                    "on"
                } else {
                    "off"
                }
            ),
        }
    )));
    // The playground's own page for this answer or scenario.
    let page = match (symptom, crate::library::find(scenario_file)) {
        (Some(sy), _) => Some(page_path(sy.id)),
        (None, Some(built_in)) => Some(crate::library::page_path(built_in.name)),
        (None, None) => None,
    };
    match (page, playground) {
        (Some(page), Some(base)) => blocks.push(Block::Link {
            lead: "Watch it packet by packet: ".into(),
            address: format!("{base}{page}"),
        }),
        (Some(page), None) => blocks.push(Block::Paragraph(format!(
            "Watch it packet by packet in the tunnelscope playground (`make serve`): open `{page}` there."
        ))),
        (None, _) => {}
    }
    if let Some(sy) = symptom {
        blocks.push(Block::Heading {
            text: "What is happening".into(),
            essential: true,
        });
        blocks.extend(sy.answer.iter().map(|p| Block::Paragraph(p.to_string())));
    }

    blocks.push(Block::Heading {
        text: "What the simulation shows".into(),
        essential: false,
    });
    blocks.push(Block::List {
        ordered: false,
        items: moments(trace),
    });
    let drops: Vec<String> = trace
        .flows
        .iter()
        .filter_map(|f| {
            let dropped = f.dropped.filter(|d| *d > 0)?;
            Some(format!(
                "{}: {dropped} packets dropped on the phone{} ({})",
                f.name,
                f.packets
                    .map_or(String::new(), |p| format!(", {p} sent or received")),
                f.kind.describe(),
            ))
        })
        .collect();
    if !drops.is_empty() {
        blocks.push(Block::Paragraph(
            "Packets the phone dropped, counted in the packet simulation (retransmissions included):".into(),
        ));
        blocks.push(Block::List {
            ordered: false,
            items: drops
                .into_iter()
                .map(|text| Item {
                    text,
                    details: Vec::new(),
                })
                .collect(),
        });
    }

    // The steps' rules first, then the run's (as the trace carries them).
    let mut cited: Vec<RuleRef> = Vec::new();
    let mut cite = |rule: RuleRef| {
        if !cited.iter().any(|c| c.id == rule.id && c.says == rule.says) {
            cited.push(rule);
        }
    };
    if let Some(sy) = symptom {
        blocks.push(Block::Heading {
            text: "What to do".into(),
            essential: true,
        });
        let mut items = Vec::new();
        for step in sy.steps {
            let rules: Vec<&'static Rule> = step
                .rules
                .iter()
                .filter_map(|id| step_rule(id, &s.ios))
                .collect();
            let mut details = vec![Detail::Labelled("Exposes", step.exposes.to_string())];
            details.push(Detail::Labelled(
                "Why",
                rules
                    .iter()
                    .map(|r| format!("`{}` [{}]", r.id, r.evidence.as_str()))
                    .collect::<Vec<_>>()
                    .join(", "),
            ));
            if let Some(built_in) = step.shown_in.and_then(crate::library::find) {
                details.push(Detail::PlayedOut(built_in));
            }
            rules.into_iter().map(RuleRef::from).for_each(&mut cite);
            items.push(Item {
                text: step.does.to_string(),
                details,
            });
        }
        blocks.push(Block::List {
            ordered: true,
            items,
        });
        if !sy.reports.is_empty() {
            blocks.push(Block::Heading {
                text: "Also reported (not played out by the model)".into(),
                essential: false,
            });
            blocks.push(Block::List {
                ordered: false,
                items: sy
                    .reports
                    .iter()
                    .map(|r| Item {
                        text: format!("[{}] {}", r.evidence.as_str(), r.says),
                        details: vec![Detail::Cited("Source", r.source)],
                    })
                    .collect(),
            });
        }
    }

    for rule in crate::report::cited_rules(trace) {
        cite(rule.clone());
    }
    blocks.push(Block::Heading {
        text: "Sources".into(),
        essential: false,
    });
    blocks.push(Block::Paragraph(
        "Each rule says what kind of evidence it rests on: documented by Apple, observed by a vendor or researcher, reported in an issue or the press, inferred by tunnelscope, or unknown (the model follows a stated assumption).".into(),
    ));
    blocks.push(Block::List {
        ordered: false,
        items: cited.iter().map(|r| rule_item(r, &s.assumptions)).collect(),
    });

    let relied: Vec<Item> = s
        .assumptions
        .iter()
        .filter(|a| !a.is_default || cited.iter().any(|r| r.assumption == Some(a.key)))
        .map(|a| Item {
            text: format!(
                "`{}` = {}{}",
                a.key,
                a.value,
                if a.is_default {
                    ""
                } else {
                    " (set by this scenario)"
                }
            ),
            details: vec![Detail::Text(a.meaning.to_string())],
        })
        .collect();
    if !relied.is_empty() {
        blocks.push(Block::Heading {
            text: "Assumptions".into(),
            essential: false,
        });
        blocks.push(Block::Paragraph(
            "Where the public record is silent the model follows these; each can be flipped in the scenario's [assume] table or the playground.".into(),
        ));
        blocks.push(Block::List {
            ordered: false,
            items: relied,
        });
    }
    Document { title, blocks }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library;

    fn explained(sy: &Symptom) -> (Trace, Document) {
        let built_in = library::find(sy.scenario).expect("the scenario is built in");
        let scenario = built_in.parse().expect("built-ins parse");
        let (trace, _) = crate::engine::simulate(&scenario);
        let explanation = explain(&trace, built_in.file, Some(sy), None);
        (trace, explanation)
    }

    #[test]
    fn every_symptom_the_issue_lists_is_answered() {
        for id in [
            "no-internet-after-update",
            "push-missing",
            "airdrop-airplay-broken",
            "mms-wifi-calling-broken",
            "hotspot-clients-offline",
            "leaks-during-update",
        ] {
            assert!(symptom(id).is_some(), "no answer for {id}");
        }
        let mut ids: Vec<_> = SYMPTOMS.iter().map(|s| s.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), SYMPTOMS.len(), "symptom ids are unique");
    }

    #[test]
    fn each_symptom_maps_to_a_scenario_whose_expectations_hold() {
        for sy in SYMPTOMS {
            let (trace, _) = explained(sy);
            assert!(
                !trace.expectations.is_empty(),
                "{} checks nothing",
                sy.scenario
            );
            let failures: Vec<_> = trace.failures().collect();
            assert!(failures.is_empty(), "{}: {failures:#?}", sy.id);
            assert!(
                library::find(sy.id).is_none(),
                "symptom id {} is also a scenario name",
                sy.id
            );
            for step in sy.steps {
                if let Some(name) = step.shown_in {
                    let other = library::find(name)
                        .unwrap_or_else(|| panic!("{}: no scenario {name}", sy.id));
                    let trace = crate::timeline::run(&other.parse().expect("parses"));
                    assert_eq!(trace.failures().count(), 0, "{name}");
                }
            }
        }
    }

    #[test]
    fn each_symptom_shows_at_its_moment() {
        for sy in SYMPTOMS {
            let (trace, _) = explained(sy);
            assert!(sy.moment_ms < trace.scenario.duration_ms, "{}", sy.id);
            let (flow, route) = sy.shows;
            let got = trace
                .flow(flow)
                .unwrap_or_else(|| panic!("{}: no flow {flow}", sy.id))
                .segment_at(sy.moment_ms)
                .map(|s| s.route);
            assert_eq!(got, Some(route), "{}: {flow} at {} ms", sy.id, sy.moment_ms);
        }
    }

    #[test]
    fn every_step_cites_rules_that_exist_and_says_what_it_exposes() {
        for sy in SYMPTOMS {
            assert!(!sy.steps.is_empty(), "{} has no steps", sy.id);
            for step in sy.steps {
                assert!(
                    !step.rules.is_empty(),
                    "{}: {} cites nothing",
                    sy.id,
                    step.does
                );
                assert!(!step.exposes.is_empty());
                for id in step.rules {
                    assert!(step_rule(id, "18.2").is_some(), "{}: no rule `{id}`", sy.id);
                }
            }
        }
    }

    #[test]
    fn the_update_loop_answer_plays_out_and_cites_its_sources() {
        let sy = symptom("no-internet-after-update").unwrap();
        let (_, explanation) = explained(sy);
        let md = explanation.markdown();
        assert!(
            md.starts_with("# No internet after updating the VPN app\n"),
            "{md}"
        );
        for needle in [
            "## What is happening",
            "## What the simulation shows",
            "## What to do",
            "1. Restart the iPhone.",
            "4. If your VPN app warns about updates",
            "   - Exposes: Everything goes outside the tunnel",
            "`update.ian-blocks-all` [observed]",
            "https://mullvad.net/en/blog/why-we-still-dont-use-includeallnetworks",
            "`update_retry_delay` = 40s (set by this scenario)",
            "app-store: is dropped on the phone: no connection",
            "browser: goes through the VPN tunnel; servers see the VPN's address",
        ] {
            assert!(md.contains(needle), "missing {needle:?} in\n{md}");
        }
        // The moments come in time order, and the App Store's dropped
        // retransmissions are counted.
        let shows = md.split("## What the simulation shows").nth(1).unwrap();
        let at = |t: &str| {
            shows
                .find(&format!("- {t}: "))
                .unwrap_or_else(|| panic!("{t}"))
        };
        assert!(at("0s") < at("20s") && at("20s") < at("1m30s"));
        assert!(
            md.contains("- app-store: 10 packets dropped on the phone"),
            "{md}"
        );
    }

    #[test]
    fn text_and_markdown_say_the_same() {
        let sy = symptom("hotspot-clients-offline").unwrap();
        let (_, explanation) = explained(sy);
        let text = explanation.text();
        let md = explanation.markdown();
        assert!(text.starts_with("Devices on my Personal Hotspot have no internet\n====="));
        assert!(!text.contains('`'));
        for needle in [
            "ian.blocks-hotspot [reported]",
            "hotspot_clients_outside_tunnel = true",
        ] {
            assert!(text.contains(needle), "{needle:?} in\n{text}");
            assert!(
                md.contains(
                    &needle
                        .replace("ian.blocks-hotspot", "`ian.blocks-hotspot`")
                        .replace(
                            "hotspot_clients_outside_tunnel",
                            "`hotspot_clients_outside_tunnel`"
                        )
                ),
                "{needle:?} in\n{md}"
            );
        }
    }

    #[test]
    fn a_scenario_without_a_symptom_still_explains_itself() {
        let built_in = library::find("wifi-to-cellular").unwrap();
        let trace = crate::timeline::run(&built_in.parse().unwrap());
        let explanation = explain(&trace, built_in.file, None, None);
        let md = explanation.markdown();
        assert!(md.starts_with(&format!("# {}\n", trace.scenario.title)));
        assert!(!md.contains("## What to do"));
        assert!(md.contains("## Sources"));
        assert!(md.contains("cellular (pdp_ip0)"), "{md}");
    }
}
