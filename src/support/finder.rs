//! The symptom finder: a customer's words → the symptoms ranked. The words
//! a customer may use, synonyms included, live in one table ([`WORDS`]);
//! nothing leaves the page (no server).

use super::{SYMPTOMS, Symptom};

/// Words and phrases a customer may write, and the symptoms they point to.
/// A phrase counts once however often it appears; longer phrases weigh
/// more.
pub static WORDS: &[(&[&str], &[&str])] = &[
    (
        &[
            "update",
            "updated",
            "updating",
            "app store update",
            "new version",
        ],
        &["no-internet-after-update", "leaks-during-update"],
    ),
    (
        &[
            "leak during update",
            "leaks while updating",
            "while updating",
            "during the update",
            "exposed during update",
        ],
        &["leaks-during-update", "no-internet-after-update"],
    ),
    (
        &["restart", "reboot", "rebooted"],
        &["no-internet-after-update", "connected-no-internet"],
    ),
    (
        &[
            "no internet",
            "offline",
            "nothing loads",
            "no connection",
            "cannot connect",
            "can't connect",
            "not working",
            "stopped working",
            "dead",
        ],
        &[
            "connected-no-internet",
            "no-internet-after-update",
            "hotspot-clients-offline",
            "dns-cellular",
        ],
    ),
    (
        &["connected but", "says connected", "shows connected"],
        &["connected-no-internet"],
    ),
    (
        &[
            "sleep",
            "wake",
            "airplane",
            "flight mode",
            "switch network",
            "network change",
            "wifi to cellular",
            "after switching",
        ],
        &["connected-no-internet"],
    ),
    (&["profile", "profiles"], &["connected-no-internet"]),
    (
        &[
            "leak",
            "leaks",
            "exposed",
            "real ip",
            "real address",
            "my ip",
            "ip address",
        ],
        &[
            "webrtc-leak",
            "ipv6-leak",
            "leaks-during-update",
            "public-wifi",
            "dns-cellular",
        ],
    ),
    (
        &[
            "webrtc",
            "video call",
            "calls in the browser",
            "browserleaks",
            "leak test",
        ],
        &["webrtc-leak", "ipv6-leak"],
    ),
    (&["ipv6", "v6"], &["ipv6-leak"]),
    (
        &["dns", "dns leak", "resolver", "carrier dns"],
        &["dns-cellular"],
    ),
    (
        &["cellular", "mobile data", "5g", "lte", "4g"],
        &["dns-cellular", "push-only-wifi", "hotspot-clients-offline"],
    ),
    (
        &[
            "push",
            "notification",
            "notifications",
            "messages arrive late",
            "apns",
        ],
        &["push-missing", "push-only-wifi"],
    ),
    (
        &["wifi", "wi-fi"],
        &["push-only-wifi", "public-wifi", "captive-portal"],
    ),
    (
        &["kill switch", "force all apps", "block lan", "always on"],
        &[
            "push-missing",
            "airdrop-airplay-broken",
            "no-internet-after-update",
            "vpn-stuck-kill-switch",
            "connected-no-internet",
        ],
    ),
    (
        &[
            "airdrop",
            "airplay",
            "printer",
            "chromecast",
            "local network",
            "lan",
            "smart tv",
            "sonos",
        ],
        &["airdrop-airplay-broken", "carplay"],
    ),
    (
        &["carplay", "car play", "car", "car's screen"],
        &["carplay"],
    ),
    (
        &[
            "mms",
            "wi-fi calling",
            "wifi calling",
            "voicemail",
            "calls drop",
            "picture messages",
            "group text",
        ],
        &["mms-wifi-calling-broken"],
    ),
    (
        &[
            "hotspot",
            "tethering",
            "tethered",
            "personal hotspot",
            "laptop",
            "share my connection",
        ],
        &["hotspot-clients-offline"],
    ),
    (
        &[
            "public wifi",
            "public wi-fi",
            "cafe",
            "café",
            "coffee shop",
            "airport",
            "hotel",
            "safe",
            "attacker",
            "hostile",
        ],
        &["public-wifi", "captive-portal"],
    ),
    (
        &[
            "login page",
            "captive",
            "portal",
            "sign in page",
            "sign-in",
            "terms page",
            "hotel wifi",
            "airport wifi",
        ],
        &["captive-portal"],
    ),
    (&["watch", "apple watch", "watchos"], &["apple-watch"]),
    (
        &[
            "app store",
            "icloud",
            "apple id",
            "photos sync",
            "backup",
            "download apps",
            "ios update",
            "software update",
            "system update",
            "update won't install",
            "fails to install",
            "refuses to install",
        ],
        &["app-store-icloud", "no-internet-after-update"],
    ),
    (
        &[
            "stuck",
            "connecting",
            "reconnecting",
            "peers",
            "0 peers",
            "exit node",
            "mesh",
            "handshake",
        ],
        &["vpn-stuck-kill-switch", "connected-no-internet"],
    ),
    (
        &[
            "after restart",
            "after a restart",
            "after restarting",
            "after rebooting",
            "after reboot",
            "vpn is off after",
        ],
        &["vpn-off-after-restart"],
    ),
    (
        &[
            "connect on demand",
            "on demand",
            "on-demand",
            "turns itself back on",
            "turns back on",
            "turns on by itself",
            "keeps turning on",
            "reconnects by itself",
            "reconnects automatically",
            "won't turn off",
            "can't turn it off",
            "cannot turn it off",
            "won't let me turn off",
            "delete the profile",
        ],
        &[
            "vpn-turns-itself-back-on",
            "vpn-off-after-restart",
            "connected-no-internet",
        ],
    ),
    (
        &[
            "switches between",
            "switching between",
            "wi-fi and lte",
            "wifi and lte",
            "lte and wi-fi",
            "reconnect",
            "reconnects",
            "drops",
            "disconnects",
            "crashes",
        ],
        &["connected-no-internet"],
    ),
    (
        &[
            "dns filtering",
            "ad blocking",
            "ad-blocking",
            "ads still",
            "ads show",
            "dns leak",
            "dns leak test",
            "split tunnel",
            "split-tunnel",
            "dns only",
            "custom dns",
            "nextdns",
            "dns server",
        ],
        &["dns-split-tunnel", "dns-cellular"],
    ),
    (
        &[
            "vlan",
            "subnet",
            "another subnet",
            "nas",
            "home server",
            "home network",
            "192.168",
            "10.0",
            "rfc1918",
            "private addresses",
            "my router",
            "exclude addresses",
            "excluded routes",
        ],
        &["home-subnet-unreachable", "airdrop-airplay-broken"],
    ),
];

