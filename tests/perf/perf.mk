# The self-benchmark: `make bench-self` (a benchmark, not a test).

PERF_BUILD := $(BUILD)/perf

.PHONY: bench-self calibrate

$(PERF_BUILD)/loadgen.bpf.o: tests/perf/loadgen.bpf.c bpf/common.bpf.h bpf/dioscope.h $(BUILD)/vmlinux.h
	@mkdir -p $(dir $@)
	$(bpf_object)

$(PERF_BUILD)/loadgen.skel.h: $(PERF_BUILD)/loadgen.bpf.o
	$(bpf_skeleton)

$(PERF_BUILD)/selfbench: tests/perf/selfbench.c $(LIB_OBJS) $(PERF_BUILD)/loadgen.skel.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -I$(PERF_BUILD) $< $(LIB_OBJS) -o $@ $(LDLIBS)

bench-self: deps dioscope $(PERF_BUILD)/selfbench
	tests/perf/bench-self.sh

$(PERF_BUILD)/calib: tests/perf/calib.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< $(LIB_OBJS) -o $@ $(LDLIBS)

# ns per guest instruction of extent-tree work on this machine, for
# report/compare --calibration (README, "Instructions for time")
calibrate: deps dioscope $(PERF_BUILD)/calib
	tests/perf/calibrate.sh

$(PERF_BUILD)/findings: tests/perf/findings.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< $(LIB_OBJS) -o $@ $(LDLIBS)

# The churn findings weighed in the icount lab: the five churn scenarios
# on each of FINDINGS_KERNELS, then their table (README, "Where the churn
# is: measured"). Hours of emulation: not part of make test.
FINDINGS_OUT ?= build/findings
.PHONY: findings
findings: deps dioscope $(PERF_BUILD)/findings
	FINDINGS_OUT=$(FINDINGS_OUT) tests/perf/findings.sh run; rc=$$?; \
	tests/perf/findings.sh table --csv $(FINDINGS_OUT)/findings.csv \
		$(if $(FINDINGS_CALIBRATION),--calibration $(FINDINGS_CALIBRATION)) \
		$(FINDINGS_OUT)/*/ && exit $$rc
