//! The corridor domain model: what a transport network *is*, with no I/O and no solving.
//!
//! A [`Dataset`] holds the network (nodes, links), the world around it (countries, blocs) and what it
//! carries (commodities, grades, units), with a [`Source`] behind every figure. A [`Scenario`] says what to
//! ask of a dataset in one year: supplies, markets, policies, contracts and disruptions.
//!
//! Ids are typed indices ([`NodeId`], [`LinkId`], …) into the dataset's vectors; the text ids that people
//! write live in the records. All volumes inside the model are annual rates in the commodity's *base unit*
//! (tonnes, cubic metres or TEU per year); [`units`] converts to and from what people write.
//!
//! ```
//! use corridor_model::units::{RateUnit, convert_rate};
//! let mt_per_y: RateUnit = "Mt/y".parse().unwrap();
//! let mbbl_per_y: RateUnit = "Mbbl/y".parse().unwrap();
//! let v = convert_rate(2.2, mt_per_y, mbbl_per_y, Some(7.5)).unwrap();
//! assert!((v - 16.5).abs() < 1e-12);
//! ```

#![warn(missing_docs, unreachable_pub)]

mod dataset;
mod diagnostic;
mod geometry;
mod ids;
mod observed;
mod outage;
mod scenario;
pub mod units;

pub use dataset::*;
pub use diagnostic::{Diagnostic, Location, Severity};
pub use geometry::{
    course_between, distance_km, CourseProblem, LinkCourse, LinkPath, RouteCourse, Waypoint,
    JOIN_KM,
};
pub use ids::*;
pub use observed::*;
pub use outage::*;
pub use scenario::*;
