//! Scenario format v1: a TOML file describing a phone, its VPN, what it does
//! over time, and what the author expects. See `docs/scenario-format.md`.
//!
//! [`parse`] turns text into a validated [`Scenario`] or a list of
//! [`ScenarioError`]s, each with a line and column. Nothing here panics on
//! bad input.

pub mod document;
pub mod duration;
mod parse;
mod shape;
pub mod write;

use crate::addresses::Cidr;
use crate::config::{Assumptions, VpnConfig};
use crate::facts::Prop;
use crate::model::{
    Attack, Family, FamilyChoice, FlowKind, Interface, IpModes, Network, Route, SeenAs,
};
use crate::version::IosVersion;
use core::fmt;

pub use parse::parse;
pub use write::write;

/// Bounds that keep a scenario small enough to run in a browser tab.
pub const MAX_FLOWS: usize = 1_000;
pub const MAX_EVENTS: usize = 1_000;
pub const MAX_EXPECTS: usize = 10_000;
pub const MAX_ROUTES: usize = 256;
pub const MAX_FILE_BYTES: usize = 1 << 20;
pub const MAX_TITLE_CHARS: usize = 200;

/// A validated scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub title: String,
    pub ios: IosVersion,
    pub network: Network,
    /// The Wi-Fi is an attacker's, mounting this attack while the phone is
    /// on it; `None`: the home Wi-Fi.
    pub attack: Option<Attack>,
    /// Which IP versions the Wi-Fi and the cellular network give the phone
    /// (`wifi_ip`, `cellular_ip`; IPv4 only unless the file says).
    pub ip: IpModes,
    /// Milliseconds of simulated time the scenario covers.
    pub duration_ms: u64,
    /// Where a page showing the scenario opens (`moment`): the moment its
    /// point shows, when the file names one; else the page works it out
    /// (the first moment the kill switch changes something once the
    /// tunnel is up).
    pub moment_ms: Option<u64>,
    pub seed: u64,
    /// Whether the user lets apps post notifications (the update warning).
    pub notifications: bool,
    /// `None`: no VPN configured.
    pub vpn: Option<VpnConfig>,
    /// The vendor preset `vpn` starts from (`[vpn]` keys override it).
    pub preset: Option<&'static str>,
    /// The configuration profile whose VPN payload replaced `[vpn]` (its
    /// name), when one was given (`--profile`, the playground's import).
    pub profile: Option<String>,
    pub assume: Assumptions,
    pub flows: Vec<Flow>,
    /// Sorted by time; events at the same time keep file order.
    pub events: Vec<Event>,
    pub expects: Vec<Expect>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flow {
    pub name: String,
    pub kind: FlowKind,
    /// The IP versions its app may use (`family`; `auto` unless the file
    /// says).
    pub family: FamilyChoice,
    pub open_ms: u64,
    /// When it closes, clipped to the scenario's end.
    pub close_ms: u64,
    pub line: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub at_ms: u64,
    pub action: Action,
    /// The `do` text as written.
    pub text: String,
    pub line: usize,
    /// Its place among the file's `[[event]]` tables (the list above is
    /// sorted by time; the playground edits the file's own list).
    pub position: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Connect,
    Disconnect,
    Network(Network),
    Airplane(bool),
    /// The tunnel provider goes away without the user asking.
    TunnelLost,
    Set(Setting),
    /// The VPN app learns that a newer version is in the App Store.
    UpdateAvailable,
    /// The App Store downloads and installs the VPN app; milliseconds it
    /// takes when nothing stops it.
    AppUpdate(u64),
    Reboot,
}

/// One event keyword of the format: the one table the parser's choices,
/// the "needs a VPN" check and the playground's event menu all come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventKeyword {
    /// As written after `do =`; a keyword ending in `:` takes a value
    /// (`set:<vpn property>=<value>`).
    pub keyword: &'static str,
    /// Only meaningful with a `[vpn]` table (the parser refuses it without
    /// one; the playground drops it with the VPN).
    pub needs_vpn: bool,
    /// Offered by the playground's "add an event" menu.
    pub offered: bool,
}

const fn keyword(keyword: &'static str, needs_vpn: bool, offered: bool) -> EventKeyword {
    EventKeyword {
        keyword,
        needs_vpn,
        offered,
    }
}

