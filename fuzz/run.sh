#!/usr/bin/env bash
# Runs fuzz targets one after another on the stable toolchain (RUSTC_BOOTSTRAP=1 lets cargo-fuzz
# use the nightly-only sanitizer flags) until each has plateaued, then minimises its corpus.
#
#   fuzz/run.sh [SECONDS] [TARGET...]     # SECONDS defaults to 900; default: every target
#
# Each target runs SECONDS first. Every libFuzzer line is stamped with the seconds since the
# round started; if edge coverage ("cov") grew in the last 300 s, another round of NEXT_SECONDS
# (default 300) follows (the corpus carries over), up to EXTRA_ROUNDS (default 3) times, until a
# round adds nothing in its last 300 s.
# START_BEST: coverage reached by earlier runs of the target, so only higher counts as new;
# FIRST_ROUND: the number of the first round, so the logs of earlier runs are kept.
# SANITIZER: cargo fuzz's sanitizer, "address" (the default) or "none": without AddressSanitizer
# the html target runs about 7 times as many inputs a second, and panics, overflows and hangs are
# still caught (our code has no `unsafe` on these paths). Coverage counts differ between the two
# builds, so START_BEST must come from a round with the same sanitizer.
# FUZZ_ARGS: more libFuzzer flags, after the defaults (the last of a flag wins), e.g.
# "-len_control=0 -max_len=8192" to try long inputs from the start instead of letting the length
# limit creep up over hours, which keeps coverage growing only because the limit does.
# A target with a dictionary in fuzz/dicts/<target>.dict (tokens of its syntax) runs with it.
# WORKERS: fuzzing processes a round runs at once (default 1), all on the target's one corpus
# folder, each taking up what the others add (libFuzzer re-reads the folder every second); the
# second and later log to <target>.<round>.w<k>.log. A worker's find counts as new coverage when it
# is above every earlier round's best and above all the worker had itself, so a round counts as
# quiet only when no worker found anything new.
# OWN_COVERAGE=1: instrument only the factbrief crate and the fuzz targets (own-rustc.sh strips
# cargo-fuzz's coverage flags from every other crate; build in fuzz/target-own): about 3 times as
# many inputs a second for html, with feedback from the code compiled into factbrief, which
# includes the generic third-party code instantiated there (html5ever's tree builder, for
# dom_query's document). Its rounds are logged as sanitizer "<SANITIZER>/own" and counted apart;
# START_BEST must come from such a build. The corpus stays the target's one folder, and the
# minimisation at the end always uses the fully instrumented build, so no input that covers
# third-party code is dropped. Whose code the edges are in: fuzz/own_edges.py.
# Logs go to fuzz/logs/<target>.<round>.log; one line per round is appended to
# fuzz/logs/summary.txt. A crash leaves its input in fuzz/artifacts/<target>/: copy it into a
# regression test.
set -uo pipefail
cd "$(dirname "$0")"
SECONDS_EACH="${1:-900}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(decode markdown html quantities clean segment attribution)
EXTRA_ROUNDS="${EXTRA_ROUNDS:-3}"
NEXT_SECONDS="${NEXT_SECONDS:-300}"
SANITIZER="${SANITIZER:-address}"
WORKERS="${WORKERS:-1}"
QUIET_SECONDS=300
export RUSTC_BOOTSTRAP=1
mkdir -p logs
fuzz_args=(-O -s "$SANITIZER")
scope=$SANITIZER
if [ "${OWN_COVERAGE:-0}" = 1 ]; then
  fuzz_args+=(--target-dir target-own)
  scope=$SANITIZER/own
  export RUSTC_WRAPPER="$PWD/own-rustc.sh"
fi
cargo fuzz build "${fuzz_args[@]}"

# Runs one round; prints "<seconds of the last coverage growth, or -1> <best cov> <final ft>", where
# growth means edge coverage above BEST, the most any earlier round of the target reached.
round() {
  local t=$1 secs=$2 log=$3 best=$4 start dict=() logs=("$3") k
  [ -f "dicts/$t.dict" ] && dict=(-dict="dicts/$t.dict")
  for ((k = 1; k < WORKERS; k++)); do logs+=("${log%.log}.w$k.log"); done
  start=$(date +%s)
  for l in "${logs[@]}"; do
    echo "0 sanitizer $scope${FUZZ_ARGS:+ args $FUZZ_ARGS}" > "$l"
    (
      cargo fuzz run "${fuzz_args[@]}" "$t" "corpus/$t" -- -max_total_time="$secs" -max_len=65536 -print_final_stats=1 "${dict[@]}" ${FUZZ_ARGS:-} 2>&1 |
        while IFS= read -r line; do echo "$(($(date +%s) - start)) $line"; done >> "$l"
      echo "round exit ${PIPESTATUS[0]}" >> "$l"
    ) &
  done
  wait
  # A round re-reads the corpus and finds earlier edges again; only "NEW cov: C" lines with C
  # above every earlier round's best, and above what that worker already had (its own finds and
  # those it read from the others, "RELOAD"), are coverage this round added.
  awk -v best="$best" 'BEGIN {t = -1; top = best} FNR == 1 {c = best}
       ($3 == "NEW" || $3 == "RELOAD") && $5 > c {if ($3 == "NEW" && $1 > t) t = $1; c = $5; if (c > top) top = c}
       $3 == "NEW" && $7 > ft {ft = $7}
       END {printf "%d %d %d\n", t, top, ft}' "${logs[@]}"
}

for t in "${targets[@]}"; do
  secs=$SECONDS_EACH
  best=${START_BEST:-0}
  first=${FIRST_ROUND:-0}
  for ((r = first; r <= first + EXTRA_ROUNDS; r++)); do
    log="logs/$t.$r.log"
    read -r grew cov ft < <(round "$t" "$secs" "$log" "$best")
    best=$cov
    runs=$(cat "${log%.log}".{,w*.}log 2>/dev/null | awk '/stat::number_of_executed_units/ {n += $3} END {print n}')
    crashed=$(cat "${log%.log}".{,w*.}log 2>/dev/null | grep -c "^[0-9]* ==[0-9]*== ERROR\|deadly signal\|panicked")
    echo "$t round $r: ${secs} s, $runs runs, cov $cov ft $ft, coverage last grew at ${grew} s (-1: not at all), crashes $crashed" |
      tee -a logs/summary.txt
    [ "$crashed" -gt 0 ] && break
    # Plateau: nothing new in the last QUIET_SECONDS of this round.
    [ "$grew" -lt $((secs - QUIET_SECONDS)) ] && break
    secs=$NEXT_SECONDS
  done
  env -u RUSTC_WRAPPER cargo fuzz cmin -O -s "$SANITIZER" "$t" "corpus/$t" > "logs/$t.cmin.log" 2>&1
done
./summary.sh
