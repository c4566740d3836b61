#!/usr/bin/env bash
# dioscope compare of results trees into OUT (compare.csv, compare.json),
# its table shown and kept in OUT/compare.txt:
#
#   plots/compare-txt.sh OUT RESULTS...
#
# The table is written aside and renamed: a write that fails (a full
# disk) fails this with compare's status, never leaving a table cut
# short, and compare.txt is replaced only when it is a regular file.
set -u
out=$1
shift
dioscope=${DIOSCOPE:-./dioscope}
txt=$out/compare.txt
tmp=$txt.dioscope-$$.tmp

say() { echo "compare-txt: $*" >&2; }

if [ -e "$txt" ] && { [ -L "$txt" ] || [ ! -f "$txt" ]; }; then
	say "$txt is not a regular file: not replaced"
	exit 1
fi
mkdir -p "$out" || exit 1
"$dioscope" compare "$@" -o "$out" > "$tmp"
rc=$?
cat "$tmp" 2> /dev/null
if [ "$rc" -ne 0 ]; then
	rm -f "$tmp"
	say "$txt not written: compare exited $rc"
	exit "$rc"
fi
mv -f -T "$tmp" "$txt" || { rm -f "$tmp"; exit 1; }
