//! The panels around the topology: controls, the timeline, the inspector,
//! the comparison, the editor, downloads and the spoken narration.
//! Presentational: they read the state and send actions.

//!
//! Each gets the slices of state it shows, so a clock tick re-renders only
//! what moves (the timeline's cursor, the packets, the narration, an open
//! inspector), and an edit re-renders only what depends on the run.

use super::Shared;
use super::style::route_style;
use super::topology::Layout;
use crate::engine::{CapturePoint, packet, pcap, pcapng};
use crate::facts::{self, AssumptionValue, PropDefault};
use crate::library::BuiltIn;
use crate::model::{Attack, IpMode, Network};
use crate::playground::{Action, Analysis, DRAWN_FLOWS, Step, drawn_flows, step_target};
use crate::report;
use crate::scenario::document::Table;
use crate::scenario::{EVENT_KEYWORDS, MAX_FILE_BYTES, Scenario, ScenarioErrors, duration};
use crate::words;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Simulated milliseconds as seconds with three decimals ("1.250"),
/// without float formatting.
pub(super) fn seconds(ms: u64) -> String {
    format!("{}.{:03}", ms / 1_000, ms % 1_000)
}

pub(super) fn select_value(e: &Event) -> String {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

pub(super) fn input_value(e: &Event) -> String {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

fn textarea_value(e: &InputEvent) -> String {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        .map(|t| t.value())
        .unwrap_or_default()
}

/// A file input's change: the chosen file, up to `limit` bytes, becomes an
/// action. The reader is kept in `reader` until it calls back; the input is
/// cleared, so the same file can be chosen again after it changes on disk.
fn on_file_chosen(
    dispatch: &Callback<Action>,
    reader: std::rc::Rc<std::cell::RefCell<Option<gloo::file::callbacks::FileReader>>>,
    limit: usize,
    what: &'static str,
    to_action: fn(Vec<u8>) -> Action,
) -> Callback<Event> {
    let dispatch = dispatch.clone();
    Callback::from(move |e: Event| {
        let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        let file = gloo::file::File::from(file);
        if file.size() > limit as u64 {
            dispatch.emit(Action::Notify(format!(
                "{} is {} bytes; {what} may be at most {limit} bytes",
                file.name(),
                file.size()
            )));
            return;
        }
        let dispatch = dispatch.clone();
        let name = file.name();
        *reader.borrow_mut() =
            Some(gloo::file::callbacks::read_as_bytes(
                &file,
                move |result| match result {
                    Ok(bytes) => dispatch.emit(to_action(bytes)),
                    Err(error) => {
                        dispatch.emit(Action::Notify(format!("could not read {name}: {error}")))
                    }
                },
            ));
    })
}

fn tri_state(value: &str) -> Option<bool> {
    match value {
        "on" => Some(true),
        "off" => Some(false),
        _ => None,
    }
}

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub analysis: Shared<Analysis>,
    /// The scenario's text: what it sets, as opposed to defaults.
    pub text: AttrValue,
    /// The built-in scenario shown unedited, if it is one.
    pub library: Option<&'static str>,
    pub dispatch: Callback<Action>,
}

#[component]
pub fn Controls(props: &ControlsProps) -> Html {
    let scenario = &props.analysis.scenario;
    let table = use_memo(props.text.clone(), |text| {
        Table::parse(text).unwrap_or_default()
    });
    // A scenario may have a thousand events: the list shows them a page at
    // a time, since a row per event would take longer to draw than a frame
    // allows (the text holds them all).
    // Another scenario (another title, or another built-in) starts from
    // the first page again; editing this one keeps what is listed.
    let shown_events = use_state_eq(|| EVENTS_SHOWN);
    {
        let shown = shown_events.clone();
        use_effect_with(
            (props.library, AttrValue::from(scenario.title.clone())),
            move |_| shown.set(EVENTS_SHOWN),
        );
    }
    let total_events = scenario.events.len();
    let more_events = (total_events > *shown_events).then(|| {
        let shown = shown_events.clone();
        let onclick = Callback::from(move |_| shown.set(*shown + EVENTS_SHOWN));
        html! {
            <li key="more" class="more">
                <button {onclick}>{ crate::words::more_events(*shown_events, total_events, EVENTS_SHOWN) }</button>
            </li>
        }
    });
    // Listed in time order; edited at their place in the file.
    let events = scenario.events.iter().take(*shown_events).enumerate().map(|(i, e)| {
        let position = e.position;
        let remove = props.dispatch.reform(move |_| Action::RemoveEvent(position));
        let onchange = props.dispatch.reform(move |ev: Event| {
            let at = duration::parse(&input_value(&ev)).unwrap_or(0);
            Action::MoveEvent(position, at)
        });
        html! {
            <li key={position}>
                <input class="at" value={duration::format(e.at_ms)} {onchange} aria-label={format!("time of event {}", i + 1)} />
                <code>{ e.text.clone() }</code>
                <button onclick={remove} aria-label={format!("remove event {}", i + 1)}>{ "remove" }</button>
            </li>
        }
    });
    html! {
        <>
            { place_fields(props.library, scenario, &props.dispatch) }
            <h3>{ "VPN" }</h3>
            { vpn_fields(scenario, &table, &props.dispatch) }
            { assumption_fields(scenario.ios, &table, &props.dispatch) }
            <h3>{ "Events" }</h3>
            <ul class="events">{ for events }{ more_events }</ul>
        </>
    }
}

/// Where the phone is: the built-in scenario, the release, the network,
/// an attacker's Wi-Fi and each network's IP versions.
fn place_fields(
    library_name: Option<&'static str>,
    scenario: &Scenario,
    dispatch: &Callback<Action>,
) -> Html {
    let ios = scenario.ios;
    let library = {
        let current = library_name.unwrap_or("");
        let onchange = dispatch.reform(|e: Event| Action::LoadLibrary(select_value(&e)));
        html! {
            <label class="field">
                <span>{ "Scenario" }</span>
                <select {onchange} aria-label="Scenario library">
                    if current.is_empty() {
                        <option selected=true value="">{ "(edited)" }</option>
                    }
                    { for crate::library::TOPICS.iter().map(|topic| html! {
                        <optgroup label={topic.title}>
                            { for crate::library::in_topic(topic).map(|BuiltIn { name, title, .. }| html! {
                                <option value={*name} selected={*name == current}>{ *title }</option>
                            }) }
                        </optgroup>
                    }) }
                </select>
            </label>
        }
    };
    let release = {
        let current = ios.to_string();
        let mut options: Vec<String> = crate::version::MODELLED
            .iter()
            .map(|m| m.version.to_string())
            .collect();
        if !options.contains(&current) {
            options.push(current.clone());
        }
        let onchange = dispatch.reform(|e: Event| Action::SetIos(select_value(&e)));
        html! {
            <label class="field">
                <span>{ "iOS" }</span>
                <select {onchange} aria-label="iOS release">
                    { for options.into_iter().map(|r| html! { <option selected={r == current} value={r.clone()}>{ r }</option> }) }
                </select>
            </label>
        }
    };
    let network = {
        let onchange = dispatch.reform(|e: Event| Action::SetTop("network", select_value(&e)));
        html! {
            <label class="field">
                <span>{ "Starts on" }</span>
                <select {onchange} aria-label="Network">
                    { for Network::ALL.iter().map(|n| html! { <option selected={*n == scenario.network} value={n.as_str()}>{ if *n == Network::Wifi { "Wi-Fi" } else { "cellular" } }</option> }) }
                </select>
            </label>
        }
    };
    let attack = {
        let onchange =
            dispatch.reform(|e: Event| Action::SetAttack(Attack::parse(&select_value(&e))));
        let current = scenario.attack;
        html! {
            <label class="field wide">
                <span>{ "Wi-Fi" }</span>
                <select {onchange} aria-label="Whose Wi-Fi">
                    <option value="" selected={current.is_none()}>{ "home (benign)" }</option>
                    { for Attack::ALL.iter().map(|a| html! {
                        <option value={a.as_str()} selected={current == Some(*a)}>{ format!("attacker's: {}", crate::words::attack_choice(*a)) }</option>
                    }) }
                </select>
            </label>
        }
    };
    let ip_mode = |network: Network, current: IpMode, label: &'static str| {
        let onchange = dispatch.reform(move |e: Event| {
            Action::SetIpMode(
                network,
                IpMode::parse(&select_value(&e)).unwrap_or(IpMode::Ipv4Only),
            )
        });
        html! {
            <label class="field">
                <span>{ label }</span>
                <select {onchange} aria-label={label}>
                    { for IpMode::ALL.iter().map(|m| html! {
                        <option value={m.as_str()} selected={*m == current}>{ crate::words::ip_mode(*m) }</option>
                    }) }
                </select>
            </label>
        }
    };
    let ip_modes = html! {
        <div class="row">
            { ip_mode(Network::Wifi, scenario.ip.wifi, "Wi-Fi IP") }
            { ip_mode(Network::Cellular, scenario.ip.cellular, "Cellular IP") }
        </div>
    };
    html! {
        <>
            { library }
            <div class="row">{ release }{ network }</div>
            { attack }
            { ip_modes }
        </>
    }
}

