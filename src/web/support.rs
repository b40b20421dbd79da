//! Support mode on the page: the symptom picker, and the answer for the
//! chosen symptom: the same blocks `tunnelscope explain` prints, rendered as
//! HTML, with a print view and a Markdown download for the ticket.

use super::panels::{download, select_value, source_link};
use super::{Shared, SiteRoot};
use crate::library;
use crate::playground::{Action, Analysis, Origin};
use crate::report::{Block, Detail, Document};
use crate::support::{self, SYMPTOMS};
use yew::prelude::*;

/// Where the scenario on screen came from, as the ticket names it.
pub fn scenario_file(origin: &Origin) -> &'static str {
    match origin {
        Origin::Library(name) => library::find(name).map_or(name, |b| b.file),
        Origin::Edited => "edited in the playground",
    }
}

/// The explanation of a symptom for the run on screen; `root` is the
/// playground's root, relative or absolute.
fn explanation(symptom: &str, analysis: &Analysis, file: &str, root: &str) -> Option<Document> {
    let symptom = support::symptom(symptom)?;
    Some(support::answer(
        &analysis.trace,
        file,
        Some(symptom),
        Some(root),
        support::Audience::Both,
    ))
}

/// The customer's message on the clipboard, with the link to this view.
/// Where the browser refuses (no clipboard, no permission), the message is
/// on the page to select by hand, and the status says so.
fn copy_customer_message(
    symptom: &'static support::Symptom,
    link: String,
    status: UseStateHandle<&'static str>,
) {
    let text = support::customer_text(symptom, Some(&link));
    let written = gloo::utils::window()
        .navigator()
        .clipboard()
        .write_text(&text);
    wasm_bindgen_futures::spawn_local(async move {
        status.set(match wasm_bindgen_futures::JsFuture::from(written).await {
            Ok(_) => "Copied.",
            Err(_) => "The browser did not allow copying: select the message above and copy it.",
        });
    });
}

/// The site's root as an absolute address (for text that leaves the page).
fn absolute(root: &str) -> String {
    let here = gloo::utils::window().location().href().unwrap_or_default();
    web_sys::Url::new_with_base(root, &here).map_or(here, |url| url.href())
}

#[derive(Properties, PartialEq)]
pub struct PickerProps {
    pub current: Option<&'static str>,
    pub dispatch: Callback<Action>,
}

#[component]
pub fn SupportPicker(props: &PickerProps) -> Html {
    let current = props.current.unwrap_or("");
    let query = use_state(String::new);
    let onchange = props.dispatch.reform(|e: Event| {
        let id = select_value(&e);
        Action::Support((!id.is_empty()).then_some(id))
    });
    let oninput = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| query.set(super::panels::input_value(&e)))
    };
    let finding = support::find(&query);
    let found = finding.matches;
    let notes = finding
        .not_answered
        .iter()
        .map(|note| html! { <p class="finder-none" role="status">{ *note }</p> });
    let results = if query.trim().is_empty() {
        html! {}
    } else if found.is_empty() {
        html! { <p class="finder-none" role="status">{ "No symptom matches those words: pick one from the list above." }</p> }
    } else {
        let items = found.iter().take(5).map(|m| {
            let id = m.symptom.id;
            let pick = props
                .dispatch
                .reform(move |_| Action::Support(Some(id.to_string())));
            html! { <li><button class="link" onclick={pick}>{ m.symptom.asks }</button></li> }
        });
        html! { <ol class="finder-results" aria-label="Symptoms that match, best first">{ for items }</ol> }
    };
    html! {
        <div class="support-picker">
            <label>
                <span>{ "Support: a customer says…" }</span>
                <select {onchange} aria-label="Pick a symptom to answer">
                    <option value="" selected={current.is_empty()}>{ "— pick a symptom —" }</option>
                    { for SYMPTOMS.iter().map(|s| html! {
                        <option value={s.id} selected={s.id == current}>{ s.asks }</option>
                    }) }
                </select>
            </label>
            <label>
                <span>{ "…or type the customer's words" }</span>
                <input type="search" value={(*query).clone()} {oninput} placeholder="e.g. no notifications on wifi" aria-label="The customer's words, to find the symptom" />
            </label>
            if !query.trim().is_empty() { { for notes } }
            { results }
        </div>
    }
}

/// Inline `code` spans, as the Markdown rendering has them.
fn inline(text: &str) -> Html {
    let parts = text.split('`').enumerate().map(|(i, part)| {
        if i % 2 == 1 {
            html! { <code>{ part.to_string() }</code> }
        } else {
            html! { { part.to_string() } }
        }
    });
    html! { <>{ for parts }</> }
}

/// An item's lines; a scenario that plays a step out is a link that opens
/// it in a new tab, so the answer stays where it is.
fn item_details(details: &[Detail], root: &str) -> Html {
    let lines = details.iter().map(|d| match d {
        Detail::Text(text) => html! { <li>{ inline(text) }</li> },
        Detail::Labelled(label, text) => {
            html! { <li><strong>{ format!("{label}: ") }</strong>{ inline(text) }</li> }
        }
        Detail::Cited(label, source) => {
            html! { <li>{ format!("{label}: ") }{ source_link(source) }</li> }
        }
        Detail::PlayedOut(built_in) => html! {
            <li>{ "Played out in " }<a href={format!("{root}{}", library::page_path(built_in.name))} target="_blank">{ built_in.title }</a></li>
        },
    });
    html! { <ul class="details">{ for lines }</ul> }
}

