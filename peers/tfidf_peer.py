#!/usr/bin/env python3
"""The peer: the sentence-grouping pipeline a data journalist would write with scikit-learn.

Split every article into sentences, weight them with TfidfVectorizer, compare them by cosine
similarity (sparse products in row blocks), link pairs at or above a threshold and take the
connected components as groups. Writes one line per sentence: file stem, group, text (TSV).

    peers/tfidf_peer.py CORPUS_DIR --out groups.tsv [--threshold 0.5]
"""
import argparse
import os
import re
import sys
import time

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer

SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z\"“(])")


def sentences(text):
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        for s in SENTENCE_END.split(line):
            s = s.strip()
            if len(s.split()) >= 4:
                yield s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--out", required=True)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--block", type=int, default=1000)
    args = ap.parse_args()
    t0 = time.perf_counter()
    files, texts = [], []
    for name in sorted(os.listdir(args.corpus)):
        if not name.endswith(".txt"):
            continue
        with open(os.path.join(args.corpus, name), encoding="utf-8", errors="replace") as f:
            for s in sentences(f.read()):
                files.append(name[:-4])
                texts.append(s)
    X = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    XT = X.T.tocsr()
    rows, cols = [], []
    for start in range(0, X.shape[0], args.block):
        sim = (X[start : start + args.block] @ XT).tocoo()
        keep = (sim.data >= args.threshold) & (sim.row + start < sim.col)
        rows.append(sim.row[keep] + start)
        cols.append(sim.col[keep])
    rows = np.concatenate(rows) if rows else np.array([], dtype=np.int64)
    cols = np.concatenate(cols) if cols else np.array([], dtype=np.int64)
    n = X.shape[0]
    graph = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    with open(args.out, "w", encoding="utf-8") as out:
        for f, g, s in zip(files, labels, texts):
            out.write(f"{f}\t{g}\t{' '.join(s.split())}\n")
    print(
        f"peer: {n} sentences, {len(rows)} pairs >= {args.threshold}, {labels.max() + 1 if n else 0} groups, "
        f"{time.perf_counter() - t0:.2f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
