//! "Your iPhone": three questions a reader can answer — the iOS release,
//! the VPN app, where they are — and the view of that case, with what the
//! kill switch changes in it ([`crate::playground::case`]).

use crate::playground::Action;
use crate::playground::case::{App, Case, Place};
use crate::presets::PRESETS;
use crate::version::{IosVersion, MODELLED};
use crate::words;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub dispatch: Callback<Action>,
}

/// The form; its answers stay in the form until "Show my case".
#[component]
pub fn YourIphone(props: &Props) -> Html {
    let ios = use_node_ref();
    let app = use_node_ref();
    let place = use_node_ref();
    let onsubmit = {
        let (ios, app, place, dispatch) = (
            ios.clone(),
            app.clone(),
            place.clone(),
            props.dispatch.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
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
    let newest = MODELLED.last().map(|m| m.version);
    let apps = PRESETS
        .iter()
        .map(App::Preset)
        .chain([true, false].map(|kill_switch| App::Other { kill_switch }));
    html! {
        <details class="finder">
            <summary>{ "Your iPhone: find your case (iOS, VPN app, where you are)" }</summary>
            <form {onsubmit}>
                <label class="field">
                    <span>{ "iOS release" }</span>
                    <select ref={ios} name="case-ios">
                        { for MODELLED.iter().map(|m| html! {
                            <option value={m.version.to_string()} selected={Some(m.version) == newest}>{ m.version.to_string() }</option>
                        }) }
                    </select>
                </label>
                <label class="field">
                    <span>{ "VPN app" }</span>
                    <select ref={app} name="case-app">
                        { for apps.map(|a| html! { <option value={a.key()}>{ words::app(a) }</option> }) }
                    </select>
                </label>
                <label class="field">
                    <span>{ "Where you are" }</span>
                    <select ref={place} name="case-place">
                        { for Place::ALL.iter().map(|p| html! { <option value={p.key()}>{ words::place(*p) }</option> }) }
                    </select>
                </label>
                <button type="submit">{ "Show my case" }</button>
            </form>
        </details>
    }
}
