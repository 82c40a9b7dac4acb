#!/usr/bin/env bash
# Reads fuzz/logs/<target>.log and <target>.<round>.log (as fuzz/run.sh writes them, every line
# stamped with the seconds since its round started) and prints, per target: the fuzzing time over
# all rounds, the runs, the highest edge coverage reached, and how long before the end coverage
# last rose above everything reached before (a later round re-reading its corpus and finding the
# same edges again does not count). Plateaued: nothing new in the last 300 s.
cd "$(dirname "$0")/logs" || exit 1
for t in decode markdown html quantities clean segment attribution; do
  files=()
  [ -f "$t.log" ] && files+=("$t.log")
  for ((r = 0; r < 50; r++)); do [ -f "$t.$r.log" ] && files+=("$t.$r.log"); done
  [ ${#files[@]} -eq 0 ] && continue
  awk -v t="$t" '
    FNR == 1 { offset = end }
    $1 ~ /^[0-9]+$/ && $1 + offset > end { end = $1 + offset }
    $3 == "NEW" && $5 > best { best = $5; last = $1 + offset }
    /stat::number_of_executed_units/ { runs += $3 }
    END { printf "%-12s %5d s fuzzed, %9d runs, cov %5d, coverage last rose at %5d s (%d s before the end): %s\n",
      t, end, runs, best, last, end - last, (end - last >= 300) ? "plateaued" : "still growing" }' "${files[@]}"
done
