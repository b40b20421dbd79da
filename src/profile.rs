//! Apple configuration profiles (`.mobileconfig`): the VPN payload
//! (`com.apple.vpn.managed`) read into a [`VpnConfig`], so that what an
//! enterprise admin deploys can be played out like a scenario's `[vpn]`.
//!
//! The keys and their types follow Apple's schema
//! (`apple/device-management: mdm/profiles/com.apple.vpn.managed.yaml`):
//! the switches are integers 0 or 1 (booleans are accepted too) in the
//! dictionary named by `VPNType` (`VPN`, `IKEv2`, `IPSec` or `AlwaysOn`).
//! Keys the model does not use are listed by name, never silently dropped.
//!
//! A profile is untrusted input: it is read only after checks that bound
//! its size and nesting and refuse entity declarations ([`checked_xml`]),
//! and every problem is an error that says what is wrong. A signed profile
//! (CMS around the XML) is read by taking the XML plist it carries; binary
//! plists are refused with the command that converts them.
//!
//! The XML itself is parsed by a well-kept parser into a [`Value`]: the
//! `plist` crate natively ([`read`]), the browser's own `DOMParser` in the
//! page (`web::profile_xml`), which spares every visitor the crate's XML
//! reader. Everything after that is [`from_value`], the same for both.

use crate::config::VpnConfig;
use crate::facts::{self, Prop};
use crate::version::IosVersion;

/// A property-list value, as far as a VPN payload needs one.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Keys in document order.
    Dictionary(Vec<(String, Value)>),
    Array(Vec<Value>),
    Boolean(bool),
    Integer(i64),
    String(String),
    /// Data, dates and reals: named by kind, never needed here.
    Other(&'static str),
}

impl Value {
    fn as_dictionary(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Dictionary(entries) => Some(entries),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

type Dictionary = [(String, Value)];

fn get<'a>(dict: &'a Dictionary, key: &str) -> Option<&'a Value> {
    dict.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// The largest profile read (real VPN profiles are a few KiB).
pub const MAX_PROFILE_BYTES: usize = 1 << 20;
/// The deepest nesting of dictionaries and arrays read.
pub const MAX_DEPTH: usize = 32;

const VPN_PAYLOAD: &str = "com.apple.vpn.managed";

/// Where each switch the model uses lives in the payload's settings
/// dictionary, and which property it sets.
const SWITCHES: [(&str, Prop); 6] = [
    ("IncludeAllNetworks", Prop::IncludeAllNetworks),
    ("ExcludeLocalNetworks", Prop::ExcludeLocalNetworks),
    ("ExcludeAPNs", Prop::ExcludeApns),
    ("ExcludeCellularServices", Prop::ExcludeCellularServices),
    (
        "ExcludeDeviceCommunication",
        Prop::ExcludeDeviceCommunication,
    ),
    ("EnforceRoutes", Prop::EnforceRoutes),
];

/// What a profile configures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileVpn {
    /// The payload's name (`UserDefinedName`, `PayloadDisplayName`).
    pub name: String,
    /// The settings, over Apple's defaults for the release.
    pub vpn: VpnConfig,
    /// The keys the switches were read from, with their values.
    pub used: Vec<(String, bool)>,
    /// The properties the profile sets, as `[vpn]` would (`OnDemand`
    /// included when it says).
    pub set: Vec<(Prop, bool)>,
    /// Keys present that the model does not use, by name (`IKEv2.RemoteAddress`).
    pub ignored: Vec<String>,
    /// Keys the release does not have, with the release that added them.
    pub unavailable: Vec<(String, IosVersion)>,
}

