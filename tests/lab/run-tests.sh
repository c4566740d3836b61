#!/usr/bin/env bash
# The kernel-lab tests: each of Debian's lab kernels (tests/lab/lab.sh
# kernels) is booted once under QEMU and runs tests/lab/guest/checks.sh, which leaves
# its results in /out; this script checks them:
#
# - the guest lives through its kernel text being patched while the other
#   vCPU runs it (the emulator's part: tests/lab/README.md);
# - the guest runs the packaged kernel, with BTF, working tracefs, and
#   ftrace's counters (the function profiler where the kernel has it, the
#   function tracer always) counting a known number of calls exactly;
# - fio's reference workload (4 KiB, O_DIRECT|O_SYNC, into a fallocated
#   file) runs on the scratch ext4, every one of its writes takes the
#   iomap DIO path, and the traced functions are counted;
# - dioscope probe puts every function ftrace can trace on fentry, or on
#   kprobe where the preemption mode lets a fentry program be entered twice;
# - dioscope record in tier fentry and in tier kprobe counts the same
#   calls as ftrace over the same run, function by function;
# - bench/unwritten-concurrent recorded and reported by dioscope counts
#   the splits and merges ftrace counts; its first recording, with the
#   default plan, loses nothing.
# - two programs that are not fio (xfs_io, qemu-img convert) recorded
#   and reported: every function counted as ftrace counts it, and the
#   report gives the kernel's latency percentiles and IOPS.
# - the last kernel booted again under QEMU's instruction counter
#   (lab.sh --icount) says so to the guest, and a bench made there records
#   clock=icount and reports its times as instructions.
#
#   LAB_KERNELS="6.1 6.12"   the kernels to test ("all": every lab kernel;
#                            default: lab.sh kernels default)
#   LAB_KERNEL_IMAGES="patched=.cache/patches/bzImage"
#                            also test kernels of one's own (NAME=BZIMAGE)
#   LAB_FIXED_KERNELS="patched"
#                            those of them that carry patches/7.3's fix:
#                            known-churn must find no churn there
#   DIOSCOPE_BIN=PATH        the dioscope to test (default ./dioscope);
#                            without one its checks are skipped
#   LAB_TIMEOUT=SECONDS      how long a guest may take (default 600; more
#                            when guests share the cores: each runs slower)
#
# Prints TAP lines, then "N passed, N failed[, N skipped]".
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

LAB=tests/lab/lab.sh
KERNELS=${LAB_KERNELS-$($LAB kernels default)}
[ "$KERNELS" = all ] && KERNELS=$($LAB kernels all)
cache=${LAB_CACHE:-/var/cache/dioscope/lab}
DIOSCOPE_BIN=${DIOSCOPE_BIN:-$PWD/dioscope}
export DIOSCOPE_BIN
GUEST_TIMEOUT=${LAB_TIMEOUT:-600}
[[ $GUEST_TIMEOUT =~ ^[1-9][0-9]*$ ]] || { echo "LAB_TIMEOUT takes seconds, not '$GUEST_TIMEOUT'" >&2; exit 2; }
# reference.fio: 512 KiB sequential and 1 MiB random, in 4 KiB writes
REF_IOS=384
# functions the reference workload runs once per write
PER_IO="iomap_dio_rw iomap_dio_complete ext4_dio_write_end_io"
# at least once per write: on 5.10 jbd2 also maps its journal blocks
# through it (bmap -> iomap_bmap)
AT_LEAST_PER_IO="ext4_iomap_begin"
skipped=0
qemu_broken=""

work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-labtests.XXXXXX")
trap 'rm -rf "$work"' EXIT

lab_skip() {	# lab_skip DESCRIPTION REASON
	skip "$1" "$2"
	skipped=$((skipped + 1))
}

finish() {
	local passed=$((tap_n - tap_failed - skipped))
	echo "1..$tap_n"
	if [ "$skipped" -gt 0 ]; then
		echo "$passed passed, $tap_failed failed, $skipped skipped"
	else
		echo "$passed passed, $tap_failed failed"
	fi
	[ "$tap_failed" -eq 0 ]
	exit
}

# csv FILE: a CSV file's lines without the CR of RFC 4180's line ends
csv() {
	tr -d '\r' < "$1" 2>/dev/null
}

# csv_get FILE KEY [COLUMN]: the COLUMN (2) of the row whose first field is KEY
csv_get() {
	csv "$1" | awk -F, -v k="$2" -v c="${3:-2}" '$1 == k { print $c; exit }'
}

# calls_of COUNTS FUNCTION: "TIER CALLS" of the function in dioscope's counts.csv
calls_of() {
	csv "$1" | awk -F, -v f="$2" '$2 == f { print $3, ($4 == "" ? "-" : $4); exit }'
}

# rc_of DIR NAME: the exit status the guest recorded in DIR/NAME.rc
rc_of() {
	cat "$1/$2.rc" 2>/dev/null || echo missing
}

