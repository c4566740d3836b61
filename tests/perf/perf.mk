# The self-benchmark: `make bench-self` (a benchmark, not a test).

PERF_BUILD := $(BUILD)/perf

.PHONY: bench-self

$(PERF_BUILD)/selfbench: tests/perf/selfbench.c $(LIB_OBJS) $(BUILD)/loadgen.skel.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< $(LIB_OBJS) -o $@ $(LDLIBS)

bench-self: deps dioscope $(PERF_BUILD)/selfbench
	tests/perf/bench-self.sh
