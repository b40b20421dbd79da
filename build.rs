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
        out.push_str(&format!(
            "    BuiltIn {{ name: {stem:?}, file: \"simulations/{name}\", text: include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/simulations/{name}\")) }},\n"
        ));
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("library.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}
