//! The `tunnelscope` command line: run, check, list and explain scenarios.

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

// The browser build has no command line; its entry point arrives with the
// playground (`src/web/`).
#[cfg(target_arch = "wasm32")]
fn main() {}
