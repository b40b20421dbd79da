//! The `tunnelscope` binary as a user runs it: outputs, exit codes, errors.

use std::path::PathBuf;
use std::process::{Command, Output};

fn tunnelscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tunnelscope"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// A scenario file in a fresh temporary directory.
fn temp_scenario(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tunnelscope-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).unwrap();
    path
}

fn simulation_files() -> Vec<String> {
    let mut files: Vec<String> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/simulations"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .map(|p| format!("simulations/{}", p.file_name().unwrap().to_string_lossy()))
            .collect();
    files.sort();
    files
}

#[test]
fn list_shows_every_simulation_by_name_and_title() {
    let out = tunnelscope(&["list"]);
    assert!(out.status.success());
    let text = stdout(&out);
    let files = simulation_files();
    assert!(files.len() >= 12);
    for file in &files {
        let stem = file
            .trim_start_matches("simulations/")
            .trim_end_matches(".toml");
        assert!(
            text.lines().any(|l| l.starts_with(stem)),
            "{stem} missing from:\n{text}"
        );
    }
    assert!(text.contains("iOS 13.3.1"));
    let json: serde_json::Value =
        serde_json::from_slice(&tunnelscope(&["list", "--format", "json"]).stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), files.len());
    assert!(json[0]["title"].is_string());
}

#[test]
fn check_passes_on_the_whole_library() {
    let files = simulation_files();
    let mut args = vec!["check"];
    args.extend(files.iter().map(String::as_str));
    let out = tunnelscope(&args);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    assert!(text.contains("all expectations hold"));
    assert_eq!(
        text.matches("\nok    ").count() + usize::from(text.starts_with("ok    ")),
        files.len()
    );
}

#[test]
fn check_prints_want_got_and_the_rule_chain_and_exits_1() {
    let path = temp_scenario(
        "failing",
        "title = \"wrong on purpose\"\nios = \"16.1\"\n[vpn]\ninclude_all_networks = true\n[[flow]]\nname = \"push\"\nkind = \"apns\"\nopen = \"0s\"\n[[expect]]\nflow = \"push\"\nat = \"5s\"\nroute = \"tunnel\"\n",
    );
    let out = tunnelscope(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("FAIL"), "{text}");
    assert!(
        text.contains(":9: push at 5s: want tunnel, got direct"),
        "{text}"
    );
    assert!(text.contains("1. apple.bypass-16-1 [observed]"), "{text}");
    assert!(
        text.contains("source: https://www.ivpn.net/blog/removal-of-kill-switch"),
        "{text}"
    );
}

