//! Flow kind × iOS release × includeAllNetworks off/on → route, each with the
//! rule that decided it and that rule's provenance.
//!
//! Every cell is a fresh policy decision: the phone on the chosen network,
//! a full-tunnel VPN with Apple's defaults for the release, the tunnel
//! connected, and a connection opened now. One extra row shows a connection
//! that was already open when the tunnel came up (the 13.3.1 bypass).

use super::{Block, Document, Format, Table};
use crate::model::{FlowKind, Interface, Network, Route, SeenAs, TunnelState};
use crate::policy::{self, Assumptions, Connection, Context, VpnConfig};
use crate::trace::RuleRef;
use crate::version::IosVersion;
use serde::Serialize;

/// The releases shown by default: one per era of the fact table.
pub fn default_releases() -> Vec<IosVersion> {
    crate::version::MODELLED
        .iter()
        .filter(|m| m.in_matrix)
        .map(|m| m.version)
        .collect()
}

#[derive(Clone, Debug)]
pub struct MatrixOptions {
    pub releases: Vec<IosVersion>,
    pub network: Network,
    pub assume: Assumptions,
}

impl Default for MatrixOptions {
    fn default() -> Self {
        MatrixOptions {
            releases: default_releases(),
            network: Network::Wifi,
            assume: Assumptions::default(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct MatrixCell {
    pub kind: FlowKind,
    /// The connection was already open when the tunnel came up.
    pub opened_before_tunnel: bool,
    pub ios: String,
    pub include_all_networks: bool,
    /// `false` when the release has no includeAllNetworks (before 14.0).
    pub available: bool,
    pub route: Option<Route>,
    pub interface: Option<Interface>,
    pub seen_as: Option<SeenAs>,
    /// The rules that decided, in order; the last one settled the route.
    pub rules: Vec<RuleRef>,
}

impl MatrixCell {
    /// The rule to show for the cell: the weakest link of the chain (a route
    /// is only as sure as the least-sourced rule behind it), the later one
    /// on a tie, so a fully documented chain shows the rule that settled it.
    pub fn deciding(&self) -> Option<&RuleRef> {
        self.rules.iter().max_by_key(|r| r.provenance)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Matrix {
    pub network: Network,
    pub releases: Vec<String>,
    pub cells: Vec<MatrixCell>,
}

/// Every flow kind, plus an app connection opened before the tunnel.
fn rows() -> Vec<(FlowKind, bool)> {
    let mut rows: Vec<(FlowKind, bool)> = FlowKind::ALL.iter().map(|k| (*k, false)).collect();
    rows.insert(1, (FlowKind::App, true));
    rows
}

pub fn matrix(options: &MatrixOptions) -> Matrix {
    let mut releases = options.releases.clone();
    releases.sort();
    releases.dedup();
    let options = &MatrixOptions {
        releases,
        ..options.clone()
    };
    let mut cells = Vec::new();
    for (kind, existing) in rows() {
        for &ios in &options.releases {
            for ian in [false, true] {
                cells.push(cell(options, kind, existing, ios, ian));
            }
        }
    }
    Matrix {
        network: options.network,
        releases: options.releases.iter().map(|r| r.to_string()).collect(),
        cells,
    }
}

fn cell(
    options: &MatrixOptions,
    kind: FlowKind,
    existing: bool,
    ios: IosVersion,
    ian: bool,
) -> MatrixCell {
    let mut vpn = VpnConfig::defaults(ios);
    let available = vpn.include_all_networks.is_some();
    let blank = MatrixCell {
        kind,
        opened_before_tunnel: existing,
        ios: ios.to_string(),
        include_all_networks: ian,
        available: available || !ian,
        route: None,
        interface: None,
        seen_as: None,
        rules: Vec::new(),
    };
    if ian && !available {
        return blank;
    }
    if ian {
        vpn.include_all_networks = Some(true);
    }
    let ctx = Context::steady(
        ios,
        Some(&vpn),
        &options.assume,
        Some(options.network),
        TunnelState::Connected,
    );
    let before = existing.then_some(Connection {
        route: Route::Direct,
        interface: options.network.interface(),
        family: crate::model::Family::V4,
    });
    let decision = policy::decide(&ctx, kind, before);
    MatrixCell {
        route: Some(decision.route),
        interface: Some(decision.interface),
        seen_as: Some(decision.seen_as),
        rules: decision.rules.into_iter().map(RuleRef::from).collect(),
        ..blank
    }
}

fn row_label(cell: &MatrixCell) -> String {
    if cell.opened_before_tunnel {
        format!("{} (opened before the tunnel)", cell.kind)
    } else {
        cell.kind.to_string()
    }
}

fn cell_text(cell: &MatrixCell) -> String {
    match (cell.route, cell.deciding()) {
        (Some(route), Some(rule)) => format!(
            "{} [{}] {}",
            route.as_str(),
            rule.provenance.marker(),
            rule.id
        ),
        _ => "n/a (no includeAllNetworks before 14.0)".to_string(),
    }
}

impl Matrix {
    fn pairs(&self) -> impl Iterator<Item = (&MatrixCell, &MatrixCell)> {
        self.cells.chunks(2).map(|pair| (&pair[0], &pair[1]))
    }

    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Json => {
                serde_json::to_string_pretty(self).expect("the matrix serializes") + "\n"
            }
            Format::Text => self.document().text(),
            Format::Markdown => self.document().markdown(),
        }
    }

    const LEGEND: &'static str = "Each cell shows the route and the least-sourced rule behind it: [D] documented by Apple, [O] observed by a vendor or researcher, [R] reported, [I] inferred by tunnelscope, [U] unknown: follows an assumption.";

    /// The matrix as a document: the legend, then one row per flow kind
    /// and release (the kind named on its first row only).
    pub fn document(&self) -> Document {
        let mut last_label = String::new();
        let rows = self
            .pairs()
            .map(|(off, on)| {
                let label = row_label(off);
                let shown = if label == last_label {
                    String::new()
                } else {
                    label.clone()
                };
                last_label = label;
                vec![shown, off.ios.to_string(), cell_text(off), cell_text(on)]
            })
            .collect();
        Document {
            title: format!(
                "Where a new connection goes, on {} with a full-tunnel VPN connected (Apple's defaults for each release)",
                self.network
            ),
            blocks: vec![
                Block::Paragraph(Self::LEGEND.to_string()),
                Block::Table(Table {
                    header: vec![
                        "flow kind",
                        "iOS",
                        "includeAllNetworks off",
                        "includeAllNetworks on",
                    ],
                    rows,
                }),
            ],
        }
    }
}
