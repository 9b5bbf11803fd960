#!/usr/bin/env python3
"""check.py HEADROOM - dist/npd/ is what node-problem-detector can load and
what headroom answers.

- headroom-kernel-monitor.json: a kmsg monitor; every rule's pattern
  compiles and matches at least one kernel line of tests/fixtures/kmsg
  (the message as NPD sees it: no timestamp or syslog prefix); no rule
  matches any line of the negative-* fixtures.
- headroom-plugin-monitor.json: a custom plugin monitor whose
  max_output_length is what --npd promises (80); each rule's args, with
  /host replaced by a fixture root, make HEADROOM exit 0 or 1 with one line
  of at most 80 bytes.
Prints one line per problem and a summary; exit 1 on any.
"""
import glob
import json
import os
import re
import subprocess
import sys

PREFIX = re.compile(r"^(?:\w{3}\s+\d+\s+[\d:]+\s+(?:\S+\s+)?kernel:\s*)?(?:\[[^\]]*\]\s*)*")
ROOT = "tests/fixtures/6.18.44-vm-x86_64"


def main():
    hr = sys.argv[1]
    problems = []
    km = json.load(open("dist/npd/headroom-kernel-monitor.json"))
    if km.get("plugin") != "kmsg" or not km.get("source"):
        problems.append("kernel monitor: plugin must be kmsg with a source")
    lines, negative = [], []
    for f in sorted(glob.glob("tests/fixtures/kmsg/*.log")):
        text = open(f, encoding="utf-8", errors="replace").read().splitlines()
        msgs = [PREFIX.sub("", ln) for ln in text]
        (negative if "negative" in os.path.basename(f) else lines).extend(msgs)
    for r in km["rules"]:
        if r.get("type") not in ("temporary", "permanent") or not r.get("reason"):
            problems.append(f"kernel monitor rule {r}: type and reason required")
        rx = re.compile(r["pattern"])
        hits = sum(1 for m in lines if rx.match(m))
        bad = [m for m in negative if rx.match(m)]
        if not hits:
            problems.append(f"{r['reason']}: pattern matches no fixture line")
        for m in bad[:3]:
            problems.append(f"{r['reason']}: matches negative fixture line {m!r}")
    pm = json.load(open("dist/npd/headroom-plugin-monitor.json"))
    if pm.get("plugin") != "custom" or pm["pluginConfig"].get("max_output_length") != 80:
        problems.append("plugin monitor: custom plugin with max_output_length 80 expected")
    conds = {c["type"] for c in pm["conditions"]}
    for r in pm["rules"]:
        if r["condition"] not in conds:
            problems.append(f"rule {r['reason']}: condition {r['condition']} not declared")
        args = [ROOT if a == "/host" else a for a in r["args"]]
        p = subprocess.run([hr] + args, capture_output=True, text=True, timeout=60)
        out = p.stdout
        if p.returncode not in (0, 1) or out.count("\n") != 1 or len(out.encode()) - 1 > 80:
            problems.append(f"rule {r['reason']}: exit {p.returncode}, output {out!r}")
    for p in problems:
        print(p)
    print(f"npd: {len(km['rules'])} kernel patterns over {len(lines)} lines, "
          f"{len(pm['rules'])} plugin rules, {len(problems)} problems")
    return 1 if problems else 0


sys.exit(main())