/// The VPN: configured or not, a vendor's preset, and each setting (as
/// the text writes it, or the preset's or Apple's default).
fn vpn_fields(scenario: &Scenario, table: &Table, dispatch: &Callback<Action>) -> Html {
    let ios = scenario.ios;
    let has_vpn = scenario.vpn.is_some();
    let vpn_toggle = {
        let onchange = dispatch.reform(move |_| Action::SetVpn(!has_vpn));
        html! {
            <label class="check"><input type="checkbox" checked={has_vpn} {onchange} />{ " VPN configured" }</label>
        }
    };
    let preset = {
        let onchange = dispatch.reform(|e: Event| {
            let name = select_value(&e);
            Action::SetPreset((!name.is_empty()).then_some(name))
        });
        let current = scenario.preset.unwrap_or("");
        html! {
            <label class="field wide">
                <span>{ "As a VPN app sets it" }</span>
                <select {onchange} aria-label="VPN app preset">
                    <option value="" selected={current.is_empty()}>{ "— the settings below —" }</option>
                    { for crate::presets::PRESETS.iter().map(|p| html! {
                        <option value={p.name} selected={p.name == current} title={p.setting}>{ words::preset(p) }</option>
                    }) }
                </select>
            </label>
        }
    };
    // What the text itself sets (as opposed to defaults); re-read only when
    // the text changes, not on every clock tick.
    let written = |key: &str| table.flag("vpn", key);
    let properties = facts::PROPERTIES.iter().filter(|p| matches!(p.default, PropDefault::Bool(_))).map(|p| {
        let available = ios >= p.since;
        // Unwritten, a property takes the preset's value if a preset sets
        // it, Apple's default otherwise: the option says which and what.
        let from_preset = scenario.preset.and_then(crate::presets::find).filter(|preset| preset.sets.iter().any(|(prop, _)| *prop == p.prop) || (p.prop == facts::Prop::OnDemand));
        let effective = scenario.vpn.as_ref().and_then(|v| v.flag(p.prop));
        let default = match (from_preset, p.default) {
            (Some(preset), _) => format!("{}: {}", words::preset(preset), if effective == Some(true) { "on" } else { "off" }),
            (None, PropDefault::Bool(b)) => format!("default ({})", if b { "on" } else { "off" }),
            (None, PropDefault::Routes(_)) => String::new(),
        };
        let value = written(p.key).map_or("default", |b| if b { "on" } else { "off" });
        let key = p.key.to_string();
        let onchange = dispatch.reform(move |e: Event| Action::SetVpnFlag(key.clone(), tri_state(&select_value(&e))));
        html! {
            <div class={classes!("property", (!available).then_some("unavailable"))}>
                <label>
                    <span class="setting-name">{ crate::words::setting_label(p.prop) }<code class="api-key">{ p.key }</code></span>
                    if available && has_vpn {
                        <select {onchange} name={p.key} aria-label={crate::words::setting_label(p.prop)}>
                            <option value="default" selected={value == "default"}>{ default }</option>
                            <option value="on" selected={value == "on"}>{ "on" }</option>
                            <option value="off" selected={value == "off"}>{ "off" }</option>
                        </select>
                    } else if !available {
                        <span class="since">{ format!("from iOS {}", p.since) }</span>
                    }
                </label>
                <small>{ p.meaning }</small>
            </div>
        }
    });
    html! {
        <>
            { vpn_toggle }
            { preset }
            { for properties }
        </>
    }
}

