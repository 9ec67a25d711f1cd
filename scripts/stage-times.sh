# Stage timing for scripts/test.sh (sourced, not run): `stage NAME` ends the stage before it
# (printing its times) and starts NAME; `stage_end` ends the last; `stage_table` prints each stage's wall seconds
# and CPU seconds (user + sys of every process the stage ran and waited for, from bash's
# `times`). On a busy machine wall time varies; CPU seconds compare runs.

stage_names=()
stage_wall=()
stage_cpu=()
stage_open=""

# Sets stage_now to the CPU seconds (user + sys, in hundredths) of this shell's finished
# children so far. Not to be called in $(...): a subshell's `times` counts none of them.
stage_file=$(mktemp)
_stage_cpu_now() {
  times > "$stage_file"
  stage_now=$(awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); t += p[1] * 60 + p[2] }
                             printf "%d\n", t * 100 + 0.5 }' "$stage_file")
}

stage_end() {
  [ -n "$stage_open" ] || return 0
  stage_wall+=($(( $(date +%s) - stage_t0 )))
  _stage_cpu_now
  stage_cpu+=($(( stage_now - stage_c0 )))
  stage_names+=("$stage_open")
  printf '   (%d s wall, %d.%02d CPU s)\n' "${stage_wall[-1]}" $(( stage_cpu[-1] / 100 )) $(( stage_cpu[-1] % 100 ))
  stage_open=""
}

stage() {
  stage_end
  echo "== $1"
  stage_open=$1
  stage_t0=$(date +%s)
  _stage_cpu_now
  stage_c0=$stage_now
}

stage_table() {
  local i total_w=0 total_c=0
  echo "== stage times (wall s, CPU s = user + sys)"
  for i in "${!stage_names[@]}"; do
    printf '%6d %8d.%02d  %s\n' "${stage_wall[$i]}" $(( stage_cpu[i] / 100 )) $(( stage_cpu[i] % 100 )) "${stage_names[$i]}"
    total_w=$(( total_w + stage_wall[i] ))
    total_c=$(( total_c + stage_cpu[i] ))
  done
  printf '%6d %8d.%02d  total\n' "$total_w" $(( total_c / 100 )) $(( total_c % 100 ))
  rm -f "$stage_file"
}
