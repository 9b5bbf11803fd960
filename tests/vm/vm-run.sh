#!/usr/bin/env bash
# vm-run.sh - run a command inside a stock Debian kernel under qemu (TCG).
#
# usage: vm-run.sh [-t TIMEOUT_S] [-m MEM_MB] [-M module]... [-d DISK_MB]
#                  [-e NAME=VALUE]... [-k KERNEL] -- PAYLOAD_DIR COMMAND...
#
# Builds an uncompressed newc initramfs (static busybox, a generated /init,
# PAYLOAD_DIR as /payload, shared libraries of the payload's dynamic ELF
# files, the -M modules with their dependencies), boots it with qemu and
# exits with the guest command's status, 124 when the command ran longer than
# TIMEOUT_S, 125 when no status came back (panic, qemu error, init failure)
# or the harness itself failed. Guest console output goes to stdout.
#
# The host is left alone: nothing is mounted, no cgroup or sysctl is touched;
# the guest mounts its own cgroup2. Work files live in a temp dir removed on
# exit. Needs no root. See README.md for the guest environment.
set -Eeuo pipefail

prog=vm-run
# Any unexpected failure is a harness error: 125, never a code that could be
# mistaken for the guest command's status.
trap 'rc=$?; ((rc == 125)) || printf "%s: internal error (status %s) near line %s\n" "$prog" "$rc" "$LINENO" >&2; exit 125' ERR
cache=${HEADROOM_VM_CACHE:-/var/cache/headroom-vm}
timeout_s=300
mem_mb=1024
disk_mb=0
kernel=${HEADROOM_VM_KERNEL:-}
modules=()
envs=()

log() { printf '%s: %s\n' "$prog" "$*" >&2; }
# Harness failures exit 125, like "no status came back": callers treat any
# other code as the guest command's own status.
die() { log "$*"; exit 125; }

usage() {
	cat <<USAGE
usage: vm-run.sh [options] -- PAYLOAD_DIR COMMAND...
  -t TIMEOUT_S   guest command timeout in seconds (default $timeout_s); exit 124
  -m MEM_MB      guest memory (default $mem_mb)
  -d DISK_MB     attach an NVMe ext4 scratch disk, mounted at /mnt/scratch
  -M MODULE      load a kernel module (and its dependencies); repeatable
  -e NAME=VALUE  export a variable to the guest command; repeatable
  -k KERNEL      kernel image (default: \$HEADROOM_VM_KERNEL, else the newest
                 in \$HEADROOM_VM_CACHE, set up by vm-setup.sh)
COMMAND runs in the guest as "sh -c 'COMMAND...'" (arguments joined with
spaces, as ssh does) in /payload, as root, with stdin from /dev/null.
Exit: the command's status; 124 timeout; 125 no status or harness error.
USAGE
}

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

# uint_opt FLAG VALUE MIN: prints VALUE as a decimal (no octal surprise on a
# leading zero) or exits when it is not an integer >= MIN.
uint_opt() {
	if ! is_uint "$2" || ((${#2} > 9 || 10#$2 < $3)); then
		die "$1: need an integer >= $3: $2"
	fi
	printf '%d' "$((10#$2))"
}

while getopts t:m:M:d:e:k:h opt; do
	case $opt in
	t) timeout_s=$(uint_opt -t "$OPTARG" 1) ;;
	m) mem_mb=$(uint_opt -m "$OPTARG" 128) ;;
	d) disk_mb=$(uint_opt -d "$OPTARG" 16) ;;
	M) [[ $OPTARG =~ ^[A-Za-z0-9_-]+$ ]] || die "-M: bad module name: $OPTARG"
	   modules+=("$OPTARG") ;;
	e) [[ $OPTARG =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "-e: need NAME=VALUE: $OPTARG"
	   envs+=("$OPTARG") ;;
	k) kernel=$OPTARG ;;
	h) usage; exit 0 ;;
	*) usage >&2; exit 125 ;;
	esac