/// What customers write about that tunnelscope does not answer, and what
/// to tell the agent instead: the finder shows the note beside (or in
/// place of) the symptoms it ranks, so that a weak match is not taken for
/// an answer.
pub static NOT_ANSWERED: &[(&[&str], &str)] = &[
    (
        &[
            "can't connect",
            "cannot connect",
            "won't connect",
            "doesn't connect",
            "does not connect",
            "unable to connect",
            "fails to connect",
            "failed to connect",
            "stuck on connecting",
            "stuck connecting",
            "creating secure connection",
            "starting",
            "back to disconnected",
            "handshake failed",
            "timed out",
            "cannot be used",
            "can't be used",
            "only works on wi-fi",
            "only works on wifi",
            "not on cellular",
        ],
        "A tunnel that does not come up is not something tunnelscope plays out: it shows where traffic goes once the VPN is configured. Check the app's version and logs, whether it fails on one network only (then the app's Connect on demand rules for that kind of network, or the network blocking the VPN's protocol), and the iOS version.",
    ),
    (
        &[
            "beta",
            "ios update",
            "updated ios",
            "updating ios",
            "updating to ios",
            "new ios",
            "after updating to",
        ],
        "tunnelscope does not model a VPN app's bugs on a new (or beta) iOS release: ask for the app's version and whether an update of the app is out.",
    ),
    (
        &[
            "protocol",
            "quic",
            "http/2",
            "ikev2",
            "ipsec",
            "openvpn",
            "shadowsocks",
            "port",
        ],
        "tunnelscope does not model a network blocking a VPN protocol or port: if the app offers another protocol or port, that is the thing to try.",
    ),
];

/// What the finder found: the symptoms, best first, and the notes on what
/// the words ask that tunnelscope does not answer.
#[derive(Clone, Debug)]
pub struct Finding {
    pub matches: Vec<Match>,
    pub not_answered: Vec<&'static str>,
}

/// The oldest release tunnelscope models, and the first with the kill
/// switch: a customer on an older release gets a note saying so.
const OLDEST_MODELLED: (u8, u8) = (13, 3);
const KILL_SWITCH_SINCE: u8 = 14;

/// The iOS release the customer names ("iOS 11", "ios 15.4.1"), if any.
fn release_named(text: &str) -> Option<(u8, u8)> {
    let lower = text.chars().take(2_000).collect::<String>().to_lowercase();
    let mut words = (lower.split(|c: char| c.is_whitespace() || c == ',' || c == '('))
        .skip_while(|w| *w != "ios")
        .skip(1);
    let version = words.next()?.trim_end_matches(['.', ')', ':', ';']);
    let mut parts = version.split('.').map(|p| p.parse::<u8>().ok());
    let major = parts.next()??;
    let minor = parts.next().flatten().unwrap_or(0);
    Some((major, minor))
}

