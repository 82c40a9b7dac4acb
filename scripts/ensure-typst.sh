#!/usr/bin/env bash
# Prints the path of a typst 0.15.x binary, installing the pinned version into a
# cache folder (once) when no suitable typst is found. Progress goes to stderr.
set -euo pipefail
TYPST_VERSION="${FACTBRIEF_TYPST_VERSION:-0.15.1}"
CACHE_ROOT="${FACTBRIEF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/factbrief}/typst-$TYPST_VERSION"

suitable() { "$1" --version 2>/dev/null | grep -Eq '^typst 0\.15\.'; }

for candidate in "${TYPST:-}" "$(command -v typst || true)" "$CACHE_ROOT/bin/typst"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && suitable "$candidate"; then
    echo "$candidate"
    exit 0
  fi
done

echo "factbrief: installing typst-cli $TYPST_VERSION into $CACHE_ROOT (one time, ~9 min)" >&2
cargo install typst-cli --version "$TYPST_VERSION" --locked --root "$CACHE_ROOT" >&2
echo "$CACHE_ROOT/bin/typst"
