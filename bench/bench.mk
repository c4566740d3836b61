# make bench: the default matrix on a scratch ext4 on a loop device,
# then the plots of that run when the plots are there.

RESULTS_DIR ?= results
BENCH_ARGS ?=

.PHONY: bench

bench: deps dioscope
	./dioscope bench -o $(RESULTS_DIR) $(BENCH_ARGS)
	@if $(MAKE) -n plots >/dev/null 2>&1; then \
		$(MAKE) plots RESULTS="$(RESULTS_DIR)/$$(uname -r)" OUT="$(RESULTS_DIR)/$$(uname -r)/plots"; \
	fi
	@echo "results: $(RESULTS_DIR)/$$(uname -r)/summary.csv"
