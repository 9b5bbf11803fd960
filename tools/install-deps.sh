#!/usr/bin/env bash
# Installs the Debian packages headroom's build and tests need, when they are
# missing. Root only; as non-root it lists what is missing and exits 1.
# Usage: tools/install-deps.sh [build|test|vm]   (default: test)
# `test` also sets up the cgroup v2 test VM (qemu packages and Debian's cloud
# kernel unpacked into a cache, never installed: tests/vm/vm-setup.sh; it also
# fetches that kernel's headers for the test module, tests/vm/kheaders-setup.sh).
set -euo pipefail
what=${1:-test}
pkgs=(gcc make pkg-config libinih-dev libnetfilter-conntrack-dev)
case "$what" in
build) ;;
test) pkgs+=(gcc-12 clang libclang-rt-14-dev libcmocka-dev iproute2 python3 python3-jsonschema nftables time bc
	debhelper dpkg-dev lintian tzdata prometheus prometheus-node-exporter python3-yaml) ;;
vm) pkgs+=(qemu-system-x86 busybox-static cpio kmod e2fsprogs) ;;
*) echo "usage: $0 [build|test|vm]" >&2; exit 2 ;;
esac
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "headroom: missing Debian packages: ${missing[*]}; run as root: apt-get install ${missing[*]}" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null || apt-get update
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ "$what" = test ] && [ "$(id -u)" -eq 0 ]; then
	# The VM tests skip (with the reason) when this fails; the rest still runs.
	"$(dirname "$0")/../tests/vm/vm-setup.sh" >/dev/null ||
		echo "headroom: cgroup v2 test VM not set up; those tests will be skipped" >&2
	# Debian 11's 5.10 kernel for the network proof (tests/integration/net_proof_vm.sh):
	# softirq socket charges fail at memory.max there (doc/kernel-facts.md A.1).
	"$(dirname "$0")/../tests/vm/vm-setup.sh" -s bullseye >/dev/null ||
		echo "headroom: 5.10 guest kernel not set up; the 5.10 part of the network proof will be skipped" >&2
fi
