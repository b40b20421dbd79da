//! The `tunnelscope` command line: run, check, list and explain scenarios.

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

// The browser build has no command line: its entry points are the
// playground's `run_app` and `run_embeds` (`src/web/`), called by the page.
#[cfg(target_arch = "wasm32")]
fn main() {}
