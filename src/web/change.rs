//! "What the kill switch changes here": the answer first, in words, then a
//! row per flow that goes another way — with it on, with it off, when, and
//! the deciding rule on each side with its evidence. Computed from the two
//! runs ([`crate::difference`]); the words come from [`crate::words`].

use super::{Shared, SiteRoot};
use crate::difference::{Difference, FlowChange, Path};
use crate::playground::{Action, Analysis, DRAWN_FLOWS, difference};
use crate::words;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub analysis: Shared<Analysis>,
    /// The run with the compared property flipped, and the property's key.
    pub compared: Option<(AttrValue, Shared<Analysis>)>,
    /// The compared property's key (`None`: the reader turned it off).
    pub comparing: Option<&'static str>,
    pub dispatch: Callback<Action>,
}

/// The summary of what flipping the compared property changes.
#[component]
pub fn ChangeSummary(props: &Props) -> Html {
    let computed = use_memo(
        (
            props.analysis.clone(),
            props.compared.clone(),
            props.comparing,
        ),
        |(analysis, compared, comparing)| {
            comparing
                .and_then(|key| difference(key, analysis, compared.as_ref().map(|(_, c)| &*c.0)))
        },
    );
    let end_ms = props.analysis.scenario.duration_ms;
    let root = use_context::<SiteRoot>().unwrap_or_default().0;
    let body = match &*computed {
        None if props.comparing.is_none() => return Html::default(),
        None => html! { <p class="headline">{ "Working out what changes…" }</p> },
        Some(Err(why)) => html! { <p class="headline">{ words::no_comparison(*why) }</p> },
        Some(Ok(difference)) => html! {
            <>
                <p class="headline">{ words::difference_headline(difference, end_ms) }</p>
                if let Some(either) = words::outside_either_way(difference) {
                    <p class="either-way">{ either }</p>
                }
                if !difference.flows.is_empty() {
                    { rows(difference, end_ms, &root, &props.dispatch) }
                }
            </>
        },
    };
    let title = match &*computed {
        Some(Ok(d)) => format!("What {} changes here", words::setting_name(d.prop)),
        _ => "What the kill switch changes here".to_string(),
    };
    html! {
        <div class="change-summary">
            <h3>{ title }</h3>
            { body }
        </div>
    }
}

/// One row per flow that goes another way.
fn rows(d: &Difference, end_ms: u64, root: &str, dispatch: &Callback<Action>) -> Html {
    let configured = |on: bool| {
        if on == d.configured_on {
            " (this scenario)"
        } else {
            ""
        }
    };
    let labels = (
        format!("{}{}", words::setting_state(d.prop, true), configured(true)),
        format!(
            "{}{}",
            words::setting_state(d.prop, false),
            configured(false)
        ),
    );
    // A run may have a thousand flows: the first dozen are listed (as
    // the drawing draws a dozen), the rest counted.
    let rows = d
        .flows
        .iter()
        .take(DRAWN_FLOWS)
        .map(|change| row(change, end_ms, &labels, root, dispatch));
    let unlisted = d.flows.len().saturating_sub(DRAWN_FLOWS);
    html! {
        <table class="changes">
            // HTML puts a caption first; the stylesheet shows it below.
            if unlisted > 0 {
                <caption>{ words::more_changes(unlisted) }</caption>
            }
            <thead>
                <tr>
                    <th scope="col">{ "Flow" }</th>
                    <th scope="col">{ labels.0.clone() }</th>
                    <th scope="col">{ labels.1.clone() }</th>
                </tr>
            </thead>
            <tbody>{ for rows }</tbody>
        </table>
    }
}

/// How many of a flow's changes get a row each (the timeline marks all).
const SPANS_LISTED: usize = 3;

