#!/usr/bin/env bash
# Exec to the first 200 on /plaintext for several builds of a service, side by side in one run: the commands take
# turns (A B C A B C ...), so that a machine whose load drifts weighs on all of them alike. Each command must listen
# on $PORT; it is stopped (SIGTERM) once it has answered. Prints each command's times, median, and median / first's.
#
#   shop/bench/first-200.sh [-n ROUNDS] -- 'java -jar old/shop.jar' 'java -jar shop/target/shop.jar' ...
#
# The same measurement as footprint's start column (curl every 5 ms from exec), for commands rather than peers.
set -euo pipefail
rounds=7
while [ $# -gt 0 ]; do
  case "$1" in -n) rounds="$2"; shift 2;; --) shift; break;; *) echo "unknown option $1" >&2; exit 2;; esac
done
[ $# -gt 0 ] || { echo "usage: $0 [-n ROUNDS] -- COMMAND..." >&2; exit 2; }
cmds=("$@")
port=19600
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
declare -a times
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$rounds"); do
  for i in "${!cmds[@]}"; do
    port=$((port + 1)); while ! port_free "$port"; do port=$((port + 1)); done
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    PORT=$port ${cmds[$i]} >/dev/null 2>&1 &
    pid=$!
    until curl -fsS -o /dev/null "http://127.0.0.1:$port/plaintext" 2>/dev/null; do
      kill -0 "$pid" 2>/dev/null || { echo "exited: ${cmds[$i]}" >&2; exit 1; }; sleep 0.005; done
    times[i]="${times[i]:-} $(( ($(date +%s%N) - t0) / 1000000 ))"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# shellcheck disable=SC2086
first=$(median ${times[0]})
for i in "${!cmds[@]}"; do
  # shellcheck disable=SC2086
  m=$(median ${times[i]})
  printf '%6d ms  %5.2fx  [%s ]  %s\n' "$m" "$(echo "$m / $first" | bc -l)" "${times[i]}" "${cmds[$i]}"
done
