# Per-IO latency against wasted time, per kernel.
# data/<scen>.<i>.scatter.dat: "latency_us wasted_us" rows.
load "plots/common.gp"
set title sprintf("Per-IO latency against wasted merge/split time: %s", scen) noenhanced
set xlabel "wasted merge/split time of the IO (us)"
set ylabel "completion latency (us)"
set key top right
set xrange [-0.5:*]
plot for [i=1:n] sprintf("%s/%s.%d.scatter.dat", data, scen, i) using 2:1 \
	with points pt 7 ps 0.4 title label(i) noenhanced
