# Extent work over the first run of each kernel, one panel per kernel.
# base.timeline.I.csv: t_s (the start of a bin; the last row where the last
# bin ends), then per second: PRE_IO splits, conversions, splits, merges,
# churn pairs (the last three only where obsI is 1). tlmaxI: the highest.
height = 140 + 240 * words(ks)
load plots."/common.gp"
set ylabel "events per second"
set xlabel "time into the run (s)"
set key outside right top vertical
# the same plot area in every panel, whatever the legend holds
set lmargin at screen 0.08
set rmargin at screen 0.76
set multiplot layout nks,1 title sprintf("%s: extent work over time", scen)
do for [j=1:nks] {
	i = kk(j)
	f = sprintf("%s.timeline.%d.csv", base, i)
	set title sprintf("%s, %s, bins of %g ms", label(i), value(sprintf("run%d", i)), \
		value(sprintf("bin_ms%d", i)))
	# a run without any of this work still gets an axis
	if (value(sprintf("tlmax%d", i)) > 0) { set yrange [0:*] } else { set yrange [0:1] }
	if (value(sprintf("obs%d", i))) {
		plot f using 1:2 with steps lw 2 lc rgb "#1b9e77" title "PRE_IO splits", \
		     f using 1:3 with steps lw 2 lc rgb "#7570b3" title "conversions", \
		     f using 1:4 with steps lw 1 dt 2 lc rgb "#d95f02" title "splits", \
		     f using 1:5 with steps lw 1 dt 3 lc rgb "#e7298a" title "merges", \
		     f using 1:6 with steps lw 2 lc rgb "#000000" title "churn pairs"
	} else {
		plot f using 1:2 with steps lw 2 lc rgb "#1b9e77" title "PRE_IO splits", \
		     f using 1:3 with steps lw 2 lc rgb "#7570b3" title "conversions", \
		     NaN with lines lc rgb "white" title "(merges, splits: not observed)"
	}
}
unset multiplot
