#!/usr/bin/env bash
# Installs what the `highs` feature of corridor-highs needs to build HiGHS from source through
# the `highs-sys` crate: cmake, a C++ compiler, and libclang for bindgen.
#
# Idempotent: packages already installed are left alone, and `apt-get update` runs only when
# something is missing. Meant for a Debian machine where it runs as root (it uses sudo otherwise).
#
# Usage: scripts/setup-highs.sh
set -euo pipefail

packages=(cmake libclang-dev clang g++)

missing=()
for pkg in "${packages[@]}"; do
    # `dpkg-query` prints "install ok installed" only for a fully installed package.
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    if [[ "$status" != "install ok installed" ]]; then
        missing+=("$pkg")
    fi
done

if ((${#missing[@]} == 0)); then
    echo "setup-highs: ${packages[*]} already installed"
    exit 0
fi

sudo_cmd=()
if ((EUID != 0)); then
    sudo_cmd=(sudo)
fi

echo "setup-highs: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "setup-highs: done"
