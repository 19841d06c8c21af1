#!/bin/sh
# Start-up cost of schema migrations: whole-process time of a cold JVM that opens the embedded H2 database and
# migrates the shop's schema with Flyway, with the hand-written migrator Flyway replaced (compiled from git history),
# and without migrating (the JVM and H2 alone). The three run alternately, ROUNDS times each, in a rotating order,
# so that the machine's noise falls on all of them alike.
#
#   db-pool/bench/migration-startup.sh [ROUNDS]        (default 30; from anywhere in the repository)
#
# OLD names the commit whose db-pool still had the hand-written migrator (default: the last one, 551fb28).
# AOT=1 first trains an AOT cache per variant (JDK 25, -XX:AOTCacheOutput) and times the starts that use it, as
# ops' launcher starts a service. Also printed: the classes each variant loads, a count the machine's noise does
# not move.
set -eu
cd "$(dirname "$0")/../.."
rounds="${1:-30}"
old="${OLD:-551fb28}"
out=db-pool/target/migration-startup
rm -rf "$out"; mkdir -p "$out/src/dev/weft/dbpool/migrate" "$out/classes"

./weft mvn -B -q -pl db-pool -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$PWD/$out/classpath" >/dev/null
for f in ClasspathMigrations Migration MigrationException SchemaMigrator SqlScript; do
  git show "$old:db-pool/src/main/java/dev/weft/dbpool/migrate/$f.java" > "$out/src/dev/weft/dbpool/migrate/$f.java"
done
# The schema migrated: the shop's first migration, on the class path where MigrationStartup looks for it.
mkdir -p "$out/classes/dev/weft/dbpool/shop-migrations"
cp shop/src/main/resources/db/migration/V1__shop.sql "$out/classes/dev/weft/dbpool/shop-migrations/"

. ./ops/bin/find-jdk.sh
jdk=$(weft_find_java jdk)
build_cp="db-pool/target/classes:db-pool/target/test-classes:$(cat "$out/classpath")"
"$jdk/bin/javac" -nowarn -d "$out/classes" -cp "$build_cp" $(find "$out/src" -name '*.java') \
    db-pool/bench/MigrationStartup.java
# Jars only, as a service runs (and as the AOT cache requires): each class directory becomes a jar.
cp=""; n=0
for entry in $(echo "$out/classes:$build_cp" | tr ':' ' '); do
  if [ -d "$entry" ]; then
    n=$((n + 1)); "$jdk/bin/jar" --create --file "$out/$n.jar" -C "$entry" .; entry="$out/$n.jar"
  fi
  cp="${cp:+$cp:}$entry"
done

run() { # variant, extra JVM options...
  v="$1"; shift
  "$jdk/bin/java" "$@" -cp "$cp" dev.weft.dbpool.bench.MigrationStartup "$v" 2>/dev/null
}
aot() { # variant: the options that use its cache, or none
  if [ "${AOT:-0}" = 1 ]; then echo "-XX:AOTCache=$out/$1.aot"; fi
}
for v in none hand-written flyway; do
  if [ "${AOT:-0}" = 1 ]; then
    run "$v" -XX:AOTCacheOutput="$out/$v.aot" >/dev/null
  fi
  echo "$v loads $(run "$v" $(aot "$v") -Xlog:class+load:file="$out/$v.classes" >/dev/null; wc -l < "$out/$v.classes") classes"
done

echo "JDK $("$jdk/bin/java" -version 2>&1 | head -1); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); AOT=${AOT:-0}"
: > "$out/times"
i=0
while [ "$i" -lt "$rounds" ]; do
  case $((i % 3)) in
    0) order="none hand-written flyway" ;;
    1) order="hand-written flyway none" ;;
    *) order="flyway none hand-written" ;;
  esac
  for v in $order; do
    t0=$(date +%s%N)
    inside=$(run "$v" $(aot "$v"))
    t1=$(date +%s%N)
    echo "$inside $(( (t1 - t0) / 1000000 ))" >> "$out/times"
  done
  i=$((i + 1))
done
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"

# variant, files applied, ms inside main, ms for the whole process
for v in none hand-written flyway; do
  for col in 4 3; do
    grep "^$v " "$out/times" | cut -d' ' -f$col | sort -n | awk -v v="$v" -v col="$col" '
      { a[NR] = $1; s += $1 }
      END { what = col == 4 ? "process" : "in main";
            printf "%-12s %-7s n=%d  median %6.0f ms  mean %6.0f ms  min %6.0f ms  max %6.0f ms\n",
                   v, what, NR, (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2), s / NR, a[1], a[NR] }'
  done
done
