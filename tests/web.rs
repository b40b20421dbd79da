//! The same golden fingerprints as tests/golden.rs, computed in a real
//! browser by the wasm build: native/wasm parity.
#![cfg(target_arch = "wasm32")]

use tunnelscope::engine;
use tunnelscope::library;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const GOLDEN: &str = include_str!("golden/fingerprints.txt");

#[wasm_bindgen_test]
fn every_scenario_matches_its_native_fingerprint_in_the_browser() {
    let mut checked = 0;
    for line in GOLDEN.lines() {
        let (name, want) = line.split_once(' ').expect("name and hash");
        let built_in = library::find(name).expect("a library scenario");
        let scenario = built_in.parse().expect("valid");
        let (trace, run) = engine::simulate(&scenario);
        let got = format!("{:016x}", engine::fingerprint(&trace, &run));
        assert_eq!(got, want, "{name} differs between native and wasm");
        checked += 1;
    }
    assert_eq!(checked, library::LIBRARY.len());
}

// --- the playground, rendered in the browser ---------------------------------

use tunnelscope::playground::{Action, Playground, url};
use wasm_bindgen::JsCast;

/// Replaces the page's address with the index's and this fragment, as
/// opening a link would (the app moves the address to other pages).
fn open(fragment: &str) {
    let window = web_sys::window().unwrap();
    window
        .history()
        .unwrap()
        .replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("/#{fragment}")),
        )
        .unwrap();
}

/// A mounted playground; dropping it unmounts the app (stopping its effects,
/// so it cannot touch the URL of the next test) and removes its element.
struct Mounted {
    root: web_sys::Element,
    app: Option<yew::AppHandle<tunnelscope::web::App>>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        self.root.remove();
    }
}

impl std::ops::Deref for Mounted {
    type Target = web_sys::Element;
    fn deref(&self) -> &web_sys::Element {
        &self.root
    }
}

/// Mounts a fresh playground and lets yew render.
async fn mount() -> Mounted {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let location = web_sys::window().unwrap().location();
    let props = tunnelscope::web::AppProps {
        page: url::Page::from_path(&location.pathname().unwrap()),
        fragment: location.hash().unwrap().into(),
        layout: tunnelscope::web::Layout::Wide,
    };
    let app =
        yew::Renderer::<tunnelscope::web::App>::with_root_and_props(root.clone(), props).render();
    until(|| root.query_selector(".downloads").unwrap().is_some()).await;
    Mounted {
        root,
        app: Some(app),
    }
}

/// Waits until `done` holds (a debug build re-runs a scenario slowly in
/// some browsers, more so on a loaded CI machine), for at most five seconds.
async fn until(done: impl Fn() -> bool) {
    for _ in 0..100 {
        if done() {
            return;
        }
        gloo::timers::future::TimeoutFuture::new(50).await;
    }
}

/// A `change` event as a person's choice sends it (it bubbles).
fn change() -> web_sys::Event {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    web_sys::Event::new_with_event_init_dict("change", &init).unwrap()
}

fn flow_labels(root: &web_sys::Element) -> Vec<String> {
    let nodes = root.query_selector_all(".topology .flow-label").unwrap();
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|n| n.text_content())
        // A label ends in ≠ where the flow goes another way in the other
        // drawing; what is checked here is its route.
        .map(|l| l.trim_end_matches(" ≠").to_string())
        .collect()
}

#[wasm_bindgen_test]
async fn the_playground_renders_its_default_scenario() {
    open("");
    let root = mount().await;
    until(|| !flow_labels(&root).is_empty()).await;
    let text = root.text_content().unwrap();
    assert!(
        text.contains("iOS 16.1: Apple push and Maps leave the tunnel"),
        "{text}"
    );
    assert!(text.contains("Inspector"));
    assert!(!flow_labels(&root).is_empty());
}

