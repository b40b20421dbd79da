//! The playground's model: what the page shows, as plain data, and the
//! actions that change it. No web types here, so it is tested natively;
//! `src/web/` only renders it and turns clicks into [`Action`]s.
//!
//! The scenario's TOML text is the source of truth: the controls edit it
//! (through a TOML table, so every edit is also a valid scenario file), the
//! editor shows it, the share link carries it.

pub mod case;
pub mod edits;
pub mod url;

use crate::difference::{Difference, NoComparison};
use crate::engine::{self, PacketRun, Simulation};
use crate::facts;
use crate::library::{self, LIBRARY};
use crate::model::{Attack, Route};
use crate::presets;
use crate::scenario::document::{Node, Table, Value};
use crate::scenario::{self, Scenario, ScenarioErrors};
use crate::support;
use crate::trace::Trace;
use std::cell::RefCell;
use std::rc::Rc;

/// The scenario the page opens on: the one the product grew from.
pub const DEFAULT_SCENARIO: &str = "ian-ios16-1-apple-leak";

/// A scenario run through both planes.
#[derive(Debug)]
pub struct Analysis {
    pub scenario: Scenario,
    /// Shared with the run under way while its packets are computed.
    pub trace: Rc<Trace>,
    pub run: PacketRun,
}

impl Analysis {
    /// The whole run, at once.
    pub fn of(scenario: Scenario) -> Analysis {
        let (trace, run) = engine::simulate(&scenario);
        Analysis {
            scenario,
            trace: Rc::new(trace),
            run,
        }
    }

    fn finished(simulation: Simulation) -> Analysis {
        let scenario = Rc::clone(simulation.scenario());
        let (trace, run) = simulation.finish();
        Analysis {
            scenario: Rc::unwrap_or_clone(scenario),
            trace: Rc::new(trace),
            run,
        }
    }

    /// A run still under way: its control plane, no packets yet.
    fn preview(simulation: &Simulation) -> Analysis {
        Analysis {
            scenario: (**simulation.scenario()).clone(),
            trace: Rc::clone(simulation.control_plane()),
            run: PacketRun::default(),
        }
    }
}

/// How many packet events the page's first slice after the first task
/// takes: about [`SLICE_MS`] on a desktop; later slices are sized by what
/// the last took. Every library scenario takes hundreds at most, so it is
/// done in its very first slice ([`FIRST_SLICE`]).
pub const SLICE: u64 = 5_000;

/// How long the page lets one slice take, in wall-clock milliseconds: the
/// page runs a slice per task, and between tasks it answers clicks and
/// keys, so a large run never freezes it (a phone is slower than a
/// desktop, so slices are sized by what the last one took).
pub const SLICE_MS: f64 = 30.0;

/// The next slice's size in packet events, from the last one's (`events`)
/// and the milliseconds it took: aimed at [`SLICE_MS`], at most twice or
/// half the last, never under 1,000 events (the run must move on) nor over
/// 200,000.
pub fn next_slice(events: u64, took_ms: f64) -> u64 {
    let aimed = if took_ms.is_finite() && took_ms > 0.0 {
        (events as f64 * SLICE_MS / took_ms) as u64
    } else {
        events.saturating_mul(2)
    };
    aimed
        .clamp(events / 2, events.saturating_mul(2))
        .clamp(1_000, 200_000)
}

/// The first slice, run at once with the change that started the run: as
/// small as every library scenario allows, since the change, the control
/// plane and the page's drawing share its task.
pub const FIRST_SLICE: u64 = 2_000;

/// A scenario started: its analysis, done in the first slice, or else its
/// preview and the simulation still running.
fn start(scenario: Scenario) -> (Analysis, Option<Simulation>) {
    let mut simulation = Simulation::start(Rc::new(scenario));
    if simulation.advance(FIRST_SLICE) {
        (Analysis::finished(simulation), None)
    } else {
        (Analysis::preview(&simulation), Some(simulation))
    }
}

/// Runs that did not finish in their first slice: the page shows their
/// control plane at once, and [`Action::Continue`] runs the next slice
/// (the page sends it from a fresh task until nothing is left).
#[derive(Clone)]
pub struct Running {
    work: Rc<RefCell<Work>>,
    /// How many slices have run: the page's cue to schedule the next.
    pub slices: u64,
    /// How far the packets have got and where they end, in simulated ms.
    pub progress_ms: (u64, u64),
}

