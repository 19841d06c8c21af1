#!/bin/sh
# Load run of the example service under launcher profiles, with each run's GC report side by side.
#
#   ops/bench/profiles.sh [PROFILE...]       (default: g1 latency; run from the repository root)
#
# For each profile: start shop/target/shop.jar through weft-launch as if in a 1 GiB, 2-CPU container, wait for the
# first 200, warm up 5 s, then wrk for DURATION (default 20s) with 4 threads and 64 connections on /json, stop the
# service with SIGTERM and report on its GC log. Results go to results/ops/<profile>/ (ignored by git).
set -eu
cd "$(dirname "$0")/../.."
. ops/bench/container.sh
duration=${DURATION:-20s}
port=${PORT:-28080}
path=${BENCH_PATH:-/json}
[ $# -gt 0 ] || set -- g1 latency
jar=${SERVICE_JAR:-shop/target/shop.jar}
[ -f "$jar" ] || { echo "no $jar: ./weft mvn -B -q -pl shop package -DskipTests" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
bench_container "$(mktemp -d)"
mkdir -p results/ops
cp "$jar" results/ops/service.jar   # a rebuild during the runs must not change what is measured
jar=results/ops/service.jar

for profile in "$@"; do
  out=results/ops/$profile
  rm -rf "$out"; mkdir -p "$out"
  port_free "$port"
  start=$(now_ms)
  PORT=$port ops/bin/weft-launch --profile "$profile" --log-dir "$out" "$jar" > "$out/service.log" 2>&1 &
  pid=$!
  wait_200 "http://127.0.0.1:$port$path" "$start" > "$out/first-200-ms"
  wrk -t2 -c16 -d5s "http://127.0.0.1:$port$path" > /dev/null
  wrk -t4 -c64 -d"$duration" --latency "http://127.0.0.1:$port$path" > "$out/wrk.txt"
  stop "$pid"
  ops/bin/weft-gc-report "$out/gc.log" > "$out/gc-report.txt" || true
  ops/bin/weft-gc-report "$out/gc.log" --json > "$out/gc-report.json" || true
  echo "== $profile: $(grep "Requests/sec" "$out/wrk.txt"), load average after: $(cut -d" " -f1-3 /proc/loadavg)"
  grep -E 'Latency |99%' "$out/wrk.txt"
  cat "$out/gc-report.txt"
done