fio_ios() {	# fio_ios JSON: the writes fio completed, or "unreadable"
	jq '[.jobs[] | .write.total_ios] | add' "$1" 2>/dev/null || echo unreadable
}

fio_errors() {	# fio_errors JSON: the jobs' error codes summed
	jq '[.jobs[] | .error] | add' "$1" 2>/dev/null || echo unreadable
}

# --- the kernel and ftrace ------------------------------------------------

check_kernel() {	# check_kernel NAME OUT RELEASE VERSION
	local k=$1 o=$2 release=$3 version=$4
	check_eq "$k: uname -r in the guest is the package's kernel release" \
		"$release" "$(cat "$o/uname-r" 2>/dev/null)"
	if [ -n "$version" ]; then
		check "$k: uname -v names the package's version ($version)" \
			grep -qF "Debian $version " "$o/uname-v"
	fi
	check_eq "$k: the guest has /sys/kernel/btf/vmlinux" yes "$(cat "$o/btf" 2>/dev/null)"
	check_eq "$k: tracefs works (trace_marker reaches the trace, ext4 events listed)" \
		ok "$(cat "$o/tracefs" 2>/dev/null)"
	check_eq "$k: the guest lives through sched_switch switched on and off 100 times while tasks wake" \
		"toggles 100" "$(cat "$o/patching" 2>/dev/null)"
}

check_ftrace() {	# check_ftrace NAME OUT CONFIG
	local k=$1 o=$2 config=$3
	if [ "$(cat "$o/profiler" 2>/dev/null)" = present ]; then
		check_eq "$k: the function profiler counts the 3 calls of ksys_sync by sync(1)" \
			"0 3" "$(rc_of "$o" sync-profiler) $(csv_get "$o/sync-profiler.csv" ksys_sync)"
	elif grep -qs '^CONFIG_FUNCTION_PROFILER=y' "$config"; then
		not_ok "$k: the kernel is built with the function profiler, yet the guest has no function_profile_enabled"
	else
		lab_skip "$k: the function profiler counts calls" \
			"the kernel is built without CONFIG_FUNCTION_PROFILER; profile-run.sh counts with the function tracer"
	fi
	check_eq "$k: the function tracer (profile-run.sh -m tracer) counts the 3 calls of ksys_sync" \
		"0 3" "$(rc_of "$o" sync-tracer) $(csv_get "$o/sync-tracer.csv" ksys_sync)"
}

# check_reference NAME OUT RUN: fio ran the reference workload in full
check_reference() {
	local k=$1 o=$2 run=$3
	check_eq "$k/$run: the reference workload and its count ran (exit status)" 0 "$(rc_of "$o" "$run")"
	check_eq "$k/$run: fio wrote all of the reference workload, without errors" \
		"$REF_IOS 0" "$(fio_ios "$o/fio-$run.json") $(fio_errors "$o/fio-$run.json")"
}

# check_profile NAME OUT: the counts of the reference workload without
# dioscope: every traceable function is called; the per-IO ones once per
# write, which shows every write took the iomap DIO path
check_profile() {
	local k=$1 o=$2 f calls absent=""
	[ -s "$o/profile-fio.csv" ] || { not_ok "$k: ftrace counted the reference workload"; return; }
	while IFS=, read -r f calls; do
		if [ "$calls" = absent ]; then
			absent+=" $f"
		elif [[ " $PER_IO " == *" $f "* ]]; then
			check_eq "$k: $f runs once per write" "$REF_IOS" "$calls"
		elif [[ " $AT_LEAST_PER_IO " == *" $f "* ]]; then
			check "$k: $f runs at least once per write ($calls calls, $REF_IOS writes)" \
				[ "$calls" -ge "$REF_IOS" ]
		else
			check "$k: $f is called by the workload ($calls calls)" [ "$calls" -gt 0 ]
		fi
	done < <(tail -n +2 "$o/profile-fio.csv")
	echo "# $k: not in available_filter_functions (inlined or not in this kernel):${absent:- none}"
}

# --- dioscope -----------------------------------------------------------------

# version_lt RELEASE MAJOR.MINOR: is the release's version older?
version_lt() {
	local mm
	mm=$(grep -oE '^[0-9]+\.[0-9]+' <<<"$1")
	[ "$mm" != "$2" ] && [ "$(printf '%s\n%s\n' "$mm" "$2" | sort -V | head -1)" = "$mm" ]
}

# A BPF trampoline takes at most six arguments before Linux 6.6; a
# function with more can be traced by kprobe only, and the kernel says so.
no_trampoline() {	# no_trampoline RELEASE DETAIL
	version_lt "$1" 6.6 && [[ $2 == *ENOTSUPP* ]]
}

# bpf_get_func_arg(), which reads a path ** on fentry, came in 5.17: a
# program that needs it falls to kprobe before, and the kernel says so.
no_func_arg() {	# no_func_arg RELEASE DETAIL
	version_lt "$1" 5.17 && [[ $2 == *"helper it needs is missing"* ]]
}

