#!/usr/bin/env bash
# Boot the kernel that patches/build-kernel.sh builds under QEMU (TCG) with
# a busybox initramfs, and check in the guest (tests/patches/guest-init.sh)
# that it has BTF and the new tracepoints, that they fire under direct IO
# from two threads, that data written with direct IO (into a fallocated
# file, into holes) and through writeback reads back as written with
# dio_merge_guard at 0, 1 and 2, and that with the guard at 1 or 2 no
# unwritten extent is merged while a direct write into it is in flight,
# at 2 none while a writeback into it is. After the guest is gone, e2fsck
# -fn must find both file systems clean.
#
# usage: tests/patches/boot-test.sh [BZIMAGE]
#        (default bzImage-6.1 in PATCHES_CACHE, .cache/patches)
#
# TAP lines, then "N passed, N failed". Takes a few minutes: the guest runs
# under TCG, and one of its disks is throttled on purpose.
set -u
cd "$(dirname "$0")/../.."
here=tests/patches
kernel=${1:-${PATCHES_CACHE:-.cache/patches}/bzImage-6.1}
timeout=${BOOT_TEST_TIMEOUT:-900}

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
finish() {
	echo "1..$n"
	echo "$((n - failed)) passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-boot.XXXXXX")
qemu_pid=""
cleanup() {
	[ -z "$qemu_pid" ] || kill "$qemu_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

if [ ! -r "$kernel" ]; then
	not_ok "no kernel at $kernel (make -C patches kernel builds it)"
	finish
fi

# what the test needs on the host
need=""
command -v qemu-system-x86_64 > /dev/null || need="$need qemu-system-x86"
[ -x /bin/busybox ] && file -L /bin/busybox 2>/dev/null | grep -q static ||
	need="$need busybox-static"
command -v cpio > /dev/null || need="$need cpio"
command -v mkfs.ext4 > /dev/null || need="$need e2fsprogs"
command -v gcc > /dev/null || need="$need gcc libc6-dev"
command -v file > /dev/null || need="$need file"
if [ -n "$need" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		# shellcheck disable=SC2086
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq $need; } > "$work/apt.log" 2>&1
	fi
	if ! command -v qemu-system-x86_64 > /dev/null || ! command -v cpio > /dev/null ||
		! file -L /bin/busybox 2>/dev/null | grep -q static; then
		not_ok "missing on the host and not installed:$need"
		finish
	fi
fi

# the initramfs: static busybox, the workload program, /init
mkdir -p "$work/root/bin"
cp /bin/busybox "$work/root/bin/busybox"
if gcc -static -O2 -Wall -pthread -o "$work/root/bin/dio-merge" \
	"$here/dio-merge.c" 2> "$work/gcc.log"; then
	ok "dio-merge builds static"
else
	sed 's/^/# /' "$work/gcc.log"
	not_ok "dio-merge builds static"
	finish
fi
cp "$here/guest-init.sh" "$work/root/init"
chmod 755 "$work/root/init"
(cd "$work/root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initrd.gz"

for d in a b; do
	truncate -s 128M "$work/$d.img"
	mkfs.ext4 -q -F -b 4096 "$work/$d.img"
done

start=$SECONDS
qemu-system-x86_64 -accel tcg,thread=single -m 1G -smp 2 -nographic -no-reboot \
	-kernel "$kernel" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 panic=-1" \
	-drive "file=$work/a.img,if=virtio,format=raw" \
	-drive "file=$work/b.img,if=virtio,format=raw,throttling.bps-write=131072" \
	< /dev/null > "$work/console" 2>&1 &
qemu_pid=$!
while kill -0 "$qemu_pid" 2>/dev/null && [ $((SECONDS - start)) -lt "$timeout" ]; do
	sleep 2
done
if kill -0 "$qemu_pid" 2>/dev/null; then
	kill "$qemu_pid"
	wait "$qemu_pid" 2>/dev/null
	qemu_pid=""
	not_ok "the guest finished within ${timeout}s"
else
	wait "$qemu_pid" 2>/dev/null
	qemu_pid=""
	ok "the guest finished in $((SECONDS - start))s"
fi
tr -d '\r' < "$work/console" > "$work/console.txt"
[ -z "${BOOT_TEST_CONSOLE:-}" ] || cp "$work/console.txt" "$BOOT_TEST_CONSOLE"

# the guest's results, renumbered
guest=$(sed -n 's/^BT: \(\(not \)\{0,1\}ok\) [0-9]* - /\1 - /p' "$work/console.txt")
sed -n 's/^BT| /# /p; s/^BT: \([^on]\)/# \1/p' "$work/console.txt"
if [ -z "$guest" ]; then
	tail -n 30 "$work/console.txt" | sed 's/^/# /'
	not_ok "the guest reported results"
fi
while IFS= read -r line; do
	case $line in
	"ok - "*) ok "guest: ${line#ok - }" ;;
	"not ok - "*) not_ok "guest: ${line#not ok - }" ;;
	esac
done <<< "$guest"
if grep -q "^BT: done" "$work/console.txt"; then
	ok "the guest ran every check"
else
	tail -n 30 "$work/console.txt" | sed 's/^/# /'
	not_ok "the guest ran every check"
fi

for d in a b; do
	if e2fsck -fn "$work/$d.img" > "$work/fsck.log" 2>&1; then
		ok "e2fsck -fn finds the file system of vd$d clean"
	else
		sed 's/^/# /' "$work/fsck.log"
		not_ok "e2fsck -fn finds the file system of vd$d clean"
	fi
done
finish