/// What the public record does not settle: each assumption as the text
/// writes it, or its default.
fn assumption_fields(
    ios: crate::version::IosVersion,
    table: &Table,
    dispatch: &Callback<Action>,
) -> Html {
    // Only what can change something on this release, and whatever the
    // scenario sets (so that it can be taken back).
    let written_here = |key: &str| {
        table
            .get("assume")
            .and_then(|t| t.value.as_table())
            .is_some_and(|t| t.get(key).is_some())
    };
    let shown: Vec<&facts::Assumption> = facts::ASSUMPTIONS
        .iter()
        .filter(|a| facts::assumption_applies(a.id, ios) || written_here(a.key))
        .collect();
    let count = shown.len();
    let assumptions = shown.iter().copied().filter(|a| matches!(a.default, AssumptionValue::Bool(_))).map(|a| {
        let written = table.flag("assume", a.key);
        let value = written.map_or("default", |b| if b { "on" } else { "off" });
        let default = matches!(a.default, AssumptionValue::Bool(true));
        let key = a.key.to_string();
        let onchange = dispatch.reform(move |e: Event| Action::SetAssumption(key.clone(), tri_state(&select_value(&e))));
        html! {
            <div class="property">
                <label>
                    <code>{ a.key }</code>
                    <select {onchange} aria-label={a.key}>
                        <option value="default" selected={value == "default"}>{ format!("default ({})", if default { "true" } else { "false" }) }</option>
                        <option value="on" selected={value == "on"}>{ "true" }</option>
                        <option value="off" selected={value == "off"}>{ "false" }</option>
                    </select>
                </label>
                <small>{ a.meaning }</small>
            </div>
        }
    });
    let choices = shown.iter().copied().filter_map(|a| match a.default {
        AssumptionValue::Choice { value: default, of } => Some((a, default, of)),
        _ => None,
    }).map(|(a, default, of)| {
        let written = table.get("assume").and_then(|t| t.value.as_table()).and_then(|t| t.get(a.key)).and_then(|n| n.value.as_str()).map(str::to_string);
        let key = a.key.to_string();
        let onchange = dispatch.reform(move |e: Event| {
            let value = select_value(&e);
            Action::SetAssumptionChoice(key.clone(), (value != "default").then_some(value))
        });
        html! {
            <div class="property">
                <label>
                    <code>{ a.key }</code>
                    <select {onchange} aria-label={a.key}>
                        <option value="default" selected={written.is_none()}>{ format!("default ({default})") }</option>
                        { for of.iter().map(|c| html! { <option value={*c} selected={written.as_deref() == Some(*c)}>{ *c }</option> }) }
                    </select>
                </label>
                <small>{ a.meaning }</small>
            </div>
        }
    });
    html! {
        <details class="assumptions">
            <summary>{ format!("What the public record does not settle ({count} on iOS {ios})") }</summary>
            <p class="hint">{ "Where the sources are silent or disagree, the model follows an assumption. Flip one to see what depends on it." }</p>
            { for assumptions }
            { for choices }
        </details>
    }
}

