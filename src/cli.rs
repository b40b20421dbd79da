//! Argument parsing and file handling for the `tunnelscope` binary. All the
//! work is done by the library; this module only reads files and prints.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::process::ExitCode;
use tunnelscope::library::{self, LIBRARY};
use tunnelscope::model::Network;
use tunnelscope::report::{self, Format, MatrixOptions};
use tunnelscope::scenario::{self, MAX_FILE_BYTES, Scenario};
use tunnelscope::version::IosVersion;
use tunnelscope::{engine, support, timeline, words};

/// Exit status for bad input (unreadable or invalid files, bad arguments).
const BAD_INPUT: u8 = 2;
/// Exit status when a scenario's expectations do not hold.
const EXPECTATIONS_FAILED: u8 = 1;

#[derive(Parser)]
#[command(
    name = "tunnelscope",
    version,
    about = "Where an iPhone's traffic goes with and without includeAllNetworks, with the source of every rule",
    after_help = "Scenarios are TOML files (see docs/scenario-format.md) or the built-in names shown by `tunnelscope list`; a file path wins over a built-in of the same name."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Text,
    Json,
    Markdown,
}

impl From<OutputFormat> for Format {
    fn from(f: OutputFormat) -> Format {
        match f {
            OutputFormat::Text => Format::Text,
            OutputFormat::Json => Format::Json,
            OutputFormat::Markdown => Format::Markdown,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExplainFormat {
    Text,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum AudienceArg {
    Customer,
    Agent,
    Both,
}

#[derive(Clone, Copy, ValueEnum)]
enum NetworkArg {
    Wifi,
    Cellular,
}

#[derive(Subcommand)]
enum Command {
    /// Show every flow's route over time, with the rules that decided it.
    Run {
        /// A scenario file, or the name of a built-in scenario.
        scenario: String,
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
        /// Write one pcap per capture point (en0, pdp_ip0, utun0, ipsec1,
        /// bluetooth, relay-internet, tunnel-process) and run.pcapng (all of
        /// them, each packet commented with its flow and rule) into DIR.
        #[arg(long, value_name = "DIR")]
        pcap: Option<std::path::PathBuf>,
        /// List every packet instead of the timeline.
        #[arg(long)]
        packets: bool,
        /// A configuration profile (.mobileconfig) whose VPN payload
        /// replaces the scenario's [vpn].
        #[arg(long, value_name = "FILE")]
        profile: Option<std::path::PathBuf>,
    },
    /// Measure the packet engine: packet events per second, its cost per
    /// packet hop against bare smoltcp's per packet, and the wall time of
    /// the whole library.
    Bench {
        /// Only time one run of the synthetic scenario's packet engine and
        /// print its nanoseconds (for the wasm/native comparison in
        /// `make bench`).
        #[arg(long)]
        synthetic_once: bool,
    },
    /// Evaluate every [[expect]]; exit 1 if any fails.
    Check {
        /// Scenario files or built-in names.
        #[arg(required = true)]
        scenarios: Vec<String>,
        /// A configuration profile (.mobileconfig) whose VPN payload
        /// replaces each scenario's [vpn].
        #[arg(long, value_name = "FILE")]
        profile: Option<std::path::PathBuf>,
    },
    /// List the built-in scenarios (the files of simulations/).
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
    },
    /// Flow kind × iOS release × includeAllNetworks off/on → route, with provenance.
    Matrix {
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
        /// The phone's network.
        #[arg(long, value_enum, default_value = "wifi")]
        network: NetworkArg,
        /// Only these releases (repeatable), e.g. --ios 16.1 --ios 18.2.
        #[arg(long = "ios", value_parser = parse_release)]
        releases: Vec<IosVersion>,
    },
    /// The text of a support ticket: what a scenario shows, in plain words,
    /// with the workaround steps (for a symptom) and every source.
    Explain {
        /// A symptom id (see `tunnelscope support`), a scenario file, or the
        /// name of a built-in scenario.
        scenario: String,
        #[arg(long, value_enum, default_value = "text")]
        format: ExplainFormat,
        /// A configuration profile (.mobileconfig) whose VPN payload
        /// replaces the scenario's [vpn].
        #[arg(long, value_name = "FILE")]
        profile: Option<std::path::PathBuf>,
        /// Whom the answer is for: the customer (the message to send), the
        /// agent (rules, evidence, assumptions, sources), or both (the
        /// message, then the notes).
        #[arg(long = "for", value_enum, default_value = "both")]
        audience: AudienceArg,
    },
    /// The symptoms support mode answers, and the scenario for each; with
    /// --find, the symptoms a customer's words point to, best first.
    Support {
        /// The customer's words, e.g. --find "no notifications on wifi".
        #[arg(long, value_name = "TEXT")]
        find: Option<String>,
    },
    /// VPN apps' presets: what each vendor's code sets, with sources, and
    /// which flow kinds leave the tunnel for each, per iOS release.
    Presets {
        #[arg(long, value_enum, default_value = "text")]
        format: ExplainFormat,
        /// Only these releases (repeatable), e.g. --ios 16.1 --ios 18.2.
        #[arg(long = "ios", value_parser = parse_release)]
        releases: Vec<IosVersion>,
    },
    /// Build the playground's static site: every page prerendered (run by
    /// `make www`, after the Wasm is built into OUT/pkg).
    Site {
        /// The site's sources (the page template, scripts, styles, learn pages).
        #[arg(long, value_name = "DIR", default_value = "www")]
        from: std::path::PathBuf,
        /// Where the site goes.
        #[arg(long, value_name = "DIR", default_value = "dist")]
        out: std::path::PathBuf,
    },
    /// Print the knowledge base: properties, rules and assumptions with sources.
    Facts {
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
}

fn parse_release(text: &str) -> Result<IosVersion, String> {
    IosVersion::parse(text)
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run {
            scenario,
            format,
            pcap,
            packets,
            profile,
        } => run(
            &scenario,
            format.into(),
            pcap.as_deref(),
            packets,
            profile.as_deref(),
        ),
        Command::Bench {
            synthetic_once: true,
        } => {
            print(&format!("{}\n", tunnelscope::bench::synthetic_once_ns()));
            Ok(())
        }
        Command::Bench {
            synthetic_once: false,
        } => {
            let (report, within_budget) = tunnelscope::bench::run();
            print(&report);
            if within_budget {
                Ok(())
            } else {
                Err(EXPECTATIONS_FAILED)
            }
        }
        Command::Check { scenarios, profile } => check(&scenarios, profile.as_deref()),
        Command::List { format } => {
            list(format);
            Ok(())
        }
        Command::Matrix {
            format,
            network,
            releases,
        } => {
            let mut options = MatrixOptions {
                network: match network {
                    NetworkArg::Wifi => Network::Wifi,
                    NetworkArg::Cellular => Network::Cellular,
                },
                ..MatrixOptions::default()
            };
            if !releases.is_empty() {
                options.releases = releases;
            }
            print(&report::matrix(&options).render(format.into()));
            Ok(())
        }
        Command::Presets { format, releases } => {
            let releases = if releases.is_empty() {
                report::matrix_releases()
            } else {
                releases
            };
            let document = report::presets::document(&releases);
            print(&match format {
                ExplainFormat::Text => document.text(),
                ExplainFormat::Markdown => document.markdown(),
            });
            Ok(())
        }
        Command::Facts { format } => {
            print(&report::facts(format.into()));
            Ok(())
        }
        Command::Explain {
            scenario,
            format,
            profile,
            audience,
        } => explain(&scenario, format, profile.as_deref(), audience),
        Command::Site { from, out } => match tunnelscope::site::build(&from, &out) {
            Ok(built) => {
                print(&format!(
                    "site: {} pages ({} live scenarios prerendered), {} files copied, in {}\n",
                    built.pages,
                    built.embeds,
                    built.copied,
                    out.display()
                ));
                Ok(())
            }
            Err(message) => {
                eprintln!("tunnelscope site: {message}");
                Err(BAD_INPUT)
            }
        },
        Command::Support { find } => {
            support_list(find.as_deref());
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => ExitCode::from(code),
    }
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn print(text: &str) {
    let _ = std::io::stdout().write_all(text.as_bytes());
}

/// Reads a scenario from a file, or from the built-in library by name.
/// Returns the name to show in messages and the text.
fn load(name: &str) -> Result<(String, String), String> {
    let path = std::path::Path::new(name);
    if path.is_file() {
        let size = std::fs::metadata(path)
            .map_err(|e| format!("{name}: cannot read it: {e}"))?
            .len();
        if size > MAX_FILE_BYTES as u64 {
            return Err(format!(
                "{name}: the file is {size} bytes; a scenario may be at most {MAX_FILE_BYTES} bytes"
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| format!("{name}: cannot read it: {e}"))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let column = valid.iter().rev().take_while(|b| **b != b'\n').count() + 1;
            format!("{name}:{line}:{column}: the file is not UTF-8 text (a scenario is a TOML text file)")
        })?;
        return Ok((name.to_string(), text));
    }
    if path.exists() {
        return Err(format!("{name}: not a file"));
    }
    if let Some(built_in) = library::find(name) {
        let shown = format!("{} (built-in {})", built_in.name, built_in.file);
        return Ok((shown, built_in.text.to_string()));
    }
    let names: Vec<&str> = LIBRARY.iter().map(|b| b.name).collect();
    Err(format!(
        "{name}: no such file, and no built-in scenario has that name; the built-ins are: {}",
        names.join(", ")
    ))
}

fn load_and_parse(name: &str) -> Result<(String, Scenario), String> {
    let (shown, text) = load(name)?;
    let scenario = scenario::parse(&text).map_err(|errors| errors.render(&shown))?;
    Ok((shown, scenario))
}

/// The scenario, with a configuration profile's VPN in place of its own
/// when one is given; what the profile set and what it did not is said on
/// standard error.
fn load_with_profile(
    name: &str,
    profile: Option<&std::path::Path>,
) -> Result<(String, Scenario), String> {
    let (shown, mut scenario) = load_and_parse(name)?;
    let Some(path) = profile else {
        return Ok((shown, scenario));
    };
    let file = path.display();
    let size = std::fs::metadata(path)
        .map_err(|e| format!("{file}: cannot read it: {e}"))?
        .len();
    if size > tunnelscope::profile::MAX_PROFILE_BYTES as u64 {
        return Err(format!(
            "{file}: the profile is {size} bytes; at most {} KiB is read",
            tunnelscope::profile::MAX_PROFILE_BYTES / 1024
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{file}: cannot read it: {e}"))?;
    let vpn =
        tunnelscope::profile::read(&bytes, scenario.ios).map_err(|e| format!("{file}: {e}"))?;
    for line in vpn.summary() {
        eprintln!("{file}: {line}");
    }
    vpn.apply(&mut scenario);
    Ok((shown, scenario))
}

/// The whole run's capture, beside the per-point pcaps.
const PCAPNG_NAME: &str = "run.pcapng";

fn run(
    name: &str,
    format: Format,
    pcap_dir: Option<&std::path::Path>,
    packets: bool,
    profile: Option<&std::path::Path>,
) -> Result<(), u8> {
    let (_, scenario) = load_with_profile(name, profile).map_err(|message| {
        eprintln!("{message}");
        BAD_INPUT
    })?;
    let (trace, run) = engine::simulate(&scenario);
    if let Some(stop) = &trace.stopped {
        eprintln!("{}", words::stopped(stop, scenario.duration_ms));
    }
    if let Some(dir) = pcap_dir {
        std::fs::create_dir_all(dir).map_err(|e| {
            eprintln!("{}: cannot create the directory: {e}", dir.display());
            BAD_INPUT
        })?;
        for point in engine::CapturePoint::ALL {
            let path = dir.join(format!("{}.pcap", point.as_str()));
            std::fs::write(&path, engine::pcap(&run, point)).map_err(|e| {
                eprintln!("{}: cannot write it: {e}", path.display());
                BAD_INPUT
            })?;
        }
        let path = dir.join(PCAPNG_NAME);
        std::fs::write(&path, engine::pcapng(&scenario, &run)).map_err(|e| {
            eprintln!("{}: cannot write it: {e}", path.display());
            BAD_INPUT
        })?;
        eprintln!(
            "wrote {} pcaps and {PCAPNG_NAME} (every point, every packet commented) to {}",
            engine::CapturePoint::ALL.len(),
            dir.display()
        );
    }
    if packets {
        print(&engine::listing(&scenario, &run));
    } else {
        print(&report::render(&trace, format));
    }
    Ok(())
}

/// The symptoms, each with its scenario; with `find`, only those the
/// customer's words point to, best first (or, when none, every symptom).
fn support_list(find: Option<&str>) {
    let finding = find.map(support::find);
    for note in finding.iter().flat_map(|f| &f.not_answered) {
        print(&format!("Not answered by tunnelscope: {note}\n\n"));
    }
    let found = finding.map(|f| f.matches);
    let listed: Vec<&support::Symptom> = match &found {
        Some(found) if !found.is_empty() => found.iter().map(|m| m.symptom).collect(),
        _ => support::SYMPTOMS.iter().collect(),
    };
    if found.as_ref().is_some_and(Vec::is_empty) {
        print("No symptom matches those words; every symptom follows.\n\n");
    }
    let width = listed.iter().map(|s| s.id.len()).max().unwrap_or(0);
    for symptom in listed {
        print(&format!(
            "{:<width$}  {}  (scenario {})\n",
            symptom.id, symptom.asks, symptom.scenario
        ));
    }
    print("\nThe answer: tunnelscope explain SYMPTOM [--for customer|agent] [--format markdown]\n");
}

/// Where a name that is neither a symptom nor a scenario was probably
/// meant to go: the symptoms its words point to.
fn closest_symptoms(name: &str) -> String {
    let found = support::find_symptoms(&name.replace(['-', '_'], " "));
    if found.is_empty() {
        return String::new();
    }
    let ids: Vec<&str> = found.iter().take(3).map(|m| m.symptom.id).collect();
    format!("\nclosest symptoms: {}", ids.join(", "))
}

/// A symptom id first (they never clash with built-in names: a test sees
/// to that), then a file or built-in scenario, which gets its symptom's
/// answer when one points at it.
fn explain(
    name: &str,
    format: ExplainFormat,
    profile: Option<&std::path::Path>,
    audience: AudienceArg,
) -> Result<(), u8> {
    let bad = |message: String| {
        eprintln!("{message}");
        BAD_INPUT
    };
    let symptom = support::symptom(name);
    let wanted = symptom.map_or(name, |s| s.scenario);
    let (shown, scenario) = load_with_profile(wanted, profile).map_err(|message| {
        bad(format!(
            "{message}{}\n(or name a symptom: {})",
            closest_symptoms(name),
            support::symptom_choices()
        ))
    })?;
    // A file path wins over a built-in of the same name (as in `load`).
    let built_in = library::find(wanted).filter(|_| !std::path::Path::new(wanted).is_file());
    let symptom = symptom.or_else(|| built_in.and_then(|b| support::symptom_for_scenario(b.name)));
    let file = built_in.map_or(shown.as_str(), |b| b.file);
    let (trace, _) = engine::simulate(&scenario);
    let audience = match audience {
        AudienceArg::Customer => support::Audience::Customer,
        AudienceArg::Agent => support::Audience::Agent,
        AudienceArg::Both => support::Audience::Both,
    };
    let explanation = support::answer(&trace, file, symptom, None, audience);
    print(&match format {
        ExplainFormat::Text => explanation.text(),
        ExplainFormat::Markdown => explanation.markdown(),
    });
    Ok(())
}

fn check(names: &[String], profile: Option<&std::path::Path>) -> Result<(), u8> {
    let mut bad_input = false;
    let mut failed = false;
    let mut expectations = 0usize;
    let mut failures = 0usize;
    let mut stopped = false;
    for name in names {
        match load_with_profile(name, profile) {
            Err(message) => {
                eprintln!("{message}");
                bad_input = true;
            }
            Ok((shown, scenario)) => {
                let trace = timeline::run(&scenario);
                expectations += trace.expectations.len();
                failures += trace.failures().count();
                failed |= trace.failures().next().is_some();
                stopped |= trace.stopped.is_some();
                print(&report::check(&shown, &trace));
            }
        }
    }
    let verdict = if bad_input {
        "some files could not be checked"
    } else if failed {
        "some expectations failed"
    } else if stopped {
        "some runs stopped at their budget before all expectations were checked"
    } else {
        "all expectations hold"
    };
    print(&format!(
        "{} files, {expectations} expectations: {verdict}\nexpectations: {} passed, {failures} failed\n",
        names.len(),
        expectations - failures
    ));
    if bad_input {
        Err(BAD_INPUT)
    } else if failed || stopped {
        Err(EXPECTATIONS_FAILED)
    } else {
        Ok(())
    }
}

fn list(format: ListFormat) {
    match format {
        ListFormat::Json => {
            let entries: Vec<serde_json::Value> = LIBRARY
                .iter()
                .map(|b| {
                    let parsed = b.parse().ok();
                    serde_json::json!({
                        "name": b.name,
                        "file": b.file,
                        "title": parsed.as_ref().map(|s| s.title.clone()),
                        "ios": parsed.as_ref().map(|s| s.ios.to_string()),
                    })
                })
                .collect();
            print(&(serde_json::to_string_pretty(&entries).expect("serializes") + "\n"));
        }
        ListFormat::Text => {
            let width = LIBRARY.iter().map(|b| b.name.len()).max().unwrap_or(0);
            for b in LIBRARY {
                let title = b
                    .parse()
                    .map(|s| format!("iOS {:<7} {}", s.ios.to_string(), s.title))
                    .unwrap_or_else(|e| format!("(invalid: {e})"));
                print(&format!("{:<width$}  {title}\n", b.name));
            }
        }
    }
}
