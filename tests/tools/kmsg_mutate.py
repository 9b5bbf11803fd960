#!/usr/bin/env python3
"""kmsg_mutate.py - the paste-damage mutation test of `headroom explain`.

Every corpus file tests/fixtures/kmsg/*.log is damaged the way people's
pastes are (MUTATIONS below) and `headroom explain --json` must report the
same incidents with the same facts as on the original:

  wrapNN     word wrap at NN columns (60 72 76 80), as a mail client does:
             broken at the last blank that fits (the blank is dropped), a
             token longer than a line cut at the width
  cut80      a terminal's copy: every line cut at exactly 80 columns
  glue       lost newlines: every second line glued to the one before it
             (when it starts with a prefix: without one, nothing marks the
             boundary and no reader could split them)
  quote      "> " before every line, between two ``` fence lines
  wrap72q    wrap72, then quoted (a reply to the mail)
  strip      every prefix removed (bare text)
  syslog     every prefix replaced by "Mar  5 HH:MM:SS pastehost kernel: "
             (time: 10:00:00 plus the line's own seconds since boot)
  dmesgT     every prefix replaced by "[Tue Mar  5 HH:MM:SS 2024] "
  mixed      line by line in turn: as it was, stripped, syslog, dmesg -T

Compared: the findings in order, each by kind, severity, subject, facts,
explanation and fix. Fields that may legitimately differ:
  - every mutation: nothing else in a finding; the summary's "input"
    counters (bytes, lines) are not compared;
  - strip/syslog/dmesgT/mixed (the prefix changed): the times, which come
    from the prefix (facts uptime_usec, first_seen, last_seen, and any
    fact named *_usec/*_s/*seen*/duration*), and the explanation and fix,
    whose text quotes them; syslog/mixed add "host".
Prefix leaks are checked in every output: no string fact nor subject may
hold a dmesg stamp, a syslog date, the host name "pastehost", "kernel:",
or a quote/fence marker.

Exclusions are listed in EXCLUDE with their reason; nothing else is
skipped. Failures not yet fixed are listed in kmsg_mutate.known (one
"FILE MUTATION" a line): they are counted and printed as known, every
other failure fails the test, and a listed pair that passes is reported
so the list is pruned. usage: kmsg_mutate.py HEADROOM [--control] [--keep DIR]
--control runs the damaged inputs with --no-join and must find failures
(the test can fail). Exit 0 when every comparison passes (or, with
--control, when at least one fails).
"""
import json
import os
import re
import subprocess
import sys
import tempfile

FIX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "kmsg")

STAMP = re.compile(r"^\[\s*(\d+)\.(\d+)\](\[\s*[TC]\d+\])? ?")
CALLER = re.compile(r"^\[\s*[TC]\d+\] ?")
MON = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
SYSLOG = re.compile(r"^" + MON + r"\s+\d+ \d\d:\d\d:\d\d(?:\.\d+)?\s+(?:\S+\s+)?kernel(?:\[\d+\])?: ?")
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?\s+\S+\s+kernel: ?")
DMESG_T = re.compile(r"^\[[^\]]*\d\d:\d\d(?::\d\d)?[^\]]*\] ?")
DMESG_H = re.compile(r"^\[\s*\+?\d+\.\d+\] ?")
LEAKS = [re.compile(r"\[\s*\d+\.\d{6}\]"), re.compile(MON + r"\s+\d+ \d\d:\d\d:\d\d"),
         re.compile(r"kernel:"), re.compile(r"^> "), re.compile(r"```")]
HOST_LEAK = re.compile(r"pastehost")	# a host name is the subject of a burst, never a comm
TIME_FACT = re.compile(r"(usec|_s$|seen|duration|_at$|since|ok_after|time_basis|per_second)")

# (fixture prefix, mutation) -> reason. Kept short, and each one justified.
EXCLUDE = {
    ("13-", m): "two hosts' lines, told apart only by the host name in their syslog prefix: "
    "a rewritten prefix makes them one host" for m in ("strip", "syslog", "dmesgT", "mixed")}
EXCLUDE.update({
    (f, m): "the pid of the report comes from its PRINTK_CALLER id [T3124], which is part of "
    "the prefix the mutation rewrites" for m in ("strip", "syslog", "dmesgT", "mixed")
    for f in ("06-", "64-")})


