#!/bin/sh
# In the guest, booted with lab.sh --icount (LAB_BPFTRACE=1): the
# in-kernel cost per IO of `dioscope record` on each tier this kernel
# offers, beside bpftrace counting the same attach points, rounds
# interleaved. Under icount the kernel's BPF run time (bpf_stats) is
# executed guest instructions, so these costs are instruction counts.
#   tier-cost.sh ROUNDS IOS [TIERS]
# TIERS: the tiers to measure, blank-separated (all three by default).
# Writes /out/cost.csv:
#   round,tier,tracer,ios,runs,run_time,events,lost,runs_same,run_time_same
# (*_same: dioscope's programs on the functions bpftrace could count too)
# and per tier TIER.bt, the script bpftrace ran, TIER.dropped, what
# bpftrace could not attach, TIER.unavailable, why a tier was not measured.
rounds=${1:-3}
ios=${2:-1024}
want_tiers=${3:-fentry kprobe tracepoint}
uname -r > /out/release
cat /proc/cmdline > /out/cmdline
# on for the whole script: record and bpftrace both read it
echo 1 > /proc/sys/kernel/bpf_stats_enabled
echo "round,tier,tracer,ios,runs,run_time,events,lost,runs_same,run_time_same" > /out/cost.csv
have_bt=no
command -v bpftrace > /dev/null && have_bt=yes
[ $have_bt = yes ] || echo "no bpftrace in the guest (LAB_BPFTRACE=1): dioscope alone"

prep() {
	rm -f /mnt/c
	fallocate -l 32M /mnt/c
	sync
}
job() {	# job N PREFIX...: N IOs under PREFIX
	n=$1
	shift
	"$@" fio --name=cost --filename=/mnt/c --rw=randwrite --bs=4k \
		--size=32M --number_ios="$n" --direct=1 --sync=1 \
		--ioengine=libaio --iodepth=1 --output=/dev/null > /dev/null 2>&1
}

# bt_probes TIER REC: bpftrace's attach points for what record attached
# on TIER, one per program (an entry and a return where record has both)
bt_probes() {
	{
	if [ "$1" = tracepoint ]; then
		for tp in iomap/iomap_dio_rw_begin iomap/iomap_dio_complete \
			iomap/iomap_iter iomap/iomap_iter_dstmap \
			ext4/ext4_ext_map_blocks_enter ext4/ext4_ext_map_blocks_exit \
			ext4/ext4_ext_convert_to_initialized_enter; do
			[ -d "/sys/kernel/tracing/events/$tp" ] && echo "tracepoint:$tp" | sed 's|/|:|'
		done
	else
		awk -F, 'FNR == 1 { next }
			FILENAME ~ /counts/ { sym[$1] = $2; next }
			$3 == "fentry" || $3 == "kprobe" {
				p = $1; s = sym[$2]
				if (s == "") next
				if (p ~ /^fentry_/) print "kfunc:" s
				else if (p ~ /^fexit_/) print "kretfunc:" s
				else if (p ~ /^kprobe_/) print "kprobe:" s
				else if (p ~ /^kretprobe_/) print "kretprobe:" s
			}' "$2/counts.csv" "$2/prog_stats.csv"
	fi
	# record's programs outside the plan, on every tier: time off the
	# CPU on each switch, the state of tasks that exit
	echo "tracepoint:sched:sched_switch"
	echo "tracepoint:sched:sched_process_exit"
	} | sort -u
}
bt_write() {	# bt_write TIER: TIER.probes as a counting script
	tr '\n' , < /out/$1.probes | sed 's/,$//' > /out/$1.bt
	printf '\n{ @[probe] = count(); }\n' >> /out/$1.bt
}

# The job runs as bpftrace's child (-c), which bpftrace starts once every
# probe is attached ("Attaching" is printed before they are): the child
# reads the cost of its parent's programs before and after the job.
cat > /tmp/bt-child.sh << EOF
selfbench prog-cost \$PPID > /tmp/bt.n0
rm -f /mnt/c
fallocate -l 32M /mnt/c
sync
fio --name=cost --filename=/mnt/c --rw=randwrite --bs=4k --size=32M \
	--number_ios=$ios --direct=1 --sync=1 --ioengine=libaio --iodepth=1 \
	--output=/dev/null > /dev/null 2>&1
