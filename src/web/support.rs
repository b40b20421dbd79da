//! Support mode on the page: the symptom picker, and the answer for the
//! chosen symptom: the same blocks `tunnelscope explain` prints, rendered as
//! HTML, with a print view and a Markdown download for the ticket.

use super::Shared;
use super::panels::{download, select_value, source_link};
use crate::library;
use crate::playground::{Action, Origin, Playground};
use crate::support::{self, Block, Explanation, SYMPTOMS};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: Shared<Playground>,
    pub dispatch: Callback<Action>,
}

/// The explanation of what is on screen now.
pub fn explanation(state: &Playground) -> Option<Explanation> {
    let symptom = support::symptom(state.support?)?;
    let file = match state.origin {
        Origin::Library(name) => library::find(name).map_or(name, |b| b.file),
        Origin::Edited => "edited in the playground",
    };
    let location = gloo::utils::window().location();
    let here = match (location.origin(), location.pathname()) {
        (Ok(origin), Ok(path)) => Some(format!("{origin}{path}")),
        _ => None,
    };
    Some(support::explain(
        &state.analysis.trace,
        file,
        Some(symptom),
        here.as_deref(),
    ))
}

#[component]
pub fn SupportPicker(props: &Props) -> Html {
    let current = props.state.support.unwrap_or("");
    let onchange = props.dispatch.reform(|e: Event| {
        let id = select_value(&e);
        Action::Support((!id.is_empty()).then_some(id))
    });
    html! {
        <label class="support-picker">
            <span>{ "Support: a customer says…" }</span>
            <select {onchange} aria-label="Pick a symptom to answer">
                <option value="" selected={current.is_empty()}>{ "— pick a symptom —" }</option>
                { for SYMPTOMS.iter().map(|s| html! {
                    <option value={s.id} selected={s.id == current}>{ s.asks }</option>
                }) }
            </select>
        </label>
    }
}

/// Inline `code` spans, as the Markdown rendering has them.
fn inline(text: &str) -> Html {
    let parts = text.split('`').enumerate().map(|(i, part)| {
        if i % 2 == 1 {
            html! { <code>{ part.to_string() }</code> }
        } else {
            links(part)
        }
    });
    html! { <>{ for parts }</> }
}

/// Addresses in running text become links (the ticket's playground link).
fn links(text: &str) -> Html {
    if !text.contains("http") {
        return html! { { text.to_string() } };
    }
    let words = text.split_inclusive(' ').map(|word| {
        let bare = word.trim_end();
        if bare.starts_with("http://") || bare.starts_with("https://") {
            html! { <><a href={bare.to_string()}>{ bare.to_string() }</a>{ &word[bare.len()..] }</> }
        } else {
            html! { { word.to_string() } }
        }
    });
    html! { <>{ for words }</> }
}

fn detail(text: &str) -> Html {
    match text.split_once(": ") {
        Some((label @ ("Source" | "Also"), source)) => {
            html! { <li>{ format!("{label}: ") }{ source_link(source) }</li> }
        }
        Some((label @ ("Exposes" | "Why"), rest)) => {
            html! { <li><strong>{ format!("{label}: ") }</strong>{ inline(rest) }</li> }
        }
        _ => html! { <li>{ inline(text) }</li> },
    }
}

/// "Played out in the scenario “Title” (`name`)" becomes a link that opens
/// it in a new tab, so the answer stays where it is.
fn item_details(details: &[String]) -> Html {
    let lines = details.iter().map(|d| {
        let scenario = d
            .strip_prefix("Played out in the scenario ")
            .and_then(|rest| rest.strip_suffix("`)"))
            .and_then(|rest| rest.rsplit_once(" (`"));
        match scenario {
            Some((title, name)) => html! {
                <li>{ "Played out in " }<a href={format!("#lib={name}")} target="_blank">{ title.to_string() }</a></li>
            },
            None => detail(d),
        }
    });
    html! { <ul class="details">{ for lines }</ul> }
}

fn block(b: &Block) -> Html {
    match b {
        Block::Heading { text, .. } => html! { <h3>{ text.clone() }</h3> },
        Block::Paragraph(p) => html! { <p>{ inline(p) }</p> },
        Block::List { ordered, items } => {
            let items = items.iter().map(|item| {
                html! {
                    <li>
                        { inline(&item.text) }
                        if !item.details.is_empty() { { item_details(&item.details) } }
                    </li>
                }
            });
            if *ordered {
                html! { <ol class="steps">{ for items }</ol> }
            } else {
                html! { <ul>{ for items }</ul> }
            }
        }
    }
}

/// The answer's sections: the customer's part open, the evidence behind it
/// folded (and unfolded for printing).
fn sections(blocks: &[Block]) -> Html {
    let mut out: Vec<Html> = Vec::new();
    let mut rest = blocks;
    while let Some((first, tail)) = rest.split_first() {
        let end = tail
            .iter()
            .position(|b| matches!(b, Block::Heading { .. }))
            .unwrap_or(tail.len());
        let body = tail[..end].iter().map(block);
        out.push(match first {
            Block::Heading { text, essential: false } => html! {
                <details class="ticket-part"><summary>{ text.clone() }</summary>{ for body }</details>
            },
            Block::Heading { .. } => html! { <section>{ block(first) }{ for body }</section> },
            other => html! { <>{ block(other) }{ for body }</> },
        });
        rest = &tail[end..];
    }
    html! { <>{ for out }</> }
}

fn open_folded_parts() {
    if let Ok(parts) = gloo::utils::document().query_selector_all(".support details") {
        for i in 0..parts.length() {
            if let Some(part) = parts
                .item(i)
                .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
            {
                let _ = part.set_attribute("open", "");
            }
        }
    }
}

#[component]
pub fn SupportAnswer(props: &Props) -> Html {
    // A printed ticket shows everything, folded parts included, also when
    // printed from the browser's menu.
    use_effect_with((), |_| {
        let listener =
            gloo::events::EventListener::new(&gloo::utils::window(), "beforeprint", |_| {
                open_folded_parts()
            });
        move || drop(listener)
    });
    let Some(explanation) = explanation(&props.state) else {
        return html! {};
    };
    let id = props.state.support.unwrap_or("answer");
    let print = Callback::from(|_| {
        open_folded_parts();
        let _ = gloo::utils::window().print();
    });
    let markdown = {
        let text = explanation.markdown();
        let name = format!("ticket-{id}.md");
        Callback::from(move |_| download(&name, "text/markdown", text.as_bytes()))
    };
    html! {
        <section class="support" aria-label="Support answer">
            <div class="support-head">
                <h2>{ explanation.title.clone() }</h2>
                <div class="buttons">
                    <button onclick={print}>{ "Print for the ticket" }</button>
                    <button onclick={markdown}>{ "Download as Markdown" }</button>
                    <button onclick={props.dispatch.reform(|_| Action::Support(None))}>{ "Close" }</button>
                </div>
            </div>
            <div class="support-body">{ sections(&explanation.blocks) }</div>
        </section>
    }
}
