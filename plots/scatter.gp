# Per-IO latency against the wasted merge/split time charged to the IO.
# base.scatter.I.csv: wasted_us,latency_us (at most 5000 IOs, evenly picked)
load plots."/common.gp"
set title sprintf("%s: latency of an IO against its wasted merge/split time", scen)
set xlabel "wasted merge/split time of the IO (" . tunit . ")"
set ylabel "completion latency of the IO (" . tunit . ", log scale)"
set logscale y
set key top right box opaque
plot for [j=1:nks] sprintf("%s.scatter.%d.csv", base, kk(j)) using 1:2 \
	with points pt 7 ps 0.4 lc rgb color(kk(j)) title label(kk(j))
