# Shared helpers for the shell tests: TAP output and a scratch ext4 on a
# loop device that is torn down on every exit path.

tap_n=0
tap_failed=0

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $*"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $*"
}

skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}

# not CMD...: succeeds when CMD fails; fails CMD...: the same, silenced
not() { ! "$@"; }
fails() { ! "$@" > /dev/null 2>&1; }

# check DESCRIPTION COMMAND...: ok if the command succeeds
check() {
	local what=$1; shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1 ($3)"
	else
		not_ok "$1: expected '$2', got '$3'"
	fi
}

tap_done() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

require_root() {
	if [ "$(id -u)" -ne 0 ]; then
		skip "$1" "needs root"
		tap_done
		exit 0
	fi
}

# tracefs_up: /sys/kernel/tracing mounted, as dioscope mounts it when it
# first attaches; a fresh boot may not have it, and a test reading
# tracefs before dioscope ran would find nothing there
tracefs_up() {
	[ -d /sys/kernel/tracing/events ] ||
		mount -t tracefs nodev /sys/kernel/tracing 2> /dev/null
}

# scratch_up SIZE [MKFS_OPTS] [MOUNT_OPTS]: sets SCRATCH_IMG, SCRATCH_DEV,
# SCRATCH_MNT. Pair with scratch_down in an EXIT trap.
scratch_up() {
	local size=$1 mkfs_opts=${2:-} mount_opts=${3:-}
	SCRATCH_IMG=$(mktemp "${TMPDIR:-/tmp}/dioscope-test.XXXXXX.img")
	SCRATCH_MNT=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-mnt.XXXXXX")
	truncate -s "$size" "$SCRATCH_IMG"
	# shellcheck disable=SC2086
	mkfs.ext4 -q -F $mkfs_opts "$SCRATCH_IMG"
	SCRATCH_DEV=$(losetup -f --show "$SCRATCH_IMG")
	mount ${mount_opts:+-o "$mount_opts"} "$SCRATCH_DEV" "$SCRATCH_MNT"
}

# leftovers_down DIR: what a bench stopped under DIR left (it must not):
# mounts below DIR, loop devices on images in DIR/tmp
leftovers_down() {
	grep -o "$1/[^ ]*" /proc/mounts 2>/dev/null | xargs -r -n1 umount 2>/dev/null
	losetup -j "$1/tmp" 2>/dev/null | cut -d: -f1 | xargs -r -n1 losetup -d
}

scratch_down() {
	if [ -n "${SCRATCH_MNT:-}" ]; then
		mountpoint -q "$SCRATCH_MNT" && umount "$SCRATCH_MNT"
		rmdir "$SCRATCH_MNT" 2>/dev/null
	fi
	[ -n "${SCRATCH_DEV:-}" ] && losetup -d "$SCRATCH_DEV" 2>/dev/null
	[ -n "${SCRATCH_IMG:-}" ] && rm -f "$SCRATCH_IMG"
	SCRATCH_MNT= SCRATCH_DEV= SCRATCH_IMG=
}

# BPF programs under one of dioscope's program names still loaded. The
# kernel frees a program shortly after its last holder exits, so this
# waits up to two seconds for the count to reach 0. Where bpftool shows
# which processes hold a program, those held by a dioscope still running
# (another test, a user) are not counted.
leaked_progs() {
	local n i
	for i in $(seq 20); do
		n=$(bpftool prog show 2>/dev/null | awk '
		/^[0-9]+: / {
			if (ours && !held) n++
			ours = $0 ~ / name (tp_|fentry_|fexit_|kprobe_|kretprobe_)(dio|iomap|map_bl|convert|split|merge|end_io|legacy|sys_)/
			held = 0
			next
		}
		/^[ \t]+pids / {
			line = $0; sub(/^[ \t]+pids /, "", line)
			m = split(line, who, /, */)
			held = 1
			for (i = 1; i <= m; i++) if (who[i] !~ /^dioscope\(/) held = 0
		}
		END { if (ours && !held) n++; print n + 0 }')
		[ "$n" -eq 0 ] && break
		sleep 0.1
	done
	echo "$n"
}

# bpf_map_calls OUT CMD...: run CMD under strace and print how many BPF
# map lookups and updates it made (a map call from user space holds the
# CPU's BPF guard: a kprobe program firing meanwhile is skipped)
bpf_map_calls() {
	local out=$1
	shift
	strace -f -qq -e trace=bpf -o "$out" "$@" > /dev/null 2>&1
	grep -c -e BPF_MAP_UPDATE_ELEM -e BPF_MAP_LOOKUP_ELEM "$out"
}
