#!/usr/bin/env python3
"""Which crate's code a fuzz target's edges are in, so "still growing" can be told apart from
"still growing in our own code".

  fuzz/own_edges.py rounds BINARY LOG...     # logs of rounds run with FUZZ_ARGS=-print_pcs=1
  fuzz/own_edges.py corpora BINARY DIR...    # corpus folders, e.g. before and after some rounds

`rounds` reads the "NEW_PC" lines libFuzzer prints for every edge it covers for the first time in
a run, and gives per log the new edges by crate and when the last one in factbrief's functions
came (the log's stamp, seconds since the round started). `corpora` replays each folder in
libFuzzer's merge mode, whose control file lists the edges each input covers, and gives the
edges covered by crate, factbrief's per function, and what changed from the first folder.

An edge is factbrief's when the function it is in is factbrief's (`factbrief::…` or an impl on
a factbrief type), whatever crate its code was compiled in; html5ever's generic tree builder,
compiled into factbrief for dom_query's document, is html5ever's. Needs binutils (readelf, nm,
c++filt). BINARY is the target as cargo fuzz built it, e.g.
target/x86_64-unknown-linux-gnu/release/html (or target-own/… for OWN_COVERAGE=1 rounds).
"""

import bisect
import collections
import re
import subprocess
import sys
import tempfile


def run(*args):
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


class Binary:
    """The PC table of a libFuzzer binary: edge index → code address → function."""

    def __init__(self, path):
        sections = run("readelf", "-S", "-W", path)
        m = re.search(r"__sancov_pcs\s+PROGBITS\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)", sections)
        if not m:
            sys.exit(f"{path}: no __sancov_pcs section: not a cargo fuzz build")
        self.table, size = int(m.group(1), 16), int(m.group(2), 16)
        # A position-independent binary's table is filled in by relocations at load time: each
        # entry is (PC, flags), 16 bytes, and the PC is the relocation's addend.
        self.pcs = {}
        for line in run("readelf", "-r", "-W", path).splitlines():
            f = line.split()
            if len(f) >= 4 and f[2] == "R_X86_64_RELATIVE":
                offset = int(f[0], 16) - self.table
                if 0 <= offset < size and offset % 16 == 0:
                    self.pcs[offset // 16] = int(f[3], 16)
        symbols = []
        for line in run("nm", "-n", "--defined-only", path).splitlines():
            f = line.split()
            if len(f) == 3 and f[1] in "tTwW":
                symbols.append((int(f[0], 16), f[2]))
        names = sorted({n for _, n in symbols})
        demangled = dict(zip(names, run_input(["c++filt"], "\n".join(names)).split("\n")))
        self.starts = [a for a, _ in symbols]
        self.names = [clean(demangled[n]) for _, n in symbols]

    def function(self, pc):
        return self.names[bisect.bisect_right(self.starts, pc) - 1]

    def edge_function(self, index):
        return self.function(self.pcs[index])


def run_input(args, text):
    return subprocess.run(args, input=text, capture_output=True, text=True, check=True).stdout


def clean(name):
    """A demangled Rust name without crate disambiguators and the trailing hash."""
    return re.sub(r"\[[0-9a-f]+\]|::h[0-9a-f]{16}$", "", name)


def crate(function):
    return re.split(r"::|<|>| ", function.lstrip("<&*"), maxsplit=1)[0] or function


def ours(function):
    return function.lstrip("<&*").startswith("factbrief::")


def rounds(binary, logs):
    for log in logs:
        base, by_crate, last, own, printed, end = None, collections.Counter(), None, 0, False, 0
        for line in open(log, errors="replace"):
            stamp = re.match(r"(\d+) ", line)
            end = max(end, int(stamp.group(1))) if stamp else end
            if "PC tables" in line and base is None:
                base = int(re.search(r"\[(0x[0-9a-f]+),", line).group(1), 16) - binary.table
            m = re.match(r"(\d+)\s+NEW_PC: (0x[0-9a-f]+)", line)
            printed = printed or "-print_pcs=1" in line
            if m and base is not None:
                f = binary.function(int(m.group(2), 16) - base)
                by_crate[crate(f)] += 1
                if ours(f):
                    own += 1
                    last = int(m.group(1))
        if not printed:
            print(f"{log}: not run with -print_pcs=1, so its new edges are not listed")
            continue
        when = f"the last at {last} s of {end} s" if last is not None else f"none in {end} s"
        print(f"{log}: {sum(by_crate.values())} new edges, {own} in factbrief ({when})")
        print("  by crate: " + ", ".join(f"{c} {n}" for c, n in by_crate.most_common(8)))


def corpora(binary, path, folders):
    instrumented = collections.Counter(f for f in map(binary.edge_function, binary.pcs) if ours(f))
    covered = []
    for folder in folders:
        with tempfile.TemporaryDirectory() as out, tempfile.NamedTemporaryFile() as control:
            subprocess.run([path, "-merge=1", "-max_len=65536", f"-merge_control_file={control.name}", out, folder],
                           capture_output=True, check=True)
            edges = set()
            for line in open(control.name):
                if line.startswith("COV "):
                    edges.update(int(x) for x in line.split()[2:])
        functions = collections.Counter(binary.edge_function(i) for i in edges)
        by_crate = collections.Counter()
        for f, n in functions.items():
            by_crate[crate(f)] += n
        own = sum(n for f, n in functions.items() if ours(f))
        print(f"{folder}: {len(edges)} edges, {own} of factbrief's {sum(instrumented.values())} instrumented edges")
        print("  by crate: " + ", ".join(f"{c} {n}" for c, n in by_crate.most_common(8)))
        covered.append(functions)
    print(f"factbrief's functions, edges covered in {folders[-1]} of instrumented:")
    for f, n in sorted(instrumented.items()):
        print(f"  {covered[-1][f]:4d} / {n:4d} {f[:140]}")
    for before, after, folder in zip(covered, covered[1:], folders[1:]):
        changed = {f: after[f] - before[f] for f in set(before) | set(after) if after[f] != before[f]}
        print(f"{folder} against the folder before it:")
        for f, d in sorted(changed.items(), key=lambda x: (-abs(x[1]), x[0]))[:20]:
            print(f"  {d:+d} {f[:150]}")


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("rounds", "corpora"):
        sys.exit(__doc__)
    binary = Binary(sys.argv[2])
    if sys.argv[1] == "rounds":
        rounds(binary, sys.argv[3:])
    else:
        corpora(binary, sys.argv[2], sys.argv[3:])


if __name__ == "__main__":
    main()
