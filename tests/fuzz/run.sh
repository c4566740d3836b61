#!/usr/bin/env bash
# Replays the kept inputs of every fuzz target, then fuzzes each for
# FUZZ_SECONDS. New crashes are saved under build/fuzz/crashes/ for
# fixing and then keeping in tests/fuzz/corpus/<target>/.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

secs=${FUZZ_SECONDS:-10}
out=build/fuzz/crashes
mkdir -p "$out"
for bin in build/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	corpus=tests/fuzz/corpus/${name#fuzz_}
	work=build/fuzz/work/${name#fuzz_}
	mkdir -p "$corpus" "$work"
	if "$bin" -runs=0 "$corpus" > "build/fuzz/$name.replay.log" 2>&1; then
		ok "$name: kept inputs ($(ls "$corpus" | wc -l)) replay cleanly"
	else
		not_ok "$name: a kept input fails (build/fuzz/$name.replay.log)"
	fi
	# new finds go to a scratch corpus; the kept one changes by hand only
	if "$bin" -max_total_time="$secs" -max_len=4096 -artifact_prefix="$out/$name-" \
		"$work" "$corpus" > "build/fuzz/$name.log" 2>&1; then
		ok "$name: ${secs}s of fuzzing found nothing"
	else
		not_ok "$name: crash found (see $out and build/fuzz/$name.log)"
	fi
done
[ "$tap_n" -gt 0 ] || not_ok "no fuzz targets were built"
tap_done
