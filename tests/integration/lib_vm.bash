# lib_vm.bash - shared scaffolding of the integration tests that boot a qemu
# guest (tests/vm/vm-run.sh; sourced from the repository top). Defines skip
# and fail (exit 77 / 1), checks the binary, qemu and a cached guest kernel,
# and makes $work with an empty $work/payload (removed on exit). Set
# HEADROOM first if the binary is not ./headroom.
#   vm_boot DISK_MB MEM_MB TIMEOUT_S GUEST_SCRIPT  runs the guest script as
#       ./guest.sh in the payload, output in $work/out; fails or skips on a
#       bad status.
#       tests/vm/guest-kubepods.sh is copied beside it for guests to source.
#   vm_section NAME  prints what the guest wrote between "=== NAME" and
#       "=== end" (carriage returns removed).
#   vm_hog  builds $work/payload/hog: "hog N" touches N MiB of anonymous
#       memory page by page (an OOM victim).
#   vm_val KEY  the first number printed after "KEY " (console escape
#       sequences may precede the line, so the key matches anywhere).
HEADROOM=${HEADROOM:-$PWD/headroom}
skip() { echo "skip: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
[ -x "$HEADROOM" ] || fail "HEADROOM=$HEADROOM is not executable"
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 missing (run tests/vm/vm-setup.sh)"
ls "${HEADROOM_VM_CACHE:-/var/cache/headroom-vm}"/kernels/*/boot/vmlinuz-* >/dev/null 2>&1 ||
	skip "no cached guest kernel (run tests/vm/vm-setup.sh)"
work=$(mktemp -d "${TMPDIR:-/tmp}/hr-vm.XXXXXX") || fail mktemp
# bash may run an EXIT trap in a forked child: only the test's shell cleans up.
trap '[ "$BASHPID" = "$$" ] && rm -rf "$work"' EXIT
mkdir "$work/payload"
cp "$HEADROOM" "$work/payload/headroom"

vm_boot() {
	local disk=$1 mem=$2 tmo=$3 guest=$4 t0 rc
	cp "$guest" "$work/payload/guest.sh"
	cp tests/vm/guest-kubepods.sh "$work/payload/"
	t0=$(date +%s)
	tests/vm/vm-run.sh -d "$disk" -m "$mem" -t "$tmo" -- "$work/payload" sh ./guest.sh >"$work/out" 2>&1
	rc=$?
	echo "measured: qemu TCG run $(($(date +%s) - t0)) s (guest status $rc)"
	case $rc in
	0) ;;
	124) tail -30 "$work/out"; fail "the guest test timed out" ;;
	125) tail -30 "$work/out"; skip "the VM did not report a status (qemu/kernel problem)" ;;
	*) tail -40 "$work/out"; fail "guest test status $rc" ;;
	esac
}

vm_section() { sed -n "/^=== $1\r\{0,1\}\$/,/^=== end\r\{0,1\}\$/p" "$work/out" | sed '1d;$d' | tr -d '\r'; }

vm_val() { sed -n "s/.*$1 \([0-9][0-9]*\).*/\1/p" "$work/out" | head -1; }

vm_hog() {
	cat >"$work/hog.c" <<'C'
#include <stdlib.h>
int main(int argc, char **argv)
{
	size_t n = argc > 1 ? (size_t)atoi(argv[1]) << 20 : 0;
	char *p = malloc(n);
	for (size_t i = 0; p && i < n; i += 4096)
		p[i] = 1;
	return 0;
}
C
	cc -O0 -o "$work/payload/hog" "$work/hog.c" || fail "cannot build the hog"
}
