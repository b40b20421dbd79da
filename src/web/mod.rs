//! The browser playground: yew components over [`crate::playground`].
//!
//! The model and every decision live in `playground`; these components only
//! render it and send [`Action`]s. Effects (the clock, the keyboard, the URL)
//! live in hooks in [`app`].

mod app;
mod embed;
mod panels;
mod support;
mod topology;

pub use app::App;
pub use embed::Embed;

use std::ops::Deref;
use std::rc::Rc;

/// Shared, immutable data handed to components; equal when it is the same
/// allocation (yew compares props to decide what to re-render).
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

use wasm_bindgen::prelude::*;

/// Mounts the playground into `#app`, after installing a panic hook that
/// shows a banner instead of leaving a frozen page.
#[wasm_bindgen]
pub fn run_app() {
    install_panic_banner();
    if let Some(root) = gloo::utils::document().get_element_by_id("app") {
        yew::Renderer::<App>::with_root(root).render();
    }
}

/// Mounts a live scenario into every `[data-scenario]` element of a learn
/// page (`data-compare` names a property to flip beside it). The element's
/// own content, a still description, is replaced.
#[wasm_bindgen]
pub fn run_embeds() {
    install_panic_banner();
    let Ok(nodes) = gloo::utils::document().query_selector_all("[data-scenario]") else {
        return;
    };
    for i in 0..nodes.length() {
        let Some(element) = nodes
            .item(i)
            .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
        else {
            continue;
        };
        let props = embed::Props {
            scenario: element
                .get_attribute("data-scenario")
                .unwrap_or_default()
                .into(),
            compare: element.get_attribute("data-compare").map(Into::into),
            select: element.get_attribute("data-select").map(Into::into),
            playground: element
                .get_attribute("data-playground")
                .unwrap_or_else(|| "../index.html".into())
                .into(),
        };
        element.set_inner_html("");
        yew::Renderer::<Embed>::with_root_and_props(element, props).render();
    }
}

fn install_panic_banner() {
    std::panic::set_hook(Box::new(|info| {
        let message =
            format!("tunnelscope stopped: {info}. Reload the page; the link keeps your view.");
        if let Some(banner) = gloo::utils::document().get_element_by_id("panic") {
            banner.set_text_content(Some(&message));
            let _ = banner.set_attribute("role", "alert");
            let _ = banner.set_attribute("class", "panic shown");
        }
        web_sys_console_error(&message);
    }));
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn web_sys_console_error(message: &str);
}
