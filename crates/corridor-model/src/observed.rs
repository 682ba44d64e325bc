//! What actually moved: published annual volumes on links, kept as data beside the model so that model and
//! observation can be shown side by side, and the model calibrated and backtested against them.

use crate::dataset::{Confidence, Dataset};
use crate::diagnostic::Location;
use crate::ids::*;
use crate::units::RateUnit;
use std::fmt;

/// Whose shipments an observed volume counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShipperScope {
    /// Everything on the links, whoever shipped it.
    All,
    /// Only volumes that originate in this country (e.g. Kazakh crude in CPC, which also carries Russian).
    Origin(CountryCode),
}

impl ShipperScope {
    /// Parses `all` or a two-letter country code (not checked against a dataset here).
    pub fn parse(text: &str) -> Option<ShipperScope> {
        if text == "all" {
            return Some(ShipperScope::All);
        }
        CountryCode::parse(text).map(ShipperScope::Origin)
    }
}

impl fmt::Display for ShipperScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShipperScope::All => f.write_str("all"),
            ShipperScope::Origin(c) => write!(f, "{c}"),
        }
    }
}

/// What an observation is for: the figure the model is fitted and scored against, or another source's
/// disagreeing figure kept for the record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ObservationRole {
    /// Calibrated against and scored by.
    Fit,
    /// Kept for the record; fits and scores ignore it.
    Alternative,
}

impl std::str::FromStr for ObservationRole {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "fit" => Ok(ObservationRole::Fit),
            "alternative" => Ok(ObservationRole::Alternative),
            _ => Err(
                "expected `fit` (used to calibrate and score) or `alternative` (recorded only)"
                    .into(),
            ),
        }
    }
}

/// One published annual volume over a set of links (summed), for one commodity and one year.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Observation {
    /// The text id written in `observed.csv`.
    pub id: String,
    /// The name reports show.
    pub name: String,
    /// The links whose flows the figure measures (a capacity group is expanded to its links).
    pub links: Vec<LinkId>,
    /// Set when the file named a capacity group instead of links.
    pub capacity_group: Option<GroupId>,
    /// The commodity measured.
    pub commodity: CommodityId,
    /// Whose shipments the figure counts.
    pub scope: ShipperScope,
    /// The year the volume moved in.
    pub year: i32,
    /// Base units per year.
    pub volume_base: f64,
    /// As written, in `unit`.
    pub volume: f64,
    /// The unit `volume` is written in.
    pub unit: RateUnit,
    /// Whether the figure is fitted to or only recorded.
    pub role: ObservationRole,
    /// The sources behind the figures.
    pub sources: Vec<SourceId>,
    /// How far to trust the figures.
    pub confidence: Confidence,
    /// Free-text remarks from the dataset: caveats, what a figure includes.
    pub notes: String,
    /// Where the record was read (file and line), for diagnostics.
    #[serde(skip)]
    pub location: Location,
}

impl Observation {
    /// How much a miss on this observation counts in a calibration: reported figures most, estimates least.
    pub fn weight(&self) -> f64 {
        match self.confidence {
            Confidence::Reported => 1.0,
            Confidence::Derived => 0.7,
            Confidence::Estimate => 0.3,
        }
    }
}

impl Dataset {
    /// The observations, with their index, that a scenario of `commodities` modelling the shipments of
    /// `scope` can be compared with in `year` (only `fit` ones: alternatives are for the record).
    pub fn observations_for<'a>(
        &'a self,
        scope: ShipperScope,
        commodities: &'a [CommodityId],
        year: i32,
    ) -> impl Iterator<Item = (usize, &'a Observation)> + 'a {
        self.observations.iter().enumerate().filter(move |(_, o)| {
            o.role == ObservationRole::Fit
                && o.year == year
                && o.scope == scope
                && commodities.contains(&o.commodity)
        })
    }

    /// `all`, or the code of a country the dataset declares.
    pub fn shipper_scope(&self, text: &str) -> Option<ShipperScope> {
        ShipperScope::parse(text).filter(|s| match s {
            ShipperScope::All => true,
            ShipperScope::Origin(c) => self.country(*c).is_some(),
        })
    }
}
