#!/usr/bin/env bash
# Runs fuzz targets one after another for SECONDS each (default 900) on the stable toolchain
# (RUSTC_BOOTSTRAP=1 lets cargo-fuzz use the nightly-only sanitizer flags), then minimises each
# corpus. Every libFuzzer line is stamped with the seconds since its target started, so the
# summary can say when coverage last grew: a target has plateaued when nothing new was found in
# its last 5 minutes.
#
#   fuzz/run.sh [SECONDS] [TARGET...]     # default: every target
#
# Logs go to fuzz/logs/<target>.log; one line per target is appended to fuzz/logs/summary.txt.
# A crash leaves its input in fuzz/artifacts/<target>/: copy it into a regression test.
set -uo pipefail
cd "$(dirname "$0")"
SECONDS_EACH="${1:-900}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(decode markdown html quantities clean segment attribution)
export RUSTC_BOOTSTRAP=1
mkdir -p logs
cargo fuzz build -O
for t in "${targets[@]}"; do
  start=$(date +%s)
  cargo fuzz run -O "$t" "corpus/$t" -- -max_total_time="$SECONDS_EACH" -max_len=65536 \
    -print_final_stats=1 2>&1 | while IFS= read -r line; do echo "$(($(date +%s) - start)) $line"; done \
    > "logs/$t.log"
  status=${PIPESTATUS[0]}
  # "#N NEW cov: C ft: F ..." lines mark new coverage; the last one says when growth stopped.
  last=$(awk '$3 == "NEW" {t = $1; cov = $5; ft = $7} END {printf "%s cov %s ft %s", t + 0, cov, ft}' "logs/$t.log")
  execs=$(awk '/stat::number_of_executed_units/ {print $3}' "logs/$t.log")
  echo "$t: exit $status, $(($(date +%s) - start)) s, $execs runs, last new coverage at ${last}" | tee -a logs/summary.txt
  cargo fuzz cmin -O "$t" "corpus/$t" > "logs/$t.cmin.log" 2>&1
done