#[derive(Default)]
struct Work {
    main: Option<Simulation>,
    compare: Option<(String, Simulation)>,
    /// The comparison of a scenario still running, started once the
    /// scenario's own run is done: starting both in one task would make it
    /// twice as long (the page must answer between tasks).
    pending: Option<(String, Scenario)>,
}

impl std::fmt::Debug for Running {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Running")
            .field("slices", &self.slices)
            .field("progress_ms", &self.progress_ms)
            .finish_non_exhaustive()
    }
}

impl Work {
    fn progress_ms(&self) -> (u64, u64) {
        self.main
            .as_ref()
            .or(self.compare.as_ref().map(|(_, s)| s))
            .map_or((0, 0), Simulation::progress_ms)
    }
}

/// Where the current text came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Library(&'static str),
    Edited,
}

#[derive(Clone, Debug)]
pub struct Playground {
    pub text: String,
    pub origin: Origin,
    /// The last text that parsed, run; shown while the text has errors.
    pub analysis: Rc<Analysis>,
    /// The property the page compares by flipping it: the kill switch
    /// unless the reader chose another (a key of [`facts::PROPERTIES`]);
    /// `None` when the reader turned the comparison off.
    pub comparing: Option<&'static str>,
    /// The same scenario with that property flipped, when it can be (the
    /// scenario has a VPN, on a release that has the property).
    pub compare: Option<(String, Rc<Analysis>)>,
    /// Which of the two runs the reader is looking at: the phone's one
    /// drawing shows it, and the inspector explains it.
    pub side: Side,
    /// The built-in scenario the view started from, kept through edits
    /// (`None` for a scenario that came whole from a link or a file).
    pub base: Option<&'static str>,
    /// Problems with the current text (nothing is lost: the text stays).
    pub errors: Option<ScenarioErrors>,
    /// A message about something that did not work (a bad link, say).
    pub notice: Option<String>,
    pub time_ms: u64,
    pub playing: bool,
    /// Simulated milliseconds per real second.
    pub speed: u32,
    /// The selected flow, by name.
    pub selected: Option<String>,
    /// Support mode: the symptom being answered (an id in
    /// [`crate::support::SYMPTOMS`]).
    pub support: Option<&'static str>,
    /// Runs still under way, a slice at a time.
    pub running: Option<Running>,
}

/// Everything the page can ask for.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    LoadLibrary(String),
    /// Answer a symptom (loads its scenario), or leave support mode.
    Support(Option<String>),
    EditText(String),
    /// A scenario file the reader opened: a scenario of its own, not an
    /// edit of the one shown.
    OpenFile(String),
    /// "Your iPhone": the reader's own case, as a scenario of its own.
    FindCase(case::Case),
    /// Set a top-level key (`ios`, `network`) to a string.
    SetTop(&'static str, String),
    /// Set a network's IP mode (IPv4 only, the default, leaves the key out).
    SetIpMode(crate::model::Network, crate::model::IpMode),
    /// Make the Wi-Fi an attacker's mounting this attack, or (`None`) the
    /// home Wi-Fi again.
    SetAttack(Option<Attack>),
    /// Configure the VPN as a vendor's app does (its settings leave
    /// `[vpn]`, so the preset's apply), or (`None`) detach from the preset,
    /// writing what it set into `[vpn]` so nothing changes.
    SetPreset(Option<String>),
    /// A configuration profile (uploaded or pasted), as parsed: its VPN
    /// payload's switches replace the `[vpn]` flags, and the notice says
    /// what was read and what was not; a bad profile changes nothing.
    ImportProfile(Result<crate::profile::Value, String>),
    /// Set (or, with `None`, remove) a `[vpn]` flag.
    SetVpnFlag(String, Option<bool>),
    /// Add or remove the `[vpn]` table.
    SetVpn(bool),
    SetAssumption(String, Option<bool>),
    /// Set (or, with `None`, remove) an assumption that names an outcome.
    SetAssumptionChoice(String, Option<String>),
    /// Change the release; `[vpn]` settings it lacks are dropped, and said.
    SetIos(String),
    AddEvent {
        at_ms: u64,
        action: String,
    },
    /// Remove the event at this place among the file's `[[event]]`
    /// tables ([`crate::scenario::Event::position`]).
    RemoveEvent(usize),
    /// Move the event at this place in the file to another time.
    MoveEvent(usize, u64),
    /// Compare with one `[vpn]` flag flipped (or stop comparing).
    Compare(Option<String>),
    /// Look at one of the two runs (the phone's On/Off switch, a click in
    /// a drawing).
    Show(Side),
    Select(Option<String>),
    Seek(u64),
    /// Advance the clock by this much simulated time (while playing).
    Tick(u64),
    Play(bool),
    TogglePlay,
    SetSpeed(u32),
    /// Jump to the next or previous event or packet.
    Step(Step),
    Dismiss,
    /// Show a message (something the page could not do).
    Notify(String),
    /// Replace the whole view with the one a link (a page and its
    /// fragment) describes.
    OpenLink(url::Page, String),
    /// Run the next slice of a run still under way: this many packet
    /// events at most (the page sizes slices to its device: [`next_slice`]).
    Continue(u64),
}

