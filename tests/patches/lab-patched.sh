#!/usr/bin/env bash
# make test-patches: build the kernel of patches/ (about 5 minutes on 2
# cores), boot it in the lab, and check that the new tracepoints count
# the same splits and merges as fentry on the functions, over one run.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

require_root "patched-kernel lab test"
if ! patches/build-kernel.sh > build/patches-build.log 2>&1; then
	not_ok "the patched kernel builds (build/patches-build.log)"
	tap_done
	exit 1
fi
ok "the patched kernel builds"
out=$(tests/lab/lab.sh run patched --kernel-image .cache/patches/bzImage \
	--timeout 300 -- 'sh /lab/patched.sh' 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
check_eq "the guest ran the workload" 0 "$rc"
check "probe used the new tracepoints for splits" grep -q "pt-tp/meta:tier.split=tracepoint" <<<"$out"
check "... and for merges" grep -q "pt-tp/meta:tier.merge=tracepoint" <<<"$out"
for what in splits merges; do
	row=$(grep "^$what," <<<"$out")
	tp=$(cut -d, -f2 <<<"$row")
	fe=$(cut -d, -f3 <<<"$row")
	check "$what were seen ($tp)" [ "${tp:-0}" -gt 0 ]
	check_eq "$what: the tracepoints count what fentry counts" "$fe" "$tp"
done
tap_done