/// The symptoms and the notes for the customer's words.
pub fn find(text: &str) -> Finding {
    let normal = normalised(text);
    let matches = find_symptoms(text);
    let mut not_answered: Vec<&'static str> = (NOT_ANSWERED.iter())
        .filter(|(phrases, _)| phrases.iter().any(|p| mentions(&normal, p)))
        .map(|(_, note)| *note)
        .collect();
    match release_named(text) {
        Some(release) if release < OLDEST_MODELLED => not_answered.push(
            "The customer names an iOS release older than any tunnelscope models (iOS 13.3.1 and later), and the kill switch exists only from iOS 14: answers that rely on it do not apply.",
        ),
        Some((major, _)) if major < KILL_SWITCH_SINCE => not_answered.push(
            "The customer names an iOS release before 14: the kill switch (includeAllNetworks) does not exist there, so steps that turn it on do not apply.",
        ),
        _ => {}
    }
    if !matches.is_empty() && !matches.iter().any(|m| m.clear) {
        not_answered.push(
            "No symptom clearly matches: the ones below share only general words (a network, \"not working\") with the message. Read their notes before using one.",
        );
    }
    Finding {
        matches,
        not_answered,
    }
}

/// Words too general to point to one symptom on their own ("Wi-Fi",
/// "not working"): a symptom found only through them is offered as a weak
/// match, and the finder says that nothing clearly matches.
pub static GENERAL: &[&str] = &[
    "wifi",
    "wi-fi",
    "cellular",
    "mobile data",
    "5g",
    "lte",
    "4g",
    "leak",
    "leaks",
    "exposed",
    "no internet",
    "offline",
    "not working",
    "stopped working",
    "no connection",
    "dead",
    "cannot connect",
    "can't connect",
    "restart",
    "reboot",
    "rebooted",
    "kill switch",
    "ip address",
    "my ip",
    "real ip",
    "real address",
    "update",
    "updated",
    "updating",
    "reconnect",
    "reconnects",
    "drops",
    "disconnects",
    "starting",
    "safe",
];

/// A symptom the finder offers, with its score (higher first), and
/// whether words particular to it matched (not only general ones).
#[derive(Clone, Copy, Debug)]
pub struct Match {
    pub symptom: &'static Symptom,
    pub score: u32,
    pub clear: bool,
}

/// The customer's text in lower case, with punctuation turned to spaces and
/// padded, so that phrases match on word boundaries.
fn normalised(text: &str) -> String {
    let mut out = String::from(" ");
    let mut last_space = true;
    for c in text.chars().take(2_000).flat_map(char::to_lowercase) {
        let c = match c {
            '\u{2019}' => '\'',
            c if c.is_alphanumeric() || c == '-' || c == '\'' => c,
            _ => ' ',
        };
        if c == ' ' && last_space {
            continue;
        }
        last_space = c == ' ';
        out.push(c);
    }
    if !last_space {
        out.push(' ');
    }
    out
}

/// Whether `phrase` is in `text`: a whole-word match, or for a single long
/// word, one within two edits of a word of the text.
fn mentions(text: &str, phrase: &str) -> bool {
    if text.contains(&format!(" {phrase} ")) {
        return true;
    }
    let long_word = !phrase.contains(' ') && phrase.chars().count() >= 6;
    long_word
        && text
            .split(' ')
            .filter(|w| w.chars().count() >= 5)
            .any(|w| strsim::levenshtein(w, phrase) <= if phrase.len() >= 9 { 2 } else { 1 })
}

