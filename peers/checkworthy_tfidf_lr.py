"""The plain scikit-learn peer for check-worthiness ranking.

What a data journalist would write: TF-IDF word 1-2-grams and a logistic regression trained on
ClaimBuster (Verdict 1 vs 0 and -1), ranking each CLEF-2019 training debate by its probability.
Prints average precision per debate and their mean (MAP); with --out writes `debate<TAB>AP`
for examples/eval_checkworthy.rs --peer.

By default it trains on all of ClaimBuster, as the peer figure in issue 3 does. With --strict it
leaves out, for each debate, the ClaimBuster file that transcribes the same debate (the three
2016 presidential debates are in both data sets), as our own evaluation does.

    python3 -m venv .venv && .venv/bin/pip install -r peers/requirements.txt
    .venv/bin/python peers/checkworthy_tfidf_lr.py \
        --claimbuster ../shared/eval/claimbuster/crowdsourced.csv \
        --clef ../shared/eval/clef2019/training [--strict] [--out peer.tsv]
"""

import argparse
import csv
import os
import re

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression


def norm(s):
    return " ".join(w for w in re.split(r"[^0-9A-Za-z]+", s.lower()) if w)


def average_precision(scores, labels):
    # Stable sort: ties keep document order, as in the Rust evaluation.
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    hits, total = 0, 0.0
    for rank, i in enumerate(order, 1):
        if labels[i]:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--claimbuster", required=True)
    ap.add_argument("--clef", required=True)
    ap.add_argument("--strict", action="store_true")
    ap.add_argument("--out")
    args = ap.parse_args()

    with open(args.claimbuster, newline="", encoding="utf-8") as f:
        cb = list(csv.DictReader(f))
    texts = [r["Text"] for r in cb]
    labels = np.array([1 if r["Verdict"].strip() == "1" else 0 for r in cb])
    files = [r["File_id"] for r in cb]
    by_text = {}
    for t, g in zip(texts, files):
        by_text.setdefault(norm(t), set()).add(g)

    def fit(keep):
        vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        x = vec.fit_transform([t for t, k in zip(texts, keep) if k])
        clf = LogisticRegression(max_iter=1000)
        clf.fit(x, labels[np.array(keep)])
        return vec, clf

    full = fit([True] * len(texts))
    rows = []
    for name in sorted(os.listdir(args.clef)):
        if not name.endswith(".tsv"):
            continue
        debate = name[:-4]
        sents, gold = [], []
        with open(os.path.join(args.clef, name), encoding="utf-8") as f:
            for line in f:
                p = line.rstrip("\n").split("\t")
                if len(p) >= 4:
                    sents.append(p[2])
                    gold.append(p[3].strip() == "1")
        model = full
        if args.strict:
            hits = {}
            for s in sents:
                t = norm(s)
                if len(t.split()) >= 6:
                    for g in by_text.get(t, ()):
                        hits[g] = hits.get(g, 0) + 1
            excluded = {g for g, c in hits.items() if c * 10 >= len(sents)}
            if excluded:
                model = fit([g not in excluded for g in files])
        vec, clf = model
        scores = clf.predict_proba(vec.transform(sents))[:, 1]
        rows.append((debate, average_precision(list(scores), gold)))
        print(f"{debate:<28} {rows[-1][1]:.4f}")
    print(f"{'MAP':<28} {sum(a for _, a in rows) / len(rows):.4f}")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            for d, a in rows:
                f.write(f"{d}\t{a:.6f}\n")


if __name__ == "__main__":
    main()
