#!/bin/sh
# Writes the man pages into DIR from the binary's own option tables:
# dioscope.8 from its command list, dioscope-CMD.8 from `dioscope CMD
# --help-man` (the table that --help prints, as roff) and man/*.in for
# what no table holds.
#   man/gen.sh DIOSCOPE DIR DATADIR LIBDIR
set -eu
bin=$1 out=$2 datadir=$3 libdir=$4
src=$(dirname "$0")
mkdir -p "$out"

header() {	# NAME-IN-CAPS NAME SUMMARY
	printf '.TH %s 8 "" "dioscope" "dioscope manual"\n.nh\n.ad l\n' "$1"
	printf '.SH NAME\n%s \\- %s\n' "$(echo "$2" | sed 's/-/\\-/g')" "$3"
}

# "  probe     can this kernel ..." lines of dioscope --help
commands() {
	"$bin" --help | sed -n '/^commands:/,/^$/{/^  /p}'
}

commands | while read -r cmd summary; do
	page=dioscope-$cmd
	{
		header "$(echo "$page" | tr a-z A-Z)" "$page" "$summary"
		"$bin" "$cmd" --help-man
		printf '.SH SEE ALSO\n.BR dioscope (8)\n'
	} > "$out/$page.8.tmp"
	mv "$out/$page.8.tmp" "$out/$page.8"
done

{
	header DIOSCOPE dioscope "ext4 direct-IO extent churn tracer and benchmark"
	printf '.SH SYNOPSIS\n\\fBdioscope\\fR \\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n'
	cat "$src/dioscope.8.in"
	printf '.SH COMMANDS\n'
	commands | while read -r cmd summary; do
		printf '.TP\n.BR dioscope\\-%s (8)\n%s\n' "$cmd" "$summary"
	done
	sed -e "s|@DATADIR@|$datadir|g" -e "s|@LIBDIR@|$libdir|g" \
		"$src/dioscope-files.8.in"
} > "$out/dioscope.8.tmp"
mv "$out/dioscope.8.tmp" "$out/dioscope.8"