done
shift $((OPTIND - 1))
(($# >= 2)) || { usage >&2; exit 125; }
payload=$1
shift
[[ -d $payload ]] || die "payload is not a directory: $payload"
command_line="$*"

PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin
for c in qemu-system-x86_64 cpio ldd; do
	command -v "$c" >/dev/null || die "$c not found; run vm-setup.sh"
done
busybox=/bin/busybox
if [[ ! -x $busybox ]] || ldd "$busybox" >/dev/null 2>&1; then
	die "$busybox is missing or not static; run vm-setup.sh (busybox-static)"
fi

# Newest cached kernel that has its modules directory next to it.
if [[ -z $kernel ]]; then
	best=
	for k in "$cache"/kernels/*/boot/vmlinuz-*; do
		[[ -f $k ]] || continue
		best+="${k##*/vmlinuz-} $k"$'\n'
	done
	[[ -n $best ]] || die "no kernel in $cache/kernels; run vm-setup.sh"
	kernel=$(printf '%s' "$best" | sort -V -k1,1 | tail -n 1 | cut -d' ' -f2-)
fi
[[ -f $kernel && -r $kernel ]] || die "kernel not readable: $kernel"
kver=${kernel##*/vmlinuz-}
[[ $kver != "$kernel" ]] || die "kernel file must be named vmlinuz-VERSION: $kernel"
# KERNEL is ROOT/boot/vmlinuz-VER, modules in ROOT/lib/modules/VER (or usr/lib).
kroot=$(cd "$(dirname "$kernel")/.." && pwd)
kmoddir=
for d in "$kroot/lib/modules/$kver" "$kroot/usr/lib/modules/$kver"; do
	if [[ -d $d ]]; then
		kmoddir=$d
		break
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/headroom-vm.XXXXXX")
qemu_job=
sed_job=
# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
	# On a signal, stop qemu (timeout forwards TERM to it) and let the output
	# filter drain before the temp dir goes away.
	if [[ -n $qemu_job ]]; then
		kill -TERM "$qemu_job" 2>/dev/null || true
		wait "$qemu_job" 2>/dev/null || true
	elif [[ -n $sed_job ]]; then
		kill -TERM "$sed_job" 2>/dev/null || true
	fi
	if [[ -n $sed_job ]]; then
		wait "$sed_job" 2>/dev/null || true
	fi
	rm -rf "$tmp" || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

root=$tmp/root
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,root,mnt/scratch,payload,etc}
cp "$busybox" "$root/bin/busybox"

# Payload. cp -a keeps modes; cpio -R 0:0 makes it root-owned in the guest.
cp -a "$payload/." "$root/payload/"

# Shared libraries of dynamic ELF files in the payload, copied to the path
# ldd printed (the loader searches /lib/x86_64-linux-gnu without ld.so.cache).
# Libraries that resolve inside the payload itself ($ORIGIN rpath) are there.
payload_abs=$(cd "$payload" && pwd)
copy_lib() {
	local src=$1
	[[ -e $root$src ]] && return 0
	mkdir -p "$root$(dirname "$src")"
	cp -L "$src" "$root$src"
}
while IFS= read -r -d '' f; do
	[[ $(head -c 4 "$f" 2>/dev/null | od -An -c | tr -d ' ') == 177ELF ]] || continue
	libs=$(ldd "$f" 2>/dev/null) || continue   # static or not loadable: skip
	while read -r lib; do
		case $lib in "$payload_abs"/*) continue ;; esac
		copy_lib "$lib"
	done < <(printf '%s\n' "$libs" | grep -o '/[^ ]*' || true)
	if printf '%s\n' "$libs" | grep -q 'not found'; then
		log "warning: ${f#"$payload_abs"/}: $(printf '%s\n' "$libs" | grep 'not found' | tr -s ' \t' ' ' | paste -sd, -)"
	fi
done < <(find "$payload_abs" -type f -perm /111 -print0)

# Modules: resolve dependencies on the host from the kernel's modules.dep,
# copy the .ko files and build a depmod index for the guest's busybox
# modprobe, which the kernel's request_module() also uses.
guest_modules=()
if ((${#modules[@]})); then
	[[ -n $kmoddir ]] || die "-M given but no modules directory for $kver next to $kernel"
	[[ -f $kmoddir/modules.dep ]] || die "$kmoddir/modules.dep missing; run vm-setup.sh"
	for c in modprobe depmod; do
		command -v "$c" >/dev/null || die "$c not found; run vm-setup.sh (kmod)"
	done
	kbase=${kmoddir%/lib/modules/*}
	gmoddir=$root/lib/modules/$kver
	mkdir -p "$gmoddir"
	for m in "${modules[@]}"; do
		deps=$(modprobe -S "$kver" -d "$kbase" --show-depends "$m" 2>&1) ||
			die "module $m: $deps"
		while read -r kind path _; do
			case $kind in
			insmod)
				rel=${path#"$kmoddir"/}
				mkdir -p "$gmoddir/$(dirname "$rel")"
				cp "$path" "$gmoddir/$rel"
				;;
			esac
		done <<<"$deps"
		# A built-in module prints only "builtin NAME": nothing to load.
		if grep -q '^insmod ' <<<"$deps"; then
			guest_modules+=("$m")
		fi
	done
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		if [[ -f $kmoddir/$f ]]; then
			cp "$kmoddir/$f" "$gmoddir/"
		fi
	done
	depmod -b "$root" "$kver" 2>/dev/null || depmod -b "$root" "$kver"
fi

# Quote for a POSIX shell: 'it'\''s'.
shq() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

{
	printf '# generated by vm-run.sh\n'
	printf 'timeout_s=%s\n' "$timeout_s"
	printf 'disk=%s\n' "$((disk_mb > 0 ? 1 : 0))"
	printf 'modules=%s\n' "$(shq "${guest_modules[*]}")"
	for e in "${envs[@]}"; do
		printf 'export %s=%s\n' "${e%%=*}" "$(shq "${e#*=}")"
	done
} >"$root/etc/vm.conf"
printf '%s\n' "$command_line" >"$root/etc/vm-command"

# The guest's PID 1. Writes "exit N" or "timeout" to ttyS1, which is a host
# file that the command's output cannot reach, then powers off. On an init
# failure nothing is written and the host reports 125.
cat >"$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb HEADROOM_VM=1

fail() {
	echo "vm-init: $*; powering off without a status" >&2
	poweroff -f
	exec sleep 1000000
}

mount -t devtmpfs devtmpfs /dev || fail "mount devtmpfs"
exec </dev/null >/dev/console 2>&1
mount -t proc proc /proc || fail "mount proc"
mount -t sysfs sysfs /sys || fail "mount sysfs"
mount -t tmpfs -o mode=1777 tmpfs /tmp || fail "mount /tmp"
mount -t tmpfs -o mode=755 tmpfs /run || fail "mount /run"
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
. /etc/vm.conf

mount -t cgroup2 -o nsdelegate,memory_recursiveprot cgroup2 /sys/fs/cgroup ||
	fail "mount cgroup2"
echo +memory >/sys/fs/cgroup/cgroup.subtree_control || fail "enable +memory"
ip link set lo up || fail "lo up"

for m in $modules; do
	modprobe "$m" || fail "modprobe $m"
done

if [ "$disk" = 1 ]; then
	# NVMe probing is asynchronous; the namespace shows up shortly after init.
	i=0
	while [ ! -b /dev/nvme0n1 ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	mount -t ext4 -o noinit_itable /dev/nvme0n1 /mnt/scratch ||
		fail "mount /dev/nvme0n1 on /mnt/scratch"
fi

# The first caller reports; a later one (command vs. watchdog race) waits
# for the power-off. stty sets the console with TCSADRAIN, which waits until
# all console output has left, so the host has it before the status.
report() {
	mkdir /run/vm-reported 2>/dev/null || exec sleep 1000000
	stty -F /dev/console onlcr 2>/dev/null
	echo "$1" >/dev/ttyS1
	poweroff -f
	exec sleep 1000000
}

cd /payload || fail "cd /payload"
sh -c "$(cat /etc/vm-command)" </dev/null &
cmd_pid=$!
(
	sleep "$timeout_s"
	echo "vm-init: command timed out after ${timeout_s}s" >&2
	report timeout
) &
wait "$cmd_pid"
report "exit $?"
INIT
chmod 0755 "$root/init"

# /dev/console must exist before /init runs (the kernel opens it for init's
# stdio, and devtmpfs is not mounted yet); cpio can only archive a real
# device node, so this piece is written by hand. The kernel unpacks
# concatenated newc archives in order.
newc_entry() { # name mode(octal) rdevmajor rdevminor
	local name=$1 mode=$2 hdr pad
	hdr=$(printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		0 "$((8#$mode))" 0 0 1 0 0 0 0 "$3" "$4" "$((${#name} + 1))" 0)
	printf '%s%s\0' "$hdr" "$name"
	pad=$(((4 - (110 + ${#name} + 1) % 4) % 4))
	((pad)) && printf '%*s' "$pad" '' | tr ' ' '\0'
	return 0
}
initrd=$tmp/initrd.cpio
{
	newc_entry dev 40755 0 0
	newc_entry dev/console 20600 5 1
	newc_entry 'TRAILER!!!' 0 0 0
} >"$initrd"
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --quiet) >>"$initrd" || die "cpio failed"

# shellcheck disable=SC2054  # the commas are qemu option syntax
qemu_args=(
	-accel tcg,thread=multi -cpu max -m "$mem_mb" -smp 2
	-nodefaults -display none -no-reboot
	-kernel "$kernel" -initrd "$initrd"
	-append "console=ttyS0 panic=-1 quiet cryptomgr.notests"
	-chardev stdio,id=con -serial chardev:con
	-serial "file:$tmp/status"
)
if ((disk_mb > 0)); then
	command -v mkfs.ext4 >/dev/null || die "mkfs.ext4 not found; run vm-setup.sh (e2fsprogs)"
	truncate -s "${disk_mb}M" "$tmp/disk.img"
	# lazy init on the host plus noinit_itable in the guest: no background
	# zeroing I/O in the guest.
	mkfs.ext4 -q -F -E lazy_itable_init=1,lazy_journal_init=1 "$tmp/disk.img" ||
		die "mkfs.ext4 failed"
	# shellcheck disable=SC2054
	qemu_args+=(
		-drive "file=$tmp/disk.img,if=none,id=scratch,format=raw,cache=unsafe"
		-device nvme,drive=scratch,serial=headroom-scratch
	)
fi

# Host watchdog in case the guest never reports (hung boot, slow host): the
# guest enforces TIMEOUT_S itself, this only bounds qemu.
host_timeout=$((timeout_s + 120))
# Both jobs are children of this shell, so the traps can stop and reap them.
mkfifo "$tmp/console"
sed -u -e 's/\r//g' -e '/^\(\[ *[0-9.]*\] \)\{0,1\}reboot: Power down$/d' \
	<"$tmp/console" &
sed_job=$!
timeout -k 10 "$host_timeout" qemu-system-x86_64 "${qemu_args[@]}" \
	</dev/null >"$tmp/console" &
qemu_job=$!
qemu_rc=0
wait "$qemu_job" || qemu_rc=$?
qemu_job=
wait "$sed_job" || true
sed_job=

status=$(tr -d '\r' 2>/dev/null <"$tmp/status" | sed -n '1p' || true)
case $status in
"exit "*)
	rc=${status#exit }
	if ! is_uint "$rc" || ((${#rc} > 3 || 10#$rc > 255)); then
		die "malformed status from guest: $status"
	fi
	exit "$((10#$rc))"
	;;
timeout)
	exit 124
	;;
esac
if [[ $qemu_rc == 124 ]]; then
	log "no status from guest; qemu killed after ${host_timeout}s"
else
	log "no status from guest (qemu exit status $qemu_rc)"
fi
exit 125
