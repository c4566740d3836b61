# Latency CDF per kernel, log x axis.
# base.cdf.I.csv: latency_us,fraction (a grid of fractions, finer in the tail)
load plots."/common.gp"
set title sprintf("%s: latency CDF per kernel", scen)
set xlabel "completion latency of an IO, as fio sees it (" . tunit . ", log scale)"
set ylabel "fraction of IOs completed within"
set logscale x
set yrange [0:1.02]
set ytics 0.1
set key bottom right box opaque
plot for [j=1:nks] sprintf("%s.cdf.%d.csv", base, kk(j)) using 1:2 \
	with lines lw 2 lc rgb color(kk(j)) title label(kk(j))