selfbench prog-cost \$PPID > /tmp/bt.n1
EOF
bt_once() {	# bt_once TIER: 0 when the job ran under bpftrace
	rm -f /tmp/bt.n0 /tmp/bt.n1
	bpftrace -c "sh /tmp/bt-child.sh" /out/$1.bt > /tmp/bt.out 2>&1
	[ -s /tmp/bt.n1 ]
}
# bt_fit TIER: drop what bpftrace 0.17 cannot attach (it gives up on the
# whole script for one probe, e.g. kfunc on a function of 7 arguments),
# one function at a time, and say so in TIER.dropped
bt_fit() {
	: > /out/$1.dropped
	for _ in 1 2 3 4 5; do
		bt_once "$1" && return 0
		bad=$(sed -n 's/.*Code not generated for probe: [a-z]*:\(vmlinux:\)\{0,1\}\([A-Za-z0-9_]*\) .*/\2/p' /tmp/bt.out | head -1)
		if [ -z "$bad" ]; then
			echo "bpftrace on $1: $(head -3 /tmp/bt.out | tr '\n' ' ')" > /out/$1.bt.failed
			return 1
		fi
		echo "$bad" >> /out/$1.dropped
		grep -v -e ":$bad\$" /out/$1.probes > /tmp/probes
		mv /tmp/probes /out/$1.probes
		bt_write "$1"
	done
	return 1
}
# dioscope's row: all its programs, and those on functions bpftrace counted
dio_row() {	# dio_row ROUND TIER REC
	awk -F, -v r=$1 -v t=$2 -v ios=$ios -v drop=/out/$2.dropped '
		BEGIN { while ((getline l < drop) > 0) gone[l] = 1 }
		FILENAME ~ /meta/ { i = index($0, "="); m[substr($0, 1, i - 1)] = substr($0, i + 1); next }
		FILENAME ~ /counts/ { sym[$1] = $2; next }
		FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{
			rt += $col["run_time_ns"]; n += $col["runs"]
			if (!gone[sym[$2]]) { rts += $col["run_time_ns"]; ns += $col["runs"] }
		}
		END {
			# the programs outside the plan, in meta: on both sides
			split("sched_switch batch_flush task_exit", aux, " ")
			for (a in aux) {
				xt = m["bpf_run_time_ns." aux[a]] + 0
				xn = m["bpf_runs." aux[a]] + 0
				rt += xt; rts += xt; n += xn; ns += xn
			}
			printf "%s,%s,dioscope,%s,%d,%d,%d,%d,%d,%d\n", r, t, ios, n, rt, m["events"], m["lost_events"], ns, rts
		}' \
		"$3/meta" "$3/counts.csv" "$3/prog_stats.csv" >> /out/cost.csv
}
bt_row() {	# bt_row ROUND TIER
	read -r n0 t0 << EOF
$(awk -F, '$1 == "runs" { r = $2 } $1 == "run_time_ns" { t = $2 } END { print r + 0, t + 0 }' /tmp/bt.n0)
EOF
	read -r n1 t1 << EOF
$(awk -F, '$1 == "runs" { r = $2 } $1 == "run_time_ns" { t = $2 } END { print r + 0, t + 0 }' /tmp/bt.n1)
EOF
	n=$((n1 - n0))
	t=$((t1 - t0))
	echo "$1,$2,bpftrace,$ios,$n,$t,$n,0,$n,$t" >> /out/cost.csv
}

# Per tier, a first short recording says what record attaches there (or
# that the kernel offers nothing on it), and bpftrace is fitted to it.
tiers=
for tier in $want_tiers; do
	prep
	if ! job 64 dioscope record -f -o /tmp/rec --tier $tier -d /mnt --; then
		echo "record --tier $tier failed here" > /out/$tier.unavailable
		continue
	fi
	if ! awk -F, -v t=$tier 'NR > 1 && $3 == t { n++ } END { exit !n }' /tmp/rec/prog_stats.csv; then
		echo "no program attached on $tier" > /out/$tier.unavailable
		continue
	fi
	tiers="$tiers $tier"
	grep '^tier\.' /tmp/rec/meta > /out/$tier.tiers
	[ $have_bt = yes ] || continue
	bt_probes $tier /tmp/rec > /out/$tier.probes
	bt_write $tier
	echo "fitting bpftrace to $tier"
	bt_fit $tier || echo "bpftrace on $tier: not measured ($(cat /out/$tier.bt.failed 2> /dev/null))"
done

for r in $(seq "$rounds"); do
	for tier in $tiers; do
		echo "round $r of $rounds: $tier"
		prep
		job "$ios" dioscope record -f -o /tmp/rec --tier $tier -d /mnt -- ||
			echo "record --tier $tier failed in round $r"
		dio_row "$r" $tier /tmp/rec
		cp /tmp/rec/prog_stats.csv /out/$tier.prog_stats.$r.csv
		[ -e /out/$tier.bt.failed ] || [ $have_bt = no ] && continue
		if bt_once $tier; then
			bt_row "$r" $tier
		else
			echo "bpftrace on $tier failed in round $r: $(head -2 /tmp/bt.out | tr '\n' ' ')"
		fi
	done
done
