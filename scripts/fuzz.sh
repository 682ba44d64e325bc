#!/usr/bin/env bash
# corridor's fuzz targets (fuzz/, its own Cargo workspace; docs/fuzzing.md).
#   scripts/fuzz.sh smoke                 replay fuzz/corpus and fuzz/regressions, then a bounded random-mutation
#                                         run of each target (stable Rust, nothing to install; FUZZ_SMOKE_SECS per
#                                         target, default 8). This is the short run of scripts/test.sh.
#   scripts/fuzz.sh build                 build the coverage-guided libFuzzer binaries on stable Rust
#                                         (SanitizerCoverage through -Cpasses=sancov-module; needs a C++ compiler)
#   scripts/fuzz.sh run TARGET [ARGS...]  run one target under libFuzzer; ARGS go to libFuzzer, e.g. -runs=10000000.
#                                         New inputs go to target/fuzz-work/TARGET (seeded from fuzz/corpus/TARGET),
#                                         crashes to fuzz/artifacts/TARGET/.
#   scripts/fuzz.sh merge TARGET          add the work corpus's inputs that bring new coverage to fuzz/corpus/TARGET
# Targets: dataset scenario dimacs server_body
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
triple="$(rustc -vV | sed -n 's/^host: //p')"
sancov_dir="$target_dir/libfuzzer"
bin() { echo "$sancov_dir/$triple/release/$1"; }

case "${1:-smoke}" in
  smoke)
    # The same target folder and test profile as the workspace's tests, so their compiled dependencies are reused.
    CARGO_TARGET_DIR="$target_dir" cargo test --locked --manifest-path "$root/fuzz/Cargo.toml" -- --nocapture
    ;;
  build)
    # `--target` keeps the coverage flags off build scripts and proc macros, which run on the host.
    RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks" \
      CARGO_TARGET_DIR="$sancov_dir" \
      cargo build --locked --release --manifest-path "$root/fuzz/Cargo.toml" --features libfuzzer \
      --target "$triple" --bins
    ;;
  run)
    name="${2:?name a target: dataset scenario dimacs server_body}"
    shift 2
    [ -x "$(bin "$name")" ] || "$0" build
    work="$target_dir/fuzz-work/$name"
    mkdir -p "$work" "$root/fuzz/artifacts/$name"
    [ -n "$(ls -A "$work")" ] || cp "$root/fuzz/corpus/$name/"* "$work/"
    dict=()
    [ -f "$root/fuzz/dict/$name.dict" ] && dict=("-dict=$root/fuzz/dict/$name.dict")
    "$(bin "$name")" "$work" "${dict[@]}" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$root/fuzz/artifacts/$name/" -print_final_stats=1 "$@"
    ;;
  merge)
    name="${2:?name a target}"
    tmp="$(mktemp -d)"
    # The hand-written seeds stay; the inputs that add coverage beyond them join them (named by their hash).
    "$(bin "$name")" -merge=1 "$tmp" "$root/fuzz/corpus/$name" "$target_dir/fuzz-work/$name" -max_len=16384 -timeout=10
    cp -n "$tmp"/* "$root/fuzz/corpus/$name/"
    rm -rf "$tmp"
    ;;
  *)
    sed -n '2,12p' "$0"
    exit 2
    ;;
esac
