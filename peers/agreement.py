#!/usr/bin/env python3
"""Grouping agreement between factbrief's claims and the peer's sentence groups.

Items are factbrief's claim mentions (check-worthy sentences) that the peer also has as a
sentence: the same article and the same text, white space collapsed, found once in that
article. Over those items, with each side's groups restricted to them, it prints
B-cubed precision, recall and F1 (factbrief's claims scored against the peer's groups as the
reference: precision is, averaged over items, the share of an item's factbrief group that is
also in its peer group) and the adjusted Rand index (chance-corrected pair agreement, 1 =
identical partitions, 0 = chance).

    peers/agreement.py factbrief.json peer.tsv
"""
import json
import sys
from collections import Counter, defaultdict

from sklearn.metrics import adjusted_rand_score


def main():
    brief = json.load(open(sys.argv[1], encoding="utf-8"))
    peer, seen = {}, Counter()
    for line in open(sys.argv[2], encoding="utf-8"):
        f, g, text = line.rstrip("\n").split("\t", 2)
        key = (f, text)
        seen[key] += 1
        peer[key] = g
    items, ours, theirs = [], [], []
    total = 0
    for claim in brief["claims"]:
        for m in claim["mentions"]:
            total += 1
            key = (m["source"], " ".join(m["text"].split()))
            if seen.get(key) == 1:
                items.append(key)
                ours.append(claim["id"])
                theirs.append(peer[key])
    if not items:
        print("agreement: no shared items")
        return
    ours_members, theirs_members = defaultdict(set), defaultdict(set)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        ours_members[a].add(i)
        theirs_members[b].add(i)
    p = r = 0.0
    for i, (a, b) in enumerate(zip(ours, theirs)):
        both = len(ours_members[a] & theirs_members[b])
        p += both / len(ours_members[a])
        r += both / len(theirs_members[b])
    p, r = p / len(items), r / len(items)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    ari = adjusted_rand_score(theirs, ours)
    print(
        f"agreement: {len(items)} of {total} mentions matched; factbrief {len(ours_members)} groups, "
        f"peer {len(theirs_members)} groups; B-cubed P {p:.3f} R {r:.3f} F1 {f1:.3f}; ARI {ari:.3f}"
    )


if __name__ == "__main__":
    main()