# preempt_mode OUT CONFIG: the guest's preemption mode, read apart from
# dioscope: the one in parentheses in debugfs' sched/preempt, else the
# configuration's model; "unknown" without either
preempt_mode() {
	local m
	m=$(sed -n 's/.*(\([a-z]*\)).*/\1/p' "$1/sched-preempt" 2>/dev/null)
	if [ -z "$m" ] && [ -s "$2" ]; then
		m=$(awk -F= '$2 == "y" {
			if ($1 == "CONFIG_PREEMPT_RT") rt = 1
			else if ($1 == "CONFIG_PREEMPT_LAZY") m = "lazy"
			else if ($1 == "CONFIG_PREEMPT") m = "full"
			else if ($1 == "CONFIG_PREEMPT_VOLUNTARY") m = "voluntary"
			else if ($1 == "CONFIG_PREEMPT_NONE") m = "none"
		} END { print rt ? "rt" : m }' "$2")
	fi
	echo "${m:-unknown}"
}

# a fentry program can be preempted and entered again on its CPU (5.11+)
preemptible() {	# preemptible MODE
	[[ $1 == full || $1 == lazy || $1 == rt ]]
}

check_probe() {	# check_probe NAME OUT RELEASE CONFIG
	local k=$1 o=$2 release=$3 target sym tier detail
	local mode
	mode=$(preempt_mode "$o" "$4")
	check_eq "$k: dioscope probe --csv runs" 0 "$(rc_of "$o" probe)"
	check_eq "$k: probe's CSV header" "target,symbol,tier,detail" "$(csv "$o/probe.csv" | head -1)"
	while IFS=, read -r target sym tier detail; do
		detail=${detail#\"}
		detail=${detail%\"}
		if grep -qx "$sym" "$o/probe-traceable"; then
			if [ "$tier" = fentry ] && preemptible "$mode"; then
				not_ok "$k: probe puts $target ($sym) on fentry, where $mode preemption lets a second task enter its program"
			elif [ "$tier" = fentry ]; then
				ok "$k: probe puts $target ($sym) on fentry ($mode preemption)"
			elif [ "$tier" = kprobe ] && preemptible "$mode" &&
				[[ $detail == *"fentry: $mode preemption ("* ]]; then
				ok "$k: probe puts $target ($sym) on kprobe before any miss, and says why ($detail)"
			elif [ "$tier" = kprobe ] && no_trampoline "$release" "$detail"; then
				ok "$k: probe puts $target ($sym) on kprobe: no trampoline for it before 6.6 ($detail)"
			elif [ "$tier" = kprobe ] && no_func_arg "$release" "$detail"; then
				ok "$k: probe puts $target ($sym) on kprobe: no bpf_get_func_arg before 5.17 ($detail)"
			else
				not_ok "$k: probe puts $target ($sym) on $tier, not fentry: $detail"
			fi
		elif [ "$tier" = - ] || [ "$tier" = tracepoint ]; then
			check "$k: probe says why $target ($sym), not traceable here, is not on fentry ($tier: $detail)" \
				grep -qE "not in (kallsyms|this kernel)|inlined" <<<"$detail"
		else
			not_ok "$k: $sym is not in available_filter_functions, yet probe puts $target on $tier"
		fi
	done < <(csv "$o/probe.csv" | tail -n +2)
}

# check_record NAME OUT TIER RELEASE: dioscope's count of each function
# equals ftrace's over the same run
check_record() {
	local k=$1 o=$2 tier=$3 release=$4 f ft ds dtier detail
	local counts=$o/rec-$tier/counts.csv
	check_reference "$k" "$o" "$tier"
	check_eq "$k/$tier: counts.csv's header" "target,symbol,tier,calls" "$(csv "$counts" | head -1)"
	while IFS=, read -r f ft; do
		read -r dtier ds <<<"$(calls_of "$counts" "$f")"
		echo "$k $f $tier $ft ${dtier:-none} ${ds:--}" >> "$work/table"
		if [ "$ft" = absent ]; then
			check_eq "$k/$tier: $f, not traceable here, is not traced" - "${dtier:--}"
		elif [ "$dtier" = "$tier" ]; then
			check_eq "$k/$tier: $f: dioscope's calls = ftrace's" "$ft" "$ds"
		else
			detail=$(csv "$o/probe.csv" | awk -F, -v f="$f" '$2 == f { sub(/^[^,]*,[^,]*,[^,]*,/, ""); print; exit }')
			if [ "$tier" = fentry ] && no_trampoline "$release" "$detail"; then
				ok "$k/$tier: $f cannot be on fentry here (no trampoline before 6.6)"
			elif [ "$tier" = fentry ] && no_func_arg "$release" "$detail"; then
				ok "$k/$tier: $f cannot be on fentry here (no bpf_get_func_arg before 5.17)"
			else
				not_ok "$k/$tier: $f was not traced in tier $tier (${dtier:-no row})"
			fi
		fi
	done < <(tail -n +2 "$o/profile-$tier.csv" 2>/dev/null)
}

observed() {	# observed REPORT: nothing in it is "n/a" or "not observed"
	[ -s "$1" ] && ! grep -qE "n/a|not observed" "$1"
}

# misses_of META TARGET: the calls of a target's programs the kernel skipped
misses_of() {
	local v
	v=$(sed -n "s/^bpf_recursion_misses\.$2=//p" "$1" 2>/dev/null)
	case $v in
	'' | unknown) echo 0 ;;
	*) echo "$v" ;;
	esac
}

