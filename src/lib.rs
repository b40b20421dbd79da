//! tunnelscope: where an iPhone's traffic goes with and without Apple's
//! `includeAllNetworks`, across iOS releases and VPN states, and why.
//!
//! # The map
//!
//! Data flows one way, top to bottom. Each layer depends on the layers above
//! it, and on the plain data it hands on: the [`trace`] types are written by
//! the timeline and the engine and read by everything after them. The whole
//! picture, the entry points and the invariants the code keeps are in
//! `docs/ARCHITECTURE.md`.
//!
//! ```text
//!   scenario ──▶ policy (control plane) ──▶ packet engine (data plane) ──▶ trace ──▶ report / pcap / UI
//!   (TOML)       facts: what iOS does        smoltcp stacks, real packets     data      text, JSON, Markdown
//! ```
//!
//! * **Vocabulary** — [`model`] (flow kinds, routes, interfaces, tunnel
//!   states), [`version`] (iOS release numbers) and [`addresses`] (every
//!   address in the simulated world, route matching), [`kinds`] (each flow
//!   kind's traits in one table). Small value types only.
//! * **Knowledge** — [`facts`]: every modelled iOS behaviour as a table row
//!   with its releases, its kind of evidence (documented / observed / reported
//!   / inferred / unknown) and its source, plus the explicit assumptions where
//!   the public record is silent. When Apple changes behaviour, one row
//!   changes. [`config`]: the VPN settings with Apple's defaults filled in,
//!   and the assumptions' values, as a scenario configures them.
//! * **Scenario** — [`scenario`]: format v1 (TOML) parsed and validated into
//!   plain values, with a line and column for every problem.
//! * **Control plane** — [`policy`]: given the release, the VPN configuration,
//!   the device and tunnel state and one flow, the route, the interface, what
//!   the destination sees, and the ordered chain of rules that decided. Pure;
//!   it never touches bytes.
//! * **Time** — [`timeline`]: the scenario's events drive the tunnel's state;
//!   at every change the policy re-decides each open flow. Event-driven,
//!   simulated milliseconds, deterministic.
//! * **Data plane** — [`engine`]: every flow as real packets through smoltcp
//!   stacks (phone interfaces, NATs, the tunnel and relay, servers), following
//!   the timeline's segments; servers record what they saw, the phone drops
//!   what the policy blocks, every packet is captured for pcaps. Simulated
//!   microseconds, event-driven, byte-identical natively and in wasm.
//! * **Trace** — [`trace`]: what happened, as data (the stable JSON contract):
//!   flows' segments, and each event's effect as a typed value.
//!   [`difference`]: two traces of one scenario, as configured and with a
//!   setting (the kill switch) flipped, compared flow by flow as values.
//! * **Words** — [`words`]: the one place values become sentences (an
//!   effect, a route, a state), for every output below.
//! * **Output** — [`report`] renders traces, check results, the matrix and the
//!   knowledge base; [`library`] embeds `simulations/*.toml`; [`support`]
//!   maps customers' symptoms to scenarios and renders a run as the text of
//!   a support ticket: a message for the customer, then the agent's notes
//!   (rules, evidence, assumptions, linked sources); its finder ranks
//!   symptoms from a customer's words.
//!
//! * **Playground** — [`playground`]: the page's model (state, actions, the
//!   share link) as plain data; [`web`]: yew components that render it, run
//!   live in the browser and, natively, by [`site`] to prerender every page
//!   of the static site at build time.
//!
//! The command-line front end lives in `src/main.rs` and `src/cli.rs`, the
//! benchmark in [`mod@bench`] (it reads the wall clock) and the site build in
//! [`site`]; these are native only. Everything else also builds for
//! `wasm32-unknown-unknown`; only [`web`] uses web APIs, and only in effects
//! and event handlers, which never run while prerendering.

#![deny(unsafe_code)]

pub mod addresses;
#[cfg(not(target_arch = "wasm32"))]
pub mod bench;
#[cfg(all(target_arch = "wasm32", feature = "wasm-bench"))]
pub mod bench_wasm;
pub mod budget;
pub mod config;
pub mod difference;
pub mod engine;
pub mod facts;
pub mod kinds;
pub mod library;
pub mod model;
pub mod playground;
pub mod policy;
pub mod presets;
pub mod profile;
pub mod report;
pub mod scenario;
#[cfg(not(target_arch = "wasm32"))]
pub mod site;
pub mod support;
pub mod timeline;
pub mod trace;
pub mod version;
pub mod web;
pub mod words;
pub mod workload;
