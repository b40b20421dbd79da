//! Embeds every `simulations/*.toml` file in the crate, so the CLI and the
//! browser build carry the scenario library without a file system.

use std::env;
use std::fs;
use std::path::Path;

fn main() {
    let dir = Path::new("simulations");
    println!("cargo:rerun-if-changed=simulations");
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".toml"))
                .collect()
        })
        .unwrap_or_default();
    // Sorted, so the library's order never depends on the file system.
    names.sort();
    let mut out = String::from("pub static LIBRARY: &[BuiltIn] = &[\n");
    for name in &names {
        println!("cargo:rerun-if-changed=simulations/{name}");
        let stem = name.trim_end_matches(".toml");
        let text = fs::read_to_string(dir.join(name)).unwrap_or_default();
        let title = title_of(&text).unwrap_or_else(|| stem.to_string());
        out.push_str(&format!(
            "    BuiltIn {{ name: {stem:?}, title: {title:?}, file: \"simulations/{name}\", text: include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/simulations/{name}\")) }},\n"
        ));
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("library.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}

/// The `title = "..."` line's text, read without a TOML parser so the page
/// can list the library without parsing every file at start-up. A test in
/// `src/library.rs` checks it against the real parse of every file.
fn title_of(text: &str) -> Option<String> {
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("title") && l.contains('='))?;
    let value = line.split_once('=')?.1.trim();
    let inner = value.strip_prefix('"')?;
    let mut title = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(title),
            '\\' => match chars.next()? {
                '"' => title.push('"'),
                '\\' => title.push('\\'),
                // Anything rarer: let the page parse the file instead.
                _ => return None,
            },
            c => title.push(c),
        }
    }
    None
}
