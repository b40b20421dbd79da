//! A share link's fragment: the base64 the page carries a scenario and a
//! selection in, and a scenario decoded from it. (Opening a whole link
//! runs the simulation; the scenario part of it is what comes from the
//! link's bytes, and `url::prepare` reads it as the page does.)
#![no_main]
use libfuzzer_sys::fuzz_target;
use tunnelscope::playground::url;

fuzz_target!(|fragment: &str| {
    for part in fragment.split('&') {
        let Some((key, value)) = part.split_once('=') else {
            continue;
        };
        if let ("s" | "sel", Ok(bytes)) = (key, url::decode64(value)) {
            if let Ok(text) = std::str::from_utf8(&bytes) {
                let _ = tunnelscope::scenario::parse(text);
            }
        }
    }
    let _ = url::names_a_view(fragment);
    // What the page does with a link's scenario before opening it.
    url::prepare(fragment);
});
