#!/usr/bin/env bash
# Writes a synthetic results tree as bench writes one, for the compare and
# plot tests: DIR/summary.csv and DIR/<scenario>/run-<j>/ with ios.csv,
# events.csv, meta and summary.csv, the summaries computed from the IOs
# (nearest-rank percentiles, their order-statistic intervals) as bench
# computes them.
#
#   synth.sh DIR [key=value...]
#
#   release=6.1.0-synth  emulated=no   tier=fentry (tracepoint: merges unseen)
#   scale=1.0  latency factor           seed=1      runs=3   ios=2000
#   waste=0.2  share of IOs with a churn pair       runsd=0  run-to-run sd
#   wastens=9000  mean wasted ns of an IO with a churn pair
#              waste and wastens may be lists, a value per run: 0.5,0.6,0.5
#              (run j takes the j-th, cycling)
#   preio=1    1: every IO splits before IO and converts at end_io, 0: none
#   bs=4096  size=67108864  mount=dioread_nolock  fio=fio-3.33
#   scenarios='unwritten-concurrent.4k.dioread_nolock overwrite.4k.dioread_nolock'
#   guard=off|on  a merge_guard column (bench --merge-guard); none by default
#   clock=wall|icount  a clock column (lab.sh --icount); none by default
#   start=NS step=NS  run j's meta says run_start_ns=START + (j-1) * STEP
#                     (the order of runs in time); none by default
#
# Latency is lognormal around 200 us (times scale and a run effect), plus the
# wasted time of the IO's churn pair; IOPS follows from latency at iodepth 4.
set -eu

dir=$1; shift
release=6.1.0-synth emulated=no tier=fentry scale=1.0 seed=1 runs=3 ios=2000
waste=0.2 wastens=9000 runsd=0 preio=1 bs=4096 size=67108864 mount=dioread_nolock fio=fio-3.33
scenarios='unwritten-concurrent.4k.dioread_nolock overwrite.4k.dioread_nolock'
guard= clock= start= step=1000000000
for kv in "$@"; do
	case ${kv%%=*} in
	release|emulated|tier|scale|seed|runs|ios|waste|wastens|runsd|preio|bs|size|mount|fio|scenarios|guard|clock|start|step)
		printf -v "${kv%%=*}" '%s' "${kv#*=}" ;;
	*) echo "synth.sh: unknown setting $kv" >&2; exit 2 ;;
	esac
done
observed=yes
[ "$tier" = tracepoint ] && observed=no
[ "$tier" = tracepoint ] && waste=0

ios_header='io,job,ddir,offset_bytes,len_bytes,lat_ns,kernel_lat_ns,submit_ns,complete_ns,pid,tid,inode,aio,ret,iomap_type'
for c in iomap_begin map_blocks pre_io convert_map convert convert_init end_io split merge merge_call wasted; do
	ios_header="$ios_header,${c}_count,${c}_ns"
done
ios_header="$ios_header,churn_pairs,wasted_ns_total,joined"
summary_header='scenario,kernel_release,runs,ios,iops,lat_p50_ns,lat_p50_lo_ns,lat_p50_hi_ns,lat_p90_ns,lat_p90_lo_ns,lat_p90_hi_ns,lat_p99_ns,lat_p99_lo_ns,lat_p99_hi_ns,lat_p999_ns,lat_p999_lo_ns,lat_p999_hi_ns,lat_mean_ns,wasted_ns_total,wasted_ns_per_io,wasted_share,splits_per_1k_ios,merges_per_1k_ios,churn_pairs_per_1k_ios,merges_observed,join_rate,lost_events,block_size_bytes,size_bytes,mount_options,fio_version,tiers,emulated,complete,pre_io_splits_per_1k_ios'

# pick LIST J: the J-th value of a comma list, cycling
pick() { awk -v l="$1" -v j="$2" 'BEGIN { n = split(l, v, ","); print v[(j - 1) % n + 1] }'; }

