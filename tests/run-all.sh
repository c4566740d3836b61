#!/usr/bin/env bash
# Runs every test suite and ends with one line: "N passed, N failed".
#   tests/run-all.sh            all suites
#   tests/run-all.sh unit live  only these suites (unit, fuzz, live, install,
#                               patches, lab)
set -u
cd "$(dirname "$0")/.."

passed=0 failed=0 skipped=0
log_dir=build/test/logs
mkdir -p "$log_dir"

# A suite prints TAP lines ("ok N", "not ok N", "# SKIP"); count them.
count_tap() {
	local log=$1
	local p f s
	p=$(grep -cE '^ok [0-9]+' "$log" || true)
	s=$(grep -cE '^ok [0-9]+.*# SKIP' "$log" || true)
	f=$(grep -cE '^not ok [0-9]+' "$log" || true)
	passed=$((passed + p - s))
	skipped=$((skipped + s))
	failed=$((failed + f))
}

run_suite() {
	local name=$1; shift
	local log="$log_dir/$name.log" rc
	echo "== $name"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	count_tap "$log"
	# a suite that dies without saying which check failed still fails
	if [ "$rc" -ne 0 ] && ! grep -qE '^not ok' "$log"; then
		echo "not ok - $name exited with status $rc"
		failed=$((failed + 1))
	fi
}

unit() {
	local t n=0
	for t in build/test/test_*; do
		[ -x "$t" ] || continue
		n=$((n + 1))
		# cmocka's TAP output names each test
		run_suite "unit-$(basename "$t")" env CMOCKA_MESSAGE_OUTPUT=TAP "$t"
	done
	[ "$n" -gt 0 ] || { echo "not ok - no unit tests were built"; failed=$((failed + 1)); }
	run_suite layers tests/check-layers.sh
	run_suite layers-self-test tests/check-layers.sh --self-test
}

# every executable test_*.sh of a folder, as suites named PREFIX-NAME
run_folder() {	# run_folder PREFIX DIR
	local t
	for t in "$2"/test_*.sh; do
		[ -x "$t" ] || continue
		run_suite "$1-$(basename "$t" .sh)" "$t"
	done
}

live() {
	run_folder live tests/live
}

fuzz() {
	# a short run here; `make fuzz` runs long
	run_suite fuzz env FUZZ_SECONDS="${FUZZ_SECONDS:-15}" tests/fuzz/run.sh
}

# make install, the man pages and completion, the Debian package
install_suite() {
	run_folder install tests/install
}

patches() {
	[ -x tests/patches/test-apply.sh ] && run_suite patches tests/patches/test-apply.sh
}

lab() {
	[ -x tests/lab/run-tests.sh ] && run_suite lab tests/lab/run-tests.sh
}

suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(unit fuzz live install patches lab)
for s in "${suites[@]}"; do
	case $s in
	unit|fuzz|live|patches|lab) "$s" ;;
	install) install_suite ;;
	*) echo "unknown suite: $s" >&2; exit 2 ;;
	esac
done

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
