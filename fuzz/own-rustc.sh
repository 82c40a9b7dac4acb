#!/usr/bin/env bash
# RUSTC_WRAPPER for fuzz/run.sh's OWN_COVERAGE=1: compiles every crate but factbrief and the fuzz
# targets without cargo-fuzz's coverage instrumentation, so libFuzzer's coverage counts (and its
# feedback) are edges in code compiled into factbrief: ours, and generic third-party code
# instantiated there. Panics and hangs anywhere are still caught.
rustc=$1
shift
own=0 prev=
for a in "$@"; do
  [ "$prev" = --crate-name ] && case $a in factbrief | decode | clean | segment | markdown | html | quantities | attribution) own=1 ;; esac
  prev=$a
done
[ $own = 1 ] && exec "$rustc" "$@"
args=()
for a in "$@"; do
  case $a in -Cpasses=sancov-module | -Cllvm-args=-sanitizer-coverage-*) ;; *) args+=("$a") ;; esac
done
exec "$rustc" "${args[@]}"
