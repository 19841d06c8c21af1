#!/bin/sh
# Start-up time of the example service with and without a JDK 25 AOT cache: milliseconds from launching
# weft-launch to the first 200 on /plaintext.
#
#   ops/bench/startup.sh [RUNS]     (default 5 runs each; run from the repository root)
#
# The AOT cache comes from one training run (weft-launch --aot: -XX:AOTCacheOutput) that serves a few hundred
# requests and is stopped with SIGTERM; the JVM writes the cache as it exits. Runs alternate between the two modes
# so machine noise falls on both. JFR is off in all runs (it costs the same with and without the cache).
set -eu
cd "$(dirname "$0")/../.."
. ops/bench/container.sh
runs=${1:-5}
port=${PORT:-28081}
url=http://127.0.0.1:$port/plaintext
profile=${PROFILE:-g1}
jar=${SERVICE_JAR:-shop/target/shop.jar}
[ -f "$jar" ] || { echo "no $jar: ./weft mvn -B -q -pl shop package -DskipTests" >&2; exit 1; }
bench_container "$(mktemp -d)"
work=results/ops/startup
rm -rf "$work"; mkdir -p "$work"
cp "$jar" "$work/shop.jar"

launch() { # extra launcher options...
  port_free "$port"
  start=$(now_ms)
  PORT=$port ops/bin/weft-launch --profile "$profile" --no-jfr --log-dir "$work/logs" "$@" "$work/shop.jar" \
    >> "$work/service.log" 2>&1 &
  pid=$!
  ms=$(wait_200 "$url" "$start")
}

launch --aot
for i in $(seq 300); do curl -s -o /dev/null "$url"; curl -s -o /dev/null "http://127.0.0.1:$port/json"; done
stop "$pid"
ls -l "$work"/*.aot

with='' without=''
for _ in $(seq "$runs"); do
  launch; without="$without $ms"; stop "$pid"
  launch --aot; with="$with $ms"; stop "$pid"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# shellcheck disable=SC2086
echo "profile $profile, time to first 200 (ms): without AOT cache:$without (median $(median $without));" \
     "with AOT cache:$with (median $(median $with)); load average: $(cut -d" " -f1-3 /proc/loadavg)"
