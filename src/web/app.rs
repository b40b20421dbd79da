//! The page: state, effects, layout.

use super::Shared;
use super::panels::{Compare, Controls, Downloads, Editor, Inspector, Narration, Timeline};
use super::support::{SupportAnswer, SupportPicker};
use super::topology::Drawings;
use crate::playground::{Action, Playground, Step, url};
use gloo::events::{EventListener, EventListenerOptions};
use gloo::timers::callback::{Interval, Timeout};
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

impl Reducible for Playground {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Playground::reduce(&self, action)
    }
}

/// Milliseconds between clock ticks while playing.
const TICK_MS: u32 = 50;

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = mark)]
    fn performance_mark(name: &str);
}

fn location_hash() -> String {
    gloo::utils::window().location().hash().unwrap_or_default()
}

/// The clock: ticks while playing, at the chosen speed.
#[hook]
pub(super) fn use_clock(playing: bool, speed: u32, dispatch: Callback<Action>) {
    use_effect_with((playing, speed), move |(playing, speed)| {
        let interval = playing.then(|| {
            let step = u64::from(*speed) * u64::from(TICK_MS) / 1_000;
            Interval::new(TICK_MS, move || dispatch.emit(Action::Tick(step.max(1))))
        });
        move || drop(interval)
    });
}

#[component]
pub fn App() -> Html {
    let state = use_reducer(|| (*url::from_fragment(&location_hash())).clone());
    let dispatch = {
        let state = state.clone();
        Callback::from(move |action: Action| state.dispatch(action))
    };

    // The URL fragment always holds the whole view. It is written just after
    // the frame (a long link takes milliseconds to store), and not on every
    // clock tick while playing: browsers throttle pages that rewrite their
    // address many times a second. Pausing writes the time reached.
    let fragment = url::to_fragment(&state);
    use_effect_with((fragment.clone(), state.playing), |(fragment, playing)| {
        let write = (!playing).then(|| {
            let address = format!("#{fragment}");
            Timeout::new(0, move || {
                if let Ok(history) = gloo::utils::window().history() {
                    let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&address));
                }
            })
        });
        move || drop(write)
    });

    use_clock(state.playing, state.speed, dispatch.clone());

    // A link pasted into the address bar of an open page.
    {
        let dispatch = dispatch.clone();
        let current = fragment.clone();
        use_effect_with(current, move |current| {
            let current = current.clone();
            let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                let hash = location_hash();
                if hash.trim_start_matches('#') != current {
                    dispatch.emit(Action::OpenLink(hash));
                }
            });
            move || drop(listener)
        });
    }

    // Keyboard: space plays or pauses, arrows step by packet (with Shift,
    // by event). Typing in a field is left alone.
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            let options = EventListenerOptions::enable_prevent_default();
            let listener = EventListener::new_with_options(
                &gloo::utils::document(),
                "keydown",
                options,
                move |event| {
                    let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    let typing = event
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .is_some_and(|e| {
                            matches!(e.tag_name().as_str(), "TEXTAREA" | "INPUT" | "SELECT")
                        });
                    if typing {
                        return;
                    }
                    let action = match (event.key().as_str(), event.shift_key()) {
                        (" ", _) => Action::TogglePlay,
                        ("ArrowRight", false) => Action::Step(Step::NextPacket),
                        ("ArrowLeft", false) => Action::Step(Step::PreviousPacket),
                        ("ArrowRight", true) => Action::Step(Step::NextEvent),
                        ("ArrowLeft", true) => Action::Step(Step::PreviousEvent),
                        _ => return,
                    };
                    event.prevent_default();
                    dispatch.emit(action);
                },
            );
            move || drop(listener)
        });
    }

    // After every render is committed to the page: `make bench-web` times
    // a toggle from the change event to this mark.
    use_effect(|| performance_mark("tunnelscope-rendered"));

    let state = Shared(Rc::new((*state).clone()));
    let notice = state.notice.clone().map(|n| {
        html! {
            <div class="notice" role="status">
                { n }
                <button onclick={dispatch.reform(|_| Action::Dismiss)} aria-label="Dismiss">{ "×" }</button>
            </div>
        }
    });
    let title = state.analysis.scenario.title.clone();
    html! {
        <div class="page">
            <header>
                <div class="masthead">
                    <div>
                        <h1>{ "tunnelscope" }</h1>
                        <p class="lede">{ "Where an iPhone's traffic goes with and without includeAllNetworks — every route with its source." }</p>
                    </div>
                    <nav aria-label="Modes">
                        <SupportPicker state={state.clone()} dispatch={dispatch.clone()} />
                        <a class="learn-link" href="learn/index.html">{ "Learn: short explanations" }</a>
                    </nav>
                </div>
                { for notice }
            </header>
            <SupportAnswer state={state.clone()} dispatch={dispatch.clone()} />
            <main class="layout">
                <section class="controls" aria-label="Scenario and settings">
                    <Controls state={state.clone()} dispatch={dispatch.clone()} />
                </section>
                <section class="stage" aria-label="Topology and time">
                    <h2 class="scenario-title">{ title }</h2>
                    <Drawings state={state.clone()} dispatch={dispatch.clone()} />
                    <Timeline state={state.clone()} dispatch={dispatch.clone()} />
                    <Narration state={state.clone()} />
                    <Compare state={state.clone()} dispatch={dispatch.clone()} />
                </section>
                <section class="inspector" aria-label="Inspector">
                    <Inspector state={state.clone()} dispatch={dispatch.clone()} />
                </section>
            </main>
            <section class="bottom">
                <Editor state={state.clone()} dispatch={dispatch.clone()} />
                <Downloads state={state.clone()} />
            </section>
        </div>
    }
}
