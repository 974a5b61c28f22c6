# Shared gnuplot settings for the bgm figures: terminal from `term` and `out`, a multiplot grid for `npanels`.
set datafile separator ","
set datafile missing ""
cols = (npanels > 1) ? 2 : 1
rows = (npanels + cols - 1) / cols
width = 560 * cols
height = 380 * rows + 40
if (term eq "svg") { set terminal svg size width, height dynamic font "sans,11" } else { set terminal pngcairo size width, height font "sans,10" }
set output out
set termoption noenhanced  # keep underscores in names like l1_path
set grid lc rgb "#dddddd"
set key outside bottom center horizontal maxcols 2 font ",8" samplen 2
set style fill transparent solid 0.2 noborder
