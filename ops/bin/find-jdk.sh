# Finds a JDK 25 or newer. Source this file (POSIX sh), then call `weft_find_jdk`: it prints the JDK's home
# directory, or nothing when there is none. The search order is $JAVA_HOME if it is 25 or newer, else `java` on
# the PATH if it is, else the newest JDK 25+ under /usr/lib/jvm, /usr/java or /opt. `weft_no_jdk NAME` prints the
# one sentence saying what to install, prefixed with NAME, to stderr.
#
# The same order as the ./weft launcher at the repository root, so a service starts on the JDK it was built with.

weft_java_major() { # JAVA_BIN -> major version, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

weft_is_jdk25() { # HOME -> success when HOME/bin/java is 25 or newer
  [ -x "$1/bin/java" ] || return 1
  # A JDK image's release file names its version: reading it saves starting a JVM just to ask.
  _weft_v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
  [ -n "$_weft_v" ] || _weft_v=$(weft_java_major "$1/bin/java")
  [ -n "$_weft_v" ] && [ "$_weft_v" -ge 25 ]
}

weft_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && weft_is_jdk25 "$JAVA_HOME"; then echo "$JAVA_HOME"; return; fi
  if command -v java >/dev/null 2>&1; then
    _weft_home=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.home = //p')
    if [ -n "$_weft_home" ] && weft_is_jdk25 "$_weft_home"; then echo "$_weft_home"; return; fi
  fi
  for _weft_d in $(ls -d /usr/lib/jvm/* /usr/java/* /opt/*jdk* /opt/java/* 2>/dev/null | sort -rV); do
    if weft_is_jdk25 "$_weft_d"; then echo "$_weft_d"; return; fi
  done
}

weft_no_jdk() { # NAME
  echo "$1: no JDK 25 found (looked at \$JAVA_HOME, java on the PATH, /usr/lib/jvm, /usr/java, /opt)." >&2
  echo "$1: install JDK 25 (for example Temurin 25 from https://adoptium.net, or 'apt-get install openjdk-25-jdk')," >&2
  echo "$1: or set JAVA_HOME to one, then run this command again." >&2
}
