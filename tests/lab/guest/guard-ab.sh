#!/bin/sh
# In the guest, on a kernel built from patches/: the merge-guard A/B.
# One dioscope bench runs the scenarios on /dev/vdb in every mode of
# dio_merge_guard ($GUARD_MODES, default off,dio,all), the modes
# alternated run by run, and compare sets each mode beside off; the
# results are left in /out for the host to check. The tier is the best per
# function (on 6.1 iomap_dio_rw has too many arguments for fentry).
scenarios=${GUARD_SCENARIOS:-unwritten-concurrent sparse-concurrent writeback-fallocate-ahead writeback-zero-range}
modes=${GUARD_MODES:-off,dio,all}
umount /mnt 2> /dev/null
args=""
for s in $scenarios; do
	args="$args -s $s"
done
echo "== bench, guard $modes"
# shellcheck disable=SC2086
dioscope bench $args --runs "${GUARD_RUNS:-3}" --runtime "${GUARD_RUNTIME:-3}" \
	--size 64M --device /dev/vdb --force --merge-guard "$modes" \
	--bench-dir /lab/bench -o /out/ab || exit 1
dirs=""
for m in $(echo "$modes" | tr , ' '); do
	dirs="$dirs /out/ab/guard-$m"
done
echo "== compare"
# shellcheck disable=SC2086
dioscope compare $dirs -o /out/compare
