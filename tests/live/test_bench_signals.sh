#!/usr/bin/env bash
# SIGINT, SIGTERM and SIGHUP at three moments of a real `dioscope bench`:
# while it sets up (image, mkfs, attach), while fio runs the first run,
# and while it runs the second. Afterwards there must be no mount, no loop
# device and no image of it, no BPF program of ours and no fio; a run it
# started says it is incomplete and report still reads it, and a run it
# finished before the signal stays complete.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

DIOSCOPE=${DIOSCOPE:-./dioscope}
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-bsig.XXXXXX")
bench_pid=
cleanup() {
	[ -n "$bench_pid" ] && kill -KILL "$bench_pid" 2>/dev/null
	pkill -f dioscope-bsig 2>/dev/null
	# whatever a stopped bench left (it must not): mounts, loops
	grep -o "$work/[^ ]*" /proc/mounts 2>/dev/null | xargs -r -n1 umount 2>/dev/null
	losetup -a 2>/dev/null | grep "$work" | cut -d: -f1 | xargs -r -n1 losetup -d
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

require_root "bench signal tests"
command -v fio >/dev/null || { skip "bench signal tests" "fio is not installed"; tap_done; exit 0; }
command -v bpftool >/dev/null || { skip "bench signal tests" "bpftool missing"; tap_done; exit 0; }

meta() { sed -n "s/^$2=//p" "$1/meta"; }
mounted() { grep -q "$work/" /proc/mounts; }
looped() { losetup -a 2>/dev/null | grep -q "$work/"; }
fio_left() { pgrep -x fio > /dev/null; }
reads() { $DIOSCOPE report "$1" > /dev/null 2>&1; }

# wait_for GLOB [SECONDS]: until a file matching it exists (10 s at
# most by default). run-2 starts only when run-1 is done, which takes as
# long as the machine makes it, up to --runtime: its wait is longer.
wait_for() {
	local i
	for i in $(seq $((${2:-10} * 10))); do
		compgen -G "$1" > /dev/null && return 0
		sleep 0.1
	done
	return 1
}

n=0
for sig in INT TERM HUP; do
	for when in setup run-1 run-2; do
		n=$((n + 1))
		what="SIG$sig during $when"
		tmp=$work/tmp$n out=$work/res$n
		mkdir -p "$tmp"
		TMPDIR=$tmp $DIOSCOPE bench -s unwritten-seq --runs 2 --runtime 20 \
			--size 32M -o "$out" > "$work/$n.out" 2> "$work/$n.err" &
		bench_pid=$!
		case $when in
		setup) sleep 0.2 ;;
		*) wait_for "$out/*/*/$when/meta" 60 || echo "# $what: $when never started"
		   sleep 0.7 ;;
		esac
		kill -"$sig" "$bench_pid"
		wait "$bench_pid"
		rc=$?
		bench_pid=
		check "$what: bench exits non-zero ($rc)" [ "$rc" -ne 0 ]
		check "$what: no mount left" not mounted
		check "$what: no loop device left" not looped
		check "$what: no image or mount point left" [ -z "$(ls -A "$tmp")" ]
		check_eq "$what: no BPF program left loaded" 0 "$(leaked_progs)"
		check "$what: no fio left" not fio_left
		[ "$when" = setup ] && continue
		run=$(ls -d "$out"/*/unwritten-seq*/"$when" 2> /dev/null | head -n 1)
		check "$what: the run directory is there" [ -n "$run" ]
		[ -n "$run" ] || continue
		check_eq "$what: its meta says complete=no" no "$(meta "$run" complete)"
		check "$what: report reads it" reads "$run"
		if [ "$when" = run-2 ]; then
			check_eq "$what: run-1, done before, stays complete" yes \
				"$(meta "${run%/run-2}/run-1" complete)"
		fi
	done
done
tap_done
