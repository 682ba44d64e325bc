#!/usr/bin/env bash
# Browser tests of `corridor serve` and `corridor report`, in Debian's headless Chromium driven by
# playwright-core. Installs what it needs (the Debian `chromium` package, playwright-core from npm
# into web/tests/node_modules; never a downloaded browser), builds the `corridor` binary, starts
# `corridor serve` on a free loopback port, runs the tests, and stops the server.
#
#   web/tests/run.sh                      screenshots go to web/tests/out/
#   CORRIDOR_SCREENSHOTS=docs web/tests/run.sh   refresh docs/app.png and docs/report.png
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Debian's chromium"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
CHROMIUM="$(command -v chromium)"
export CHROMIUM
# poppler-utils: the PDF test counts pages (pdfinfo) and renders page 1 (pdftoppm).
if ! command -v pdftoppm >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1; then
  echo "== installing Debian's poppler-utils"
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; }
  else
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null \
      || { sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; }
  fi
fi

# playwright-core never downloads a browser; this only keeps any postinstall from trying.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -d node_modules/playwright-core ]; then
  echo "== installing playwright-core"
  npm ci --no-audit --no-fund --loglevel=error
fi

echo "== building corridor"
(cd "$root" && cargo build --locked -q -p corridor-cli)
target="${CARGO_TARGET_DIR:-$root/target}"
bin="$target/debug/corridor"

out="$here/out"
mkdir -p "$out"
shots="$out"
if [ "${CORRIDOR_SCREENSHOTS:-}" = docs ]; then
  shots="$root/docs"
fi

echo "== writing the report"
# The embedded dataset is used whatever folder we are in (a folder named `caspian` here would shadow it).
(cd "$out" && "$bin" report --out report.html -q --no-progress)

echo "== starting corridor serve"
log="$out/serve.log"
"$bin" serve --port 0 --no-color >"$log" 2>&1 &
server=$!
stop() {
  if kill -0 "$server" 2>/dev/null; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
}
trap stop EXIT
url=""
for _ in $(seq 1 300); do
  url="$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$log" | head -n 1 || true)"
  [ -n "$url" ] && break
  if ! kill -0 "$server" 2>/dev/null; then
    echo "corridor serve exited:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.2
done
if [ -z "$url" ]; then
  echo "corridor serve did not start within 60 s:" >&2
  cat "$log" >&2
  exit 1
fi
echo "   $url"

echo "== browser tests"
CORRIDOR_URL="$url" CORRIDOR_REPORT="$out/report.html" SCREENSHOT_DIR="$shots" CORRIDOR_BIN="$bin" \
  node --test --test-reporter=spec app.test.mjs
