# Plots and comparisons across kernels.
#
#   make plots RESULTS='results/6.1.0-... results/6.12.0-...' [OUT=plots-out]
#   make bench-kernels [LAB_KERNELS='6.1 7.3'] [KERNELS_OUT=results-kernels]
#                      [KERNELS_BENCH_ARGS='--runs 3 --runtime 3 --size 64M']
#                      [BENCH_JOBS=2] [KERNELS_HOST=no]

OUT ?= plots-out

.PHONY: plots bench-kernels

plots: dioscope
	@test -n "$(RESULTS)" || { echo "usage: make plots RESULTS='DIR...' [OUT=DIR]" >&2; exit 2; }
	./dioscope plot $(RESULTS) -o $(OUT)

# The bench on this kernel and on each kernel of the lab (emulated), with
# the same arguments everywhere so that compare accepts them, then compare
# and plot them all: KERNELS_OUT/compare.csv, KERNELS_OUT/plots.
# every lab kernel (tests/lab/lab.sh kernels)
LAB_KERNELS ?= all
KERNELS_BENCH_ARGS ?= --runs 3 --runtime 3 --size 64M
KERNELS_OUT ?= results-kernels
# jobs at a time (GNU parallel -j): one guest at a time unless told, for
# each guest takes a core of its own under TCG
BENCH_JOBS ?= 1
KERNELS_HOST ?= yes

bench-kernels: deps dioscope
	JOBS=$(BENCH_JOBS) KERNELS_HOST=$(KERNELS_HOST) \
		plots/bench-kernels.sh $(KERNELS_OUT) '$(LAB_KERNELS)' $(KERNELS_BENCH_ARGS)