between() {	# between LOW N HIGH
	[ "$1" -le "$2" ] && [ "$2" -le "$3" ]
}

# check_concurrent NAME OUT LABEL CONFIG: unwritten-concurrent recorded
# and reported; each function dioscope traced counted as ftrace counts it,
# but for the calls the kernel reported skipping (recursion misses),
# which meta must count as lost. The first run (best), planned by the
# default plan with nothing learned, must lose nothing: every count =
# ftrace's, each function on the tier probe gave it.
check_concurrent() {
	local k=$1 c=$2/conc-$3 what="$1/concurrent-$3" f ft ds dtier name miss
	local missed=0 lost ptier mode got not_kprobe=0
	check_eq "$what: the recording and its count ran (exit status)" 0 "$(cat "$c/rc" 2>/dev/null)"
	if [ "$3" = best ]; then
		mode=$(preempt_mode "$2" "$4")
		conc_mode=$mode
		got=$(sed -n 's/^preemption=//p' "$c/meta" 2>/dev/null)
		# before 5.12 nothing in the running kernel tells none from
		# voluntary (no sched/preempt, uname -v without PREEMPT): meta
		# says none and why; neither preempts a BPF program
		[ "$mode" = voluntary ] && [ "$got" = none ] &&
			grep -q '^preemption_source=.*none or voluntary' "$c/meta" &&
			got=voluntary
		check_eq "$what: meta names the preemption mode in force" \
			"$mode" "$got"
		check_eq "$what: a first run with the default plan loses nothing (meta lost_events)" \
			0 "$(sed -n 's/^lost_events=//p' "$c/meta" 2>/dev/null)"
	fi
	while IFS=, read -r f ft; do
		read -r dtier ds <<<"$(calls_of "$c/counts.csv" "$f")"
		name=$(csv "$c/counts.csv" | awk -F, -v f="$f" '$2 == f { print $1; exit }')
		miss=$(misses_of "$c/meta" "$name")
		missed=$((missed + miss))
		echo "$k $f concurrent-$3 $ft ${dtier:-none} ${ds:--} $miss" >> "$work/ctable"
		[ "$ft" = absent ] && continue
		[ "$dtier" = kprobe ] || not_kprobe=$((not_kprobe + 1))
		if [ "$3" = best ]; then
			ptier=$(csv "$2/probe.csv" | awk -F, -v f="$f" '$2 == f { print $3; exit }')
			check_eq "$what: $f on the tier probe planned ($mode preemption)" "$ptier" "$dtier"
		fi
		if [ -z "$dtier" ] || [ "$dtier" = - ]; then
			not_ok "$what: $f was not traced"
		elif [ "$miss" -eq 0 ] || [ "$3" = best ]; then
			check_eq "$what: $f: dioscope's calls ($dtier) = ftrace's" "$ft" "$ds"
		else
			# a miss is a program skipped: a call whose entry and exit
			# programs were both skipped is one call and two misses
			check "$what: $f: dioscope's calls ($dtier, $ds) <= ftrace's ($ft) <= those + the kernel's recursion misses ($miss)" \
				between "$ds" "$ft" $((ds + miss))
		fi
	done < <(csv "$c/profile.csv" | tail -n +2)
	lost=$(sed -n 's/^lost_events=//p' "$c/meta" 2>/dev/null)
	check "$what: meta counts the $missed recursion misses as lost (lost_events=$lost)" \
		[ "${lost:-0}" -ge "$missed" ]
	[ "$3" = kprobe ] && kprobe_missed=$missed
	if [ "$3" = again ] && [ "${kprobe_missed:-0}" -gt 0 ] &&
	   [[ ${conc_mode:-} =~ ^(full|lazy|rt)$ ]]; then
		# another BPF program holding the CPU skips a kprobe program
		# too: then no tier is loss-free, and the plan must take the
		# one that lost least
		check_eq "$what: kprobe missed too ($kprobe_missed), so no function ftrace counts is planned off kprobe" \
			0 "$not_kprobe"
		lab_skip "$what: planned after a run that missed, nothing is missed" \
			"kprobe itself lost $kprobe_missed calls in this boot"
	elif [ "$3" = again ]; then
		check_eq "$what: planned after a run that missed, nothing is missed" 0 "$missed"
	fi
	if grep -q "=kprobe$" "$c/meta" 2> /dev/null; then
		check_eq "$what: no return missed (meta kretprobe_missed)" 0 \
			"$(sed -n 's/^kretprobe_missed=//p' "$c/meta")"
	fi
	check_eq "$what: no probe event of dioscope left in kprobe_events" 0 \
		"$(cat "$c/kprobe-events-left" 2> /dev/null)"
	check "$what: the report summarises the run" grep -qE '^conc-' "$c/report.txt"
	check "$what: the report counts merges and splits as observed" observed "$c/report.txt"
	check "$what: the merges' boundaries are listed" grep -qE '^merge [0-9]+ [0-9]+$' "$c/boundaries.txt"
}

