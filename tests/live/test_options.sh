#!/usr/bin/env bash
# Every command's --help lists exactly the options it parses: each option
# any command lists is accepted by the commands that list it and refused
# as unknown by the others. Numbers are refused when they overflow, carry
# junk or leave the range the help states. Needs no root: an unknown
# option after the one under test ends every command before it runs.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

DIOSCOPE=${DIOSCOPE:-./dioscope}
COMMANDS="probe trace record bench report compare plot top"
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-opt.XXXXXX")
trap 'rm -rf "$work"' EXIT

# "--name ARG" or "--name" per option line of a help text, then "-x" forms
help_opts() {
	sed -nE 's/^  (-[a-zA-Z], )?(--[a-z0-9-]+)( [^ ]+)?( .*)?$/\2\3/p' "$1" |
		sed -E 's/ .*/ X/'
}
help_shorts() {
	sed -nE 's/^  (-[a-zA-Z]), --[a-z0-9-]+( [^ ]+)?( .*)?$/\1\2/p' "$1" |
		sed -E 's/ .*/ X/'
}

for c in $COMMANDS; do
	if $DIOSCOPE "$c" --help >"$work/$c.help" 2>"$work/$c.err" &&
	   [ -s "$work/$c.help" ] && [ ! -s "$work/$c.err" ]; then
		ok "$c --help prints its help to stdout and exits 0"
	else
		not_ok "$c --help"
	fi
	help_opts "$work/$c.help" >"$work/$c.opts"
	dups=$(cut -d' ' -f1 "$work/$c.opts" | sort | uniq -d | tr '\n' ' ')
	check_eq "$c --help lists each option once" "" "$dups"
done
cat "$work"/*.opts | cut -d' ' -f1 | sort -u >"$work/all"

# try CMD OPTION ARG...: the error of CMD given the option, then an unknown one
try() {
	local c=$1; shift
	timeout 10 $DIOSCOPE "$c" "$@" --zz-unknown </dev/null 2>&1 >/dev/null
}

for c in $COMMANDS; do
	wrong=""
	while read -r opt; do
		[ "$opt" = --help ] && continue
		listed=$(grep -E -- "^$opt( |\$)" "$work/$c.opts")
		arg=()
		if [ -n "$listed" ]; then
			[ "$listed" != "$opt" ] && arg=(x)
		else
			# an option of another command: give it its argument there
			grep -qhE -- "^$opt " "$work"/*.opts && arg=(x)
		fi
		out=$(try "$c" "$opt" "${arg[@]}")
		if grep -qF -- "unknown option '$opt'" <<<"$out"; then
			[ -n "$listed" ] && wrong+=" $opt(listed, refused)"
		else
			[ -z "$listed" ] && wrong+=" $opt(not listed, parsed)"
		fi
	done <"$work/all"
	help_shorts "$work/$c.help" >"$work/$c.shorts"
	while read -r opt rest; do
		arg=()
		[ -n "$rest" ] && arg=(x)
		out=$(try "$c" "$opt" "${arg[@]}")
		grep -qF -- "unknown option '$opt'" <<<"$out" &&
			wrong+=" $opt(listed, refused)"
	done <"$work/$c.shorts"
	check_eq "$c parses exactly the options its --help lists" "" "$wrong"
done

out=$(try bench --size 18014398509481985M)
check "bench refuses --size 18014398509481985M (it wrapped to 1 MiB)" \
	grep -q "size takes 1M to 1T" <<<"$out"
out=$(try bench --size 1T)
check "bench takes --size 1T, as its help says" grep -q "unknown option '--zz-unknown'" <<<"$out"
out=$(try bench --size 1T1)
check "bench refuses trailing junk in --size" grep -q "size takes" <<<"$out"
out=$(try trace --min-us 18446744073709552)
check "trace refuses --min-us 18446744073709552 (it wrapped to 384 ns)" \
	grep -q "min-us takes" <<<"$out"
out=$(try bench --runs 010)
check "bench reads --runs 010 as ten, within 1 to 100" \
	grep -q "unknown option '--zz-unknown'" <<<"$out"
out=$(try bench --runs 0x10)
check "bench refuses --runs 0x10" grep -q "runs takes 1 to 100, not '0x10'" <<<"$out"
out=$(try compare --reps 99999999999999999999 a b)
check "compare refuses a --reps that overflows" grep -q "reps takes 100 to 100000" <<<"$out"
out=$(try top --interval 0.01)
check "top refuses an interval below its range" grep -q "interval takes 0.1 to 3600" <<<"$out"
out=$(try bench --frobnicate)
check "an unknown option is named in the command's voice" \
	grep -q "^dioscope bench: unknown option '--frobnicate'" <<<"$out"

tap_done
