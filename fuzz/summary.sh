#!/usr/bin/env bash
# Reads fuzz/logs/<target>.log and <target>.<round>.log (as fuzz/run.sh writes them, every line
# stamped with the seconds since its round started) and prints, per target and sanitizer: the
# fuzzing time over all rounds, the runs, the highest edge coverage reached, and how long before
# the end coverage last rose above everything reached before (a later round re-reading its corpus
# and finding the same edges again does not count). Plateaued: nothing new in the last 300 s.
# Builds with and without AddressSanitizer count edges differently, so each sanitizer's rounds
# are summed apart; a round's first line names its sanitizer ("0 sanitizer none"), and a log
# without one is from an AddressSanitizer build. Rounds run with OWN_COVERAGE=1 count only edges in
# code compiled into factbrief ("none/own"; fuzz/own_edges.py says whose) and are summed apart too.
cd "$(dirname "$0")/logs" || exit 1
for t in decode markdown html quantities clean segment attribution; do
  for sanitizer in address none address/own none/own; do
    files=()
    for f in "$t.log" $(for ((r = 0; r < 100; r++)); do echo "$t.$r.log"; ls "$t.$r".w*.log 2>/dev/null; done); do
      [ -f "$f" ] || continue
      s=$(awk 'NR == 1 && $2 == "sanitizer" {print $3; exit} {print "address"; exit}' "$f")
      [ "$s" = "$sanitizer" ] && files+=("$f")
    done
    [ ${#files[@]} -eq 0 ] && continue
    # A worker's log (<round>.w<k>.log) runs beside its round's first log: same start, and its
    # finds count when above every earlier round's best and above all that worker already had.
    awk -v t="$t" -v s="$sanitizer" '
      FNR == 1 { if (FILENAME !~ /\.w[0-9]+\.log$/) { offset = end; before = best }; c = before }
      $1 ~ /^[0-9]+$/ && $1 + offset > end { end = $1 + offset }
      ($3 == "NEW" || $3 == "RELOAD") && $5 > c { if ($3 == "NEW" && $1 + offset > last) last = $1 + offset; c = $5; if (c > best) best = c }
      /stat::number_of_executed_units/ { runs += $3 }
      END { printf "%-12s %-8s %6d s fuzzed, %9d runs, cov %5d, coverage last rose at %6d s (%d s before the end): %s\n",
        t, s, end, runs, best, last, end - last, (end - last >= 300) ? "plateaued" : "still growing" }' "${files[@]}"
  done
done
