#!/usr/bin/env bash
# vm-setup.sh - install what vm-run.sh needs and cache a Debian cloud kernel.
#
# Idempotent. Installs (apt-get, needs root only when something is missing)
# qemu-system-x86 busybox-static cpio kmod e2fsprogs, then downloads the
# newest linux-image-*-cloud-amd64 package WITHOUT installing it and unpacks
# it with dpkg-deb -x into the cache directory:
#
#   ${HEADROOM_VM_CACHE:-/var/cache/headroom-vm}/kernels/VER/boot/vmlinuz-VER
#   ${HEADROOM_VM_CACHE:-/var/cache/headroom-vm}/kernels/VER/lib/modules/VER/
#
# Nothing else on the host changes: the apt packages, that directory, and
# `apt-get update` when the package lists lack a candidate. Prints the kernel
# path as the only line on stdout; progress goes to stderr.
#
# Installing linux-image-cloud-amd64 instead would pull in initramfs-tools and
# udev, upgrade systemd and write /boot (see VMTEST.md), hence the download.
#
# -s SUITE fetches the kernel of another Debian release (bullseye: 5.10) through
# a private apt configuration under $cache/apt-SUITE/ (its own sources list,
# package lists and archives, signed-by Debian's archive keyring). The mirror
# URIs are the host's own (from /etc/apt), so no host name is written here; the
# host's apt configuration and lists are never changed.
set -euo pipefail

prog=vm-setup
export DEBIAN_FRONTEND=noninteractive
cache=${HEADROOM_VM_CACHE:-/var/cache/headroom-vm}
flavour=${HEADROOM_VM_FLAVOUR:-cloud-amd64}

log() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { log "$*"; exit 1; }

usage() {
	cat <<USAGE
usage: vm-setup.sh [-h] [-s SUITE]
Installs qemu-system-x86 busybox-static cpio kmod e2fsprogs and unpacks the
newest linux-image-*-$flavour (not installed) into $cache/kernels/.
-s SUITE takes the kernel from another Debian suite (e.g. bullseye for 5.10)
through a private apt configuration in $cache/apt-SUITE (host apt untouched).
Prints the kernel path. Environment: HEADROOM_VM_CACHE (cache directory),
HEADROOM_VM_FLAVOUR (default cloud-amd64; the generic "amd64" kernel has NVMe
and ext4 as modules, so vm-run.sh -d would need -M nvme -M ext4).
USAGE
}

suite=
while getopts hs: opt; do
	case $opt in
	h) usage; exit 0 ;;
	s) [[ $OPTARG =~ ^[a-z]+$ ]] || { usage >&2; exit 2; }; suite=$OPTARG ;;
	*) usage >&2; exit 2 ;;
	esac
done

# Looks in sbin too: mkfs.ext4 and depmod live in /sbin, which is not on a
# normal user's PATH.
have() {
	PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin command -v "$1" >/dev/null 2>&1
}

# apt's progress output goes to a log that is shown only when apt fails.
apt_log=$(mktemp "${TMPDIR:-/tmp}/vm-setup-apt.XXXXXX")
tmp=
trap 'rm -rf "$apt_log" ${tmp:+"$tmp"}' EXIT
apt_quiet() {
	if ! "$@" >"$apt_log" 2>&1; then
		cat "$apt_log" >&2
		die "failed: $*"
	fi
}

