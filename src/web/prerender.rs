//! The live components rendered to HTML natively (yew's `ssr`): the site
//! build puts this markup into each page, so the drawing, the title and the
//! text read before any script runs. The live app later renders the same
//! components beside it and swaps them in (`hooks::use_takeover`),
//! so the markup is not hydrated and need not match byte for byte; it is
//! the same components, so it looks the same.

use super::{App, AppProps, Embed, EmbedProps, Layout};
use crate::playground::url::Page;
use yew::{BaseComponent, ServerRenderer};

fn render<C>(props: impl FnOnce() -> C::Properties + Send + 'static) -> String
where
    C: BaseComponent,
{
    futures::executor::block_on(
        ServerRenderer::<C>::with_props(props)
            .hydratable(false)
            .render(),
    )
}

/// The playground as `page` shows it when opened without a fragment, with
/// both layouts of the drawing (the stylesheet shows the one that fits).
pub fn app(page: Page) -> String {
    app_with(page, "")
}

/// The playground as a link to `page` with `fragment` opens it.
pub fn app_with(page: Page, fragment: &str) -> String {
    let fragment = fragment.to_string();
    render::<App>(move || AppProps {
        page,
        fragment: fragment.into(),
        layout: Layout::Both,
    })
}

/// A learn page's live scenario, as it opens.
pub fn embed(scenario: &str, compare: Option<&str>, select: Option<&str>, root: &str) -> String {
    let (scenario, compare, select, root) = (
        scenario.to_string(),
        compare.map(str::to_string),
        select.map(str::to_string),
        root.to_string(),
    );
    render::<Embed>(move || EmbedProps {
        scenario: scenario.into(),
        compare: compare.map(Into::into),
        select: select.map(Into::into),
        root: root.into(),
        layout: Layout::Both,
    })
}

#[cfg(test)]
mod tests;