/// Every event the format knows, in the order the docs list them.
pub const EVENT_KEYWORDS: &[EventKeyword] = &[
    keyword("connect", true, true),
    keyword("disconnect", true, true),
    keyword("network:wifi", false, true),
    keyword("network:cellular", false, true),
    keyword("airplane:on", false, true),
    keyword("airplane:off", false, true),
    keyword("tunnel:lost", true, true),
    keyword("update-available", true, true),
    keyword("app-update", true, true),
    keyword("reboot", false, true),
    keyword("set:", true, false),
];

/// The keyword row an event's `do` text belongs to.
pub fn event_keyword(text: &str) -> Option<&'static EventKeyword> {
    EVENT_KEYWORDS.iter().find(|k| {
        if k.keyword.ends_with(':') {
            text.starts_with(k.keyword)
        } else {
            text == k.keyword
        }
    })
}

/// The choices, as an error message lists them.
pub fn event_choices() -> String {
    let quoted: Vec<String> = EVENT_KEYWORDS
        .iter()
        .map(|k| match k.keyword {
            "set:" => "\"set:<vpn property>=<value>\"".to_string(),
            other => format!("\"{other}\""),
        })
        .collect();
    match quoted.split_last() {
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// How long an App Store update of the VPN app takes unless a scenario says.
pub const DEFAULT_UPDATE_MS: u64 = 20_000;

/// A `set:<property>=<value>` change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Setting {
    Flag(Prop, bool),
    Routes(Prop, Vec<Cidr>),
}

/// `{"property": key, "value": true | ["10.0.0.0/8", …]}`.
impl serde::Serialize for Setting {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("Setting", 2)?;
        out.serialize_field("property", self.key())?;
        match self {
            Setting::Flag(_, value) => out.serialize_field("value", value)?,
            Setting::Routes(_, routes) => out.serialize_field("value", routes)?,
        }
        out.end()
    }
}

impl Scenario {
    /// The same scenario with a `[vpn]` switch flipped from the value it
    /// starts with (events that set it later still do); `None` when there
    /// is no VPN or the release does not have the switch.
    pub fn with_flag_flipped(&self, prop: Prop) -> Option<Scenario> {
        let mut flipped = self.clone();
        let vpn = flipped.vpn.as_mut()?;
        let on = vpn.flag(prop)?;
        Setting::Flag(prop, !on).apply(vpn);
        Some(flipped)
    }
}

impl Setting {
    /// The property's key in a scenario's `[vpn]` table.
    pub fn key(&self) -> &'static str {
        let (Setting::Flag(prop, _) | Setting::Routes(prop, _)) = self;
        crate::facts::property(*prop).key
    }

    pub fn apply(&self, vpn: &mut VpnConfig) {
        match self {
            Setting::Flag(prop, value) => {
                let slot = match prop {
                    Prop::IncludeAllNetworks => &mut vpn.include_all_networks,
                    Prop::ExcludeLocalNetworks => &mut vpn.exclude_local_networks,
                    Prop::ExcludeApns => &mut vpn.exclude_apns,
                    Prop::ExcludeCellularServices => &mut vpn.exclude_cellular_services,
                    Prop::ExcludeDeviceCommunication => &mut vpn.exclude_device_communication,
                    Prop::EnforceRoutes => &mut vpn.enforce_routes,
                    Prop::OnDemand => {
                        vpn.on_demand = *value;
                        return;
                    }
                    Prop::ServerByName => {
                        vpn.server_by_name = *value;
                        return;
                    }
                    Prop::ReportsServerAddress => {
                        vpn.reports_server_address = *value;
                        return;
                    }
                    Prop::IncludedRoutes | Prop::ExcludedRoutes => return,
                };
                *slot = Some(*value);
            }
            Setting::Routes(Prop::IncludedRoutes, routes) => vpn.included_routes = routes.clone(),
            Setting::Routes(_, routes) => vpn.excluded_routes = routes.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expect {
    pub flow: String,
    pub at_ms: u64,
    pub route: Route,
    pub seen_as: Option<SeenAs>,
    pub interface: Option<Interface>,
    pub family: Option<Family>,
    pub line: usize,
}

/// One problem in a scenario file, at a 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// All the problems found in one file, in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioErrors(pub Vec<ScenarioError>);

impl ScenarioErrors {
    /// One `file:line:column: message` line per problem.
    pub fn render(&self, file: &str) -> String {
        self.0
            .iter()
            .map(|e| format!("{file}:{e}"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render("scenario"))
    }
}

#[cfg(test)]
mod tests;
