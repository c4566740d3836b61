#!/usr/bin/env bash
# The patch series of patches/ against Debian's linux-source-6.1: it
# applies cleanly, checkpatch finds no error or warning, and the
# tracepoints it adds carry the fields, in the order, that the BPF
# programs reading them expect.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-patches.XXXXXX")
trap 'rm -rf "$work"' EXIT
tarball=/usr/src/linux-source-6.1.tar.xz

if [ ! -r "$tarball" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-source-6.1 > "$work/apt.log" 2>&1
	fi
	if [ ! -r "$tarball" ]; then
		not_ok "linux-source-6.1 is not installed and could not be ($(tail -1 "$work/apt.log" 2>/dev/null))"
		tap_done
		exit 1
	fi
fi
# only what the series touches and what checkpatch reads
tar xf "$tarball" -C "$work" linux-source-6.1/fs/ext4 \
	linux-source-6.1/include/trace/events/ext4.h \
	linux-source-6.1/scripts/checkpatch.pl linux-source-6.1/scripts/spelling.txt \
	linux-source-6.1/scripts/const_structs.checkpatch
src=$work/linux-source-6.1

for p in patches/*.patch; do
	name=$(basename "$p")
	check "$name applies cleanly (dry run)" patch -d "$src" -p1 --dry-run --quiet -i "$PWD/$p"
	check "$name applies" patch -d "$src" -p1 --quiet -i "$PWD/$p"
	# from the kernel tree: inside another git repository checkpatch
	# takes the patch for a source file
	out=$(cd "$src" && perl scripts/checkpatch.pl --no-tree "$OLDPWD/$p" 2>&1)
	check "$name: checkpatch finds no error and no warning" \
		grep -q "^total: 0 errors, 0 warnings" <<<"$out"
	echo "# $(cd "$src" && perl scripts/checkpatch.pl --no-tree --strict "$OLDPWD/$p" 2>&1 | grep '^total:') (--strict)"
done

# fields of a TRACE_EVENT in the patched header, and of the BPF struct
tp_fields() {
	awk -v ev="TRACE_EVENT($1," 'index($0, ev) == 1 { on = 1 } on && /__field\(/ {
		sub(/.*, */, ""); sub(/\).*/, ""); print } on && /TP_fast_assign/ { exit }' \
		"$src/include/trace/events/ext4.h" | tr '\n' ' '
}
bpf_fields() {
	awk -v st="struct trace_event_raw_$1___ds {" '$0 == st { on = 1; next }
		on && /^}/ { exit } on && !/struct trace_entry/ {
		gsub(/;/, ""); print $NF }' bpf/extent_churn.bpf.c | tr '\n' ' '
}
for ev in ext4_ext_split ext4_ext_merge; do
	check_eq "$ev: the BPF program reads the fields the patch defines" \
		"$(tp_fields "$ev")" "$(bpf_fields "$ev")"
done
tap_done
