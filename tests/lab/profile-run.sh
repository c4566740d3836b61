#!/bin/sh
# Count the calls of kernel functions over one command with ftrace.
# Written for the lab guests (busybox sh), it runs on any kernel with
# tracefs and dynamic ftrace.
#
#   profile-run.sh [-o FILE] [-m profiler|tracer|instance] FUNCTIONS... -- COMMAND [ARGS...]
#
# FUNCTIONS are names separated by blanks or commas. The result, a header
# "function,calls" and one row per function with its calls summed over
# all CPUs, goes to FILE, or to stdout after the command's output. A
# function missing from available_filter_functions (inlined, folded into
# its callers, notrace, or not in this kernel) gets "absent".
#
# -m profiler: the function profiler (CONFIG_FUNCTION_PROFILER,
#              trace_stat/function*); the default where the kernel has it.
# -m tracer:   the function tracer's records, counted; a ring buffer that
#              lost records fails the count. The default elsewhere.
# -m instance: the same in a tracefs instance made for the run and removed
#              after it. The profiler and the tracer register one static
#              ftrace_ops each, again at every run; an instance's is
#              allocated afresh (patches/README.md: the lab's own 7.3
#              build dies when a static one is registered a second time).
# PROFILE_RUN_METHOD in the environment sets the method when -m does not.
#
# Exits with COMMAND's status, or 125 when the count could not be made.
T=${TRACEFS:-/sys/kernel/tracing}
BUFFER_KB=${PROFILE_RUN_BUFFER_KB:-32768}

armed=

fail() {
	echo "profile-run: $*" >&2
	if [ -n "$armed" ]; then
		armed=
		stop
		restore
	fi
	exit 125
}

usage() {
	fail "usage: profile-run.sh [-o FILE] [-m profiler|tracer|instance] FUNCTIONS... -- COMMAND [ARGS...]"
}

out=-
method=${PROFILE_RUN_METHOD:-}
funcs=
while [ $# -gt 0 ]; do
	case $1 in
	-o) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
	-m) [ $# -ge 2 ] || usage; method=$2; shift 2 ;;
	--) shift; break ;;
	-*) usage ;;
	*) funcs="$funcs $(echo "$1" | tr ',' ' ')"; shift ;;
	esac
done
if [ $# -eq 0 ] || [ -z "$(echo "$funcs" | tr -d ' ')" ]; then
	usage
fi

# F: where the files of the tracer in use are, the top or an instance
F=$T
[ -w "$T/set_ftrace_filter" ] ||
	fail "$T/set_ftrace_filter is missing: no dynamic ftrace here (is tracefs mounted?)"
if [ -z "$method" ]; then
	if [ -e "$T/function_profile_enabled" ]; then method=profiler; else method=tracer; fi
fi
case $method in
profiler)
	[ -e "$T/function_profile_enabled" ] ||
		fail "no function profiler in this kernel (CONFIG_FUNCTION_PROFILER is not set)"
	[ "$(cat "$T/function_profile_enabled")" = 0 ] ||
		fail "the function profiler is already in use" ;;
tracer)
	[ "$(cat "$T/current_tracer")" = nop ] ||
		fail "the tracer $(cat "$T/current_tracer") is already in use" ;;
instance)
	F=$T/instances/profile-run-$$
	mkdir "$F" || fail "cannot make the tracefs instance $F"
	[ -w "$F/set_ftrace_filter" ] || {
		rmdir "$F"
		fail "a tracefs instance has no set_ftrace_filter here"
	} ;;
*) usage ;;
esac

# the functions the kernel can trace, each once
present=$(awk -v want="$funcs" '
	BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) need[w[i]] = 1 }
	($1 in need) && !seen[$1]++ { print $1 }' "$T/available_filter_functions")