/// The XML plist a profile's bytes carry, once it has passed the checks
/// that bound what parsing it can cost.
pub fn checked_xml(bytes: &[u8]) -> Result<&[u8], String> {
    if bytes.len() > MAX_PROFILE_BYTES {
        return Err(format!(
            "the profile is {} bytes; at most {} KiB is read (a VPN profile is a few KiB)",
            bytes.len(),
            MAX_PROFILE_BYTES / 1024
        ));
    }
    if bytes.starts_with(b"bplist") {
        return Err("this is a binary property list: convert it to XML first (plutil -convert xml1 FILE, or export the profile as XML)".into());
    }
    let xml = xml_plist(bytes)?;
    if contains(xml, b"<!ENTITY") {
        return Err("the profile declares XML entities (<!ENTITY …>); profiles never need them, so it is not read".into());
    }
    check_depth(xml)?;
    Ok(xml)
}

/// Reads the first VPN payload of a profile for a phone on `ios` (with the
/// `plist` crate; the page uses the browser's parser).
#[cfg(not(target_arch = "wasm32"))]
pub fn read(bytes: &[u8], ios: IosVersion) -> Result<ProfileVpn, String> {
    from_value(&parse(bytes)?, ios)
}

/// A profile's property list, checked and parsed with the `plist` crate.
#[cfg(not(target_arch = "wasm32"))]
pub fn parse(bytes: &[u8]) -> Result<Value, String> {
    let xml = checked_xml(bytes)?;
    let parsed = plist::Value::from_reader_xml(xml)
        .map_err(|e| format!("not a valid property list: {e}"))?;
    Ok(convert(parsed))
}

#[cfg(not(target_arch = "wasm32"))]
fn convert(value: plist::Value) -> Value {
    match value {
        plist::Value::Dictionary(d) => {
            Value::Dictionary(d.into_iter().map(|(k, v)| (k, convert(v))).collect())
        }
        plist::Value::Array(items) => Value::Array(items.into_iter().map(convert).collect()),
        plist::Value::Boolean(b) => Value::Boolean(b),
        plist::Value::Integer(n) => n
            .as_signed()
            .map_or(Value::Other("an integer out of range"), Value::Integer),
        plist::Value::String(s) => Value::String(s),
        plist::Value::Data(_) => Value::Other("data"),
        plist::Value::Date(_) => Value::Other("a date"),
        plist::Value::Real(_) => Value::Other("a real number"),
        _ => Value::Other("an unknown kind of value"),
    }
}

/// The first VPN payload of a parsed profile, for a phone on `ios`.
pub fn from_value(value: &Value, ios: IosVersion) -> Result<ProfileVpn, String> {
    let top = value
        .as_dictionary()
        .ok_or("the property list is not a dictionary: a configuration profile is one")?;
    let payloads = match get(top, "PayloadContent") {
        Some(Value::Array(items)) => items.as_slice(),
        Some(_) => return Err("`PayloadContent` is not an array of payloads".into()),
        None => &[],
    };
    let types: Vec<String> = payloads
        .iter()
        .filter_map(|p| get(p.as_dictionary()?, "PayloadType")?.as_string())
        .map(str::to_string)
        .collect();
    // A profile may also be the VPN payload itself.
    let payload = payloads
        .iter()
        .filter_map(Value::as_dictionary)
        .chain(std::iter::once(top))
        .find(|p| get(p, "PayloadType").and_then(Value::as_string) == Some(VPN_PAYLOAD))
        .ok_or_else(|| {
            if types.is_empty() {
                format!("the profile has no VPN payload ({VPN_PAYLOAD}), and no payloads at all")
            } else {
                format!(
                    "the profile has no VPN payload ({VPN_PAYLOAD}); its payloads are: {}",
                    types.join(", ")
                )
            }
        })?;
    vpn_payload(payload, ios)
}

/// The XML plist in `bytes`: the whole file, or the one a signed profile
/// (CMS `SignedData`) carries between its binary wrapping.
fn xml_plist(bytes: &[u8]) -> Result<&[u8], String> {
    let start = find(bytes, b"<?xml").or_else(|| find(bytes, b"<plist"));
    let end = find(bytes, b"</plist>").map(|i| i + b"</plist>".len());
    match (start, end) {
        (Some(start), Some(end)) if start < end => Ok(&bytes[start..end]),
        _ => Err(
            "not a configuration profile: no XML property list (<plist> … </plist>) in it".into(),
        ),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle).is_some()
}

