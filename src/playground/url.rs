//! The share link: the whole view in the page's address, and back.
//!
//! Every built-in scenario and every support symptom has a page of its own
//! ([`Page`]: `s/NAME.html`, `support/ID.html`), prerendered, so a link shows
//! what it names from the first paint; the fragment carries the rest.
//!
//! In the fragment, `#lib=NAME` names an unedited library scenario (the
//! older, fragment-only links; they still open); `#s=BASE64URL` carries an
//! edited one; `#sup=SYMPTOM` opens support mode on a symptom (and its
//! scenario, unless `s` carries an edited one). `t` is the time in ms, `ab`
//! the compared property when it is not the kill switch (`ab=none`: no
//! comparison), `side=flipped` when the reader looks at the flipped run,
//! `sel` the selected flow (base64url), `speed` the playback speed. A fragment that
//! cannot be read gives a message and the default view; a scenario that does
//! not parse is still loaded into the editor, with its errors.

use super::{Action, KILL_SWITCH, Origin, Playground, Side};
use crate::facts;
use crate::scenario::MAX_FILE_BYTES;
use std::rc::Rc;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding.
pub fn encode64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..chunk.len() + 1 {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Each byte's value in [`ALPHABET`], or `NOT_BASE64`.
const DECODE: [u8; 256] = {
    let mut table = [NOT_BASE64; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};
const NOT_BASE64: u8 = 0xff;

pub fn decode64(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let value = match DECODE[usize::from(c)] {
            NOT_BASE64 => {
                return Err(format!("`{}` is not a base64url character", c as char));
            }
            value => value,
        };
        acc = (acc << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

/// A page of the static site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// `index.html`: the default scenario, and any edited one.
    Index,
    /// `s/NAME.html`: a built-in scenario, unedited.
    Scenario(&'static str),
    /// `support/ID.html`: the answer to a symptom, on its own scenario.
    Symptom(&'static str),
}

impl Page {
    /// Every page the site has: the index, each built-in scenario, each
    /// symptom.
    pub fn all() -> impl Iterator<Item = Page> {
        std::iter::once(Page::Index)
            .chain(
                crate::library::LIBRARY
                    .iter()
                    .map(|b| Page::Scenario(b.name)),
            )
            .chain(crate::support::SYMPTOMS.iter().map(|s| Page::Symptom(s.id)))
    }

    /// Its path from the site's root.
    pub fn path(self) -> String {
        match self {
            Page::Index => "index.html".into(),
            Page::Scenario(name) => crate::library::page_path(name),
            Page::Symptom(id) => crate::support::page_path(id),
        }
    }

    /// From the page back to the site's root (relative links).
    pub fn root(self) -> &'static str {
        match self {
            Page::Index => "",
            Page::Scenario(_) | Page::Symptom(_) => "../",
        }
    }

    /// The page a location's path names, with or without `.html` (hosts
    /// with "pretty" addresses drop it) or a trailing `/`; anything else is
    /// the index.
    pub fn from_path(path: &str) -> Page {
        let mut parts = path.trim_end_matches('/').rsplit('/');
        let (Some(file), Some(dir)) = (parts.next(), parts.next()) else {
            return Page::Index;
        };
        let stem = file.strip_suffix(".html").unwrap_or(file);
        match dir {
            "s" => crate::library::find(stem).map_or(Page::Index, |b| Page::Scenario(b.name)),
            "support" => crate::support::symptom(stem).map_or(Page::Index, |s| Page::Symptom(s.id)),
            _ => Page::Index,
        }
    }

    /// The page's title, as the browser's tab shows it.
    pub fn title(self) -> String {
        match self {
            Page::Index => "tunnelscope: where an iPhone's traffic goes".to_string(),
            Page::Scenario(name) => {
                let title = crate::library::find(name).map_or(name, |b| b.title);
                format!("{title} · tunnelscope")
            }
            Page::Symptom(id) => {
                let asks = crate::support::symptom(id).map_or(id, |s| s.asks);
                format!("{asks} · tunnelscope support")
            }
        }
    }

    /// The page that shows `state` from its first paint.
    pub fn of(state: &Playground) -> Page {
        let answered = state
            .support
            .and_then(crate::support::symptom)
            .filter(|symptom| state.origin == Origin::Library(symptom.scenario));
        match (answered, state.origin) {
            (Some(symptom), _) => Page::Symptom(symptom.id),
            (None, Origin::Library(name)) if state.support.is_none() => Page::Scenario(name),
            _ => Page::Index,
        }
    }

    /// What the page itself says, as a fragment would.
    fn implies(self) -> Option<String> {
        match self {
            Page::Index => None,
            Page::Scenario(name) => Some(format!("lib={name}")),
            Page::Symptom(id) => Some(format!("sup={id}")),
        }
    }
}

/// The address that restores `state`, from the site's root: its page and
/// the fragment (e.g. `s/no-vpn.html#t=0&speed=2000`).
pub fn address(state: &Playground) -> String {
    let page = Page::of(state);
    format!("{}#{}", page.path(), fragment_on(state, page))
}

/// The state a link to `page` describes. A fragment that names its own
/// scenario or symptom (a link in the older, fragment-only form, or an
/// edited scenario) wins over the page.
pub fn open(page: Page, fragment: &str) -> Rc<Playground> {
    let fragment = fragment.trim_start_matches('#');
    let names_its_own = fragment
        .split('&')
        .any(|part| ["lib=", "s=", "sup="].iter().any(|k| part.starts_with(k)));
    match page.implies() {
        Some(implied) if !names_its_own => from_fragment(&format!("{implied}&{fragment}")),
        _ => from_fragment(fragment),
    }
}

/// Whether a fragment carries an edited scenario (`s=`): the page opens
/// such a link in a task of its own, after its first frame, since reading
/// and running a large scenario takes longer than a frame should.
pub fn carries_scenario(fragment: &str) -> bool {
    scenario_value(fragment).is_some()
}

/// The `s=` value of a fragment: the edited scenario it carries, encoded.
fn scenario_value(fragment: &str) -> Option<&str> {
    fragment
        .trim_start_matches('#')
        .split('&')
        .find_map(|part| part.strip_prefix("s="))
}

/// Whether a fragment says anything about the view (a fragment of some
/// other kind, `#top` say, is left alone rather than read as a damaged
/// link).
pub fn names_a_view(fragment: &str) -> bool {
    const KEYS: [&str; 8] = ["lib", "s", "sup", "t", "ab", "side", "sel", "speed"];
    let fragment = fragment.trim_start_matches('#');
    fragment.is_empty()
        || fragment
            .split('&')
            .any(|part| KEYS.contains(&part.split('=').next().unwrap_or("")))
}

/// The fragment (without `#`) that restores `state` on any page.
pub fn to_fragment(state: &Playground) -> String {
    fragment_on(state, Page::Index)
}

/// The fragment that restores `state` on `page`: what the page already
/// says is left out.
pub fn fragment_on(state: &Playground, page: Page) -> String {
    let mut parts = Vec::new();
    let answered = state
        .support
        .and_then(crate::support::symptom)
        .map(|symptom| symptom.scenario);
    match (state.support, page) {
        (Some(id), Page::Symptom(shown)) if id == shown => {}
        (Some(id), _) => parts.push(format!("sup={id}")),
        (None, _) => {}
    }
    match state.origin {
        // `sup` already loads its own scenario.
        Origin::Library(name) if answered == Some(name) => {}
        Origin::Library(name) if page == Page::Scenario(name) => {}
        Origin::Library(name) => parts.push(format!("lib={name}")),
        Origin::Edited => parts.push(format!("s={}", encode64(state.text.as_bytes()))),
    }
    parts.push(format!("t={}", state.time_ms));
    // The kill switch is compared unless the link says otherwise.
    match state.comparing {
        Some(KILL_SWITCH) => {}
        Some(key) => parts.push(format!("ab={key}")),
        None => parts.push("ab=none".to_string()),
    }
    if state.side == Side::Flipped {
        parts.push("side=flipped".to_string());
    }
    if let Some(flow) = &state.selected {
        parts.push(format!("sel={}", encode64(flow.as_bytes())));
    }
    parts.push(format!("speed={}", state.speed));
    parts.join("&")
}

/// The scenario text an `s=` value carries, or what is wrong with it.
fn scenario_text(value: &str) -> Result<String, String> {
    // Longer than any file the editor accepts: not worth decoding.
    if value.len() > MAX_FILE_BYTES.div_ceil(3) * 4 {
        return Err(format!(
            "the scenario in the link is {} characters long, more than a scenario file may be ({} KB), so it was not read",
            value.len(),
            MAX_FILE_BYTES / 1024
        ));
    }
    match decode64(value).map(String::from_utf8) {
        Ok(Ok(text)) => Ok(text),
        _ => Err("the scenario in the link is damaged".to_string()),
    }
}

/// Reads the scenario a link carries (`s=`) ahead of opening the link:
/// the page calls this from a task of its own just before it sends
/// [`Action::OpenLink`], which then finds the scenario read, so that
/// reading a large scenario and running it are not one long task.
pub fn prepare(fragment: &str) {
    if let Some(Ok(text)) = scenario_value(fragment).map(scenario_text) {
        super::prepare_text(text);
    }
}

/// The state a fragment describes. Never fails: what cannot be read is
/// reported in `notice`, and the rest of the view still loads.
pub fn from_fragment(fragment: &str) -> Rc<Playground> {
    let fragment = fragment.trim_start_matches('#');
    // Start from the scenario the link names first, so a link naming one
    // scenario runs it once (not the default first).
    let named = fragment
        .split('&')
        .find_map(|part| match part.split_once('=') {
            Some(("sup", id)) => {
                crate::support::symptom(id).and_then(|s| crate::library::find(s.scenario))
            }
            Some(("lib", name)) => crate::library::find(name),
            _ => None,
        });
    let mut state = Rc::new(named.map_or_else(Playground::default, Playground::of_library));
    if fragment.is_empty() {
        return state;
    }
    let mut problems = Vec::new();
    let mut actions = Vec::new();
    for part in fragment.split('&').filter(|p| !p.is_empty()) {
        let Some((key, value)) = part.split_once('=') else {
            problems.push(format!("`{part}` has no value"));
            continue;
        };
        match key {
            "lib" => actions.push(Action::LoadLibrary(value.to_string())),
            "sup" => actions.push(Action::Support(Some(value.to_string()))),
            "s" => match scenario_text(value) {
                Ok(text) => actions.push(Action::EditText(text)),
                Err(problem) => problems.push(problem),
            },
            "t" => match value.parse::<u64>() {
                Ok(ms) => actions.push(Action::Seek(ms)),
                Err(_) => problems.push(format!("`{value}` is not a time in ms")),
            },
            "ab" if value == "none" => actions.push(Action::Compare(None)),
            "side" => match value {
                "flipped" => actions.push(Action::Show(Side::Flipped)),
                "configured" => actions.push(Action::Show(Side::Configured)),
                _ => problems.push(format!(
                    "`{value}` is not a side to show: choose configured or flipped"
                )),
            },
            "ab" => {
                if facts::property_by_key(value).is_some() {
                    actions.push(Action::Compare(Some(value.to_string())));
                } else {
                    problems.push(format!("`{value}` is not a VPN property to compare"));
                }
            }
            "sel" => match decode64(value).map(String::from_utf8) {
                Ok(Ok(flow)) => actions.push(Action::Select(Some(flow))),
                _ => problems.push("the selected flow in the link is damaged".to_string()),
            },
            "speed" => match value.parse::<u32>() {
                Ok(speed) => actions.push(Action::SetSpeed(speed)),
                Err(_) => problems.push(format!("`{value}` is not a speed")),
            },
            other => problems.push(format!("`{other}` is not part of a tunnelscope link")),
        }
    }
    // The symptom (it loads its scenario), then an edited scenario text,
    // then what refers to it.
    actions.sort_by_key(|a| match a {
        Action::Support(_) => 0,
        Action::LoadLibrary(_) | Action::EditText(_) => 1,
        Action::Compare(_) => 2,
        _ => 3,
    });
    // A scenario that came whole in the link has no built-in one to
    // compare with (the link does not say which it was edited from).
    let whole = named.is_none() && actions.iter().any(|a| matches!(a, Action::EditText(_)));
    for action in actions {
        state = state.reduce(action);
    }
    if whole {
        let mut next = (*state).clone();
        next.base = None;
        state = Rc::new(next);
    }
    if !problems.is_empty() {
        let previous = state.notice.clone();
        let message = format!(
            "Part of the link could not be read ({}); the rest is shown.",
            problems.join("; ")
        );
        let mut next = (*state).clone();
        next.notice = Some(match previous {
            Some(p) => format!("{message} {p}"),
            None => message,
        });
        state = Rc::new(next);
    }
    state
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips() {
        for text in [
            "",
            "a",
            "ab",
            "abc",
            "title = \"é ü ✓\"\n",
            "[[flow]]\nname = \"x\"",
        ] {
            assert_eq!(
                decode64(&encode64(text.as_bytes())).unwrap(),
                text.as_bytes()
            );
        }
        assert_eq!(encode64(b"Man"), "TWFu");
        assert!(decode64("a+b").is_err());
    }
}
