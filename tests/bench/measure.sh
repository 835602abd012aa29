# Sourced by the bench scripts: `measure LABEL COMMAND...` runs the command and prints its wall
# time, CPU time (user + system) and peak memory, from `/usr/bin/time -v`. On failure it prints
# the end of the command's output and returns 1.
measure() {
  local label=$1; shift
  local log
  log=$(mktemp)
  if ! /usr/bin/time -v "$@" >"$log.out" 2>"$log"; then
    tail -20 "$log.out" "$log" >&2
    echo "$label: failed" >&2
    rm -f "$log" "$log.out"
    return 1
  fi
  local wall user sys peak
  wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')
  user=$(grep 'User time' "$log" | awk '{print $NF}')
  sys=$(grep 'System time' "$log" | awk '{print $NF}')
  peak=$(grep 'Maximum resident set size' "$log" | awk '{printf "%.0f", $NF / 1024}')
  printf '%-48s wall %8s  cpu %7.1f s  %6s MB\n' "$label" "$wall" "$(echo "$user + $sys" | bc)" "$peak"
  rm -f "$log" "$log.out"
}
