//! The scenario's drawing, and beside it the same scenario with the
//! compared setting (the kill switch) flipped: side by side on a desktop,
//! one at a time on a phone with an On | Off switch that swaps them in
//! place at the same moment (the stylesheet shows what fits; both share
//! one clock). Flows that go another way at this moment are marked ≠, and
//! a line under the switch says what flipping changes now.

use super::Shared;
use super::topology::{Layout, Topology};
use crate::difference::Difference;
use crate::playground::{Action, Analysis, Side};
use crate::words;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub analysis: Shared<Analysis>,
    /// The comparison's run and the property it flips, when comparing.
    pub compared: Option<(AttrValue, Shared<Analysis>)>,
    /// The run the reader looks at: the phone shows only this one.
    #[prop_or_default]
    pub side: Side,
    pub now: u64,
    pub speed: u32,
    pub selected: Option<AttrValue>,
    pub layout: Layout,
    pub dispatch: Callback<Action>,
}

/// A dispatch that also says which side a click in a drawing looked at.
fn on_side(side: Side) -> impl Fn(Action, &Callback<Action>) {
    move |action: Action, dispatch: &Callback<Action>| {
        if matches!(action, Action::Select(Some(_))) {
            dispatch.emit(Action::Show(side));
        }
        dispatch.emit(action);
    }
}

#[component]
pub fn Drawings(props: &Props) -> Html {
    let configured_dispatch = use_callback(props.dispatch.clone(), on_side(Side::Configured));
    let flipped_dispatch = use_callback(props.dispatch.clone(), on_side(Side::Flipped));
    let difference = use_memo(
        (props.analysis.clone(), props.compared.clone()),
        |(analysis, compared)| {
            let (key, other) = compared.as_ref()?;
            match crate::playground::difference(key, analysis, Some(other)) {
                Some(Ok(d)) => Some(Rc::new(d)),
                _ => None,
            }
        },
    );
    // Two drawings side by side fit a desktop only in the tall layout.
    let layout = match (&props.compared, props.layout) {
        (Some(_), Layout::Wide) => Layout::Tall,
        (_, layout) => layout,
    };
    let changed = (*difference).as_ref().map(|d| {
        let names = d
            .flows_at(props.now)
            .map(|f| AttrValue::from(f.name.clone()))
            .collect();
        (names, AttrValue::from(words::changed_mark(d.prop)))
    });
    let drawing = |analysis: &Shared<Analysis>, label: String, dispatch: &Callback<Action>| {
        html! {
            <Topology analysis={analysis.clone()} now={props.now} speed={props.speed}
                selected={props.selected.clone()} label={AttrValue::from(label)} {layout}
                changed={changed.clone()} dispatch={dispatch.clone()} />
        }
    };
    let Some((key, other)) = &props.compared else {
        return html! {
            <div class="views">
                { drawing(&props.analysis, "as configured".into(), &props.dispatch) }
            </div>
        };
    };
    let states = crate::facts::property_by_key(key).and_then(|p| {
        let on = props.analysis.scenario.vpn.as_ref()?.flag(p.prop)?;
        Some((p.prop, on))
    });
    let (configured_label, flipped_label) = match states {
        Some((prop, on)) => (
            format!("{} (as configured)", words::setting_state(prop, on)),
            words::setting_state(prop, !on),
        ),
        None => ("as configured".to_string(), format!("{key} flipped")),
    };
    let shown = match props.side {
        Side::Configured => "shown-configured",
        Side::Flipped => "shown-flipped",
    };
    // A phone shows one drawing at a time: the live page draws only that
    // one (the prerendered page has both, and the stylesheet hides one).
    let draws = |side: Side| props.layout != Layout::Tall || props.side == side;
    html! {
        <div class={classes!("views", "ab", shown)}>
            if let Some((prop, on)) = states {
                { switch(prop, on, props.side, &props.dispatch) }
            }
            if let Some(d) = &*difference {
                { now_note(d, props.now, props.analysis.scenario.duration_ms, &props.dispatch) }
            }
            <div class="side configured">
                if draws(Side::Configured) { { drawing(&props.analysis, configured_label, &configured_dispatch) } }
            </div>
            <div class="side flipped">
                if draws(Side::Flipped) { { drawing(other, flipped_label, &flipped_dispatch) } }
            </div>
        </div>
    }
}

/// The phone's On | Off switch: which run the one drawing shows.
fn switch(
    prop: crate::facts::Prop,
    configured_on: bool,
    side: Side,
    dispatch: &Callback<Action>,
) -> Html {
    let button = |to: Side, shows_on: bool| {
        let pressed = side == to;
        html! {
            <button class={classes!(pressed.then_some("pressed"))} aria-pressed={pressed.to_string()}
                onclick={dispatch.reform(move |_| Action::Show(to))}>
                { if shows_on { "On" } else { "Off" } }
            </button>
        }
    };
    let (on_side, off_side) = if configured_on {
        (Side::Configured, Side::Flipped)
    } else {
        (Side::Flipped, Side::Configured)
    };
    html! {
        <div class="side-switch" role="group" aria-label={format!("Show the run with {} on or off", words::setting_name(prop))}>
            <span>{ words::setting_title(prop) }</span>
            { button(on_side, true) }
            { button(off_side, false) }
        </div>
    }
}

/// What flipping the setting changes at this moment, and where to look
/// when it changes nothing now.
fn now_note(d: &Difference, now: u64, end_ms: u64, dispatch: &Callback<Action>) -> Html {
    let (said, go) = words::at_this_moment(d, now, end_ms);
    html! {
        <p class="now-note" aria-live="polite">
            { said }
            if let Some(at) = go {
                { " " }
                <button class="link" onclick={dispatch.reform(move |_| Action::Seek(at))}>
                    { format!("Go to {}", crate::scenario::duration::format(at)) }
                </button>
            }
        </p>
    }
}
