# Shared settings. Callers set: term ("pngcairo" or "svg"), out (file),
# data (directory of derived data), scen (scenario), n (kernels),
# label1..labelN (kernel names for legends).
if (term eq "svg") set terminal svg size 900,560 dynamic enhanced font "sans,11"; \
else set terminal pngcairo size 900,560 enhanced font "sans,10"
set output out
set grid lc rgb "#dddddd"
set key top left box opaque
label(i) = value(sprintf("label%d", i))
