#!/bin/busybox sh
# /init of the initramfs that tests/patches/boot-test.sh boots the patched
# kernel with. Disks: vda, an ext4 for the two-thread direct IO workload;
# vdb, an ext4 on a throttled disk (slow writes keep a write in flight)
# mounted nodelalloc for the in-flight merge check. Results are printed
# as "BT: ok N - ..." / "BT: not ok N - ..." lines, trace excerpts and
# tracepoint formats as "BT| " lines; the host checks the file systems
# after the guest is gone.
/bin/busybox mkdir -p /proc /sys /dev /tmp /mnt/a /mnt/b
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
T=/sys/kernel/tracing
PATH=/bin:/sbin

n=0
ok() { n=$((n + 1)); echo "BT: ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "BT: not ok $n - $*"; }
check() {
	what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}
show() { sed 's/^/BT| /'; }

echo "BT: kernel $(uname -r)"
check "the kernel has BTF (/sys/kernel/btf/vmlinux)" test -s /sys/kernel/btf/vmlinux
for ev in ext4_ext_split ext4_ext_merge ext4_ext_insert_merge; do
	check "tracepoint ext4/$ev exists" test -d "$T/events/ext4/$ev"
done
for ev in ext4_ext_split ext4_ext_merge; do
	echo "BT| ==> $T/events/ext4/$ev/format"
	show < "$T/events/ext4/$ev/format"
done

check "vda (ext4) mounts" mount -t ext4 /dev/vda /mnt/a
check "vdb (ext4, nodelalloc) mounts" mount -t ext4 -o nodelalloc /dev/vdb /mnt/b
knob=/sys/fs/ext4/vda/dio_merge_guard
check "dio_merge_guard is there and 0 by default" [ "$(cat $knob 2>/dev/null)" = 0 ]
check "dio_merge_guard refuses 3" sh -c "! echo 3 > $knob" 2>/dev/null
check "dio_merge_guard takes 1" sh -c "echo 1 > $knob && [ \$(cat $knob) = 1 ]"
check "dio_merge_guard takes 2" sh -c "echo 2 > $knob && [ \$(cat $knob) = 2 ]"
echo 0 > $knob
# 6.x splits the extent of a direct write at submission (PRE_IO), 7.x at
# its completion (the conversion)
case $(uname -r) in
6.*) split_at_submit=1 ;;
*) split_at_submit=0 ;;
esac

trace_start() {
	echo 0 > $T/tracing_on
	echo > $T/trace
	for ev in ext4_ext_split ext4_ext_merge ext4_ext_insert_merge; do
		echo 1 > "$T/events/ext4/$ev/enable"
	done
	echo 1 > $T/tracing_on
}
trace_stop() {
	echo 0 > $T/tracing_on
	cat $T/trace > /tmp/trace
}
# how many events $2 of inode $1 /tmp/trace holds
events() { grep -cE "$2 dev [0-9]+,[0-9]+ ino $1 " /tmp/trace; }

