# Extent work over time (per 100 ms), per kernel.
# data/<scen>.<i>.timeline.dat: "t_s pre_io conversions splits merges
# churn" rows; churn=1 when every tier sees merges and splits.
load "plots/common.gp"
set title sprintf("Extent work over time (per 100 ms): %s", scen) noenhanced
set xlabel "time into the run (s)"
set ylabel "events per 100 ms"
set yrange [0:*]
set key top right
f(i) = sprintf("%s/%s.%d.timeline.dat", data, scen, i)
if (churn) \
plot for [i=1:n] f(i) using 1:2 with lines lw 2 title sprintf("%s: PRE_IO splits", label(i)) noenhanced, \
     for [i=1:n] f(i) using 1:3 with lines lw 1 title sprintf("%s: conversions", label(i)) noenhanced, \
     for [i=1:n] f(i) using 1:4 with lines dt 2 title sprintf("%s: splits", label(i)) noenhanced, \
     for [i=1:n] f(i) using 1:5 with lines dt 3 title sprintf("%s: merges", label(i)) noenhanced; \
else \
plot for [i=1:n] f(i) using 1:2 with lines lw 2 title sprintf("%s: PRE_IO splits", label(i)) noenhanced, \
     for [i=1:n] f(i) using 1:3 with lines lw 1 title sprintf("%s: conversions (merges not observed)", label(i)) noenhanced
