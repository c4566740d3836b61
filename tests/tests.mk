# Tests: unit tests (cmocka, built with ASan and UBSan), live tests on the
# running kernel (scratch ext4 on a loop device), the kernel-lab tests.
# tests/run-all.sh runs them all and prints "N passed, N failed".

include tests/fuzz/fuzz.mk

TEST_BUILD := $(BUILD)/test
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
TEST_CFLAGS := -O1 -g $(filter-out -O2 -g,$(CFLAGS)) $(SAN)
TEST_LIB_OBJS := $(patsubst $(BUILD)/%.o,$(TEST_BUILD)/obj/%.o,$(LIB_OBJS))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(TEST_BUILD)/%,$(UNIT_SRCS))

.PHONY: test-build test-patches torture-lab test-debug-kernel fix-ab

$(TEST_BUILD)/obj/%.o: src/%.c | $(SKELS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(TEST_BUILD)/obj/trace/tracer.o $(TEST_BUILD)/test_targets: $(SKELS)

$(TEST_BUILD)/test_%: tests/unit/test_%.c $(TEST_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(DEPFLAGS) -Itests/unit $< $(TEST_LIB_OBJS) -o $@ $(LDLIBS) -lcmocka

test-build: dioscope bench/zero-range bench/known-churn bench/torture $(UNIT_BINS) $(FUZZ_BINS)

test: deps
	$(MAKE) test-build
	tests/run-all.sh

test-unit: test-build
	tests/run-all.sh unit

test-live: test-build
	tests/run-all.sh live

# Builds the kernel of patches/ (about 5 minutes) and tests it in the lab.
test-patches: dioscope
	tests/patches/lab-patched.sh

.PHONY: test-install
test-install: test-build
	tests/run-all.sh install

# The long data-integrity torture in the lab: Debian's 7.3, patches/7.3
# with the guard off, and with the guard switched while it runs,
# TORTURE_SECS seconds each (600); results in build/torture.
torture-lab: all
	TORTURE_SECS=$${TORTURE_SECS:-600} tests/patches/torture-lab.sh

# The fix A/B under QEMU's instruction counter: Debian's 7.3 (or with
# FIXAB_BASE=nofix the series built less the fix) against patches/7.3
# with the guard at 0, FIXAB_BOOTS boots each (3) alternated,
# FIXAB_RUNS runs a boot (3) of FIXAB_SCENARIOS (sparse-concurrent), then
# compare (with FIXAB_CALIBRATION, a file of make calibrate); results in
# FIXAB_OUT (build/fix-ab).
fix-ab: all
	tests/patches/fix-ab.sh

# patches/7.3 built with lockdep and atomic-sleep checks (build-kernel.sh
# --debug), in three boots: known-churn; sparse-concurrent (no churn pair
# on the fix, splits = ftrace's in both); the zero-range reproducer and
# the torture with the guard at 0, 1, 2 and switched (TORTURE_SECS each,
# 300). Lockdep must still be on at the end of each and no splat logged.
# Results in build/torture/debug-*.
test-debug-kernel: all
	TORTURE_ARMS="debug-kc debug-churn debug-torture" \
		TORTURE_SECS=$${TORTURE_SECS:-300} tests/patches/torture-lab.sh