def split_prefix(line):
    """(prefix, text, seconds or None) of one line, prefixes nested as logs nest them."""
    pre, secs = "", None
    for _ in range(4):
        for rx in (SYSLOG, ISO, STAMP, CALLER, DMESG_T, DMESG_H):
            m = rx.match(line)
            if m:
                if rx is STAMP:
                    secs = int(m.group(1))
                pre += m.group(0)
                line = line[m.end():]
                break
        else:
            break
    return pre, line, secs


def wrap(line, width):
    out = []
    while len(line) > width:
        cut = line.rfind(" ", 1, width + 1)
        if cut > 0 and line[:cut].strip():
            out.append(line[:cut])
            line = line[cut + 1:]
        else:
            out.append(line[:width])
            line = line[width:]
    out.append(line)
    return out


def cut(line, width):
    return [line[i:i + width] for i in range(0, len(line), width)] or [""]


def hms(secs):
    s = 36000 + (secs or 0)
    return "%02d:%02d:%02d" % (s // 3600 % 24, s // 60 % 60, s % 60)


def reprefix(lines, how):
    out = []
    for i, l in enumerate(lines):
        pre, text, secs = split_prefix(l)
        mode = how if how != "mixed" else ("keep", "strip", "syslog", "dmesgT")[i % 4]
        if not pre or mode == "keep":
            out.append(l)
        elif mode == "strip":
            out.append(text)
        elif mode == "syslog":
            out.append("Mar  5 %s pastehost kernel: %s" % (hms(secs), text))
        else:
            out.append("[Tue Mar  5 %s 2024] %s" % (hms(secs), text))
    return out


def glue(lines):
    out, i = [], 0
    while i < len(lines):
        if i + 1 < len(lines) and split_prefix(lines[i + 1])[0] and lines[i].strip():
            out.append(lines[i] + lines[i + 1])
            i += 2
        else:
            out.append(lines[i])
            i += 1
    return out


def mutate(lines, name):
    if name.startswith("wrap"):
        w = int(name[4:6])
        res = [p for l in lines for p in wrap(l, w)]
        return ["> " + l for l in res] if name.endswith("q") else res
    if name == "cut80":
        return [p for l in lines for p in cut(l, 80)]
    if name == "glue":
        return glue(lines)
    if name == "quote":
        return ["```"] + ["> " + l for l in lines] + ["```"]
    return reprefix(lines, name)


MUTATIONS = ["wrap60", "wrap72", "wrap76", "wrap80", "cut80", "glue", "quote", "wrap72q",
             "strip", "syslog", "dmesgT", "mixed"]
PREFIX_CHANGED = {"strip", "syslog", "dmesgT", "mixed"}


def explain(hr, path, extra):
    r = subprocess.run([hr, "explain", "--json", "--tz", "UTC", "--year", "2024"] + extra + [path],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=60,
                       env=dict(os.environ, NO_COLOR="1"))
    return json.loads(r.stdout.decode("utf-8", "replace"))


def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)
    elif isinstance(v, dict):
        for x in v.values():
            yield from strings(x)


def leaks(doc):
    bad = []
    for f in doc.get("findings", []):
        facts = f.get("facts", {})
        for k in ("comm", "victim", "task", "memcg", "task_memcg", "workqueue", "server"):
            for s in strings(facts.get(k)):
                bad += ["%s=%r" % (k, s) for rx in LEAKS + [HOST_LEAK] if rx.search(s)]
        for s in strings(f.get("subject")):
            bad += ["subject=%r" % s for rx in LEAKS if rx.search(s)]
    return bad


def view(doc, mutation):
    out = []
    for f in doc.get("findings", []):
        facts = dict(f.get("facts", {}))
        v = {"kind": f.get("kind"), "severity": f.get("severity"), "subject": f.get("subject")}
        if mutation in PREFIX_CHANGED:
            host = facts.get("host")
            if isinstance(host, str) and host and isinstance(v["subject"], str):
                v["subject"] = v["subject"].replace(host, "host")	# the word used when none is known
            facts = {k: x for k, x in facts.items() if not TIME_FACT.search(k) and k != "host"}
        else:
            v["explanation"] = f.get("explanation")
            v["fix"] = f.get("fix")
        v["facts"] = facts
        out.append(v)
    return out


