#!/usr/bin/env bash
# top --openmetrics: /metrics passes `promtool check metrics`, speaks
# OpenMetrics to a scraper that asks for it, and a real Prometheus (on
# 127.0.0.1, its own storage, killed at the end) that scrapes it during a
# fio run finds the totals `record` and `report` count of the same run:
# direct writes, then buffered ones that writeback maps.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

DIOSCOPE=${DIOSCOPE:-./dioscope}
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-om.XXXXXX")
top_pid= prom_pid=
cleanup() {
	[ -n "$top_pid" ] && kill -INT "$top_pid" 2>/dev/null && wait "$top_pid" 2>/dev/null
	[ -n "$prom_pid" ] && kill -TERM "$prom_pid" 2>/dev/null && wait "$prom_pid" 2>/dev/null
	scratch_down
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

require_root "OpenMetrics tests"
for tool in prometheus promtool curl fio; do
	if ! command -v $tool > /dev/null; then
		skip "OpenMetrics tests" "$tool is not installed (make deps)"
		tap_done
		exit 0
	fi
done

out=$($DIOSCOPE top --batch --openmetrics nowhere:port -n 1 2>&1)
check_eq "a bad ADDR:PORT is refused as usage" 2 "$?"
check "... saying what it should look like" grep -q "no ADDR:PORT" <<<"$out"

# a port nobody listens on, for Prometheus
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 40000))
		ss -ltnH "sport = :$p" | grep -q . || { echo $p; return; }
	done
}

scratch_up 256M
$DIOSCOPE top --batch -i 0.5 --openmetrics 127.0.0.1:0 -d "$SCRATCH_MNT" \
	> "$work/top.out" 2> "$work/top.err" &
top_pid=$!
url=
for _ in $(seq 50); do
	url=$(sed -n 's/.*serving OpenMetrics on //p' "$work/top.err")
	[ -n "$url" ] && break
	sleep 0.1
done
check "top names the address it serves on ($url)" grep -q '^http://127.0.0.1:[0-9]*/metrics$' <<<"$url"

port=$(free_port)
cat > "$work/prometheus.yml" <<YML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: dioscope
    static_configs:
      - targets: ['${url#http://}']
YML
sed -i "s|/metrics'|'|" "$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prom" \
	--web.listen-address="127.0.0.1:$port" > "$work/prom.log" 2>&1 &
prom_pid=$!
ready=no
for _ in $(seq 100); do
	curl -sf "http://127.0.0.1:$port/-/ready" > /dev/null && { ready=yes; break; }
	sleep 0.2
done
check_eq "Prometheus starts on 127.0.0.1:$port" yes "$ready"

# the same fio run, recorded, while Prometheus scrapes top; the second
# job's fsync has writeback map its dirty pages inside the recording
$DIOSCOPE record -o "$work/rec" -d "$SCRATCH_MNT" -- fio --name=om --filename="$SCRATCH_MNT/f" \
	--size=4M --bs=4k --rw=randwrite --direct=1 --sync=1 --ioengine=psync \
	--fallocate=native --randrepeat=0 --output=/dev/null \
	--name=wb --stonewall --filename="$SCRATCH_MNT/g" --size=8M --io_size=2M --bs=4k \
	--rw=randwrite --direct=0 --ioengine=psync --fallocate=none \
	--randrepeat=0 --end_fsync=1 > /dev/null 2>&1
check_eq "record of the run exits 0" 0 "$?"
$DIOSCOPE report "$work/rec" > /dev/null 2>&1
check_eq "report of the recording exits 0" 0 "$?"
# one interval of top, then two scrapes
sleep 3

curl -s "$url" > "$work/metrics.txt"
check "promtool check metrics finds nothing to say" bash -c "promtool check metrics < '$work/metrics.txt' > '$work/promtool.out' 2>&1 && ! grep -q . '$work/promtool.out'"
curl -s -D "$work/om.hdr" -H 'Accept: application/openmetrics-text; version=1.0.0' "$url" > "$work/metrics.om"
check "an OpenMetrics scraper gets OpenMetrics" grep -qi '^content-type: application/openmetrics-text' "$work/om.hdr"
check_eq "... ending in # EOF" "# EOF" "$(tail -1 "$work/metrics.om")"
check "... with the unit of a seconds counter" grep -q '^# UNIT dioscope_conversion_latency_seconds seconds$' "$work/metrics.om"

