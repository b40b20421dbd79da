//! "Your iPhone": three questions a reader can answer — the iOS release,
//! the VPN app, where they are — and the view of that case, with what the
//! kill switch changes in it ([`crate::playground::case`]). The form opens
//! on the case shown, and each answer opens its case at once.

use super::SiteRoot;
use crate::playground::Action;
use crate::playground::case::{App, Case, Place};
use crate::playground::url::Page;
use crate::presets::PRESETS;
use crate::version::{IosVersion, MODELLED};
use crate::words;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The case closest to the view shown.
    pub case: Case,
    pub dispatch: Callback<Action>,
}

#[component]
pub fn YourIphone(props: &Props) -> Html {
    let ios = use_node_ref();
    let app = use_node_ref();
    let place = use_node_ref();
    let onchange = {
        let (ios, app, place, dispatch) = (
            ios.clone(),
            app.clone(),
            place.clone(),
            props.dispatch.clone(),
        );
        Callback::from(move |_: Event| {
            let value = |node: &NodeRef| {
                node.cast::<HtmlSelectElement>()
                    .map(|s| s.value())
                    .unwrap_or_default()
            };
            let case = (
                IosVersion::parse(&value(&ios)).ok(),
                App::from_key(&value(&app)),
                Place::from_key(&value(&place)),
            );
            if let (Some(ios), Some(app), Some(place)) = case {
                dispatch.emit(Action::FindCase(Case { ios, app, place }));
            }
        })
    };
    let case = props.case;
    let root = use_context::<SiteRoot>().unwrap_or_default().0;
    let advice = case
        .place
        .advice()
        .and_then(crate::support::symptom)
        .map(|symptom| {
            html! {
                <p class="advice">
                    { words::place_advice(case.place) }
                    <a href={format!("{root}{}", Page::Symptom(symptom.id).path())}>{ symptom.asks }</a>
                </p>
            }
        });
    let apps = PRESETS
        .iter()
        .map(App::Preset)
        .chain([true, false].map(|kill_switch| App::Other { kill_switch }));
    html! {
        <details class="finder">
            <summary>{ "Your iPhone: find your case (iOS, VPN app, where you are)" }</summary>
            <form autocomplete="off">
                <label class="field">
                    <span>{ "iOS release" }</span>
                    <select ref={ios} name="case-ios" onchange={onchange.clone()}>
                        { for MODELLED.iter().map(|m| html! {
                            <option value={m.version.to_string()} selected={m.version == case.ios}>{ m.version.to_string() }</option>
                        }) }
                    </select>
                </label>
                <label class="field">
                    <span>{ "VPN app" }</span>
                    <select ref={app} name="case-app" onchange={onchange.clone()}>
                        { for apps.map(|a| html! { <option value={a.key()} selected={a == case.app}>{ words::app(a) }</option> }) }
                    </select>
                </label>
                <label class="field">
                    <span>{ "Where you are" }</span>
                    <select ref={place} name="case-place" {onchange}>
                        { for Place::ALL.iter().map(|p| html! { <option value={p.key()} selected={*p == case.place}>{ words::place(*p) }</option> }) }
                    </select>
                </label>
                <p class="hint">{ "Each answer opens that case at once." }</p>
                { for advice }
            </form>
        </details>
    }
}
