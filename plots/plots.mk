# make plots RESULTS='results/6.1.0-... results/6.12.0-...' [OUT=plots-out]

OUT ?= plots-out

.PHONY: plots

plots: dioscope
	@test -n "$(RESULTS)" || { echo "usage: make plots RESULTS='DIR...' [OUT=DIR]" >&2; exit 2; }
	./dioscope plot $(RESULTS) -o $(OUT)
