#!/usr/bin/env python3
"""tests/include_graph.py - the layering rule of src/, checked on every build.

Directories are layers; a file may include headers of its own directory or of a
lower layer only (data flows kernel -> snapshot -> judges -> actions/reports):

    util < snapshot < kernel, detect (peers: neither includes the other)
         < act, report (peers) < check < daemon < cli

Modules (a .c file with its .h) must form no cycle, counting both #include edges
and symbol references between object files (`nm` on build/rel/**/*.o, when built:
a.c calling a function defined in b.c is an edge a -> b).
Known debt lives in tests/include_graph.allow, one edge or cycle a line; the
test fails on any violation not listed there and on a listed one that no longer
exists (so the list only shrinks). Prints one line per problem; exit 1 if any.
"""
import os
import re
import subprocess
import sys

RANK = {"util": 0, "snapshot": 1, "kernel": 2, "detect": 2, "act": 3, "report": 3,
        "check": 4, "daemon": 5, "cli": 6}
INC = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def module(path):
    """src/detect/incident_build.c -> detect/incident_build (a header's stem)."""
    rel = os.path.relpath(path, "src")
    return os.path.splitext(rel)[0]


def main():
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    os.chdir(top)
    edges = {}  # module -> set(modules it includes)
    for d, _, files in os.walk("src"):
        for f in sorted(files):
            if not f.endswith((".c", ".h")):
                continue
            p = os.path.join(d, f)
            src = module(p)
            with open(p, encoding="utf-8", errors="replace") as fh:
                for inc in INC.findall(fh.read()):
                    dst = os.path.splitext(inc)[0]
                    if dst != src:
                        edges.setdefault(src, set()).add(dst)
    # Symbol edges: who calls whom, from the release objects.
    defs, undefs = {}, {}
    objs = []
    for d, _, files in os.walk("build/rel"):
        if "/bench" in d or "/tests" in d:
            continue
        objs += [os.path.join(d, f) for f in files if f.endswith(".o")]
    if not objs:
        print("include graph: no objects under build/rel; run make first")
        return 1
    if objs:
        out = subprocess.run(["nm", "-A"] + sorted(objs), capture_output=True, text=True).stdout
        for line in out.splitlines():
            m = re.match(r"build/rel/(.+)\.o:\s*(?:[0-9a-f]+)?\s+([TDBRCU])\s+(\S+)", line)
            if not m:
                continue
            mod, kind, sym = m.groups()
            if kind == "U":
                undefs.setdefault(sym, set()).add(mod)
            else:
                defs.setdefault(sym, mod)
        for sym, users in undefs.items():
            owner = defs.get(sym)
            if owner:
                for u in users:
                    if u != owner:
                        edges.setdefault(u, set()).add(owner)
    found = set()
    for src, dsts in edges.items():
        sdir = src.split("/")[0]
        for dst in dsts:
            ddir = dst.split("/")[0]
            if sdir == ddir:
                continue
            if sdir not in RANK or ddir not in RANK:
                found.add("unknown-layer %s -> %s" % (src, dst))
            elif RANK[ddir] >= RANK[sdir]:
                found.add("upward %s -> %s" % (src, dst))
    # Cycles between modules (Tarjan's strongly connected components).
    index, low, stack, on, sccs = {}, {}, [], set(), []
    counter = [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                sccs.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            strong(v)
    for comp in sccs:
        found.add("cycle " + " ".join(comp))
    allowed = set()
    allow = "tests/include_graph.allow"
    if os.path.exists(allow):
        with open(allow) as fh:
            for line in fh:
                line = line.split("#", 1)[0].strip()
                if line:
                    allowed.add(line)
    bad = 0
    for p in sorted(found - allowed):
        print("include graph: new %s" % p)
        bad += 1
    for p in sorted(allowed - found):
        print("include graph: fixed, remove from %s: %s" % (allow, p))
        bad += 1
    print("include graph: %d edges checked, %d known debts, %d problems"
          % (sum(len(v) for v in edges.values()), len(allowed & found), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