/// How many events the controls list at first, and how many more each
/// "show more" adds.
const EVENTS_SHOWN: usize = 25;

#[derive(Properties, PartialEq)]
pub struct AddEventProps {
    pub now: u64,
    pub dispatch: Callback<Action>,
}

/// Adds an event at the time shown (its own component: it follows the
/// clock, the rest of the controls do not).
#[component]
pub fn AddEvent(props: &AddEventProps) -> Html {
    {
        let dispatch = props.dispatch.clone();
        let now = props.now;
        let onchange = Callback::from(move |e: Event| {
            let action = select_value(&e);
            if !action.is_empty() {
                dispatch.emit(Action::AddEvent { at_ms: now, action });
            }
        });
        // The format's own list, and the one setting the playground is about.
        let choices = EVENT_KEYWORDS
            .iter()
            .filter(|k| k.offered)
            .map(|k| k.keyword)
            .chain([
                "set:include_all_networks=true",
                "set:include_all_networks=false",
            ]);
        html! {
            <select {onchange} aria-label="Add an event at the current time">
                <option value="" selected=true>{ format!("add an event at {}", duration::format(now)) }</option>
                { for choices.map(|c| html! { <option value={c}>{ c }</option> }) }
            </select>
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub analysis: Shared<Analysis>,
    /// The selected flow: drawn even when it is not among the first.
    pub selected: Option<AttrValue>,
    pub now: u64,
    pub playing: bool,
    pub speed: u32,
    pub layout: Layout,
    pub dispatch: Callback<Action>,
}

/// How the lanes are drawn: a canvas `width` wide, `names` of it for the
/// flows' names, the rest for time, a lane every `row` units. On a phone
/// the canvas is about as wide as the screen, so the names stay legible.
struct Lanes {
    name: &'static str,
    width: u64,
    names: u64,
    row: u64,
}

const WIDE_LANES: Lanes = Lanes {
    name: "wide",
    width: 640,
    names: 110,
    row: 18,
};
const TALL_LANES: Lanes = Lanes {
    name: "tall",
    width: 360,
    names: 96,
    row: 20,
};

impl Lanes {
    fn of(layout: Layout) -> &'static [&'static Lanes] {
        match layout {
            Layout::Wide => &[&WIDE_LANES],
            Layout::Tall => &[&TALL_LANES],
            Layout::Both => &[&WIDE_LANES, &TALL_LANES],
        }
    }

    fn by_name(name: &str) -> &'static Lanes {
        if name == TALL_LANES.name {
            &TALL_LANES
        } else {
            &WIDE_LANES
        }
    }

    /// Where `ms` is on the canvas.
    fn x(&self, ms: u64, end: u64) -> u64 {
        self.names + ms.min(end) * (self.width - self.names - 6) / end.max(1)
    }

    fn height(&self, flows: usize) -> u64 {
        16 + flows as u64 * self.row
    }
}

