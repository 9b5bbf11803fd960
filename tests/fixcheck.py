#!/usr/bin/env python3
"""fixcheck.py - a fix block must be safe to paste into a root shell.

  fixcheck.py goldens FILE.ok...    every fix block of check and explain output (text
                                    and JSON) parses with bash -n, and every
                                    line is a '#' comment, a command (first
                                    word a known command or builtin, an
                                    absolute path, or an assignment) or part
                                    of a here-document body; user text names
                                    no finding id absent from the same output
                                    and no internal document
  fixcheck.py hostile HEADROOM      copies memcg, net and zones fixtures,
                                    renames every cgroup (or eth0) to a
                                    hostile name and checks that each fix
                                    line parses and that bash reads each
                                    quoted name back as exactly that name

Exit 0 when all pass; prints one line per failure and a summary line.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Commands a fix may start with, beside bash builtins and keywords.
COMMANDS = {
    "cat", "echo", "ethtool", "findmnt", "grep", "headroom", "ip", "iptables",
    "lsblk", "mkswap", "modprobe", "nstat", "printf", "rmdir", "ss", "swapoff",
    "swapon", "sysctl", "systemctl", "tee", "zramctl",
}
BUILTINS = set(subprocess.run(["bash", "-c", "compgen -b; compgen -k"], capture_output=True,
                              text=True, check=True).stdout.split())
HEREDOC = re.compile(r"<<(-?)\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\2")
ASSIGN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
TEXT_INDENT = " " * 12
COMMENTED = re.compile(r"^#   (\S.*)$", re.M)
BASH = shutil.which("bash")


def check_block(block, where):
    """Returns a list of problems with one fix block."""
    problems = []
    r = subprocess.run(["bash", "-n"], input=block, capture_output=True, text=True)
    if r.returncode:
        problems.append(f"{where}: bash -n: {r.stderr.strip()}")
    # "#   CMD" is advice to adapt or pick: uncommented, it must parse too.
    commented = "\n".join(m.group(1) for m in COMMENTED.finditer(block))
    r = subprocess.run(["bash", "-n"], input=commented + "\n", capture_output=True, text=True)
    if commented and r.returncode:
        problems.append(f"{where}: a '#   command' line does not parse: {r.stderr.strip()}")
    pending = []		# here-document terminators still open, in order
    for n, line in enumerate(block.split("\n"), 1):
        if pending:
            strip_tabs, word = pending[0]
            if (line.lstrip("\t") if strip_tabs else line) == word:
                pending.pop(0)
            continue
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        first = s.split()[0]
        if not (first in COMMANDS or first in BUILTINS or first.startswith("/")
                or ASSIGN.match(first)):
            problems.append(f"{where}: line {n} is neither a command nor a comment: {line!r}")
        for m in HEREDOC.finditer(s):
            pending.append((m.group(1) == "-", m.group(3)))
    if pending:
        problems.append(f"{where}: here-document not terminated: {pending[0][1]}")
    return problems


def text_fix_blocks(text):
    """Fix blocks of the text report: 'fix' label, then 12-space indent."""
    blocks, cur = [], None
    for line in text.split("\n"):
        if line.startswith("      fix   "):
            cur = [line[12:]]
            blocks.append(cur)
        elif cur is not None and line.startswith(TEXT_INDENT):
            cur.append(line[12:])
        else:
            cur = None
    return ["\n".join(b) + "\n" for b in blocks]


HEADER = re.compile(r"^(?:OK|WARN|CRIT)\s+([a-z_]+\.[a-z_]+)\s", re.M)


# Documents that exist only for headroom's authors (seed incidents, fact
# sheets): user text must stand on its own.
INTERNAL = re.compile(r"\bseed (?:incident )?[0-9]{3}\b|KERNEL-FACTS")


def id_refs(docs):
    """User text may name a finding id only when that finding is in the
    same output. docs: (name, ids present, text) for every check output."""
    known = set().union(*(ids for _, ids, _ in docs)) if docs else set()
    problems = []
    for name, ids, text in docs:
        m = INTERNAL.search(text)
        if m:
            problems.append(f"{name}: names an internal document: {m.group(0)!r}")
        for ref in sorted(known - ids):
            if re.search(r"(?<![\w.])" + re.escape(ref) + r"(?![\w])", text):
                problems.append(f"{name}: names finding {ref}, which is not in the output")
    return problems


def goldens(files):
    problems, blocks, docs = [], 0, []
    for path in files:
        cmd = path[:-3] + ".cmd"
        if os.path.exists(cmd) and not open(cmd).read().startswith(("check", "explain")):
            continue
        # Metrics and NPD lines carry no fix blocks (promtool checks the former).
        if os.path.exists(cmd) and re.search(r"--(format=prometheus|npd|list-metrics)\b",
                                             open(cmd).read()):
            continue
        text = open(path, encoding="utf-8", errors="surrogateescape").read()
        if text.lstrip().startswith("{"):
            try:
                doc = json.loads(text)
            except json.JSONDecodeError:	# explain --json-lines: incidents, then a summary
                lines = [json.loads(l) for l in text.splitlines() if l.strip()]
                doc = {"command": "explain",
                       "findings": [d["incident"] for d in lines if d.get("type") == "incident"]}
            if doc.get("command") not in ("check", "explain"):
                continue
            fixes = [(f"{f['id']} {f['subject']}", f["fix"]) for f in doc["findings"] if f["fix"]]
            docs.append((os.path.basename(path), {f["id"] for f in doc["findings"]},
                         "\n".join(f["explanation"] + "\n" + f["fix"] for f in doc["findings"])))
        else:
            fixes = [(f"text block {i}", b) for i, b in enumerate(text_fix_blocks(text), 1)]
            docs.append((os.path.basename(path), set(HEADER.findall(text)),
                         HEADER.sub("", text)))
        for where, fix in fixes:
            blocks += 1
            problems += check_block(fix, f"{os.path.basename(path)}: {where}")
    return problems + id_refs(docs), blocks


# Names a user with a delegated cgroup subtree may choose.
HOSTILE = [
    "`id`;rm -rf x", "$(id)", "a'b", 'q"uote', "new\nline", "sp ace", "*?[glob]",
    "-leading", "back\\slash", "tab\there", "$'x'", "semi;colon|pipe&amp",
]


def unquoted_ops_to_spaces(line):
    """line with every shell operator byte outside quotes (; | & < >)
    turned into a space, so the rest is a list of words; None when a
    command substitution or an unterminated quote appears outside quotes."""
    out, i, state = [], 0, None
    while i < len(line):
        c = line[i]
        if state is None:
            if c == "\\":
                out.append(line[i:i + 2]); i += 2; continue
            if c == "$" and line[i + 1:i + 2] == "'":
                state = "ansi"; out.append("$'"); i += 2; continue
            if c == "$" and line[i + 1:i + 2] == "(" or c == "`":
                return None
            if c == "'":
                state = "single"
            elif c == '"':
                state = "double"
            elif c in ";|&<>":
                c = " "
            elif c == "#" and (i == 0 or line[i - 1] in " \t"):
                break
        elif state == "single" and c == "'":
            state = None
        elif state in ("double", "ansi") and c == "\\":
            out.append(line[i:i + 2]); i += 2; continue
        elif state == "double" and c == '"' or state == "ansi" and c == "'":
            state = None
        elif state == "double" and c in "$`":
            return None
        out.append(c)
        i += 1
    return None if state else "".join(out)


def bash_words(line):
    """The argv bash builds from a line's words, without running anything:
    the words (operators blanked) go to 'set --' in a restricted bash with
    no PATH and globbing off, then come back NUL-separated. None when the
    line has a construct this reader does not model (those lines are
    checked by bash -n alone)."""
    words = unquoted_ops_to_spaces(line)
    if words is None:
        return None
    script = "set -f; set -- " + words + "\nprintf '%s\\0' \"$@\"\n"
    r = subprocess.run([BASH, "--norc", "--noprofile", "-r", "-c", script],
                       capture_output=True, env={"PATH": ""}, timeout=10)
    if r.returncode:
        return None
    return r.stdout.decode("utf-8", "surrogateescape").split("\0")[:-1]


# Interface names may hold any byte but '/', ':', whitespace and NUL
# (dev_valid_name, net/core/dev.c).
HOSTILE_IFACE = ["$(id)", "`id`;x", "a'b", 'q"uote', "*?[glob]", "-leading", "$'x'",
                 "back\\slash", "a;b|c&d"]  # at most 15 bytes (IFNAMSIZ)


def rename_iface(root, name):
    """Renames eth0 (sysfs directory and /proc/net/dev line) to name."""
    d = os.path.join(root, "sys/class/net/eth0")
    if os.path.isdir(d):
        os.rename(d, os.path.join(root, "sys/class/net", name))
    dev = os.path.join(root, "proc/net/dev")
    if os.path.exists(dev):
        text = open(dev).read().replace(" eth0:", f" {name}:")
        open(dev, "w").write(text)
    return {name}


# (fixture, area, renamer, names): every finding of these prints the name
# in its fix or its subject.
CASES = [
    ("synthetic-memcg-v1-dead-child", "memcg", "cgroup", HOSTILE),
    ("synthetic-memcg-v2-host", "memcg", "cgroup", HOSTILE),
    ("synthetic-memcg-alinux-wmark", "memcg", "cgroup", HOSTILE),
    ("synthetic-net-drops", "net", "iface", HOSTILE_IFACE),
    ("synthetic-zones-jumbo", "zones", "iface", HOSTILE_IFACE),
]


def hostile(headroom):
    problems, lines_checked = [], 0
    seen = {kind: set() for _, _, kind, _ in CASES}
    for fx, area, kind, names in CASES:
        for name in names:
            tmp = tempfile.mkdtemp(prefix="hr-hostile-")
            try:
                root = os.path.join(tmp, "root")
                shutil.copytree(os.path.join("tests/fixtures", fx), root, symlinks=True)
                renamed = (rename_cgroups if kind == "cgroup" else rename_iface)(root, name)
                r = subprocess.run([headroom, "check", "--root", root, "--area", area,
                                    "--json"], capture_output=True, timeout=60)
                if r.returncode not in (0, 1, 2):
                    problems.append(f"{fx} [{name!r}]: exit {r.returncode}: "
                                    f"{r.stderr.decode(errors='replace').strip()}")
                    continue
                doc = json.loads(r.stdout.decode("utf-8", "surrogateescape"))
                for f in doc["findings"]:
                    if not f["fix"]:
                        continue
                    where = f"{fx} [{name!r}] {f['id']}"
                    problems += check_block(f["fix"], where)
                    for line in f["fix"].split("\n"):
                        m = COMMENTED.match(line)
                        if m:
                            line = m.group(1)  # checked like a command
                        elif line.startswith("#") or not line.strip():
                            continue
                        lines_checked += 1
                        words = bash_words(line)
                        if words is None:
                            if name in line:
                                problems.append(f"{where}: name outside quotes: {line!r}")
                            continue
                        for w in words:
                            # A word that holds the hostile name must be the name
                            # itself or a path whose components are renamed ones.
                            if name in w:
                                seen[kind].add(name)
                                if not (set(w.split("/")) & renamed):
                                    problems.append(f"{where}: word {w!r} is not a renamed "
                                                    f"{kind} or a path of one")
                            elif any(piece in w for piece in ("id)", "rm -rf", "uote", "glob")):
                                problems.append(f"{where}: name broke out of its quotes: "
                                                f"{w!r} in {line!r}")
            finally:
                shutil.rmtree(tmp)
    for kind, names in (("cgroup", HOSTILE), ("iface", HOSTILE_IFACE)):
        missing = set(names) - seen[kind]
        if missing:
            problems.append(f"hostile {kind} names never reached a fix line: {sorted(missing)!r}")
    return problems, lines_checked


def rename_cgroups(root, name):
    """Renames every cgroup directory below each hierarchy to name + index;
    returns the new basenames."""
    new = set()
    for base in ("sys/fs/cgroup/memory", "sys/fs/cgroup"):
        top = os.path.join(root, base)
        if not os.path.isdir(top):
            continue
        # deepest first, so a parent's rename does not move its children away
        dirs = []
        for d, subdirs, files in os.walk(top):
            if d != top and ("memory.stat" in files or "cgroup.procs" in files):
                dirs.append(d)
        for i, d in enumerate(sorted(dirs, key=lambda p: -p.count("/"))):
            nb = f"{name}{i}"
            os.rename(d, os.path.join(os.path.dirname(d), nb))
            new.add(nb)
        if dirs:
            break
    return new


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("goldens", "hostile"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    if sys.argv[1] == "goldens":
        problems, n = goldens(sys.argv[2:])
        what = f"{n} fix blocks"
    else:
        problems, n = hostile(sys.argv[2])
        what = f"{n} fix lines with hostile cgroup and interface names"
    for p in problems:
        print(p)
    print(f"fixcheck {sys.argv[1]}: {what}, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