/// A flow's rows, one for each time it goes another way (the first few);
/// `labels` name the two columns (a phone shows them in each cell, its
/// table having no header row).
fn row(
    change: &FlowChange,
    end_ms: u64,
    labels: &(String, String),
    root: &str,
    dispatch: &Callback<Action>,
) -> Html {
    let name = change.name.clone();
    let select = dispatch.reform(move |_| Action::Select(Some(name.clone())));
    let listed = change.spans.len().min(SPANS_LISTED);
    let rows = change.spans.iter().take(SPANS_LISTED).enumerate().map(|(i, span)| {
        let at = span.from_ms;
        // The moment, and the drawings brought into view (on a phone they
        // are below this table).
        let seek = dispatch.reform(move |_| {
            #[cfg(target_arch = "wasm32")]
            if let Ok(Some(views)) = gloo::utils::document().query_selector(".views") {
                views.scroll_into_view();
            }
            Action::Seek(at)
        });
        let more = (i + 1 == listed && change.spans.len() > listed)
            .then(|| html! { <p class="more">{ words::more_spans(change.spans.len(), listed) }</p> });
        let flow = if i == 0 {
            html! { <button class="link" onclick={select.clone()}>{ words::flow_noun(change.kind, &change.name) }</button> }
        } else {
            html! { <span class="then">{ words::then_again() }</span> }
        };
        html! {
            <tr key={format!("{}-{i}", change.name)}>
                <th scope="row">
                    { flow }
                    <button class="link when" onclick={seek}>{ words::span_when(span, end_ms) }</button>
                    { for more }
                </th>
                <td data-side={labels.0.clone()}>{ side(&span.on, root) }</td>
                <td data-side={labels.1.clone()}>{ side(&span.off, root) }</td>
            </tr>
        }
    });
    html! { <>{ for rows }</> }
}

/// Where one side's traffic goes, and the rule that decided it (its badge
/// links to what the kind of evidence means).
fn side(path: &Path, root: &str) -> Html {
    let evidence = path.rule.provenance;
    html! {
        <>
            <strong>{ words::path(path) }</strong>
            <p class="why">
                { "Why: " }{ path.rule.says }{ " " }
                <a class={classes!("badge", evidence.as_str())} href={format!("{root}glossary.html#{}", evidence.as_str())}
                    title={words::evidence_meaning(evidence)}>{ evidence.as_str() }</a>
            </p>
        </>
    }
}

// Rendered natively, as the site build does (yew's `ssr`).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::playground::Playground;
    use std::rc::Rc;

    fn render(state: &Playground) -> String {
        let props = Props {
            analysis: Shared(Rc::clone(&state.analysis)),
            compared: state
                .compare
                .as_ref()
                .map(|(k, c)| (AttrValue::from(k.clone()), Shared(Rc::clone(c)))),
            comparing: state.comparing,
            dispatch: Callback::noop(),
        };
        let renderer =
            yew::LocalServerRenderer::<ChangeSummary>::with_props(props).hydratable(false);
        futures::executor::block_on(renderer.render())
    }

    #[test]
    fn a_flow_that_changes_again_gets_a_row_each_time() {
        // Find a library view where some flow goes another way more than
        // once; each time is a row of its own, under the flow's name.
        let (state, change) = crate::library::LIBRARY
            .iter()
            .map(Playground::of_library)
            .find_map(|state| {
                let Some(Ok(d)) = state.difference() else {
                    return None;
                };
                let change = d.flows.iter().find(|c| c.spans.len() > 1)?.clone();
                Some((state, change))
            })
            .expect("some library flow changes twice");
        let html = render(&state);
        let again = html.matches(words::then_again()).count();
        let listed = change.spans.len().min(SPANS_LISTED);
        assert!(again >= listed - 1, "{}: {html}", change.name);
        for span in change.spans.iter().take(listed) {
            let when = words::span_when(span, state.end_ms());
            assert!(html.contains(&when), "{when}\n{html}");
        }
    }

    #[test]
    fn every_library_scenario_says_what_the_kill_switch_changes() {
        for built_in in crate::library::LIBRARY {
            let state = Playground::of_library(built_in);
            let html = render(&state);
            assert!(
                html.contains("class=\"headline\""),
                "{}: {html}",
                built_in.name
            );
            let said = match state.difference() {
                Some(Ok(d)) => words::difference_headline(&d, state.end_ms()),
                Some(Err(why)) => words::no_comparison(why),
                None => panic!("{}: compared by default", built_in.name),
            };
            let escaped = said.replace('"', "&quot;").replace('\'', "&#39;");
            assert!(
                html.contains(&said) || html.contains(&escaped),
                "{}: {said}\n{html}",
                built_in.name
            );
        }
    }
}
