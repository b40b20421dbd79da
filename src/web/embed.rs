//! A live scenario inside a learn page: the topology (or two, compared) and
//! the timeline of one built-in scenario, with its own clock. The page's text
//! reads on its own; this only lets the reader watch it happen.

use super::change::ChangeSummary;
use super::drawings::Drawings;
use super::hooks::{use_clock, use_dispatch, use_layout, use_takeover};
use super::panels::{Inspector, Narration, Timeline};
use super::topology::Layout;
use super::{Shared, SiteRoot, Slices};
use crate::playground::{Playground, url};
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
    /// From the learn page to the site's root.
    #[prop_or(AttrValue::Static("../"))]
    pub root: AttrValue,
    pub layout: Layout,
}

/// The state an embed opens on: a link to its scenario, compared and
/// selected as the figure asks (an unknown name gives the link's notice).
fn initial_state(
    scenario: &str,
    compare: Option<&AttrValue>,
    select: Option<&AttrValue>,
) -> Playground {
    let mut fragment = format!("lib={scenario}");
    if let Some(compare) = compare {
        fragment.push_str(&format!("&ab={compare}"));
    }
    if let Some(select) = select {
        fragment.push_str(&format!("&sel={}", url::encode64(select.as_bytes())));
    }
    (*url::open(url::Page::Index, &fragment)).clone()
}

#[component]
pub fn Embed(props: &Props) -> Html {
    let state = {
        let (scenario, compare, select) = (
            props.scenario.clone(),
            props.compare.clone(),
            props.select.clone(),
        );
        use_reducer(move || initial_state(&scenario, compare.as_ref(), select.as_ref()))
    };
    let dispatch = use_dispatch(&state);
    let layout = use_layout(props.layout);
    let node = use_node_ref();
    use_clock(state.playing, state.speed, dispatch.clone());
    use_takeover(node.clone(), "embeds", "tunnelscope-embeds", true);
    let link = format!("{}{}", props.root, url::address(&state));
    let Slices {
        analysis,
        compared,
        selected,
    } = Slices::of(&state);
    html! {
        <ContextProvider<SiteRoot> context={SiteRoot(props.root.clone())}>
        <div class="embed-player" ref={node}>
            if let Some(notice) = state.notice.clone() {
                <p class="notice" role="status">{ notice }</p>
            }
            <p class="embed-title">
                <strong>{ state.analysis.scenario.title.clone() }</strong>
                { " · " }<a href={link}>{ "open in the playground" }</a>
            </p>
            <ChangeSummary analysis={analysis.clone()} compared={compared.clone()}
                comparing={state.comparing} dispatch={dispatch.clone()} />
            <Drawings analysis={analysis.clone()} {compared} side={state.side} now={state.time_ms} speed={state.speed}
                selected={selected.clone()} {layout} dispatch={dispatch.clone()} />
            <Timeline analysis={Shared(Rc::clone(state.shown()))} selected={selected.clone()} now={state.time_ms} playing={state.playing}
                speed={state.speed} {layout} dispatch={dispatch.clone()} />
            <Narration analysis={Shared(Rc::clone(state.shown()))} now={state.time_ms} />
            if selected.is_some() {
                <div class="inspector embed-inspector">
                    <Inspector analysis={Shared(Rc::clone(state.shown()))} {selected} now={state.time_ms} dispatch={dispatch.clone()} />
                </div>
            }
        </div>
        </ContextProvider<SiteRoot>>
    }
}
