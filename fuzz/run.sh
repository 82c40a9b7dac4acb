#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 900), two at a time, on the stable toolchain
# (RUSTC_BOOTSTRAP=1 lets cargo-fuzz use the nightly-only sanitizer flags), then minimises
# each corpus. Logs go to fuzz/logs/<target>.log.
set -uo pipefail
cd "$(dirname "$0")"
SECONDS_EACH="${1:-900}"
export RUSTC_BOOTSTRAP=1
mkdir -p logs
cargo fuzz build -O
run() { cargo fuzz run -O "$1" "corpus/$1" -- -max_total_time="$SECONDS_EACH" -max_len=65536 -print_final_stats=1 > "logs/$1.log" 2>&1; echo "$1 exit $?" >> logs/summary.txt; }
targets=(decode clean segment markdown html quantities attribution)
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  run "${targets[i]}" &
  if [ $((i + 1)) -lt ${#targets[@]} ]; then run "${targets[i + 1]}" & fi
  wait
done
for t in "${targets[@]}"; do cargo fuzz cmin -O "$t" "corpus/$t" > "logs/$t.cmin.log" 2>&1; done
