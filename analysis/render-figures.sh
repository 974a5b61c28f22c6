#!/usr/bin/env bash
# Renders the paper's figures from bgm-aggregate's tidy CSVs: bash analysis/render-figures.sh TABLES_DIR
# Writes TABLES_DIR/figures/fig{1,2,3,4,5,6}.{png,svg}; a figure whose CSV has no rows is skipped and says so.
set -euo pipefail

tables=${1:?usage: render-figures.sh TABLES_DIR (the --out folder of bgm-aggregate)}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
figures="$tables/figures"
work="$figures/data"
command -v gnuplot >/dev/null || { echo "render-figures.sh: gnuplot not found (apt-get install gnuplot-nox)" >&2; exit 2; }
[ -f "$tables/fig23_curves.csv" ] || { echo "render-figures.sh: $tables/fig23_curves.csv missing: run bgm-aggregate first" >&2; exit 2; }
mkdir -p "$figures" "$work"

# split_panels CSV DEST [awk filter] [panel expr] [series expr]: turns a tidy CSV (panel,series,... columns) into
# DEST/panel_K.dat files, one gnuplot index block per series headed by its quoted name, plus DEST/panels.gp
# that defines npanels, PANEL[k] (the title) and NSERIES[k].
split_panels() {
  local csv=$1 dest=$2 filter=${3:-1} panel=${4:-'$1'} series=${5:-'$2'}
  rm -rf "$dest" && mkdir -p "$dest"
  awk -F, -v dest="$dest" "
    NR == 1 { next }
    !($filter) { next }
    {
      p = $panel; s = $series
      if (!(p in pidx)) { pidx[p] = ++np; pname[np] = p; ns[np] = 0 }
      k = pidx[p]
      if (!((k, s) in sidx)) { sidx[k, s] = ++ns[k]; sname[k, ns[k]] = s }
      rows[k, sidx[k, s]] = rows[k, sidx[k, s]] \$0 \"\n\"
    }
    END {
      printf \"npanels = %d\n\", np > (dest \"/panels.gp\")
      if (np > 0) printf \"array PANEL[%d]\narray NSERIES[%d]\n\", np, np > (dest \"/panels.gp\")
      for (k = 1; k <= np; k++) {
        printf \"PANEL[%d] = \\\"%s\\\"\nNSERIES[%d] = %d\n\", k, pname[k], k, ns[k] > (dest \"/panels.gp\")
        file = dest \"/panel_\" k \".dat\"
        for (i = 1; i <= ns[k]; i++) printf \"\\\"%s\\\"\n%s\n\n\", sname[k, i], rows[k, i] > file
      }
    }" "$csv"
}

npanels_of() { awk -F' = ' '/^npanels/ { print $2 }' "$1/panels.gp"; }

render() {  # render SCRIPT DATA_DIR NAME [extra gnuplot assignments]
  local script=$1 data=$2 name=$3 extra=${4:-}
  for term in png svg; do
    gnuplot -e "gpdir='$here'; datadir='$data'; out='$figures/$name.$term'; term='$term'; $extra" "$here/$script"
  done
  echo "render-figures.sh: $figures/$name.png and .svg"
}

# Fig. 1: the toy's four settings, from the grids bgm-aggregate copied next to fig1_toy.csv.
if [ "$(wc -l < "$tables/fig1_toy.csv")" -gt 1 ]; then
  mkdir -p "$work/fig1"
  awk -F, -v dir="$tables" '
    NR == 1 { next }
    { n++; title[n] = $2; grid[n] = dir "/" $6; points[n] = ($7 == "" ? "" : dir "/" $7) }
    END {
      printf "npanels = %d\narray PANEL[%d]\narray GRID[%d]\narray POINTS[%d]\n", n, n, n, n
      for (k = 1; k <= n; k++) printf "PANEL[%d] = \"%s\"\nGRID[%d] = \"%s\"\nPOINTS[%d] = \"%s\"\n", k, title[k], k, grid[k], k, points[k]
    }' "$tables/fig1_toy.csv" > "$work/fig1/panels.gp"
  render fig1_toy.gp "$work/fig1" fig1
else
  echo "render-figures.sh: fig1 skipped: no toy-gaussians results with a decision grid"
fi

# Figs. 2 and 3: train / test accuracy against epochs; the adversarial-init stage has no test accuracy.
split_panels "$tables/fig23_curves.csv" "$work/fig2"
split_panels "$tables/fig23_curves.csv" "$work/fig3" '$7 == "train"'
[ "$(npanels_of "$work/fig2")" -gt 0 ] && render fig23_curves.gp "$work/fig2" fig2 "mean_col=14; what='train accuracy (%)'"
[ "$(npanels_of "$work/fig3")" -gt 0 ] && render fig23_curves.gp "$work/fig3" fig3 "mean_col=17; what='test accuracy (%)'"

# Fig. 4: R against final test accuracy (random init drawn at R = 0), sorted by R within each line.
{ head -n 1 "$tables/fig4_replicas.csv"; tail -n +2 "$tables/fig4_replicas.csv" | sort -t, -k1,1 -k2,2 -k4,4n; } > "$work/fig4.csv"
split_panels "$work/fig4.csv" "$work/fig4"
if [ "$(npanels_of "$work/fig4")" -gt 0 ]; then render fig4_replicas.gp "$work/fig4" fig4
else echo "render-figures.sh: fig4 skipped: no adversarially initialised runs"; fi

# Fig. 5: final norms, one panel per (dataset/model, norm), one bar per group.
split_panels "$tables/fig5_norms.csv" "$work/fig5" '$3 == "final"' '$1 ": " $4'
if [ "$(npanels_of "$work/fig5")" -gt 0 ]; then render fig5_norms.gp "$work/fig5" fig5
else echo "render-figures.sh: fig5 skipped: no norms in the results"; fi

# Fig. 6: FGSM epsilon against test accuracy.
split_panels "$tables/fig6_fgsm.csv" "$work/fig6"
if [ "$(npanels_of "$work/fig6")" -gt 0 ]; then render fig6_fgsm.gp "$work/fig6" fig6
else echo "render-figures.sh: fig6 skipped: no FGSM results"; fi
