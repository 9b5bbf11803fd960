#!/usr/bin/env bash
# deb_package.sh - the Debian package: built with `dpkg-buildpackage -us -uc
# -b` in a scratch copy of the tree (nothing is written into the tree but
# build/lintian.txt), checked by lintian (no error or warning; overrides
# carry their reason in debian/headroom.lintian-overrides and are listed
# in the report), unpacked with
# dpkg-deb -x into a scratch root whose binary is then run. Also checks the
# conffiles, the unit (systemd-analyze verify) and its enabling by
# dh_installsystemd. No root needed.
set -uo pipefail
cd "$(dirname "$0")/../.."
skip() { echo "$*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
for t in dpkg-buildpackage dh lintian dpkg-deb; do
	command -v $t >/dev/null || skip "$t missing (tools/install-deps.sh test installs it)"
done
TOP=$PWD
WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/hr-deb-XXXXXX")
trap '[ "$BASHPID" = "$$" ] && rm -rf "$WORK"' EXIT
# The tree as a release tarball has it: tracked and new files, no .git and
# no build products (the version then comes from VERSION).
mkdir "$WORK/headroom"
if [ -e .git ]; then
	git ls-files -z -co --exclude-standard | tar -c --null -T - -f - | tar -x -C "$WORK/headroom" -f -
else
	tar -c --exclude=./build --exclude=./headroom -f - . | tar -x -C "$WORK/headroom" -f -
fi
[ ! -e "$WORK/headroom/.git" ] && [ ! -e "$WORK/headroom/build" ] || fail "scratch copy has .git or build/"
(cd "$WORK/headroom" && dpkg-buildpackage -us -uc -b) >"$WORK/build.log" 2>&1 ||
	{ tail -40 "$WORK/build.log"; fail "dpkg-buildpackage failed"; }
# WERROR=0 there: a warning does not fail the package, but it is shown.
nwarn=$(grep -c 'warning:' "$WORK/build.log")
[ "$nwarn" -eq 0 ] || { grep 'warning:' "$WORK/build.log" | head; echo "note: $nwarn warnings in the package build"; }
ver=$(cat VERSION)
deb=$(ls "$WORK"/headroom_"$ver"_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { ls "$WORK"; fail "no headroom_${ver}_*.deb (debian/changelog version must be VERSION)"; }
changes=$(ls "$WORK"/headroom_"$ver"_*.changes | head -1)
# Lintian: the full report kept for review; errors and warnings fail.
mkdir -p build
lintian --info --show-overrides --display-level '>=pedantic' --fail-on error,warning "$changes" >build/lintian.txt 2>&1; lrc=$?
cat build/lintian.txt
[ $lrc -eq 0 ] || fail "lintian: errors or warnings (build/lintian.txt)"
# Unpacked into a scratch root: the packaged binary runs.
R=$WORK/root
dpkg-deb -x "$deb" "$R" || fail "dpkg-deb -x"
HR=$R/usr/sbin/headroom
[ -x "$HR" ] || fail "no /usr/sbin/headroom in the package"
v=$("$HR" --version) || fail "packaged headroom --version failed"
[ "$v" = "headroom $ver" ] || fail "packaged --version: '$v' (want 'headroom $ver' from VERSION: no .git there)"
out=$("$HR" check --root tests/fixtures/6.18.44-vm-x86_64 --json); rc=$?
[ $rc -le 2 ] || fail "packaged check --root exit $rc"
python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["version"]' <<<"$out" || fail "packaged check --json is not JSON"
"$HR" run --check-config -c "$R/etc/headroom/headroom.conf" >/dev/null || fail "the packaged config does not pass --check-config"
readelf -d "$HR" | grep -q 'BIND_NOW' || fail "packaged binary not linked with -z now"
readelf -lW "$HR" | grep -q 'GNU_RELRO' || fail "packaged binary without RELRO"
# What an administrator gets.
dpkg-deb -e "$deb" "$WORK/ctl" || fail "dpkg-deb -e"
for f in /etc/headroom/headroom.conf /etc/default/headroom; do
	grep -qx "$f" "$WORK/ctl/conffiles" || fail "$f is not a conffile"
done
unit=$R/lib/systemd/system/headroom.service
[ -f "$unit" ] || fail "no unit in /lib/systemd/system"
grep -q '^ExecStart=/usr/sbin/headroom run -c ${HEADROOM_CONFIG}' "$unit" || fail "unit ExecStart: $(grep ExecStart "$unit")"
grep -q '^EnvironmentFile=-/etc/default/headroom' "$unit" || fail "unit does not read /etc/default/headroom"
grep -q 'deb-systemd-helper' "$WORK/ctl/postinst" || fail "postinst does not enable the unit (dh_installsystemd)"
for m in headroom.8 headroom-check.8 headroom-explain.8 headroom-run.8 headroom-status.8 \
	 headroom-snapshot.8 headroom.conf.5; do
	s=${m##*.}
	[ -f "$R/usr/share/man/man$s/$m.gz" ] || fail "no man page $m"
done
[ -f "$R/usr/share/bash-completion/completions/headroom" ] || fail "no bash completion"
if command -v systemd-analyze >/dev/null; then
	# The unit as installed, with the scratch root's binary (man pages are
	# not installed on this machine: --man=no).
	sed "s|/usr/sbin/headroom|$HR|g" "$unit" >"$WORK/headroom.service"
	systemd-analyze verify --man=no "$WORK/headroom.service" >"$WORK/verify.log" 2>&1 ||
		{ cat "$WORK/verify.log"; fail "systemd-analyze verify"; }
	[ -s "$WORK/verify.log" ] && { cat "$WORK/verify.log"; fail "systemd-analyze verify printed warnings"; }
fi
echo "measured: $(basename "$deb") $(stat -c %s "$deb") bytes, $(dpkg-deb -c "$deb" | wc -l) entries; lintian: $(grep -c . build/lintian.txt) lines"