fn block(b: &Block, root: &str) -> Html {
    match b {
        Block::Heading { text, .. } => html! { <h3>{ text.clone() }</h3> },
        Block::Paragraph(p) => html! { <p>{ inline(p) }</p> },
        Block::Link { lead, address } => html! {
            <p>{ inline(lead) }<a href={address.clone()}>{ address.clone() }</a></p>
        },
        Block::Table(table) => html! {
            <table class="ticket-table">
                <thead><tr>{ for table.header.iter().map(|h| html! { <th>{ *h }</th> }) }</tr></thead>
                <tbody>{ for table.rows.iter().map(|row| html! {
                    <tr>{ for row.iter().map(|cell| html! { <td>{ inline(cell) }</td> }) }</tr>
                }) }</tbody>
            </table>
        },
        Block::List { ordered, items } => {
            let items = items.iter().map(|item| {
                html! {
                    <li>
                        { inline(&item.text) }
                        if !item.details.is_empty() { { item_details(&item.details, root) } }
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
fn sections(blocks: &[Block], root: &str) -> Html {
    let mut out: Vec<Html> = Vec::new();
    let mut rest = blocks;
    while let Some((first, tail)) = rest.split_first() {
        let end = tail
            .iter()
            .position(|b| matches!(b, Block::Heading { .. }))
            .unwrap_or(tail.len());
        let body = tail[..end].iter().map(|b| block(b, root));
        out.push(match first {
            Block::Heading { text, essential: false } => html! {
                <details class="ticket-part"><summary>{ text.clone() }</summary>{ for body }</details>
            },
            Block::Heading { .. } => html! { <section>{ block(first, root) }{ for body }</section> },
            other => html! { <>{ block(other, root) }{ for body }</> },
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

#[derive(Properties, PartialEq)]
pub struct AnswerProps {
    /// The symptom answered, if any.
    pub symptom: Option<&'static str>,
    pub analysis: Shared<Analysis>,
    /// Where the scenario came from ([`scenario_file`]).
    pub file: AttrValue,
    pub dispatch: Callback<Action>,
}

#[component]
pub fn SupportAnswer(props: &AnswerProps) -> Html {
    let root = use_context::<SiteRoot>().unwrap_or_default().0;
    // A printed ticket shows everything, folded parts included, also when
    // printed from the browser's menu.
    use_effect_with((), |_| {
        let listener =
            gloo::events::EventListener::new(&gloo::utils::window(), "beforeprint", |_| {
                open_folded_parts()
            });
        move || drop(listener)
    });
    // Before any early return: hooks run in the same order every render.
    let copy_status = use_state(|| "");
    // Worked out again only when the symptom or the run changes.
    let answer = use_memo(
        (
            props.symptom,
            props.analysis.clone(),
            props.file.clone(),
            root.clone(),
        ),
        |(symptom, analysis, file, root)| {
            // In the browser the answer's own link is a full address (it is
            // printed for tickets); prerendered, it is relative.
            #[cfg(target_arch = "wasm32")]
            let root = &absolute(root);
            symptom.and_then(|symptom| explanation(symptom, analysis, file, root))
        },
    );
    let (Some(answer), Some(id)) = (answer.as_ref(), props.symptom) else {
        return html! {};
    };
    let copy = {
        let (status, analysis, file, root) = (
            copy_status.clone(),
            props.analysis.clone(),
            props.file.clone(),
            root.clone(),
        );
        Callback::from(move |_| {
            let Some(symptom) = support::symptom(id) else {
                return;
            };
            let link = explanation(id, &analysis, &file, &absolute(&root))
                .and_then(|doc| {
                    doc.blocks.into_iter().find_map(|b| match b {
                        Block::Link { address, .. } => Some(address),
                        _ => None,
                    })
                })
                .unwrap_or_else(|| absolute(&root));
            copy_customer_message(symptom, link, status.clone());
        })
    };
    let print = Callback::from(|_| {
        open_folded_parts();
        let _ = gloo::utils::window().print();
    });
    let markdown = {
        // The downloaded ticket links to this page by its full address.
        let (analysis, file, root) = (props.analysis.clone(), props.file.clone(), root.clone());
        let name = format!("ticket-{id}.md");
        Callback::from(move |_| {
            if let Some(ticket) = explanation(id, &analysis, &file, &absolute(&root)) {
                download(&name, "text/markdown", ticket.markdown().as_bytes());
            }
        })
    };
    html! {
        <section class="support" aria-label="Support answer">
            <div class="support-head">
                <h2>{ answer.title.clone() }</h2>
                <div class="buttons">
                    <button onclick={copy}>{ "Copy the customer message" }</button>
                    <button onclick={print}>{ "Print for the ticket" }</button>
                    <button onclick={markdown}>{ "Download as Markdown" }</button>
                    <button onclick={props.dispatch.reform(|_| Action::Support(None))}>{ "Close" }</button>
                </div>
            </div>
            if !copy_status.is_empty() { <p class="copy-status" role="status">{ *copy_status }</p> }
            <div class="support-body">{ sections(&answer.blocks, &root) }</div>
        </section>
    }
}