/// Refuses nesting deeper than [`MAX_DEPTH`] before anything recursive
/// reads the document.
fn check_depth(xml: &[u8]) -> Result<(), String> {
    let mut depth = 0usize;
    let mut rest = xml;
    while let Some(i) = find(rest, b"<") {
        rest = &rest[i + 1..];
        let closing = rest.first() == Some(&b'/');
        let tag = if closing { &rest[1..] } else { rest };
        let name_end = tag
            .iter()
            .position(|b| matches!(b, b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n'))
            .unwrap_or(tag.len());
        if !matches!(&tag[..name_end], b"dict" | b"array") {
            continue;
        }
        let self_closing = tag[name_end..]
            .iter()
            .position(|b| *b == b'>')
            .is_some_and(|end| end > 0 && tag[name_end + end - 1] == b'/');
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closing {
            depth += 1;
            if depth > MAX_DEPTH {
                return Err(format!(
                    "the profile nests dictionaries and arrays more than {MAX_DEPTH} deep; a VPN profile needs four or five"
                ));
            }
        }
    }
    Ok(())
}

/// A switch: Apple's schema says an integer 0 or 1; booleans are common too.
fn switch(settings: &Dictionary, section: &str, key: &str) -> Result<Option<bool>, String> {
    match get(settings, key) {
        None => Ok(None),
        Some(Value::Boolean(b)) => Ok(Some(*b)),
        Some(Value::Integer(0)) => Ok(Some(false)),
        Some(Value::Integer(1)) => Ok(Some(true)),
        Some(Value::Integer(n)) => Err(format!(
            "`{section}.{key}` is {n}; Apple's schema allows 0 or 1"
        )),
        Some(other) => Err(format!(
            "`{section}.{key}` is {}; Apple's schema says an integer, 0 or 1",
            kind(other)
        )),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Array(_) => "an array",
        Value::Dictionary(_) => "a dictionary",
        Value::Boolean(_) => "a boolean",
        Value::Integer(_) => "an integer",
        Value::String(_) => "a string",
        Value::Other(kind) => kind,
    }
}

/// The payload's bookkeeping, which says nothing about routing.
const BOOKKEEPING: [&str; 9] = [
    "PayloadType",
    "PayloadVersion",
    "PayloadIdentifier",
    "PayloadUUID",
    "PayloadDisplayName",
    "PayloadDescription",
    "PayloadOrganization",
    "UserDefinedName",
    "VPNType",
];

fn vpn_payload(payload: &Dictionary, ios: IosVersion) -> Result<ProfileVpn, String> {
    let vpn_type = match get(payload, "VPNType") {
        Some(Value::String(t)) => t.as_str(),
        Some(other) => {
            return Err(format!(
                "`VPNType` is {}; Apple's schema says a string",
                kind(other)
            ));
        }
        None => return Err("the VPN payload has no `VPNType` (Apple's schema requires it)".into()),
    };
    // The dictionary that holds the switches for this type.
    let section = match vpn_type {
        "VPN" | "IKEv2" | "IPSec" | "AlwaysOn" => vpn_type,
        "L2TP" => "PPP",
        other => {
            return Err(format!(
                "`VPNType` is \"{other}\"; Apple's schema lists VPN, L2TP, IPSec, IKEv2, AlwaysOn and TransparentProxy (macOS only)"
            ));
        }
    };
    let settings: &Dictionary = match get(payload, section) {
        Some(Value::Dictionary(d)) => d,
        Some(other) => {
            return Err(format!(
                "`{section}` is {}; it should be a dictionary",
                kind(other)
            ));
        }
        None => &[],
    };
    let mut vpn = VpnConfig::defaults(ios);
    let mut used = Vec::new();
    let mut set = Vec::new();
    let mut unavailable = Vec::new();
    for (key, prop) in SWITCHES {
        let Some(on) = switch(settings, section, key)? else {
            continue;
        };
        let since = facts::property(prop).since;
        if ios < since {
            unavailable.push((format!("{section}.{key}"), since));
            continue;
        }
        crate::scenario::Setting::Flag(prop, on).apply(&mut vpn);
        used.push((format!("{section}.{key}"), on));
        set.push((prop, on));
    }
    // On demand: enabled, with a rule that connects.
    let on_demand = switch(settings, section, "OnDemandEnabled")?;
    let connects = match get(settings, "OnDemandRules") {
        None => false,
        Some(Value::Array(rules)) => rules.iter().any(|r| {
            r.as_dictionary()
                .and_then(|d| get(d, "Action"))
                .and_then(Value::as_string)
                == Some("Connect")
        }),
        Some(other) => {
            return Err(format!(
                "`{section}.OnDemandRules` is {}; it should be an array of rules",
                kind(other)
            ));
        }
    };
    if let Some(enabled) = on_demand {
        vpn.on_demand = enabled && connects;
        used.push((format!("{section}.OnDemandEnabled"), enabled));
        set.push((Prop::OnDemand, vpn.on_demand));
    }
    let mapped = |key: &str| {
        SWITCHES.iter().any(|(k, _)| *k == key)
            || key == "OnDemandEnabled"
            || key == "OnDemandRules"
    };
    let mut ignored: Vec<String> = payload
        .iter()
        .map(|(k, _)| k)
        .filter(|k| !BOOKKEEPING.contains(&k.as_str()) && k.as_str() != section)
        .map(|k| k.to_string())
        .chain(
            settings
                .iter()
                .map(|(k, _)| k)
                .filter(|k| !mapped(k))
                .map(|k| format!("{section}.{k}")),
        )
        .collect();
    ignored.sort();
    let name = ["UserDefinedName", "PayloadDisplayName"]
        .iter()
        .find_map(|k| get(payload, k).and_then(Value::as_string))
        .unwrap_or("VPN")
        .to_string();
    Ok(ProfileVpn {
        name,
        vpn,
        used,
        set,
        ignored,
        unavailable,
    })
}

impl ProfileVpn {
    /// The scenario with this profile's VPN in place of its `[vpn]`: the
    /// switches from the profile over Apple's defaults, the routes (which a
    /// profile does not carry: the tunnel sets them) from the scenario.
    pub fn apply(&self, scenario: &mut crate::scenario::Scenario) {
        let mut vpn = self.vpn.clone();
        if let Some(old) = &scenario.vpn {
            vpn.included_routes = old.included_routes.clone();
            vpn.excluded_routes = old.excluded_routes.clone();
        }
        scenario.vpn = Some(vpn);
        scenario.preset = None;
        scenario.profile = Some(self.name.clone());
    }

    /// What was read and what was not, one line each.
    pub fn summary(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "VPN payload \u{201c}{}\u{201d}: {}",
            self.name,
            if self.used.is_empty() {
                "no switch set (Apple's defaults)".to_string()
            } else {
                self.used
                    .iter()
                    .map(|(k, v)| format!("{k} = {}", u8::from(*v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        )];
        if !self.unavailable.is_empty() {
            lines.push(format!(
                "not on this release, so not applied: {}",
                self.unavailable
                    .iter()
                    .map(|(k, since)| format!("{k} (iOS {since}+)"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !self.ignored.is_empty() {
            lines.push(format!(
                "ignored (the model does not use them): {}",
                self.ignored.join(", ")
            ));
        }
        lines
    }
}

// Native only: they read profiles with the plist crate (tests/web.rs
// reads the same fixtures with the browser's parser).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