/// One of the two runs the page compares.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Side {
    /// The scenario as configured.
    #[default]
    Configured,
    /// The same scenario with the compared property flipped.
    Flipped,
}

/// The property the page compares by default: the kill switch.
pub const KILL_SWITCH: &str = "include_all_networks";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    NextEvent,
    PreviousEvent,
    NextPacket,
    PreviousPacket,
}

thread_local! {
    /// A scenario text read ahead of its use ([`url::prepare`]), and what
    /// reading it gave.
    static PREPARED: RefCell<Option<(String, Result<Scenario, ScenarioErrors>)>> =
        const { RefCell::new(None) };
}

/// Reads `text` now, for the [`Action`] that sets it next.
fn prepare_text(text: String) {
    let read = scenario::parse(&text);
    PREPARED.set(Some((text, read)));
}

/// `text` read: what [`prepare_text`] read if it was this text, or else
/// read now. (Reading is a pure function of the text, so which task does
/// it changes nothing but the page's responsiveness.)
fn read(text: &str) -> Result<Scenario, ScenarioErrors> {
    match PREPARED.take() {
        Some((prepared, read)) if prepared == text => read,
        _ => scenario::parse(text),
    }
}

/// A built-in scenario's analysis, run once per page: the same file always
/// runs the same way, and the default one is the base every link starts
/// from (even one that then replaces it with its own scenario).
fn library_analysis(built_in: &'static library::BuiltIn) -> Rc<Analysis> {
    thread_local! {
        static RUN: RefCell<Vec<(&'static str, Rc<Analysis>)>> = const { RefCell::new(Vec::new()) };
    }
    RUN.with_borrow_mut(|runs| {
        if let Some((_, analysis)) = runs.iter().find(|(name, _)| *name == built_in.name) {
            return Rc::clone(analysis);
        }
        let scenario = built_in.parse().expect("library files are valid");
        let analysis = Rc::new(Analysis::of(scenario));
        runs.push((built_in.name, Rc::clone(&analysis)));
        analysis
    })
}

/// A built-in scenario with `prop` flipped, run once per page (the page
/// compares every scenario with its kill switch flipped).
fn library_twin(built_in: &'static library::BuiltIn, prop: facts::Prop) -> Option<Rc<Analysis>> {
    thread_local! {
        static RUN: RefCell<Vec<(&'static str, facts::Prop, Rc<Analysis>)>> = const { RefCell::new(Vec::new()) };
    }
    RUN.with_borrow_mut(|runs| {
        if let Some((.., analysis)) = runs
            .iter()
            .find(|(name, p, _)| *name == built_in.name && *p == prop)
        {
            return Some(Rc::clone(analysis));
        }
        let scenario = library_analysis(built_in)
            .scenario
            .with_flag_flipped(prop)?;
        let analysis = Rc::new(Analysis::of(scenario));
        runs.push((built_in.name, prop, Rc::clone(&analysis)));
        Some(analysis)
    })
}

impl Default for Playground {
    fn default() -> Self {
        let built_in = library::find(DEFAULT_SCENARIO)
            .or(LIBRARY.first())
            .expect("the library is not empty");
        Playground::of_library(built_in)
    }
}

impl Playground {
    /// A built-in scenario, unedited, at its start.
    pub fn of_library(built_in: &'static library::BuiltIn) -> Playground {
        let mut playground = Playground {
            text: built_in.text.to_string(),
            origin: Origin::Library(built_in.name),
            analysis: library_analysis(built_in),
            comparing: Some(KILL_SWITCH),
            compare: None,
            side: Side::Configured,
            base: Some(built_in.name),
            errors: None,
            notice: None,
            time_ms: 0,
            playing: false,
            speed: 2_000,
            selected: None,
            support: None,
            running: None,
        };
        playground.compare_with(Some(KILL_SWITCH.to_string()));
        playground.time_ms = playground.telling_moment();
        playground
    }

    /// What flipping the compared property changes here, or why nothing
    /// can be compared; `None` when the reader turned the comparison off.
    pub fn difference(&self) -> Option<Result<Difference, NoComparison>> {
        difference(
            self.comparing?,
            &self.analysis,
            self.compare.as_ref().map(|(_, other)| &**other),
        )
    }

    /// Where the page opens: the first moment its point shows
    /// ([`Difference::telling_moment`]), or the start.
    pub fn telling_moment(&self) -> u64 {
        if let Some(named) = self.analysis.scenario.moment_ms {
            return named;
        }
        let states = &self.analysis.trace.states;
        let moment = match self.difference() {
            Some(Ok(difference)) => difference.telling_moment(states),
            _ => states
                .iter()
                .find(|s| s.tunnel == crate::model::TunnelState::Connected)
                .map(|s| s.from_ms),
        };
        moment.unwrap_or(0).min(self.end_ms().saturating_sub(1))
    }

    /// The view's heading, also its tab's title: the scenario's title, and
    /// for an edited view what was changed from the built-in one.
    pub fn heading(&self) -> String {
        let title = &self.analysis.scenario.title;
        if self.origin != Origin::Edited {
            return title.clone();
        }
        let base = self.base.and_then(library::find);
        let Some(base) = base.map(library_analysis) else {
            // A whole scenario of its own (a file, a link): its title.
            return title.clone();
        };
        // A new title is a scenario of the reader's own: its title says it.
        if *title != base.scenario.title {
            return title.clone();
        }
        let changed = edits::between(&base.scenario, &self.analysis.scenario);
        if changed.is_empty() {
            format!("{title} (edited)")
        } else {
            format!("{title} — Edited: {}", crate::words::edits(&changed))
        }
    }

    /// The run the reader is looking at.
    pub fn shown(&self) -> &Rc<Analysis> {
        match (self.side, &self.compare) {
            (Side::Flipped, Some((_, other))) => other,
            _ => &self.analysis,
        }
    }

    pub fn end_ms(&self) -> u64 {
        self.analysis.scenario.duration_ms
    }

    /// Applies an action; returns the new state (a new value, so views
    /// that compare by pointer re-render).
    pub fn reduce(self: &Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (**self).clone();
        next.apply(action);
        Rc::new(next)
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::LoadLibrary(name) => self.load_library(name),
            Action::Support(None) => self.support = None,
            Action::Support(Some(id)) => self.answer(id),
            Action::EditText(text) => {
                self.origin = Origin::Edited;
                self.set_text(text);
            }
            Action::OpenFile(text) => {
                self.origin = Origin::Edited;
                self.base = None;
                self.set_text(text);
            }
            Action::FindCase(case) => {
                self.apply(Action::OpenFile(case.scenario_text()));
                self.support = None;
                self.selected = None;
                self.time_ms = self.telling_moment();
            }
            Action::SetTop(key, value) => {
                self.edit(|table| {
                    table.insert(key, Value::String(value));
                });
            }
            Action::SetIpMode(network, mode) => self.edit(|table| {
                let key = match network {
                    crate::model::Network::Wifi => "wifi_ip",
                    crate::model::Network::Cellular => "cellular_ip",
                };
                if mode == crate::model::IpMode::Ipv4Only {
                    table.remove(key);
                } else {
                    table.insert(key, Value::String(mode.as_str().to_string()));
                }
            }),
            Action::SetAttack(attack) => self.edit(|table| match attack {
                Some(attack) => table.insert("attack", Value::String(attack.as_str().to_string())),
                None => {
                    table.remove("attack");
                }
            }),
            Action::SetPreset(name) => self.set_preset(name),
            Action::ImportProfile(parsed) => self.import_profile(parsed),
            Action::SetVpnFlag(key, value) => {
                self.edit(|table| set_flag(table, "vpn", key, value));
            }
            Action::SetVpn(on) => self.set_vpn(on),
            Action::SetAssumption(key, value) => {
                self.edit(|table| set_flag(table, "assume", key, value));
            }
            Action::SetAssumptionChoice(key, value) => self.edit(|table| {
                let assume = table.table_mut("assume");
                match value {
                    Some(value) => assume.insert(&key, Value::String(value)),
                    None => assume.remove(&key),
                }
            }),
            Action::SetIos(ios) => self.set_ios(ios),
            Action::AddEvent { at_ms, action } => self.add_event(at_ms, action),
            Action::RemoveEvent(index) => self.edit(|table| {
                if let Some(events) = events_mut(table)
                    && index < events.len()
                {
                    events.remove(index);
                }
            }),
            Action::MoveEvent(index, at_ms) => self.move_event(index, at_ms),
            Action::Compare(key) => {
                self.comparing = key
                    .as_deref()
                    .and_then(facts::property_by_key)
                    .map(|p| p.key);
                self.compare_with(key);
            }
            Action::Show(side) => self.side = side,
            Action::Continue(events) => self.continue_running(events),
            Action::Select(flow) => self.selected = flow,
            Action::Seek(ms) => self.time_ms = ms.min(self.end_ms().saturating_sub(1)),
            Action::Tick(ms) => {
                if self.playing {
                    let end = self.end_ms().saturating_sub(1);
                    self.time_ms = (self.time_ms + ms).min(end);
                    if self.time_ms >= end {
                        self.playing = false;
                    }
                }
            }
            Action::Play(on) => {
                if on && self.time_ms + 1 >= self.end_ms() {
                    self.time_ms = 0;
                }
                self.playing = on;
            }
            Action::TogglePlay => {
                let on = !self.playing;
                self.apply(Action::Play(on));
            }
            Action::SetSpeed(speed) => self.speed = speed.clamp(100, 600_000),
            Action::Step(step) => {
                self.playing = false;
                self.time_ms = self.step_target(step).unwrap_or(self.time_ms);
            }
            Action::Dismiss => self.notice = None,
            Action::Notify(message) => self.notice = Some(message),
            Action::OpenLink(page, fragment) => *self = (*url::open(page, &fragment)).clone(),
        }
    }

    /// A built-in scenario by name, unedited, at its telling moment.
    fn load_library(&mut self, name: String) {
        match library::find(&name) {
            Some(built_in) => {
                self.origin = Origin::Library(built_in.name);
                self.base = Some(built_in.name);
                self.set_text(built_in.text.to_string());
                self.time_ms = self.telling_moment();
                self.selected = None;
                // Another scenario answers another question.
                self.support = None;
            }
            None => self.notice = Some(format!("no built-in scenario is named `{name}`")),
        };
    }

    /// Support mode on a symptom: its scenario, at the moment it shows.
    fn answer(&mut self, id: String) {
        match support::symptom(&id) {
            Some(symptom) => {
                // Its scenario, compared as every scenario is (what the
                // kill switch changes is half of most answers).
                self.apply(Action::LoadLibrary(symptom.scenario.to_string()));
                self.support = Some(symptom.id);
                // Open where the symptom shows (a link's `t` still wins).
                self.apply(Action::Seek(symptom.moment_ms));
            }
            None => {
                self.notice = Some(format!(
                    "`{id}` is not a symptom support mode knows: choose {}",
                    support::symptom_choices()
                ))
            }
        };
    }

    /// Adds or removes the `[vpn]` table (events that need a VPN go with it).
    fn set_vpn(&mut self, on: bool) {
        self.edit(|table| {
            if on {
                table.table_mut("vpn");
            } else {
                table.remove("vpn");
                // Events that need a VPN go with it; the rest stay.
                if let Some(events) = events_mut(table) {
                    events.retain(|e| {
                        let action = e.value.as_table().and_then(|t| t.get("do"));
                        action
                            .and_then(|d| d.value.as_str())
                            .and_then(scenario::event_keyword)
                            .is_some_and(|k| !k.needs_vpn)
                    });
                }
            }
        });
    }

    /// Adds an `[[event]]` at `at_ms`.
    fn add_event(&mut self, at_ms: u64, action: String) {
        self.edit(|table| {
            let mut event = Table::default();
            event.insert("at", Value::String(scenario::duration::format(at_ms)));
            event.insert("do", Value::String(action));
            match events_mut(table) {
                Some(events) => events.push(Node::new(Value::Table(event))),
                None => table.insert("event", Value::Array(vec![Node::new(Value::Table(event))])),
            }
        });
    }

    /// Moves the event at this place in the file to another time.
    fn move_event(&mut self, index: usize, at_ms: u64) {
        self.edit(|table| {
            if let Some(Node {
                value: Value::Table(event),
                ..
            }) = events_mut(table).and_then(|events| events.get_mut(index))
            {
                event.insert("at", Value::String(scenario::duration::format(at_ms)));
            }
        });
    }

    /// Configures the VPN as a vendor's app does, or detaches from the
    /// preset keeping what it set ([`Action::SetPreset`]).
    fn set_preset(&mut self, name: Option<String>) {
        let current = self.analysis.trace.scenario.preset;
        let release = crate::version::IosVersion::parse(&self.analysis.trace.scenario.ios).ok();
        self.edit(|table| match name.as_deref().and_then(presets::find) {
            Some(preset) => {
                table.insert("preset", Value::String(preset.name.to_string()));
                let vpn = table.table_mut("vpn");
                for (prop, _) in preset.sets {
                    vpn.remove(facts::property(*prop).key);
                }
                vpn.remove("on_demand");
            }
            None => {
                table.remove("preset");
                let Some(preset) = current.and_then(presets::find) else {
                    return;
                };
                let vpn = table.table_mut("vpn");
                for (prop, on) in preset.sets {
                    let property = facts::property(*prop);
                    let key = property.key;
                    let available = release.is_some_and(|r| r >= property.since);
                    if available && vpn.get(key).is_none() {
                        vpn.insert(key, Value::Boolean(*on));
                    }
                }
                if vpn.get("on_demand").is_none() && preset.on_demand {
                    vpn.insert("on_demand", Value::Boolean(true));
                }
                let routes = facts::property(facts::Prop::IncludedRoutes).key;
                if vpn.get(routes).is_none() && preset.routes != facts::FULL_TUNNEL {
                    let list = preset
                        .routes
                        .iter()
                        .map(|r| Node::new(Value::String(r.to_string())));
                    vpn.insert(routes, Value::Array(list.collect()));
                }
            }
        });
    }

    /// A configuration profile's VPN switches replace `[vpn]`'s
    /// ([`Action::ImportProfile`]).
    fn import_profile(&mut self, parsed: Result<crate::profile::Value, String>) {
        let ios = self.analysis.scenario.ios;
        match parsed.and_then(|value| crate::profile::from_value(&value, ios)) {
            Err(error) => self.notice = Some(format!("the profile was not imported: {error}")),
            Ok(profile) => {
                self.edit(|table| {
                    table.remove("preset");
                    let vpn = table.table_mut("vpn");
                    for property in facts::PROPERTIES {
                        if matches!(property.default, facts::PropDefault::Bool(_)) {
                            vpn.remove(property.key);
                        }
                    }
                    vpn.remove("on_demand");
                    for (prop, on) in &profile.set {
                        vpn.insert(facts::property(*prop).key, Value::Boolean(*on));
                    }
                });
                if self.notice.is_none() {
                    self.notice = Some(format!(
                        "Imported the profile: {}",
                        profile.summary().join("; ")
                    ));
                }
            }
        }
    }

    /// Changes the release; `[vpn]` settings it lacks are dropped, and
    /// said ([`Action::SetIos`]).
    fn set_ios(&mut self, ios: String) {
        let Ok(version) = crate::version::IosVersion::parse(&ios) else {
            self.notice = Some(format!("`{ios}` is not a release the model covers"));
            return;
        };
        let mut dropped: Vec<String> = Vec::new();
        self.edit(|table| {
            table.insert("ios", Value::String(ios.clone()));
            if let Some(Node {
                value: Value::Table(vpn),
                ..
            }) = table.get_mut("vpn")
            {
                vpn.entries.retain(|(key, _)| {
                    let keep =
                        crate::facts::property_by_key(&key.name).is_none_or(|p| version >= p.since);
                    if !keep {
                        dropped.push(key.name.clone());
                    }
                    keep
                });
            }
        });
        if !dropped.is_empty() {
            self.notice = Some(format!(
                "iOS {version} has no {}: removed from the scenario",
                dropped.join(", ")
            ));
        }
    }

    /// Replaces the text; runs it if it parses, keeps the last good run if
    /// it does not (the errors are shown, nothing is lost).
    fn set_text(&mut self, text: String) {
        // The same text runs the same way (the engine is deterministic):
        // opening a link to the scenario already shown costs nothing.
        if text == self.text && self.errors.is_none() {
            return;
        }
        self.text = text;
        // A built-in scenario, unedited, has run before on this page.
        let parsed = match self.unedited_library() {
            Some(built_in) => Ok((library_analysis(built_in), None)),
            None => read(&self.text).map(|scenario| {
                let (analysis, running) = start(scenario);
                (Rc::new(analysis), running)
            }),
        };
        match parsed {
            Ok((analysis, running)) => {
                // What was running for the old text is of no use now.
                self.running = None;
                self.analysis = analysis;
                if running.is_some() {
                    self.work().borrow_mut().main = running;
                }
                self.errors = None;
                self.time_ms = self.time_ms.min(self.end_ms().saturating_sub(1));
                self.compare_with(self.comparing.map(str::to_string));
                self.update_running();
            }
            Err(errors) => self.errors = Some(errors),
        }
    }

    /// Compares with `[vpn].key` flipped (or stops comparing).
    fn compare_with(&mut self, key: Option<String>) {
        self.compare = None;
        if let Some(running) = &self.running {
            let mut work = running.work.borrow_mut();
            work.compare = None;
            work.pending = None;
        }
        let Some(property) = key.as_deref().and_then(facts::property_by_key) else {
            self.update_running();
            return;
        };
        let key = property.key.to_string();
        if let Some(built_in) = self.unedited_library() {
            self.compare = library_twin(built_in, property.prop).map(|twin| (key, twin));
        } else if let Some(scenario) = self.analysis.scenario.with_flag_flipped(property.prop) {
            let main_running = self
                .running
                .as_ref()
                .is_some_and(|r| r.work.borrow().main.is_some());
            if main_running {
                self.work().borrow_mut().pending = Some((key, scenario));
                self.update_running();
                return;
            }
            let (analysis, running) = start(scenario);
            self.compare = Some((key.clone(), Rc::new(analysis)));
            if let Some(simulation) = running {
                self.work().borrow_mut().compare = Some((key, simulation));
            }
        }
        self.update_running();
    }

    /// The runs under way, started when needed.
    fn work(&mut self) -> Rc<RefCell<Work>> {
        let running = self.running.get_or_insert_with(|| Running {
            work: Rc::default(),
            slices: 0,
            progress_ms: (0, 0),
        });
        Rc::clone(&running.work)
    }

    /// Forgets the runs once none is left; else notes their progress.
    fn update_running(&mut self) {
        let Some(running) = &mut self.running else {
            return;
        };
        let work = running.work.borrow();
        if work.main.is_none() && work.compare.is_none() && work.pending.is_none() {
            drop(work);
            self.running = None;
        } else {
            running.progress_ms = work.progress_ms();
        }
    }

    /// Runs the next slice of what is under way: the scenario's own run,
    /// then its comparison's.
    fn continue_running(&mut self, events: u64) {
        let Some(running) = &mut self.running else {
            return;
        };
        running.slices += 1;
        let work = Rc::clone(&running.work);
        let mut work = work.borrow_mut();
        if let Some(simulation) = work.main.as_mut() {
            if simulation.advance(events) {
                let simulation = work.main.take().expect("it is there");
                self.analysis = Rc::new(Analysis::finished(simulation));
                self.time_ms = self.time_ms.min(self.end_ms().saturating_sub(1));
            }
        } else if let Some((key, scenario)) = work.pending.take() {
            // The comparison's start (its control plane and first slice)
            // is this task's work.
            let (analysis, running) = start(scenario);
            self.compare = Some((key.clone(), Rc::new(analysis)));
            work.compare = running.map(|simulation| (key, simulation));
        } else if let Some((_, simulation)) = work.compare.as_mut()
            && simulation.advance(events)
        {
            let (key, simulation) = work.compare.take().expect("it is there");
            self.compare = Some((key, Rc::new(Analysis::finished(simulation))));
        }
        drop(work);
        self.update_running();
    }

    /// Edits the text through its TOML table. A text that is not valid
    /// TOML cannot be edited this way; the message says why.
    fn edit(&mut self, change: impl FnOnce(&mut Table)) {
        let mut table = match Table::parse(&self.text) {
            Ok(table) => table,
            Err(_) => {
                self.notice = Some(
                    "fix the scenario text first: the controls edit it, and it does not parse as TOML".into(),
                );
                return;
            }
        };
        change(&mut table);
        self.origin = Origin::Edited;
        self.set_text(table.to_toml());
    }

    /// The built-in scenario shown, when its text is unedited.
    fn unedited_library(&self) -> Option<&'static library::BuiltIn> {
        match self.origin {
            Origin::Library(name) => library::find(name).filter(|b| b.text == self.text),
            Origin::Edited => None,
        }
    }

    fn step_target(&self, step: Step) -> Option<u64> {
        step_target(&self.analysis, self.time_ms, step)
    }

    /// Each flow's route at the current time (for the topology and lanes).
    pub fn routes_now(&self) -> Vec<(String, Option<Route>)> {
        self.analysis
            .trace
            .flows
            .iter()
            .map(|f| (f.name.clone(), f.segment_at(self.time_ms).map(|s| s.route)))
            .collect()
    }
}

