# Latency CDF per kernel, log x axis: data/<scen>.<i>.cdf.dat holds
# "latency_us fraction" rows.
load "plots/common.gp"
set title sprintf("Latency CDF: %s", scen) noenhanced
set xlabel "completion latency (us, log scale)"
set ylabel "fraction of IOs"
set logscale x
set yrange [0:1]
set key bottom right
plot for [i=1:n] sprintf("%s/%s.%d.cdf.dat", data, scen, i) using 1:2 \
	with lines lw 2 title label(i) noenhanced
