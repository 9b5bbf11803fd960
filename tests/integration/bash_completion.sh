#!/usr/bin/env bash
# bash_completion.sh - dist/bash-completion/headroom completes subcommands,
# options (from the binary's --help) and area names (from check
# --list-areas), also after a comma and in --area=NAME. No root needed.
set -uo pipefail
export LC_ALL=C
cd "$(dirname "$0")/../.."
HR=${HEADROOM:-$PWD/headroom}
[ -x "$HR" ] || { echo "no headroom binary at $HR (make first)"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
# complete WORD... : the completions for the last word, sorted, one line.
complete_words() {
	bash -c 'source dist/bash-completion/headroom
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _headroom
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' _ "$HR" "$@"
}
expect() {
	local want=$1; shift
	local got; got=$(complete_words "$@")
	[ "$got" = "$want" ] || fail "completing '$*': got '$got', want '$want'"
}
expect "--help --version -V -h cache check explain help run snapshot status " ""
expect "check " ch
expect "--area " check --ar
expect "net netloss netswap " check --area ne
expect "memcg,conntrack " check --area memcg,con
expect "zones " check --area = zo
expect "run " help ru
expect "--cgroup-root --check-config --config " run --c
expect "--dry-run " run --dr
expect "--run-dir " status --r
expect "--recharge " cache --rec
expect "--expect " cache --exp
got=$(complete_words check --)
for o in --json --interval --list-areas --version --help; do
	[[ " $got " == *" $o "* ]] || fail "check -- lacks $o: $got"
done
# Every area the binary lists is offered.
all=$(complete_words check --area "")
for a in $("$HR" check --list-areas | awk '{print $1}'); do
	[[ " $all " == *" $a "* ]] || fail "area $a not offered: $all"
done
echo "note: completion offers $(wc -w <<<"$all") areas and $(wc -w <<<"$got") check options"
