//! The static site (`tunnelscope site`, run by `make www`): every page a
//! link can open, prerendered by the live components ([`crate::web::prerender`]),
//! plus the stylesheet and scripts, written to one directory.
//!
//! - `index.html`, `s/NAME.html` for each built-in scenario and
//!   `support/ID.html` for each symptom: the page template `index.html` of
//!   the source directory with the view of that page in it;
//! - `learn/*.html`: the learn pages, with each live scenario
//!   (`<figure data-scenario=…>`) prerendered inside its figure;
//! - `boot.js`: the small script that sends links of the older,
//!   fragment-only form (`#lib=NAME`, `#sup=ID`) to their page before the
//!   first paint, made from its template with the names that have pages;
//! - the other files of the source directory, copied.
//!
//! Anything that cannot be prerendered (a missing marker, a figure naming a
//! scenario that does not exist) fails the build, not the page.

use crate::library::{self, LIBRARY};
use crate::playground::url::Page;
use crate::support::{self, SYMPTOMS};
use crate::web::prerender;
use std::fs;
use std::path::Path;

/// The page template's markers.
const ROOT: &str = "%ROOT%";
const TITLE: &str = "%TITLE%";
const DESCRIPTION: &str = "%DESCRIPTION%";
const APP: &str = "%APP%";
/// Where a page's inline script that starts the engine's fetch goes, and
/// where its hash goes in the page's Content-Security-Policy.
const ENGINE_FETCH: &str = "%ENGINE_FETCH%";
const ENGINE_FETCH_HASH: &str = "%ENGINE_FETCH_HASH%";
/// The boot script template's markers.
const SCENARIOS: &str = "%SCENARIOS%";
const SYMPTOM_IDS: &str = "%SYMPTOMS%";

/// What a build wrote.
#[derive(Debug, Default)]
pub struct Built {
    pub pages: usize,
    pub embeds: usize,
    pub copied: usize,
}

/// Builds the site from the sources in `from` into `out`.
pub fn build(from: &Path, out: &Path) -> Result<Built, String> {
    let read = |name: &str| {
        let path = from.join(name);
        fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
    };
    let template = read("index.html")?;
    for marker in [ROOT, TITLE, DESCRIPTION, APP] {
        if !template.contains(marker) {
            return Err(format!(
                "{}: the page template has no {marker}",
                from.join("index.html").display()
            ));
        }
    }
    let mut built = Built::default();
    for page in Page::all() {
        let html = engine_fetch(&page_html(&template, page), page.root())
            .map_err(|e| format!("{}: {e}", from.join("index.html").display()))?;
        write(out, &page.path(), &html)?;
        built.pages += 1;
    }
    write(out, "boot.js", &boot_script(&read("boot.js")?)?)?;

    let learn = from.join("learn");
    for entry in sorted_entries(&learn)? {
        let name = entry.to_string_lossy().into_owned();
        let source = fs::read_to_string(learn.join(&entry))
            .map_err(|e| format!("{}: {e}", learn.join(&entry).display()))?;
        let (html, embeds) = if name.ends_with(".html") {
            let (html, embeds) =
                prerender_embeds(&source).map_err(|e| format!("learn/{name}: {e}"))?;
            let html = engine_fetch(&html, "../").map_err(|e| format!("learn/{name}: {e}"))?;
            (html, embeds)
        } else {
            (source, 0)
        };
        write(out, &format!("learn/{name}"), &html)?;
        built.embeds += embeds;
        built.pages += usize::from(name.ends_with(".html"));
    }

    for entry in sorted_entries(from)? {
        let name = entry.to_string_lossy().into_owned();
        let path = from.join(&entry);
        if path.is_file() && name != "index.html" && name != "boot.js" {
            fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
            fs::copy(&path, out.join(&entry))
                .map_err(|e| format!("{}: {e}", out.join(&entry).display()))?;
            built.copied += 1;
        }
    }
    Ok(built)
}

/// One playground page: the template with the page's view in it.
pub fn page_html(template: &str, page: Page) -> String {
    let description = match page {
        Page::Index => "Where an iPhone's traffic goes with the VPN kill switch (includeAllNetworks) on and off, packet by packet, with the source of every rule.".to_string(),
        Page::Scenario(name) => library::find(name).map_or(name, |b| b.title).to_string(),
        Page::Symptom(id) => format!(
            "Support answer: {}",
            support::symptom(id).map_or(id, |s| s.asks)
        ),
    };
    // The view last: its text is not the template's to rewrite.
    template
        .replace(TITLE, &escape(&page.title()))
        .replace(DESCRIPTION, &escape(&description))
        .replace(ROOT, page.root())
        .replace(APP, &prerender::app(page))
}

