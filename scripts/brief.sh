#!/usr/bin/env bash
# Makes the brief for seeds/ into out/ (all four formats), installing the pinned typst CLI
# into a cache folder first if no suitable typst is found.
set -euo pipefail
cd "$(dirname "$0")/.."
TYPST="$(scripts/ensure-typst.sh)"
export TYPST
cargo build --release --locked --quiet
./target/release/factbrief build seeds -o out "$@"
