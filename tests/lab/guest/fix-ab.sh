#!/bin/sh
# In a lab guest: one boot's share of the fix A/B, stock 7.3 against 7.3
# with patches/7.3 (the fix alone: each run's fresh mount
# leaves dio_merge_guard at 0).
#
#   fix-ab.sh LABEL
#
# One dioscope bench of $FIXAB_SCENARIOS (sparse-concurrent), $FIXAB_RUNS
# runs (3) of $FIXAB_RUNTIME s (3) each at most, files of $FIXAB_SIZE
# (64M; a run that writes its whole file before its time is up does as
# many IOs as any other), numbered from $FIXAB_FIRST_RUN
# (1), tracer on the best tier, into /out/LABEL; the host alternates the
# kernels boot by boot, numbering each boot's runs after the last one's so
# that the boots' trees join into one (tests/patches/fix-ab.sh).
label=${1:?usage: fix-ab.sh LABEL}
umount /mnt 2> /dev/null
args=""
for s in ${FIXAB_SCENARIOS:-sparse-concurrent}; do
	args="$args -s $s"
done
echo "== bench $label"
# shellcheck disable=SC2086
DIOSCOPE_EMULATED=1 dioscope bench $args --runs "${FIXAB_RUNS:-3}" \
	--runtime "${FIXAB_RUNTIME:-3}" --first-run "${FIXAB_FIRST_RUN:-1}" \
	--size "${FIXAB_SIZE:-64M}" --device /dev/vdb --force --bench-dir /lab/bench \
	-o "/out/$label"