# The kernel's apt: the host's, or with -s a private one (sources, lists and
# archives under $cache/apt-SUITE; status and keyrings read-only from the host).
kapt_opts=()
if [[ -n $suite ]]; then
	adir=$cache/apt-$suite
	# Mirror URIs from the host's own sources: the first Debian archive and the
	# first security archive it lists (deb822 or one-line format).
	host_uris=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | sed -n 's/^URIs: *//p'
		grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}' || true)
	main_uri=$(grep -v -- '-security' <<<"$host_uris" | grep -m1 '/debian/*$' || true)
	sec_uri=$(grep -m1 -- 'debian-security/*$' <<<"$host_uris" || true)
	[[ -n $main_uri ]] || die "-s $suite: no Debian archive URI in the host's apt sources"
	mkdir -p "$adir/lists/partial" "$adir/archives/partial"
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	{
		echo "deb [signed-by=$keyring] $main_uri $suite main"
		[[ -z $sec_uri ]] || echo "deb [signed-by=$keyring] $sec_uri $suite-security main"
	} >"$adir/sources.list"
	if id _apt >/dev/null 2>&1 && [[ $(id -u) == 0 ]]; then
		chown -R _apt "$adir/lists" "$adir/archives"
	fi
	kapt_opts=(-o "Dir::Etc::SourceList=$adir/sources.list" -o "Dir::Etc::SourceParts=$adir/none"
		-o "Dir::State::Lists=$adir/lists" -o "Dir::Cache=$adir" -o "Dir::Cache::Archives=$adir/archives"
		-o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache=")
fi
kapt_get() { apt-get "${kapt_opts[@]}" "$@"; }
kapt_cache() { apt-cache "${kapt_opts[@]}" "$@"; }

lists_updated=0
apt_update_once() {
	if [[ $lists_updated == 0 ]]; then
		log "apt-get update${suite:+ (private lists for $suite)}"
		apt_quiet kapt_get update
		lists_updated=1
	fi
}
# Host packages (qemu and friends) always come from the host's own apt.
host_lists_updated=0
host_update_once() {
	if [[ $host_lists_updated == 0 ]]; then
		log "apt-get update"
		apt_quiet apt-get update
		host_lists_updated=1
	fi
}

# apt-cache policy prints "Candidate: (none)" for packages the lists lack.
has_candidate() {
	local c
	c=$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p')
	[[ -n $c && $c != "(none)" ]]
}

missing=()
have qemu-system-x86_64 || missing+=(qemu-system-x86)
# The busybox package also provides /bin/busybox, dynamically linked;
# vm-run.sh needs the static one (busybox-static replaces it).
if [[ ! -x /bin/busybox ]] || ldd /bin/busybox >/dev/null 2>&1; then
	missing+=(busybox-static)
fi
have cpio || missing+=(cpio)
if ! have depmod || ! have modprobe; then
	missing+=(kmod)
fi
have mkfs.ext4 || missing+=(e2fsprogs)

if ((${#missing[@]})); then
	[[ $(id -u) == 0 ]] || die "missing packages: ${missing[*]}; run as root to install them"
	for p in "${missing[@]}"; do
		has_candidate "$p" || host_update_once
	done
	log "installing ${missing[*]}"
	apt_quiet apt-get install -y --no-install-recommends "${missing[@]}"
fi

# The ABI name (6.1.0-56) changes with every Debian kernel security update,
# so resolve it from the meta package rather than hardcode it.
resolve_kernel_pkg() {
	kapt_cache depends "linux-image-$flavour" 2>/dev/null |
		grep -o "linux-image-[0-9][^ <>]*-$flavour" | sort -V | tail -n 1
}

pkg=$(resolve_kernel_pkg || true)
if [[ -n $suite && ! -f $adir/.updated ]] || { [[ -z $pkg ]] && [[ $(id -u) == 0 ]]; }; then
	apt_update_once
	[[ -z $suite ]] || touch "$adir/.updated"
	pkg=$(resolve_kernel_pkg || true)
fi

find_cached_kernel() {
	# Newest cached kernel that has its modules directory next to it.
	local k ver best=
	for k in "$cache"/kernels/*/boot/vmlinuz-*; do
		[[ -f $k ]] || continue
		ver=${k##*/vmlinuz-}
		[[ -d ${k%/boot/*}/lib/modules/$ver || -d ${k%/boot/*}/usr/lib/modules/$ver ]] || continue
		best+="$ver $k"$'\n'
	done
	[[ -n $best ]] || return 1
	printf '%s' "$best" | sort -V -k1,1 | tail -n 1 | cut -d' ' -f2-
}

if [[ -z $pkg ]]; then
	# No package lists (offline, not root): fall back to what is cached.
	if [[ -n $suite ]]; then
		if [[ -f $adir/kernel ]] && k=$(cat "$adir/kernel") && [[ -f $k ]]; then
			printf '%s\n' "$k"
			exit 0
		fi
	elif k=$(find_cached_kernel); then
		log "cannot resolve linux-image-$flavour; using cached $k"
		printf '%s\n' "$k"
		exit 0
	fi
	die "cannot resolve linux-image-$flavour from apt (run as root for apt-get update)"
fi

ver=${pkg#linux-image-}
dest=$cache/kernels/$ver
kernel=$dest/boot/vmlinuz-$ver

# The module build tree of this kernel for tests/vm/kmod (the guard proof);
# without it those tests skip, the rest does not care.
headers_for() {
	[[ -z $suite ]] || return 0
	"$(dirname "$0")/kheaders-setup.sh" "$1" >/dev/null ||
		log "no headers for $1: tests that build tests/vm/kmod will skip"
}

if [[ -f $dest/.complete ]]; then
	headers_for "$ver"
	printf '%s\n' "$kernel"
	exit 0
fi

mkdir -p "$cache/kernels"
# Serialize concurrent setups on the same cache; the winner unpacks, the
# others find .complete below.
exec 9>"$cache/.lock"
flock 9

if [[ ! -f $dest/.complete ]]; then
	tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
	log "downloading $pkg"
	# apt downloads as user _apt; let it write into the temp dir.
	chmod 0755 "$tmp"
	if id _apt >/dev/null 2>&1 && [[ $(id -u) == 0 ]]; then
		chown _apt "$tmp"
	fi
	# Stale package lists name a .deb the mirror no longer has: update, retry.
	if ! (cd "$tmp" && kapt_get download "$pkg" >"$apt_log" 2>&1); then
		[[ $(id -u) == 0 && $lists_updated == 0 ]] || { cat "$apt_log" >&2; die "apt-get download $pkg failed"; }
		apt_update_once
		pkg=$(resolve_kernel_pkg)
		ver=${pkg#linux-image-}
		dest=$cache/kernels/$ver
		kernel=$dest/boot/vmlinuz-$ver
		(cd "$tmp" && apt_quiet kapt_get download "$pkg")
	fi
	debs=("$tmp"/*.deb)
	[[ -f ${debs[0]} ]] || die "apt-get download $pkg produced no .deb"
	mkdir "$tmp/root"
	dpkg-deb -x "${debs[0]}" "$tmp/root"
	# The .deb has no modules.dep (postinst runs depmod); vm-run.sh needs it to
	# resolve -M dependencies with modprobe --show-depends.
	moddir=lib/modules/$ver
	[[ -d $tmp/root/$moddir ]] || moddir=usr/lib/modules/$ver
	[[ -d $tmp/root/$moddir ]] || die "$pkg has no modules directory"
	[[ -f $tmp/root/boot/vmlinuz-$ver ]] || die "$pkg has no boot/vmlinuz-$ver"
	PATH=$PATH:/usr/sbin:/sbin depmod -b "$tmp/root${moddir%%lib/modules/*}" "$ver"
	# The exact package version, for kheaders-setup.sh (headers of this build).
	dpkg-deb -f "${debs[0]}" Version >"$tmp/root/.version"
	rm -f "${debs[@]}"
	touch "$tmp/root/.complete"
	rm -rf "$dest"
	mv "$tmp/root" "$dest"
	log "unpacked $pkg into $dest"
fi

[[ -z $suite ]] || printf '%s\n' "$kernel" >"$adir/kernel"
headers_for "$ver"
printf '%s\n' "$kernel"