#[test]
fn a_bad_file_gets_file_line_column_and_exit_2() {
    let path = temp_scenario(
        "bad",
        "title = \"bad\"\nios = \"16.1\"\n[vpn]\nexclude_apns = false\n[[flow]]\nname = \"x\"\nkind = \"push\"\nopen = \"0s\"\n",
    );
    let shown = path.to_str().unwrap();
    for command in ["run", "check"] {
        let out = tunnelscope(&[command, shown]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        let err = stderr(&out);
        assert!(
            err.contains(&format!("{shown}:4:16: `exclude_apns` needs iOS 16.4")),
            "{err}"
        );
        assert!(
            err.contains(&format!("{shown}:7:8: `push` is not a flow kind")),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn a_syntax_error_gets_its_line() {
    let path = temp_scenario("syntax", "title = \"t\"\nios = \"16.1\"\n[[flow]\n");
    let out = tunnelscope(&["run", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!("{}:3:", path.to_str().unwrap())),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unreadable_and_unknown_inputs_are_explained() {
    let out = tunnelscope(&["run", "no-such-scenario"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("no built-in scenario has that name"), "{err}");
    assert!(
        err.contains("ian-ios16-1-apple-leak"),
        "the built-ins are listed: {err}"
    );

    let binary = temp_scenario("binary", "");
    std::fs::write(&binary, [0xff, 0xfe, 0x00]).unwrap();
    let out = tunnelscope(&["run", binary.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not UTF-8"));

    let out = tunnelscope(&["run", "ian-ios15", "--format", "yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("text, json, markdown"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn run_text_shows_segments_rules_and_sources() {
    let out = tunnelscope(&["run", "ios13-existing-connection"]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("iOS 13.3.1: a connection opened before the VPN stays outside it"));
    assert!(
        text.contains("flow.existing-stays-outside [observed]"),
        "{text}"
    );
    assert!(
        text.contains("Source: https://protonvpn.com/blog/apple-ios-vulnerability-disclosure/ (Proton's 2020 disclosure, read through the Danish CFCS notice); also https://www.cfcs.dk/"),
        "{text}"
    );
    assert!(
        text.contains("\n  ok  new-tab at 30s: tunnel, seen as vpn\n"),
        "{text}"
    );
}

#[test]
fn run_json_follows_the_contract() {
    let out = tunnelscope(&[
        "run",
        "simulations/ian-ios16-1-apple-leak.toml",
        "--format",
        "json",
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["scenario"]["ios"], "16.1");
    let push = &v["flows"][0];
    assert_eq!(push["name"], "push");
    let segments = push["segments"].as_array().unwrap();
    assert_eq!(segments[0]["from_ms"], 0);
    for pair in segments.windows(2) {
        assert_eq!(pair[0]["to_ms"], pair[1]["from_ms"]);
    }
    assert!(
        v["expectations"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["ok"] == true)
    );
    assert_eq!(
        v["events"][0],
        serde_json::json!({
            "at_ms": 5000, "do": "connect",
            "effect": "the tunnel is connecting until 6s",
            "outcome": {"connecting": {"until": {"until_ms": 6000}}}
        })
    );
}

#[test]
fn json_family_is_the_version_on_the_wire_on_every_segment() {
    let out = tunnelscope(&[
        "run",
        "ipv6-only-cellular-nat64-transport",
        "--format",
        "json",
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let flows = v["flows"].as_array().unwrap();
    for flow in flows {
        for segment in flow["segments"].as_array().unwrap() {
            assert!(
                segment["family"] == "ipv4" || segment["family"] == "ipv6",
                "{}: {segment}",
                flow["name"]
            );
        }
    }
    let first = |name: &str| {
        flows.iter().find(|f| f["name"] == name).unwrap()["segments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["route"] == "direct" || s["route"] == "tunnel")
            .unwrap()
            .clone()
    };
    // The transport to the IPv4 relay leaves pdp_ip0 as IPv6 (to the
    // relay's NAT64 address); inside the tunnel the IPv4-only app is IPv4.
    let transport = first("wireguard");
    assert_eq!(
        (&transport["family"], &transport["app_family"]),
        (&serde_json::json!("ipv6"), &serde_json::json!("ipv4"))
    );
    let inside = first("ipv4-only app");
    assert_eq!(inside["family"], "ipv4");
    assert!(inside.get("app_family").is_none(), "{inside}");
}

#[test]
fn facts_shows_every_source_as_a_link() {
    let out = tunnelscope(&["facts", "--format", "markdown"]);
    assert!(out.status.success());
    let text = stdout(&out);
    let mut cited = 0;
    for line in text.lines() {
        let line = line.trim_start_matches([' ', '-', '*']);
        for label in ["Source: ", "Also: ", "Basis: "] {
            let Some(rest) = line.strip_prefix(label) else {
                continue;
            };
            cited += 1;
            let unlinked = rest.starts_with("inferred by tunnelscope")
                || rest.starts_with("press accounts of Mysk");
            assert!(
                rest.starts_with("https://") || unlinked,
                "not a link: {line}"
            );
            // The link ends at the first space: whatever follows is a note
            // in parentheses or further links after "; also".
            let link = rest.split(' ').next().unwrap();
            assert!(!link.contains('('), "{line}");
        }
    }
    assert!(cited > 120, "only {cited} sources");
}

#[test]
fn run_markdown_is_a_table() {
    let out = tunnelscope(&["run", "wifi-to-cellular", "--format", "markdown"]);
    let text = stdout(&out);
    assert!(text.starts_with("# iOS 17.4 with includeAllNetworks: Wi-Fi to cellular\n"));
    assert!(text.contains("\n`browser` (app)"), "{text}");
    assert!(text.contains(
        "| time | route | interface | seen as | change | rules |\n|---|---|---|---|---|---|\n"
    ));
    assert!(
        text.contains("| 20s–22s | blocked | none | none |"),
        "{text}"
    );
}

#[test]
fn matrix_shows_a_provenance_for_every_route() {
    let out = tunnelscope(&["matrix", "--format", "json"]);
    assert!(out.status.success());
    let m: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cells = m["cells"].as_array().unwrap();
    // 19 rows (18 flow kinds, the app twice) × 11 releases × IAN off/on.
    assert_eq!(cells.len(), 19 * 11 * 2);
    for cell in cells {
        if cell["route"].is_null() {
            assert_eq!(cell["ios"], "13.3.1");
            assert_eq!(cell["include_all_networks"], true);
            continue;
        }
        let last = cell["rules"]
            .as_array()
            .unwrap()
            .last()
            .expect("a deciding rule");
        let provenance = last["provenance"].as_str().unwrap();
        assert!(
            ["documented", "observed", "reported", "inferred", "unknown"].contains(&provenance)
        );
        assert!(!last["source"].as_str().unwrap().is_empty());
    }
    let find = |row: &str, ios: &str, ian: bool| {
        let (kind, before) = match row.strip_suffix(" (opened before the tunnel)") {
            Some(kind) => (kind, true),
            None => (row, false),
        };
        cells
            .iter()
            .find(|c| {
                c["kind"] == kind
                    && c["opened_before_tunnel"] == before
                    && c["ios"] == ios
                    && c["include_all_networks"] == ian
            })
            .unwrap()
    };
    assert_eq!(find("apns", "15.7", true)["route"], "tunnel");
    assert_eq!(find("apns", "16.1", true)["route"], "direct");
    assert_eq!(find("app", "16.1", true)["route"], "tunnel");
    assert_eq!(find("local-network", "17.4", false)["route"], "direct");
    assert_eq!(
        find("app (opened before the tunnel)", "13.3.1", false)["route"],
        "direct"
    );
    assert_eq!(
        find("app (opened before the tunnel)", "15.7", true)["route"],
        "tunnel"
    );

    let text = stdout(&tunnelscope(&["matrix"]));
    assert!(text.contains("[D] documented"));
    assert!(text.contains("direct [O] apple.bypass-16-1"), "{text}");
    let md = stdout(&tunnelscope(&[
        "matrix",
        "--format",
        "markdown",
        "--ios",
        "16.4",
        "--network",
        "cellular",
    ]));
    assert!(
        md.contains(
            "| apns | 16.4 | direct [R] apple.bypass-without-ian | direct [D] ian.exclude-apns |"
        ),
        "{md}"
    );
    assert!(!md.contains("| 15.7 |"));
}

#[test]
fn matrix_rejects_a_release_it_does_not_model() {
    let out = tunnelscope(&["matrix", "--ios", "21.0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("18 straight to 26"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn facts_lists_every_rule_with_its_source() {
    let text = stdout(&tunnelscope(&["facts", "--format", "markdown"]));
    assert!(text.contains("`excludeAPNs`") || text.contains("(excludeAPNs)"));
    assert!(text.contains("`apple.bypass-16-1`"));
    assert!(text.contains("`apple_services_bypass = true`"));
    let json: serde_json::Value =
        serde_json::from_slice(&tunnelscope(&["facts", "--format", "json"]).stdout).unwrap();
    for rule in json["rules"].as_array().unwrap() {
        assert!(
            rule["source"].as_str().is_some_and(|s| !s.is_empty()),
            "{rule}"
        );
        assert!(rule["ios"].as_str().unwrap().starts_with("iOS "));
    }
}

/// docs/facts.md, docs/matrix.md and docs/presets.md are generated (`make docs`); a change to
/// the knowledge base shows up in review as a diff of those pages.
#[test]
fn the_generated_docs_are_up_to_date() {
    for (args, file) in [
        (["facts", "--format", "markdown"], "docs/facts.md"),
        (["matrix", "--format", "markdown"], "docs/matrix.md"),
        (["presets", "--format", "markdown"], "docs/presets.md"),
    ] {
        let generated = stdout(&tunnelscope(&args));
        let committed =
            std::fs::read_to_string(format!("{}/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        assert!(
            generated == committed,
            "{file} is stale: run `make docs` and review the diff"
        );
    }
}

#[test]
fn explain_prints_the_ticket_for_a_symptom_in_markdown() {
    let out = tunnelscope(&[
        "explain",
        "no-internet-after-update",
        "--format",
        "markdown",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("# No internet after updating the VPN app\n"),
        "{text}"
    );
    for needle in [
        "(simulations/update-loop-ian.toml)",
        "`support/no-internet-after-update.html`",
        "## What to do",
        "1. Restart the iPhone.",
        "## Sources",
        "`update.ian-blocks-all` [observed]",
    ] {
        assert!(text.contains(needle), "missing {needle:?}");
    }
}

#[test]
fn explain_of_a_scenario_name_includes_its_symptom_answer() {
    let by_name = stdout(&tunnelscope(&["explain", "update-loop-ian"]));
    let by_symptom = stdout(&tunnelscope(&["explain", "no-internet-after-update"]));
    assert_eq!(by_name, by_symptom);
    assert!(by_name.starts_with("No internet after updating the VPN app\n====="));
    // A scenario no symptom points at: the run explained, no steps.
    let plain = stdout(&tunnelscope(&["explain", "wifi-to-cellular"]));
    assert!(plain.contains("What the simulation shows"));
    assert!(!plain.contains("What to do"));
}

#[test]
fn explain_of_something_unknown_lists_symptoms_and_exits_2() {
    let out = tunnelscope(&["explain", "no-such-thing"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("no built-in scenario has that name"), "{err}");
    assert!(err.contains("\"push-missing\""), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn explain_for_the_customer_and_for_the_agent() {
    let customer = stdout(&tunnelscope(&[
        "explain",
        "push-only-wifi",
        "--for",
        "customer",
    ]));
    assert!(
        customer.contains("\n1. Tell us whether notifications fail"),
        "{customer}"
    );
    assert!(customer.contains("Reports differ: "), "{customer}");
    assert!(
        !customer.contains("push.tunnel-on-wifi") && !customer.contains("Source:"),
        "{customer}"
    );
    let agent = stdout(&tunnelscope(&[
        "explain",
        "push-only-wifi",
        "--for",
        "agent",
        "--format",
        "markdown",
    ]));
    assert!(
        agent.contains("`push.tunnel-on-wifi` [reported]"),
        "{agent}"
    );
    assert!(
        agent.contains("`push_without_kill_switch` = by-network"),
        "{agent}"
    );
    assert!(
        agent.contains("https://github.com/KaringX/clashmi/issues/430"),
        "{agent}"
    );
    assert!(!agent.contains("Message for the customer"), "{agent}");
    let both = stdout(&tunnelscope(&[
        "explain",
        "push-only-wifi",
        "--format",
        "markdown",
    ]));
    let message = both
        .find("## Message for the customer")
        .expect("the message");
    let notes = both.find("## Notes for the agent").expect("the notes");
    assert!(message < notes);
}

#[test]
fn support_finds_symptoms_from_a_customers_words() {
    let text = stdout(&tunnelscope(&[
        "support",
        "--find",
        "my laptop on the iphone's hotspot has no internet",
    ]));
    assert!(text.starts_with("hotspot-clients-offline "), "{text}");
    let none = stdout(&tunnelscope(&["support", "--find", "qwxz"]));
    assert!(
        none.starts_with("No symptom matches those words; every symptom follows."),
        "{none}"
    );
    assert!(none.contains("vpn-stuck-kill-switch"), "{none}");
    let typo = tunnelscope(&["explain", "hotspott-broken"]);
    assert_eq!(typo.status.code(), Some(2));
    let err = String::from_utf8_lossy(&typo.stderr);
    assert!(
        err.contains("closest symptoms: hotspot-clients-offline"),
        "{err}"
    );
}

#[test]
fn support_lists_every_symptom_with_its_scenario() {
    let out = tunnelscope(&["support"]);
    assert!(out.status.success());
    let text = stdout(&out);
    for (id, scenario) in [
        ("no-internet-after-update", "update-loop-ian"),
        ("hotspot-clients-offline", "hotspot-no-kill-switch"),
    ] {
        let line = text
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("{id}"));
        assert!(line.ends_with(&format!("(scenario {scenario})")), "{line}");
    }
}

/// A profile written by hand from Apple's schema replaces the scenario's
/// VPN: LocalNet no longer leaks under its kill switch with LAN traffic in
/// the tunnel, and the run says where the VPN came from.
#[test]
fn a_profile_replaces_the_scenarios_vpn() {
    let profile = "tests/profiles/ikev2-kill-switch.mobileconfig";
    let out = tunnelscope(&[
        "run",
        "localnet-without-ian",
        "--format",
        "json",
        "--profile",
        profile,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["scenario"]["profile"], "Example Corp VPN");
    assert_eq!(v["scenario"]["vpn"]["include_all_networks"], true);
    let browser = &v["flows"][0]["segments"][0];
    assert_eq!(browser["route"], "tunnel");
    assert!(
        stderr(&out).contains("ignored (the model does not use them): IKEv2.AuthenticationMethod")
    );
    // The scenario's own expectation (a leak) now fails: exit 1.
    let check = tunnelscope(&["check", "localnet-without-ian", "--profile", profile]);
    assert_eq!(check.status.code(), Some(1), "{}", stdout(&check));
    assert!(
        stdout(&check).contains("want direct on en0, got tunnel"),
        "{}",
        stdout(&check)
    );
    let explain = tunnelscope(&["explain", "public-wifi", "--profile", profile]);
    assert!(explain.status.success());
}

#[test]
fn a_profile_without_a_vpn_is_an_error_that_says_so() {
    let out = tunnelscope(&[
        "run",
        "localnet-without-ian",
        "--profile",
        "tests/profiles/wifi-only.mobileconfig",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "no VPN payload (com.apple.vpn.managed); its payloads are: com.apple.wifi.managed"
        ),
        "{}",
        stderr(&out)
    );
    let missing = tunnelscope(&[
        "run",
        "no-vpn",
        "--profile",
        "tests/profiles/nope.mobileconfig",
    ]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot read it"));
}

#[test]
fn the_worst_case_file_stops_at_its_budget_and_says_how_to_shrink_it() {
    let file = "tests/worst-case.toml";
    let out = tunnelscope(&["check", file]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(&format!("STOP  {file}: This run stopped at ")),
        "{text}"
    );
    assert!(text.contains("budget of 20,000 route segments"), "{text}");
    assert!(text.contains("use fewer events or fewer flows"), "{text}");
    assert!(text.contains("some runs stopped at their budget"), "{text}");

    let out = tunnelscope(&["run", file, "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains("budget of 500,000 captured packets"),
        "{said}"
    );
    assert!(said.contains("close them sooner (`close`)"), "{said}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["stopped"]["limit"], "retained-packets");
    let at_ms = json["stopped"]["at_ms"].as_u64().unwrap();
    assert!(at_ms > 0 && at_ms < 24 * 3_600_000);
    // What came before the stop is all there: every flow opened by then.
    let flows = json["flows"].as_array().unwrap();
    assert_eq!(flows.len(), 1_000);
    assert!(flows.iter().all(|f| {
        f["segments"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["to_ms"].as_u64().unwrap() <= at_ms)
    }));
}