def diff(a, b):
    if len(a) != len(b):
        return "%d findings, want %d (%s vs %s)" % (len(b), len(a), [x["kind"] for x in b],
                                                   [x["kind"] for x in a])
    for i, (x, y) in enumerate(zip(a, b)):
        for k in ("kind", "severity", "subject", "explanation", "fix"):
            if x.get(k) != y.get(k):
                return "finding %d %s: %r, want %r" % (i, k, str(y.get(k))[:160], str(x.get(k))[:160])
        for k in sorted(set(x["facts"]) | set(y["facts"])):
            if x["facts"].get(k) != y["facts"].get(k):
                return "finding %d fact %s: %r, want %r" % (i, k, y["facts"].get(k), x["facts"].get(k))
    return None


# Real pastes damaged as posted, and the repaired copy of the same report
# in the corpus: the findings must be the same (compared as for a wrap).
AS_POSTED = {"63-": "05-", "64-": "06-"}


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    hr, control = os.path.abspath(args[0]), "--control" in args
    keep = args[args.index("--keep") + 1] if "--keep" in args else None
    files = sorted(f for f in os.listdir(FIX) if f.endswith(".log"))
    known = set()
    kpath = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kmsg_mutate.known")
    if os.path.exists(kpath):
        for l in open(kpath):
            l = l.split("#")[0].split()
            if len(l) == 2:
                known.add((l[0], l[1]))
    npass = nfail = nexcl = nknown = 0
    fixed = []
    with tempfile.TemporaryDirectory() as tmp:
        for f in files:
            raw = open(os.path.join(FIX, f), "rb").read().decode("utf-8", "surrogateescape")
            lines = raw.split("\n")
            if lines and lines[-1] == "":
                lines.pop()
            want = explain(hr, os.path.join(FIX, f), [])
            for m in MUTATIONS:
                key = next((k for k in EXCLUDE if f.startswith(k[0]) and k[1] == m), None)
                if key and not control:
                    nexcl += 1
                    continue
                path = os.path.join(keep or tmp, "%s.%s.log" % (f[:-4], m))
                with open(path, "wb") as fh:
                    fh.write(("\n".join(mutate(lines, m)) + "\n").encode("utf-8", "surrogateescape"))
                got = explain(hr, path, ["--no-join"] if control else [])
                why = diff(view(want, m), view(got, m))
                bad = leaks(got)
                if bad:
                    why = (why + "; " if why else "") + "prefix leak: " + ", ".join(bad[:3])
                if why and (f, m) in known and not control:
                    nknown += 1
                    print("mutate known %s %s: %s" % (f, m, why))
                elif why:
                    nfail += 1
                    if not control:
                        print("mutate FAIL %s %s: %s" % (f, m, why))
                else:
                    npass += 1
                    if (f, m) in known:
                        fixed.append("%s %s" % (f, m))
    for damaged, repaired in sorted(AS_POSTED.items()):
        d = next(f for f in files if f.startswith(damaged))
        r = next(f for f in files if f.startswith(repaired))
        got = explain(hr, os.path.join(FIX, d), ["--no-join"] if control else [])
        why = diff(view(explain(hr, os.path.join(FIX, r), []), "wrap72"), view(got, "wrap72"))
        if why:
            nfail += 1
            if not control:
                print("mutate FAIL as posted %s vs %s: %s" % (d, r, why))
        else:
            npass += 1
            if not control:
                print("mutate: as posted %s = %s" % (d, r))
    total = len(files) * len(MUTATIONS)
    if control:
        print("mutate control (--no-join): %d of %d file x mutation runs differ (must be > 0)"
              % (nfail, npass + nfail))
        return 0 if nfail > 0 else 1
    for x in fixed:
        print("mutate: %s passes now: remove it from kmsg_mutate.known" % x)
    print("mutate: %d files x %d mutations = %d, + %d as-posted pairs: %d passed, %d failed, %d known failures"
          " (kmsg_mutate.known), %d excluded (EXCLUDE)"
          % (len(files), len(MUTATIONS), total, len(AS_POSTED), npass, nfail, nknown, nexcl))
    return 0 if nfail == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