# One run: its ios.csv and events.csv, and "ios iops lat_sum wasted splits
# merges churn pre_io" on stdout for the summaries.
gen_run() {	# gen_run SEED DIR WASTE WASTENS
	awk -v seed="$1" -v n="$ios" -v scale="$scale" -v waste="$3" -v wns="$4" \
	    -v runsd="$runsd" -v bs="$bs" -v obs="$observed" -v preio="$preio" \
	    -v ios_out="$2/ios.csv" -v ev_out="$2/events.csv" -v header="$ios_header" '
	function normal() { return sqrt(-2 * log(1 - rand())) * cos(6.283185307 * rand()) }
	function row(io, lat, klat, start, done, w, c, sp, mg, joined) {
		printf "%s,0,write,%d,%d,%s,%s,%d,%d,100,101,12,1,%d,UNWRITTEN", io, io * bs, bs, lat, klat, start, done, bs > ios_out
		printf ",1,900,%d,%d,%d,%d,%d,%d,1,2000,0,0,1,2500", 2 * preio, 3000 * preio, preio, 1500 * preio, preio, 1500 * preio > ios_out
		printf ",%d,%d,%d,%d,0,0,%d,%d,%d,%d,%d\r\n", sp, sp * 700, mg, mg * 400, c, w, c, w, joined > ios_out
	}
	BEGIN {
		srand(seed)
		runf = exp(runsd * normal())
		print header "\r" > ios_out
		print "ts_ns,dur_ns,type,target,tier,comm,pid,tid,dev,inode,pos,len,flags,aux0,aux1,aux2,ret\r" > ev_out
		t = 1000
		for (i = 0; i < n; i++) {
			w = 0; c = 0
			if (rand() < waste) { w = int(wns / 9 + wns * 8 / 9 * -log(1 - rand())); c = 1 }
			lat = int(scale * runf * 200000 * exp(0.25 * normal())) + w
			sp = obs == "yes" ? 1 + c : 0; mg = obs == "yes" ? c : 0
			row(i, lat, lat - 20000, t, t + lat - 20000, w, c, sp, mg, 1)
			if (preio)
				printf "%d,1500,map_blocks,map_blocks,fentry,fio,100,101,7340032,12,%d,1,8,0,0,0,1\r\n", t + 500, i > ev_out
			for (k = 0; k < sp; k++)
				printf "%d,700,split,split,fentry,fio,100,101,7340032,12,%d,1,0,%d,1,0,0\r\n", t + 900 + k, i, i > ev_out
			if (mg)
				printf "%d,400,merge,merge,fentry,kworker,0,50,7340032,12,%d,1,4,%d,%d,0,1\r\n", t + 1500, i, i + 1, i > ev_out
			if (preio)
				printf "%d,1500,map_blocks,map_blocks,fentry,kworker,0,50,7340032,12,%d,1,16,0,0,0,1\r\n", t + lat - 21000, i > ev_out
			else
				printf "%d,9000,dio_complete,dio_complete,fentry,fio,100,101,7340032,12,%d,1,1,0,0,0,4096\r\n", t + lat - 20000, i > ev_out
			lsum += lat; wsum += w; splits += sp; merges += mg; churn += c
			t += int(lat / 4)
		}
		# IOs only one side saw: fio logged one the kernel did not, and the reverse
		printf "%s,0,write,0,%d,%d,,,,,,,,,", "", bs, 200000 > ios_out
		for (k = 0; k < 25; k++) printf "," > ios_out
		printf "0\r\n" > ios_out
		row(n, "", 150000, t, t + 150000, 0, 0, 0, 0, 0)
		# a split no IO window holds, and a merge call that joined 3
		# pairs: counted per run, not per IO
		if (obs == "yes") {
			printf "%d,700,split,split,fentry,jbd2,0,60,7340032,12,0,1,0,0,1,0,0\r\n", t + 200000 > ev_out
			printf "%d,900,merge,merge,fentry,jbd2,0,60,7340032,12,0,1,4,1,0,3,1\r\n", t + 200100 > ev_out
			splits++
			merges += 3
		}
		printf "%d %.2f %d %d %d %d %d %d\n", n + 1, n / (lsum / 4 / 1e9), lsum, wsum, splits, merges, churn, preio * (n + 1)
	}'
}

# "p50 lo hi p90 ... p999 lo hi mean" of the sorted latencies on stdin, as
# stats_percentile() and stats_percentile_ci() compute them.
percentiles() {
	awk '{ v[NR] = $1; s += $1 }
	function rank(r) { return v[r < 1 ? 1 : r > NR ? NR : r] }
	function up(x) { return x == int(x) ? x : int(x) + 1 }
	END {
		split("50 90 99 99.9", ps, " ")
		for (i = 1; i <= 4; i++) {
			q = ps[i] / 100; h = 1.959964 * sqrt(NR * q * (1 - q))
			lo = NR * q - h; lo = lo == int(lo) ? lo : (lo < 0 ? int(lo) - 1 : int(lo))
			printf "%d %d %d ", rank(up(q * NR)), rank(lo), rank(up(NR * q + h) + 1)
		}
		printf "%.0f\n", s / NR
	}'
}

