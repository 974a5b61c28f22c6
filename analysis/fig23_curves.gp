# Figs. 2/3: accuracy against epochs, mean over seeds with a min-max band. Needs datadir, out, term, mean_col, what.
load datadir."/panels.gp"
load gpdir."/common.gp"
set multiplot layout rows, cols title (mean_col == 14 ? "Fig. 2: " : "Fig. 3: ").what." vs epoch (mean, band = min..max over seeds)"
set xlabel "epoch"
set ylabel what
do for [k = 1:npanels] {
  f = sprintf("%s/panel_%d.dat", datadir, k)
  set title PANEL[k]
  plot for [i = 0:NSERIES[k] - 1] f index i using 12:mean_col + 1:mean_col + 2 with filledcurves lc i + 1 notitle, \
       for [i = 0:NSERIES[k] - 1] f index i using 12:mean_col with lines lw 2 lc i + 1 title columnheader(1)
}
unset multiplot