# check_insert NAME OUT LABEL RELEASE: insert.sh's fallocate calls; the boundaries
# dioscope saw go (insert-time and try_to_merge merges) are those FIEMAP
# says went, and the insert-time ones are counted at all
check_insert() {
	local k=$1 d=$2/insert-$3 what="$1/insert-$3" ft ds dtier n_ext ins mrg detail
	check_eq "$what: the fallocate calls and their count ran (exit status)" 0 \
		"$(cat "$d/rc" 2>/dev/null)"
	ft=$(csv_get "$d/profile.csv" ext4_ext_insert_extent)
	read -r dtier ds <<<"$(calls_of "$d/counts.csv" ext4_ext_insert_extent)"
	# its path ** needs bpf_get_func_arg on fentry: the kprobe run counts it
	detail=$(csv "$2/probe.csv" | awk -F, '$2 == "ext4_ext_insert_extent" { sub(/^[^,]*,[^,]*,[^,]*,/, ""); print; exit }')
	if [ "$3" = fentry ] && [ "$dtier" = - ] && no_func_arg "$4" "$detail"; then
		ok "$what: ext4_ext_insert_extent cannot be on fentry here (no bpf_get_func_arg before 5.17)"
		return
	fi
	check_eq "$what: ext4_ext_insert_extent: dioscope's calls ($dtier) = ftrace's" "$ft" "$ds"
	n_ext=$(cat "$d/extents" 2>/dev/null)
	ins=$(awk '$1 == "insert" { print $2 }' "$d/merges" 2>/dev/null)
	mrg=$(awk '$1 == "merge" { print $2 }' "$d/merges" 2>/dev/null)
	echo "$k $3 ${ft:-?} ${n_ext:-?} ${ins:-?} ${mrg:-?}" >> "$work/itable"
	check_eq "$what: boundaries gone (insert-time + try_to_merge) = 64 - FIEMAP's extents ($n_ext)" \
		"$((64 - ${n_ext:-64}))" "$(( ${ins:-0} + ${mrg:-0} ))"
	check "$what: insert-time merges are seen ($ins)" [ "${ins:-0}" -gt 0 ]
}

# bench --device on a disk whose partition is mounted (device.sh)
check_device() {
	local k=$1 d=$2/device
	check "$k: bench --device refuses a disk with a partition mounted, even with --force ($(cat "$d/rc" 2>/dev/null))" \
		[ "$(cat "$d/rc" 2>/dev/null)" = 1 ]
	check "$k: ... naming the partition" grep -q "/dev/vdb is in use (vdb1 is mounted)" "$d/err"
	check_eq "$k: ... and the partition's file is still there" yes "$(cat "$d/kept" 2>/dev/null)"
}

# summary_sum SUMMARY COLUMN...: the columns of a run's summary.csv, summed
summary_sum() {
	local f=$1
	shift
	csv "$f" | awk -F, -v cols="$*" '
		NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
		{ n = split(cols, c, " "); s = 0
		  for (i = 1; i <= n; i++) { if (!(c[i] in h)) { print "missing"; exit }
					     s += $h[c[i]] }
		  print s; exit }'
}