#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let end = props.analysis.scenario.duration_ms.max(1);
    let now = props.now;
    let d = &props.dispatch;
    let scrub = d.reform(|e: InputEvent| {
        let value = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|i| i.value().parse().ok())
            .unwrap_or(0);
        Action::Seek(value)
    });
    let speed = d.reform(|e: Event| Action::SetSpeed(select_value(&e).parse().unwrap_or(2_000)));
    let flows = &props.analysis.trace.flows;
    let drawn = drawn_flows(flows, props.selected.as_deref());
    let canvases = Lanes::of(props.layout).iter().map(|lanes| {
        let height = lanes.height(drawn.len()).to_string();
        let cursor = lanes.x(now, end).to_string();
        html! {
            <svg key={lanes.name} class={classes!("lanes", lanes.name)} viewBox={format!("0 0 {} {height}", lanes.width)} role="img" aria-label="Each flow's route over time">
                <LaneRows analysis={props.analysis.clone()} drawn={drawn.clone()} lanes={lanes.name} dispatch={d.clone()} />
                <line x1={cursor.clone()} x2={cursor} y1="0" y2={height} class="cursor" />
            </svg>
        }
    });
    // A step with nowhere to go is disabled (the ends of the run).
    let ends = |step: Step| step_target(&props.analysis, now, step).is_none();
    html! {
        <div class="timeline">
            <div class="transport" role="toolbar" aria-label="Playback">
                <button onclick={d.reform(|_| Action::Step(Step::PreviousEvent))} disabled={ends(Step::PreviousEvent)} title="Previous event (Shift+←)">{ "« event" }</button>
                <button onclick={d.reform(|_| Action::Step(Step::PreviousPacket))} disabled={ends(Step::PreviousPacket)} title="Previous packet (←)">{ "‹ packet" }</button>
                <button class="play" onclick={d.reform(|_| Action::TogglePlay)} title="Play / pause (Space)">{ if props.playing { "⏸ pause" } else { "▶ play" } }</button>
                <button onclick={d.reform(|_| Action::Step(Step::NextPacket))} disabled={ends(Step::NextPacket)} title="Next packet (→)">{ "packet ›" }</button>
                <button onclick={d.reform(|_| Action::Step(Step::NextEvent))} disabled={ends(Step::NextEvent)} title="Next event (Shift+→)">{ "event »" }</button>
                <label class="speed">{ "speed " }
                    <select onchange={speed} aria-label="Playback speed">
                        { for [(500u32, "0.5 s/s"), (1_000, "1 s/s"), (2_000, "2 s/s"), (5_000, "5 s/s"), (20_000, "20 s/s")].iter().map(|(v, l)| html! {
                            <option value={v.to_string()} selected={*v == props.speed}>{ *l }</option>
                        }) }
                    </select>
                </label>
                <span class="clock" aria-label="Current time">{ format!("{} s / {}", seconds(now), duration::format(end)) }</span>
                <span class="keys">{ "Space play/pause · ← → packet · Shift+← → event" }</span>
            </div>
            <input type="range" class="scrubber" min="0" max={end.saturating_sub(1).to_string()} value={now.to_string()} oninput={scrub} aria-label="Time" />
            { for canvases }
            if flows.len() > DRAWN_FLOWS {
                <MoreFlows analysis={props.analysis.clone()} selected={props.selected.clone()} dispatch={d.clone()} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct MoreFlowsProps {
    analysis: Shared<Analysis>,
    selected: Option<AttrValue>,
    dispatch: Callback<Action>,
}

/// Past [`DRAWN_FLOWS`], another is shown by its name (as the editor
/// writes it): it is drawn and inspected. A text box rather than a list of
/// a thousand names, which would take longer to draw than a frame allows.
#[component]
fn MoreFlows(props: &MoreFlowsProps) -> Html {
    let flows = &props.analysis.trace.flows;
    let pick = props.dispatch.reform(|e: Event| {
        let name = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .map(|input| input.value().trim().to_string())
            .unwrap_or_default();
        Action::Select((!name.is_empty()).then_some(name))
    });
    let shown = props.selected.clone().unwrap_or_default();
    html! {
        <p class="more-flows">
            { crate::words::more_flows(flows.len(), DRAWN_FLOWS) }
            <label>{ "Show the flow named " }
                <input type="text" value={shown} onchange={pick} size="12" spellcheck="false"
                    aria-label="Show the flow with this name" />
            </label>
        </p>
    }
}

#[derive(Properties, PartialEq)]
struct LaneRowsProps {
    analysis: Shared<Analysis>,
    /// The flows drawn, by index ([`drawn_flows`]).
    drawn: Vec<usize>,
    lanes: &'static str,
    dispatch: Callback<Action>,
}

/// Each flow's route over the whole run, and the events: drawn once per
/// run, not per tick.
#[component]
fn LaneRows(props: &LaneRowsProps) -> Html {
    let lanes = Lanes::by_name(props.lanes);
    let analysis = &props.analysis;
    let end = analysis.scenario.duration_ms.max(1);
    let flows = &analysis.trace.flows;
    let rows = props.drawn.iter().enumerate().map(|(i, index)| {
        let flow = &flows[*index];
        let y = 8 + i as u64 * lanes.row;
        let name = flow.name.clone();
        let onclick = props.dispatch.reform(move |_| Action::Select(Some(name.clone())));
        html! {
            <g key={flow.name.clone()} class="lane" {onclick}>
                <text x="4" y={(y + 11).to_string()} class="lane-label">{ flow.name.clone() }</text>
                { for visible_segments(flow, lanes, end).map(|s| {
                    let from = lanes.x(s.from_ms, end);
                    let width = lanes.x(s.to_ms, end).saturating_sub(from).max(1);
                    let style = route_style(s.route);
                    // A fragment, not a group: a lane may hold hundreds of
                    // rectangles, and every element costs drawing time.
                    html! {
                        <>
                            <rect x={from.to_string()} y={y.to_string()} width={width.to_string()} height="14" fill={style.colour}
                                class={format!("seg {}", s.route)}><title>{ format!("{} {}–{}: {}", flow.name, duration::format(s.from_ms), duration::format(s.to_ms), s.route) }</title></rect>
                            if width > 14 {
                                <text x={(from + 3).to_string()} y={(y + 11).to_string()} class="seg-label">{ style.mark }</text>
                            }
                        </>
                    }
                }) }
            </g>
        }
    });
    let height = lanes.height(props.drawn.len()).to_string();
    let markers = analysis.trace.events.iter().map(|e| {
        let x = lanes.x(e.at_ms, end).to_string();
        html! {
            <line x1={x.clone()} x2={x} y1="0" y2={height.clone()} class="event-marker">
                <title>{ format!("{} {}: {}", duration::format(e.at_ms), e.action, crate::words::effect(&e.effect)) }</title>
            </line>
        }
    });
    html! { <>{ for rows }{ for markers }</> }
}

/// A lane's segments that show: each is drawn at least a unit wide, and
/// one whose rectangle lies within what is drawn already is left out, so a
/// flow with thousands of segments costs at most a rectangle per unit.
fn visible_segments<'a>(
    flow: &'a crate::trace::FlowTrace,
    lanes: &'a Lanes,
    end: u64,
) -> impl Iterator<Item = &'a crate::trace::Segment> {
    let mut covered = 0;
    flow.segments.iter().filter(move |s| {
        let from = lanes.x(s.from_ms, end);
        let reach = from + lanes.x(s.to_ms, end).saturating_sub(from).max(1);
        let shows = reach > covered;
        covered = covered.max(reach);
        shows
    })
}

