//! The browser playground: yew components over [`crate::playground`].
//!
//! The model and every decision live in `playground`; these components only
//! render it and send [`Action`](crate::playground::Action)s. Effects (the
//! clock, the keyboard, the address, the screen's width, taking over from
//! the prerendered page) live in `hooks`.
//!
//! The components compile natively as well: [`prerender`] renders them to
//! HTML at build time (yew's `ssr`), so every page of the site reads before
//! any script runs; in the browser, `run_app` and `run_embeds` render
//! the same components live beside the prerendered markup and swap them in.

mod app;
mod change;
mod drawings;
mod embed;
mod finder;
mod hooks;
mod panels;
#[cfg(not(target_arch = "wasm32"))]
pub mod prerender;
pub mod profile_xml;
mod style;
mod support;
mod topology;

pub use app::{App, AppProps};
pub use embed::{Embed, Props as EmbedProps};
pub use topology::Layout;

use std::ops::Deref;
use std::rc::Rc;
use yew::AttrValue;

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

/// The slices of a playground's state that the drawings and panels take,
/// shared rather than copied (they compare by pointer).
struct Slices {
    analysis: Shared<crate::playground::Analysis>,
    compared: Option<(AttrValue, Shared<crate::playground::Analysis>)>,
    selected: Option<AttrValue>,
}

impl Slices {
    fn of(state: &crate::playground::Playground) -> Slices {
        Slices {
            analysis: Shared(Rc::clone(&state.analysis)),
            compared: state
                .compare
                .as_ref()
                .map(|(key, other)| (AttrValue::from(key.clone()), Shared(Rc::clone(other)))),
            selected: state.selected.clone().map(AttrValue::from),
        }
    }
}

/// From the page shown to the site's root (`""` or `"../"`): links to other
/// pages of the site are made with it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SiteRoot(pub AttrValue);

#[cfg(target_arch = "wasm32")]
pub use live::{run_app, run_embeds};

/// The entry points the page's scripts call.
#[cfg(target_arch = "wasm32")]
mod live {
    use super::{App, AppProps, Embed, EmbedProps};
    use crate::playground::url::Page;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;

    /// Renders the live app beside the prerendered `#app` (hidden until its
    /// first render is done; it then takes the prerendered one's place).
    #[wasm_bindgen]
    pub fn run_app() {
        install_panic_banner();
        let document = gloo::utils::document();
        let location = gloo::utils::window().location();
        let props = AppProps {
            page: Page::from_path(&location.pathname().unwrap_or_default()),
            fragment: location.hash().unwrap_or_default().into(),
            layout: super::hooks::layout_now(),
        };
        if let Some(container) = live_container(&document, "app") {
            yew::Renderer::<App>::with_root_and_props(container, props).render();
        }
    }

    /// Mounts a live scenario into every `[data-scenario]` element of a
    /// learn page (`data-compare` names a property to flip beside it,
    /// `data-select` a flow to inspect), beside its prerendered player.
    #[wasm_bindgen]
    pub fn run_embeds() {
        install_panic_banner();
        let document = gloo::utils::document();
        let Ok(figures) = document.query_selector_all("[data-scenario]") else {
            return;
        };
        let layout = super::hooks::layout_now();
        for i in 0..figures.length() {
            let Some(figure) = figures
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            else {
                continue;
            };
            let props = EmbedProps {
                scenario: figure
                    .get_attribute("data-scenario")
                    .unwrap_or_default()
                    .into(),
                compare: figure.get_attribute("data-compare").map(Into::into),
                select: figure.get_attribute("data-select").map(Into::into),
                root: figure
                    .get_attribute("data-root")
                    .unwrap_or_else(|| "../".into())
                    .into(),
                layout,
            };
            let container = document.create_element("div").ok();
            let prerendered = figure.query_selector("[data-prerendered]").ok().flatten();
            if let Some(container) = container {
                let _ = container.set_attribute("hidden", "");
                let placed = match &prerendered {
                    Some(p) => p.after_with_node_1(&container).is_ok(),
                    None => figure.prepend_with_node_1(&container).is_ok(),
                };
                if placed {
                    yew::Renderer::<Embed>::with_root_and_props(container, props).render();
                }
            }
        }
    }

    /// A hidden element right after `#id`, for the live render.
    fn live_container(document: &web_sys::Document, id: &str) -> Option<web_sys::Element> {
        let prerendered = document.get_element_by_id(id)?;
        let container = document.create_element("div").ok()?;
        container.set_attribute("hidden", "").ok()?;
        prerendered.after_with_node_1(&container).ok()?;
        Some(container)
    }

    /// Once per page (the app and the embeds may both start).
    fn install_panic_banner() {
        // After a panic (wasm aborts, but a test harness may carry on) the
        // hook cannot be changed; trying would be a second panic that hides
        // the first.
        if std::thread::panicking() {
            return;
        }
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| std::panic::set_hook(Box::new(show_panic)));
    }

    fn show_panic(info: &std::panic::PanicHookInfo<'_>) {
        let message =
            format!("tunnelscope stopped: {info}. Reload the page; the link keeps your view.");
        // A banner already shown names the first failure (boot.js shows a
        // trap there): a panic after a trap is its consequence, not news.
        if let Some(banner) = gloo::utils::document()
            .get_element_by_id("panic")
            .filter(|banner| !banner.class_list().contains("shown"))
        {
            banner.set_text_content(Some(&message));
            let _ = banner.set_attribute("role", "alert");
            let _ = banner.set_attribute("class", "panic shown");
        }
        console_error(&message);
    }

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = console, js_name = error)]
        fn console_error(message: &str);
    }
}