# check_known_churn NAME OUT LABEL RELEASE: known-churn.sh's pairs, held
# in flight by dm-delay. From 7.0 a DIO allocation may extend the unwritten
# extent of an IO still in flight, whose conversion splits it again: one
# churn pair per pair that overlapped, all of them by DIO. Before 7.0, or
# serialized, none.
check_known_churn() {
	local k=$1 d=$2/kc-$3 what="$1/known-churn-$3" pairs ov want got ft ds dtier lost re
	check_eq "$what: the workload and its record ran (exit status)" 0 \
		"$(cat "$d/rc" 2>/dev/null)"
	read -r _ pairs _ ov _ _ _ re _ <<<"$(cat "$d/driver.txt" 2>/dev/null)"
	if [[ $3 == serial* ]]; then
		want=0
	else
		# a pair the emulation let through is written again (retried)
		check_eq "$what: dm-delay kept every first write in flight (${re:-?} retried)" \
			"${pairs:-?}" "${ov:-none}"
		want=${ov:-0}
		version_lt "$4" 7.0 && want=0
		# patches/7.3's fix keeps a new extent apart from one in flight
		[[ " ${LAB_FIXED_KERNELS:-} " == *" $k "* ]] && want=0
	fi
	lost=$(sed -n 's/^lost_events=//p' "$d/meta" 2>/dev/null)
	if [[ $3 == *fentry ]] && [ "${lost:-0}" -gt 0 ] 2>/dev/null &&
	   preemptible "${conc_mode:-}"; then
		# forced onto fentry where its programs can be entered twice
		# on a CPU: a skipped call is counted, and then no count can
		# be held to the known answer
		lab_skip "$what: nothing lost" \
			"--tier fentry under ${conc_mode} preemption lost $lost calls, counted in meta"
		lab_skip "$what: churn pairs = the known answer" "calls were lost"
		echo "$k $3 ${pairs:-?} ${ov:-?} $want lost-$lost -" >> "$work/kctable"
		return
	fi
	check_eq "$what: nothing lost" 0 "${lost:-none}"
	got=$(summary_sum "$d/summary.csv" churn_pairs_by_dio churn_pairs_by_writeback \
		churn_pairs_by_fallocate churn_pairs_by_zero_range churn_pairs_by_other)
	check_eq "$what: churn pairs = the known answer" "$want" "${got:-none}"
	check_eq "$what: all of them charged to DIO" "$want" \
		"$(summary_sum "$d/summary.csv" churn_pairs_by_dio)"
	ft=$(csv_get "$d/profile.csv" ext4_split_extent_at)
	read -r dtier ds <<<"$(calls_of "$d/counts.csv" ext4_split_extent_at)"
	[ "$ft" = absent ] ||
		check_eq "$what: ext4_split_extent_at: dioscope's calls ($dtier) = ftrace's" "$ft" "${ds:-none}"
	echo "$k $3 ${pairs:-?} ${ov:-?} $want ${got:-?} ${ft:-?}" >> "$work/kctable"
}

# summary_get SUMMARY COLUMN: a column of a run's summary.csv, as written
summary_get() {
	csv "$1" | awk -F, -v c="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) n = i; next }
		n { print $n; exit }'
}

# The programs of programs.sh and the Debian package each comes from
PROGRAMS="xfs_io:xfsprogs qemu-img:qemu-utils"

