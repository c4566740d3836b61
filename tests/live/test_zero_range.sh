#!/usr/bin/env bash
# bench/zero-range, the zero-range scenarios' driver, on a scratch ext4:
# its options and job files, that its latency logs are fio's format with
# one line per write its JSON counts, and that it zeroes (FIEMAP then
# shows unwritten extents), buffered and direct.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

ZR=${ZERO_RANGE:-bench/zero-range}
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-zr.XXXXXX")
cleanup() {
	scratch_down
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

[ -x "$ZR" ] || { skip "zero-range tests" "$ZR not built (make)"; tap_done; exit 0; }

# --- options, without a filesystem ---------------------------------------
check "--help exits 0 and names the zeroing" sh -c "'$ZR' --help | grep -q FALLOC_FL_ZERO_RANGE"
check "an unknown option is refused" fails "$ZR" --frob=1
check "a file and a size are required" fails "$ZR" --bs=4k
printf 'file=${DS_NOT_SET_ANYWHERE}\n' > "$work/bad.zr"
out=$("$ZR" "$work/bad.zr" 2>&1)
check "an unset \${VAR} in a job file is an error naming the line" grep -q "bad.zr:1" <<<"$out"
printf 'frobnicate=3\n' > "$work/bad2.zr"
check "an unknown key in a job file is refused" fails "$ZR" "$work/bad2.zr"
check "bs larger than zero-bs is refused" fails "$ZR" --file=/dev/null --size=1m --bs=64k --zero-bs=16k

require_root "zero-range runs"
scratch_up 256M

lines() { cat "$work"/log_lat.*.log | wc -l; }
for mode in 0 1; do
	f=$SCRATCH_MNT/img.$mode
	dd if=/dev/zero of="$f" bs=1M count=32 status=none conv=fsync
	rm -f "$work"/log_lat.*.log
	DS_FILE=$f DS_SIZE=32M DS_BS=4k DS_RUNTIME=1 DS_LOG=$work/log \
		"$ZR" --output-format=json --eta=never \
		--output="$work/out.json" --writers=2 --direct=$mode \
		--sync=$mode bench/writeback-zero-range.zr 2>"$work/err"
	rc=$?
	check_eq "direct=$mode: exits 0" 0 "$rc"
	total=$(jq '[.jobs[].write.total_ios] | add' "$work/out.json")
	# bench's meta takes the version from --version, compare holds
	# the summary (from fio.json) to it
	check_eq "direct=$mode: --version is the version fio.json names" \
		"$(jq -r '."fio version"' "$work/out.json")" "$("$ZR" --version)"
	check "direct=$mode: writes were made ($total)" [ "${total:-0}" -gt 0 ]
	check_eq "direct=$mode: one log line per write" "$total" "$(lines)"
	check_eq "direct=$mode: two writers, two logs" 2 "$(ls "$work"/log_lat.*.log | wc -l)"
	[ "$(lines)" -gt 0 ] || not_ok "direct=$mode: no log lines to check"
	check "direct=$mode: every line is time, lat, 1, 4096, offset, 0" \
		sh -c "! grep -vE '^[0-9]+, [0-9]+, 1, 4096, [0-9]+, 0\$' '$work'/log_lat.*.log"
	check "direct=$mode: each write is the last block of a 16-block chunk" \
		sh -c "awk -F', ' '(\$5 + 4096) % 65536' '$work'/log_lat.*.log | grep -q . && exit 1 || exit 0"
	zops=$(jq .zero_range.ops "$work/out.json")
	check "direct=$mode: ranges were zeroed ($zops)" [ "${zops:-0}" -gt 0 ]
	check "direct=$mode: zeroed ranges are unwritten extents" \
		sh -c "filefrag -v '$f' | grep -q unwritten"
	p50=$(jq '.jobs[0].write.lat_ns.percentile["50.000000"]' "$work/out.json")
	check "direct=$mode: fio-shaped percentiles ($p50 ns)" [ "${p50:-0}" -gt 0 ]
done
tap_done
