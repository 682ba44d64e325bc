#!/usr/bin/env bash
# Builds the Python package (`pip install ./python`) into a fresh virtual environment under the build
# folder and runs its pytest suite against the `corridor` binary (same numbers, same messages).
#   scripts/test-python.sh          needs python3 (>= 3.9) with venv; reaches PyPI for maturin, pytest, pandas
#   CORRIDOR_PYTHON=python3.12      the interpreter to build and test with
#   CORRIDOR_PYTHON_NO_PANDAS=1     test without pandas (tables as lists of dicts) — the default run covers both
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target="${CARGO_TARGET_DIR:-$root/target}"
export CARGO_TARGET_DIR="$target"
python="${CORRIDOR_PYTHON:-python3}"
venv="$target/python-venv"

if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
  echo "python: installing python3-venv"
  apt-get update -qq && apt-get install -y -qq python3-venv python3-pip >/dev/null
fi

start=$(date +%s)
rm -rf "$venv"
"$python" -m venv "$venv"
# maturin's build hook runs the `maturin` of the environment it is installed in.
export PATH="$venv/bin:$PATH"
"$venv/bin/pip" install -q --disable-pip-version-check "maturin>=1.5,<2" "pytest>=7"
if [ "${CORRIDOR_PYTHON_NO_PANDAS:-0}" != 1 ]; then
  "$venv/bin/pip" install -q --disable-pip-version-check pandas
fi
echo "python: venv ready in $(( $(date +%s) - start )) s"

# The CLI whose JSON the package must reproduce (already built by `cargo test`; quick otherwise).
cargo build -q --locked -p corridor-cli
export CORRIDOR_BIN="$target/debug/corridor"

# The crate is its own workspace (PyO3 stays out of the main one): format and lints checked here.
cargo fmt --manifest-path python/Cargo.toml --check
cargo clippy -q --manifest-path python/Cargo.toml --all-targets --locked -- -D warnings

start=$(date +%s)
# The lock file of python/ pins PyO3 and every crate; maturin is already in the venv.
(cd python && cargo metadata -q --locked --format-version 1 >/dev/null)
"$venv/bin/pip" install -q --disable-pip-version-check --no-build-isolation ./python
echo "python: package built and installed in $(( $(date +%s) - start )) s"

# Run from the repository root with the pytest script, so that the installed package (not python/corridor,
# which lacks the native module) is the one imported.
"$venv/bin/pytest" -q python/tests
