# Percentile bars with 95 % confidence intervals per kernel.
# data/<scen>.pct.dat: one row per percentile, "name" then, per kernel,
# "value lo hi" in us.
load "plots/common.gp"
set title sprintf("Latency percentiles with 95%% confidence intervals: %s", scen) noenhanced
set ylabel "completion latency (us)"
set xlabel "percentile"
set style data histograms
set style histogram errorbars gap 2 lw 1
set style fill solid 0.6 border -1
set yrange [0:*]
f = sprintf("%s/%s.pct.dat", data, scen)
plot for [i=1:n] f using (column(3*i-1)):(column(3*i)):(column(3*i+1)):xtic(1) \
	title label(i) noenhanced
