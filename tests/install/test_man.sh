#!/usr/bin/env bash
# Each command's man page, as man renders it, lists the same options with
# the same ranges as its --help; dioscope(8) names every command; the
# bash completion offers the commands, options, scenarios and tiers that
# dioscope itself lists and accepts.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

DIOSCOPE=${DIOSCOPE:-./dioscope}
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-man.XXXXXX")
trap 'rm -rf "$work"' EXIT

if ! make -s man > "$work/make.log" 2>&1; then
	not_ok "make man: $(tail -3 "$work/make.log")"
	tap_done
	exit 1
fi
commands=$($DIOSCOPE --help | sed -n '/^commands:/,/^$/s/^  \([a-z]\{1,\}\) .*/\1/p')
[ -n "$commands" ] || not_ok "dioscope --help lists no command"

# rendered wide, so that no option line or range is broken
render() { LC_ALL=C.UTF-8 MANWIDTH=400 man -l "$1" 2>/dev/null; }
# the option names of an option line, "-s --scenario"
help_names() {
	sed -nE 's/^  (-[a-zA-Z0-9], )?(--[a-z0-9-]+|-[a-zA-Z0-9])( .*)?$/\1\2/p' |
		tr -d , | sort
}
man_names() {
	sed -n '/^OPTIONS/,/^SEE ALSO/p' |
		sed -nE 's/^       (-[a-zA-Z0-9], )?(--[a-z0-9-]+|-[a-zA-Z0-9])( .*)?$/\1\2/p' |
		tr -d , | sort
}
# every "(1 to 100)" of a text, in order, the lines joined
ranges() { tr -s ' \n' '  ' | grep -oE '\([^ ()]+ to [^ ()]+\)'; }

for c in $commands; do
	page=build/man/dioscope-$c.8
	if [ ! -s "$page" ]; then
		not_ok "no man page dioscope-$c.8"
		continue
	fi
	$DIOSCOPE "$c" --help > "$work/help"
	render "$page" > "$work/man"
	help_names < "$work/help" > "$work/h.names"
	man_names < "$work/man" > "$work/m.names"
	if [ -s "$work/h.names" ] && cmp -s "$work/h.names" "$work/m.names"; then
		ok "dioscope-$c(8) lists the options of its --help ($(wc -l < "$work/h.names"))"
	else
		not_ok "dioscope-$c(8) and --help differ in options: $(diff "$work/h.names" "$work/m.names" | grep '^[<>]' | tr '\n' ' ')"
	fi
	ranges < "$work/help" > "$work/h.ranges"
	ranges < "$work/man" > "$work/m.ranges"
	if cmp -s "$work/h.ranges" "$work/m.ranges"; then
		ok "dioscope-$c(8) states the ranges of its --help ($(wc -l < "$work/h.ranges"))"
	else
		not_ok "dioscope-$c(8) and --help differ in ranges: $(diff "$work/h.ranges" "$work/m.ranges" | grep '^[<>]' | tr '\n' ' ')"
	fi
	render build/man/dioscope.8 | grep -q "dioscope-$c(8)" ||
		not_ok "dioscope(8) does not name dioscope-$c(8)"
done
# the check above sees a difference: a page with one option taken out
sed '0,/^\\fB\\-\\-/{/^\\fB\\-\\-/d}' build/man/dioscope-bench.8 > "$work/cut.8"
if cmp -s <($DIOSCOPE bench --help | help_names) <(render "$work/cut.8" | man_names); then
	not_ok "a page that lost an option still compares equal"
else
	ok "a page that lost an option compares different"
fi

# bash completion, driven as bash drives it
bc=/usr/share/bash-completion/bash_completion
if [ ! -r "$bc" ]; then
	skip "bash completion" "bash-completion is not installed (make deps)"
	tap_done
	exit
fi
complete_words() {	# WORDS... (the last is being completed)
	bash -c '. "$1"; . completion/dioscope; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_dioscope; printf "%s\n" "${COMPREPLY[@]}" | sort' \
		sh "$bc" "$DIOSCOPE" "$@" 2> /dev/null
}
takes_tier() { $DIOSCOPE trace --tier "$1" --help > /dev/null 2>&1; }
check_eq "completes the commands" "$(echo "$commands" | sort | tr '\n' ' ')" \
	"$(complete_words "" | grep -v '^-' | tr '\n' ' ')"
for c in $commands; do
	$DIOSCOPE "$c" --help | help_names | tr ' ' '\n' | sort -u > "$work/want"
	complete_words "$c" - | sort -u > "$work/got"
	if cmp -s "$work/want" "$work/got"; then
		ok "completes the options of $c"
	else
		not_ok "completion of $c options: $(diff "$work/want" "$work/got" | grep '^[<>]' | tr '\n' ' ')"
	fi
done
check_eq "completes scenario names" \
	"$(awk '$1 == "scenario" && $2 ~ /^unwritten/ { print $2 }' bench/matrix | sort | tr '\n' ' ')" \
	"$(complete_words bench -s unwritten | tr '\n' ' ')"
tiers=$(complete_words trace --tier "")
check_eq "completes three tiers" 3 "$(echo "$tiers" | wc -l)"
for t in $tiers; do
	check "the completed tier $t is one dioscope takes" takes_tier "$t"
done
check "a tier it does not complete is refused" not takes_tier nosuch
check_eq "after record --, completes a command" "fio" \
	"$(complete_words record -o x -- fi | grep -x fio | sort -u)"

tap_done
