#!/usr/bin/env bash
# SIGINT, SIGTERM and SIGHUP at several moments of `dioscope record`:
# afterwards no BPF program of ours is loaded, the run directory says it
# is incomplete and its events are still readable.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

DIOSCOPE=${DIOSCOPE:-./dioscope}
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-sig.XXXXXX")
cleanup() {
	pkill -x fio 2>/dev/null
	scratch_down
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

require_root "signal tests"
command -v bpftool >/dev/null || { skip "signal tests" "bpftool missing"; tap_done; exit 0; }


scratch_up 512M
fallocate -l 64M "$SCRATCH_MNT/f"

n=0
for sig in INT TERM HUP; do
	for delay in 0.05 0.5 2; do
		n=$((n + 1))
		dir=$work/rec$n
		# the fio job runs longer than any delay: the signal lands mid-run
		$DIOSCOPE record -o "$dir" -d "$SCRATCH_MNT" -- \
			fio --name=dioscope-sig-fio --filename="$SCRATCH_MNT/f" \
			--rw=randwrite --bs=4k --size=64M --direct=1 --sync=1 \
			--time_based --runtime=20 --output=/dev/null \
			> /dev/null 2> "$dir.err" &
		pid=$!
		sleep "$delay"
		kill -"$sig" "$pid"
		wait "$pid"
		rc=$?
		what="SIG$sig after ${delay}s"
		check "$what: record exits non-zero ($rc)" [ "$rc" -ne 0 ]
		check_eq "$what: no BPF program left loaded" 0 "$(leaked_progs)"
		if [ -f "$dir/meta" ]; then
			check "$what: meta says the run is incomplete" grep -qx "complete=no" "$dir/meta"
			check "$what: meta names the signal" grep -q "^interrupted_by=" "$dir/meta"
			# the record file starts with its magic and ends in whole
			# blocks: report finds neither a partial block nor corruption
			magic=$(head -c 8 "$dir/events.bin")
			check_eq "$what: events.bin is a record file" DIOSCOPE "$magic"
			size=$(stat -c %s "$dir/events.bin")
			if $DIOSCOPE report --no-events "$dir" > /dev/null 2> "$dir.report" &&
			   ! grep -q partial "$dir.report"; then
				ok "$what: events.bin reads back whole ($size bytes)"
			else
				not_ok "$what: events.bin does not read back whole: $(head -1 "$dir.report")"
			fi
		else
			# a signal before tracing started leaves nothing to mark
			check "$what: nothing written before tracing started" [ ! -e "$dir/events.bin" ]
		fi
		check_eq "$what: the workload was stopped too" 0 "$(pgrep -xc fio)"
	done
done

tap_done
