# Fig. 5: final norms per group (mean bar, min..max error bar), one panel per dataset/model and norm.
# Needs datadir, gpdir, out, term.
load datadir."/panels.gp"
load gpdir."/common.gp"
set multiplot layout rows, cols title "Fig. 5: norms of the final model (bars = mean, whiskers = min..max over seeds)"
set style fill solid 0.6 border -1
set boxwidth 0.7
set xtics format ""
set xrange [-0.6:*]
set ylabel "norm"
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0  # headroom above the tallest bar
do for [k = 1:npanels] {
  f = sprintf("%s/panel_%d.dat", datadir, k)
  set title PANEL[k]
  set xrange [-0.6:NSERIES[k] - 0.4]
  plot for [i = 0:NSERIES[k] - 1] f index i using (i):6 with boxes lc i + 1 title columnheader(1), \
       for [i = 0:NSERIES[k] - 1] f index i using (i):6:8:9 with yerrorbars lc rgb "black" pt 0 lw 1.5 notitle
}
unset multiplot
