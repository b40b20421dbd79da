//! The panels around the topology: controls, the timeline, the inspector,
//! the comparison, the editor, downloads and the spoken narration.
//! Presentational: they read the state and send actions.

use super::Shared;
use crate::engine::{CapturePoint, packet, pcap};
use crate::facts::{self, AssumptionValue, PropDefault};
use crate::library::{BuiltIn, LIBRARY};
use crate::model::{Network, Route};
use crate::playground::{Action, Origin, Playground, Step};
use crate::report;
use crate::scenario::document::Table;
use crate::scenario::{MAX_FILE_BYTES, duration};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: Shared<Playground>,
    pub dispatch: Callback<Action>,
}

#[derive(Properties, PartialEq)]
pub struct ViewProps {
    pub state: Shared<Playground>,
}

const RELEASES: [&str; 17] = [
    "13.3.1", "13.4", "14.0", "14.2", "14.8", "15.7", "16.0", "16.1", "16.3", "16.4", "16.7",
    "17.0", "17.4", "18.0", "18.2", "26.0", "26.1",
];

pub(super) fn select_value(e: &Event) -> String {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

fn input_value(e: &Event) -> String {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

fn tri_state(value: &str) -> Option<bool> {
    match value {
        "on" => Some(true),
        "off" => Some(false),
        _ => None,
    }
}

#[component]
pub fn Controls(props: &Props) -> Html {
    let state = &props.state;
    let scenario = &state.analysis.scenario;
    let ios = scenario.ios;
    let library = {
        let current = match state.origin {
            Origin::Library(name) => name,
            Origin::Edited => "",
        };
        let onchange = props
            .dispatch
            .reform(|e: Event| Action::LoadLibrary(select_value(&e)));
        html! {
            <label class="field">
                <span>{ "Scenario" }</span>
                <select {onchange} aria-label="Scenario library">
                    if current.is_empty() {
                        <option selected=true value="">{ "(edited)" }</option>
                    }
                    { for LIBRARY.iter().map(|BuiltIn { name, title, .. }| html! {
                        <option value={*name} selected={*name == current}>{ *title }</option>
                    }) }
                </select>
            </label>
        }
    };
    let release = {
        let current = ios.to_string();
        let mut options: Vec<String> = RELEASES.iter().map(|r| r.to_string()).collect();
        if !options.contains(&current) {
            options.push(current.clone());
        }
        let onchange = props
            .dispatch
            .reform(|e: Event| Action::SetIos(select_value(&e)));
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
        let onchange = props
            .dispatch
            .reform(|e: Event| Action::SetTop("network", select_value(&e)));
        html! {
            <label class="field">
                <span>{ "Starts on" }</span>
                <select {onchange} aria-label="Network">
                    { for Network::ALL.iter().map(|n| html! { <option selected={*n == scenario.network} value={n.as_str()}>{ if *n == Network::Wifi { "Wi-Fi" } else { "cellular" } }</option> }) }
                </select>
            </label>
        }
    };
    let has_vpn = scenario.vpn.is_some();
    let vpn_toggle = {
        let onchange = props.dispatch.reform(move |_| Action::SetVpn(!has_vpn));
        html! {
            <label class="check"><input type="checkbox" checked={has_vpn} {onchange} />{ " VPN configured" }</label>
        }
    };
    // What the text itself sets (as opposed to defaults); re-read only when
    // the text changes, not on every clock tick.
    let table = use_memo(state.text.clone(), |text| {
        Table::parse(text).unwrap_or_default()
    });
    let written = |key: &str| table.flag("vpn", key);
    let properties = facts::PROPERTIES.iter().filter(|p| matches!(p.default, PropDefault::Bool(_))).map(|p| {
        let available = ios >= p.since;
        let default = match p.default {
            PropDefault::Bool(b) => if b { "on" } else { "off" },
            PropDefault::Routes(_) => "",
        };
        let value = written(p.key).map_or("default", |b| if b { "on" } else { "off" });
        let key = p.key.to_string();
        let onchange = props.dispatch.reform(move |e: Event| Action::SetVpnFlag(key.clone(), tri_state(&select_value(&e))));
        html! {
            <div class={classes!("property", (!available).then_some("unavailable"))}>
                <label>
                    <code>{ p.key }</code>
                    if available && has_vpn {
                        <select {onchange} aria-label={p.key}>
                            <option value="default" selected={value == "default"}>{ format!("default ({default})") }</option>
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
    let assumptions = facts::ASSUMPTIONS.iter().filter(|a| matches!(a.default, AssumptionValue::Bool(_))).map(|a| {
        let written = table.flag("assume", a.key);
        let value = written.map_or("default", |b| if b { "on" } else { "off" });
        let default = matches!(a.default, AssumptionValue::Bool(true));
        let key = a.key.to_string();
        let onchange = props.dispatch.reform(move |e: Event| Action::SetAssumption(key.clone(), tri_state(&select_value(&e))));
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
    let events = scenario.events.iter().enumerate().map(|(i, e)| {
        let remove = props.dispatch.reform(move |_| Action::RemoveEvent(i));
        let onchange = props.dispatch.reform(move |ev: Event| {
            let at = duration::parse(&input_value(&ev)).unwrap_or(0);
            Action::MoveEvent(i, at)
        });
        html! {
            <li>
                <input class="at" value={duration::format(e.at_ms)} {onchange} aria-label={format!("time of event {}", i + 1)} />
                <code>{ e.text.clone() }</code>
                <button onclick={remove} aria-label={format!("remove event {}", i + 1)}>{ "remove" }</button>
            </li>
        }
    });
    let add = {
        let dispatch = props.dispatch.clone();
        let now = state.time_ms;
        let onchange = Callback::from(move |e: Event| {
            let action = select_value(&e);
            if !action.is_empty() {
                dispatch.emit(Action::AddEvent { at_ms: now, action });
            }
        });
        let choices = [
            "connect",
            "disconnect",
            "tunnel:lost",
            "network:wifi",
            "network:cellular",
            "airplane:on",
            "airplane:off",
            "set:include_all_networks=true",
            "set:include_all_networks=false",
        ];
        html! {
            <select {onchange} aria-label="Add an event at the current time">
                <option value="" selected=true>{ format!("add an event at {}", duration::format(now)) }</option>
                { for choices.iter().map(|c| html! { <option value={*c}>{ *c }</option> }) }
            </select>
        }
    };
    html! {
        <>
            { library }
            <div class="row">{ release }{ network }</div>
            <h3>{ "VPN" }</h3>
            { vpn_toggle }
            { for properties }
            <h3>{ "Assumptions" }</h3>
            <p class="hint">{ "Where the public record is silent. Flip one to see what depends on it." }</p>
            { for assumptions }
            <h3>{ "Events" }</h3>
            <ul class="events">{ for events }</ul>
            { add }
        </>
    }
}

fn route_colour(route: Route) -> &'static str {
    match route {
        Route::Tunnel => "#0072B2",
        Route::Direct => "#E69F00",
        Route::Blocked => "#D55E00",
        Route::Offline => "#bbbbbb",
    }
}

#[component]
pub fn Timeline(props: &Props) -> Html {
    let state = &props.state;
    let end = state.end_ms().max(1);
    let now = state.time_ms;
    // Lanes are drawn on a 640-wide canvas: 110 for names, 520 for time.
    let x = |ms: u64| ms as f64 / end as f64 * 520.0;
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
    let flows = &state.analysis.trace.flows;
    let lanes = flows.iter().enumerate().map(|(i, flow)| {
        let y = 8.0 + i as f64 * 18.0;
        let name = flow.name.clone();
        let onclick = d.reform(move |_| Action::Select(Some(name.clone())));
        html! {
            <g class="lane" {onclick}>
                <text x="4" y={format!("{}", y + 11.0)} class="lane-label">{ flow.name.clone() }</text>
                { for flow.segments.iter().map(|s| {
                    let w = (x(s.to_ms) - x(s.from_ms)).max(1.0);
                    let label = match s.route { Route::Tunnel => "T", Route::Direct => "D", Route::Blocked => "X", Route::Offline => "" };
                    html! {
                        <g>
                            <rect x={format!("{:.1}", 110.0 + x(s.from_ms))} y={format!("{y}")} width={format!("{:.1}", w)} height="14" fill={route_colour(s.route)}
                                class={format!("seg {}", s.route)}><title>{ format!("{} {}–{}: {}", flow.name, duration::format(s.from_ms), duration::format(s.to_ms), s.route) }</title></rect>
                            if w > 14.0 {
                                <text x={format!("{:.1}", 113.0 + x(s.from_ms))} y={format!("{}", y + 11.0)} class="seg-label">{ label }</text>
                            }
                        </g>
                    }
                }) }
            </g>
        }
    });
    let height = 16.0 + flows.len() as f64 * 18.0;
    let markers = state.analysis.trace.events.iter().map(|e| {
        let at = e.at_ms;
        html! {
            <line x1={format!("{:.1}", 110.0 + x(at))} x2={format!("{:.1}", 110.0 + x(at))} y1="0" y2={format!("{height}")} class="event-marker">
                <title>{ format!("{} {}: {}", duration::format(at), e.action, e.effect) }</title>
            </line>
        }
    });
    html! {
        <div class="timeline">
            <div class="transport" role="toolbar" aria-label="Playback">
                <button onclick={d.reform(|_| Action::Step(Step::PreviousEvent))} title="Previous event (Shift+←)">{ "« event" }</button>
                <button onclick={d.reform(|_| Action::Step(Step::PreviousPacket))} title="Previous packet (←)">{ "‹ packet" }</button>
                <button class="play" onclick={d.reform(|_| Action::TogglePlay)} title="Play / pause (Space)">{ if state.playing { "⏸ pause" } else { "▶ play" } }</button>
                <button onclick={d.reform(|_| Action::Step(Step::NextPacket))} title="Next packet (→)">{ "packet ›" }</button>
                <button onclick={d.reform(|_| Action::Step(Step::NextEvent))} title="Next event (Shift+→)">{ "event »" }</button>
                <label class="speed">{ "speed " }
                    <select onchange={speed} aria-label="Playback speed">
                        { for [(500u32, "0.5 s/s"), (1_000, "1 s/s"), (2_000, "2 s/s"), (5_000, "5 s/s"), (20_000, "20 s/s")].iter().map(|(v, l)| html! {
                            <option value={v.to_string()} selected={*v == state.speed}>{ *l }</option>
                        }) }
                    </select>
                </label>
                <span class="clock" aria-label="Current time">{ format!("{:.3} s / {}", now as f64 / 1000.0, duration::format(end)) }</span>
                <span class="keys">{ "Space play/pause · ← → packet · Shift+← → event" }</span>
            </div>
            <input type="range" class="scrubber" min="0" max={end.saturating_sub(1).to_string()} value={now.to_string()} oninput={scrub} aria-label="Time" />
            <svg class="lanes" viewBox={format!("0 0 640 {height}")} role="img" aria-label="Each flow's route over time">
                { for lanes }
                { for markers }
                <line x1={format!("{:.1}", 110.0 + x(now))} x2={format!("{:.1}", 110.0 + x(now))} y1="0" y2={format!("{height}")} class="cursor" />
            </svg>
        </div>
    }
}

/// Speaks the latest hop in words, for screen readers.
#[component]
pub fn Narration(props: &ViewProps) -> Html {
    let state = &props.state;
    let now_us = state.time_ms * 1_000 + 999;
    let analysis = &state.analysis;
    let last = analysis
        .run
        .packets
        .iter()
        .rev()
        .find(|p| p.at_us <= now_us);
    let text = last.map(|p| {
        let flow = p
            .flow
            .and_then(|f| analysis.scenario.flows.get(f))
            .map_or("the tunnel's own traffic", |f| f.name.as_str());
        let what = if p.dropped { "was dropped" } else { "passed" };
        format!(
            "At {:.3} s, a packet of {flow} {what} at {}: {} (rule {}).",
            p.at_us as f64 / 1e6,
            p.point.as_str(),
            packet::summary(&p.bytes),
            p.rule
        )
    });
    html! {
        <p class="narration" aria-live="polite">{ text.unwrap_or_else(|| "No packet yet: press play or step forward.".into()) }</p>
    }
}

#[component]
pub fn Compare(props: &Props) -> Html {
    let state = &props.state;
    let current = state
        .compare
        .as_ref()
        .map(|(k, _)| k.clone())
        .unwrap_or_default();
    let onchange = props.dispatch.reform(|e: Event| {
        let key = select_value(&e);
        Action::Compare((!key.is_empty()).then_some(key))
    });
    let differences = state.differences();
    let list = differences.iter().map(|(name, at)| {
        let at = *at;
        let name2 = name.clone();
        let onclick = props.dispatch.reform(move |_| Action::Select(Some(name2.clone())));
        let seek = props.dispatch.reform(move |_| Action::Seek(at));
        html! { <li><button class="link" {onclick}>{ name.clone() }</button>{ " differs from " }<button class="link" onclick={seek}>{ duration::format(at) }</button></li> }
    });
    html! {
        <div class="compare">
            <label class="field">
                <span>{ "Compare side by side with" }</span>
                <select {onchange} aria-label="Property to flip for the comparison">
                    <option value="" selected={current.is_empty()}>{ "nothing" }</option>
                    { for facts::PROPERTIES.iter().filter(|p| matches!(p.default, PropDefault::Bool(_))).map(|p| html! {
                        <option value={p.key} selected={current == p.key}>{ format!("{} flipped", p.key) }</option>
                    }) }
                </select>
            </label>
            if state.compare.is_some() {
                if differences.is_empty() {
                    <p>{ "No flow's route differs." }</p>
                } else {
                    <ul class="differences">{ for list }</ul>
                }
            }
        </div>
    }
}

/// A link to a source: URLs as links, repository paths as text.
pub(super) fn source_link(source: &str) -> Html {
    if source.starts_with("http") {
        html! { <a href={source.to_string()} rel="noreferrer noopener" target="_blank">{ source.to_string() }</a> }
    } else {
        html! { <span class="repo-path">{ source.to_string() }</span> }
    }
}

#[component]
pub fn Inspector(props: &Props) -> Html {
    let state = &props.state;
    let analysis = &state.analysis;
    let Some(name) = state.selected.as_ref() else {
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
        .find(|(_, f)| &f.name == name)
    else {
        return html! { <p>{ format!("No flow named {name} in this scenario.") }</p> };
    };
    let segment = flow.segment_at(state.time_ms).or(flow.segments.last());
    let rules = segment.map(|s| {
        s.rules.iter().enumerate().map(|(i, r)| html! {
        <li>
            <span class={classes!("badge", r.provenance.as_str())}>{ r.provenance.as_str() }</span>
            <strong>{ format!(" {}. {}", i + 1, r.id) }</strong>
            <p>{ r.says }</p>
            <p class="source">{ "source: " }{ source_link(r.source) }</p>
            if let Some(key) = r.assumption {
                <p class="assumption">{ format!("depends on the assumption {key}") }</p>
            }
        </li>
    }).collect::<Html>()
    });
    let observations = analysis.trace.observations.iter().filter(|o| &o.flow == name).take(6).map(|o| html! {
        <li>{ format!("{}: {} saw {} ({})", duration::format(o.at_ms), o.server, o.source, o.seen_as) }</li>
    });
    let now_us = state.time_ms * 1_000 + 999;
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
                <h4>{ format!("Latest packet ({:.3} s, {}{})", p.at_us as f64 / 1e6, p.point.as_str(), if p.dropped { ", dropped" } else { "" }) }</h4>
                <dl class="layers">
                    { for layers.into_iter().map(|(layer, fields)| html! { <><dt>{ layer }</dt><dd>{ fields }</dd></> }) }
                </dl>
                <p class="rule">{ format!("deciding rule: {}", p.rule) }</p>
            </>
        }
    });
    html! {
        <div>
            <h3>{ format!("{} ({})", flow.name, flow.kind) }</h3>
            <p class="describe">{ flow.kind.describe() }</p>
            if let Some(s) = segment {
                <p class="now">
                    { format!("{}–{}: ", duration::format(s.from_ms), duration::format(s.to_ms)) }
                    <strong>{ s.route.as_str() }</strong>
                    { format!(" on {}, the destination sees {}", s.interface, s.seen_as) }
                    { s.observed_by.map(|by| format!(" (recorded by {by})")).unwrap_or_default() }
                </p>
            }
            <h4>{ "Why: the rules, in order (the last decides)" }</h4>
            <ol class="rules">{ for rules }</ol>
            { for headers }
            <h4>{ "What the servers saw" }</h4>
            <ul class="observations">{ for observations }</ul>
            <button onclick={props.dispatch.reform(|_| Action::Select(None))}>{ "close" }</button>
        </div>
    }
}

#[component]
pub fn Editor(props: &Props) -> Html {
    let state = &props.state;
    let oninput = props.dispatch.reform(|e: InputEvent| {
        let text = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            .map(|t| t.value())
            .unwrap_or_default();
        Action::EditText(text)
    });
    // Opening a file replaces the text, exactly as pasting it would. The
    // reader is kept until it calls back.
    let reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    let onupload = {
        let dispatch = props.dispatch.clone();
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
            // The same file can be chosen again after it is edited on disk.
            input.set_value("");
            let file = gloo::file::File::from(file);
            if file.size() > MAX_FILE_BYTES as u64 {
                dispatch.emit(Action::Notify(format!(
                    "{} is {} bytes; a scenario may be at most {MAX_FILE_BYTES} bytes",
                    file.name(),
                    file.size()
                )));
                return;
            }
            let dispatch = dispatch.clone();
            let name = file.name();
            *reader.borrow_mut() = Some(gloo::file::callbacks::read_as_text(
                &file,
                move |result| match result {
                    Ok(text) => dispatch.emit(Action::EditText(text)),
                    Err(error) => {
                        dispatch.emit(Action::Notify(format!("could not read {name}: {error}")))
                    }
                },
            ));
        })
    };
    let errors = state.errors.as_ref().map(|errors| html! {
        <ul class="errors" role="alert">
            { for errors.0.iter().map(|e| html! { <li>{ format!("line {}, column {}: {}", e.line, e.column, e.message) }</li> }) }
        </ul>
    });
    html! {
        <div class="editor">
            <h3>{ "Scenario (TOML)" }</h3>
            <p class="hint">{ "Edit or paste a scenario; the drawing follows as soon as it is valid. Format: docs/scenario-format.md." }</p>
            <label class="upload">{ "Open a .toml file: " }<input type="file" accept=".toml,text/plain,application/toml" onchange={onupload} aria-label="Open a scenario file" /></label>
            <textarea value={state.text.clone()} {oninput} spellcheck="false" aria-label="Scenario TOML" rows="18" />
            { for errors }
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

#[component]
pub fn Downloads(props: &ViewProps) -> Html {
    let state = props.state.clone();
    let pcaps = CapturePoint::ALL.iter().map(|point| {
        let state = state.clone();
        let point = *point;
        let count = state.analysis.run.packets.iter().filter(|p| p.point == point && !p.dropped).count();
        let onclick = Callback::from(move |_| download(&format!("{}.pcap", point.as_str()), "application/vnd.tcpdump.pcap", &pcap(&state.analysis.run, point)));
        html! { <button {onclick} disabled={count == 0}>{ format!("{}.pcap ({count})", point.as_str()) }</button> }
    });
    let toml = {
        let state = state.clone();
        Callback::from(move |_| {
            download("scenario.toml", "application/toml", state.text.as_bytes())
        })
    };
    let json = {
        let state = state.clone();
        Callback::from(move |_| {
            download(
                "trace.json",
                "application/json",
                report::json(&state.analysis.trace).as_bytes(),
            )
        })
    };
    html! {
        <div class="downloads">
            <h3>{ "Download" }</h3>
            <div class="buttons">
                { for pcaps }
                <button onclick={toml}>{ "scenario.toml" }</button>
                <button onclick={json}>{ "trace.json" }</button>
            </div>
            <p class="hint">{ "The page's address is the share link: it holds the scenario, the settings, the comparison, the time and the selection." }</p>
        </div>
    }
}
