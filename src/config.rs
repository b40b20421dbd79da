//! What a scenario configures, as the policy reads it: the VPN's settings
//! with Apple's defaults filled in for the release, and the value of every
//! assumption. Plain values in the knowledge layer, so the scenario parser
//! (which fills them) and the policy (which reads them) both depend on it,
//! not on each other.

use crate::addresses::Cidr;
use crate::facts::{self, AssumptionId, AssumptionValue};
use crate::version::IosVersion;
use serde::Serialize;

/// A VPN configuration with Apple's defaults filled in for the release.
/// A property the release does not have is `None` (`null` in JSON).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VpnConfig {
    pub include_all_networks: Option<bool>,
    pub exclude_local_networks: Option<bool>,
    pub exclude_apns: Option<bool>,
    pub exclude_cellular_services: Option<bool>,
    pub exclude_device_communication: Option<bool>,
    pub enforce_routes: Option<bool>,
    pub included_routes: Vec<Cidr>,
    pub excluded_routes: Vec<Cidr>,
    pub on_demand: bool,
    /// The app looks its server up by name (TunnelCrack ServerIP's first
    /// precondition).
    pub server_by_name: bool,
    /// The app reports its server's real address as the tunnel's remote
    /// address (ServerIP's second precondition).
    pub reports_server_address: bool,
}

impl VpnConfig {
    /// Apple's defaults on `ios`: a full tunnel, every exclusion at its
    /// default, includeAllNetworks off where it exists.
    pub fn defaults(ios: IosVersion) -> VpnConfig {
        use crate::facts::{Prop, PropDefault};
        let flag = |prop: Prop| {
            let p = facts::property(prop);
            match p.default {
                PropDefault::Bool(b) if ios >= p.since => Some(b),
                _ => None,
            }
        };
        let routes = |prop: Prop| match facts::property(prop).default {
            PropDefault::Routes(list) => list
                .iter()
                .map(|r| Cidr::parse(r).expect("default routes in facts.rs are valid"))
                .collect(),
            PropDefault::Bool(_) => Vec::new(),
        };
        VpnConfig {
            include_all_networks: flag(Prop::IncludeAllNetworks),
            exclude_local_networks: flag(Prop::ExcludeLocalNetworks),
            exclude_apns: flag(Prop::ExcludeApns),
            exclude_cellular_services: flag(Prop::ExcludeCellularServices),
            exclude_device_communication: flag(Prop::ExcludeDeviceCommunication),
            enforce_routes: flag(Prop::EnforceRoutes),
            included_routes: routes(Prop::IncludedRoutes),
            excluded_routes: routes(Prop::ExcludedRoutes),
            on_demand: false,
            server_by_name: flag(Prop::ServerByName) == Some(true),
            reports_server_address: flag(Prop::ReportsServerAddress) == Some(true),
        }
    }

    pub fn ian(&self) -> bool {
        self.include_all_networks == Some(true)
    }

    /// A boolean property's value (`None`: the release lacks it, or it is
    /// a list of routes).
    pub fn flag(&self, prop: crate::facts::Prop) -> Option<bool> {
        use crate::facts::Prop;
        match prop {
            Prop::IncludeAllNetworks => self.include_all_networks,
            Prop::ExcludeLocalNetworks => self.exclude_local_networks,
            Prop::ExcludeApns => self.exclude_apns,
            Prop::ExcludeCellularServices => self.exclude_cellular_services,
            Prop::ExcludeDeviceCommunication => self.exclude_device_communication,
            Prop::EnforceRoutes => self.enforce_routes,
            Prop::OnDemand => Some(self.on_demand),
            Prop::ServerByName => Some(self.server_by_name),
            Prop::ReportsServerAddress => Some(self.reports_server_address),
            Prop::IncludedRoutes | Prop::ExcludedRoutes => None,
        }
    }
}

/// The value of every assumption: the defaults from [`facts::ASSUMPTIONS`]
/// with a scenario's `[assume]` overrides applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assumptions {
    values: Vec<(AssumptionId, AssumptionValue)>,
}

impl Default for Assumptions {
    fn default() -> Self {
        Assumptions {
            values: facts::ASSUMPTIONS
                .iter()
                .map(|a| (a.id, a.default))
                .collect(),
        }
    }
}

impl Assumptions {
    pub fn set(&mut self, id: AssumptionId, value: AssumptionValue) {
        for slot in &mut self.values {
            if slot.0 == id {
                slot.1 = value;
            }
        }
    }

    pub fn value(&self, id: AssumptionId) -> AssumptionValue {
        self.values
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, v)| *v)
            .unwrap_or(facts::assumption(id).default)
    }

    pub fn flag(&self, id: AssumptionId) -> bool {
        match self.value(id) {
            AssumptionValue::Bool(b) => b,
            AssumptionValue::Millis(ms) => ms > 0,
            AssumptionValue::Choice { .. } => false,
        }
    }

    pub fn millis(&self, id: AssumptionId) -> u64 {
        match self.value(id) {
            AssumptionValue::Millis(ms) => ms,
            AssumptionValue::Bool(_) | AssumptionValue::Choice { .. } => 0,
        }
    }

    /// The outcome a choice assumption names (empty for the others).
    pub fn choice(&self, id: AssumptionId) -> &'static str {
        match self.value(id) {
            AssumptionValue::Choice { value, .. } => value,
            _ => "",
        }
    }

    /// Every assumption in table order, with its value.
    pub fn iter(&self) -> impl Iterator<Item = (AssumptionId, AssumptionValue)> + '_ {
        self.values.iter().copied()
    }
}
