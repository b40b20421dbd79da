//! The symptoms support mode answers: what customers say, the scenario
//! that plays each out, the customer's message and the agent's notes. Plain
//! data; [`super::explain`] turns an entry into a ticket.

use super::{Customer, Report, Step, Symptom};
use crate::facts::FORUM_APNS_WIFI;
use crate::facts::{AssumptionId, Evidence, Source};
use crate::model::Route;

pub static SYMPTOMS: &[Symptom] = &[
    Symptom {
        id: "no-internet-after-update",
        asks: "No internet after updating the VPN app",
        scenario: "update-loop-ian",
        moment_ms: 30_000,
        shows: ("app-store", Route::Blocked),
        customer: Customer {
            says: "Your VPN app's kill switch is on. When the App Store updates the VPN app, the app's tunnel stops while it is replaced, but the iPhone keeps sending everything to it, so nothing gets through, not even the update itself. Only a restart brings the connection back, and the App Store may then try the update again and cut the phone off again.",
            steps: &[
                "Restart the iPhone.",
                "Before the App Store tries again, disconnect the VPN, let the update finish, then connect again by hand.",
                "Or turn the kill switch off for the update and back on afterwards.",
                "Keep the VPN app's notifications on: it can warn you that an update is coming.",
            ],
            differ: "",
        },
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
        depends_on: &[AssumptionId::UpdateRetryDelay, AssumptionId::RebootTime],
    },
    Symptom {
        id: "leaks-during-update",
        asks: "What leaks while I update the VPN app?",
        scenario: "update-workaround-ian-off",
        moment_ms: 40_000,
        shows: ("app-store", Route::Direct),
        customer: Customer {
            says: "Both ways around the update problem let some traffic out of the VPN for a while: disconnecting first, or turning the kill switch off first. While the app is being replaced, your traffic goes out with your own address, and connections opened then may stay outside the VPN until they close.",
            steps: &[
                "Update the VPN app at a moment when a short exposure does not matter to you.",
                "When you turn the kill switch back on, turn on Airplane Mode first, and turn it off again afterwards.",
                "Afterwards, close and reopen apps that were open during the update.",
            ],
            differ: "",
        },
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
        depends_on: &[
            AssumptionId::ExistingConnectionsStayOutside,
            AssumptionId::ExistingConnectionUnderIan,
        ],
    },
    Symptom {
        id: "push-missing",
        asks: "Push notifications missing with the kill switch on",
        scenario: "push-missing-kill-switch",
        moment_ms: 30_000,
        shows: ("push", Route::Blocked),
        customer: Customer {
            says: "Push notifications use one long-lived connection to Apple. With the kill switch on, iPhones from iOS 16.4 normally keep that connection outside the VPN, so push keeps working. If your VPN app sends push into the VPN instead, and the VPN server does not let Apple's push service through, notifications stop.",
            steps: &[
                "Tell us whether notifications fail on Wi-Fi, on cellular, or both.",
                "If the app has a setting that keeps push notifications outside the VPN, leave it on.",
                "If you want push to go through the VPN, we check that our server lets Apple's push service through.",
                "If the VPN has dropped, connect it again.",
            ],
            differ: "one developer found push not delivered over Wi-Fi with the kill switch on, whatever that setting said.",
        },
        answer: &[
            "Push notifications come over one long-lived connection to Apple (APNs). From iOS 16.4, with the kill switch on, Apple keeps it outside the tunnel by default (excludeAPNs), so Apple sees your real address and push normally keeps working; one report says push is not delivered over Wi-Fi with the kill switch on, whatever that setting says. A VPN app may turn the default off to send push into the tunnel (what a customer who wants push private needs); one report (sing-box, iOS 26.0) says push still did not go into the tunnel.",
            "Not the phone: when push goes into the tunnel, the VPN's server must let TCP 5223 (and the 443 fallback) to Apple's 17.0.0.0/8 through. A VPN app's maintainer checked exactly this on his server with tcpdump when users reported push stopping with his app on; tunnelscope cannot see a server's firewall.",
            "Apple does not say whether excluded push still flows while the tunnel is down. Mullvad saw all connectivity lost when its app was updated, and tunnelscope assumes push is dropped with everything else until the tunnel is back (or, also assumed, the VPN is disconnected).",
        ],
        steps: &[
            Step {
                does: "If the customer only wants push to work, leave excludeAPNs (iOS 16.4 and later) at Apple's default, on; if they want push private, turn it off and check the server (next step).",
                exposes: "On: push goes outside the tunnel and Apple's push servers see the phone's own address. Off: push goes into the tunnel, and stops if the server filters it.",
                rules: &["ian.exclude-apns", "ian.include-apns"],
                shown_in: Some("ian-ios16-4-defaults"),
            },
            Step {
                does: "On the VPN server, check that TCP 5223 and 443 to 17.0.0.0/8 pass (for example with tcpdump on the tunnel interface while the phone receives a push).",
                exposes: "Nothing on the phone.",
                rules: &["ian.include-apns"],
                shown_in: None,
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
        depends_on: &[
            AssumptionId::ApnsExclusionIgnoredOnWifi,
            AssumptionId::ExclusionsHoldWhileTunnelDown,
        ],
    },
    Symptom {
        id: "airdrop-airplay-broken",
        asks: "AirDrop or AirPlay stopped working",
        scenario: "localnet-with-ian",
        moment_ms: 40_000,
        shows: ("printer", Route::Tunnel),
        customer: Customer {
            says: "With the kill switch on and Local network sharing off, your iPhone sends the traffic for devices at home (AirDrop, AirPlay, printers) into the VPN, and the VPN server cannot reach your home network.",
            steps: &[
                "Turn on Local network sharing in the VPN app.",
                "If the app does not allow it together with the kill switch, turn the kill switch off while you use these devices, and back on afterwards.",
            ],
            differ: "",
        },
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
        depends_on: &[],
    },
    Symptom {
        id: "mms-wifi-calling-broken",
        asks: "MMS or Wi-Fi Calling broken",
        scenario: "mms-wifi-calling-kill-switch",
        moment_ms: 10_000,
        shows: ("wifi-calling", Route::Tunnel),
        customer: Customer {
            says: "Wi-Fi Calling, MMS and visual voicemail reach your carrier over the internet. With the kill switch on, iOS 16.4 and later keep them outside the VPN unless the VPN app changes that; on older iOS they may go into the VPN, where your carrier does not accept them. Without a kill switch, the one public test found Wi-Fi Calling going outside the VPN.",
            steps: &[
                "Update the iPhone to iOS 16.4 or later.",
                "If the VPN app has a setting that keeps cellular services outside the VPN, leave it on.",
                "If it still fails, turn the kill switch off, then restart the iPhone or turn Airplane Mode on and off.",
            ],
            differ: "",
        },
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
                does: "On an older iOS, turn the kill switch off: without it, the one public test (Outline's maintainer, 2018) found Wi-Fi Calling going outside the VPN. A reboot or an airplane-mode toggle may also be needed.",
                exposes: "Without the kill switch nothing is blocked when the tunnel drops, Wi-Fi Calling leaves with the phone's own address, and the switch restarts the tunnel: a short leak.",
                rules: &[
                    "ian.no-exclusion-on-this-release",
                    "carrier.wifi-calling-outside",
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
        depends_on: &[AssumptionId::WifiCallingBypassesTunnel],
    },
    Symptom {
        id: "hotspot-clients-offline",
        asks: "Devices on my Personal Hotspot have no internet",
        scenario: "hotspot-no-kill-switch",
        moment_ms: 20_000,
        shows: ("laptop", Route::Blocked),
        customer: Customer {
            says: "Devices on your Personal Hotspot are reported to lose internet while a VPN on the iPhone sends all its traffic through the tunnel, with or without a kill switch. The iPhone's own apps keep working through the VPN.",
            steps: &[
                "While you share your connection, disconnect the VPN (or turn off its exit node), and connect again afterwards.",
                "Turning only the kill switch off did not help in most reports.",
            ],
            differ: "most reports say shared devices have no internet while the VPN is on; one developer says they go online outside the VPN.",
        },
        answer: &[
            "With the VPN's kill switch on, devices using the iPhone's Personal Hotspot are reported to have no internet (Mozilla VPN, after it turned the kill switch on; a 2026 report for another app says the same), and IVPN and Mullvad list Personal Hotspot as affected. Apple documents no exception for it, and how iOS stops it is not public: tunnelscope drops their traffic at the phone. The phone's own apps keep working through the tunnel.",
            "Without a kill switch the reports disagree: with a full tunnel (a mesh VPN's exit node), tethered devices had no internet on iOS 17.1.1 (reproduced by Tailscale's staff), 18 and 26.0.1, and in a sing-box report with the kill switch off; one VPN app's developer says they go out with the carrier's address, and a 2018 report had a tethered Mac online outside the VPN. By default tunnelscope follows the more numerous reports (hotspot_clients_outside_tunnel = false). So do not tell a customer whose app has no kill switch to turn it off: disconnecting the VPN (or the exit node) is what the reports found to help.",
        ],
        steps: &[
            Step {
                does: "Disconnect the VPN (or turn off the exit node) while sharing, and connect again afterwards.",
                exposes: "Everything, the phone's own traffic included, goes outside the VPN until it is back on.",
                rules: &["hotspot.no-internet", "vpn.not-connected"],
                shown_in: Some("hotspot-no-kill-switch"),
            },
            Step {
                does: "Turning only the kill switch off leaves the shared devices offline while the full tunnel is up (the reports' reading); in the other reading they go online outside the VPN.",
                exposes: "The phone is without its kill switch, and the switch restarts the tunnel: a short leak.",
                rules: &[
                    "ian.blocks-hotspot",
                    "hotspot.no-internet",
                    "hotspot.outside-tunnel",
                    "vpn.restart-exposes",
                ],
                shown_in: Some("hotspot-clients-ian"),
            },
        ],
        reports: &[],
        depends_on: &[AssumptionId::HotspotClientsOutsideTunnel],
    },
    Symptom {
        id: "public-wifi",
        asks: "Is my VPN safe on public Wi-Fi?",
        scenario: "localnet-without-ian",
        moment_ms: 10_000,
        shows: ("browser", Route::Direct),
        customer: Customer {
            says: "Mostly. A hostile Wi-Fi can pull the traffic for sites it chooses out of an ordinary VPN tunnel while the app still shows Connected. HTTPS still hides what you send, but not which site you visit.",
            steps: &[
                "Turn on the VPN app's kill switch (Mullvad calls it Force all apps).",
                "Turn Local network sharing off while you are on public Wi-Fi.",
                "At home, turn Local network sharing back on if AirDrop or printers need it.",
            ],
            differ: "",
        },
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
                does: "Against TunnelVision the kill switch is enough (Mullvad's belief; no published test), and so is enforceRoutes with the tunnel's own non-default routes (DuckDuckGo's fix, validated by its reviewer). ServerIP needs an app that looks its server up by name and reports its real address: Mullvad's, IVPN's, Proton's and WireGuard's apps do not.",
                exposes: "Nothing more than the kill switch itself costs.",
                rules: &[
                    "ian.stops-tunnelvision",
                    "routes.enforced-beat-pushed",
                    "attack.serverip-needs-name",
                    "attack.serverip-needs-real-address",
                ],
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
        depends_on: &[
            AssumptionId::IanStopsServerIp,
            AssumptionId::EnforcedDefaultRouteWins,
        ],
    },
    Symptom {
        id: "ipv6-leak",
        asks: "A leak test shows my real IPv6 address with the VPN on",
        scenario: "ipv6-leak-ipv4-only-tunnel",
        moment_ms: 10_000,
        shows: ("browser", Route::Direct),
        customer: Customer {
            says: "Your network gives the iPhone IPv6 as well as IPv4, and your VPN app sends only IPv4 through its tunnel. iPhones prefer IPv6 where it works, so websites see your own IPv6 address while the app shows Connected. Whether a kill switch keeps IPv6 in the tunnel has not been published.",
            steps: &[
                "Check whether the VPN app has an IPv6 option, and turn it on.",
                "Turn on the app's kill switch if it has one.",
                "Tell us which network you were on, so we can check how our app routes IPv6.",
            ],
            differ: "",
        },
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
        depends_on: &[AssumptionId::IanCoversIpv6],
    },
    Symptom {
        id: "connected-no-internet",
        asks: "The VPN says connected, but nothing loads",
        scenario: "ian-tunnel-lost",
        moment_ms: 30000,
        shows: ("browser", Route::Blocked),
        customer: Customer {
            says: "The VPN shows it is connected, but nothing loads. This happens after a change of network, sleep or Airplane Mode when the VPN's tunnel has dropped and not come back: with a kill switch on, the iPhone then blocks everything until it does.",
            steps: &[
                "Disconnect the VPN and connect again, and update the VPN app: reconnect bugs have been fixed in app updates.",
                "In Settings, General, VPN & Device Management, delete VPN profiles you no longer use.",
                "If the app has Connect on demand, turn it on, so the VPN comes back by itself.",
                "If only one app fails, close it and open it again.",
            ],
            differ: "",
        },
        answer: &[
            "With the kill switch on, includeAllNetworks drops everything that must use the tunnel while the tunnel is down (Apple's 2021 header: all traffic is dropped if the tunnel is down), and whether the exclusions still let push out then is not documented. A tunnel that went down after a network change, sleep or airplane mode, and did not come back, looks like this: the app may still show Connected.",
            "Without a Connect on-demand rule nothing brings the tunnel back by itself (Apple documents on-demand rules as what restarts a VPN). IVPN's knowledge base says that with several VPN profiles installed, traffic can stay blocked after a network switch or airplane mode until all profiles are removed. An iOS 16.4 reconnect regression was reported with IVPN's kill switch. Apps that held a connection through the drop may need to be reopened. tunnelscope plays out the lost tunnel and what a disconnect does (an assumption); it does not model several profiles or an app that does not recover.",
        ],
        steps: &[
            Step {
                does: "Disconnect and connect again.",
                exposes: "Disconnected, everything goes outside the tunnel until it is back (whether disconnecting helps after a loss is an assumption).",
                rules: &[
                    "ian.blocks-while-down",
                    "vpn.disconnect-after-loss",
                    "vpn.not-connected",
                ],
                shown_in: Some("ian-tunnel-lost"),
            },
            Step {
                does: "Remove VPN profiles that are not used (Settings, General, VPN & Device Management), as IVPN's knowledge base advises.",
                exposes: "Nothing.",
                rules: &["ian.blocks-while-down"],
                shown_in: None,
            },
            Step {
                does: "Turn on Connect on demand if the app offers it.",
                exposes: "The tunnel restarts by itself after a drop; with the kill switch, nothing leaks meanwhile.",
                rules: &["vpn.on-demand-connect"],
                shown_in: Some("ian-tunnel-lost-on-demand"),
            },
        ],
        reports: &[
            Report {
                evidence: Evidence::Observed,
                says: "IVPN (kill switch on, iOS 14-15): with several VPN profiles saved, internet traffic gets blocked after switching networks or leaving airplane mode; removing all profiles and reconnecting resolves it.",
                source: &Source {
                    url: "https://www.ivpn.net/knowledgebase/ios/known-issues-with-native-ios-kill-switch/",
                    note: "IVPN's knowledge base",
                    also: &[],
                },
            },
            Report {
                evidence: Evidence::Reported,
                says: "After iOS 16.4, IVPN's client with the kill switch no longer reconnected by itself and had to be reconnected by hand (confirmed by IVPN).",
                source: &Source {
                    url: "https://github.com/ivpn/ios-app/issues/334",
                    note: "iOS 16.4, 2023",
                    also: &[],
                },
            },
            Report {
                evidence: Evidence::Reported,
                says: "Without a kill switch: the app shows connected, but nothing works until a disconnect and reconnect after sleep (iOS 14.6).",
                source: &Source {
                    url: "https://github.com/ivpn/ios-app/issues/158",
                    note: "iOS 14.6",
                    also: &[],
                },
            },
            Report {
                evidence: Evidence::Reported,
                says: "A VPN client's developer: when the interface changes between Wi-Fi and cellular, iOS may stop the tunnel, and only an on-demand rule brings it back; the fix enables Connect On Demand after the user connects.",
                source: &Source {
                    url: "https://github.com/KaringX/clashmi/pull/531",
                    note: "2026",
                    also: &[],
                },
            },
        ],
        depends_on: &[
            AssumptionId::ExclusionsHoldWhileTunnelDown,
            AssumptionId::DisconnectRecoversLostTunnel,
        ],
    },
    Symptom {
        id: "webrtc-leak",
        asks: "A WebRTC leak test shows my real address with the VPN on",
        scenario: "webrtc-leak-without-kill-switch",
        moment_ms: 10000,
        shows: ("webrtc", Route::Direct),
        customer: Customer {
            says: "Video calls and some web pages use WebRTC, which picks the Wi-Fi or cellular connection by itself to find every address. Without a kill switch your iPhone lets it, so a WebRTC leak test can show your real address while ordinary websites see the VPN's.",
            steps: &[
                "Turn on the VPN app's kill switch if it has one, then run the leak test again.",
                "Tell us which app or browser showed the leak, and your iOS version.",
            ],
            differ: "one test on iOS 15 found no WebRTC leak in one browser.",
        },
        answer: &[
            "WebRTC scopes its sockets to an interface to gather candidates. Apple's enforceRoutes page says enforceRoutes 'supersedes the system routing table and scoping operations by apps', which implies that without it (or includeAllNetworks) an app's own choice of interface stands: tunnelscope infers that such a connection leaves outside the tunnel with the phone's address. WebRTC leaks with iOS VPNs were reported in DuckDuckGo's browser (iOS 16) and Brave (iOS 11); a Firefox Focus report found none on iOS 15. No report ties a leak to the kill switch and enforceRoutes both being off on a named release, so the rule is inferred.",
        ],
        steps: &[Step {
            does: "Turn on the kill switch, or have the VPN app set enforceRoutes.",
            exposes: "The kill switch's own costs (updates, AirDrop, the hotspot); enforceRoutes keeps LAN traffic as excludeLocalNetworks says.",
            rules: &[
                "app.scoped-outside",
                "routes.enforce-overrides-scoping",
                "ian.tunnel",
            ],
            shown_in: Some("webrtc-with-kill-switch"),
        }],
        reports: &[Report {
            evidence: Evidence::Reported,
            says: "With a VPN on iOS 15 beta, a WebRTC test did not show the real address in one browser.",
            source: &Source {
                url: "https://github.com/mozilla-mobile/focus-ios/issues/553",
                note: "iOS 15",
                also: &[],
            },
        }],
        depends_on: &[],
    },
    Symptom {
        id: "dns-cellular",
        asks: "Websites do not load on cellular with the VPN on (or a DNS test shows my carrier)",
        scenario: "dns-cellular-26-4",
        moment_ms: 10000,
        shows: ("dns", Route::Direct),
        customer: Customer {
            says: "On iOS 26.4, one VPN provider found that without a kill switch the iPhone's DNS lookups on cellular skip the VPN and go to your carrier. Websites may then fail to load on cellular, or a DNS leak test shows your carrier. Only one provider has reported this so far.",
            steps: &[
                "Turn on the VPN app's kill switch if it has one.",
                "Check whether the problem is only on cellular: try the same site on Wi-Fi.",
                "Tell us your iOS version and your carrier.",
            ],
            differ: "",
        },
        answer: &[
            "Lantern saw DNS queries from browsers on cellular bypass its tunnel's resolver on iOS 26.4 (T-Mobile 5G) with includeAllNetworks off and matchDomains [\"\"], so its fake-IP DNS never saw them and testers had no internet on cellular while Wi-Fi worked. Its fix was to turn includeAllNetworks on. tunnelscope follows that one report from 26.4 on (an assumption); on Wi-Fi, and before 26.4, the tunnel's resolver is the default as Apple documents.",
        ],
        steps: &[Step {
            does: "Turn on the kill switch.",
            exposes: "The kill switch's own costs.",
            rules: &[
                "dns.cellular-skips-tunnel",
                "dns.tunnel-resolver",
                "ian.tunnel",
            ],
            shown_in: Some("dns-cellular-26-4-kill-switch"),
        }],
        reports: &[],
        depends_on: &[AssumptionId::DnsSkipsTunnelOnCellular],
    },
    Symptom {
        id: "captive-portal",
        asks: "The hotel or airport Wi-Fi login page does not load with the VPN",
        scenario: "dhcp-and-captive-portal-ian",
        moment_ms: 2000,
        shows: ("captive", Route::Direct),
        customer: Customer {
            says: "Hotel, airport and café Wi-Fi often show a login page before they let you online. If your VPN connects by itself before you have logged in, the login page may not load through it.",
            steps: &[
                "Disconnect the VPN, or turn off Connect on demand, for a moment.",
                "Log in on the Wi-Fi's page.",
                "Connect the VPN again.",
            ],
            differ: "some VPN set-ups wait for the login by themselves; others do not.",
        },
        answer: &[
            "Apple keeps the traffic needed to join a captive network outside the tunnel even with includeAllNetworks (the always-excluded list in the header and the device-management schema), and tunnelscope shows the captive probe going outside. What it cannot show is a portal that blocks everything else until login: a VPN that connects on demand before the login then has no working path, and the login page, opened in a browser instead of Apple's sheet, goes into the tunnel. Algo's users reported exactly this in 2017; its fix was an on-demand URL probe (Apple's hotspot-detect page) so the VPN waits for the portal.",
        ],
        steps: &[Step {
            does: "Disconnect the VPN or pause on-demand, log in, then reconnect.",
            exposes: "Until the VPN is back everything goes outside the tunnel, on the hotel's network.",
            rules: &[
                "ian.always-excluded.captive",
                "net.captive-probe-outside",
                "vpn.not-connected",
            ],
            shown_in: None,
        }],
        reports: &[
            Report {
                evidence: Evidence::Reported,
                says: "With an on-demand IKEv2 profile, the landing page would not load because the VPN connected immediately; the maintainer added a URL probe so the VPN waits.",
                source: &Source {
                    url: "https://github.com/trailofbits/algo/issues/452",
                    note: "2017",
                    also: &[],
                },
            },
            Report {
                evidence: Evidence::Reported,
                says: "The same project's maintainer, earlier: Apple's on-demand VPN lets the user log in to captive portals before connecting.",
                source: &Source {
                    url: "https://github.com/trailofbits/algo/issues/208",
                    note: "2017",
                    also: &[],
                },
            },
        ],
        depends_on: &[],
    },
    Symptom {
        id: "carplay",
        asks: "CarPlay keeps disconnecting with the VPN on",
        scenario: "localnet-with-ian",
        moment_ms: 40000,
        shows: ("printer", Route::Tunnel),
        customer: Customer {
            says: "CarPlay talks to your car over a local connection. With the kill switch on and Local network sharing off, the iPhone may send that traffic into the VPN, and CarPlay drops or never starts. So far this was reported with CarPlay by cable, on iOS 18.2.",
            steps: &[
                "Turn on Local network sharing in the VPN app.",
                "If that is not possible, turn the VPN, or its kill switch, off for the drive.",
                "Tell us whether you connect to the car by cable or wirelessly.",
            ],
            differ: "",
        },
        answer: &[
            "Apple names CarPlay, with AirPlay and AirDrop, among the local-network traffic excludeLocalNetworks keeps outside the tunnel, but only when includeAllNetworks or enforceRoutes is on. With the kill switch on and excludeLocalNetworks off, local traffic goes into the tunnel, where the VPN server cannot reach the car: tunnelscope plays this out with a LAN device (it has no car). A wired-CarPlay loop (connects, drops, over and over) was reported on iOS 18.2 with Mozilla VPN, which turns includeAllNetworks on; turning the VPN off fixed it. Wireless CarPlay runs over Wi-Fi; a Tailscale fix for wireless CarPlay was about DNS.",
        ],
        steps: &[Step {
            does: "Turn on Local network sharing (excludeLocalNetworks).",
            exposes: "Traffic to local devices goes outside the tunnel, visible on the local network; the switch restarts the tunnel: a short leak.",
            rules: &[
                "vpn.exclude-local-networks",
                "vpn.include-local-networks",
                "vpn.restart-exposes",
            ],
            shown_in: Some("localnet-with-ian-lan-sharing"),
        }],
        reports: &[
            Report {
                evidence: Evidence::Reported,
                says: "Wired CarPlay cycled between connecting and disconnecting with Mozilla VPN on (iPhone 16 Pro, iOS 18.2); with the VPN off it worked.",
                source: &Source {
                    url: "https://github.com/mozilla-mobile/mozilla-vpn-client/issues/10160",
                    note: "iOS 18.2",
                    also: &[],
                },
            },
            Report {
                evidence: Evidence::Reported,
                says: "Wireless CarPlay with Tailscale on: cellular internet did not work; Tailscale shipped a DNS change for it.",
                source: &Source {
                    url: "https://github.com/tailscale/tailscale/issues/10209",
                    note: "2024",
                    also: &[],
                },
            },
        ],
        depends_on: &[],
    },
    Symptom {
        id: "apple-watch",
        asks: "Is my Apple Watch protected by the iPhone's VPN?",
        scenario: "device-communication-17-4",
        moment_ms: 30000,
        shows: ("watch", Route::Direct),
        customer: Customer {
            says: "Only partly. An Apple Watch near the iPhone talks to the phone directly, and that link never goes through the VPN. When the Watch uses Wi-Fi or its own cellular connection, its traffic does not go through the iPhone's VPN either, and the Watch cannot run VPN apps.",
            steps: &[
                "If this matters, keep the Watch near the iPhone, or turn off the Watch's own Wi-Fi and cellular.",
                "Apps on the Watch cannot reach addresses that only work through the VPN.",
            ],
            differ: "",
        },
        answer: &[
            "Apple's device-management schema lists 'network communication with a companion device such as a watchOS device' among what includeAllNetworks always excludes, and says the VPN payload is not available in watchOS. tunnelscope shows the phone's link to the Watch going outside the tunnel; the Watch's own traffic over Wi-Fi or cellular is another device's and tunnelscope does not model it: it cannot say more than Apple's text and the reports.",
        ],
        steps: &[Step {
            does: "Nothing on the iPhone changes it.",
            exposes: "The Watch's own traffic goes out with the network's address.",
            rules: &["ian.always-excluded.companion", "net.companion-outside"],
            shown_in: None,
        }],
        reports: &[
            Report {
                evidence: Evidence::Reported,
                says: "An app developer: watchOS does not support third-party VPN clients, so the Watch cannot reach a server through the phone's VPN address.",
                source: &Source {
                    url: "https://github.com/7enChan/stillapp/issues/129",
                    note: "2026",
                    also: &[],
                },
            },
            Report {
                evidence: Evidence::Reported,
                says: "There are no VPN configuration APIs on watchOS (an Apple Watch on hotel Wi-Fi away from the phone).",
                source: &Source {
                    url: "https://github.com/lionheart/openradar-mirror/issues/17263",
                    note: "2017",
                    also: &[],
                },
            },
        ],
        depends_on: &[],
    },
    Symptom {
        id: "app-store-icloud",
        asks: "The App Store, iCloud or an iOS update fails with the VPN on",
        scenario: "full-tunnel-ios16",
        moment_ms: 10000,
        shows: ("icloud", Route::Tunnel),
        customer: Customer {
            says: "With the VPN on, the App Store, iCloud or an iOS update fail. Usually this is not your iPhone: Apple's service does not accept the VPN server's address, or the server's route to Apple is poor.",
            steps: &[
                "Connect to another VPN server or country, and try again.",
                "If it works there, tell us which server failed.",
                "If it fails on every server, tell us your iOS version and whether the kill switch is on.",
            ],
            differ: "",
        },
        answer: &[
            "tunnelscope can show where the App Store's and iCloud's traffic goes (here: through the tunnel, seen with the VPN's address); it cannot tell whether Apple's service accepts that address. Public reports point to the service or the server's hosting: the App Store worked again after moving the self-hosted WireGuard server from one host to another, and Apple's developer sites answered 502 through one IPsec server but not another in the same place. That an iOS update's servers behave the same way is inferred from these.",
        ],
        steps: &[Step {
            does: "Try another server or location.",
            exposes: "Nothing.",
            rules: &["ian.tunnel", "routes.included"],
            shown_in: None,
        }],
        reports: &[
            Report {
                evidence: Evidence::Reported,
                says: "The App Store failed through a self-hosted WireGuard server at one host and worked after moving to another.",
                source: &Source {
                    url: "https://github.com/angristan/wireguard-install/issues/77",
                    note: "2020",
                    also: &[],
                },
            },
            Report {
                evidence: Evidence::Reported,
                says: "Apple's developer sites returned 502 through one IPsec VPN server; another VPN in the same location worked.",
                source: &Source {
                    url: "https://github.com/hwdsl2/setup-ipsec-vpn/issues/1200",
                    note: "2022",
                    also: &[],
                },
            },
        ],
        depends_on: &[],
    },
    Symptom {
        id: "push-only-wifi",
        asks: "Push notifications stop on Wi-Fi when the VPN is on",
        scenario: "push-without-kill-switch-by-network",
        moment_ms: 20000,
        shows: ("push", Route::Tunnel),
        customer: Customer {
            says: "Recent reports say that without a kill switch, iPhones send push notifications through the VPN on Wi-Fi and outside it on cellular. If notifications stop only on Wi-Fi with the VPN on, the VPN server is probably not letting Apple's push service through.",
            steps: &[
                "Tell us whether notifications fail on Wi-Fi, on cellular, or both.",
                "If only on Wi-Fi, we check that our server lets Apple's push service through.",
                "Until then, disconnecting the VPN brings notifications back.",
            ],
            differ: "some reports say push always goes outside the VPN without a kill switch.",
        },
        answer: &[
            "Two independent 2026 reports (a Clash-based and a sing-box-based client) routed push through their tunnel on Wi-Fi but saw no push traffic in it on cellular; forum thread 817434 also found Wi-Fi and cellular behaving differently. The older 16.1 report has Apple traffic outside the tunnel without naming a network. tunnelscope follows the 2026 reports by default (push_without_kill_switch = by-network) and plays the other readings out.",
            "Not the phone: when push is in the tunnel it reaches Apple from the VPN's server, which must let TCP 5223 (and 443) to 17.0.0.0/8 through. A VPN app's maintainer showed APNs flows on port 5223 on his server when users reported push stopping; a filtered port there looks the same to the customer.",
        ],
        steps: &[
            Step {
                does: "Check the server: TCP 5223 and 443 to 17.0.0.0/8, for example with tcpdump on the tunnel interface.",
                exposes: "Nothing on the phone.",
                rules: &["push.tunnel-on-wifi"],
                shown_in: None,
            },
            Step {
                does: "Disconnect the VPN meanwhile.",
                exposes: "Everything goes outside the tunnel.",
                rules: &["push.outside-on-cellular", "vpn.not-connected"],
                shown_in: Some("push-without-kill-switch-outside"),
            },
        ],
        reports: &[Report {
            evidence: Evidence::Observed,
            says: "A VPN app's maintainer captured APNs traffic (port 5223) on his server while users reported push stopping with the app on.",
            source: &Source {
                url: "https://github.com/anton48/vk-turn-proxy-ios/issues/47",
                note: "2026",
                also: &[],
            },
        }],
        depends_on: &[AssumptionId::PushWithoutKillSwitch],
    },
    Symptom {
        id: "vpn-stuck-kill-switch",
        asks: "The VPN app is stuck connecting after I turned the kill switch on",
        scenario: "vpn-control-kill-switch-captured",
        moment_ms: 10000,
        shows: ("vpn-control", Route::Blocked),
        customer: Customer {
            says: "Some VPN apps lose their own connection to their servers when the kill switch is on: soon after connecting, the app shows Connecting again, or no peers. Whether this happens depends on how the app is built.",
            steps: &[
                "Turn the kill switch off and connect again.",
                "Update the VPN app, and tell us the version you have.",
                "Tell us whether it happens on Wi-Fi, on cellular, or both.",
            ],
            differ: "some apps keep their own connections outside the VPN on purpose, and are not affected.",
        },
        answer: &[
            "Apps differ in where their own control connections go under includeAllNetworks. Proton's code sends its API calls outside the tunnel on purpose when includeAllNetworks is on (its comment: requests through the tunnel time out under the kill switch). NetBird saw its management and relay sockets captured by its own tunnel and collapse about 10 s after connecting (2026), and could not exclude the signalling server's address. tunnelscope follows Proton's shipped code by default and plays NetBird's reading out (vpn_control_under_kill_switch).",
        ],
        steps: &[Step {
            does: "Turn the kill switch off.",
            exposes: "Nothing is blocked when the tunnel drops; the switch restarts the tunnel: a short leak.",
            rules: &[
                "vpn.control-captured",
                "vpn.api-outside",
                "vpn.restart-exposes",
            ],
            shown_in: Some("vpn-control-kill-switch-outside"),
        }],
        reports: &[],
        depends_on: &[AssumptionId::VpnControlUnderKillSwitch],
    },
    Symptom {
        id: "vpn-off-after-restart",
        asks: "After restarting my iPhone, my traffic goes outside the VPN until I connect again",
        scenario: "reboot-without-on-demand",
        moment_ms: 60000,
        shows: ("browser", Route::Direct),
        customer: Customer {
            says: "After a restart, the iPhone turns a VPN back on by itself only if Connect on demand is on. Until then your traffic goes out with your own address, as if there were no VPN.",
            steps: &[
                "Open the VPN app and connect.",
                "Turn on Connect on demand, in the app, or in Settings, General, VPN & Device Management, VPN: tap the i next to the VPN.",
                "Restart once more to check that the VPN comes back by itself.",
            ],
            differ: "",
        },
        answer: &[
            "On-demand rules are what start a VPN without the user (Apple's onDemandRules); without one, a VPN stays off after the phone restarts and traffic goes direct (the model infers this from Apple's text: phone.reboot-vpn-off). With a Connect rule, iOS brings the tunnel up again as apps open connections. Mullvad, IVPN and Proton set such a rule (their presets); WireGuard's app only when the user turns it on.",
        ],
        steps: &[Step {
            does: "Connect, and turn on Connect on demand.",
            exposes: "Nothing, once the tunnel is up; before that, everything goes direct.",
            rules: &["phone.reboot-vpn-off", "vpn.on-demand-connect"],
            shown_in: Some("reboot-with-on-demand"),
        }],
        reports: &[],
        depends_on: &[],
    },
    Symptom {
        id: "vpn-turns-itself-back-on",
        asks: "The VPN turns itself back on after I switch it off",
        scenario: "ian-tunnel-lost-on-demand",
        moment_ms: 30000,
        shows: ("browser", Route::Tunnel),
        customer: Customer {
            says: "Your VPN has Connect on demand on: the iPhone starts it again whenever an app needs the network. To keep the VPN off, turn Connect on demand off first. You do not need to delete the VPN profile.",
            steps: &[
                "In Settings, General, VPN & Device Management, VPN, tap the i next to the VPN and turn off Connect on demand, or use the app's own setting.",
                "Then switch the VPN off.",
                "Turn Connect on demand back on when you want the VPN to start by itself again.",
            ],
            differ: "",
        },
        answer: &[
            "A Connect on-demand rule starts the VPN whenever an app opens a connection (Apple's onDemandRules), which is what brings a dropped tunnel back; the same rule restarts a VPN the user switched off in some set-ups (Algo's users reported it in 2017 with an on-demand IKEv2 profile). Turning on-demand off (isOnDemandEnabled, shown in Settings as Connect On Demand) keeps the VPN off.",
        ],
        steps: &[Step {
            does: "Turn off Connect on demand, then disconnect.",
            exposes: "Everything goes outside the VPN while it is off.",
            rules: &["vpn.on-demand-connect", "vpn.not-connected"],
            shown_in: None,
        }],
        reports: &[Report {
            evidence: Evidence::Reported,
            says: "With an on-demand profile, the VPN turned itself back on whenever the user shut it off.",
            source: &Source {
                url: "https://github.com/trailofbits/algo/issues/288",
                note: "2017",
                also: &[],
            },
        }],
        depends_on: &[],
    },
    Symptom {
        id: "dns-split-tunnel",
        asks: "DNS filtering does not work, or a DNS leak test shows my provider, with the VPN on",
        scenario: "split-tunnel-dns",
        moment_ms: 10000,
        shows: ("dns", Route::Direct),
        customer: Customer {
            says: "If your VPN sends only part of your traffic through its tunnel (a split-tunnel or DNS-only mode), the iPhone sends most DNS lookups to your network's own DNS server, not the VPN's. DNS filtering or ad blocking then does not apply, and a DNS leak test shows your provider.",
            steps: &[
                "If the app has a full-tunnel mode (all traffic through the VPN), turn it on and test again.",
                "Tell us which mode the app is in, your iOS version, and whether it happens on Wi-Fi, cellular or both.",
            ],
            differ: "",
        },
        answer: &[
            "Apple's matchDomains: the tunnel's DNS servers become the default resolver only when the tunnel is the default route; otherwise they answer only for the tunnel's match domains, and other queries go to the network's resolver (dns.split-tunnel, documented). tunnelscope gives a split tunnel no match domains, so its ordinary lookups leave outside the tunnel; with a full tunnel they follow it (dns.tunnel-resolver). On iOS 26.4 on cellular, one vendor saw DNS skip even a full tunnel without the kill switch (see the dns-cellular answer).",
        ],
        steps: &[Step {
            does: "Switch the app to a full tunnel (all traffic), or give the tunnel's DNS match domains for what it must resolve.",
            exposes: "Everything goes through the VPN (the full tunnel's own costs); nothing new outside.",
            rules: &["dns.split-tunnel", "dns.tunnel-resolver"],
            shown_in: Some("split-tunnel-dns"),
        }],
        reports: &[],
        depends_on: &[],
    },
    Symptom {
        id: "home-subnet-unreachable",
        asks: "I can't reach a device on another subnet or VLAN at home with the VPN on",
        scenario: "excluded-route-home-subnet",
        moment_ms: 10000,
        shows: ("nas", Route::Direct),
        customer: Customer {
            says: "With the VPN on, your iPhone sends traffic for addresses that are not on its own network, such as another subnet or VLAN at home, through the VPN, and the VPN server cannot reach them. Local network sharing does not cover them. The VPN app has to leave that address range out of the tunnel.",
            steps: &[
                "If the app lets you exclude addresses or subnets from the VPN, add your home subnet's range.",
                "If the app has a kill switch, try with it off: iOS may ignore excluded ranges while it is on.",
                "Tell us the address range you need to reach.",
            ],
            differ: "",
        },
        answer: &[
            "A full tunnel takes every destination that is not excluded and not on the phone's own link: excludeLocalNetworks covers only the local network, so a device on another VLAN goes into the tunnel and never arrives (the VPN server cannot route to it). The tunnel's excludedRoutes send a range to the physical interface (routes.excluded, documented). With includeAllNetworks on, whether excluded routes still apply is not documented (ian_honours_excluded_routes; a VPN app's maintainer quotes Apple that they have no effect). The scenario uses the model's web-site address as the stand-in for the other subnet.",
        ],
        steps: &[Step {
            does: "Exclude the subnet's range in the VPN app (excludedRoutes).",
            exposes: "Traffic to that range goes outside the tunnel, on the local network.",
            rules: &["routes.excluded", "ian.excluded-routes"],
            shown_in: Some("excluded-route-home-subnet"),
        }],
        reports: &[],
        depends_on: &[AssumptionId::IanHonoursExcludedRoutes],
    },
];
