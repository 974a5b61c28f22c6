#!/bin/bash
# Sourced by the slurm/ scripts: expand_indices "0-3,7" prints 0 1 2 3 7, one a line (Slurm --array syntax,
# without the %throttle suffix), so `bgm list --indices` output can be walked in bash.
expand_indices() {
  local part from to
  local IFS=,
  for part in $1; do
    [[ -n $part ]] || continue
    from=${part%-*} to=${part#*-}
    seq "$from" "$to"
  done
}
