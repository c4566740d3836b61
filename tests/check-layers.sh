#!/usr/bin/env bash
# Checks the include rules between the folders of src/ (README, "Layout").
#   tests/check-layers.sh [SRC_DIR]   check a tree (default: src)
#   tests/check-layers.sh --self-test plant a violation of each kind in a
#                                     copy of src and expect each refused
# Prints TAP lines; exits non-zero on a violation.
set -u
cd "$(dirname "$0")/.."

# What each folder may include directly, besides itself, its system
# headers and bpf/dioscope.h (the event structs shared with the kernel).
declare -A ALLOW=(
	[util]=""
	[event]="util"
	[trace]="util event"
	[analysis]="util event"
	[export]="util event analysis trace"
	[run]="util event trace analysis export"
	[bench]="util event run"
	[compare]="util event run"
	[plot]="util event run compare"
	[top]="util event trace analysis"
	[cmd]="*"
)
# Folders that must not reach these, even through other headers: a
# comparison or a plot works on results alone, on any machine.
declare -A NEVER=(
	[compare]="trace"
	[plot]="trace"
)

# "file<TAB>included" for every quoted include of the tree
includes() {
	local src=$1
	grep -H -o '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]*"' \
		"$src"/*/*.[ch] 2>/dev/null |
		sed -e "s|^$src/||" -e 's|:.*"\(.*\)"$|\t\1|'
}

# One line per violation of the direct rules.
check_direct() {
	local src=$1 file inc from to allowed
	while IFS=$'\t' read -r file inc; do
		from=${file%%/*}
		case $inc in
		dioscope.h) continue ;;
		*.skel.h)
			[ "$from" = trace ] || [ "$from" = cmd ] ||
				echo "$file: skeleton $inc outside trace/"
			continue ;;
		*/*) ;;
		*) echo "$file: \"$inc\" does not name its folder"; continue ;;
		esac
		to=${inc%%/*}
		[ "$to" = "$from" ] && continue
		allowed=${ALLOW[$from]-}
		if [ -z "${ALLOW[$from]+set}" ]; then
			echo "$file: folder $from/ has no rule"
			continue
		fi
		[ "$allowed" = "*" ] && continue
		case " $allowed " in
		*" $to "*) ;;
		*) echo "$file: $from/ may not include $inc" ;;
		esac
		[ -e "$src/$inc" ] || echo "$file: $inc does not exist"
	done < <(includes "$src")
}

# One line per header of a forbidden folder reached through includes.
check_reach() {
	local src=$1 from file inc
	declare -A edges=()
	while IFS=$'\t' read -r file inc; do
		edges[$file]+=" $inc"
	done < <(includes "$src")
	for from in "${!NEVER[@]}"; do
		for file in "$src/$from"/*.[ch]; do
			[ -e "$file" ] || continue
			file=${file#"$src"/}
			local -A seen=()
			local queue=("$file") cur next
			while [ ${#queue[@]} -gt 0 ]; do
				cur=${queue[0]}
				queue=("${queue[@]:1}")
				for next in ${edges[$cur]-}; do
					[ -n "${seen[$next]-}" ] && continue
					seen[$next]=1
					case " ${NEVER[$from]} " in
					*" ${next%%/*} "*)
						echo "$file: $from/ reaches $next"
						continue ;;
					esac
					queue+=("$next")
				done
			done
			unset seen
		done
	done
}

check_tree() {
	local src=$1
	{ check_direct "$src"; check_reach "$src"; } | sort -u
}

self_test() {
	local tmp n=0 fail=0 out
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' RETURN
	# each line: file to plant into, the include, what must be said
	local -a plants=(
		'util/csv.c|run/meta.h|util/ may not include'
		'event/format.c|trace/tracer.h|event/ may not include'
		'compare/csv.c|run/recorder.h|compare/ reaches trace/'
		'plot/data.c|trace/targets.h|plot/ may not include'
		'run/meta.c|meta.h|does not name its folder'
	)
	local p file inc want
	# a planted line must be what is refused, not what was there before
	if [ -n "$(check_tree src)" ]; then
		echo "not ok 1 - layer check self-test needs a clean src/"
		return 1
	fi
	for p in "${plants[@]}"; do
		IFS='|' read -r file inc want <<<"$p"
		n=$((n + 1))
		rm -rf "$tmp/src" && cp -r src "$tmp/src"
		printf '#include "%s"\n' "$inc" >>"$tmp/src/$file"
		out=$(check_tree "$tmp/src")
		if grep -q "^$file: .*$want" <<<"$out"; then
			echo "ok $n - layer check refuses $inc in $file"
		else
			echo "not ok $n - layer check accepts $inc in $file"
			fail=1
		fi
	done
	return $fail
}

case ${1-} in
--self-test) self_test; exit ;;
esac

src=${1:-src}
out=$(check_tree "$src")
if [ -z "$out" ]; then
	echo "ok 1 - includes in $src/ follow the layer rules"
	exit 0
fi
echo "not ok 1 - includes in $src/ break the layer rules:"
sed 's/^/#   /' <<<"$out"
exit 1
