#!/usr/bin/env bash
# cli_usage.sh - what every subcommand shares: --version (the build's
# version), `headroom help CMD` = `headroom CMD --help`, and usage errors whose
# first stderr line is "headroom: CMD: ..." with exit 4. No root needed.
set -uo pipefail
cd "$(dirname "$0")/../.."
HR=${HEADROOM_ASAN:-${HEADROOM:-$PWD/headroom}}
[ -x "$HR" ] || { echo "no headroom binary at $HR (make first)"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
want=$("$HR" --version) || fail "headroom --version failed"
[[ $want =~ ^headroom\ [0-9]+\.[0-9]+\.[0-9]+ ]] || fail "--version prints '$want'"
# The VERSION file is the base of every build's version.
[[ $want == "headroom $(cat VERSION)"* ]] || fail "'$want' does not start with VERSION $(cat VERSION)"
cmds=$("$HR" --help | awk '/^commands:/{on=1; next} on && /^  [a-z]/{print $1} on && /^$/{exit}')
[ "$(wc -w <<<"$cmds")" -ge 5 ] || fail "commands not listed by --help: $cmds"
for c in $cmds; do
	got=$("$HR" "$c" --version) || fail "$c --version exit $?"
	[ "$got" = "$want" ] || fail "$c --version: '$got' (want '$want')"
	a=$("$HR" help "$c") || fail "help $c exit $?"
	b=$("$HR" "$c" --help) || fail "$c --help exit $?"
	[ "$a" = "$b" ] && [ -n "$a" ] || fail "help $c differs from $c --help"
	err=$("$HR" "$c" --no-such-option 2>&1 >/dev/null); rc=$?
	[ $rc -eq 4 ] || fail "$c --no-such-option: exit $rc (want 4)"
	[[ $(head -1 <<<"$err") == "headroom: $c: "* ]] || fail "$c: first error line '$(head -1 <<<"$err")'"
	# Note (not a failure): more than one line means the whole help follows.
	n=$(wc -l <<<"$err")
	[ "$n" -eq 2 ] || fail "$c prints $n stderr lines on a bad option (want the error and a one-line hint)"
done
err=$("$HR" help nope 2>&1); [ $? -eq 4 ] && [[ $err == "headroom: help: "* ]] || fail "help nope: '$err'"
err=$("$HR" nope 2>&1); [ $? -eq 4 ] && [[ $err == "headroom: unknown command 'nope'"* ]] || fail "nope: '$err'"
echo "note: $(wc -w <<<"$cmds") commands: $(tr '\n' ' ' <<<"$cmds")"
