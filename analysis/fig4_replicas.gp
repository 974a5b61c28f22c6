# Fig. 4: final test accuracy against the replication factor R (R = 0: random init), min..max error bars.
# Needs datadir, gpdir, out, term.
load datadir."/panels.gp"
load gpdir."/common.gp"
set multiplot layout rows, cols title "Fig. 4: test accuracy vs R (R = 0 is random init; bars = min..max over seeds)"
set xlabel "R (randomly labelled copies per image)"
set ylabel "test accuracy (%)"
set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05
do for [k = 1:npanels] {
  f = sprintf("%s/panel_%d.dat", datadir, k)
  set title PANEL[k]
  plot for [i = 0:NSERIES[k] - 1] f index i using 4:7:9:10 with yerrorlines lw 2 pt 7 lc i + 1 title columnheader(1)
}
unset multiplot