/// A page whose head has the engine-fetch marker, with the inline script
/// that starts fetching the engine there and that script's hash in its
/// policy. Fetching from the page's first bytes, rather than from boot.js,
/// saves the round trip for boot.js before the largest download starts
/// (about 0.3 s of a phone's 2.5 s); `<link rel=preload>` would do the same
/// in Chromium, but WebKit fetches a preloaded .wasm twice. A page with
/// neither marker is left as it is; one with only one is an error.
pub fn engine_fetch(html: &str, root: &str) -> Result<String, String> {
    use base64::Engine;
    use sha2::Digest;
    match (
        html.contains(ENGINE_FETCH),
        html.contains(ENGINE_FETCH_HASH),
    ) {
        (false, false) => return Ok(html.to_string()),
        (true, true) => {}
        _ => {
            return Err(format!(
                "a page needs both {ENGINE_FETCH} (in its head) and {ENGINE_FETCH_HASH} (in its script-src), or neither"
            ));
        }
    }
    let script = format!("window.tunnelscopeWasm = fetch('{root}pkg/tunnelscope_bg.wasm');");
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(&script));
    // The hash first: the script's own text must not be rewritten.
    Ok(html
        .replace(ENGINE_FETCH_HASH, &format!("'sha256-{hash}'"))
        .replace(ENGINE_FETCH, &format!("<script>{script}</script>")))
}

/// The boot script with the names that have pages of their own.
fn boot_script(template: &str) -> Result<String, String> {
    if !template.contains(SCENARIOS) || !template.contains(SYMPTOM_IDS) {
        return Err(format!(
            "boot.js: the template needs both {SCENARIOS} and {SYMPTOM_IDS}"
        ));
    }
    let list = |names: Vec<&str>| {
        let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
        format!("[{}]", quoted.join(", "))
    };
    Ok(template
        .replace(SCENARIOS, &list(LIBRARY.iter().map(|b| b.name).collect()))
        .replace(SYMPTOM_IDS, &list(SYMPTOMS.iter().map(|s| s.id).collect())))
}

/// Puts each `<figure … data-scenario="NAME">`'s live scenario, rendered,
/// at the start of the figure. Returns the page and how many it rendered.
pub fn prerender_embeds(source: &str) -> Result<(String, usize), String> {
    let mut out = String::with_capacity(source.len() * 4);
    let mut rest = source;
    let mut count = 0;
    while let Some(start) = rest.find("<figure") {
        // A figure inside a comment is not on the page.
        if let Some(comment) = rest[..start].rfind("<!--")
            && !rest[comment..start].contains("-->")
        {
            let Some(close) = rest[start..].find("-->").map(|c| start + c + 3) else {
                return Err("a comment is not closed".into());
            };
            out.push_str(&rest[..close]);
            rest = &rest[close..];
            continue;
        }
        let Some(end) = rest[start..].find('>').map(|e| start + e + 1) else {
            return Err("a <figure> tag is not closed".into());
        };
        let tag = &rest[start..end];
        out.push_str(&rest[..end]);
        rest = &rest[end..];
        let Some(scenario) = attribute(tag, "data-scenario") else {
            if tag.contains("data-scenario") {
                return Err(format!(
                    "cannot read the scenario of `{tag}`: write data-scenario=\"NAME\" after a space, in double quotes"
                ));
            }
            continue;
        };
        let Some(built_in) = library::find(scenario) else {
            return Err(format!(
                "a figure names the scenario `{scenario}`, which is not in simulations/"
            ));
        };
        let compare = attribute(tag, "data-compare");
        if let Some(key) = compare
            && crate::facts::property_by_key(key).is_none()
        {
            return Err(format!(
                "a figure compares `{key}`, which is not a VPN property"
            ));
        }
        let select = attribute(tag, "data-select");
        if let Some(flow) = select {
            let scenario = built_in.parse().map_err(|e| e.render(built_in.file))?;
            if !scenario.flows.iter().any(|f| f.name == flow) {
                return Err(format!(
                    "a figure selects the flow `{flow}`, which `{}` does not have",
                    built_in.name
                ));
            }
        }
        let root = attribute(tag, "data-root").unwrap_or("../");
        out.push_str("<div class=\"embed-prerendered\" data-prerendered>");
        out.push_str(&prerender::embed(built_in.name, compare, select, root));
        out.push_str("</div>");
        count += 1;
    }
    out.push_str(rest);
    Ok((out, count))
}

/// An attribute's value in an opening tag written by hand (double quotes,
/// after a space or a line break).
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let needle = format!("{name}=\"");
    let start = tag
        .match_indices(&needle)
        .find(|(at, _)| tag[..*at].ends_with(char::is_whitespace))?
        .0
        + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(&tag[start..end])
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn sorted_entries(dir: &Path) -> Result<Vec<std::ffi::OsString>, String> {
    let mut names: Vec<_> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .collect();
    names.sort();
    Ok(names)
}