#[wasm_bindgen_test]
async fn toggling_include_all_networks_changes_the_routes_shown() {
    open("lib=localnet-leak-without-ian&t=10000");
    let root = mount().await;
    assert!(
        flow_labels(&root).iter().any(|l| l == "printer · D"),
        "{:?}",
        flow_labels(&root)
    );
    let select: web_sys::HtmlSelectElement = root
        .query_selector("select[name='include_all_networks']")
        .unwrap()
        .expect("the include_all_networks control")
        .dyn_into()
        .unwrap();
    select.set_value("on");
    select.dispatch_event(&change()).unwrap();
    until(|| flow_labels(&root).iter().any(|l| l == "printer · T")).await;
    // excludeLocalNetworks is off in this scenario: with IAN the LAN traffic
    // goes into the tunnel.
    assert!(
        flow_labels(&root).iter().any(|l| l == "printer · T"),
        "{:?}",
        flow_labels(&root)
    );
}

#[wasm_bindgen_test]
async fn a_share_link_round_trips_to_the_identical_state() {
    let state = std::rc::Rc::new(Playground::default())
        .reduce(Action::LoadLibrary("wifi-to-cellular".into()))
        .reduce(Action::SetVpnFlag("on_demand".into(), Some(false)))
        .reduce(Action::Compare(Some("include_all_networks".into())))
        .reduce(Action::Select(Some("push".into())))
        .reduce(Action::Seek(21_000));
    let fragment = url::to_fragment(&state);
    open(&fragment);
    let root = mount().await;
    let hash = || web_sys::window().unwrap().location().hash().unwrap();
    // A link with an edited scenario is opened in a task after the first
    // frame, and the address is left alone until then: wait for the view
    // it opens, not only for the address.
    until(|| {
        hash() == format!("#{fragment}") && root.text_content().unwrap().contains("push (apns)")
    })
    .await;
    let hash = hash();
    assert_eq!(
        hash,
        format!("#{fragment}"),
        "the page writes back exactly the link it opened"
    );
    let text = root.text_content().unwrap();
    assert!(text.contains("push (apns)"), "the selection is restored");
    assert!(
        text.contains("Kill switch on (as configured)")
            || text.contains("Kill switch off (as configured)"),
        "the comparison is restored"
    );
}

#[wasm_bindgen_test]
async fn a_bad_scenario_shows_its_error_and_keeps_the_text() {
    open("");
    let root = mount().await;
    let textarea: web_sys::HtmlTextAreaElement = root
        .query_selector("textarea")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    textarea.set_value("title = \"mine\"\nios = \"20.0\"\n");
    textarea
        .dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    until(|| root.query_selector(".errors").unwrap().is_some()).await;
    let errors = root
        .query_selector(".errors")
        .unwrap()
        .expect("errors are shown");
    let message = errors.text_content().unwrap();
    assert!(message.contains("line 2, column 7"), "{message}");
    assert_eq!(textarea.value(), "title = \"mine\"\nios = \"20.0\"\n");
    // The drawing still shows the last good scenario.
    assert!(!flow_labels(&root).is_empty());
}

#[wasm_bindgen_test]
async fn picking_a_symptom_shows_the_answer_and_its_scenario() {
    open("");
    let root = mount().await;
    let picker: web_sys::HtmlSelectElement = root
        .query_selector("select[aria-label='Pick a symptom to answer']")
        .unwrap()
        .expect("the symptom picker")
        .dyn_into()
        .unwrap();
    picker.set_value("hotspot-clients-offline");
    picker.dispatch_event(&change()).unwrap();
    // yew yields to the browser between renders of a slow (debug) build:
    // wait for the whole view, not its first part.
    until(|| {
        root.query_selector(".support").unwrap().is_some()
            && flow_labels(&root).iter().any(|l| l.starts_with("laptop"))
    })
    .await;
    let answer = root
        .query_selector(".support")
        .unwrap()
        .expect("the answer is shown")
        .text_content()
        .unwrap();
    assert!(answer.contains("Devices on my Personal Hotspot have no internet"));
    assert!(answer.contains("Exposes:"), "{answer}");
    assert!(answer.contains("ian.blocks-hotspot"), "{answer}");
    assert!(
        flow_labels(&root).iter().any(|l| l.starts_with("laptop")),
        "{:?}",
        flow_labels(&root)
    );
    // Closing leaves support mode and keeps the scenario.
    let close: web_sys::HtmlElement = root
        .query_selector(".support-head button:last-child")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    close.click();
    until(|| root.query_selector(".support").unwrap().is_none()).await;
    assert!(root.query_selector(".support").unwrap().is_none());
    assert!(flow_labels(&root).iter().any(|l| l.starts_with("laptop")));
}

