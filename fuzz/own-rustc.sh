#!/usr/bin/env bash
# RUSTC_WRAPPER for fuzz/run.sh's OWN_COVERAGE=1: compiles every package but factbrief and its fuzz
# targets (factbrief-fuzz) without cargo-fuzz's coverage instrumentation, so libFuzzer's coverage
# counts (and its feedback) are edges in code compiled into factbrief: ours, and generic
# third-party code instantiated there. Panics and hangs anywhere are still caught. Cargo names the
# package it compiles in CARGO_PKG_NAME.
rustc=$1
shift
case ${CARGO_PKG_NAME:-} in factbrief | factbrief-fuzz) exec "$rustc" "$@" ;; esac
args=()
for a in "$@"; do
  case $a in -Cpasses=sancov-module | -Cllvm-args=-sanitizer-coverage-*) ;; *) args+=("$a") ;; esac
done
exec "$rustc" "${args[@]}"
