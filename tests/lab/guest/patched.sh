#!/bin/sh
# In the guest, on the kernel built from patches/: bench/unwritten-concurrent
# recorded twice over the same run, once with the tracepoints of the patch
# (--tier tracepoint) and once with fentry, nested so both see the same
# IOs. Prints "what,tracepoints,fentry" rows.
tp=/tmp/pt-tp
fe=/tmp/pt-fe
rm -f /mnt/f
fallocate -l 32M /mnt/f
sync
export DS_FILE=/mnt/f DS_BS=4k DS_SIZE=32M DS_RUNTIME=3 DS_LOG=/tmp/fio
dioscope record -f -o $tp --tier tracepoint -- \
	dioscope record -f -o $fe --tier fentry -- \
	fio --eta=never --output=/dev/null /lab/bench/unwritten-concurrent.fio \
	> /tmp/patched.log 2>&1 || { cat /tmp/patched.log; exit 1; }
count() { awk -F, -v k="$2" '$1 == k { sub(/\r$/, "", $2); print $2 }' "$1/event_counts.csv"; }
echo "splits,$(count $tp split),$(count $fe split)"
echo "merges,$(count $tp merge_done),$(count $fe merge_done)"
grep '^tier.split=\|^tier.merge=' $tp/meta $fe/meta
