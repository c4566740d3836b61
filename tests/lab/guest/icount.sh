#!/bin/sh
# In the guest, booted with lab.sh --icount: the guest's command line says
# that its clock counts instructions, and a bench made here records it and
# reports its times as instructions. Left in /out for the host to check.
cat /proc/cmdline > /out/cmdline
umount /mnt 2> /dev/null
dioscope bench -s unwritten-seq --runs 1 --runtime 1 --size 16M \
	--device /dev/vdb --force --bench-dir /lab/bench -o /out/bench \
	> /out/bench.log 2>&1
echo $? > /out/bench.rc
for d in /out/bench/*/; do
	dioscope report "$d" > /out/report.txt 2>&1
done
