# Settings every plot shares. dioscope plot sets, with gnuplot -e:
#   plots    this directory          term   pngcairo, png or svg
#   out      the file to write       base   the data files' path prefix
#   scen     the scenario            n      how many kernels
#   ks       the kernels this plot shows, as "1 3"
#   cis      the kernels with percentile intervals, as ks
#   labelI, obsI (merges observed: 1/0), runI, bin_msI, tlmaxI for kernel
#   I = 1..n; min_share (see wasted.gp)
#   tunit    the unit of times: µs, or thousand instructions (clock=icount)
if (!exists("height")) height = 620
set encoding utf8
if (term eq "svg") {
	set terminal svg size 1000,height dynamic font "sans,12" background "white"
} else {
	if (term eq "pngcairo") {
		set terminal pngcairo size 1000,height font "sans,10" background "white"
	} else {
		set terminal png size 1000,height
	}
}
# titles hold scenario and kernel names: "_" must stay "_"
set termoption noenhanced
set output out
set datafile separator comma
set datafile columnheaders
set grid lc rgb "#dddddd"
label(i) = value(sprintf("label%d", i))
# one colour per kernel, the same in every plot
color(i) = word("#1b9e77 #d95f02 #7570b3 #e7298a #66a61e #a6761d #e6ab02 #666666", i)
nks = words(ks)
kk(j) = int(word(ks, j))
# capI (dioscope plot): what kernel I of ks differs from the first, a
# line each, for the x label of the plots that state it
caption = ""
do for [j=1:nks] {
	c = sprintf("cap%d", kk(j))
	if (exists(c)) { caption = caption . "\n" . value(c) }
}
if (caption ne "") { caption = "\ndifference to the first kernel [95% bootstrap interval]:" . caption }
