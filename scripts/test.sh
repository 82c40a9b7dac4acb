#!/usr/bin/env bash
# Runs the whole test suite: formatting, lints, and every test (unit, snapshot, end-to-end,
# property, injection, PDF and browser checks). Installs what the tests need when missing:
# the pinned typst CLI (cached), and Debian's chromium and poppler-utils.
set -euo pipefail
cd "$(dirname "$0")/.."
TYPST="$(scripts/ensure-typst.sh)"
export TYPST
scripts/ensure-test-tools.sh
cargo fmt --all --check
cargo clippy --locked --all-targets -- -D warnings
cargo test --locked --all-targets
