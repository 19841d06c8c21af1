#!/bin/sh
# Start-up time of a service's container image with and without the AOT cache trained in its build: milliseconds
# from `podman run` to the first 200 on /health/ready, in a container with --memory 1g --cpus 2 (the Kubernetes
# example's limits). Without the cache is the same image with -XX:AOTMode=off in JAVA_TOOL_OPTIONS, which weft-launch
# keeps as the user's choice (it then adds no -XX:AOTCache). Runs alternate so that machine noise falls on both.
#
#   ops/bench/image-startup.sh [IMAGE] [RUNS]     (default localhost/weft/shop:0.1.0-SNAPSHOT, 5 runs each)
set -eu
cd "$(dirname "$0")/../.."
. ops/bench/container.sh
image=${1:-localhost/weft/shop:0.1.0-SNAPSHOT}
runs=${2:-5}
port=${PORT:-28082}
port_free "$port"

start() { # NAME [podman options...] -> milliseconds to ready
  name=$1; shift
  begin=$(now_ms)
  ops/container/podman-here run --detach --name "$name" --memory 1g --cpus 2 --publish "127.0.0.1:$port:8080" \
    "$@" "$image" > /dev/null
  ms=$(wait_200 "http://127.0.0.1:$port/health/ready" "$begin")
  podman rm --force --time 10 "$name" > /dev/null
  echo "$ms"
}

with='' without=''
for i in $(seq "$runs"); do
  without="$without $(start "weft-startup-off-$$-$i" --env JAVA_TOOL_OPTIONS=-XX:AOTMode=off)"
  with="$with $(start "weft-startup-on-$$-$i")"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# shellcheck disable=SC2086
echo "$image, time to ready (ms): without AOT cache:$without (median $(median $without));" \
     "with AOT cache:$with (median $(median $with)); load average: $(cut -d" " -f1-3 /proc/loadavg)"
