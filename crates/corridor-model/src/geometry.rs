//! Where links run on the map: optional waypoints between a link's end nodes, so that a pipeline or a sea
//! leg is not drawn as a straight line. Geometry is for display and export only; no analysis reads it.

use crate::dataset::{Confidence, Dataset};
use crate::diagnostic::Location;
use crate::ids::{LinkId, SourceId};

/// One waypoint, WGS 84 degrees.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Waypoint {
    pub lat: f64,
    pub lon: f64,
}

/// The waypoints of one link, in order from its `from` node to its `to` node (the end nodes themselves
/// are not repeated).
#[derive(Clone, Debug, serde::Serialize)]
pub struct LinkPath {
    pub link: LinkId,
    pub waypoints: Vec<Waypoint>,
    /// Sources for the route's course (may be empty: geometry does not change any figure).
    pub sources: Vec<SourceId>,
    /// `estimate` unless the course was traced from a cited map.
    pub confidence: Confidence,
    #[serde(skip)]
    pub location: Location,
}

impl Dataset {
    /// The waypoints declared for `link`, if any.
    pub fn link_path(&self, link: LinkId) -> Option<&LinkPath> {
        self.paths.iter().find(|p| p.link == link)
    }

    /// The course of a link as `(lon, lat)` pairs (the GeoJSON order): its `from` node, its waypoints,
    /// its `to` node. Without waypoints it is the straight segment between the two nodes.
    pub fn link_geometry(&self, link: LinkId) -> Vec<(f64, f64)> {
        let l = self.link(link);
        let from = self.node(l.from);
        let to = self.node(l.to);
        let mut out = vec![(from.lon, from.lat)];
        if let Some(path) = self.link_path(link) {
            out.extend(path.waypoints.iter().map(|w| (w.lon, w.lat)));
        }
        out.push((to.lon, to.lat));
        out
    }
}
