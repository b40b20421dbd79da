//! Profiles as Apple's schema writes them, and every kind of bad one.

use super::*;

const IKEV2: &str = include_str!("../../tests/profiles/ikev2-kill-switch.mobileconfig");

fn ios(text: &str) -> IosVersion {
    IosVersion::parse(text).unwrap()
}

#[test]
fn an_ikev2_profile_sets_the_switches_it_carries() {
    let p = read(IKEV2.as_bytes(), ios("18.2")).unwrap();
    assert_eq!(p.name, "Example Corp VPN");
    assert_eq!(
        (
            p.vpn.include_all_networks,
            p.vpn.exclude_local_networks,
            p.vpn.exclude_apns,
            p.vpn.enforce_routes,
            p.vpn.on_demand
        ),
        (Some(true), Some(false), Some(true), Some(false), true)
    );
    // What it does not set stays at Apple's default for the release.
    assert_eq!(p.vpn.exclude_cellular_services, Some(true));
    assert_eq!(
        p.ignored,
        [
            "IKEv2.AuthenticationMethod",
            "IKEv2.LocalIdentifier",
            "IKEv2.RemoteAddress",
            "IKEv2.RemoteIdentifier"
        ]
    );
    assert!(p.unavailable.is_empty());
}

#[test]
fn a_key_the_release_lacks_is_reported_not_applied() {
    let p = read(IKEV2.as_bytes(), ios("16.1")).unwrap();
    assert_eq!(p.vpn.exclude_apns, None);
    assert_eq!(
        p.unavailable,
        [("IKEv2.ExcludeAPNs".to_string(), ios("16.4"))]
    );
}

#[test]
fn a_signed_profile_is_read_through_its_wrapping() {
    let mut signed = vec![0x30, 0x82, 0x1f, 0x00, 0x06, 0x09, 0x2a, 0x86, 0x48];
    signed.extend_from_slice(IKEV2.as_bytes());
    signed.extend_from_slice(&[0xa0, 0x82, 0x05, 0x00, 0x30]);
    let p = read(&signed, ios("18.2")).unwrap();
    assert_eq!(p.vpn.include_all_networks, Some(true));
}

#[test]
fn booleans_are_read_like_the_schemas_integers() {
    let text = IKEV2.replace(
        "<key>IncludeAllNetworks</key>\n        <integer>1</integer>",
        "<key>IncludeAllNetworks</key>\n        <true/>",
    );
    assert!(text.contains("<true/>"));
    let p = read(text.as_bytes(), ios("18.2")).unwrap();
    assert_eq!(p.vpn.include_all_networks, Some(true));
}

/// Bad input gets an error that names what is wrong.
fn refused(bytes: &[u8], says: &str) {
    match read(bytes, ios("18.2")) {
        Ok(p) => panic!("read {p:?}; wanted an error saying {says:?}"),
        Err(e) => assert!(e.contains(says), "{e:?} does not say {says:?}"),
    }
}

#[test]
fn bad_profiles_say_what_is_wrong() {
    refused(b"title = \"a scenario\"", "no XML property list");
    refused(b"bplist00\xd1\x01\x02", "binary property list");
    refused(&vec![b' '; MAX_PROFILE_BYTES + 1], "at most 1024 KiB");
    refused(
        include_bytes!("../../tests/profiles/wifi-only.mobileconfig"),
        "no VPN payload (com.apple.vpn.managed); its payloads are: com.apple.wifi.managed",
    );
    refused(
        IKEV2
            .replace(
                "<integer>1</integer>\n        <key>ExcludeLocalNetworks",
                "<string>yes</string>\n        <key>ExcludeLocalNetworks",
            )
            .as_bytes(),
        "`IKEv2.IncludeAllNetworks` is a string",
    );
    refused(
        IKEV2
            .replace(
                "<integer>1</integer>\n        <key>ExcludeLocalNetworks",
                "<integer>2</integer>\n        <key>ExcludeLocalNetworks",
            )
            .as_bytes(),
        "is 2; Apple's schema allows 0 or 1",
    );
    refused(
        IKEV2
            .replace("<string>IKEv2</string>", "<string>PPTP</string>")
            .as_bytes(),
        "`VPNType` is \"PPTP\"",
    );
    refused(
        IKEV2.replace("</plist>", "").as_bytes(),
        "no XML property list",
    );
    refused(
        IKEV2
            .replace("<key>VPNType</key>", "<key>VPNTypo</key>")
            .as_bytes(),
        "no `VPNType`",
    );
    refused(
        b"<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY lol \"lol\">]><plist><dict/></plist>",
        "declares XML entities",
    );
    refused(
        b"<plist version=\"1.0\"><dict><key>a</key></plist>",
        "not a valid property list",
    );
}

#[test]
fn deep_nesting_is_refused_before_it_is_parsed() {
    let deep = format!(
        "<plist>{}{}</plist>",
        "<array>".repeat(40_000),
        "</array>".repeat(40_000)
    );
    refused(deep.as_bytes(), "more than 32 deep");
    // Empty containers written as <dict/> do not count.
    let flat = format!("<plist><array>{}</array></plist>", "<dict/>".repeat(1000));
    refused(flat.as_bytes(), "not a dictionary");
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever the bytes, reading answers (a profile or an error).
        #[test]
        fn any_bytes_get_an_answer(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
            let _ = read(&bytes, ios("18.2"));
        }

        /// Mangling a valid profile anywhere never panics either.
        #[test]
        fn a_mangled_profile_gets_an_answer(at in 0usize..2000, cut in 0usize..200, junk in "[<>/a-z!\\[\\]&;\"]{0,20}") {
            let mut text = IKEV2.to_string();
            let at = at.min(text.len());
            let end = (at + cut).min(text.len());
            if text.is_char_boundary(at) && text.is_char_boundary(end) {
                text.replace_range(at..end, &junk);
            }
            let _ = read(text.as_bytes(), ios("18.2"));
        }
    }
}
