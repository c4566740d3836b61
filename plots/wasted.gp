# Wasted merge/split time per IO: histogram per kernel on log2 bins.
# base.wasted.csv: bin_ns, bin (label), then the share of IOs (%) of each
# kernel of ks, in that order. min_share: the smallest share above 0;
# bins: how many rows.
load plots."/common.gp"
f = base.".wasted.csv"
set title sprintf("%s: wasted merge/split time per IO", scen)
set xlabel "wasted merge/split time of an IO (log2 bins, from the value shown; none: no churn pair)" . caption
set ylabel "share of IOs (%, log scale)"
set logscale y
# a decade below the smallest bar, so that it shows
set yrange [10 ** (floor(log10(min_share)) - 1):100]
set style fill solid 0.7 border rgb "#333333"
set xtics rotate by -35
# a histogram of one or two bins keeps the width of a few
set xrange [-0.5:(bins > 4 ? bins : 4) - 0.5]
if (bins == 1) set label 1 "no IO was charged wasted time" at graph 0.5, graph 0.5 center
set key top right box opaque
w = 0.8 / nks
x(j) = column(0) - 0.4 + (j - 0.5) * w
plot f using (column(0)):(NaN):xtic(2) notitle, \
     for [j=1:nks] f using (x(j)):(column(j + 2)):(w * 0.92) \
	with boxes lc rgb color(kk(j)) title label(kk(j))
