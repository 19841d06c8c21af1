#!/bin/sh
# Heap cost of idle keep-alive connections on server-core, where each connection's virtual thread is parked in a
# socket read: its stack lives on the heap as a jdk.internal.vm.StackChunk. Prints the class histogram's StackChunk
# line and the heap in use after a full GC, before and after N connections (default 5000).
#
#   ops/bench/idle-connections.sh [N]      (run from the repository root; needs server-core installed in ~/.m2)
set -eu
cd "$(dirname "$0")/../.."
. ops/bin/find-jdk.sh
n=${1:-5000}
port=${PORT:-18999}
jdk=$(weft_find_java jdk); [ -n "$jdk" ] || { weft_no_java idle-connections jdk; exit 1; }
work=$(mktemp -d)
./weft mvn -B -q -o -pl ops dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null
"$jdk/bin/java" -Xmx512m -XX:+UseG1GC -cp "$(cat "$work/cp.txt")" ops/bench/idle/IdleServer.java "$port" > "$work/server.out" 2>&1 &
server=$!
until grep -q ready "$work/server.out" 2>/dev/null; do sleep 0.2; done
heap() {
  "$jdk/bin/jcmd" "$server" GC.run > /dev/null; sleep 1
  chunks=$("$jdk/bin/jcmd" "$server" GC.class_histogram | awk '/jdk.internal.vm.StackChunk/ {print $2, $3}')
  used=$("$jdk/bin/jcmd" "$server" GC.heap_info | sed -n 's/.* used \([0-9]*\)K.*/\1/p' | head -n 1)
  echo "$1: StackChunk instances and bytes: ${chunks:-0 0}; heap used after GC: ${used} KiB"
}
heap "no connections"
"$jdk/bin/java" ops/bench/idle/IdleClients.java "$port" "$n" > "$work/client.out" 2>&1 &
client=$!
until grep -q open "$work/client.out" 2>/dev/null; do sleep 0.5; done
heap "$n idle connections"
kill "$client" "$server"; wait 2>/dev/null || true
rm -rf "$work"