q() {	# q PROMQL: the value of the first sample
	curl -s "http://127.0.0.1:$port/api/v1/query" --data-urlencode "query=$1" |
		jq -r '.data.result[0].value[1] // "none"'
}
# q_settled EXPECTED PROMQL: Prometheus applies new targets every 5 s
# and scrapes once a second after that, so its first sample of a short
# run may come after the run: wait (30 s at most) for the value.
q_settled() {
	local v i
	for i in $(seq 60); do
		v=$(q "$2")
		[ "$v" = "$1" ] && break
		sleep 0.5
	done
	echo "$v"
}
rec() { csv_get() { awk -F, -v k="$2" '{ sub(/\r$/, "") } $1 == k { print $2 }' "$1"; }; csv_get "$work/rec/event_counts.csv" "$1"; }
ino=$(stat -c %i "$SCRATCH_MNT/f")
check_eq "Prometheus: the file's direct writes = record's DIO windows" \
	"$(rec dio_submit)" "$(q_settled "$(rec dio_submit)" "sum(dioscope_dio_writes_total{ino=\"$ino\"})")"
check_eq "Prometheus: PRE_IO splits = record's" \
	"$(rec pre_io_split)" "$(q 'sum(dioscope_pre_io_splits_total)')"
check_eq "Prometheus: conversions = record's" \
	"$(rec conversion)" "$(q 'sum(dioscope_conversions_total)')"
check_eq "Prometheus: conversion latency samples = conversions" \
	"$(rec conversion)" "$(q 'sum(dioscope_conversion_latency_seconds_count)')"
# ios.csv: one IO a row, its source by the header's name
reported() {
	awk -F, -v src="$1" '{ sub(/\r$/, "") }
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$col["source"] == src { n++ } END { print n + 0 }' "$work/rec/ios.csv"
}
wb=$(rec wb_map)
check "the buffered job made writeback IOs ($wb)" test "$wb" -gt 0
check_eq "report counts as many writeback IOs as record's mappings" "$wb" "$(reported writeback)"
check_eq "Prometheus: writeback IOs = report's" \
	"$(reported writeback)" "$(q 'sum(dioscope_writeback_ios_total)')"
check_eq "Prometheus: the direct-write file has no writeback IO" \
	"0" "$(q "sum(dioscope_writeback_ios_total{ino=\"$ino\"})")"
split_tier=$($DIOSCOPE probe --csv | awk -F, '$1 == "split" { print $3 }')
if [ "$split_tier" = "-" ]; then
	check "completion splits are left out where splits are not traced, not 0" \
		bash -c "! grep -q dioscope_completion_splits '$work/metrics.txt'"
else
	# inodes.csv: the splits of a conversion no IO was found for too
	csplits=$(awk -F, '{ sub(/\r$/, "") }
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{ n += $col["completion_split_count"] } END { print n + 0 }' "$work/rec/inodes.csv")
	check_eq "Prometheus: completion splits = report's (split on $split_tier)" \
		"$csplits" "$(q 'sum(dioscope_completion_splits_total)')"
fi
check_eq "Prometheus: lost events = record's" \
	"$(sed -n 's/^lost_events=//p' "$work/rec/meta")" "$(q 'dioscope_lost_events_total')"
check "Prometheus: the tracer's in-kernel cost is there" \
	awk -v v="$(q 'dioscope_bpf_run_seconds_total')" 'BEGIN { exit !(v != "none" && v + 0 > 0) }'

kill -INT "$top_pid"
wait "$top_pid"
check_eq "top exits 0 on Ctrl-C" 0 "$?"
top_pid=
check "top states its in-kernel cost per direct IO at exit" \
	grep -qE "in-kernel cost of the tracer: [0-9]+ ns in [0-9]+ program runs, [0-9]+ ns per direct IO" "$work/top.err"
tap_done