# Guard modes: 0 off, 1 direct writes in flight, 2 also writeback to convert
for g in 0 1 2; do
	echo $g > /sys/fs/ext4/vda/dio_merge_guard
	echo $g > /sys/fs/ext4/vdb/dio_merge_guard

	# two threads of O_DIRECT|O_SYNC writes into a fallocated file
	f=/mnt/a/threads$g
	trace_start
	check "guard $g: two threads write 257 blocks" dio-merge threads $f 257
	trace_stop
	ino=$(stat -c %i $f)
	splits=$(events "$ino" "ext4_ext_split:")
	merges=$(events "$ino" "ext4_ext_merge:")
	check "guard $g: ext4_ext_split fired ($splits)" [ "$splits" -gt 0 ]
	check "guard $g: ext4_ext_merge fired ($merges)" [ "$merges" -gt 0 ]
	grep -E "ext4_ext_(split|merge):" /tmp/trace | head -n 4 | show
	sync
	echo 3 > /proc/sys/vm/drop_caches
	check "guard $g: the data reads back as written" dio-merge verify $f 257

	# two threads of O_DIRECT|O_SYNC writes into holes of a sparse file
	f=/mnt/a/holes$g
	trace_start
	check "guard $g: two threads write 257 blocks into holes" dio-merge holes $f 257
	trace_stop
	ino=$(stat -c %i $f)
	echo "BT: guard $g: holes: $(events "$ino" "ext4_ext_split:") splits," \
		"$(grep -cE "ext4_ext_(insert_)?merge: dev [0-9]+,[0-9]+ ino $ino .* left [0-9]+/[0-9]+ unwritten" /tmp/trace) unwritten merges"
	sync
	echo 3 > /proc/sys/vm/drop_caches
	check "guard $g: the data written into holes reads back as written" \
		dio-merge verify $f 257

	# a fault next to an unwritten extent while a write to it is in flight
	f=/mnt/b/inflight$g
	trace_start
	dio-merge inflight $f > /tmp/out 2>&1
	rc=$?
	trace_stop
	show < /tmp/out
	check "guard $g: the in-flight workload's data is as written" [ "$rc" -eq 0 ]
	check "guard $g: the write was in flight during the fault" \
		grep -q "in flight during the fault: yes" /tmp/out
	ino=$(stat -c %i $f)
	sed -n '/dio-merge: dio submit/,/dio-merge: dio complete/p' /tmp/trace |
		grep -E "dio-merge:| ino $ino " > /tmp/window
	show < /tmp/window
	um=$(grep -cE "ext4_ext_(insert_)?merge:.* left [0-9]+/[0-9]+ unwritten" /tmp/window)
	late=$(sed -n '/dio-merge: fault done/,$p' /tmp/window | grep -c "ext4_ext_split:")
	echo "BT: guard $g: unwritten merges while in flight: $um, splits after the fault: $late"
	# With the guard off this is what is observed, not a check: on 6.1
	# the fault does not reach the in-flight extent (nodelalloc turns the
	# unwritten allocation of dioread_nolock off, and the PRE_IO
	# allocations of writeback never merge), so the count is a finding.
	# With the guard on, no merge may happen, whatever the kernel does.
	if [ $g -ge 1 ]; then
		check "guard $g: no unwritten extent was merged while the write was in flight ($um)" \
			[ "$um" -eq 0 ]
		[ $split_at_submit = 0 ] ||
			check "guard $g: the completion did not split ($late)" [ "$late" -eq 0 ]
	fi

	# a fallocation next to an unwritten extent under writeback
	f=/mnt/b/writeback$g
	trace_start
	dio-merge writeback $f > /tmp/out 2>&1
	rc=$?
	trace_stop
	show < /tmp/out
	check "guard $g: the writeback workload's data is as written" [ "$rc" -eq 0 ]
	check "guard $g: the writeback was in flight during the fallocate" \
		grep -q "in flight during the fallocate: yes" /tmp/out
	ino=$(stat -c %i $f)
	sed -n '/dio-merge: writeback submit/,/dio-merge: writeback complete/p' /tmp/trace |
		grep -E "dio-merge:| ino $ino " > /tmp/window
	show < /tmp/window
	um=$(sed -n '/dio-merge: writeback submit/,/dio-merge: fallocate done/p' /tmp/window |
		grep -cE "ext4_ext_(insert_)?merge:.* left [0-9]+/[0-9]+ unwritten")
	late=$(sed -n '/dio-merge: fallocate done/,$p' /tmp/window | grep -c "ext4_ext_split:")
	echo "BT: guard $g: writeback: unwritten merges while in flight: $um, splits after the fallocate: $late"
	# Only mode 2 looks at writeback: at 0 and 1 the counts are findings.
	if [ $g = 2 ]; then
		check "guard 2: no unwritten extent was merged while the writeback was in flight ($um)" \
			[ "$um" -eq 0 ]
	fi
done

check "vda unmounts" umount /mnt/a
check "vdb unmounts" umount /mnt/b
dmesg | grep -A8 -E "WARNING|BUG|Call Trace" | show
check "no kernel warning" sh -c "! dmesg | grep -qE 'WARNING|BUG:|Call Trace'"
echo "BT: done $n"
sync
reboot -f
