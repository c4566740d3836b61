#!/usr/bin/env bash
# One record per direct IO, assembled in the kernel (the tracepoint
# tier, record --io-records), against an event per call (the default):
# the same fio jobs recorded both ways give the same events and report.
# Jobs: async writes into a fallocated file (PRE_IO split at submission,
# conversion in a workqueue) and synchronous writes into holes (all of an
# IO in the submitting task).
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

DIOSCOPE=${DIOSCOPE:-./dioscope}
IOS=1500
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-iorec.XXXXXX")
cleanup() {
	scratch_down
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

require_root "per-IO records against per-event recording"
scratch_up 256M

rec() {	# rec NAME [OPTIONS...]: the same two jobs on fresh files
	local name=$1; shift
	rm -f "$SCRATCH_MNT/a" "$SCRATCH_MNT/b"
	fallocate -l 16M "$SCRATCH_MNT/a"
	truncate -s 16M "$SCRATCH_MNT/b"
	sync
	$DIOSCOPE record "$@" -o "$work/$name" -d "$SCRATCH_DEV" -- \
		fio --direct=1 --bs=4k --size=16M --number_ios=$IOS \
		--output=/dev/null \
		--name=aio --filename="$SCRATCH_MNT/a" --rw=randwrite \
		--ioengine=libaio --iodepth=4 --sync=1 \
		--name=sync --filename="$SCRATCH_MNT/b" --rw=write \
		--ioengine=psync > "$work/$name.out" 2>&1
	check_eq "record $name exits 0" 0 $?
	$DIOSCOPE report "$work/$name" > "$work/$name.report" 2>&1
	check_eq "report of it exits 0" 0 $?
}
meta() { sed -n "s/^$2=//p" "$work/$1/meta"; }

rec io --io-records
if [ "$(meta io tier.dio_submit)" != tracepoint ] || [ "$(meta io io_records)" != yes ]; then
	skip "per-IO records" "this kernel's plan does not use the tracepoint tier's records"
	tap_done
	exit
fi
rec ev

check_eq "--io-records assembled records" yes "$(meta io io_records)"
# an IO whose element another IO in flight holds goes out as events, by
# design: nearly all, not all, come as records
check "... and received them ($(meta io io_records_received) of $((2 * IOS)))" \
	test "$(meta io io_records_received)" -ge $((2 * IOS * 95 / 100))
check_eq "without it, none" no "$(meta ev io_records)"
check_eq "... and received none" 0 "$(meta ev io_records_received)"
for m in io ev; do
	check_eq "$m: nothing lost" 0 "$(meta $m lost_events)"
done
check_eq "the same number of events" "$(meta ev events)" "$(meta io events)"
check "the same events by type (event_counts.csv)" \
	cmp -s "$work/io/event_counts.csv" "$work/ev/event_counts.csv"
check "the same calls by target (counts.csv)" \
	cmp -s "$work/io/counts.csv" "$work/ev/counts.csv"

# summary.csv's columns that depend only on which events came, not when
cols="ios splits_total merges_total splits_per_1k_ios merges_per_1k_ios
churn_pairs_per_1k_ios pre_io_splits_per_1k_ios conversions_per_1k_ios
completion_splits_per_1k_ios unattributed_events unmatched_completions
lost_ios converted_blocks"
col() {	# col RUN NAME
	awk -F, -v c="$2" '{ sub(/\r$/, "") } NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) n = i }
		NR == 2 && n { print $n }' "$work/$1/summary.csv"
}
for c in $cols; do
	check_eq "summary $c: records as per event" "$(col ev "$c")" "$(col io "$c")"
done
check_eq "every IO of both jobs is one" $((2 * IOS)) "$(col io ios)"

# ios.csv: the same IOs with the same counts of kernel work each
counts() {	# counts RUN: per-IO count columns, summed over the IOs
	awk -F, '{ sub(/\r$/, "") }
		NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /_count$|^churn_pairs$/) c[i] = $i; next }
		{ n++; for (i in c) s[c[i]] += $i }
		END { printf "ios=%d", n; for (k in s) printf " %s=%d", k, s[k]; print "" }' \
		"$work/$1/ios.csv" | tr ' ' '\n' | sort | tr '\n' ' '
}
check_eq "ios.csv: the same IOs and kernel work per IO" "$(counts ev)" "$(counts io)"

# records come at each IO's end, late by its latency: report says how
# many were too late for its reordering, and holds them all the same
late=$(col io late_events)
check "late events are counted (${late:-none})" test -n "$late"
tap_done
