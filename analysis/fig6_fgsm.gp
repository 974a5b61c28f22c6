# Fig. 6: test accuracy under FGSM against epsilon (pixel units), mean with a min..max band.
# Needs datadir, gpdir, out, term.
load datadir."/panels.gp"
load gpdir."/common.gp"
set multiplot layout rows, cols title "Fig. 6: FGSM test accuracy vs epsilon (band = min..max over seeds)"
set xlabel "epsilon ([0,1] pixel units)"
set ylabel "test accuracy (%)"
do for [k = 1:npanels] {
  f = sprintf("%s/panel_%d.dat", datadir, k)
  set title PANEL[k]
  plot for [i = 0:NSERIES[k] - 1] f index i using 3:7:8 with filledcurves lc i + 1 notitle, \
       for [i = 0:NSERIES[k] - 1] f index i using 3:5 with linespoints lw 2 pt 7 lc i + 1 title columnheader(1)
}
unset multiplot
