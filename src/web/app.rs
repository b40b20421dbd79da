//! The page: state, effects, layout.
//!
//! The state is a [`Playground`] in a reducer; each panel gets the slices of
//! it that it shows and the one stable `dispatch` callback. The same
//! component renders the prerendered page (natively, at build time) and the
//! live one.

use super::change::ChangeSummary;
use super::drawings::Drawings;
use super::finder::YourIphone;
use super::hooks::{
    use_address, use_clock, use_dispatch, use_keyboard, use_layout, use_open_link,
    use_rendered_mark, use_slices, use_takeover,
};
use super::panels::{
    AddEvent, Compare, Controls, Downloads, Editor, Inspector, Narration, Timeline,
};
use super::support::{SupportAnswer, SupportPicker, scenario_file};
use super::topology::Layout;
use super::{Shared, SiteRoot, Slices};
use crate::playground::url::{self, Page};
use crate::playground::{Action, Origin, Playground};
use crate::words;
use std::rc::Rc;
use yew::prelude::*;

impl Reducible for Playground {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Playground::reduce(&self, action)
    }
}

#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The page the browser opened (it names the scenario or symptom).
    pub page: Page,
    /// The address's fragment when it was opened (the rest of the view).
    #[prop_or_default]
    pub fragment: AttrValue,
    /// The drawing's layout: both when prerendering (the stylesheet picks),
    /// the one that fits when live.
    pub layout: Layout,
}

#[component]
pub fn App(props: &AppProps) -> Html {
    // A link with an edited scenario is read after the first frame (the
    // page says it is opening it meanwhile); any other opens at once.
    let deferred = url::carries_scenario(&props.fragment);
    let state = {
        let (page, fragment) = (props.page, props.fragment.clone());
        use_reducer(move || (*url::open(page, if deferred { "" } else { &fragment })).clone())
    };
    let dispatch = use_dispatch(&state);
    let opened = use_open_link(
        deferred.then(|| (props.page, props.fragment.to_string())),
        dispatch.clone(),
    );
    let layout = use_layout(props.layout);
    let node = use_node_ref();
    use_address(&state, opened, dispatch.clone());
    use_clock(state.playing, state.speed, dispatch.clone());
    use_slices(state.running.as_ref().map(|r| r.slices), dispatch.clone());
    use_keyboard(dispatch.clone());
    use_takeover(node.clone(), "app", "tunnelscope-first-frame", opened);
    use_rendered_mark();

    let root = SiteRoot(Page::of(&state).root().into());
    let Slices {
        analysis,
        compared,
        selected,
    } = Slices::of(&state);
    let text = AttrValue::from(state.text.clone());
    let library = match state.origin {
        Origin::Library(name) => Some(name),
        Origin::Edited => None,
    };
    let notice = state.notice.clone().map(|n| {
        html! {
            <div class="notice" role="status">
                { n }
                <button onclick={dispatch.reform(|_| Action::Dismiss)} aria-label="Dismiss">{ "×" }</button>
            </div>
        }
    });
    // A run that reached its budget says so for as long as it is shown; a
    // run still under way shows how far it has got.
    let stopped = state.analysis.trace.stopped.map(|stop| {
        html! {
            <div class="notice budget" role="status">
                { words::stopped(&stop, state.analysis.scenario.duration_ms) }
            </div>
        }
    });
    let running = state.running.as_ref().map(|running| {
        let (done, of) = running.progress_ms;
        html! {
            <div class="notice running" role="status">
                <progress max={of.to_string()} value={done.to_string()}></progress>
                { words::running(done, of) }
            </div>
        }
    });
    html! {
        <ContextProvider<SiteRoot> context={root.clone()}>
        <div class="page" ref={node}>
            <header>
                <div class="masthead">
                    <div>
                        <h1><a class="home" href={format!("{}index.html", root.0)}>{ "tunnelscope" }</a></h1>
                        <p class="lede">
                            { "Where an iPhone's traffic goes with the VPN's " }
                            <a href={format!("{}glossary.html#kill-switch", root.0)}>{ "kill switch" }</a>
                            { " (includeAllNetworks) on and off — every route with its source." }
                        </p>
                    </div>
                    <nav aria-label="Modes">
                        <SupportPicker current={state.support} dispatch={dispatch.clone()} />
                        <a class="learn-link" href={format!("{}learn/index.html", root.0)}>{ "Learn: short explanations" }</a>
                        <a class="learn-link" href={format!("{}glossary.html", root.0)}>{ "Glossary" }</a>
                    </nav>
                </div>
                { for notice }
                { for running }
                { for stopped }
            </header>
            <SupportAnswer symptom={state.support} analysis={analysis.clone()}
                file={scenario_file(&state.origin)} dispatch={dispatch.clone()} />
            <main class="layout">
                <section class="stage" aria-label="Topology and time">
                    <YourIphone case={crate::playground::case::Case::of(&state.analysis.scenario)} dispatch={dispatch.clone()} />
                    <h2 class="scenario-title">{ state.heading() }</h2>
                    <ChangeSummary analysis={analysis.clone()} compared={compared.clone()}
                        comparing={state.comparing} dispatch={dispatch.clone()} />
                    <Drawings analysis={analysis.clone()} compared={compared.clone()} side={state.side} now={state.time_ms}
                        speed={state.speed} selected={selected.clone()} {layout} dispatch={dispatch.clone()} />
                    <Timeline analysis={Shared(Rc::clone(state.shown()))} selected={selected.clone()} now={state.time_ms} playing={state.playing}
                        speed={state.speed} {layout} dispatch={dispatch.clone()} />
                    <Narration analysis={Shared(Rc::clone(state.shown()))} now={state.time_ms} />
                    <Compare comparing={state.comparing} dispatch={dispatch.clone()} />
                </section>
                // On a phone the inspector is a sheet over the drawing's
                // lower part while a flow is chosen, where the tap was.
                <section class={classes!("inspector", selected.is_some().then_some("open"))} aria-label="Inspector">
                    <Inspector analysis={Shared(Rc::clone(state.shown()))} side={inspected_side(&state)}
                        now={if selected.is_some() { state.time_ms } else { 0 }} {selected} dispatch={dispatch.clone()} />
                </section>
                <section class="controls" aria-label="Scenario and settings">
                    <Controls analysis={analysis.clone()} text={text.clone()} {library} dispatch={dispatch.clone()} />
                    <AddEvent now={state.time_ms} dispatch={dispatch.clone()} />
                </section>
            </main>
            <section class="bottom" aria-label="The scenario's text and its captures">
                <Editor text={text.clone()} errors={state.errors.clone()} dispatch={dispatch.clone()} />
                <Downloads {analysis} {text} />
            </section>
        </div>
        </ContextProvider<SiteRoot>>
    }
}

/// Which run the inspector explains, in words ("Kill switch off"), when
/// the page compares two.
fn inspected_side(state: &Playground) -> Option<AttrValue> {
    let (key, _) = state.compare.as_ref()?;
    let prop = crate::facts::property_by_key(key)?.prop;
    let on = state.shown().scenario.vpn.as_ref()?.flag(prop)?;
    Some(words::setting_state(prop, on).into())
}