#[derive(Properties, PartialEq)]
pub struct NarrationProps {
    pub analysis: Shared<Analysis>,
    pub now: u64,
}

/// Speaks the latest hop in words, for screen readers.
#[component]
pub fn Narration(props: &NarrationProps) -> Html {
    let now_us = props.now * 1_000 + 999;
    let analysis = &props.analysis;
    let last = analysis.run.last_at_or_before(now_us);
    let text = last.map(|p| {
        let at_ms = p.at_us / 1_000;
        let flow = p.flow.and_then(|f| analysis.trace.flows.get(f));
        let noun = flow.map_or_else(
            || "the VPN's own traffic".to_string(),
            |f| crate::words::flow_noun(f.kind, &f.name),
        );
        let segment = flow.and_then(|f| f.segment_at(at_ms).or(f.segments.last()));
        format!(
            "The latest packet, at {} s: {}",
            seconds(at_ms),
            crate::words::packet_narration(&noun, p.dropped, segment)
        )
    });
    html! {
        <p class="narration" aria-live="polite">{ text.unwrap_or_else(|| "No packet yet: press play or step forward.".into()) }</p>
    }
}

#[derive(Properties, PartialEq)]
pub struct CompareProps {
    /// The compared property's key (`None`: no comparison).
    pub comparing: Option<&'static str>,
    pub dispatch: Callback<Action>,
}

/// Which setting the two drawings differ by: the kill switch unless the
/// reader picks another (the summary above the drawings says what changes).
#[component]
pub fn Compare(props: &CompareProps) -> Html {
    let current = props.comparing.unwrap_or("");
    let onchange = props.dispatch.reform(|e: Event| {
        let key = select_value(&e);
        Action::Compare((!key.is_empty()).then_some(key))
    });
    html! {
        <div class="compare">
            <label class="field">
                <span>{ "The two drawings differ by" }</span>
                <select {onchange} name="compare" aria-label="The setting the two drawings differ by">
                    <option value="" selected={current.is_empty()}>{ "nothing: one drawing" }</option>
                    { for facts::PROPERTIES.iter().filter(|p| matches!(p.default, PropDefault::Bool(_))).map(|p| html! {
                        <option value={p.key} selected={current == p.key}>{ crate::words::setting_title(p.prop) }</option>
                    }) }
                </select>
            </label>
        </div>
    }
}