# set_filter: trace exactly the present functions. An empty filter would
# mean every function, so it is never left empty while counting.
set_filter() {
	# shellcheck disable=SC2086 # one write, the names separated by blanks
	echo $present > "$F/set_ftrace_filter" ||
		fail "set_ftrace_filter refused: $present"
	listed=$(awk '{ print $1 }' "$F/set_ftrace_filter" | sort -u | tr '\n' ' ')
	wanted=$(echo "$present" | tr ' ' '\n' | sort -u | tr '\n' ' ')
	[ "$listed" = "$wanted" ] ||
		fail "set_ftrace_filter holds '$listed', not '$wanted'"
}

clear_filter() {
	: > "$F/set_ftrace_filter"
}

# counts_profiler: "function calls" from the profiler's per-CPU tables
counts_profiler() {
	cat "$T"/trace_stat/function[0-9]* |
		awk -v want="$present" '
		BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) need[w[i]] = 1 }
		($1 in need) && $2 ~ /^[0-9]+$/ { calls[$1] += $2 }
		END { for (f in calls) print f, calls[f] }'
}

# counts_tracer: "function calls" from the function tracer's records: the
# name is the field after the timestamp ("12.345678:")
counts_tracer() {
	awk '!/^#/ {
		for (i = 1; i < NF; i++)
			if ($i ~ /^[0-9]+\.[0-9]+:$/) { calls[$(i + 1)]++; break }
	}
	END { for (f in calls) print f, calls[f] }' "$F/trace"
}

lost_records() {
	cat "$F"/per_cpu/cpu*/stats |
		awk '/^overrun:/ || /^dropped events:/ { n += $NF } END { print n + 0 }'
}

stop() {
	case $method in
	profiler) echo 0 > "$T/function_profile_enabled" ;;
	tracer | instance) echo 0 > "$F/tracing_on" ;;
	esac
}

restore() {
	case $method in
	tracer)
		echo nop > "$T/current_tracer"
		echo "$old_size" > "$T/buffer_size_kb"
		echo > "$T/trace"
		echo 1 > "$T/tracing_on" ;;
	instance)
		echo nop > "$F/current_tracer"
		rmdir "$F"
		return ;;
	esac
	clear_filter
}

rc=0
counts=
if [ -z "$present" ]; then
	# nothing to count: run the command alone
	[ "$method" = instance ] && rmdir "$F"
	"$@" || rc=$?
else
	# "1408", or "7 (expanded: 1408)" before the buffer was first used
	[ "$method" = tracer ] &&
		old_size=$(sed 's/.*expanded: *\([0-9]*\).*/\1/; s/ .*//' "$T/buffer_size_kb")
	# an instance's buffer goes with it
	armed=1
	trap 'stop; restore; exit 130' INT TERM
	set_filter
	case $method in
	profiler)
		# enabling resets the counts
		echo 1 > "$T/function_profile_enabled" || fail "cannot start the function profiler"
		"$@" || rc=$?
		stop
		counts=$(counts_profiler) ;;
	tracer | instance)
		echo 0 > "$F/tracing_on"
		echo "$BUFFER_KB" > "$F/buffer_size_kb" || fail "cannot resize the ring buffer"
		echo function > "$F/current_tracer" || fail "cannot start the function tracer"
		echo > "$F/trace"
		echo 1 > "$F/tracing_on"
		"$@" || rc=$?
		stop
		lost=$(lost_records)
		counts=$(counts_tracer)
		if [ "$lost" -ne 0 ]; then
			fail "the ring buffer lost $lost records: no count (raise PROFILE_RUN_BUFFER_KB)"
		fi ;;
	esac
	trap - INT TERM
	armed=
	restore
fi
if [ -n "$present" ]; then
	case $method in
	instance) how="tracer in an instance" ;;
	*) how=$method ;;
	esac
	echo "profile-run: counted with the function $how" >&2
else
	echo "profile-run: none of the functions is traceable here: nothing counted" >&2
fi

table() {
	echo "function,calls"
	for f in $funcs; do
		if ! echo " $present " | tr '\n' ' ' | grep -q " $f "; then
			echo "$f,absent"
		else
			n=$(echo "$counts" | awk -v f="$f" '$1 == f { print $2 }')
			echo "$f,${n:-0}"
		fi
	done
}
if [ "$out" = - ]; then table; else table > "$out"; fi
exit "$rc"
