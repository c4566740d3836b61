# make plots RESULTS='results/6.1.0-... results/6.12.0-...' [OUT=plots-out]

OUT ?= plots-out

.PHONY: plots

plots: dioscope
	@test -n "$(RESULTS)" || { echo "usage: make plots RESULTS='DIR...' [OUT=DIR]" >&2; exit 2; }
	./dioscope plot $(RESULTS) -o $(OUT)

# make bench-kernels: the bench on this kernel and on each kernel of the
# lab (emulated, so their times compare among themselves, not with the
# host's), then compare and plot them all.
LAB_KERNELS ?= 5.10 6.1 6.12
LAB_BENCH_ARGS ?= --runs 1 --runtime 3 --size 64M
KERNELS_OUT ?= results-kernels

.PHONY: bench-kernels

bench-kernels: deps dioscope
	./dioscope bench -o $(KERNELS_OUT)/host $(BENCH_ARGS)
	for k in $(LAB_KERNELS); do \
		tests/lab/lab.sh run $$k --timeout 1800 --disk-size 2G --out $(KERNELS_OUT)/lab-$$k -- \
			'umount /mnt && DIOSCOPE_EMULATED=1 dioscope bench --device /dev/vdb --force --bench-dir /lab/bench -o /out $(LAB_BENCH_ARGS)' || exit 1; \
	done
	./dioscope compare $(KERNELS_OUT)/lab-*/* $(KERNELS_OUT)/host/* -o $(KERNELS_OUT)/compare.csv
	./dioscope plot $(KERNELS_OUT)/lab-*/* $(KERNELS_OUT)/host/* -o $(KERNELS_OUT)/plots
