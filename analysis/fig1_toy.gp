# Fig. 1: the toy's decision regions (grid "x,y,pred") with the training points ("x,y,label") on top.
# Needs datadir (holding panels.gp with PANEL, GRID, POINTS), gpdir, out, term.
load datadir."/panels.gp"
load gpdir."/common.gp"
set multiplot layout rows, cols title "Fig. 1: decision boundary of the toy MLP (blue = class 0, red = class 1)"
set palette defined (0 "#c6d8f5", 1 "#f5c6c0")
set cbrange [0:1]
unset colorbox
set size ratio -1
set style fill solid 1.0
set xlabel "x1"
set ylabel "x2"
unset key
point_colour(label) = (label < 0.5) ? 0x1f4e9e : 0xb22222
do for [k = 1:npanels] {
  set title PANEL[k]
  if (POINTS[k] eq "") {
    plot GRID[k] using 1:2:3 with image pixels
  } else {
    plot GRID[k] using 1:2:3 with image pixels, \
         POINTS[k] using 1:2:(point_colour($3)) with points pt 7 ps 0.9 lc rgb variable, \
         POINTS[k] using 1:2 with points pt 6 ps 0.9 lc rgb "black"
  }
}
unset multiplot
