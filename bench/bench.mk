# make bench: the default matrix (4 KiB, the kernel's default mount
# options, every scenario, 3 runs) on a scratch ext4 on a loop device,
# then the plots of its results when the plots target is there. A run
# that failed still leaves the others plotted; make fails afterwards.
# Where this kernel's tier cannot see merges and splits, it ends by naming
# the command that does (plots/blind-hint.sh).
#
#   make bench [RESULTS_DIR=results] [BENCH_ARGS='--full --runs 5']
#              [BENCH_PERFETTO=]

RESULTS_DIR ?= results
BENCH_ARGS ?=
# a Perfetto trace per run (trace.perfetto.json); BENCH_PERFETTO= for none
BENCH_PERFETTO ?= --perfetto

.PHONY: bench

bench: deps dioscope bench/zero-range
	@rc=0; ./dioscope bench -o $(RESULTS_DIR) $(BENCH_PERFETTO) $(BENCH_ARGS) || rc=$$?; \
	res="$(RESULTS_DIR)/$$(uname -r)"; \
	if [ -s "$$res/summary.csv" ] && $(MAKE) -n plots >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory plots RESULTS="$$res" OUT="$$res/plots" || rc=$$?; \
	fi; \
	echo "results: $$res/summary.csv and summary.json, per run $$res/<scenario>/run-<j>/"; \
	[ -d "$$res/plots" ] && echo "plots: $$res/plots/"; \
	plots/blind-hint.sh "$$res"; \
	exit $$rc