/// A link to a source: URLs as links, repository paths as text.
pub(super) fn source_link(source: &crate::facts::Source) -> Html {
    let link = |url: &'static str| html! { <a href={url} rel="noreferrer noopener" target="_blank">{ url }</a> };
    let note = (!source.note.is_empty()).then_some(source.note);
    html! {
        <>
            if source.is_linked() {
                { link(source.url) }
                if let Some(note) = note { { format!(" ({note})") } }
            } else if let Some(note) = note {
                <span class="repo-path">{ note }</span>
            }
            for (i, also) in source.also.iter().enumerate() {
                { if i == 0 { "; also " } else { ", " } }
                { link(also) }
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub analysis: Shared<Analysis>,
    /// Which of two compared runs this is ("Kill switch off").
    #[prop_or_default]
    pub side: Option<AttrValue>,
    pub selected: Option<AttrValue>,
    pub now: u64,
    pub dispatch: Callback<Action>,
}

#[component]
pub fn Inspector(props: &InspectorProps) -> Html {
    let root = use_context::<super::SiteRoot>().unwrap_or_default().0;
    let analysis = &props.analysis;
    let Some(name) = props.selected.as_deref() else {
        return html! {
            <div class="inspector-empty">
                <h3>{ "Inspector" }</h3>
                <p>{ "Click a flow in the drawing or a lane in the timeline to see why its traffic goes where it goes." }</p>
            </div>
        };
    };
    let Some((index, flow)) = analysis
        .trace
        .flows
        .iter()
        .enumerate()
        .find(|(_, f)| f.name == name)
    else {
        return html! { <p>{ format!("No flow named {name} in this scenario.") }</p> };
    };
    let segment = flow.segment_at(props.now).or(flow.segments.last());
    let rules = segment.map(|s| {
        s.rules.iter().enumerate().map(|(i, r)| html! {
        <li>
            <a class={classes!("badge", r.provenance.as_str())} href={format!("{root}glossary.html#{}", r.provenance.as_str())}
                title={crate::words::evidence_meaning(r.provenance)}>{ r.provenance.as_str() }</a>
            <strong>{ format!(" {}. {}", i + 1, r.id) }</strong>
            <p>{ r.says }</p>
            <p class="source">{ "source: " }{ source_link(r.source) }</p>
            if let Some(key) = r.assumption {
                <p class="assumption">{ format!("depends on the assumption {key}") }</p>
            }
        </li>
    }).collect::<Html>()
    });
    let observations = analysis.trace.observations.iter().filter(|o| o.flow == name).take(6).map(|o| html! {
        <li>{ format!("{}: {} saw {} ({})", duration::format(o.at_ms), o.server, o.source, o.seen_as) }</li>
    });
    let intercepted: Vec<Html> = analysis.trace.intercepted.iter().filter(|x| x.flow == name).take(6).map(|x| html! {
        <li>{ format!("{}: read {} → {} in the clear (the phone's own address)", duration::format(x.at_ms), x.source, x.destination) }</li>
    }).collect();
    let now_us = props.now * 1_000 + 999;
    let packet = analysis
        .run
        .packets
        .iter()
        .rev()
        .find(|p| p.flow == Some(index) && p.at_us <= now_us);
    let headers = packet.map(|p| {
        let layers = packet::layers(&p.bytes);
        html! {
            <>
                <h4>{ format!("Latest packet ({} s, {}, {}{})", seconds(p.at_us / 1_000), p.point.as_str(), packet::family(&p.bytes).map_or("?", crate::words::family), if p.dropped { ", dropped" } else { "" }) }</h4>
                <dl class="layers">
                    { for layers.into_iter().map(|(layer, fields)| html! { <><dt>{ layer }</dt><dd>{ fields }</dd></> }) }
                </dl>
                <p class="rule">{ format!("the rule that decided this packet: {}", p.rule) }</p>
            </>
        }
    });
    html! {
        <div>
            <button class="close" onclick={props.dispatch.reform(|_| Action::Select(None))}>{ "close" }</button>
            <h3>{ format!("{} ({})", flow.name, flow.kind) }</h3>
            if let Some(side) = &props.side {
                <p class="inspected-side">{ format!("Explaining the run with: {side}") }</p>
            }
            <p class="describe">{ flow.kind.describe() }</p>
            if let Some(s) = segment {
                <p class="now">
                    { format!("{}–{}: ", duration::format(s.from_ms), duration::format(s.to_ms)) }
                    <strong>{ s.route.as_str() }</strong>
                    { format!(" on {}{}, the destination sees {}", s.interface, crate::words::over_family(s.on_wire), s.seen_as) }
                    { s.observed_by.map(|by| format!(" (recorded by {by})")).unwrap_or_default() }
                </p>
            }
            <h4>{ "Why: the rules, in order (the last decides)" }</h4>
            <ol class="rules">{ for rules }</ol>
            { for headers }
            <h4>{ "What the servers saw" }</h4>
            <ul class="observations">{ for observations }</ul>
            if !intercepted.is_empty() {
                <h4 class="hostile">{ "What the attacker's Wi-Fi read" }</h4>
                <ul class="observations intercepted">{ for intercepted }</ul>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub text: AttrValue,
    pub errors: Option<ScenarioErrors>,
    pub dispatch: Callback<Action>,
}

#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let oninput = props
        .dispatch
        .reform(|e: InputEvent| Action::EditText(textarea_value(&e)));
    // Opening a file replaces the text, exactly as pasting it would.
    let reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    let onupload = on_file_chosen(
        &props.dispatch,
        reader,
        MAX_FILE_BYTES,
        "a scenario",
        |bytes| Action::OpenFile(String::from_utf8_lossy(&bytes).into_owned()),
    );
    // A configuration profile, uploaded or pasted: its VPN payload replaces
    // the [vpn] flags (the reducer reads it; a bad one changes nothing).
    let profile_reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    let onprofile = on_file_chosen(
        &props.dispatch,
        profile_reader,
        crate::profile::MAX_PROFILE_BYTES,
        "a profile",
        |bytes| Action::ImportProfile(super::profile_xml::parse(&bytes)),
    );
    let pasted = use_state(String::new);
    let onpaste_input = {
        let pasted = pasted.clone();
        Callback::from(move |e: InputEvent| pasted.set(textarea_value(&e)))
    };
    let onimport = {
        let pasted = pasted.clone();
        props
            .dispatch
            .reform(move |_| Action::ImportProfile(super::profile_xml::parse(pasted.as_bytes())))
    };
    let errors = props.errors.as_ref().map(|errors| html! {
        <ul class="errors" role="alert">
            { for errors.0.iter().map(|e| html! { <li>{ format!("line {}, column {}: {}", e.line, e.column, e.message) }</li> }) }
        </ul>
    });
    html! {
        <div class="editor">
            <h3>{ "Scenario (TOML)" }</h3>
            <p class="hint">{ "Edit or paste a scenario; the drawing follows as soon as it is valid. Format: docs/scenario-format.md." }</p>
            <label class="upload">{ "Open a .toml file: " }<input type="file" accept=".toml,text/plain,application/toml" onchange={onupload} aria-label="Open a scenario file" /></label>
            <textarea value={props.text.clone()} {oninput} spellcheck="false" aria-label="Scenario TOML" rows="18" />
            { for errors }
            <details class="profile-import">
                <summary>{ "Import a VPN configuration profile (.mobileconfig)" }</summary>
                <p class="hint">{ "Its VPN payload (com.apple.vpn.managed) replaces the [vpn] switches above; keys the model does not use are listed. Nothing is sent anywhere." }</p>
                <label class="upload">{ "Open a profile: " }<input type="file" accept=".mobileconfig,.plist,.xml,application/x-apple-aspen-config" onchange={onprofile} aria-label="Open a configuration profile" /></label>
                <textarea value={(*pasted).clone()} oninput={onpaste_input} spellcheck="false" aria-label="Paste a configuration profile" rows="4" placeholder="…or paste the profile's XML here" />
                <button onclick={onimport} disabled={pasted.trim().is_empty()}>{ "Import the pasted profile" }</button>
            </details>
        </div>
    }
}

/// Offers bytes as a file download.
pub(super) fn download(name: &str, mime: &str, bytes: &[u8]) {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let document = gloo::utils::document();
    if let Ok(anchor) = document.create_element("a")
        && let Ok(anchor) = anchor.dyn_into::<web_sys::HtmlAnchorElement>()
    {
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

#[derive(Properties, PartialEq)]
pub struct DownloadsProps {
    pub analysis: Shared<Analysis>,
    pub text: AttrValue,
}

#[component]
pub fn Downloads(props: &DownloadsProps) -> Html {
    // One pass over the packets for every capture point's count.
    let mut counts = [0usize; CapturePoint::ALL.len()];
    for p in props.analysis.run.packets.iter().filter(|p| !p.dropped) {
        if let Some(i) = CapturePoint::ALL.iter().position(|c| *c == p.point) {
            counts[i] += 1;
        }
    }
    let pcaps = CapturePoint::ALL.iter().zip(counts).map(|(point, count)| {
        let analysis = props.analysis.clone();
        let point = *point;
        let onclick = Callback::from(move |_| download(&format!("{}.pcap", point.as_str()), "application/vnd.tcpdump.pcap", &pcap(&analysis.run, point)));
        html! { <button key={point.as_str()} {onclick} disabled={count == 0}>{ format!("{}.pcap ({count})", point.as_str()) }</button> }
    });
    let whole = {
        let analysis = props.analysis.clone();
        Callback::from(move |_| {
            download(
                "run.pcapng",
                "application/x-pcapng",
                &pcapng(&analysis.scenario, &analysis.run),
            )
        })
    };
    let toml = {
        let text = props.text.clone();
        Callback::from(move |_| download("scenario.toml", "application/toml", text.as_bytes()))
    };
    let json = {
        let analysis = props.analysis.clone();
        Callback::from(move |_| {
            download(
                "trace.json",
                "application/json",
                report::json(&analysis.trace).as_bytes(),
            )
        })
    };
    html! {
        <div class="downloads">
            <h3>{ "Download" }</h3>
            <div class="buttons">
                <button onclick={whole} title="Every capture point in one file; each packet's comment names its flow and rule">{ format!("run.pcapng ({})", props.analysis.run.packets.len()) }</button>
                { for pcaps }
                <button onclick={toml}>{ "scenario.toml" }</button>
                <button onclick={json}>{ "trace.json" }</button>
            </div>
            <p class="hint">{ "The page's address is the share link: it holds the scenario, the settings, the comparison, the time and the selection." }</p>
        </div>
    }
}