#[wasm_bindgen_test]
async fn a_learn_page_embed_mounts_its_scenario() {
    let document = web_sys::window().unwrap().document().unwrap();
    let figure = document.create_element("figure").unwrap();
    figure
        .set_attribute("data-scenario", "ios13-existing-connection")
        .unwrap();
    figure.set_attribute("data-select", "push").unwrap();
    figure.set_inner_html("<p>still text</p>");
    document.body().unwrap().append_child(&figure).unwrap();
    tunnelscope::web::run_embeds();
    until(|| figure.query_selector(".embed-player").unwrap().is_some()).await;
    let text = figure.text_content().unwrap();
    let live = figure.query_selector(".embed-player").unwrap().is_some();
    figure.remove();
    assert!(live, "the live player is mounted");
    assert!(text.contains("still text"), "the words stay under it");
    assert!(text.contains("iOS 13.3.1: a connection opened before the VPN stays outside it"));
    assert!(
        text.contains("push (apns)"),
        "the selected flow is inspected: {text}"
    );
}

// --- configuration profiles, parsed by the browser's own XML parser ----------

/// The page parses profiles with DOMParser (not the plist crate, which the
/// native build uses): both must read the same payload, and bad XML must
/// get an error, in every browser.
#[wasm_bindgen_test]
fn the_browser_reads_a_profile_as_the_cli_does() {
    use tunnelscope::profile;
    use tunnelscope::version::IosVersion;
    let ios = IosVersion::parse("18.2").unwrap();
    let fixture = include_bytes!("profiles/ikev2-kill-switch.mobileconfig");
    let value = tunnelscope::web::profile_xml::parse(fixture).expect("the fixture parses");
    let vpn = profile::from_value(&value, ios).expect("it has a VPN payload");
    assert_eq!(vpn.name, "Example Corp VPN");
    assert_eq!(
        (
            vpn.vpn.include_all_networks,
            vpn.vpn.exclude_local_networks,
            vpn.vpn.on_demand
        ),
        (Some(true), Some(false), true)
    );
    assert!(vpn.ignored.contains(&"IKEv2.RemoteAddress".to_string()));
    for (bad, says) in [
        (
            &b"<plist version=\"1.0\"><dict><key>a</key></plist>"[..],
            "not a valid property list",
        ),
        (&b"bplist00"[..], "binary property list"),
        (
            &b"<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY x \"x\">]><plist><dict/></plist>"[..],
            "entities",
        ),
        (
            &b"<plist><dict><key>a</key><integer>seven</integer></dict></plist>"[..],
            "not a valid property list",
        ),
    ] {
        let error = tunnelscope::web::profile_xml::parse(bad).expect_err("refused");
        assert!(error.contains(says), "{error:?} does not say {says:?}");
    }
    let wifi = include_bytes!("profiles/wifi-only.mobileconfig");
    let value = tunnelscope::web::profile_xml::parse(wifi).unwrap();
    let error = profile::from_value(&value, ios).unwrap_err();
    assert!(error.contains("com.apple.wifi.managed"), "{error}");
}
