//! The share link: the whole view in the URL fragment, and back.
//!
//! `#lib=NAME` names an unedited library scenario; `#s=BASE64URL` carries an
//! edited one; `#sup=SYMPTOM` opens support mode on a symptom (and its
//! scenario, unless `s` carries an edited one). `t` is the time in ms, `ab`
//! the compared property, `sel` the selected flow (base64url), `speed` the
//! playback speed. A fragment that
//! cannot be read gives a message and the default view; a scenario that does
//! not parse is still loaded into the editor, with its errors.

use super::{Action, Origin, Playground};
use crate::facts;
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

pub fn decode64(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let value = ALPHABET
            .iter()
            .position(|a| *a == c)
            .ok_or_else(|| format!("`{}` is not a base64url character", c as char))?;
        acc = (acc << 6) | value as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

/// The fragment (without `#`) that restores `state`.
pub fn to_fragment(state: &Playground) -> String {
    let mut parts = Vec::new();
    let answered = state
        .support
        .and_then(crate::support::symptom)
        .map(|symptom| symptom.scenario);
    if let Some(id) = state.support {
        parts.push(format!("sup={id}"));
    }
    match state.origin {
        // `sup` already loads its own scenario.
        Origin::Library(name) if answered == Some(name) => {}
        Origin::Library(name) => parts.push(format!("lib={name}")),
        Origin::Edited => parts.push(format!("s={}", encode64(state.text.as_bytes()))),
    }
    parts.push(format!("t={}", state.time_ms));
    if let Some((key, _)) = &state.compare {
        parts.push(format!("ab={key}"));
    }
    if let Some(flow) = &state.selected {
        parts.push(format!("sel={}", encode64(flow.as_bytes())));
    }
    parts.push(format!("speed={}", state.speed));
    parts.join("&")
}

/// The state a fragment describes. Never fails: what cannot be read is
/// reported in `notice`, and the rest of the view still loads.
pub fn from_fragment(fragment: &str) -> Rc<Playground> {
    let fragment = fragment.trim_start_matches('#');
    let mut state = Rc::new(Playground::default());
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
            "s" => match decode64(value).map(String::from_utf8) {
                Ok(Ok(text)) => actions.push(Action::EditText(text)),
                _ => problems.push("the scenario in the link is damaged".to_string()),
            },
            "t" => match value.parse::<u64>() {
                Ok(ms) => actions.push(Action::Seek(ms)),
                Err(_) => problems.push(format!("`{value}` is not a time in ms")),
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
    for action in actions {
        state = state.reduce(action);
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
