# Wasted merge/split time per IO, histogram per kernel.
# data/<scen>.<i>.wasted.dat: "bin_us count" rows (log2 bins; bin 0 = no waste).
load "plots/common.gp"
set title sprintf("Wasted merge/split time per IO: %s", scen) noenhanced
set xlabel "wasted time per IO (us, log2 bins from this value; 0 = none)"
set ylabel "IOs (log scale)"
set style fill solid 0.6 border -1
set logscale y
set yrange [0.5:*]
set key top right
w = 0.8 / n
f(i) = sprintf("%s/%s.%d.wasted.dat", data, scen, i)
x(i) = column(0) - 0.4 + (i - 0.5) * w
plot f(1) using (x(1)):2:(w):xtic(1) with boxes title label(1) noenhanced, \
     for [i=2:n] f(i) using (x(i)):2:(w) with boxes title label(i) noenhanced
