#!/usr/bin/env bash
# make install DESTDIR=... lays the files out as dioscope(8) says, the
# installed binary finds its data there when run from / with the checkout
# out of sight, and make uninstall takes back every file.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

dest=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-inst.XXXXXX")
trap 'rm -rf "$dest"' EXIT
prefix=/usr/local

if make -s install DESTDIR="$dest" > "$dest.log" 2>&1; then
	ok "make install DESTDIR=$dest"
else
	not_ok "make install DESTDIR=$dest: $(tail -3 "$dest.log")"
	tap_done
	exit 1
fi
rm -f "$dest.log"

# the files the documentation names
want="bin/dioscope share/dioscope/bench/matrix share/dioscope/bench/overwrite.fio
share/dioscope/bench/dio-zero-range.zr share/dioscope/plots/common.gp
share/dioscope/plots/cdf.gp lib/dioscope/zero-range lib/dioscope/known-churn lib/dioscope/torture
share/man/man8/dioscope.8 share/man/man8/dioscope-bench.8
share/bash-completion/completions/dioscope"
missing=""
for f in $want; do
	[ -e "$dest$prefix/$f" ] || missing="$missing $f"
done
check_eq "every documented file is installed" "" "$missing"
for f in bin/dioscope lib/dioscope/zero-range lib/dioscope/known-churn lib/dioscope/torture; do
	check "$f is executable" test -x "$dest$prefix/$f"
done
for s in $(awk '$1 == "scenario" { print $2 }' bench/matrix); do
	[ -e "$dest$prefix/share/dioscope/bench/$s.fio" ] ||
	[ -e "$dest$prefix/share/dioscope/bench/$s.zr" ] || missing="$missing $s"
done
check_eq "every scenario of the matrix has its job file" "" "$missing"
for m in "$dest$prefix"/share/man/man8/*.8; do
	if ! LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$m" 2>&1 >/dev/null |
		grep -q .; then
		continue
	fi
	missing="$missing $(basename "$m")"
done
check_eq "the man pages render without warnings" "" "$missing"

# Run the installed binary where it would be: the installed tree bound
# over $prefix, the checkout hidden under an empty tmpfs, cwd /.
if [ "$(id -u)" -ne 0 ] || ! command -v unshare > /dev/null; then
	skip "the installed binary finds its data from /" "needs root for a mount namespace"
else
	top=$PWD
	out=$(unset DIOSCOPE_DATA_DIR; unshare -m sh -c '
		mount --make-rprivate / &&
		mount --bind "$1$2" "$2" && mount -t tmpfs none "$3" && cd / &&
		test ! -e "$3/bench/matrix" &&
		"$2/bin/dioscope" --help &&
		"$2/bin/dioscope" plot /nonexistent -o /tmp/nowhere' \
		sh "$dest" "$prefix" "$top" 2>&1)
	data=$(echo "$out" | sed -n 's/^data: //p')
	check_eq "the installed binary finds the installed data" \
		"$prefix/share/dioscope (installed)" "$data"
	if echo "$out" | grep -q "no gnuplot scripts"; then
		not_ok "installed plot finds its scripts: $(echo "$out" | tail -1)"
	else
		ok "installed plot finds its scripts"
	fi
	data=$(cd / && DIOSCOPE_DATA_DIR=/srv/x "$top/dioscope" --help |
		sed -n 's/^data: //p')
	check_eq "\$DIOSCOPE_DATA_DIR comes first" \
		"/srv/x (\$DIOSCOPE_DATA_DIR)" "$data"
	data=$(cd / && env -u DIOSCOPE_DATA_DIR "$top/dioscope" --help |
		sed -n 's/^data: //p')
	check_eq "the checkout comes before the installed data" \
		"$top (the checkout)" "$data"
fi

make -s uninstall DESTDIR="$dest" > /dev/null 2>&1
left=$(find "$dest" -type f | sed "s|^$dest||")
check_eq "make uninstall leaves no file" "" "$left"

tap_done
