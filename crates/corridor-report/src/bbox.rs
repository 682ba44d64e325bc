//! Longitude/latitude boxes: the frame of a map, the extent of a basemap polygon.

use corridor_model::{Dataset, LinkId};

/// A longitude/latitude box, degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BBox {
    /// West edge, degrees.
    pub lon_min: f64,
    /// East edge, degrees.
    pub lon_max: f64,
    /// South edge, degrees.
    pub lat_min: f64,
    /// North edge, degrees.
    pub lat_max: f64,
}

impl BBox {
    /// The box around the courses of `links` (nodes and waypoints), or `None` when there are none.
    pub fn of_links(dataset: &Dataset, links: &[LinkId]) -> Option<BBox> {
        let mut b: Option<BBox> = None;
        for &l in links {
            for (lon, lat) in dataset.link_geometry(l) {
                if !(lon.is_finite() && lat.is_finite()) {
                    continue;
                }
                b = Some(match b {
                    None => BBox {
                        lon_min: lon,
                        lon_max: lon,
                        lat_min: lat,
                        lat_max: lat,
                    },
                    Some(b) => BBox {
                        lon_min: b.lon_min.min(lon),
                        lon_max: b.lon_max.max(lon),
                        lat_min: b.lat_min.min(lat),
                        lat_max: b.lat_max.max(lat),
                    },
                });
            }
        }
        b
    }

    /// Grown by `frac` of its size on every side (at least `min_deg` degrees), kept on the globe.
    pub fn padded(self, frac: f64, min_deg: f64) -> BBox {
        let dx = ((self.lon_max - self.lon_min) * frac).max(min_deg);
        let dy = ((self.lat_max - self.lat_min) * frac).max(min_deg);
        BBox {
            lon_min: (self.lon_min - dx).max(-180.0),
            lon_max: (self.lon_max + dx).min(180.0),
            lat_min: (self.lat_min - dy).max(-80.0),
            lat_max: (self.lat_max + dy).min(84.0),
        }
    }

    /// The smallest box holding both.
    pub fn union(self, o: BBox) -> BBox {
        BBox {
            lon_min: self.lon_min.min(o.lon_min),
            lon_max: self.lon_max.max(o.lon_max),
            lat_min: self.lat_min.min(o.lat_min),
            lat_max: self.lat_max.max(o.lat_max),
        }
    }

    pub(crate) fn intersects(&self, o: &BBox) -> bool {
        self.lon_min <= o.lon_max
            && o.lon_min <= self.lon_max
            && self.lat_min <= o.lat_max
            && o.lat_min <= self.lat_max
    }
}
