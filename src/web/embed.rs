//! A live scenario inside a learn page: the topology (or two, compared) and
//! the timeline of one built-in scenario, with its own clock. The page's text
//! reads on its own; this only lets the reader watch it happen.

use super::Shared;
use super::app::use_clock;
use super::panels::{Inspector, Narration, Timeline};
use super::topology::Drawings;
use crate::playground::{Action, Playground};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// A built-in scenario's name.
    pub scenario: AttrValue,
    /// A `[vpn]` property to flip in a second drawing beside the first.
    #[prop_or_default]
    pub compare: Option<AttrValue>,
    /// A flow to select: the inspector then shows its rule chain.
    #[prop_or_default]
    pub select: Option<AttrValue>,
    /// Where the playground is, relative to the page.
    #[prop_or(AttrValue::Static("../index.html"))]
    pub playground: AttrValue,
}

#[component]
pub fn Embed(props: &Props) -> Html {
    let state = {
        let scenario = props.scenario.to_string();
        let compare = props.compare.as_ref().map(|c| c.to_string());
        let select = props.select.as_ref().map(|c| c.to_string());
        use_reducer(move || {
            let mut state = Rc::new(Playground::default()).reduce(Action::LoadLibrary(scenario));
            if compare.is_some() {
                state = state.reduce(Action::Compare(compare));
            }
            if select.is_some() {
                state = state.reduce(Action::Select(select));
            }
            (*state).clone()
        })
    };
    let dispatch = {
        let state = state.clone();
        Callback::from(move |action: Action| state.dispatch(action))
    };
    use_clock(state.playing, state.speed, dispatch.clone());
    let state = Shared(Rc::new((*state).clone()));
    let link = format!(
        "{}#{}",
        props.playground,
        crate::playground::url::to_fragment(&state)
    );
    html! {
        <div class="embed-player">
            if let Some(notice) = state.notice.clone() {
                <p class="notice" role="status">{ notice }</p>
            }
            <p class="embed-title">
                <strong>{ state.analysis.scenario.title.clone() }</strong>
                { " · " }<a href={link}>{ "open in the playground" }</a>
            </p>
            <Drawings state={state.clone()} dispatch={dispatch.clone()} />
            <Timeline state={state.clone()} dispatch={dispatch.clone()} />
            <Narration state={state.clone()} />
            if state.selected.is_some() {
                <div class="inspector embed-inspector"><Inspector state={state.clone()} dispatch={dispatch.clone()} /></div>
            }
        </div>
    }
}
