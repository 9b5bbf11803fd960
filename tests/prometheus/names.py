#!/usr/bin/env python3
"""names.py METRICS_LIST RULES TEST DASHBOARD - what the rules and the
dashboard query exists.

METRICS_LIST is `headroom check --list-metrics` (the renderer's family
table). Every headroom_* name in an expression of dist/prometheus's rules
and in every target of the Grafana dashboard must be one of its families;
every alert must have a severity and a runbook_url naming a file of the
tree, fire in at least one promtool test, and every test group
must hold a quiet instance ("good"), whose silence each exact exp_alerts
list asserts. Prints one line per problem and a summary; exit 1 on any.
"""
import json
import os
import re
import sys

import yaml

NAME = re.compile(r"\b(headroom_[a-z0-9_]+)")


def main():
    families = {line.split()[0] for line in open(sys.argv[1]) if line.strip()}
    rules = yaml.safe_load(open(sys.argv[2]))
    tests = yaml.safe_load(open(sys.argv[3]))
    dash = json.load(open(sys.argv[4]))
    problems = []
    exprs, alerts = [], set()
    for g in rules["groups"]:
        for r in g["rules"]:
            exprs.append(("rule " + r.get("alert", r.get("record")), r["expr"]))
            if "alert" in r:
                alerts.add(r["alert"])
                rb = r.get("annotations", {}).get("runbook_url", "")
                if not rb or not os.path.exists(rb.split("#")[0]):
                    problems.append(f"alert {r['alert']}: runbook_url {rb!r} is no file of doc/")
                if not r.get("labels", {}).get("severity"):
                    problems.append(f"alert {r['alert']}: no severity label")
    targets = 0

    def walk(panels):
        nonlocal targets
        for p in panels:
            for t in p.get("targets", []):
                targets += 1
                exprs.append(("panel " + p.get("title", "?"), t["expr"]))
            walk(p.get("panels", []))
    walk(dash.get("panels", []))
    for v in dash.get("templating", {}).get("list", []):
        q = v.get("query")
        if isinstance(q, dict):
            q = q.get("query", "")
        if q:
            exprs.append(("variable " + v["name"], q))
    for where, e in exprs:
        for n in NAME.findall(e):
            if n not in families:
                problems.append(f"{where}: {n} is not exported by headroom")
    fired = set()
    for tc in tests["tests"]:
        if not any('instance="good"' in s["series"] for s in tc["input_series"]):
            problems.append("a test group has no quiet instance=\"good\" series")
        for a in tc.get("alert_rule_test", []):
            if a["exp_alerts"]:
                fired.add(a["alertname"])
    for a in sorted(alerts - fired):
        problems.append(f"alert {a} is never shown firing in {sys.argv[3]}")
    for p in problems:
        print(p)
    print(f"names: {len(exprs)} expressions ({targets} dashboard targets), {len(alerts)} alerts, "
          f"{len(problems)} problems")
    return 1 if problems else 0


sys.exit(main())
