#!/usr/bin/env bash
# Sets up and runs every test of corridor on a fresh machine of this kind (Rust toolchain present).
#   scripts/test.sh            all tests: workspace, browser tests, Python, Slurm, the HiGHS backend feature, the benchmark smoke tier
#   CORRIDOR_SKIP_HIGHS=1      skip the HiGHS feature (it builds HiGHS from source: ~6 min on 2 cores)
#   CORRIDOR_SKIP_BENCH=1      skip the benchmark smoke tier
#   CORRIDOR_SKIP_BROWSER=1    skip the browser tests (they apt-install chromium, npm-install playwright-core)
#   CORRIDOR_SKIP_PYTHON=1     skip the Python package (scripts/test-python.sh: builds the wheel into a venv, runs pytest)
#   CORRIDOR_SKIP_SLURM=1      skip the Slurm job array (scripts/test-slurm.sh: apt-installs slurm-wlm and munge, runs a
#                              one-node Slurm on loopback; it skips itself, saying why, without root or apt)
#   FUZZ_SMOKE_SECS=N          seconds of random mutations per fuzz target in the short run (default 8)
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== formatting"
cargo fmt --all --check

echo "== clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== workspace tests"
cargo test --workspace --locked

echo "== fuzz targets: corpus, every crash found so far, and a short mutation run (docs/fuzzing.md)"
bash scripts/fuzz.sh smoke

if [ "${CORRIDOR_SKIP_BROWSER:-0}" != 1 ] && [ -x web/tests/run.sh ]; then
  echo "== browser tests (headless Chromium via playwright-core)"
  web/tests/run.sh
fi

if [ "${CORRIDOR_SKIP_PYTHON:-0}" != 1 ] && [ -x scripts/test-python.sh ]; then
  echo "== Python package (pip install ./python, pytest)"
  scripts/test-python.sh
fi

if [ "${CORRIDOR_SKIP_SLURM:-0}" != 1 ] && [ -f scripts/test-slurm.sh ]; then
  echo "== Slurm job array on a one-node Slurm (shards requeued and merged: docs/resilience.md)"
  bash scripts/test-slurm.sh
elif [ "${CORRIDOR_SKIP_SLURM:-0}" = 1 ]; then
  echo "Slurm test SKIPPED: CORRIDOR_SKIP_SLURM=1"
fi

if [ "${CORRIDOR_SKIP_HIGHS:-0}" != 1 ] && [ -f scripts/setup-highs.sh ] && [ -d crates/corridor-highs ]; then
  echo "== HiGHS backend (feature \`highs\`)"
  bash scripts/setup-highs.sh
  # HiGHS is slow to build; keep its build products outside the clone so later runs on this machine reuse them.
  CARGO_TARGET_DIR="${CORRIDOR_HIGHS_TARGET:-$HOME/.cache/corridor/target-highs}" \
    cargo test --locked -p corridor-highs -p corridor-cli --features corridor-highs/highs,corridor-cli/highs
fi

if [ "${CORRIDOR_SKIP_BENCH:-0}" != 1 ] && [ -x bench/run.sh ]; then
  echo "== benchmark smoke tier (logs ratios, never gates on time)"
  bench/run.sh --tier smoke
fi
echo "== all tests passed"
