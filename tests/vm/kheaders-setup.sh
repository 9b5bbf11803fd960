#!/usr/bin/env bash
# kheaders-setup.sh - fetch the build tree for out-of-tree modules of a cached
# guest kernel (tests/vm/vm-setup.sh), for the test module tests/vm/kmod/.
#
#   kheaders-setup.sh [VER]     VER: a kernel in the cache (default: the newest)
#
# Downloads (apt-get download, never installed) linux-headers-VER,
# linux-headers-VER-common (VER without the flavour) and linux-kbuild-X.Y, all
# at EXACTLY the version of the cached linux-image-VER package, and unpacks
# them with dpkg-deb -x into
#
#   ${HEADROOM_VM_CACHE:-/var/cache/headroom-vm}/kernels/VER/headers/
#
# The flavour's Makefile includes /usr/src/linux-headers-VER-common/Makefile by
# absolute path; the unpacked copy is edited to include its sibling instead, so
# nothing is needed under /usr/src. Build a module with
#   make -C "$(kheaders-setup.sh)" M=DIR modules   (needs make and gcc-12)
# Prints that directory (the flavour's headers) as the only stdout line.
# Idempotent (a .complete marker, a flock, unpacked into a temp dir and
# renamed). The host's apt configuration and lists are not changed; it uses
# the host's package lists (`apt-get update` only as root when the exact
# version is not found). Kernels of a private suite (vm-setup.sh -s) are not
# handled. Exit 1 with the reason on stderr when the packages are unavailable.
set -euo pipefail
prog=kheaders-setup
export DEBIAN_FRONTEND=noninteractive
cache=${HEADROOM_VM_CACHE:-/var/cache/headroom-vm}
flavour=${HEADROOM_VM_FLAVOUR:-cloud-amd64}
log() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { log "$*"; exit 1; }

ver=${1:-}
if [[ -z $ver ]]; then
	ver=$(for d in "$cache"/kernels/*/.complete; do [[ -f $d ]] && basename "${d%/.complete}"; done |
		grep -- "-$flavour\$" | sort -V | tail -n 1 || true)
	[[ -n $ver ]] || die "no cached $flavour kernel (run tests/vm/vm-setup.sh)"
fi
[[ $ver =~ ^[0-9][0-9a-z.+~-]*-$flavour$ ]] || die "bad kernel version '$ver'"
kdir=$cache/kernels/$ver
[[ -f $kdir/.complete ]] || die "kernel $ver is not in the cache (run tests/vm/vm-setup.sh)"
dest=$kdir/headers
hdr=$dest/usr/src/linux-headers-$ver
if [[ -f $dest/.complete ]]; then
	printf '%s\n' "$hdr"
	exit 0
fi

# The image's exact package version: recorded by vm-setup.sh (.version), else
# the signed package's changelog ("Sign kernel from linux 6.1.192-3").
pv=
[[ ! -f $kdir/.version ]] || pv=$(cat "$kdir/.version")
if [[ -z $pv ]]; then
	cl=$kdir/usr/share/doc/linux-image-$ver/changelog.gz
	[[ ! -f $cl ]] || pv=$(zcat "$cl" | sed -n '1,10s/.*Sign kernel from linux \([0-9][^ ]*\).*/\1/p' | head -n 1)
fi
[[ -n $pv ]] || die "cannot tell the package version of linux-image-$ver (no .version, no changelog)"
abi=${ver%-"$flavour"}			# 6.1.0-57
kb=$(sed 's/^\([0-9]*\.[0-9]*\).*/\1/' <<<"$ver")	# 6.1
pkgs=("linux-headers-$ver=$pv" "linux-headers-$abi-common=$pv" "linux-kbuild-$kb=$pv")

exec 9>"$cache/.lock-headers"
flock 9
[[ ! -f $dest/.complete ]] || { printf '%s\n' "$hdr"; exit 0; }
tmp=$(mktemp -d "$kdir/.headers.XXXXXX")
apt_log=$tmp/apt.log
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/dl"
chmod 0755 "$tmp" "$tmp/dl"
if id _apt >/dev/null 2>&1 && [[ $(id -u) == 0 ]]; then
	chown _apt "$tmp/dl"
fi
log "downloading ${pkgs[*]}"
if ! (cd "$tmp/dl" && apt-get download "${pkgs[@]}" >"$apt_log" 2>&1); then
	[[ $(id -u) == 0 ]] || { cat "$apt_log" >&2; die "apt-get download failed (run as root to update the lists)"; }
	apt-get update >"$apt_log" 2>&1 || { cat "$apt_log" >&2; die "apt-get update failed"; }
	(cd "$tmp/dl" && apt-get download "${pkgs[@]}" >"$apt_log" 2>&1) ||
		{ cat "$apt_log" >&2; die "the headers of $ver at version $pv are not in the archive"; }
fi
mkdir "$tmp/root"
for deb in "$tmp"/dl/*.deb; do
	dpkg-deb -x "$deb" "$tmp/root"
done
mk=$tmp/root/usr/src/linux-headers-$ver/Makefile
[[ -f $mk ]] || die "linux-headers-$ver has no Makefile"
[[ -f $tmp/root/usr/src/linux-headers-$ver/Module.symvers ]] || die "linux-headers-$ver has no Module.symvers"
grep -q "^include /usr/src/linux-headers-$abi-common/Makefile" "$mk" ||
	die "unexpected $mk: $(head -c 200 "$mk")"
sed -i "s|^include /usr/src/|include $dest/usr/src/|" "$mk"
printf '%s\n' "$pv" >"$tmp/root/.version"
touch "$tmp/root/.complete"
rm -rf "$dest"
mv "$tmp/root" "$dest"
log "unpacked the headers of $ver ($pv) into $dest"
printf '%s\n' "$hdr"