# check_programs NAME OUT: programs other than fio recorded in the guest
# (programs.sh): each function dioscope traced counted as ftrace counts
# it, nothing lost, and the report gives the kernel's latency percentiles
# and IOPS, as summary.csv's latency_source says
check_programs() {
	local k=$1 spec p pkg d what f ft ds dtier line p50 p99 iops
	for spec in $PROGRAMS; do
		p=${spec%%:*} pkg=${spec#*:} d=$2/prog-${spec%%:*} what="$1/$p"
		if [ -f "$d/missing" ]; then
			lab_skip "$what: recorded and reported" "$p is not on this machine (apt-get install $pkg)"
			continue
		fi
		check_eq "$what: the program, its record and report ran (exit status)" 0 "$(cat "$d/rc" 2>/dev/null)"
		check_eq "$what: nothing lost (meta lost_events)" 0 \
			"$(sed -n 's/^lost_events=//p' "$d/meta" 2>/dev/null)"
		while IFS=, read -r f ft; do
			[ "$ft" = absent ] && continue
			read -r dtier ds <<<"$(calls_of "$d/counts.csv" "$f")"
			check_eq "$what: $f: dioscope's calls (${dtier:-none}) = ftrace's" "$ft" "${ds:-none}"
		done < <(csv "$d/profile.csv" | tail -n +2)
		check_eq "$what: summary.csv's latency_source says the kernel's" kernel \
			"$(summary_get "$d/summary.csv" latency_source)"
		line=$(grep -E "^  prog-$p: kernel p50 [0-9.]+ us, p99 [0-9.]+ us, p99\.9 [0-9.]+ us, [0-9]+ IOPS$" "$d/report.txt")
		check "$what: report prints the kernel's p50, p99, p99.9 and IOPS" [ -n "$line" ]
		read -r p50 p99 iops <<<"$(sed -E 's/.* p50 ([0-9.]+) us, p99 ([0-9.]+) us, .* ([0-9]+) IOPS$/\1 \2 \3/' <<<"$line")"
		echo "$k $p $(summary_get "$d/summary.csv" ios) ${p50:-?} ${p99:-?} ${iops:-?}" \
			"$(summary_get "$d/summary.csv" splits_total)" \
			"$(summary_sum "$d/summary.csv" churn_pairs_by_dio churn_pairs_by_writeback \
				churn_pairs_by_fallocate churn_pairs_by_zero_range churn_pairs_by_other)" \
			"$(csv_get "$d/profile.csv" ext4_split_extent_at)" >> "$work/ptable"
	done
}

# --- one kernel -----------------------------------------------------------

# test_kernel NAME [BZIMAGE]
test_kernel() {
	local k=$1 image=${2:-} o=$work/$1 rc t0 release version="" config="" fetched
	local failed_before=$tap_failed
	if [ -n "$qemu_broken" ]; then
		lab_skip "$k: kernel lab" "$qemu_broken"
		return
	fi
	if [ -z "$image" ]; then
		fetched=$($LAB fetch "$k" 2> "$work/$k.fetch")
		rc=$?
		if [ "$rc" -eq 69 ]; then
			lab_skip "$k: kernel lab" "$(tail -1 "$work/$k.fetch" | sed 's/^lab: //')"
			return
		elif [ "$rc" -ne 0 ]; then
			not_ok "$k: the kernel's package is fetched: $(tail -1 "$work/$k.fetch")"
			return
		fi
		release=$(cat "$cache/kernels/$k/release")
		version=${fetched##* }
		config=$cache/kernels/$k/config
		echo "# $k: $fetched"
	else
		release=$(file -bL "$image" | sed -n 's/.*version \([^ ]*\).*/\1/p')
		echo "# $k: $image ($release)"
	fi

	t0=$SECONDS
	$LAB run "$k" ${image:+--kernel-image "$image"} --timeout "$GUEST_TIMEOUT" --out "$o" \
		-- sh /lab/checks.sh > "$work/$k.log" 2> "$work/$k.err"
	rc=$?
	echo "# $k: boot, checks and power-off took $((SECONDS - t0)) s"
	if [ "$rc" -eq 77 ]; then
		qemu_broken=$(tail -1 "$work/$k.err" | sed 's/^lab: //')
		lab_skip "$k: kernel lab" "$qemu_broken"
		return
	fi
	grep -v 'building the guest' "$work/$k.err" | sed 's/^/# /'
	if [ "$rc" -ne 0 ] || [ ! -f "$o/uname-r" ]; then
		not_ok "$k: the guest boots and runs the lab's checks (status $rc)"
		sed 's/^/# /' "$work/$k.log" | tail -30
		return
	fi
	ok "$k: the guest boots and runs the lab's checks"
	check_kernel "$k" "$o" "$release" "$version"
	check_ftrace "$k" "$o" "$config"
	check_reference "$k" "$o" fio
	check_profile "$k" "$o"
	if [ ! -x "$DIOSCOPE_BIN" ]; then
		lab_skip "$k: dioscope probe, record in tiers fentry and kprobe, report" "dioscope not built"
		return
	fi
	check_probe "$k" "$o" "$release" "$config"
	check_record "$k" "$o" fentry "$release"
	check_record "$k" "$o" kprobe "$release"
	check_concurrent "$k" "$o" best "$config"
	check_concurrent "$k" "$o" kprobe "$config"
	check_concurrent "$k" "$o" again "$config"
	check_insert "$k" "$o" fentry "$release"
	check_insert "$k" "$o" kprobe "$release"
	check_known_churn "$k" "$o" fentry "$release"
	check_known_churn "$k" "$o" kprobe "$release"
	check_known_churn "$k" "$o" serial-fentry "$release"
	check_programs "$k" "$o"
	check_device "$k" "$o"
	if [ "$tap_failed" -gt "$failed_before" ]; then
		echo "# $k: the guest's log:"
		sed 's/^/# /' "$work/$k.log"
	fi
}

# --- the instruction counter ---------------------------------------------

# test_icount KERNEL: boot under -icount, bench briefly, check the labels
test_icount() {
	local k=$1 o=$work/icount-$1 rc t0 meta sum
	if [ -n "$qemu_broken" ]; then
		lab_skip "$k icount: kernel lab" "$qemu_broken"
		return
	fi
	if [ ! -x "$DIOSCOPE_BIN" ]; then
		lab_skip "$k icount: bench labelled clock=icount" "dioscope not built"
		return
	fi
	t0=$SECONDS
	$LAB run "$k" --icount --timeout 900 --out "$o" -- sh /lab/icount.sh \
		> "$work/icount-$k.log" 2> "$work/icount-$k.err"
	rc=$?
	echo "# $k icount: boot, bench and power-off took $((SECONDS - t0)) s"
	if [ "$rc" -ne 0 ] || [ ! -f "$o/cmdline" ]; then
		not_ok "$k icount: the guest boots under -icount shift=0,sleep=off (status $rc)"
		sed 's/^/# /' "$work/icount-$k.err" | tail -20
		return
	fi
	ok "$k icount: the guest boots under -icount shift=0,sleep=off"
	check "$k icount: the guest's command line says dioscope.clock=icount" \
		grep -q "dioscope.clock=icount" "$o/cmdline"
	rc=$(cat "$o/bench.rc" 2>/dev/null)
	check_eq "$k icount: the bench runs" 0 "$rc"
	[ "$rc" = 0 ] || sed 's/^/# /' "$o/bench.log" | tail -20
	meta=$(ls "$o"/bench/*/*/run-1/meta 2>/dev/null | head -1)
	sum=$(ls "$o"/bench/*/summary.csv 2>/dev/null | head -1)
	check_eq "$k icount: the run's meta says clock=icount" clock=icount \
		"$(grep -x 'clock=.*' "$meta" 2>/dev/null)"
	check_eq "$k icount: ... beside emulated=yes" emulated=yes \
		"$(grep -x 'emulated=.*' "$meta" 2>/dev/null)"
	check_eq "$k icount: summary.csv's clock column says icount" icount \
		"$(csv "$sum" | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "clock") c = i; next } c { print $c; exit }')"
	check "$k icount: report gives times in instructions" \
		grep -q "^SCENARIO .* p50 kins" "$o/report.txt"
	check "$k icount: ... and says why" grep -q "clock=icount: guest time counted executed instructions" "$o/report.txt"
}

# --- the comparison table -------------------------------------------------

# One row per kernel and function: ftrace's count over the fentry run
# ("a/b" when the kprobe run's differs), then dioscope's in each tier.
print_table() {
	[ -f "$work/table" ] || return 0
	echo "# calls over the reference workload: ftrace vs dioscope"
	printf '# %-26s %-32s %9s %15s %15s\n' kernel function ftrace dioscope-fentry dioscope-kprobe
	awk '
	{
		key = $1 SUBSEP $2
		if (!(key in seen)) { seen[key] = 1; order[++n] = key; kern[key] = $1; fn[key] = $2 }
		prof[key, $3] = $4
		ds[key, $3] = ($5 == $3 || $5 == "-" || $5 == "none") ? $6 : $6 " (" $5 ")"
	}
	END {
		for (i = 1; i <= n; i++) {
			k = order[i]
			p = prof[k, "fentry"]
			if (prof[k, "kprobe"] != p) p = p "/" prof[k, "kprobe"]
			printf "# %-26s %-32s %9s %15s %15s\n", kern[k], fn[k], p, ds[k, "fentry"], ds[k, "kprobe"]
		}
	}' "$work/table"
	if [ -f "$work/ctable" ]; then
		echo "# calls over unwritten-concurrent: ftrace vs dioscope (best tier, kprobe, best after that)"
		printf '# %-26s %-32s %-18s %9s %15s %7s\n' kernel function run ftrace dioscope misses
		awk '{ printf "# %-26s %-32s %-18s %9s %15s %7s\n", $1, $2, $3, $4, $6 ($5 == "-" || $5 == "none" ? "" : " (" $5 ")"), $7 }' "$work/ctable"
	fi
	if [ -f "$work/itable" ]; then
		echo "# 64 fallocate calls of 4 KiB: inserts (ftrace), FIEMAP extents after, merges dioscope saw"
		printf '# %-26s %-8s %8s %8s %14s %14s\n' kernel tier inserts extents insert-merges tree-merges
		awk '{ printf "# %-26s %-8s %8s %8s %14s %14s\n", $1, $2, $3, $4, $5, $6 }' "$work/itable"
	fi
	if [ -f "$work/kctable" ]; then
		echo "# known churn: pairs held in flight by dm-delay; the answer, dioscope's churn pairs, splits (ftrace)"
		printf '# %-26s %-14s %6s %10s %7s %8s %7s\n' kernel run pairs overlapped answer dioscope splits
		awk '{ printf "# %-26s %-14s %6s %10s %7s %8s %7s\n", $1, $2, $3, $4, $5, $6, $7 }' "$work/kctable"
	fi
}

# programs other than fio (programs.sh), one row per kernel and program
print_programs() {
	[ -f "$work/ptable" ] || return 0
	echo "# programs other than fio: IOs, the kernel's p50 and p99 (us), IOPS; splits, churn pairs (dioscope), splits (ftrace)"
	printf '# %-26s %-9s %5s %11s %11s %6s %7s %6s %7s\n' kernel program IOs p50 p99 IOPS splits churn ftrace
	awk '{ printf "# %-26s %-9s %5s %11s %11s %6s %7s %6s %7s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }' "$work/ptable"
}

# --- main -------------------------------------------------------------------

main() {
	local k spec
	if [ "$(id -u)" -ne 0 ]; then
		lab_skip "kernel lab" "needs root"
		finish
	fi
	[ -x "$DIOSCOPE_BIN" ] || echo "# dioscope not built ($DIOSCOPE_BIN): its checks are skipped"
	for k in $KERNELS; do
		test_kernel "$k"
	done
	for spec in ${LAB_KERNEL_IMAGES:-}; do
		test_kernel "${spec%%=*}" "${spec#*=}"
	done
	# one boot is enough: the mode is QEMU's, not the kernel's
	[ -z "$k" ] || test_icount "$k"
	print_table
	print_programs
	finish
}

main
