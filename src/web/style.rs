//! How a route looks, wherever it is drawn (the topology, the timeline's
//! lanes): told apart by colour *and* line pattern *and* a letter, so it
//! reads without colour too. The colours are Okabe–Ito's, safe for colour
//! blindness; the stylesheet's `--tunnel`, `--direct` and `--blocked` match.

use crate::model::Route;

pub(super) struct RouteStyle {
    pub colour: &'static str,
    /// An SVG `stroke-dasharray`.
    pub dash: &'static str,
    pub mark: &'static str,
}

pub(super) fn route_style(route: Route) -> RouteStyle {
    let (colour, dash, mark) = match route {
        Route::Tunnel => ("#0072B2", "none", "T"),
        Route::Direct => ("#E69F00", "9 5", "D"),
        Route::Blocked => ("#D55E00", "2 4", "X"),
        Route::Offline => ("#888888", "1 6", "–"),
    };
    RouteStyle { colour, dash, mark }
}