/// The most flows the page draws at once (in the topology and the lanes):
/// past a dozen the labels no longer fit, and a run may have a thousand.
/// The rest are a pick away.
pub const DRAWN_FLOWS: usize = 12;

/// Which flows the page draws, by index: the first [`DRAWN_FLOWS`], and the
/// selected one when it is not among them.
pub fn drawn_flows(flows: &[crate::trace::FlowTrace], selected: Option<&str>) -> Vec<usize> {
    let mut drawn: Vec<usize> = (0..flows.len().min(DRAWN_FLOWS)).collect();
    if let Some(index) = selected.and_then(|name| flows.iter().position(|f| f.name == name))
        && index >= DRAWN_FLOWS
    {
        drawn.push(index);
    }
    drawn
}

/// What flipping the property `key` changes between `analysis` and
/// `compare` (its run with `key` flipped), or why nothing can be compared;
/// `None` for a key that is not a switch, or a comparison not yet run.
pub fn difference(
    key: &str,
    analysis: &Analysis,
    compare: Option<&Analysis>,
) -> Option<Result<Difference, NoComparison>> {
    let property = facts::property_by_key(key)?;
    let Some(vpn) = &analysis.scenario.vpn else {
        return Some(Err(NoComparison::NoVpn));
    };
    let Some(on) = vpn.flag(property.prop) else {
        return Some(Err(NoComparison::NotOnRelease {
            prop: property.prop,
            since: property.since,
        }));
    };
    Some(Ok(Difference::between(
        property.prop,
        on,
        &analysis.trace,
        &compare?.trace,
    )))
}