summary_row() {
	local scen=$1 nruns=$2 ios=$3 iops=$4 lsum=$5 wsum=$6 splits=$7 merges=$8 churn=$9 preio=${10} pct=${11}
	awk -v scen="$scen" -v rel="$release" -v nruns="$nruns" -v ios="$ios" -v iops="$iops" \
	    -v lsum="$lsum" -v wsum="$wsum" -v splits="$splits" -v merges="$merges" \
	    -v churn="$churn" -v preio="$preio" -v pct="$pct" -v obs="$observed" \
	    -v bs="$bs" -v size="$size" -v mount="$mount" -v fio="$fio" -v tier="$tier" \
	    -v em="$emulated" -v guard="$guard" -v clock="$clock" 'BEGIN {
		split(pct, p, " ")
		printf "%s,%s,%d,%d,%.6g", scen, rel, nruns, ios, iops
		for (i = 1; i <= 13; i++) printf ",%d", p[i]
		if (obs == "yes")
			printf ",%d,%.6g,%.6g,%.6g,%.6g,%.6g,yes", wsum, wsum / ios, wsum / lsum,
				1000 * splits / ios, 1000 * merges / ios, 1000 * churn / ios
		else
			printf ",,,,,,,no"
		printf ",%.6g,0,%s,%s,%s,%s,%s,%s,yes,%.6g", (ios - 1) / ios, bs, size,
			mount, fio, tier, em, 1000 * preio / ios
		if (guard != "")
			printf ",%s", guard
		if (clock != "")
			printf ",%s", clock
		printf "\r\n"
	}'
}

meta() {
	local t
	printf 'scenario=%s\nblock_size_bytes=%s\nsize_bytes=%s\nmount_options=%s\nmkfs_options=-\nfio_version=%s\nemulated=%s\nkernel_release=%s\nrun=%s\ncomplete=yes\nlost_events=0\n' \
		"$1" "$bs" "$size" "$mount" "$fio" "$emulated" "$release" "$2"
	[ -z "$start" ] || echo "run_start_ns=$((start + ($2 - 1) * step))"
	[ -z "$clock" ] || echo "clock=$clock"
	for t in dio_submit dio_complete iomap_begin map_blocks split merge; do
		if [ "$tier" = tracepoint ] && { [ $t = split ] || [ $t = merge ]; }; then
			echo "tier.$t=-"
		else
			echo "tier.$t=$tier"
		fi
	done
}

lat_of() { awk -F, 'NR > 1 && $NF + 0 == 1 { print $6 }' "$@" | sort -n; }

[ -z "$guard" ] || summary_header="$summary_header,merge_guard"
[ -z "$clock" ] || summary_header="$summary_header,clock"
mkdir -p "$dir"
echo "$summary_header"$'\r' > "$dir/summary.csv"
s=0
for scen in $scenarios; do
	s=$((s + 1))
	tot=(0 0 0 0 0 0 0 0)
	for r in $(seq "$runs"); do
		rd=$dir/$scen/run-$r
		mkdir -p "$rd"
		read -r -a st <<<"$(gen_run "$seed$s$r" "$rd" "$(pick "$waste" "$r")" "$(pick "$wastens" "$r")")"
		meta "$scen" "$r" > "$rd/meta"
		{
			echo "$summary_header"$'\r'
			summary_row "$scen" 1 "${st[0]}" "${st[1]}" "${st[2]}" "${st[3]}" "${st[4]}" \
				"${st[5]}" "${st[6]}" "${st[7]}" "$(lat_of "$rd/ios.csv" | percentiles)"
		} > "$rd/summary.csv"
		for i in 0 2 3 4 5 6 7; do tot[i]=$((tot[i] + st[i])); done
		tot[1]=$(awk -v a="${tot[1]}" -v b="${st[1]}" 'BEGIN { print a + b }')
	done
	iops=$(awk -v a="${tot[1]}" -v n="$runs" 'BEGIN { print a / n }')
	summary_row "$scen" "$runs" "${tot[0]}" "$iops" "${tot[2]}" "${tot[3]}" "${tot[4]}" \
		"${tot[5]}" "${tot[6]}" "${tot[7]}" \
		"$(lat_of "$dir/$scen"/run-*/ios.csv | percentiles)" >> "$dir/summary.csv"
done
