# Latency percentiles per kernel, with their 95 % confidence intervals.
# base.pct.csv: percentile, then per kernel I: value, lo, hi (µs) in
# columns 3I-1, 3I, 3I+1.
load plots."/common.gp"
f = base.".pct.csv"
set title sprintf("%s: latency percentiles per kernel, with 95%% confidence intervals", scen)
set xlabel "percentile of the completion latency (bars: over the IOs of all runs; whiskers: 95% interval)" . caption
set ylabel "completion latency (" . tunit . ", log scale)"
set logscale y
set style fill solid 0.7 border rgb "#333333"
set xrange [-0.5:3.5]
set key top left box opaque
# kernel i has the same place in every group, whether drawn or not
w = 0.8 / n
x(i) = column(0) - 0.4 + (i - 0.5) * w
# cis: the kernels of ks whose summary has intervals, as "1 3"
ci(j) = int(word(cis, j))
lo(j) = column(3 * ci(j))
hi(j) = column(3 * ci(j) + 1)
xc(j) = x(ci(j))
# the percentile names once, under the middle of each group; each
# interval a whisker with caps, drawn as vectors
plot f using (column(0)):(NaN):xtic(1) notitle, \
     for [j=1:nks] f using (x(kk(j))):(column(3*kk(j)-1)):(w * 0.92) \
	with boxes lc rgb color(kk(j)) title label(kk(j)), \
     for [j=1:words(cis)] f using (xc(j)):(lo(j)):(0):(hi(j) - lo(j)) \
	with vectors nohead lc rgb "black" lw 1.5 notitle, \
     for [j=1:words(cis)] f using (xc(j) - w / 6):(lo(j)):(w / 3):(0) \
	with vectors nohead lc rgb "black" lw 1.5 notitle, \
     for [j=1:words(cis)] f using (xc(j) - w / 6):(hi(j)):(w / 3):(0) \
	with vectors nohead lc rgb "black" lw 1.5 notitle
