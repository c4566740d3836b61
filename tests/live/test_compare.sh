#!/usr/bin/env bash
# dioscope compare on synthetic results: a results directory against
# itself shows no significant difference, against a copy 10 % slower it
# finds the shift, and scenarios whose parameters differ are refused.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

DIOSCOPE=${DIOSCOPE:-./dioscope}
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-cmp.XXXXXX")
trap 'rm -rf "$work"' EXIT

# synth DIR RELEASE SCALE SEED [BS]: 3 runs of 600 IOs of one scenario
synth() {
	local dir=$1 rel=$2 scale=$3 seed=$4 bs=${5:-4096} r
	mkdir -p "$dir"
	for r in 1 2 3; do
		mkdir -p "$dir/seq/run-$r"
		awk -v s="$scale" -v seed="$seed$r" 'BEGIN {
			srand(seed); print "io,lat_ns,joined"
			for (i = 0; i < 600; i++) printf "%d,%d,1\n", i, s * (100000 + 40000 * rand() + 20000 * rand())
		}' > "$dir/seq/run-$r/ios.csv"
		printf 'scenario,iops\nseq,%s\n' "$(awk -v s="$scale" -v r="$r" 'BEGIN { print 5000 / s + r }')" \
			> "$dir/seq/run-$r/summary.csv"
	done
	{
		echo "scenario,kernel_release,iops,lat_p50_ns,lat_p99_ns,block_size_bytes,size_bytes,mount_options,fio_version,tiers,emulated"
		echo "seq,$rel,$((5000 * 10 / ${scale/./})),$(awk -v s="$scale" 'BEGIN { print 130000 * s }'),$(awk -v s="$scale" 'BEGIN { print 158000 * s }'),$bs,1048576,dioread_nolock,fio-3.33,tracepoint,no"
	} > "$dir/summary.csv"
}

synth "$work/a" 6.1.0-test 1.0 17
synth "$work/b" 6.12.0-test 1.1 23
synth "$work/c" 6.12.0-test 1.0 23 65536

$DIOSCOPE compare "$work/a" "$work/a" -o "$work/self.csv" > "$work/self.out" 2>&1
check_eq "compare of a directory with itself exits 0" 0 "$?"
check "it finds no significant difference" grep -q "^0 of [1-9][0-9]* differences significant" "$work/self.out"
check "compare.csv has a header and rows" [ "$(wc -l < "$work/self.csv")" -gt 1 ]

$DIOSCOPE compare "$work/a" "$work/b" -o "$work/shift.csv" > "$work/shift.out" 2>&1
sig=$(awk -F, '$2 ~ /^lat_p(50|99)_ns$/ && $11 ~ /^yes/' "$work/shift.csv" | wc -l)
check_eq "a 10 % latency shift is significant at p50 and p99" 2 "$sig"
d50=$(awk -F, '$2 == "lat_p50_ns" { print $7 }' "$work/shift.csv")
check "the p50 difference is about +10 % ($d50)" awk -v d="$d50" 'BEGIN { exit !(d > 7 && d < 13) }'
lo=$(awk -F, '$2 == "lat_p50_ns" { print $8 }' "$work/shift.csv")
hi=$(awk -F, '$2 == "lat_p50_ns" { print $9 }' "$work/shift.csv")
check "its 95 % interval [$lo, $hi] holds 10 and not 0" \
	awk -v l="$lo" -v h="$hi" 'BEGIN { exit !(l < 10 && h > 10 && l > 0) }'

$DIOSCOPE compare "$work/a" "$work/c" -o "$work/bad.csv" > "$work/bad.out" 2>&1
check_eq "different block sizes are refused (exit 2)" 2 "$?"
check "... naming the parameter" grep -q "block_size_bytes differs" "$work/bad.out"
$DIOSCOPE compare "$work/a" > /dev/null 2>&1
check_eq "one directory is a usage error" 2 "$?"
$DIOSCOPE compare "$work/a" "$work/none" > "$work/none.out" 2>&1
check "a missing directory is named" grep -q "none/summary.csv" "$work/none.out"

tap_done