/// Where a step from `now` lands: the next or previous moment something
/// happens (a state change, an event, a decision) or a packet moves;
/// `None` at the end that has nothing further (the page disables the
/// button).
pub fn step_target(analysis: &Analysis, now: u64, step: Step) -> Option<u64> {
    let trace = &analysis.trace;
    let events = trace
        .states
        .iter()
        .map(|s| s.from_ms)
        .chain(trace.events.iter().map(|e| e.at_ms))
        .chain(
            trace
                .flows
                .iter()
                .flat_map(|f| f.segments.iter().map(|s| s.from_ms)),
        );
    // Packets are recorded in time order (a test checks): found by halves,
    // since the page asks on every frame and a run may hold 500,000.
    let packets = &analysis.run.packets;
    let ms = |i: usize| packets.get(i).map(|p| p.at_us / 1_000);
    match step {
        Step::NextEvent => events.filter(|t| *t > now).min(),
        Step::PreviousEvent => events.filter(|t| *t < now).max(),
        Step::NextPacket => ms(packets.partition_point(|p| p.at_us / 1_000 <= now)),
        Step::PreviousPacket => packets
            .partition_point(|p| p.at_us / 1_000 < now)
            .checked_sub(1)
            .and_then(ms),
    }
}

/// Sets (or, with `None`, removes) a boolean key in a `[section]` table,
/// creating the table when needed.
fn set_flag(table: &mut Table, section: &str, key: String, value: Option<bool>) {
    let section = table.table_mut(section);
    match value {
        Some(v) => section.insert(&key, Value::Boolean(v)),
        None => section.remove(&key),
    }
}

/// The `[[event]]` list, when the file has one.
fn events_mut(table: &mut Table) -> Option<&mut Vec<Node>> {
    match table.get_mut("event") {
        Some(Node {
            value: Value::Array(events),
            ..
        }) => Some(events),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