/// The symptoms the customer's words point to, best first; empty when no
/// word of the table is in them (the caller then offers every symptom).
/// Ties keep the order of [`SYMPTOMS`].
pub fn find_symptoms(text: &str) -> Vec<Match> {
    let text = normalised(text);
    let mut scores = vec![0u32; SYMPTOMS.len()];
    let mut clear = vec![false; SYMPTOMS.len()];
    for (phrases, ids) in WORDS {
        let matched: Vec<&&str> = phrases.iter().filter(|p| mentions(&text, p)).collect();
        let Some(weight) = matched.iter().map(|p| p.split(' ').count() as u32).max() else {
            continue;
        };
        let particular = matched.iter().any(|p| !GENERAL.contains(p));
        // The first symptom a row names is its main one.
        for (rank, id) in ids.iter().enumerate() {
            if let Some(i) = SYMPTOMS.iter().position(|s| s.id == *id) {
                scores[i] += weight * if rank == 0 { 3 } else { 2 };
                clear[i] |= particular;
            }
        }
    }
    let mut found: Vec<Match> = (SYMPTOMS.iter().zip(scores).zip(clear))
        .filter(|((_, score), _)| *score > 0)
        .map(|((symptom, score), clear)| Match {
            symptom,
            score: if clear { score * 2 } else { score },
            clear,
        })
        .collect();
    found.sort_by_key(|m| std::cmp::Reverse(m.score));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn top(text: &str) -> &'static str {
        find_symptoms(text).first().map_or("", |m| m.symptom.id)
    }

    #[test]
    fn every_row_names_symptoms_that_exist_and_every_symptom_can_be_found() {
        for (_, ids) in WORDS {
            for id in *ids {
                assert!(super::super::symptom(id).is_some(), "{id}");
            }
        }
        for symptom in SYMPTOMS {
            assert!(
                WORDS
                    .iter()
                    .any(|(_, ids)| ids.first() == Some(&symptom.id)),
                "no row leads with {}",
                symptom.id
            );
        }
    }

    #[test]
    fn customers_words_find_their_symptom() {
        for (text, want) in [
            (
                "Since the last app update my phone has no internet at all, even after a reboot",
                "no-internet-after-update",
            ),
            (
                "My notifications don't come through when I'm on wifi with the VPN",
                "push-only-wifi",
            ),
            (
                "tethering stopped working, my laptop can't get online through my iPhone",
                "hotspot-clients-offline",
            ),
            (
                "CarPlay keeps disconnecting since I installed your app",
                "carplay",
            ),
            ("browserleaks shows my real IP under WebRTC", "webrtc-leak"),
            ("the hotel wifi login page never shows up", "captive-portal"),
            (
                "VPN says connected but nothing loads after I switch from wifi to cellular",
                "connected-no-internet",
            ),
            (
                "Can't print to my printer or use AirDrop",
                "airdrop-airplay-broken",
            ),
            ("is my apple watch covered?", "apple-watch"),
            (
                "icloud photos won't sync when the vpn is on",
                "app-store-icloud",
            ),
            ("Wi-Fi calling fails", "mms-wifi-calling-broken"),
            (
                "app stuck on connecting, 0 peers, after enabling kill switch",
                "vpn-stuck-kill-switch",
            ),
        ] {
            assert_eq!(top(text), want, "{text}: {:?}", find_symptoms(text));
        }
    }

    #[test]
    fn what_tunnelscope_does_not_answer_is_said_beside_the_matches() {
        let found =
            find("I can't connect on LTE, it says Starting and then goes back to disconnected");
        assert!(
            found.not_answered[0].contains("does not come up"),
            "{:?}",
            found.not_answered
        );
        let beta = find(
            "after updating to the iOS 15 beta the app is stuck on creating secure connection",
        );
        assert!(
            beta.not_answered.iter().any(|n| n.contains("beta")),
            "{:?}",
            beta.not_answered
        );
        assert!(find("AirDrop stopped working").not_answered.is_empty());
    }

    #[test]
    fn general_words_alone_are_a_weak_match_and_old_releases_are_named() {
        let wifi = find("the vpn keeps using mobile data instead of the wi-fi");
        assert!(
            !wifi.matches.is_empty() && wifi.matches.iter().all(|m| !m.clear),
            "{wifi:?}"
        );
        assert!(
            wifi.not_answered
                .iter()
                .any(|n| n.starts_with("No symptom clearly matches"))
        );
        let hotspot = find("my hotspot is broken");
        assert!(hotspot.matches[0].clear);
        assert!(
            !hotspot
                .not_answered
                .iter()
                .any(|n| n.starts_with("No symptom clearly"))
        );
        let old = find("my browser on iOS 11 leaks my ip with the vpn");
        assert!(
            old.not_answered
                .iter()
                .any(|n| n.contains("older than any tunnelscope models")),
            "{old:?}"
        );
        let thirteen = find("on ios 13.4 the vpn is off after a restart");
        assert!(
            thirteen
                .not_answered
                .iter()
                .any(|n| n.contains("before 14")),
            "{thirteen:?}"
        );
        assert!(find("on iOS 18.2 airdrop fails").not_answered.is_empty());
    }

    #[test]
    fn typos_are_forgiven_and_unknown_words_find_nothing() {
        assert_eq!(top("my hotspott is broken"), "hotspot-clients-offline");
        assert_eq!(top("notifcations are missing"), "push-missing");
        assert!(find_symptoms("zzzz qqqq").is_empty());
        assert!(find_symptoms("").is_empty());
        // A huge paste is read only so far: bounded time.
        let long = "hotspot ".repeat(100_000);
        assert_eq!(top(&long), "hotspot-clients-offline");
    }
}
