# Sourced by the bench scripts: points weft-launch's calculator at a generated cgroup v2 tree so a run on a bare
# machine gets the memory flags a container with WEFT_BENCH_MEMORY bytes would get (the limit itself is not
# enforced). WEFT_BENCH_CPUS only changes the count the launcher reports: the JVM counts the machine's CPUs itself.
bench_container() { # DIR
  mkdir -p "$1/sys/fs/cgroup" "$1/proc/self"
  echo "cpu memory" > "$1/sys/fs/cgroup/cgroup.controllers"
  echo "${WEFT_BENCH_MEMORY:-1073741824}" > "$1/sys/fs/cgroup/memory.max"
  echo "$(( ${WEFT_BENCH_CPUS:-2} * 100000 )) 100000" > "$1/sys/fs/cgroup/cpu.max"
  echo "0::/" > "$1/proc/self/cgroup"
  cp /proc/meminfo "$1/proc/"
  export WEFT_CGROUP_ROOT="$1/sys/fs/cgroup" WEFT_PROC="$1/proc"
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Waits until URL answers 200; prints the milliseconds since START_MS. Fails after 60 s.
wait_200() { # URL START_MS
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$1" 2>/dev/null || true)
    if [ "$code" = 200 ]; then echo $(( $(now_ms) - $2 )); return 0; fi
    [ $(( $(now_ms) - $2 )) -lt 60000 ] || { echo "no 200 from $1 within 60 s" >&2; return 1; }
    sleep 0.01
  done
}

# Fails when something already answers on PORT: a bench must not measure another engineer's server.
port_free() { # PORT
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/" 2>/dev/null || true)
  [ "$code" = 000 ] || { echo "port $1 is in use (HTTP $code): set PORT to a free one" >&2; return 1; }
}

stop() { # PID: SIGTERM, then wait for the graceful exit
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