fn write(out: &Path, path: &str, text: &str) -> Result<(), String> {
    let target = out.join(path);
    if let Some(dir) = target.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::write(&target, text).map_err(|e| format!("{}: {e}", target.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_gets_its_scenario_drawn_inside_it() {
        let page = "<p>before</p>\n<figure class=\"embed\" data-scenario=\"no-vpn\">\n<p>words</p>\n</figure>";
        let (html, count) = prerender_embeds(page).unwrap();
        assert_eq!(count, 1);
        let inside = html.split_once("<figure").unwrap().1;
        assert!(inside.contains("data-prerendered"), "{inside}");
        assert!(inside.contains("<svg"), "the drawing is in the figure");
        assert!(inside.find("<svg").unwrap() < inside.find("<p>words</p>").unwrap());
        assert!(html.starts_with("<p>before</p>"));
    }

    #[test]
    fn a_figure_naming_what_does_not_exist_fails_the_build() {
        let unknown = prerender_embeds("<figure data-scenario=\"no-such\"></figure>");
        assert!(unknown.unwrap_err().contains("`no-such`"));
        let property = prerender_embeds(
            "<figure data-scenario=\"no-vpn\" data-compare=\"include_everything\"></figure>",
        );
        assert!(property.unwrap_err().contains("`include_everything`"));
        let flow =
            prerender_embeds("<figure data-scenario=\"no-vpn\" data-select=\"ghost\"></figure>");
        assert!(flow.unwrap_err().contains("`ghost`"));
    }

    #[test]
    fn a_figure_over_two_lines_is_drawn_and_one_in_a_comment_is_not() {
        let page = "<figure class=\"embed\"\n  data-scenario=\"no-vpn\">\n</figure>\n<!-- <figure data-scenario=\"no-vpn\"></figure> -->";
        let (html, count) = prerender_embeds(page).unwrap();
        assert_eq!(count, 1);
        assert!(html.ends_with("<!-- <figure data-scenario=\"no-vpn\"></figure> -->"));
        let unreadable = prerender_embeds("<figure data-scenario='no-vpn'></figure>");
        assert!(unreadable.unwrap_err().contains("cannot read the scenario"));
    }

    #[test]
    fn figures_without_a_scenario_are_left_alone() {
        let page = "<figure class=\"photo\"><img src=\"x.png\"></figure>";
        assert_eq!(prerender_embeds(page).unwrap(), (page.to_string(), 0));
    }

    #[test]
    fn the_engine_fetch_is_inline_and_allowed_by_its_hash_alone() {
        use base64::Engine;
        use sha2::Digest;
        let page = "<meta content=\"script-src 'self' %ENGINE_FETCH_HASH%\">%ENGINE_FETCH%<p>";
        let html = engine_fetch(page, "../").unwrap();
        let script = html.split_once("<script>").unwrap().1;
        let script = script.split_once("</script>").unwrap().0;
        assert_eq!(
            script,
            "window.tunnelscopeWasm = fetch('../pkg/tunnelscope_bg.wasm');"
        );
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script));
        assert!(html.starts_with(&format!(
            "<meta content=\"script-src 'self' 'sha256-{hash}'\">"
        )));
        assert!(!html.contains('%'), "{html}");
        // The index's root is the empty path: the hash follows the text.
        let index = engine_fetch(page, "").unwrap();
        assert!(index.contains("fetch('pkg/"));
        assert_ne!(index.split_once("'sha256-"), html.split_once("'sha256-"));
        assert_eq!(engine_fetch("<p>", "").unwrap(), "<p>");
        assert!(
            engine_fetch("%ENGINE_FETCH%", "")
                .unwrap_err()
                .contains("both")
        );
    }

    #[test]
    fn the_boot_script_knows_every_page() {
        let script = boot_script("const s = %SCENARIOS%; const y = %SYMPTOMS%;").unwrap();
        assert!(script.contains("\"ian-ios16-1-apple-leak\""));
        assert!(script.contains("\"no-internet-after-update\""));
        assert!(boot_script("nothing").is_err());
    }

    #[test]
    fn a_scenario_page_has_its_title_and_its_drawing() {
        let template = "<title>%TITLE%</title><meta content=\"%DESCRIPTION%\"><link href=\"%ROOT%style.css\"><div id=\"app\">%APP%</div>";
        let html = page_html(template, Page::Scenario("wifi-to-cellular"));
        let title = library::find("wifi-to-cellular").unwrap().title;
        assert!(html.contains(&format!("<title>{}", escape(title))));
        assert!(html.contains("href=\"../style.css\""));
        assert!(html.contains("<svg"));
        for marker in [ROOT, TITLE, DESCRIPTION, APP] {
            assert!(!html.contains(marker), "{marker} is replaced");
        }
    }
}
