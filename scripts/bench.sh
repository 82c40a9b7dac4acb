#!/usr/bin/env bash
# Benchmark: factbrief analyze (release) on generated corpora of real news text, beside a
# read+tokenise floor and the scikit-learn peer (peers/tfidf_peer.py).
#
#   scripts/bench.sh [EVAL_DIR]      # EVAL_DIR defaults to ../shared/eval
#
# Environment: SIZES (default "1000 2500 5000 10000"), RUNS (factbrief runs per size, median
# reported; default 3), PEER_SIZES (default "1000 10000"; empty to skip the peer),
# BENCH_DIR (corpora and outputs; default target/bench), EMBED_SIZES (sizes to also run with
# --embeddings, which needs the model from scripts/ensure-model.sh; default none). Prints wall
# time, articles/s, MB/s, peak RSS, the per-stage times (FACTBRIEF_TIMINGS=1) each as a multiple
# of the read+tokenise floor, the doubling cost between sizes, and the peer's time, memory and
# grouping agreement.
set -euo pipefail
cd "$(dirname "$0")/.."
EVAL="${1:-../shared/eval}"
SIZES="${SIZES:-1000 2500 5000 10000}"
RUNS="${RUNS:-3}"
PEER_SIZES="${PEER_SIZES-1000 10000}"
BENCH_DIR="${BENCH_DIR:-target/bench}"
EMBED_SIZES="${EMBED_SIZES-}"
VENV="${FACTBRIEF_CACHE:-$HOME/.cache/factbrief}/peer-venv"
mkdir -p "$BENCH_DIR"

cargo build --release --quiet --bin factbrief --example make_corpus --example read_tokenise
BIN=target/release/factbrief

if [ -n "$PEER_SIZES" ] && ! "$VENV/bin/python" -c 'import sklearn, scipy, numpy' 2>/dev/null; then
  echo "installing the peer's pinned environment into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet -r peers/requirements.txt
fi

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), rayon threads ${RAYON_NUM_THREADS:-all}"
declare -A WALL
for n in $SIZES; do
  dir="$BENCH_DIR/corpus-$n"
  if [ ! -f "$dir/sources.toml" ]; then
    target/release/examples/make_corpus --n "$n" --out "$dir" \
      "$EVAL/ecbplus" "$EVAL/ptc/unlabelled-articles" "$EVAL/ptc/articles"
  fi
  mb=$(cat "$dir"/*.txt | wc -c | awk '{printf "%.1f", $1/1e6}')
  walls=(); rss=(); cpus=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M %U %S" -o "$BENCH_DIR/time" "$BIN" analyze "$dir" > "$BENCH_DIR/out-$n.json"
    read -r w m u s < "$BENCH_DIR/time"; walls+=("$w"); rss+=("$m"); cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}')")
  done
  w=$(printf '%s\n' "${walls[@]}" | median); m=$(printf '%s\n' "${rss[@]}" | median)
  c=$(printf '%s\n' "${cpus[@]}" | median)
  WALL[$n]=$w
  echo
  echo "== N=$n articles, $mb MB"
  # CPU time (user + system, all threads) beside the wall time: on a shared machine it shows
  # whether a slow run did more work or only waited for the cores.
  awk -v n="$n" -v mb="$mb" -v w="$w" -v m="$m" -v c="$c" -v all="${walls[*]}" 'BEGIN {
    printf "factbrief analyze: wall %.2f s (median of %s), CPU %.2f s (median), %.0f articles/s, %.1f MB/s, peak RSS %.0f MB\n",
      w, all, c, n / w, mb / w, m / 1024 }'
  FACTBRIEF_TIMINGS=1 "$BIN" analyze "$dir" 2> "$BENCH_DIR/stages-$n.txt" > /dev/null
  baseline=$(target/release/examples/read_tokenise "$dir")
  echo "$baseline"
  floor=$(sed -n 's/.*tokenise [0-9]* ms (1 thread) \/ \([0-9]*\) ms (all threads).*/\1/p' <<< "$baseline")
  read_ms=$(sed -n 's/.* read \([0-9]*\) ms.*/\1/p' <<< "$baseline")
  # Each stage beside the floor: reading plus tokenising on all threads.
  grep '^timing' "$BENCH_DIR/stages-$n.txt" | awk -v f="$((floor + read_ms))" '{
    ms = $(NF - 1); name = $2; for (i = 3; i < NF - 1; i++) name = name " " $i
    printf "  stage %-18s %9.1f ms  %6.1fx the read+tokenise floor (%d ms)\n", name, ms, ms / f, f }'
  if [[ " $EMBED_SIZES " == *" $n "* ]]; then
    cargo build --release --quiet --features embeddings --bin factbrief
    /usr/bin/time -f "%e %M" -o "$BENCH_DIR/time-emb" "$BIN" analyze --embeddings "$dir" > "$BENCH_DIR/out-emb-$n.json"
    read -r ew em < "$BENCH_DIR/time-emb"
    awk -v n="$n" -v w="$ew" -v m="$em" -v d="$w" 'BEGIN {
      printf "factbrief analyze --embeddings: wall %.2f s, %.1f articles/s, peak RSS %.0f MB (%.1fx the default mode)\n",
        w, n / w, m / 1024, w / d }'
    cargo build --release --quiet --bin factbrief
  fi
  if [[ " $PEER_SIZES " == *" $n "* ]]; then
    /usr/bin/time -f "%e %M" -o "$BENCH_DIR/time-peer" "$VENV/bin/python" peers/tfidf_peer.py "$dir" \
      --out "$BENCH_DIR/peer-$n.tsv"
    read -r pw pm < "$BENCH_DIR/time-peer"
    awk -v w="$w" -v m="$m" -v pw="$pw" -v pm="$pm" 'BEGIN {
      printf "peer (scikit-learn): wall %.2f s, peak RSS %.0f MB; factbrief/peer: time %.3f (%.1fx faster), memory %.2f\n",
        pw, pm / 1024, w / pw, pw / w, m / pm }'
    "$VENV/bin/python" peers/agreement.py "$BENCH_DIR/out-$n.json" "$BENCH_DIR/peer-$n.tsv"
  fi
done
echo
prev=""
for n in $SIZES; do
  if [ -n "$prev" ]; then
    awk -v a="$prev" -v b="$n" -v wa="${WALL[$prev]}" -v wb="${WALL[$n]}" 'BEGIN {
      printf "scaling %d -> %d articles: %.2fx the time for %.2fx the articles\n", a, b, wb / wa, b / a }'
  fi
  prev=$n
done
