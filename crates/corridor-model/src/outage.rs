//! How often links fail and for how long: the inputs of the Monte Carlo risk analysis.
//!
//! Three layers, each sourced: a default rate per [`Mode`] ([`OutageDefault`]), a rate for one link that
//! overrides its mode's ([`LinkOutage`]), and named events that take several links out together
//! ([`OutageEvent`]: a whole country, or a group such as "Caspian winter storms" hitting every tanker and
//! ferry leg at once). A link has its own rate *and* suffers the events that cover it.

use crate::dataset::{Confidence, Dataset, Mode};
use crate::diagnostic::Location;
use crate::ids::*;

/// How likely an element is to fail in a year and how long an outage lasts.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct OutageRate {
    /// Probability (0–1) that the element has an outage in a given year.
    pub annual_prob: f64,
    /// Mean length of an outage in days at the outage's derate (a 30 % derate for 20 days counts as
    /// 20 days at 30 %); at most 365.
    pub mean_days: f64,
    /// The sources behind the figures.
    pub sources: Vec<SourceId>,
    /// How far to trust the figures.
    pub confidence: Confidence,
}

impl OutageRate {
    /// The expected share of a year's capacity lost, `annual_prob × mean_days / 365` (at full derate).
    pub fn expected_share_lost(&self) -> f64 {
        self.annual_prob * self.mean_days.min(365.0) / 365.0
    }
}

/// The rate of every link of one mode that has no rate of its own.
#[derive(Clone, Debug, serde::Serialize)]
pub struct OutageDefault {
    /// The mode whose links take this rate.
    pub mode: Mode,
    /// The rate.
    pub rate: OutageRate,
    /// Free-text remarks from the dataset: caveats, what a figure includes.
    pub notes: String,
    /// Where the record was read (file and line), for diagnostics.
    #[serde(skip)]
    pub location: Location,
}

/// A link's own rate, overriding its mode's default.
#[derive(Clone, Debug, serde::Serialize)]
pub struct LinkOutage {
    /// The link.
    pub link: LinkId,
    /// Its rate.
    pub rate: OutageRate,
}

/// A named event that hits several links at once (they fail together, for the same days).
#[derive(Clone, Debug, serde::Serialize)]
pub struct OutageEvent {
    /// The text id written in the outage file.
    pub id: String,
    /// The name reports show.
    pub name: String,
    /// How often the event happens and how long it lasts.
    pub rate: OutageRate,
    /// Share of capacity (0–100) the event removes from each link it hits while it lasts.
    pub derate_pct: f64,
    /// The links hit, resolved from the event's selectors, in id order.
    pub links: Vec<LinkId>,
    /// The selectors as written (`country RU`, `mode tanker`, …), for display.
    pub scope: Vec<String>,
    /// Free-text remarks from the dataset: caveats, what a figure includes.
    pub notes: String,
    /// Where the record was read (file and line), for diagnostics.
    #[serde(skip)]
    pub location: Location,
}

/// Every outage assumption of a dataset; empty when the dataset gives none.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Outages {
    /// Rates per mode.
    pub defaults: Vec<OutageDefault>,
    /// Rates of single links.
    pub links: Vec<LinkOutage>,
    /// Events that hit several links together.
    pub events: Vec<OutageEvent>,
}

impl Outages {
    /// Whether the dataset gives no outage assumption at all (a risk analysis then has nothing to sample).
    pub fn is_empty(&self) -> bool {
        self.defaults.is_empty() && self.links.is_empty() && self.events.is_empty()
    }
}

impl Dataset {
    /// The outage rate of a link: its own, else its mode's default, else none (it never fails alone).
    pub fn outage_rate(&self, link: LinkId) -> Option<&OutageRate> {
        if let Some(own) = self.outages.links.iter().find(|o| o.link == link) {
            return Some(&own.rate);
        }
        let mode = self.link(link).mode;
        self.outages
            .defaults
            .iter()
            .find(|d| d.mode == mode)
            .map(|d| &d.rate)
    }
}
